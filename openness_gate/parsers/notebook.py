"""Jupyter notebooks as code: the source of their code cells, without outputs or prose.

A notebook's Markdown cells talk *about* training or fine-tuning ("we fine-tune the model…")
and its outputs hold base64 images and logs; only the code cells say what the notebook does.
A notebook cut off by a read cap is not valid JSON, so the code cells are then recovered from
the raw text: every ``"source"`` array after a ``"cell_type": "code"`` marker.
"""

from __future__ import annotations

import json

from openness_gate import lazyre

_CODE_CELL = lazyre.compile(r'"cell_type"\s*:\s*"code"')
_SOURCE = lazyre.compile(r'"source"\s*:\s*(\[(?:\s*"(?:[^"\\]|\\.)*"\s*,?)*\s*\]|"(?:[^"\\]|\\.)*")')


def code_cells(text: str) -> str:
    """The code cells' source joined by blank lines ('' when there is none or the text is no notebook)."""
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


def _salvage(text: str) -> str:
    """Code cells of a truncated notebook: each ``source`` after a code-cell marker, decoded."""
    out = []
    for marker in _CODE_CELL.finditer(text):
        m = _SOURCE.search(text, marker.end(), marker.end() + 200_000)
        if m is None:
            continue
        window = text[marker.end():m.start()]
        if '"cell_type"' in window:
            continue  # the source belongs to a later (maybe Markdown) cell
        try:
            src = json.loads(m.group(1))
        except ValueError:
            continue
        out.append("".join(src) if isinstance(src, list) else str(src))
    return "\n\n".join(out)
