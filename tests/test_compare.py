"""`openness-gate compare`: a matrix whose every cell is the status the target's own check gives.

Run over the three examples and ten real repositories of the calibration corpus (materialised
from their snapshots), plus a target that cannot be checked. The HTML page is audited like the
check's HTML report, and rendered in headless Chromium at 20 and at 200 models.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import shutil

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from openness_gate import matrix
from openness_gate.checker import check
from openness_gate.record import replace
from openness_gate.report import matrix as render
from test_calibration import materialise
from test_report_html import ALLOWED_TAGS, _browse, _console, _png_size, audit
from test_report_support import write_hostile_repo

SNAPSHOTS = ROOT / "tests" / "calibration" / "snapshots"
REAL = ["EleutherAI__pythia", "allenai__OLMo", "huggingface__smollm", "karpathy__nanoGPT", "microsoft__LoRA",
        "CompVis__taming-transformers", "coqui-ai__TTS", "allenai__open-instruct", "salesforce__LAVIS",
        "meta-llama__llama-stack"]
EXAMPLE_NAMES = ["bare-code-repo", "open-science-model", "open-weights-restricted"]


@pytest.fixture(scope="module")
def targets(tmp_path_factory) -> list[str]:
    out = [str(EXAMPLES / n) for n in EXAMPLE_NAMES]
    for name in REAL:
        path = SNAPSHOTS / f"{name}.json.gz"
        if not path.is_file():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            snap = json.load(fh)
        root = tmp_path_factory.mktemp(name)
        materialise(snap, root)
        out.append(str(root))
    assert len(out) >= 13, "the ten real repositories are snapshots in tests/calibration/snapshots"
    return out


@pytest.fixture(scope="module")
def compared(targets) -> matrix.Matrix:
    return matrix.compare(targets + ["/nonexistent/model"], "ai-stack", concurrency=4)


def test_every_cell_equals_the_status_of_the_targets_own_check(compared, targets):
    rows = {r.target: r for r in compared.rows}
    for target in targets:
        own = check(target, "ai-stack")
        row = rows[target]
        assert row.error is None
        assert {cid: c.status for cid, c in row.cells.items()} == {f.component: f.status for f in own.components}
        assert (row.score, row.passed, row.level) == (own.policy.score, own.policy.passed, own.policy.level)
        assert row.revision == own.target.revision
        assert row.mof_class == check(target, "mof").policy.level
        assert row.osaid == check(target, "osaid-1.0").policy.passed


def test_rows_are_ranked_by_score_then_name_and_a_failed_target_is_a_row_with_its_reason(compared):
    checked = [r for r in compared.rows if r.error is None]
    assert [(-r.score, r.target.lower()) for r in checked] == sorted((-r.score, r.target.lower()) for r in checked)
    last = compared.rows[-1]
    assert last.target == "/nonexistent/model" and last.error and last.score is None
    assert compared.policy == "ai-stack" and len(compared.policy_digest) == 16


def test_json_and_csv_carry_the_same_cells_and_the_run_can_be_reproduced(compared):
    doc = json.loads(render.render(compared, "json"))
    assert doc["schema"] == matrix.SCHEMA and doc["tool"].startswith("openness-gate ")
    assert matrix.Matrix.from_dict(doc) == compared
    table = list(csv.DictReader(io.StringIO(render.render(compared, "csv"))))
    for row, line in zip(compared.rows, table):
        assert line["target"] == row.target
        assert all(line[cid] == (c.status if row.error is None else "") for cid, c in row.cells.items())
    evidence = [e for r in doc["rows"] for c in r["cells"].values() for e in c["evidence"]]
    assert evidence and all("reason" in e for e in evidence)


def test_a_baseline_shows_what_changed(tmp_path):
    repo = tmp_path / "model"
    shutil.copytree(EXAMPLES / "bare-code-repo", repo)
    old = tmp_path / "old.json"
    first = run_cli("compare", str(repo), str(EXAMPLES / "open-science-model"), "--format", "json", "--output", str(old))
    assert first.returncode == 0, first.stderr
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## 1.0.0 - 2026-01-01\n\n- First release.\n")
    again = run_cli("compare", str(repo), str(EXAMPLES / "open-science-model"), "--baseline", str(old))
    assert again.returncode == 0, again.stderr
    section = again.stdout.split("### Changes since the baseline", 1)[1]
    assert "Change log missing → present" in section and "open-science-model" not in section


def test_command_line_errors_and_exit_codes(tmp_path):
    listing = tmp_path / "targets.txt"
    listing.write_text(f"# the examples\n{EXAMPLES / 'bare-code-repo'}\n\n{tmp_path / 'missing'}  # gone\n")
    out = run_cli("compare", "--targets", str(listing), "--format", "csv")
    assert out.returncode == 1 and "Traceback" not in out.stderr  # one target could not be checked
    assert "not a directory" in out.stdout or "does not exist" in out.stdout or "no such" in out.stdout.lower()
    for args, fragment in ((["compare"], "no targets"),
                           (["compare", "a", "a"], "given twice"),
                           (["compare", str(EXAMPLES / "bare-code-repo"), "--baseline", str(listing)], "--baseline")):
        bad = run_cli(*args)
        assert bad.returncode == 2 and fragment in bad.stderr and "Traceback" not in bad.stderr


def test_the_html_page_is_self_contained_and_escapes_the_repository(tmp_path):
    (tmp_path / "hostile").mkdir()
    write_hostile_repo(tmp_path / "hostile")
    page = run_cli("compare", str(tmp_path / "hostile"), str(EXAMPLES / "open-science-model"), "--format", "html")
    assert page.returncode == 0, page.stderr
    a = audit(page.stdout)
    assert a.tags <= ALLOWED_TAGS | {"script", "input", "label", "dl", "dt", "dd"}, a.tags - ALLOWED_TAGS
    assert not [p for p in a.problems if not p.startswith("<a href=#e")], a.problems[:5]
    assert page.stdout.count("<script>") == 1 and "onerror=alert" not in page.stdout.replace("onerror=alert(1)&gt;", "")


def _big(compared: matrix.Matrix, n: int) -> matrix.Matrix:
    rows = [r for r in compared.rows if r.error is None]
    many = [replace(rows[i % len(rows)], target=f"org-{i:03d}/model-{i:03d}", score=(i * 37) % 101) for i in range(n)]
    return replace(compared, rows=matrix.ranked(many + [compared.rows[-1]]))


@pytest.mark.parametrize("n", [20, 200])
def test_the_html_page_renders_in_chromium_at_20_and_200_models(compared, tmp_path, n):
    page = tmp_path / f"compare-{n}.html"
    page.write_text(render.render(_big(compared, n), "html"), encoding="utf-8")
    dom = _browse(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console(dom.stderr), _console(dom.stderr)  # a script refused by the CSP would log here
    assert dom.stdout.count('<tr data-name="org-') == n
    shot = tmp_path / f"compare-{n}.png"
    snap = _browse(page, tmp_path, f"--screenshot={shot}", "--window-size=1400,900", "--hide-scrollbars")
    assert snap.returncode == 0 and shot.exists(), snap.stderr[-2000:]
    assert _png_size(shot) == (1400, 900) and shot.stat().st_size > 40_000


def test_a_cache_reuses_the_rows_of_remote_models_that_did_not_move(tmp_path):
    from fake_github_org import FakeOrg
    from test_org import failing_files, passing_files

    fake = FakeOrg()
    fake.start()
    try:
        fake.add_repo("a", passing_files())
        fake.add_repo("b", failing_files())
        env = {"GITHUB_API_URL": fake.url, "GITHUB_TOKEN": "write-token"}
        cache = tmp_path / "cache.json"
        args = ("compare", "github:octo-org/a", "github:octo-org/b", "--cache", str(cache), "--format", "json")
        first = run_cli(*args, env=env)
        assert first.returncode == 0, first.stderr
        reads = [c for c in fake.calls() if "/tarball/" in c or "/git/trees/" in c]
        assert len(reads) >= 2
        fake.log.clear()
        second = run_cli(*args, env=env)
        assert json.loads(second.stdout) == json.loads(first.stdout)
        assert not [c for c in fake.calls() if "/tarball/" in c or "/git/trees/" in c]  # resolved, not read
        fake.repos["a"].files["README.md"] = b"# a\n\nno card any more\n"
        fake.log.clear()
        third = json.loads(run_cli(*args, env=env).stdout)
        assert [c for c in fake.calls() if "/git/trees/" in c] and all("octo-org/a" in c for c in fake.calls()
                                                                         if "/git/trees/" in c)
        rows = {r["target"]: r for r in third["rows"]}
        assert rows["github:octo-org/a"]["cells"]["docs.model_card"]["status"] != "present"
    finally:
        fake.stop()


def test_a_cache_path_that_cannot_be_written_names_cache_and_loses_no_report(tmp_path):
    out = tmp_path / "matrix.md"
    bad = tmp_path / "a-folder"
    bad.mkdir()
    done = run_cli("compare", str(EXAMPLES / "open-science-model"), "--cache", str(bad), "-o", str(out))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"--cache {bad}: is a directory" in done.stderr and "--output" not in done.stderr
    assert out.is_file() and "open-science-model" in out.read_text()
