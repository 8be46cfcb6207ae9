"""Organisation scan reports: text, JSON, CSV, Markdown and a self-contained HTML dashboard.

An OrgReport in, text out; rows come from the scan, nothing is judged here. Repository names,
policy names and messages come from the organisation's repositories and are escaped.
"""

from __future__ import annotations

import csv
import io
import json

from openness_gate import taxonomy
from openness_gate.errors import UsageError
from openness_gate.org_result import OrgReport, RepoRow
from openness_gate.report import escape

FORMATS = ("text", "json", "csv", "markdown", "html")


def _verdict(row: RepoRow) -> str:
    return "error" if row.passed is None else ("pass" if row.passed else "fail")


def _shown(row: RepoRow) -> str:
    """The verdict as a person reads it: an incomplete one is marked (see the README)."""
    return _verdict(row) + (" (incomplete)" if row.incomplete else "")


def _dim(row: RepoRow, dim: str) -> str:
    found, total = (row.dimensions.get(dim) or [0, 0])[:2]
    return f"{found}/{total}" if total else "-"


def render(report: OrgReport, fmt: str) -> str:
    try:
        return {"text": _text, "json": _json, "csv": _csv, "markdown": _markdown, "html": _html}[fmt](report)
    except KeyError:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})") from None


def _json(report: OrgReport) -> str:
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"


def _text(report: OrgReport) -> str:
    t = report.totals()
    lines = [f"openness-gate org scan: {escape.clean(report.org)} — policy {escape.clean(report.policy)} "
             f"({escape.clean(report.policy_source)})",
             f"{t['repositories']} repositories: {t['passed']} passed, {t['failed']} failed, {t['errors']} errors"
             f" ({t['cached']} unchanged since the last scan)", ""]
    dims = "".join(f"{d[:5]:>7}" for d in taxonomy.DIMENSIONS)
    lines.append(f"{'repository':<40} {'verdict':<7} {'score':>5} {'level':<12}{dims}  missing required")
    for r in report.rows:
        level = escape.clean(r.level or "", 12)
        score = "" if r.score is None else str(r.score)
        marks = "".join(f"{_dim(r, d):>7}" for d in taxonomy.DIMENSIONS)
        tail = escape.clean(r.error, 200) if r.error else ", ".join(escape.clean(m, 60) for m in r.missing_required)
        lines.append(f"{escape.clean(r.repo, 40):<40} {_shown(r):<7} {score:>5} {level:<12}{marks}  {tail}")
    return "\n".join(lines) + "\n"


def _csv(report: OrgReport) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["repository", "verdict", "score", "level", "policy", "commit",
                *taxonomy.DIMENSIONS, "missing_required", "error", "cached", "incomplete"])
    for r in report.rows:
        # a leading = + - @ would be a formula in a spreadsheet: quote it away
        safe = [_no_formula(x) for x in (r.repo, r.level or "", r.policy or "", ";".join(r.missing_required),
                                          r.error or "")]
        w.writerow([safe[0], _verdict(r), "" if r.score is None else r.score, safe[1], safe[2], r.commit or "",
                    *(_dim(r, d) for d in taxonomy.DIMENSIONS), safe[3], safe[4], r.cached, r.incomplete])
    return out.getvalue()


def _no_formula(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _markdown(report: OrgReport) -> str:
    t = report.totals()
    out = [f"## Openness of {escape.md_text(report.org)}", "",
           f"Policy {escape.md_code(report.policy)} from {escape.md_code(report.policy_source)}: "
           f"**{t['passed']}** of {t['repositories']} repositories pass, {t['failed']} fail, {t['errors']} could not "
           f"be checked.", "",
           "| Repository | Verdict | Score | Level | " + " | ".join(taxonomy.DIMENSION_TITLES[d] for d in taxonomy.DIMENSIONS)
           + " | Missing required |",
           "|---|---|---:|---|" + "---|" * len(taxonomy.DIMENSIONS) + "---|"]
    marks = {"pass": "✅ pass", "fail": "❌ fail", "error": "⚠️ error"}
    for r in report.rows:
        missing = escape.md_text(r.error, 200) if r.error else ", ".join(escape.md_code(m, 60) for m in r.missing_required)
        out.append(f"| {escape.md_code(r.repo, 80)} | {marks[_verdict(r)]}{' (incomplete)' if r.incomplete else ''} | {'' if r.score is None else r.score} | "
                   f"{escape.md_text(r.level or '')} | " + " | ".join(_dim(r, d) for d in taxonomy.DIMENSIONS)
                   + f" | {missing} |")
    return "\n".join(out) + "\n"


def _heat(found: int, total: int) -> str:
    """Red → amber → green by the share of components found."""
    if not total:
        return "#eee"
    share = found / total
    hue = int(120 * share)
    return f"hsl({hue}, 65%, {88 - 18 * share:.0f}%)"


def _html(report: OrgReport) -> str:
    t = report.totals()
    h = escape.html_text
    head = "".join(f"<th>{h(taxonomy.DIMENSION_TITLES[d])}</th>" for d in taxonomy.DIMENSIONS)
    rows = []
    for r in report.rows:
        cells = []
        for d in taxonomy.DIMENSIONS:
            found, total = (r.dimensions.get(d) or [0, 0])[:2]
            cells.append(f'<td class="heat" style="background:{_heat(found, total)}">{h(_dim(r, d))}</td>')
        missing = h(r.error, 300) if r.error else ", ".join(f"<code>{h(m, 80)}</code>" for m in r.missing_required)
        verdict = _verdict(r)
        rows.append(f'<tr class="{verdict}"><td><code>{h(r.repo, 100)}</code></td><td class="v">{h(_shown(r))}</td>'
                    f'<td class="n">{"" if r.score is None else r.score}</td><td>{h(r.level or "")}</td>'
                    f'{"".join(cells)}<td>{missing}</td></tr>')
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Openness of {h(report.org)}</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #ccc; padding: 4px 8px; }}
th {{ background: #f4f4f4; }} td.n {{ text-align: right; }} td.heat {{ text-align: center; }}
tr.fail td.v {{ color: #b00; font-weight: bold; }} tr.pass td.v {{ color: #070; }} tr.error td.v {{ color: #a60; }}
.totals span {{ margin-right: 1.5em; }}
</style></head><body>
<h1>Openness of {h(report.org)}</h1>
<p>Policy <code>{h(report.policy)}</code> from <code>{h(report.policy_source)}</code>, scanned {h(report.generated_at)}.</p>
<p class="totals"><span>{t['repositories']} repositories</span><span>{t['passed']} pass</span>
<span>{t['failed']} fail</span><span>{t['errors']} errors</span><span>{t['cached']} unchanged</span></p>
<table><thead><tr><th>Repository</th><th>Verdict</th><th>Score</th><th>Level</th>{head}<th>Missing required</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p>Each dimension cell shows the components found out of those in the dimension; colour runs from red (none) to green (all).</p>
</body></html>
"""
