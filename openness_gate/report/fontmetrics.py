"""Text widths for badges, from a per-character advance table (data, not code).

Badges are drawn in DejaVu Sans 11px, the first font of the usual badge font stack, so the
width we reserve for a label matches what a browser draws. ``dejavu-sans-11.json`` holds the
advance of each character at 11px; ``measure_ttf`` regenerates it from a TrueType file
(``python -m openness_gate.report.fontmetrics FONT.ttf``) and lets tests check the table
against the real font without any imaging library.
"""

from __future__ import annotations

import json
import struct
import sys
from functools import lru_cache

from openness_gate import package_data

FONT_SIZE = 11
TABLE = "dejavu-sans-11.json"
#: Characters measured into the table: printable ASCII and Latin-1 (badge text is ours or a policy level).
CHARSET = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(chr(c) for c in range(0xA0, 0x180)) + "·–—…✔✘"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, float], float]:
    data = json.loads(package_data.read_text("openness_gate.report", TABLE))
    return data["widths"], data["fallback"]


def text_width(text: str) -> float:
    """Width in px of ``text`` at 11px; unknown characters count as a wide glyph (never overflow)."""
    widths, fallback = _table()
    return round(sum(widths.get(ch, fallback) for ch in text), 2)


def measure_ttf(path: str, size: int = FONT_SIZE, chars: str = CHARSET) -> dict[str, float]:
    """Advance widths (px at ``size``) of ``chars`` read from a TrueType font's hmtx/cmap tables."""
    with open(path, "rb") as fh:
        font = fh.read()
    num_tables = struct.unpack_from(">H", font, 4)[0]
    tables = {}
    for i in range(num_tables):
        tag, _, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * i)
        tables[tag.decode("latin-1")] = (offset, length)
    units_per_em = struct.unpack_from(">H", font, tables["head"][0] + 18)[0]
    n_hmetrics = struct.unpack_from(">H", font, tables["hhea"][0] + 34)[0]
    hmtx = tables["hmtx"][0]
    advances = [struct.unpack_from(">H", font, hmtx + 4 * i)[0] for i in range(n_hmetrics)]
    cmap = _cmap_format4(font, tables["cmap"][0])
    out = {}
    for ch in chars:
        glyph = cmap.get(ord(ch))
        if glyph is None:
            continue
        adv = advances[min(glyph, n_hmetrics - 1)]
        out[ch] = round(adv * size / units_per_em, 3)
    return out


def _cmap_format4(font: bytes, base: int) -> dict[int, int]:
    """Code point → glyph id from the Unicode BMP (format 4) subtable."""
    n = struct.unpack_from(">H", font, base + 2)[0]
    for i in range(n):
        platform, encoding, offset = struct.unpack_from(">HHI", font, base + 4 + 8 * i)
        sub = base + offset
        if struct.unpack_from(">H", font, sub)[0] == 4 and (platform, encoding) in ((3, 1), (0, 3), (0, 4)):
            break
    else:
        raise ValueError("no Unicode BMP cmap subtable")
    segs = struct.unpack_from(">H", font, sub + 6)[0] // 2
    ends = struct.unpack_from(f">{segs}H", font, sub + 14)
    starts = struct.unpack_from(f">{segs}H", font, sub + 16 + 2 * segs)
    deltas = struct.unpack_from(f">{segs}h", font, sub + 16 + 4 * segs)
    ro_base = sub + 16 + 6 * segs
    range_offsets = struct.unpack_from(f">{segs}H", font, ro_base)
    mapping: dict[int, int] = {}
    for s in range(segs):
        for cp in range(starts[s], min(ends[s], 0xFFFE) + 1):
            if range_offsets[s] == 0:
                gid = (cp + deltas[s]) & 0xFFFF
            else:
                addr = ro_base + 2 * s + range_offsets[s] + 2 * (cp - starts[s])
                gid = struct.unpack_from(">H", font, addr)[0]
                gid = (gid + deltas[s]) & 0xFFFF if gid else 0
            if gid:
                mapping[cp] = gid
    return mapping


def main(argv: list[str]) -> int:
    widths = measure_ttf(argv[0])
    doc = {"font": "DejaVu Sans", "size": FONT_SIZE, "fallback": max(widths.values()),
           "source": "advance widths from the font's hmtx table, px at 11px", "widths": widths}
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
