"""The Markdown report (PR comment body) and the text report: structure, escaping, size limit."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES, run_cli
from openness_gate import taxonomy
from openness_gate.report import markdown, text, view
from test_report_support import HOSTILE, MARKER, make_result

OWN_TAGS = re.compile(r"</?(details|summary|sub)>")


def _strip_code_spans(md: str) -> str:
    """Remove CommonMark code spans (a backtick run closed by a run of the same length)."""
    out, i = [], 0
    while i < len(md):
        ch = md[i]
        if ch == "\\" and i + 1 < len(md):
            out.append(md[i:i + 2])
            i += 2
            continue
        if ch == "`":
            j = i
            while j < len(md) and md[j] == "`":
                j += 1
            run = md[i:j]
            close = re.compile(rf"(?<!`){run}(?!`)").search(md, j)
            if close:
                i = close.end()
                continue
            out.append(run)
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def live_markup(md: str) -> list[str]:
    """Anything in ``md`` that a Markdown renderer would turn into HTML, a link, an image or a mention,
    apart from our own badge image, help links and <details>/<summary>/<sub> tags."""
    lines = md.split("\n")
    lines[0] = re.sub(r"^!\[[^\]`]*\]\(https://img\.shields\.io/badge/[^)\s]*\) ", "", lines[0])
    body = "\n".join(lines)
    links = "|".join(re.escape(u) for u in view.help_links().values())
    body = re.sub(rf" — \[how\]\(({links})\)", "", body)
    body = _strip_code_spans(body)
    body = re.sub(r"\\.", "", body)  # backslash escapes render literally
    body = OWN_TAGS.sub("", body)
    found = []
    for pattern in (r"<", r"\[", r"\]\(", r"@\w", r"&#", r"&\w+;", r"\x1b", r"https?://", r"www\."):
        found += re.findall(pattern, body)
    return found


def test_live_markup_detector_sees_an_unescaped_string():
    assert live_markup("first line\n" + HOSTILE)  # the check below could not pass vacuously


@pytest.mark.parametrize("name", ["open-science-model", "open-weights-restricted", "bare-code-repo"])
def test_markdown_structure_on_examples(name):
    proc = run_cli("check", str(EXAMPLES / name), "--format", "markdown")
    assert proc.returncode in (0, 1), proc.stderr
    md = proc.stdout
    first = md.splitlines()[0]
    assert first.startswith("![openness: ") and ("passed" in first) == (proc.returncode == 0)
    assert "score **" in first and "policy `" in first
    order = [md.index(h) for h in ("### Missing", "### Dimensions", "<details><summary>Evidence")]
    assert order == sorted(order)
    rows = [ln for ln in md.splitlines() if ln.startswith("| ") and not ln.startswith("| Dimension")]
    assert [r.split(" | ")[0][2:] for r in rows] == list(taxonomy.DIMENSION_TITLES.values())
    assert not live_markup(md)


def test_required_items_come_before_recommended_with_fix_and_link():
    md = markdown.render(make_result())
    missing = md[md.index("### Missing"):md.index("### Dimensions")]
    sev = re.findall(r"^- ✘ (\*\*required\*\*|recommended)", missing, re.M)
    assert sev and sev == sorted(sev, key=lambda s: s != "**required**")
    assert "Why:" in missing and "Fix:" in missing and "[how](https://" in missing
    assert "Datasheet" not in missing  # waived: not missing
    assert "docs.datasheet" in md[md.index("Waivers"):]  # but listed among the waivers in force


def test_hostile_strings_are_not_live_in_markdown():
    md = markdown.render(make_result(hostile=True, evidence_per_component=2))
    assert not live_markup(md), live_markup(md)[:10]
    assert MARKER not in md and "<!--" not in md
    assert "onerror" in md  # the text is shown, only neutralised


def test_hostile_strings_do_not_reach_the_terminal():
    out = text.render(make_result(hostile=True))
    assert "\x1b" not in out
    assert "onerror" in out


def test_markdown_with_5000_evidence_items_fits_and_says_it_was_shortened():
    result = make_result(evidence_per_component=250)
    assert sum(len(f.evidence) for f in result.components) >= 5000
    md = markdown.render(result)
    assert len(md) <= markdown.MAX_CHARS
    assert "shortened" in md
    for item in view.missing(result):  # shortening never drops a missing item when details suffice
        assert item.title.replace("-", "\\-") in md or item.title in md


def test_markdown_with_5000_failed_requirements_fits_and_counts_the_rest():
    md = markdown.render(make_result(extra_requirements=5000, evidence_per_component=20))
    assert len(md) <= markdown.MAX_CHARS
    assert re.search(r"… and \d+ more", md)
    assert "### Dimensions" in md


def test_text_report_has_the_markdown_structure():
    out = text.render(make_result())
    order = [out.index(h) for h in ("FAILED", "Missing (", "Dimensions", "\nCode (", "Waivers")]
    assert order == sorted(order)
    assert "why:" in out and "fix:" in out


def test_policy_specific_facts_are_shown_escaped():
    from openness_gate import record

    from test_report_support import HOSTILE

    r = make_result()
    extra = {"mof": {"class": 2, "label": "Class II", "progress": {"1": 60, "2": 100}, "warnings": []},
             "pass_level": "Class III", "note": HOSTILE}
    r = record.replace(r, policy=record.replace(r.policy, extra=extra))
    md = markdown.render(r)
    assert "- mof\n  - class: `2`\n  - label: `Class II`\n  - progress: `1: 60, 2: 100`\n" in md
    assert "warnings" not in md  # empty values are left out
    assert "- pass\\_level: `Class III`" in md or "- pass_level: `Class III`" in md
    assert not live_markup(md)
    out = text.render(r)
    assert "    progress: 1: 60, 2: 100" in out and "\x1b" not in out


def test_group_requirement_is_listed_with_what_it_covers():
    from openness_gate import record

    from openness_gate.result import FAIL, REQUIRED, RequirementResult

    r = make_result()
    group = RequirementResult("guardrails", None, REQUIRED, FAIL, "no guardrails found", "publish one",
                              ("docs.red_teaming", "guardrails.programmable"))
    r = record.replace(r, policy=record.replace(r.policy, requirements=(group,)))
    md = markdown.render(r)
    assert "**Guardrails**" in md
    assert "Looks at: Red-teaming results, Programmable guardrails" in md.replace("\\", "")
