"""Markdown report (the body of the pull-request comment). Repository strings are escaped."""

from __future__ import annotations

import html
import re

from openness_gate import taxonomy
from openness_gate.report.text import MARKS
from openness_gate.result import FAIL, Result

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~@:])")


def escape(text: str) -> str:
    """Neutralise Markdown, HTML, links, images and @-mentions in a repository string."""
    text = html.escape(" ".join(str(text).split()), quote=True)
    return _MD_SPECIAL.sub(r"\\\1", text)


def render(result: Result) -> str:
    p = result.policy
    verdict = "passed" if p.passed else "failed"
    level = f", level **{escape(p.level)}**" if p.level else ""
    out = [f"**openness-gate {verdict}**: policy `{escape(p.name)}`, score **{p.score}/100**{level}", ""]
    failed = sorted((r for r in p.requirements if r.outcome == FAIL), key=lambda r: r.severity != "required")
    if failed:
        out += ["### Missing", ""]
        for r in failed:
            out.append(f"- **{r.severity}** {escape(r.message)}: {escape(r.fix)}")
        out.append("")
    out += ["| Dimension | Components |", "|---|---|"]
    for dim in taxonomy.DIMENSIONS:
        marks = " ".join(f"{MARKS[f.status]}&nbsp;{escape(taxonomy.get(f.component).title)}"
                         for f in result.components if f.dimension == dim)
        out.append(f"| {taxonomy.DIMENSION_TITLES[dim]} | {marks} |")
    return "\n".join(out) + "\n"
