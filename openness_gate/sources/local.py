"""Build an Inventory from a directory on disk.

In a git work tree the listing comes from ``git ls-files`` (tracked plus untracked files
that are not ignored), which is fast and honours .gitignore. Elsewhere the tree is walked
with ``os.scandir``, skipping ``.git`` and saying so. Nothing outside the root is ever
read: symlinks that leave the root are reported in ``Inventory.skipped`` instead.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess

from openness_gate.errors import UsageError
from openness_gate.inventory import (
    DEFAULT_TEXT_CAP,
    LFS_POINTER_MAX,
    FileEntry,
    Inventory,
    ReadError,
    Skipped,
    Target,
    is_weight_path,
    parse_lfs_pointer,
)
from openness_gate.sources.gitattributes import lfs_matcher


class LocalReader:
    """Reads files below one root; refuses paths that resolve outside it and non-regular files."""

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root + os.sep)

    def read_bytes(self, path: str, limit: int) -> bytes:
        real = os.path.realpath(os.path.join(self.root, path))
        if not self._inside(real):
            raise ReadError("resolves outside the repository root; not read")
        try:
            fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise ReadError(f"cannot open: {exc.strerror or exc}") from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise ReadError("not a regular file; not read")
            chunks, remaining = [], limit
            while remaining > 0:
                chunk = os.read(fd, min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}") from None
        finally:
            os.close(fd)


def _git_listing(root: str) -> tuple[list[str], str | None] | None:
    """(paths, HEAD sha or None) when ``root`` is inside a git work tree, else None."""
    try:
        probe = subprocess.run(
            ["git", "-C", root, "rev-parse", "--is-inside-work-tree"],
            capture_output=True, text=True, timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # git not installed or not answering: walk instead
    if probe.returncode != 0 or probe.stdout.strip() != "true":
        return None
    listing = subprocess.run(
        ["git", "-C", root, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True, timeout=600,
    )
    if listing.returncode != 0:
        raise UsageError(f"git ls-files failed in {root}: {listing.stderr.decode(errors='replace').strip()}")
    head = subprocess.run(["git", "-C", root, "rev-parse", "-q", "--verify", "HEAD"],
                          capture_output=True, text=True, timeout=30)
    revision = head.stdout.strip() or None
    paths = [p for p in listing.stdout.decode("utf-8", errors="surrogateescape").split("\0") if p]
    # ls-files lists a path once per unmerged stage during a conflict
    return list(dict.fromkeys(paths)), revision


def _walk(root: str, skipped: list[Skipped]) -> list[str]:
    paths: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        abs_dir = os.path.join(root, rel_dir) if rel_dir else root
        try:
            entries = list(os.scandir(abs_dir))
        except OSError as exc:
            skipped.append(Skipped(rel_dir or ".", f"directory not readable: {exc.strerror}"))
            continue
        for e in entries:
            rel = f"{rel_dir}/{e.name}" if rel_dir else e.name
            if e.name == ".git":
                skipped.append(Skipped(rel, "version-control metadata, not inspected"))
            elif e.is_dir(follow_symlinks=False):
                stack.append(rel)
            else:
                paths.append(rel)  # files and symlinks; classified when stat'ed
    return paths


def _stat_entries(root: str, real_root: str, paths: list[str], skipped: list[Skipped]) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    lstat, join = os.lstat, os.path.join
    for rel in paths:
        full = join(root, rel)
        try:
            st = lstat(full)
        except FileNotFoundError:
            skipped.append(Skipped(rel, "listed by git but missing from the work tree"))
            continue
        except OSError as exc:
            skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
            continue
        mode = st.st_mode
        if stat.S_ISREG(mode):
            out.append((rel, st.st_size))
        elif stat.S_ISLNK(mode):
            target = os.path.realpath(full)
            if not (target == real_root or target.startswith(real_root + os.sep)):
                skipped.append(Skipped(rel, "symlink to a target outside the repository; not followed"))
                continue
            try:
                tst = os.stat(target)
            except OSError as exc:
                reason = "broken symlink" if exc.errno == errno.ENOENT else f"symlink not readable: {exc.strerror}"
                skipped.append(Skipped(rel, reason))
                continue
            if stat.S_ISREG(tst.st_mode):
                out.append((rel, tst.st_size))
            else:
                skipped.append(Skipped(rel, "symlink to a directory or special file; not followed"))
        elif stat.S_ISDIR(mode):
            skipped.append(Skipped(rel, "git submodule (a separate repository); not inspected"))
        else:
            skipped.append(Skipped(rel, "not a regular file (fifo, socket or device); not read"))
    return out


def load(path: str, *, text_cap: int = DEFAULT_TEXT_CAP) -> Inventory:
    """List the repository at ``path``. Raises UsageError when it is not a readable directory."""
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file or directory")
    if not os.path.isdir(path):
        raise UsageError(f"{path}: not a directory (give the root folder of a repository)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise UsageError(f"{path}: directory is not readable")
    root = os.path.abspath(path)
    real_root = os.path.realpath(root)
    skipped: list[Skipped] = []
    git = _git_listing(root)
    if git is not None:
        paths, revision = git
    else:
        paths, revision = _walk(root, skipped), None
    sized = _stat_entries(root, real_root, paths, skipped)
    reader = LocalReader(root)

    attributes = {}
    for rel, size in sized:
        if rel == ".gitattributes" or rel.endswith("/.gitattributes"):
            try:
                attributes[rel] = reader.read_bytes(rel, 256 * 1024).decode("utf-8", errors="replace")
            except ReadError:
                pass
    in_lfs = lfs_matcher(attributes)

    files: list[FileEntry] = []
    for rel, size in sized:
        entry = FileEntry(rel, size)
        if size <= LFS_POINTER_MAX and (is_weight_path(rel) or in_lfs(rel)):
            try:
                pointer = parse_lfs_pointer(reader.read_bytes(rel, LFS_POINTER_MAX + 1))
            except ReadError:
                pointer = None
            if pointer is not None:
                entry = FileEntry(rel, pointer[1], pointer[0])
        files.append(entry)
    return Inventory(Target("local", path, revision), files, reader, skipped, text_cap)
