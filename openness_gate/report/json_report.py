"""The JSON report (DESIGN §3, schema_version 1); validated by ``schemas/report.schema.json``."""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from openness_gate import __version__
from openness_gate.result import Result

SCHEMA_VERSION = 1


def _jsonable(value: Any) -> Any:
    """Facts come from repository metadata (YAML dates, sets…); keep the report valid JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, (_dt.date, _dt.datetime)):
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
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
