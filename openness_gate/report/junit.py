"""JUnit XML (``--format junit``): the policy as a test suite, for CI systems that read JUnit.

GitLab, Jenkins, Azure Pipelines and most CI servers show JUnit reports as test results. One
test case per policy requirement, named by its id and grouped (``classname``) by dimension:
a failed required requirement is a ``<failure>`` (what is missing and how to fix it), a failed
recommended one is ``<skipped>`` with the reason (reported, not blocking), a waived one is
``<skipped>`` with the waiver; passed requirements pass. The suite's properties carry the
verdict. The counts follow the JUnit rules consumers check (tests = test cases, failures =
failure elements, skipped = skipped elements). Repository strings are cleaned of control
characters (invalid in XML 1.0) and escaped by the XML serialiser.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from openness_gate import __version__, taxonomy
from openness_gate.report.escape import clean
from openness_gate.result import FAIL, REQUIRED, WAIVED, RequirementResult, Result

_LONG = 2000  # characters of a message body


def _classname(r: RequirementResult) -> str:
    """``openness.DIMENSION`` (a group requirement named after a dimension too), else ``openness.policy``."""
    comp = taxonomy.BY_ID.get(r.component or "")
    dimension = comp.dimension if comp else r.id if r.id in taxonomy.DIMENSION_TITLES else "policy"
    return f"openness.{dimension}"


def _case(suite: ET.Element, r: RequirementResult) -> str:
    """Add the test case of ``r``; returns its outcome as JUnit counts it."""
    comp = taxonomy.BY_ID.get(r.component or "")
    title = comp.title if comp else taxonomy.DIMENSION_TITLES.get(r.id, r.id)
    case = ET.SubElement(suite, "testcase", classname=_classname(r), name=clean(f"{r.id}: {title}", 300), time="0")
    if r.outcome == FAIL and r.severity == REQUIRED:
        failure = ET.SubElement(case, "failure", message=clean(r.message, 500), type="required")
        failure.text = clean(f"{r.message}. Fix: {r.fix}", _LONG)
        return "failure"
    if r.outcome == FAIL:
        ET.SubElement(case, "skipped", message=clean(f"recommended, not met: {r.message}. Fix: {r.fix}", _LONG))
        return "skipped"
    if r.outcome == WAIVED and r.waiver is not None:
        until = f" until {r.waiver.expires}" if r.waiver.expires else ""
        ET.SubElement(case, "skipped", message=clean(f"waived{until}: {r.waiver.reason}", _LONG))
        return "skipped"
    return "pass"


def to_element(result: Result) -> ET.Element:
    p = result.policy
    root = ET.Element("testsuites", name="openness-gate")
    suite = ET.SubElement(root, "testsuite", name=clean(f"openness-gate policy {p.name}", 300),
                          hostname="openness-gate", time="0")
    props = ET.SubElement(suite, "properties")
    facts = {"tool": f"openness-gate {__version__}", "target": result.target.path_or_repo,
             "revision": result.target.revision or "", "policy": p.name, "passed": str(p.passed).lower(),
             "score": str(p.score), "level": p.level or "", "incomplete": str(result.incomplete).lower()}
    for name, value in facts.items():
        ET.SubElement(props, "property", name=name, value=clean(value, 500))
    outcomes = [_case(suite, r) for r in p.requirements]
    counts = {"tests": len(outcomes), "failures": outcomes.count("failure"), "errors": 0,
              "skipped": outcomes.count("skipped")}
    for element in (root, suite):
        for key, value in counts.items():
            element.set(key, str(value))
    return root


def render(result: Result) -> str:
    root = to_element(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
