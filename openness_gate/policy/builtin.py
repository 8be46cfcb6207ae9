"""Where the built-in policies live, in every layout openness-gate runs from.

The YAML files sit in the top-level ``policies/`` folder (the design card fixes that place).
There are two ways the running ``openness_gate`` package can see them:

* **installed** (wheel, sdist, editable, and the Action's venv, which installs the package
  from the Action's own folder): ``pyproject.toml``'s ``package-dir`` maps ``policies/`` onto
  the package ``openness_gate.builtin_policies``, so the import system finds it, inside a zip
  as well;
* **a plain source tree** (``python -m openness_gate`` from a clone's root, or the package
  put on ``sys.path`` by hand): no build ran, so no such package exists; the folder is a
  sibling of the ``openness_gate/`` that was actually imported.

We ask the import system first and fall back to the sibling folder of *this* package, never
to another copy's: a source tree run from its root must not judge with the policies of some
other installed version (submodules are looked up under the imported package's
``__path__`` only, which is what makes the first lookup fail in a source tree).
"""

from __future__ import annotations

import os
from functools import lru_cache

from openness_gate import modules, package_data
from openness_gate.errors import ConfigError

TYPE_CHECKING = False

if TYPE_CHECKING:  # importing importlib.abc pulls in importlib.resources (~8 ms)
    from importlib.abc import Traversable

PACKAGE = "openness_gate.builtin_policies"
SUFFIXES = (".yml", ".yaml")


@lru_cache(maxsize=1)
def folder() -> "Traversable | str":
    """The folder holding the built-in policy files: its path when it is one folder on disk
    (read with ``os``: ``pathlib`` costs a check 3 ms of imports), else the zip directory or
    other loader's traversable."""
    try:
        package = modules.load(PACKAGE)
    except ModuleNotFoundError as exc:
        if exc.name not in (PACKAGE, "openness_gate"):
            raise
    else:
        module, on_disk = package_data._folder(package)
        return on_disk if on_disk is not None else package_data.files(module)
    sibling = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__)))), "policies")
    if os.path.isfile(os.path.join(sibling, "__init__.py")) and any(n.endswith(".yml") for n in os.listdir(sibling)):
        return sibling
    raise ConfigError(f"the built-in policies are missing: no package {PACKAGE} and no folder {sibling} "
                      "(reinstall openness-gate)")


@lru_cache(maxsize=1)
def names() -> tuple[str, ...]:
    """Names of the built-in policies (file names without the suffix), sorted."""
    where = folder()
    entries = os.listdir(where) if isinstance(where, str) else [p.name for p in where.iterdir()]
    return tuple(sorted(n.rsplit(".", 1)[0] for n in entries if n.endswith(SUFFIXES)))


def text(name: str) -> str:
    where = folder()
    if isinstance(where, str):
        with open(os.path.join(where, f"{name}.yml"), encoding="utf-8") as f:
            return f.read()
    return where.joinpath(f"{name}.yml").read_text(encoding="utf-8")
