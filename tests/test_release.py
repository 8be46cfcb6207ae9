"""Release gating against the fake GitHub API: the verdict of a tagged commit under the release
policy, the evidence attached to the release (assets and one notes section), ``on-fail``, a
read-only token, tag pushes with a previous tag, hostile release notes and repository text.

Most tests run the Action's entry point in this process (``action.main`` with a runner-like
environment); ``test_action_yml_gates_a_release_event`` runs ``action.yml`` itself as the
runner does, from a ``git archive`` copy with a scrubbed environment (``test_action.ActionRunner``).
"""

from __future__ import annotations

import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest
import yaml

from conftest import EXAMPLES, ROOT
from fake_github import UPLOADS
from openness_gate.errors import ConfigError
from openness_gate.github import action, release as rel
from openness_gate.github.env import ReleaseEvent, from_environ
from openness_gate.github.release import END, START
from test_action import fake, parse_output_file, pull_request_event, runner  # noqa: F401  (fixtures)

AUTHOR_NOTES = "## What's changed\n\n* Trained on more data by @maintainer in #12\n\n**Full Changelog**: v0.9.0...v1.0.0\n"
NAMES = ("openness-badge.svg", "openness-report.html", "openness-report.json")


# --- harness ------------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str


def _git(root: pathlib.Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def model(git_repo):
    """A passing model repository (the open-science example) at one commit; returns (root, commit)."""
    root, commit = git_repo
    shutil.copytree(EXAMPLES / "open-science-model", root, dirs_exist_ok=True)
    return root, commit


def release_event(release: dict, action_name: str = "published") -> dict:
    """A `release` payload, as the runner writes it (the release as it was when the event fired)."""
    keys = ("id", "tag_name", "name", "body", "draft", "prerelease", "html_url", "upload_url", "url")
    return {"action": action_name, "release": {k: release.get(k) for k in keys},
            "repository": {"full_name": "octo-org/tiny-model"}, "sender": {"login": "maintainer"}}


def tag_push_event(tag: str, sha: str) -> dict:
    return {"ref": f"refs/tags/{tag}", "before": "0" * 40, "after": sha, "created": True, "deleted": False,
            "repository": {"full_name": "octo-org/tiny-model"}}


def run_gate(capsys, tmp_path, fake, root, event: dict, sha: str, event_name: str = "release",
             token: str = "write-token", **inputs: str) -> Run:
    """``action.main`` as action.yml runs it: INPUT_* variables, GITHUB_* files, the fake API."""
    runs = tmp_path.parent / f"{tmp_path.name}-runner-temp"  # outside the repository, as on a runner
    runs.mkdir(exist_ok=True)
    work = runs / f"run-{len(list(runs.glob('run-*')))}"
    work.mkdir()
    (work / "event.json").write_text(json.dumps(event))
    for name in ("output", "summary"):
        (work / name).touch()
    env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_EVENT_NAME": event_name,
           "GITHUB_EVENT_PATH": str(work / "event.json"), "GITHUB_SHA": sha, "GITHUB_RUN_NUMBER": "3",
           "GITHUB_RUN_ATTEMPT": "1", "GITHUB_WORKSPACE": str(root), "GITHUB_OUTPUT": str(work / "output"),
           "GITHUB_STEP_SUMMARY": str(work / "summary"), "RUNNER_TEMP": str(work),
           "INPUT_PATH": str(root), "INPUT_GITHUB_TOKEN": token, "INPUT_POLICY": "minimal", "INPUT_ORG_POLICY": "false"}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    capsys.readouterr()
    code = action.main(env)
    out, err = capsys.readouterr()
    return Run(code, out, err, parse_output_file((work / "output").read_text()), (work / "summary").read_text())


def body_of(fake, release: dict) -> str:
    return fake.releases[release["id"]]["body"] or ""


def sections(body: str) -> int:
    return len(rel.find_sections(body))


def asset_names(fake, release: dict) -> list[str]:
    return sorted(a["name"] for a in fake.release_assets(release["id"]))


def writes(fake) -> list[str]:
    return [f"{r.method} {r.path}" for r in fake.log if r.method in ("POST", "PATCH", "DELETE")]


# --- passing and failing releases -----------------------------------------------------------

def test_a_passing_release_gets_one_section_at_the_top_and_its_evidence(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha)
    assert run.code == 0, run.stdout + run.stderr
    assert run.outputs["passed"] == "true" and run.outputs["level"] == "minimal" and run.outputs["score"] == "100"
    assert run.outputs["release-url"] == release["html_url"]
    body = body_of(fake, release)
    assert body.startswith(START) and body.endswith("\n\n" + AUTHOR_NOTES)  # the author's notes, byte for byte
    assert sections(body) == 1 and "**Release gate: passed** · policy `minimal`" in body
    assert asset_names(fake, release) == sorted(NAMES)
    report = pathlib.Path(run.outputs["report-json"]).read_bytes()
    assert fake.asset_data(release["id"], "openness-report.json") == report  # the asset is the report-json output
    assert fake.asset_data(release["id"], "openness-badge.svg").startswith(b"<svg")
    assert b"<html" in fake.asset_data(release["id"], "openness-report.html")[:200].lower()
    html_url = next(a["browser_download_url"] for a in fake.release_assets(release["id"])
                    if a["name"] == "openness-report.html")
    assert f"[HTML report]({html_url})" in body
    labels = {a["name"]: a["label"] for a in fake.release_assets(release["id"])}
    assert labels["openness-report.json"] == "Openness report (JSON)"
    uploads = [c for c in writes(fake) if c.startswith("POST")]
    assert uploads and all(c.startswith(f"POST {UPLOADS}/repos/") for c in uploads)  # the upload host only
    assert "**Release gate: passed.**" in run.summary and "Release `v1.0.0`" in run.summary
    assert "write-token" not in run.stdout + run.stderr + run.summary


def test_a_failing_release_fails_the_job_and_leaves_the_release_as_it_is(capsys, tmp_path, fake, model):
    root, commit = model
    (root / "README.md").unlink()  # no model card: minimal fails
    sha = commit("release without a card")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha)
    assert run.code == 1
    assert run.outputs["passed"] == "false" and run.outputs["level"] == ""
    stored = fake.releases[release["id"]]
    assert stored["draft"] is False and stored["prerelease"] is False
    body = body_of(fake, release)
    assert sections(body) == 1 and "**Release gate: failed**" in body
    assert re.search(r"Missing required items \(1\):\n\n- \*\*Model card\*\* \(`docs.model_card`\)", body)
    assert asset_names(fake, release) == sorted(NAMES)  # the evidence of a failure is attached too
    [gate_error] = [ln for ln in run.stdout.splitlines() if "openness-gate%3A release gate" in ln]
    assert gate_error.startswith("::error ") and "Release v1.0.0 does not meet its release policy minimal" in gate_error
    assert "The job fails; the release itself is left as it is (on-fail: fail)." in gate_error
    assert "**Release gate: failed**" in run.summary and "(on-fail: fail)" in run.summary


@pytest.mark.parametrize("mode, flag, said", [("prerelease", "prerelease", "marked this release as a pre-release"),
                                              ("draft", "draft", "turned this release back into a draft")])
def test_on_fail_demotes_the_release_and_the_gate_output_holds_publishing_back(capsys, tmp_path, fake, model, mode,
                                                                                 flag, said):
    root, commit = model
    (root / "README.md").unlink()
    sha = commit("release without a card")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, on_fail=mode)
    assert run.code == 0, run.stdout  # the job did what was asked: the release is demoted …
    assert run.outputs["passed"] == "false"  # … and `if: needs.openness.outputs.passed == 'true'` stops publishing
    assert fake.releases[release["id"]][flag] is True
    assert said in body_of(fake, release)
    assert any(ln.startswith("::error ") and f"(on-fail: {mode})" in ln for ln in run.stdout.splitlines())
    assert f"(on-fail: {mode})" in run.summary
    demoting = [c for c in writes(fake) if c.startswith("PATCH")]
    assert len(demoting) == 2  # the demotion first, then the notes
    again = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, on_fail=mode)
    assert again.code == 0 and len([c for c in writes(fake) if c.startswith("PATCH")]) == 2  # already demoted


def test_a_passing_release_is_never_demoted(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, on_fail="draft")
    assert run.code == 0 and fake.releases[release["id"]]["draft"] is False


# --- re-runs --------------------------------------------------------------------------------

def test_re_runs_keep_exactly_one_section_and_one_set_of_assets(capsys, tmp_path, fake, model, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # the badge's "checked" time: reproducible here
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    first = run_gate(capsys, tmp_path, fake, root, release_event(release), sha)
    assert first.code == 0
    after_first = body_of(fake, release)
    fake.log.clear()
    for _ in range(3):  # the same event again (the runner's "Re-run jobs"), payload and all
        assert run_gate(capsys, tmp_path, fake, root, release_event(release), sha).code == 0
    assert writes(fake) == [], fake.log  # same verdict, same bytes: nothing is written at all
    assert body_of(fake, release) == after_first and asset_names(fake, release) == sorted(NAMES)

    edited = after_first + "\nThanks to everyone who helped!\n"  # the author edits the notes meanwhile
    fake.releases[release["id"]]["body"] = edited
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790003600")  # an hour later: HTML and badge differ
    fake.asset_digests = False  # and a server that does not say what an asset holds: replace them all
    for _ in range(2):
        assert run_gate(capsys, tmp_path, fake, root, release_event(release), sha).code == 0
    body = body_of(fake, release)
    assert sections(body) == 1 and body == edited  # the stale payload body was not used
    assert asset_names(fake, release) == sorted(NAMES)  # replaced, never duplicated
    assert b"checked 2026-09-21T" in fake.asset_data(release["id"], "openness-badge.svg")  # this run's


def test_the_verdict_changing_on_a_re_run_replaces_the_section_in_place(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    assert run_gate(capsys, tmp_path, fake, root, release_event(release), sha).code == 0
    moved = "Intro the author added above.\n\n" + body_of(fake, release)
    fake.releases[release["id"]]["body"] = moved
    again = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, release_policy="mof",
                     release_assets="report")
    body = body_of(fake, release)
    assert sections(body) == 1 and body.startswith("Intro the author added above.\n\n" + START)  # where it was
    assert "policy `mof`" in body and "policy `minimal`" not in body
    assert body.endswith("\n\n" + AUTHOR_NOTES)
    assert again.outputs["level"] == "Class I"
    assert asset_names(fake, release) == ["openness-report.json"]  # our older HTML and badge are not left stale


def test_two_sections_from_racing_runs_collapse_into_one():
    section = f"{START}\nold\n{END}"
    body = f"{section}\n\nnotes\n\n{section}\n\nmore notes\n"
    out = rel.place(body, f"{START}\nnew\n{END}")
    assert out == f"{START}\nnew\n{END}\n\nnotes\n\n\nmore notes\n"  # the second section's lines are gone
    assert sections(out) == 1 and rel.author_text(out) == "\nnotes\n\n\nmore notes\n"


def test_a_racing_upload_of_the_same_asset_is_replaced_not_duplicated(fake, model):
    root, commit = model
    commit("release")
    release = fake.add_release("v1.0.0")
    result = _check(root)
    gh = _client(fake)
    assets = rel.build_assets(result, ("report",))
    real_list = fake._releases

    def stale_listing(method, path, query, raw):  # the listing misses an upload another run just made
        if method == "GET" and path.endswith("/assets") and not getattr(stale_listing, "seen", False):
            stale_listing.seen = True
            fake.assets[9999] = {"id": 9999, "name": "openness-report.json", "label": "", "size": 1, "state": "uploaded",
                                 "content_type": "application/json", "_data": b"{", "_release": release["id"]}
            return 200, {}, []
        return real_list(method, path, query, raw)

    fake._releases = stale_listing
    out = rel.publish(gh, fake.repository, ReleaseEvent("v1.0.0", release["id"], "published"), assets,
                      lambda links: rel.render_section(result, rel.SectionFacts(True), links))
    assert out.ok, out.reason
    assert asset_names(fake, release) == ["openness-report.json"]
    assert fake.asset_data(release["id"], "openness-report.json") == assets[0].data


def test_notes_at_githubs_limit_are_never_cut_for_our_section(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    long_notes = "x" * (rel.NOTES_LIMIT - 100)
    release = fake.add_release("v1.0.0", body=long_notes)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha)
    assert run.code == 0 and body_of(fake, release) == long_notes
    assert asset_names(fake, release) == sorted(NAMES)  # the evidence is still attached
    assert "::warning::openness-gate: the openness section was not written: the notes would exceed" in run.stdout


# --- tokens and faults ------------------------------------------------------------------------

def test_a_read_only_token_keeps_the_verdict_and_warns(capsys, tmp_path, fake, model):
    root, commit = model
    (root / "README.md").unlink()
    sha = commit("release without a card")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, token="fork-token", on_fail="draft")
    assert run.code == 1  # draft could not be applied: the job fails rather than let the release stand
    assert fake.releases[release["id"]]["draft"] is False and body_of(fake, release) == AUTHOR_NOTES
    assert fake.assets == {}
    assert "::warning::openness-gate could not update the release v1.0.0: the token may not edit this release" \
        in run.stdout
    assert "on-fail: draft could not be applied" in run.stdout
    assert "**Release gate: failed**" in run.summary and "Model card" in run.summary
    assert run.outputs["passed"] == "false" and run.outputs["report-json"]

    (root / "README.md").write_text((EXAMPLES / "open-science-model" / "README.md").read_text())
    passing_sha = commit("with the card")
    ok = run_gate(capsys, tmp_path, fake, root, release_event(release), passing_sha, token="fork-token")
    assert ok.code == 0 and "could not update the release" in ok.stdout and ok.outputs["passed"] == "true"


def test_an_unreachable_api_is_a_warning_and_the_verdict_stands(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0")
    fake.fail_next(100, status=502)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, release_assets="none")
    assert run.code == 0 and run.outputs["passed"] == "true"
    assert "could not update the release v1.0.0: GitHub API answered HTTP 502" in run.stdout


def test_a_servers_message_is_escaped_in_the_summary(capsys, tmp_path, fake, model):
    root, commit = model
    (root / "README.md").unlink()
    sha = commit("release without a card")
    release = fake.add_release("v1.0.0")
    fake.fail_next(100, status=502, message="<img src=x onerror=alert(1)> [x](https://evil.example) @octo-org/admins")
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, on_fail="draft", release_assets="none")
    assert run.code == 1 and "on-fail: draft could not be applied" in run.summary
    rendered = _markdown().render(run.summary)
    links = _Links()
    links.feed(rendered)
    assert not any(u == "x" or "evil" in u for u in links.urls), links.urls  # no image, no link of the server's
    assert "@octo-org/admins" not in re.sub(r"<code>.*?</code>", "", rendered, flags=re.S)


def test_server_errors_on_the_upload_host_are_retried(fake, model):
    root, commit = model
    commit("release")
    release = fake.add_release("v1.0.0")
    result = _check(root)
    fake.log.clear()
    fake.fail_next(1, status=502)  # the release GET
    out = rel.publish(_client(fake), fake.repository, ReleaseEvent("v1.0.0", release["id"], "published"),
                      rel.build_assets(result, ("report",)), lambda links: "x")
    assert out.ok and asset_names(fake, release) == ["openness-report.json"]
    real_upload = fake._upload
    failures = iter([True, True])

    def flaky(*args):
        if next(failures, False):
            return 503, {}, {"message": "Service Unavailable"}
        return real_upload(*args)

    fake._upload = flaky
    fake.assets.clear()
    out = rel.publish(_client(fake), fake.repository, ReleaseEvent("v1.0.0", release["id"], "published"),
                      rel.build_assets(result, ("report",)), lambda links: "x")
    assert out.ok, out.reason
    assert [r.status for r in fake.log if r.path.startswith(UPLOADS)][-3:] == [503, 503, 201]
    assert asset_names(fake, release) == ["openness-report.json"]


def test_enterprise_server_paths(fake, model):
    root, commit = model
    commit("release")
    fake.prefix = "/api/v3"
    release = fake.add_release("v1.0.0", body="notes")
    assert release["upload_url"].endswith("/api/uploads/repos/octo-org/tiny-model/releases/"
                                          f"{release['id']}/assets{{?name,label}}")
    result = _check(root)
    out = rel.publish(_client(fake), fake.repository, ReleaseEvent("v1.0.0", None, "push"),
                      rel.build_assets(result, ("report",)), lambda links: rel.render_section(result, rel.SectionFacts(True), links))
    assert out.ok, out.reason
    assert all(c.split()[1].startswith(("/api/v3/", "/api/uploads/")) for c in fake.calls())
    assert "GET /api/v3/repos/octo-org/tiny-model/releases/tags/v1.0.0" in fake.calls()


# --- tags and history ---------------------------------------------------------------------------

def test_a_tag_push_names_the_previous_tag_and_what_changed_since(capsys, tmp_path, fake, model):
    root, commit = model
    (root / "DATASHEET.md").unlink()
    commit("0.9")
    _git(root, "tag", "v0.9.0")
    commit("between")
    (root / "DATASHEET.md").write_text((EXAMPLES / "open-science-model" / "DATASHEET.md").read_text())
    (root / "CHANGELOG.md").unlink()
    sha = commit("1.0")
    _git(root, "tag", "-a", "v1.0.0", "-m", "1.0")
    _git(root, "tag", "latest")  # another tag on the same commit is not "the previous release"
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, tag_push_event("v1.0.0", sha), sha, event_name="push")
    assert run.code == 0, run.stdout
    assert "### What changed since `v0.9.0`" in run.summary
    assert re.search(r"\| ➕ gained \| Datasheet / data card \(`docs.datasheet`\) \| missing \| \*\*present\*\* \|", run.summary)
    assert re.search(r"\| ➖ lost \| Change log \(`docs.changelog`\) \| present \| \*\*missing\*\* \|", run.summary)
    assert run.outputs["regressed"] == "true"  # shown, and set, but the release policy alone gates
    base = json.loads(pathlib.Path(run.outputs["base-report-json"]).read_text())
    assert base["policy"]["name"] == "minimal"
    body = body_of(fake, release)
    assert "Since `v0.9.0`: score 100 → **100** (±0). ➕ gained: Datasheet / data card (missing → present); " \
           "➖ lost: Change log (present → missing)." in body
    assert asset_names(fake, release) == sorted(NAMES)
    assert "GET /repos/octo-org/tiny-model/releases/tags/v1.0.0" in fake.calls()


def test_the_base_is_judged_by_the_heads_own_policy_file_on_pull_requests_and_releases(capsys, tmp_path, fake,
                                                                                       model):
    """A policy file of the head's judges the base (or the previous tag) too: it is the head's resolved
    policy, never a built-in looked up by the file's policy name."""
    root, commit = model
    base = commit("base")
    _git(root, "tag", "v0.9.0")
    (root / "custom.yml").write_text("name: custom\nextends: builtin:minimal\n")
    (root / ".openness.yml").write_text("policy: custom.yml\n")
    (root / "CHANGELOG.md").unlink()
    head = commit("head")
    _git(root, "tag", "v1.0.0")
    pull = run_gate(capsys, tmp_path, fake, root, pull_request_event(fake.repository, fake.pr_number, base, head),
                    head, event_name="pull_request", policy="", comment="never")
    release = run_gate(capsys, tmp_path, fake, root, tag_push_event("v1.0.0", head), head, event_name="push",
                       policy="")
    for run in (pull, release):
        assert "comparison skipped" not in run.stdout + run.summary, run.stdout
        assert re.search(r"\| ➖ lost \| Change log \(`docs.changelog`\) \| present \| \*\*missing\*\* \|", run.summary)
        assert json.loads(pathlib.Path(run.outputs["base-report-json"]).read_text())["policy"]["name"] == "custom"


def test_a_tag_push_before_its_release_exists_only_reports(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("first release")
    _git(root, "tag", "v1.0.0")
    run = run_gate(capsys, tmp_path, fake, root, tag_push_event("v1.0.0", sha), sha, event_name="push")
    assert run.code == 0 and run.outputs["passed"] == "true"
    assert writes(fake) == []
    assert "no published release for tag v1.0.0 yet" in run.stdout
    assert "No comparison with an earlier release" not in run.summary  # nothing was written to a release
    assert "History comparison skipped: no earlier tag in the checked-out history" in run.summary

    (root / "README.md").unlink()
    bad = commit("no card")
    _git(root, "tag", "v1.0.1")
    failing = run_gate(capsys, tmp_path, fake, root, tag_push_event("v1.0.1", bad), bad, event_name="push",
                       on_fail="prerelease")
    assert failing.code == 1  # there is no release to demote: the job fails
    assert "on-fail: prerelease could not be applied (no published release for tag v1.0.1 yet)" in failing.stdout


def test_a_branch_push_is_not_a_release(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("main")
    push = {"ref": "refs/heads/main", "before": "0" * 40, "after": sha}
    run = run_gate(capsys, tmp_path, fake, root, push, sha, event_name="push", release_policy="mof")
    assert run.code == 0 and "Release gate" not in run.summary and fake.log == []
    assert json.loads(pathlib.Path(run.outputs["report-json"]).read_text())["policy"]["name"] == "minimal"


def test_other_release_actions_are_judged_but_never_written(capsys, tmp_path, fake, model):
    root, commit = model
    (root / "README.md").unlink()
    sha = commit("no card")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release, "edited"), sha, on_fail="draft")
    assert run.code == 1 and writes(fake) == [] and fake.log == []
    assert "release event 'edited': judged only" in run.stdout


def test_the_tagged_commit_is_judged_even_when_another_ref_is_checked_out(capsys, tmp_path, fake, model):
    root, commit = model
    tagged = commit("release")
    (root / "README.md").unlink()
    commit("later: no card")  # the work tree is here, past the tag
    release = fake.add_release("v1.0.0")
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), tagged, release_assets="none")
    assert run.code == 0 and run.outputs["passed"] == "true"
    assert f"not at the tagged commit {tagged[:12]}" in run.stdout


# --- the release policy ----------------------------------------------------------------------------

def _inputs(**kw) -> action.Inputs:
    return action.Inputs(**kw)


def test_release_policy_comes_from_the_input_then_the_config_then_the_normal_policy(git_repo):
    from openness_gate.sources import local

    root, commit = git_repo
    shutil.copytree(EXAMPLES / "open-science-model", root, dirs_exist_ok=True)
    (root / ".openness.yml").write_text("policy: minimal\nrelease:\n  policy: mof\n  min-level: Class II\n")
    commit("config")
    inv = local.load(str(root))
    policy, origin = action.release_policy(_inputs(), inv, None)
    assert (policy.name, policy.pass_level, origin) == ("mof", "Class II", "release policy from .openness.yml")
    policy, origin = action.release_policy(_inputs(release_policy="osaid-1.0"), inv, None)
    assert policy.name == "osaid-1.0" and origin == "release policy from the release-policy input"

    (root / ".openness.yml").write_text("policy: mof\nrelease: {min-level: Class I}\n")
    policy, _ = action.release_policy(_inputs(), local.load(str(root)), None)
    assert (policy.name, policy.pass_level) == ("mof", "Class I")  # the normal policy, with the bar raised

    (root / ".openness.yml").write_text("policy: mof\n")
    policy, origin = action.release_policy(_inputs(policy="minimal"), local.load(str(root)), None)
    assert policy.name == "minimal" and origin == "repository's policy (no release policy is set)"

    (root / ".openness.yml").write_text("release: {policy: mof, min-level: Class IV}\n")
    with pytest.raises(ConfigError, match=r"\.openness\.yml: release\.min-level: 'Class IV' is not a level of "
                                          r"policy mof \(expected one of: Class III, Class II, Class I\)"):
        action.release_policy(_inputs(), local.load(str(root)), None)
    (root / ".openness.yml").write_text("release: {polcy: mof}\n")
    with pytest.raises(ConfigError, match=r"release\.polcy: unknown key 'polcy'"):
        action.release_policy(_inputs(), local.load(str(root)), None)


def test_min_level_only_raises_the_bar():
    from openness_gate.policy import load_policy
    from openness_gate.policy.config import with_min_level

    mof = load_policy("mof")
    assert with_min_level(mof, "Class III", "x") is mof or with_min_level(mof, "Class III", "x").pass_level == "Class III"
    stricter = load_policy("mof")
    stricter.pass_level = "Class I"
    assert with_min_level(stricter, "Class II", "x").pass_level == "Class I"


def test_a_config_release_policy_fails_the_release_where_the_normal_policy_passes(capsys, tmp_path, fake, model):
    root, commit = model
    shutil.rmtree(root / "checkpoints")  # no intermediate parameters: MOF Class II at most
    (root / ".openness.yml").write_text("release:\n  policy: mof\n  min-level: Class I\n")
    sha = commit("release")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, policy="")
    assert run.code == 1 and run.outputs["passed"] == "false"
    body = body_of(fake, release)
    assert "policy `mof` · release policy from .openness.yml · level **Class II**" in body
    assert "the required level is not reached" in body


def test_the_organisation_minimum_binds_the_release_policy(git_repo):
    from fake_github_org import FakeOrg
    from openness_gate.sources import local

    org = FakeOrg()
    org.start()
    try:
        org.set_org_policy("name: acme-minimum\nextends: builtin:minimal\nrequirements:\n"
                           "  - id: license\n    locked: true\n")
        root, commit = git_repo
        shutil.copytree(EXAMPLES / "open-science-model", root, dirs_exist_ok=True)
        (root / "weak.yml").write_text("name: weak\nextends: builtin:minimal\nrequirements:\n"
                                       "  - id: license\n    remove: true\n")
        (root / ".openness.yml").write_text("release: {policy: weak.yml}\n")
        commit("weak release policy")
        env = from_environ({"GITHUB_REPOSITORY": "octo-org/tiny-model", "GITHUB_API_URL": org.url})
        inputs = _inputs(token="write-token")
        parent = action._organisation_minimum(inputs, env)
        assert parent is not None and parent.name == "acme-minimum"
        with pytest.raises(ConfigError, match="locked by"):
            action.release_policy(inputs, local.load(str(root)), parent)
    finally:
        org.stop()


# --- assets ----------------------------------------------------------------------------------

def test_release_assets_input(capsys, tmp_path, fake, model):
    assert action.read_inputs({}).release_assets == ("report", "html", "badge")
    assert action.read_inputs({"INPUT_RELEASE-ASSETS": "badge, report badge"}).release_assets == ("badge", "report")
    assert action.read_inputs({"INPUT_RELEASE_ASSETS": "none"}).release_assets == ()
    with pytest.raises(Exception, match="input release-assets: 'sbom' is not one of report, html, badge, bom"):
        action.read_inputs({"INPUT_RELEASE_ASSETS": "report,sbom"})
    with pytest.raises(Exception, match="input on-fail: 'delete' is not one of fail, prerelease, draft"):
        action.read_inputs({"INPUT_ON_FAIL": "delete"})


def test_bom_is_attached_as_the_cyclonedx_ai_bom(capsys, tmp_path, fake, model):
    root, commit = model
    sha = commit("release")
    release = fake.add_release("v1.0.0")
    run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, release_assets="report,bom")
    assert run.code == 0 and "unavailable" not in run.stdout
    assert asset_names(fake, release) == ["openness-bom.cdx.json", "openness-report.json"]
    bom = fake.asset_data(release["id"], "openness-bom.cdx.json")
    assert json.loads(bom)["bomFormat"] == "CycloneDX"
    [asset] = [a for a in fake.release_assets(release["id"]) if a["name"] == "openness-bom.cdx.json"]
    assert asset["content_type"] == "application/vnd.cyclonedx+json"
    assert "[CycloneDX BOM](" in body_of(fake, release)


# --- hostile notes and repository text ----------------------------------------------------------

HOSTILE_NOTES = """Please read [HTML report] and [badge] below.

[HTML report]: https://evil.example/phish
[badge]: https://evil.example/badge.png
[JSON report]: https://evil.example/json
<!-- openness-gate:release:end -->

```text
<!-- openness-gate:release:start -->
this fenced block documents our markers and is the author's
<!-- openness-gate:release:end -->
```

~~~~
<!-- openness-gate:release:start -->
~~~
<!-- openness-gate:release:end -->
~~~~

| a | b |
|---|---|
| table row without a blank line after it |
<details><summary>Never closed</summary>

* a list item
  continued lazily
```python
print("a fence never closed")
<!-- and a comment never closed
"""

HOSTILE_POLICY = """name: "evil <img src=x onerror=alert(1)> @octo-org/admins [x](https://evil.example)"
extends: builtin:minimal
requirements:
  - id: datasheet
    component: docs.datasheet
    severity: required
    message: "<script>alert(1)</script> see https://evil.example/x and @octo-org/admins <!-- openness-gate:release:end --> [click](https://evil.example) ![i](https://evil.example/i.png) #1 `code`"
    fix: "<b>do it</b>"
levels:
  - {name: "<b>gold</b> @octo-org/admins", policy_passed: true}
"""


class _Links(html.parser.HTMLParser):
    """Every tag, link target, image source and comment in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("href", "src")]

    def handle_comment(self, data):
        self.comments.append(data)


def _markdown():
    markdown_it = pytest.importorskip("markdown_it", reason="markdown-it-py (test extra) renders CommonMark")
    return markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_hostile_release_body_and_repository_cannot_break_or_inject(capsys, tmp_path, fake, model, newline):
    md = _markdown()
    root, commit = model
    (root / "DATASHEET.md").unlink()
    (root / "release-gate.yml").write_text(HOSTILE_POLICY)
    (root / ".openness.yml").write_text("release: {policy: release-gate.yml}\n")
    sha = commit("hostile")
    tag = "v1)<b>x"  # a legal tag name
    _git(root, "tag", tag)
    notes = HOSTILE_NOTES.replace("\n", newline)
    release = fake.add_release(tag, body=notes)
    for _ in range(3):
        run = run_gate(capsys, tmp_path, fake, root, release_event(release), sha, policy="")
        assert run.code == 1, run.stdout + run.stderr
    body = body_of(fake, release)
    assert sections(body) == 1
    section, rest = body.split(END, 1)
    section += END
    assert rest == newline + newline + notes  # the author's text, byte for byte, after ours

    # the author's notes render exactly as they did on their own, and ours renders whole
    assert md.render(body.replace("\r\n", "\n")) == md.render(section.replace("\r\n", "\n") + "\n") + \
        md.render(notes.replace("\r\n", "\n"))
    ours = _Links()
    ours.feed(md.render(section))
    assert set(ours.tags) <= {"h3", "p", "img", "strong", "em", "code", "a", "ul", "li", "sub"}, ours.tags
    assert all(u.startswith(("https://img.shields.io/badge/", "https://github.example/octo-org/tiny-model/"
                                                             "releases/download/")) for u in ours.urls), ours.urls
    assert not any("evil" in u for u in ours.urls)
    assert [c.strip() for c in ours.comments] == ["openness-gate:release:start", "openness-gate:release:end"]
    assert ours.tags.count("img") == 1 and "script" not in ours.tags and "b" not in ours.tags  # the badge only
    text = section.replace("\r\n", "\n")
    assert "onerror" in text and "alert(1)" in text  # the hostile text is shown, inert
    outside_code = re.sub(r"<code>.*?</code>", "", md.render(text), flags=re.S)
    assert "@octo-org/admins" not in outside_code and "https://evil" not in outside_code  # no mention, no autolink
    assert "%29%3Cb%3Ex" in text  # the tag inside our asset URLs is percent-encoded


def test_markers_in_the_authors_code_blocks_are_not_ours():
    for block in ("```\n{s}\nx\n{e}\n```", "~~~md\n{s}\n{e}\n~~~", "<!--\n{s}\n{e}\n-->", "<pre>\n{s}\n{e}\n</pre>",
                  "    {s}\n    {e}", "> {s}\n> {e}"):
        body = "notes\n\n" + block.format(s=START, e=END) + "\n"
        assert sections(body) == 0, block
        out = rel.place(body, f"{START}\nours\n{END}")
        assert out.endswith("\n\n" + body) and sections(out) == 1
    assert sections(f"{START}\n```\n{END}\n```\n{END}\n") == 0  # a fence inside is never one of ours


def test_empty_and_missing_notes_get_just_the_section():
    assert rel.place(None, f"{START}\n{END}") == f"{START}\n{END}\n"
    assert rel.place("  \n", f"{START}\n{END}") == f"{START}\n{END}\n"


def test_urls_from_the_api_are_re_encoded_or_refused():
    assert rel.safe_url("https://github.com/o/r/releases/download/v1)<b>/x.html") == \
        "https://github.com/o/r/releases/download/v1%29%3Cb%3E/x.html"
    assert rel.safe_url("https://github.com/o/r/releases/download/v1%2Bb/x") == \
        "https://github.com/o/r/releases/download/v1%2Bb/x"
    for bad in ("javascript:alert(1)", "https://user:pw@github.com/x", "//github.com/x", None, 3, "data:text/html,x"):
        assert rel.safe_url(bad) is None, bad


# --- env ---------------------------------------------------------------------------------------

def test_release_events_and_tag_pushes_are_read_from_the_payload(tmp_path):
    def env_of(name, event, ref=None):
        path = tmp_path / "event.json"
        path.write_text(json.dumps(event))
        return from_environ({"GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path),
                             **({"GITHUB_REF": ref} if ref else {})}).release

    got = env_of("release", {"action": "prereleased", "release": {"id": 42, "tag_name": "v2.0.0-rc1"}})
    assert got == ReleaseEvent("v2.0.0-rc1", 42, "prereleased") and got.writes
    assert not env_of("release", {"action": "edited", "release": {"id": 42, "tag_name": "v2"}}).writes
    assert env_of("push", {"ref": "refs/tags/v2"}) == ReleaseEvent("v2", None, "push")
    assert env_of("push", {}, ref="refs/tags/v3") == ReleaseEvent("v3", None, "push")
    assert env_of("push", {"ref": "refs/tags/v2", "deleted": True}) is None
    assert env_of("push", {"ref": "refs/heads/main"}) is None
    for bad in ("v1..2", "-v1", "a b", "v1\n::error::x", "x" * 300, 7):
        assert env_of("release", {"action": "published", "release": {"id": 1, "tag_name": bad}}) is None, bad
    assert env_of("release", {"action": "published", "release": {"id": "x", "tag_name": "v1"}}) is None


# --- helpers -----------------------------------------------------------------------------------

def _options(api_url: str):
    from openness_gate.github.client import ClientOptions

    return ClientOptions(api_url=api_url, backoff=0.01)


def _client(fake):
    from openness_gate.github.client import make_client

    return make_client("write-token", _options(fake.url))


def _check(root: pathlib.Path):
    from openness_gate.checker import check

    return check(str(root), "minimal")


# --- the shipped workflow -------------------------------------------------------------------------

RELEASE_GATE = ROOT / "docs" / "workflows" / "release-gate.yml"
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")


def _uses(text: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", text, re.M)


def test_release_gate_workflow_pins_every_action_to_a_commit():
    uses = _uses(RELEASE_GATE.read_text())
    assert len(uses) >= 6
    for ref, rest in uses:
        assert PINNED.match(ref), f"{ref} is not pinned to a full commit SHA"
        assert re.match(r"\s+#\s*v\d+(\.\d+)*\s*$", rest), f"{ref} lacks a '# vX.Y.Z' comment"
    # third-party actions are pinned to the commits the project's own workflows use: one place to bump
    ours = {ref for p in [ROOT / "action.yml", *(ROOT / ".github" / "workflows").glob("*.yml")]
            for ref, _ in _uses(p.read_text())}
    third_party = {ref for ref, _ in uses if not ref.startswith("openness-gate/openness-gate@")}
    assert third_party <= ours, third_party - ours


def test_release_gate_workflow_pins_a_commit_of_this_repository_that_has_release_gating():
    [gate] = [ref for ref, _ in _uses(RELEASE_GATE.read_text()) if ref.startswith("openness-gate/openness-gate@")]
    sha = gate.split("@", 1)[1]
    found = subprocess.run(["git", "-C", str(ROOT), "cat-file", "-e", f"{sha}:openness_gate/github/release.py"],
                           capture_output=True)
    if subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--git-dir"], capture_output=True).returncode:
        pytest.skip("not a git checkout")
    assert found.returncode == 0, f"{sha} is not a commit of this repository with release gating"
    assert subprocess.run(["git", "-C", str(ROOT), "merge-base", "--is-ancestor", sha, "HEAD"]).returncode == 0
    pinned = yaml.safe_load(subprocess.run(["git", "-C", str(ROOT), "show", f"{sha}:action.yml"],
                                           capture_output=True, text=True, check=True).stdout)
    assert {"release-policy", "release-assets", "on-fail"} <= set(pinned["inputs"])  # that commit's Action works
    assert all("uses" in s or "run" in s for s in pinned["runs"]["steps"])


def test_release_gate_workflow_publishes_only_when_the_gate_output_says_passed():
    spec = yaml.safe_load(RELEASE_GATE.read_text())
    triggers = spec.pop(True, spec.get("on"))  # YAML 1.1 reads the key `on` as True
    assert triggers == {"release": {"types": ["published"]}}
    action_spec = yaml.safe_load((ROOT / "action.yml").read_text())
    gate_job = spec["jobs"]["openness"]
    [gate] = [s for s in gate_job["steps"] if str(s.get("uses", "")).startswith("openness-gate/openness-gate@")]
    assert gate["id"] == "gate"
    assert set(gate["with"]) <= set(action_spec["inputs"])  # every input it sets exists
    read = action.read_inputs({f"INPUT_{k.upper()}": str(v) for k, v in gate["with"].items()})
    assert read.on_fail in rel.ON_FAIL and read.release_assets
    for name, value in gate_job["outputs"].items():  # the job re-exports the Action's outputs
        assert value == f"${{{{ steps.gate.outputs.{name} }}}}" and name in action_spec["outputs"], name
    publishers = {name: job for name, job in spec["jobs"].items() if name != "openness"}
    assert {"pypi", "hub", "container"} <= set(publishers)
    for name, job in publishers.items():
        assert job["needs"] == "openness" and job["if"] == "needs.openness.outputs.passed == 'true'", name
    referenced = set(re.findall(r"needs\.openness\.outputs\.([A-Za-z0-9_-]+)", RELEASE_GATE.read_text()))
    assert referenced <= set(gate_job["outputs"]), referenced
    # the value the expression compares with is what the Action writes on a passing release
    assert action._outputs(True, _check(EXAMPLES / "open-science-model"), None, {})["passed"] == "true"
    steps = " ".join(str(s.get("run", "")) for job in publishers.values() for s in job["steps"])
    assert "hf upload" in steps and "docker push" in steps
    assert any("pypa/gh-action-pypi-publish@" in str(s.get("uses", "")) for s in publishers["pypi"]["steps"])
    assert spec["permissions"] == {} and gate_job["permissions"] == {"contents": "write"}
    assert "${{" not in " ".join(str(s.get("run", "")) for job in spec["jobs"].values() for s in job["steps"])


# --- action.yml on a release event -----------------------------------------------------------------

def test_action_yml_gates_a_release_event(runner, fake, model):
    root, commit = model
    (root / "README.md").unlink()
    sha = commit("a release without a model card")
    release = fake.add_release("v1.0.0", body=AUTHOR_NOTES)
    env = {"GITHUB_REPOSITORY": fake.repository, "GITHUB_API_URL": fake.url, "GITHUB_RUN_NUMBER": "12",
           "GITHUB_RUN_ATTEMPT": "1", "GITHUB_SHA": sha, "GITHUB_REF": "refs/tags/v1.0.0",
           "GITHUB_SERVER_URL": "https://github.com"}
    inputs = {"policy": "minimal", "on-fail": "draft", "org-policy": "false"}
    first = runner.run(root, release_event(release), env, inputs, event_name="release")
    assert first.exit_code == 0, first.stdout + first.stderr  # demoted as asked: publishing waits on `passed`
    assert first.outputs["passed"] == "false" and first.outputs["score"] == "50" and first.outputs["level"] == ""
    assert first.outputs["release-url"] == release["html_url"]
    assert json.loads(pathlib.Path(first.outputs["report-json"]).read_text())["policy"]["name"] == "minimal"
    assert fake.releases[release["id"]]["draft"] is True
    assert "::error title=openness-gate%3A release gate::Release v1.0.0 does not meet" in first.stdout
    assert "**Release gate: failed**" in first.summary
    again = runner.run(root, release_event(release), {**env, "GITHUB_RUN_ATTEMPT": "2"}, inputs, event_name="release")
    assert again.exit_code == 0
    body = body_of(fake, release)
    assert sections(body) == 1 and body.endswith("\n\n" + AUTHOR_NOTES)
    assert asset_names(fake, release) == sorted(NAMES)
    assert "write-token" not in first.stdout + first.stderr + first.summary


def test_the_readme_shows_the_release_gate_and_a_picture_of_the_section(tmp_path):
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Gate your releases", 1)[1].split("\n## ", 1)[0]
    assert "(docs/release-section.png)" in section and "docs/workflows/release-gate.yml" in section
    assert "if: needs.openness.outputs.passed == 'true'" in section
    for ref, rest in _uses(section):  # the excerpt pins like the shipped workflow does
        assert PINNED.match(ref) and ref in RELEASE_GATE.read_text(), ref
    png = (ROOT / "docs" / "release-section.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    pytest.importorskip("markdown_it", reason="markdown-it-py (test extra) renders the picture's page")
    sys.path.insert(0, str(ROOT / "tests"))
    import release_picture

    page = release_picture.page(release_picture.section_markdown(tmp_path / "badge.svg"))
    assert "<strong>Release gate: passed</strong>" in page and '<img src="badge.svg"' in page
    assert (tmp_path / "badge.svg").read_text().startswith("<svg")
