"""Many named content markers, scanned at the cost of a few substring tests per file.

One alternation of ~100 marker branches run with ``finditer`` tries every branch at every
position of a file (``\\w+Model\\.from_pretrained`` re-scans each identifier it starts in): on
real repositories that was 90 % of a check. Here each top-level branch is its own expression
with the longest literal it cannot match without (derived from the parsed pattern, so the
vocabulary stays written once); a branch runs only on files that contain its literal, which
``str.__contains__`` finds at memory speed. Matches are then taken leftmost first, without
overlaps, as one combined scan would take them.
"""

from __future__ import annotations

import re
from typing import Mapping

try:  # the parser moved in Python 3.11
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter literals prune nothing worth the test
PER_BRANCH = 8  # matches kept per branch and file: enough to fill 4 distinct markers per group
PER_GROUP = 4


def split_top(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (``|`` outside groups and classes)."""
    parts, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


def required_literal(pattern: str, flags: int = 0) -> str | None:
    """The longest run of literal characters every match of ``pattern`` contains, or None."""
    if flags & re.IGNORECASE:
        return None
    best, run = "", []
    for op, arg in sre_parse.parse(pattern, flags):
        name = str(op)
        if name == "LITERAL":
            run.append(chr(arg))
            continue
        if name == "AT":  # anchors (^, \b) are zero-width: they do not break a run
            continue
        if len(run) > len(best):
            best = "".join(run)
        run = []
    if len(run) > len(best):
        best = "".join(run)
    return best if len(best) >= MIN_LITERAL else None


class MarkerSet:
    """Named groups of regular expressions, scanned with a literal prefilter per branch."""

    def __init__(self, groups: Mapping[str, str], flags: int = re.MULTILINE) -> None:
        self.branches: list[tuple[str, re.Pattern[str], str | None]] = []
        for name, pattern in groups.items():
            for alt in split_top(pattern):
                self.branches.append((name, re.compile(alt, flags), required_literal(alt, flags)))

    def scan(self, text: str) -> dict[str, set[str]]:
        """group -> up to four distinct matched strings (stripped, at most 40 characters), first in file order."""
        hits: list[tuple[int, int, int, str, str]] = []
        for order, (name, rx, literal) in enumerate(self.branches):
            if literal is not None and literal not in text:
                continue
            for n, m in enumerate(rx.finditer(text)):
                hits.append((m.start(), order, m.end(), name, m.group(0)))
                if n + 1 >= PER_BRANCH:
                    break
        # leftmost first, the earlier branch on a tie, and no match inside one already taken:
        # what one combined alternation would have reported
        hits.sort()
        found: dict[str, set[str]] = {}
        taken_to = -1
        for start, _, end, name, matched in hits:
            if start < taken_to:
                continue
            taken_to = end
            bucket = found.setdefault(name, set())
            if len(bucket) < PER_GROUP:
                bucket.add(matched.strip()[:40])
        return found
