"""Many named content markers, scanned at the cost of a few substring tests per file.

One alternation of ~100 marker branches run with ``finditer`` tries every branch at every
position of a file (``\\w+Model\\.from_pretrained`` re-scans each identifier it starts in): on
real repositories that was 90 % of a check. Here each top-level branch is its own expression
with the longest literal it cannot match without (derived from the parsed pattern, so the
vocabulary stays written once); a branch runs only on files that contain its literal, which
``str.find`` finds at memory speed (or one RE2 set pass for all literals). A branch that is its
literal is matched with ``str.find`` alone; one that starts with a literal is searched in one
call (the engine jumps between occurrences of a literal prefix); any other only around
the places where the literal occurs (a window as wide as the longest match the branch allows,
capped at ``WINDOW``): a branch such as ``\\w+For…\\.from_pretrained\\(`` otherwise restarts at
every identifier of a 64 KiB file once the file mentions ``from_pretrained`` anywhere (that one,
``\\b`` and word characters before a literal, is tried only at the start of the word before each
occurrence: ``_word_led``). Matches are then taken leftmost first, without overlaps, as one
combined scan would take them.
"""

from __future__ import annotations

import re

from openness_gate import lazyre, sre_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator, Mapping

try:  # the parser moved in Python 3.11
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 3  # shorter literals prune nothing worth the test
#: characters scanned with str.find before the RE2 set is built (when google-re2 is installed).
#: Importing re2 and building the set costs ~7 ms, what str.find of every literal costs on about
#: 100 KB (70 ns a character with ~150 literals): paying that first and then switching costs at
#: most twice the better choice made knowing the repository in advance. (It counted files
#: before, 24 of them: 40 ms of str.find on LoRA's 22 KB scripts before RE2 took over.)
RE2_AFTER = 100_000
PER_BRANCH = 8  # matches kept per branch and file: enough to fill 4 distinct markers per group
PER_GROUP = 4
#: characters searched on each side of a literal occurrence: the longest match a branch allows,
#: at most this (a marker longer than that is not a marker; evidence keeps 40 characters of it).
#: 256 instead of 2000 finds the same markers in all 8,006 files the code detector reads in the
#: calibration corpus and scans a quarter less of a transformers-style repository
WINDOW = 256
#: windows closer than this are scanned as one: bounds the number of windows (each costs a Python
#: step) by the text's length, for a literal that occurs everywhere in a branch that must not scan
#: the whole text (one that does not start with its literal, so the engine tries every position)
MERGE_GAP = 512


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
    return _literal_of(sre_parse.parse(pattern, flags), flags)


def _plain(branch: str, flags: int) -> str | None:
    """The text a branch matches when it is a plain literal (metacharacters escaped), else None."""
    if flags & (re.IGNORECASE | re.VERBOSE):
        return None
    out, i = [], 0
    while i < len(branch):
        c = branch[i]
        if c == "\\":
            nxt = branch[i + 1:i + 2]
            if not nxt or nxt.isalnum() or nxt == "_":  # \b, \w, \d, \1...: not a literal
                return None
            out.append(nxt)
            i += 2
            continue
        if c in ".^$*+?{}[]|()":
            return None
        out.append(c)
        i += 1
    return "".join(out)


def _facts(branch: str, flags: int) -> tuple[str | None, int, bool]:
    """A branch's required literal, its reach around it, and whether it starts with a literal."""
    parsed = sre_parse.parse(branch, flags)
    literal = _literal_of(parsed, flags)
    reach = min(parsed.getwidth()[1], WINDOW) if literal else 0
    leads = bool(len(parsed)) and str(parsed[0][0]) == "LITERAL" and not flags & re.IGNORECASE
    return literal, reach, leads


def _literal_of(parsed: Any, flags: int) -> str | None:
    if flags & re.IGNORECASE:
        return None
    best, run = "", []
    for op, arg in parsed:
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


def _bounded_tail(branch: str, flags: int) -> str | None:
    """For a branch that is ``\\b`` and then a literal (``\\bnn\\.Module\\b``), the rest of it; else None.

    A leading ``\\b`` keeps the engine from jumping between occurrences of the literal (it tries
    every position: 40 ns a character against 2), so the rest is searched instead and the word
    boundary checked at each match, which finds the matches the whole branch finds."""
    if flags & (re.IGNORECASE | re.ASCII) or not branch.startswith("\\b") or branch[2:3] in ("", "|"):
        return None
    tail = sre_parse.parse(branch[2:], flags)
    return branch[2:] if len(tail) and str(tail[0][0]) == "LITERAL" else None


def _word_led(branch: str, literal: str | None, flags: int) -> bool:
    """Whether a branch is ``\\b``, then a part that matches word characters only (at least one),
    then its required literal to the end, led by a non-word character
    (``\\b(?:AutoModel\\w*|\\w+Model)\\.from_pretrained\\(``). Each match of such a branch is
    then the run of word characters just before an occurrence of the literal, with the literal:
    one anchored try per occurrence finds them (``_word_led_matches``), where a window makes the
    engine try every position of 256 characters before each one."""
    if not literal or flags & (re.IGNORECASE | re.ASCII) or _word_char(literal[0]) or not branch.startswith("\\b"):
        return False
    parsed = sre_parse.parse(branch, flags)
    items = list(parsed)
    if not items or str(items[0][0]) != "AT" or str(items[0][1]) != "AT_BOUNDARY":
        return False
    tail = items[len(items) - len(literal):]
    if len(items) < len(literal) + 2 or any(str(op) != "LITERAL" for op, _ in tail) \
            or "".join(chr(arg) for _, arg in tail) != literal:
        return False
    middle = sre_parse.SubPattern(parsed.state, items[1:len(items) - len(literal)])
    return middle.getwidth()[0] >= 1 and all(_word_only(op, arg) for op, arg in middle)


def _word_only(op: Any, arg: Any) -> bool:
    """Whether a parsed item matches word characters and nothing else."""
    name = str(op)
    if name == "LITERAL":
        return _word_char(chr(arg))
    if name == "IN":
        return all(str(o) == "CATEGORY" and str(a) == "CATEGORY_WORD" or str(o) == "LITERAL" and _word_char(chr(a))
                   for o, a in arg)
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        return all(_word_only(o, a) for o, a in arg[2])
    if name == "SUBPATTERN":
        return all(_word_only(o, a) for o, a in arg[3])
    if name == "BRANCH":
        return all(all(_word_only(o, a) for o, a in sub) for sub in arg[1])
    return False


def _branch_facts(groups: Mapping[str, str],
                  flags: int) -> list[tuple[str, str, str | None, int, bool, bool, str | None, bool]]:
    """Per top-level branch of each group: (group, branch, required literal or None, reach around
    it, whether the branch starts with a literal, whether the branch is its literal, the branch
    without its leading word boundary when a literal follows it, else None, whether it is word-led
    (``_word_led``))."""
    out = []
    for name, pattern in groups.items():
        for alt in split_top(pattern):
            plain = _plain(alt, flags)
            if plain is not None:  # most branches: no need to run the (pure Python) regex parser
                literal = plain if len(plain) >= MIN_LITERAL else None
                reach, leads = (min(len(plain), WINDOW) if literal else 0), bool(plain)
                out.append((name, alt, literal, reach, leads, literal is not None, None, False))
            else:
                literal, reach, leads = _facts(alt, flags)
                out.append((name, alt, literal, reach, leads, False, _bounded_tail(alt, flags),
                            _word_led(alt, literal, flags)))
    return out


class MarkerSet:
    """Named groups of regular expressions, scanned with a literal prefilter per branch."""

    def __init__(self, groups: Mapping[str, str], flags: int = re.MULTILINE, prefilter: str = "auto") -> None:
        """``prefilter``: how the literals are looked for. "auto" uses google-re2 when it is installed
        (the ``fast`` extra: one pass for all literals) once ``RE2_AFTER`` characters were scanned, and
        ``str.find`` before that or without it; "re2" uses it from the first scan; "find" never. The
        answer is the same either way (plain, case-sensitive literals); only the time differs."""
        #: (group, branch (compiled on first use: most never run on a given repository), required
        #: literal or None, reach around the literal, whether the branch starts with a literal: then
        #: the engine's own prefix search makes a whole-text scan cheap; a branch led by ``\b`` or a
        #: class is tried at every position of the text instead)
        self.branches: list[tuple[str, re.Pattern[str], str | None, int, bool]] = []
        #: branches that are their literal: their matches are its occurrences, found with str.find
        #: (no regex to compile, no window to scan)
        self._plain: set[int] = set()
        #: branches led by a word boundary and a literal: the rest of the branch, searched in the whole
        #: text with the boundary checked at each match (``_bounded_tail``)
        self._tails: dict[int, re.Pattern[str]] = {}
        #: word-led branches (``_word_led``): tried once at the start of the word before each occurrence
        self._word_led: set[int] = set()
        # what the branches say is kept between runs (~4 ms of pure Python to work out again)
        key = "\0".join(f"{name}\0{pattern}" for name, pattern in groups.items())
        for name, alt, literal, reach, leads, plain, tail, word_led in sre_cache.derived(
                "marker set 3", key, flags, lambda: _branch_facts(groups, flags)):
            if plain:
                self._plain.add(len(self.branches))
            if word_led:
                self._word_led.add(len(self.branches))
            if tail is not None:
                self._tails[len(self.branches)] = lazyre.compile(tail, flags)
            self.branches.append((name, lazyre.compile(alt, flags), literal, reach, leads))
        self.literals = sorted({lit for _, _, lit, _, _ in self.branches if lit is not None})
        #: literal index (as the RE2 set numbers them) -> the branches that need it; and the branches
        #: that need none, which every scan runs
        self._needing: list[list[int]] = [[] for _ in self.literals]
        self._always = [i for i, b in enumerate(self.branches) if b[2] is None]
        number = {lit: i for i, lit in enumerate(self.literals)}
        for i, b in enumerate(self.branches):
            if b[2] is not None:
                self._needing[number[b[2]]].append(i)
        self._prefilter = prefilter
        self._scanned = 0  # characters scanned with str.find so far
        self._set: Any = None  # the RE2 set, built once enough files are scanned (importing re2 costs ~4 ms)

    def warm(self) -> None:
        """Build the RE2 set now rather than after ``RE2_AFTER`` characters (when it is used at all):
        for a scan known to be about to read that much content (``code._ready``)."""
        if self._set is None and self._prefilter != "find":
            self._set = _re2_set(self.literals) or False

    def present(self, text: str) -> list[int] | None:
        """The numbers of the literals that occur in ``text`` (one RE2 pass), or None when RE2 is not
        used: not installed, ``prefilter="find"``, or fewer than ``RE2_AFTER`` characters scanned so far (on a
        small repository importing it costs more than the ``str.find`` calls it saves)."""
        if self._prefilter == "find":
            return None
        if self._set is None:
            if self._prefilter == "auto" and self._scanned < RE2_AFTER:
                self._scanned += len(text)
                return None
            self._set = _re2_set(self.literals) or False
        if self._set is False:
            return None
        return self._set.Match(text) or []

    def scan(self, text: str) -> dict[str, set[str]]:
        """group -> up to four distinct matched strings (stripped, at most 40 characters), first in file order."""
        hits: list[tuple[int, int, int, str, str]] = []
        present = self.present(text)
        if present is None:  # each literal looked for once, with ``in`` (no call per branch)
            present = [n for n, literal in enumerate(self.literals) if literal in text]
        # only the branches whose literal occurs (a handful of the ~150), in branch order
        orders = sorted(self._always + [i for n in present for i in self._needing[n]])
        branches, plain, tails, word_led = self.branches, self._plain, self._tails, self._word_led
        for order in orders:
            name, rx, literal, reach, leads = branches[order]
            if order in plain:  # non-overlapping occurrences, left to right: what finditer would give
                size, pos, n = len(literal), text.find(literal), 0  # type: ignore[arg-type]
                while pos >= 0 and n < PER_BRANCH:
                    hits.append((pos, order, pos + size, name, literal))  # type: ignore[arg-type]
                    pos, n = text.find(literal, pos + size), n + 1  # type: ignore[arg-type]
                continue
            if literal is None:
                spans: Iterable[tuple[int, int]] = ((0, len(text)),)
            else:
                first = text.find(literal)
                if first < 0:
                    continue
                if order in tails:
                    _bounded_matches(tails[order], text, order, name, hits)
                    continue
                if order in word_led:
                    _word_led_matches(rx, literal, first, text, order, name, hits)
                    continue
                # a branch that starts with a literal (not always the one required: "weights...imagenet"
                # needs "imagenet") is searched in one call over the whole text: the engine jumps from
                # one occurrence of that prefix to the next, in C; windows are for branches the engine
                # would otherwise try at every position
                spans = ((0, len(text)),) if leads else _windows(text, literal, first, reach)
            n = 0
            for lo, hi in spans:
                for m in rx.finditer(text, lo, hi):
                    hits.append((m.start(), order, m.end(), name, m.group(0)))
                    n += 1
                    if n >= PER_BRANCH:
                        break
                if n >= PER_BRANCH:
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


def _bounded_matches(tail: re.Pattern[str], text: str, order: int, name: str,
                     hits: list[tuple[int, int, int, str, str]]) -> None:
    """The matches ``finditer`` gives for ``\\b`` + ``tail``, from searches for ``tail`` alone: a match
    where no word boundary is is passed over (the next search starts one character on, as the
    engine would), one where it is counts and the next search starts at its end. ``tail`` starts
    with a literal (``_bounded_tail``), so a match is never empty."""
    pos, n = 0, 0
    while n < PER_BRANCH:
        m = tail.search(text, pos)
        if m is None:
            return
        start, end = m.span()
        before = start > 0 and _word_char(text[start - 1])
        if before != _word_char(text[start]):  # \b: a word character on one side only
            hits.append((start, order, end, name, m.group(0)))
            n += 1
            pos = end
        else:
            pos = start + 1


def _word_led_matches(rx: re.Pattern[str], literal: str, pos: int, text: str, order: int, name: str,
                      hits: list[tuple[int, int, int, str, str]]) -> None:
    """The matches ``finditer`` gives for a word-led branch (``_word_led``), from ``pos``, the first
    occurrence of its literal: each is the run of word characters ending at an occurrence, with the
    literal (a word boundary is only where the run starts), so the branch is tried there alone."""
    n, taken_to = 0, 0
    while pos >= 0 and n < PER_BRANCH:
        start = pos
        while start > taken_to and _word_char(text[start - 1]):
            start -= 1
        m = rx.match(text, start) if start < pos and (start == 0 or not _word_char(text[start - 1])) else None
        if m is not None:
            hits.append((start, order, m.end(), name, m.group(0)))
            n += 1
            taken_to = m.end()
        pos = text.find(literal, pos + 1 if m is None else m.end())


def _word_char(c: str) -> bool:
    """What re's ``\\w`` matches in a str pattern (Unicode): ``str.isalnum`` or the underscore."""
    return c.isalnum() or c == "_"


def _re2_set(literals: list[str]) -> Any:
    """An RE2 set matching each literal, or None without google-re2 (or if it refuses them)."""
    try:
        import re2  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        found = re2.Set.SearchSet(re2.Options())
        for lit in literals:
            found.Add(re.escape(lit))
        found.Compile()
        return found
    except Exception:  # noqa: BLE001 - any refusal: the exact str.find path answers instead
        return None


def _windows(text: str, literal: str, pos: int, reach: int) -> Iterator[tuple[int, int]]:
    """Disjoint [lo, hi) spans holding every match that contains an occurrence of ``literal``, in order.

    A span ends at a line end (or the text's end), so that ``$`` and ``\\b`` at its edge mean what
    they mean in the whole text; its start needs no care (the engine sees the text before it)."""
    lo = hi = -1
    size = len(literal)
    while pos >= 0:
        start = max(0, pos - reach)
        end = text.find("\n", pos + size + reach)
        end = len(text) if end < 0 else end
        if start <= hi + MERGE_GAP:
            hi = max(hi, end)
        else:
            if hi >= 0:
                yield lo, hi
            lo, hi = start, end
        # occurrences whose span ends inside this one add nothing: look from past them
        pos = text.find(literal, max(pos + 1, hi - size - reach + 1))
    if hi >= 0:
        yield lo, hi
