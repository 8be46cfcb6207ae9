"""The comparison matrix of ``openness-gate compare``: many models, one policy, one row each.

Researchers and auditors grade models side by side. Each target (a folder, ``github:`` or
``hf:``) is checked exactly as ``check`` checks it, under one policy for all; the row keeps the
status and evidence of every component (a cell), the licence and its class, the MOF class and
the OSAID verdict (the ``mof`` and ``osaid-1.0`` policies judged on the same findings), and the
score. Nothing is judged here: ``checker`` and the policy layer do that. A target that cannot be
checked (not found, gated, rate-limited) is a row with the reason. Every matrix records the tool
version, the policy and its digest, and each target's resolved revision, so a published index
can be re-run and diffed (``diff``).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from openness_gate import __version__, taxonomy
from openness_gate.errors import ConfigError, UsageError
from openness_gate.inventory import DEFAULT_TEXT_CAP
from openness_gate.record import field, record
from openness_gate.result import Result

SCHEMA = "openness-gate-compare/1"
MAX_EVIDENCE = 3  # evidence items a cell carries (the check's JSON report has them all)
#: the frameworks every row is also read against, whatever the chosen policy
MOF, OSAID = "mof", "osaid-1.0"


@record
class Cell:
    status: str
    evidence: tuple[dict[str, Any], ...] = ()
    unread: bool = False  # a limit or fault kept a file this status may rest on unread


@record
class Row:
    target: str
    kind: str | None = None
    revision: str | None = None
    score: int | None = None
    passed: bool | None = None
    level: str | None = None
    licences: tuple[str, ...] = ()
    licence_classes: tuple[str, ...] = ()
    mof_class: str | None = None
    osaid: bool | None = None
    incomplete: bool = False
    cells: dict[str, Cell] = field(default_factory=dict)
    error: str | None = None

    def status(self, component: str) -> str:
        """The component's status ("missing" in a row that could not be checked)."""
        cell = self.cells.get(component)
        return cell.status if cell else "missing"

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "kind": self.kind, "revision": self.revision, "score": self.score,
                "passed": self.passed, "level": self.level, "licences": list(self.licences),
                "licence_classes": list(self.licence_classes), "mof_class": self.mof_class, "osaid": self.osaid,
                "incomplete": self.incomplete, "error": self.error,
                "cells": {cid: {"status": c.status, "evidence": list(c.evidence), **({"unread": True} if c.unread else {})}
                          for cid, c in self.cells.items()}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Row":
        cells = {cid: Cell(str(c["status"]), tuple(c.get("evidence") or ()), bool(c.get("unread")))
                 for cid, c in (d.get("cells") or {}).items()}
        return cls(str(d["target"]), d.get("kind"), d.get("revision"), d.get("score"), d.get("passed"), d.get("level"),
                   tuple(d.get("licences") or ()), tuple(d.get("licence_classes") or ()), d.get("mof_class"),
                   d.get("osaid"), bool(d.get("incomplete")), cells, d.get("error"))


@record
class Matrix:
    policy: str
    policy_digest: str
    policy_source: str
    rows: tuple[Row, ...]
    tool: str = f"openness-gate {__version__}"

    def to_dict(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "tool": self.tool,
                "policy": {"name": self.policy, "digest": self.policy_digest, "source": self.policy_source},
                "columns": [{"id": c.id, "dimension": c.dimension, "title": c.title} for c in taxonomy.COMPONENTS],
                "rows": [r.to_dict() for r in self.rows]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Matrix":
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a comparison matrix (schema {d.get('schema')!r}, expected {SCHEMA})")
        p = d["policy"]
        return cls(str(p["name"]), str(p.get("digest", "")), str(p.get("source", "")),
                   tuple(Row.from_dict(r) for r in d.get("rows", [])), str(d.get("tool", "")))


def licences_of(result: Result) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(licence ids, their classes) as the licence detector found them."""
    facts = result.finding("distribution.license").facts
    return tuple(str(x) for x in facts.get("ids") or ()), tuple(str(x) for x in facts.get("classes") or ())


def row_of(target: str, result: Result, mof: Result, osaid: Result) -> Row:
    """One row from the check of ``target`` under the chosen policy, the MOF and OSAID."""
    cells = {f.component: Cell(f.status, tuple(e.to_json() for e in f.evidence[:MAX_EVIDENCE]), bool(f.unread))
             for f in result.components}
    p = result.policy
    return Row(target, result.target.kind, result.target.revision, p.score, p.passed, p.level,
               *licences_of(result), mof.policy.level, osaid.policy.passed, result.incomplete, cells)


def ranked(rows: Iterable[Row]) -> tuple[Row, ...]:
    """By score, highest first; ties by name; rows that could not be checked last."""
    return tuple(sorted(rows, key=lambda r: (r.error is not None, -(r.score or 0), r.target.lower(), r.target)))


def remote_revision(target: str) -> str | None:
    """The commit a ``github:`` or ``hf:`` target resolves to now (one or two requests); None for
    a folder, whose work tree may differ from any commit and is never taken from a cache."""
    if target.startswith("github:"):
        from openness_gate.sources.github import client_from_env, parse_spec, resolve_tree

        spec = parse_spec(target[len("github:"):])
        return resolve_tree(client_from_env().get_repo(spec.full_name), spec.ref)[1]
    if target.startswith("hf:"):
        from openness_gate.sources import huggingface

        return str(huggingface.facts(target[len("hf:"):])["sha"])
    return None


class RowCache:
    """Rows of remote targets by (target, resolved commit, policy digest), as the organisation scan
    caches repositories: a published index re-run weekly checks again only the models that moved."""

    VERSION = 1

    def __init__(self, path: str) -> None:
        import json
        import os

        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        if os.path.isfile(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if data.get("version") == self.VERSION and data.get("tool") == __version__:
                    self.entries = dict(data.get("rows") or {})
            except (OSError, ValueError, AttributeError):
                self.entries = {}  # an unreadable cache is an empty one: everything is checked again

    def get(self, target: str, revision: str, digest: str) -> Row | None:
        e = self.entries.get(target)
        if not e or e.get("revision") != revision or e.get("digest") != digest:
            return None
        return Row.from_dict(e["row"])

    def put(self, row: Row, digest: str) -> None:
        self.entries[row.target] = {"revision": row.revision, "digest": digest, "row": row.to_dict()}

    def save(self) -> None:
        import json

        from openness_gate.output import write_output

        write_output(json.dumps({"version": self.VERSION, "tool": __version__, "rows": self.entries}, indent=1,
                                sort_keys=True), self.path, "--cache")


def compare(targets: Sequence[str], policy: str = "ai-stack", *, concurrency: int = 4,
            text_cap: int = DEFAULT_TEXT_CAP, progress: Callable[[int, int, Row], None] | None = None,
            cache: RowCache | None = None) -> Matrix:
    """Check every target under ``policy`` (and the MOF and OSAID), concurrently; one row each.
    ``cache``: rows of remote targets whose commit and policy did not change are reused."""
    from openness_gate.checker import check_inventory_under
    from openness_gate.policy.load import digest, load as load_policy
    from openness_gate.sources import open_target

    chosen, mof, osaid = (load_policy(name) for name in (policy, MOF, OSAID))
    key = digest(chosen) + digest(mof) + digest(osaid)

    def one(target: str) -> Row:
        if cache is not None:
            try:
                revision = remote_revision(target)
            except Exception:  # noqa: BLE001 - the check itself reports what is wrong, as a row
                revision = None
            hit = cache.get(target, revision, key) if revision else None
            if hit is not None:
                return hit
        try:
            inventory = open_target(target, text_cap=text_cap)
            result, by_mof, by_osaid = check_inventory_under(inventory, [chosen, mof, osaid])
        except (UsageError, ConfigError) as exc:
            return Row(target, error=" ".join(str(exc).split()))
        row = row_of(target, result, by_mof, by_osaid)
        if cache is not None and row.kind in ("github", "huggingface") and row.revision and not row.incomplete:
            cache.put(row, key)
        return row

    rows: list[Row] = []
    import concurrent.futures  # with logging and traceback: ~12 ms that history (licences_of) need not pay

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for row in pool.map(one, targets):
            rows.append(row)
            if progress:
                progress(len(rows), len(targets), row)
    return Matrix(chosen.name, digest(chosen), chosen.source, ranked(rows))


@record
class RowChange:
    """What changed for one target between a baseline matrix and this one."""

    target: str
    kind: str  # "added" | "removed" | "changed"
    score_before: int | None = None
    score_after: int | None = None
    revision_before: str | None = None
    revision_after: str | None = None
    cells: tuple[tuple[str, str, str], ...] = ()  # (component, before, after)
    licences: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # (before, after) when they differ


def diff(old: Matrix, new: Matrix) -> list[RowChange]:
    """Targets added, removed, or whose score, cells or licences changed, in the new matrix's order."""
    before = {r.target: r for r in old.rows}
    after = {r.target: r for r in new.rows}
    out: list[RowChange] = []
    for r in new.rows:
        o = before.get(r.target)
        if o is None:
            out.append(RowChange(r.target, "added", None, r.score, None, r.revision))
            continue
        pairs = ((c.id, o.status(c.id), r.status(c.id)) for c in taxonomy.COMPONENTS)
        cells = tuple(p for p in pairs if p[1] != p[2])
        licences = (o.licences, r.licences) if o.licences != r.licences else None
        if cells or licences or o.score != r.score or o.error != r.error:
            out.append(RowChange(r.target, "changed", o.score, r.score, o.revision, r.revision, cells, licences))
    out += [RowChange(t, "removed", before[t].score, None, before[t].revision, None) for t in before if t not in after]
    return out


def read_targets(path: str) -> list[str]:
    """Targets from a file: one per line; blank lines and ``#`` comments ignored."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = fh.read().splitlines()
    except OSError as exc:
        raise UsageError(f"--targets {path}: cannot read: {exc.strerror or exc}") from None
    return [t for t in (ln.split("#", 1)[0].strip() for ln in lines) if t]
