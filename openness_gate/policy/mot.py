"""The Model Openness Tool's classification, reproduced exactly: licence rules, resolution order, classes.

Used twice on purpose: ``openness-gate mot evaluate`` runs it on MOT model descriptions, and the
``mof`` policy runs it on an inventory built from a repository's findings, so the class the gate
reports is by construction the class MOT would compute from the same component list. The facts
(components, licence lists) are data in ``mof_data.yml``; this module only holds the algorithm.
"""

from __future__ import annotations

from functools import lru_cache

from openness_gate import package_data
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Mapping

INCLUDED, INVALID, UNLICENSED, MISSING = "included", "invalid", "unlicensed", "missing"
CONTENT_TYPES = ("code", "data", "document")
TECHNICAL_REPORT, RESEARCH_PAPER = "Technical report", "Research paper"


@record
class MofComponent:
    name: str
    type: str  # content type: code | data | document
    cls: int  # 3 = Class III (least open) … 1 = Class I
    required: bool
    sources: tuple[str, ...] = ()  # taxonomy ids whose evidence stands for it
    kinds: tuple[str, ...] = ()  # for docs.publication: which publication kinds count


@record
class Facts:
    components: tuple[MofComponent, ...]
    open_ids: frozenset[str]
    type_appropriate: Mapping[str, frozenset[str]]
    labels: Mapping[int, str]
    short_labels: Mapping[int, str]

    def component(self, name: str) -> MofComponent | None:
        return next((c for c in self.components if c.name == name), None)

    def required(self, cls: int) -> list[str]:
        return [c.name for c in self.components if c.cls == cls and c.required]


@lru_cache(maxsize=1)
def facts() -> Facts:
    """The MOF facts from ``mof_data.yml``, parsed once."""
    from openness_gate.parsers import safe_yaml
    from openness_gate.policy import frozen

    text = package_data.read_text("openness_gate.policy", frozen.MOF_DATA)
    raw = frozen.parsed(frozen.MOF_DATA, text) or safe_yaml.load(text, max_bytes=1 << 20, what=frozen.MOF_DATA)
    comps = tuple(MofComponent(c["name"], c["type"], int(c["class"]), bool(c["required"]), tuple(c.get("from") or ()),
                               tuple(c.get("kinds") or ())) for c in raw["components"])
    open_ids = frozenset(i for ids in raw["open"].values() for i in ids)
    types = {t: frozenset(raw["type_appropriate"][t]) for t in CONTENT_TYPES}
    return Facts(comps, open_ids, types, {int(k): v for k, v in raw["class_labels"].items()},
                 {int(k): v for k, v in raw["short_labels"].items()})


def is_open(license_id: str) -> bool:
    """MOT's ``isOpenSourceLicense``: exact, case-sensitive SPDX id (``Apache 2.0`` is not open)."""
    return license_id in facts().open_ids


def license_status(license_id: str | None, content_type: str) -> tuple[str, str | None]:
    """(status, warning) of an included component with this resolved licence."""
    if not license_id:
        return UNLICENSED, None
    if not is_open(license_id):
        return INVALID, None
    if license_id not in facts().type_appropriate[content_type]:
        return INCLUDED, (f"{license_id} is open but not a type-appropriate licence for {content_type}; "
                          f"MOF recommends one that is")
    return INCLUDED, None


def resolve_license(entry: Mapping[str, Any], release_license: Mapping[str, Any], content_type: str) -> str | None:
    """MOT's order: the component's own licence → the release's licence for its content type → distribution.

    ``license: unlicensed`` on a component means "included, no licence": no fallback.
    """
    own = entry.get("license")
    if isinstance(own, str) and own != "":
        return None if own == "unlicensed" else own
    for key in (content_type, "distribution"):
        block = release_license.get(key)
        name = block.get("name") if isinstance(block, dict) else None
        if isinstance(name, str) and name:
            return name
    return None


@record
class Classification:
    cls: int  # 0 = Unclassified
    label: str
    progress: dict[int, float]
    status: dict[str, str]  # MOF component name -> included | invalid | unlicensed | missing
    licenses: dict[str, str | None] = field(default_factory=dict)  # resolved licence per included component
    warnings: tuple[str, ...] = ()

    @property
    def short_label(self) -> str | None:
        return facts().short_labels.get(self.cls)

    def missing(self, cls: int) -> list[str]:
        """Required components of classes 3..cls that do not count (not included)."""
        f = facts()
        names = [n for i in range(3, cls - 1, -1) for n in f.required(i)]
        if self.status.get(TECHNICAL_REPORT) != INCLUDED and RESEARCH_PAPER in self.status:
            names = [n for n in names if n != TECHNICAL_REPORT]
        return [n for n in dict.fromkeys(names) if self.status.get(n, MISSING) != INCLUDED]

    def to_json(self) -> dict[str, Any]:
        return {"class": self.cls, "label": self.label,
                "progress": {str(k): self.progress[k] for k in (1, 2, 3)},
                "components": dict(self.status), "warnings": list(self.warnings)}


def classify(status: Mapping[str, str], licenses: Mapping[str, str | None] | None = None,
             warnings: tuple[str, ...] = ()) -> Classification:
    """MOT's ``getProgress`` / ``getClassification`` over component statuses (absent = not in the release)."""
    f = facts()
    evaluation: dict[int, dict[str, str]] = {}
    for c in (3, 2, 1):
        evaluation[c] = {n: status.get(n, MISSING) for i in range(3, c - 1, -1) for n in f.required(i)}
    tr_included = status.get(TECHNICAL_REPORT) == INCLUDED
    paper_included = status.get(RESEARCH_PAPER) == INCLUDED
    if not tr_included and RESEARCH_PAPER in status:
        # the paper stands in for the technical report in Classes III and II; in Class I it is already required
        for c in (3, 2):
            evaluation[c].pop(TECHNICAL_REPORT, None)
            evaluation[c][RESEARCH_PAPER] = status[RESEARCH_PAPER]
        evaluation[1].pop(TECHNICAL_REPORT, None)
    totals = {c: sum(len(f.required(i)) for i in range(3, c - 1, -1)) for c in (3, 2, 1)}

    def progress(c: int) -> float:
        total = included = 0
        for i in range(3, c - 1, -1):
            total = totals[i]
            included = sum(1 for s in evaluation[i].values() if s == INCLUDED)
            if included < total:
                if i > c:
                    return 0  # a less open class is not met: no progress above it
                break
        if c == 1 and not tr_included and paper_included:
            total -= 1
        return min(100, included / total * 100) if total else 0

    prog = {c: progress(c) for c in (1, 2, 3)}
    cls = next((c for c in (1, 2, 3) if prog[c] == 100), 0)
    return Classification(cls, f.labels[cls], prog, dict(status), dict(licenses or {}), warnings)


def evaluate_description(doc: Mapping[str, Any]) -> Classification:
    """Classify one MOT model description (already schema-checked): ``release.components`` and licences."""
    f = facts()
    release = doc.get("release") or {}
    rel_license = release.get("license") if isinstance(release.get("license"), dict) else {}
    status: dict[str, str] = {}
    resolved: dict[str, str | None] = {}
    warnings: list[str] = []
    for entry in release.get("components") or ():
        comp = f.component(entry.get("name")) if isinstance(entry, dict) else None
        if comp is None:  # MOT ignores names it does not know; say so, it is usually a typo
            name = entry.get("name") if isinstance(entry, dict) else entry
            warnings.append(f"{str(name)[:80]!r} is not a MOF component name; ignored")
            continue
        lic = resolve_license(entry, rel_license, comp.type)
        st, warning = license_status(lic, comp.type)
        status[comp.name], resolved[comp.name] = st, lic
        if warning:
            warnings.append(f"{comp.name}: {warning}")
    return classify(status, resolved, tuple(warnings))
