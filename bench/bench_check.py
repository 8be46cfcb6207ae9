#!/usr/bin/env python3
"""Benchmark `openness-gate check` on synthetic model repositories, next to the floor.

The floor is what any checker must pay: a bare interpreter start plus the same
`git ls-files` listing we use. Both are measured in the same run, alternating, and the
median of several runs is reported with the ratio check / floor and check's peak RSS.

    python bench/bench_check.py                 # 1k and 100k files
    python bench/bench_check.py --files 100000 --runs 7

Targets (issue "Foundation"): on 100k files, check <= 4x the floor and <= 150 MB peak RSS.
Generated repositories are cached under bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")

CARD = """---
license: apache-2.0
datasets:
- example-org/synthetic-corpus
model-index:
- name: synth
  results:
  - task: {type: text-generation}
    dataset: {type: hellaswag, name: HellaSwag}
    metrics: [{type: acc, value: 50.1}]
---
# Model Card for synth

## Model Details
A synthetic model used to benchmark openness-gate on very large repositories.

## Uses
Benchmarking only. Nothing else should be done with this repository at all.

## Bias, Risks, and Limitations
None of the shards contain real text; they exist to make the tree large.

## Training Details
Trained with `src/train.py` on the shards under `data/`, as a stand-in for a real run.

## Evaluation
| Benchmark | Score |
|---|---|
| HellaSwag | 50.1 |

## Citation
@misc{synth, title={synth}}
"""


def _pointer(seed: str, size: int) -> str:
    oid = hashlib.sha256(seed.encode()).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n"


def generate(n_files: int) -> str:
    """Create (once) and commit a synthetic model repository with about ``n_files`` files."""
    root = os.path.join(OUT, f"repo-{n_files}")
    if os.path.exists(os.path.join(root, ".git", "bench-complete")):
        return root
    subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)

    def w(rel: str, text: str) -> None:
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(text)

    license_text = "Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n"
    if os.path.exists("/usr/share/common-licenses/Apache-2.0"):
        with open("/usr/share/common-licenses/Apache-2.0") as fh:
            license_text = fh.read()
    w("LICENSE", license_text)
    w("README.md", CARD)
    w("DATASHEET.md", "# Datasheet\n\n## Motivation\nBenchmark.\n\n## Composition\nSynthetic shards.\n")
    w(".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.bin filter=lfs diff=lfs merge=lfs -text\n")
    w("config.json", json.dumps({"architectures": ["SynthForCausalLM"]}))
    fixed = 6
    n_weights = max(4, n_files // 200)  # final shards + intermediate checkpoints
    n_code = max(10, n_files // 10)
    n_data = max(1, n_files - fixed - n_weights - n_code)
    for i in range(4):
        w(f"model-{i + 1:05d}-of-00004.safetensors", _pointer(f"final{i}", 5_000_000_000))
    for i in range(n_weights - 4):
        w(f"checkpoints/step-{(i // 4 + 1) * 1000}/model-{i % 4 + 1:05d}-of-00004.safetensors",
          _pointer(f"ckpt{i}", 5_000_000_000))
    w("src/train.py", "import torch\n\ndef main():\n    pass\n")
    for i in range(n_code - 1):
        w(f"src/pkg{i // 100:03d}/sub{i // 20 % 5}/module_{i}.py", f"def f{i}(x):\n    return x + {i}\n")
    for i in range(n_data):
        w(f"data/shards/part-{i // 1000:04d}/group-{i // 100 % 10}/shard-{i:07d}.jsonl",
          '{"text": "synthetic sample %d"}\n' % i)
    git = ["git", "-C", root, "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", "init", "-q", root], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "synthetic model repository"], check=True)
    open(os.path.join(root, ".git", "bench-complete"), "w").close()
    return root


#: as installed: pip writes bytecode at install time, so a user's check never compiles our sources.
#: A PYTHONDONTWRITEBYTECODE inherited from a CI or container setup would make every run compile
#: them (about 0.2 s) and measure that instead.
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: str | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=RUN_ENV)
    _, status, rusage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err.strip()}")
    return elapsed, rusage.ru_maxrss * 1024


def measure(root: str, runs: int) -> dict[str, float]:
    floor_py = [sys.executable, "-c", "pass"]
    floor_git = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    check = [sys.executable, "-m", "openness_gate", "check", root, "--format", "json", "--output", os.devnull]
    timed(check)  # warm the page cache and the bytecode cache once
    floors, checks, rss = [], [], []
    for _ in range(runs):
        a, _ = timed(floor_py)
        b, _ = timed(floor_git)
        floors.append(a + b)
        t, r = timed(check)
        checks.append(t)
        rss.append(r)
    floor, chk = statistics.median(floors), statistics.median(checks)
    return {"floor_s": floor, "check_s": chk, "ratio": chk / floor, "peak_rss_mb": max(rss) / 2**20}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"{'files':>8} {'floor (s)':>10} {'check (s)':>10} {'ratio':>6} {'peak RSS (MB)':>14}")
    for n in args.files:
        root = generate(n)
        m = measure(root, args.runs)
        print(f"{n:>8} {m['floor_s']:>10.3f} {m['check_s']:>10.3f} {m['ratio']:>6.2f} {m['peak_rss_mb']:>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
