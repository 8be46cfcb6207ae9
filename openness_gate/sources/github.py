"""Build an Inventory of a GitHub repository without cloning it.

One recursive git-trees call lists every file with its size (a ``truncated`` listing is
completed by walking sub-trees). The files' content then comes from the repository's archive at
the checked commit, one download (``archive.py``), when the listed tree is small enough; else,
and for anything the archive lacks, blob by blob when a detector reads it, each capped in size
and counted against a budget, part of which is kept for the files that decide most verdicts
(root files, cards, licences), so configs read first cannot starve the model card. A read that a
budget, a cap or a fault stops is recorded on the inventory: the verdict is then incomplete.
Git LFS pointers are recognised by reading the small candidate files, as the local source does.

PyGithub is imported lazily (through ``openness_gate.github.client``): a local ``check``
never pays for it.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from openness_gate import lazyre
from openness_gate.errors import UsageError
from openness_gate.inventory import (
    DEFAULT_TEXT_CAP,
    FileEntry,
    Inventory,
    ReadError,
    Reader,
    Skipped,
    Target,
)
from openness_gate.github.client import describe_error
from openness_gate.record import record
from openness_gate.sources import budget
from openness_gate.sources.budget import MAX_FETCHES, RESERVED_FETCHES
from openness_gate.sources.lfs import mark_lfs_pointers

MAX_BLOB_BYTES = 4 << 20  # never download a bigger blob to read a text file
#: a listed tree up to this size (the sum of its blobs) is read from one archive download
ARCHIVE_MAX_BYTES = 256 << 20
MAX_POINTER_FETCHES = 64  # candidate LFS pointers fetched to learn the real size
MAX_SUBTREE_CALLS = 500  # sub-tree calls when GitHub truncates the recursive listing

_SPEC = lazyre.compile(r"^([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})(?:@(.+))?$")


@record
class RepoSpec:
    owner: str
    name: str
    ref: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


def parse_spec(spec: str) -> RepoSpec:
    """``OWNER/REPO[@REF]`` → RepoSpec; UsageError says what is expected."""
    m = _SPEC.match(spec.strip())
    if not m or m.group(2) in (".", ".."):
        raise UsageError(f"github:{spec}: expected github:OWNER/REPO or github:OWNER/REPO@REF")
    return RepoSpec(m.group(1), m.group(2), m.group(3))


class RemoteFetchError(UsageError):
    """GitHub kept failing while a file was fetched: no verdict can be given for this revision."""


class BlobReader:
    """Reads files of one tree by blob SHA, capped and counted. Thread-safe."""

    def __init__(self, repo: Any, shas: dict[str, str], sizes: dict[str, int], max_fetches: int = MAX_FETCHES,
                 reserved: int = RESERVED_FETCHES):
        self.repo = repo
        self.shas = shas
        self.sizes = sizes
        self.budget = budget.Budget(max_fetches, reserved)

    def costly(self, path: str) -> bool:
        return True  # every read is a request, counted against the budget

    def read_bytes(self, path: str, limit: int) -> bytes:
        sha = self.shas.get(path)
        if sha is None:
            raise ReadError("not a file of this tree")
        if self.sizes.get(path, 0) > MAX_BLOB_BYTES:
            raise ReadError(f"{self.sizes[path]:,} bytes: too large to fetch remotely (limit {MAX_BLOB_BYTES:,})",
                            incomplete=True)
        self.budget.spend(path)
        try:
            blob = self.repo.get_git_blob(sha)
            content = blob.content or ""
            data = base64.b64decode(content) if blob.encoding == "base64" else content.encode("utf-8")
        except Exception as exc:  # noqa: BLE001
            if getattr(exc, "status", None) == 404:
                raise ReadError("not found on GitHub", incomplete=True) from None
            # A fault that outlived the client's retries: a verdict on half-read files would be
            # wrong, so the whole check stops here (the org scan retries the repository).
            raise RemoteFetchError(f"github:{self.repo.full_name}: could not fetch {path}: {describe_error(exc)}") from None
        return data[:limit]


def client_from_env(token: str | None = None) -> Any:
    """A PyGithub client from the standard environment (GITHUB_API_URL, GITHUB_TOKEN / GH_TOKEN)."""
    from openness_gate.github.client import ClientOptions, make_client

    token = token or os.environ.get("GITHUB_TOKEN") or os.environ.get("GH_TOKEN")
    api_url = os.environ.get("GITHUB_API_URL") or "https://api.github.com"
    return make_client(token, ClientOptions(api_url=api_url))


def _tree_entries(repo: Any, tree_sha: str, stops: list[Skipped]) -> list[Any]:
    """All entries of a tree, recursively; a truncated answer is completed sub-tree by sub-tree.
    A folder the sub-tree budget leaves unlisted goes to ``stops`` (skipped, and the verdict
    incomplete)."""
    tree = repo.get_git_tree(tree_sha, recursive=True)
    if not tree.raw_data.get("truncated"):
        return list(tree.tree)
    entries: list[Any] = []
    stack = [("", tree_sha)]
    calls = 0
    while stack:
        prefix, sha = stack.pop()
        if calls >= MAX_SUBTREE_CALLS:
            stops.append(Skipped(prefix or ".", f"listing stopped after {MAX_SUBTREE_CALLS} sub-tree calls; "
                                                "the rest of this tree was not inspected"))
            continue
        calls += 1
        for e in repo.get_git_tree(sha).tree:
            path = f"{prefix}{e.path}"
            if e.type == "tree":
                stack.append((path + "/", e.sha))
            else:
                entries.append(_Entry(path, e.mode, e.type, e.size, e.sha))
    return entries


@record
class _Entry:
    path: str
    mode: str
    type: str
    size: int | None
    sha: str


def inventory_from_tree(repo: Any, spec: RepoSpec, commit_sha: str | None, tree_sha: str, *,
                        text_cap: int = DEFAULT_TEXT_CAP, max_fetches: int = MAX_FETCHES,
                        archive: bool = True) -> Inventory:
    """The Inventory of one tree of ``repo`` (a PyGithub Repository). ``archive``: read the
    files from one archive download when the tree is small enough (else blob by blob)."""
    stops: list[Skipped] = []
    entries = _tree_entries(repo, tree_sha, stops)
    skipped: list[Skipped] = list(stops)
    files: list[FileEntry] = []
    shas: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for e in entries:
        if e.type == "tree":
            continue
        if e.type == "commit" or e.mode == "160000":
            skipped.append(Skipped(e.path, "git submodule (a separate repository); not inspected"))
        elif e.mode == "120000":
            skipped.append(Skipped(e.path, "symlink; not followed in a remote check"))
        elif e.type == "blob":
            size = int(e.size or 0)
            files.append(FileEntry(e.path, size))
            shas[e.path], sizes[e.path] = e.sha, size
    revision = commit_sha or tree_sha
    reader: Reader = BlobReader(repo, shas, sizes, max_fetches)
    whole = False  # every file read from one archive: reading costs nothing more
    if archive and files and sum(sizes.values()) <= ARCHIVE_MAX_BYTES:
        reader, whole = _archive_reader(repo, revision, sizes, reader, text_cap)
    inventory = Inventory(Target("github", spec.full_name, revision), files, reader, skipped, text_cap)
    for s in stops:
        inventory.stop(s.path, s.reason)
    _mark_lfs_pointers(inventory, None if whole else MAX_POINTER_FETCHES)
    return inventory


def _archive_reader(repo: Any, revision: str, sizes: dict[str, int], fallback: Reader,
                    text_cap: int) -> tuple[Reader, bool]:
    """(an ArchiveReader filled from the repository's tar.gz at ``revision``, whether it holds the
    whole archive); ``fallback`` alone when no archive can be had (archives disabled, a fault that
    outlived the retries)."""
    from openness_gate.github.client import download
    from openness_gate.sources.archive import ArchiveReader

    try:
        url = repo.get_archive_link("tarball", revision)  # a redirect; the URL may carry a token: never shown
    except Exception:  # noqa: BLE001 - no archive: every read goes blob by blob, as before
        return fallback, False
    reader = ArchiveReader(fallback)
    try:
        with download(url) as stream:
            reader.fill(stream, sizes, head=max(text_cap, 256 << 10) + 1)
    except Exception:  # noqa: BLE001 - what was read is kept; the rest goes blob by blob
        reader.whole = False
    return reader, reader.whole


def _mark_lfs_pointers(inventory: Inventory, max_reads: int | None) -> None:
    """``max_reads``: None when every candidate is in the archive (reading costs nothing)."""
    unread = mark_lfs_pointers(inventory, max_reads)
    if unread:
        reason = f"{len(unread)} more possible Git LFS pointers not fetched; their real sizes are unknown"
        inventory.skipped.append(Skipped(unread[0].path, reason))
        inventory.stop(unread[0].path, reason)


def resolve_tree(repo: Any, ref: str | None) -> tuple[str, str, str]:
    """(ref name, commit SHA, tree SHA) of ``ref`` (default branch when None): one API call."""
    if ref is None:
        ref = repo.default_branch
    try:
        commit = repo.get_commit(ref)
        tree = commit.commit.tree.sha  # first: with a lazy client this is what fetches the commit
        return ref, commit.sha, tree
    except Exception as exc:  # noqa: BLE001
        if getattr(exc, "status", None) in (404, 422):
            raise UsageError(f"github:{repo.full_name}@{ref}: no such repository or revision ({describe_error(exc)})") from None
        raise


def load(spec_text: str, *, text_cap: int = DEFAULT_TEXT_CAP, client: Any = None) -> Inventory:
    """``github:OWNER/REPO[@REF]`` → Inventory, through the GitHub API."""
    spec = parse_spec(spec_text)
    gh = client or client_from_env()
    try:
        repo = gh.get_repo(spec.full_name)  # lazy: the default branch is fetched only when no ref is given
        _, commit_sha, tree_sha = resolve_tree(repo, spec.ref)
        return inventory_from_tree(repo, spec, commit_sha, tree_sha, text_cap=text_cap)
    except UsageError:
        raise
    except Exception as exc:  # noqa: BLE001 - one line for the user, whatever the API said
        raise UsageError(f"github:{spec_text}: {describe_error(exc)}") from None
