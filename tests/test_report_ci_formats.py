"""JUnit XML and GitLab Code Quality: what other CI systems read, checked as they read it.

JUnit: parsed with ``xml.etree``; the counts a consumer checks agree with the elements; the
failures are exactly the failed required requirements. Code Quality: one issue per failed
requirement, unique fingerprints, a valid severity, a real path of the repository and a line.
Hostile repository strings stay inert in both. The CI recipes in ``docs/ci/`` parse.
"""

from __future__ import annotations

import json
import pathlib
import xml.etree.ElementTree as ET

import pytest
import yaml

from conftest import EXAMPLES, ROOT, run_cli
from openness_gate.checker import check
from openness_gate.report import render
from openness_gate.result import FAIL, REQUIRED
from test_report_support import HOSTILE, make_result, write_hostile_repo

EXAMPLE_NAMES = ["bare-code-repo", "open-science-model", "open-weights-restricted"]
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def junit(result) -> ET.Element:
    return ET.fromstring(render(result, "junit").encode("utf-8"))


def assert_consistent_counts(root: ET.Element) -> None:
    """What JUnit consumers (Jenkins, GitLab, Azure) check: each count equals its elements."""
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    for element, cases in ((root, root.iter("testcase")), (suites[0], suites[0].findall("testcase"))):
        cases = list(cases)
        failures = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        assert int(element.get("tests")) == len(cases)
        assert int(element.get("failures")) == failures
        assert int(element.get("skipped")) == skipped
        assert int(element.get("errors")) == 0
    for case in suites[0].findall("testcase"):
        assert case.get("name") and case.get("classname")
        assert len([c for c in case if c.tag in ("failure", "skipped", "error")]) <= 1


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_junit_has_one_case_per_requirement_and_fails_exactly_the_failed_required_ones(name):
    result = check(str(EXAMPLES / name))
    root = junit(result)
    assert_consistent_counts(root)
    cases = root.find("testsuite").findall("testcase")
    assert [c.get("name").split(":")[0] for c in cases] == [r.id for r in result.policy.requirements]
    failed = [c.get("name").split(":")[0] for c in cases if c.find("failure") is not None]
    assert failed == [r.id for r in result.policy.failed(REQUIRED)]
    props = {p.get("name"): p.get("value") for p in root.find("testsuite/properties")}
    assert props["passed"] == str(result.policy.passed).lower() and props["score"] == str(result.policy.score)


def test_junit_skips_recommended_and_waived_requirements_with_the_reason():
    result = make_result(waived=True)
    cases = {c.get("name").split(":")[0]: c for c in junit(result).iter("testcase")}
    for r in result.policy.requirements:
        skipped = cases[r.id].find("skipped")
        if r.outcome == FAIL and r.severity != REQUIRED:
            assert skipped is not None and skipped.get("message").startswith("recommended, not met")
        elif r.waiver is not None:
            assert skipped is not None and "waived until 2099-01-01" in skipped.get("message")
        else:
            assert skipped is None


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_code_quality_issues_point_at_real_files_with_unique_fingerprints(name):
    result = check(str(EXAMPLES / name))
    issues = json.loads(render(result, "codequality"))
    assert len(issues) == len(result.policy.failed())
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in SEVERITIES and issue["type"] == "issue"
        assert issue["check_name"].startswith("openness-gate/") and issue["description"]
        assert (EXAMPLES / name / issue["location"]["path"]).is_file(), issue["location"]
        assert issue["location"]["lines"]["begin"] >= 1
    required = {r.id for r in result.policy.failed(REQUIRED)}
    assert {i["check_name"].split("/", 1)[1] for i in issues if i["severity"] == "major"} == required


def test_code_quality_fingerprints_survive_a_change_elsewhere_in_the_repository(tmp_path):
    import shutil

    shutil.copytree(EXAMPLES / "bare-code-repo", tmp_path / "repo")
    before = {i["check_name"]: i["fingerprint"] for i in json.loads(render(check(str(tmp_path / "repo")), "codequality"))}
    (tmp_path / "repo" / "notes.md").write_text("# notes\n\nunrelated\n")
    after = {i["check_name"]: i["fingerprint"] for i in json.loads(render(check(str(tmp_path / "repo")), "codequality"))}
    assert before == after


def test_hostile_strings_stay_inert_in_junit_and_code_quality():
    result = make_result(hostile=True, evidence_per_component=2, extra_requirements=3)
    root = junit(result)  # parses: nothing broke out of an attribute or a text node
    assert_consistent_counts(root)
    assert len(root.find("testsuite").findall("testcase")) == len(result.policy.requirements)
    assert {e.tag for e in root.iter()} <= {"testsuites", "testsuite", "properties", "property", "testcase",
                                            "failure", "skipped"}
    text = render(result, "junit")
    assert "<img" not in text and "<!--" not in text and "\x1b" not in text
    issues = json.loads(render(result, "codequality"))
    assert all(set(i) == {"type", "check_name", "description", "categories", "severity", "fingerprint", "location"}
               for i in issues)
    assert any("onerror" in i["description"] for i in issues)  # shown as data, not dropped
    assert not any(ch in json.dumps(issues, ensure_ascii=False) for ch in "\x1b\x00")


def test_a_hostile_repository_gives_parseable_junit_and_code_quality(tmp_path):
    write_hostile_repo(tmp_path)
    for fmt in ("junit", "codequality"):
        out = run_cli("check", str(tmp_path), "--format", fmt)
        assert out.returncode in (0, 1) and "Traceback" not in out.stderr, out.stderr
        parsed = ET.fromstring(out.stdout.encode()) if fmt == "junit" else json.loads(out.stdout)
        assert parsed is not None
    assert HOSTILE  # the fixture's strings are the ones the other reporters are tested with


CI_DOCS = ROOT / "docs" / "ci"


@pytest.mark.parametrize("name", ["gitlab-ci.yml", "azure-pipelines.yml"])
def test_ci_recipes_parse_and_run_the_documented_formats(name):
    doc = yaml.safe_load((CI_DOCS / name).read_text(encoding="utf-8"))
    text = json.dumps(doc)
    for fmt in ("junit",) + (("codequality",) if name.startswith("gitlab") else ()):
        assert f"--format {fmt}" in text, fmt
    assert "openness-gate check" in text


def test_gitlab_recipe_publishes_code_quality_and_junit_reports_even_when_the_gate_fails():
    job = yaml.safe_load((CI_DOCS / "gitlab-ci.yml").read_text(encoding="utf-8"))["openness"]
    assert job["artifacts"]["when"] == "always"
    assert set(job["artifacts"]["reports"]) == {"codequality", "junit"}


def test_the_jenkins_stage_runs_the_check_and_records_junit():
    text = (CI_DOCS / "Jenkinsfile").read_text(encoding="utf-8")
    assert "openness-gate check" in text and "--format junit" in text and "junit " in text
    assert text.count("{") == text.count("}")


def test_every_format_the_docs_name_is_one_the_cli_accepts():
    from openness_gate.report import FORMATS

    for path in pathlib.Path(CI_DOCS).iterdir():
        for fmt in ("junit", "codequality"):
            if f"--format {fmt}" in path.read_text(encoding="utf-8"):
                assert fmt in FORMATS
