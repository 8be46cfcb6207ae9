"""Terminal report: verdict, then the six dimensions with a mark per component and its evidence."""

from __future__ import annotations

from openness_gate import taxonomy
from openness_gate.result import FAIL, Result

MARKS = {"present": "✔", "partial": "◐", "linked": "↗", "missing": "✘"}
_COLOURS = {"present": "32", "partial": "33", "linked": "36", "missing": "31", "bold": "1", "dim": "2"}


def _paint(text: str, what: str, color: bool) -> str:
    return f"\x1b[{_COLOURS[what]}m{text}\x1b[0m" if color else text


def _clean(text: str) -> str:
    """Repository strings must not drive the terminal: drop control characters (ESC included)."""
    return "".join(ch if ch.isprintable() or ch == " " else "?" for ch in text)


def render(result: Result, color: bool = False) -> str:
    p = result.policy
    lines: list[str] = []
    verdict = "PASSED" if p.passed else "FAILED"
    level = f", level {p.level}" if p.level else ""
    head = f"openness-gate: {verdict} (policy {p.name}, score {p.score}/100{level})"
    lines.append(_paint(head, "present" if p.passed else "missing", color))
    rev = f" @ {result.target.revision[:12]}" if result.target.revision else ""
    lines.append(_paint(f"{_clean(result.target.path_or_repo)}{rev}: {result.inventory.file_count} files", "dim", color))
    by_dim: dict[str, list] = {d: [] for d in taxonomy.DIMENSIONS}
    for f in result.components:
        by_dim[f.dimension].append(f)
    for dim in taxonomy.DIMENSIONS:
        found = sum(1 for f in by_dim[dim] if f.found)
        lines.append("")
        lines.append(_paint(f"{taxonomy.DIMENSION_TITLES[dim]} ({found}/{len(by_dim[dim])})", "bold", color))
        for f in by_dim[dim]:
            comp = taxonomy.get(f.component)
            mark = _paint(MARKS[f.status], f.status, color)
            lines.append(f"  {mark} {comp.title:<34} {f.status:<8} {f.component}")
            if f.found:
                for e in f.evidence[:3]:
                    where = e.path or e.url or ""
                    if e.path and e.line:
                        where += f":{e.line}"
                    lines.append(_paint(f"      {_clean(where)}  {_clean(e.reason)}", "dim", color))
                if len(f.evidence) > 3:
                    lines.append(_paint(f"      … and {len(f.evidence) - 3} more", "dim", color))
    failed = [r for r in p.requirements if r.outcome == FAIL]
    if failed:
        lines.append("")
        lines.append(_paint("Missing", "bold", color))
        for r in sorted(failed, key=lambda r: r.severity != "required"):
            lines.append(f"  [{r.severity}] {_clean(r.message)}")
            lines.append(f"      fix: {_clean(r.fix)}")
    for w in p.waivers:
        state = "EXPIRED" if w.expired else "in force"
        until = f" until {w.expires}" if w.expires else ""
        lines.append(f"  waiver {state}: {_clean(w.target)}{until}: {_clean(w.reason)}")
    if result.inventory.skipped:
        lines.append("")
        lines.append(_paint("Not inspected", "bold", color))
        for s in result.inventory.skipped[:20]:
            lines.append(f"  {_clean(s.path)}: {s.reason}")
        if len(result.inventory.skipped) > 20:
            lines.append(f"  … and {len(result.inventory.skipped) - 20} more")
    return "\n".join(lines) + "\n"
