"""Licence text normalisation, after the SPDX matching guidelines (Annex B).

Both the reference fingerprints and the text under test go through ``tokens()``, so every rule
here is an equivalence: case, whitespace and line wrapping, quotes, dashes and other
punctuation, bullets and list numbers, comment prefixes, Markdown markup, copyright lines,
``http``/``https`` and British/American spellings do not change the token stream.
Version numbers such as ``3.1`` stay one token, because they tell licences apart.
"""

from __future__ import annotations

import re
from binascii import crc32  # zlib.crc32's checksum; binascii is loaded already (sre_cache), zlib would add ~0.7 ms

from openness_gate import lazyre

#: Shingle length in tokens. Five words are distinctive enough to be unique to a licence
#: family and short enough that a one-word substitution only disturbs five shingles.
K = 5

_COPYRIGHT = lazyre.compile(
    r"(?:copyright\b|\(c\)|©)(?:\s*(?:\(c\)|©|copyright\b))*\s*(?:\d{4}|\[yyyy\]|\{yyyy\}|<year>|\[year\]|\{year\}|yyyy)"
    r"(?:[^\S\n]+\S+){0,8}", re.IGNORECASE)  # the holder: at most 8 words, never past the line end
_RIGHTS = lazyre.compile(r"all rights reserved\.?", re.IGNORECASE)
_TOKEN_OR_NEWLINE = lazyre.compile(r"\d+(?:\.\d+)+|[a-z0-9]+|\n")
_JOIN = lazyre.compile(r"\b(non|sub)[\s\-\u2010-\u2015]+(?=[a-z])")
_ROMAN = frozenset("ii iii iv vi vii viii ix xi xii xiii xiv xv xvi".split())
#: Varietal spellings (SPDX equivalentwords.txt, the ones that occur in licence texts).
VARIANTS = {
    "licence": "license", "licences": "licenses", "licenced": "licensed", "licencing": "licensing",
    "licencor": "licensor", "licencee": "licensee", "organisation": "organization",
    "organisations": "organizations", "authorised": "authorized", "authorise": "authorize",
    "behaviour": "behavior", "favour": "favor", "centre": "center", "analyse": "analyze",
    "recognised": "recognized", "utilise": "utilize", "offence": "offense", "defence": "defense",
    "programme": "program", "programmes": "programs", "acknowledgement": "acknowledgment",
    "judgement": "judgment", "colour": "color", "honour": "honor", "labour": "labor",
    "practise": "practice", "catalogue": "catalog", "http": "https", "sublicence": "sublicense",
    "characterised": "characterized", "modelling": "modeling",
}


#: List markers wherever re-wrapping put them: single letters and digits, 1-2 digit numbers, roman numerals.
_DROP = frozenset([chr(c) for c in range(ord("a"), ord("z") + 1)] + [str(n) for n in range(100)]
                  + [f"{n:02d}" for n in range(10)] + list(_ROMAN))


def nfkc(text: str) -> str:
    """``text`` with compatibility characters folded (NFKC). ASCII is its own NFKC form, and
    ``unicodedata`` costs ~1.4 ms to import: a check whose licence texts and names are ASCII never does."""
    if text.isascii():
        return text
    import unicodedata

    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def clean(text: str) -> str:
    """Lower-cased text with copyright statements removed and compatibility characters folded."""
    text = nfkc(text).lower()
    if "copyright" in text or "(c)" in text or "©" in text:
        text = _COPYRIGHT.sub(" ", text)
    if "reserved" in text:
        text = _RIGHTS.sub(" ", text)
    return _JOIN.sub(r"\1", text)


def tokens_with_lines(text: str) -> tuple[list[str], list[int]]:
    """Normalised tokens and the 1-based line each one starts on."""
    toks: list[str] = []
    lines: list[int] = []
    add_tok, add_line = toks.append, lines.append
    get, drop = VARIANTS.get, _DROP
    n = 1
    for t in _TOKEN_OR_NEWLINE.findall(clean(text)):
        if t == "\n":
            n += 1
        elif t not in drop:
            add_tok(get(t, t))
            add_line(n)
    return toks, lines


def tokens(text: str) -> list[str]:
    return tokens_with_lines(text)[0]


def shingle_hashes(toks: list[str], k: int = K) -> list[int]:
    """CRC-32 of every run of ``k`` consecutive tokens joined by spaces (stable across runs and platforms)."""
    if len(toks) < k:
        return []
    data = " ".join(toks).encode("ascii", "replace")  # tokens are [a-z0-9.] only
    starts = [0]
    for t in toks:
        starts.append(starts[-1] + len(t) + 1)
    view = memoryview(data)
    return [crc32(view[starts[i]:starts[i + k] - 1]) for i in range(len(toks) - k + 1)]


def text_hash(toks: list[str]) -> int:
    """CRC-32 of the whole normalised text: equal for a verbatim copy, whatever its formatting."""
    return crc32(" ".join(toks).encode("ascii", "replace"))
