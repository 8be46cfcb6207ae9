"""The sticky comment against the fake GitHub API: finding ours, faults, retries, timeouts."""

from __future__ import annotations

import time

import pytest

from fake_github import BOT, FakeGitHub
from openness_gate.github import comment as sticky
from openness_gate.github.client import ClientOptions, make_client


@pytest.fixture
def fake():
    server = FakeGitHub()
    server.start()
    yield server
    server.stop()


def client(fake, token="write-token", **options):
    return make_client(token, ClientOptions(api_url=fake.url, backoff=0.01, **options))


def upsert(fake, content="report", run=5, sha="abc123", token="write-token", author=BOT, **options):
    marker = sticky.Marker("ai-stack", run, 1, sha)
    return sticky.upsert(client(fake, token, **options), fake.repository, fake.pr_number, content, marker, author)


def ours(fake):
    return [c for c in fake.comments.values() if sticky.parse_marker(c["body"], "ai-stack")]


def test_our_comment_is_found_on_a_later_page_and_updated(fake):
    fake.page_size = 30
    for i in range(95):
        fake.add_comment(f"review comment {i}", login="reviewer")
    first = fake.add_comment(sticky.compose("old report", sticky.Marker("ai-stack", 1, 1, "aaa")))
    for i in range(20):
        fake.add_comment(f"later comment {i}", login="reviewer")
    out = upsert(fake, "new report", run=2)
    assert out.action == sticky.UPDATED and out.url == first["html_url"]
    assert [c["id"] for c in ours(fake)] == [first["id"]]
    assert fake.comments[first["id"]]["body"].startswith("new report")
    pages = [r for r in fake.log if r.method == "GET"]
    assert len(pages) == 4  # 116 comments, 30 a page


def test_duplicates_are_deleted_keeping_the_newest(fake):
    ids = [fake.add_comment(sticky.compose(f"report {i}", sticky.Marker("ai-stack", i, 1, "aaa")))["id"]
           for i in (1, 2, 3)]
    out = upsert(fake, "report 4", run=4)
    assert out.action == sticky.UPDATED and out.deleted == 2
    assert [c["id"] for c in ours(fake)] == [ids[-1]]


def test_a_copied_marker_by_someone_else_is_not_ours(fake):
    spoof = fake.add_comment(sticky.compose("fake verdict: pass", sticky.Marker("ai-stack", 999, 1, "")),
                             login="mallory")
    out = upsert(fake, "real report", run=3)
    assert out.action == sticky.CREATED
    assert fake.comments[spoof["id"]]["body"].startswith("fake verdict")  # untouched, and 999 did not block us
    assert len(fake.comments) == 2


def test_a_comment_performed_via_our_app_is_ours(fake):
    mine = fake.add_comment(sticky.compose("old", sticky.Marker("ai-stack", 1, 1, "aaa")), login="octocat",
                            app_slug="openness-app")
    fake.tokens["app-user-token"] = "octocat"
    out = upsert(fake, "new", run=2, token="app-user-token", author="openness-app[bot]")
    assert out.action == sticky.UPDATED and out.url == mine["html_url"]


def test_minimized_comments_are_left_alone(fake):
    hidden = fake.add_comment(sticky.compose("old", sticky.Marker("ai-stack", 1, 1, "aaa")))
    fake.minimize(hidden["id"])
    out = upsert(fake, "new", run=2)
    assert out.action == sticky.CREATED
    assert fake.comments[hidden["id"]]["body"].startswith("old")
    assert len(ours(fake)) == 2


def test_other_policies_keep_their_own_comment(fake):
    mof = fake.add_comment(sticky.compose("mof report", sticky.Marker("mof", 1, 1, "aaa")))
    out = upsert(fake, "ai-stack report", run=2)
    assert out.action == sticky.CREATED
    assert fake.comments[mof["id"]]["body"].startswith("mof report")


def test_a_newer_run_is_never_overwritten_and_the_same_commit_is_not_rewritten(fake):
    assert upsert(fake, "from run 10", run=10, sha="bbb").action == sticky.CREATED
    assert upsert(fake, "from run 9", run=9, sha="aaa").action == sticky.NEWER
    fake.log.clear()
    assert upsert(fake, "from run 10", run=11, sha="bbb").action == sticky.UNCHANGED
    assert [r.method for r in fake.log] == ["GET", "POST"]  # list + minimized query; no write
    assert fake.bodies()[0].startswith("from run 10") and "run=10 " in fake.bodies()[0]


def test_read_only_token_is_reported_not_raised(fake):
    out = upsert(fake, token="fork-token")
    assert out.action == sticky.FORBIDDEN and not out.ok
    assert "read-only token" in out.reason
    assert fake.comments == {}


def test_server_errors_are_retried(fake):
    fake.fail_next(2, status=502)
    out = upsert(fake)
    assert out.action == sticky.CREATED
    assert [r.status for r in fake.log[:3]] == [502, 502, 200]


def test_persistent_server_errors_end_in_a_warning_reason(fake):
    fake.fail_next(50)
    out = upsert(fake, retries=2)
    assert out.action == sticky.FAILED and "HTTP 500" in out.reason
    assert len(fake.log) == 3  # one try and two retries, then it gives up
    assert fake.comments == {}


def test_secondary_rate_limit_waits_for_retry_after(fake):
    fake.rate_limit_next(1, retry_after=1)
    started = time.monotonic()
    out = upsert(fake)
    assert out.action == sticky.CREATED
    assert time.monotonic() - started >= 0.9  # it waited as asked before retrying
    assert [r.status for r in fake.log[:2]] == [403, 200]


def test_a_long_retry_after_is_capped(fake):
    fake.rate_limit_next(10, retry_after=3600)
    started = time.monotonic()
    out = upsert(fake, retries=1, max_wait=1)
    assert out.action == sticky.FAILED and "rate limit" in out.reason
    assert time.monotonic() - started < 60  # did not wait the hour


def test_slow_server_times_out(fake):
    fake.delay = 2.5
    out = upsert(fake, retries=0, timeout=1)
    assert out.action == sticky.FAILED and "unreachable" in out.reason


def test_enterprise_server_paths(fake):
    fake.prefix = "/api/v3"
    hidden = fake.add_comment(sticky.compose("old", sticky.Marker("ai-stack", 1, 1, "aaa")))
    fake.minimize(hidden["id"])
    out = upsert(fake, "new", run=2)
    assert out.action == sticky.CREATED
    assert "POST /api/graphql" in fake.calls()
    assert all(c.startswith(("GET /api/v3/", "POST /api/v3/", "POST /api/graphql")) for c in fake.calls())


def test_marker_round_trip_and_policy_names_are_made_safe():
    m = sticky.Marker("my policy <b>", 12, 3, "deadbeef")
    body = sticky.compose("# report", m)
    assert body.endswith("<!-- openness-gate:sticky policy=my-policy-b run=12 attempt=3 sha=deadbeef -->\n")
    assert sticky.parse_marker(body, "my policy <b>") == sticky.Marker("my-policy-b", 12, 3, "deadbeef")
    assert sticky.parse_marker(body, "other") is None
    assert sticky.visible_part(body) == "# report"


def test_of_two_comments_the_newest_verdict_is_kept_even_if_written_earlier(fake):
    newer_verdict = fake.add_comment(sticky.compose("run 10", sticky.Marker("ai-stack", 10, 1, "bbb")))
    fake.add_comment(sticky.compose("run 9 (raced)", sticky.Marker("ai-stack", 9, 1, "aaa")))
    out = upsert(fake, "run 8, late", run=8, sha="ccc")
    assert out.action == sticky.NEWER and out.deleted == 1
    assert [c["id"] for c in ours(fake)] == [newer_verdict["id"]]
    assert fake.bodies() == [sticky.compose("run 10", sticky.Marker("ai-stack", 10, 1, "bbb"))]


def test_graphql_unavailable_still_updates_in_place(fake):
    mine = fake.add_comment(sticky.compose("old", sticky.Marker("ai-stack", 1, 1, "aaa")))
    fake.graphql = False  # an old Enterprise Server
    out = upsert(fake, "new", run=2)
    assert out.action == sticky.UPDATED and out.url == mine["html_url"]
