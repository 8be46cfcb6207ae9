"""``detectors.split``: on a large local repository the detectors share two processes, and the
report must be exactly the one a single process writes: the same findings, each charged with
the same stopped reads, the same partial and incomplete lists. Each run is a fresh interpreter
(the split forks, and only where no other thread runs: not inside pytest's process)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, run_cli
from test_calibration import SNAPSHOTS, materialise

pytestmark = pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
                                reason="the detectors split only on Linux with two usable cores")


def _largest_snapshots(n: int) -> list[dict]:
    snaps = []
    for path in SNAPSHOTS:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            snaps.append(json.load(fh))
    return sorted(snaps, key=lambda s: -len(s["files"]))[:n]


def test_real_repositories_get_the_same_report_from_two_processes_as_from_one(tmp_path):
    from openness_gate.detectors import split

    for snap in _largest_snapshots(6):
        root = tmp_path / snap["repo"].replace("/", "__")
        materialise(snap, root)
        assert len(snap["files"]) >= split.MIN_FILES  # big enough to be split
        one = run_cli("check", str(root), "--format", "json", env={"OPENNESS_GATE_JOBS": "1"})
        two = run_cli("check", str(root), "--format", "json")
        assert one.returncode == two.returncode and one.returncode in (0, 1), one.stderr + two.stderr
        assert two.stdout == one.stdout, snap["repo"]


#: a reader that fails some reads as a fault would (incomplete), around the real local one
PROBE = textwrap.dedent('''
    import json, sys
    from openness_gate import detectors, policy
    from openness_gate.inventory import ReadError
    from openness_gate.sources import local

    class Faulty:
        forkable = True
        def __init__(self, inner, bad):
            self.inner, self.bad = inner, bad
        def read_bytes(self, path, limit):
            if path in self.bad:
                raise ReadError("cannot read: Input/output error", incomplete=True)
            return self.inner.read_bytes(path, limit)

    inv = local.load(sys.argv[1], text_cap=4096)
    inv.reader = Faulty(inv.reader, set(sys.argv[2:]))
    findings = detectors.run(inv, policy.repo_config(inv))
    print(json.dumps({"findings": [repr(f) for f in findings], "partial": sorted(inv.partial.items()),
                      "incomplete": list(inv.incomplete.items())}))
''')


def _probe(script: str, root, bad: list[str], jobs: str) -> dict:
    """What ``script`` (``PROBE`` or a variant) prints for ``root`` with ``bad`` reads failing, in a
    fresh interpreter with ``OPENNESS_GATE_JOBS=jobs``."""
    out = subprocess.run([sys.executable, "-c", script, str(root), *bad], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "OPENNESS_GATE_JOBS": jobs}, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_stopped_reads_heads_and_budget_marks_are_charged_as_one_process_charges_them(tmp_path):
    """Reads a fault stops (README.md, read by several detectors: charged to the first in
    registration order only), heads (a 4 KiB cap), and the code detector's read budget (more
    scripts than it reads)."""
    (tmp_path / "README.md").write_text("# A model\n\nTrained with train.py on data/.\n")
    (tmp_path / "LICENSE").write_text("MIT License\n\n" + "Permission is hereby granted. " * 400)
    (tmp_path / "train.py").write_text("import torch\nloss.backward()\noptimizer.step()\n" + "# pad\n" * 2000)
    for i in range(330):
        (tmp_path / "scripts").mkdir(exist_ok=True)
        (tmp_path / "scripts" / f"job_{i:03d}.py").write_text(f"print({i})\n")
    bad = ["README.md", "scripts/job_007.py", "LICENSE"]
    one, two = _probe(PROBE, tmp_path, bad, "1"), _probe(PROBE, tmp_path, bad, "2")
    assert one["incomplete"] and one["partial"]  # the case is exercised
    assert any("unread=" in f and "README.md" in f for f in one["findings"])
    assert two == one


def test_the_code_detector_s_reads_shared_by_both_processes_are_charged_as_one_process_charges_them(tmp_path):
    """Enough script content for the child to take a share of the code detector's reads once its
    own detectors are done: its files' markers and read events come back, are replayed in file
    order, and a fault in one of them (and in the README) is charged as a single process charges it."""
    (tmp_path / "README.md").write_text("# A model\n\nTrained with the scripts in jobs/.\n")
    body = ("import torch\n\nclass Net(nn.Module):\n    def forward(self, x):\n        return x\n\n"
            "model = AutoModel.from_pretrained('org/base')\nloss.backward()\noptimizer.step()\n"
            + "x = [i * 2 for i in range(10)]  # padding that the scan runs through\n" * 600)
    (tmp_path / "jobs").mkdir()
    for i in range(300):
        (tmp_path / "jobs" / f"job_{i:03d}.py").write_text(body + f"print({i})\n")
    bad = ["README.md", "jobs/job_013.py", "jobs/job_250.py"]
    probe = PROBE.replace("import json, sys\n", "import json, sys\nfrom openness_gate.detectors import split\n"
                          "helped = []\nget = split._Answer.get\n"
                          "def recording(self):\n    got = get(self)\n    helped.append(len(got[1]))\n    return got\n"
                          "split._Answer.get = recording\n", 1)
    probe = probe.replace('"incomplete": list(inv.incomplete.items())}', '"incomplete": list(inv.incomplete.items()), '
                          '"helped": max(helped, default=0)}', 1).replace(", text_cap=4096", "", 1)
    one, two = _probe(probe, tmp_path, bad, "1"), _probe(probe, tmp_path, bad, "2")
    assert one.pop("helped") == 0 and two.pop("helped") > 0  # the child took files of the code detector
    assert any("job_013.py" in path for path, _ in one["incomplete"])
    assert any("unread=" in f and "job_013.py" in f and "code." in f for f in one["findings"])
    assert two == one


CHILD_DIES = textwrap.dedent('''
    import os, sys
    from openness_gate import detectors, policy
    from openness_gate.detectors import split
    from openness_gate.sources import local

    inv = local.load(sys.argv[1])
    ctx = detectors.Context(inv, policy.repo_config(inv))
    regs = detectors.registered()
    parent = os.getpid()

    def call(reg):
        if os.getpid() != parent:
            os._exit(3)  # the child dies in its first detector: nothing comes back
        return list(reg.fn(ctx))

    done = split.run(ctx, regs, call)
    serial = [list(reg.fn(detectors.Context(local.load(sys.argv[1]), ctx.config))) for reg in regs]
    print(all(d[0] == s for d, s in zip(done, serial)), len(done) == len(regs))
''')


def test_a_child_that_dies_leaves_its_detectors_to_the_parent(tmp_path):
    snap = _largest_snapshots(1)[0]
    materialise(snap, tmp_path)
    out = subprocess.run([sys.executable, "-c", CHILD_DIES, str(tmp_path)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "True"]


def test_no_split_where_it_cannot_hold(tmp_path):
    from openness_gate.detectors import split
    from openness_gate.sources import local

    for i in range(split.MIN_FILES):
        (tmp_path / f"f{i}.txt").write_text("x\n")
    inv = local.load(str(tmp_path))
    probe = ("import sys\nfrom openness_gate.detectors import split\nfrom openness_gate.sources import local\n"
             "print(split.allowed(local.load(sys.argv[1])))")
    alone = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert alone.stdout.strip() == "True"  # a fresh interpreter, one thread, a local folder: split
    off = subprocess.run([sys.executable, "-c", probe, str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "OPENNESS_GATE_JOBS": "1"})
    assert off.stdout.strip() == "False"

    class Remote:  # a remote source's reader: its read budget cannot be split
        def read_bytes(self, path, limit):
            return b""

    inv.reader = Remote()
    assert not split.allowed(inv)


FEW_DESCRIPTORS = textwrap.dedent('''
    import json, os, resource, sys
    from openness_gate import detectors, policy
    from openness_gate.sources import local

    inv = local.load(sys.argv[1])
    config = policy.repo_config(inv)
    if sys.argv[2] == "limit":  # two free descriptors: room for one pipe, not two, so the split cannot start
        def is_open(fd):
            try:
                os.fstat(fd)
                return True
            except OSError:
                return False
        limit, free = 0, 0
        while free < 2:
            free += not is_open(limit)
            limit += 1
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    print(json.dumps([repr(f) for f in detectors.run(inv, config)]))
''')


def test_when_the_system_refuses_a_pipe_the_detectors_run_in_one_process(tmp_path):
    snap = _largest_snapshots(1)[0]
    materialise(snap, tmp_path)

    def run(mode: str, jobs: str) -> str:
        out = subprocess.run([sys.executable, "-c", FEW_DESCRIPTORS, str(tmp_path), mode], capture_output=True,
                             text=True, cwd=ROOT, env={**os.environ, "OPENNESS_GATE_JOBS": jobs}, timeout=120)
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
        return out.stdout

    assert run("limit", "2") == run("free", "1")


def test_a_split_check_passes_its_results_with_the_c_pickler_alone(tmp_path):
    """``pickle`` defines its pure-Python pickler at import (~0.7 ms of every split check); the two
    processes need only the C half that ``pickle.dumps`` and ``loads`` are."""
    from conftest import modules_after_check
    from openness_gate.detectors import split

    for i in range(split.MIN_FILES + 5):
        (tmp_path / f"train_{i}.py").write_text("import torch\nmodel.train()\n")
    (tmp_path / "LICENSE").write_text("MIT License\n")
    report, imported = modules_after_check(tmp_path, ("pickle", "_pickle"), site=False)
    assert '"components"' in report and imported == {"_pickle"}
