"""Licence identification and the licence catalogue.

Provisional: titles of a few common licences are recognised so that the pipeline has
real facts to carry; the full catalogue (YAML) and the text matcher arrive with the
licence issue. Interface used by the detectors:

* ``identify(text) -> list[Match]``: zero, one or several licences found in a text;
* ``lookup(declared_id) -> Licence | None``: a declared id (SPDX or Hugging Face) in the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Licence:
    id: str
    spdx: str | None
    name: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    licence: Licence
    confidence: float
    line: int | None = None


_CATALOGUE = (
    Licence("Apache-2.0", "Apache-2.0", "Apache License 2.0", ("osi-approved", "fsf-libre")),
    Licence("MIT", "MIT", "MIT License", ("osi-approved", "fsf-libre")),
    Licence("CC-BY-4.0", "CC-BY-4.0", "Creative Commons Attribution 4.0", ("open-content",)),
    Licence("CC-BY-NC-4.0", "CC-BY-NC-4.0", "Creative Commons Attribution-NonCommercial 4.0", ("non-commercial",)),
    Licence("llama3.1", None, "Llama 3.1 Community License", ("restricted-use",)),
    Licence("openrail", None, "Open RAIL", ("restricted-use",)),
)
_BY_KEY = {l.id.lower(): l for l in _CATALOGUE}
_TITLES = (
    (re.compile(r"Apache License,?\s+Version 2\.0", re.I), "apache-2.0"),
    (re.compile(r"^\s*(?:The\s+)?MIT License", re.I | re.M), "mit"),
    (re.compile(r"Attribution-NonCommercial 4\.0 International", re.I), "cc-by-nc-4.0"),
    (re.compile(r"Attribution 4\.0 International", re.I), "cc-by-4.0"),
    (re.compile(r"LLAMA 3\.1 COMMUNITY LICENSE", re.I), "llama3.1"),
)


def lookup(declared: str) -> Licence | None:
    return _BY_KEY.get(declared.strip().lower())


def identify(text: str) -> list[Match]:
    out: list[Match] = []
    for rx, key in _TITLES:
        m = rx.search(text)
        if m and all(x.licence.id.lower() != key for x in out):
            out.append(Match(_BY_KEY[key], 0.5, text.count("\n", 0, m.start()) + 1))
    return out
