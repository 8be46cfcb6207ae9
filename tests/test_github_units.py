"""Pieces of the GitHub integration a user meets directly: event parsing, workflow commands,
outputs, the base-vs-head comparison and its Markdown."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES
from openness_gate.checker import check_inventory
from openness_gate.policy.compare import compare
from openness_gate.errors import UsageError
from openness_gate.github import env as gh_env
from openness_gate.github import workflow
from openness_gate.github.summary import changes_section, gate_line
from openness_gate.sources import gittree, local


def test_pull_request_event_gives_number_shas_and_fork_flag(tmp_path):
    event = {"number": 12, "pull_request": {"number": 12, "base": {"sha": "a" * 40},
                                            "head": {"sha": "b" * 40, "repo": {"full_name": "someone/model",
                                                                                "fork": True}}}}
    path = tmp_path / "event.json"
    path.write_text(json.dumps(event))
    e = gh_env.from_environ({"GITHUB_EVENT_PATH": str(path), "GITHUB_REPOSITORY": "org/model",
                             "GITHUB_RUN_NUMBER": "41", "GITHUB_API_URL": "https://ghe.example/api/v3/"})
    assert e.pull_request == gh_env.PullRequest(12, "a" * 40, "b" * 40, True)
    assert e.run_number == 41 and e.run_attempt == 1
    assert e.api_url == "https://ghe.example/api/v3"


def test_push_event_and_missing_payload_are_not_pull_requests(tmp_path):
    path = tmp_path / "push.json"
    path.write_text(json.dumps({"ref": "refs/heads/main", "after": "c" * 40}))
    assert gh_env.from_environ({"GITHUB_EVENT_PATH": str(path)}).pull_request is None
    assert gh_env.from_environ({}).pull_request is None
    assert gh_env.from_environ({}).api_url == "https://api.github.com"


def test_unreadable_event_payload_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UsageError, match="not JSON"):
        gh_env.from_environ({"GITHUB_EVENT_PATH": str(bad)})
    with pytest.raises(UsageError, match="cannot read"):
        gh_env.from_environ({"GITHUB_EVENT_PATH": str(tmp_path / "absent.json")})


def test_annotations_cannot_be_broken_out_of():
    out = io.StringIO()
    hostile = "line one\n::error::forged by the repository %0A"
    workflow.emit_annotations([workflow.Annotation("warning", hostile, "t:i,t", "dir/a,b:c.md", 3)], out)
    [line] = out.getvalue().splitlines()
    assert line == ("::warning file=dir/a%2Cb%3Ac.md,line=3,title=t%3Ai%2Ct::"
                    "line one%0A::error::forged by the repository %250A")


def test_at_most_ten_errors_and_ten_warnings():
    out = io.StringIO()
    items = [workflow.Annotation(level, f"{level} {i}") for level in ("error", "warning") for i in range(15)]
    assert workflow.emit_annotations(items, out) == 20
    lines = out.getvalue().splitlines()
    assert sum(ln.startswith("::error") for ln in lines) == 10
    assert sum(ln.startswith("::warning") for ln in lines) == 10


def test_outputs_use_a_heredoc_for_multiline_values(tmp_path, monkeypatch):
    path = tmp_path / "out"
    assert workflow.set_outputs({"score": "80", "notes": "a\nb=c\n"}, str(path))
    text = path.read_text()
    assert text.startswith("score=80\nnotes<<og_")
    delimiter = text.splitlines()[1].split("<<")[1]
    assert text.endswith(f"\na\nb=c\n\n{delimiter}\n")
    monkeypatch.delenv("GITHUB_OUTPUT", raising=False)
    assert not workflow.set_outputs({"x": "1"})  # outside Actions: nothing to write, no error


def _repo_pair(git_repo, change):
    root, commit = git_repo
    shutil.copytree(EXAMPLES / "open-science-model", root, dirs_exist_ok=True)
    base = commit("base")
    change(root)
    commit("head")
    return (check_inventory(gittree.load(str(root), base), "ai-stack"),
            check_inventory(local.load(str(root)), "ai-stack"))


def test_losing_the_model_card_is_a_regression_naming_it(git_repo):
    base, head = _repo_pair(git_repo, lambda root: (root / "README.md").unlink())
    cmp = compare(base, head)
    assert cmp.regressed
    assert "docs.model_card" in [c.component for c in cmp.lost]
    assert any(r.component == "docs.model_card" and r.id in cmp.newly_failing for r in head.policy.requirements)
    assert any("Model card (docs.model_card) was present and is now missing" == r for r in cmp.reasons())
    md = "\n".join(changes_section(cmp))
    assert "| ➖ lost | Model card (`docs.model_card`) | present | **missing** |" in md


def test_adding_a_component_is_not_a_regression(git_repo):
    def add_guardrails(root):
        (root / "rails").mkdir()
        (root / "rails" / "config.yml").write_text("rails:\n  input:\n    flows:\n      - self check input\n")
        (root / "rails" / "prompts.yml").write_text("prompts:\n  - task: self_check_input\n")
    base, head = _repo_pair(git_repo, add_guardrails)
    cmp = compare(base, head)
    assert not cmp.regressed and cmp.reasons() == []
    assert all(c.kind in ("gained", "strengthened") for c in cmp.changes)


def test_unchanged_repository_has_no_changes(git_repo):
    base, head = _repo_pair(git_repo, lambda root: (root / "NOTES.md").write_text("notes\n"))
    cmp = compare(base, head)
    assert cmp.changes == () and cmp.score_delta == 0 and not cmp.regressed
    assert "No component changes status." in changes_section(cmp)


def test_gate_line_escapes_reasons():
    line = gate_line(False, ["policy <img src=x> @team #12"])
    assert "<img" not in line.replace("\\<img", "")  # escaped: shows the text, makes no image
    assert "@team" not in line.replace("`@team`", "")  # inside a code span: no mention
    assert gate_line(True, []) == "**Gate: passed.**"


def test_a_local_check_never_imports_pygithub_or_requests(tmp_path):
    code = ("import sys; from openness_gate.checker import check; check(sys.argv[1]); "
            "import openness_gate.github.action, openness_gate.github.comment; "
            "print(sorted(m for m in ('github', 'requests', 'urllib3') if m in sys.modules))")
    (tmp_path / "README.md").write_text("# x\n")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("policy", ["minimal", "ai-stack"])
def test_a_json_report_read_back_renders_the_same_comment(tmp_path, policy):
    from openness_gate import report
    from openness_gate.checker import check
    from openness_gate.github import report_input

    result = check(str(EXAMPLES / "open-science-model"), policy)
    path = tmp_path / "report.json"
    path.write_text(report.render(result, "json"))
    again = report_input.load(str(path))
    assert report.render(again, "json") == report.render(result, "json")
    assert report.render(again, "markdown") == report.render(result, "markdown")


def test_a_report_that_is_not_ours_is_a_one_line_usage_error(tmp_path):
    from openness_gate.github import report_input

    path = tmp_path / "report.json"
    path.write_text(json.dumps({"schema_version": 1, "components": "all of them"}))
    with pytest.raises(UsageError, match="does not match the report schema"):
        report_input.load(str(path))
    path.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(UsageError, match="not JSON"):
        report_input.load(str(path))
