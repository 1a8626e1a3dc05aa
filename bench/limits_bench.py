#!/usr/bin/python3
"""ns per decision of Python `limits` 2.8.0 (Debian's, the engine under Flask-Limiter 3.3) for its
three strategies, on the shared workloads of bench/workload.hpp, with the storage's clock and
expiry timer on simulated time (the conformance oracle's, tests/conformance/reference.py).
The simulated clock's own cost is measured alone and subtracted. Prints tab-separated lines:
    limits <strategy> <workload> <ns per decision> <admitted>
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "conformance"))

from limits import parse  # noqa: E402
from limits.storage import MemoryStorage  # noqa: E402
from limits.strategies import STRATEGIES  # noqa: E402
from reference import install_simulated_time  # noqa: E402

RULE = "10/second"
EPOCH = 1700000000
# BENCH_QUICK (scripts/test.sh's smoke run): 1% of the requests, one round, only to show that
# every benchmark still runs; its figures mean nothing.
QUICK = bool(os.environ.get("BENCH_QUICK"))
COUNT = 1000 if QUICK else 100000
ROUNDS = 1 if QUICK else 3


def workload(name, clients, interval, count):
    state, ids = 12345, []
    for _ in range(count):
        state = (state * 1664525 + 1013904223) & 0xFFFFFFFF
        ids.append(0 if clients == 1 else state % clients)
    keys = [f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}" for i in range(clients)]
    return name, [keys[i] for i in ids], [EPOCH + i * interval for i in range(count)]


def run(strategy, keys, times):
    """Seconds for the whole workload, and how many passed; None as strategy runs the clock alone."""
    timers = install_simulated_time(EPOCH)
    limiter = STRATEGIES[strategy](MemoryStorage()) if strategy else None
    item = parse(RULE)
    admitted = 0
    start = time.perf_counter()
    for key, now in zip(keys, times):
        timers.advance_to(now)
        if limiter and limiter.hit(item, key):
            admitted += 1
    return time.perf_counter() - start, admitted


def main():
    for name, keys, times in (workload("1 key", 1, 0.01, COUNT), workload("10k keys", 10000, 0.00001, COUNT)):
        clock = min(run(None, keys, times)[0] for _ in range(ROUNDS))
        for strategy in ("fixed-window", "fixed-window-elastic-expiry", "moving-window"):
            results = [run(strategy, keys, times) for _ in range(ROUNDS)]
            seconds = min(r[0] for r in results) - clock
            print(f"limits\t{strategy}\t{name}\t{seconds * 1e9 / COUNT:.2f}\t{results[0][1]}", flush=True)


if __name__ == "__main__":
    main()
