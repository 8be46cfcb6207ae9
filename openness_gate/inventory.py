"""The Inventory: every file of a repository with its size, and a safe, capped, lazy text reader.

Sources (local directory, git tree, GitHub API) build an ``Inventory``; detectors only ever
see this interface. Reading rules live here so that every detector gets them for free:

* reads are lazy and cached, capped at ``text_cap`` bytes (default 1 MiB);
* invalid UTF-8 is decoded with U+FFFD, UTF-16 with a BOM is decoded, a UTF-8 BOM is dropped;
* binary content (a NUL byte near the start) is not returned as text;
* weight files are never opened;
* the ``Reader`` behind it refuses anything outside the repository root.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from operator import attrgetter
from types import MappingProxyType

from openness_gate import lazyre
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol
else:
    Protocol = object  # Reader is a protocol for type checkers, a plain base class when running

DEFAULT_TEXT_CAP = 1 << 20  # 1 MiB
#: how many times ``text_cap`` ``read_whole_notebook`` reads: a notebook's outputs (base64 plots, logs)
#: are most of it, and Jupyter writes each cell's outputs before its source
NOTEBOOK_CAP_FACTOR = 8
LFS_POINTER_MAX = 1024  # git-lfs never writes a pointer larger than this
LFS_POINTER_MIN = 100  # version line + oid line + size line

#: Extensions of model-weight and tensor-archive formats. Such files are listed, never opened
#: (they can be gigabytes, and pickle-based ones are not to be touched).
WEIGHT_EXTENSIONS: frozenset[str] = frozenset({
    ".safetensors", ".bin", ".pt", ".pth", ".ckpt", ".gguf", ".ggml", ".onnx", ".onnx_data",
    ".h5", ".hdf5", ".keras", ".pb", ".tflite", ".msgpack", ".npz", ".npy", ".pkl", ".pickle",
    ".joblib", ".mlmodel", ".mar", ".nemo", ".pdparams", ".engine", ".plan", ".ot", ".llamafile",
})


def extension(path: str) -> str:
    """Lower-case extension of the last path component, with the dot ('' when none; '' for dotfiles)."""
    head, dot, tail = path.rpartition(".")
    if not dot or "/" in tail or not head or head[-1] == "/":
        return ""
    return "." + tail.lower()


def is_weight_path(path: str) -> bool:
    return extension(path) in WEIGHT_EXTENSIONS


def never_opened(path: str) -> str | None:
    """Why ``path`` is listed but never read as text (a weight file, a PDF), or None: the inventory
    refuses the read itself, so no detector reads such a file's bytes by accident."""
    ext = extension(path)
    if ext in WEIGHT_EXTENSIONS:
        return "weight file: listed, never opened"
    if ext == ".pdf":
        return "a PDF: listed, not read as text, so its terms are not identified"
    return None


class FileEntry:
    """One file. ``size`` is the real size: for a Git LFS pointer, the size it points to.

    A source may leave the size to be looked up on first use (``lazy_sized``): on a repository
    of 100k files one ``lstat`` per file costs more than everything else ``check`` does,
    and most detectors only need the sizes of a few files (weights, candidate pointers).
    """

    __slots__ = ("path", "_size", "lfs_oid")
    #: looks the size up on first use; set on a subclass made by ``lazy_sized`` (a per-file slot
    #: would make creating 100k entries a third slower)
    _sizer: Callable[[str], int] | None = None

    def __init__(self, path: str, size: int | None = None, lfs_oid: str | None = None) -> None:
        self.path = path  # repo-relative, '/'-separated
        self._size = size
        self.lfs_oid = lfs_oid  # "sha256:<hex>" when the file in the repository is an LFS pointer

    @classmethod
    def lazy_sized(cls, sizer: Callable[[str], int]) -> type["FileEntry"]:
        """A FileEntry class whose entries made without a size ask ``sizer(path)`` on first use."""
        return type("FileEntry", (cls,), {"__slots__": (), "_sizer": staticmethod(sizer)})

    @property
    def size(self) -> int:
        if self._size is None:
            self._size = self._sizer(self.path) if self._sizer is not None else 0
        return self._size

    @property
    def size_known(self) -> bool:
        """True when ``size`` costs nothing (already looked up)."""
        return self._size is not None

    @property
    def is_lfs_pointer(self) -> bool:
        return self.lfs_oid is not None

    def mark_lfs_pointer(self, oid: str, size: int) -> None:
        """Called by sources only, while building the inventory (before detectors run)."""
        self.lfs_oid, self._size = oid, size

    @property
    def name(self) -> str:
        return self.path[self.path.rfind("/") + 1:]

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, FileEntry) and self.path == other.path and self.lfs_oid == other.lfs_oid
                and self.size == other.size)

    def __hash__(self) -> int:
        return hash(self.path)

    def __repr__(self) -> str:
        size = self._size if self._size is not None else "?"
        lfs = f", lfs_oid={self.lfs_oid!r}" if self.lfs_oid else ""
        return f"FileEntry({self.path!r}, size={size}{lfs})"


@record(slots=True)
class Skipped:
    """Something the source saw but did not list as a file, and why (never dropped silently)."""

    path: str
    reason: str


@record
class Target:
    kind: str  # "local" | "github" | "huggingface"
    path_or_repo: str
    revision: str | None = None

    @property
    def name(self) -> str:
        """The work's own name: the folder a local target names (``.`` is the folder it stands
        for), else NAME of a remote OWNER/NAME."""
        if self.kind == "local":
            return os.path.basename(os.path.abspath(self.path_or_repo))
        return self.path_or_repo.rstrip("/").rsplit("/", 1)[-1]


#: how ``Inventory.partial`` begins the reason of a head read (reports count those apart)
HEAD_READ = "read the first "


@record(slots=True)
class Text:
    """The result of a text read. ``text`` is None when the file could not be read as text;
    ``note`` then says why (binary, weight file, outside the root…), or otherwise flags a
    lossy read (truncated, invalid UTF-8 replaced, decoded from UTF-16)."""

    path: str
    text: str | None
    note: str | None = None
    truncated: bool = False


_PATH = attrgetter("path")


class ReadError(Exception):
    """A file could not be read; the message is a reason a person understands.

    ``incomplete``: a limit or a fault stopped the read (a remote read budget, a size the remote
    source will not fetch, an I/O error): the verdict may rest on what was not read, and says so.
    A refusal by design (outside the repository root, not a regular file) is not incomplete."""

    def __init__(self, reason: str, *, incomplete: bool = False) -> None:
        super().__init__(reason)
        self.incomplete = incomplete


class Reader(Protocol):
    def read_bytes(self, path: str, limit: int) -> bytes:
        """Return at most ``limit`` bytes of ``path``; raise ReadError with a reason otherwise."""

    #: (optional, default False) reads give the same answer from a forked process and share no
    #: budget or connection with the parent: the detectors may then run in two processes
    #: (``detectors.split``). True for a local folder only.
    forkable: bool

    #: (optional, default: never) ``costly(path)``: reading ``path`` spends a remote request from
    #: the read budget; ``Inventory.peek`` then reads the file once and keeps it.
    costly: Callable[[str], bool]


_LFS_VERSIONS = (b"version https://git-lfs.github.com/spec/v1", b"version https://hawser.github.com/spec/v1")
_LFS_OID = lazyre.compile(rb"^oid sha256:([0-9a-f]{64})$")
_LFS_SIZE = lazyre.compile(rb"^size (\d+)$")


def parse_lfs_pointer(data: bytes) -> tuple[str, int] | None:
    """Return (oid, size) if ``data`` is a Git LFS pointer file, else None (spec: git-lfs docs/spec.md)."""
    if len(data) > LFS_POINTER_MAX or not data.startswith(_LFS_VERSIONS[0][:8]):
        return None
    lines = data.split(b"\n")
    if lines[0] not in _LFS_VERSIONS:
        return None
    oid = size = None
    for line in lines[1:]:
        if m := _LFS_OID.match(line):
            oid = "sha256:" + m.group(1).decode()
        elif m := _LFS_SIZE.match(line):
            size = int(m.group(1))
    if oid is None or size is None:
        return None
    return oid, size


def decode_text(data: bytes, end: int | None = None) -> tuple[str | None, str | None]:
    """Decode file bytes (the first ``end`` of them) to text. Returns (text, note); text is None for
    binary content. The head is decoded in place, not sliced off first: a copy of a 1 MiB head is
    256 fresh pages, and a page fault costs ~4 µs here (a notebook over the cap was read at ~2.5 MB
    of fresh pages)."""
    end = len(data) if end is None else min(end, len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff"), 0, end):
        return str(memoryview(data)[:end], "utf-16", "replace"), "decoded from UTF-16"
    if data.find(b"\x00", 0, min(end, 8192)) >= 0:
        return None, "binary content (NUL bytes), not read as text"
    start = 3 if data.startswith(b"\xef\xbb\xbf", 0, end) else 0
    view = data if start == 0 and end == len(data) else memoryview(data)[start:end]
    try:
        return str(view, "utf-8"), None
    except UnicodeDecodeError:
        return str(view, "utf-8", "replace"), "invalid UTF-8 replaced with U+FFFD"


class _Journalled:
    """The context manager ``Inventory.journalled`` returns (a class: ``contextlib`` would be one
    more import on every check's path, for a block only a split check enters)."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory

    def __enter__(self) -> list[tuple[Any, ...]]:
        self.outer = self.inventory._journal  # a block within another records into its own list only
        self.inventory._journal = events = []
        return events

    def __exit__(self, *exc: object) -> None:
        self.inventory._journal = self.outer


@record(frozen=False)
class Inventory:
    """All files of one repository revision, and lazy access to their text."""

    target: Target
    files: list[FileEntry]
    reader: Reader
    skipped: list[Skipped] = field(default_factory=list)
    text_cap: int = DEFAULT_TEXT_CAP
    #: what the hosting service states about the repository beyond its files, keyed by service
    #: (``facts["huggingface"]``: gating, parameter counts…); detectors read it as evidence, a
    #: local folder has none
    facts: dict[str, Any] = field(default_factory=dict)
    #: heads read where a size cap stopped the read: path -> (bytes read, file size), for files
    #: no read took whole (``_whole``): which read came first does not matter
    _heads: dict[str, tuple[int, int | None]] = field(default_factory=dict, repr=False)
    _whole: set[str] = field(default_factory=set, repr=False)
    #: paths whose content was read at all (a budget's "not read" never applies to them)
    _read_paths: set[str] = field(default_factory=set, repr=False)
    #: while not None, what reads change in the state above, as events (``replay`` applies them):
    #: a detector run in another process hands its events back (``detectors.split``)
    _journal: list[tuple[Any, ...]] | None = field(default=None, repr=False)
    #: each budget stop as it came: (the paths it left unjudged, why, the components it concerns or
    #: None for the running detector's, the strongest status they could give), files another
    #: detector read included; the files left unread are derived from it (``partial``)
    _budget_log: list[tuple[tuple[str, ...], str, tuple[str, ...] | None, str]] = field(default_factory=list, repr=False)
    #: what a limit or fault stopped (reads, listing): path -> why; the verdict is then incomplete
    _stops: dict[str, str] = field(default_factory=dict, repr=False)
    _texts: dict[tuple[str, int], Text] = field(default_factory=dict, repr=False)
    _raw: dict[str, tuple[bytes, bool]] = field(default_factory=dict, repr=False)  # bytes read, whole file?
    _index: tuple[dict[str, list[FileEntry]], dict[str, list[FileEntry]]] | None = field(default=None, repr=False)
    #: derived data that stages compute once per inventory (e.g. the detectors' FileIndex)
    derived: dict[Any, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.files.sort(key=_PATH)

    def read_extent(self) -> dict[str, int | None]:
        """Every file whose content the checks read so far, in path order, with how much: the bytes
        of the longest head read where a cap stopped every read of it, None where a read took it
        whole. Derived from the read state, which a split check replays from both processes and
        which reads not kept (``keep=False``) record too: the bytes themselves are not all here."""
        return {path: None if path in self._whole else self._heads.get(path, (None,))[0]
                for path in sorted(self._read_paths)}

    def lfs_pointers(self) -> list[FileEntry]:
        """The files that are Git LFS pointers (recorded by the source's LFS pass when it ran)."""
        marked = self.derived.get("lfs_pointers")
        return list(marked) if marked is not None else [f for f in self.files if f.is_lfs_pointer]

    # --- listing -------------------------------------------------------------------------
    def __iter__(self) -> Iterator[FileEntry]:
        return iter(self.files)

    def __len__(self) -> int:
        return len(self.files)

    def get(self, path: str) -> FileEntry | None:
        """The entry of ``path``, by binary search (files are kept in path order): a check looks
        up a few hundred paths, and a dict of 100k paths would cost more than all of them."""
        files = self.files
        i = bisect_left(files, path, key=_PATH)
        if i < len(files) and files[i].path == path:
            return files[i]
        return None

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and self.get(path) is not None

    def _indexes(self) -> tuple[dict[str, list[FileEntry]], dict[str, list[FileEntry]]]:
        if self._index is None:
            self._index = self._build_indexes()
        return self._index

    def _build_indexes(self) -> tuple[dict[str, list[FileEntry]], dict[str, list[FileEntry]]]:
        """One pass over all files, shared by every detector (and the detectors' FileIndex):
        most rules look at a few extensions, names or folders, so they should not each walk
        100k paths. Names are answered from the extension buckets, so no third map is built."""
        by_ext: dict[str, list[FileEntry]] = {}
        by_dir: dict[str, list[FileEntry]] = {}
        last_dir, dir_bucket = None, None  # files of one folder mostly come in a run: one lookup per run
        for f in self.files:
            path = f.path
            slash = path.rfind("/")
            d = path[:slash] if slash > 0 else ""
            if d != last_dir:
                dir_bucket = by_dir.get(d)
                if dir_bucket is None:
                    dir_bucket = by_dir[d] = []
                last_dir = d
            dir_bucket.append(f)
            dot = path.rfind(".")
            key = path[dot:].lower() if dot > slash + 1 else ""  # '' for none and for dotfiles
            bucket = by_ext.get(key)
            if bucket is None:
                by_ext[key] = [f]
            else:
                bucket.append(f)
        return by_ext, by_dir

    @property
    def by_extension(self) -> dict[str, list[FileEntry]]:
        """Lower-case extension ('.py', '' for none or dotfiles) → files, in path order. Read-only."""
        return self._indexes()[0]

    @property
    def by_directory(self) -> dict[str, list[FileEntry]]:
        """Folder ('' for the root) → the files directly in it, in path order. Read-only."""
        return self._indexes()[1]

    def with_extension(self, *extensions: str) -> list[FileEntry]:
        """Files whose lower-case extension (with the dot, e.g. ".py") is one of ``extensions``, in path order."""
        by_ext = self.by_extension
        found = [f for ext in extensions for f in by_ext.get(ext, ())]
        return sorted(found, key=lambda f: f.path) if len(extensions) > 1 else found

    def named(self, *names: str) -> list[FileEntry]:
        """Files whose base name equals one of ``names`` (case-insensitive), at any depth, in path order."""
        by_ext = self.by_extension
        found = []
        for n in names:
            low = n.lower()
            dot = low.rfind(".")
            found.extend(f for f in by_ext.get(low[dot:] if dot > 0 else "", ()) if f.name.lower() == low)
        return sorted(found, key=lambda f: f.path) if len(names) > 1 else found

    def in_dir(self, directory: str) -> list[FileEntry]:
        """Files at any depth below ``directory`` ('' for all), in path order; walks folders, not files."""
        if not directory:
            return list(self.files)
        d = directory.rstrip("/")
        found = [f for key, files in self.by_directory.items() if key == d or key.startswith(d + "/") for f in files]
        return sorted(found, key=_PATH)

    # --- reading -------------------------------------------------------------------------
    def read_text(self, path: str, limit: int | None = None, keep: bool = True) -> Text:
        """Read up to ``limit`` (default ``text_cap``) bytes of a listed file as text. Never raises.

        ``keep=False`` is for a file read once and done with (the code detector's 300 script heads):
        neither its bytes nor its text are kept for a later read, so the next file reuses the same
        memory. Kept, 300 heads are megabytes of fresh pages, and a page fault costs ~4 µs on a
        virtual machine (LoRA's check: 4,600 faults in the code detector). What the read changes
        in the inventory (heads read, files read) is recorded either way."""
        return self._read_text(path, self.text_cap if limit is None else min(limit, self.text_cap), keep)

    def read_whole_notebook(self, path: str) -> bytes | None:
        """The bytes of a notebook up to ``NOTEBOOK_CAP_FACTOR`` times ``text_cap``, not kept: a head at
        ``text_cap`` holds only its first code cells when plots fill it (36 of the calibration corpus's
        40 notebooks of 1-4 MiB), and the code detector reads on when those could change a verdict.
        Bytes, not text: one emoji makes a 3 MB notebook a 12 MB string. None when it cannot be read,
        when its head is not text (a binary file is not read whole), and where a read is a remote
        request (``Reader.costly``: the head already cost one)."""
        costly = getattr(self.reader, "costly", None)
        if costly is not None and costly(path) or not self.peek(path, 64):
            return None
        cap = self.text_cap * NOTEBOOK_CAP_FACTOR
        data, _ = self._capped_bytes(path, cap + 1, False)
        return None if data is None else data[:cap]

    def _read_text(self, path: str, cap: int, keep: bool) -> Text:
        key = (path, cap)
        if key in self._texts:
            return self._texts[key]
        data, why = self._capped_bytes(path, cap + 1, keep)
        if data is None:
            result = Text(path, None, why)
        else:
            truncated = len(data) > cap
            text, note = decode_text(data, cap)
            if truncated and text is not None:
                note = f"{note}; " if note else ""
                note += f"truncated at {cap} bytes of {self.get(path).size}"  # type: ignore[union-attr]
            result = Text(path, text, note, truncated)
        if keep:
            self._texts[key] = result
        return result

    def _capped_bytes(self, path: str, want: int, keep: bool) -> tuple[bytes | None, str | None]:
        """(at most ``want`` bytes of ``path``, None), the read recorded as whole or as a head of
        ``want - 1`` bytes (a caller asks for one byte more than its cap, to tell a file that ends at
        the cap from one that goes on); or (None, why it is not read)."""
        entry = self.get(path)
        if entry is None:
            return None, "not in the repository listing"
        if (why := never_opened(path)) is not None:
            return None, why
        if entry.is_lfs_pointer:
            return None, "Git LFS pointer: content is not in the repository"
        try:
            data = self._bytes(path, want, keep)
        except ReadError as exc:
            if exc.incomplete:
                self.stop(path, str(exc))
            return None, str(exc)
        self._note_read(path, want - 1 if len(data) >= want else None, entry.size)
        return data, None

    def peek(self, path: str, limit: int) -> str | None:
        """The first ``limit`` bytes of ``path`` as text, to decide whether to read it at all (a
        README that opens with front matter may be a card). Neither kept nor recorded as a read: a
        file only peeked at stays unread for a detector whose budget stopped before it. None when
        the file cannot be read (a fault that stops the read is recorded, as for any read).
        Where a read is a remote request (``Reader.costly``), a peek is a whole read, kept for the
        detectors that read the file next: the request is spent once."""
        entry = self.get(path)
        if entry is None or entry.is_lfs_pointer or never_opened(path) is not None:
            return None
        cached = self._raw.get(path)
        if cached is not None:
            return decode_text(cached[0], limit)[0]
        costly = getattr(self.reader, "costly", None)
        if costly is not None and costly(path):
            text = self.read_text(path).text
            return None if text is None else text[:limit]
        try:
            data = self.reader.read_bytes(path, limit)
        except ReadError as exc:
            if exc.incomplete:
                self.stop(path, str(exc))
            return None
        return decode_text(data, limit)[0]

    def _note_read(self, path: str, cap: int | None, size: int | None) -> None:
        """Remember the longest head read of ``path``, unless some read of it was whole (``cap``
        None): the state does not depend on the order of the reads."""
        if self._journal is not None:
            self._journal.append(("note", path, cap, size))
        if cap is None:
            self._whole.add(path)
            self._heads.pop(path, None)
        elif path not in self._whole and cap > self._heads.get(path, (0, None))[0]:
            self._heads[path] = (cap, size)

    def mark_unread(self, paths: Iterable[str], reason: str, components: tuple[str, ...] | None = None,
                    at_most: str = "present") -> None:
        """A detector's budget stopped it before these files' content: ``partial`` says so for each
        one no read took (with the first budget's reason). Many at once: on a large tree a budget
        leaves tens of thousands unread, and a split check journals and replays them as one event.
        ``components``: the ones whose verdict these files could change, when not every component
        of the detector that runs; ``at_most``: the strongest status they could give (a download
        script links weights at best). ``detectors.run`` makes a verdict they leave open incomplete."""
        paths = tuple(paths)
        if self._journal is not None:
            self._journal.append(("unread", paths, reason, components, at_most))
        if paths:  # read for another detector or not, this one did not judge them
            self._budget_log.append((paths, reason, components, at_most))

    def is_copy(self, path: str, original: str) -> bool:
        """Whether ``path`` is a copy of ``original``, a file read whole before: the same name and
        the same bytes. A detector then judges it as it judged ``original`` (a fine-tune's forty
        ``checkpoint-*/`` folders each hold the same chat template and PEFT card:
        ``detectors._common.ReadBudget``). The comparison is a whole read of ``path``, recorded as
        one when it is a copy. No where a read is a remote request (``Reader.costly``), or either
        read fails."""
        entry, first = self.get(path), self.get(original)
        if (entry is None or first is None or entry.is_lfs_pointer or original not in self._whole
                or entry.size != first.size or entry.name != first.name):
            return False
        costly = getattr(self.reader, "costly", None)
        if costly is not None and costly(path):
            return False
        try:
            same = self._bytes(path, entry.size + 1, keep=False) == self._bytes(original, entry.size + 1)
        except ReadError:
            return False  # judged, or left unread, as any other file: its own read says what stopped it
        if same:
            self._note_read(path, None, entry.size)
        return same

    def stop(self, path: str, reason: str) -> None:
        """A limit or fault kept ``path`` (a file, or a folder of the listing) from being read."""
        if self._journal is not None:
            self._journal.append(("stop", path, reason))
        self._stops.setdefault(path, reason)

    def _read(self, path: str) -> None:
        if self._journal is not None:
            self._journal.append(("read", path))
        self._read_paths.add(path)

    def forget_texts(self) -> None:
        """Drop the texts and bytes kept for later reads: the next read of any file reads it again
        and records what it changes (a split check's second process, before it reads files for a
        detector of the first: reads its own detectors kept would otherwise record nothing)."""
        self._texts.clear()
        self._raw.clear()

    def journalled(self) -> _Journalled:
        """``with inventory.journalled() as events:``: within the block, what reads change here is
        also recorded as events in that list (for ``replay``, in this process or another:
        ``detectors.split``)."""
        return _Journalled(self)

    def read_state(self) -> tuple[Any, ...]:
        """A copy of what reads change (heads, stops, budget stops, and the sets behind them)."""
        return dict(self._heads), set(self._whole), set(self._read_paths), dict(self._stops), list(self._budget_log)

    def restore_read_state(self, state: tuple[Any, ...]) -> None:
        heads, whole, read_paths, stops, budget_log = state
        self._heads, self._whole, self._read_paths = dict(heads), set(whole), set(read_paths)
        self._stops, self._budget_log = dict(stops), list(budget_log)

    def replay(self, events: list[tuple[Any, ...]]) -> None:
        """Apply events a journal recorded (in this process or another), in their order."""
        for kind, path, *rest in events:
            if kind == "note":
                self._note_read(path, *rest)
            elif kind == "unread":
                self.mark_unread(path, *rest)
            elif kind == "stop":
                self.stop(path, *rest)
            else:
                self._read(path)

    @property
    def incomplete(self) -> Mapping[str, str]:
        """What limits or faults stopped: path -> why (a read-only view, in the order they came).
        Non-empty means the verdict may rest on something unread and is reported as incomplete
        (heads read by design are not in it)."""
        return MappingProxyType(self._stops)

    def stops_since(self, mark: int) -> list[str]:
        """Paths stopped after the first ``mark`` stops (``len(inventory.incomplete)`` taken earlier)."""
        return list(self._stops)[mark:]

    @property
    def budget_marks(self) -> int:
        """How many budget stops came so far (a mark for ``budget_since``)."""
        return len(self._budget_log)

    def budget_since(self, mark: int) -> list[tuple[tuple[str, ...], str, tuple[str, ...] | None, str]]:
        """The budget stops after the first ``mark``: (files left unread, why, the components they
        concern or None for those of the detector that ran, the strongest status they could give)."""
        return self._budget_log[mark:]

    def stop_many(self, stopped: Mapping[str, str]) -> None:
        """``stop`` for many paths at once (a detector's budget that leaves a verdict open); a path
        stopped before keeps its first reason."""
        if self._journal is not None:
            self._journal.extend(("stop", path, why) for path, why in stopped.items())
        fresh = dict(stopped)
        for path in fresh.keys() & self._stops.keys():
            del fresh[path]
        self._stops.update(fresh)

    @property
    def partial(self) -> dict[str, str]:
        """Files whose content was read only in part (a size cap: the head) or not at all (a
        detector's read budget, the first one's reason): path -> why, so a verdict never rests
        silently on a head or a name. A file a limit or fault stopped is under ``incomplete``
        instead, never in both. Set operations: a large tree's budgets leave tens of thousands."""
        out = {path: f"{HEAD_READ}{cap} bytes of {size if size is not None else 'unknown'} (size cap)"
               for path, (cap, size) in self._heads.items()}
        for paths, reason, _components, _at_most in self._budget_log:
            fresh = dict.fromkeys(paths, reason)
            for path in fresh.keys() & out.keys():
                del fresh[path]
            out.update(fresh)
        read_whole = self._read_paths - self._heads.keys()  # a budget's "not read" never applies to them
        for path in out.keys() & (read_whole | self._stops.keys()):
            del out[path]
        return out

    def _bytes(self, path: str, want: int, keep: bool = True) -> bytes:
        """At most ``want`` bytes of ``path``, read once per file whatever caps detectors ask for:
        a longer or complete earlier read is sliced (for a remote source each read is an API call);
        ``keep=False``: not kept for later reads (see ``read_text``)."""
        cached = self._raw.get(path)
        if cached is not None and (cached[1] or len(cached[0]) >= want):
            return cached[0][:want]
        data = self.reader.read_bytes(path, want)  # ReadError propagates, and is not cached
        if keep:
            self._raw[path] = (data, len(data) < want)  # complete when the file ended before ``want``
        self._read(path)
        return data

    def text(self, path: str, limit: int | None = None) -> str | None:
        """Shortcut: the text of ``path`` or None."""
        return self.read_text(path, limit).text
