"""The README badge: an SVG drawn by us and a shields.io endpoint document.

Both are generated from the Result and committed or published by the user, so the badge
never depends on a third-party scan that can go stale. Widths come from a font metric
table (``fontmetrics``) and are pinned with ``textLength``, so the text fits its box in
every viewer. The SVG names the commit and the date it describes in its ``<desc>``.

shields.io rejects endpoint documents with keys beyond its schema, so the endpoint JSON
holds only those keys; the commit and date travel in the SVG and in the publishing commit.
"""

from __future__ import annotations

import json

from openness_gate.report import view
from openness_gate.report.escape import xml_text
from openness_gate.report.fontmetrics import text_width
from openness_gate.result import Result

LABEL = "openness"
#: shields.io's named colours, by verdict.
COLORS = {"brightgreen": "#4c1", "green": "#97ca00", "yellow": "#dfb317", "red": "#e05d44", "lightgrey": "#9f9f9f"}
_PAD = 6  # px of padding either side of each text, as in the flat style
_FONT = "DejaVu Sans,Verdana,Geneva,sans-serif"


def message(result: Result) -> str:
    """The verdict (or the level reached) and the score; "incomplete" when a limit or fault kept a
    file the verdict may rest on from being read: a published badge must not look settled then."""
    p = result.policy
    head = p.level if p.level else view.verdict(result)
    return f"{head} · {p.score}/100" + (" · incomplete" if result.inventory.incomplete else "")


def color_name(result: Result) -> str:
    """Red when the policy failed; green when it passed, bright green when nothing at all is missing."""
    if not result.policy.passed:
        return "red"
    return "green" if result.policy.failed() else "brightgreen"


def endpoint(result: Result) -> dict[str, object]:
    """The shields.io endpoint document (https://shields.io/badges/endpoint-badge)."""
    return {"schemaVersion": 1, "label": LABEL, "message": message(result), "color": color_name(result)}


def render_endpoint(result: Result) -> str:
    return json.dumps(endpoint(result), ensure_ascii=False, indent=2) + "\n"


def svg(label: str, msg: str, color: str, description: str = "", id_prefix: str = "og") -> str:
    """A flat badge. ``color`` is a shields name or a #hex value."""
    fill = COLORS.get(color, color)
    lw, mw = text_width(label), text_width(msg)
    lbox, mbox = round(lw + 2 * _PAD, 1), round(mw + 2 * _PAD, 1)
    total = round(lbox + mbox, 1)
    title = xml_text(f"{label}: {msg}", None)
    desc = f"<desc>{xml_text(description, None)}</desc>" if description else ""
    texts = []
    for text, width, x in ((label, lw, lbox / 2), (msg, mw, lbox + mbox / 2)):
        t, x = xml_text(text, None), round(x, 1)
        texts.append(f'<text x="{x}" y="15" fill="#010101" fill-opacity=".3" textLength="{width}" '
                     f'lengthAdjust="spacingAndGlyphs" aria-hidden="true">{t}</text>')
        texts.append(f'<text x="{x}" y="14" textLength="{width}" lengthAdjust="spacingAndGlyphs">{t}</text>')
    p = id_prefix
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" aria-label="{title}">'
        f"<title>{title}</title>{desc}"
        f'<linearGradient id="{p}-s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        f'<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="{p}-r"><rect width="{total}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#{p}-r)"><rect width="{lbox}" height="20" fill="#555"/>'
        f'<rect x="{lbox}" width="{mbox}" height="20" fill="{fill}"/>'
        f'<rect width="{total}" height="20" fill="url(#{p}-s)"/></g>'
        f'<g fill="#fff" text-anchor="middle" font-family="{_FONT}" font-size="11">{"".join(texts)}</g></svg>'
    )


def describe(result: Result, when: str | None = None) -> str:
    rev = view.short_revision(result)
    what = f"commit {rev}" if rev else "no commit recorded"  # never a local path: badges get published
    return f"openness-gate, policy {result.policy.name}: {what}, checked {when or view.checked_at()}"


def render_svg(result: Result, when: str | None = None) -> str:
    return svg(LABEL, message(result), color_name(result), describe(result, when)) + "\n"


def render_for_path(result: Result, path: str) -> str:
    """The badge file for ``path``: endpoint JSON for ``*.json``, otherwise SVG."""
    return render_endpoint(result) if path.lower().endswith(".json") else render_svg(result)
