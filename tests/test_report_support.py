"""Builders for report tests (hostile and huge Results), plus tests of the shared report view."""

from __future__ import annotations

import re

from openness_gate import taxonomy
from openness_gate.findings import Evidence, Finding
from openness_gate.inventory import Skipped, Target
from openness_gate.report import view
from openness_gate.result import (FAIL, PASS, RECOMMENDED, REQUIRED, WAIVED, InventorySummary, PolicyResult,
                                  RequirementResult, Result, Waiver)

#: The hostile strings of the injection test, and a fake sticky-comment marker.
MARKER = "<!-- openness-gate-sticky-comment -->"
HOSTILE = ("<img src=x onerror=alert(1)> [click](javascript:alert(1)) @everyone <!-- --> "
           f"{MARKER} ![x](https://evil.example/t.png) <script>alert(2)</script> &#64;here \x1b[31mred")


def make_result(*, hostile: bool = False, evidence_per_component: int = 1, extra_requirements: int = 0,
                passed: bool = False, waived: bool = True, level: str | None = None) -> Result:
    """A Result with every taxonomy component; hostile strings in every repository-sourced field when asked."""
    h = HOSTILE if hostile else ""
    findings = []
    for i, comp in enumerate(taxonomy.COMPONENTS):
        if i % 3 == 2:
            findings.append(Finding(comp.id, "missing"))
            continue
        status = ("present", "partial", "linked")[i % 3 if i % 3 < 2 else 0] if i % 5 else "linked"
        ev = tuple(Evidence(reason=f"reason {n} {h}", path=f"dir{n}/{h}file_{i}_{n}.md", line=n + 1,
                            url=f"https://hub.example/{h}" if status == "linked" else None)
                   for n in range(evidence_per_component))
        findings.append(Finding(comp.id, status, ev, {"license_name": h or "MIT"}))
    w_active = Waiver("docs.datasheet", f"datasheet is upstream {h}", "2099-01-01", False, ".openness.yml")
    w_expired = Waiver("docs.changelog", f"old {h}", "2000-01-01", True, ".openness.yml")
    reqs = []
    for f in findings:
        sev = REQUIRED if f.component in ("docs.model_card", "distribution.license", "docs.datasheet") else RECOMMENDED
        outcome = PASS if f.status in ("present", "linked") else FAIL
        if f.component == "docs.datasheet" and waived:
            reqs.append(RequirementResult("docs.datasheet", f.component, sev, WAIVED, f"Datasheet waived {h}",
                                          "Add a datasheet", (f.component,), w_active))
            continue
        reqs.append(RequirementResult(f.component, f.component, sev, outcome, f"{f.component} is {f.status} {h}",
                                      f"Add `{f.component}.md` {h}", (f.component,)))
    for n in range(extra_requirements):
        reqs.append(RequirementResult(f"extra.{n}", None, RECOMMENDED, FAIL, f"extra requirement {n} {h}",
                                      f"do thing {n} {h}"))
    policy = PolicyResult(f"policy{h}" if hostile else "ai-stack", passed, 42, level or (h or None),
                          tuple(reqs), (w_active, w_expired), "builtin:ai-stack")
    inv = InventorySummary(file_count=123, lfs_pointers=2, skipped=(Skipped(f"bad{h}", "not UTF-8"),))
    return Result(Target("local", f"/repo/{h}", "0123456789abcdef0123456789abcdef01234567"), tuple(findings),
                  policy, inv)


def test_missing_lists_required_before_recommended_and_skips_waived_and_passed():
    items = view.missing(make_result())
    sev = [i.requirement.severity for i in items]
    assert sev == sorted(sev, key=lambda s: s != REQUIRED) and REQUIRED in sev and RECOMMENDED in sev
    assert all(i.requirement.outcome == FAIL for i in items)
    assert "docs.datasheet" not in {i.requirement.id for i in items}  # waived


def test_waivers_in_force_excludes_expired_ones():
    active = view.waivers_in_force(make_result())
    assert [what for _, what in active] == ["docs.datasheet"]
    assert [w.target for w in view.expired_waivers(make_result())] == ["docs.changelog"]


def test_help_links_name_real_components_and_are_https():
    links = view.help_links()
    assert links and set(links) <= set(taxonomy.BY_ID)
    assert all(re.match(r"https://[\w.-]+/", url) for url in links.values())


def test_dimension_rows_cover_the_six_dimensions_in_order():
    rows = view.dimensions(make_result())
    assert [r.dimension for r in rows] == list(taxonomy.DIMENSIONS)
    assert sum(r.total for r in rows) == len(taxonomy.COMPONENTS)


def write_hostile_repo(root) -> None:
    """A model repository whose card metadata, title, section text and file names carry HOSTILE strings."""
    import pathlib

    root = pathlib.Path(root)
    one_line = HOSTILE.replace("\x1b", "")
    quoted = one_line.replace("\\", "\\\\").replace('"', '\\"')
    (root / "README.md").write_text(
        "---\n"
        "license: other\n"
        f'license_name: "{quoted}"\n'
        "license_link: LICENSE\n"
        f'datasets:\n  - "{quoted}"\n'
        f'base_model: "{quoted}"\n'
        "---\n"
        f"# {one_line}\n\n"
        f"## Model Details\n\n{one_line}\n\n"
        f"## Training Data\n\n{one_line}\n\n"
        f"## Evaluation\n\n| task | score |\n|---|---|\n| {one_line} | 1 |\n",
        encoding="utf-8")
    (root / "LICENSE").write_text(f"{one_line}\nAll rights reserved.\n", encoding="utf-8")
    scripts = root / "scripts"
    scripts.mkdir()
    (scripts / "train_<img src=x onerror=alert(1)>.py").write_text("print('train')\n")
    (scripts / "eval_[click](javascript:alert(1)).py").write_text("print('eval')\n")
    (root / "@everyone.safetensors").write_bytes(b"")
