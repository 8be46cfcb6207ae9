"""pyproject.toml parsed once per text, for the two detectors that read it (declared licences,
console scripts). tomllib is imported on the first parse: it costs ~15 ms (it brings typing,
datetime and string), and most repositories have no pyproject.toml.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _tomllib():  # noqa: ANN202 - the module, or None
    from openness_gate import sre_cache

    try:
        with sre_cache.seeding("tomllib"):  # its three patterns, ~2 ms to compile, kept between runs
            import tomllib
    except ModuleNotFoundError:  # Python 3.10: callers read the lines they need instead
        return None
    return tomllib


def may_hold(text: str, *words: str) -> bool:
    """Whether ``text`` may hold a key or value spelling one of ``words`` (lower-case), so that
    parsing it can answer anything: a pyproject.toml that never writes "licen" declares no
    licence, and importing and running the parser for it costs ~10 ms of a check. A text with a
    ``\\u`` escape may spell a word without writing it, so it is always parsed."""
    low = text.lower()
    return "\\u" in low or any(w in low for w in words)


def available() -> bool:
    """Whether this Python parses TOML (3.11 and later)."""
    return _tomllib() is not None


@lru_cache(maxsize=4)
def parse(text: str) -> dict:
    """The document; raises ValueError (``TOMLDecodeError`` is one) when it is not TOML. The same
    dict is handed to every caller: read it, do not change it."""
    return _tomllib().loads(text)
