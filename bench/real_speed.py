"""`check` on the real repositories of the calibration corpus, against the floor.

    python bench/real_speed.py MIRRORS [--runs 5] [--only OWNER/NAME] [--work DIR] [--repolinter CMD]
                               [--python VENV/bin/python]

Time a wheel install (``--python`` of a venv where ``pip install .[fast]`` ran), as users run
it: a development venv's editable install runs an import hook at every interpreter start, the
floor's included, which adds 10-17 ms to the floor and flatters every ratio (first line printed).

Each labelled commit (tests/calibration/labels) is exported from MIRRORS (as
``real_accuracy.py`` does) and committed into a git work tree, as a user's clone is. Then,
alternating in one run: the floor (a bare interpreter start plus the same ``git ls-files``
listing the check uses), the full ``check`` command, and, when given, repolinter on the same
folder. Prints one row per repository: median seconds and the ratio check / floor. (Peak RSS
is left to bench_check.py: here wait4 reported the same 883 MB for every repository, which
``/usr/bin/time -v`` contradicts, 37 MB for a small one; not investigated.)
The synthetic trees of ``bench_check.py`` are the other half of the picture: real
repositories have big notebooks, configs and many distinct names.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import bench_check  # noqa: E402
import real_accuracy  # noqa: E402


def work_tree(mirrors: pathlib.Path, doc: dict, work: pathlib.Path) -> pathlib.Path | None:
    root = work / doc["repo"].replace("/", "__")
    if (root / ".git" / "bench-complete").is_file():
        return root
    tree, _absent, problem = real_accuracy.export(mirrors, doc["repo"], doc["commit"], root)
    if tree is None:
        print(f"skip {doc['repo']}: {problem}", file=sys.stderr)
        return None
    git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", f"{doc['repo']} @ {doc['commit'][:12]}"], check=True)
    (root / ".git" / "bench-complete").touch()
    return root


def _repolinter_works(cmd: list[str], root: pathlib.Path) -> None:
    """Stop the bench when repolinter did not lint: it exits 1 both for failed rules and for a
    ruleset it could not load (a relative ``--rulesetFile`` is resolved against the target folder),
    and a run that only printed a configuration error looks fast (it did, on 2026-12-04)."""
    out = subprocess.run(cmd + [str(root)], capture_output=True, text=True)
    if "Lint:" not in out.stdout:
        sys.exit(f"real_speed: repolinter did not lint {root} (give --rulesetFile an absolute path?):\n"
                 + (out.stdout + out.stderr).strip()[:600])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirrors", type=pathlib.Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only")
    ap.add_argument("--work", type=pathlib.Path, default=pathlib.Path(tempfile.gettempdir()) / "og-real-speed")
    ap.add_argument("--repolinter", help="command that runs repolinter, e.g. 'npx repolinter lint' (timed too)")
    ap.add_argument("--python", default=sys.executable, help="interpreter of the install to time (default: this one)")
    args = ap.parse_args(argv)
    bench_check.PYTHON = args.python
    print(bench_check.describe_install(args.python))
    if not args.mirrors.is_dir():
        print(f"real_speed: {args.mirrors}: no mirror folder; nothing measured", file=sys.stderr)
        return 0
    print(f"{'repository':<58} {'files':>6} {'floor s':>8} {'check s':>8} {'ratio':>6}"
          + (f" {'repolinter s':>12}" if args.repolinter else ""))
    ratios = []
    for doc in real_accuracy.load_labels(real_accuracy.LABELS, args.only):
        root = work_tree(args.mirrors, doc, args.work)
        if root is None:
            continue
        row = bench_check.measure(str(root), args.runs)
        files = len(subprocess.run(["git", "-C", str(root), "ls-files"], capture_output=True, text=True).stdout.split("\n")) - 1
        extra = ""
        if args.repolinter:
            _repolinter_works(shlex.split(args.repolinter), root)
            times = [bench_check.timed(shlex.split(args.repolinter) + [str(root)])[0] for _ in range(args.runs)]
            extra = f" {statistics.median(times):12.2f}"
        ratios.append(row["ratio"])
        print(f"{doc['repo']:<58} {files:>6} {row['floor_s']:8.3f} {row['check_s']:8.3f} {row['ratio']:6.1f}{extra}",
              flush=True)
    if ratios:
        print(f"\nratio check / floor: median {statistics.median(ratios):.1f}, worst {max(ratios):.1f} "
              f"over {len(ratios)} repositories (target of #13: <= 4 on every one)")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    sys.exit(main())
