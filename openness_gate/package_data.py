"""Data files shipped inside our packages (licence tables, schemas, MOF data, built-in policies).

``importlib.resources`` would find them in any layout, zip included, but importing it pulls in
``tempfile``, ``shutil`` and the compression modules: about 8 ms of every check, a fifth of
the floor on a small repository. An installed or source package is one folder on disk, so its
files are opened directly (with ``os``: ``pathlib`` would add 3 ms of imports, ``urllib.parse``
and ``ipaddress`` among them); anything else still goes through ``importlib.resources``.
"""

from __future__ import annotations

import os
from types import ModuleType

from openness_gate import modules

TYPE_CHECKING = False

if TYPE_CHECKING:  # importing importlib.abc pulls in importlib.resources
    from importlib.abc import Traversable


def _folder(package: str | ModuleType) -> tuple[ModuleType, str | None]:
    """The module and its one folder on disk, or None when it has not exactly one."""
    module = modules.load(package) if isinstance(package, str) else package
    on_disk = [p for p in getattr(module, "__path__", ()) if os.path.isdir(p)]
    return module, on_disk[0] if len(on_disk) == 1 else None


def files(package: str | ModuleType) -> "Traversable":
    """The folder of ``package`` (a dotted name or the module): a ``pathlib.Path`` when it is one
    folder on disk, else what ``importlib.resources.files`` gives (a zip, another loader)."""
    module, folder = _folder(package)
    if folder is not None:
        import pathlib

        return pathlib.Path(folder)
    from importlib import resources
    return resources.files(module)


def read_bytes(package: str, name: str) -> bytes:
    """The bytes of ``name`` inside ``package``."""
    module, folder = _folder(package)
    if folder is None:
        from importlib import resources
        return resources.files(module).joinpath(name).read_bytes()
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def read_text(package: str, name: str) -> str:
    """The UTF-8 text of ``name`` inside ``package``."""
    return read_bytes(package, name).decode("utf-8")
