"""The Action as the runner runs it: action.yml's steps, a pull_request event, the fake API.

``ActionRunner`` reads ``action.yml`` and runs its composite steps the way the GitHub runner
does: ``${{ }}`` expressions substituted from inputs (defaults from action.yml), ``github``,
``runner`` and earlier steps' outputs; each ``run:`` step in ``bash --noprofile --norc -eo
pipefail`` with the standard ``GITHUB_*`` variables, a fresh ``GITHUB_OUTPUT`` file per step
read back into ``steps.<id>.outputs``; the first failing step ends the run with its exit code.

What a user's runner has, and nothing of this test process:
* the Action's folder is a ``git archive`` of the checkout (``conftest.source_copy``), as the
  runner downloads ``uses: owner/openness-gate@REF``; never this work tree;
* ``actions/setup-python`` stands in as a fresh venv made from the base interpreter, holding
  pip and nothing else (no openness-gate, no dependency);
* the environment is scrubbed: no ``PYTHONPATH``, ``PYTHONNOUSERSITE=1``, no pip
  configuration, and pip may install only from the offline wheelhouse the tests build
  (``conftest.install_env``), so the install step really builds openness-gate from the
  Action's folder and resolves its dependencies, offline;
* ``actions/cache`` is a miss on the first run of this module; the venv then persists in the
  module's RUNNER_TEMP, which is what a cache hit restores.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
import yaml

import wheelhouse
from conftest import EXAMPLES, ROOT, action_requirements
from fake_github import BOT, FakeGitHub

_EXPR = re.compile(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}")


@dataclass
class RunResult:
    exit_code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]  # the action's outputs (action.yml `outputs:`)
    summary: str
    seconds: float


ORG_POLICY_READ = "/repos/octo-org/.github/contents/openness/policy.yml"


def pr_api_calls(fake: FakeGitHub) -> list:
    """The requests about the pull request: everything but the read of the organisation minimum
    (``org-policy: auto``, one GET on every run that has a token)."""
    return [r for r in fake.log if r.path != ORG_POLICY_READ]


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT syntax: name=value lines and name<<DELIM … DELIM blocks."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            end = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:end])
            i = end + 1
            continue
        if "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
        i += 1
    return out


class ActionRunner:
    def __init__(self, action_dir: pathlib.Path, runner_temp: pathlib.Path, python: pathlib.Path,
                 machine_env: dict[str, str]) -> None:
        self.action_dir = action_dir
        self.spec = yaml.safe_load((action_dir / "action.yml").read_text())
        self.runner_temp = runner_temp
        self.python = python  # what setup-python provides
        self.machine_env = machine_env  # the runner machine's environment: PATH, HOME, offline pip

    def run(self, workspace: pathlib.Path, event: dict, env: dict[str, str], with_: dict[str, str] | None = None,
            token: str = "write-token", event_name: str = "pull_request") -> RunResult:
        started = time.monotonic()
        work = pathlib.Path(self.runner_temp) / f"run-{time.monotonic_ns()}"
        work.mkdir(parents=True)
        event_path = work / "event.json"
        event_path.write_text(json.dumps(event))
        summary = work / "summary.md"
        summary.touch()
        inputs = {name: str(spec.get("default", "")) for name, spec in self.spec["inputs"].items()}
        inputs.update(with_ or {})
        context: dict = {"github": {"action_path": str(self.action_dir), "token": token,
                                    "event_name": event_name},
                         "runner": {"os": "Linux", "temp": str(self.runner_temp)}, "steps": {}}
        # defaults may hold expressions themselves (github-token: ${{ github.token }})
        context["inputs"] = {k: self.substitute(v, context) for k, v in inputs.items()}
        base_env = {
            **self.machine_env,
            "GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_EVENT_NAME": event_name,
            "GITHUB_EVENT_PATH": str(event_path), "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(self.action_dir), "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_ENV": str(work / "env"), "RUNNER_TEMP": str(self.runner_temp), "RUNNER_OS": "Linux",
            **env,
        }
        stdout, stderr = [], []
        for n, step in enumerate(self.spec["runs"]["steps"]):
            sid = step.get("id", f"__{n}")
            unsupported = set(step) - {"name", "id", "uses", "with", "shell", "env", "run"}
            assert not unsupported, f"this runner stand-in does not evaluate {unsupported}"
            if "uses" in step:
                context["steps"][sid] = {"outputs": self._stand_in(step["uses"])}
                continue
            output_file = work / f"output-{n}"
            output_file.touch()
            step_env = {**base_env, "GITHUB_OUTPUT": str(output_file),
                        **{k: self.substitute(str(v), context) for k, v in (step.get("env") or {}).items()}}
            assert step["shell"] == "bash"
            script = work / f"step-{n}.sh"
            script.write_text(self.substitute(step["run"], context))
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=workspace, env=step_env, capture_output=True, text=True, timeout=300)
            stdout.append(proc.stdout)
            stderr.append(proc.stderr)
            context["steps"][sid] = {"outputs": parse_output_file(output_file.read_text())}
            if proc.returncode != 0:
                break  # the runner still reads what the failed step wrote to GITHUB_OUTPUT
        else:
            proc = None
        outputs = {k: self.substitute(v["value"], context) for k, v in self.spec.get("outputs", {}).items()}
        return RunResult(proc.returncode if proc else 0, "".join(stdout), "".join(stderr), outputs,
                         summary.read_text(), time.monotonic() - started)

    def _stand_in(self, uses: str) -> dict[str, str]:
        if uses.startswith("actions/setup-python@"):
            return {"python-path": str(self.python), "python-version": "%d.%d.%d" % sys.version_info[:3]}
        if uses.startswith("actions/cache@"):
            return {}
        raise AssertionError(f"action.yml uses {uses}, which this test cannot stand in for")

    @staticmethod
    def substitute(text: str, context: dict) -> str:
        def value(m: re.Match) -> str:
            node = context
            for part in m.group(1).split("."):
                if not isinstance(node, dict):
                    raise AssertionError(f"unsupported expression {m.group(0)}")
                node = node.get(part, "") if m.group(1).startswith("steps.") else node[part]
            return str(node)
        return _EXPR.sub(value, text)


def pull_request_event(repository: str, number: int, base_sha: str, head_sha: str, fork: bool = False) -> dict:
    """The fields of a real `pull_request` (synchronize) payload, trimmed to what matters."""
    owner, name = repository.split("/")
    head_repo = f"{'contributor' if fork else owner}/{name}"
    return {
        "action": "synchronize", "number": number,
        "pull_request": {
            "url": f"https://api.github.com/repos/{repository}/pulls/{number}", "id": 1, "number": number,
            "state": "open", "title": "Update the model", "user": {"login": "contributor", "type": "User"},
            "head": {"label": "contributor:feature", "ref": "feature", "sha": head_sha,
                     "repo": {"full_name": head_repo, "fork": fork}},
            "base": {"label": f"{owner}:main", "ref": "main", "sha": base_sha,
                     "repo": {"full_name": repository, "fork": False}},
            "draft": False, "merged": False,
        },
        "repository": {"full_name": repository, "name": name, "owner": {"login": owner}, "fork": False},
        "sender": {"login": "contributor", "type": "User"},
    }


@pytest.fixture(scope="module")
def runner(tmp_path_factory, source_copy, install_env):
    _, machine_env = install_env
    setup_python = wheelhouse.fresh_venv(tmp_path_factory.mktemp("setup-python") / "python", machine_env,
                                         with_pip=True)
    return ActionRunner(source_copy, tmp_path_factory.mktemp("runner-temp"), setup_python, machine_env)


@pytest.fixture
def fake():
    server = FakeGitHub()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def model_repo(git_repo):
    """A pull request on a passing model repository: base commit, and a helper to make head commits."""
    root, commit = git_repo
    shutil.copytree(EXAMPLES / "open-science-model", root, dirs_exist_ok=True)
    base = commit("base")
    return root, commit, base


def run_action(runner, fake, root, base, head, run_number, token="write-token", fork=False, **with_):
    env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_RUN_NUMBER": str(run_number),
           "GITHUB_RUN_ATTEMPT": "1", "GITHUB_SHA": head, "GITHUB_SERVER_URL": "https://github.com"}
    event = pull_request_event(fake.repository, fake.pr_number, base, head, fork)
    return runner.run(root, event, env, {"policy": "minimal", **with_}, token=token)


def _ours(fake):
    return [c for c in fake.comments.values() if "openness-gate:sticky" in c["body"]]


def test_first_run_creates_one_comment_and_the_next_updates_it(runner, fake, model_repo):
    root, commit, base = model_repo
    (root / "NOTES.md").write_text("notes\n")
    head = commit("head")
    first = run_action(runner, fake, root, base, head, run_number=1, comment="always")
    assert first.exit_code == 0, first.stderr
    assert len(_ours(fake)) == 1
    [c] = _ours(fake)
    assert "run=1 " in c["body"] and "**Gate: passed.**" in c["body"]
    assert first.outputs["comment-url"] == c["html_url"]
    assert first.outputs["passed"] == "true" and first.outputs["score"] == "100"
    report = json.loads(pathlib.Path(first.outputs["report-json"]).read_text())
    assert report["policy"]["name"] == "minimal"
    assert "write-token" not in first.stdout + first.stderr + first.summary  # the token is never printed

    (root / "README.md").write_text((root / "README.md").read_text() + "\nMore words.\n")
    head2 = commit("head 2")
    second = run_action(runner, fake, root, base, head2, run_number=2, comment="always")
    assert second.exit_code == 0
    assert [x["id"] for x in _ours(fake)] == [c["id"]]  # same comment, edited in place
    assert f"sha={head2}" in fake.comments[c["id"]]["body"] and "run=2 " in fake.comments[c["id"]]["body"]
    assert "PATCH" in " ".join(fake.calls())


def test_re_running_the_same_event_five_times_leaves_one_comment_and_writes_once(runner, fake, model_repo):
    root, commit, base = model_repo
    (root / "NOTES.md").write_text("notes\n")
    head = commit("head")
    for attempt in range(5):
        result = run_action(runner, fake, root, base, head, run_number=3, comment="always")
        assert result.exit_code == 0
        if attempt == 0:
            fake.log.clear()
    assert len(fake.comments) == 1
    writes = [r for r in fake.log if r.method in ("POST", "PATCH", "DELETE") and "graphql" not in r.path]
    assert writes == []  # nothing changed: no write at all
    assert len(fake.log) / 4 <= 5  # API calls per run when nothing changed


def test_an_older_run_never_overwrites_a_newer_verdict(runner, fake, model_repo):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    newer_head = commit("drop the model card")
    newer = run_action(runner, fake, root, base, newer_head, run_number=9)
    assert newer.exit_code == 1
    [c] = _ours(fake)
    before = c["body"]
    subprocess.run(["git", "-C", str(root), "checkout", "-q", base], check=True)  # the older run's commit
    late = run_action(runner, fake, root, base, base, run_number=8, comment="always")  # finishing late
    assert late.exit_code == 0
    assert _ours(fake)[0]["body"] == before
    assert "newer-run-kept" in late.stdout


def test_read_only_token_writes_the_summary_warns_and_keeps_the_verdict(runner, fake, model_repo):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    result = run_action(runner, fake, root, base, head, run_number=4, token="fork-token", fork=True)
    assert result.exit_code == 1  # the policy verdict, not an API error
    assert fake.comments == {}
    assert "::warning::openness-gate could not comment on the pull request" in result.stdout
    assert "two-workflow pattern" in result.stdout
    assert "**Gate: failed**" in result.summary and "Model card" in result.summary
    assert result.outputs["passed"] == "false"


def test_deleting_the_model_card_fails_with_compare_base_and_names_the_lost_component(runner, fake, model_repo):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    result = run_action(runner, fake, root, base, head, run_number=5, **{"fail-on": "never"})
    assert result.exit_code == 1  # only the regression rule fails it: fail-on is never
    [c] = _ours(fake)
    assert "this pull request lowers openness" in c["body"]
    assert "Model card (docs.model\\_card) was present and is now missing" in c["body"] or \
        re.search(r"Model card \(docs\.model.card\) was present and is now missing", c["body"])
    assert re.search(r"\| ➖ lost \| Model card \(`docs.model_card`\) \| present \| \*\*missing\*\* \|", c["body"])
    assert result.outputs["regressed"] == "true"
    assert "::error title=openness-gate%3A component lost::Model card (docs.model_card)" in result.stdout

    without = run_action(runner, fake, root, base, head, run_number=6, **{"fail-on": "never",
                                                                          "compare-base": "false"})
    assert without.exit_code == 0 and without.outputs["regressed"] == "false"


def test_outputs_files_and_annotations(runner, fake, model_repo, tmp_path):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    sarif, badge = tmp_path / "out" / "og.sarif", tmp_path / "out" / "badge.svg"
    (root / "DATASHEET.md").write_text("# Datasheet\n\nTODO\n")  # a datasheet that is only a stub
    head = commit("stub the datasheet")
    result = run_action(runner, fake, root, base, head, run_number=7, comment="never", policy="ai-stack",
                        **{"sarif-file": str(sarif), "badge-file": str(badge)})
    assert result.exit_code == 1
    assert pr_api_calls(fake) == []  # comment: never makes no call about the pull request
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert badge.read_text().lstrip().startswith("<svg")
    assert result.outputs["badge-file"] == result.outputs["badge-svg"] == str(badge)
    assert result.outputs["passed"] == "false" and result.outputs["level"] == ""
    errors = [ln for ln in result.stdout.splitlines() if ln.startswith("::error")]
    assert 1 <= len(errors) <= 10
    assert any("docs.model_card" in ln for ln in errors)
    located = [m.group(1) for ln in result.stdout.splitlines()
               if (m := re.match(r"::(?:error|warning) file=([^,]+),", ln))]
    assert located and all((root / p).is_file() for p in located)  # annotations point at real files only


def test_a_push_gets_the_summary_and_verdict_without_any_api_call(runner, fake, model_repo, tmp_path):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_RUN_NUMBER": "3",
           "GITHUB_SHA": head}
    push = {"ref": "refs/heads/main", "before": base, "after": head, "repository": {"full_name": fake.repository}}
    endpoint = tmp_path / "badge.json"  # a shields.io endpoint badge, as a README badge on main reads it
    result = runner.run(root, push, env, {"policy": "minimal", "badge-file": str(endpoint)}, event_name="push")
    assert result.exit_code == 1 and result.outputs["passed"] == "false"
    assert result.outputs["badge-file"] == str(endpoint)
    assert json.loads(endpoint.read_text())["schemaVersion"] == 1
    assert pr_api_calls(fake) == []
    assert "**Gate: failed**" in result.summary and "What this pull request changes" not in result.summary


def test_an_unreachable_api_is_a_warning_and_the_verdict_stands(runner, fake, model_repo):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    fake.fail_next(100, status=503)
    result = run_action(runner, fake, root, base, head, run_number=5)
    assert result.exit_code == 1  # the policy verdict, not an API error
    assert "::warning::openness-gate could not comment on the pull request: GitHub API answered HTTP 503" \
        in result.stdout
    assert len(pr_api_calls(fake)) == 4  # one try, three retries with backoff
    assert result.outputs["passed"] == "false" and "**Gate: failed**" in result.summary


def test_bad_input_is_exit_2_with_one_line(runner, fake, model_repo):
    root, commit, base = model_repo
    result = run_action(runner, fake, root, base, base, run_number=1, **{"fail-on": "sometimes"})
    assert result.exit_code == 2
    assert "input fail-on: 'sometimes' is not one of required, recommended, never" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_repository_config_is_exit_2_before_any_api_call(runner, fake, model_repo):
    root, commit, base = model_repo
    (root / ".openness.yml").write_text("policy: [unclosed\n")
    head = commit("break the config")
    result = run_action(runner, fake, root, base, head, run_number=2, policy="")
    assert result.exit_code == 2
    assert result.stdout.count("::error") == 1 and ".openness.yml" in result.stderr
    assert "Traceback" not in result.stderr and pr_api_calls(fake) == []


def test_action_requirements_match_the_package_dependencies():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    shipped = action_requirements()
    assert sorted(shipped) == sorted(declared)


def test_action_metadata_declares_the_documented_inputs_and_outputs():
    spec = yaml.safe_load((ROOT / "action.yml").read_text())
    assert spec["runs"]["using"] == "composite" and spec["branding"]["icon"]
    for name in ("path", "policy", "github-token", "comment", "fail-on", "compare-base", "sarif-file",
                 "badge-file", "report-file"):
        assert name in spec["inputs"], name
    assert spec["inputs"]["github-token"]["default"] == "${{ github.token }}"
    for name in ("passed", "score", "level", "report-json", "badge-file", "badge-svg", "comment-url"):
        assert spec["outputs"][name]["value"] == f"${{{{ steps.gate.outputs.{name} }}}}"
    gate = next(s for s in spec["runs"]["steps"] if s.get("id") == "gate")
    assert "${{" not in gate["run"]  # inputs reach the script through env, never spliced into shell code
    assert BOT == spec["inputs"]["comment-author"]["default"]


def workflow_run_event(repository: str, head_sha: str, run_number: int) -> dict:
    """A `workflow_run` (completed) payload for a run triggered by a pull request from a fork:
    GitHub leaves `pull_requests` empty in that case."""
    return {"action": "completed",
            "workflow_run": {"id": 99, "name": "openness-check", "event": "pull_request", "status": "completed",
                             "conclusion": "failure", "head_sha": head_sha, "head_branch": "feature",
                             "run_number": run_number, "run_attempt": 1, "pull_requests": [],
                             "head_repository": {"full_name": "contributor/tiny-model"}},
            "repository": {"full_name": repository}}


def _fork_pr_run(runner, fake, root, base, head, out_dir):
    """The unprivileged half: the pull_request run with a fork's read-only token, reports to files."""
    result = run_action(runner, fake, root, base, head, run_number=21, token="fork-token", fork=True,
                        comment="never", **{"report-file": str(out_dir / "report.json")})
    assert result.outputs["base-report-json"] == str(out_dir / "report.base.json")
    return result


def _privileged_run(runner, fake, head, out_dir, tmp_path, pr="7", base_report="report.base.json", **with_):
    """The privileged half: a workflow_run job with no checkout at all (an empty workspace)."""
    empty = tmp_path / "empty-workspace"
    empty.mkdir(exist_ok=True)
    env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_RUN_NUMBER": "400",
           "GITHUB_SHA": "f" * 40}
    return runner.run(empty, workflow_run_event(fake.repository, head, 21), env,
                      {"from-report": str(out_dir / "report.json"),
                       "from-base-report": str(out_dir / base_report), "pull-request": pr, **with_},
                      token="write-token", event_name="workflow_run")


def test_fork_safe_two_workflow_pattern_comments_from_the_uploaded_reports(runner, fake, model_repo, tmp_path):
    root, commit, base = model_repo
    os.remove(root / "README.md")
    head = commit("drop the model card")
    out_dir = tmp_path / "artifact"
    check = _fork_pr_run(runner, fake, root, base, head, out_dir)
    assert check.exit_code == 1 and pr_api_calls(fake) == []

    fake.pr_head_sha = head
    result = _privileged_run(runner, fake, head, out_dir, tmp_path)
    assert result.exit_code == 0, result.stderr
    [c] = _ours(fake)
    assert "**Gate: failed**" in c["body"] and "| ➖ lost | Model card (`docs.model_card`)" in c["body"]
    assert f"run=21 attempt=1 sha={head}" in c["body"]  # ordered by the pull-request run, not this one
    assert [c for c in fake.calls() if ORG_POLICY_READ not in c][0] == "GET /repos/octo-org/tiny-model/pulls/7"


def test_privileged_run_refuses_a_pull_request_that_is_not_at_the_reported_commit(runner, fake, model_repo,
                                                                                   tmp_path):
    root, commit, base = model_repo
    (root / "NOTES.md").write_text("notes\n")
    head = commit("head")
    out_dir = tmp_path / "artifact"
    _fork_pr_run(runner, fake, root, base, head, out_dir)
    fake.pr_head_sha = "e" * 40  # the artifact names PR 7, but PR 7 is at another commit
    result = _privileged_run(runner, fake, head, out_dir, tmp_path)
    assert result.exit_code == 0
    assert fake.comments == {}
    assert "::warning::openness-gate: pull request #7 is at eeeeeeeeeeee, not at the commit" in result.stdout
    assert "**Gate: passed.**" in result.summary  # the report still reaches the job summary
    bad = _privileged_run(runner, fake, head, out_dir, tmp_path, pr="7\nscore=100")
    assert bad.exit_code == 2 and "is not a pull request number" in bad.stderr


def test_a_tampered_report_cannot_inject_markup_or_a_second_marker(runner, fake, model_repo, tmp_path):
    root, commit, base = model_repo
    (root / "NOTES.md").write_text("notes\n")
    head = commit("head")
    out_dir = tmp_path / "artifact"
    _fork_pr_run(runner, fake, root, base, head, out_dir)
    report_path = out_dir / "report.json"
    data = json.loads(report_path.read_text())
    evil = ("<img src=x onerror=alert(1)> @org/admins\n"
            "<!-- openness-gate:sticky policy=minimal run=999999 attempt=1 sha= -->")
    data["components"][0]["status"] = "present"
    data["components"][0]["evidence"] = [{"path": "x.py", "line": 1, "reason": evil}]
    data["policy"]["requirements"][0]["message"] = evil
    report_path.write_text(json.dumps(data))
    fake.pr_head_sha = head
    result = _privileged_run(runner, fake, head, out_dir, tmp_path, comment="always")
    assert result.exit_code == 0, result.stderr
    [c] = _ours(fake)
    assert "onerror" in c["body"]  # the hostile text is shown…
    assert "<img" not in c["body"].replace("\\<img", "")  # …but escaped
    assert len(re.findall(r"^<!-- openness-gate:sticky", c["body"], re.M)) == 1
    assert "run=21 " in c["body"]

    data["components"][0]["id"] = "weights.stolen"
    report_path.write_text(json.dumps(data))
    bad = _privileged_run(runner, fake, head, out_dir, tmp_path)
    assert bad.exit_code == 2 and "weights.stolen" in bad.stderr and "Traceback" not in bad.stderr


def test_shipped_workflows_keep_the_privileged_job_away_from_pull_request_code():
    docs = ROOT / "docs" / "workflows"
    check = yaml.safe_load((docs / "fork-safe-check.yml").read_text())
    comment = yaml.safe_load((docs / "fork-safe-comment.yml").read_text())
    triggers = comment.get("on", comment.get(True))
    assert list(triggers) == ["workflow_run"] and triggers["workflow_run"]["workflows"] == [check["name"]]
    steps = [s for job in comment["jobs"].values() for s in job["steps"]]
    assert not any(str(s.get("uses", "")).startswith("actions/checkout") for s in steps)
    gate = next(s for s in steps if "openness-gate" in str(s.get("uses", "")))
    assert gate["with"]["from-report"] and gate["with"]["pull-request"]
    assert all("${{" not in s.get("run", "") or "steps." not in s.get("run", "") for s in steps)
    check_perms = check.get("permissions", {})
    assert check_perms.get("pull-requests") in (None, "read") and "write" not in str(check_perms)
    for name in ("basic.yml", "org-required.yml"):
        spec = yaml.safe_load((docs / name).read_text())
        assert any("openness-gate" in str(s.get("uses", "")) for job in spec["jobs"].values() for s in job["steps"])


def test_the_environment_is_rebuilt_when_the_package_changes_not_only_the_requirements(source_copy, tmp_path):
    """A cached venv must never run older code against newer policies: the cache key covers
    everything the install step installs, and nothing a build leaves behind."""
    def digest(folder: pathlib.Path) -> str:
        return subprocess.run([sys.executable, "-I", str(folder / "action" / "digest.py"), str(folder)],
                              capture_output=True, text=True, check=True).stdout.strip()

    copy = shutil.copytree(source_copy, tmp_path / "action", ignore=shutil.ignore_patterns("build", "*.egg-info"))
    before = digest(copy)
    (copy / "build").mkdir(exist_ok=True)
    (copy / "openness_gate" / "__pycache__").mkdir(exist_ok=True)
    (copy / "openness_gate" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert digest(copy) == before  # build leftovers are not the package
    for changed in ("policies/minimal.yml", "openness_gate/detectors/cards.py", "pyproject.toml",
                    "action/requirements.txt", "action.yml"):
        path = copy / changed
        original = path.read_bytes()
        path.write_bytes(original + b"\n# changed\n")
        assert digest(copy) != before, changed
        path.write_bytes(original)
    assert digest(copy) == before


def test_a_second_run_reuses_the_installed_environment(runner, fake, model_repo):
    root, commit, base = model_repo
    first = run_action(runner, fake, root, base, base, run_number=1, comment="never")
    again = run_action(runner, fake, root, base, base, run_number=2, comment="never")
    assert first.exit_code == again.exit_code == 0, first.stderr + again.stderr
    assert "openness-gate environment restored from the cache" in again.stdout
    venv = pathlib.Path(runner.runner_temp) / "openness-gate-venv"
    installed = subprocess.run([str(venv / "bin" / "python"), "-I", "-c",
                                "import openness_gate, sys; print(openness_gate.__file__)"],
                               capture_output=True, text=True, check=True).stdout
    assert str(venv) in installed and str(runner.action_dir) not in installed  # the installed copy runs
    # the install took google-re2 (the runner has a wheel) and kept every pattern's program: a
    # check compiles none, also of a repository unlike the one the runs checked
    probe = ("import re2, sys\nfrom openness_gate import sre_cache\n"
             "print('kept:', len(sre_cache._load(sre_cache._path())), file=sys.stderr)\n"
             "sys.argv = ['openness-gate', 'check', sys.argv[1], '--format', 'json']\n"
             "from openness_gate.cli import main\nmain()  # not run(): it would leave before the lines below\n"
             "print('compiled afresh:', len(sre_cache._new), file=sys.stderr)\n")
    out = subprocess.run([str(venv / "bin" / "python"), "-I", "-c", probe, str(EXAMPLES / "open-science-model")],
                         capture_output=True, text=True)
    assert "compiled afresh: 0" in out.stderr and '"components"' in out.stdout, out.stderr
    kept = int(out.stderr.split("kept:")[1].split()[0])
    assert kept > 300, out.stderr  # all of them (a check of one repository compiles 50-200)


def test_a_runner_without_a_google_re2_wheel_still_installs_and_checks(install_env, source_copy, fake, model_repo,
                                                                      tmp_path):
    """A self-hosted runner on a platform google-re2 ships no wheel for (Alpine's musl): the
    optional install says so in a notice, and the check runs with the str.find prefilter."""
    house, machine_env = install_env
    bare = tmp_path / "wheelhouse-without-re2"
    shutil.copytree(house, bare, ignore=shutil.ignore_patterns("google_re2-*"))
    env = {**machine_env, "PIP_FIND_LINKS": str(bare)}
    python = wheelhouse.fresh_venv(tmp_path / "setup-python", env, with_pip=True)
    runner = ActionRunner(source_copy, tmp_path / "runner-temp", python, env)
    root, _, base = model_repo
    result = run_action(runner, fake, root, base, base, run_number=1, comment="never")
    assert result.exit_code == 0, result.stderr
    assert "::notice title=openness-gate::no google-re2 wheel" in result.stdout
    assert result.outputs["passed"] == "true" and "Traceback" not in result.stderr
    venv = tmp_path / "runner-temp" / "openness-gate-venv"
    assert subprocess.run([str(venv / "bin" / "python"), "-I", "-c", "import re2"], capture_output=True).returncode


def test_hf_repo_adds_the_hub_side_and_an_unreadable_hub_leaves_the_verdict_incomplete(runner, fake, model_repo,
                                                                                       tmp_path):
    """A GitHub repository that mirrors a Hub model: the Hub's gating joins its evidence."""
    from fake_hub import FakeHub

    hub = FakeHub()
    hub.start()
    try:
        hub.add_repo("acme/tiny", {"README.md": "---\nlicense: apache-2.0\n---\n# tiny\n"}, gated="manual",
                     allowed_tokens={"granted-token"})
        root, _commit, base = model_repo
        env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_RUN_NUMBER": "4",
               "GITHUB_SHA": base, "HF_ENDPOINT": hub.url, "HF_TOKEN": "granted-token", "HF_HUB_DISABLE_TELEMETRY": "1",
               "HF_HOME": str(tmp_path / "hf")}
        push = {"ref": "refs/heads/main", "before": base, "after": base, "repository": {"full_name": fake.repository}}
        runs = {}
        for model in ("acme/tiny", "acme/missing"):
            report = tmp_path / f"{model.split('/')[1]}.json"
            result = runner.run(root, push, env, {"policy": "minimal", "hf-repo": model, "report-file": str(report)},
                                event_name="push")
            assert result.exit_code in (0, 1) and "Traceback" not in result.stderr, result.stderr[-2000:]
            runs[model] = (result, json.loads(report.read_text()))
        _, found = runs["acme/tiny"]
        release_type = next(c for c in found["components"] if c["id"] == "distribution.release_type")
        assert any("gated on the Hugging Face Hub (gated: manual)" in e["reason"] for e in release_type["evidence"])
        assert found["incomplete"] is False
        result, missing = runs["acme/missing"]
        assert missing["incomplete"] is True
        assert [s["path"] for s in missing["inventory"]["incomplete"]] == ["hf:acme/missing"]
        assert "::warning::openness-gate: hf-repo: hf:acme/missing: model repository not found" in result.stdout
        assert result.outputs["passed"] in ("true", "false")  # the verdict stands; --fail-on-incomplete decides
    finally:
        hub.stop()
