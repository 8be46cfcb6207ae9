"""modules.load: importlib.import_module without importing importlib, with the same answers."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from openness_gate import modules


def test_a_module_another_thread_is_still_importing_is_waited_for(tmp_path, monkeypatch):
    """An org scan's threads load the detector modules at once; a module found in sys.modules may be
    half made (its import still running in another thread), and returning it lost whole detectors."""
    (tmp_path / "og_slow_module.py").write_text("import time\ntime.sleep(0.3)\nDONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    got: list[bool] = []
    first = threading.Thread(target=lambda: got.append(hasattr(modules.load("og_slow_module"), "DONE")))
    first.start()
    deadline = time.monotonic() + 5
    while "og_slow_module" not in sys.modules and time.monotonic() < deadline:
        time.sleep(0.005)
    assert "og_slow_module" in sys.modules  # the first thread is inside the module's body now
    got.append(hasattr(modules.load("og_slow_module"), "DONE"))
    first.join()
    sys.modules.pop("og_slow_module", None)
    assert got == [True, True]


def test_a_missing_module_is_named_as_import_names_it():
    with pytest.raises(ModuleNotFoundError) as exc:
        modules.load("openness_gate.no_such_module")
    assert exc.value.name == "openness_gate.no_such_module"
    assert modules.load("openness_gate.taxonomy") is sys.modules["openness_gate.taxonomy"]
