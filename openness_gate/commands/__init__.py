"""Subcommands of the CLI. Each module exposes ``register(subparsers) -> parser`` and ``run(args) -> int``.

Keep imports at module level light: ``--help`` imports every command module.
"""

from __future__ import annotations

import os
import sys

from openness_gate.output import write_output  # noqa: F401 - the commands write through it

#: what every command that checks a repository accepts as its target (the sources: local, GitHub, the Hub)
TARGETS = "github:OWNER/REPO[@REF] or hf:[datasets/]OWNER/NAME[@REV]"
TARGET_HELP = f"a repository folder (default: .), {TARGETS}"


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1 (counts, concurrency)."""
    import argparse

    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1 (got {value!r})")
    return n


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
