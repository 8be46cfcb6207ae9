"""``importlib.import_module`` for the absolute module names we import by name (commands, detector
modules, reporters, data packages), without importing ``importlib`` itself: its package imports
``warnings`` too, ~0.3 ms of every check for a function that ``__import__`` already is."""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType


def load(name: str) -> ModuleType:
    """The module ``name`` (absolute, dotted), imported if it is not yet; raises what ``import``
    raises (``ModuleNotFoundError`` naming the missing module). Always through ``__import__``, never
    straight from ``sys.modules``: a module another thread is still importing is there already, half
    made, and only the import system waits for it (an org scan's threads load the detectors at once)."""
    __import__(name)
    return sys.modules[name]
