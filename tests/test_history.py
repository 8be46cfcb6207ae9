"""`openness-gate history`: the verdict at each release, read from git objects without a checkout.

A repository is built here with five release tags: v0.2 adds a model card, v0.3 changes nothing
that matters, v0.4 turns the licence non-commercial (the licence component stays present: only
its identity and class change), v0.5 removes the weights. The history reports exactly those
changes at exactly those tags.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess

import pytest

from conftest import run_cli
from openness_gate import history

CARD = """---
license: {licence}
---
# Model Card for tiny

## Model Details
A tiny classifier trained to show how releases change.

## Uses
Sorting support tickets into three queues.

## Bias, Risks, and Limitations
Trained on English tickets from one company; it will misroute others.

## Training Details
Fine-tuned for two epochs with the standard classification recipe.
"""
TRAIN = "import torch\n\nclass Net(torch.nn.Module):\n    pass\n\ndef train():\n    loss.backward()\n    optimizer.step()\n"
POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab" * 32 + "\nsize 500000000\n"
APACHE = pathlib.Path("/usr/share/common-licenses/Apache-2.0")
NON_COMMERCIAL = ("Creative Commons Attribution-NonCommercial 4.0 International\n\n"
                  "SPDX-License-Identifier: CC-BY-NC-4.0\n")


def _git(root: pathlib.Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(["git", "-C", str(root), *args], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, f"git {args[0]}: {proc.stderr.strip()}"


def _release(root: pathlib.Path, tag: str, date: str, files: dict[str, str | None], annotated: bool = False) -> None:
    for path, text in files.items():
        if text is None:
            (root / path).unlink()
        else:
            (root / path).write_text(text, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", tag, date=date)
    _git(root, *(["tag", "-a", tag, "-m", f"release {tag}"] if annotated else ["tag", tag]), date=date)


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> pathlib.Path:
    if not APACHE.is_file():
        pytest.skip("/usr/share/common-licenses/Apache-2.0 is not installed (Debian's base-files)")
    root = tmp_path_factory.mktemp("model")
    _git(root, "init", "-q", "-b", "main")
    _release(root, "v0.1", "2026-01-01T10:00:00+00:00", {
        "train.py": TRAIN, "LICENSE": APACHE.read_text(), ".gitattributes": "*.safetensors filter=lfs -text\n",
        "model.safetensors": POINTER, "README.md": "# tiny\n\nA tiny model.\n"})
    _release(root, "v0.2", "2026-02-01T10:00:00+00:00", {"README.md": CARD.format(licence="apache-2.0")},
             annotated=True)
    _release(root, "v0.3", "2026-03-01T10:00:00+00:00", {"train.py": '"""Training."""\n' + TRAIN})
    _release(root, "v0.4", "2026-04-01T10:00:00+00:00", {"LICENSE": NON_COMMERCIAL,
                                                          "README.md": CARD.format(licence="cc-by-nc-4.0")})
    _release(root, "v0.5", "2026-05-01T10:00:00+00:00", {"model.safetensors": None})
    (root / "README.md").write_text("work in progress, not released\n")  # the work tree is never read
    return root


def test_each_release_reports_exactly_what_changed_at_it(releases):
    h = history.history(str(releases), history.tagged(str(releases)))
    assert [p.revision.label for p in h.points] == ["v0.1", "v0.2", "v0.3", "v0.4", "v0.5"]
    changes = {p.revision.label: {(c, k) for c, _b, _a, k in p.changes} for p in h.points}
    licences = {p.revision.label: p.licence_change for p in h.points}
    assert changes["v0.1"] == set() and licences["v0.1"] is None
    assert changes["v0.2"] == {("docs.model_card", "gained")} and licences["v0.2"] is None
    assert changes["v0.3"] == set() and licences["v0.3"] is None
    # the licence component stays present: the change is in which licence it is, and its class
    assert changes["v0.4"] == set()
    assert licences["v0.4"] == (("Apache-2.0",), ("CC-BY-NC-4.0",))
    assert "non-commercial" in h.points[3].licence_classes
    # the weights go, and with them the release type, which is judged from the published weights
    assert changes["v0.5"] == {("weights.pretrained", "lost"), ("distribution.release_type", "lost")}
    assert h.points[4].score < h.points[3].score
    assert all(p.statuses["docs.model_card"] != "missing" for p in h.points[1:])  # the work tree is not read


def test_the_command_line_in_every_format(releases, tmp_path):
    text = run_cli("history", str(releases))
    assert text.returncode == 0, text.stderr
    assert "v0.4" in text.stdout and "licence: Apache-2.0 → CC-BY-NC-4.0" in text.stdout
    assert "lost: Final weights" in text.stdout
    doc = json.loads(run_cli("history", str(releases), "--format", "json").stdout)
    assert doc["schema"] == "openness-gate-history/1" and doc["policy"]["digest"]
    assert [p["label"] for p in doc["points"]] == ["v0.1", "v0.2", "v0.3", "v0.4", "v0.5"]
    assert all(len(p["commit"]) == 40 for p in doc["points"])  # re-runnable: each point names its commit
    md = run_cli("history", str(releases), "--format", "markdown", "--max", "2").stdout
    assert "`v0.4`" in md and "`v0.5`" in md and "v0.3" not in md
    page = tmp_path / "history.html"
    assert run_cli("history", str(releases), "--format", "html", "--output", str(page)).returncode == 0
    html = page.read_text()
    assert html.count('class="series"') == 7 and 'id="history-chart"' in html
    assert "<script" not in html


def test_a_commit_range_and_a_tag_glob(releases):
    span = history.commits(str(releases), "v0.2..v0.4")
    assert len(span) == 2 and all(len(r.commit) == 40 for r in span)
    assert [r.label for r in history.tagged(str(releases), "v0.[45]")] == ["v0.4", "v0.5"]


def test_usage_errors_are_one_line(releases, tmp_path):
    none = run_cli("history", str(releases), "--tags", "release-*")
    assert none.returncode == 2 and "no tags matching" in none.stderr and "Traceback" not in none.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    bad = run_cli("history", str(plain))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    rng = run_cli("history", str(releases), "--revs", "v0.2")
    assert rng.returncode == 2 and "expected A..B" in rng.stderr


def test_hostile_tag_names_stay_inert_in_markdown_and_html(releases, tmp_path):
    from test_report_html import ALLOWED_TAGS, audit
    from test_report_markdown import live_markup

    name = "x<img_src=x_onerror=alert(1)>@everyone&lt;"  # git refuses [ ] : in tag names
    _git(releases, "tag", name, "v0.3")
    try:
        md = run_cli("history", str(releases), "--tags", "x*", "--format", "markdown")
        page = run_cli("history", str(releases), "--tags", "x*", "--format", "html")
    finally:
        _git(releases, "tag", "-d", name)
    assert md.returncode == 0 and page.returncode == 0, md.stderr + page.stderr
    assert not live_markup(md.stdout), live_markup(md.stdout)[:5]
    a = audit(page.stdout)
    assert a.tags <= ALLOWED_TAGS | {"polyline", "title"} and not a.problems, (a.tags - ALLOWED_TAGS, a.problems)
    assert "<img" not in page.stdout
