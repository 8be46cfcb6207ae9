"""A remote repository's files from one archive download, instead of one API call per file.

A check reads a few hundred files of a large repository (cards, licences, configs, scripts,
notebooks). Fetched blob by blob that is a few hundred API calls, a budget that runs out before
the model card on a 2,000-file repository, and a rate limit an organisation scan cannot afford.
The repository's tar.gz at the checked commit is one request and holds exactly the bytes a local
clone has, so a remote check reads what a local one reads.

Only the head of each file that a read can ask for is kept (the text cap, as the local source
reads), in an anonymous temporary file rather than in memory; the archive is read as a stream
and never unpacked to disk. A file the archive does not hold (``export-ignore`` in
``.gitattributes``, a stream stopped early, an archive that carries LFS objects in place of their
pointers) is read through the fallback reader (blob by blob, within its budget).
"""

from __future__ import annotations

import tarfile
import tempfile
import threading
from typing import IO, Any

from openness_gate.inventory import LFS_POINTER_MAX, Reader, is_weight_path

#: uncompressed bytes read past the listed size before the stream is given up: an archive that
#: embeds LFS objects (a repository setting) would otherwise download every weight file
OVERRUN_SLACK = 64 << 20


class ArchiveReader:
    """Heads of a repository's files from its archive; anything else through ``fallback``. Thread-safe."""

    def __init__(self, fallback: Reader) -> None:
        self.fallback = fallback
        self._spool: IO[bytes] = tempfile.TemporaryFile(prefix="openness-gate-")  # unlinked at once
        self._index: dict[str, tuple[int, int, bool]] = {}  # path -> (offset, length, whole file?)
        self._end = 0
        self._lock = threading.Lock()
        #: whether the archive was read to its end; when not, what it lacks is read file by file
        #: (``fallback``), so nothing is lost, only spent from the read budget
        self.whole = True

    def add(self, path: str, data: bytes, whole: bool) -> None:
        with self._lock:
            self._spool.seek(self._end)
            self._spool.write(data)
            self._index[path] = (self._end, len(data), whole)
            self._end += len(data)

    def costly(self, path: str) -> bool:
        """Only what the archive lacks is read through ``fallback``, and costs what it costs there."""
        costly = getattr(self.fallback, "costly", None)
        return path not in self._index and costly is not None and costly(path)

    def read_bytes(self, path: str, limit: int) -> bytes:
        hit = self._index.get(path)
        if hit is not None and (hit[2] or hit[1] >= limit):
            offset, length, _ = hit
            with self._lock:
                self._spool.seek(offset)
                return self._spool.read(min(length, limit))
        return self.fallback.read_bytes(path, limit)

    def fill(self, stream: Any, sizes: dict[str, int], head: int) -> None:
        """Read the tar.gz ``stream``; keep the first ``head`` bytes of each listed file whose size
        matches the listing (``sizes``: path -> size). ``whole`` says whether it got to the end."""
        expected = sum(sizes.values())
        seen = 0
        try:
            with tarfile.open(fileobj=stream, mode="r|gz") as tar:
                for member in tar:
                    seen += member.size
                    if seen > expected + OVERRUN_SLACK:
                        self.whole = False  # larger than the listed files: it carries LFS objects
                        return
                    path = _tree_path(member.name)
                    if path is None or not member.isreg():
                        continue
                    if is_weight_path(path) and member.size > LFS_POINTER_MAX:
                        continue  # never opened; only a pointer-sized one is read, to recognise a pointer
                    if sizes.get(path) != member.size:  # not listed, or an LFS object in place of its pointer
                        continue
                    fh = tar.extractfile(member)
                    if fh is None:
                        continue
                    data = fh.read(head)
                    self.add(path, data, len(data) >= member.size)
        except (tarfile.TarError, OSError, EOFError, ValueError):
            self.whole = False  # the download stopped


def _tree_path(name: str) -> str | None:
    """``owner-repo-abc1234/dir/file`` → ``dir/file``: archives put every file under one top folder."""
    _, sep, rest = name.partition("/")
    return rest if sep and rest and not rest.endswith("/") else None
