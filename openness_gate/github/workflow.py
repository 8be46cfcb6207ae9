"""GitHub Actions workflow commands: step outputs, the job summary, annotations.

Plain file appends and stdout lines, as the runner defines them; no API calls, no judging.
Values are escaped so that a repository string can never end an annotation early or forge a
second workflow command, and multi-line outputs use a random heredoc delimiter.
"""

from __future__ import annotations

import os
import secrets
import sys
from typing import TextIO

from openness_gate.record import record

MAX_ANNOTATIONS_PER_LEVEL = 10  # the runner shows at most 10 errors and 10 warnings per step


def escape_data(value: str) -> str:
    """Escape a command message (the runner's rules: %, CR and LF)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property (also ':' and ',', which separate properties)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


@record
class Annotation:
    level: str  # error | warning | notice
    message: str
    title: str | None = None
    file: str | None = None
    line: int | None = None


def format_annotation(a: Annotation) -> str:
    props = []
    if a.file:
        props.append(f"file={escape_property(a.file)}")
        if a.line:
            props.append(f"line={int(a.line)}")
    if a.title:
        props.append(f"title={escape_property(a.title)}")
    head = f"::{a.level} {','.join(props)}" if props else f"::{a.level}"
    return f"{head}::{escape_data(a.message)}"


def emit_annotations(annotations: list[Annotation], out: TextIO | None = None) -> int:
    """Print at most 10 errors and 10 warnings (more would be dropped by the runner anyway)."""
    out = out or sys.stdout
    counts: dict[str, int] = {}
    printed = 0
    for a in annotations:
        counts[a.level] = counts.get(a.level, 0) + 1
        if counts[a.level] <= MAX_ANNOTATIONS_PER_LEVEL:
            print(format_annotation(a), file=out)
            printed += 1
    out.flush()
    return printed


def warning(message: str, out: TextIO | None = None) -> None:
    emit_annotations([Annotation("warning", message)], out)


def set_outputs(values: dict[str, str], path: str | None = None) -> bool:
    """Append ``name=value`` pairs to $GITHUB_OUTPUT; multi-line values use a heredoc. False when unset."""
    path = path or os.environ.get("GITHUB_OUTPUT")
    if not path:
        return False
    lines = []
    for name, value in values.items():
        if "\n" in value or "\r" in value:
            delimiter = f"og_{secrets.token_hex(8)}"
            while delimiter in value:
                delimiter = f"og_{secrets.token_hex(8)}"
            lines.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
        else:
            lines.append(f"{name}={value}\n")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("".join(lines))
    return True


def append_summary(markdown: str, path: str | None = None) -> bool:
    """Append to $GITHUB_STEP_SUMMARY (the job summary page). False when unset."""
    path = path or os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True
