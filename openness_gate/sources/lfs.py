"""Recognise Git LFS pointers in a freshly listed inventory; shared by every source.

Only candidates are read: weight files and files that .gitattributes routes through LFS,
and only when their size is that of a pointer, so a repository of 100k small files is not
read in full (and a remote source does not spend an API call per file).
"""

from __future__ import annotations

from openness_gate.inventory import (
    LFS_POINTER_MAX,
    LFS_POINTER_MIN,
    WEIGHT_EXTENSIONS,
    FileEntry,
    Inventory,
    ReadError,
    is_weight_path,
    parse_lfs_pointer,
)
from openness_gate.sources.gitattributes import lfs_extensions, lfs_matcher


def candidates(inventory: Inventory) -> list[FileEntry]:
    """Pointer-sized files that could be LFS pointers, in path order."""
    attributes = {}
    for f in inventory.named(".gitattributes"):
        try:
            attributes[f.path] = inventory.reader.read_bytes(f.path, 256 * 1024).decode("utf-8", errors="replace")
        except ReadError as exc:
            if exc.incomplete:
                inventory.stop(f.path, str(exc))
    simple = lfs_extensions(attributes)
    if simple is not None:
        found = inventory.with_extension(*(WEIGHT_EXTENSIONS | simple))
    else:
        in_lfs = lfs_matcher(attributes)
        found = [f for f in inventory if is_weight_path(f.path) or in_lfs(f.path)]
    return [f for f in found if LFS_POINTER_MIN <= f.size <= LFS_POINTER_MAX]


def mark_lfs_pointers(inventory: Inventory, max_reads: int | None = None) -> list[FileEntry]:
    """Give LFS pointers the real size and oid (in place, before detectors run).

    Returns the candidates left unread because of ``max_reads`` (a remote source's budget).
    """
    todo = candidates(inventory)
    limit = len(todo) if max_reads is None else max_reads
    marked = []
    for f in todo[:limit]:
        try:
            pointer = parse_lfs_pointer(inventory.reader.read_bytes(f.path, LFS_POINTER_MAX + 1))
        except ReadError as exc:
            if exc.incomplete:
                inventory.stop(f.path, str(exc))
            continue
        if pointer is not None:
            f.mark_lfs_pointer(*pointer)
            marked.append(f)
    inventory.derived["lfs_pointers"] = marked
    return todo[limit:]
