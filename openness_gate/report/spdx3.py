"""SPDX 3.0.1 JSON-LD with the AI and Dataset profiles (``--format spdx3``).

One document (``SpdxDocument`` over a ``software_Sbom`` of type ``analyzed``) whose root is the
model, an ``ai_AIPackage``: its task (``ai_domain``), architecture (``ai_typeOfModel``), metric
values (``ai_metric``), what the card says it is for (``ai_informationAboutApplication``) and
where it falls short (``ai_limitation``), links, and the openness verdict as CycloneDX-style
``openness-gate:*`` properties in an ``extension_CdxPropertiesExtension``. Each dataset is a
``dataset_DatasetPackage`` the model is ``trainedOn`` or ``testedOn``; each weight file whose Git
LFS pointer gives its SHA-256 is a ``software_File`` the model ``contains``; each licence is a
``simplelicensing_LicenseExpression`` related by ``hasDeclaredLicense`` (an SPDX id, or
``LicenseRef-<our id>`` named after the licence when it has none).

Element ids are IRIs under a namespace made from the document's UUID; no repository string ever
becomes part of an id. Everything comes from ``aibom.build(result)``; the tests validate the output
against the official SPDX 3.0.1 JSON schema (``tests/schemas/spdx-3.0.1.schema.json``).
"""

from __future__ import annotations

import json
from typing import Any

from openness_gate import __version__, lazyre, taxonomy
from openness_gate.report import aibom
from openness_gate.result import Result

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
SPEC_VERSION = "3.0.1"
CREATION = "_:creationinfo"
_SPDX_ID = lazyre.compile(r"[A-Za-z0-9.+-]+")
_NOT_IN_REF = lazyre.compile(r"[^A-Za-z0-9.-]+")
PROFILES = ["core", "software", "ai", "dataset", "simpleLicensing", "extension"]
_LINK_TYPES = {"vcs": "vcs", "distribution": "altDownloadLocation", "documentation": "documentation",
               "website": "altWebPage"}


class _Graph:
    """The elements of one document, each with an IRI under the document's namespace."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.nodes: list[dict[str, Any]] = []
        self._counts: dict[str, int] = {}

    def iri(self, kind: str) -> str:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return f"{self.namespace}#{kind}-{self._counts[kind]}"

    def add(self, kind: str, type_: str, **fields: Any) -> str:
        iri = self.iri(kind)
        self.nodes.append({"type": type_, "spdxId": iri, "creationInfo": CREATION,
                           **{k: v for k, v in fields.items() if v not in (None, [], "")}})
        return iri

    def relate(self, source: str, kind: str, targets: list[str]) -> None:
        if targets:
            self.add("relationship", "Relationship", **{"from": source, "relationshipType": kind, "to": targets})


def _licence_expression(lic: aibom.Licence) -> str:
    """The SPDX id, else a ``LicenseRef-`` made of our catalogue id (letters, digits, '.' and '-' only)."""
    if lic.spdx and _SPDX_ID.fullmatch(lic.spdx):
        return lic.spdx
    return "LicenseRef-" + (_NOT_IN_REF.sub("-", lic.id).strip("-") or "unknown")


def _licences(g: _Graph, owner: str, licences: tuple[aibom.Licence, ...], made: dict[str, str]) -> None:
    """One licence element per expression (shared by the model and datasets), one relationship each."""
    for lic in licences:
        expression = _licence_expression(lic)
        if expression not in made:
            made[expression] = g.add("licence", "simplelicensing_LicenseExpression", name=lic.name,
                                     simplelicensing_licenseExpression=expression,
                                     comment="declared in " + ", ".join(lic.paths) if lic.paths else None)
        g.relate(owner, "hasDeclaredLicense", [made[expression]])


def _metrics(bom: aibom.AIBom) -> list[dict[str, str]]:
    """``ai_metric`` entries; a key names the metric and what it was measured on, once each."""
    out: list[dict[str, str]] = []
    keys: set[str] = set()
    for m in bom.metrics:
        key = m.type + (f" [{m.slice}]" if m.slice else "")
        if key in keys:
            key += f" from {m.source}" if m.source else ""
        if key in keys:
            continue
        keys.add(key)
        out.append({"type": "DictionaryEntry", "key": key, "value": m.value})
    return out


def _external_refs(links: tuple[aibom.Link, ...]) -> list[dict[str, Any]]:
    refs = []
    for link in links:
        url = aibom.safe_url(link.url)
        if url:
            refs.append({"type": "ExternalRef", "externalRefType": _LINK_TYPES.get(link.kind, "other"),
                         "locator": [url], "comment": link.note})
    return refs


def _verdict(bom: aibom.AIBom) -> list[dict[str, Any]]:
    return [{"type": "extension_CdxPropertiesExtension", "extension_cdxProperty": [
        {"type": "extension_CdxPropertyEntry", "extension_cdxPropName": n, "extension_cdxPropValue": v}
        for n, v in bom.properties]}]


def _model(g: _Graph, bom: aibom.AIBom) -> str:
    limits = [f"Out-of-scope use: {bom.out_of_scope}" if bom.out_of_scope else "",
              f"Bias, risks and limitations: {bom.limitations}" if bom.limitations else ""]
    download = next((aibom.safe_url(link.url) for link in bom.links if link.kind in ("distribution", "vcs")), None)
    return g.add("model", "ai_AIPackage", name=bom.name, software_packageVersion=bom.version,
                 software_primaryPurpose="model", software_downloadLocation=download,
                 ai_domain=[bom.task] if bom.task else None,
                 ai_typeOfModel=[t for t in (bom.architecture, bom.architecture_family) if t],
                 ai_metric=_metrics(bom), ai_informationAboutApplication=bom.uses,
                 ai_limitation="\n\n".join(s for s in limits if s), externalRef=_external_refs(bom.links),
                 extension=_verdict(bom))


def _dataset(g: _Graph, d: aibom.Dataset) -> str:
    return g.add("dataset", "dataset_DatasetPackage", name=d.name, software_primaryPurpose="data",
                 software_downloadLocation=aibom.safe_url(d.url), description=d.description,
                 dataset_datasetType=["noAssertion"], dataset_datasetSize=d.shipped_size)


def _weight_file(g: _Graph, w: aibom.WeightFile) -> str:
    return g.add("file", "software_File", name=w.path, software_fileKind="file", software_primaryPurpose="model",
                 comment=taxonomy.get(w.component).title,
                 verifiedUsing=[{"type": "Hash", "algorithm": "sha256", "hashValue": w.sha256}])


def to_dict(result: Result) -> dict[str, Any]:
    bom = aibom.build(result)
    g = _Graph(f"https://openness-gate.dev/spdx/{bom.serial}")
    agent = g.add("agent", "SoftwareAgent", name="openness-gate")
    tool = g.add("tool", "Tool", name=f"openness-gate {__version__}")
    model = _model(g, bom)
    made: dict[str, str] = {}
    _licences(g, model, bom.licences, made)
    trained, tested, other = [], [], []  # other: data the repository licenses without saying what for
    for d in bom.datasets:
        iri = _dataset(g, d)
        for kept, wanted in ((trained, d.training), (tested, "data.evaluation" in d.stages), (other, not d.stages)):
            if wanted:
                kept.append(iri)
        _licences(g, iri, d.licences, made)
    g.relate(model, "trainedOn", trained)
    g.relate(model, "testedOn", tested)
    g.relate(model, "other", other)
    g.relate(model, "contains", [_weight_file(g, w) for w in bom.weights])
    elements = [n["spdxId"] for n in g.nodes]
    sbom = g.add("sbom", "software_Sbom", name=f"AI bill of materials of {bom.name}", software_sbomType=["analyzed"],
                 rootElement=[model], element=elements)
    document = g.add("document", "SpdxDocument", name=f"AI bill of materials of {bom.name}",
                     profileConformance=PROFILES, rootElement=[sbom], element=[sbom, *elements])
    creation = {"type": "CreationInfo", "@id": CREATION, "specVersion": SPEC_VERSION, "created": bom.created,
                "createdBy": [agent], "createdUsing": [tool]}
    nodes = g.nodes
    order = [n for n in nodes if n["spdxId"] == document] + [n for n in nodes if n["spdxId"] != document]
    return {"@context": CONTEXT, "@graph": [creation, *order]}


def render(result: Result) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
