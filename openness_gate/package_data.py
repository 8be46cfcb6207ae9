"""Data files shipped inside our packages (licence tables, schemas, MOF data, help links).

``importlib.resources`` would find them in any layout, zip included, but importing it pulls in
``tempfile``, ``shutil`` and the compression modules: about 8 ms of every check, a fifth of
the floor on a small repository. An installed or source package is a folder on disk, so the
file is opened directly; anything else still goes through ``importlib.resources``.
"""

from __future__ import annotations

import importlib
import os


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of ``name`` inside ``package`` (a dotted package name)."""
    module = importlib.import_module(package)
    for folder in getattr(module, "__path__", ()):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                return f.read()
    from importlib import resources  # a zip or another loader: let the import system read it
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def read_bytes(package: str, name: str) -> bytes:
    """The bytes of ``name`` inside ``package``."""
    module = importlib.import_module(package)
    for folder in getattr(module, "__path__", ()):
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return f.read()
    from importlib import resources
    return resources.files(package).joinpath(name).read_bytes()
