#!/usr/bin/env python3
"""Benchmark `openness-gate check` on synthetic model repositories, next to the floor.

The floor is what any checker must pay: a bare interpreter start plus the same
`git ls-files` listing we use (for a folder without git: a bare interpreter walking the
tree). Both are measured in the same run, alternating, and the median of several runs is
reported with the ratio check / floor and check's peak RSS (its own process: on a split check the detectors' second process is not in it).

    python bench/bench_check.py                                  # every shape, 1k and 100k files
    python bench/bench_check.py --shapes content names --files 100000 --runs 7
    python bench/bench_check.py --shapes content --source PATH   # replicate another repository's files
    python bench/bench_check.py --python VENV/bin/python         # time that install (a wheel, as users have)

The first line printed says which install is timed: an editable one (a development venv) runs an
import hook at every interpreter start, the floor's included, which flatters every ratio.

Shapes, so that no shortcut tuned to one tree shape can pass for speed:
- ``numbered``: LFS weight shards, 10 % tiny modules in numbered packages, numbered data shards;
- ``content``: real text files (``.py``, ``.ipynb``, ``.md``, ``.json``, ``.yaml``, ``.sh``) of a real
  repository (``--source``; default: this project's own sources), replicated across nested
  packages: every content rule has real content to read;
- ``names``: distinct word-built names without digits in many folders (nothing to fold);
- ``walk``: the ``numbered`` tree without ``.git``, so the source walks the folder.

Targets (issue "Foundation"): on 100k files, check <= 4x the floor and <= 150 MB peak RSS.
Generated repositories are cached under bench/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

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


def _reuse_or_clear(root: str) -> bool:
    """True when a complete tree of this shape is cached at ``root``; else an empty folder is made there."""
    if os.path.exists(os.path.join(root, ".git", "bench-complete")):
        return True
    subprocess.run(["rm", "-rf", root], check=True)
    os.makedirs(root)
    return False


def generate(n_files: int) -> str:
    """Create (once) and commit a synthetic model repository with about ``n_files`` files."""
    root = os.path.join(OUT, f"repo-{n_files}")
    if _reuse_or_clear(root):
        return root

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
    _commit(root)
    return root


#: as installed: pip writes bytecode at install time, so a user's check never compiles our sources.
#: A PYTHONDONTWRITEBYTECODE inherited from a CI or container setup would make every run compile
#: them (about 0.2 s) and measure that instead.
RUN_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


#: the interpreter whose install is timed (its console script) and whose bare start is the floor
#: (``--python``). Children start in a neutral folder: ``python -m`` puts the working folder
#: first on sys.path, so a run from a clone would time the clone, not the install.
PYTHON = sys.executable
NEUTRAL = tempfile.mkdtemp(prefix="og-bench-cwd-")  # empty: imports look in the working folder first
atexit.register(os.rmdir, NEUTRAL)


def describe_install(python: str) -> str:
    """One line on what ``python -m openness_gate`` runs. An editable install (a development
    venv, this suite's) runs its import hook at every interpreter start, the floor's as well:
    10-17 ms here that a user's wheel install does not pay, so its ratios flatter the check."""
    probe = ("import importlib.metadata as m, json\nd = m.distribution('openness-gate')\n"
             "u = json.loads(d.read_text('direct_url.json') or '{}')\n"
             "print(d.version, u.get('dir_info', {}).get('editable', False))")
    out = subprocess.run([python, "-c", probe], capture_output=True, text=True, cwd=NEUTRAL, env=RUN_ENV)
    if out.returncode:
        return f"{python}: openness-gate is not installed there ({out.stderr.strip().splitlines()[-1:]})"
    version, editable = out.stdout.split()
    if editable == "True":
        return (f"{python}: openness-gate {version}, EDITABLE install: its import hook runs at every start, "
                "the floor's too; users' figures come from a wheel install (--python VENV/bin/python)")
    return f"{python}: openness-gate {version}, installed (not editable); timing {' '.join(command())}"


def command() -> list[str]:
    """What a user runs: the ``openness-gate`` script pip installed beside ``PYTHON``, else
    ``python -m openness_gate`` (which also imports runpy and importlib.util: ~3 ms more)."""
    script = os.path.join(os.path.dirname(PYTHON), "openness-gate.exe" if os.name == "nt" else "openness-gate")
    return [script] if os.path.isfile(script) else [PYTHON, "-m", "openness_gate"]


def timed(cmd: list[str], cwd: str | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    elapsed, usage = run_timed(cmd, cwd)
    return elapsed, usage.ru_maxrss * 1024


def run_timed(cmd: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> tuple[float, Any]:
    """Wall seconds and resource usage (``os.wait4``'s) of one child process; stops the bench when
    it exits other than 0 or 1 (a run that failed early would look fast)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or RUN_ENV)
    _, status, rusage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {err.strip()}")
    return elapsed, rusage


def measure(root: str, runs: int) -> dict[str, float]:
    floor_py = [PYTHON, "-c", "pass"]
    floor_git = ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
    if not os.path.isdir(os.path.join(root, ".git")):  # the walk: interpreter start and listing in one
        floor_py = [PYTHON, "-c", "import os, sys\nfor _ in os.walk(sys.argv[1]): pass", root]
        floor_git = ["true"]
    check = [*command(), "check", root, "--format", "json", "--output", os.devnull]
    # trees written just before (the 100k-file ones above all) are still going to disk, and timings
    # share the disk with that writeback: a real_speed.py run started as this script finished gave
    # lm-evaluation-harness (16k files) 1.0 s, against 0.33-0.47 s with the disk idle
    os.sync()
    timed(check, NEUTRAL)  # warm the page cache and the bytecode cache once
    floors, checks, rss = [], [], []
    for _ in range(runs):
        a, _ = timed(floor_py, NEUTRAL)
        b, _ = timed(floor_git, NEUTRAL)
        floors.append(a + b)
        t, r = timed(check, NEUTRAL)
        checks.append(t)
        rss.append(r)
    floor, chk = statistics.median(floors), statistics.median(checks)
    return {"floor_s": floor, "check_s": chk, "ratio": chk / floor, "peak_rss_mb": max(rss) / 2**20}


WORDS = ("amber basil cedar delta ember fjord garnet harbor indigo juniper kestrel lumen maple nectar "
         "onyx pebble quartz raven sable tundra umber velvet willow xenon yarrow zephyr").split()


def _word_name(i: int, parts: int = 3) -> str:
    """A distinct name without digits: ``i`` written in base 26 with words."""
    out = []
    for _ in range(parts):
        out.append(WORDS[i % 26])
        i //= 26
    return "_".join(out)


def _commit(root: str) -> None:
    git = ["git", "-C", root, "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    subprocess.run(["git", "init", "-q", root], check=True)
    subprocess.run(git + ["add", "-A"], check=True)
    subprocess.run(git + ["commit", "-qm", "synthetic repository"], check=True)
    open(os.path.join(root, ".git", "bench-complete"), "w").close()


CONTENT_EXT = (".py", ".ipynb", ".md", ".json", ".yaml", ".yml", ".sh")


def generate_content(n_files: int, source: str) -> str:
    """A tree of ``n_files`` real text files: ``source``'s files replicated in nested packages."""
    tag = hashlib.sha256(os.path.abspath(source).encode()).hexdigest()[:8]
    root = os.path.join(OUT, f"content-{tag}-{n_files}")
    if _reuse_or_clear(root):
        return root
    files = []
    for d, dirs, names in os.walk(source):
        dirs[:] = [x for x in dirs if not x.startswith(".") and x not in ("out", "node_modules", "__pycache__")]
        files += [os.path.join(d, n) for n in names if n.endswith(CONTENT_EXT)]
    files.sort()
    if not files:
        raise SystemExit(f"{source}: no {', '.join(CONTENT_EXT)} files to replicate")
    texts = {f: open(f, "rb").read() for f in files}
    for top in ("LICENSE", "README.md"):
        if os.path.isfile(os.path.join(source, top)):
            with open(os.path.join(source, top), "rb") as a, open(os.path.join(root, top), "wb") as b:
                b.write(a.read())
    made, copy = 0, 0
    while made < n_files:
        prefix = "" if copy == 0 else f"{_word_name(copy, 2)}/{WORDS[copy % 7]}_pkg/"
        for f in files:
            rel = prefix + os.path.relpath(f, source)
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as fh:
                fh.write(texts[f])
            made += 1
            if made >= n_files:
                break
        copy += 1
    _commit(root)
    return root


def generate_names(n_files: int) -> str:
    """Distinct names without digits, many folders, the usual artefacts among them."""
    root = os.path.join(OUT, f"names-{n_files}")
    if _reuse_or_clear(root):
        return root
    with open(os.path.join(root, "README.md"), "w") as fh:
        fh.write(CARD)
    exts = (".py", ".md", ".json", ".yaml", ".txt", ".csv", ".sh", ".cfg")
    for i in range(n_files - 1):
        folder = f"{_word_name(i // 50, 2)}/{WORDS[i // 7 % 26]}"
        path = os.path.join(root, folder, _word_name(i) + exts[i % len(exts)])
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as fh:
            fh.write(f"# {_word_name(i)}\nvalue = '{_word_name(i * 7)}'\n")
    _commit(root)
    return root


def generate_walk(n_files: int) -> str:
    """The numbered tree as a plain folder (a download, an unpacked archive): no git to list it."""
    src = generate(n_files)
    root = os.path.join(OUT, f"walk-{n_files}")
    if not os.path.isfile(os.path.join(root, ".bench-complete")):
        subprocess.run(["rm", "-rf", root], check=True)
        subprocess.run(["cp", "-r", src, root], check=True)
        subprocess.run(["rm", "-rf", os.path.join(root, ".git")], check=True)
        open(os.path.join(root, ".bench-complete"), "w").close()
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--shapes", nargs="+", default=["numbered", "content", "names", "walk"],
                        choices=["numbered", "content", "names", "walk"])
    parser.add_argument("--source", default=os.path.dirname(HERE), help="repository whose files the content shape replicates")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--python", default=sys.executable, help="interpreter of the install to time (default: this one)")
    args = parser.parse_args()
    global PYTHON
    PYTHON = args.python
    print(describe_install(PYTHON))
    makers = {"numbered": generate, "content": lambda n: generate_content(n, args.source),
              "names": generate_names, "walk": generate_walk}
    print(f"{'shape':<9} {'files':>8} {'floor (s)':>10} {'check (s)':>10} {'ratio':>6} {'peak RSS (MB)':>14}")
    for shape in args.shapes:
        for n in args.files:
            root = makers[shape](n)
            m = measure(root, args.runs)
            print(f"{shape:<9} {n:>8} {m['floor_s']:>10.3f} {m['check_s']:>10.3f} {m['ratio']:>6.2f} "
                  f"{m['peak_rss_mb']:>14.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
