#!/usr/bin/env python3
"""Two source trees of openness-gate timed against each other, alternating, on the same repositories.

    python bench/ab_trees.py A_TREE B_TREE REPO [REPO ...] [--runs 7] [--python VENV/bin/python]

A tree is a folder holding ``openness_gate/`` and ``policies/`` (``git archive REV openness_gate
policies | tar -x -C DIR``; this clone is one too). Each run is ``python -m openness_gate check REPO
--format json`` with ``PYTHONPATH=TREE``, from an empty folder (``-m`` puts the working folder first
on sys.path: a run from a clone would time the clone). Runs alternate A, B, A, B… so that the
machine's drift (±30 % over minutes here) falls on both; one unmeasured pair warms the caches.

Before timing, both trees must give the same exit code and the same report on each repository
(``checked_at`` aside), or the comparison stops: a tree that fails early (no ``policies/``: exit 2
after the listing) is otherwise "faster", which is how two A/Bs went wrong before this script.
Prints, per repository, median wall and CPU (children's user + system) of each side and B/A.
Time a wheel install's interpreter (``--python``): an editable install's import hook runs at
every start and hides start-up costs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bench_check  # noqa: E402 - the children's environment, neutral folder and timing


def _env(tree: str) -> dict[str, str]:
    return {**bench_check.RUN_ENV, "PYTHONPATH": tree}


def _report(python: str, tree: str, repo: str) -> tuple[int, dict | str]:
    out = subprocess.run([python, "-m", "openness_gate", "check", repo, "--format", "json"], capture_output=True,
                         text=True, cwd=bench_check.NEUTRAL, env=_env(tree), timeout=600)
    try:
        report = json.loads(out.stdout)
    except ValueError:
        return out.returncode, out.stderr.strip()[-300:]
    report.pop("checked_at", None)
    return out.returncode, report


def _timed(python: str, tree: str, repo: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one check."""
    wall, usage = bench_check.run_timed([python, "-m", "openness_gate", "check", repo, "--format", "json", "--output",
                                         os.devnull], bench_check.NEUTRAL, _env(tree))
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("repos", nargs="+")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--python", default=sys.executable)
    args = ap.parse_args(argv)
    for tree in (args.a, args.b):
        if not (os.path.isdir(os.path.join(tree, "openness_gate")) and os.path.isdir(os.path.join(tree, "policies"))):
            print(f"ab_trees: {tree}: needs openness_gate/ and policies/", file=sys.stderr)
            return 2
    totals = [0.0, 0.0, 0.0, 0.0]
    for repo in args.repos:
        a, b = _report(args.python, args.a, repo), _report(args.python, args.b, repo)
        if a != b:
            print(f"ab_trees: {repo}: the trees disagree (exit {a[0]} vs {b[0]}); not timed", file=sys.stderr)
            return 1
        _timed(args.python, args.a, repo), _timed(args.python, args.b, repo)  # warm both
        runs_a, runs_b = [], []
        for _ in range(args.runs):
            runs_a.append(_timed(args.python, args.a, repo))
            runs_b.append(_timed(args.python, args.b, repo))
        wall_a, wall_b = (statistics.median(r[0] for r in runs) for runs in (runs_a, runs_b))
        cpu_a, cpu_b = (statistics.median(r[1] for r in runs) for runs in (runs_a, runs_b))
        for i, value in enumerate((wall_a, wall_b, cpu_a, cpu_b)):
            totals[i] += value
        print(f"{os.path.basename(repo.rstrip('/')):<44} wall A {wall_a * 1000:6.0f} B {wall_b * 1000:6.0f} ms "
              f"B/A {wall_b / wall_a:.2f} | cpu A {cpu_a * 1000:6.0f} B {cpu_b * 1000:6.0f} B/A {cpu_b / cpu_a:.2f}",
              flush=True)
    print(f"total: wall B/A {totals[1] / totals[0]:.2f}, cpu B/A {totals[3] / totals[2]:.2f} "
          f"over {len(args.repos)} repositories, {args.runs} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
