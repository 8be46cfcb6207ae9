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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Iterator

#: what re's IGNORECASE equates with ASCII letters beyond str.lower(): dotted and dotless i, long s
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_FOLD_CHARS = tuple(chr(c) for c in _FOLD)


@lru_cache(maxsize=16)
def fold(text: str) -> str | None:
    """``text`` in lower case as IGNORECASE compares it, or None when a character's lower case is
    longer than the character (offsets into the folded text would no longer be offsets into ``text``).
    Kept for the last few texts: the detectors fold the same README and card sections about twice
    each. The translation (a dict lookup per character, 5 ms for a 35 KB README) runs only on a
    text that holds one of the three characters it maps."""
    if text.isascii() or not any(c in text for c in _FOLD_CHARS):
        folded = text.lower()
    else:
        folded = text.translate(_FOLD).lower()
    return folded if len(folded) == len(text) else None


def finditer(pattern: re.Pattern[str], starts: re.Pattern[str], text: str,
             pos: int = 0, endpos: int | None = None, folded: str | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)``, trying ``pattern`` only where ``starts`` (lower-case
    literals, no IGNORECASE, none of which can begin inside an occurrence of another) matches the
    folded text. Every match of ``pattern`` must begin with one of them: that is the caller's
    contract, held by a test for each pair. ``folded``: ``fold(text)``, when the caller searches one
    text for several patterns."""
    endpos = len(text) if endpos is None else endpos
    folded = fold(text) if folded is None else folded
    if folded is None:
        yield from pattern.finditer(text, pos, endpos)
        return
    yield from _tried_at(pattern, (m.start() for m in starts.finditer(folded, pos, endpos)), text, endpos)


def finditer_folded(pattern: re.Pattern[str], starts: re.Pattern[str], folded: str) -> Iterator[re.Match[str]]:
    """As ``finditer``, for a lower-case ``pattern`` (no IGNORECASE) on a text ``fold`` made: the
    matches are on ``folded``, at the offsets they have in the text (a lower-case pattern compiles
    in a third of the time of its IGNORECASE twin)."""
    return _tried_at(pattern, (m.start() for m in starts.finditer(folded)), folded, len(folded))


def finditer_literal(pattern: re.Pattern[str], lead: str, text: str, pos: int = 0,
                     endpos: int | None = None) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text, pos, endpos)`` for a case-sensitive pattern whose every match begins
    with the literal ``lead``: tried only where ``str.find`` finds it, which skips a megabyte of
    notebook outputs far faster than the engine's own search for the prefix."""
    endpos = len(text) if endpos is None else endpos
    return _tried_at(pattern, occurrences(lead, text, pos, endpos), text, endpos)


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
