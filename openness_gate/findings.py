"""Findings: what the detectors say about each component, with the evidence behind it.

A ``Finding`` is immutable and self-explaining: every non-missing status carries at least
one ``Evidence`` (a repository path, optionally a line, or an external URL, and a reason a
person understands). Detectors build findings; nothing downstream changes them.
"""

from __future__ import annotations


from openness_gate import taxonomy
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping

PRESENT, PARTIAL, LINKED, MISSING = taxonomy.STATUSES

#: Merge order when several detectors speak about one component: evidence that we can
#: verify in the repository beats a reference we cannot, and any evidence beats none.
STATUS_RANK = {PRESENT: 3, PARTIAL: 2, LINKED: 1, MISSING: 0}


@record
class Evidence:
    reason: str
    path: str | None = None  # repo-relative, '/'-separated
    line: int | None = None  # 1-based
    url: str | None = None  # for linked artefacts

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "line": self.line, "reason": self.reason}
        if self.url is not None:
            out["url"] = self.url
        return out


@record
class Finding:
    component: str
    status: str
    evidence: tuple[Evidence, ...] = ()
    facts: Mapping[str, Any] = field(default_factory=dict)
    #: files the detector of this component wanted but a limit or fault kept unread: the status
    #: may be wrong (``missing`` for a card the remote budget never fetched), and reports say so
    unread: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        taxonomy.get(self.component)  # raises on an unknown id: a detector bug, not user input
        if self.status not in STATUS_RANK:
            raise ValueError(f"unknown status {self.status!r} for {self.component}")
        if self.status != MISSING and not self.evidence:
            raise ValueError(f"{self.component}: status {self.status!r} needs evidence")

    @property
    def dimension(self) -> str:
        return taxonomy.get(self.component).dimension

    @property
    def found(self) -> bool:
        return self.status != MISSING


def missing(component: str, reason: str | None = None, **facts: Any) -> Finding:
    """A ``missing`` finding; ``reason`` (optional) says what was looked for."""
    evidence = (Evidence(reason=reason),) if reason else ()
    return Finding(component, MISSING, evidence, facts)


def merge(findings: Iterable[Finding]) -> Finding:
    """Combine findings about one component: the strongest status wins, evidence and facts add up.

    Evidence of the winning status comes first; facts of stronger findings win on key clashes,
    except list-valued facts, which are united (a paper *and* a technical report were found).
    """
    items = sorted(findings, key=lambda f: STATUS_RANK[f.status], reverse=True)
    if not items:
        raise ValueError("merge() needs at least one finding")
    best = items[0]
    if len(items) == 1:
        return best
    evidence: list[Evidence] = []
    facts: dict[str, Any] = {}
    for f in items:
        if best.status != MISSING and f.status == MISSING:
            continue  # "not found here" notes are noise once something was found
        evidence.extend(e for e in f.evidence if e not in evidence)
        for k, v in f.facts.items():
            if k not in facts:
                facts[k] = v
            elif isinstance(facts[k], list) and isinstance(v, list):
                # list facts (kinds, formats…) describe everything found: keep them all
                facts[k] = facts[k] + [x for x in v if x not in facts[k]]
    unread = tuple(sorted({p for f in items for p in f.unread}))
    return Finding(best.component, best.status, tuple(evidence), facts, unread)
