"""A remote check agrees with a local check of the same commit, or says it may not.

Real repositories of 1,000–2,000 files (the calibration snapshots: the file list with real
sizes and the bytes the checker reads) are materialised as a folder and served through the fake
GitHub API on 127.0.0.1. Read from the repository's archive (one download), the remote statuses
equal the local ones on all 30 components. Read blob by blob under the fetch budget (archives
disabled, as some Enterprise servers do), a status may differ only where the report marks the
component unread and the verdict incomplete: never a silent wrong verdict.
"""

from __future__ import annotations

import gzip
import json
import pathlib

import pytest

from conftest import ROOT, run_cli
from fake_github_org import FakeOrg
from openness_gate.checker import check_inventory
from openness_gate.sources import github as remote
from openness_gate.sources import local
from test_calibration import materialise
from test_org import client, fake  # noqa: F401  (the fake GitHub fixture and a client pointed at it)

SNAPSHOTS = ROOT / "tests" / "calibration" / "snapshots"
#: the real repositories of 1,000–2,000 files that have a snapshot (issue #14 names the first two)
LARGE = ["EleutherAI__pythia", "allenai__OLMo", "meta-llama__llama-stack", "salesforce__LAVIS"]


def serve(fake: FakeOrg, folder: pathlib.Path, name: str) -> None:
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    fake.add_repo(name, files)


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> dict[str, pathlib.Path]:
    out = {}
    for name in LARGE:
        path = SNAPSHOTS / f"{name}.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            snap = json.load(fh)
        assert 1000 <= len(snap["files"]) <= 2100, name
        root = tmp_path_factory.mktemp(name)
        materialise(snap, root)
        out[name] = root
    return out


def statuses(result) -> dict[str, str]:
    return {f.component: f.status for f in result.components}


@pytest.mark.parametrize("name", LARGE)
def test_a_large_real_repository_gets_the_same_statuses_remotely_in_a_handful_of_calls(fake, large, name):
    serve(fake, large[name], "model")
    here = check_inventory(local.load(str(large[name])))
    calls = len(fake.log)
    there = check_inventory(remote.load("octo-org/model", client=client(fake)))
    used = [c for c in fake.calls()[calls:]]
    assert statuses(there) == statuses(here)
    assert there.policy.score == here.policy.score
    # no remote limit stopped a read: what is incomplete is what the detectors' own read budgets
    # left where a component stayed short of present (LAVIS: scripts that might be a safety classifier)
    assert there.inventory.incomplete == here.inventory.incomplete
    assert all(s.reason.startswith("content not read: the ") for s in there.inventory.incomplete)
    # repository, commit, tree, archive link, archive: no call per file
    assert len(used) <= 6, used
    assert not any("/git/blobs/" in c for c in used)


def test_without_archives_a_status_differs_only_where_the_report_says_it_may(fake, large):
    """Blob by blob, 200 fetches do not cover OLMo's reads (272 files); the cards still come first."""
    serve(fake, large["allenai__OLMo"], "model")
    fake.archives = False
    here = check_inventory(local.load(str(large["allenai__OLMo"])))
    there = check_inventory(remote.load("octo-org/model", client=client(fake)))
    blobs = sum(1 for c in fake.calls() if "/git/blobs/" in c)
    # the general budget is spent; the reserve served the deciding files only
    assert remote.MAX_FETCHES - remote.RESERVED_FETCHES < blobs <= remote.MAX_FETCHES
    assert there.incomplete and there.inventory.incomplete
    assert all("budget" in s.reason for s in there.inventory.incomplete)
    differ = {cid for cid, st in statuses(here).items() if statuses(there)[cid] != st}
    unread = {f.component for f in there.components if f.unread}
    assert differ <= unread, f"silently different: {sorted(differ - unread)}"
    # the reserved budget kept the deciding files: the card and the licence agree
    for cid in ("docs.model_card", "distribution.license"):
        assert there.finding(cid).status == here.finding(cid).status, cid


def test_an_incomplete_verdict_is_said_in_every_report_and_can_fail_the_gate(fake, large, tmp_path):
    serve(fake, large["allenai__OLMo"], "model")
    fake.archives = False
    env = {"GITHUB_API_URL": fake.url, "GITHUB_TOKEN": "write-token"}
    target = "github:octo-org/model"
    report = run_cli("check", target, "--policy", "minimal", "--format", "json", env=env)
    data = json.loads(report.stdout)
    assert data["incomplete"] is True and data["inventory"]["incomplete"]
    assert any(c.get("unread") for c in data["components"])
    passed = report.returncode
    text = run_cli("check", target, "--policy", "minimal", env=env)
    assert "Incomplete verdict" in text.stdout
    comment = run_cli("check", target, "--policy", "minimal", "--format", "markdown", env=env)
    assert "⚠️ Incomplete verdict" in comment.stdout
    badges = [tmp_path / "badge.svg", tmp_path / "badge.json"]
    run_cli("check", target, "--policy", "minimal", *(f"--badge={b}" for b in badges), env=env)
    assert json.loads(badges[1].read_text())["message"].endswith(" · incomplete")
    assert "· incomplete</title>" in badges[0].read_text()
    strict = run_cli("check", target, "--policy", "minimal", "--fail-on-incomplete", env=env)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    policy = tmp_path / "strict.yml"
    policy.write_text("name: strict\nextends: builtin:minimal\nincomplete: fail\n")
    by_policy = run_cli("check", target, "--policy", str(policy), "--format", "json", env=env)
    assert by_policy.returncode == 1
    failed = [r for r in json.loads(by_policy.stdout)["policy"]["requirements"] if r["outcome"] == "fail"]
    assert "complete-reading" in [r["id"] for r in failed]
    # the same policy on a complete read adds a passing requirement and changes nothing else
    fake.archives = True
    complete = run_cli("check", target, "--policy", str(policy), "--format", "json", env=env)
    assert json.loads(complete.stdout)["incomplete"] is False
    assert complete.returncode == passed


def test_an_archive_that_embeds_lfs_objects_is_abandoned_and_the_rest_read_file_by_file(fake, tmp_path):
    oid = "cd" * 32
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {90 << 20}\n"
    files = {".gitattributes": "*.safetensors filter=lfs diff=lfs merge=lfs -text\n",
             "a/model.safetensors": pointer, "z/README.md": "# z\n\nA second card after the weights.\n",
             "README.md": "---\nlicense: mit\n---\n# tiny\n\nA model card.\n", "train.py": "loss.backward()\n"}
    folder = tmp_path / "repo"
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)
    serve(fake, folder, "lfs")
    fake.lfs_in_archive = True
    here = check_inventory(local.load(str(folder)))
    inv = remote.load("octo-org/lfs", client=client(fake))
    assert inv.get("a/model.safetensors").size == 90 << 20
    assert inv.text("z/README.md") == files["z/README.md"]  # after the embedded object: read as a blob
    there = check_inventory(inv)
    assert statuses(there) == statuses(here) and not there.incomplete


def test_a_fault_on_the_archive_download_is_retried(fake, tmp_path):
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / "README.md").write_text("# tiny\n")
    (folder / "train.py").write_text("loss.backward()\n")
    serve(fake, folder, "tiny")
    gh = client(fake)
    gh.get_repo("octo-org/tiny").get_archive_link("tarball", "main")  # warm nothing: just a valid call
    fake.log.clear()
    repo = gh.get_repo("octo-org/tiny")
    _, commit, tree = remote.resolve_tree(repo, None)
    fake.fail_next(1, 502)  # the next request: the archive link; the client retries it
    inv = remote.inventory_from_tree(repo, remote.RepoSpec("octo-org", "tiny"), commit, tree)
    assert inv.text("train.py") == "loss.backward()\n"
    calls = fake.calls()
    assert not any("/git/blobs/" in c for c in calls), calls
    assert sum(1 for r in fake.log if r.status == 502) == 1


def test_an_organisation_scan_marks_the_row_whose_verdict_is_incomplete(fake, large):
    from openness_gate.github import org
    from openness_gate.report.org import render

    serve(fake, large["allenai__OLMo"], "suite")
    fake.add_repo("tiny", {"README.md": "# tiny\n", "train.py": "loss.backward()\n"})
    fake.archives = False  # blob by blob: OLMo's reads exceed the budget, a tiny repository's do not
    report, _ = org.scan(client(fake), "octo-org", org.ScanOptions(policy="minimal"))
    rows = {r.repo: r for r in report.rows}
    assert rows["octo-org/suite"].incomplete and rows["octo-org/suite"].passed is not None
    assert not rows["octo-org/tiny"].incomplete
    assert "(incomplete)" in render(report, "markdown")
    assert render(report, "csv").splitlines()[0].endswith(",incomplete")


def test_a_card_kept_away_from_the_weights_is_found_remotely_as_locally_and_fetched_once(fake, tmp_path):
    """A card kept for the Hub upload (model_cards/<name>/README.md) is found from the archive and,
    blob by blob, with one request per README: the card search's look at a README's first bytes is
    the read the other detectors reuse, not a second request."""
    card = "---\nbase_model: Qwen/Qwen2.5-1.5B-Instruct\nlibrary_name: peft\n---\n\n# Text-to-SQL adapter\n"
    files = {"README.md": "# A text-to-SQL benchmark\n", "LICENSE": "MIT License\n",
             "model_cards/sql-lora-r32/README.md": card, **{f"docs/part{i}/README.md": f"# Part {i}\n" for i in range(5)}}
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    here = check_inventory(local.load(str(tmp_path)))
    assert here.finding("docs.model_card").facts["primary"] == "model_cards/sql-lora-r32/README.md"
    fake.add_repo("model", files)
    there = check_inventory(remote.load("octo-org/model", client=client(fake)))
    assert statuses(there) == statuses(here)
    fake.archives = False
    start = len(fake.log)
    blind = check_inventory(remote.load("octo-org/model", client=client(fake)))
    fetched = [c for c in fake.calls()[start:] if "/git/blobs/" in c]
    assert statuses(blind) == statuses(here) and not blind.incomplete
    assert len(fetched) == len(set(fetched)) == len(files), fetched
