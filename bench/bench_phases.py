#!/usr/bin/env python3
"""Where the time of one `check` goes, stage by stage (no profiler, so the figures are real).

    python bench/bench_phases.py bench/out/repo-100000      # after bench/bench_check.py generated it

Prints imports, inventory (git listing, entries, index, LFS pass), repository config,
detector imports, the shared card parse, each detector, policy and JSON rendering.
"""

from __future__ import annotations

import sys
import time


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    marks = [("start", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    from openness_gate import detectors, policy
    from openness_gate.report import json_report
    from openness_gate.result import InventorySummary, Result
    from openness_gate.sources import local

    mark("imports")
    inventory = local.load(sys.argv[1])
    mark("inventory")
    config = policy.repo_config(inventory)
    mark("config")
    registered = detectors.registered()
    mark("detector imports")
    ctx = detectors.Context(inventory, config)
    ctx.index
    ctx.model_card
    mark("index + cards")
    per_detector = []
    findings = []
    for reg in registered:
        t = time.perf_counter()
        findings.extend(reg.fn(ctx))
        per_detector.append((time.perf_counter() - t, reg.name))
    mark("detectors")
    merged = detectors.run(inventory, config)
    verdict = policy.evaluate(merged, None, config, inventory)
    mark("policy (+ a second detector run)")
    json_report.render(Result(inventory.target, tuple(merged), verdict, InventorySummary(len(inventory), 0, ())))
    mark("json")
    for (_, t0), (name, t1) in zip(marks, marks[1:]):
        print(f"{name:<34}{t1 - t0:7.3f} s")
    print("slowest detectors:")
    for dt, name in sorted(per_detector, reverse=True)[:6]:
        print(f"  {dt:7.3f} s  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
