"""HTML report: one self-contained page (no network, no script) people would rather read than JSON.

The page shows the badge, a six-axis radar chart of the dimensions (inline SVG), what is
missing with how to fix it, and the evidence. A Content-Security-Policy forbids every
external load, so a hostile string that slipped through could not fetch anything either;
all repository strings are escaped (``escape.html_text``).
"""

from __future__ import annotations

import math

from openness_gate import __version__, taxonomy
from openness_gate.report import badge, page, view
from openness_gate.report.escape import html_prose, html_text
from openness_gate.result import Result


_CSS = """
:root{--ok:#2e7d32;--part:#b26a00;--link:#00838f;--miss:#c62828;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0}
*{box-sizing:border-box}
body{font:15px/1.5 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);margin:0;background:#f6f8fa}
main{max-width:980px;margin:0 auto;padding:24px}
header{display:flex;flex-wrap:wrap;align-items:center;gap:12px 20px;margin-bottom:8px}
h1{font-size:22px;margin:0}
h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);font-size:13px}
.incomplete{border-left:4px solid var(--part);padding:4px 12px;margin:12px 0}
.verdict-passed{color:var(--ok)}.verdict-failed{color:var(--miss)}
.grid{display:grid;grid-template-columns:minmax(300px,420px) 1fr;gap:20px;align-items:start}
@media (max-width:760px){.grid{grid-template-columns:1fr}}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 16px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
.marks span{display:inline-block;margin-right:4px}
.s-present{color:var(--ok)}.s-partial{color:var(--part)}.s-linked{color:var(--link)}.s-missing{color:var(--miss)}
ul.missing{list-style:none;padding:0;margin:0}
ul.missing li{background:#fff;border:1px solid var(--line);border-left:4px solid var(--part);border-radius:6px;padding:8px 12px;margin:8px 0}
ul.missing li.required{border-left-color:var(--miss)}
.sev{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
.why{color:var(--muted)}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;padding:1px 4px;border-radius:4px}
details{background:#fff;border:1px solid var(--line);border-radius:6px;margin:6px 0;padding:6px 12px}
summary{cursor:pointer;font-weight:600}
.ev{margin:2px 0 8px 22px;color:var(--muted);font-size:13px}
footer{margin-top:32px;color:var(--muted);font-size:12px}
"""


def _radar(rows: list[view.DimensionRow], width: int = 420, height: int = 330) -> str:
    """Six axes, one per dimension; the polygon reaches the rim when every component is found."""
    cx, cy = width / 2, height / 2
    radius = height / 2 - 50
    n = len(rows)

    def point(i: int, frac: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        return round(cx + radius * frac * math.cos(angle), 1), round(cy + radius * frac * math.sin(angle), 1)

    def poly(points: list[tuple[float, float]]) -> str:
        return " ".join(f"{x},{y}" for x, y in points)

    parts = []
    for ring in (0.25, 0.5, 0.75, 1.0):
        parts.append(f'<polygon points="{poly([point(i, ring) for i in range(n)])}" fill="none" stroke="#d1d9e0"/>')
    for i, row in enumerate(rows):
        x, y = point(i, 1.0)
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x}" y2="{y}" stroke="#d1d9e0"/>')
        lx, ly = point(i, 1.15)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        parts.append(f'<text x="{lx}" y="{ly}" text-anchor="{anchor}" dominant-baseline="middle" font-size="12" '
                     f'fill="#1f2328">{html_text(row.title)} {row.found}/{row.total}</text>')
    values = [point(i, row.found / row.total if row.total else 0) for i, row in enumerate(rows)]
    parts.append(f'<polygon class="data" points="{poly(values)}" fill="rgba(46,125,50,.25)" stroke="#2e7d32" '
                 f'stroke-width="2"/>')
    parts += [f'<circle cx="{x}" cy="{y}" r="3" fill="#2e7d32"/>' for x, y in values]
    label = "; ".join(f"{r.title} {r.found} of {r.total} found" for r in rows)
    return (f'<svg id="dimension-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{html_text(label, None)}">'
            f"<title>Components found per dimension</title>{''.join(parts)}</svg>")


def _dimension_table(rows: list[view.DimensionRow]) -> str:
    body = []
    for row in rows:
        marks = "".join(f'<span class="s-{f.status}" title="{html_text(taxonomy.get(f.component).title)}: '
                        f'{f.status}">{view.MARKS[f.status]}</span>' for f in row.findings)
        body.append(f"<tr><td>{html_text(row.title)}</td><td class=\"marks\">{marks}</td>"
                    f"<td>{row.found}/{row.total}</td></tr>")
    return ("<table><thead><tr><th>Dimension</th><th>Components</th><th>Found</th></tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table><p class=\"meta\">{html_text(view.LEGEND)}</p>")


def _missing(result: Result) -> str:
    items = view.missing(result)
    if not items:
        return "<p>Nothing: every requirement of the policy is met.</p>"
    lis = []
    for i in items:
        r = i.requirement
        comp = f" <code>{html_text(r.component)}</code>" if r.component else ""
        link = (f' <a href="{html_text(i.help_url, None)}" rel="noopener noreferrer">template / spec</a>'
                if i.help_url and i.help_url.startswith("https://") else "")
        lis.append(f'<li class="{"required" if i.required else "recommended"}">'
                   f'<div class="sev">{html_text(r.severity)}</div>'
                   f"<strong>{html_text(i.title)}</strong>{comp}: {html_prose(view.short_message(i))}"
                   + (f'<div class="why">{html_prose(i.why)}</div>' if i.why else "")
                   +                    f"<div><strong>Fix:</strong> {html_prose(r.fix)}{link}</div></li>")
    req = sum(1 for i in items if i.required)
    return f"<p>{req} required, {len(items) - req} recommended.</p><ul class=\"missing\">{''.join(lis)}</ul>"


def _evidence(result: Result) -> str:
    out = []
    for row in view.dimensions(result):
        items = []
        for f in row.findings:
            comp = taxonomy.get(f.component)
            ev = "".join(
                f'<div class="ev">{"<code>" + html_text(view.where(e.path, e.line, e.url)) + "</code> " if view.where(e.path, e.line, e.url) else ""}'
                f"{html_text(e.reason)}</div>" for e in f.evidence[:20])
            more = f'<div class="ev">… and {len(f.evidence) - 20} more</div>' if len(f.evidence) > 20 else ""
            items.append(f'<div><span class="s-{f.status}">{view.MARKS[f.status]}</span> '
                         f"{html_text(comp.title)} <code>{html_text(f.component)}</code> "
                         f'<span class="meta">{f.status}</span>{ev}{more}</div>')
        out.append(f"<details{' open' if row.found else ''}><summary>{html_text(row.title)} "
                   f"({row.found}/{row.total})</summary>{''.join(items)}</details>")
    return "".join(out)


def _facts(result: Result) -> str:
    facts = view.policy_facts(result)
    if not facts:
        return ""
    rows = ""
    for f in facts:
        rows += f"<tr><th colspan=\"2\">{html_text(f.key)}</th></tr>" if f.children else ""
        pairs = f.children if f.children else ((f.key, f.text),)
        rows += "".join(f"<tr><td>{html_text(k)}</td><td>{html_text(v, 500)}</td></tr>" for k, v in pairs)
    return f"<h2>Policy</h2><div class=\"card\"><table><tbody>{rows}</tbody></table></div>"


def _waivers(result: Result) -> str:
    active, expired = view.waivers_in_force(result), view.expired_waivers(result)
    if not active and not expired:
        return ""
    lis = [f"<li><code>{html_text(what)}</code>{' until ' + html_text(w.expires) if w.expires else ''}: "
           f"{html_text(w.reason)}</li>" for w, what in active]
    lis += [f"<li>expired: <code>{html_text(w.target)}</code> ({html_text(w.expires or '')}): {html_text(w.reason)}</li>"
            for w in expired]
    return f"<h2>Waivers</h2><ul>{''.join(lis)}</ul>"


def _incomplete(result: Result) -> str:
    note = view.incomplete(result)
    if note is None:
        return ""
    items = "".join(f"<li><code>{html_text(s.path)}</code>: {html_text(s.reason)}</li>"
                    for s in result.inventory.incomplete[:20])
    return f'<div class="incomplete" role="alert"><p>{html_text(note)}</p><ul>{items}</ul></div>'


def render(result: Result) -> str:
    p = result.policy
    rows = view.dimensions(result)
    verdict = view.verdict(result)
    rev = view.short_revision(result)
    level = f" · level <strong>{html_text(p.level)}</strong>" if p.level else ""
    target = html_text(result.target.path_or_repo) + (f" @ <code>{html_text(rev)}</code>" if rev else "")
    return page.document(f"openness-gate {verdict}: {html_text(result.target.path_or_repo)}", _CSS, f"""<main>
<header>
<div id="badge">{badge.svg(badge.LABEL, badge.message(result), badge.color_name(result), badge.describe(result))}</div>
<h1 class="verdict-{verdict}">openness-gate {verdict}</h1>
<div>policy <code>{html_text(p.name)}</code> · score <strong>{p.score}/100</strong>{level}</div>
</header>
<div class="meta">{target} · {result.inventory.file_count} files</div>{_incomplete(result)}
<h2>Dimensions</h2>
<div class="grid"><div class="card">{_radar(rows)}</div><div class="card">{_dimension_table(rows)}</div></div>
{_facts(result)}
<h2>Missing</h2>
{_missing(result)}
<h2>Evidence</h2>
{_evidence(result)}
{_waivers(result)}
<footer>Generated by openness-gate {html_text(__version__)}. This page loads nothing from the network.</footer>
</main>
""")
