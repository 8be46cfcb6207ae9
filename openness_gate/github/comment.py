"""The sticky pull-request comment: one per policy, found again, updated in place.

Our comment is recognised by two things together:

* a hidden marker line at its end, ``<!-- openness-gate:sticky policy=NAME run=N attempt=A sha=SHA -->``
  (reporters break every ``<!--`` coming from the repository, so a model card cannot forge it);
* its author: the identity the token comments as. The workflow token cannot call ``GET /user``,
  so the identity is given (default ``github-actions[bot]``) and compared with the comment's
  author login or the login of the GitHub App it was ``performed_via_github_app``.

Rules: minimized (hidden) comments are left alone; of several of ours the one with the newest
run (then the newest comment) is kept and the others deleted; a comment whose marker names a newer run (number, attempt) is never
overwritten; no write happens when the visible body and the commit are unchanged. Every
failure becomes a ``CommentOutcome`` with a reason: the caller turns it into a warning, the
verdict of the check never depends on it.
"""

from __future__ import annotations

import re
from typing import Any

from openness_gate import lazyre
from openness_gate.github.client import api_message, describe_error, is_rate_limit
from openness_gate.record import record

DEFAULT_AUTHOR = "github-actions[bot]"
MARKER_PREFIX = "<!-- openness-gate:sticky"
_MARKER = lazyre.compile(r"^<!-- openness-gate:sticky policy=(?P<policy>[A-Za-z0-9._-]+) run=(?P<run>\d+)"
                         r" attempt=(?P<attempt>\d+) sha=(?P<sha>[0-9a-fA-F]*) -->$", re.MULTILINE)
_MINIMIZED_QUERY = ("query($ids: [ID!]!) { nodes(ids: $ids) { ... on IssueComment { id isMinimized } } }")

CREATED, UPDATED, UNCHANGED, NEWER, NOT_NEEDED, FORBIDDEN, FAILED = (
    "created", "updated", "unchanged", "newer-run-kept", "not-needed", "forbidden", "failed")


def policy_key(name: str) -> str:
    """The policy name as it appears in the marker (a safe token)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-")[:80] or "policy"


@record
class Marker:
    policy: str
    run: int
    attempt: int = 1
    sha: str = ""

    def line(self) -> str:
        return (f"{MARKER_PREFIX} policy={policy_key(self.policy)} run={self.run} "
                f"attempt={self.attempt} sha={self.sha} -->")

    @property
    def order(self) -> tuple[int, int]:
        return (self.run, self.attempt)


def parse_marker(body: str, policy: str) -> Marker | None:
    """The marker of ``policy`` in a comment body, or None (the last one wins if there are several)."""
    key = policy_key(policy)
    found = [m for m in _MARKER.finditer(body or "") if m.group("policy") == key]
    if not found:
        return None
    m = found[-1]
    return Marker(m.group("policy"), int(m.group("run")), int(m.group("attempt")), m.group("sha"))


def compose(content: str, marker: Marker) -> str:
    return f"{content.rstrip()}\n\n{marker.line()}\n"


def visible_part(body: str) -> str:
    """The comment without our marker line(s): what a reader sees (line endings normalised)."""
    return _MARKER.sub("", (body or "").replace("\r\n", "\n")).rstrip()


@record
class CommentOutcome:
    action: str  # created | updated | unchanged | newer-run-kept | not-needed | forbidden | failed
    url: str | None = None
    deleted: int = 0
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.action not in (FORBIDDEN, FAILED)


def _login(user: Any) -> str:
    return getattr(user, "login", "") or "" if user is not None else ""


def is_ours(comment: Any, author: str) -> bool:
    """Written by ``author``: the comment's user, or the GitHub App it was performed via."""
    if _login(comment.user).lower() == author.lower():
        return True
    app = comment.performed_via_github_app
    slug = getattr(app, "slug", None) if app is not None else None
    return bool(slug) and f"{slug}[bot]".lower() == author.lower()


def _minimized_ids(gh: Any, comments: list[Any]) -> set[str]:
    """Node ids of the comments that are minimized (GraphQL only: REST does not say)."""
    from github import GithubException

    ids = [c.node_id for c in comments if getattr(c, "node_id", None)]
    if not ids:
        return set()
    try:
        _, data = gh.requester.graphql_query(_MINIMIZED_QUERY, {"ids": ids})
    except GithubException as exc:
        if exc.status in (401, 403) and not is_rate_limit(exc):
            raise  # a token problem: the REST writes would fail the same way
        return set()  # GraphQL unavailable (e.g. an old Enterprise Server): treat none as hidden
    nodes = (data.get("data") or {}).get("nodes") or []
    return {n["id"] for n in nodes if isinstance(n, dict) and n.get("isMinimized")}


def upsert(gh: Any, repository: str, number: int, content: str, marker: Marker,
           author: str = DEFAULT_AUTHOR, create: bool = True) -> CommentOutcome:
    """Create or update our sticky comment on pull request ``number``. Never raises for API faults.

    With ``create=False`` an existing comment is still kept up to date, but none is started
    (``comment: auto`` on a passing pull request that changes nothing)."""
    from github import GithubException

    try:
        return _upsert(gh, repository, number, content, marker, author, create)
    except GithubException as exc:
        if exc.status == 403 and not is_rate_limit(exc):
            return CommentOutcome(FORBIDDEN, reason="the token may not write comments here (HTTP 403; "
                                                    "read-only token, e.g. a pull request from a fork)")
        return CommentOutcome(FAILED, reason=f"GitHub API answered HTTP {exc.status}: {api_message(exc)}")
    except Exception as exc:  # network faults: timeouts, refused connections, retries exhausted
        return CommentOutcome(FAILED, reason=f"GitHub API unreachable: {describe_error(exc)}")


def _upsert(gh: Any, repository: str, number: int, content: str, marker: Marker, author: str,
            create: bool) -> CommentOutcome:
    issue = gh.get_repo(repository).get_issue(number)
    ours = [c for c in issue.get_comments() if parse_marker(c.body, marker.policy) and is_ours(c, author)]
    hidden = _minimized_ids(gh, ours) if ours else set()
    def age(c: Any) -> tuple[tuple[int, int], Any, int]:
        found = parse_marker(c.body, marker.policy)
        return (found.order if found else (0, 0), c.created_at, c.id)

    live = sorted((c for c in ours if c.node_id not in hidden), key=age)  # the last one is kept
    body = compose(content, marker)
    if not live and not create:
        return CommentOutcome(NOT_NEEDED, reason="the check passes and nothing changed")
    if not live:
        created = issue.create_comment(body)
        return CommentOutcome(CREATED, created.html_url)
    keep, extra = live[-1], live[:-1]
    for c in extra:
        c.delete()
    existing = parse_marker(keep.body, marker.policy)
    assert existing is not None
    if existing.order > marker.order:
        return CommentOutcome(NEWER, keep.html_url, len(extra),
                              f"the comment was written by a newer run (#{existing.run}); left as it is")
    if visible_part(keep.body) == visible_part(body) and existing.sha == marker.sha:
        return CommentOutcome(UNCHANGED, keep.html_url, len(extra))
    keep.edit(body)
    return CommentOutcome(UPDATED, keep.html_url, len(extra))
