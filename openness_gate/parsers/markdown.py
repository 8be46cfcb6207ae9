"""Headings and sections of Markdown documents (ATX, setext and HTML `<hN>` headings).

A light line scanner rather than a full CommonMark parser: it only needs to find headings
outside fenced code blocks and the text under each, and it must stay linear on hostile
input (10 000 headings, a 5 MB single line).
"""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.record import record

_ATX = lazyre.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = lazyre.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = lazyre.compile(r"^ {0,3}(`{3,}|~{3,})")
_HTML_H = lazyre.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = lazyre.compile(r"<[^>]{0,200}>")
#: what a fence, an ATX heading or a setext underline starts with (after up to three spaces)
_MARKS = frozenset("`~#=-")
MAX_LINE = 10_000  # longer lines are not scanned for headings (a heading is never that long)
MAX_SECTIONS = 5_000


@record
class Section:
    level: int  # 1-6; 0 for the text before the first heading
    title: str
    line: int  # 1-based line of the heading in the scanned text (plus offset)
    body: str  # text up to the next heading of any level


_EMPHASIS = lazyre.compile(r"[*_`]+")


def clean_title(raw: str) -> str:
    t = _TAG.sub("", raw)
    t = _EMPHASIS.sub("", t)
    return " ".join(t.split()).strip(" :")


def _paragraph(line: str) -> bool:
    """Whether ``line`` is paragraph text, which a setext underline makes a heading: not blank, a block
    quote, a table row or a list item. A list marker is followed by a space (or ends the line): a line
    that opens with bold text is a paragraph (facebookresearch/detr's "**DE⫶TR**: End-to-End Object
    Detection with Transformers" above "========")."""
    stripped = line.lstrip()
    if not stripped or stripped[0] in ">|":
        return False
    marks = stripped.replace(" ", "")
    if marks[0] in "-*_" and len(marks) >= 3 and marks == marks[0] * len(marks):
        return False  # a thematic break ("---", "* * *")
    return not (stripped[0] in "-*+" and stripped[1:2] in ("", " ", "\t"))


def sections(text: str, *, line_offset: int = 0) -> list[Section]:
    """Split ``text`` into sections by heading. ``line_offset`` shifts reported line numbers."""
    lines = text.split("\n")
    heads: list[tuple[int, int, str]] = []  # (line index, level, title)
    fence: str | None = None
    prev_para = False
    for i, line in enumerate(lines):
        if len(line) > MAX_LINE:
            prev_para = False
            continue
        # a fence, an ATX heading and a setext underline all start, after at most three spaces, with
        # one of these: most lines do not, and skip the three expressions (a line-by-line loop over
        # every README and card: the expressions were most of it)
        marked = line[:4].lstrip(" ")[:1] in _MARKS
        f = _FENCE.match(line) if marked else None
        if fence:
            if f and f.group(1)[0] == fence[0] and len(f.group(1)) >= len(fence):
                fence = None
            continue
        if f:
            fence = f.group(1)
            prev_para = False
            continue
        m = _ATX.match(line) if marked else None
        if m:
            heads.append((i, len(m.group(1)), clean_title(m.group(2) or "")))
            prev_para = False
        elif marked and prev_para and _SETEXT.match(line) and i > 0:
            heads.append((i - 1, 1 if line.strip()[0] == "=" else 2, clean_title(lines[i - 1])))
            prev_para = False
        elif "<h" in line or "<H" in line:
            for hm in _HTML_H.finditer(line):
                heads.append((i, int(hm.group(1)), clean_title(hm.group(2))))
            prev_para = bool(line.strip())
        else:
            prev_para = _paragraph(line)
        if len(heads) >= MAX_SECTIONS:
            break
    out: list[Section] = []
    first = heads[0][0] if heads else len(lines)
    if first > 0:
        out.append(Section(0, "", 1 + line_offset, "\n".join(lines[:first])))
    for n, (i, level, title) in enumerate(heads):
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        body_start = i + 1 if i + 1 <= end else end
        # setext heading: skip its underline
        if body_start < end and _SETEXT.match(lines[body_start] if body_start < len(lines) else ""):
            body_start += 1
        out.append(Section(level, title, i + 1 + line_offset, "\n".join(lines[body_start:end])))
    return out
