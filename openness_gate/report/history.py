"""A model's openness across releases (``openness-gate history``) as text, Markdown, JSON or HTML.

One line per release: score, level, licence, and what changed since the previous release.
The HTML page adds an inline SVG line chart: the score and, per dimension, the share of its
components found, release after release (no script, no network). Repository strings (tags,
licence ids) are escaped for each medium.
"""

from __future__ import annotations

import json

from openness_gate import taxonomy
from openness_gate.history import History, Point
from openness_gate.report import page
from openness_gate.report.escape import clean, html_text, md_code, md_text

FORMATS = ("text", "markdown", "json", "html")
COLOURS = {"score": "#1f2328", "code": "#1565c0", "data": "#6a1b9a", "weights": "#2e7d32", "documentation": "#ef6c00",
           "distribution": "#00838f", "guardrails": "#c62828"}


def render(history: History, fmt: str) -> str:
    return {"text": _text, "markdown": _markdown, "json": _json, "html": _html}[fmt](history)


def _json(history: History) -> str:
    return json.dumps(history.to_dict(), indent=2, ensure_ascii=False) + "\n"


def changes_text(p: Point, esc=clean) -> str:  # type: ignore[no-untyped-def]
    """What changed since the previous release, in words (our words plus escaped licence ids)."""
    by_kind: dict[str, list[str]] = {}
    for cid, _before, _after, kind in p.changes:
        by_kind.setdefault(kind, []).append(taxonomy.get(cid).title)
    parts = [f"{kind}: {', '.join(titles)}" for kind, titles in by_kind.items()]
    if p.licence_change:
        before, after = (", ".join(ids) or "none" for ids in p.licence_change)
        parts.append(f"licence: {esc(before)} → {esc(after)}")
    return "; ".join(parts)


def _licence(p: Point) -> str:
    ids = ", ".join(p.licences) or "none"
    return f"{ids} ({', '.join(p.licence_classes)})" if p.licence_classes else ids


def _text(history: History) -> str:
    lines = [f"openness-gate history of {clean(history.path)} under policy {clean(history.policy)} "
             f"(digest {history.policy_digest}, {history.tool})", ""]
    for p in history.points:
        first = "first release checked" if p is history.points[0] else (changes_text(p) or "no change")
        lines.append(f"{clean(p.revision.label, 40):<20} {p.revision.date[:10]}  score {p.score:>3}  "
                     f"level {clean(p.level or '-', 20):<12} licence {clean(_licence(p), 80)}")
        lines.append(f"    {first}")
    if not history.points:
        lines.append("no release matched")
    return "\n".join(lines) + "\n"


def _markdown(history: History) -> str:
    out = [f"## Openness history of {md_code(history.path)}", "",
           f"Policy {md_code(history.policy)} (digest `{history.policy_digest}`), {md_text(history.tool)}.", "",
           "| Release | Date | Score | Level | Licence | Changes since the previous release |",
           "|---|---|---:|---|---|---|"]
    for p in history.points:
        what = "first release checked" if p is history.points[0] else (changes_text(p, md_text) or "no change")
        out.append(f"| {md_code(p.revision.label, 60)} | {p.revision.date[:10]} | {p.score} | "
                   f"{md_text(p.level or '–')} | {md_text(_licence(p), 120)} | {what} |")
    return "\n".join(out) + "\n"


def chart(history: History, width: int = 860, height: int = 320) -> str:
    """Inline SVG: the score and each dimension's share found (0–100 %), one x step per release."""
    pts = history.points
    left, right, top, bottom = 44, 150, 16, 70
    w, h = width - left - right, height - top - bottom
    n = max(1, len(pts) - 1)

    def x(i: int) -> float:
        return left + (w * i / n if len(pts) > 1 else w / 2)

    def y(v: float) -> float:
        return top + h * (1 - v / 100)

    parts = [f'<svg id="history-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="score and dimensions across {len(pts)} releases"><title>Openness across releases</title>']
    for v in (0, 25, 50, 75, 100):
        parts.append(f'<line x1="{left}" y1="{y(v):.1f}" x2="{left + w}" y2="{y(v):.1f}" stroke="#d1d9e0"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11" fill="#59636e">{v}</text>')
    for i, p in enumerate(pts):
        parts.append(f'<text x="{x(i):.1f}" y="{top + h + 14}" font-size="11" fill="#1f2328" text-anchor="end" '
                     f'transform="rotate(-35 {x(i):.1f} {top + h + 14})">{html_text(p.revision.label, 24)}</text>')
    series = [("score", "Score", [float(p.score) for p in pts], [str(p.score) for p in pts])]
    for d in taxonomy.DIMENSIONS:
        vals = [100 * p.dimensions[d][0] / p.dimensions[d][1] if p.dimensions[d][1] else 0.0 for p in pts]
        labels = [f"{p.dimensions[d][0]}/{p.dimensions[d][1]}" for p in pts]
        series.append((d, taxonomy.DIMENSION_TITLES[d], vals, labels))
    for k, (key, title, vals, labels) in enumerate(series):
        colour, dash = COLOURS[key], "" if key == "score" else ' stroke-dasharray="5 3"'
        width_px = 3 if key == "score" else 1.6
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(vals))
        parts.append(f'<polyline class="series" data-series="{key}" points="{coords}" fill="none" stroke="{colour}" '
                     f'stroke-width="{width_px}"{dash}/>')
        for i, (v, lab) in enumerate(zip(vals, labels)):
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"><title>{html_text(title)} at '
                         f'{html_text(pts[i].revision.label, 60)}: {html_text(lab)}</title></circle>')
        ly = top + 14 + 18 * k
        parts.append(f'<line x1="{left + w + 14}" y1="{ly - 4}" x2="{left + w + 34}" y2="{ly - 4}" stroke="{colour}" '
                     f'stroke-width="{width_px}"{dash}/><text x="{left + w + 40}" y="{ly}" font-size="12" '
                     f'fill="#1f2328">{html_text(title)}{" /100" if key == "score" else " %"}</text>')
    parts.append("</svg>")
    return "".join(parts)


_CSS = """
body{font:14px/1.45 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;margin:0;background:#f6f8fa}
main{max-width:1000px;margin:0 auto;padding:22px}h1{font-size:21px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:#59636e;font-size:12px}.card{background:#fff;border:1px solid #d1d9e0;padding:10px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #d1d9e0;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right}
"""


def _html(history: History) -> str:
    rows = []
    for p in history.points:
        what = "first release checked" if p is history.points[0] else (changes_text(p, str) or "no change")
        rows.append(f"<tr><td><code>{html_text(p.revision.label, 80)}</code></td><td>{html_text(p.revision.date[:10])}</td>"
                    f'<td class="n">{p.score}</td><td>{html_text(p.level or "–")}</td><td>{html_text(_licence(p), 160)}</td>'
                    f"<td>{html_text(what, 1000)}</td></tr>")
    return page.document(f"Openness history: {html_text(history.path)}", _CSS, f"""<main>
<h1>Openness history of <code>{html_text(history.path)}</code></h1>
<div class="meta">policy <code>{html_text(history.policy)}</code> (digest {html_text(history.policy_digest)}) · {html_text(history.tool)} · {len(history.points)} releases</div>
<h2>Score and dimensions</h2>
<div class="card">{chart(history)}</div>
<h2>Releases</h2>
<table><thead><tr><th>Release</th><th>Date</th><th>Score</th><th>Level</th><th>Licence</th><th>Changes since the previous release</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</main>
""")
