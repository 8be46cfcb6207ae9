"""Writing a report, badge or cache where the user asked: the one way every command and the
organisation scan write files, kept below the commands so that lower layers (the scan cache, the
compare matrix) need not import the command-line front door."""

from __future__ import annotations

import os
import sys

from openness_gate.errors import UsageError


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
