"""A fake Hugging Face Hub on 127.0.0.1, serving the endpoints ``huggingface_hub`` really calls.

A real HTTP server (``http.server`` in a thread), so that ``huggingface_hub`` and its HTTP
client run exactly as in production, pointed here with ``HF_ENDPOINT``. Endpoints (as read in
the library's source, ``hf_api.py`` and ``file_download.py``):

* ``GET /api/{models|datasets}?author=ORG[&expand=…]``: an organisation's repositories, paginated;
* ``GET /api/{models|datasets}/{owner}/{name}[/revision/{rev}]``: the info answer (``blobs=True``
  adds each sibling's size, blob id and ``lfs``; ``expand=`` keeps only the listed keys);
* ``GET /api/{models|datasets}/{owner}/{name}/tree/{rev}[/{path}]?recursive=&expand=``: the tree,
  1,000 entries a page (50 with ``expand``), ``Link: <…&cursor=…>; rel="next"`` pagination;
* ``GET|HEAD /[datasets/]{owner}/{name}/resolve/{rev}/{path}``: file content with ``Range``
  support (206 + ``Content-Range``), ``ETag``, ``X-Repo-Commit``; an LFS file answers 302 to
  ``/cdn/{sha256}`` with ``X-Linked-Size`` and ``X-Linked-ETag``, as the Hub does;
* errors as the Hub sends them: ``X-Error-Code`` ``RepoNotFound`` (401 without a token, 404
  with one), ``RevisionNotFound``, ``EntryNotFound``, ``GatedRepo`` (401 without a token, 403
  with a token that was not granted access), 401 "Invalid credentials" for an unknown token.

A repository is a dict of path -> bytes; a file whose bytes are a Git LFS pointer is served
as an LFS file (the tree's ``lfs`` field holds its real size and sha256), and cardData is the
README's front matter, as the Hub derives it.

Switches: ``add_repo(..., gated="manual", allowed_tokens={…})``, ``private=True``; repositories
not added are missing; any revision other than the repository's branches, tags and commit
sha is a bad revision; ``page_size`` (largest tree page); ``siblings_in_info=False`` (an info
answer without the file list, so the source must read the tree); ``fail_next(n, status, path)``
and ``rate_limit_next(n, retry_after, path)`` (the next n requests, or the next n whose path
contains ``path``); ``rate_limited`` (every request answers 429, with ``retry_after``). Every
request is logged (``log``, ``calls()``); requests to no known endpoint go to ``unexpected``.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

import yaml

from fake_github import LocalServer  # the HTTP side: server thread, handler, start/url/stop

_POINTER = re.compile(rb"^version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize (\d+)\n?$")


def lfs_pointer(size: int, seed: str = "") -> bytes:
    """The pointer git-lfs writes for a file of ``size`` bytes (a made-up but stable sha256)."""
    oid = hashlib.sha256(f"{seed}:{size}".encode()).hexdigest()
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n".encode()


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class _Refusal(Exception):
    """An error answer raised where a route finds it (see ``FakeHub._open``) and sent as it is."""

    def __init__(self, answer: tuple[int, dict[str, str], bytes]) -> None:
        super().__init__(answer[0])
        self.answer = answer


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    status: int
    range: str | None = None
    token: str | None = None


@dataclass
class HubRepo:
    repo_id: str
    files: dict[str, bytes]
    repo_type: str = "model"
    gated: Any = False  # False | "auto" | "manual"
    allowed_tokens: set[str] = field(default_factory=set)
    private: bool = False
    safetensors: dict[str, Any] | None = None
    branches: tuple[str, ...] = ("main",)
    tags: tuple[str, ...] = ()  # git tags (revisions)
    hub_tags: tuple[str, ...] = ()  # the Hub's model tags ("text-generation", "license:mit"…)

    @property
    def sha(self) -> str:
        h = hashlib.sha1(self.repo_id.encode())
        for path in sorted(self.files):
            h.update(f"{path}\0{git_blob_id(self.files[path])}\n".encode())
        return h.hexdigest()

    def knows(self, revision: str) -> bool:
        return revision in self.branches or revision in self.tags or revision == self.sha

    def lfs(self, path: str) -> dict[str, Any] | None:
        m = _POINTER.match(self.files[path])
        if not m:
            return None
        return {"oid": m.group(1).decode(), "size": int(m.group(2)), "pointerSize": len(self.files[path])}

    def size(self, path: str) -> int:
        lfs = self.lfs(path)
        return lfs["size"] if lfs else len(self.files[path])

    def card_data(self) -> dict[str, Any] | None:
        text = self.files.get("README.md", b"").decode("utf-8", "replace")
        if not text.startswith("---"):
            return None
        end = text.find("\n---", 3)
        if end < 0:
            return None
        try:
            data = yaml.safe_load(text[3:end])
        except yaml.YAMLError:
            return None
        return json.loads(json.dumps(data, default=str)) if isinstance(data, dict) else None

    def dirs(self) -> list[str]:
        out = set()
        for path in self.files:
            parts = path.split("/")[:-1]
            out.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        return sorted(out)


@dataclass
class FakeHub(LocalServer):
    tokens: set[str] = field(default_factory=lambda: {"reader-token", "granted-token"})
    page_size: int = 1000
    siblings_in_info: bool = True
    rate_limited: bool = False  # every request answers 429 (a rate limit that never lifts)
    retry_after: int = 0
    repos: dict[tuple[str, str], HubRepo] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    _faults: list[tuple[int, int | None, str]] = field(default_factory=list)  # (status, Retry-After, path part)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- building ----------------------------------------------------------------------------
    def add_repo(self, repo_id: str, files: dict[str, bytes | str], *, repo_type: str = "model",
                 **kw: Any) -> HubRepo:
        data = {p: (v.encode() if isinstance(v, str) else v) for p, v in files.items()}
        repo = HubRepo(repo_id, data, repo_type, **kw)
        self.repos[(repo_type, repo_id)] = repo
        return repo

    # --- switches ----------------------------------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 502, path: str = "", retry_after: int | None = None) -> None:
        """The next n requests (whose path contains ``path``) answer ``status`` (with ``Retry-After`` if given)."""
        self._faults += [(status, retry_after, path)] * n

    def rate_limit_next(self, n: int = 1, retry_after: int = 0, path: str = "") -> None:
        """The next n requests (whose path contains ``path``) answer 429 with ``Retry-After``."""
        self.fail_next(n, 429, path, retry_after)

    # --- views for assertions ----------------------------------------------------------------
    def calls(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.log]

    def reads(self) -> list[str]:
        """Paths of the files whose content was requested (resolve GETs)."""
        out = []
        for r in self.log:
            m = re.match(r"^(?:/datasets)?/[^/]+/[^/]+/resolve/[^/]+/(.+)$", r.path)
            if m and r.method == "GET":
                out.append(unquote(m.group(1)))
        return out

    # --- handling ----------------------------------------------------------------------------
    def _respond(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(raw_path)
        query = parse_qs(parts.query)
        auth = headers.get("Authorization") or ""
        token = auth.split(" ", 1)[1] if auth.lower().startswith("bearer ") else None
        with self._lock:
            try:
                status, out, body = self._route(method, parts.path, query, token, headers.get("Range"))
            except _Refusal as refusal:
                status, out, body = refusal.answer
            self.log.append(Request(method, parts.path, query, status, headers.get("Range"), token))
        return status, out, body

    def _route(self, method: str, path: str, query: dict, token: str | None,
               range_header: str | None) -> tuple[int, dict[str, str], bytes]:
        if self.rate_limited:
            return self._error(429, None, "You have exceeded our rate limit.", {"Retry-After": str(self.retry_after)})
        fault = next((f for f in self._faults if f[2] in path), None)
        if fault is not None:
            self._faults.remove(fault)
            status, retry_after, _ = fault
            extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
            return self._error(status, None, "Bad Gateway" if status >= 500 else "Too Many Requests", extra)
        if token is not None and token not in self.tokens:
            return self._error(401, None, "Invalid credentials in Authorization header")
        if m := re.fullmatch(r"/api/(models|datasets)", path):
            return self._listing(m.group(1)[:-1], query, token)
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)(?:/revision/([^/]+))?", path):
            return self._info(m.group(1)[:-1], m.group(2), unquote(m.group(3)) if m.group(3) else None, query, token)
        if m := re.fullmatch(r"/api/(models|datasets)/([^/]+/[^/]+)/tree/([^/]+)(?:/(.+))?", path):
            return self._tree(m.group(1)[:-1], m.group(2), unquote(m.group(3)), unquote(m.group(4) or ""), query,
                              token)
        if m := re.fullmatch(r"/(datasets/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path):
            return self._resolve(method, "dataset" if m.group(1) else "model", m.group(2), unquote(m.group(3)),
                                 unquote(m.group(4)), token, range_header)
        if m := re.fullmatch(r"/cdn/([0-9a-f]{64})", path):
            return 200, {"Content-Type": "application/octet-stream"}, b"\0" * 16
        self.unexpected.append(f"{method} {path}")
        return self._error(404, None, "Not Found")

    @staticmethod
    def _error(status: int, code: str | None, message: str,
               extra: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        headers = {"X-Error-Message": message, **(extra or {})}
        if code:
            headers["X-Error-Code"] = code
        return status, headers, json.dumps({"error": message}).encode()

    def _open(self, repo_type: str, repo_id: str, revision: str | None, token: str | None) -> HubRepo:
        """The repository the token may see, at a revision it has (None: its head); else the
        Hub's error answer is raised (``_Refusal``)."""
        repo = self.repos.get((repo_type, repo_id))
        if repo is None or (repo.private and token not in repo.allowed_tokens):
            raise _Refusal(self._error(401 if token is None else 404, "RepoNotFound", "Repository not found"))
        if revision is not None and not repo.knows(revision):
            raise _Refusal(self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}"))
        return repo

    def _info(self, repo_type: str, repo_id: str, revision: str | None, query: dict,
              token: str | None) -> tuple[int, dict[str, str], bytes]:
        repo = self._open(repo_type, repo_id, revision, token)
        blobs = query.get("blobs", ["false"])[0].lower() == "true"
        siblings = []
        for path in sorted(repo.files):
            entry: dict[str, Any] = {"rfilename": path}
            if blobs:
                entry.update({"blobId": git_blob_id(repo.files[path]), "size": repo.size(path)})
                if (lfs := repo.lfs(path)) is not None:
                    entry["lfs"] = {"sha256": lfs["oid"], "size": lfs["size"], "pointerSize": lfs["pointerSize"]}
            siblings.append(entry)
        owner = repo_id.split("/")[0]
        info: dict[str, Any] = {
            "_id": hashlib.md5(repo_id.encode()).hexdigest()[:24], "id": repo_id, "author": owner, "sha": repo.sha,
            "lastModified": "2026-01-02T03:04:05.000Z", "createdAt": "2025-01-02T03:04:05.000Z",
            "private": repo.private, "gated": repo.gated, "disabled": False, "downloads": 0, "likes": 0,
            "tags": list(repo.hub_tags), "cardData": repo.card_data(),
        }
        if self.siblings_in_info:
            info["siblings"] = siblings
        if repo_type == "model":
            info.update({"modelId": repo_id, "library_name": None, "pipeline_tag": None})
            if repo.safetensors is not None:
                info["safetensors"] = repo.safetensors
        if info["cardData"] is None:
            del info["cardData"]
        expand = query.get("expand") or query.get("expand[]")
        if expand:
            info = {k: v for k, v in info.items() if k in set(expand) | {"_id", "id"}}
        return 200, {}, json.dumps(info).encode()

    def _listing(self, repo_type: str, query: dict, token: str | None) -> tuple[int, dict[str, str], bytes]:
        """``GET /api/models?author=ORG[&expand=…]``: the author's visible repositories, paginated
        (``page_size`` a page) with a ``Link`` header; unknown authors get an empty list, as on the Hub."""
        author = query.get("author", [""])[0]
        expand = set(query.get("expand") or query.get("expand[]") or ())
        repos = sorted((r for (kind, rid), r in self.repos.items() if kind == repo_type
                        and rid.split("/")[0] == author and (not r.private or token in r.allowed_tokens)),
                       key=lambda r: r.repo_id)
        items = []
        for r in repos:
            item: dict[str, Any] = {"_id": hashlib.md5(r.repo_id.encode()).hexdigest()[:24], "id": r.repo_id}
            extra = {"sha": r.sha, "tags": list(r.hub_tags), "private": r.private, "gated": r.gated}
            item.update({k: v for k, v in extra.items() if k in expand} if expand else {"private": r.private})
            items.append(item)
        start = int(query.get("cursor", ["0"])[0])
        size = self.page_size
        headers = {}
        if start + size < len(items):
            more = "".join(f"&expand={e}" for e in sorted(expand))
            headers["Link"] = f'<{self.url}/api/{repo_type}s?author={author}{more}&cursor={start + size}>; rel="next"'
        return 200, headers, json.dumps(items[start:start + size]).encode()

    def _tree(self, repo_type: str, repo_id: str, revision: str, folder: str, query: dict,
              token: str | None) -> tuple[int, dict[str, str], bytes]:
        repo = self._open(repo_type, repo_id, revision, token)
        recursive = query.get("recursive", ["False"])[0].lower() == "true"
        expand = query.get("expand", ["False"])[0].lower() == "true"
        prefix = folder.rstrip("/") + "/" if folder else ""
        if folder and folder not in repo.dirs():
            return self._error(404, "EntryNotFound", f"{folder} does not exist on \"{revision}\"")
        entries: list[dict[str, Any]] = []
        for d in repo.dirs():
            rel = d[len(prefix):] if d.startswith(prefix) else None
            if rel and (recursive or "/" not in rel):
                entries.append({"type": "directory", "oid": hashlib.sha1(d.encode()).hexdigest(), "size": 0,
                                "path": d})
        for path in sorted(repo.files):
            rel = path[len(prefix):] if path.startswith(prefix) else None
            if rel and (recursive or "/" not in rel):
                entry: dict[str, Any] = {"type": "file", "oid": git_blob_id(repo.files[path]), "size": repo.size(path),
                                         "path": path}
                if (lfs := repo.lfs(path)) is not None:
                    entry["lfs"] = lfs
                if expand:
                    entry["lastCommit"] = {"id": repo.sha, "title": "upload", "date": "2026-01-02T03:04:05.000Z"}
                entries.append(entry)
        entries.sort(key=lambda e: e["path"])
        size = min(self.page_size, 50 if expand else 1000)
        start = int(query.get("cursor", ["0"])[0])
        page = entries[start: start + size]
        headers = {}
        if start + size < len(entries):
            base = f"{self.url}/api/{repo_type}s/{repo_id}/tree/{quote(revision, safe='')}"
            base += f"/{quote(folder, safe='')}" if folder else ""
            headers["Link"] = (f'<{base}?recursive={recursive}&expand={expand}&cursor={start + size}>; rel="next"')
        return 200, headers, json.dumps(page).encode()

    def _resolve(self, method: str, repo_type: str, repo_id: str, revision: str, path: str, token: str | None,
                 range_header: str | None) -> tuple[int, dict[str, str], bytes]:
        repo = self._open(repo_type, repo_id, revision, token)
        if repo.gated and token not in repo.allowed_tokens:
            kind = "dataset" if repo_type == "dataset" else "model"
            page = f"{self.url}/{'datasets/' if repo_type == 'dataset' else ''}{repo_id}"
            if token is None:
                return self._error(401, "GatedRepo", f"Access to {kind} {repo_id} is restricted. You must have "
                                                     "access to it and be authenticated to access it. Please log in.")
            return self._error(403, "GatedRepo", f"Access to {kind} {repo_id} is restricted and you are not in the "
                                                 f"authorized list. Visit {page} to ask for access.")
        if path not in repo.files:
            return self._error(404, "EntryNotFound", "Entry not found")
        data = repo.files[path]
        headers = {"X-Repo-Commit": repo.sha, "Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        lfs = repo.lfs(path)
        if lfs is not None:
            headers.update({"Location": f"{self.url}/cdn/{lfs['oid']}", "X-Linked-Size": str(lfs["size"]),
                            "X-Linked-ETag": f'"{lfs["oid"]}"', "ETag": f'"{lfs["oid"]}"'})
            return 302, headers, b""
        headers["ETag"] = f'"{git_blob_id(data)}"'
        m = re.fullmatch(r"bytes=(\d+)-(\d*)", range_header or "")
        if m is None:
            return 200, headers, data
        start = int(m.group(1))
        end = min(int(m.group(2)) if m.group(2) else len(data) - 1, len(data) - 1)
        if start >= len(data):
            headers["Content-Range"] = f"bytes */{len(data)}"
            return 416, headers, b""
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
        return 206, headers, data[start:end + 1]
