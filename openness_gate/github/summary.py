"""Markdown for the gate line and the base-vs-head changes, put above the policy report.

The policy report itself comes from ``report.render(result, "markdown")``; this module only
adds what the Action knows beyond one Result: the gate verdict (policy + regression rule) and
what the pull request adds and removes per component. Component ids and titles are ours;
statuses are from a fixed set; nothing from the repository is printed here unescaped.
"""

from __future__ import annotations

from openness_gate.policy.compare import GAINED, LOST, STRENGTHENED, WEAKENED, Comparison
from openness_gate.report.escape import md_code, md_text

#: the sign of each kind of change, in the order changes are told (the release notes use it too)
ICON = {GAINED: "➕", LOST: "➖", STRENGTHENED: "⬆", WEAKENED: "⬇"}


def score_delta(cmp: Comparison) -> str:
    """The score change, signed (``+5``, ``-3``, ``±0``)."""
    return f"{cmp.score_delta:+d}" if cmp.score_delta else "±0"


def gate_line(passed: bool, reasons: list[str], label: str = "Gate") -> str:
    """``label``: "Gate" on pull requests and pushes, "Release gate" on releases (our own words)."""
    if passed:
        return f"**{label}: passed.**"
    return f"**{label}: failed** — " + "; ".join(md_text(r, 400) for r in reasons) + "."


def changes_section(cmp: Comparison | None, note: str | None = None, since: str | None = None) -> list[str]:
    """"What this pull request changes" (empty list when there is no comparison and no note).
    ``since``: the previous release tag, on a release: "What changed since TAG" instead."""
    if cmp is None:
        return [f"_{'History' if since is not None else 'Base'} comparison skipped: {md_text(note, 400)}_", ""] \
            if note else []
    base = md_code((cmp.base_revision or "")[:12])
    delta = score_delta(cmp)
    if since is None:
        title, against, column = "What this pull request changes", f"against base {base}", "This PR"
    else:
        title, against, column = (f"What changed since {md_code(since)}", f"since {md_code(since)} ({base})",
                                  "This release")
    out = [f"### {title}", "", f"Score {cmp.score_before} → **{cmp.score_after}** ({delta}) {against}.", ""]
    if not cmp.changes:
        return out + ["No component changes status.", ""]
    out += [f"| | Component | {'Base' if since is None else 'Before'} | {column} |", "|---|---|---|---|"]
    for c in cmp.changes:
        out.append(f"| {ICON[c.kind]} {c.kind} | {md_text(c.title)} ({md_code(c.component)}) | {c.before} | "
                   f"**{c.after}** |")
    return out + [""]
