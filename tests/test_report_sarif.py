"""SARIF 2.1.0: valid against the official schema, one rule per requirement, real-file locations,
stable fingerprints, waived requirements left out."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import jsonschema
import pytest

from conftest import EXAMPLES, run_cli, shared_path
from openness_gate.record import replace
from openness_gate.report import sarif
from openness_gate.result import FAIL
from test_report_support import make_result

EXAMPLE_NAMES = ["open-science-model", "open-weights-restricted", "bare-code-repo"]


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(shared_path("data", "sarif", "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _run(name: str) -> dict:
    proc = run_cli("check", str(EXAMPLES / name), "--format", "sarif")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


def test_schema_validator_rejects_a_broken_log(validator):
    assert not validator.is_valid({"version": "2.1.0", "runs": [{"results": []}]})  # no tool: invalid


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_examples_validate_and_point_at_real_files(name, validator):
    log = _run(name)
    validator.validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len({r["id"] for r in rules}) == len(rules) and all(r["help"]["text"] for r in rules)
    assert run["automationDetails"]["id"].startswith("openness-gate/")
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        for loc in res.get("locations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            assert (EXAMPLES / name / uri).is_file(), uri  # a real file of the repository, never a fake URI


def test_one_result_per_failed_requirement_and_waived_ones_left_out(validator):
    result = make_result()
    log = sarif.to_dict(result)
    validator.validate(log)
    run = log["runs"][0]
    failed = [r.id for r in result.policy.requirements if r.outcome == FAIL]
    assert [r["ruleId"] for r in run["results"]] == failed
    assert "docs.datasheet" not in {r["ruleId"] for r in run["results"]}  # waived
    assert {r["id"] for r in run["tool"]["driver"]["rules"]} == {r.id for r in result.policy.requirements}
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels["docs.model_card"] == "error" and "warning" in levels.values()


def test_fingerprints_are_stable_and_distinct():
    a = sarif.to_dict(make_result())["runs"][0]["results"]
    b = sarif.to_dict(make_result(evidence_per_component=3))["runs"][0]["results"]  # other lines and files
    fa = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in a]
    fb = [r["partialFingerprints"][sarif.FINGERPRINT_KEY] for r in b]
    assert fa == fb and len(set(fa)) == len(fa)


def test_missing_component_points_at_the_config_or_readme_not_a_fake_uri():
    log = sarif.to_dict(make_result())
    for res in log["runs"][0]["results"]:
        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert "://" not in uri and not uri.startswith(("/", "..")) and " " not in uri.strip()
    missing = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "code.fine_tuning")  # no evidence at all
    assert missing["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == ".openness.yml"
    partial = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "docs.model_card")  # the file to fix
    assert partial["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("file_16_0.md")


def test_paths_become_uri_references(validator):
    """Paths with spaces, '#' or '%' are written as URI references; decoding gives the path back."""
    result = make_result()
    odd = "model #1 docs/100% <card>.md"
    result = replace(result, components=tuple(
        replace(f, evidence=tuple(replace(e, path=odd) for e in f.evidence)) if f.component == "docs.model_card" else f
        for f in result.components))
    log = sarif.to_dict(result)
    validator.validate(log)
    card = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "docs.model_card")
    uri = card["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "model%20%231%20docs/100%25%20%3Ccard%3E.md" and unquote(uri) == odd
    for r in log["runs"][0]["results"]:
        assert not re.search(r"[\s#<>\"]", r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])


def test_every_result_has_a_location_even_in_an_empty_repository(tmp_path, validator):
    """GitHub code scanning rejects a whole upload when one result has no location
    ("locationFromSarifResult: expected at least one location")."""
    (tmp_path / "notes.txt").write_text("nothing here\n")
    proc = run_cli("check", str(tmp_path), "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    validator.validate(log)
    results = log["runs"][0]["results"]
    assert results
    for res in results:
        assert len(res["locations"]) == 1
        loc = res["locations"][0]
        uri = loc["physicalLocation"]["artifactLocation"]["uri"]
        if (tmp_path / uri).is_file():
            continue
        # nothing in the repository relates to it: the config file where it can be declared or waived
        assert uri == ".openness.yml" and ".openness.yml" in loc["message"]["text"]
