"""Licence identification and the licence catalogue.

Interface used by detectors and policies (everything else in this package is internal):

* ``lookup(name) -> Licence | None``: an SPDX id, Hugging Face id, ScanCode key or common
  spelling ("Apache 2.0"), case-insensitive; None when it is not in the catalogue.
* ``identify(text) -> list[Match]``: the licences in a text, each with a confidence and span;
  an ``unknown`` match (``licence.id == "unknown"``) when there are terms we cannot name.
* ``all_licences()``: every ``Licence`` of ``catalogue.yml``.

Importing this package is cheap: the catalogue and the fingerprints load on first use.
"""

from __future__ import annotations

from openness_gate.licenses.catalogue import CLASSES, Licence, lookup
from openness_gate.licenses.matcher import Match, identify

__all__ = ["CLASSES", "Licence", "Match", "all_licences", "identify", "lookup"]


def all_licences() -> tuple[Licence, ...]:
    from openness_gate.licenses import catalogue as _catalogue

    return _catalogue.load()
