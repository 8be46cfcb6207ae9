"""Read a JSON report back into a Result, treating it as untrusted data.

The fork-safe pattern comments from a privileged ``workflow_run`` job using the JSON report
that the unprivileged ``pull_request`` job uploaded. Anyone who opens a pull request controls
that file, so it is never used as text: it is size-capped, validated against the shipped
report schema, its component ids must be ours, and the comment is rendered again from the
parsed data by the normal Markdown reporter (which escapes every string).
"""

from __future__ import annotations

import json
from typing import Any

from openness_gate import package_data, taxonomy
from openness_gate.errors import UsageError
from openness_gate.findings import Evidence, Finding
from openness_gate.github.env import read_json_file
from openness_gate.inventory import Skipped, Target
from openness_gate.result import InventorySummary, PolicyResult, RequirementResult, Result, Waiver

MAX_REPORT_BYTES = 16 << 20


def load(path: str) -> Result:
    """The Result described by the JSON report at ``path``; UsageError (one line) when it is not one."""
    data = read_json_file(path, MAX_REPORT_BYTES, f"report {path}")
    _validate(data, path)
    try:
        return from_dict(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"report {path}: not a valid openness-gate report ({exc})") from None


def _validate(data: Any, path: str) -> None:
    import jsonschema

    schema = json.loads(package_data.read_text("openness_gate.schemas", "report.schema.json"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.path))
    if errors:
        where = "/".join(str(p) for p in errors[0].path) or "top level"
        raise UsageError(f"report {path}: does not match the report schema at {where}: {errors[0].message[:200]}")


def from_dict(data: dict[str, Any]) -> Result:
    t = data["target"]
    target = Target(str(t["kind"]), str(t["path_or_repo"]), t.get("revision"))
    known = {c.id for c in taxonomy.COMPONENTS}
    findings = []
    for c in data["components"]:
        if c["id"] not in known:
            raise ValueError(f"unknown component {c['id']!r}")
        evidence = tuple(Evidence(str(e.get("reason", "")), e.get("path"), e.get("line"), e.get("url"))
                         for e in c.get("evidence", []))
        findings.append(Finding(c["id"], c["status"], evidence, dict(c.get("facts") or {}),
                                tuple(str(u) for u in c.get("unread", []))))
    seen = {f.component for f in findings}
    findings += [Finding(cid, "missing") for cid in sorted(known - seen)]
    findings.sort(key=lambda f: [c.id for c in taxonomy.COMPONENTS].index(f.component))
    p = data["policy"]
    requirements = []
    for r in p["requirements"]:
        w = r.get("waiver")
        waiver = Waiver(r["id"], str(w.get("reason", "")), w.get("expires"), bool(w.get("expired"))) if w else None
        comp = r.get("component")
        looked_at = tuple(c for c in r.get("components") or ([comp] if comp else []) if c in known)
        requirements.append(RequirementResult(r["id"], comp, r["severity"], r["outcome"], str(r.get("message", "")),
                                              str(r.get("fix", "")), looked_at, waiver))
    waivers = tuple(Waiver(str(w["target"]), str(w.get("reason", "")), w.get("expires"), bool(w.get("expired")))
                    for w in p.get("waivers", []))
    policy = PolicyResult(p["name"], bool(p["passed"]), int(p["score"]), p.get("level"), tuple(requirements),
                          waivers, None, dict(p.get("extra") or {}))
    inv = data.get("inventory") or {}
    summary = InventorySummary(int(inv.get("files", 0)), int(inv.get("lfs_pointers", 0)),
                               tuple(Skipped(str(s["path"]), str(s["reason"])) for s in inv.get("skipped", [])),
                               tuple(Skipped(str(s["path"]), str(s["reason"])) for s in inv.get("partial", [])),
                               tuple(Skipped(str(s["path"]), str(s["reason"])) for s in inv.get("incomplete", [])))
    return Result(target, tuple(findings), policy, summary)
