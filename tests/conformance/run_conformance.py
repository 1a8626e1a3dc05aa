#!/usr/bin/python3
"""Conformance driver: the real Flask-Limiter (reference.py) against the C++ ratelimit-sim.

    /usr/bin/python3 tests/conformance/run_conformance.py --sim PATH_TO_ratelimit-sim
    /usr/bin/python3 tests/conformance/run_conformance.py --reference-only [--filter SUBSTRING]

1. Runs every scenario through reference.py twice, in separate processes: the outputs must be
   identical (the oracle must be deterministic).
2. Self-checks: the real library must reproduce what flask-limiter-semantics.md documents.
3. Compares ratelimit-sim with the reference, per request: status, rate-limit headers, body.
4. Parser conformance: `ratelimit-sim --parse` against limits.parse_many.
Exits non-zero on any mismatch.
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import limits

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import scenarios  # noqa: E402 (needs the path above)

PYTHON = "/usr/bin/python3"
TIMEOUT_SECONDS = 600
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")
LIMITS_FIELDS = ("allowed", "reset", "remaining")
FLASK_FIELDS = ("status", "headers", "body")
PARSED_FIELDS = ("amount", "multiples", "granularity", "text", "window_seconds")
PARSER_CASE = "parser conformance"

# Deliberate differences of the C++ port, each with its reason.
MAX_SAFE_INTEGER = 2**53 - 1  # amounts and multiples above it are errors in the port: they must
# survive the trip to JavaScript as exact numbers; the port's error message must say "too large".
TOO_LARGE = "too large"
# Numbers with more than 4300 digits are errors on both sides (Python's int-conversion limit), so
# they need no exception here: any error answer from the port matches.


class RunFailed(Exception):
    pass


def run_program(command, payload):
    """(exit status, raw stdout, parsed stdout) of `command` fed `payload` as JSON on stdin."""
    try:
        done = subprocess.run(command, input=json.dumps(payload).encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RunFailed(f"{' '.join(map(str, command))}: {error}") from error
    try:
        return done.returncode, done.stdout, json.loads(done.stdout.decode("utf-8"))
    except ValueError as error:
        stderr = done.stderr.decode("utf-8", "replace")[-2000:]
        raise RunFailed(f"{command[-1]} exited {done.returncode} without JSON output ({error}); stderr:\n{stderr}")


# ---------------------------------------------------------------------------------------------
# Oracle determinism and self-checks
# ---------------------------------------------------------------------------------------------

def run_reference_twice(cases):
    """The reference results, or RunFailed when two runs disagree."""
    payload = [case.scenario for case in cases]
    first_status, first_bytes, first = run_program([PYTHON, str(HERE / "reference.py")], payload)
    second_status, second_bytes, second = run_program([PYTHON, str(HERE / "reference.py")], payload)
    if first_bytes != second_bytes or first_status != second_status:
        differing = [case.name for case, a, b in zip(cases, first, second) if a != b]
        raise RunFailed(f"the reference is not deterministic; differing scenarios: {differing}")
    if len(first) != len(cases):
        raise RunFailed(f"the reference answered {len(first)} results for {len(cases)} scenarios")
    return first_status, first


def first_mismatch(label, expected, actual, times):
    if len(expected) != len(actual):
        return [f"{label}: {len(actual)} values, the document gives {len(expected)}"]
    for index, (want, got) in enumerate(zip(expected, actual)):
        if want != got:
            return [f"{label} #{index} (t={times[index]}): real library {got!r}, document {want!r}"]
    return []


def seen_mismatches(index, seen, response):
    where = f"request #{index} (t={response['t']})"
    problems = []
    for name, value in (seen.headers or {}).items():
        got = response["headers"].get(name)
        if got != value:
            problems.append(f"{where}: {name} is {got!r}, the document says {value!r}")
    if seen.no_headers and response["headers"]:
        problems.append(f"{where}: headers {response['headers']}, the document says none")
    if seen.body is not None and response["body"] != seen.body:
        problems.append(f"{where}: body {response['body']!r}, the document says {seen.body!r}")
    if seen.body_has is not None and seen.body_has not in response["body"]:
        problems.append(f"{where}: body {response['body']!r} lacks {seen.body_has!r}")
    return problems


def document_mismatches(case, result):
    """Where the real library disagrees with the documented expectation of `case`."""
    expect = case.expect or scenarios.Expect()
    if expect.error or "error" in result:
        if expect.error == ("error" in result):
            return []
        return [f"rejected: {result['error']}" if "error" in result else "accepted, the document rejects it"]
    responses = result["results"]
    times = [event["t"] for event in case.scenario.get("hits", case.scenario.get("requests"))]
    series = [("allowed", expect.allowed, lambda r: r["allowed"]),
              ("reset - epoch", expect.resets, lambda r: r["reset"] - result["epoch"]),
              ("remaining", expect.remaining, lambda r: r["remaining"]),
              ("status", expect.statuses, lambda r: r["status"])]
    problems = []
    for label, expected, read in series:
        if expected is not None:
            problems += first_mismatch(label, expected, [read(r) for r in responses], times)
    for index, seen in sorted(expect.responses.items()):
        problems += seen_mismatches(index, seen, responses[index])
    return problems


# ---------------------------------------------------------------------------------------------
# Simulator against reference
# ---------------------------------------------------------------------------------------------

def comparable(response, fields):
    view = {name: response.get(name) for name in fields}
    if "headers" in fields and isinstance(view["headers"], dict):
        view["headers"] = {k: v for k, v in view["headers"].items() if k in RATE_LIMIT_HEADERS}
    return view


def simulator_mismatches(reference, simulated):
    if "error" in reference:
        return [] if isinstance(simulated, dict) and "error" in simulated else [
            f"the reference rejects it ({reference['error']}), the simulator answered {short(simulated)}"]
    if not isinstance(simulated, dict) or "results" not in simulated:
        return [f"the simulator answered {short(simulated)}"]
    if simulated.get("epoch") != reference["epoch"]:
        return [f"epoch: reference {reference['epoch']}, simulator {simulated.get('epoch')}"]
    ours, theirs = reference["results"], simulated["results"]
    if len(ours) != len(theirs):
        return [f"{len(theirs)} results, the reference has {len(ours)}"]
    fields = LIMITS_FIELDS if ours and "allowed" in ours[0] else FLASK_FIELDS
    for index, (want, got) in enumerate(zip(ours, theirs)):
        if not isinstance(got, dict) or comparable(want, fields) != comparable(got, fields):
            got_view = comparable(got, fields) if isinstance(got, dict) else got
            return [f"request #{index} (t={want.get('t', '?')}) differs\n"
                    f"  reference: {json.dumps(comparable(want, fields), ensure_ascii=False)}\n"
                    f"  simulator: {json.dumps(got_view, ensure_ascii=False)}"]
    return []


def short(value, limit=200):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "..."


def run_simulator(sim, cases, reference_status):
    status, _, answers = run_program([sim], [case.scenario for case in cases])
    if not isinstance(answers, list) or len(answers) != len(cases):
        raise RunFailed(f"the simulator answered {short(answers)} for {len(cases)} scenarios")
    problems = [] if status == reference_status else [
        f"exit status {status}, the reference exited {reference_status}"]
    return answers, problems


# ---------------------------------------------------------------------------------------------
# Parser conformance
# ---------------------------------------------------------------------------------------------

def library_parse(text):
    try:
        items = limits.parse_many(text)
    except ValueError as error:
        return {"error": str(error)}
    return {"limits": [{"amount": item.amount, "multiples": item.multiples, "granularity": item.GRANULARITY.name,
                        "text": repr(item), "window_seconds": item.get_expiry()} for item in items]}


def documented_parse_mismatch(text, parsed):
    documented = scenarios.DOCUMENTED_PARSES.get(text)
    if documented is None:
        return None
    if isinstance(documented, str):
        if "error" in parsed and parsed["error"].startswith(documented):
            return None
    elif "limits" in parsed and [(i["amount"], i["multiples"], i["granularity"]) for i in parsed["limits"]] \
            == documented:
        return None
    return f"limits.parse_many gives {short(parsed)}, the document says {short(documented)}"


def too_large_for_port(parsed):
    return any(item["amount"] > MAX_SAFE_INTEGER or item["multiples"] > MAX_SAFE_INTEGER
               for item in parsed.get("limits", []))


def port_parse_mismatch(parsed, answer):
    if not isinstance(answer, dict):
        return f"answered {short(answer)}"
    if too_large_for_port(parsed):
        if TOO_LARGE in str(answer.get("error", "")).lower():
            return None
        return f"expected an error saying the number is {TOO_LARGE} (deliberate difference), got {short(answer)}"
    if "error" in parsed:
        return None if isinstance(answer.get("error"), str) else f"limits rejects it, the port answered {short(answer)}"
    if not isinstance(answer.get("limits"), list) or parsed["limits"] != [
            {name: item.get(name) for name in PARSED_FIELDS} if isinstance(item, dict) else item
            for item in answer["limits"]]:
        return f"limits gives {short(parsed['limits'])}, the port answered {short(answer)}"
    return None


def parser_problems(sim):
    texts = scenarios.RATE_STRINGS
    parsed = [library_parse(text) for text in texts]
    problems = [f"document: {short(text, 60)}: {problem}" for text, result in zip(texts, parsed)
                if (problem := documented_parse_mismatch(text, result))]
    if sim:
        _, _, answers = run_program([sim, "--parse"], texts)
        if not isinstance(answers, list) or len(answers) != len(texts):
            return problems + [f"simulator: answered {short(answers)} for {len(texts)} strings"]
        problems += [f"simulator: {short(text, 60)}: {problem}" for text, result, answer in zip(texts, parsed, answers)
                     if (problem := port_parse_mismatch(result, answer))]
    return problems


# ---------------------------------------------------------------------------------------------

def report(name, problems):
    print(f"{'FAIL' if problems else 'OK  '}  {name}")
    for problem in problems:
        print("        " + problem.replace("\n", "\n        "))
    return bool(problems)


def check_scenarios(cases, sim):
    """The number of failing scenarios (document self-checks, then the simulator if given)."""
    reference_status, reference = run_reference_twice(cases)
    print(f"reference: {len(cases)} scenarios, two runs, identical output")
    failures = 0
    simulated = None
    if sim:
        simulated, status_problems = run_simulator(sim, cases, reference_status)
        failures += report("simulator exit status", status_problems) if status_problems else 0
    for index, case in enumerate(cases):
        problems = [f"document: {p}" for p in document_mismatches(case, reference[index])]
        if simulated is not None:
            problems += [f"simulator: {p}" for p in simulator_mismatches(reference[index], simulated[index])]
        failures += report(case.name, problems)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--sim", help="path to the ratelimit-sim executable")
    mode.add_argument("--reference-only", action="store_true", help="only run the oracle and its self-checks")
    parser.add_argument("--filter", default="", help="only the scenarios whose name contains SUBSTRING")
    options = parser.parse_args()

    cases = [case for case in scenarios.all_cases() if options.filter in case.name]
    failures = 0
    try:
        if cases:
            failures += check_scenarios(cases, options.sim)
        if options.filter in PARSER_CASE:
            failures += report(f"{PARSER_CASE} ({len(scenarios.RATE_STRINGS)} strings)", parser_problems(options.sim))
    except RunFailed as error:
        print(f"FAIL  {error}")
        return 1
    print(f"{failures} failing" if failures else "all passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
