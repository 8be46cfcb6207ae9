"""How a remote source spends its read budget, the same for GitHub and the Hub.

A remote read costs a request. Detectors read lazily, in their own order; a detector that
reads many configs or scripts first must not starve the files that decide most verdicts
(root files, cards, licences, use policies), so part of the budget is kept for those.
"""

from __future__ import annotations

import threading

from openness_gate.inventory import ReadError

MAX_FETCHES = 200  # file reads per repository (cards, licences, configs, scripts)
RESERVED_FETCHES = 50  # of those, kept for deciding files: only they may spend them
#: file names (upper case, before the extension) that decide verdicts wherever they are
DECIDING_NAMES = ("README", "LICENSE", "LICENCE", "COPYING", "NOTICE", "MODEL_CARD", "MODELCARD", "DATASHEET",
                  "DATA_CARD", "USE_POLICY", "ACCEPTABLE_USE_POLICY", "RESPONSIBLE_USE", "CITATION")


def deciding(path: str) -> bool:
    """A file that decides verdicts: at the root, or a card, licence or use policy anywhere."""
    name = path.rsplit("/", 1)[-1].upper()
    return "/" not in path or name.startswith(DECIDING_NAMES)


class Budget:
    """One repository's read budget: ``max_fetches`` reads, of which ``reserved`` only deciding
    files may spend. Thread-safe (detectors may read in parallel)."""

    def __init__(self, max_fetches: int = MAX_FETCHES, reserved: int = RESERVED_FETCHES) -> None:
        self.max_fetches = max_fetches
        self.reserved = min(reserved, max_fetches)
        self.spent = 0
        self._lock = threading.Lock()

    def spend(self, path: str) -> None:
        """Count one read of ``path``, or raise the ReadError (incomplete) that says the budget is spent."""
        with self._lock:
            # a deciding file may spend the whole budget; any other file all but the reserve
            if self.spent >= (self.max_fetches if deciding(path) else self.max_fetches - self.reserved):
                raise ReadError(f"not fetched: the remote read budget of {self.max_fetches} files is spent",
                                incomplete=True)
            self.spent += 1
