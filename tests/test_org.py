"""Remote checks and the organisation scan, over real HTTP against the fake GitHub on 127.0.0.1."""

from __future__ import annotations

import json
import os
import pathlib

import pytest

from conftest import ROOT, run_cli
from fake_github_org import FakeOrg
from openness_gate.checker import check_inventory
from openness_gate.github import org, org_issues
from openness_gate.github.client import ClientOptions, make_client
from openness_gate.org_result import OrgReport, merge
from openness_gate.sources import github as remote
from openness_gate.sources import local

FIXTURES = ROOT / "tests" / "fixtures" / "repos"
APACHE = pathlib.Path("/usr/share/common-licenses/Apache-2.0")
MIT = ("MIT License\n\nCopyright (c) 2024 Example\n\nPermission is hereby granted, free of charge, to any person "
       "obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the "
       "Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, "
       "distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\n"
       "furnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission "
       "notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED "
       "\"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF "
       "MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR "
       "COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT "
       "OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\n"
       "SOFTWARE.\n")
CARD = """---
license: mit
---
# Model Card for tiny

## Model Details
A tiny classifier trained to show that the organisation scan works end to end.

## Uses
Sorting support tickets into three queues; not for decisions about people.

## Out-of-Scope Use
Anything involving decisions about people, or languages other than English.

## Bias, Risks, and Limitations
Trained on a few thousand English tickets from one company; it will misroute others.

## Training Details
Fine-tuned for two epochs on the ticket set with the standard classification recipe.

## Evaluation
Accuracy 0.91 on a held-out set of 500 tickets, macro-F1 0.88 across the three queues.

## Citation
Cite this repository; there is no paper for this small model at the moment.
"""
MINIMAL = "minimal"


def passing_files() -> dict[str, str]:
    return {"LICENSE": MIT, "README.md": CARD}


def failing_files() -> dict[str, str]:
    return {"README.md": "# tiny\n\nSome code.\n", "train.py": "print('train')\n"}


@pytest.fixture
def fake():
    server = FakeOrg()
    server.start()
    yield server
    server.stop()


def client(fake: FakeOrg, token: str = "write-token"):
    return make_client(token, ClientOptions(api_url=fake.url, backoff=0.01, retries=3, max_wait=2))


def _fixture_files(folder: pathlib.Path) -> tuple[dict[str, bytes], dict[str, str]]:
    files, links = {}, {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink():
            links[rel] = os.readlink(path)
        elif path.is_file():
            files[rel] = path.read_bytes()
    return files, links


FIXTURE_NAMES = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []


def test_remote_and_local_verdicts_agree_on_every_detector_fixture(fake):
    assert len(FIXTURE_NAMES) >= 25
    for name in FIXTURE_NAMES:
        files, links = _fixture_files(FIXTURES / name)
        fake.add_repo(name, files, symlinks=links)
    gh = client(fake)
    disagreements = []
    for name in FIXTURE_NAMES:
        here = check_inventory(local.load(str(FIXTURES / name)))
        there = check_inventory(remote.load(f"octo-org/{name}", client=gh))
        assert there.target.kind == "github" and there.target.path_or_repo == f"octo-org/{name}"
        for a, b in zip(here.components, there.components):
            if a.status != b.status:
                disagreements.append(f"{name}: {a.component} local={a.status} remote={b.status}")
        if here.policy.passed != there.policy.passed or here.policy.score != there.policy.score:
            disagreements.append(f"{name}: policy local={here.policy.score} remote={there.policy.score}")
    assert disagreements == []


def test_remote_listing_sizes_lfs_pointers_and_reads(fake):
    oid = "ab" * 32
    fake.add_repo("weights", {
        ".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
        "model.safetensors": f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize 4000000000\n",
        "README.md": CARD, "LICENSE": MIT,
    }, symlinks={"LINKED.md": "../../etc/passwd"})
    inv = remote.load("octo-org/weights", client=client(fake))
    weights = inv.get("model.safetensors")
    assert weights.is_lfs_pointer and weights.size == 4_000_000_000
    assert inv.text("README.md").startswith("---\nlicense: mit")
    assert [(s.path, "symlink" in s.reason) for s in inv.skipped] == [("LINKED.md", True)]
    assert inv.read_text("model.safetensors").text is None  # weights are never fetched
    assert not any("blobs" in c and "model" in c for c in fake.calls()[-1:])


def test_truncated_tree_is_completed_by_walking_subtrees(fake):
    files = {f"data/part-{i // 10}/shard-{i}.jsonl": "{}\n" for i in range(60)}
    files.update(passing_files())
    fake.add_repo("big", files)
    fake.truncate_trees = True
    inv = remote.load("octo-org/big", client=client(fake))
    assert sorted(f.path for f in inv) == sorted(files)


def test_check_github_target_on_the_command_line(fake):
    fake.add_repo("tiny", passing_files())
    env = {"GITHUB_API_URL": fake.url, "GITHUB_TOKEN": "write-token"}
    ok = run_cli("check", "github:octo-org/tiny", "--policy", MINIMAL, "--format", "json", env=env)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["target"] == {"kind": "github", "path_or_repo": "octo-org/tiny",
                                               "revision": fake.repos["tiny"].commit_sha()}
    for target, fragment in (("github:octo-org/nope", "404"), ("github:not a repo", "expected github:OWNER/REPO")):
        bad = run_cli("check", target, env=env)
        assert bad.returncode == 2 and fragment in bad.stderr and "Traceback" not in bad.stderr


def _org_of(fake: FakeOrg, n: int, failing_every: int = 4) -> None:
    for i in range(n):
        fake.add_repo(f"model-{i:04d}", failing_files() if i % failing_every == 0 else passing_files(),
                      topics=["ml"] if i % 2 else [])


def test_thousand_repositories_with_faults_then_a_cheap_second_scan(fake, tmp_path):
    _org_of(fake, 1000)
    fake.failing_repos.add("model-0500")
    gh = client(fake)
    fake.fail_next(6, 502)  # a burst at the start (the listing)
    fake.rate_limit_next(2, retry_after=1)  # a secondary rate limit
    fake.fail_every = 37  # and 5xx sprinkled through the whole scan
    options = org.ScanOptions(policy=MINIMAL, concurrency=8, cache_path=str(tmp_path / "cache.json"), backoff=0.01)
    report, cache = org.scan(gh, "octo-org", options)
    cache.save()
    assert len(report.rows) == 1000  # nothing lost
    errors = [r for r in report.rows if r.passed is None]
    assert [r.repo for r in errors] == ["octo-org/model-0500"]
    assert "could not be checked" in errors[0].error
    failed = {r.repo for r in report.rows if r.passed is False}
    assert failed == {f"octo-org/model-{i:04d}" for i in range(0, 1000, 4)} - {"octo-org/model-0500"}
    assert not report.passed

    fake.fail_every = 0
    before = len(fake.log)
    again, _ = org.scan(gh, "octo-org", options)
    calls = len(fake.log) - before
    assert [r.passed for r in again.rows] == [r.passed for r in report.rows]
    assert sum(r.cached for r in again.rows) == 999
    assert calls / 1000 <= 3, f"{calls} calls for 1000 unchanged repositories"


def test_changed_repository_is_checked_again(fake, tmp_path):
    _org_of(fake, 8)
    gh = client(fake)
    options = org.ScanOptions(policy=MINIMAL, cache_path=str(tmp_path / "cache.json"))
    first, cache = org.scan(gh, "octo-org", options)
    cache.save()
    assert next(r for r in first.rows if r.repo == "octo-org/model-0000").passed is False
    fake.repos["model-0000"].files.update({k: v.encode() for k, v in passing_files().items()})
    second, _ = org.scan(gh, "octo-org", options)
    fixed = next(r for r in second.rows if r.repo == "octo-org/model-0000")
    assert fixed.passed is True and not fixed.cached
    assert sum(r.cached for r in second.rows) == 7


def test_open_issues_once_update_on_change_and_close_on_pass(fake, tmp_path):
    _org_of(fake, 12)
    gh = client(fake)
    options = org.ScanOptions(policy=MINIMAL, cache_path=str(tmp_path / "cache.json"))

    def scan_and_notify(dry_run=False):
        report, cache = org.scan(gh, "octo-org", options)
        actions = {r.repo: org_issues.plan_and_apply(gh.get_repo(r.repo), r, cache,
                                                     report.policy_source, dry_run=dry_run) for r in report.rows}
        if not dry_run:
            cache.save()
        return report, actions

    _, planned = scan_and_notify(dry_run=True)
    assert {a.verb for a in planned.values()} == {"open", "none"}
    assert not any(fake.issues.values())  # a dry run writes nothing
    _, first = scan_and_notify()
    failing = {f"octo-org/model-{i:04d}" for i in (0, 4, 8)}
    assert {repo for repo, a in first.items() if a.verb == "open"} == failing
    writes = [c for c in fake.calls() if c.startswith(("POST", "PATCH"))]
    assert len(writes) == 3
    _, second = scan_and_notify()
    assert {a.verb for a in second.values()} == {"none"}
    assert [c for c in fake.calls() if c.startswith(("POST", "PATCH"))] == writes  # nobody re-pinged
    for name in ("model-0000", "model-0004", "model-0008"):
        assert len(fake.issues[name]) == 1 and fake.issues[name][1]["state"] == "open"
        assert org_issues.MARKER in fake.issues[name][1]["body"]
    fake.repos["model-0004"].files.update({k: v.encode() for k, v in passing_files().items()})
    _, third = scan_and_notify()
    assert third["octo-org/model-0004"].verb == "close"
    assert fake.issues["model-0004"][1]["state"] == "closed"
    assert {repo for repo, a in third.items() if a.verb != "none"} == {"octo-org/model-0004"}


def test_an_issue_from_an_earlier_run_is_found_without_a_cache(fake, tmp_path):
    _org_of(fake, 4)
    gh = client(fake)
    for cache_file in ("a.json", "b.json"):  # two scans that do not share a cache
        options = org.ScanOptions(policy=MINIMAL, cache_path=str(tmp_path / cache_file))
        report, cache = org.scan(gh, "octo-org", options)
        for r in report.rows:
            org_issues.plan_and_apply(gh.get_repo(r.repo), r, cache, report.policy_source, dry_run=False)
    assert len(fake.issues["model-0000"]) == 1


def test_organisation_policy_comes_from_dot_github_and_locks_the_minimum(fake):
    fake.set_org_policy("name: acme-minimum\nextends: builtin:minimal\nrequirements:\n"
                        "  - id: license\n    locked: true\n")
    fake.add_repo("ok", passing_files())
    weak = dict(passing_files())
    weak[".openness.yml"] = ("policy: weaker.yml\n")
    weak["weaker.yml"] = ("name: weaker\nextends: builtin:minimal\nrequirements:\n"
                          "  - id: license\n    severity: recommended\n")
    fake.add_repo("weakens", weak)
    report, _ = org.scan(client(fake), "octo-org", org.ScanOptions())
    assert report.policy_source == "octo-org/.github:openness/policy.yml"
    rows = {r.repo: r for r in report.rows}
    assert rows["octo-org/ok"].passed is True
    bad = rows["octo-org/weakens"]
    assert bad.passed is False and "configuration error" in bad.error
    assert "weaker.yml" in bad.error and "openness/policy.yml" in bad.error


def test_shards_partition_the_organisation_and_merge_back(fake):
    _org_of(fake, 40)
    gh = client(fake)
    full, _ = org.scan(gh, "octo-org", org.ScanOptions(policy=MINIMAL))
    parts = [org.scan(gh, "octo-org", org.ScanOptions(policy=MINIMAL, shard=(k, 3)))[0] for k in (1, 2, 3)]
    names = [[r.repo for r in p.rows] for p in parts]
    assert sum(len(n) for n in names) == 40 and len(set().union(*map(set, names))) == 40
    assert all(names)  # every shard got some work
    merged = merge([OrgReport.from_json(json.loads(json.dumps(p.to_json()))) for p in parts])
    assert [(r.repo, r.passed, r.score) for r in merged.rows] == [(r.repo, r.passed, r.score) for r in full.rows]


def test_filters_include_exclude_topic_archived(fake):
    _org_of(fake, 10)
    fake.repos["model-0003"].archived = True
    gh = client(fake)

    def names(**kw):
        return [r.repo.split("/")[1] for r in org.scan(gh, "octo-org", org.ScanOptions(policy=MINIMAL, **kw))[0].rows]

    assert "model-0003" not in names() and "model-0003" in names(archived=True)
    assert names(include=("model-000[12]",)) == ["model-0001", "model-0002"]
    assert "model-0001" not in names(exclude=("model-0001",))
    assert set(names(topics=("ml",))) == {f"model-{i:04d}" for i in (1, 5, 7, 9)}


def test_org_scan_cli_formats_and_exit_codes(fake, tmp_path):
    _org_of(fake, 6)
    env = {"GITHUB_API_URL": fake.url, "GITHUB_TOKEN": "write-token"}
    cache = str(tmp_path / "c.json")
    out = run_cli("org", "scan", "octo-org", "--policy", MINIMAL, "--format", "json", "--cache", cache, env=env)
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert data["totals"] == {"repositories": 6, "passed": 4, "failed": 2, "errors": 0, "cached": 0}
    for fmt, marker in (("csv", "repository,verdict,score"), ("markdown", "| Repository |"),
                        ("html", "<!DOCTYPE html>"), ("text", "6 repositories: 4 passed")):
        res = run_cli("org", "scan", "octo-org", "--policy", MINIMAL, "--format", fmt, "--cache", cache, env=env)
        assert res.returncode == 1 and marker in res.stdout, (fmt, res.stderr)
    passing = run_cli("org", "scan", "octo-org", "--policy", MINIMAL, "--exclude", "model-0000",
                      "--exclude", "model-0004", "--cache", "", env=env)
    assert passing.returncode == 0, passing.stdout + passing.stderr
    shard_files = []
    for k in (1, 2):
        path = tmp_path / f"shard{k}.json"
        run_cli("org", "scan", "octo-org", "--policy", MINIMAL, "--shard", f"{k}/2", "--format", "json",
                "--output", str(path), "--cache", "", env=env)
        shard_files.append(str(path))
    merged = run_cli("org", "merge", *shard_files, "--format", "json")
    assert merged.returncode == 1 and json.loads(merged.stdout)["totals"]["repositories"] == 6
    for args, fragment in ((("org", "merge", str(tmp_path / "none.json")), "No such file"),
                           (("org", "scan", "octo-org", "--dry-run"), "--dry-run goes with --open-issues"),
                           (("org", "scan", "octo-org", "--shard", "0/2"), "K/N")):
        bad = run_cli(*args, env=env)
        assert bad.returncode == 2 and fragment in bad.stderr and "Traceback" not in bad.stderr


def test_html_and_markdown_org_reports_escape_repository_strings():
    from openness_gate.org_result import RepoRow
    from openness_gate.report import org as org_report

    evil = "<img src=x onerror=alert(1)>"
    report = OrgReport("octo-org", evil, "src", "2026-01-01T00:00:00+00:00",
                       rows=[RepoRow("octo-org/x", passed=False, score=1, level=evil, missing_required=[evil],
                                     missing_messages=["@everyone [click](javascript:alert(1))"])])
    html = org_report.render(report, "html")
    assert "<img" not in html and "&lt;img" in html
    md = org_report.render(report, "markdown")
    import re

    live = [m.start() for m in re.finditer(r"<img", md) if md[m.start() - 1] not in "\\`"]
    assert live == [] and "](javascript" not in md and "@everyone" not in md
    csv_text = org_report.render(OrgReport("o", "p", "s", "t", rows=[RepoRow("=cmd|' /C calc'!A0", passed=True)]),
                                 "csv")
    assert "\n'=cmd" in csv_text


ORG_MINIMUM = """name: acme-minimum
extends: builtin:minimal
requirements:
  - id: acme-datasheet
    component: docs.datasheet
    severity: required
    locked: true
    message: Every model repository of ACME documents its training data
    fix: Add DATASHEET.md
"""


def _action_env(fake: FakeOrg, repo_dir: pathlib.Path, tmp_path: pathlib.Path, **inputs: str) -> dict[str, str]:
    (tmp_path / "summary.md").touch()
    (tmp_path / "output.txt").touch()
    env = {"GITHUB_REPOSITORY": "octo-org/tiny-model", "GITHUB_API_URL": fake.url, "GITHUB_EVENT_NAME": "push",
           "GITHUB_SHA": "0" * 40, "GITHUB_RUN_NUMBER": "1", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output.txt"), "RUNNER_TEMP": str(tmp_path),
           "INPUT_PATH": str(repo_dir), "INPUT_GITHUB_TOKEN": "write-token", "INPUT_COMMENT": "never",
           "INPUT_COMPARE_BASE": "false"}
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return env


def test_the_action_honours_the_organisation_minimum(fake, tmp_path, capsys):
    from openness_gate.github import action

    fake.set_org_policy(ORG_MINIMUM)
    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    for name, text in {**passing_files(), ".openness.yml": "policy: minimal\n"}.items():
        (repo_dir / name).write_text(text)
    # held to the organisation minimum: the locked datasheet requirement applies on top of `minimal`
    assert action.main(_action_env(fake, repo_dir, tmp_path)) == 1
    out = capsys.readouterr().out
    assert "octo-org/.github:openness/policy.yml" in out and "datasheet" in out.lower()
    assert "GET /repos/octo-org/.github/contents/openness/policy.yml" in fake.calls()
    # the repository's own choice alone passes; `org-policy: false` opts out
    assert action.main(_action_env(fake, repo_dir, tmp_path, org_policy="false")) == 0
    # trying to weaken the locked requirement is a configuration error naming both files
    (repo_dir / ".openness.yml").write_text("policy: weaker.yml\n")
    (repo_dir / "weaker.yml").write_text("name: weaker\nextends: builtin:minimal\nrequirements:\n"
                                         "  - id: acme-datasheet\n    component: docs.datasheet\n"
                                         "    severity: recommended\n")
    assert action.main(_action_env(fake, repo_dir, tmp_path)) == 2
    err = capsys.readouterr().err
    assert "weaker.yml" in err and "openness/policy.yml" in err


def test_the_action_without_an_organisation_policy_uses_the_repository_choice(fake, tmp_path):
    from openness_gate.github import action

    repo_dir = tmp_path / "repo"
    repo_dir.mkdir()
    for name, text in {**passing_files(), ".openness.yml": "policy: minimal\n"}.items():
        (repo_dir / name).write_text(text)
    assert action.main(_action_env(fake, repo_dir, tmp_path)) == 0  # .github has no policy: 404 is normal


def test_the_scan_cache_follows_the_resolved_policy_not_just_its_file(fake, tmp_path):
    _org_of(fake, 4)
    base = tmp_path / "base.yml"
    child = tmp_path / "org.yml"
    base.write_text("name: base\nextends: builtin:minimal\n")
    child.write_text("name: org\nextends: base.yml\n")
    gh = client(fake)
    options = org.ScanOptions(policy=str(child), cache_path=str(tmp_path / "cache.json"))
    _, cache = org.scan(gh, "octo-org", options)
    cache.save()
    again, cache = org.scan(gh, "octo-org", options)
    assert all(r.cached for r in again.rows)
    # only the file the organisation policy extends changes: every verdict must be recomputed
    base.write_text("name: base\nextends: builtin:minimal\nrequirements:\n"
                    "  - id: datasheet\n    component: docs.datasheet\n    severity: required\n")
    changed, _ = org.scan(gh, "octo-org", options)
    assert not any(r.cached for r in changed.rows)
    assert all(r.passed is False for r in changed.rows)


def test_a_transient_fault_reading_the_organisation_policy_is_retried(fake):
    """One 502 on ORG/.github:openness/policy.yml must not end the scan (the client's retry policy)."""
    fake.set_org_policy("name: acme-minimum\nextends: builtin:minimal\n")
    fake.add_repo("ok", passing_files())
    fake.fail_next(1, 502)
    report, _ = org.scan(client(fake), "octo-org", org.ScanOptions())
    assert report.policy_source == "octo-org/.github:openness/policy.yml"
    assert {r.repo: r.passed for r in report.rows}["octo-org/ok"] is True
    policy_reads = [r for r in fake.log if r.path.endswith("/contents/openness/policy.yml")]
    assert [r.status for r in policy_reads] == [502, 200]
