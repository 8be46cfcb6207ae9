#!/usr/bin/env python3
"""Benchmark the organisation scan against the loopback fake GitHub (not a test).

    python bench/bench_org.py [--repos 1000] [--concurrency 8]

Builds an organisation of small model repositories (a quarter of them failing the policy),
scans it twice with a cache in between, and reports wall time and API calls per repository
for the first (cold) and second (nothing changed) scan.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

from fake_github_org import FakeOrg  # noqa: E402
from test_org import _org_of, client  # noqa: E402

from openness_gate.github import org  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repos", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    fake = FakeOrg()
    fake.start()
    _org_of(fake, args.repos)
    gh = client(fake)
    with tempfile.TemporaryDirectory() as tmp:
        options = org.ScanOptions(policy="minimal", concurrency=args.concurrency,
                                  cache_path=os.path.join(tmp, "cache.json"))
        print(f"{'scan':<10} {'repos':>6} {'wall (s)':>9} {'calls':>7} {'calls/repo':>11} {'failed':>7}")
        for label in ("cold", "unchanged"):
            before, start = len(fake.log), time.perf_counter()
            report, cache = org.scan(gh, "octo-org", options)
            cache.save()
            wall, calls = time.perf_counter() - start, len(fake.log) - before
            t = report.totals()
            print(f"{label:<10} {t['repositories']:>6} {wall:>9.2f} {calls:>7} {calls / max(1, len(report.rows)):>11.2f}"
                  f" {t['failed']:>7}")
    fake.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
