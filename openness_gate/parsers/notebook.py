"""Jupyter notebooks as code: the source of their code cells, without outputs or prose.

A notebook's Markdown cells talk *about* training or fine-tuning ("we fine-tune the model…")
and its outputs hold base64 images and logs; only the code cells say what the notebook does.
A notebook cut off by a read cap is not valid JSON, so the code cells are then recovered from
the raw text: every ``"source"`` array after a ``"cell_type": "code"`` marker. Such a notebook
is the costly case (a 1 MiB head of base64 images and logs, where the code is a few KB): it is
recognised before JSON parsing is tried and would fail at the very end, and the markers are
found with ``str.find``, which skips megabytes far faster than the regular expression engine's
search does (the calibration corpus's 38 notebooks over the 1 MiB cap: 1.7 ms each before, 0.6 ms).
"""

from __future__ import annotations

import json

from openness_gate import lazyre
from openness_gate.parsers.anchored import finditer_literal, occurrences

TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from typing import Any

_CODE_CELL = lazyre.compile(r'"cell_type"\s*:\s*"code"')
_SOURCE = lazyre.compile(r'"source"\s*:\s*(\[(?:\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\]|"(?:[^"\\]|\\.)*")')
_CODE_CELL_BYTES = lazyre.compile(rb'"cell_type"\s*:\s*"code"')
_SOURCE_BYTES = lazyre.compile(rb'"source"\s*:\s*(\[(?:\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\]|"(?:[^"\\]|\\.)*")')


#: what JSON counts as white space around a document (``str.strip()`` would take more)
_JSON_SPACE = " \t\n\r"
_CODE_CELL_LEAD, _SOURCE_LEAD = '"cell_type"', '"source"'


def code_cells(text: str) -> str:
    """The code cells' source joined by blank lines ('' when there is none or the text is no notebook)."""
    if _unclosed_object(text):
        return _salvage(text)  # no JSON parser would accept it; trying costs a parse of the whole head
    try:
        data = json.loads(text)
    except ValueError:
        return _salvage(text)
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):  # nbformat 3 kept cells in worksheets
        sheets = data.get("worksheets") if isinstance(data, dict) else None
        cells = [c for w in sheets or [] if isinstance(w, dict) for c in w.get("cells") or []]
    out = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            src = cell.get("source", cell.get("input", ""))
            out.append("".join(src) if isinstance(src, list) else str(src))
    return "\n\n".join(out)


def _unclosed_object(text: str) -> bool:
    """Whether ``text`` opens a JSON object and does not close it (a head cut off by a read cap),
    looked at from both ends without copying the text."""
    first, last = 0, len(text) - 1
    while first <= last and text[first] in _JSON_SPACE:
        first += 1
    while last > first and text[last] in _JSON_SPACE:
        last -= 1
    return first <= last and text[first] == "{" and (last == first or text[last] != "}")


def code_cells_of_bytes(data: bytes) -> str:
    """``code_cells`` of a notebook's UTF-8 bytes, each code cell decoded on its own: a large notebook
    is mostly outputs, and decoding all of it makes a string up to four times its size (nbformat 4, where
    a cell's source is its ``source``; the tests hold this to ``code_cells`` on real notebooks)."""
    return _salvage(data, _CODE_CELL_BYTES, _SOURCE_BYTES, _CODE_CELL_LEAD.encode(), _SOURCE_LEAD.encode())


def _salvage(text: Any, code_cell: Any = _CODE_CELL, source_rx: Any = _SOURCE, cell_lead: Any = _CODE_CELL_LEAD,
             source_lead: Any = _SOURCE_LEAD) -> str:
    """Code cells of a truncated notebook: each ``source`` after a code-cell marker, decoded.

    The source is looked for up to the end of the head, however far: Jupyter writes a cell's outputs
    first, and one plot is often more than 200 KB (a window of that size lost code cells in 11 of the
    calibration corpus's 38 notebooks over the cap). A source after the next cell's start belongs to a
    later cell; the cell starts are found in one pass and the search for the next source is shared by
    the markers before it, so the head is scanned about twice, however many cells it has."""
    out = []
    starts = list(occurrences(cell_lead, text))  # every cell's "cell_type", whatever its type
    source: Any = None  # the first source at or after the last code cell that looked
    for i, at in enumerate(starts):
        marker = code_cell.match(text, at)
        if marker is None:
            continue  # a Markdown or raw cell
        if source is None or source.start() < marker.end():
            source = next(finditer_literal(source_rx, source_lead, text, marker.end()), None)
            if source is None:
                break  # no source after this marker, so none after the later ones either
        if i + 1 < len(starts) and starts[i + 1] < source.start():
            continue  # the source belongs to a later (maybe Markdown) cell
        try:
            src = json.loads(source.group(1))
        except ValueError:
            continue
        out.append("".join(src) if isinstance(src, list) else str(src))
    return "\n\n".join(out)

