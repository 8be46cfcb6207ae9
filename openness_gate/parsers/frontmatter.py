"""Hugging Face model/dataset card front matter: the YAML between the first two `---` lines.

Same boundary rule as the Hub (a leading `---` line, then the next `---` line), with a UTF-8
BOM tolerated, a size cap, and the alias-capped loader from ``safe_yaml``.
"""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.parsers import safe_yaml
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_FRONT = lazyre.compile(r"\A\ufeff?\s*---[ \t]*(?:\r\n|\r|\n)([\s\S]*?)(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\n|$)")
_OPENING = lazyre.compile(r"\A\ufeff?\s*---")  # how _FRONT begins: all a file's first bytes can show
#: a YAML mapping key at the start of a line: a block between two `---` lines with none is Markdown
#: under a horizontal rule, not front matter (Mungert69/GGUFModelBuilder's README opens with a rule)
_KEY_LINE = lazyre.compile(r"^[A-Za-z_][\w.-]*[ \t]*:(?:[ \t]|$)", re.MULTILINE)
MAX_FRONT_MATTER = 256 * 1024


@record
class FrontMatter:
    """``data`` is the parsed mapping ({} when absent or invalid); ``error`` says why it is unusable."""

    data: dict[str, Any] = field(default_factory=dict)
    present: bool = False  # a front-matter block exists (even if invalid)
    error: str | None = None
    body_line: int = 1  # 1-based line where the Markdown body starts
    body: str = ""


def may_open(head: str) -> bool:
    """Whether a text that begins with ``head`` (a file's first bytes) may open a front-matter block."""
    return _OPENING.match(head) is not None


def parse(text: str) -> FrontMatter:
    m = _FRONT.match(text)
    if not m:
        return FrontMatter(body=text.lstrip("\ufeff"))
    raw = m.group(1)
    body = text[m.end():]
    body_line = text[: m.end()].count("\n") + 1
    if len(raw) > MAX_FRONT_MATTER:
        return FrontMatter({}, True, f"front matter is {len(raw)} characters, over the {MAX_FRONT_MATTER} limit",
                           body_line, body)
    try:
        data = safe_yaml.load(raw, max_bytes=MAX_FRONT_MATTER, what="front matter")
    except safe_yaml.YamlError as exc:
        if not _KEY_LINE.search(raw):
            return FrontMatter(body=text.lstrip("\ufeff"))
        line = f" at line {exc.line + 1}" if exc.line else ""  # +1: the opening '---' line
        return FrontMatter({}, True, f"front matter is not valid YAML{line}: {str(exc).split(' (line')[0]}",
                           body_line, body)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return FrontMatter({}, True, f"front matter is a {type(data).__name__}, not a mapping", body_line, body)
    return FrontMatter({str(k): v for k, v in data.items()}, True, None, body_line, body)
