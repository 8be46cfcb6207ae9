"""AI bills of materials: CycloneDX 1.6 (``--format cyclonedx``) and SPDX 3.0.1 (``--format spdx3``).

Each document is validated with its format's own tooling -- the CycloneDX library's strict 1.6 JSON
validator, and the official SPDX 3.0.1 JSON schema (vendored in tests/schemas, see NOTICE there) --
and its content is compared with the JSON report of the same Result: licences, datasets, metric
values, weight digests, the card's considerations and the verdict must be the same facts, not just
well-formed. Targets: the three examples, six repositories of the calibration corpus (materialised
from their snapshots) and three Hugging Face style fixture repositories. Hostile card strings must
come out as inert JSON string values, with the documents still valid.
"""

from __future__ import annotations

import gzip
import json
import pathlib
import subprocess
import sys
from typing import Any, Iterator

import jsonschema
import pytest

from conftest import EXAMPLES, ROOT, run_cli
from openness_gate.checker import check
from openness_gate.report import cyclonedx, json_report, spdx3
from test_calibration import CALIBRATION, materialise

SCHEMAS = pathlib.Path(__file__).parent / "schemas"
FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "repos"
EXAMPLE_NAMES = ["open-science-model", "open-weights-restricted", "bare-code-repo"]
#: pythia (a suite with harness results), OLMo (datasets), Stanford Alpaca (a Hugging Face card, model and
#: data licences), Whisper (a model card, weights on a CDN), MobileCLIP (a licence with no SPDX id, a data
#: licence), and a small course project
CORPUS = ["EleutherAI__pythia", "allenai__OLMo", "tatsu-lab__stanford_alpaca", "openai__whisper",
          "apple__ml-mobileclip", "M0hameed0__MLOps-Course-M2"]
HF_FIXTURES = ["bloom-style-rail-card", "declared-artifacts-config", "trainer-autocard-finetune"]
TARGETS = [f"example:{n}" for n in EXAMPLE_NAMES] + [f"corpus:{n}" for n in CORPUS] + \
    [f"fixture:{n}" for n in HF_FIXTURES]
NS = "openness-gate"


# ------------------------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """target -> (Result, its JSON report), each checked once."""
    cache: dict[str, tuple[Any, dict]] = {}

    def get(target: str):
        if target not in cache:
            kind, name = target.split(":", 1)
            if kind == "example":
                path = EXAMPLES / name
            elif kind == "fixture":
                path = FIXTURES / name
            else:
                with gzip.open(CALIBRATION / "snapshots" / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
                    snap = json.load(fh)
                path = tmp_path_factory.mktemp("bom") / name
                materialise(snap, path)
            result = check(str(path))
            cache[target] = (result, json_report.to_dict(result))
        return cache[target]

    return get


@pytest.fixture(scope="module")
def cdx_validator():
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    return JsonStrictValidator(SchemaVersion.V1_6)


@pytest.fixture(scope="module")
def spdx_schema() -> dict:
    return json.loads((SCHEMAS / "spdx-3.0.1.schema.json").read_text(encoding="utf-8"))


def _any_of(validator, any_of, instance, schema):
    """``anyOf`` as jsonschema evaluates it, except that a branch stops at its first error: the outcome is the
    same (one error fails a branch) and only a failure's context is shorter. jsonschema collects every error of
    every failed branch, and the SPDX schema makes that costly: each element reference (an IRI string) is
    checked against ``anyOf: [{type: object, anyOf: [every class]}, IRI]`` and each node against ``AnyClass``,
    so every class was walked to the end for each reference and each node (minutes per document).
    ``test_the_spdx_schema_rejects_broken_nodes`` checks that both validators refuse the same nodes."""
    errors = []
    for index, subschema in enumerate(any_of):
        first = next(validator.descend(instance, subschema, schema_path=index), None)
        if first is None:
            return
        errors.append(first)
    yield jsonschema.ValidationError(f"{instance!r} is not valid under any of the given schemas", context=errors)


#: the official schema's validator (Draft 2020-12), with the ``anyOf`` above
SpdxValidator = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"anyOf": _any_of})
_NODE_VALIDATORS: dict[tuple[type, str], Any] = {}


def spdx_errors(doc: dict, schema: dict, validator: type = SpdxValidator) -> list[str]:
    """Errors of ``doc`` against the official schema, node by node: the schema's ``@graph`` items are
    ``AnyClass`` (any of its classes) with unevaluated properties refused, so a node that its own class
    accepts that way is accepted; checked per class because ``AnyClass`` retries every class on every
    node. ``test_spdx_whole_document_against_the_schema`` runs the full schema. Each class's validator is
    built once per session."""
    errors = []
    if doc.get("@context") != schema["properties"]["@context"]["const"] or set(doc) != {"@context", "@graph"}:
        errors.append(f"envelope: {sorted(doc)}")
    for node in doc.get("@graph", []):
        kind = node.get("type")
        if kind not in schema["$defs"]:
            errors.append(f"unknown type {kind!r}")
            continue
        if (validator, kind) not in _NODE_VALIDATORS:
            _NODE_VALIDATORS[validator, kind] = validator(
                {"$defs": schema["$defs"], "type": "object", "$ref": f"#/$defs/{kind}", "unevaluatedProperties": False})
        errors += [f"{kind} {node.get('spdxId')}: {e.message[:300]}"
                   for e in _NODE_VALIDATORS[validator, kind].iter_errors(node)]
    return errors


def cdx_errors(text: str, validator) -> list[str]:
    return [str(e)[:500] for e in (validator.validate_str(text, all_errors=True) or [])]


# ------------------------------------------------------------------------------------------- helpers
def _components(report: dict) -> dict[str, dict]:
    return {c["id"]: c for c in report["components"]}


def _facts(report: dict, cid: str) -> dict:
    return _components(report)[cid]["facts"]


def expected_model_licences(report: dict) -> set[str]:
    """From the JSON report: identified licences that cover the model (unscoped or scoped to it)."""
    return {e["spdx"] or e["name"] for e in _facts(report, "distribution.license").get("licenses", [])
            if e["id"] != "unknown" and e.get("scope") in (None, "model")}


def expected_dataset_urls(report: dict) -> set[str]:
    urls = set()
    for cid in ("data.pretraining", "data.fine_tuning", "data.preference", "data.evaluation"):
        facts = _facts(report, cid)
        urls |= {r["url"] for r in facts.get("references", [])} | {a["url"] for a in facts.get("artifacts", [])}
    return urls


def expected_shipped_stages(report: dict) -> set[str]:
    return {cid for cid in ("data.pretraining", "data.fine_tuning", "data.preference", "data.evaluation")
            if _facts(report, cid).get("files")}


def expected_metrics(report: dict) -> list[tuple[str, str]]:
    return [(m["type"], str(m["value"])) for m in _facts(report, "docs.evaluation").get("metrics", [])]


def expected_digests(report: dict) -> set[str]:
    return {f["sha256"] for c in report["components"] if c["id"].startswith("weights.")
            for f in c["facts"].get("lfs_files", [])}


def expected_verdict(report: dict) -> dict[str, str]:
    p = report["policy"]
    out = {f"{NS}:policy": p["name"], f"{NS}:score": str(p["score"]), f"{NS}:passed": str(p["passed"]).lower(),
           f"{NS}:incomplete": str(report["incomplete"]).lower()}
    if p["level"]:
        out[f"{NS}:level"] = p["level"]
    for c in report["components"]:
        out[f"{NS}:component:{c['id']}"] = c["status"]
    for dim in {c["dimension"] for c in report["components"]}:
        for status in ("present", "partial", "linked", "missing"):
            n = sum(1 for c in report["components"] if c["dimension"] == dim and c["status"] == status)
            out[f"{NS}:dimension:{dim}:{status}"] = str(n)
    return out


def strings(value: Any) -> Iterator[str]:
    """Every string value (and key) in a JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


# ------------------------------------------------------------------------------------------- CycloneDX
def _cdx(result) -> tuple[str, dict]:
    text = cyclonedx.render(result)
    return text, json.loads(text)


def test_the_cyclonedx_validator_rejects_a_broken_bom(cdx_validator, checked):
    _, doc = _cdx(checked("example:open-science-model")[0])
    doc["metadata"]["component"]["modelCard"]["modelParameters"]["approach"] = {"type": "guesswork"}
    assert cdx_errors(json.dumps(doc), cdx_validator)


@pytest.mark.parametrize("target", TARGETS)
def test_cyclonedx_is_valid_and_says_what_the_json_report_says(target, checked, cdx_validator):
    result, report = checked(target)
    text, doc = _cdx(result)
    assert cdx_errors(text, cdx_validator) == []
    assert (doc["bomFormat"], doc["specVersion"]) == ("CycloneDX", "1.6")
    assert doc["serialNumber"].startswith("urn:uuid:")
    model = doc["metadata"]["component"]
    assert model["type"] == "machine-learning-model"
    assert [t["name"] for t in doc["metadata"]["tools"]["components"]] == ["openness-gate"]
    # licences
    assert {lic["license"].get("id") or lic["license"]["name"] for lic in model.get("licenses", [])} == \
        expected_model_licences(report)
    # datasets: every one the report references, plus one per stage shipping files
    data = [c for c in doc.get("components", []) if c["type"] == "data"]
    urls = {r["url"] for c in data for r in c.get("externalReferences", [])}
    assert urls == expected_dataset_urls(report)
    shipped = [c for c in data if not c.get("externalReferences")]
    assert {p["value"] for c in shipped for p in c.get("properties", []) if p["name"] == f"{NS}:stage"} >= \
        expected_shipped_stages(report)
    assert all(d["data"][0]["type"] == "dataset" for d in data)
    card = model["modelCard"]
    trained = {d["ref"] for d in card.get("modelParameters", {}).get("datasets", [])}
    assert trained <= {c["bom-ref"] for c in data}
    # metrics, task, architecture, considerations
    metrics = card.get("quantitativeAnalysis", {}).get("performanceMetrics", [])
    assert [(m["type"], m["value"]) for m in metrics] == expected_metrics(report)
    card_facts = _facts(report, "docs.model_card")
    assert card.get("modelParameters", {}).get("task") == card_facts.get("pipeline_tag")
    archs = _facts(report, "code.architecture").get("architectures") or [None]
    assert card.get("modelParameters", {}).get("modelArchitecture") in (archs[0],
                                                                       _facts(report, "code.architecture").get(
                                                                           "pipeline_class"))
    texts = card_facts.get("section_text", {})
    considerations = card.get("considerations", {})
    assert considerations.get("useCases", [None]) == [texts.get("uses")]
    assert considerations.get("technicalLimitations", [None]) == [texts.get("out_of_scope")]
    assert [r["name"] for r in considerations.get("ethicalConsiderations", [{"name": None}])] == \
        [texts.get("bias_risks_limitations")]
    # weights and verdict
    digests = {h["content"] for f in model.get("components", []) for h in f["hashes"] if h["alg"] == "SHA-256"}
    assert digests == expected_digests(report)
    props = {p["name"]: p.get("value") for p in model["properties"] if p["name"] != f"{NS}:requirement:failed"}
    assert {k: v for k, v in props.items() if k != f"{NS}:target"} == expected_verdict(report)
    failed = sorted(p["value"] for p in model["properties"] if p["name"] == f"{NS}:requirement:failed")
    assert failed == sorted(r["id"] for r in report["policy"]["requirements"] if r["outcome"] == "fail")


def test_cyclonedx_links_and_weight_files_of_the_open_science_example(checked):
    _, doc = _cdx(checked("example:open-science-model")[0])
    model = doc["metadata"]["component"]
    assert {(r["type"], r["url"]) for r in model["externalReferences"]} == \
        {("documentation", "https://arxiv.org/abs/2401.00001")}
    files = {f["name"]: f for f in model["components"]}
    assert set(files) == {"model.safetensors", "checkpoints/step-10000/model.safetensors",
                          "checkpoints/step-20000/model.safetensors"}
    assert {p["value"] for p in files["model.safetensors"]["properties"]} >= {"weights.pretrained", "2468000000"}
    deps = {d["ref"]: d.get("dependsOn", []) for d in doc["dependencies"]}
    assert set(deps["model"]) == {c["bom-ref"] for c in doc["components"]}


def test_a_licence_without_an_spdx_id_is_named(checked):
    _, doc = _cdx(checked("example:open-weights-restricted")[0])
    (lic,) = doc["metadata"]["component"]["licenses"]
    assert lic["license"]["name"] == "Llama 3.1 Community License Agreement"
    assert lic["license"]["acknowledgement"] == "declared"
    assert {"name": f"{NS}:license-id", "value": "llama3.1"} in lic["license"]["properties"]


def test_a_base_model_is_a_link_not_where_to_download_this_model(checked):
    result, _ = checked("example:open-weights-restricted")
    _, cdx = _cdx(result)
    base = "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct"
    assert cdx["metadata"]["component"]["externalReferences"] == [{"comment": "base model", "type": "website",
                                                                    "url": base}]
    _, spdx = _spdx(result)
    model = next(n for n in spdx["@graph"] if n["type"] == "ai_AIPackage")
    assert "software_downloadLocation" not in model
    assert model["externalRef"] == [{"type": "ExternalRef", "externalRefType": "altWebPage", "locator": [base],
                                     "comment": "base model"}]


def test_data_licences_go_to_the_data_the_repository_ships(checked):
    _, doc = _cdx(checked("corpus:tatsu-lab__stanford_alpaca")[0])
    (shipped,) = [c for c in doc["components"] if c["type"] == "data"]
    assert [lic["license"]["id"] for lic in shipped["licenses"]] == ["CC-BY-NC-4.0"]
    assert {lic["license"]["id"] for lic in doc["metadata"]["component"]["licenses"]} == {"Apache-2.0",
                                                                                         "CC-BY-NC-4.0"}


# ------------------------------------------------------------------------------------------- SPDX 3
def _spdx(result) -> tuple[str, dict]:
    text = spdx3.render(result)
    return text, json.loads(text)


def _by_id(doc: dict) -> dict[str, dict]:
    return {n["spdxId"]: n for n in doc["@graph"] if "spdxId" in n}


def _related(doc: dict, source: str, kind: str) -> list[dict]:
    nodes = _by_id(doc)
    return [nodes[t] for n in doc["@graph"] if n["type"] == "Relationship" and n["from"] == source
            and n["relationshipType"] == kind for t in n["to"]]


def test_the_spdx_schema_rejects_broken_nodes(spdx_schema, checked):
    _, doc = _spdx(checked("example:open-science-model")[0])
    dataset = next(n for n in doc["@graph"] if n["type"] == "dataset_DatasetPackage")
    del dataset["dataset_datasetType"]  # required by the Dataset profile
    model = next(n for n in doc["@graph"] if n["type"] == "ai_AIPackage")
    model["ai_safetyRiskAssessment"] = "apocalyptic"
    errors = spdx_errors(doc, spdx_schema)
    assert any("dataset_datasetType" in e for e in errors) and any("apocalyptic" in e for e in errors)
    # the faster anyOf refuses exactly what the library's own validator refuses, node by node
    for node in doc["@graph"]:
        one = {"@context": doc["@context"], "@graph": [node]}
        assert bool(spdx_errors(one, spdx_schema)) == bool(spdx_errors(one, spdx_schema,
                                                                       jsonschema.Draft202012Validator)), node


def test_spdx_whole_document_against_the_schema(spdx_schema, tmp_path):
    """The full official schema, unchanged, on a small document with every kind of node we write (validated with
    the ``anyOf`` that stops a branch at its first error: the library's own takes ~40 s on this document)."""
    (tmp_path / "README.md").write_text("---\nlicense: apache-2.0\nlicense_name: x\ndatasets: [org/data]\n"
                                        "pipeline_tag: text-generation\n---\n# Tiny\n", encoding="utf-8")
    (tmp_path / "model.safetensors").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "ab" * 32 + "\nsize 12345\n", encoding="utf-8")
    _, doc = _spdx(check(str(tmp_path)))
    assert {n["type"] for n in doc["@graph"]} >= {"CreationInfo", "SpdxDocument", "software_Sbom", "ai_AIPackage",
                                                  "dataset_DatasetPackage", "software_File", "Relationship",
                                                  "simplelicensing_LicenseExpression", "Tool", "SoftwareAgent"}
    validator = SpdxValidator(spdx_schema)
    assert [e.message[:300] for e in validator.iter_errors(doc)] == []
    assert spdx_errors(doc, spdx_schema) == []


@pytest.mark.parametrize("target", TARGETS)
def test_spdx3_is_valid_and_says_what_the_json_report_says(target, checked, spdx_schema):
    result, report = checked(target)
    _, doc = _spdx(result)
    assert spdx_errors(doc, spdx_schema) == []
    nodes = _by_id(doc)
    assert len(nodes) == len(doc["@graph"]) - 1  # unique ids; the CreationInfo is the one blank node
    (document,) = [n for n in doc["@graph"] if n["type"] == "SpdxDocument"]
    assert set(document["element"]) == set(nodes) - {document["spdxId"]}
    (model,) = [n for n in doc["@graph"] if n["type"] == "ai_AIPackage"]
    (sbom,) = [n for n in doc["@graph"] if n["type"] == "software_Sbom"]
    assert document["rootElement"] == [sbom["spdxId"]] and sbom["rootElement"] == [model["spdxId"]]
    for n in doc["@graph"]:  # every reference resolves
        refs = [n.get("from")] + n.get("to", []) + n.get("element", []) + n.get("rootElement", [])
        assert all(r in nodes for r in refs if r), n
    # licences
    licences = _related(doc, model["spdxId"], "hasDeclaredLicense")
    assert {lic["name"] if lic["simplelicensing_licenseExpression"].startswith("LicenseRef-")
            else lic["simplelicensing_licenseExpression"] for lic in licences} == expected_model_licences(report)
    # datasets, by stage
    trained = _related(doc, model["spdxId"], "trainedOn")
    tested = _related(doc, model["spdxId"], "testedOn")
    other = _related(doc, model["spdxId"], "other")  # data licensed in the repository, use unstated
    datasets = [n for n in doc["@graph"] if n["type"] == "dataset_DatasetPackage"]
    assert {d["spdxId"] for d in trained + tested + other} == {d["spdxId"] for d in datasets}
    assert {d["software_downloadLocation"] for d in datasets if "software_downloadLocation" in d} == \
        expected_dataset_urls(report)
    evaluation_urls = {r["url"] for r in _facts(report, "data.evaluation").get("references", [])}
    assert {d.get("software_downloadLocation") for d in tested} >= evaluation_urls
    # metrics, task, considerations, weights, verdict
    assert [(e["key"].split(" [")[0], e["value"]) for e in model.get("ai_metric", [])] == expected_metrics(report)
    assert model.get("ai_domain", [None]) == [_facts(report, "docs.model_card").get("pipeline_tag")]
    assert model.get("ai_informationAboutApplication") == \
        _facts(report, "docs.model_card").get("section_text", {}).get("uses")
    files = _related(doc, model["spdxId"], "contains")
    assert {h["hashValue"] for f in files for h in f["verifiedUsing"] if h["algorithm"] == "sha256"} == \
        expected_digests(report)
    (ext,) = model["extension"]
    props = {e["extension_cdxPropName"]: e.get("extension_cdxPropValue") for e in ext["extension_cdxProperty"]
             if e["extension_cdxPropName"] not in (f"{NS}:requirement:failed", f"{NS}:target")}
    assert props == expected_verdict(report)


def test_spdx_and_cyclonedx_agree(checked):
    result, _ = checked("example:open-science-model")
    _, cdx = _cdx(result)
    _, spdx = _spdx(result)
    model = next(n for n in spdx["@graph"] if n["type"] == "ai_AIPackage")
    assert model["name"] == cdx["metadata"]["component"]["name"] == "open-science-model"
    assert len(model["ai_metric"]) == len(cdx["metadata"]["component"]["modelCard"]["quantitativeAnalysis"][
        "performanceMetrics"]) == 4
    assert {n["name"] for n in spdx["@graph"] if n["type"] == "dataset_DatasetPackage"} == \
        {c["name"] for c in cdx["components"]}
    assert model["ai_typeOfModel"] == ["NimbusForCausalLM", "nimbus"]


# ------------------------------------------------------------------------------------------- hostile input
HOSTILE = ['"</script><script>alert(1)</script>', '"},{"bomFormat":"evil', "${{ github.token }}",
           "\x07bell\x1b[31mred\u202eevil", "]]></x><!--"]


def _hostile_repo(root: pathlib.Path) -> None:
    """A card and config whose every string a BOM carries is hostile."""
    card = {
        "license": "other", "license_name": HOSTILE[0], "pipeline_tag": HOSTILE[2], "library_name": HOSTILE[1],
        "datasets": [HOSTILE[1], "org/ok"],
        "model-index": [{"name": "m", "results": [{"task": {"type": HOSTILE[0]},
                                                   "dataset": {"name": HOSTILE[2], "type": "d"},
                                                   "metrics": [{"type": HOSTILE[1], "value": HOSTILE[3][:20]},
                                                               {"type": "acc", "value": 0.5}]}]}],
    }
    body = "\n".join([
        "# Model", "", "## Uses", "", f"Use it for {HOSTILE[0]} and {HOSTILE[2]}, {HOSTILE[3]} {HOSTILE[4]}.", "",
        "## Out-of-Scope Use", "", f"Never {HOSTILE[1]} in production, see https://example.com/a%zz#b#c{{}}.", "",
        "## Bias, Risks, and Limitations", "", f"Risky {HOSTILE[3]} text {HOSTILE[4]} and more words here.", "",
        "## Training Data", "", "See https://huggingface.co/datasets/org/evil%22%7D for the data.", ""])
    (root / "README.md").write_text("---\n" + json.dumps(card) + "\n---\n" + body, encoding="utf-8")
    (root / "config.json").write_text(json.dumps({"architectures": [HOSTILE[0]], "model_type": HOSTILE[2]}),
                                      encoding="utf-8")
    (root / "model.safetensors").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "0f" * 32 + "\nsize 99\n", encoding="utf-8")
    (root / ".openness.yml").write_text(json.dumps({"artifacts": {"data.pretraining": [
        {"url": 'https://example.org/x"><script>', "license": HOSTILE[0]}]}}), encoding="utf-8")


def test_hostile_card_strings_are_inert_json_values(tmp_path, cdx_validator, spdx_schema):
    _hostile_repo(tmp_path)
    result = check(str(tmp_path))
    for text, doc, errors in [(*_cdx(result), None), (*_spdx(result), None)]:
        errors = cdx_errors(text, cdx_validator) if "bomFormat" in doc else spdx_errors(doc, spdx_schema)
        assert errors == []
        assert not any(ord(ch) < 0x20 and ch != "\n" for ch in text)  # control characters are escaped
        values = list(strings(doc))
        for needle in ("</script><script>alert(1)</script>", '"},{"bomFormat":"evil', "${{ github.token }}",
                       "\x07bell\x1b[31mred\u202eevil"):
            assert any(needle in v for v in values), (needle, "bomFormat" in doc)
    _, cdx = _cdx(result)
    assert list(cdx)[:5] == ["$schema", "bomFormat", "specVersion", "serialNumber", "version"]
    assert cdx["bomFormat"] == "CycloneDX"  # the injected key stayed inside a string
    model = cdx["metadata"]["component"]
    assert model["modelCard"]["modelParameters"]["task"] == HOSTILE[2]
    assert model["modelCard"]["modelParameters"]["modelArchitecture"] == HOSTILE[0]
    urls = [r["url"] for c in cdx["components"] for r in c.get("externalReferences", [])]
    assert all('"' not in u and "<" not in u and " " not in u for u in urls) and urls
    _, spdx = _spdx(result)
    assert {n["type"] for n in spdx["@graph"]} <= set(spdx_schema["$defs"])
    assert all(n["spdxId"].startswith("https://openness-gate.dev/spdx/") for n in spdx["@graph"] if "spdxId" in n)


# ------------------------------------------------------------------------------------------- command line
@pytest.mark.parametrize("fmt", ["cyclonedx", "spdx3"])
def test_check_offers_the_formats(fmt, tmp_path):
    out = tmp_path / f"bom.{fmt}.json"
    proc = run_cli("check", str(EXAMPLES / "open-science-model"), "--format", fmt, "--output", str(out),
                   env={"SOURCE_DATE_EPOCH": "0"})
    assert proc.returncode == 0, proc.stderr
    first = out.read_text(encoding="utf-8")
    again = run_cli("check", str(EXAMPLES / "open-science-model"), "--format", fmt, env={"SOURCE_DATE_EPOCH": "0"})
    assert again.stdout == first  # reproducible: same Result, same time, same bytes
    assert ('"created": "1970-01-01T00:00:00Z"' if fmt == "spdx3" else '"timestamp": "1970-01-01T00:00:00') in first


def test_other_reports_never_import_the_cyclonedx_library():
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "openness_gate", "check",
                           str(EXAMPLES / "bare-code-repo"), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "cyclonedx" not in proc.stderr
