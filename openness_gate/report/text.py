"""Terminal report: the Markdown report's structure in terminal form.

Verdict, what is missing (required first) with why and how to fix it, the six dimensions,
then the evidence and waivers. Repository strings are cleaned of control characters so
they cannot drive the terminal.
"""

from __future__ import annotations

from openness_gate import taxonomy
from openness_gate.inventory import HEAD_READ
from openness_gate.report import view
from openness_gate.report.escape import clean
from openness_gate.result import Result

_COLOURS = {"present": "32", "partial": "33", "linked": "36", "missing": "31", "bold": "1", "dim": "2"}
_EVIDENCE_SHOWN = 3


def _paint(text: str, what: str, color: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if color else text


def _missing(result: Result, color: bool) -> list[str]:
    items = view.missing(result)
    if not items:
        return [_paint("Missing: nothing, every requirement is met", "bold", color)]
    req = sum(1 for i in items if i.required)
    lines = [_paint(f"Missing ({req} required, {len(items) - req} recommended)", "bold", color)]
    for i in items:
        r = i.requirement
        sev = _paint("required", "missing", color) if i.required else "recommended"
        comp = f" ({r.component})" if r.component else ""
        lines.append(f"  {_paint(view.MARKS['missing'], 'missing', color)} [{sev}] {clean(i.title)}{comp}: "
                     f"{clean(view.short_message(i))}")
        if i.why:
            lines.append(f"      why: {clean(i.why)}")
        lines.append(f"      fix: {clean(r.fix)}")
        if i.help_url:
            lines.append(_paint(f"      see: {i.help_url}", "dim", color))
    return lines


def _table(result: Result, color: bool) -> list[str]:
    rows = view.dimensions(result)
    width = max(len(r.title) for r in rows)
    lines = [_paint("Dimensions", "bold", color)]
    for row in rows:
        marks = " ".join(_paint(view.MARKS[f.status], f.status, color) for f in row.findings)
        lines.append(f"  {row.title:<{width}}  {row.found}/{row.total}  {marks}")
    lines.append(_paint(f"  {view.LEGEND}", "dim", color))
    return lines


def _facts(result: Result, color: bool) -> list[str]:
    facts = view.policy_facts(result)
    if not facts:
        return []
    lines = ["", _paint("Policy", "bold", color)]
    for f in facts:
        lines.append(f"  {clean(f.key)}" + (f": {clean(f.text, 500)}" if f.text else ""))
        lines += [f"    {clean(k)}: {clean(v, 500)}" for k, v in f.children]
    return lines


def _details(result: Result, color: bool) -> list[str]:
    lines: list[str] = []
    for row in view.dimensions(result):
        lines.append("")
        lines.append(_paint(f"{row.title} ({row.found}/{row.total})", "bold", color))
        for f in row.findings:
            comp = taxonomy.get(f.component)
            lines.append(f"  {_paint(view.MARKS[f.status], f.status, color)} {comp.title:<34} {f.status:<8} {f.component}")
            if f.unread:
                lines.append(_paint(f"      may be wrong: {len(f.unread)} file(s) unread, e.g. {clean(f.unread[0])}",
                                    "partial", color))
            if not f.found:
                continue
            for e in f.evidence[:_EVIDENCE_SHOWN]:
                where = view.where(e.path, e.line, e.url)
                lines.append(_paint(f"      {clean(where)}  {clean(e.reason)}", "dim", color))
            if len(f.evidence) > _EVIDENCE_SHOWN:
                lines.append(_paint(f"      … and {len(f.evidence) - _EVIDENCE_SHOWN} more", "dim", color))
    return lines


def _waivers(result: Result) -> list[str]:
    active, expired = view.waivers_in_force(result), view.expired_waivers(result)
    if not active and not expired:
        return []
    lines = ["", "Waivers"]
    for w, what in active:
        until = f" until {clean(w.expires)}" if w.expires else ""
        lines.append(f"  in force: {clean(what)}{until}: {clean(w.reason)}")
    for w in expired:
        lines.append(f"  EXPIRED: {clean(w.target)} ({clean(w.expires or '')}): {clean(w.reason)}")
    return lines


def _partial(result: Result) -> list[str]:
    """One line on content read in part or not at all, the first few files, the rest in the JSON."""
    partial = result.inventory.partial
    if not partial:
        return []
    heads = sum(1 for s in partial if s.reason.startswith(HEAD_READ))
    unread = len(partial) - heads
    budgets = f", {unread} not read (read budgets, each file with its reason)" if unread else ""
    lines = ["", f"Content read in part: {heads} file(s) by their head (size caps){budgets}. "
                 "Listed in the JSON report under inventory.partial."]
    lines += [f"  {clean(s.path)}: {clean(s.reason)}" for s in partial[:5]]
    return lines


def _skipped(result: Result, color: bool) -> list[str]:
    skipped = result.inventory.skipped
    if not skipped:
        return []
    lines = ["", _paint("Not inspected", "bold", color)]
    lines += [f"  {clean(s.path)}: {clean(s.reason)}" for s in skipped[:20]]
    if len(skipped) > 20:
        lines.append(f"  … and {len(skipped) - 20} more")
    return lines


def render(result: Result, color: bool = False) -> str:
    p = result.policy
    level = f", level {clean(p.level)}" if p.level else ""
    head = f"openness-gate: {view.verdict(result).upper()} (policy {clean(p.name)}, score {p.score}/100{level})"
    rev = f" @ {view.short_revision(result)}" if result.target.revision else ""
    lines = [_paint(head, "present" if p.passed else "missing", color),
             _paint(f"{clean(result.target.path_or_repo)}{rev}: {result.inventory.file_count} files", "dim", color),
             ""]
    if note := view.incomplete(result):
        lines += [_paint(note, "partial", color)]
        lines += [f"  {clean(s.path)}: {clean(s.reason)}" for s in result.inventory.incomplete[:5]]
        lines += [""]
    lines += _missing(result, color) + [""] + _table(result, color) + _facts(result, color) + _details(result, color)
    lines += _waivers(result) + _skipped(result, color) + _partial(result)
    return "\n".join(lines) + "\n"
