"""Licence fingerprints: the set of 5-token shingle hashes of each reference licence text.

The package ships hashes, not texts (``fingerprints.json``, built by
``bench/licenses_build.py``). A hash set is enough to tell which licence a text is, how
much of it is there, and which parts of a file are *not* that licence — an added clause,
a second licence, an appended policy. Loaded lazily: only when a repository has a
licence file to read.
"""

from __future__ import annotations

import base64
import gc
import json
import sys
import zlib
from array import array
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

FILE = "fingerprints.json"
SAMPLE = 16  # content-defined sampling: hashes with h % SAMPLE == 0 are indexed


@dataclass(frozen=True)
class Fingerprint:
    id: str  # catalogue id
    hashes: frozenset[int]
    tokens: int  # token count of the reference text
    markers: frozenset[str]  # restriction markers the reference text itself contains
    whole: int | None = None  # hash of the whole normalised reference text (verbatim copies)


@dataclass(frozen=True)
class Index:
    k: int
    prints: tuple[Fingerprint, ...]
    #: hash -> indexes into prints, for the 1-in-SAMPLE hashes only: a cheap first estimate of overlap
    sampled: dict[int, tuple[int, ...]]
    #: whole-text hash -> index into prints
    verbatim: dict[int, int]


def pack(values: list[int]) -> str:
    """uint32 values -> base64(zlib(little-endian bytes)), in the order given."""
    arr = array("I", values)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return base64.b64encode(zlib.compress(arr.tobytes(), 9)).decode()


def unpack(blob: str) -> array:
    """The uint32 values of ``pack``: decoded in C (no per-value Python work)."""
    arr = array("I")
    arr.frombytes(zlib.decompress(base64.b64decode(blob)))
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(resources.files("openness_gate.licenses").joinpath(FILE).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def verbatim_ids() -> dict[int, str]:
    """Whole-text hash -> licence id, without decoding the shingle sets: a LICENSE file that is a
    verbatim copy (the common case) is identified in about a millisecond instead of ~50."""
    out: dict[int, str] = {}
    for lid, item in _raw()["licenses"].items():
        if item.get("whole") is not None:
            out.setdefault(item["whole"], lid)
    return out


@lru_cache(maxsize=1)
def load() -> Index:
    """Decode the shipped fingerprints (about 20 ms; once per process, only for a licence text that
    is not a verbatim copy). Each licence's hashes are stored with its 1-in-SAMPLE hashes first
    (``sampled`` says how many), so the sampled index needs no pass over the others."""
    raw = _raw()
    prints = []
    sampled: dict[int, list[int]] = {}
    paused = gc.isenabled()
    gc.disable()  # ~12k small lists: collections triggered by them would walk the whole heap for nothing
    try:
        _decode(raw, prints, sampled)
    finally:
        if paused:
            gc.enable()
    verbatim: dict[int, int] = {}
    for n, fp in enumerate(prints):
        if fp.whole is not None:
            verbatim.setdefault(fp.whole, n)
    return Index(int(raw["k"]), tuple(prints), {h: tuple(v) for h, v in sampled.items()}, verbatim)


def _decode(raw: dict, prints: list[Fingerprint], sampled: dict[int, list[int]]) -> None:
    for n, (lid, item) in enumerate(raw["licenses"].items()):
        values = unpack(item["shingles"])
        prints.append(Fingerprint(lid, frozenset(values), int(item["tokens"]), frozenset(item.get("markers", ())),
                                  item.get("whole")))
        for h in values[:item["sampled"]]:
            sampled.setdefault(h, []).append(n)
