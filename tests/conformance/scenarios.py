"""The conformance scenarios and rate strings, built deterministically.

Each Case names the behaviour it protects. Where flask-limiter-semantics.md documents the
outcome (the § in the name), `expect` encodes it, and the driver asserts that the real
Flask-Limiter reproduces it before comparing the simulator with the real library.
"""

import random
from dataclasses import dataclass, field

E = 1700000000  # the default epoch of scenario-format.md


@dataclass(frozen=True)
class Seen:
    """What one response must look like; unset fields are not checked."""
    headers: dict | None = None  # these rate-limit headers, with exactly these values
    no_headers: bool = False
    body: str | None = None
    body_has: str | None = None


@dataclass(frozen=True)
class Expect:
    """The documented outcome of a scenario."""
    statuses: list | None = None  # flask mode: every response's status
    responses: dict = field(default_factory=dict)  # flask mode: request index -> Seen
    allowed: list | None = None  # limits mode: every op's decision
    resets: list | None = None  # limits mode: every op's reset, as an offset from E
    remaining: list | None = None  # limits mode
    error: bool = False  # the scenario must be rejected


@dataclass(frozen=True)
class Case:
    name: str
    scenario: dict
    expect: Expect | None = None


def reset_at(offset):
    return str(E + offset)


def too_many(description):
    """Werkzeug's 429 page, byte-exact as in §3.7."""
    return ("<!doctype html>\n<html lang=en>\n<title>429 Too Many Requests</title>\n"
            f"<h1>Too Many Requests</h1>\n<p>{description}</p>\n")


def at(*times, **fields):
    return [{"t": t, **fields} for t in times]


def burst(count, t, **fields):
    return at(*([t] * count), **fields)


def route(path="/", *limits, **fields):
    return {"path": path, "limits": list(limits), **fields}


def flask_case(name, routes, requests, expect=None, **settings):
    return Case(name, {"routes": routes, "requests": requests, **settings}, expect)


def limits_case(name, strategy, limit, hits, expect=None):
    return Case(name, {"mode": "limits", "strategy": strategy, "limit": limit, "hits": hits}, expect)


# ---------------------------------------------------------------------------------------------
# Limits mode: the strategies and MemoryStorage alone (§2)
# ---------------------------------------------------------------------------------------------

def trace_cases():
    hits = at(0.5, 10, 20, 30, 60.5, 61, 80.5, 120.5, 121)
    Y, n = True, False
    return [
        limits_case("§2.6 3/minute trace: fixed window", "fixed-window", "3/minute", hits, Expect(
            allowed=[Y, Y, Y, n, Y, Y, Y, Y, Y],
            resets=[60, 60, 60, 60, 120, 120, 120, 180, 180],
            remaining=[2, 1, 0, 0, 2, 1, 0, 2, 1])),
        limits_case("§2.6 3/minute trace: elastic expiry", "fixed-window-elastic-expiry", "3/minute", hits, Expect(
            allowed=[Y, Y, Y, n, n, n, n, n, n],
            resets=[60, 70, 80, 90, 120, 121, 140, 180, 181],
            remaining=[2, 1, 0, 0, 0, 0, 0, 0, 0])),
        limits_case("§2.6 3/minute trace: moving window", "moving-window", "3/minute", hits, Expect(
            allowed=[Y, Y, Y, n, n, Y, Y, Y, n],
            resets=[60, 70, 80, 80, 80, 121, 140, 180, 180],
            remaining=[2, 1, 0, 0, 0, 0, 1, 0, 0])),
    ]


def strategy_cases():
    costs = [{"t": 0, "cost": 9}, {"t": 1, "cost": 5}, {"t": 2, "cost": 1}]
    return [
        limits_case("§2.2 fixed window: a rejected hit still adds its cost", "fixed-window", "10/minute", costs,
                    Expect(allowed=[True, False, False], remaining=[1, 0, 0], resets=[60, 60, 60])),
        limits_case("§2.4 moving window: a rejected hit consumes nothing", "moving-window", "10/minute", costs,
                    Expect(allowed=[True, False, True], remaining=[1, 1, 0])),
        limits_case("§2.2 fixed window: the boundary is exclusive", "fixed-window", "1/minute", at(0, 60),
                    Expect(allowed=[True, True], resets=[60, 120])),
        limits_case("§2.4 moving window: the boundary is inclusive", "moving-window", "1/minute", at(0, 60, 60.001),
                    Expect(allowed=[True, False, True])),
        limits_case("§2.4 moving window: a cost above the amount meets an entry exactly one window old too",
                    "moving-window", "2/minute", [{"t": 0, "cost": 1}, {"t": 60, "cost": 3}, {"t": 60.001, "cost": 3}],
                    Expect(allowed=[True, False, True])),
        limits_case("§2.4 moving window: reset is the newest entry + window", "moving-window", "3/minute",
                    at(0, 10.5, 20.9), Expect(resets=[60, 70, 80], remaining=[2, 1, 0])),
        limits_case("§2.3 elastic expiry: retrying inside the window locks out (2/minute)",
                    "fixed-window-elastic-expiry", "2/minute", at(0, 1, 2, 30, 60, 90, 120, 150, 211),
                    Expect(allowed=[True, True] + [False] * 6 + [True])),
        limits_case("§2.2 fixed window: cost > amount is always rejected", "fixed-window", "2/minute",
                    at(0, 100, cost=3), Expect(allowed=[False, False], remaining=[0, 0])),
        limits_case("§2.4 moving window: cost > amount, the sweep rejects the third hit (0, 100, 130)",
                    "moving-window", "2/minute", at(0, 100, 130, cost=3),
                    Expect(allowed=[True, True, False], remaining=[-1, -1, -1], resets=[60, 160, 160])),
        limits_case("§2.5 moving window: cost > amount before the sweep fired (0, 100, 100.005)",
                    "moving-window", "2/minute", at(0, 100, 100.005, cost=3),
                    Expect(allowed=[True, True, True])),
        limits_case("§2.4 moving window: cost > amount with the oldest entry in the window",
                    "moving-window", "2/minute", at(0, 30, cost=3), Expect(allowed=[True, False])),
        limits_case("§2.2 fixed window: 0/minute rejects everything", "fixed-window", "0/minute", at(0, 1),
                    Expect(allowed=[False, False], remaining=[0, 0])),
        limits_case("§2.4 moving window: 0/minute lets the first hit through", "moving-window", "0/minute",
                    at(0, 1), Expect(allowed=[True, False], remaining=[-1, -1])),
        limits_case("§2.2 a cost-0 hit creates the key; the next real hit sets the expiry again", "fixed-window",
                    "2/minute", [{"t": 0, "cost": 0}, {"t": 10}],
                    Expect(allowed=[True, True], resets=[60, 70], remaining=[2, 1])),
        limits_case("§2.2 test ignores cost and consumes nothing; clear empties the key", "fixed-window",
                    "2/minute", [{"t": 0}, {"t": 1, "op": "test"}, {"t": 2}, {"t": 3, "op": "test"},
                                 {"t": 4, "op": "clear"}, {"t": 5}],
                    Expect(allowed=[True, True, True, False, None, True], remaining=[1, 1, 0, 0, 2, 1],
                           resets=[60, 60, 60, 60, 4, 65])),
        limits_case("§2.4 moving window: test, clear and several keys", "moving-window", "2/minute",
                    [{"t": 0, "key": "a"}, {"t": 1, "key": "b"}, {"t": 2, "key": "a", "cost": 2},
                     {"t": 3, "key": "a", "op": "test"}, {"t": 4, "key": "a", "op": "clear"},
                     {"t": 5, "key": "a", "op": "test"}],
                    Expect(allowed=[True, True, False, True, None, True], resets=[60, 61, 60, 60, 64, 65])),
        limits_case("§1.5 a month is 30 days (fixed window)", "fixed-window", "1/month", at(0, 2591999.5, 2592000),
                    Expect(allowed=[True, False, True], resets=[2592000, 2592000, 5184000])),
        limits_case("§1.5 a year is 360 days (moving window, inclusive)", "moving-window", "1/year",
                    at(0, 31104000, 31104000.5), Expect(allowed=[True, False, True], resets=[31104000, 31104000,
                                                                                         31104000 + 31104000])),
        limits_case("§5 5/second: first hit at 0.1, a hit at 1.1 opens a new window", "fixed-window", "5/second",
                    at(0.1, 1.0, 1.0, 1.0, 1.0, 1.05, 1.1),
                    Expect(allowed=[True] * 5 + [False, True], remaining=[4, 3, 2, 1, 0, 0, 4])),
        limits_case("limits mode: a limit string holding two limits is rejected", "fixed-window",
                    "1/second;2/minute", at(0), Expect(error=True)),
        limits_case("limits mode: an unparsable limit string is rejected", "moving-window", "10/minits", at(0),
                    Expect(error=True)),
    ]


# ---------------------------------------------------------------------------------------------
# Flask mode: windows and headers
# ---------------------------------------------------------------------------------------------

BOUNDARY_BURST = at(0) + burst(9, 59.5) + burst(10, 60.0) + burst(2, 60.5)


def boundary_cases():
    statuses = {
        "fixed-window": [200] * 20 + [429] * 2,
        "moving-window": [200] * 10 + [429] * 10 + [200, 429],
        "fixed-window-elastic-expiry": [200] * 10 + [429] * 12,
    }
    return [flask_case(f"§4.1 boundary burst (1 at 0, 9 at 59.5, 10 at 60, 2 at 60.5): {strategy}",
                       [route("/", "10/minute")], BOUNDARY_BURST, Expect(statuses=expected), strategy=strategy)
            for strategy, expected in statuses.items()]


def window_cases():
    first_hit = {"X-RateLimit-Limit": "10", "X-RateLimit-Remaining": "9",
                 "X-RateLimit-Reset": reset_at(61), "Retry-After": "61"}
    return [
        flask_case("§3.6 first 200 of 10/minute at t=0: Reset E+61, Retry-After 61", [route("/", "10/minute")],
                   at(0), Expect(statuses=[200], responses={0: Seen(headers=first_hit, body="ok")})),
        flask_case("§3.6 first hit at t=0.5: Reset E+61, Retry-After 60", [route("/", "10/minute")], at(0.5),
                   Expect(responses={0: Seen(headers={"X-RateLimit-Reset": reset_at(61), "Retry-After": "60"})})),
        flask_case("§4.2 the window starts at the first request (7.25), not on the clock",
                   [route("/", "2/minute")], at(7.25, 8, 67.24, 67.25),
                   Expect(statuses=[200, 200, 429, 200], responses={
                       0: Seen(headers={"X-RateLimit-Reset": reset_at(68), "Retry-After": "60"}),
                       2: Seen(body=too_many("2 per 1 minute"))})),
        flask_case("§4.8 fixed window: at exactly start + window the counter is gone",
                   [route("/", "1/minute")], at(0, 60), Expect(statuses=[200, 200])),
        flask_case("§4.8 moving window: 0, 60, 60.001 give 200, 429, 200",
                   [route("/", "1/minute")], at(0, 60, 60.001), Expect(statuses=[200, 429, 200]),
                   strategy="moving-window"),
        flask_case("§3.6 moving window: Reset is newest entry + window + 1",
                   [route("/", "3/minute")], at(0, 10.5, 20.9),
                   Expect(responses={2: Seen(headers={"X-RateLimit-Reset": reset_at(81), "Retry-After": "60",
                                                      "X-RateLimit-Remaining": "0"})}),
                   strategy="moving-window"),
        flask_case("§2.3 elastic expiry lockout (2/minute) through Flask",
                   [route("/", "2/minute")], at(0, 1, 2, 30, 60, 90, 120, 150, 211),
                   Expect(statuses=[200, 200] + [429] * 6 + [200],
                          responses={7: Seen(headers={"X-RateLimit-Reset": reset_at(211), "Retry-After": "61"})}),
                   strategy="fixed-window-elastic-expiry"),
        flask_case("§5 5/second: first hit at 0.1, the hit at 1.1 opens a new window",
                   [route("/", "5/second")], at(0.1) + burst(4, 1.0) + at(1.05, 1.1),
                   Expect(statuses=[200] * 5 + [429, 200],
                          responses={6: Seen(headers={"X-RateLimit-Remaining": "4"})})),
        flask_case("§1.5 months are 30 days and years 360 days",
                   [route("/m", "1/month"), route("/y", "1/year")],
                   at(0, path="/m") + at(0, path="/y") + at(2591999.5, 2592000, path="/m"),
                   Expect(statuses=[200, 200, 429, 200], responses={
                       0: Seen(headers={"X-RateLimit-Reset": reset_at(2592001), "Retry-After": "2592001"}),
                       1: Seen(headers={"X-RateLimit-Reset": reset_at(31104001)})})),
        flask_case("§1.7 multiples: 250/7days and 1 per 2 hours",
                   [route("/week", "250/7days"), route("/two-hours", "1 per 2 hours")],
                   at(0, path="/week") + at(0, 7199.9, 7200, path="/two-hours"),
                   Expect(statuses=[200, 200, 429, 200], responses={
                       0: Seen(headers={"X-RateLimit-Limit": "250", "X-RateLimit-Reset": reset_at(604801)}),
                       2: Seen(body=too_many("1 per 2 hour"))})),
        flask_case("§3.6 retry_after http-date: the HTTP date of X-RateLimit-Reset",
                   [route("/", "10/minute")], at(0, 30.5),
                   Expect(responses={0: Seen(headers={"X-RateLimit-Reset": reset_at(61),
                                                      "Retry-After": "Tue, 14 Nov 2023 22:14:21 GMT"})}),
                   retry_after="http-date"),
        flask_case("§2.2 fixed window via Flask: cost > amount is always 429",
                   [route("/", {"limit": "2/minute", "cost": 3})], at(0, 100),
                   Expect(statuses=[429, 429])),
        flask_case("§2.4 moving window via Flask: cost 3 on 2/minute at 0, 100, 130; Remaining -1",
                   [route("/", {"limit": "2/minute", "cost": 3})], at(0, 100, 130),
                   Expect(statuses=[200, 200, 429], responses={0: Seen(headers={"X-RateLimit-Remaining": "-1"})}),
                   strategy="moving-window"),
        flask_case("§2.2 0/minute: every request is 429 under fixed window", [route("/", "0/minute")], at(0, 1),
                   Expect(statuses=[429, 429], responses={0: Seen(body=too_many("0 per 1 minute"))})),
        flask_case("§2.4 0/minute: the first request passes under moving window", [route("/", "0/minute")],
                   at(0, 1), Expect(statuses=[200, 429]), strategy="moving-window"),
    ]


def cost_cases():
    pool = [route(f"/cost-{cost}", {"limit": "10/minute", "cost": cost, "shared_scope": "pool"}) for cost in (9, 5, 1)]
    requests = at(0, path="/cost-9") + at(1, path="/cost-5") + at(2, path="/cost-1")
    return [
        flask_case("§4.7 fixed window: after a rejected cost-5 request a cost-1 request is rejected too",
                   pool, requests, Expect(statuses=[200, 429, 429])),
        flask_case("§4.7 moving window: the rejected cost-5 request is not logged",
                   pool, requests, Expect(statuses=[200, 429, 200]), strategy="moving-window"),
        flask_case("cost 0 on a decorator counts as 1 (LimitGroup uses `cost or 1`)",
                   [route("/", {"limit": "2/minute", "cost": 0})], at(0, 1, 2), Expect(statuses=[200, 200, 429])),
        flask_case("§3.4 default_limits_cost applies to the default limits",
                   [route("/")], at(0, 1), Expect(statuses=[200, 429], responses={
                       0: Seen(headers={"X-RateLimit-Remaining": "1"})}),
                   default_limits=["3/minute"], default_limits_cost=2),
        flask_case("§3.4 application_limits_cost applies to the application limits",
                   [route("/a"), route("/b")], at(0, path="/a") + at(1, path="/b") + at(2, path="/a"),
                   Expect(statuses=[200, 200, 429], responses={1: Seen(headers={"X-RateLimit-Remaining": "1"})}),
                   application_limits=["5/minute"], application_limits_cost=2),
    ]


# ---------------------------------------------------------------------------------------------
# Flask mode: which limits apply, in which order
# ---------------------------------------------------------------------------------------------

def order_cases():
    return [
        flask_case("§3.4 non-atomic minute/hour table (fixed window)", [route("/", "2/minute;3/hour")],
                   at(0, 1, 2, 61, 62, 63), Expect(statuses=[200, 200, 429, 200, 429, 429], responses={
                       2: Seen(body=too_many("2 per 1 minute")),
                       4: Seen(body=too_many("3 per 1 hour"), headers={"X-RateLimit-Limit": "3"}),
                       5: Seen(body=too_many("2 per 1 minute"), headers={"X-RateLimit-Limit": "2"})})),
        flask_case("§3.4 non-atomic minute/hour table (moving window charges earlier limits only)",
                   [route("/", "2/minute;3/hour")], at(0, 1, 2, 61, 62, 63),
                   Expect(statuses=[200, 200, 429, 200, 429, 429]), strategy="moving-window"),
        flask_case("§3.4 fail_on_first_breach=False: 429 text names the first breach, headers the last",
                   [route("/", "2/minute;3/hour")], at(0, 1, 2, 3),
                   Expect(statuses=[200, 200, 429, 429], responses={
                       2: Seen(headers={"X-RateLimit-Limit": "2"}),
                       3: Seen(body=too_many("2 per 1 minute"),
                               headers={"X-RateLimit-Limit": "3", "X-RateLimit-Reset": reset_at(3601)})}),
                   fail_on_first_breach=False),
        flask_case("§3.4 fail_on_first_breach=True: the same requests stop at the minute limit",
                   [route("/", "2/minute;3/hour")], at(0, 1, 2, 3),
                   Expect(responses={3: Seen(body=too_many("2 per 1 minute"), headers={"X-RateLimit-Limit": "2"})})),
        flask_case("§3.4 sort by unit, not window: 1/day, 10/2 minutes;20/minute, 5/90 seconds",
                   [route("/", "1/day", "10/2 minutes;20/minute", "5/90 seconds")], at(0, 1),
                   Expect(statuses=[200, 429], responses={
                       0: Seen(headers={"X-RateLimit-Limit": "5", "X-RateLimit-Remaining": "4"}),
                       1: Seen(body=too_many("1 per 1 day"), headers={"X-RateLimit-Limit": "1"})})),
        flask_case("§1.6 same unit keeps string order; 3/hour;2/minute is checked minute first",
                   [route("/a", "20/minute;10/2 minutes"), route("/b", "10/2 minutes;20/minute"),
                    route("/c", "3/hour;2/minute")],
                   at(0, path="/a") + at(0, path="/b") + at(0, path="/c"),
                   Expect(responses={0: Seen(headers={"X-RateLimit-Limit": "20"}),
                                     1: Seen(headers={"X-RateLimit-Limit": "10"}),
                                     2: Seen(headers={"X-RateLimit-Limit": "2"})})),
        flask_case("§3.4 the first breach in sorted order names the 429",
                   [route("/a", "1/2 minutes;1/minute"), route("/b", "1/minute;1/2 minutes"),
                    route("/c", "1/minute", "1/90 seconds")],
                   at(0, 1, path="/a") + at(2, 3, path="/b") + at(4, 5, path="/c"),
                   Expect(statuses=[200, 429] * 3, responses={1: Seen(body=too_many("1 per 2 minute")),
                                                               3: Seen(body=too_many("1 per 1 minute")),
                                                               5: Seen(body=too_many("1 per 90 second"))})),
        flask_case("§3.3 stacked decorators: checked once, bottom decorator first",
                   [route("/", "5/minute", "3/minute")], at(0), Expect(responses={
                       0: Seen(headers={"X-RateLimit-Limit": "3", "X-RateLimit-Remaining": "2"})})),
    ]


def scope_cases():
    return [
        flask_case("§4.4 default limits are per route", [route("/a"), route("/b")],
                   at(0, 1, 2, path="/a") + at(3, 4, 5, path="/b"),
                   Expect(statuses=[200, 200, 429, 200, 200, 429]), default_limits=["2/minute"]),
        flask_case("§4.4 application limits are one global bucket", [route("/a"), route("/b", "10/minute")],
                   at(0, path="/a") + at(1, path="/b") + at(2, path="/a") + at(3, path="/b"),
                   Expect(statuses=[200, 200, 200, 429], responses={
                       0: Seen(headers={"X-RateLimit-Limit": "3"}), 3: Seen(body=too_many("3 per 1 minute"))}),
                   application_limits=["3/minute"]),
        flask_case("§3.5 headers prefer the non-shared default over the application limit",
                   [route("/a"), route("/b")], at(0, 1, 2, path="/a") + at(3, path="/b"),
                   Expect(statuses=[200, 200, 429, 429], responses={
                       0: Seen(headers={"X-RateLimit-Limit": "2"}), 2: Seen(body=too_many("2 per 1 minute")),
                       3: Seen(body=too_many("3 per 1 minute"))}),
                   default_limits=["2/minute"], application_limits=["3/minute"]),
        flask_case("§3.3 a decorated route ignores the defaults", [route("/", "4/minute")], at(0),
                   Expect(responses={0: Seen(headers={"X-RateLimit-Remaining": "3"})}), default_limits=["4/minute"]),
        flask_case("§3.2 override_defaults=False: default 4/minute + decorated 4/minute count 2 per request",
                   [route("/", {"limit": "4/minute", "override_defaults": False})], at(0, 1, 2),
                   Expect(statuses=[200, 200, 429], responses={0: Seen(headers={"X-RateLimit-Remaining": "2"}),
                                                               1: Seen(headers={"X-RateLimit-Remaining": "0"})}),
                   default_limits=["4/minute"]),
        flask_case("§3.3 route-level override_defaults=false applies to its string limits",
                   [route("/", "4/minute", override_defaults=False)], at(0),
                   Expect(responses={0: Seen(headers={"X-RateLimit-Remaining": "2"})}), default_limits=["4/minute"]),
        flask_case("§4.11 exempt beats the route's own limit, defaults and application limits",
                   [route("/free", "1/minute", exempt=True), route("/other")],
                   at(0, 1, 2, path="/free") + at(3, 4, path="/other"),
                   Expect(statuses=[200, 200, 200, 200, 429],
                          responses={i: Seen(no_headers=True) for i in range(3)}),
                   default_limits=["1/minute"], application_limits=["5/minute"]),
        flask_case("§4.11 an invalid decorated limit falls back to the defaults",
                   [route("/", "10/minits")], at(0, 1),
                   Expect(statuses=[200, 429], responses={1: Seen(body=too_many("1 per 1 minute"))}),
                   default_limits=["1/minute"]),
        flask_case("§3.3 @limiter.limit(\"\") falls back to the defaults", [route("/", "")], at(0, 1),
                   Expect(statuses=[200, 429]), default_limits=["1/minute"]),
        flask_case("§4.11 an invalid default limit: 500 on undecorated and override_defaults=False routes",
                   [route("/plain"), route("/deco", "5/minute"),
                    route("/combo", {"limit": "5/minute", "override_defaults": False}),
                    route("/free", exempt=True)],
                   at(0, path="/plain") + at(1, path="/deco") + at(2, path="/combo") + at(3, path="/free"),
                   Expect(statuses=[500, 200, 500, 200], responses={
                       0: Seen(body_has="500 Internal Server Error", no_headers=True),
                       1: Seen(headers={"X-RateLimit-Limit": "5"})}),
                   default_limits=["10/minits"]),
        flask_case("§3.3 an invalid application limit: every route answers 500",
                   [route("/plain"), route("/deco", "5/minute")],
                   at(0, path="/plain") + at(1, path="/deco") + at(2, path="/missing"),
                   Expect(statuses=[500, 500, 404]), application_limits=["1/fortnight"]),
        flask_case("§3.3 404 and 405 evaluate no limits and carry no headers", [route("/")],
                   at(0, path="/nope") + at(1, method="POST") + at(2, 3),
                   Expect(statuses=[404, 405, 200, 429], responses={
                       0: Seen(no_headers=True), 1: Seen(no_headers=True),
                       2: Seen(headers={"X-RateLimit-Remaining": "0"})}),
                   default_limits=["1/minute"], application_limits=["1/minute"]),
        flask_case("§3.2 shared_limit: one counter across routes; a plain limit has its own",
                   [route("/a", {"limit": "2/minute", "shared_scope": "grp"}),
                    route("/b", {"limit": "2/minute", "shared_scope": "grp"}), route("/c", "2/minute")],
                   at(0, path="/a") + at(1, path="/b") + at(2, path="/a") + at(3, path="/c"),
                   Expect(statuses=[200, 200, 429, 200], responses={1: Seen(headers={"X-RateLimit-Remaining": "0"})})),
        flask_case("§3.2 key_prefix changes only the storage keys", [route("/", "1/minute")], at(0, 1),
                   Expect(statuses=[200, 429]), key_prefix="myapp"),
        flask_case("an empty client address is 127.0.0.1 (get_remote_address falls back)", [route("/", "2/minute")],
                   at(0, key="") + at(1, key="127.0.0.1") + at(2), Expect(statuses=[200, 200, 429])),
        flask_case("§3.2 several clients have independent counters", [route("/", "2/minute")],
                   at(0, 1, key="1.1.1.1") + at(2, key="2.2.2.2") + at(3, key="1.1.1.1") + at(4, 5, key="2.2.2.2"),
                   Expect(statuses=[200, 200, 200, 429, 200, 429])),
    ]


def filter_cases():
    return [
        flask_case("§4.12 an empty key skips the limit: const key with empty text",
                   [route("/", {"limit": "1/minute", "key_func": "const:"}, "3/minute")], at(0, 1, 2, 3),
                   Expect(statuses=[200, 200, 200, 429], responses={3: Seen(body=too_many("3 per 1 minute"))})),
        flask_case("§4.12 an empty key skips the limit: missing header; header names are case-insensitive",
                   [route("/", {"limit": "1/minute", "key_func": "header:X-Api-Key"})],
                   at(0, 1) + at(2, headers={"X-Api-Key": "k1"}) + at(3, headers={"x-api-key": "k1"})
                   + at(4, headers={"X-Api-Key": "k2"}),
                   Expect(statuses=[200, 200, 200, 429, 200],
                          responses={0: Seen(no_headers=True), 1: Seen(no_headers=True)})),
        flask_case("const key function: every client shares one counter",
                   [route("/", {"limit": "2/minute", "key_func": "const:team"})],
                   at(0, key="1.1.1.1") + at(1, key="2.2.2.2") + at(2, key="3.3.3.3"),
                   Expect(statuses=[200, 200, 429])),
        flask_case("§3.2 per_method: each method has its own counter",
                   [route("/pm", {"limit": "1/minute", "per_method": True}, methods=["GET", "POST"]),
                    route("/one", "1/minute", methods=["GET", "POST"])],
                   at(0, path="/pm", method="GET") + at(1, path="/pm", method="POST")
                   + at(2, path="/pm", method="GET") + at(3, path="/pm", method="POST")
                   + at(4, path="/one", method="GET") + at(5, path="/one", method="POST"),
                   Expect(statuses=[200, 200, 429, 429, 200, 429])),
        flask_case("§3.5 methods filter: app limit counts GETs but the 200s carry no headers",
                   [route("/", {"limit": "1/minute", "methods": ["POST"]}, methods=["GET", "POST"])],
                   at(0, method="GET") + at(1, method="POST") + at(2, 3, method="GET"),
                   Expect(statuses=[200, 200, 200, 429], responses={
                       0: Seen(no_headers=True), 1: Seen(headers={"X-RateLimit-Limit": "1"}), 2: Seen(no_headers=True),
                       3: Seen(body=too_many("3 per 1 minute"), headers={"X-RateLimit-Limit": "3"})}),
                   application_limits=["3/minute"]),
        flask_case("§3.3 every decorated limit excluded by methods: the defaults apply in the wrapper",
                   [route("/", {"limit": "1/minute", "methods": ["POST"]}, methods=["GET", "POST"])],
                   at(0, 1, 2, method="GET"), Expect(statuses=[200, 200, 429]), default_limits=["2/minute"]),
        flask_case("§3.4 deduct_when: only matching statuses are charged; Retry-After can be 0",
                   [route("/", {"limit": "2/minute", "deduct_when_status": [500]})],
                   at(0, status=200) + at(1, 2, status=500) + at(3, 63.5, status=200),
                   Expect(statuses=[200, 500, 500, 429, 200], responses={
                       0: Seen(headers={"X-RateLimit-Remaining": "2", "X-RateLimit-Reset": reset_at(1),
                                        "Retry-After": "1"}),
                       1: Seen(headers={"X-RateLimit-Remaining": "1"}, body="ok"),
                       4: Seen(headers={"X-RateLimit-Remaining": "2", "X-RateLimit-Reset": reset_at(64),
                                        "Retry-After": "0"})})),
        flask_case("deduct_when charges the decorator's cost after the response",
                   [route("/", {"limit": "10/minute", "cost": 3, "deduct_when_status": [200]})], at(0, 1, 2, 3, 4),
                   Expect(statuses=[200, 200, 200, 200, 429], responses={
                       0: Seen(headers={"X-RateLimit-Remaining": "7"}), 2: Seen(headers={"X-RateLimit-Remaining": "1"})})),
        flask_case("§3.2 default_limits_per_method", [route("/", methods=["GET", "POST"])],
                   at(0, method="GET") + at(1, method="POST") + at(2, method="GET"),
                   Expect(statuses=[200, 200, 429]), default_limits=["1/minute"], default_limits_per_method=True),
        flask_case("duplicate identical decorators and limits are deduplicated (callables cached)",
                   [route("/twice", "1/minute", "1/minute"), route("/joined", "2/minute;2/minute"),
                    route("/const", *[{"limit": "1/minute", "key_func": "const:team"}] * 2),
                    route("/deduct", *[{"limit": "1/minute", "deduct_when_status": [200]}] * 2)],
                   at(0, 1, path="/twice") + at(2, 3, path="/joined") + at(4, 5, path="/const")
                   + at(6, 7, path="/deduct"),
                   Expect(statuses=[200, 429] * 4, responses={0: Seen(headers={"X-RateLimit-Remaining": "0"}),
                                                               2: Seen(headers={"X-RateLimit-Remaining": "0"})})),
    ]


def duplicate_group_cases():
    return [
        flask_case("equal default limits are deduplicated (one OrderedSet)", [route("/")], at(0, 1, 2),
                   Expect(statuses=[200, 200, 429], responses={0: Seen(headers={"X-RateLimit-Remaining": "1"})}),
                   default_limits=["2/minute", "2/minute"]),
        flask_case("equal application limits are deduplicated, even within one string", [route("/")], at(0, 1, 2),
                   Expect(statuses=[200, 200, 429], responses={0: Seen(headers={"X-RateLimit-Remaining": "1"})}),
                   application_limits=["2/minute;2/minute", "2/minute"]),
    ]


def response_cases():
    return [
        flask_case("§3.7 error_message is HTML-escaped in the 429 page",
                   [route("/", {"limit": "1/minute", "error_message": "Slow down <please> & \"don't\""})], at(0, 1),
                   Expect(statuses=[200, 429], responses={1: Seen(body_has="Slow down &lt;please&gt;")})),
        flask_case("§3.7 custom 429 handler: plain text, headers still added",
                   [route("/", "1/minute"), route("/msg", {"limit": "1/minute", "error_message": "Slow <down>"})],
                   at(0, 1) + at(2, 3, path="/msg"),
                   Expect(statuses=[200, 429, 200, 429], responses={
                       1: Seen(body="rate limited: 1 per 1 minute",
                               headers={"X-RateLimit-Limit": "1", "X-RateLimit-Remaining": "0"}),
                       3: Seen(body="rate limited: Slow <down>")}),
                   error_handler="custom"),
        flask_case("§3.6 a view's own non-200 statuses (201, 404, 500) get headers",
                   [route("/", "3/minute")], at(0, status=201) + at(1, status=404) + at(2, status=500) + at(3),
                   Expect(statuses=[201, 404, 500, 429], responses={
                       2: Seen(body="ok", headers={"X-RateLimit-Remaining": "0"})})),
        flask_case("HEAD runs the view with an empty body; OPTIONS never reaches the view",
                   [route("/deco", "2/minute"), route("/plain"),
                    route("/get-only", {"limit": "1/minute", "methods": ["GET"]})],
                   at(0, path="/deco", method="HEAD") + at(1, path="/deco", method="OPTIONS")
                   + at(2, path="/deco", method="HEAD") + at(3, path="/deco")
                   + at(4, 5, path="/plain", method="OPTIONS") + at(6, path="/plain", method="HEAD")
                   + at(7, 8, 9, path="/get-only", method="HEAD"),
                   Expect(responses={0: Seen(body="", headers={"X-RateLimit-Remaining": "1"}),
                                     1: Seen(body="", no_headers=True)}),
                   default_limits=["2/minute"]),
    ]


def werkzeug_cases():
    """Flask/Werkzeug behaviour the documents do not spell out, recorded from the real stack."""
    return [
        flask_case("Werkzeug: a route with a trailing slash redirects the bare path (308)",
                   [route("/a/", "1/minute")], at(0, path="/a") + at(1, 2, path="/a/"),
                   Expect(statuses=[308, 200, 429], responses={0: Seen(no_headers=True)})),
        flask_case("Werkzeug: methods are case-insensitive, but only an upper-case HEAD drops the body",
                   [route("/", {"limit": "1/minute", "per_method": True}, {"limit": "5/minute", "methods": ["POST"]},
                          methods=["GET", "POST"])],
                   at(0, method="get") + at(1, method="GET") + at(2, method="post") + at(3, method="Post")
                   + at(4, method="PUT") + at(5, method="head") + at(6, method="HEAD"),
                   Expect(statuses=[200, 429, 200, 429, 405, 200, 429],
                          responses={5: Seen(body="ok"), 6: Seen(body="")})),
        flask_case("Werkzeug: HEAD is allowed only where GET is, so a POST-only route answers it 405",
                   [route("/", "1/minute", methods=["POST"])], at(0, 1, method="HEAD"),
                   Expect(statuses=[405, 405], responses={0: Seen(no_headers=True), 1: Seen(no_headers=True)})),
        flask_case("a 500 raised in the wrapper still carries the application limit's headers",
                   [route("/plain"), route("/combo", {"limit": "5/minute", "override_defaults": False})],
                   at(0, path="/plain") + at(1, path="/combo") + at(2, path="/combo", method="OPTIONS"),
                   Expect(statuses=[500, 500, 200], responses={
                       0: Seen(no_headers=True), 1: Seen(headers={"X-RateLimit-Limit": "5",
                                                                  "X-RateLimit-Remaining": "4"})}),
                   default_limits=["10/minits"], application_limits=["5/minute"]),
    ]


# ---------------------------------------------------------------------------------------------
# Seeded random scenarios, for breadth
# ---------------------------------------------------------------------------------------------

RANDOM_RULES = ["1/second", "3/second", "5/10 seconds", "2/minute", "10/minute", "3/hour;2/minute",
                "4/minute;1/second", "1 per 2 minutes", "100/day", "5/90 seconds", "10/minits", ""]
# Mostly short gaps (bursts, the 10 ms sweep delay on both sides), sometimes a window edge.
SHORT_GAPS = [0, 0, 0.004, 0.01, 0.011, 0.25, 0.5, 1, 1.5]
LONG_GAPS = [7.3, 29.999, 30, 59.999, 60, 61]


def random_limit_entry(rng):
    rule = rng.choice(RANDOM_RULES)
    if rng.random() < 0.4:
        return rule
    entry = {"limit": rule, "cost": rng.choice([1, 1, 1, 2, 3])}
    options = {
        "override_defaults": lambda: rng.random() < 0.5,
        "per_method": lambda: True,
        "methods": lambda: rng.choice([["GET"], ["POST"], ["get", "post"]]),
        "key_func": lambda: rng.choice(["remote", "const:team", "const:", "header:X-Api-Key"]),
        "deduct_when_status": lambda: rng.choice([[200], [500], [200, 500]]),
        "shared_scope": lambda: rng.choice(["grp", "other"]),
        "error_message": lambda: rng.choice(["<b>slow</b>", "wait & see"]),
    }
    for name in sorted(rng.sample(sorted(options), rng.randint(0, 3))):
        entry[name] = options[name]()
    return entry


def random_request(rng, t, paths):
    request = {"t": t, "key": rng.choice(["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
               "path": "/missing" if rng.random() < 0.03 else rng.choice(paths),
               "method": rng.choice(["GET", "GET", "POST", "HEAD"]),
               "status": 500 if rng.random() < 0.15 else 200}
    if rng.random() < 0.5:
        request["headers"] = {"X-Api-Key": rng.choice(["k1", "k2"])}
    return request


def random_scenario(rng, strategy):
    paths = [f"/r{i}" for i in range(rng.randint(1, 3))]
    routes = [route(path, *[random_limit_entry(rng) for _ in range(rng.randint(0, 3))],
                    methods=["GET", "POST"], exempt=rng.random() < 0.1) for path in paths]
    requests, t = [], 0
    for _ in range(rng.randint(40, 80)):
        t = round(t + rng.choice(SHORT_GAPS if rng.random() < 0.8 else LONG_GAPS), 3)
        requests.append(random_request(rng, t, paths))
    settings = {"strategy": strategy, "fail_on_first_breach": rng.random() < 0.7,
                "default_limits": rng.choice([[], ["3/minute"], ["2/10 seconds", "20/hour"]]),
                "application_limits": rng.choice([[], [], ["15/minute"]])}
    return routes, requests, settings


def random_cases():
    strategies = ["fixed-window", "fixed-window-elastic-expiry", "moving-window"]
    cases = []
    for seed in range(9):
        rng = random.Random(seed)
        routes, requests, settings = random_scenario(rng, strategies[seed % 3])
        cases.append(flask_case(f"random mix, seed {seed} ({strategies[seed % 3]})", routes, requests, **settings))
    return cases


# ---------------------------------------------------------------------------------------------

def all_cases():
    groups = [trace_cases, strategy_cases, boundary_cases, window_cases, cost_cases, order_cases, scope_cases,
              filter_cases, duplicate_group_cases, response_cases, werkzeug_cases, random_cases]
    cases = [case for group in groups for case in group()]
    cases.append(flask_case("input: decreasing t is rejected", [route("/")], at(5, 4), Expect(error=True)))
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "scenario names must be unique"
    return cases


def parsed(*items):
    return [tuple(item) for item in items]


MINUTE_10 = parsed((10, 1, "minute"))
TEN_MINUTE_FIVE_SECOND = parsed((10, 1, "minute"), (5, 1, "second"))
NOT_PARSED = "couldn't parse rate limit string"

# Parser conformance. Every row of §1.7 (and the §1.2/§1.3 examples) with its documented result:
# a list of (amount, multiples, unit), or the start of the ValueError message.
DOCUMENTED_PARSES = {
    "10/minute": MINUTE_10, "10 per minute": MINUTE_10, "10 PER MINUTE": MINUTE_10, "10/Minutes": MINUTE_10,
    "10perminute": MINUTE_10, "1 per 2 hours": parsed((1, 2, "hour")), "250/7days": parsed((250, 7, "day")),
    "250/7 days": parsed((250, 7, "day")), "10/22minute": parsed((10, 22, "minute")),
    "1/ 07 days": parsed((1, 7, "day")), "010/minute": MINUTE_10, "  10 / minute  ": MINUTE_10,
    "\n10/minute": MINUTE_10, "10/minute\n": MINUTE_10, "10\t/\tminute": MINUTE_10,
    "10/minute;5/second": TEN_MINUTE_FIVE_SECOND, "10/minute,5/second": TEN_MINUTE_FIVE_SECOND,
    "10/minute|5/second": TEN_MINUTE_FIVE_SECOND, "10/minute ; 5/second": TEN_MINUTE_FIVE_SECOND,
    "10/minute:,5/second": TEN_MINUTE_FIVE_SECOND,
    "2/day;1/month;3/year": parsed((2, 1, "day"), (1, 1, "month"), (3, 1, "year")),
    "1/second;2/second": parsed((1, 1, "second"), (2, 1, "second")), "0/second": parsed((0, 1, "second")),
    "1/0 second": parsed((1, 1, "second")), "1/00 second": parsed((1, 1, "second")),
    "0/0 seconds": parsed((0, 1, "second")),
    "99999999999999999999/second": parsed((99999999999999999999, 1, "second")),
    "1/hourſ": parsed((1, 1, "hour")), "1 PeR 2 HoUrS": parsed((1, 2, "hour")),
    "1/minuteS": parsed((1, 1, "minute")), "10\u00a0per\u00a0minute": MINUTE_10,
    "10\u3000/\u3000minute": MINUTE_10, "10\u2028/minute": MINUTE_10, "\x1c10/minute\x1f": MINUTE_10,
    **{text: NOT_PARSED for text in [
        "", " ", "10", "10 per", "10/", "/minute", "per minute", "10/min", "10/sec", "10/hr", "10/mins",
        "1/week", "1/fortnight", "-1/minute", "+1/minute", "1.5/minute", "1/1.5 minute", "1e3/minute",
        "ten/minute", "10/minute;", "10/minute,", "10/day|", ";10/minute", "10/minute;;5/second",
        "10/minute,,", "10/minute 5/second", "10/minute::,5/second", "1/second:", "10/minute:5/second",
        "10 / 2 / minute", "1/2/second", "10 per 2 per minute", "10/2 2 minute", "10 per per minute",
        "10/secondss", "10/second s", "10/minutes s", "10 pe r minute", "\u0661\u0660/second",
        "10/\u0661 minute", "\uff11\uff10/minute", "10\u200b/minute"]},
    "1/\u017fecond": "no granularity matched for \u017fecond",
    "1/m\u0131nute": "no granularity matched for m\u0131nute",
    "1/M\u0130NUTE": "no granularity matched for M\u0130NUTE",
    "1" * 4301 + "/second": "Exceeds the limit (4300 digits) for integer string conversion",
}

# More strings, compared with limits.parse_many without a documented expectation.
MORE_RATE_STRINGS = [
    "5/seconds", "3/days", "2/months", "1/years", "1/hour", "1/day", "1/month", "1/year", "7/second",
    "1per1second", "10 /minute", "10/ minute", "10/minute:;5/second", "10/minute:|5/second",
    "1/second;2/minute;3/hour;4/day;5/month;6/year", "10/minute\r\n", "\v10/minute\f",
    "9007199254740991/second", "1/9007199254740991 seconds", "0009/0002 minutes", "5/1minute",
    "1 per 1 second", "10 per minute ; 20 per hour", "10 PERminute", "10Perminute",
    # above 2^53 - 1: valid in Python, a deliberate error in the port
    "9007199254740992/second", "1/9007199254740992 second", "18446744073709551616/second",
    "1/" + "9" * 30 + " days",
    # invalid
    "10/minits", "10/minute\u200b", "1/ seconds s", "1 / -2 minutes", "10/minute;;", "10/minute;\t",
    "1/second,,2/second", "10/2minute:", "10/minute ,", "a/minute", "10/a minute", "10 permin",
    "10 / m i n u t e", "10//minute", "10/minute/", "1/hour:;", "1/" + "1" * 16 + "x",
    "1/" + "1" * 4301 + " seconds",
]

RATE_STRINGS = list(DOCUMENTED_PARSES) + MORE_RATE_STRINGS
