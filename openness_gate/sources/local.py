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
from functools import partial
from itertools import chain

from openness_gate import lazyre
from openness_gate.errors import UsageError
from openness_gate.inventory import (
    DEFAULT_TEXT_CAP,
    FileEntry,
    Inventory,
    ReadError,
    Skipped,
    Target,
)
from openness_gate.sources import spawn
from openness_gate.sources.lfs import mark_lfs_pointers

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable


# O_NONBLOCK: a fifo never blocks the open; O_NOFOLLOW: see LocalReader._open; O_BINARY: Windows
# would translate line ends in os.read otherwise. Flags a platform lacks are 0 there.
_OPEN_FLAGS = os.O_RDONLY | sum(getattr(os, f, 0) for f in ("O_NONBLOCK", "O_NOFOLLOW", "O_BINARY"))
#: folders resolved one step at a time from their parent's resolved path (``LocalReader._real_dir``)
_STEPWISE = os.name == "posix"
#: stat relative to an open folder (POSIX); Windows can neither open a folder nor take dir_fd
_STAT_IN_DIR = os.lstat in os.supports_dir_fd


def portable_path(path: str, sep: str = os.sep) -> str:
    """A path as reports show it: '/' between folders on every platform (Windows' ``\\`` too)."""
    return path.replace(sep, "/") if sep != "/" else path


def _open_error(exc: OSError) -> ReadError:
    if exc.errno == errno.ENOENT:
        return ReadError("listed by git but missing from the work tree (deleted, not committed)")
    return ReadError(f"cannot open: {exc.strerror or exc}", incomplete=True)


class LocalReader:
    """Reads files below one root; refuses paths that resolve outside it and non-regular files."""

    forkable = True  # a forked process reads the same files the same way: no budget, no connection

    def __init__(self, root: str) -> None:
        self.root = os.path.realpath(root)
        self._real_dirs: dict[str, str] = {"": self.root}

    def _inside(self, real: str) -> bool:
        return real == self.root or real.startswith(self.root + os.sep)

    def _real_dir(self, rel_dir: str) -> str:
        """The resolved folder, once per folder. On POSIX it is resolved from its nearest resolved
        ancestor one step at a time, as realpath does: an lstat per new folder says whether the step
        is a symlink (only then is realpath asked), where realpath of the whole path stats every
        component again in pure Python (13 ms of LoRA's 300 reads from 100 folders). Windows keeps
        realpath, which also resolves junctions."""
        real = self._real_dirs.get(rel_dir)
        if real is not None:
            return real
        parts = rel_dir.split("/")
        if not _STEPWISE or any(p in ("", ".", "..") for p in parts):
            real = self._real_dirs[rel_dir] = os.path.realpath(os.path.join(self.root, rel_dir))
            return real
        known = len(parts) - 1
        while known and "/".join(parts[:known]) not in self._real_dirs:
            known -= 1
        real = self._real_dirs["/".join(parts[:known])] if known else self.root
        for j in range(known, len(parts)):
            step = os.path.join(real, parts[j])
            try:
                link = stat.S_ISLNK(os.lstat(step).st_mode)
            except OSError:  # missing or unreadable: the open that follows says why
                link = False
            real = self._real_dirs["/".join(parts[:j + 1])] = os.path.realpath(step) if link else step
        return real

    def _open(self, path: str) -> int:
        """Resolve ``path`` (repo-relative) inside the root and open it, without following a
        symlink out of the root at any step."""
        rel_dir, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            folder, name = self._real_dir(path), ""
        else:
            folder = self._real_dir(rel_dir)
        if not self._inside(folder):
            raise ReadError("resolves outside the repository root; not read")
        target = os.path.join(folder, name) if name else folder
        try:  # the folder is resolved; O_NOFOLLOW refuses a symlink as the last step
            return os.open(target, _OPEN_FLAGS)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.EMLINK):
                raise _open_error(exc) from None
        real = os.path.realpath(target)  # a symlink: followed only to a target inside the root
        if not self._inside(real):
            raise ReadError("resolves outside the repository root; not read")
        try:
            return os.open(real, _OPEN_FLAGS)
        except OSError as exc:
            raise _open_error(exc) from None

    def read_bytes(self, path: str, limit: int) -> bytes:
        fd = self._open(path)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise ReadError("not a regular file; not read")
            # the first read asks for the whole file (or the cap), so that a head is one buffer and
            # not a join of 1 MiB chunks (a copy, in fresh pages); more reads only if it grew meanwhile
            chunks, remaining, want = [], limit, st.st_size + 1
            while remaining > 0:
                chunk = os.read(fd, min(remaining, want))
                want = 1 << 20
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
            return b"".join(chunks)
        except OSError as exc:
            raise ReadError(f"cannot read: {exc.strerror or exc}", incomplete=True) from None
        finally:
            os.close(fd)


_GIT_PROBE = ("rev-parse", "--is-inside-work-tree", "--show-prefix", "-q", "--verify", "HEAD")


def _git_probe(probe: spawn.Child, root: str) -> tuple[bool, str | None]:
    """(inside a git work tree?, HEAD sha or None), from the started ``rev-parse``. A folder that
    its enclosing repository ignores (a downloaded model under an ignored ``models/``) is not part
    of that repository: git would list none of its files, so it is walked as a plain folder."""
    try:
        code, out, _ = probe.finish(timeout=30)
        lines = out.decode("utf-8", "surrogateescape").splitlines()
        if not lines or lines[0] != "true":
            return False, None
        if len(lines) > 1 and lines[1] and spawn.run(["git", "-C", root, "check-ignore", "-q", "."], timeout=30)[0] == 0:
            return False, None
    except OSError:
        return False, None  # git not answering: walk instead
    return True, (lines[2] if len(lines) > 2 and code == 0 else None)


_GIT_LS = ("ls-files", "-z")
_TRACKED_PATH = lazyre.compile("\t([^\0]*)\0")
#: a symlink or submodule entry after the first ("<mode> <sha> <stage>\t<path>\0" each). No "^|"
#: alternative: the engine jumps between occurrences of a leading literal, and tries every position
#: without one (the first entry is tested apart)
_SPECIAL_MODE = lazyre.compile("\0(?:120000|160000) ")


def _git(root: str, *args: str) -> spawn.Child:
    return spawn.Child(["git", "-C", root, *args])


def _finish(proc: spawn.Child, root: str) -> bytes:
    try:
        code, out, err = proc.finish(timeout=600)
    except spawn.Timeout as exc:
        raise UsageError(f"git ls-files in {root}: {exc}") from None
    if code != 0:
        raise UsageError(f"git ls-files failed in {root}: {err.decode(errors='replace').strip()}")
    return out


def _git_listing(root: str, real_root: str, skipped: list[Skipped],
                 children: tuple[spawn.Child, spawn.Child]) -> list[FileEntry]:
    """Tracked files (with their index modes) plus untracked files that are not ignored.

    Two git calls (``children``, started by ``load``) run at once: the index listing is parsed
    while the other call is still walking the work tree for untracked files (measured faster than
    one combined call, whose parse cannot start before the walk ends). The index listing goes
    through a pipe, so git pauses while ``load``'s ``meanwhile`` runs once the pipe is full; a
    temporary file that let it run on was measured slower on two cores (three busy processes
    instead of two). Tracked regular files get their size on first use (see FileEntry);
    symlinks, submodules and untracked files are classified now with one lstat each.
    """
    stage_proc, others_proc = children
    try:
        listing = _finish(stage_proc, root).decode("utf-8", "surrogateescape")
    except BaseException:  # the index listing failed: the other one is stopped, not left behind
        others_proc.discard()
        raise
    tracked = _TRACKED_PATH.findall(listing)  # one C-level scan rather than a Python loop per entry
    # An unmerged path is listed once per stage: keep the first. Each entry has one tab, after its
    # stage, when no path holds one: then as many tabs as entries says every entry is stage 0 and
    # no path repeats (a count costs a third of the dict that removes repeats)
    if not len(tracked) == listing.count(" 0\t") == listing.count("\t"):
        tracked = list(dict.fromkeys(tracked))
    special = _special_index_entries(listing)
    if special:
        tracked = [rel for rel in tracked if rel not in special]
    if "" in tracked:  # never from git; a listing that holds one must not make a nameless entry
        tracked = [rel for rel in tracked if rel]
    files = list(map(FileEntry.lazy_sized(_Sizer(root, skipped)), tracked))
    files.extend(_stat_entries(root, real_root, sorted(special), skipped))
    untracked = _finish(others_proc, root).decode("utf-8", "surrogateescape")
    others = [p for p in untracked.split("\0") if p]
    files.extend(_stat_entries(root, real_root, others, skipped))
    if listing.isascii() and untracked.isascii():  # one C test instead of one per name
        return files
    return _valid_names(files, skipped)


def _special_index_entries(stage_listing: str) -> set[str]:
    """Paths whose index mode is a symlink (120000) or a submodule (160000).

    Found with one scan for their modes rather than by parsing every entry: they are rare, and
    this runs over the whole index of a large repository.
    """
    starts = [0] if stage_listing.startswith(("120000 ", "160000 ")) else []
    starts += [m.start() + 1 for m in _SPECIAL_MODE.finditer(stage_listing)]
    found: set[str] = set()
    for start in starts:
        end = stage_listing.find("\0", start)
        entry = stage_listing[start:end if end != -1 else None]
        found.add(entry[entry.find("\t") + 1:])
    return found


#: why a listed file is not in the inventory after all (deleted between the listing and its stat)
_GIT_GONE = "listed by git but missing from the work tree"
_WALK_GONE = "listed but gone from the folder when it was read"


class _Sizer:
    """Looks a listed file's size up on first use; a file that is gone by then (deleted, not yet
    committed) is reported, with size 0."""

    def __init__(self, root: str, skipped: list[Skipped], gone: str = _GIT_GONE) -> None:
        self.prefix = root.rstrip(os.sep) + os.sep
        self.skipped = skipped
        self.gone = gone

    def __call__(self, rel: str) -> int:
        try:
            st = os.lstat(self.prefix + rel)
        except OSError as exc:
            reason = self.gone if exc.errno == errno.ENOENT else f"cannot stat: {exc.strerror}"
            self.skipped.append(Skipped(rel, reason))
            return 0
        return st.st_size


def _walked_entries(root: str, real_root: str, skipped: list[Skipped]) -> list[FileEntry]:
    """The files of a folder that is not a git work tree. The directory listing already says
    which entries are regular files (``d_type``): they get their size on first use, as tracked
    files do, instead of an lstat each now (0.35 s of 100k files); symlinks and special files are
    classified now. Each folder's files come sorted, so the inventory's sort by path merges runs."""
    listing, others = _walk(root, skipped)
    entry = FileEntry.lazy_sized(_Sizer(root, skipped, _WALK_GONE))
    files = list(map(entry, chain.from_iterable(listing.values())))
    files += _stat_entries(root, real_root, others, skipped, _WALK_GONE)  # symlinks to files inside the root
    # one C-level ASCII test per folder's joined paths (not a Python step per entry, as in _valid_names)
    if all(map(str.isascii, map("".join, listing.values()))) and all(map(str.isascii, others)):
        return files
    return _valid_names(files, skipped)


def _walk(root: str, skipped: list[Skipped]) -> tuple[dict[str, list[str]], list[str]]:
    """(folder → the paths of its regular files, sorted; the paths of everything else but
    folders), as the directory listing types them."""
    listing: dict[str, list[str]] = {}
    others: list[str] = []
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        prefix = rel_dir + "/" if rel_dir else ""
        try:
            entries = list(os.scandir(os.path.join(root, rel_dir) if rel_dir else root))
        except OSError as exc:
            skipped.append(Skipped(rel_dir or ".", f"directory not readable: {exc.strerror}"))
            continue
        paths: list[str] = []
        for e in entries:
            rel = prefix + e.name
            if e.name == ".git":
                skipped.append(Skipped(rel, "version-control metadata, not inspected"))
            elif e.is_dir(follow_symlinks=False):
                stack.append(rel)
            elif e.is_file(follow_symlinks=False):
                paths.append(rel)
            else:
                others.append(rel)  # symlinks and special files: classified by an lstat
        paths.sort()
        listing[rel_dir] = paths
    return listing, others


def _valid_names(files: list[FileEntry], skipped: list[Skipped]) -> list[FileEntry]:
    """Drop (and report) files whose names are not valid UTF-8: they cannot be shown in a report."""
    bad = [f for f in files if not f.path.isascii() and not _encodable(f.path)]
    if not bad:
        return files
    for f in bad:
        shown = f.path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        skipped.append(Skipped(shown, "file name is not valid UTF-8; not inspected"))
    rejected = {f.path for f in bad}
    return [f for f in files if f.path not in rejected]


def _encodable(path: str) -> bool:
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _stat_entries(root: str, real_root: str, paths: list[str], skipped: list[Skipped],
                  gone: str = _GIT_GONE) -> list[FileEntry]:
    """(path, size) of every regular file; everything else goes to ``skipped`` with a reason.

    This loop is the hot path on large repositories (one lstat per file), so it stats
    relative to an open directory descriptor and only does more work for the rare
    symlinks, directories and special files.
    """
    out: list[FileEntry] = []
    append, lstat = out.append, os.lstat
    if _STAT_IN_DIR:
        root_fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        stat_at = partial(lstat, dir_fd=root_fd)
    else:
        root_fd, prefix = -1, os.path.join(root, "")
        stat_at = lambda rel: lstat(prefix + rel)  # noqa: E731
    try:
        for rel in paths:
            try:
                st = stat_at(rel)
            except FileNotFoundError:
                skipped.append(Skipped(rel, gone))
                continue
            except OSError as exc:
                skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            if st.st_mode & 0o170000 == 0o100000:  # S_ISREG, inlined: this loop runs once per file
                append(FileEntry(rel, st.st_size))
            else:
                _classify_other(root, real_root, rel, st.st_mode, out, skipped)
    finally:
        if root_fd >= 0:
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


def load(path: str, *, text_cap: int = DEFAULT_TEXT_CAP, meanwhile: Callable[[], object] | None = None) -> Inventory:
    """List the repository at ``path``. Raises UsageError when it is not a readable directory.

    ``meanwhile`` runs once, while git lists the files when the folder is a work tree."""
    if not os.path.exists(path):
        raise UsageError(f"{path}: no such file or directory")
    if not os.path.isdir(path):
        raise UsageError(f"{path}: not a directory (give the root folder of a repository)")
    if not os.access(path, os.R_OK | os.X_OK):
        raise UsageError(f"{path}: directory is not readable")
    root = os.path.abspath(path)
    real_root = os.path.realpath(root)
    skipped: list[Skipped] = []
    # git is asked whether this is a work tree and for its listings at once, before ``meanwhile``:
    # on a small repository the three answers arrive while the imports run (~1.5 ms of waiting
    # for rev-parse alone, before); outside a work tree the listings fail and are discarded
    started: list[spawn.Child] = []
    try:
        for args in (_GIT_PROBE, (*_GIT_LS, "--stage"), (*_GIT_LS, "--others", "--exclude-standard")):
            started.append(_git(root, *args))
    except OSError:  # git not installed (or not starting): walk
        for child in started:
            child.discard()
        started = []
    try:
        if meanwhile is not None:
            meanwhile()
        in_git, revision = _git_probe(started[0], root) if started else (False, None)
    except BaseException:
        for child in started:
            child.discard()
        raise
    if in_git:
        files = _git_listing(root, real_root, skipped, (started[1], started[2]))
    else:
        for child in started[1:]:
            child.discard()
        files = _walked_entries(root, real_root, skipped)
    reader = LocalReader(root)
    inventory = Inventory(Target("local", portable_path(path), revision), files, reader, skipped, text_cap)
    mark_lfs_pointers(inventory)
    return inventory
