"""Subcommands of the CLI. Each module exposes ``register(subparsers) -> parser`` and ``run(args) -> int``.

Keep imports at module level light: ``--help`` imports every command module.
"""

from __future__ import annotations

import os
import sys

from openness_gate.errors import UsageError

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


def write_output(text: str, output: str | None, option: str = "--output") -> None:
    """Write a report to ``output`` or stdout. A regular file is replaced atomically (a reader
    never sees half a report); anything else that exists — ``/dev/null``, a FIFO, a terminal — is
    written through, never replaced (run as root, a rename would swap ``/dev/null`` for a plain
    file); a symlink is followed to the file it names. Errors name ``option``, the flag that gave
    the path (``--cache`` for a scan cache)."""
    if not output or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    output = os.path.realpath(output) if os.path.islink(output) else output
    if os.path.exists(output) and not os.path.isfile(output):
        if os.path.isdir(output):
            raise UsageError(f"{option} {output}: is a directory")
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(f"{option} {output}: cannot write: {exc.strerror or exc}") from None
        return
    directory = os.path.dirname(os.path.abspath(output))
    if not os.path.isdir(directory):
        raise UsageError(f"{option} {output}: directory {directory} does not exist")
    tmp = f"{output}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, output)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise UsageError(f"{option} {output}: cannot write: {exc.strerror or exc}") from None


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"
