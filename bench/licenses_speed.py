"""Time the distribution.license detector alone on a repository (default: a synthetic 100k-file git repo).

Usage: python bench/licenses_speed.py [PATH]   (PATH defaults to /tmp/openness-gate-licence-bench-100k; it is created when missing)

Reports `git ls-files` time, inventory time and detector time, so the detector's share of a
`check` is visible; the target is that `check` stays within ~4x of `git ls-files`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from openness_gate.detectors import Context  # noqa: E402
from openness_gate.detectors import license as licence_detector  # noqa: E402
from openness_gate.sources import local  # noqa: E402

MIT_HEAD = "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n"


def make_repo(path: str, n: int = 100_000) -> None:
    os.makedirs(path)
    for i in range(n // 100):
        d = os.path.join(path, f"pkg{i // 100}", f"mod{i}")
        os.makedirs(d)
        for j in range(100):
            with open(os.path.join(d, f"f{j}.py"), "w") as fh:
                fh.write("x = 1\n")
    with open(os.path.join(path, "LICENSE"), "w") as fh:
        fh.write(MIT_HEAD)
    subprocess.run(["git", "init", "-q", path], check=True)
    subprocess.run(["git", "-C", path, "add", "-A"], check=True)
    subprocess.run(["git", "-C", path, "-c", "user.name=b", "-c", "user.email=b@example.org", "commit", "-qm", "x"],
                   check=True)


def main() -> int:
    path = sys.argv[1] if len(sys.argv) > 1 else "/tmp/openness-gate-licence-bench-100k"
    if not os.path.exists(path):
        make_repo(path)
    t = time.perf_counter()
    subprocess.run(["git", "-C", path, "ls-files"], stdout=subprocess.DEVNULL, check=True)
    ls = time.perf_counter() - t
    t = time.perf_counter()
    inv = local.load(path)
    load = time.perf_counter() - t
    ctx = Context(inv)
    t = time.perf_counter()
    _ = ctx.model_card  # shared with the documentation detectors in a real run: timed apart
    card = time.perf_counter() - t
    t = time.perf_counter()
    findings = list(licence_detector.license(ctx))
    det = time.perf_counter() - t
    print(f"{len(inv)} files: git ls-files {ls * 1000:.0f} ms, inventory {load * 1000:.0f} ms, "
          f"model-card discovery (shared) {card * 1000:.0f} ms, licence detector {det * 1000:.0f} ms "
          f"-> {findings[0].facts.get('ids')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
