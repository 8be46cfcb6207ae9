"""What an AI bill of materials says about a checked repository, read from the Result alone.

CycloneDX (``cyclonedx.py``) and SPDX 3 (``spdx3.py``) say the same things in two vocabularies:
the model (name, revision, task, architecture), its licences, the datasets it was trained and
tested on, its metric values, what the card says it is for and where it falls short, the
digests of its weight files, links (repository, hub, papers) and the openness verdict. This
module gathers them once, from the findings' facts and evidence, the policy result and the
inventory summary, so that both formats agree with each other and with the JSON report.

Nothing here judges: which licence covers the model, which dataset a stage used, which metric a
file reports were decided by the detectors and recorded as facts. Every string that reaches a
BOM comes from the checked repository and is data; the serialisers write it as JSON strings.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from openness_gate import lazyre, taxonomy
from openness_gate.record import record
from openness_gate.report import view
from openness_gate.result import FAIL, Result

NAMESPACE = "openness-gate"  # prefix of every property name the BOMs carry
#: licence scopes (the licence detector's, from file names such as MODEL_LICENSE or DATA_LICENSE)
MODEL_SCOPES = (None, "model")
DATA_SCOPE = "data"
DATA_STAGES = tuple(c.id for c in taxonomy.in_dimension("data"))
WEIGHTS = tuple(c.id for c in taxonomy.in_dimension("weights"))


@record
class Licence:
    id: str  # the catalogue id ("Apache-2.0", "llama3.1"), or the text a config declared
    spdx: str | None  # the SPDX id when the licence has one
    name: str
    paths: tuple[str, ...] = ()  # where it was found or declared


@record
class Dataset:
    ref: str  # local identifier, unique in the BOM ("dataset-1")
    name: str
    url: str | None
    stages: tuple[str, ...]  # the data components that use it (data.pretraining…); () when none says
    shipped_files: int = 0  # files of it in the repository (0: referenced only)
    shipped_size: int | None = None
    example_path: str | None = None
    licences: tuple[Licence, ...] = ()

    @property
    def training(self) -> bool:
        """Used to train or tune the model (a stage other than evaluation)."""
        return any(s != "data.evaluation" for s in self.stages)

    @property
    def description(self) -> str:
        """What uses it and where it is: "pretraining data; 12 file(s) in the repository, e.g. data/a.jsonl"."""
        stages = ", ".join(taxonomy.get(s).title.lower() for s in self.stages)
        where = (f"{self.shipped_files} file(s) in the repository" +
                 (f", e.g. {self.example_path}" if self.example_path else "")
                 if self.shipped_files else "referenced by the repository")
        return f"{stages}; {where}"


@record
class Metric:
    type: str
    value: str
    slice: str | None  # the dataset or task it was measured on
    source: str | None  # the file that reports it


@record
class WeightFile:
    path: str
    sha256: str
    size: int | None
    component: str  # weights.pretrained, weights.intermediate…


@record
class Link:
    url: str
    kind: str  # vcs | distribution | documentation | website
    note: str


@record
class AIBom:
    name: str
    version: str | None
    created: str  # ISO 8601 UTC, seconds
    serial: uuid.UUID
    task: str | None
    library: str | None
    architecture_family: str | None
    architecture: str | None
    licences: tuple[Licence, ...]
    datasets: tuple[Dataset, ...]
    metrics: tuple[Metric, ...]
    uses: str | None
    out_of_scope: str | None
    limitations: str | None
    weights: tuple[WeightFile, ...]
    links: tuple[Link, ...]
    properties: tuple[tuple[str, str], ...]


# ----------------------------------------------------------------------------------------- helpers
def _facts(result: Result, cid: str) -> Mapping[str, Any]:
    try:
        return result.finding(cid).facts
    except KeyError:
        return {}


def _evidence(result: Result, cid: str) -> tuple[Any, ...]:
    """The evidence of a component that was found (a missing one's notes name nothing to link)."""
    try:
        f = result.finding(cid)
    except KeyError:
        return ()
    return f.evidence if f.found else ()


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def model_name(result: Result) -> str:
    """The folder a local check names (``.`` is the folder it stands for), else ``OWNER/NAME``."""
    t = result.target
    return (t.name or t.path_or_repo) if t.kind == "local" else t.path_or_repo.strip("/")


def _serial(result: Result, created: str) -> uuid.UUID:
    """A UUID unique to this verdict at this time: the same inputs give the same BOM."""
    from openness_gate.report.json_report import to_dict

    digest = hashlib.sha256(json.dumps(to_dict(result), sort_keys=True, default=str).encode()).hexdigest()
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://openness-gate.dev/bom/{digest}/{created}")


_WEB_URL = lazyre.compile(r"(?i)^https?://[^\s/?#]")
_BAD_PERCENT = lazyre.compile(r"%(?![0-9A-Fa-f]{2})")
#: what may stay as is in a URL (RFC 3986 reserved and unreserved characters, and escapes)
_URL_SAFE = ":/?#@!$&'()*+,;=%-._~"


def safe_url(url: str | None) -> str | None:
    """An http(s) URL from the repository as a valid URI reference, or None for anything else: stray
    ``%`` and a second ``#`` are escaped, spaces, quotes, brackets and control characters percent-encoded."""
    if not isinstance(url, str) or not _WEB_URL.match(url.strip()):
        return None
    head, sep, fragment = _BAD_PERCENT.sub("%25", url.strip()).partition("#")
    return quote(head + sep + fragment.replace("#", "%23"), safe=_URL_SAFE)


# ----------------------------------------------------------------------------------------- licences
def _licence_entries(result: Result) -> list[dict[str, Any]]:
    """The identified licences of the licence finding (unidentified texts left out: they name nothing)."""
    return [e for e in _dicts(_facts(result, "distribution.license").get("licenses"))
            if _text(e.get("id")) and e.get("id") != "unknown"]


def _merge_licences(entries: Iterable[dict[str, Any]]) -> tuple[Licence, ...]:
    """One Licence per id, in the order found, with every path that names it."""
    by_id: dict[str, Licence] = {}
    for e in entries:
        lid = str(e["id"])
        path = _text(e.get("path"))
        old = by_id.get(lid)
        paths = (old.paths if old else ()) + ((path,) if path and (not old or path not in old.paths) else ())
        by_id[lid] = Licence(lid, _text(e.get("spdx")), _text(e.get("name")) or lid, paths)
    return tuple(by_id.values())


def model_licences(result: Result) -> tuple[Licence, ...]:
    """Licences that cover the model: repository-wide ones and those scoped to the model or its weights."""
    return _merge_licences(e for e in _licence_entries(result) if e.get("scope") in MODEL_SCOPES)


def data_licences(result: Result) -> tuple[Licence, ...]:
    """Licences the repository scopes to its data (DATA_LICENSE, LICENSE_DATA…)."""
    return _merge_licences(e for e in _licence_entries(result) if e.get("scope") == DATA_SCOPE)


def _declared_licence(text: str | None) -> tuple[Licence, ...]:
    """The licence an ``artifacts:`` entry of the repository config declares, named through the catalogue."""
    if not text:
        return ()
    from openness_gate.licenses import catalogue

    known = catalogue.lookup(text)
    if known is None:
        return (Licence(text, None, text),)
    return (Licence(known.id, known.spdx, known.name),)


# ----------------------------------------------------------------------------------------- datasets
def datasets(result: Result, name: str) -> tuple[Dataset, ...]:
    """Every dataset the repository ships or declares, once each (by URL), with the stages using it."""
    found: dict[str, dict[str, Any]] = {}  # key (URL or stage) -> fields

    def add(key: str, stage: str | None, **fields: Any) -> None:
        entry = found.setdefault(key, {"stages": [], **fields})
        if stage and stage not in entry["stages"]:
            entry["stages"].append(stage)
        for k, v in fields.items():
            entry.setdefault(k, v)

    for stage in DATA_STAGES:
        facts = _facts(result, stage)
        files = facts.get("files")
        if isinstance(files, int) and files > 0:
            example = next((e.path for e in _evidence(result, stage) if e.path), None)
            title = taxonomy.get(stage).title.lower()
            size = facts.get("total_size")
            add(f"shipped:{stage}", stage, name=f"{name} {title} (in the repository)", url=None, shipped_files=files,
                shipped_size=size if isinstance(size, int) else None, example_path=example, licences=())
        for ref in _dicts(facts.get("references")):
            url, ref_name = _text(ref.get("url")), _text(ref.get("name"))
            if url:
                add(url, stage, name=ref_name or url, url=url, licences=())
        for art in _dicts(facts.get("artifacts")):
            url = _text(art.get("url"))
            if url:
                add(url, stage, name=url, url=url, licences=_declared_licence(_text(art.get("license"))))
    shipped_licences = data_licences(result)
    if shipped_licences and not any(k.startswith("shipped:") for k in found):
        # a data licence with no data file found: the repository still releases data under it
        add("shipped:licensed", None, name=f"{name} data (licensed in the repository)", url=None, licences=())
    out = []
    for n, (key, f) in enumerate(found.items(), 1):
        licences = f.get("licences") or (shipped_licences if key.startswith("shipped:") else ())
        out.append(Dataset(f"dataset-{n}", str(f["name"]), f.get("url"), tuple(f["stages"]),
                           int(f.get("shipped_files") or 0), f.get("shipped_size"), f.get("example_path"),
                           tuple(licences)))
    return tuple(out)


# ----------------------------------------------------------------------------------------- the rest
def metrics(result: Result) -> tuple[Metric, ...]:
    """The metric values the evaluation finding recorded, as strings (BOM formats want text)."""
    out = []
    for m in _dicts(_facts(result, "docs.evaluation").get("metrics")):
        kind, value = _text(m.get("type")), m.get("value")
        if kind is None or value is None or isinstance(value, bool):
            continue
        slice_ = " / ".join(s for s in (_text(m.get("dataset")), _text(m.get("task"))) if s) or None
        out.append(Metric(kind, str(value), slice_, _text(m.get("source"))))
    return tuple(out)


def weight_files(result: Result) -> tuple[WeightFile, ...]:
    """Each weight file whose Git LFS pointer gives its SHA-256 (the weights detector's ``lfs_files``)."""
    out = []
    for cid in WEIGHTS:
        for f in _dicts(_facts(result, cid).get("lfs_files")):
            path, digest = _text(f.get("path")), _text(f.get("sha256"))
            if path and digest:
                size = f.get("size")
                out.append(WeightFile(path, digest, size if isinstance(size, int) else None, cid))
    return tuple(out)


def links(result: Result) -> tuple[Link, ...]:
    """The repository itself, the hub pages of linked weights, and the publications, once each."""
    out: dict[str, Link] = {}
    t = result.target
    if t.kind == "github":
        out.setdefault(f"https://github.com/{t.path_or_repo}",
                       Link(f"https://github.com/{t.path_or_repo}", "vcs", "the checked repository"))
    elif t.kind == "huggingface":
        url = f"https://huggingface.co/{t.path_or_repo}"
        out.setdefault(url, Link(url, "distribution", "the checked repository on the Hugging Face Hub"))
    for cid in WEIGHTS:
        bases = [b for b in _facts(result, cid).get("base_model") or [] if isinstance(b, str) and b]
        for e in _evidence(result, cid):
            if e.url and any(e.url.rstrip("/").endswith("/" + b) for b in bases):  # what it was tuned from
                out.setdefault(e.url, Link(e.url, "website", "base model"))
            elif e.url:
                out.setdefault(e.url, Link(e.url, "distribution", taxonomy.get(cid).title.lower()))
    for e in _evidence(result, "docs.publication"):
        if e.url:
            out.setdefault(e.url, Link(e.url, "documentation", "publication"))
    return tuple(out.values())


def verdict_properties(result: Result) -> tuple[tuple[str, str], ...]:
    """The openness verdict as namespaced name/value pairs: policy, outcome, score, level, whether the
    verdict is incomplete, per-dimension counts of each status, each component's status, failed requirements."""
    p = result.policy
    props = [(f"{NAMESPACE}:policy", p.name), (f"{NAMESPACE}:passed", str(p.passed).lower()),
             (f"{NAMESPACE}:score", str(p.score))]
    if p.level:
        props.append((f"{NAMESPACE}:level", p.level))
    props.append((f"{NAMESPACE}:incomplete", str(result.incomplete).lower()))
    for row in view.dimensions(result):
        statuses = [f.status for f in row.findings]
        props.extend((f"{NAMESPACE}:dimension:{row.dimension}:{status}", str(statuses.count(status)))
                     for status in taxonomy.STATUSES)
    props.extend((f"{NAMESPACE}:component:{f.component}", f.status) for f in result.components)
    props.extend((f"{NAMESPACE}:requirement:failed", r.id) for r in p.requirements if r.outcome == FAIL)
    props.append((f"{NAMESPACE}:target", f"{result.target.kind}:{result.target.path_or_repo}"))
    return tuple(props)


def build(result: Result) -> AIBom:
    """The BOM view of ``result`` (see the module docstring)."""
    name = model_name(result)
    created = view.checked_at()  # SOURCE_DATE_EPOCH when set: a BOM can be rebuilt byte for byte
    card = _facts(result, "docs.model_card")
    texts = card.get("section_text") if isinstance(card.get("section_text"), dict) else {}
    arch = _facts(result, "code.architecture")
    architectures = [a for a in arch.get("architectures") or [] if isinstance(a, str)] \
        if isinstance(arch.get("architectures"), list) else []
    return AIBom(
        name=name, version=result.target.revision, created=created, serial=_serial(result, created),
        task=_text(card.get("pipeline_tag")), library=_text(card.get("library_name")),
        architecture_family=_text(arch.get("model_type")),
        architecture=(architectures[0] if architectures else None) or _text(arch.get("pipeline_class")),
        licences=model_licences(result), datasets=datasets(result, name), metrics=metrics(result),
        uses=_text(texts.get("uses")), out_of_scope=_text(texts.get("out_of_scope")),
        limitations=_text(texts.get("bias_risks_limitations")),
        weights=weight_files(result), links=links(result), properties=verdict_properties(result),
    )
