"""Module-level patterns compile on first use (``openness_gate.lazyre``): a broken pattern must
still fail here, in the suite, and never first on a user's repository."""

from __future__ import annotations

import importlib
import re

import pytest

from openness_gate import lazyre


def _modules() -> list[str]:
    return lazyre.package_modules()


def test_every_module_level_pattern_compiles() -> None:
    total = 0
    for name in _modules():
        total += lazyre.compile_all(importlib.import_module(name))
    # the detectors alone hold a few hundred; a count near zero means the walk found nothing
    assert total > 300


def test_a_broken_pattern_fails_when_checked() -> None:
    class Holder:
        PATTERNS = {"bad": lazyre.compile(r"(unclosed")}

    with pytest.raises(re.error):
        lazyre.compile_all(Holder)


@pytest.mark.parametrize("pattern,flags,text", [
    (r"\bdedup\w*", 0, "run dedup_docs then Dedup"),
    (r"^lr:\s*(\S+)$", re.MULTILINE, "model: x\nlr: 3e-4\n"),
    (r"(?P<year>\d{4})-(\d\d)", 0, "v 2024-05 and 2023-01"),
])
def test_behaves_as_the_compiled_pattern(pattern: str, flags: int, text: str) -> None:
    lazy, real = lazyre.compile(pattern, flags), re.compile(pattern, flags)
    assert lazy.pattern == pattern
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.findall(text) == real.findall(text)
    assert lazy.sub("#", text) == real.sub("#", text)
    assert lazy.split(text) == real.split(text)
    assert (lazy.groups, lazy.groupindex, lazy.flags) == (real.groups, real.groupindex, real.flags)


def test_bytes_patterns_and_no_wrapper_after_first_use() -> None:
    lazy = lazyre.compile(rb"^size (\d+)$")
    assert lazy.match(b"size 42").group(1) == b"42"
    # after the first use the compiled pattern's own method is handed out: hot loops pay nothing
    assert isinstance(lazy.match.__self__, re.Pattern)
    assert "match" in vars(lazy)


def test_unknown_attributes_are_not_forwarded() -> None:
    lazy = lazyre.compile("a")
    with pytest.raises(AttributeError):
        lazy.no_such_method  # noqa: B018
    assert "search" not in vars(lazy)  # and asking did not compile it


#: the packages a local check and its reports run: their patterns must be kept between runs
CHECK_PATH = ("detectors", "parsers", "licenses", "policy", "report")
_RE_CALLS = frozenset({"search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split", "compile"})


def test_the_check_path_writes_no_pattern_inline() -> None:
    """``re.search(r"…", text)`` inside a function compiles its pattern afresh in every process
    that reaches it (``re``'s own cache does not outlive the run); a module-level ``lazyre``
    pattern is compiled once and kept between runs (``sre_cache``). Patterns built at run time
    from data (``re.escape`` of a name) are not literals and are not held to this."""
    import ast
    import pathlib

    root = pathlib.Path(lazyre.__file__).parent
    inline = []
    for package in CHECK_PATH:
        for path in sorted((root / package).rglob("*.py")):
            for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for call in ast.walk(fn):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                            and isinstance(call.func.value, ast.Name) and call.func.value.id == "re"
                            and call.func.attr in _RE_CALLS and call.args and isinstance(call.args[0], ast.Constant)):
                        inline.append(f"{path.relative_to(root)}:{call.lineno}")
    assert inline == []
