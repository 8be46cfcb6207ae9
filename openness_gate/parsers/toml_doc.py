"""pyproject.toml parsed once per check, with tomllib's own patterns kept between runs.

Two detectors read ``pyproject.toml`` (declared licences, console scripts). ``import tomllib``
compiles its regular expressions at import, ~8 ms, more than parsing a pyproject takes; it is
imported under ``sre_cache.seeding`` so that those compiles come from kept programs, as
PyYAML's do. The parse is kept per text, so the second detector pays nothing.
"""

from __future__ import annotations

from functools import lru_cache

from openness_gate import sre_cache


@lru_cache(maxsize=1)
def _tomllib():  # noqa: ANN202 - the module, or None
    try:
        with sre_cache.seeding("tomllib"):
            import tomllib
    except ModuleNotFoundError:  # Python 3.10: callers read the lines they need instead
        return None
    return tomllib


def available() -> bool:
    """Whether this Python parses TOML (3.11 and later)."""
    return _tomllib() is not None


@lru_cache(maxsize=4)
def parse(text: str) -> dict:
    """The document; raises ValueError (``TOMLDecodeError`` is one) when it is not TOML. The same
    dict is handed to every caller: read it, do not change it."""
    return _tomllib().loads(text)
