"""Compiled regular-expression programs kept between runs, as Python keeps bytecode (and, with
them, the code of the ``__init__`` each ``record`` class generates: see ``code``).

Python compiles a pattern in pure Python (parse, then code generation); only the last step,
``_sre.compile(program)``, is C. A check compiles 100-200 vocabulary patterns, 20-40 ms of a
150 ms run, and recompiles the same ones on every run. A pattern's program depends only on the
pattern, its flags and the interpreter, so it is kept in ``__pycache__`` beside this module
(where Python keeps this module's bytecode, ``sys.pycache_prefix`` included) and handed to
``_sre.compile`` the next time.

Nothing here can change an answer: the program is what ``re.compile`` itself would build (the
tests hold every vocabulary pattern to ``==``, which compares programs), the file is keyed by
the interpreter's full version, ``re``'s MAGIC and the install (``_installed``) and carries a
checksum (a damaged program can still be valid code), and whatever fails (another interpreter,
internals that moved, a file that cannot be read or written, ``sys.dont_write_bytecode``) leaves
the pattern to ``re.compile`` as usual.
"""

from __future__ import annotations

import binascii
import builtins
import marshal
import os
import re
import sys
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    Program = tuple[int, bytes, int, dict[str, int], tuple[Any, ...]]

try:
    import _sre
    from re import _compiler, _parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10 names them sre_compile and sre_parse; other interpreters may lack _sre
    try:
        import _sre
        import sre_compile as _compiler
        import sre_parse as _parser
    except ImportError:
        _sre = None  # type: ignore[assignment]


def _installed() -> tuple[int, int] | None:
    """This copy of the package, as Python tells a source from its bytecode: this module's mtime and
    size. The file sits in ``__pycache__``, which uninstalling leaves behind; without this, every
    upgrade would add the new version's programs and keep the old ones', a longer read each check."""
    try:
        st = os.stat(__file__)
    except (OSError, NameError, TypeError):
        return None
    return st.st_mtime_ns, st.st_size


#: what a file must say of the interpreter and the install that wrote it; any difference and it is
#: ignored (and replaced by the next run that compiles a program)
_FORMAT = 3  # 2: entries of ``derived`` beside the programs; 3: the install's stamp
_HEADER = (_FORMAT, sys.version, getattr(_sre, "MAGIC", None), getattr(_sre, "CODESIZE", None), _installed())
#: the memoryview format whose items are ``_sre``'s code words (None: no kept programs here); a kept
#: program is written and read back as raw words (the ``array`` module would add ~0.3 ms of imports)
_TYPECODE = next((t for t in "IL" if memoryview(bytes(8)).cast(t).itemsize == getattr(_sre, "CODESIZE", None)), None)
#: programs kept, at most (every pattern of ours is well under it; a cap keeps a bug from growing the file)
MAX_ENTRIES = 4000

#: (pattern, flags) -> program, and (kind, pattern, flags) -> what ``derived`` keeps
_programs: dict[tuple[Any, ...], Any] | None = None  # None until the file is read
_new: dict[tuple[Any, ...], Any] = {}


def compile(pattern: str | bytes, flags: int = 0) -> re.Pattern[Any]:  # noqa: A001 - mirrors re.compile
    """``re.compile(pattern, flags)``, from the kept program when there is one."""
    flags = int(flags)
    path = _path()
    if path is None:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    program = _load(path).get(key)
    if program is not None:
        try:
            return _from_program(pattern, program)
        except Exception:  # noqa: BLE001 - a program that does not validate is compiled afresh
            _programs.pop(key, None)  # type: ignore[union-attr]
    try:
        program = _program(pattern, flags)
        compiled = _from_program(pattern, program)
    except Exception:  # noqa: BLE001 - internals that moved, or an invalid pattern: re says which
        return re.compile(pattern, flags)
    _remember(key, program)
    return compiled


def derived(kind: str, pattern: str, flags: int, compute: Callable[[], Any]) -> Any:
    """What ``compute`` derives from a pattern by parsing it (a value marshal can store), kept
    beside the programs: parsing is the slow half of compiling, and some callers need only
    what the parse says (``detectors.markers``: each branch's required literal)."""
    path = _path()
    if path is None:
        return compute()
    key = (kind, pattern, int(flags))
    value = _load(path).get(key)
    if value is None:
        value = compute()
        _remember(key, value)
    return value


def code(source: str, filename: str) -> Any:
    """``compile(source, filename, "exec")``, kept between runs like the programs: ``record``
    generates and compiles an ``__init__`` for each of its ~35 classes, ~5 ms of every check.
    Kept as marshal bytes (a forked process hands its new entries over by pickle)."""
    path = _path()
    if path is None:
        return builtins.compile(source, filename, "exec")
    key = ("code", filename, source)
    kept = _load(path).get(key)
    if kept is not None:
        try:
            return marshal.loads(kept)
        except (ValueError, EOFError, TypeError):
            pass  # not this interpreter's code after all: compiled afresh
    compiled = builtins.compile(source, filename, "exec")
    _remember(key, marshal.dumps(compiled))
    return compiled


def _program(pattern: str | bytes, flags: int) -> Program:
    """What ``re.compile`` hands ``_sre.compile`` after parsing and generating code."""
    flags = int(flags)  # a RegexFlag would not marshal
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    size = _sre.CODESIZE  # the code words as the cast in ``_from_program`` reads them back
    words = b"".join(word.to_bytes(size, sys.byteorder) for word in code)
    return (flags | parsed.state.flags, words, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _from_program(pattern: str | bytes, program: Program) -> re.Pattern[Any]:
    final_flags, code, groups, groupindex, indexgroup = program
    words = memoryview(code).cast(_TYPECODE).tolist()
    return _sre.compile(pattern, final_flags, words, groups, dict(groupindex), indexgroup)


@lru_cache(maxsize=1)
def _path() -> str | None:
    """The cache file beside this module's bytecode, or None where there can be none."""
    if _TYPECODE is None:
        return None
    try:
        try:  # what importlib.util re-exports (with contextlib: ~1.5 ms); CPython has it loaded from the start
            from _frozen_importlib_external import cache_from_source
        except ImportError:  # pragma: no cover - an interpreter without CPython's import internals
            from importlib.util import cache_from_source

        return cache_from_source(__file__)[: -len(".pyc")] + ".sre"
    except (NotImplementedError, ValueError, TypeError):  # no cache tag, or no __file__
        return None


def _load(path: str) -> dict[tuple[str | bytes, int], Program]:
    global _programs
    if _programs is None:
        _programs = {}
        try:
            with open(path, "rb") as f:
                header, crc, payload = marshal.loads(f.read())
            # a damaged program can still be valid code ([SUCCESS] matches anything): hence the checksum
            if header == _HEADER and crc == binascii.crc32(payload):
                _programs = marshal.loads(payload)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # no file yet, or one this interpreter did not write: compile afresh
    return _programs


def save() -> None:
    """Write the programs compiled in this run into the file, with those already there (another
    run's may have been added meanwhile); atomically, so a reader never sees half a file."""
    path = _path()
    if not _new or path is None or sys.dont_write_bytecode:
        return
    global _programs
    _programs = None  # read again: keep what another run wrote since
    entries = dict(_load(path))
    if len(entries) + len(_new) > MAX_ENTRIES:
        entries = {}
    entries.update(_new)
    _new.clear()
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        payload = marshal.dumps(entries)
        with open(tmp, "wb") as f:
            f.write(marshal.dumps((_HEADER, binascii.crc32(payload), payload)))
        os.replace(tmp, path)
    except OSError:  # a read-only install: every run compiles, as without the cache
        try:
            os.unlink(tmp)
        except OSError:
            pass


def take_new() -> dict[tuple[str | bytes, int], Program]:
    """The programs compiled afresh in this process and not yet saved, handed over (a forked
    process exits without saving: its parent ``adopt``s them)."""
    out = dict(_new)
    _new.clear()
    return out


def adopt(programs: dict[tuple[str | bytes, int], Program]) -> None:
    """Keep programs another process compiled, to be saved with this one's."""
    for key, value in programs.items():
        _remember(key, value)


class seeding:  # noqa: N801 - used as ``with sre_cache.seeding("yaml"): import yaml``
    """Around the first import of a third-party module that compiles patterns at import (PyYAML:
    its reader's and resolver's, half of its ~18 ms), hand ``re`` those patterns from kept
    programs, and keep the programs of what it compiled afresh. ``re`` looks a pattern up in its
    own cache first (``re._cache``, keyed by type, pattern and flags, in every version since 3.7);
    a key that does not match an interpreter's cache only means the pattern is compiled."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.cache = getattr(re, "_cache", None)
        self.before: set[Any] = set()

    def __enter__(self) -> None:
        path = _path()
        if path is None or not isinstance(self.cache, dict):
            self.cache = None
            return
        for pattern, flags in _load(path).get(("imports", self.kind)) or ():
            self.cache[(type(pattern), pattern, flags)] = compile(pattern, flags)
        self.before = set(self.cache)

    def __exit__(self, *exc: Any) -> None:
        if self.cache is None or exc[0] is not None:
            return
        fresh = [key for key in self.cache if key not in self.before and len(key) == 3 and isinstance(key[2], int)]
        if not fresh:
            return
        key = ("imports", self.kind)
        # what an earlier block of the same kind kept in this run, else what the file holds
        kept = list(_new.get(key) or _load(_path() or "").get(key) or ())
        for _, pattern, flags in fresh:
            compile(pattern, flags)  # keeps its program
            kept.append((pattern, flags))
        _remember(key, tuple(dict.fromkeys(kept)))


def _remember(key: tuple[Any, ...], value: Any) -> None:
    """Keep ``value`` to be saved at exit (the first one registers the save)."""
    if len(_new) < MAX_ENTRIES:
        if not _new and not sys.dont_write_bytecode:
            import atexit

            atexit.register(save)
        _new[key] = value
