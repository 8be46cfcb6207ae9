"""Regular expressions compiled on their first use rather than at import.

The detectors hold about 350 module-level patterns (vocabularies written as regular
expressions). Python compiles a pattern in pure Python, about 0.2 ms each, so compiling them
all was the largest single cost of a check's start-up (70-100 ms of a 250 ms check of a small
repository), yet one repository exercises only a third to a half of them: a repository
without notebooks never needs the notebook patterns. A pattern made here compiles when one of
its methods is first looked up, then hands out the compiled pattern's own bound methods, so
a hot loop pays nothing extra after the first call.
"""

from __future__ import annotations

import re

from openness_gate import sre_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, overload

#: what is copied from the compiled pattern onto the lazy one once it has been compiled
_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
              "groups", "groupindex", "flags")


class LazyPattern:
    """A ``re.Pattern`` that compiles itself on first use; ``pattern`` is there from the start,
    so that a pattern can be built from another's source without compiling either."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def __getattr__(self, name: str) -> Any:  # only called for what is not yet in the instance
        if name.startswith("__") or name not in _FORWARDED:
            raise AttributeError(name)
        compiled = sre_cache.compile(self.pattern, self._flags)
        for attr in _FORWARDED:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self.pattern!r}, {self._flags!r})"


if TYPE_CHECKING:
    @overload
    def compile(pattern: str, flags: int = 0) -> re.Pattern[str]: ...
    @overload
    def compile(pattern: bytes, flags: int = 0) -> re.Pattern[bytes]: ...


def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern[Any]:  # noqa: A001 - mirrors re.compile
    """A pattern that behaves as ``re.compile(pattern, flags)`` and compiles on first use. Invalid
    patterns raise then, not here: ``tests/test_lazyre.py`` compiles every module-level pattern."""
    return LazyPattern(pattern, flags)  # type: ignore[return-value]  # it answers as a re.Pattern


def lazy_patterns(module: Any) -> Iterator[LazyPattern]:
    """Every lazy pattern a module holds (in globals, lists, tuples, dicts and our own objects)."""
    visited = set()
    stack = list(vars(module).values())
    while stack:
        value = stack.pop()
        if id(value) in visited:
            continue
        visited.add(id(value))
        if isinstance(value, LazyPattern):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif type(value).__module__.startswith("openness_gate.") and hasattr(value, "__dict__"):
            stack.extend(vars(value).values())  # e.g. the branches of a MarkerSet


def compile_all(module: Any) -> int:
    """Compile every lazy pattern a module holds, to check them; returns how many. Used by the
    tests so that a broken pattern cannot wait for a user."""
    seen = 0
    for value in lazy_patterns(module):
        value.search(b"" if isinstance(value.pattern, bytes) else "")
        seen += 1
    return seen


def package_modules() -> list[str]:
    """Every module of the package but ``__main__`` (importing that one runs the command line)."""
    import pkgutil

    import openness_gate

    return sorted(m.name for m in pkgutil.walk_packages(openness_gate.__path__, "openness_gate.")
                  if m.name != "openness_gate.__main__")


def warm() -> int:
    """Compile every pattern of the package once and keep their programs (``sre_cache``), and
    PyYAML's and the command's, so that no later run compiles any: the Action's install step calls
    it, once per environment. Returns how many patterns of ours; a module that cannot be imported
    here is left out."""
    import importlib

    total = 0
    for name in package_modules():
        try:
            total += compile_all(importlib.import_module(name))
        except ImportError:
            continue
    from openness_gate.parsers import safe_yaml, toml_doc

    safe_yaml._loaders()  # imports PyYAML under sre_cache.seeding: its patterns are kept too
    toml_doc.available()  # and tomllib
    sre_cache.save()
    _run_the_command_once()
    return total


def _run_the_command_once() -> None:
    """A check of an empty folder in a fresh interpreter. The patterns json compiles for itself
    are kept only when the command's ``sre_cache.seeding`` sees them compiled, at its first
    import: this interpreter imported it above. (A plain check line never imports argparse; the
    patterns argparse, gettext and locale compile while parsing a line that is not plain are kept
    by the first such run.)"""
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as empty:  # also the working folder: no clone on sys.path
        subprocess.run([sys.executable, *(["-I"] if sys.flags.isolated else []), "-m", "openness_gate", "check",
                        empty, "--format", "json", "--output", os.devnull], cwd=empty, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
