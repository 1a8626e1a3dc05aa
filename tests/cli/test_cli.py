#!/usr/bin/python3
"""End-to-end tests of the ratelimit-sim executable: arguments, exit codes, output, hostile input.

    /usr/bin/python3 tests/cli/test_cli.py PATH_TO_ratelimit-sim    (CTest passes the path)
    RATELIMIT_SIM=PATH /usr/bin/python3 tests/cli/test_cli.py

Expected results are worked out from flask-limiter-semantics.md (E = 1700000000), not copied
from the simulator's output.
"""

import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest

SIM = os.environ.get("RATELIMIT_SIM", "")
E = 1700000000
SECONDS_ALLOWED = 10  # per run; generous for sanitizer builds, far below anything like a hang


def run(args=(), stdin=b""):
    """(exit status, stdout text, stderr text) of one run; fails the test if it takes too long."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    started = time.monotonic()
    done = subprocess.run([SIM, *args], input=stdin, capture_output=True, timeout=SECONDS_ALLOWED * 3)
    elapsed = time.monotonic() - started
    if elapsed > SECONDS_ALLOWED:
        raise AssertionError(f"ratelimit-sim {' '.join(args)} took {elapsed:.1f} s")
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")


def simulate(payload, *args):
    """(exit status, parsed stdout) for a payload given as a Python value or as raw text."""
    text = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    status, out, _ = run(args, text)
    return status, json.loads(out)


def too_many_requests(description):
    return ("<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n"
            f"<h1>Too Many Requests</h1>\n<p>{description}</p>\n")


def headers(limit, remaining, reset_offset, retry_after):
    return {"X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(E + reset_offset), "Retry-After": str(retry_after)}


NOT_FOUND = ("<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
             "<p>The requested URL was not found on the server. If you entered the URL manually please "
             "check your spelling and try again.</p>\n")

# 2/minute, fixed window (§2.2, §3.6): the window opens at the first hit, rejected hits count,
# Reset = int(expiry) + 1, Retry-After = int(Reset - now); at t=60 the window has expired.
FLASK_SCENARIO = {
    "routes": [{"path": "/", "limits": ["2/minute"]}],
    "requests": [{"t": 0}, {"t": 30}, {"t": 45.5}, {"t": 60}, {"t": 61}, {"t": 62, "path": "/nope"}],
}
FLASK_RESULT = {
    "epoch": E,
    "results": [
        {"t": 0, "status": 200, "headers": headers(2, 1, 61, 61), "body": "ok", "limit": "2 per 1 minute"},
        {"t": 30, "status": 200, "headers": headers(2, 0, 61, 31), "body": "ok", "limit": "2 per 1 minute"},
        {"t": 45.5, "status": 429, "headers": headers(2, 0, 61, 15), "body": too_many_requests("2 per 1 minute"),
         "limit": "2 per 1 minute"},
        {"t": 60, "status": 200, "headers": headers(2, 1, 121, 61), "body": "ok", "limit": "2 per 1 minute"},
        {"t": 61, "status": 200, "headers": headers(2, 0, 121, 60), "body": "ok", "limit": "2 per 1 minute"},
        {"t": 62, "status": 404, "headers": {}, "body": NOT_FOUND},
    ],
    "totals": {"requests": 6, "by_status": {"200": 4, "404": 1, "429": 1}},
}

# 2/minute, moving window (§2.4): the boundary is inclusive, rejected hits log nothing, and
# reset = int(newest entry in the window) + 60, or int(now) + 60 when the window is empty.
LIMITS_SCENARIO = {
    "mode": "limits", "strategy": "moving-window", "limit": "2/minute",
    "hits": [{"t": 0}, {"t": 10.5}, {"t": 20}, {"t": 70.5, "op": "test"}, {"t": 71}, {"t": 80, "op": "clear"}],
}
LIMITS_RESULT = {
    "epoch": E,
    "results": [
        {"allowed": True, "reset": E + 60, "remaining": 1},
        {"allowed": True, "reset": E + 70, "remaining": 0},
        {"allowed": False, "reset": E + 70, "remaining": 0},  # the entry at 0 is still inside
        {"allowed": True, "reset": E + 70, "remaining": 1},   # 10.5 >= 70.5 - 60: still counts
        {"allowed": True, "reset": E + 131, "remaining": 1},  # 10.5 < 71 - 60: gone
        {"allowed": None, "reset": E + 140, "remaining": 2},
    ],
}


class Arguments(unittest.TestCase):
    def test_help_lists_modes_fields_exit_codes_and_examples(self):
        status, out, err = run(["--help"])
        self.assertEqual(status, 0)
        self.assertEqual(err, "")
        for word in ("usage: ratelimit-sim", "--trace", "--parse", "replay --rule", "REPLAY", "FLASK MODE", "LIMITS MODE", "EXIT STATUS",
                     "EXTRA FIELDS", "application_limits_cost", "strategy_options", "override_defaults",
                     "deduct_when_status", "shared_scope", "key_func", "retry_after", "error_handler",
                     "fail_on_first_breach", "key_prefix", "1700000000", "echo '"):
            self.assertIn(word, out)
        self.assertEqual(run(["replay", "--rule", "1/second", "--help"]), (0, out, ""), "replay --help is the same help")

    def test_unknown_options_and_words_are_refused_on_stderr(self):
        for args in (["--bogus"], ["simulate"], ["--parse", "--trace"]):
            status, out, err = run(args)
            self.assertEqual(status, 2, args)
            self.assertEqual(out, "", args)
            self.assertIn("ratelimit-sim: ", err)
        self.assertIn("unknown option '--bogus'", run(["--bogus"])[2])


class FlaskMode(unittest.TestCase):
    def test_fixed_window_statuses_headers_and_bodies(self):
        self.assertEqual(simulate(FLASK_SCENARIO), (0, FLASK_RESULT))

    def test_first_hit_of_10_per_minute_resets_at_61(self):
        status, result = simulate({"routes": [{"limits": ["10/minute"]}], "requests": [{"t": 0}]})
        self.assertEqual(status, 0)
        self.assertEqual(result["results"][0]["headers"], headers(10, 9, 61, 61))

    def test_http_date_retry_after_and_custom_error_handler(self):
        status, result = simulate({"retry_after": "http-date", "error_handler": "custom",
                                   "routes": [{"limits": ["1/minute"]}], "requests": [{"t": 0}, {"t": 1}]})
        self.assertEqual(status, 0)
        self.assertEqual(result["results"][0]["headers"]["Retry-After"], "Tue, 14 Nov 2023 22:14:21 GMT")
        self.assertEqual(result["results"][1]["body"], "rate limited: 1 per 1 minute")

    def test_one_result_per_line(self):
        _, out, _ = run([], json.dumps(FLASK_SCENARIO))
        lines = out.splitlines()
        self.assertEqual(lines[0], '{"epoch": 1700000000, "results": [')
        self.assertEqual(lines[1], '  {"t": 0, "status": 200, "headers": {"X-RateLimit-Limit": "2", '
                                   '"X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "1700000061", '
                                   '"Retry-After": "61"}, "body": "ok", "limit": "2 per 1 minute"},')
        self.assertEqual(lines[-1], '], "totals": {"requests": 6, "by_status": {"200": 4, "404": 1, "429": 1}}}')
        self.assertEqual(len(lines), 8)

    def test_trace_shows_every_limit_check(self):
        status, result = simulate({"default_limits": ["5/hour"],
                                   "routes": [{"override_defaults": False, "limits": ["1/second"]}],
                                   "requests": [{"key": "1.2.3.4"}, {"key": "1.2.3.4", "t": 0.5}]}, "--trace")
        self.assertEqual(status, 0)
        first, second = (r["trace"] for r in result["results"])
        view = lambda trace: [(c["checkpoint"], c["source"], c["limit"], c.get("key"), c["cost"], c["result"])
                              for c in trace]
        self.assertEqual(view(first), [
            ("view", "route", "1 per 1 second", "LIMITER/1.2.3.4/index/1/1/second", 1, "charged"),
            ("view", "default", "5 per 1 hour", "LIMITER/1.2.3.4/index/5/1/hour", 1, "charged")])
        self.assertEqual(view(second), [
            ("view", "route", "1 per 1 second", "LIMITER/1.2.3.4/index/1/1/second", 1, "breached"),
            ("view", "default", "5 per 1 hour", None, 1, "not_reached")])  # fail_on_first_breach
        self.assertTrue(all(isinstance(c["detail"], str) for c in first))

    def test_echoes_t_as_given(self):
        status, result = simulate('{"routes": [], "requests": [{}, {"t": 1}, {"t": 2.50}, {"t": 3e0}]}')
        self.assertEqual(status, 0)
        self.assertEqual([r["t"] for r in result["results"]], [0, 1, 2.5, 3.0])
        self.assertEqual([type(r["t"]) for r in result["results"]], [int, int, float, float])


class LimitsMode(unittest.TestCase):
    def test_moving_window_allowed_reset_remaining(self):
        self.assertEqual(simulate(LIMITS_SCENARIO), (0, LIMITS_RESULT))


class Arrays(unittest.TestCase):
    def test_a_rejected_scenario_answers_its_error_and_the_others_still_run(self):
        bad = dict(FLASK_SCENARIO, routes=[{"path": "/", "limit": ["2/minute"]}])
        status, results = simulate([FLASK_SCENARIO, bad, LIMITS_SCENARIO])
        self.assertEqual(status, 2)
        self.assertEqual(results, [FLASK_RESULT, {"error": 'routes[0].limit: unknown field (did you mean "limits"?)'},
                                   LIMITS_RESULT])

    def test_an_array_of_good_scenarios_exits_0(self):
        self.assertEqual(simulate([FLASK_SCENARIO, LIMITS_SCENARIO]), (0, [FLASK_RESULT, LIMITS_RESULT]))
        self.assertEqual(simulate([]), (0, []))


class Errors(unittest.TestCase):
    def assert_error(self, payload, message, *args):
        status, result = simulate(payload, *args)
        self.assertEqual(status, 2)
        self.assertEqual(result, {"error": message})

    def assert_error_starts(self, payload, prefix):
        status, result = simulate(payload)
        self.assertEqual(status, 2)
        self.assertEqual(list(result), ["error"])
        self.assertTrue(result["error"].startswith(prefix), result["error"])

    def test_malformed_and_empty_input(self):
        self.assert_error('{"routes": [}', "input is not JSON: parse error at line 1, column 13: syntax error while "
                                            "parsing value - unexpected '}'; expected '[', '{', or a literal")
        self.assert_error("", "input is not JSON: the input is empty")
        self.assert_error("\n", "input is not JSON: the input is empty")
        self.assert_error("5", "expected a scenario object or an array of scenarios, got 5")

    def test_decreasing_t(self):
        self.assert_error({"routes": [], "requests": [{"t": 2}, {"t": 1}]},
                          "requests[1].t: 1 is before the previous 2; times never decrease")
        self.assert_error({"mode": "limits", "limit": "1/second", "hits": [{"t": 2}, {"t": 1.5}]},
                          "hits[1].t: 1.5 is before the previous 2; times never decrease")

    def test_wrong_types_name_the_field(self):
        self.assert_error({"routes": [{"path": "/", "limits": ["10/minute", {"limit": "5/second", "cost": "2"}]}],
                           "requests": []}, 'routes[0].limits[1].cost: expected a whole number, got "2"')
        self.assert_error({"routes": [], "requests": [{"t": "0"}]}, 'requests[0].t: expected a number, got "0"')

    def test_unknown_fields_and_names(self):
        self.assert_error({"routes": [{"limit": []}], "requests": []},
                          'routes[0].limit: unknown field (did you mean "limits"?)')
        self.assert_error({"mode": "limit"}, 'mode: "limit" is not one of "flask", "limits" (did you mean "limits"?)')
        self.assert_error_starts({"routes": [], "requests": [], "strategy": "leaky"},
                                 'strategy: "leaky" is not one of "fixed-window", ')

    def test_required_fields(self):
        self.assert_error({"requests": []}, "routes: required field is missing")
        self.assert_error({"mode": "limits", "limit": "1/second"}, "hits: required field is missing")

    def test_core_validation_messages_pass_through(self):
        self.assert_error_starts({"routes": [{"path": "no-slash"}], "requests": []},
                                 'routes[0].path: "no-slash" is not a supported path')
        self.assert_error_starts({"mode": "limits", "limit": "10/minits", "hits": []}, "limit: ")


class HostileInput(unittest.TestCase):
    def assert_rejected_quickly(self, payload, prefix, *args):
        status, out, _ = run(args, payload)
        self.assertEqual(status, 2)
        result = json.loads(out)
        if isinstance(result, list):
            result = result[0]
        self.assertTrue(result["error"].startswith(prefix), result["error"][:300])
        self.assertLess(len(out), 1000)

    def test_deep_nesting(self):
        self.assert_rejected_quickly("[" * 200000 + "]" * 200000,
                                     "input nests arrays and objects more than 64 levels deep (at line 1, column 65)")
        self.assert_rejected_quickly('{"routes": ' + "[" * 100000, "input nests arrays and objects more than 64")
        self.assert_rejected_quickly("[" * 100000, "input nests arrays and objects more than 64", "--parse")

    def test_ten_megabyte_strings(self):
        big = "a" * 10_000_000
        self.assert_rejected_quickly(json.dumps({"routes": [], "requests": [{"key": big}]}),
                                     "requests[0].key: a string of 10000000 bytes is too long; the most is 10000")
        self.assert_rejected_quickly(json.dumps({"routes": [], "requests": [], big: 1}),
                                     "a" * 60 + "…: unknown field")
        self.assert_rejected_quickly(json.dumps({"routes": [], "requests": [], "strategy": big}),
                                     'strategy: "' + "a" * 40 + '…" is not one of')
        self.assert_rejected_quickly(json.dumps(big), "expected a scenario object or an array of scenarios")
        self.assert_rejected_quickly('"' + big, "input is not JSON: parse error at line 1, column 10000002")
        status, out, _ = run(["--parse"], json.dumps([big]))
        self.assertEqual(status, 0)
        self.assertEqual(set(json.loads(out)[0]), {"error", "offset", "length", "hint"})

    def test_absurd_numbers(self):
        self.assert_rejected_quickly('{"routes": [], "requests": [{"t": 1e308}]}',
                                     "requests[0].t: epoch + t must stay below 10000000000")
        self.assert_rejected_quickly('{"routes": [], "requests": [], "epoch": 1e308}', "epoch: ")
        self.assert_rejected_quickly('{"routes": [], "requests": [{"t": 1e400}]}',
                                     "input holds a number beyond the range of a double (1e400 at line 1, column 35)")
        self.assert_rejected_quickly('{"routes": [], "requests": [{"status": -1e300}]}',
                                     "requests[0].status: -1e+300 is too small")
        self.assert_rejected_quickly('{"mode": "limits", "limit": "1/second", "hits": [{"cost": 99999999999999999999}]}',
                                     "hits[0].cost: 1e+20 is too large; the most is 9223372036854775807")
        self.assert_rejected_quickly('{"mode": "limits", "limit": "99999999999999999999/second", "hits": []}',
                                     "limit: ")

    def test_huge_arrays(self):
        self.assert_rejected_quickly("[" + ",".join(["1"] * 200000) + "]",
                                     "input holds 200000 elements; the most is 100000")
        self.assert_rejected_quickly(json.dumps({"routes": [], "requests": [{}] * 100001}),
                                     "requests: holds 100001 requests; the most is 100000")
        many = ";".join(f"{i}/day" for i in range(1, 501))
        self.assert_rejected_quickly(json.dumps({"default_limits": [many], "routes": [{}], "requests": [{}] * 10000}),
                                     "this scenario needs up to 5000000 limit checks")

    def test_a_big_but_allowed_scenario_runs_in_seconds(self):
        status, out, _ = run([], json.dumps({"routes": [{"limits": ["10/minute"]}],
                                             "requests": [{"t": i * 0.01} for i in range(10000)]}))
        self.assertEqual(status, 0)
        self.assertEqual(json.loads(out)["totals"]["requests"], 10000)


class Parse(unittest.TestCase):
    def test_valid_and_invalid_rate_strings_are_answers(self):
        status, answers = simulate(["10/minute;1 per 2 hours", "10/minits", ""], "--parse")
        self.assertEqual(status, 0)
        self.assertEqual(answers[0], {"limits": [
            {"amount": 10, "multiples": 1, "granularity": "minute", "text": "10 per 1 minute", "window_seconds": 60},
            {"amount": 1, "multiples": 2, "granularity": "hour", "text": "1 per 2 hour", "window_seconds": 7200}]})
        self.assertEqual((answers[1]["offset"], answers[1]["length"]), (3, 6))
        self.assertIsInstance(answers[1]["error"], str)
        self.assertIn("error", answers[2])

    def test_a_non_string_is_an_error_and_exits_2(self):
        status, answers = simulate(["1/second", 5], "--parse")
        self.assertEqual(status, 2)
        self.assertEqual(answers[1], {"error": "expected a string"})
        self.assertIn("limits", answers[0])

    def test_input_must_be_an_array(self):
        self.assertEqual(simulate({"a": 1}, "--parse"), (2, {"error": "--parse reads a JSON array of rate strings"}))
        self.assertEqual(simulate("[", "--parse")[0], 2)



SAMPLE_LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "web", "samples", "access.log")
# a sends at 0, 1, 2 and 61 s, b at 3 and 4 (E is a whole minute): under 2/minute fixed window,
# a's third request is the only one denied per client; with one shared key, 3 of 6 are.
HAND_LOG = "".join(f'{ip} - - [14/Nov/2023:22:13:{20 + t:02d} +0000] "GET / HTTP/1.1" 200 5\n'
                   for ip, t in [("a", 0), ("a", 1), ("a", 2), ("b", 3), ("b", 4)])
HAND_LOG += 'a - - [14/Nov/2023:22:14:21 +0000] "GET / HTTP/1.1" 200 5\n'


class Replay(unittest.TestCase):
    def replay_json(self, log, *args):
        status, out, err = run(["replay", "--json", *args, "-"], log)
        self.assertEqual(status, 0, err)
        return json.loads(out)

    def test_hand_computed_totals_per_client_and_shared(self):
        self.assertEqual(E % 60, 20)  # the log's times are E + t
        result = self.replay_json(HAND_LOG, "--rule", "2/minute", "--strategy", "fixed-window")
        self.assertEqual(result["format"], "common")
        self.assertEqual((result["requests"], result["clients"], result["bad_lines"]), (6, 2, 0))
        [fixed] = result["algorithms"]
        self.assertEqual((fixed["allowed"], fixed["denied"]), (5, 1))
        [offender] = fixed["top"]
        self.assertEqual(offender.pop("timeline"), fixed["timeline"])  # a's is the only denial
        self.assertEqual(offender, {"client": "a", "requests": 4, "denied": 1})
        self.assertEqual(fixed["clients_denied"], 1)
        shared = self.replay_json(HAND_LOG, "--rule", "2/minute", "--strategy", "fixed-window", "--key", "none")
        self.assertEqual(shared["algorithms"][0]["denied"], 3)
        self.assertEqual(shared["algorithms"][0]["top"], [])
        self.assertEqual(shared["algorithms"][0]["clients_denied"], 0)

    def test_times_in_whole_seconds_are_said_to_be_too_coarse_for_a_short_window(self):
        # HAND_LOG's times are whole seconds, as in every common log.
        note = "every time in this log is a whole second, and the rule has a window of 10 s or less"
        for rule, coarse in [("2/second", True), ("5/10 seconds;100/hour", True), ("2/minute", False)]:
            self.assertEqual(self.replay_json(HAND_LOG, "--rule", rule)["coarse_times"], coarse, rule)
            status, out, err = run(["replay", "--rule", rule, "-"], HAND_LOG)
            self.assertEqual((status, note in out), (0, coarse), rule)
        precise = "".join(json.dumps({"ip": "a", "ts": E + t / 4}) + "\n" for t in range(8))
        self.assertFalse(self.replay_json(precise, "--rule", "2/second")["coarse_times"])

    def test_all_algorithms_and_a_readable_summary_of_the_sample(self):
        status, out, err = run(["replay", "--rule", "2/second;60/minute", SAMPLE_LOG])
        self.assertEqual(status, 0, err)
        self.assertIn("(combined format): 3000 requests from 14 clients", out)
        for name in ["fixed-window", "moving-window", "token-bucket", "gcra"]:
            self.assertIn(name, out)
        self.assertIn("top offenders", out)
        self.assertIn("198.51.100.66", out)  # the sample's scraper
        self.assertIn("leaky-bucket, leaky-queue and gcra admit the same requests as token-bucket", out)
        self.assertRegex(out, r"\nmoving-window +\d+ +\d+ +[\d.]+%  \d+ of 14\n")  # clients denied, of all
        self.assertIn("0 bad lines", out)

    def test_the_bucket_family_shares_the_token_buckets_figures(self):
        result = self.replay_json(HAND_LOG, "--rule", "1/minute")
        by_name = {one["algorithm"]: one for one in result["algorithms"]}
        for name in ("leaky-bucket", "leaky-queue", "gcra"):
            self.assertEqual(by_name[name].pop("same_as"), "token-bucket")
            self.assertEqual({**by_name[name], "algorithm": "token-bucket"}, by_name["token-bucket"])
        self.assertNotIn("same_as", by_name["token-bucket"])
        self.assertNotIn("same_as", by_name["moving-window"])
        [alone] = self.replay_json(HAND_LOG, "--rule", "1/minute", "--strategy", "gcra")["algorithms"]
        self.assertNotIn("same_as", alone)

    def test_one_strategy_also_replays_tighter_and_looser_rules(self):
        result = self.replay_json(HAND_LOG, "--rule", "2/minute", "--strategy", "fixed-window")
        # 2/minute scaled by 1/8, 1/4 and 1/2 is 1/minute each time: one rule; then 2, 4, 8, 16.
        self.assertEqual([(one["rule"], one["factor"]) for one in result["scaled"]],
                         [("1/minute", 0.125), ("2/minute", 1), ("4/minute", 2), ("8/minute", 4), ("16/minute", 8)])
        # 1/minute: a's second and third in the first minute, b's second; 2/minute: a's third.
        self.assertEqual([(one["denied"], one["clients_denied"]) for one in result["scaled"]],
                         [(3, 2), (1, 1), (0, 0), (0, 0), (0, 0)])
        self.assertEqual(result["scaled"][1]["denied"], result["algorithms"][0]["denied"])
        self.assertNotIn("scaled", self.replay_json(HAND_LOG, "--rule", "2/minute"))
        status, out, _ = run(["replay", "--rule", "2/minute", "--strategy", "fixed-window", "-"], HAND_LOG)
        self.assertEqual(status, 0)
        self.assertIn("tighter and looser rules (fixed-window)", out)
        self.assertRegex(out, r"\n2/minute +1 +16\.7%  1 of 2  \(this rule\)\n")

    def test_bad_lines_are_reported_with_numbers_and_skipped(self):
        log = HAND_LOG + "garbage\n" + 'c - - [99/Nov/2023:22:14:21 +0000] "GET /" 200 5\r\n'
        result = self.replay_json(log, "--rule", "2/minute")
        self.assertEqual(result["requests"], 6)
        self.assertEqual(result["bad_lines"], 2)
        self.assertEqual([b["line"] for b in result["bad_samples"]], [7, 8])
        self.assertEqual(result["bad_samples"][1]["reason"], "the [date] is not dd/Mon/yyyy:hh:mm:ss +zone, ISO 8601 or an HTTP date")
        status, out, _ = run(["replay", "--rule", "2/minute", "-"], log)
        self.assertEqual(status, 0)
        self.assertIn("line 7: expected `client - user [date]", out)

    def test_formats_can_be_forced_and_jsonl_csv_timestamps_read(self):
        jsonl = '{"ts": 1700000000000, "ip": "x"}\n{"ts": 1700000000500, "ip": "x"}\n'
        self.assertEqual(self.replay_json(jsonl, "--rule", "1/second", "--strategy", "token-bucket")["algorithms"][0]["denied"], 1)
        csv = "timestamp,client\n2023-11-14T22:13:20Z,x\n2023-11-14T22:13:20.5Z,y\n"
        self.assertEqual(self.replay_json(csv, "--rule", "1/second")["format"], "csv")
        stamps = "1700000000\n1700000001\n"
        self.assertEqual(self.replay_json(stamps, "--rule", "1/second", "--format", "timestamps")["requests"], 2)
        status, out, _ = run(["replay", "--json", "--rule", "1/second", "--format", "jsonl", "-"], stamps)
        self.assertEqual(status, 2)  # forced: the timestamps are bad JSON lines, not requests
        self.assertEqual((json.loads(out)["requests"], json.loads(out)["bad_lines"]), (0, 2))

    def test_times_without_a_zone_are_counted_and_said(self):
        werkzeug = ('127.0.0.1 - - [29/Nov/2026 09:00:00] "GET / HTTP/1.1" 200 -\n'
                    '127.0.0.1 - - [29/Nov/2026 09:00:01] "GET / HTTP/1.1" 200 -\n')
        self.assertEqual(self.replay_json(werkzeug, "--rule", "1/second")["without_zone"], 2)
        status, out, _ = run(["replay", "--rule", "1/second", "-"], werkzeug)
        self.assertEqual(status, 0)
        self.assertIn("from 2026-11-29T09:00:00 to 2026-11-29T09:00:01 (the log's own clock: its times name no zone)\n", out)
        mixed = '{"ts": "2026-11-29T09:00:00"}\n{"ts": "2026-11-29T09:00:01Z"}\n'
        status, out, _ = run(["replay", "--rule", "1/second", "-"], mixed)
        self.assertIn("from 2026-11-29T09:00:00Z to 2026-11-29T09:00:01Z (1 request with no zone in the time, read as UTC)\n",
                      out)
        self.assertEqual(self.replay_json(HAND_LOG, "--rule", "1/second")["without_zone"], 0)
        status, out, _ = run(["replay", "--rule", "1/second", "-"], HAND_LOG)
        self.assertNotIn("zone", out)

    def test_requests_without_a_client_are_counted_and_said(self):
        caddy = ('{"ts":1700000000.1,"request":{"client_ip":"203.0.113.5"},"user_id":""}\n'
                 '{"ts":1700000000.2,"request":{"client_ip":"198.51.100.7"},"user_id":""}\n')
        result = self.replay_json(caddy, "--rule", "1/second")
        self.assertEqual((result["clients"], result["without_client"]), (2, 0))
        self.assertEqual(result["algorithms"][0]["denied"], 0)  # one request each
        mixed = caddy + '{"ts":1700000000.3}\n{"ts":1700000000.4,"ip":""}\n'
        self.assertEqual(self.replay_json(mixed, "--rule", "1/second")["without_client"], 2)
        status, out, _ = run(["replay", "--rule", "1/second", "-"], mixed)
        self.assertEqual(status, 0)
        self.assertIn("4 requests from 3 clients\n", out)
        self.assertIn('requests without a client: 2; they count together as one client, shown as "(no client field)"', out)
        status, out, _ = run(["replay", "--rule", "1/second", "-"], "1700000000\n")
        self.assertIn("1 request from 1 client\n", out)
        self.assertIn("no line has a client", out)
        status, out, _ = run(["replay", "--rule", "1/second", "--key", "none", "-"], "1700000000\n")
        self.assertNotIn("no line has a client", out)

    def test_key_field_counts_per_another_field(self):
        log = ('{"ts": 1700000000, "ip": "10.0.0.1", "user": "alice"}\n'
               '{"ts": 1700000000.5, "ip": "10.0.0.1", "user": "bob"}\n'
               '{"ts": 1700000000.7, "ip": "10.0.0.1"}\n')
        by_ip = self.replay_json(log, "--rule", "1/second", "--strategy", "fixed-window")
        self.assertEqual((by_ip["clients"], by_ip["algorithms"][0]["denied"]), (1, 2))
        by_user = self.replay_json(log, "--rule", "1/second", "--strategy", "fixed-window", "--key", "field:user")
        self.assertEqual(by_user["key"], "field:user")
        # alice, bob and the line without a user: one request each, none denied
        self.assertEqual((by_user["clients"], by_user["without_client"], by_user["algorithms"][0]["denied"]), (3, 1, 0))
        status, out, _ = run(["replay", "--rule", "1/second", "--key", "field:api_key", "-"], log)
        self.assertIn("key field:api_key (each value counted on its own)", out)
        self.assertIn("no line has the field api_key, so all requests count as one client", out)
        self.assertIn("the fields of this log: ts, ip, user\n", out)
        self.assertEqual(by_ip["fields"], ["ts", "ip", "user"])

    def test_a_private_address_with_most_requests_is_said_to_be_a_proxy(self):
        log = HAND_LOG.replace("a - -", "10.0.0.2 - -")  # 4 of 6 requests
        result = self.replay_json(log, "--rule", "2/minute")
        self.assertEqual(result["proxy"], {"client": "10.0.0.2", "requests": 4, "loopback": False, "forwarded_for": 0})
        status, out, _ = run(["replay", "--rule", "2/minute", "-"], log)
        self.assertIn("4 of 6 requests come from 10.0.0.2, a private address: probably a proxy", out)
        local = HAND_LOG.replace("a - -", "127.0.0.1 - -")  # a local try, or a proxy on the same machine
        self.assertTrue(self.replay_json(local, "--rule", "2/minute")["proxy"]["loopback"])
        status, out, _ = run(["replay", "--rule", "2/minute", "-"], local)
        self.assertIn("4 of 6 requests come from 127.0.0.1, this machine itself: a proxy on the same machine", out)
        self.assertIn("as with Flask's development server.\nBehind a proxy without ProxyFix, Flask-Limiter's", out)
        self.assertNotIn("proxy", self.replay_json(HAND_LOG, "--rule", "2/minute"))
        self.assertNotIn("proxy", self.replay_json(log, "--rule", "2/minute", "--key", "none"))

    def test_behind_a_proxy_x_forwarded_for_names_the_clients(self):
        # nginx's default log format, behind a load balancer at 10.0.0.2: the clients are in the
        # last field, each after what it claimed itself (a forgery changes nothing).
        line = '10.0.0.2 - - [14/Nov/2023:22:13:{:02d} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "{}"\n'
        log = "".join(line.format(20 + t, xff) for t, xff in [
            (0, "203.0.113.7"), (1, "1.1.1.1, 203.0.113.7"), (2, "2.2.2.2, 203.0.113.7"), (3, "198.51.100.9"), (4, "-")])
        by_address = self.replay_json(log, "--rule", "2/minute", "--strategy", "fixed-window")
        self.assertEqual(by_address["proxy"]["forwarded_for"], 4)
        self.assertEqual((by_address["clients"], by_address["algorithms"][0]["denied"]), (1, 3))
        status, out, _ = run(["replay", "--rule", "2/minute", "-"], log)
        self.assertIn("4 requests carry X-Forwarded-For, which names the client behind the proxy:\n"
                      "--key field:x-forwarded-for counts per that client", out)
        by_client = self.replay_json(log, "--rule", "2/minute", "--strategy", "fixed-window",
                                     "--key", "field:x-forwarded-for")
        # 203.0.113.7 three times (one denied), 198.51.100.9 once, and the line without the header
        self.assertEqual((by_client["clients"], by_client["without_client"]), (3, 1))
        self.assertEqual(by_client["algorithms"][0]["denied"], 1)
        self.assertEqual(by_client["algorithms"][0]["top"][0]["client"], "203.0.113.7")
        self.assertNotIn("proxy", by_client)

    def test_behind_a_cdn_most_requests_carrying_x_forwarded_for_are_said_to_come_through_a_proxy(self):
        # Cloudflare in front of nginx: each line from one of its public edges; no address
        # dominates, but three of four requests name a client in X-Forwarded-For.
        line = '{} - - [14/Nov/2023:22:13:{:02d} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "{}"\n'
        log = "".join(line.format(edge, 20 + t, xff) for t, edge, xff in [
            (0, "162.158.1.1", "203.0.113.7"), (1, "172.70.2.2", "203.0.113.7"), (2, "162.158.1.1", "198.51.100.9"),
            (3, "198.51.100.20", "-")])
        result = self.replay_json(log, "--rule", "1/minute", "--strategy", "fixed-window")
        self.assertNotIn("proxy", result)
        self.assertEqual(result["forwarded"], {"requests": 3})
        status, out, _ = run(["replay", "--rule", "1/minute", "-"], log)
        self.assertIn("3 of 4 requests carry X-Forwarded-For: they came through a proxy or CDN", out)
        self.assertIn("--key field:x-forwarded-for counts per the client\nthe header names", out)
        # per the header's client, 203.0.113.7 has one of its two requests denied
        by_client = self.replay_json(log, "--rule", "1/minute", "--strategy", "fixed-window", "--key", "field:x-forwarded-for")
        self.assertNotIn("forwarded", by_client)
        self.assertEqual(by_client["algorithms"][0]["top"][0], {**by_client["algorithms"][0]["top"][0], "client": "203.0.113.7", "denied": 1})
        # with one shared key there are no clients to mistake
        self.assertNotIn("forwarded", self.replay_json(log, "--rule", "1/minute", "--key", "none"))

    def test_behind_a_cdn_and_a_load_balancer_the_edges_are_said_and_can_be_skipped(self):
        # CloudFront -> ALB -> nginx: the ALB appends the edge the request came from, so the
        # header reads "client, edge", and the last public address is the edge.
        line = '10.0.0.5 - - [14/Nov/2023:22:13:{:02d} +0000] "GET / HTTP/1.1" 200 5 "-" "curl" "{}"\n'
        log = "".join(line.format(20 + t, xff) for t, xff in [
            (0, "203.0.113.7, 130.176.12.4"), (1, "198.51.100.9, 130.176.12.4"), (2, "203.0.113.7, 130.176.99.1"),
            (3, "192.0.2.1")])
        args = ["--rule", "1/minute", "--strategy", "fixed-window", "--key", "field:x-forwarded-for"]
        edges = self.replay_json(log, *args)
        self.assertEqual(edges["public_proxies"], 0)
        self.assertEqual(edges["beyond_public_proxy"], {"requests": 3, "public_proxies": 1})
        self.assertEqual(edges["algorithms"][0]["top"][0]["client"], "130.176.12.4")  # an edge, denied
        status, out, _ = run(["replay", *args, "-"], log)
        self.assertIn("3 of 4 requests name a public address in X-Forwarded-For before the one counted", out)
        self.assertIn("--public-proxies 1 skips them and counts the clients.", out)
        clients = self.replay_json(log, *args, "--public-proxies", "1")
        self.assertEqual(clients["public_proxies"], 1)
        self.assertNotIn("beyond_public_proxy", clients)
        self.assertEqual(clients["clients"], 3)  # 203.0.113.7, 198.51.100.9 and 192.0.2.1, who came without the CDN
        self.assertEqual(clients["algorithms"][0]["top"][0], {**clients["algorithms"][0]["top"][0], "client": "203.0.113.7", "denied": 1})
        status, out, _ = run(["replay", *args, "--public-proxies", "1", "-"], log)
        self.assertIn("key field:x-forwarded-for (each value counted on its own), 1 public proxy skipped", out)
        self.assertNotIn("public_proxies", self.replay_json(log, "--rule", "1/minute"))  # only with that key
        # two public proxies: one skipped is not enough, and the next count is offered
        deeper = log.replace(", 130.176", ", 198.18.0.1, 130.176")
        once = self.replay_json(deeper, *args, "--public-proxies", "1")
        self.assertEqual(once["beyond_public_proxy"], {"requests": 3, "public_proxies": 2})
        status, out, _ = run(["replay", *args, "--public-proxies", "1", "-"], deeper)
        self.assertIn("--public-proxies 2 skips one more and counts the clients.", out)
        self.assertEqual(self.replay_json(deeper, *args, "--public-proxies", "2")["clients"], 3)

    def test_several_files_are_one_log_in_any_order(self):
        line = 'b - - [14/Nov/2023:22:13:{:02d} +0000] "GET / HTTP/1.1" 200 5'
        with tempfile.TemporaryDirectory() as folder:
            newer, older = os.path.join(folder, "access.log"), os.path.join(folder, "access.log.1")
            with open(newer, "w") as f:
                f.write(line.format(41) + "\n" + line.format(40))  # out of order; no newline at its end
            with open(older, "w") as f:
                f.write("oops\n" + line.format(20) + "\n" + line.format(21) + "\n")
            status, out, err = run(["replay", "--json", "--rule", "1/second", "--strategy", "fixed-window", newer, older])
            self.assertEqual(status, 0, err)
            result = json.loads(out)
            # one request out of order in its file; the older file coming second is no disorder
            self.assertEqual((result["requests"], result["lines"], result["out_of_order"]), (4, 5, 1))
            self.assertEqual(result["start"], E)  # the older file's first request, though it came second
            self.assertEqual(result["bad_samples"], [{"file": older, "line": 1, "reason": result["bad_samples"][0]["reason"],
                                                      "text": "oops"}])
            self.assertEqual(result["algorithms"][0]["denied"], 0)  # one request a second, once sorted
            status, out, _ = run(["replay", "--rule", "1/second", newer, older])
            self.assertIn(f"replay of {newer} and 1 more file (common format): 4 requests from 1 client", out)
            self.assertIn(f"  {older} line 1: ", out)
            self.assertIn("1 request was out of time order in its file and was replayed at its own time\n", out)

    def test_gzipped_files_are_read_as_they_are_and_one_that_breaks_off_up_to_there(self):
        with open(SAMPLE_LOG, "rb") as f:
            sample = f.read()
        plain = self.replay_json(sample, "--rule", "10/minute")
        packed = gzip.compress(sample)
        self.assertEqual(self.replay_json(packed, "--rule", "10/minute")["algorithms"], plain["algorithms"])  # stdin too
        with tempfile.TemporaryDirectory() as folder:
            whole, cut = os.path.join(folder, "access.log.2.gz"), os.path.join(folder, "access.log.3.gz")
            with open(whole, "wb") as f:
                f.write(packed)
            with open(cut, "wb") as f:  # copied while it was written: the end is missing
                f.write(packed[:len(packed) // 2])
            status, out, err = run(["replay", "--json", "--rule", "10/minute", whole])
            self.assertEqual(status, 0, err)
            self.assertEqual(json.loads(out)["algorithms"], plain["algorithms"])
            status, out, err = run(["replay", "--json", "--rule", "10/minute", cut])
            self.assertEqual(status, 0, err)
            result = json.loads(out)
            read = result["requests"]
            self.assertTrue(0 < read < plain["requests"], read)
            self.assertEqual(result["bad_lines"], 1)
            [bad] = result["bad_samples"]
            self.assertEqual((bad["file"], bad["line"]), (cut, read + 1))  # the sample has no bad line
            self.assertEqual(bad["reason"], "the file breaks off here (unexpected end of file); the lines before it were read")
            self.assertTrue(sample.decode().split("\n")[read].startswith(bad["text"]), bad["text"])
            self.assertEqual(result["unread"], [{"file": cut, "line": read + 1, "reason": bad["reason"]}])
            self.assertEqual(json.loads(run(["replay", "--json", "--rule", "10/minute", whole])[1])["unread"], [])
            status, out, _ = run(["replay", "--rule", "10/minute", whole, cut])  # said under the heading too
            self.assertIn(f"\n{cut} line {read + 1}: the file breaks off here (unexpected end of file)", out.split("\n\n")[0])
            # not gzip after its first two bytes: nothing read, said so, no garbage printed
            with open(cut, "wb") as f:
                f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage")
            status, out, err = run(["replay", "--rule", "10/minute", cut])
            self.assertEqual(status, 2)
            self.assertIn(f"  line 1: the file cannot be read (invalid block type)\n", out)
            self.assertIn(f"no request could be read from '{cut}'", err)

    def test_the_summary_prints_no_control_characters_from_the_log(self):
        # a client and a bad line carrying terminal escape sequences, and a byte that is not UTF-8
        log = "time,ip\n1700000000,a\x1b[31mred\n1700000000,a\x1b[31mred\nbad\x1b]0;title\x07line\xff\n"
        status, out, err = run(["replay", "--rule", "1/second", "--strategy", "fixed-window", "-"], log.encode("latin-1"))
        self.assertEqual(status, 0, err)
        self.assertIn("fixed-window                 a\\x1B[31mred 1/2\n", out)
        self.assertIn("\n    bad\\x1B]0;title\\x07line\\xFF\n", out)
        self.assertFalse(any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7f for c in out), out)

    def test_a_path_replays_only_the_requests_to_it(self):
        # a: /login at :20, :21, :22 and /static in between; b: /login/reset once.
        log = "".join(f'{ip} - - [14/Nov/2023:22:13:{s} +0000] "{request} HTTP/1.1" 200 5\n' for ip, s, request in [
            ("a", 20, "POST /login"), ("a", 20, "GET /static/app.js"), ("a", 21, "POST /login?next=/"),
            ("a", 22, "POST /login"), ("b", 23, "GET /login/reset"), ("b", 24, "GET /loginx")])
        result = self.replay_json(log, "--rule", "2/minute", "--strategy", "fixed-window", "--path", "/login")
        self.assertEqual((result["path"], result["methods"], result["left_out"], result["requests"]), ("/login", "", 2, 4))
        self.assertEqual(result["algorithms"][0]["denied"], 1)  # a's third login
        self.assertNotIn("path", self.replay_json(log, "--rule", "2/minute"))
        status, out, _ = run(["replay", "--rule", "2/minute", "--path", "/login", "-"], log)
        self.assertIn("only requests to /login and below it: 2 other requests left out\n", out)
        # Only the login attempts, as @limiter.limit("2/minute", methods=["POST"]) on the route
        posts = self.replay_json(log, "--rule", "2/minute", "--strategy", "fixed-window", "--path", "login", "--method", "post")
        self.assertEqual((posts["path"], posts["methods"], posts["left_out"], posts["requests"]), ("/login", "POST", 3, 3))
        self.assertEqual(posts["algorithms"][0]["denied"], 1)
        status, out, _ = run(["replay", "--rule", "2/minute", "--method", "get,head", "-"], log)
        self.assertIn("only GET,HEAD requests: 3 other requests left out\n", out)
        status, _, err = run(["replay", "--rule", "2/minute", "--path", "/admin", "-"], log)
        self.assertEqual(status, 2)
        self.assertIn("no request could be read from '-'; --path and --method left out 6 requests", err)

    def test_bad_arguments_rules_and_files_exit_2_on_stderr(self):
        cases = [
            (["replay", "-"], "replay needs --rule"),
            (["replay", "--rule", "1/second"], "replay needs a FILE"),
            (["replay", "--rule", "10/minits", "-"], "unknown time unit"),
            (["replay", "--rule", "1/second", "--strategy", "fast", "-"], "unknown strategy 'fast'"),
            (["replay", "--rule", "1/second", "--key", "user", "-"], "--key is ip, none or field:NAME"),
            (["replay", "--rule", "1/second", "--key", "field:", "-"], "--key is ip, none or field:NAME"),
            (["replay", "--rule", "1/second", "--format", "xml", "-"], "--format is auto"),
            (["replay", "--rule", "1/second", "--path", "", "-"], "--path needs a path"),
            (["replay", "--rule", "1/second", "--method", " , ", "-"], "--method needs a method"),
            (["replay", "--rule", "1/second", "--public-proxies", "one", "-"], "--public-proxies is a count from 0 to 9"),
            (["replay", "--rule", "1/second", "--public-proxies", "1", "-"], "--public-proxies needs --key field:x-forwarded-for"),
            (["replay", "--rule", "1/second", "/nonexistent/log"], "cannot open '/nonexistent/log'"),
            (["replay", "--rule"], "--rule needs a value"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                status, out, err = run(args, HAND_LOG)
                self.assertEqual(status, 2)
                self.assertEqual(out, "")
                self.assertIn(message, err)

    def test_a_log_without_requests_exits_2_after_its_summary(self):
        status, out, err = run(["replay", "--rule", "1/second", "-"], "nothing\nhere\n")
        self.assertEqual(status, 2)
        self.assertIn("2 bad lines", out)
        self.assertNotIn("allowed", out, "no table of zeros")
        self.assertEqual(err, "ratelimit-sim replay: no request could be read from '-': all 2 of its lines are bad (above)\n")
        status, out, err = run(["replay", "--rule", "1/second", "-"], "")
        self.assertEqual((status, out.splitlines()[-1], err), (2, "0 bad lines", "ratelimit-sim replay: no request could be read from '-': it holds no line\n"))


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        SIM = sys.argv.pop(1)
    if not SIM:
        sys.exit("usage: test_cli.py PATH_TO_ratelimit-sim (or set RATELIMIT_SIM)")
    unittest.main()
