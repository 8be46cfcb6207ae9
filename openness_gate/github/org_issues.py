"""Tell repository owners once: one issue per failing repository, updated in place, closed on pass.

Idempotent by construction: our issue is found by a hidden marker (and our label), its body
carries a digest of the findings, and the scan cache remembers issue number and digest, so
a repository whose findings did not change costs no call and gets no notification. Editing
an issue body does not notify watchers; only opening (or reopening after a fix regressed)
does. Nothing here judges: the rows come from the scan.
"""

from __future__ import annotations

import hashlib
from typing import Any

from openness_gate.github.org import Cache
from openness_gate.org_result import RepoRow
from openness_gate.record import record

MARKER = "<!-- openness-gate:org-issue -->"
LABEL = "openness-gate"


@record
class Action:
    repo: str
    verb: str  # open | update | reopen | close | none
    number: int | None = None

    def describe(self) -> str:
        n = f" #{self.number}" if self.number else ""
        return {"open": "opened", "update": "updated", "reopen": "reopened", "close": "closed",
                "none": "unchanged"}[self.verb] + n


def findings_digest(row: RepoRow) -> str:
    key = "\n".join([str(row.policy), *sorted(row.missing_required), *row.missing_messages])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def issue_body(row: RepoRow, org_policy_source: str) -> str:
    from openness_gate.report.escape import md_code, md_text

    lines = [
        MARKER,
        f"<!-- openness-gate:digest {findings_digest(row)} -->",
        f"This repository does not meet the organisation's openness minimum "
        f"(policy {md_code(row.policy or '')}, from {md_code(org_policy_source)}).",
        "",
        f"Score: **{row.score}/100**" + (f", level **{md_text(row.level)}**" if row.level else "")
        + f" at commit {md_code((row.commit or '')[:12])}.",
        "",
        "### Missing required items",
        "",
    ]
    for rid, msg in zip(row.missing_required, row.missing_messages + [""] * len(row.missing_required)):
        lines.append(f"- {md_code(rid)}: {md_text(msg)}")
    lines += ["", "Run `openness-gate check .` in the repository for the evidence and how to fix each item. "
              "This issue is updated in place by the organisation scan and closed when the repository passes."]
    return "\n".join(lines) + "\n"


def _find_existing(repo: Any) -> Any | None:
    for issue in repo.get_issues(state="all", labels=[LABEL]):
        if MARKER in (issue.body or ""):
            return issue
    return None


def plan_and_apply(repo_obj: Any, row: RepoRow, cache: Cache, policy_source: str, *, dry_run: bool) -> Action:
    """Bring the repository's issue in line with ``row``; return what was (or would be) done."""
    if row.passed is None:
        return Action(row.repo, "none")  # could not be checked: say nothing to the owners
    state = cache.issue_state(row.repo)
    digest = findings_digest(row)
    if state is not None and state.get("digest") == digest and state.get("open") == (row.passed is False):
        return Action(row.repo, "none", state.get("number"))
    if state is None or state.get("number") is None and row.passed is False:
        issue = _find_existing(repo_obj)
    else:
        issue = repo_obj.get_issue(int(state["number"])) if state.get("number") else None
    if row.passed:
        if issue is None or issue.state == "closed":
            if not dry_run:
                cache.set_issue_state(row.repo, {"number": issue.number if issue else None, "digest": digest,
                                                 "open": False})
            return Action(row.repo, "none", issue.number if issue else None)
        if not dry_run:
            issue.create_comment("The repository now meets the organisation's openness minimum. Closing.")
            issue.edit(state="closed")
            cache.set_issue_state(row.repo, {"number": issue.number, "digest": digest, "open": False})
        return Action(row.repo, "close", issue.number)
    body = issue_body(row, policy_source)
    title = f"Openness: below the organisation minimum ({row.policy})"
    if issue is None:
        if dry_run:
            return Action(row.repo, "open")
        created = repo_obj.create_issue(title=title, body=body, labels=[LABEL])
        cache.set_issue_state(row.repo, {"number": created.number, "digest": digest, "open": True})
        return Action(row.repo, "open", created.number)
    verb = "reopen" if issue.state == "closed" else ("none" if (issue.body or "") == body else "update")
    if not dry_run and verb != "none":
        issue.edit(title=title, body=body, state="open")
    if not dry_run:
        cache.set_issue_state(row.repo, {"number": issue.number, "digest": digest, "open": True})
    return Action(row.repo, verb, issue.number)
