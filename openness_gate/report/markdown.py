"""Markdown report: the body of the pull-request comment.

Layout: badge + verdict on the first line; "Missing" (required first, then recommended:
what, why, how to fix, link); a six-row dimension table; collapsible evidence; waivers.
Every repository string goes through ``escape`` (code spans or escaped text), so a card
cannot inject HTML, images, links or mentions. The body stays within GitHub's comment
limit: when too long, evidence is shortened first, then dropped, then the missing list is
cut, and the report says so.
"""

from __future__ import annotations

from urllib.parse import quote

from openness_gate import __version__, taxonomy
from openness_gate.report import badge, view
from openness_gate.report.escape import md_code, md_prose, md_text
from openness_gate.result import Result

MAX_CHARS = 65_536  # GitHub's limit for an issue or pull-request comment body
_EVIDENCE_STEPS = (None, 5, 1, 0)  # evidence items per component tried in turn; 0 = no details section


def badge_url(result: Result) -> str:
    """A static shields.io image URL: everything is in the URL, so it cannot go stale."""
    def part(s: str) -> str:
        return quote(s.replace("-", "--").replace("_", "__"), safe="")
    return f"https://img.shields.io/badge/{part(badge.LABEL)}-{part(badge.message(result))}-{badge.color_name(result)}"


def _headline(result: Result, image_url: str | None) -> str:
    p = result.policy
    alt = f"{badge.LABEL}: {view.verdict(result)}, {p.score}/100"  # only our own words in the alt text
    img = f"![{alt}]({image_url or badge_url(result)}) "
    level = f", level **{md_text(p.level)}**" if p.level else ""
    return f"{img}**openness-gate {view.verdict(result)}** — policy {md_code(p.name)}, score **{p.score}/100**{level}"


def _missing(items: list[view.MissingItem], limit: int | None = None) -> list[str]:
    if not items:
        return ["### Missing", "", "Nothing: every requirement of the policy is met.", ""]
    req = sum(1 for i in items if i.required)
    out = ["### Missing", "", f"{req} required, {len(items) - req} recommended.", ""]
    shown = items if limit is None else items[:limit]
    for i in shown:
        r = i.requirement
        comp = f" ({md_code(r.component)})" if r.component else ""
        sev = "**required**" if i.required else "recommended"
        out.append(f"- ✘ {sev} · **{md_text(i.title)}**{comp}: {md_prose(view.short_message(i))}  ")
        if i.why:
            out.append(f"  Why: {md_prose(i.why)}  ")
        link = f" — [how]({i.help_url})" if i.help_url else ""
        out.append(f"  Fix: {md_prose(r.fix)}{link}")
    if len(shown) < len(items):
        out.append(f"- … and {len(items) - len(shown)} more (see the JSON report)")
    out.append("")
    return out


def _table(result: Result) -> list[str]:
    out = ["### Dimensions", "", "| Dimension | Components | Found |", "|---|---|---|"]
    for row in view.dimensions(result):
        marks = " · ".join(f"{view.MARKS[f.status]} {md_text(taxonomy.get(f.component).title)}" for f in row.findings)
        out.append(f"| {row.title} | {marks} | {row.found}/{row.total} |")
    out += ["", view.LEGEND, ""]
    return out


def _facts(result: Result) -> list[str]:
    facts = view.policy_facts(result)
    if not facts:
        return []
    out = ["### Policy", ""]
    for f in facts:
        out.append(f"- {md_text(f.key)}" + (f": {md_code(f.text, 500)}" if f.text else ""))
        out += [f"  - {md_text(k)}: {md_code(v, 500)}" for k, v in f.children]
    return out + [""]


def _details(result: Result, per_component: int | None) -> list[str]:
    found = [f for f in result.components if f.found]
    out = [f"<details><summary>Evidence for the {len(found)} components found</summary>", ""]
    for f in found:
        comp = taxonomy.get(f.component)
        out.append(f"- {view.MARKS[f.status]} **{md_text(comp.title)}** ({md_code(f.component)}, {f.status})")
        ev = f.evidence if per_component is None else f.evidence[:per_component]
        for e in ev:
            loc = view.where(e.path, e.line, e.url)
            out.append(f"  - {md_code(loc) + ': ' if loc else ''}{md_text(e.reason)}")
        if len(ev) < len(f.evidence):
            out.append(f"  - … and {len(f.evidence) - len(ev)} more")
    out += ["", "</details>", ""]
    return out


def _waivers(result: Result) -> list[str]:
    active, expired = view.waivers_in_force(result), view.expired_waivers(result)
    if not active and not expired:
        return []
    out = [f"<details><summary>Waivers: {len(active)} in force, {len(expired)} expired</summary>", ""]
    for w, what in active:
        until = f" until {md_text(w.expires)}" if w.expires else ""
        out.append(f"- {md_code(what)}{until}: {md_text(w.reason)}")
    for w in expired:
        out.append(f"- expired {md_code(w.target)} ({md_text(w.expires or '')}): {md_text(w.reason)}")
    out += ["", "</details>", ""]
    return out


def _footer(result: Result) -> list[str]:
    rev = view.short_revision(result)
    at = f" at {md_code(rev)}" if rev else ""
    return [f"<sub>openness-gate {md_text(__version__)} · {md_code(result.target.path_or_repo)}{at} · "
            f"{result.inventory.file_count} files</sub>"]


def render(result: Result, badge_image: str | None = None, max_chars: int = MAX_CHARS) -> str:
    head = [_headline(result, badge_image), ""]
    if note := view.incomplete(result):
        head += [f"> ⚠️ {md_prose(note)}", ""]
    items = view.missing(result)
    tail = _waivers(result) + _footer(result)
    table = _table(result) + _facts(result)
    note_short = ["> Evidence shortened to fit the comment size limit; "
                  "`openness-gate check --format json` lists everything.", ""]
    for step in _EVIDENCE_STEPS:
        details = _details(result, step) if step != 0 else []
        note = note_short if step is not None else []
        text = "\n".join(head + _missing(items) + table + note + details + tail) + "\n"
        if len(text) <= max_chars:
            return text
    # Still too long: the missing list itself is huge. Keep as many items as fit.
    fixed = "\n".join(head + note_short + table + tail)
    budget = max_chars - len(fixed) - 200
    lo, hi = 0, len(items)
    while lo < hi:  # largest prefix of the missing list that fits
        mid = (lo + hi + 1) // 2
        if len("\n".join(_missing(items, mid))) <= budget:
            lo = mid
        else:
            hi = mid - 1
    text = "\n".join(head + _missing(items, lo) + table + note_short + tail) + "\n"
    return text[:max_chars]
