"""Build an Inventory of one git commit from the local history, without checking it out.

The GitHub Action compares a pull request's head (the work tree) with its base commit; the
base is read straight from the object database: ``git ls-tree -r -l`` lists every blob with
its size, ``git cat-file blob`` reads the few small files detectors ask for. The same text
rules as the work-tree source apply (``Inventory.read_text``: capped, UTF-8 tolerant, weight
files never opened), and Git LFS pointers are recognised with ``inventory.parse_lfs_pointer``.
Symlinks and submodules in the tree are listed in ``skipped``: a commit's symlink could point
anywhere on the runner, so it is never followed.
"""

from __future__ import annotations

import os
import subprocess
import threading
import weakref

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
from openness_gate.sources.lfs import mark_lfs_pointers

_SHA = lazyre.compile(r"^[0-9a-fA-F]{4,64}$")
_TIMEOUT = 120


def _git(cwd: str, *args: str, timeout: float = _TIMEOUT) -> bytes:
    try:
        proc = subprocess.run(["git", "-C", cwd, *args], capture_output=True, timeout=timeout)
    except FileNotFoundError:
        raise UsageError("git is not installed: cannot read the base commit") from None
    except subprocess.TimeoutExpired:
        raise UsageError(f"git {args[0]} took more than {timeout:.0f}s in {cwd}") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed in {cwd}: {message[-1] if message else 'exit ' + str(proc.returncode)}")
    return proc.stdout


class GitObjectReader:
    """Reads blobs of one commit by object id; only paths of the listing can be read.

    Small blobs go through one long-lived ``git cat-file --batch`` process (a process per read
    costs milliseconds, and detectors read hundreds of small files); a blob larger than
    ``BATCH_MAX`` is streamed by its own ``git cat-file blob`` that is stopped after ``limit``
    bytes, because the batch protocol would make us read all of it.
    """

    BATCH_MAX = 4 << 20

    def __init__(self, cwd: str, blobs: dict[str, tuple[str, int]]) -> None:
        self.cwd = cwd
        self.blobs = blobs  # path -> (object id, size)
        self._batch: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def read_bytes(self, path: str, limit: int) -> bytes:
        entry = self.blobs.get(path)
        if entry is None:
            raise ReadError("not a file of this commit")
        oid, size = entry
        if size > self.BATCH_MAX:
            return self._stream(oid, limit)
        with self._lock:
            try:
                return self._from_batch(oid)[:limit]
            except (OSError, ValueError) as exc:
                self.close()
                raise ReadError(f"cannot read the blob from git: {exc}", incomplete=True) from None

    def _from_batch(self, oid: str) -> bytes:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = subprocess.Popen(["git", "-C", self.cwd, "cat-file", "--batch"], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            weakref.finalize(self, _stop, self._batch)
        proc = self._batch
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(oid.encode("ascii") + b"\n")
        proc.stdin.flush()
        header = proc.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise ValueError(f"unexpected answer {b' '.join(header)[:80]!r}")
        data = proc.stdout.read(int(header[2]))
        proc.stdout.read(1)  # the newline after each object
        return data

    def _stream(self, oid: str, limit: int) -> bytes:
        try:
            proc = subprocess.Popen(["git", "-C", self.cwd, "cat-file", "blob", oid],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise ReadError(f"cannot run git: {exc.strerror or exc}", incomplete=True) from None
        assert proc.stdout is not None
        try:
            chunks, remaining = [], limit
            while remaining > 0:
                chunk = proc.stdout.read(min(remaining, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                remaining -= len(chunk)
        finally:
            _stop(proc)  # stop streaming a large blob we no longer need
        return b"".join(chunks)

    def close(self) -> None:
        if self._batch is not None:
            _stop(self._batch)
            self._batch = None


def _stop(proc: subprocess.Popen[bytes]) -> None:
    for stream in (proc.stdin, proc.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def parse_ls_tree(listing: bytes) -> tuple[list[tuple[str, str, int]], list[Skipped]]:
    """Parse ``git ls-tree -r -l -z`` into (path, object id, size) of blobs plus skipped entries."""
    blobs: list[tuple[str, str, int]] = []
    skipped: list[Skipped] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        parts = meta.split()
        if len(parts) != 4:
            continue
        mode, kind, oid, size = (p.decode("ascii", "replace") for p in parts)
        try:
            path = raw_path.decode("utf-8")
        except UnicodeDecodeError:
            shown = raw_path.decode("utf-8", "replace")
            skipped.append(Skipped(shown, "file name is not valid UTF-8; not inspected"))
            continue
        if kind == "commit":
            skipped.append(Skipped(path, "git submodule (a separate repository); not inspected"))
        elif mode == "120000":
            skipped.append(Skipped(path, "symlink in the commit; not followed"))
        elif kind == "blob" and size.isdigit():
            blobs.append((path, oid, int(size)))
    return blobs, skipped


def resolve(cwd: str, revision: str) -> str:
    """The full commit id of ``revision``; UsageError when it is not in the local history."""
    if not revision or revision.startswith("-"):
        raise UsageError(f"not a git revision: {revision!r}")
    try:
        out = _git(cwd, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except UsageError:
        hint = " (fetch it first, e.g. actions/checkout with fetch-depth: 0)" if _SHA.match(revision) else ""
        raise UsageError(f"commit {revision} is not in the local git history{hint}") from None
    return out.decode().strip()


def load(path: str, revision: str, *, text_cap: int = DEFAULT_TEXT_CAP) -> Inventory:
    """Inventory of ``path`` (a folder inside a git work tree) as it was at ``revision``."""
    if not os.path.isdir(path):
        raise UsageError(f"{path}: not a directory")
    sha = resolve(path, revision)
    prefix = _git(path, "rev-parse", "--show-prefix").decode("utf-8", "replace").strip()
    tree = f"{sha}:{prefix}" if prefix else sha
    try:
        listing = _git(path, "ls-tree", "-r", "-l", "-z", "--full-tree", tree)
    except UsageError:
        # the folder did not exist at that commit: an empty repository, not an error
        listing = b""
    entries, skipped = parse_ls_tree(listing)
    reader = GitObjectReader(path, {p: (oid, size) for p, oid, size in entries})
    files = [FileEntry(p, size) for p, _, size in entries]
    inventory = Inventory(Target("local", path, sha), files, reader, skipped, text_cap)
    mark_lfs_pointers(inventory)
    return inventory


