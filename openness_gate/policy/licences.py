"""Which of the repository's licences apply to a component, read from the ``distribution.license`` finding.

Mirrors MOT's resolution order so every policy reads licences the same way: a licence scoped to the
component's content type (code / data / document) first, else the licences for the whole release.
An unidentified licence text is judged only when nothing identified applies: a repository that
declares ``apache-2.0`` in its card and ships a LICENSE we cannot match is judged on Apache-2.0.
An unknown licence that a declared expression binds together with others (``MIT AND my-licence``)
is always judged: the declaration says it applies.
"""

from __future__ import annotations

from collections.abc import Mapping

from openness_gate import taxonomy
from openness_gate.findings import Finding
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UNKNOWN = "unknown"
CONTENT_TYPES = ("code", "data", "document")
#: licence ``scope`` facts → MOF content type (other scopes, e.g. "model", cover the whole release)
_SCOPE_TYPES = {"code": "code", "data": "data", "dataset": "data", "datasets": "data", "weights": "data",
                "parameters": "data", "docs": "document", "documentation": "document", "document": "document"}
#: taxonomy dimension → MOF content type
_DIMENSION_TYPES = {"code": "code", "data": "data", "weights": "data", "documentation": "document"}


@record
class RepoLicence:
    id: str
    spdx: str | None
    classes: tuple[str, ...]
    content_type: str | None = None  # None: applies to the whole release
    where: str | None = None
    conjoined: bool = False  # bound with other licences by one declared expression: never set aside

    @property
    def identified(self) -> bool:
        return self.id != UNKNOWN and self.classes != (UNKNOWN,)

    @property
    def label(self) -> str:
        if self.id != UNKNOWN:
            return self.id
        return f"unidentified licence text{' in ' + self.where if self.where else ''}"

    @property
    def mot_id(self) -> str:
        """The id MOT would match: the SPDX id when there is one."""
        return self.spdx or self.id


def lookup(name: str) -> RepoLicence:
    """A licence named by the user (e.g. in ``.openness.yml``), classified through the catalogue."""
    from openness_gate import licenses

    try:
        lic = licenses.lookup(name)
    except Exception:  # noqa: BLE001 - an unknown name is judged as unknown, not a crash
        lic = None
    if lic is None:
        return RepoLicence(name, None, (UNKNOWN,))
    return RepoLicence(lic.id, lic.spdx, tuple(lic.classes) or (UNKNOWN,))


def from_finding(finding: Finding | None) -> list[RepoLicence]:
    if finding is None or not finding.found:
        return []
    facts = finding.facts
    items = facts.get("licenses")
    if isinstance(items, list) and items:
        out = []
        for it in items:
            if not isinstance(it, Mapping):
                continue
            lid = str(it.get("id") or it.get("spdx") or UNKNOWN)
            scope = it.get("scope")
            out.append(RepoLicence(lid, it.get("spdx"), tuple(it.get("classes") or (UNKNOWN,)),
                                   _SCOPE_TYPES.get(str(scope).lower()) if scope else None, it.get("path"),
                                   bool(it.get("expression"))))
        return out
    ids = [str(i) for i in facts.get("ids") or ()]
    if not ids:
        return [RepoLicence(UNKNOWN, None, (UNKNOWN,))]
    if len(ids) == 1 and facts.get("classes"):
        one = lookup(ids[0])
        return [RepoLicence(one.id, one.spdx, tuple(facts["classes"]))]
    return [lookup(i) for i in ids]


def content_type(component_id: str) -> str | None:
    return _DIMENSION_TYPES.get(taxonomy.get(component_id).dimension)


def applicable(licences: list[RepoLicence], ctype: str | None) -> list[RepoLicence]:
    """The licences that govern content of type ``ctype`` (None: the whole release)."""
    scoped = [lic for lic in licences if ctype is not None and lic.content_type == ctype]
    pool = scoped or [lic for lic in licences if lic.content_type is None] or licences
    known = [lic for lic in pool if lic.identified or lic.conjoined]
    return known or pool


def rule_for(rule: Mapping[str, Any], ctype: str | None) -> dict[str, Any]:
    """The licence rule for one content type: the general keys, overridden by the type's own block."""
    general = {k: v for k, v in rule.items() if k not in CONTENT_TYPES}
    return {**general, **(rule.get(ctype) or {})} if ctype else general


def describe(lic: RepoLicence) -> dict[str, Any]:
    return {"id": lic.id, "spdx": lic.spdx, "classes": list(lic.classes), "content_type": lic.content_type}


def expression_note(finding: Finding | None) -> str | None:
    """What the declared licence expression binds, in one line (``mot export`` writes it above the licences
    it picked, since MOT has one licence per component and cannot hold an expression)."""
    facts = finding.facts if finding is not None else {}
    expr = facts.get("expression")
    if not isinstance(expr, str) or not expr:
        return None
    items = [d for d in facts.get("declared") or () if isinstance(d, Mapping) and d.get("expression")]
    binding = list(dict.fromkeys(str(d.get("id") or d.get("value")) for d in items if d.get("binds", True)))
    other = list(dict.fromkeys(str(d.get("id") or d.get("value")) for d in items if not d.get("binds", True)))
    note = f"declared licence expression {expr}: binding {', '.join(binding) or UNKNOWN}"
    return note + (f"; alternatives not chosen: {', '.join(other)}" if other else "")
