"""The command line's argparse parser: help, every command, every error message.

A plain ``check`` command line does not come here (``plain_args`` reads it from the same option
table without importing argparse, ~3 ms of every check); anything else does, and argparse's
answer, help text and errors are the reference ``plain_args`` is tested against.
"""

from __future__ import annotations

import importlib
import os
import sys

from openness_gate import __version__, sre_cache
from openness_gate.cli import COMMANDS
from openness_gate.errors import UsageError

# argparse (with gettext and locale) compiles patterns of its own at every start,
# ~3 ms in pure Python; a later run hands them to re from the programs kept (sre_cache.seeding)
with sre_cache.seeding("argparse"):
    import argparse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _columns() -> int:
    """The help width argparse would use (what ``shutil.get_terminal_size`` reports, less 2)."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _Formatter(argparse.HelpFormatter):
    """argparse's own formatter, sized without importing ``shutil``: argparse builds one for every
    ``add_argument`` (to check its metavar), and its width lookup imports shutil and with it the
    compression modules, ~5 ms of every run."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() if width is None else width)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        """One line, exit 2 (argparse's default prints the whole usage first)."""
        raise UsageError(f"{message} (see '{self.prog} --help')")


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``only``) one with just the command being run: each command module
    imports what its options need, and a `check` should not pay for the other five."""
    parser = _Parser(prog="openness-gate",
                     description="Check an AI model repository for openness evidence and gate on a policy.")
    parser.add_argument("--version", action="version", version=f"openness-gate {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in (only,) if only in COMMANDS else COMMANDS:
        module = importlib.import_module(f"openness_gate.commands.{name}")
        cmd = module.register(sub)
        cmd.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        cmd.set_defaults(_run=module.run)
    return parser
