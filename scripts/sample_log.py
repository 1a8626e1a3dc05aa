#!/usr/bin/env python3
"""Writes a deterministic combined-format access log: the site's sample (web/samples/access.log).

    python3 scripts/sample_log.py > web/samples/access.log
    python3 scripts/sample_log.py --lines 1000000 > /tmp/big.log   # for benchmarks

Fifteen minutes of traffic: a dozen ordinary visitors at a few requests a minute each, a
scraper at about 1.5 per second throughout (the aggressive offender), and a burst of about 300
requests in 20 seconds from a client that retries in a loop. Lines from two workers come a
little out of order, as real logs do. --lines scales the same mix to that many lines.
"""
import argparse
import random
import sys
from datetime import datetime, timedelta, timezone

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone(timedelta(hours=2)))
# Each path with the size of its response: a server sends the same bytes for the same resource,
# which also keeps the shipped sample small once gzipped.
PATHS = {"/": 3797, "/login": 2565, "/api/items": 5120, "/api/items/42": 812, "/static/app.js": 48213,
         "/search?q=limits": 7772}
NOT_FOUND_BYTES = 153
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0", "Mozilla/5.0 (iPhone) Safari/605.1",
          "curl/8.5.0", "python-requests/2.31"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=3000)
    lines = parser.parse_args().lines
    rng = random.Random(5)
    span = 900 * max(1, lines / 3000)
    events = []
    visitors = [(f"203.0.113.{i}", rng.choice(AGENTS[:2])) for i in range(10, 22)]  # one browser each
    share = {"visitor": 0.45, "scraper": 0.45, "burst": 0.10}
    for _ in range(int(lines * share["visitor"])):
        events.append((rng.uniform(0, span), *rng.choice(visitors)))
    for _ in range(int(lines * share["scraper"])):
        events.append((rng.uniform(0, span), "198.51.100.66", AGENTS[3]))
    burst_at = span * 0.6
    while len(events) < lines:
        events.append((burst_at + rng.uniform(0, 20), "192.0.2.7", AGENTS[2]))
    events.sort()
    out = sys.stdout
    for i, (t, client, agent) in enumerate(events):
        # two workers: each line is logged up to 0.3 s late
        logged = START + timedelta(seconds=t + rng.uniform(0, 0.3) * (i % 2))
        path = rng.choice(list(PATHS))
        status, size = (200, PATHS[path]) if rng.random() > 0.05 else (404, NOT_FOUND_BYTES)
        out.write(f'{client} - - [{logged.strftime("%d/%b/%Y:%H:%M:%S %z")}] '
                  f'"GET {path} HTTP/1.1" {status} {size} "-" "{agent}"\n')


if __name__ == "__main__":
    main()
