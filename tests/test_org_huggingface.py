"""``org scan hf:ORG``: every model of a Hub organisation, against the fake Hub on 127.0.0.1
(the real command line in a subprocess, as in test_source_huggingface)."""

from __future__ import annotations

import json

from fake_hub import FakeHub
from test_org import MINIMAL, failing_files, passing_files
from test_source_huggingface import hub, one_line_error, run_hf  # noqa: F401  (hub: the fake Hub fixture)


def _org(hub: FakeHub, n: int = 12) -> None:
    """n models of acme: every 4th fails the minimal policy, model-0005 is gated (no access),
    odd ones are tagged text-generation; one model of another author is never listed."""
    for i in range(n):
        files = failing_files() if i % 4 == 0 else passing_files()
        hub.add_repo(f"acme/model-{i:04d}", files, hub_tags=("text-generation",) if i % 2 else (),
                     **({"gated": "manual", "allowed_tokens": {"granted-token"}} if i == 5 else {}))
    hub.add_repo("someone-else/model", passing_files())


def _scan(hub, tmp_path, *args: str, token: str | None = None):
    proc = run_hf(hub, tmp_path, "org", "scan", "hf:acme", "--policy", MINIMAL, "--format", "json",
                  "--cache", str(tmp_path / "cache.json"), *args, token=token)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_scan_checks_every_model_then_reuses_unchanged_ones(hub, tmp_path):
    _org(hub)
    hub.page_size = 5  # the listing comes in pages
    rc, report = _scan(hub, tmp_path)
    assert rc == 1 and report["org"] == "hf:acme"
    rows = {r["repo"]: r for r in report["repositories"]}
    assert sorted(rows) == [f"hf:acme/model-{i:04d}" for i in range(12)]
    assert {name for name, r in rows.items() if r["passed"] is False} == {f"hf:acme/model-{i:04d}" for i in (0, 4, 8)}
    gated = rows["hf:acme/model-0005"]
    assert gated["passed"] is None and "gated repository" in gated["error"] and "request access" in gated["error"]
    assert rows["hf:acme/model-0001"]["commit"] == hub.repos[("model", "acme/model-0001")].sha
    assert len([r for r in hub.log if r.path == "/api/models"]) == 3  # 12 models, 5 a page
    assert hub.unexpected == []

    # unchanged: the listing carries each head commit, so the cache answers without another request
    hub.log.clear()
    hub.repos[("model", "acme/model-0002")].files["NOTES.md"] = b"changed\n"
    rc, again = _scan(hub, tmp_path)
    cached = {r["repo"] for r in again["repositories"] if r["cached"]}
    assert cached == {f"hf:acme/model-{i:04d}" for i in range(12)} - {"hf:acme/model-0002", "hf:acme/model-0005"}
    touched = {r.path.split("/")[4] for r in hub.log if r.path.startswith("/api/models/acme/")}
    assert touched == {"model-0002", "model-0005"}  # the changed one, and the error row (never cached)


def test_selection_by_name_tag_and_shard(hub, tmp_path):
    _org(hub)
    _, report = _scan(hub, tmp_path, "--include", "model-000*", "--exclude", "model-0001", "--topic",
                      "text-generation")
    assert [r["repo"] for r in report["repositories"]] == ["hf:acme/model-0003", "hf:acme/model-0005", "hf:acme/model-0007",
                                                   "hf:acme/model-0009"]
    shards = [{r["repo"] for r in _scan(hub, tmp_path, "--shard", f"{k}/3", "--cache", "")[1]["repositories"]}
              for k in (1, 2, 3)]
    assert sum(len(s) for s in shards) == 12 and set().union(*shards) == {f"hf:acme/model-{i:04d}" for i in range(12)}


def test_a_granted_token_checks_the_gated_model(hub, tmp_path):
    _org(hub, 6)
    _, report = _scan(hub, tmp_path, token="granted-token")
    assert all(r["passed"] is not None for r in report["repositories"])


def test_usage_errors(hub, tmp_path):
    _org(hub, 2)
    assert "lists no models" in one_line_error(run_hf(hub, tmp_path, "org", "scan", "hf:nobody", "--cache", ""))
    assert "expected hf:ORG" in one_line_error(run_hf(hub, tmp_path, "org", "scan", "hf:a/b", "--cache", ""))
    line = one_line_error(run_hf(hub, tmp_path, "org", "scan", "hf:acme", "--open-issues", "--cache", ""))
    assert "--open-issues" in line
    hub.rate_limited = True
    line = one_line_error(run_hf(hub, tmp_path, "org", "scan", "hf:acme", "--cache", "", token="reader-token"))
    assert line.startswith("openness-gate: error: hf:acme (listing its models): rate-limited by the Hub")
