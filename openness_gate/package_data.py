"""Data files shipped inside our packages (licence tables, schemas, MOF data, built-in policies).

``importlib.resources`` would find them in any layout, zip included, but importing it pulls in
``tempfile``, ``shutil`` and the compression modules: about 8 ms of every check, a fifth of
the floor on a small repository. An installed or source package is one folder on disk, so its
files are opened directly; anything else still goes through ``importlib.resources``.
"""

from __future__ import annotations

import importlib
import os
import pathlib
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing importlib.abc pulls in importlib.resources
    from importlib.abc import Traversable


def files(package: str | ModuleType) -> "Traversable":
    """The folder of ``package`` (a dotted name or the module): a ``pathlib.Path`` when it is one
    folder on disk, else what ``importlib.resources.files`` gives (a zip, another loader)."""
    module = importlib.import_module(package) if isinstance(package, str) else package
    on_disk = [p for p in getattr(module, "__path__", ()) if os.path.isdir(p)]
    if len(on_disk) == 1:
        return pathlib.Path(on_disk[0])
    from importlib import resources
    return resources.files(module)


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of ``name`` inside ``package``."""
    return files(package).joinpath(name).read_text(encoding="utf-8")


def read_bytes(package: str, name: str) -> bytes:
    """The bytes of ``name`` inside ``package``."""
    return files(package).joinpath(name).read_bytes()
