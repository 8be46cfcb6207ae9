"""Golden files: every report format for every example repository, byte for byte.

Detectors and policies change what the reports say; when that is intended, regenerate with
    OPENNESS_GATE_UPDATE_GOLDEN=1 python -m pytest tests/test_report_golden.py
and review the diff in git. Without the flag a difference fails with a diff; nothing is
rewritten silently. Outputs are normalised for what legitimately varies between machines:
the target path and commit, the tool version and the date (SOURCE_DATE_EPOCH=0).
"""

from __future__ import annotations

import difflib
import os
import pathlib

import pytest

from conftest import EXAMPLES
from openness_gate import __version__, record
from openness_gate.checker import check
from openness_gate.inventory import Target
from openness_gate.report import badge, render

GOLDEN = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("OPENNESS_GATE_UPDATE_GOLDEN") == "1"
EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
OUTPUTS = {
    "report.txt": lambda r: render(r, "text"),
    "report.md": lambda r: render(r, "markdown"),
    "report.json": lambda r: render(r, "json"),
    "report.sarif": lambda r: render(r, "sarif"),
    "report.html": lambda r: render(r, "html"),
    "badge.svg": badge.render_svg,
    "badge.json": badge.render_endpoint,
}


@pytest.fixture(scope="module")
def results():
    cache: dict[str, object] = {}

    def get(name: str):
        if name not in cache:
            result = check(str(EXAMPLES / name))
            cache[name] = record.replace(result, target=Target("local", f"examples/{name}", None))
        return cache[name]

    return get


@pytest.mark.parametrize("filename", sorted(OUTPUTS))
@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_report_matches_golden(name, filename, results, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    out = OUTPUTS[filename](results(name)).replace(__version__, "<VERSION>")
    path = GOLDEN / name / filename
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out, encoding="utf-8", newline="\n")
        pytest.skip(f"golden file written: {path.relative_to(GOLDEN.parent)}")
    if not path.exists():
        pytest.fail(f"no golden file {path}; create it with OPENNESS_GATE_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if out != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), out.splitlines(True),
                                                 "golden", "now"))[:80])
        pytest.fail(f"{name}/{filename} differs from its golden file (if intended, regenerate with "
                    f"OPENNESS_GATE_UPDATE_GOLDEN=1 python -m pytest tests/test_report_golden.py):\n{diff}")
