"""The comparison matrix (``openness-gate compare``) as Markdown, CSV, JSON or one HTML page.

Rows come ranked (``matrix.ranked``); each renderer only lays them out. The HTML page is self
contained (no network; one inline script allowed by its hash in the Content-Security-Policy):
sortable by any column, filterable by dimension and by name, heat-map coloured, readable from
20 to 200 models (sticky header, one narrow cell per component), printable; every cell links
to its evidence further down. Every repository string is escaped for its medium.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Sequence

from openness_gate import taxonomy
from openness_gate.findings import STATUS_RANK
from openness_gate.matrix import Matrix, Row, RowChange
from openness_gate.report import page
from openness_gate.report.escape import clean, csv_cell, html_text, md_code, md_text
from openness_gate.report.view import LEGEND, MARKS

FORMATS = ("markdown", "csv", "json", "html")
DIM_SHORT = {"code": "Code", "data": "Data", "weights": "Weights", "documentation": "Docs",
             "distribution": "Distribution", "guardrails": "Guardrails"}


def render(matrix: Matrix, fmt: str, changes: Sequence[RowChange] | None = None) -> str:
    return {"markdown": _markdown, "csv": _csv, "json": _json, "html": _html}[fmt](matrix, changes)


def _licence(row: Row) -> str:
    ids = ", ".join(row.licences) or "none found"
    return f"{ids} ({', '.join(row.licence_classes)})" if row.licence_classes else ids


def _osaid(row: Row) -> str:
    return "" if row.osaid is None else ("meets" if row.osaid else "does not meet")


def _marks(row: Row, dimension: str) -> str:
    return "".join(MARKS[row.cells[c.id].status] if c.id in row.cells else "·" for c in taxonomy.in_dimension(dimension))


# --- JSON and CSV ---------------------------------------------------------------------------------

def _json(matrix: Matrix, changes: Sequence[RowChange] | None) -> str:
    doc = matrix.to_dict()
    if changes is not None:
        doc["changes"] = [{"target": c.target, "kind": c.kind, "score_before": c.score_before,
                           "score_after": c.score_after, "revision_before": c.revision_before,
                           "revision_after": c.revision_after,
                           "cells": [{"component": cid, "before": b, "after": a} for cid, b, a in c.cells],
                           "licences": ({"before": list(c.licences[0]), "after": list(c.licences[1])}
                                        if c.licences else None)} for c in changes]
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _csv(matrix: Matrix, changes: Sequence[RowChange] | None) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["rank", "target", "kind", "revision", "score", "passed", "level", "licences", "licence_classes",
                "mof_class", "osaid", "incomplete", *(c.id for c in taxonomy.COMPONENTS), "error"])
    for i, r in enumerate(matrix.rows, 1):
        w.writerow([i, csv_cell(r.target), r.kind or "", csv_cell(r.revision or ""), "" if r.score is None else r.score,
                    "" if r.passed is None else r.passed, csv_cell(r.level or ""), csv_cell(";".join(r.licences)),
                    ";".join(r.licence_classes), csv_cell(r.mof_class or ""), "" if r.osaid is None else r.osaid,
                    r.incomplete, *(r.cells[c.id].status if c.id in r.cells else "" for c in taxonomy.COMPONENTS),
                    csv_cell(r.error or "")])
    return out.getvalue()


# --- Markdown -------------------------------------------------------------------------------------

def _markdown(matrix: Matrix, changes: Sequence[RowChange] | None) -> str:
    dims = " | ".join(DIM_SHORT[d] for d in taxonomy.DIMENSIONS)
    out = [f"## Openness comparison: {len(matrix.rows)} models under {md_code(matrix.policy)}", "",
           f"{md_text(matrix.tool)} · policy digest `{matrix.policy_digest}` · {LEGEND}; each dimension lists its "
           "components in taxonomy order.", "",
           f"| # | Model | Score | Licence | MOF | OSAID | {dims} |",
           "|---:|---|---:|---|---|---|" + "---|" * len(taxonomy.DIMENSIONS)]
    for i, r in enumerate(matrix.rows, 1):
        rev = f" @ {md_code(r.revision[:12])}" if r.revision else ""
        if r.error:
            out.append(f"| {i} | {md_code(r.target, 120)}{rev} | | ⚠️ {md_text(r.error, 200)} | | |"
                       + " |" * len(taxonomy.DIMENSIONS))
            continue
        flag = " ⚠️ incomplete" if r.incomplete else ""
        out.append(f"| {i} | {md_code(r.target, 120)}{rev}{flag} | {r.score} | {md_text(_licence(r), 120)} | "
                   f"{md_text(r.mof_class or 'none')} | {_osaid(r)} | "
                   + " | ".join(_marks(r, d) for d in taxonomy.DIMENSIONS) + " |")
    if changes is not None:
        out += ["", "### Changes since the baseline", ""]
        out += [f"- {md_code(c.target, 120)}: {_change_text(c, md_text)}" for c in changes] or ["- none"]
    return "\n".join(out) + "\n"


def _change_text(c: RowChange, esc) -> str:  # type: ignore[no-untyped-def]
    if c.kind != "changed":
        return c.kind
    parts = []
    if c.score_before != c.score_after:
        parts.append(f"score {c.score_before} → {c.score_after}")
    parts += [f"{taxonomy.get(cid).title} {b} → {a}" for cid, b, a in c.cells]
    if c.licences:
        parts.append(f"licence {esc(', '.join(c.licences[0]) or 'none')} → {esc(', '.join(c.licences[1]) or 'none')}")
    return "; ".join(parts) or "revision changed"


# --- HTML -----------------------------------------------------------------------------------------

_SCRIPT = """
(function(){
var table=document.getElementById('matrix'),body=table.tBodies[0];
function key(row,col,num){var c=row.cells[col];var v=c?c.getAttribute('data-v'):'';return num?parseFloat(v||'-1'):(v||'');}
table.querySelectorAll('th[data-col]').forEach(function(th){
 th.addEventListener('click',function(){
  var col=+th.getAttribute('data-col'),num=th.getAttribute('data-num')==='1',desc=th.getAttribute('aria-sort')!=='descending';
  table.querySelectorAll('th[aria-sort]').forEach(function(h){h.removeAttribute('aria-sort');});
  th.setAttribute('aria-sort',desc?'descending':'ascending');
  var rows=Array.prototype.slice.call(body.rows);
  rows.sort(function(a,b){var x=key(a,col,num),y=key(b,col,num);var r=x<y?-1:x>y?1:0;return desc?-r:r;});
  rows.forEach(function(r){body.appendChild(r);});
 });
});
document.querySelectorAll('input[data-dim]').forEach(function(cb){
 cb.addEventListener('change',function(){document.body.classList.toggle('hide-'+cb.getAttribute('data-dim'),!cb.checked);});
});
var q=document.getElementById('q');
q.addEventListener('input',function(){var s=q.value.toLowerCase();
 Array.prototype.forEach.call(body.rows,function(r){r.hidden=s&&r.getAttribute('data-name').indexOf(s)<0;});});
})();
"""
_CSS = """
:root{--ok:#2e7d32;--part:#b26a00;--link:#00838f;--miss:#c62828;--ink:#1f2328;--muted:#59636e;--line:#d1d9e0}
*{box-sizing:border-box}
body{font:14px/1.4 -apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--ink);margin:0;background:#f6f8fa}
main{padding:20px}
h1{font-size:21px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.meta{color:var(--muted);font-size:12px}
.controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:12px 0}
.controls input[type=search]{padding:3px 6px;min-width:14em}
.wrap{overflow:auto;max-height:80vh;border:1px solid var(--line);background:#fff}
table{border-collapse:separate;border-spacing:0;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;white-space:nowrap}
thead th{position:sticky;background:#fff;z-index:1}
thead tr:first-child th{top:0}thead tr:nth-child(2) th{top:27px}
th[data-col]{cursor:pointer}th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
th.comp{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;font-size:11px;height:190px;padding:4px 2px;vertical-align:bottom}
td.c{padding:0;text-align:center;width:20px;min-width:20px}td.c a{display:block;padding:3px 0;color:inherit;text-decoration:none}
td.s-present{background:#c8e6c9}td.s-partial{background:#ffe0b2}td.s-linked{background:#b2ebf2}td.s-missing{background:#ffcdd2}
td.n{text-align:right;font-variant-numeric:tabular-nums}
td.first{border-left:2px solid #8c959f}
tr.err td{color:#a60}
.hide-code .dim-code,.hide-data .dim-data,.hide-weights .dim-weights,.hide-documentation .dim-documentation,
.hide-distribution .dim-distribution,.hide-guardrails .dim-guardrails{display:none}
details{background:#fff;border:1px solid var(--line);margin:4px 0;padding:4px 10px}
dl{margin:6px 0}dt{font-weight:600}dd{margin:0 0 6px 16px}dd ul{margin:0;padding-left:18px}
@media print{.controls{display:none}.wrap{max-height:none;overflow:visible;border:0}body{background:#fff}
thead th{position:static}details{page-break-inside:avoid}details:not([open])>*:not(summary){display:block}}
"""


def _score_style(score: int | None) -> str:
    if score is None:
        return ""
    return f' style="background:hsl({int(1.2 * score)},60%,{90 - score * 0.15:.0f}%)"'


def _html_row(i: int, r: Row) -> str:
    name = html_text(r.target, 200)
    rev = f'<div class="meta">{html_text(r.revision[:12])}</div>' if r.revision else ""
    if r.error:
        span = 4 + len(taxonomy.COMPONENTS)
        return (f'<tr class="err" data-name="{html_text(r.target.lower(), 200)}"><td class="n" data-v="{i}">{i}</td>'
                f'<td data-v="{name}"><code>{name}</code>{rev}</td><td class="n" data-v="-1"></td>'
                f'<td colspan="{span}">⚠️ {html_text(r.error, 300)}</td></tr>')
    cells = []
    for d in taxonomy.DIMENSIONS:
        for j, c in enumerate(taxonomy.in_dimension(d)):
            cell, status = r.cells.get(c.id), r.status(c.id)
            unread = " — may be wrong: a file was left unread" if cell and cell.unread else ""
            first = " first" if j == 0 else ""
            cells.append(f'<td class="c s-{status} dim-{d}{first}" data-v="{STATUS_RANK[status]}">'
                         f'<a href="#e{i}-{c.id}" title="{html_text(c.title)}: {status}{unread}">{MARKS[status]}</a></td>')
    flag = ' <span title="incomplete verdict">⚠️</span>' if r.incomplete else ""
    osaid = _osaid(r)
    return (f'<tr data-name="{html_text(r.target.lower(), 200)}"><td class="n" data-v="{i}">{i}</td>'
            f'<td data-v="{name}"><code>{name}</code>{flag}{rev}</td>'
            f'<td class="n" data-v="{r.score}"{_score_style(r.score)}>{r.score}</td>'
            f'<td data-v="{html_text(_licence(r), 200)}">{html_text(_licence(r), 200)}</td>'
            f'<td data-v="{html_text(r.mof_class or "")}">{html_text(r.mof_class or "none")}</td>'
            f'<td data-v="{osaid}">{osaid}</td>{"".join(cells)}</tr>')


def _evidence(i: int, r: Row) -> str:
    if r.error:
        return ""
    items = []
    for c in taxonomy.COMPONENTS:
        cell = r.cells.get(c.id)
        if cell is None:
            continue
        lis = "".join(f"<li><code>{html_text(e.get('path') or e.get('url') or '')}"
                      f"{':' + str(e['line']) if e.get('line') else ''}</code> {html_text(e.get('reason', ''))}</li>"
                      for e in cell.evidence)
        items.append(f'<dt id="e{i}-{c.id}">{html_text(c.title)}: {cell.status}</dt>'
                     f"<dd>{'<ul>' + lis + '</ul>' if lis else 'no evidence'}</dd>")
    return f'<details id="e{i}"><summary><code>{html_text(r.target, 200)}</code></summary><dl>{"".join(items)}</dl></details>'


def _html(matrix: Matrix, changes: Sequence[RowChange] | None) -> str:
    col = 6  # rank, model, score, licence, MOF, OSAID come first
    top = ['<th rowspan="2" data-col="0" data-num="1">#</th>', '<th rowspan="2" data-col="1">Model</th>',
           '<th rowspan="2" data-col="2" data-num="1">Score</th>', '<th rowspan="2" data-col="3">Licence</th>',
           '<th rowspan="2" data-col="4">MOF</th>', '<th rowspan="2" data-col="5">OSAID</th>']
    second = []
    for d in taxonomy.DIMENSIONS:
        comps = taxonomy.in_dimension(d)
        top.append(f'<th colspan="{len(comps)}" class="dim-{d}">{html_text(taxonomy.DIMENSION_TITLES[d])}</th>')
        for c in comps:
            second.append(f'<th class="comp dim-{d}" data-col="{col}" data-num="1" title="{html_text(c.title)}">'
                          f"{html_text(c.title)}</th>")
            col += 1
    rows = "".join(_html_row(i, r) for i, r in enumerate(matrix.rows, 1))
    evidence = "".join(_evidence(i, r) for i, r in enumerate(matrix.rows, 1))
    boxes = "".join(f'<label><input type="checkbox" data-dim="{d}" checked> {html_text(taxonomy.DIMENSION_TITLES[d])}'
                    "</label>" for d in taxonomy.DIMENSIONS)
    change_html = ""
    if changes is not None:
        lis = "".join(f"<li><code>{html_text(c.target, 200)}</code>: {html_text(_change_text(c, str), 600)}</li>"
                      for c in changes) or "<li>none</li>"
        change_html = f"<h2>Changes since the baseline</h2><ul>{lis}</ul>"
    errors = sum(1 for r in matrix.rows if r.error)
    return page.document(f"Openness comparison: {len(matrix.rows)} models", _CSS, f"""<main>
<h1>Openness comparison: {len(matrix.rows)} models</h1>
<div class="meta">policy <code>{html_text(matrix.policy)}</code> (digest {html_text(matrix.policy_digest)}) · {html_text(matrix.tool)} · {errors} could not be checked · {LEGEND} · click a header to sort, a cell for its evidence</div>
<div class="controls"><input type="search" id="q" placeholder="filter models by name" aria-label="filter models by name"><span>Dimensions:</span>{boxes}</div>
<div class="wrap"><table id="matrix"><thead><tr>{"".join(top)}</tr><tr>{"".join(second)}</tr></thead><tbody>{rows}</tbody></table></div>
{change_html}
<h2>Evidence</h2>
{evidence}
</main>
""", script=_SCRIPT)


def text_line(row: Row) -> str:
    """One progress line on standard error (repository strings cleaned of control characters)."""
    what = f"error: {clean(row.error, 200)}" if row.error else f"score {row.score}"
    return f"{clean(row.target, 120)}: {what}"
