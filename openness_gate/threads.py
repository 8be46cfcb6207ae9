"""Whether a thread besides this one runs: a fork copies only the caller (``detectors.split``), and
an exit without the interpreter's teardown would cut the others off (``cli``)."""

from __future__ import annotations


def others_running() -> bool:
    """``_thread`` counts every thread it started, ``threading``'s included, without importing
    ``threading`` (~2 ms of a check)."""
    import _thread

    count = getattr(_thread, "_count", None)
    if count is not None:
        return count() > 0
    import threading

    return threading.active_count() > 1
