"""The JSON report (DESIGN §3, schema_version 1); validated by ``schemas/report.schema.json``."""

from __future__ import annotations

import json
import os

from openness_gate import __version__
from openness_gate.policy.validate import is_date
from openness_gate.result import Result

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_VERSION = 1


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
             **({"unread": list(f.unread)} if f.unread else {})}
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
            "skipped": [{"path": s.path, "reason": s.reason} for s in result.inventory.skipped],
            "partial": [{"path": s.path, "reason": s.reason} for s in result.inventory.partial],
            "incomplete": [{"path": s.path, "reason": s.reason} for s in result.inventory.incomplete],
        },
    }


def render(result: Result) -> str:
    """The report, indented by two. ``json.dumps`` with an indent runs the pure-Python encoder (~10 µs
    an entry); a large tree lists tens of thousands of unread files, so the inventory's long lists
    are written here, entry for entry as ``json.dumps`` writes them, with the C string encoder."""
    data = to_dict(result)
    inventory = data["inventory"]
    long_lists: dict[str, str] = {}
    for key in ("skipped", "partial", "incomplete"):
        if len(inventory[key]) > 64:
            token = f"\x00{os.urandom(8).hex()}\x00"  # a string no report can otherwise hold
            long_lists[json.dumps(token)] = _entries(inventory[key], depth=2)
            inventory[key] = token
    text = json.dumps(data, indent=2, ensure_ascii=False)
    for token, rendered in long_lists.items():
        text = text.replace(token, rendered, 1)
    return text + "\n"


def _entries(entries: list[dict[str, str]], depth: int) -> str:
    """A list of flat string-valued objects at nesting ``depth``, exactly as ``json.dumps(indent=2)``."""
    encode = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) encodes strings with
    outer, item, field = " " * (2 * depth), " " * (2 * depth + 2), " " * (2 * depth + 4)
    parts = []
    for entry in entries:
        fields = f",\n".join(f"{field}{encode(k)}: {encode(v)}" for k, v in entry.items())
        parts.append(f"{item}{{\n{fields}\n{item}}}")
    return "[\n" + ",\n".join(parts) + f"\n{outer}]"
