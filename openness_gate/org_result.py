"""The result of an organisation scan: one row per repository, and the report that holds them.

Plain data shared by the scanner (``github/org.py``), the reporters (``report/org.py``) and
``org merge``; it knows how to round-trip through JSON and how to combine shard reports.
"""

from __future__ import annotations

from typing import Any

from openness_gate import __version__
from openness_gate.errors import UsageError
from openness_gate.record import asdict, field, record
from openness_gate.record import fields as record_fields


@record(frozen=False)
class RepoRow:
    """One repository's line in the organisation report."""

    repo: str
    branch: str | None = None
    commit: str | None = None
    tree: str | None = None
    passed: bool | None = None  # None: could not be checked (see error)
    score: int | None = None
    level: str | None = None
    policy: str | None = None
    dimensions: dict[str, list[int]] = field(default_factory=dict)  # dimension -> [found, total]
    statuses: dict[str, str] = field(default_factory=dict)  # component id -> status
    missing_required: list[str] = field(default_factory=list)  # failed required requirement ids
    missing_messages: list[str] = field(default_factory=list)
    error: str | None = None
    #: a limit or fault stopped a read the verdict may rest on (``Result.incomplete``)
    incomplete: bool = False
    cached: bool = False
    issue: str | None = None  # what --open-issues did: opened #n, updated #n, closed #n, unchanged #n

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "RepoRow":
        """A row from its JSON form (a report or a cache entry); keys this version does not know are dropped."""
        known = {f.name for f in record_fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    @property
    def failed(self) -> bool:
        return self.passed is not True


@record(frozen=False)
class OrgReport:
    org: str
    policy: str
    policy_source: str
    generated_at: str
    tool_version: str = __version__
    shard: str | None = None
    rows: list[RepoRow] = field(default_factory=list)
    calls: int | None = None  # API requests this scan made (when known)

    def totals(self) -> dict[str, int]:
        return {
            "repositories": len(self.rows),
            "passed": sum(1 for r in self.rows if r.passed is True),
            "failed": sum(1 for r in self.rows if r.passed is False),
            "errors": sum(1 for r in self.rows if r.passed is None),
            "cached": sum(1 for r in self.rows if r.cached),
        }

    @property
    def passed(self) -> bool:
        return all(not r.failed for r in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": 1, "kind": "org-scan", "org": self.org, "policy": self.policy,
                "policy_source": self.policy_source, "generated_at": self.generated_at,
                "tool": {"name": "openness-gate", "version": self.tool_version}, "shard": self.shard,
                "calls": self.calls, "totals": self.totals(), "passed": self.passed,
                "repositories": [asdict(r) for r in self.rows]}

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str = "report") -> "OrgReport":
        if not isinstance(data, dict) or data.get("kind") != "org-scan":
            raise UsageError(f"{source}: not an openness-gate organisation report (kind: org-scan)")
        rows = [RepoRow.from_dict(r) for r in data.get("repositories", [])]
        return cls(str(data.get("org", "")), str(data.get("policy", "")), str(data.get("policy_source", "")),
                   str(data.get("generated_at", "")), str(data.get("tool", {}).get("version", "")),
                   data.get("shard"), rows, data.get("calls"))


def merge(reports: list[OrgReport]) -> OrgReport:
    """Combine shard reports; a repository present in several keeps the newest row."""
    if not reports:
        raise UsageError("org merge needs at least one report")
    orgs = {r.org for r in reports}
    if len(orgs) > 1:
        raise UsageError(f"reports are of different organisations: {', '.join(sorted(orgs))}")
    by_repo: dict[str, tuple[str, RepoRow]] = {}
    for rep in reports:
        for row in rep.rows:
            if row.repo not in by_repo or rep.generated_at >= by_repo[row.repo][0]:
                by_repo[row.repo] = (rep.generated_at, row)
    newest = max(reports, key=lambda r: r.generated_at)
    calls = [r.calls for r in reports]
    return OrgReport(newest.org, newest.policy, newest.policy_source, newest.generated_at,
                     rows=[by_repo[k][1] for k in sorted(by_repo, key=str.lower)],
                     calls=sum(c for c in calls if c is not None) if any(c is not None for c in calls) else None)
