"""A repository's findings as a Model Openness Tool component inventory, then MOT's classification.

Which MOF components a repository releases comes from our findings (and the artefacts declared
in ``.openness.yml``); whether each counts comes from MOT's licence rules on the licence MOT
would resolve: the artefact's declared licence, else the repository's licence. The class is then
computed by ``mot.classify`` — the same code that reproduces MOT on its own test files.
"""

from __future__ import annotations


from openness_gate.findings import Finding
from openness_gate.policy import config as cfg
from openness_gate.policy import licences, mot
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Mapping, Sequence

DEFAULT_ACCEPT = ("present", "linked")


def spdx_of(name: str) -> str:
    """The SPDX id for a declared licence name when our catalogue knows it, else the name unchanged."""
    from openness_gate import licenses

    try:
        lic = licenses.lookup(name)
    except Exception:  # noqa: BLE001 - the catalogue is optional for this purpose
        lic = None
    return (lic.spdx or lic.id) if lic is not None else name


def repo_licenses(findings: Mapping[str, Finding], content_type: str | None = None) -> list[str]:
    """The repository's licences for a content type, as MOT would name them (SPDX ids where known)."""
    found = licences.from_finding(findings.get("distribution.license"))
    return list(dict.fromkeys(lic.mot_id for lic in licences.applicable(found, content_type)))


def pick_license(candidates: Sequence[str], content_type: str) -> str | None:
    """One licence for a component, as MOT has one per component: a non-open one wins (it restricts
    the whole release), then a type-appropriate one, then the first."""
    if not candidates:
        return None
    closed = [c for c in candidates if not mot.is_open(c)]
    if closed:
        return closed[0]
    fitting = [c for c in candidates if c in mot.facts().type_appropriate[content_type]]
    return (fitting or list(candidates))[0]


@record
class Entry:
    """One MOF component as found in the repository."""

    name: str
    type: str
    license: str | None
    evidence: tuple[str, ...]  # taxonomy ids that stand for it
    declared: bool  # licence taken from the config's artifacts
    paths: tuple[str, ...] = ()  # where the evidence is (repository paths or URLs)


def inventory(findings: Iterable[Finding], config: Mapping[str, Any] | None = None,
              accept: Sequence[str] = DEFAULT_ACCEPT) -> list[Entry]:
    """The MOF components the repository releases, each with the licence MOT would resolve."""
    by_id = {f.component: f for f in findings}
    config = config or {}
    found = licences.from_finding(by_id.get("distribution.license"))
    out: list[Entry] = []
    for comp in mot.facts().components:
        hits = []
        for cid in comp.sources:
            f = by_id.get(cid)
            if f is None or f.status not in accept:
                continue
            if comp.kinds and not set(comp.kinds) & {str(k) for k in f.facts.get("kinds") or ()}:
                continue
            hits.append(cid)
        if not hits:
            continue
        declared = [spdx_of(x) for cid in hits for x in cfg.declared_licenses(config, cid)]
        repo = list(dict.fromkeys(lic.mot_id for lic in licences.applicable(found, comp.type)))
        lic = pick_license(declared or repo, comp.type)
        paths = [e.path or e.url for cid in hits for e in by_id[cid].evidence if e.path or e.url]
        out.append(Entry(comp.name, comp.type, lic, tuple(hits), bool(declared), tuple(dict.fromkeys(paths))[:3]))
    return out


def classify(entries: Iterable[Entry]) -> mot.Classification:
    status: dict[str, str] = {}
    licenses: dict[str, str | None] = {}
    warnings: list[str] = []
    for e in entries:
        st, warning = mot.license_status(e.license, e.type)
        status[e.name], licenses[e.name] = st, e.license
        if warning:
            warnings.append(f"{e.name}: {warning}")
    return mot.classify(status, licenses, tuple(warnings))


def to_description(entries: Sequence[Entry], name: str, repo_license: str | None,
                   extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A MOT model description (``framework`` + ``release``) for these components."""
    components = []
    for e in entries:
        item: dict[str, Any] = {"name": e.name, "license": e.license or "unlicensed",
                                "component_path": ", ".join(e.paths)}
        components.append(item)
    release: dict[str, Any] = {"name": name, "version": "", "producer": "", "contact": "",
                               "license": {"distribution": {"name": repo_license, "path": "LICENSE" if repo_license
                                                            else None}},
                               "components": components}
    release.update(extra or {})
    return {"framework": {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"},
            "release": release}

