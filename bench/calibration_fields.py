"""The calibration fields (``../shared/calibration/README.md``) as the checker answers them.

Labels describe a real repository in the labelling rules' own terms (a licence id per file, a
model card path, booleans for evaluation, guardrails…). This module reads the same fields off
the checker's findings, so that ``bench/real_accuracy.py`` and the calibration test can compare
them. It is a measuring instrument, not a judge: every decision stays in the detectors; this
only says which components answer which field.
"""

from __future__ import annotations

import re
from typing import Any, Mapping

#: field -> the components whose non-missing status makes the field true
BOOL_FIELDS: dict[str, tuple[str, ...]] = {
    "evaluation": ("code.evaluation", "docs.evaluation"),
    "guardrails": ("guardrails.aligned_weights", "guardrails.programmable", "guardrails.safety_classifier",
                   "guardrails.system_prompt", "docs.red_teaming"),
    "training_code": ("code.training", "code.fine_tuning"),
    "inference_code": ("code.inference",),
    "weights_in_repo": ("weights.pretrained", "weights.intermediate", "weights.adapted", "weights.adapter",
                        "weights.reward"),
    "publication": ("docs.publication",),
}
#: field -> component whose primary evidence path answers it (null when missing)
PATH_FIELDS: dict[str, str] = {
    "model_card": "docs.model_card",
    "datasheet": "docs.datasheet",
    "use_policy": "distribution.use_policy",
}
FIELDS = ("license", *PATH_FIELDS, *BOOL_FIELDS)

#: statuses that make a field true. Labels count only what is in the tree, except publication,
#: where the rules count a link to the paper anywhere; guardrails need a verified artefact
#: (a chat template without safety instructions is `partial` system prompt, not a guardrail).
_IN_TREE = {"present", "partial"}
_ACCEPT = {field: _IN_TREE for field in (*BOOL_FIELDS, *PATH_FIELDS)}
_ACCEPT["publication"] = {"present", "partial", "linked"}
_ACCEPT["guardrails"] = {"present"}
#: (field, component) -> statuses, where a component's status says more than the field's rule: rule (e)
#: counts training code whose stated purpose is safety alignment, which the checker reports as ``partial``
#: aligned weights (the recipe without the weights)
_ACCEPT_COMPONENT = {("guardrails", "guardrails.aligned_weights"): {"present", "partial"}}

_MAIN_LICENCE = re.compile(r"(?i)^(licen[cs]e|copying)(\.(md|txt|rst))?$")
_CODE_LICENCE = re.compile(r"(?i)^licen[cs]e[-_]code(\.(md|txt|rst))?$")
#: ids the labels and the catalogue spell differently, or that mean "no standard licence"
_UNIDENTIFIED = {"other", "unknown", None}


def norm_license(value: Any) -> str | None:
    if value is None:
        return None
    raw = str(value).strip()
    text = raw.lower()
    if text in ("other", "unknown", ""):
        return "unknown"
    from openness_gate.licenses import catalogue

    # an SPDX licence under another of its ids: the catalogue lists SPDX's deprecated GNU ids as
    # aliases (a label's ``AGPL-3.0`` is the checker's ``AGPL-3.0-only``)
    known = catalogue.lookup(raw)
    if known is not None and known.spdx is not None:
        text = known.id.lower()

    # the labelling rules' vocabulary for licences without an SPDX id is the Hub's licence ids: a
    # catalogue id outside it (``deepseek-license-1.0``, a ScanCode key) names what the rules call
    # ``other``, finer, not different
    lic = catalogue.by_id(raw)
    if lic is not None and lic.spdx is None and not lic.is_family \
            and not ({lic.id.lower(), *(a.lower() for a in lic.aliases)} & set(catalogue.hub_ids())):
        return "unknown"
    return text


def main_licence_file(paths: list[str]) -> str | None:
    """The labelling rules' main root licence file: LICENSE/LICENCE/COPYING, else LICENSE-CODE."""
    root = sorted(p for p in paths if "/" not in p)
    return next((p for p in root if _MAIN_LICENCE.match(p)), None) or \
        next((p for p in root if _CODE_LICENCE.match(p)), None)


def observed(findings: Mapping[str, Any], paths: list[str]) -> dict[str, Any]:
    """The calibration fields read off ``findings`` (component id -> Finding)."""
    out: dict[str, Any] = {}
    lic = findings["distribution.license"].facts
    by_file: dict[str, str] = {}
    for entry in lic.get("licenses", ()):
        if entry.get("source") == "file" and entry.get("path"):
            by_file.setdefault(entry["path"], (entry.get("spdx") or entry.get("id") or "unknown"))
    for item in lic.get("vendored", ()):  # per file too: the rules label every licence file in the tree
        by_file.setdefault(item["path"], item["ids"][0] if item.get("ids") else "unknown")
    for path in lic.get("unidentified_files", ()):
        by_file.setdefault(path if isinstance(path, str) else path.get("path", ""), "unknown")
    main = main_licence_file(paths)
    out["license"] = (by_file.get(main) or "unknown") if main else None
    out["license_files"] = by_file
    for field, component in PATH_FIELDS.items():
        f = findings[component]
        primary = f.facts.get("primary") or next((e.path for e in f.evidence if e.path), None)
        out[field] = primary if f.status in _ACCEPT[field] else None
    for field, components in BOOL_FIELDS.items():
        out[field] = any(_accepted(field, findings[c]) and _counts(field, findings[c]) for c in components)
    return out


def _accepted(field: str, finding: Any) -> bool:
    """Whether the finding's status can make ``field`` true (``_ACCEPT_COMPONENT`` before ``_ACCEPT``)."""
    return finding.status in _ACCEPT_COMPONENT.get((field, finding.component), _ACCEPT[field])


def _counts(field: str, finding: Any) -> bool:
    """A published system prompt is a guardrail only when it carries safety instructions (rule (c));
    aligned weights only when their card says the alignment is for safety (rule (e): instruction
    tuning or SFT without a safety purpose is not a guardrail)."""
    if field == "guardrails" and finding.component == "guardrails.system_prompt":
        return bool(finding.facts.get("safety_instructions"))
    if field == "guardrails" and finding.component == "guardrails.aligned_weights":
        return bool(finding.facts.get("safety_alignment"))
    return True


def status_lines(findings: Mapping[str, Any], field: str, limit: int = 3) -> list[str]:
    """What the checker said about ``field``: each component's status and first evidence."""
    if field == "license":
        components: tuple[str, ...] = ("distribution.license",)
    else:
        components = BOOL_FIELDS.get(field) or (PATH_FIELDS[field],)
    lines = []
    for c in components:
        f = findings[c]
        if f.status == "missing" and len(components) > 1:
            continue
        ev = "; ".join(f"{e.path or e.url or ''}{':' + str(e.line) if e.line else ''} {e.reason}".strip()
                       for e in f.evidence[:limit])
        lines.append(f"{c}={f.status}" + (f" [{ev}]" if ev else ""))
    return lines or [f"{' '.join(components)}: all missing"]


def agrees(field: str, label: Any, seen: Any) -> bool:
    if field == "license":
        return norm_license(label) == norm_license(seen)
    if field in PATH_FIELDS:
        return (label is None) == (seen is None)
    return bool(label) == bool(seen)


def positive(field: str, value: Any) -> bool:
    if field == "license":
        return norm_license(value) not in _UNIDENTIFIED
    return bool(value)
