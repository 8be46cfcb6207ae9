"""Which paths `.gitattributes` routes through Git LFS (`filter=lfs`).

Only used to choose which small files are worth opening to look for an LFS pointer, so
the matcher covers the pattern forms seen in model repositories (``*.safetensors``,
``weights/**``, ``/model.bin``), following gitattributes(5): a pattern without a slash
matches the file name at any depth below the attributes file; one with a slash is anchored
to the attributes file's directory; ``**`` spans directories.
"""

from __future__ import annotations

import posixpath
import re

from openness_gate import lazyre

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


def _glob_to_regex(glob: str) -> str:
    out, i = [], 0
    while i < len(glob):
        c = glob[i]
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if glob.startswith("/**", i) and i + 3 == len(glob):
            out.append("/.*")
            i += 3
            continue
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = glob.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
            else:
                body = glob[i + 1:j].replace("\\", "\\\\")
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append(f"[{body}]")
                i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


_SIMPLE_EXT = lazyre.compile(r"^\*(\.[A-Za-z0-9_+-]+)$")


def lfs_extensions(attribute_files: dict[str, str]) -> frozenset[str] | None:
    """The common case, fast: when every LFS rule is a root-level ``*.ext`` pattern, the set of
    those extensions (lower-cased); None when any rule needs the general matcher."""
    exts: set[str] = set()
    for attr_path, text in attribute_files.items():
        for line in text.splitlines():
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            attrs = parts[1:]
            touches_filter = any(a == "-filter" or a == "!filter" or a.startswith("filter=") for a in attrs)
            if not touches_filter:
                continue
            m = _SIMPLE_EXT.match(parts[0])
            if "filter=lfs" not in attrs or not m or "/" in attr_path:
                return None
            exts.add(m.group(1).lower())
    return frozenset(exts)


def lfs_matcher(attribute_files: dict[str, str]) -> Callable[[str], bool]:
    """Build a predicate from ``{path of .gitattributes: its text}``: is ``path`` stored in LFS?

    Later lines override earlier ones (``-filter`` / ``!filter`` unset the attribute), and a
    deeper attributes file overrides a shallower one, as git does.
    """
    rules: list[tuple[int, re.Pattern[str], bool]] = []
    for order, (attr_path, text) in enumerate(sorted(attribute_files.items(), key=lambda kv: kv[0].count("/"))):
        base = posixpath.dirname(attr_path)
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            pattern, attrs = parts[0], parts[1:]
            if "filter=lfs" in attrs:
                on = True
            elif "-filter" in attrs or "!filter" in attrs or any(a.startswith("filter=") for a in attrs):
                on = False
            else:
                continue
            if "/" in pattern.rstrip("/"):
                rx = _glob_to_regex(pattern.lstrip("/"))
                prefix = re.escape(base + "/") if base else ""
                full = f"^{prefix}{rx}$"
            else:
                prefix = re.escape(base + "/") if base else ""
                full = f"^{prefix}(?:.*/)?{_glob_to_regex(pattern)}$"
            rules.append((order, re.compile(full), on))
    if not rules:
        return lambda path: False

    def is_lfs(path: str) -> bool:
        result = False
        for _, rx, on in rules:
            if rx.match(path):
                result = on
        return result

    return is_lfs
