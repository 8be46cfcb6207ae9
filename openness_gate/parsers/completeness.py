"""Completeness of a templated document (model card, datasheet, dataset card, data card).

A *template* maps a section key to the heading titles that introduce it. A section counts as
filled when it, or any of its sub-sections, holds real words once template residue is
removed: ``[More Information Needed]``, TODO/TBD, ``{{ braces }}``, HTML comments (the HF
templates put their instructions there), empty bold field labels and the template's stock
sentences. This is what separates a card someone wrote from one a tool generated.
"""

from __future__ import annotations

import re
from functools import lru_cache

from openness_gate import lazyre
from openness_gate.parsers import anchored
from openness_gate.parsers.markdown import Section
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Mapping, Sequence

#: a bold field label left empty ("**Developed by:**"), one of the residue's alternatives
_BOLD = r"\*\*[^*\n]{1,80}?:?\*\*:?"
#: Text that is template residue, not content.
PLACEHOLDER = lazyre.compile(
    r"\[?\s*more information needed\s*\]?|\[optional\]|\bTODO\b:?|\bTBD\b|\bFIXME\b|\{\{.*?\}\}|\{%.*?%\}|"
    r"<!--.*?-->|" + _BOLD + r"|users \(both direct and downstream\) should be made aware of the risks, "
    r"biases and limitations of the model\.?|more information needed for further recommendations\.?|"
    r"carbon emissions can be estimated using the \[?machine learning impact calculator\]?[^\n]*|"
    r"use the code below to get started with the model\.?|this is the model card of a [^\n]*automatically generated\.?",
    re.IGNORECASE | re.DOTALL,
)
#: a literal each alternative of PLACEHOLDER needs (case-insensitively, in this order of the
#: alternatives): a text holding none of them has nothing to remove. That is most section bodies,
#: and the full pattern, an IGNORECASE alternation with no literal prefix, costs ~0.2 µs a character
#: (a quarter of gpt-neox's check went to it)
_ANCHORS = ("more information needed", "[optional]", "todo", "tbd", "fixme", "{{", "{%", "<!--", "**",
            "users (both direct and downstream)", "carbon emissions can be estimated", "use the code below",
            "this is the model card of a")
#: the only alternative that "**" alone lets match: a bold field label left empty ("**Developed by:**")
_BOLD_LABEL = lazyre.compile(_BOLD)
_WORD = lazyre.compile(r"[^\W\d_]{2,}|\d+(?:[.,]\d+)?", re.UNICODE)
MIN_WORDS = 4  # fewer real words than this under a heading (and its sub-headings) = not filled
MAX_BODY = 20_000  # characters of a section body examined (a heading with a 5 MB body is still one section)
PLACEHOLDER_HINT = lazyre.compile(r"more information needed|\{\{|\bTODO\b|\bTBD\b", re.IGNORECASE)
_LEADING_MARKS = lazyre.compile(r"^[\W\d_]+")
_PUNCTUATION = lazyre.compile(r"[^\w\s-]")


def normalise_title(title: str) -> str:
    t = title.lower().replace("[optional]", "").replace("&", " and ")
    t = _LEADING_MARKS.sub("", t)  # leading numbering, emoji, punctuation: "1. Motivation", "📊 Evaluation"
    t = _PUNCTUATION.sub(" ", t)
    return " ".join(t.split())


def strip_placeholders(text: str) -> str:
    """``text`` with template residue replaced by spaces: ``PLACEHOLDER.sub(" ", text)``, skipped
    or narrowed when the literals it needs are absent (same result, see ``_ANCHORS``)."""
    folded = anchored.fold(text)
    if folded is None:
        return PLACEHOLDER.sub(" ", text)
    present = [a for a in _ANCHORS if a in folded]
    if not present:
        return text
    if present == ["**"]:
        return _BOLD_LABEL.sub(" ", text)
    return PLACEHOLDER.sub(" ", text)


def real_words(text: str) -> int:
    """Words left in ``text`` (its first ``MAX_BODY`` characters) after template residue is removed."""
    return _real_words(text[:MAX_BODY])


@lru_cache(maxsize=256)
def _real_words(head: str) -> int:
    """Kept per text: a card's sections are counted once for each template they are held to (the
    key is the head only, so the cache holds at most 256 × 20k characters)."""
    return len(_WORD.findall(strip_placeholders(head)))


@record
class Completeness:
    template: str
    filled: tuple[str, ...]
    placeholder_only: tuple[str, ...]  # headings present, but only template residue under them
    absent: tuple[str, ...]
    lines: Mapping[str, int] = field(default_factory=dict)  # key → line of its heading
    too_short: tuple[str, ...] = ()  # headings with a few real words, fewer than MIN_WORDS
    headings: Mapping[str, str] = field(default_factory=dict)  # key → the heading to write for it

    @property
    def total(self) -> int:
        return len(self.filled) + len(self.placeholder_only) + len(self.too_short) + len(self.absent)

    @property
    def score(self) -> float:
        return round(len(self.filled) / self.total, 2) if self.total else 0.0

    def to_facts(self) -> dict:
        facts = {"template": self.template, "completeness": self.score, "sections_filled": list(self.filled),
                 "sections_placeholder": list(self.placeholder_only), "sections_missing": list(self.absent)}
        if self.too_short:
            facts["sections_too_short"] = list(self.too_short)
        todo = [*self.placeholder_only, *self.too_short, *self.absent]
        if todo:  # what a person has to write, as headings they would use (in template order)
            order = {k: i for i, k in enumerate(self.headings)}
            facts["sections_to_fill"] = [self.headings.get(k, k) for k in sorted(todo, key=lambda k: order.get(k, 0))]
        return facts


class _TitleIndex:
    """A template's heading names, for finding every key a heading introduces. A normalised heading
    introduces a key when it is one of the key's names, starts with one and a space, or starts with
    one longer than six characters ("evaluation results" for "evaluation"). Each prefix of the
    heading that could be a name is looked up once, instead of each of a template's ~80 names being
    tried on each heading: on a README of a hundred headings, scored against several templates,
    those tests were a tenth of a small repository's check."""

    def __init__(self, template: Mapping[str, Sequence[str]]) -> None:
        #: name -> keys: a heading equal to the name, or the name and then a space
        self.whole: dict[str, list[str]] = {}
        #: name longer than six characters -> keys: any heading starting with it
        self.long: dict[str, list[str]] = {}
        for key, names in template.items():
            for n in names:
                self.whole.setdefault(n, []).append(key)
                if len(n) > 6:
                    self.long.setdefault(n, []).append(key)
        self.long_sizes = sorted({len(n) for n in self.long})

    def keys(self, title: str) -> set[str]:
        """The keys ``title`` (normalised) introduces."""
        found: set[str] = set(self.whole.get(title, ()))
        space = title.find(" ")
        while space >= 0:
            found.update(self.whole.get(title[:space], ()))
            space = title.find(" ", space + 1)
        for size in self.long_sizes:
            if size > len(title):
                break
            found.update(self.long.get(title[:size], ()))
        return found


_INDEXES: dict[int, tuple[Mapping[str, Sequence[str]], _TitleIndex]] = {}


def _index(template: Mapping[str, Sequence[str]]) -> _TitleIndex:
    """The index of a template (the templates are module constants: one index each, kept)."""
    held = _INDEXES.get(id(template))
    if held is None or held[0] is not template:
        held = _INDEXES[id(template)] = (template, _TitleIndex(template))
    return held[1]


def subtree_words(secs: Sequence[Section]) -> list[int]:
    """Real words of each section plus all its sub-sections (linear: one backwards pass with a stack)."""
    own = [real_words(s.body) for s in secs]
    total = own[:]
    stack: list[int] = []  # indices of open ancestors
    for i, s in enumerate(secs):
        while stack and secs[stack[-1]].level >= s.level and s.level > 0:
            stack.pop()
        if s.level > 0:
            for j in stack:
                total[j] += own[i]
            stack.append(i)  # levels strictly increase along the stack, so it never exceeds 6
    return total


def score(secs: Sequence[Section], template: Mapping[str, Sequence[str]], name: str,
          satisfied: Mapping[str, int] | None = None) -> Completeness:
    """Score ``secs`` against ``template``. ``satisfied`` marks keys filled by other means (key → line),
    e.g. the environmental-impact section by ``co2_eq_emissions`` front matter."""
    words = subtree_words(secs)
    index = _index(template)
    filled: dict[str, int] = dict(satisfied or {})
    seen: dict[str, int] = {}
    best: dict[str, int] = {}  # key → most real words under any of its headings
    for s, w in zip(secs, words):
        if s.level == 0:
            continue
        matched = index.keys(normalise_title(s.title))
        if not matched:
            continue
        for key in template:
            if key in filled or key not in matched:
                continue
            seen.setdefault(key, s.line)
            best[key] = max(best.get(key, 0), w)
            if w >= MIN_WORDS:
                filled[key] = s.line
    keys = list(template)
    return Completeness(
        name,
        tuple(k for k in keys if k in filled),
        tuple(k for k in keys if k in seen and k not in filled and not best.get(k)),
        tuple(k for k in keys if k not in seen and k not in filled),
        {k: (filled.get(k) or seen.get(k)) for k in keys if k in filled or k in seen},
        tuple(k for k in keys if k in seen and k not in filled and best.get(k)),
        {k: _heading(names[0]) for k, names in template.items() if names},
    )


def _heading(title: str) -> str:
    """'bias risks and limitations' -> 'Bias, risks and limitations'; 'out-of-scope use' -> 'Out-of-scope use'."""
    words = title.split()
    if len(words) > 3 and words[-2] == "and":  # a list: put the commas back
        title = ", ".join(words[:-3] + [" ".join(words[-3:])])
    return title[:1].upper() + title[1:]


def matched_headings(secs: Sequence[Section], template: Mapping[str, Sequence[str]]) -> int:
    """How many template keys have a heading at all (cheap fingerprint of a document type)."""
    index = _index(template)
    found: set[str] = set()
    for s in secs:
        if s.level > 0:
            found |= index.keys(normalise_title(s.title))
    return len(found)
