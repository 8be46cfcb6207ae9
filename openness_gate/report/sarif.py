"""SARIF 2.1.0 for GitHub code scanning (opt-in: ``--format sarif``).

One rule per requirement of the policy; one result per failed requirement (waived and
passed ones are left out, so fixing or waiving closes the alert). Each result points at a
real file of the repository: the file to fix when the component was found but is
incomplete, else the repository's openness config, else the README / model card, else
any file we have evidence for. GitHub refuses a result without a location ("expected at least
one location"), so with no file at all the location is ``.openness.yml`` -- where the artefact
can be declared or the requirement waived -- and says so in its message. Fingerprints depend only on the policy, requirement and component, so an
alert survives edits to the file it points at. ``automationDetails.id`` gives the runs a
category of their own, apart from other tools' alerts.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from openness_gate import __version__, taxonomy
from openness_gate.policy.config import CONFIG_NAMES
from openness_gate.report import locate, view
from openness_gate.report.escape import md_prose
from openness_gate.result import REQUIRED, RequirementResult, Result

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "opennessGateRequirement/v1"
CONFIG_ANCHOR = CONFIG_NAMES[0]  # the last-resort location (see the module docstring)
_LEVEL = {REQUIRED: "error"}  # recommended → warning


def _level(r: RequirementResult) -> str:
    return _LEVEL.get(r.severity, "warning")


def _location(result: Result, r: RequirementResult, fallback: list[locate.Spot]) -> list[dict[str, Any]]:
    """The file to fix (``locate.where``), else ``.openness.yml`` with a message saying why."""
    spot = locate.where(result, r, fallback)
    if spot is None:
        return [{"physicalLocation": {"artifactLocation": {"uri": CONFIG_ANCHOR, "uriBaseId": "%SRCROOT%"},
                                      "region": {"startLine": 1}},
                 "message": {"text": "No file of the repository relates to this result: declare the artefact "
                                     f"or waive the requirement in {CONFIG_ANCHOR}."}}]
    path, line = spot
    uri = quote(path, safe="/")  # a URI reference (SARIF 3.10.2): spaces, '#' and '%' are escaped
    return [{"physicalLocation": {"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                                  "region": {"startLine": line}}}]


def _fingerprint(result: Result, r: RequirementResult) -> str:
    key = "\0".join((result.policy.name, r.id, r.component or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _rule(r: RequirementResult) -> dict[str, Any]:
    comp = taxonomy.BY_ID.get(r.component or "")
    title = comp.title if comp else r.id
    why = comp.description if comp else r.message
    url = view.help_links().get(comp.id) if comp else None
    help_md = f"**How to fix:** {md_prose(r.fix, None)}" + (f"\n\nSee <{url}>" if url else "")
    rule: dict[str, Any] = {
        "id": r.id,
        "shortDescription": {"text": f"{title} ({r.severity})"},
        "fullDescription": {"text": why},
        "help": {"text": f"How to fix: {r.fix}" + (f" See {url}" if url else ""), "markdown": help_md},
        "defaultConfiguration": {"level": _level(r)},
        "properties": {"tags": ["openness"] + ([comp.dimension] if comp else []), "severity": r.severity,
                       **({"component": r.component} if r.component else {})},
    }
    if url:
        rule["helpUri"] = url
    return rule


def to_dict(result: Result) -> dict[str, Any]:
    p = result.policy
    rules = [_rule(r) for r in p.requirements]
    index = {r.id: i for i, r in enumerate(p.requirements)}
    fallback = locate.fallbacks(result)
    results = []
    for r in p.failed():  # passed and waived requirements raise no alert
        comp = taxonomy.BY_ID.get(r.component or "")
        title = comp.title if comp else r.id
        entry: dict[str, Any] = {
            "ruleId": r.id, "ruleIndex": index[r.id], "kind": "fail", "level": _level(r),
            "message": {"text": f"{title}: {r.message}. Fix: {r.fix}"},
            "partialFingerprints": {FINGERPRINT_KEY: _fingerprint(result, r)},
        }
        entry["locations"] = _location(result, r, fallback)
        results.append(entry)
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "openness-gate", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "automationDetails": {"id": f"openness-gate/{p.name}/"},
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {"policy": p.name, "passed": p.passed, "score": p.score, "level": p.level},
    }
    if result.target.revision:
        run["properties"]["revision"] = result.target.revision
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: Result) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
