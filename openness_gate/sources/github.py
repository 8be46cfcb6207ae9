"""Build an Inventory of a GitHub repository without cloning it.

One recursive git-trees call lists every file with its size (a ``truncated`` listing is
completed by walking sub-trees); files are fetched as blobs only when a detector reads
them, each capped in size, and the number of fetches per repository is bounded so that a
detector that reads too much degrades with a reason instead of spending the rate limit.
Git LFS pointers are recognised by fetching the small candidate blobs, as the local source
opens the small candidate files.

PyGithub is imported lazily (through ``openness_gate.github.client``): a local ``check``
never pays for it.
"""

from __future__ import annotations

import base64
import os
import re
import threading
from dataclasses import dataclass
from typing import Any

from openness_gate.errors import UsageError
from openness_gate.inventory import (
    DEFAULT_TEXT_CAP,
    FileEntry,
    Inventory,
    ReadError,
    Skipped,
    Target,
)
from openness_gate.github.client import describe_error
from openness_gate.sources.lfs import mark_lfs_pointers

MAX_BLOB_BYTES = 4 << 20  # never download a bigger blob to read a text file
MAX_FETCHES = 200  # blob downloads per repository (detectors read cards, licences, configs)
MAX_POINTER_FETCHES = 64  # candidate LFS pointers fetched to learn the real size
MAX_SUBTREE_CALLS = 500  # sub-tree calls when GitHub truncates the recursive listing

_SPEC = re.compile(r"^([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})(?:@(.+))?$")


@dataclass(frozen=True)
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

    def __init__(self, repo: Any, shas: dict[str, str], sizes: dict[str, int], max_fetches: int = MAX_FETCHES):
        self.repo = repo
        self.shas = shas
        self.sizes = sizes
        self.max_fetches = max_fetches
        self.fetches = 0
        self._lock = threading.Lock()

    def read_bytes(self, path: str, limit: int) -> bytes:
        sha = self.shas.get(path)
        if sha is None:
            raise ReadError("not a file of this tree")
        if self.sizes.get(path, 0) > MAX_BLOB_BYTES:
            raise ReadError(f"{self.sizes[path]:,} bytes: too large to fetch remotely (limit {MAX_BLOB_BYTES:,})")
        with self._lock:
            if self.fetches >= self.max_fetches:
                raise ReadError(f"not fetched: the remote read budget of {self.max_fetches} files is spent")
            self.fetches += 1
        try:
            blob = self.repo.get_git_blob(sha)
            content = blob.content or ""
            data = base64.b64decode(content) if blob.encoding == "base64" else content.encode("utf-8")
        except Exception as exc:  # noqa: BLE001
            if getattr(exc, "status", None) == 404:
                raise ReadError("not found on GitHub") from None
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


def _tree_entries(repo: Any, tree_sha: str, skipped: list[Skipped]) -> list[Any]:
    """All entries of a tree, recursively; a truncated answer is completed sub-tree by sub-tree."""
    tree = repo.get_git_tree(tree_sha, recursive=True)
    if not tree.raw_data.get("truncated"):
        return list(tree.tree)
    entries: list[Any] = []
    stack = [("", tree_sha)]
    calls = 0
    while stack:
        prefix, sha = stack.pop()
        if calls >= MAX_SUBTREE_CALLS:
            skipped.append(Skipped(prefix or ".", f"listing stopped after {MAX_SUBTREE_CALLS} sub-tree calls; "
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


@dataclass(frozen=True)
class _Entry:
    path: str
    mode: str
    type: str
    size: int | None
    sha: str


def inventory_from_tree(repo: Any, spec: RepoSpec, commit_sha: str | None, tree_sha: str, *,
                        text_cap: int = DEFAULT_TEXT_CAP, max_fetches: int = MAX_FETCHES) -> Inventory:
    """The Inventory of one tree of ``repo`` (a PyGithub Repository)."""
    skipped: list[Skipped] = []
    files: list[FileEntry] = []
    shas: dict[str, str] = {}
    sizes: dict[str, int] = {}
    for e in _tree_entries(repo, tree_sha, skipped):
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
    reader = BlobReader(repo, shas, sizes, max_fetches)
    revision = commit_sha or tree_sha
    inventory = Inventory(Target("github", spec.full_name, revision), files, reader, skipped, text_cap)
    _mark_lfs_pointers(inventory)
    return inventory


def _mark_lfs_pointers(inventory: Inventory) -> None:
    unread = mark_lfs_pointers(inventory, MAX_POINTER_FETCHES)
    if unread:
        inventory.skipped.append(Skipped(unread[0].path, f"{len(unread)} more possible Git LFS pointers not fetched; "
                                                         "their real sizes are unknown"))


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
