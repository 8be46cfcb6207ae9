"""Licence fingerprints: the set of 5-token shingle hashes of each reference licence text.

The package ships hashes, not texts (``fingerprints.json``, built by
``bench/licenses_build.py``). A hash set is enough to tell which licence a text is, how
much of it is there, and which parts of a file are *not* that licence — an added clause,
a second licence, an appended policy. Loaded lazily: only when a repository has a
licence file to read, and then only what a text needs: an inverted index (hash -> the licences
whose text has it, three arrays decoded in C) answers "which references share shingles with this
text", and a reference's own hash set is decoded when it becomes a candidate.
"""

from __future__ import annotations

import binascii
import json
import sys
import zlib
from array import array
from bisect import bisect_left
from functools import lru_cache

from openness_gate import package_data
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

FILE = "fingerprints.json"
#: the inverted index, raw little-endian arrays (decoding it from base64 and zlib in the JSON took
#: 6 ms of every check that matches a licence text): magic, three uint32 counts, keys (uint32),
#: offsets (uint32), postings (uint16)
INDEX_FILE = "fingerprints.index"
#: whole-text hash -> licence id, for the verbatim copies that most licence files are: a few KB to
#: parse instead of the 1 MB of ``FILE`` (4 ms and ~500 page faults of a check with a licence file)
WHOLE_FILE = "fingerprints.whole.json"
_INDEX_MAGIC = b"OGFPIDX1"
SAMPLE = 16  # content-defined sampling: hashes with h % SAMPLE == 0 give large texts a cheap first estimate


class Fingerprint:
    """One reference text: its shingle hashes (decoded on first use), size and markers. (Verbatim copies
    are answered before any of this, by ``verbatim_ids``.)"""

    __slots__ = ("id", "size", "tokens", "markers", "_blob", "_hashes")

    def __init__(self, lid: str, size: int, tokens: int, markers: frozenset[str], blob: str) -> None:
        self.id = lid
        self.size = size  # number of distinct shingle hashes
        self.tokens = tokens  # token count of the reference text
        self.markers = markers  # restriction markers the reference text itself contains
        self._blob = blob
        self._hashes: frozenset[int] | None = None

    @property
    def hashes(self) -> frozenset[int]:
        if self._hashes is None:
            self._hashes = frozenset(unpack(self._blob))
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


def pack(values: list[int] | array, typecode: str = "I") -> str:
    """Unsigned ints -> base64(zlib(little-endian bytes)), in the order given."""
    arr = array(typecode, values)
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return binascii.b2a_base64(zlib.compress(arr.tobytes(), 9), newline=False).decode()  # base64's module costs 1 ms to import


def unpack(blob: str, typecode: str = "I") -> array:
    """The values of ``pack``: decoded in C (no per-value Python work)."""
    arr = array(typecode)
    arr.frombytes(zlib.decompress(binascii.a2b_base64(blob)))
    if sys.byteorder == "big":  # pragma: no cover
        arr.byteswap()
    return arr


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


def pack_index(keys: list[int], offsets: list[int], postings: list[int]) -> bytes:
    """The bytes of ``INDEX_FILE``."""
    parts = [array("I", keys), array("I", offsets), array("H", postings)]
    head = array("I", [len(p) for p in parts])
    if sys.byteorder == "big":  # pragma: no cover
        for a in (head, *parts):
            a.byteswap()
    return _INDEX_MAGIC + b"".join(a.tobytes() for a in (head, *parts))


def unpack_index(data: bytes) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
    """(keys, offsets, postings) from the bytes of ``INDEX_FILE``: typed views of ``data`` itself on a
    little-endian machine (copying the 0.9 MB into arrays, through slices, was ~450 fresh pages of a
    check that matches a licence text, and a page fault costs ~4 µs here), arrays elsewhere."""
    if not data.startswith(_INDEX_MAGIC):
        raise ValueError(f"{INDEX_FILE}: not a licence fingerprint index (rebuild with bench/licenses_build.py)")
    view = memoryview(data)
    pos = len(_INDEX_MAGIC)
    head = array("I")
    head.frombytes(view[pos:pos + 12])
    if sys.byteorder == "big":  # pragma: no cover
        head.byteswap()
    pos += 12
    out: list[Sequence[int]] = []
    for count, code in zip(head, "IIH"):
        size = count * array(code).itemsize
        part = view[pos:pos + size]
        if len(part) != size:
            break  # too short: reported below
        if sys.byteorder == "big":  # pragma: no cover
            swapped = array(code, part.tobytes())
            swapped.byteswap()
            out.append(swapped)
        else:
            out.append(part.cast(code))
        pos += size
    if len(out) != 3 or pos != len(data):
        raise ValueError(f"{INDEX_FILE}: {len(data) - pos} bytes too many or too few (rebuild with bench/licenses_build.py)")
    return out[0], out[1], out[2]


@lru_cache(maxsize=1)
def load() -> Index:
    """The index (a few milliseconds; once per process, for a licence text that is not a verbatim copy)."""
    raw = _raw()
    prints = tuple(Fingerprint(lid, int(item["size"]), int(item["tokens"]), frozenset(item.get("markers", ())),
                               item["shingles"])
                   for lid, item in raw["licenses"].items())
    keys, offsets, postings = unpack_index(package_data.read_bytes("openness_gate.licenses", INDEX_FILE))
    return Index(int(raw["k"]), prints, keys, offsets, postings)
