"""Notebooks read as code: the source of the code cells, whole or from a head cut off by a read cap."""

from __future__ import annotations

import json

import pytest

from openness_gate.parsers import notebook

CELLS = [
    {"cell_type": "markdown", "id": "a", "metadata": {}, "source": ["We fine-tune the model.\n"]},
    {"cell_type": "code", "execution_count": 1, "id": "b", "metadata": {},
     "outputs": [{"name": "stdout", "output_type": "stream", "text": ["\"cell_type\": \"code\" in a log\n"] * 50}],
     "source": ["import torch\n", "print(\"source\")"]},
    {"cell_type": "code", "execution_count": 2, "id": "c", "metadata": {},
     "outputs": [{"data": {"image/png": "iVBOR" + "A" * 5000}, "metadata": {}, "output_type": "display_data"}],
     "source": "model.generate(ids)"},
    {"cell_type": "raw", "id": "d", "metadata": {}, "source": ["not code\n"]},
    {"cell_type": "code", "execution_count": 3, "id": "e", "metadata": {}, "outputs": [], "source": ["loss.backward()\n"]},
]
NOTEBOOK = json.dumps({"cells": CELLS, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1, sort_keys=True)
SOURCES = ["import torch\nprint(\"source\")", "model.generate(ids)", "loss.backward()\n"]


def test_a_whole_notebook_gives_its_code_cells_only():
    assert notebook.code_cells(NOTEBOOK + "\n") == "\n\n".join(SOURCES)


def test_nbformat_3_keeps_cells_in_worksheets():
    old = json.dumps({"worksheets": [{"cells": [{"cell_type": "code", "input": ["x = 1\n"]},
                                                {"cell_type": "markdown", "source": ["# x\n"]}]}], "nbformat": 3})
    assert notebook.code_cells(old) == "x = 1\n"


@pytest.mark.parametrize("cut", range(0, len(NOTEBOOK), 97))
def test_a_head_gives_the_code_cells_whose_source_it_holds_whole(cut):
    """Wherever a read cap cuts the notebook: the code cells whose ``source`` ended before the cut,
    in order, and nothing of the others (a marker in a log output is no cell)."""
    head = NOTEBOOK[:cut]
    decoder, expected = json.JSONDecoder(), []
    for cell in CELLS:
        if cell["cell_type"] == "code":
            key = NOTEBOOK.index('"source":', NOTEBOOK.index('"id": "%s"' % cell["id"]))
            value = NOTEBOOK.index(":", key) + 1
            value += len(NOTEBOOK[value:]) - len(NOTEBOOK[value:].lstrip())
            source, end = decoder.raw_decode(NOTEBOOK, value)
            if end <= cut:
                expected.append(source if isinstance(source, str) else "".join(source))
    assert notebook.code_cells(head) == "\n\n".join(expected)


@pytest.mark.parametrize("text", ["", "   \n", "{", "{ \n", "[1, 2", "not json", "\ufeff{}", "{} x"])
def test_text_that_is_no_notebook_gives_no_code(text):
    assert notebook.code_cells(text) == ""


@pytest.mark.parametrize("cut", [None, *range(0, len(NOTEBOOK), 211)])
def test_the_bytes_of_a_notebook_give_what_its_text_gives(cut):
    """A notebook read whole as bytes (the code detector's second read of a large one) gives the code
    cells its text gives, whole or cut off, a multi-byte character in a cell included."""
    text = NOTEBOOK.replace("import torch", "import torch  # \u00e9t\u00e9 \U0001f600")
    head = text if cut is None else text[:cut]
    assert notebook.code_cells_of_bytes(head.encode()) == notebook.code_cells(head)
