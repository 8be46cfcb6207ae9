"""`compare` against the individual checks it stands for, timed side by side in one run.

    python bench/bench_compare.py [--runs 3] [--real N]

Targets: the three examples plus N (default 10) real repositories of the calibration corpus,
rebuilt from their snapshots (``tests/calibration/snapshots``: the file list with real sizes and
the bytes the checker reads) as git work trees, so nothing outside the clone is needed. Then,
alternating: ``openness-gate check`` once per target (each a fresh process, as a user running
them one by one would), and one ``openness-gate compare`` over all of them (which also judges
every target under the MOF and OSAID policies). Prints both medians and the ratio
compare / sum of checks; issue #16's target is <= 1.2.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests")]

import bench_check  # noqa: E402
from test_calibration import materialise  # noqa: E402


def real_targets(n: int, work: pathlib.Path) -> list[str]:
    out = []
    for path in sorted((ROOT / "tests" / "calibration" / "snapshots").glob("*.json.gz"))[:n]:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            snap = json.load(fh)
        root = work / path.name.replace(".json.gz", "")
        root.mkdir()
        materialise(snap, root)
        git = ["git", "-C", str(root), "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "-A"], check=True)
        subprocess.run(git + ["commit", "-qm", "snapshot"], check=True)
        out.append(str(root))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--real", type=int, default=10)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        targets = [str(ROOT / "examples" / n) for n in ("bare-code-repo", "open-science-model", "open-weights-restricted")]
        targets += real_targets(args.real, pathlib.Path(tmp))
        py = [sys.executable, "-m", "openness_gate"]
        compare = py + ["compare", *targets, "--format", "json", "--output", str(pathlib.Path(tmp) / "out.json")]
        bench_check.timed(compare)  # warm the page and bytecode caches
        sums, compares = [], []
        for _ in range(args.runs):
            sums.append(sum(bench_check.timed(py + ["check", t, "--format", "json", "--output", "/dev/null"])[0]
                            for t in targets))
            compares.append(bench_check.timed(compare)[0])
        s, c = statistics.median(sums), statistics.median(compares)
        print(f"{len(targets)} targets: sum of individual checks {s:.2f} s, compare {c:.2f} s, "
              f"ratio {c / s:.2f} (target of #16: <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
