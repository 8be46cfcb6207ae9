"""Licence fingerprints: the set of 5-token shingle hashes of each reference licence text.

The package ships hashes, not texts (built by ``bench/licenses_build.py``). A hash set is
enough to tell which licence a text is, how much of it is there, and which parts of a file are
*not* that licence — an added clause, a second licence, an appended policy. Loaded lazily: only
when a repository has a licence file that is not a verbatim copy, in one read of raw arrays
(``fingerprints.index``: an inverted index, hash -> the licences whose text has it, and each
licence's own hashes) that are used where they lie, plus the licences' few facts
(``fingerprints.json``).
"""

from __future__ import annotations

import json
import sys
from bisect import bisect_left
from functools import lru_cache

from openness_gate import package_data
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from array import array
    from typing import Sequence

#: per licence, in index order: token count, restriction markers, whole-text hash
FILE = "fingerprints.json"
#: raw little-endian arrays, used as typed views of the file's bytes (decoding base64 and zlib took 6 ms of
#: every check that matched a licence text; parsing the hash sets out of 1 MB of JSON, 3-4 ms and ~750 page
#: faults more): magic, five uint32 counts, then the arrays of ``_INDEX_CODES``, each aligned to its item
#: size: keys (uint32), offsets (uint32), postings (uint16), each licence's start in the set values (uint32,
#: one more than licences) and the sorted hashes of every licence, one after the other (uint32)
INDEX_FILE = "fingerprints.index"
#: whole-text hash -> licence id, for the verbatim copies that most licence files are: a few KB to
#: parse instead of reading the index (a check with a verbatim licence file reads nothing more)
WHOLE_FILE = "fingerprints.whole.json"
_INDEX_MAGIC = b"OGFPIDX3"
SAMPLE = 16  # content-defined sampling: hashes with h % SAMPLE == 0 give large texts a cheap first estimate


class Fingerprint:
    """One reference text: its shingle hashes (a set made on first use), size and markers. (Verbatim
    copies are answered before any of this, by ``verbatim_ids``.)"""

    __slots__ = ("id", "size", "tokens", "markers", "_values", "_hashes")

    def __init__(self, lid: str, size: int, tokens: int, markers: frozenset[str], values: Sequence[int]) -> None:
        self.id = lid
        self.size = size  # number of distinct shingle hashes
        self.tokens = tokens  # token count of the reference text
        self.markers = markers  # restriction markers the reference text itself contains
        self._values = values
        self._hashes: frozenset[int] | None = None

    @property
    def hashes(self) -> frozenset[int]:
        if self._hashes is None:
            self._hashes = frozenset(self._values)
        return self._hashes


@record
class Index:
    k: int
    prints: tuple[Fingerprint, ...]
    #: every distinct hash, sorted; the licences holding keys[i] are postings[offsets[i]:offsets[i + 1]]
    keys: Sequence[int]
    offsets: Sequence[int]
    postings: Sequence[int]

    def holders(self, h: int) -> Sequence[int]:
        """Indexes into ``prints`` of the references whose text has shingle hash ``h``."""
        i = bisect_left(self.keys, h)
        if i < len(self.keys) and self.keys[i] == h:
            return self.postings[self.offsets[i]:self.offsets[i + 1]]
        return ()


@lru_cache(maxsize=1)
def _raw() -> dict:
    return json.loads(package_data.read_text("openness_gate.licenses", FILE))


@lru_cache(maxsize=1)
def verbatim_ids() -> dict[int, str]:
    """Whole-text hash -> licence id (``WHOLE_FILE``), without reading the shingle sets: a LICENSE
    file that is a verbatim copy (the common case) is identified in about a millisecond."""
    pairs = json.loads(package_data.read_text("openness_gate.licenses", WHOLE_FILE))["whole"]
    return {int(h): lid for h, lid in pairs}


def whole_pairs(licenses: dict[str, dict]) -> list[tuple[int, str]]:
    """``WHOLE_FILE``'s pairs from ``FILE``'s licences (``bench/licenses_build.py``): the first licence, in
    id order, of each whole-text hash."""
    out: dict[int, str] = {}
    for lid, item in sorted(licenses.items()):
        if item.get("whole") is not None:
            out.setdefault(item["whole"], lid)
    return sorted(out.items())


#: the arrays of ``INDEX_FILE``, in order: keys, offsets, postings, set starts, set values
_INDEX_CODES = "IIHII"


def pack_index(keys: list[int], offsets: list[int], postings: list[int], sets: list[list[int]]) -> bytes:
    """The bytes of ``INDEX_FILE``: the inverted index, then ``sets`` (each licence's sorted hashes,
    in index order) as the offset where each starts and all of them one after the other."""
    from array import array

    starts = [0]
    for values in sets:
        starts.append(starts[-1] + len(values))
    parts = [array(code, values) for code, values in
             zip(_INDEX_CODES, (keys, offsets, postings, starts, [h for values in sets for h in values]))]
    head = array("I", [len(p) for p in parts])
    out = bytearray(_INDEX_MAGIC)
    for a in (head, *parts):
        if sys.byteorder == "big":  # pragma: no cover
            a.byteswap()
        out += bytes(-len(out) % a.itemsize)  # each array aligned to its item size
        out += a.tobytes()
    return bytes(out)


def unpack_index(data: bytes) -> tuple[Sequence[int], ...]:
    """(keys, offsets, postings, set starts, set values) from the bytes of ``INDEX_FILE``: typed views
    of ``data`` itself on a little-endian machine (copying them into arrays was ~450 fresh pages, and
    a page fault costs ~4 µs here), arrays elsewhere."""
    from array import array  # here: a verbatim licence file, most of them, never loads the index

    if not data.startswith(_INDEX_MAGIC):
        raise ValueError(f"{INDEX_FILE}: not a licence fingerprint index of this version "
                         "(rebuild with bench/licenses_build.py)")
    view, pos = memoryview(data), len(_INDEX_MAGIC)
    head = array("I")
    head.frombytes(view[pos:pos + 4 * len(_INDEX_CODES)])
    pos += 4 * len(_INDEX_CODES)
    out: list[Sequence[int]] = []
    for count, code in zip(_swapped(head), _INDEX_CODES):
        size = array(code).itemsize
        pos += -pos % size
        part = view[pos:pos + count * size]
        if len(part) != count * size:
            break  # too short: reported below
        out.append(part.cast(code) if sys.byteorder == "little" else _swapped(array(code, part.tobytes())))
        pos += count * size
    if len(out) != len(_INDEX_CODES) or pos != len(data):
        raise ValueError(f"{INDEX_FILE}: {len(data) - pos} bytes too many or too few (rebuild with bench/licenses_build.py)")
    return tuple(out)


def _swapped(a: array) -> array:
    """``a`` read as little-endian on this machine."""
    if sys.byteorder == "big":  # pragma: no cover
        a.byteswap()
    return a


@lru_cache(maxsize=1)
def load() -> Index:
    """The index (a millisecond or two; once per process, for a licence text that is not a verbatim copy)."""
    raw = _raw()
    keys, offsets, postings, starts, values = unpack_index(package_data.read_bytes("openness_gate.licenses", INDEX_FILE))
    if len(starts) != len(raw["licenses"]) + 1:
        raise ValueError(f"{INDEX_FILE} and {FILE} are out of step (rebuild with bench/licenses_build.py)")
    prints = tuple(Fingerprint(lid, starts[n + 1] - starts[n], int(item["tokens"]), frozenset(item.get("markers", ())),
                               values[starts[n]:starts[n + 1]])
                   for n, (lid, item) in enumerate(raw["licenses"].items()))
    return Index(int(raw["k"]), prints, keys, offsets, postings)
