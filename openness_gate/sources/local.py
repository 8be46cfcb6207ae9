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
    LFS_POINTER_MIN,
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


def _valid_names(paths: list[str], skipped: list[Skipped]) -> list[str]:
    """Drop (and report) paths that are not valid UTF-8: they cannot be shown in a report."""
    bad = [p for p in paths if not p.isascii() and not _encodable(p)]
    if not bad:
        return paths
    for p in bad:
        shown = p.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        skipped.append(Skipped(shown, "file name is not valid UTF-8; not inspected"))
    rejected = set(bad)
    return [p for p in paths if p not in rejected]


def _encodable(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _stat_entries(root: str, real_root: str, paths: list[str], skipped: list[Skipped]) -> list[FileEntry]:
    """(path, size) of every regular file; everything else goes to ``skipped`` with a reason.

    This loop is the hot path on large repositories (one lstat per file), so it stats
    relative to an open directory descriptor and only does more work for the rare
    symlinks, directories and special files.
    """
    out: list[FileEntry] = []
    append = out.append
    root_fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for rel in paths:
            try:
                st = os.lstat(rel, dir_fd=root_fd)
            except FileNotFoundError:
                skipped.append(Skipped(rel, "listed by git but missing from the work tree"))
                continue
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            if stat.S_ISREG(st.st_mode):
                append(FileEntry(rel, st.st_size))
            else:
                _classify_other(root, real_root, rel, st.st_mode, out, skipped)
    finally:
        os.close(root_fd)
    return out


def _classify_other(root: str, real_root: str, rel: str, mode: int, out: list[FileEntry],
                    skipped: list[Skipped]) -> None:
    full = os.path.join(root, rel)
    if stat.S_ISLNK(mode):
        target = os.path.realpath(full)
        if not (target == real_root or target.startswith(real_root + os.sep)):
            skipped.append(Skipped(rel, "symlink to a target outside the repository; not followed"))
            return
        try:
            tst = os.stat(target)
        except OSError as exc:
            reason = "broken symlink" if exc.errno == errno.ENOENT else f"symlink not readable: {exc.strerror}"
            skipped.append(Skipped(rel, reason))
            return
        if stat.S_ISREG(tst.st_mode):
            out.append(FileEntry(rel, tst.st_size))
        else:
            skipped.append(Skipped(rel, "symlink to a directory or special file; not followed"))
    elif stat.S_ISDIR(mode):
        skipped.append(Skipped(rel, "git submodule (a separate repository); not inspected"))
    else:
        skipped.append(Skipped(rel, "not a regular file (fifo, socket or device); not read"))


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
    paths = _valid_names(paths, skipped)
    files = _stat_entries(root, real_root, paths, skipped)
    reader = LocalReader(root)
    _mark_lfs_pointers(files, reader)
    return Inventory(Target("local", path, revision), files, reader, skipped, text_cap)


def _mark_lfs_pointers(files: list[FileEntry], reader: LocalReader) -> None:
    """Replace small files that are Git LFS pointers by entries carrying the real size.

    Only files of pointer size that are weights or routed through LFS by .gitattributes
    are opened, so that a repository of 100k small files is not read in full.
    """
    attributes = {}
    for f in files:
        if f.path.endswith(".gitattributes") and f.name == ".gitattributes":
            try:
                attributes[f.path] = reader.read_bytes(f.path, 256 * 1024).decode("utf-8", errors="replace")
            except ReadError:
                pass
    in_lfs = lfs_matcher(attributes)
    for i, f in enumerate(files):
        if LFS_POINTER_MIN <= f.size <= LFS_POINTER_MAX and (is_weight_path(f.path) or in_lfs(f.path)):
            try:
                pointer = parse_lfs_pointer(reader.read_bytes(f.path, LFS_POINTER_MAX + 1))
            except ReadError:
                pointer = None
            if pointer is not None:
                files[i] = FileEntry(f.path, pointer[1], pointer[0])
