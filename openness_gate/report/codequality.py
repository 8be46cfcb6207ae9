"""GitLab Code Quality JSON (``--format codequality``): one issue per failed requirement.

GitLab shows these in merge requests and the pipeline's Code Quality tab. Each issue names
the requirement (``check_name``), says what is missing and how to fix it, and points at a real
repository file and line (``locate.where``: the file to fix, else the openness config, the
card or README; ``.openness.yml`` when the repository gave no evidence at all, where the
artefact can be declared or the requirement waived). Severities: a required requirement is
``major`` (it fails the gate), a recommended one ``minor``. Fingerprints depend only on the
policy, requirement and component, so an issue keeps its identity across edits and GitLab
can tell fixed issues from new ones; requirement ids are unique in a policy, so fingerprints
are unique in a report.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from openness_gate import taxonomy
from openness_gate.policy.config import CONFIG_NAMES
from openness_gate.report import locate
from openness_gate.report.escape import clean
from openness_gate.result import REQUIRED, RequirementResult, Result

SEVERITY = {REQUIRED: "major"}  # recommended → minor


def fingerprint(result: Result, r: RequirementResult) -> str:
    key = "\0".join(("openness-gate", result.policy.name, r.id, r.component or ""))
    return hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()


def _issue(result: Result, r: RequirementResult, fallback: list[locate.Spot]) -> dict[str, Any]:
    comp = taxonomy.BY_ID.get(r.component or "")
    title = comp.title if comp else taxonomy.DIMENSION_TITLES.get(r.id, r.id)
    path, line = locate.where(result, r, fallback) or (CONFIG_NAMES[0], 1)
    return {
        "type": "issue",
        "check_name": f"openness-gate/{r.id}",
        "description": clean(f"{title}: {r.message}. Fix: {r.fix}", 2000),
        "categories": ["Openness"],
        "severity": SEVERITY.get(r.severity, "minor"),
        "fingerprint": fingerprint(result, r),
        "location": {"path": path, "lines": {"begin": line}},
    }


def to_list(result: Result) -> list[dict[str, Any]]:
    fallback = locate.fallbacks(result)
    return [_issue(result, r, fallback) for r in result.policy.failed()]


def render(result: Result) -> str:
    return json.dumps(to_list(result), indent=2, ensure_ascii=False) + "\n"
