"""Case-insensitive searches that start only where a match can start.

Python's engine skips ahead to a pattern's literal prefix, but an IGNORECASE alternation has none:
it is tried at every position of a text, ~0.1-0.25 µs a character. The vocabularies the detectors
search READMEs with are such alternations, and a README can be 60 KB. When every match of a
pattern begins with one of a few literals, the positions where those occur in the case-folded
text (one C-level scan) are the only places to try it, and the matches are the same.
"""

from __future__ import annotations

import re
from functools import lru_cache
from heapq import merge

try:  # the parser moved in Python 3.11
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _parser  # type: ignore[no-redef]

_LITERAL = _parser.LITERAL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Iterator

#: what re's IGNORECASE equates with ASCII letters beyond str.lower(): dotted and dotless i, long s
_FOLD = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}


@lru_cache(maxsize=16)
def fold(text: str) -> str | None:
    """``text`` in lower case as IGNORECASE compares it, or None when a character's lower case is
    longer than the character (offsets into the folded text would no longer be offsets into ``text``).
    Kept for the last few texts: the detectors fold the same README and card sections about twice
    each. The three characters IGNORECASE equates with ASCII letters are replaced one by one, each
    a C-level scan: ``str.translate`` with them looks every character up in a dict (5 ms for a
    52 KB prompt file holding one "\u0130")."""
    if not text.isascii():
        for c, ascii_letter in _FOLD.items():
            if c in text:
                text = text.replace(c, ascii_letter)
    folded = text.lower()
    return folded if len(folded) == len(text) else None


def finditer(pattern: re.Pattern[str], starts: re.Pattern[str], text: str,
             pos: int = 0, endpos: int | None = None, folded: str | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, trying ``pattern`` only where ``starts`` (lower-case
    literals, no IGNORECASE) matches the folded text (``_offsets``). Every match of ``pattern`` must
    begin with one of them: that is the caller's contract, held by a test for each pair. ``folded``:
    ``fold(text)``, when the caller searches one text for several patterns."""
    endpos = len(text) if endpos is None else endpos
    folded = fold(text) if folded is None else folded
    if folded is None:
        yield from pattern.finditer(text, pos, endpos)
        return
    yield from _tried_at(pattern, _offsets(starts, folded, pos, endpos), text, endpos)


def finditer_folded(pattern: re.Pattern[str], starts: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
    """As ``finditer``, for a lower-case ``pattern`` (no IGNORECASE) on a text ``fold`` made: the
    matches are on ``folded``, at the offsets they have in the text (a lower-case pattern compiles
    in a third of the time of its IGNORECASE twin)."""
    return _tried_at(pattern, _offsets(starts, folded, 0, len(folded)), folded, len(folded))


def finditer_literal(pattern: re.Pattern[str], lead: str, text: str, pos: int = 0,
                     endpos: int | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)`` for a case-sensitive pattern whose every match begins
    with the literal ``lead``: tried only where ``str.find`` finds it, which skips a megabyte of
    notebook outputs far faster than the engine's own search for the prefix."""
    endpos = len(text) if endpos is None else endpos
    return _tried_at(pattern, occurrences(lead, text, pos, endpos), text, endpos)


#: ``str.find`` replaces the engine in ``_offsets`` for at most this many literals over at least this
#: many characters: each literal is a scan of its own and their occurrences are merged in Python, so
#: on short texts and for long alternations of common words the engine is as fast or faster
FIND_LITERALS, FIND_SPAN = 4, 2048


def _offsets(starts: re.Pattern[str], folded: str, pos: int, endpos: int) -> Iterator[int]:
    """Where a match of ``starts`` begins in ``folded[pos:endpos]``, in order. For an alternation of a
    few plain literals over a long text, every occurrence of each, found with ``str.find`` (0.1 ms on a
    170 KB prompt file, against 1 ms for the engine, which tries every branch at every position).
    Occurrences inside another's match are included: trying the pattern there too finds nothing
    ``finditer`` would not (``_tried_at`` skips starts inside a match taken)."""
    literals = _literals(starts.pattern, starts.flags) if endpos - pos >= FIND_SPAN else None
    if literals is None or len(literals) > FIND_LITERALS:
        return (m.start() for m in starts.finditer(folded, pos, endpos))
    if len(literals) == 1:
        return occurrences(literals[0], folded, pos, endpos)
    return merge(*(occurrences(lit, folded, pos, endpos) for lit in literals))


@lru_cache(maxsize=64)
def _literals(pattern: str, flags: int) -> tuple[str, ...] | None:
    """The branches of ``pattern`` when each is a plain literal (``\\(`` and the like allowed) and case
    matters, else None (the engine decides)."""
    if flags & re.IGNORECASE:
        return None
    out = []
    for part in pattern.split("|"):  # an escaped "|" leaves a part that does not parse: None
        try:
            parsed = list(_parser.parse(part))
        except re.error:
            return None
        if not parsed or any(op is not _LITERAL for op, _ in parsed):
            return None  # a class, a group, a quantifier, an anchor such as \b
        out.append("".join(chr(c) for _, c in parsed))
    return tuple(out)


def occurrences(lead: str, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[int]:
    """The offsets of ``lead`` in ``text[pos:endpos]``, overlapping ones included (``str.find``)."""
    endpos = len(text) if endpos is None else endpos
    at = text.find(lead, pos, endpos)
    while at >= 0:
        yield at
        at = text.find(lead, at + 1, endpos)


def _tried_at(pattern: re.Pattern[str], starts: Iterator[int], text: str, endpos: int) -> Iterator[re.Match[str]]:
    end = 0
    for start in starts:
        if start < end:
            continue  # inside the last match: finditer resumes after it
        m = pattern.match(text, start, endpos)
        if m:
            end = m.end() if m.end() > m.start() else m.end() + 1
            yield m


def search(pattern: re.Pattern[str], starts: re.Pattern[str], text: str,
           folded: str | None = None) -> re.Match[str] | None:
    """``pattern.search(text)``, tried only where ``starts`` matches (see ``finditer``)."""
    return next(finditer(pattern, starts, text, folded=folded), None)


def search_lines(pattern: re.Pattern[str], anchors: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern.search(text)`` for a pattern whose every match lies within one line and holds one
    of ``anchors`` (lower-case literals, no IGNORECASE): only the lines where an anchor occurs in
    the folded text are searched. For a pattern whose matches need not begin with a literal (an
    e-mail address: ``[\\w.+-]{1,64}@``), which ``search`` cannot anchor."""
    folded = fold(text)
    if folded is None:  # a character whose lower case is longer: search the whole text
        return pattern.search(text)
    return search_lines_at(pattern, (m.start() for m in anchors.finditer(folded)), text)


def search_lines_at(pattern: re.Pattern[str], offsets: Iterable[int], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in the lines of ``text`` that hold one of ``offsets``
    (increasing; each line searched once): ``pattern.search(text)`` when every match lies within
    one line and holds a character at one of the offsets."""
    done = -1
    for at in offsets:
        if at < done:
            continue  # its line was searched already
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        done = len(text) if end < 0 else end
        m = pattern.search(text, start, done)
        if m:
            return m
    return None
