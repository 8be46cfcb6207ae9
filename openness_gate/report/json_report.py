"""The JSON report (DESIGN §3, schema_version 1); validated by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
import os
from itertools import groupby
from operator import attrgetter

from openness_gate import __version__
from openness_gate.policy.validate import is_date
from openness_gate.result import Result

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    from openness_gate.inventory import Skipped

SCHEMA_VERSION = 1
_PATH, _REASON = attrgetter("path"), attrgetter("reason")
#: a component lists the first of the files that may make it wrong, and how many there are; all of
#: them, each with its reason, are under inventory.incomplete (a large tree's budgets leave 50k)
MAX_UNREAD_LISTED = 100


def _jsonable(value: Any) -> Any:
    """Facts come from repository metadata (YAML dates, sets…); keep the report valid JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(v) for v in items]
    if is_date(value):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def to_dict(result: Result) -> dict[str, Any]:
    return _to_dict(result, _listed)


def _listed(items: tuple[Skipped, ...]) -> list[dict[str, str]]:
    return [{"path": s.path, "reason": s.reason} for s in items]


def _to_dict(result: Result, listed: Callable[[tuple[Skipped, ...]], Any]) -> dict[str, Any]:
    """The report as a dict; ``listed`` writes the inventory's lists of (path, reason) entries."""
    from openness_gate import taxonomy

    p = result.policy
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "openness-gate", "version": __version__},
        "target": {"kind": result.target.kind, "path_or_repo": result.target.path_or_repo,
                   "revision": result.target.revision},
        "incomplete": result.incomplete,
        "components": [
            {"id": f.component, "dimension": taxonomy.get(f.component).dimension, "status": f.status,
             "evidence": [e.to_json() for e in f.evidence], "facts": _jsonable(dict(f.facts)),
             **({"unread": list(f.unread[:MAX_UNREAD_LISTED]), "unread_count": len(f.unread)} if f.unread else {})}
            for f in result.components
        ],
        "policy": {
            "name": p.name, "passed": p.passed, "score": p.score, "level": p.level,
            "requirements": [
                {"id": r.id, "component": r.component, "severity": r.severity, "outcome": r.outcome,
                 "message": r.message, "fix": r.fix, "components": list(r.components),
                 **({"waiver": {"reason": r.waiver.reason, "expires": r.waiver.expires,
                                "expired": r.waiver.expired}} if r.waiver else {})}
                for r in p.requirements
            ],
            "waivers": [{"target": w.target, "reason": w.reason, "expires": w.expires, "expired": w.expired}
                        for w in p.waivers],
            **({"extra": _jsonable(p.extra)} if p.extra else {}),
        },
        "inventory": {
            "files": result.inventory.file_count,
            "lfs_pointers": result.inventory.lfs_pointers,
            "skipped": listed(result.inventory.skipped),
            "partial": listed(result.inventory.partial),
            "incomplete": listed(result.inventory.incomplete),
        },
    }


def render(result: Result) -> str:
    """The report, indented by two. ``json.dumps`` with an indent runs the pure-Python encoder (~10 µs
    an entry); a large tree lists tens of thousands of unread files, so the inventory's long lists
    are written here, entry for entry as ``json.dumps`` writes them, with the C string encoder."""
    long_lists: dict[str, str] = {}

    def listed(items: tuple[Skipped, ...]) -> Any:
        if len(items) <= 64:
            return _listed(items)
        token = f"\x00{os.urandom(8).hex()}\x00"  # a string no report can otherwise hold
        long_lists[json.dumps(token)] = _entries(items, depth=2)
        return token

    text = json.dumps(_to_dict(result, listed), indent=2, ensure_ascii=False)
    if not long_lists:
        return text + "\n"
    # spliced in one join: a str.replace per list and the final newline would each copy the whole
    # report (11 MB for 54k unread files, and every copy is fresh memory to fault in); the tokens
    # were made in the order the report holds them
    pieces, at = [], 0
    for token, rendered in long_lists.items():
        where = text.index(token, at)
        pieces += [text[at:where], rendered]
        at = where + len(token)
    pieces += [text[at:], "\n"]
    return "".join(pieces)


def _entries(items: tuple[Skipped, ...], depth: int) -> str:
    """(path, reason) entries as a list at nesting ``depth``, exactly as ``json.dumps(indent=2)``
    writes ``_listed(items)``. Neighbours mostly share a reason (the code detector's read budget
    leaves tens of thousands of files unread for one): each run of them is one ``join`` over the
    encoded paths, so the per-entry work stays in C."""
    encode = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) encodes strings with
    item, field = " " * (2 * depth + 2), " " * (2 * depth + 4)
    head = f"{item}{{\n{field}\"path\": "
    runs = []
    for reason, run in groupby(items, key=_REASON):
        end = f",\n{field}\"reason\": {encode(reason)}\n{item}}}"
        runs.append(head + f"{end},\n{head}".join(map(encode, map(_PATH, run))) + end)
    return "[\n" + ",\n".join(runs) + f"\n{' ' * (2 * depth)}]"
