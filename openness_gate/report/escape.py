"""Escaping of repository strings for each output medium.

Anything that comes from the checked repository (paths, metadata values, licence names,
card text, even policy texts when the policy file lives in the repository) is hostile until
escaped here. Each function returns text that renders as the literal characters and can
inject nothing: no HTML, images, links, autolinks, @-mentions, issue references or
terminal escape sequences.
"""

from __future__ import annotations

import re

from openness_gate import lazyre

ZWSP = "\u200b"  # zero-width space: breaks @-mentions and autolinks without changing what people read
DEFAULT_LIMIT = 300

#: What can start markup in the middle of a line: HTML and entities, links and images, code,
#: emphasis, tables and math. Underscores only matter at word edges (GFM ignores intraword ones).
_MD_PUNCT = lazyre.compile(r"([\\`*~\[\]<>&|$]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9]))")
_AUTOLINK = lazyre.compile(r"(?i)(://|www\.|@|#(?=\d))")
_CODE_SPAN = lazyre.compile(r"(`+)(.+?)\1")
_BACKTICKS = lazyre.compile(r"`+")
#: Tokens GitHub would turn into a link or a mention: URLs, www. hosts, e-mail addresses, @handles.
_LINKISH = lazyre.compile(r"[^\s`]*(?:://|www\.|@)[^\s`]*", re.I)


def clean(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """One line of printable text: control, bidi and other format characters become '?',
    whitespace runs become one space, and long strings are cut with an ellipsis."""
    s = " ".join(str(text).split())
    s = "".join(ch if ch.isprintable() else "?" for ch in s)
    if limit is not None and len(s) > limit:
        s = s[: limit - 1] + "…"
    return s


def _break_links(s: str) -> str:
    return _AUTOLINK.sub(lambda m: m.group(0)[0] + ZWSP + m.group(0)[1:], s)


def _break_comments(s: str) -> str:
    """No ``<!--`` / ``-->`` survives verbatim, so a repository string can never pose as the
    hidden marker by which the sticky PR comment is found, even inside a code span."""
    return s.replace("<!--", "<!" + ZWSP + "--").replace("-->", "--" + ZWSP + ">")


def _md_escape(s: str) -> str:
    """Escape running text; URLs, e-mail addresses and @-mentions become inert code spans
    (readable on GitHub and in a pager, never a link or a notification)."""
    out, pos = [], 0
    for m in _LINKISH.finditer(s):
        out.append(_MD_PUNCT.sub(r"\\\1", _break_links(_break_comments(s[pos:m.start()]))))
        out.append(md_code(m.group(0), None))
        pos = m.end()
    out.append(_MD_PUNCT.sub(r"\\\1", _break_links(_break_comments(s[pos:]))))
    return "".join(out)


def md_text(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """Markdown running text that shows exactly ``text`` (GitHub flavour, also readable raw)."""
    return _md_escape(clean(text, limit))


def md_code(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """An inline code span: nothing inside is live, and it reads well in a terminal pager."""
    s = _break_comments(clean(text, limit))
    if not s:
        return "` `"
    longest = max((len(run) for run in _BACKTICKS.findall(s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or longest else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def md_prose(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """Policy prose: `code` spans stay code spans, everything else is escaped like ``md_text``."""
    s = clean(text, limit)
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(s):
        out.append(_md_escape(s[pos:m.start()]))
        out.append(md_code(m.group(2), None))
        pos = m.end()
    out.append(_md_escape(s[pos:]))
    return "".join(out)


def _html_escape(s: str) -> str:
    """``html.escape``, imported on first use: ``html`` loads its 2,000-entity table at import
    (about 1 ms), which a check that writes no HTML would pay on every run."""
    from html import escape

    return escape(s, quote=True)


def html_text(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """HTML text or attribute value."""
    return _html_escape(clean(text, limit))


def html_prose(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """Policy prose for HTML: `code` spans become <code>, everything is escaped."""
    s = clean(text, limit)
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(s):
        out.append(_html_escape(s[pos:m.start()]))
        out.append(f"<code>{_html_escape(m.group(2))}</code>")
        pos = m.end()
    out.append(_html_escape(s[pos:]))
    return "".join(out)


def xml_text(text: object, limit: int | None = DEFAULT_LIMIT) -> str:
    """SVG/XML text or attribute value (XML 1.0 has no named entities beyond the five)."""
    return clean(text, limit).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&apos;")


def csv_cell(text: object) -> str:
    """A CSV field a spreadsheet shows as text: a leading = + - @ (or tab, CR) would start a formula."""
    s = "" if text is None else str(text)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s
