"""The project's own GitHub workflows and its pre-commit hook: they cannot run here, so their
shape is tested (pinned actions, least privilege, what each must do), and the hook is run for
real through pre-commit, offline."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import EXAMPLES, ROOT, run_cli

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")
README_TEST_TAIL = "pip install -q -e '.[test]' && .venv/bin/python -m pytest -q"


def load(name: str) -> dict:
    spec = yaml.safe_load((WORKFLOWS / name).read_text())
    spec["on"] = spec.pop(True, spec.get("on"))  # YAML 1.1 reads the key `on` as True
    return spec


def steps(spec: dict) -> list[dict]:
    return [s for job in spec["jobs"].values() for s in job.get("steps", [])]


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")) + [ROOT / "action.yml"], ids=lambda p: p.name)
def test_every_action_used_is_pinned_to_a_commit_with_its_version_in_a_comment(path):
    text = path.read_text()
    uses = re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, re.M)
    assert uses, "no actions used?"
    for ref, rest in uses:
        if ref.startswith("./"):
            continue  # this repository itself
        assert PINNED.match(ref), f"{path.name}: {ref} is not pinned to a full commit SHA"
        assert re.match(r"\s+#\s*v\d+(\.\d+)*\s*$", rest), f"{path.name}: {ref} lacks a '# vX.Y.Z' comment"


def test_workflows_grant_least_privilege():
    for name in ("ci.yml", "self-test.yml"):
        spec = load(name)
        assert spec["permissions"] == {"contents": "read"}, name
        assert all("permissions" not in job for job in spec["jobs"].values()), name
    release = load("release.yml")
    assert release["permissions"] == {}  # nothing by default; each job asks for what it needs
    granted = {name: job.get("permissions") for name, job in release["jobs"].items()}
    assert granted == {"build": {"contents": "read"}, "publish": {"id-token": "write"},
                       "major-tag": {"contents": "write"}}


def test_ci_runs_the_readme_test_command_on_every_supported_python_and_the_cli_on_windows():
    spec = load("ci.yml")
    matrix = spec["jobs"]["tests"]["strategy"]["matrix"]
    assert matrix["python"] == ["3.10", "3.11", "3.12", "3.13"]
    assert {"ubuntu-latest", "macos-latest"} <= set(matrix["os"])
    runs = [s.get("run", "") for s in spec["jobs"]["tests"]["steps"]]
    assert any(r.rstrip().endswith(README_TEST_TAIL) for r in runs)
    assert README_TEST_TAIL in (ROOT / "README.md").read_text() and README_TEST_TAIL in (ROOT / ".ci" / "run").read_text()
    windows = [j for j in spec["jobs"].values() if str(j["runs-on"]).startswith("windows")]
    assert windows and any("openness-gate check" in s.get("run", "") for s in windows[0]["steps"])


def test_self_test_dogfoods_the_action_on_every_example_with_the_verdict_check_gives():
    spec = load("self-test.yml")
    [job] = spec["jobs"].values()
    gate = next(s for s in job["steps"] if s.get("uses") == "./")
    assert gate["with"]["path"] == "examples/${{ matrix.example }}" and gate.get("continue-on-error") is True
    expected = {row["example"]: row for row in job["strategy"]["matrix"]["include"]}
    assert set(expected) == {p.name for p in EXAMPLES.iterdir() if p.is_dir()}
    for name, row in expected.items():  # the workflow's expectations are the checker's real verdicts
        report = json.loads(run_cli("check", str(EXAMPLES / name), "--format", "json").stdout)
        assert row["passed"] == str(report["policy"]["passed"]).lower(), name
        assert row["level"] == (report["policy"]["level"] or ""), name
    asserted = next(s for s in job["steps"] if "WANT_PASSED" in s.get("env", {}))
    assert 'test "$PASSED" = "$WANT_PASSED"' in asserted["run"] and 'test "$LEVEL" = "$WANT_LEVEL"' in asserted["run"]


def test_release_builds_publishes_with_trusted_publishing_and_moves_the_major_tag():
    spec = load("release.yml")
    assert spec["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    publish = spec["jobs"]["publish"]
    [pypi] = [s for s in publish["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish@")]
    assert not (pypi.get("with") or {}).get("password")  # OIDC, no stored token
    assert publish["needs"] == "build" and spec["jobs"]["major-tag"]["needs"] == "publish"
    build = " ".join(s.get("run", "") for s in spec["jobs"]["build"]["steps"])
    assert "python -m build" in build and "policy list" in build
    move = " ".join(s.get("run", "") for s in spec["jobs"]["major-tag"]["steps"])
    assert 'major="${TAG%%.*}"' in move and "git push --force origin" in move


def test_pre_commit_hook_file_is_valid_for_pre_commit():
    from pre_commit.clientlib import load_manifest

    [hook] = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "openness-gate" and hook["pass_filenames"] is False and hook["language"] == "python"
    assert hook["entry"].split()[0] in _console_scripts()


def _console_scripts() -> set[str]:
    tomllib = pytest.importorskip("tomllib")
    return set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"])


def _git(cwd, *args: str) -> None:
    subprocess.run(["git", "-C", str(cwd), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   check=True, capture_output=True)


def test_pre_commit_runs_the_hook_with_a_policy_argument(tmp_path, source_copy, install_env):
    """pre-commit installs the hook from the repository (offline, from the test wheelhouse) and
    runs it on a model repository with the policy given as the hook's argument."""
    _, env = install_env
    hooks_repo = shutil.copytree(source_copy, tmp_path / "hooks")
    _git(hooks_repo, "init", "-q")
    _git(hooks_repo, "add", "-A")
    _git(hooks_repo, "commit", "-q", "-m", "hooks")
    model = shutil.copytree(EXAMPLES / "open-science-model", tmp_path / "model")
    _git(model, "init", "-q")
    _git(model, "add", "-A")
    _git(model, "commit", "-q", "-m", "model")
    home = {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}

    def run(*args: str) -> subprocess.CompletedProcess:
        config = {"repos": [{"repo": str(hooks_repo), "rev": "HEAD",
                             "hooks": [{"id": "openness-gate", "args": list(args), "verbose": True}]}]}
        (model / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=model, env=home, capture_output=True, text=True, timeout=600)

    passing = run("--policy", "mof")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert re.search(r"openness-gate\.+Passed", passing.stdout) and "PASSED (policy mof, " in passing.stdout
    (model / "README.md").unlink()  # the model card goes
    failing = run("--policy", "minimal")
    assert failing.returncode == 1 and re.search(r"openness-gate\.+Failed", failing.stdout)
    assert "FAILED (policy minimal, " in failing.stdout and "Model card" in failing.stdout
