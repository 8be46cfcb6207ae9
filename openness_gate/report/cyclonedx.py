"""CycloneDX 1.6 ML-BOM (``--format cyclonedx``): the model, its datasets and its openness verdict.

The BOM is built and serialised with the CycloneDX project's own library (``cyclonedx-python-lib``,
imported here only, so other reports never load it). The BOM's subject (``metadata.component``)
is the model, a ``machine-learning-model`` component with its licences, links (repository, hub,
papers), one ``file`` sub-component per weight file whose Git LFS pointer gives its SHA-256, and
the verdict as ``openness-gate:*`` properties. Each dataset is a ``data`` component the model
depends on.

The library models neither ``modelCard`` nor a component's ``data`` (both are "TODO since
CDX1.5" in its component model, 11.x), so those two are added to the library's JSON output
here, in the shape the 1.6 schema defines; the tests validate the whole document with the
library's strict 1.6 validator. Everything comes from ``aibom.build(result)``.
"""

from __future__ import annotations

import json
from typing import Any

from openness_gate import __version__
from openness_gate.report import aibom
from openness_gate.result import Result

SPEC_VERSION = "1.6"
MODEL_REF = "model"
MODEL_CARD_REF = "model-card"
_LINK_TYPES = {"vcs": "VCS", "distribution": "DISTRIBUTION", "documentation": "DOCUMENTATION", "website": "WEBSITE"}


def _properties(pairs: Any) -> list[Any]:
    from cyclonedx.model import Property

    return [Property(name=n, value=v) for n, v in pairs]


def _licences(licences: tuple[aibom.Licence, ...]) -> list[Any]:
    """SPDX ids where the licence has one the schema knows, else the licence's name (with our id as a
    property, e.g. ``llama3.1``); all as declared by the repository."""
    from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement
    from cyclonedx.spdx import is_supported_id

    out = []
    for lic in licences:
        props = _properties([(f"{aibom.NAMESPACE}:license-id", lic.id)] +
                            [(f"{aibom.NAMESPACE}:license-path", p) for p in lic.paths])
        if lic.spdx and is_supported_id(lic.spdx):
            out.append(DisjunctiveLicense(id=lic.spdx, acknowledgement=LicenseAcknowledgement.DECLARED,
                                          properties=props))
        else:
            out.append(DisjunctiveLicense(name=lic.name, acknowledgement=LicenseAcknowledgement.DECLARED,
                                          properties=props))
    return out


def _reference(url: str, kind: str, comment: str) -> Any | None:
    from cyclonedx.model import ExternalReference, ExternalReferenceType, XsUri

    safe = aibom.safe_url(url)
    if safe is None:
        return None
    return ExternalReference(type=getattr(ExternalReferenceType, _LINK_TYPES.get(kind, "OTHER")), url=XsUri(safe),
                             comment=comment)


def _weight_file(n: int, w: aibom.WeightFile) -> Any:
    from cyclonedx.model import HashAlgorithm, HashType
    from cyclonedx.model.component import Component, ComponentType

    props = [(f"{aibom.NAMESPACE}:component", w.component)] + \
        ([(f"{aibom.NAMESPACE}:size", str(w.size))] if w.size is not None else [])
    return Component(type=ComponentType.FILE, name=w.path, bom_ref=f"weights-{n}",
                     hashes=[HashType(alg=HashAlgorithm.SHA_256, content=w.sha256)], properties=_properties(props))


def _dataset_component(d: aibom.Dataset) -> Any:
    from cyclonedx.model.component import Component, ComponentType

    props = [(f"{aibom.NAMESPACE}:stage", s) for s in d.stages]
    if d.shipped_files:
        props.append((f"{aibom.NAMESPACE}:files", str(d.shipped_files)))
    if d.shipped_size is not None:
        props.append((f"{aibom.NAMESPACE}:size", str(d.shipped_size)))
    ref = _reference(d.url, "distribution", "where the dataset is published") if d.url else None
    return Component(type=ComponentType.DATA, name=d.name, bom_ref=d.ref, licenses=_licences(d.licences),
                     external_references=[ref] if ref else [], properties=_properties(props))


def _model_component(bom: aibom.AIBom) -> Any:
    from cyclonedx.model.component import Component, ComponentType

    refs = [r for r in (_reference(link.url, link.kind, link.note) for link in bom.links) if r is not None]
    return Component(type=ComponentType.MACHINE_LEARNING_MODEL, name=bom.name, version=bom.version,
                     bom_ref=MODEL_REF, licenses=_licences(bom.licences), external_references=refs,
                     components=[_weight_file(n, w) for n, w in enumerate(bom.weights, 1)],
                     properties=_properties(bom.properties))


def _library_json(bom: aibom.AIBom) -> dict[str, Any]:
    """The BOM as the library builds and serialises it (everything but the model card and data details)."""
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType
    from cyclonedx.model.tool import ToolRepository
    from cyclonedx.output.json import JsonV1Dot6

    import datetime as dt

    model = _model_component(bom)
    data = [_dataset_component(d) for d in bom.datasets]
    tool = Component(type=ComponentType.APPLICATION, name="openness-gate", version=__version__)
    meta = BomMetaData(tools=ToolRepository(components=[tool]), component=model,
                       timestamp=dt.datetime.strptime(bom.created, "%Y-%m-%dT%H:%M:%SZ").replace(
                           tzinfo=dt.timezone.utc))
    doc = Bom(components=data, metadata=meta, serial_number=bom.serial)
    if data:
        doc.register_dependency(model, data)
    return json.loads(JsonV1Dot6(doc).output_as_string())


def model_card(bom: aibom.AIBom) -> dict[str, Any]:
    """``modelCard`` (CycloneDX 1.6): task, architecture and training datasets; metric values; what the
    card says the model is for (use cases), is not for (technical limitations) and risks (ethical
    considerations)."""
    params: dict[str, Any] = {}
    if bom.task:
        params["task"] = bom.task
    if bom.architecture_family:
        params["architectureFamily"] = bom.architecture_family
    if bom.architecture:
        params["modelArchitecture"] = bom.architecture
    trained_on = [{"ref": d.ref} for d in bom.datasets if d.training]
    if trained_on:
        params["datasets"] = trained_on
    card: dict[str, Any] = {"bom-ref": MODEL_CARD_REF}
    if params:
        card["modelParameters"] = params
    if bom.metrics:
        card["quantitativeAnalysis"] = {"performanceMetrics": [
            {"type": m.type, "value": m.value, **({"slice": m.slice} if m.slice else {})} for m in bom.metrics]}
    considerations: dict[str, Any] = {}
    if bom.uses:
        considerations["useCases"] = [bom.uses]
    if bom.out_of_scope:
        considerations["technicalLimitations"] = [bom.out_of_scope]
    if bom.limitations:
        considerations["ethicalConsiderations"] = [{"name": bom.limitations}]
    if considerations:
        card["considerations"] = considerations
    props = [(f"{aibom.NAMESPACE}:library", bom.library)] if bom.library else []
    props += [(f"{aibom.NAMESPACE}:metric-source", f"{m.type}={m.value}: {m.source}") for m in bom.metrics
              if m.source]
    if props:
        card["properties"] = [{"name": n, "value": v} for n, v in props]
    return card


def _data_details(d: aibom.Dataset) -> list[dict[str, Any]]:
    """A data component's ``data`` entry: the dataset, where it is, and what uses it."""
    entry: dict[str, Any] = {"type": "dataset", "name": d.name, "description": d.description}
    url = aibom.safe_url(d.url) if d.url else None
    if url:
        entry["contents"] = {"url": url}
    return [entry]


def to_dict(result: Result) -> dict[str, Any]:
    bom = aibom.build(result)
    doc = _library_json(bom)
    model = doc["metadata"]["component"]
    model["modelCard"] = model_card(bom)
    details = {d.ref: _data_details(d) for d in bom.datasets}
    for component in doc.get("components", []):
        if component.get("bom-ref") in details:
            component["data"] = details[component["bom-ref"]]
    doc["metadata"] = _ordered(doc["metadata"], ("timestamp", "tools", "component"))
    return _ordered(doc, ("$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata"))


def _ordered(obj: dict[str, Any], first: tuple[str, ...]) -> dict[str, Any]:
    """``obj`` with the keys a reader looks for first in front (the library writes them alphabetically)."""
    return {**{k: obj[k] for k in first if k in obj}, **{k: v for k, v in obj.items() if k not in first}}


def render(result: Result) -> str:
    return json.dumps(to_dict(result), indent=2, ensure_ascii=False) + "\n"
