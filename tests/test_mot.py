"""`openness-gate mot`: MOT's own classification reproduced exactly, its format validated, exports round-trip."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from conftest import EXAMPLES, run_cli, shared_path
from openness_gate.policy import mot, validate


def _expected() -> dict[str, dict]:
    """MOT's expected_results.json (an API dump with trailing commas), by release name."""
    text = shared_path("data", "mot", "test_data", "expected_results.json").read_text()
    data = json.loads(re.sub(r",(\s*[}\]])", r"\1", text))
    return {m["release"]["name"]: m["classification"] for m in data["models"]}


def test_mot_evaluate_reproduces_all_27_expected_results():
    folder = shared_path("data", "mot", "test_data")
    files = sorted(folder.glob("*.yml"))
    assert len(files) == 27
    expected = _expected()
    proc = run_cli("mot", "evaluate", "--format", "json", *map(str, files))
    assert proc.returncode == 0, proc.stderr
    got = {r["file"]: r for r in json.loads(proc.stdout)}
    mismatches = []
    for f in files:
        want = expected[yaml.safe_load(f.read_text())["release"]["name"]]
        r = got[str(f)]
        same = r["class"] == want["class"] and all(
            r["progress"][k] == pytest.approx(want["progress"][k], abs=1e-9) for k in ("1", "2", "3"))
        if not same:
            mismatches.append((f.name, r["class"], r["progress"], want))
    assert not mismatches


def _doc(components, distribution=None, **release_licenses):
    lic = {k: {"name": v} for k, v in release_licenses.items()}
    if distribution:
        lic["distribution"] = {"name": distribution}
    return {"framework": {"name": "Model Openness Framework", "version": "1.0", "date": "2024-12-15"},
            "release": {"name": "t", "producer": "p", "license": lic, "components": components}}


CLASS_III = ["Model architecture", "Model parameters (Final)", "Evaluation results", "Model card", "Data card",
             "Technical report"]
CLASS_II = ["Training code", "Inference code", "Evaluation code", "Evaluation data"]


def test_apache_weights_count_with_a_warning_and_apache_space_2_does_not():
    c = mot.evaluate_description(_doc([{"name": n} for n in CLASS_III], distribution="Apache-2.0"))
    assert c.cls == 3 and c.status["Model parameters (Final)"] == "included"
    assert any(w.startswith("Model parameters (Final)") and "type-appropriate" in w for w in c.warnings)
    c = mot.evaluate_description(_doc([{"name": n} for n in CLASS_III], distribution="Apache 2.0"))
    assert c.cls == 0 and set(c.status.values()) == {"invalid"}


@pytest.mark.parametrize("licence", ["Llama 3.1 Community License Agreement", "llama3.1", "OpenRAIL",
                                     "BigScience-BLOOM-RAIL-1.0", "CreativeML-OpenRAIL-M", "CC-BY-NC-4.0",
                                     "PDDL-1.0", "Gemma Terms of Use"])
def test_use_restricted_and_quirky_licences_are_not_open(licence):
    c = mot.evaluate_description(_doc([{"name": n} for n in CLASS_III], distribution=licence))
    assert c.cls == 0 and c.progress[3] == 0


def test_licence_resolution_order_and_unlicensed_has_no_fallback():
    comps = [{"name": n} for n in CLASS_III]
    comps[0]["license"] = "unlicensed"
    c = mot.evaluate_description(_doc(comps, distribution="MIT"))
    assert c.status["Model architecture"] == "unlicensed" and c.cls == 0
    assert c.progress[3] == pytest.approx(5 / 6 * 100)
    # content-type licence beats distribution; component licence beats both
    c = mot.evaluate_description(_doc([{"name": "Model card"}, {"name": "Model architecture", "license": "MIT"}],
                                      distribution="Proprietary", document="CC-BY-4.0", code="Nope"))
    assert c.licenses == {"Model card": "CC-BY-4.0", "Model architecture": "MIT"}
    assert set(c.status.values()) == {"included"}


def test_unknown_component_names_are_ignored_with_a_warning():
    c = mot.evaluate_description(_doc([{"name": n} for n in CLASS_III] + [{"name": "Training dataset"}],
                                      distribution="MIT"))
    assert c.cls == 3 and "Training dataset" not in c.status
    assert any("'Training dataset' is not a MOF component name" in w for w in c.warnings)


def test_research_paper_stands_in_for_the_technical_report():
    names = [n for n in CLASS_III if n != "Technical report"] + ["Research paper"]
    c = mot.evaluate_description(_doc([{"name": n} for n in names], distribution="Apache-2.0"))
    assert c.cls == 3 and c.progress[3] == 100
    without = mot.evaluate_description(_doc([{"name": n} for n in names[:-1]], distribution="Apache-2.0"))
    assert without.cls == 0


def test_a_missing_lower_class_gives_zero_progress_above_it():
    names = CLASS_III[1:] + CLASS_II  # no model architecture, all of Class II
    c = mot.evaluate_description(_doc([{"name": n} for n in names], distribution="Apache-2.0"))
    assert c.cls == 0 and c.progress[2] == 0 and c.progress[1] == 0
    assert c.progress[3] == pytest.approx(5 / 6 * 100)


def _schema_valid(schema, doc) -> bool:
    return not list(jsonschema.Draft202012Validator(schema).iter_errors(doc))


@pytest.mark.parametrize("mutate, valid", [
    (lambda d: d, True),
    (lambda d: d["release"].update(type="code", architecture="decoder", treatment="pre-trained"), True),
    (lambda d: d.pop("framework"), False),
    (lambda d: d["framework"].update(name="Other Framework"), False),
    (lambda d: d["release"].update(name=""), False),
    (lambda d: d["release"].pop("producer"), False),
    (lambda d: d["release"].update(type="robot"), False),
    (lambda d: d["release"].update(architecture="Transformer"), False),
    (lambda d: d["release"].update(components=[{"name": "Model card"}] * 18), False),
    (lambda d: d["release"]["license"].update(code={"name": 3}), False),
    (lambda d: d["release"].update(components=[{"name": "Model card", "license": None}]), False),
])
def test_our_mot_schema_agrees_with_mots_own(mutate, valid):
    theirs = json.loads(shared_path("data", "mot", "schema", "mof_schema.json").read_text())
    ours = validate.schema("mot.schema.json", "openness_gate.policy")
    doc = validate.plain(yaml.safe_load(shared_path("data", "mot", "schema", "sample_model.yml").read_text()))
    mutate(doc)
    assert _schema_valid(theirs, doc) is valid
    assert _schema_valid(ours, doc) is valid


def test_all_mot_test_files_pass_our_schema():
    ours = validate.schema("mot.schema.json", "openness_gate.policy")
    for f in shared_path("data", "mot", "test_data").glob("*.yml"):
        assert _schema_valid(ours, validate.plain(yaml.safe_load(f.read_text()))), f.name


def test_invalid_description_exits_2_naming_file_line_and_key(tmp_path):
    bad = tmp_path / "model.yml"
    bad.write_text("framework:\n  name: Model Openness Framework\n  version: '1.0'\n  date: '2024-12-15'\n"
                   "release:\n  name: x\n  producer: p\n  license: {}\n  type: robot\n  components: []\n")
    proc = run_cli("mot", "evaluate", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert f"{bad}:9: release.type" in proc.stderr and "expected one of" in proc.stderr


def test_missing_file_and_broken_yaml_exit_2(tmp_path):
    proc = run_cli("mot", "evaluate", str(tmp_path / "none.yml"))
    assert proc.returncode == 2 and "none.yml" in proc.stderr
    broken = tmp_path / "broken.yml"
    broken.write_text("release:\n  name: [x\n")
    proc = run_cli("mot", "evaluate", str(broken))
    assert proc.returncode == 2 and "broken.yml:2" in proc.stderr and "YAML syntax error" in proc.stderr


@pytest.mark.parametrize("example", ["open-science-model", "open-weights-restricted", "bare-code-repo"])
def test_export_round_trips_to_the_class_check_reports(tmp_path, example):
    out = tmp_path / "model.yml"
    proc = run_cli("mot", "export", str(EXAMPLES / example), "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    ours = validate.schema("mot.schema.json", "openness_gate.policy")
    assert _schema_valid(ours, validate.plain(yaml.safe_load(out.read_text())))
    ev = json.loads(run_cli("mot", "evaluate", "--format", "json", str(out)).stdout)[0]
    check = json.loads(run_cli("check", str(EXAMPLES / example), "--policy", "mof", "--format", "json").stdout)
    assert check["policy"]["extra"]["mof"]["class"] == ev["class"]
    assert check["policy"]["extra"]["mof"]["progress"] == ev["progress"]
