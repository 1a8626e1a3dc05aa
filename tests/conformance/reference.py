#!/usr/bin/python3
"""The conformance oracle: runs scenarios through the real Flask-Limiter 3.3.0 / limits 2.8.0.

Reads one scenario, or a JSON array of scenarios, on stdin (format: scenario-format.md) and
writes the results on stdout in the same shape the C++ `ratelimit-sim` answers. Every clock read
of the libraries returns the simulated `epoch + t`; the storage's background sweep runs on a
virtual timer. Exit status 2 when any scenario was rejected, 0 otherwise.
"""

import json
import logging
import math
import sys
import threading
import time
import warnings

import flask
import flask_limiter.extension
import limits
import limits.storage.memory
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits.storage import MemoryStorage
from limits.strategies import STRATEGIES

SWEEP_DELAY = 0.01
DEFAULT_EPOCH = 1700000000
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset", "Retry-After")


class ScenarioError(ValueError):
    """The scenario itself is malformed; its result is {"error": message}."""


# ---------------------------------------------------------------------------------------------
# Simulated clock and virtual timers
# ---------------------------------------------------------------------------------------------

class SimulatedClock:
    """Stands in for the `time` module: time() is the simulated clock, everything else is real."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now

    def __getattr__(self, name):
        return getattr(time, name)


class VirtualTimer:
    """A threading.Timer that fires on the simulated clock, never on its own."""

    def __init__(self, timers, interval, function):
        self.timers = timers
        self.interval = interval
        self.function = function
        self.due = None
        self.alive = False

    def start(self):
        self.due = self.timers.clock.now + self.interval
        self.alive = True
        self.timers.pending.append(self)

    def is_alive(self):
        return self.alive


class VirtualTimers:
    """Stands in for the `threading` module inside limits.storage.memory."""

    def __init__(self, clock):
        self.clock = clock
        self.pending = []

    def Timer(self, interval, function):  # noqa: N802 (mirrors threading.Timer)
        return VirtualTimer(self, interval, function)

    def advance_to(self, now):
        """Fires every timer due strictly before `now`, each at its own due time, then sets now."""
        for timer in [t for t in self.pending if now > t.due]:
            self.clock.now = timer.due
            timer.function()
            timer.alive = False
        self.pending = [t for t in self.pending if t.alive]
        self.clock.now = now

    def __getattr__(self, name):
        return getattr(threading, name)


def install_simulated_time(epoch):
    """Points the libraries' clock and timers at a fresh simulation starting at `epoch + 0`."""
    clock = SimulatedClock(float(epoch) + 0)
    timers = VirtualTimers(clock)
    limits.storage.memory.time = clock
    limits.storage.memory.threading = timers
    flask_limiter.extension.time = clock
    return timers


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------

def is_finite_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


REQUIRED = object()


def field(obj, name, expected, default, where):
    """obj[name] checked against `expected` (a predicate and its description), else `default`."""
    if name not in obj:
        if default is REQUIRED:
            raise ScenarioError(f"{where}: missing required field '{name}'")
        return default
    check, description = expected
    value = obj[name]
    if not check(value):
        raise ScenarioError(f"{where}.{name}: expected {description}, got {json.dumps(value)}")
    return value


BOOL = (lambda v: isinstance(v, bool), "true or false")
INT = (lambda v: isinstance(v, int) and not isinstance(v, bool), "an integer")
NUMBER = (is_finite_number, "a finite number")
STRING = (lambda v: isinstance(v, str), "a string")
OPTIONAL_STRING = (lambda v: v is None or isinstance(v, str), "a string or null")
STRING_LIST = (lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v), "a list of strings")
INT_LIST = (lambda v: isinstance(v, list) and all(INT[0](s) for s in v), "a list of integers")
LIST = (lambda v: isinstance(v, list), "a list")
STRING_MAP = (lambda v: isinstance(v, dict) and all(isinstance(s, str) for s in v.values()),
              "an object of strings")
STRATEGY = (lambda v: v in STRATEGIES, "one of " + ", ".join(STRATEGIES))


def checked_times(events, where):
    """Every event's `t`: a number >= 0, never decreasing."""
    times = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            raise ScenarioError(f"{where}[{index}]: expected an object")
        t = field(event, "t", NUMBER, REQUIRED, f"{where}[{index}]")
        if not t >= 0:
            raise ScenarioError(f"{where}[{index}].t: must be >= 0, got {t}")
        if times and t < times[-1]:
            raise ScenarioError(f"{where}[{index}].t: decreases from {times[-1]} to {t}")
        times.append(t)
    return times


# ---------------------------------------------------------------------------------------------
# Flask mode
# ---------------------------------------------------------------------------------------------

class ViewStatus:
    """The status the next request's view returns (each request says what its view answers)."""
    code = 200


class CallableCache:
    """One function object per spec: Flask-Limiter deduplicates equal LimitGroups, and equality
    compares these callables, so equal specs must give the identical function."""

    def __init__(self):
        self.key_functions = {"remote": get_remote_address}
        self.deduct_functions = {}

    def key_function(self, spec, where):
        if spec not in self.key_functions:
            self.key_functions[spec] = make_key_function(spec, where)
        return self.key_functions[spec]

    def deduct_when(self, statuses):
        statuses = tuple(statuses)
        if statuses not in self.deduct_functions:
            self.deduct_functions[statuses] = lambda response: response.status_code in statuses
        return self.deduct_functions[statuses]


def make_key_function(spec, where):
    kind, _, argument = spec.partition(":")
    if kind == "const":
        return lambda: argument
    if kind == "header":
        return lambda: flask.request.headers.get(argument, "")
    raise ScenarioError(f'{where}.key_func: expected "remote", "const:TEXT" or "header:NAME", got {json.dumps(spec)}')


def make_view(index, view_status):
    def view(**_url_values):
        return "ok", view_status.code

    view.__name__ = view.__qualname__ = f"view_{index}"
    return view


def limit_decorator(limiter, entry, route_override_defaults, callables, where):
    """The @limiter.limit / @limiter.shared_limit decorator one `routes[].limits` entry stands for."""
    if isinstance(entry, str):
        return limiter.limit(entry, override_defaults=route_override_defaults)
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: expected a rate string or an object")
    options = {
        "cost": field(entry, "cost", INT, 1, where),
        "override_defaults": field(entry, "override_defaults", BOOL, route_override_defaults, where),
        "per_method": field(entry, "per_method", BOOL, False, where),
        "methods": field(entry, "methods", STRING_LIST, None, where),
        "error_message": field(entry, "error_message", OPTIONAL_STRING, None, where),
        "key_func": callables.key_function(field(entry, "key_func", STRING, "remote", where), where),
    }
    statuses = field(entry, "deduct_when_status", INT_LIST, None, where)
    if statuses is not None:
        options["deduct_when"] = callables.deduct_when(statuses)
    limit = field(entry, "limit", STRING, REQUIRED, where)
    scope = field(entry, "shared_scope", STRING, None, where)
    if scope is not None:
        return limiter.shared_limit(limit, scope, **options)
    return limiter.limit(limit, **options)


def add_route(app, limiter, index, route, view_status, callables):
    where = f"routes[{index}]"
    if not isinstance(route, dict):
        raise ScenarioError(f"{where}: expected an object")
    path = field(route, "path", STRING, "/", where)
    methods = field(route, "methods", STRING_LIST, ["GET"], where)
    override_defaults = field(route, "override_defaults", BOOL, True, where)
    entries = field(route, "limits", LIST, [], where)
    view = make_view(index, view_status)
    # The last entry is the innermost decorator, so it is applied first.
    for position in reversed(range(len(entries))):
        decorator = limit_decorator(limiter, entries[position], override_defaults, callables,
                                    f"{where}.limits[{position}]")
        view = decorator(view)
    if field(route, "exempt", BOOL, False, where):
        view = limiter.exempt(view)
    app.add_url_rule(path, endpoint=path, view_func=view, methods=methods)


def build_app(scenario, view_status):
    app = flask.Flask(__name__)
    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=field(scenario, "default_limits", STRING_LIST, [], "scenario"),
        application_limits=field(scenario, "application_limits", STRING_LIST, [], "scenario"),
        default_limits_per_method=field(scenario, "default_limits_per_method", BOOL, False, "scenario"),
        default_limits_cost=field(scenario, "default_limits_cost", INT, 1, "scenario"),
        application_limits_cost=field(scenario, "application_limits_cost", INT, 1, "scenario"),
        headers_enabled=True,
        strategy=field(scenario, "strategy", STRATEGY, "fixed-window", "scenario"),
        storage_uri="memory://",
        fail_on_first_breach=field(scenario, "fail_on_first_breach", BOOL, True, "scenario"),
        retry_after=field(scenario, "retry_after", (lambda v: v in (None, "http-date"), 'null or "http-date"'),
                          None, "scenario"),
        key_prefix=field(scenario, "key_prefix", STRING, "", "scenario"),
    )
    handler = field(scenario, "error_handler", (lambda v: v in (None, "custom"), 'null or "custom"'), None, "scenario")
    if handler == "custom":
        app.register_error_handler(429, lambda e: (f"rate limited: {e.description}", 429))
    callables = CallableCache()
    for index, route in enumerate(field(scenario, "routes", LIST, REQUIRED, "scenario")):
        add_route(app, limiter, index, route, view_status, callables)
    return app


def checked_request(request, index):
    where = f"requests[{index}]"
    return {
        "key": field(request, "key", STRING, "127.0.0.1", where),
        "path": field(request, "path", STRING, "/", where),
        "method": field(request, "method", STRING, "GET", where),
        "headers": field(request, "headers", STRING_MAP, {}, where),
        "status": field(request, "status", INT, 200, where),
    }


def run_flask(scenario, epoch):
    requests = field(scenario, "requests", LIST, REQUIRED, "scenario")
    times = checked_times(requests, "requests")
    checked = [checked_request(request, index) for index, request in enumerate(requests)]
    timers = install_simulated_time(epoch)
    view_status = ViewStatus()
    client = build_app(scenario, view_status).test_client()
    results = []
    for request, t in zip(checked, times):
        timers.advance_to(float(epoch) + t)
        view_status.code = request["status"]
        response = client.open(request["path"], method=request["method"], headers=request["headers"],
                               environ_base={"REMOTE_ADDR": request["key"]})
        results.append({
            "t": t,
            "status": response.status_code,
            "headers": {name: response.headers[name] for name in RATE_LIMIT_HEADERS if name in response.headers},
            "body": response.get_data(as_text=True),
        })
    return results


# ---------------------------------------------------------------------------------------------
# Limits mode
# ---------------------------------------------------------------------------------------------

def checked_op(hit, index):
    where = f"hits[{index}]"
    return {
        "key": field(hit, "key", STRING, "127.0.0.1", where),
        "cost": field(hit, "cost", INT, 1, where),
        "op": field(hit, "op", (lambda v: v in ("hit", "test", "clear"), '"hit", "test" or "clear"'), "hit", where),
    }


def run_op(limiter, item, op):
    if op["op"] == "hit":
        return limiter.hit(item, op["key"], cost=op["cost"])
    if op["op"] == "test":
        return limiter.test(item, op["key"])
    limiter.clear(item, op["key"])
    return None


def run_limits(scenario, epoch):
    hits = field(scenario, "hits", LIST, REQUIRED, "scenario")
    times = checked_times(hits, "hits")
    ops = [checked_op(hit, index) for index, hit in enumerate(hits)]
    strategy = field(scenario, "strategy", STRATEGY, "fixed-window", "scenario")
    text = field(scenario, "limit", STRING, REQUIRED, "scenario")
    items = limits.parse_many(text)
    if len(items) != 1:
        raise ScenarioError(f"limit: expected exactly one rate limit, {json.dumps(text)} holds {len(items)}")
    item = items[0]
    timers = install_simulated_time(epoch)
    limiter = STRATEGIES[strategy](MemoryStorage())
    results = []
    for op, t in zip(ops, times):
        timers.advance_to(float(epoch) + t)
        allowed = run_op(limiter, item, op)
        reset, remaining = limiter.get_window_stats(item, op["key"])
        results.append({"allowed": allowed, "reset": int(reset), "remaining": remaining})
    return results


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def run_scenario(scenario):
    try:
        if not isinstance(scenario, dict):
            raise ScenarioError("a scenario must be a JSON object")
        epoch = field(scenario, "epoch", NUMBER, DEFAULT_EPOCH, "scenario")
        mode = field(scenario, "mode", (lambda v: v in ("flask", "limits"), '"flask" or "limits"'), "flask",
                     "scenario")
        run = run_flask if mode == "flask" else run_limits
        return {"epoch": epoch, "results": run(scenario, epoch)}
    except Exception as error:  # the library's own ValueError/ConfigurationError included
        return {"error": f"{type(error).__name__}: {error}"}


def silence_library_chatter():
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")


def main():
    silence_library_chatter()
    try:
        document = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        print(json.dumps({"error": f"invalid JSON input: {error}"}))
        return 2
    answers = [run_scenario(s) for s in document] if isinstance(document, list) else run_scenario(document)
    sys.stdout.reconfigure(encoding="utf-8")
    print(json.dumps(answers, ensure_ascii=False))
    rejected = any("error" in a for a in (answers if isinstance(answers, list) else [answers]))
    return 2 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
