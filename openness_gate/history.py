"""One model's openness across its releases (``openness-gate history``).

The verdict at each release tag (or each commit of a range), read from git objects without a
checkout (``sources/gittree``: the source the Action uses for a pull request's base), under
one policy. Each point keeps the score, level, per-dimension counts, the licences, and what
changed since the previous point: components gained, lost, strengthened or weakened
(``policy.compare``), and the licences when they changed (a licence that turns
non-commercial keeps the component present; only its class says so). Nothing is judged here.
"""

from __future__ import annotations

import fnmatch
import subprocess
from typing import Any

from openness_gate import __version__
from openness_gate.errors import UsageError
from openness_gate.inventory import DEFAULT_TEXT_CAP
from openness_gate.record import field, record
from openness_gate.result import Result

SCHEMA = "openness-gate-history/1"


@record
class Revision:
    label: str  # the tag, or the short commit id
    commit: str
    date: str  # ISO 8601, the commit's


@record
class Point:
    revision: Revision
    score: int
    level: str | None
    passed: bool
    dimensions: dict[str, tuple[int, int]]
    statuses: dict[str, str]
    licences: tuple[str, ...]
    licence_classes: tuple[str, ...]
    #: since the previous point: (component, before, after, kind) in taxonomy order
    changes: tuple[tuple[str, str, str, str], ...] = ()
    licence_change: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.revision.label, "commit": self.revision.commit, "date": self.revision.date,
                "score": self.score, "level": self.level, "passed": self.passed,
                "dimensions": {d: list(v) for d, v in self.dimensions.items()}, "statuses": self.statuses,
                "licences": list(self.licences), "licence_classes": list(self.licence_classes),
                "changes": [{"component": c, "before": b, "after": a, "kind": k} for c, b, a, k in self.changes],
                "licence_change": ({"before": list(self.licence_change[0]), "after": list(self.licence_change[1])}
                                   if self.licence_change else None)}


@record
class History:
    path: str
    policy: str
    policy_digest: str
    points: tuple[Point, ...]
    tool: str = f"openness-gate {__version__}"
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "tool": self.tool, "path": self.path,
                "policy": {"name": self.policy, "digest": self.policy_digest},
                "points": [p.to_dict() for p in self.points], "notes": list(self.notes)}


def _git(path: str, *args: str) -> str:
    try:
        proc = subprocess.run(["git", "-C", path, *args], capture_output=True, text=True, timeout=120)
    except FileNotFoundError:
        raise UsageError("git is not installed: history reads the repository's git objects") from None
    if proc.returncode != 0:
        raise UsageError(f"{path}: git {args[0]}: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'failed'}")
    return proc.stdout


def tagged(path: str, pattern: str = "*") -> list[Revision]:
    """Tags matching ``pattern`` (a glob), oldest commit first; annotated tags are peeled."""
    out = _git(path, "for-each-ref", "--format=%(refname:short)%00%(objectname)%00%(*objectname)", "refs/tags")
    found: dict[str, str] = {}
    for line in out.splitlines():
        name, obj, peeled = (line.split("\0") + ["", ""])[:3]
        if fnmatch.fnmatchcase(name, pattern):
            found[name] = peeled or obj
    if not found:
        return []
    dates = _dates(path, sorted(set(found.values())))
    revs = [Revision(name, sha, dates.get(sha, "")) for name, sha in found.items()]
    return sorted(revs, key=lambda r: (r.date, r.label))


def commits(path: str, span: str) -> list[Revision]:
    """The commits of ``A..B`` (first parents), oldest first."""
    if span.startswith("-") or ".." not in span:
        raise UsageError(f"--revs {span!r}: expected A..B")
    out = _git(path, "rev-list", "--first-parent", "--reverse", "--format=%H%x00%cI", span)
    revs = []
    for line in out.splitlines():
        if "\0" in line:
            sha, date = line.split("\0", 1)
            revs.append(Revision(sha[:12], sha, date))
    return revs


def _dates(path: str, shas: list[str]) -> dict[str, str]:
    out = _git(path, "show", "--no-patch", "--no-walk=unsorted", "--format=%H%x00%cI", *shas)
    return dict(line.split("\0", 1) for line in out.splitlines() if "\0" in line)


def point_of(revision: Revision, result: Result, previous: Result | None) -> Point:
    from openness_gate.matrix import licences_of
    from openness_gate.policy.compare import compare
    from openness_gate.report.view import dimensions

    ids, classes = licences_of(result)
    changes: tuple[tuple[str, str, str, str], ...] = ()
    licence_change = None
    if previous is not None:
        changes = tuple((c.component, c.before, c.after, c.kind) for c in compare(previous, result).changes)
        before = licences_of(previous)[0]
        licence_change = (before, ids) if before != ids else None
    dims = {row.dimension: (row.found, row.total) for row in dimensions(result)}
    return Point(revision, result.policy.score, result.policy.level, result.policy.passed, dims,
                 {f.component: f.status for f in result.components}, ids, classes, changes, licence_change)


def history(path: str, revisions: list[Revision], policy: str = "ai-stack", *,
            text_cap: int = DEFAULT_TEXT_CAP) -> History:
    """The verdict at each of ``revisions`` (oldest first) under ``policy``."""
    from openness_gate.checker import check_inventory
    from openness_gate.policy.load import digest, load as load_policy
    from openness_gate.sources import gittree

    chosen = load_policy(policy)
    points: list[Point] = []
    previous: Result | None = None
    for rev in revisions:
        result = check_inventory(gittree.load(path, rev.commit, text_cap=text_cap), chosen)
        points.append(point_of(rev, result, previous))
        previous = result
    return History(path, chosen.name, digest(chosen), tuple(points))
