"""pyproject.toml parsed once per text, for the two detectors that read it (declared licences,
console scripts). tomllib is imported on the first parse: it costs ~15 ms (it brings typing,
datetime and string), and most repositories have no pyproject.toml.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _tomllib():  # noqa: ANN202 - the module, or None
    try:
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
