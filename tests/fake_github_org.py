"""The fake GitHub server extended with organisations, git trees, blobs, contents and issues.

Extends ``fake_github.FakeGitHub`` (same HTTP server, fault switches and request log) with
what the organisation scan and ``check github:OWNER/REPO`` use:

* ``GET /orgs/{org}``, ``GET /orgs/{org}/repos`` (Link pagination);
* ``GET /repos/{o}/{r}``, ``GET /repos/{o}/{r}/commits/{ref}``;
* ``GET /repos/{o}/{r}/git/trees/{sha}[?recursive=1]`` (``truncate_trees`` makes recursive
  listings come back ``truncated: true``, as GitHub does for huge trees), ``GET .../git/blobs/{sha}``;
* ``GET /repos/{o}/{r}/contents/{path}`` (the organisation policy in ``.github``);
* ``GET /repos/{o}/{r}/tarball/{ref}``: a 302 to ``/_codeload/…`` on the same server, which serves
  the tree as a tar.gz under one top folder, as GitHub's codeload does (no token needed there);
* issues: list (with ``labels``/``state``), create, get, edit, comment.

Switches on top of the parent's: ``failing_repos`` (every request about these repositories
answers 500, forever), ``fail_every`` (every n-th request answers 502), ``truncate_trees``,
``archives`` (False: the tarball answers 404, as where archives are disabled), ``lfs_in_archive``
(LFS pointers are replaced by their objects in the tarball, a repository setting on GitHub).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
import tarfile
from dataclasses import dataclass, field
from typing import Any

from fake_github import FakeGitHub
from openness_gate.inventory import parse_lfs_pointer


@functools.lru_cache(maxsize=None)  # bytes cache their own hash: a 2,000-file tree is hashed once
def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class FakeRepo:
    name: str
    files: dict[str, bytes]
    default_branch: str = "main"
    archived: bool = False
    fork: bool = False
    topics: list[str] = field(default_factory=list)
    symlinks: dict[str, str] = field(default_factory=dict)  # path -> target

    def tree_sha(self) -> str:
        h = hashlib.sha1()
        for path in sorted(self.files):
            h.update(f"{path}\0{blob_sha(self.files[path])}\n".encode())
        for path in sorted(self.symlinks):
            h.update(f"{path}\0->{self.symlinks[path]}\n".encode())
        return h.hexdigest()

    def commit_sha(self) -> str:
        return hashlib.sha1(("commit " + self.tree_sha()).encode()).hexdigest()


@dataclass
class FakeOrg(FakeGitHub):
    org: str = "octo-org"
    repos: dict[str, FakeRepo] = field(default_factory=dict)
    failing_repos: set[str] = field(default_factory=set)
    truncate_trees: bool = False
    archives: bool = True
    lfs_in_archive: bool = False
    fail_every: int = 0  # every n-th request answers 502: faults sprinkled through a long scan
    issues: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)

    # --- building the organisation -------------------------------------------------------------
    def add_repo(self, name: str, files: dict[str, bytes | str], **kw: Any) -> FakeRepo:
        data = {p: (v.encode() if isinstance(v, str) else v) for p, v in files.items()}
        repo = FakeRepo(name, data, **kw)
        self.repos[name] = repo
        return repo

    def set_org_policy(self, text: str) -> None:
        self.add_repo(".github", {"openness/policy.yml": text})

    def api_calls(self, repo: str | None = None) -> int:
        if repo is None:
            return len(self.log)
        return sum(1 for r in self.log if r.path.startswith(f"{self.prefix}/repos/{self.org}/{repo}/")
                   or r.path == f"{self.prefix}/repos/{self.org}/{repo}")

    # --- routing --------------------------------------------------------------------------------
    def _route(self, method: str, path: str, query: dict, headers: Any, raw: bytes) -> tuple[int, dict, Any]:
        if self.fail_every and (len(self.log) + 1) % self.fail_every == 0:
            return 502, {}, {"message": "Bad Gateway"}
        if not self._faults and (c := re.fullmatch(r"/_codeload/([^/]+)/([^/]+)/tar\.gz/([0-9a-f]+)", path)):
            repo = self.repos.get(c.group(2))
            if c.group(1) != self.org or repo is None or repo.commit_sha() != c.group(3):
                return 404, {}, {"message": "Not Found"}
            return 200, {}, self._tarball(repo)
        token = (headers.get("Authorization") or "").split(" ", 1)[-1]
        login = self.tokens.get(token)
        if self._faults or login is None or not path.startswith(self.prefix + "/"):
            return super()._route(method, path, query, headers, raw)
        p = path[len(self.prefix):]
        answer = self._org_route(method, p, query, raw, token, login)
        if answer is not None:
            return answer
        return super()._route(method, path, query, headers, raw)

    def _org_route(self, method: str, p: str, query: dict, raw: bytes, token: str,
                   login: str) -> tuple[int, dict, Any] | None:
        if p == f"/orgs/{self.org}" and method == "GET":
            return 200, {}, {"login": self.org, "id": 99, "url": self._api(p), "type": "Organization"}
        if p == f"/orgs/{self.org}/repos" and method == "GET":
            items = [self._repo_listing(r) for r in sorted(self.repos.values(), key=lambda r: r.name)]
            return self._page(p, query, items)
        m = re.fullmatch(rf"/repos/{re.escape(self.org)}/([^/]+)(/.*)?", p)
        if not m or m.group(1) not in self.repos:
            return None
        repo, rest = self.repos[m.group(1)], m.group(2) or ""
        if repo.name in self.failing_repos:
            return 500, {}, {"message": "Server Error"}
        base = f"/repos/{self.org}/{repo.name}"
        if rest == "" and method == "GET":
            return 200, {}, self._repo_listing(repo)
        if (c := re.fullmatch(r"/commits/(.+)", rest)) and method == "GET":
            if c.group(1) not in (repo.default_branch, repo.commit_sha()):
                return 422, {}, {"message": f"No commit found for SHA: {c.group(1)}"}
            return 200, {}, {"sha": repo.commit_sha(), "url": self._api(f"{base}/commits/{repo.commit_sha()}"),
                             "commit": {"message": "head", "tree": {"sha": repo.tree_sha(),
                                                                    "url": self._api(f"{base}/git/trees/{repo.tree_sha()}")}},
                             "files": []}
        if (a := re.fullmatch(r"/tarball/(.+)", rest)) and method == "GET":
            if not self.archives or a.group(1) not in (repo.default_branch, repo.commit_sha()):
                return 404, {}, {"message": "Not Found"}
            host = self.url[: len(self.url) - len(self.prefix)] if self.prefix else self.url
            return 302, {"Location": f"{host}/_codeload/{self.org}/{repo.name}/tar.gz/{repo.commit_sha()}"}, None
        if (t := re.fullmatch(r"/git/trees/([0-9a-f]+)", rest)) and method == "GET":
            return self._tree(repo, base, t.group(1), query.get("recursive", ["0"])[0] not in ("0", "false"))
        if (b := re.fullmatch(r"/git/blobs/([0-9a-f]+)", rest)) and method == "GET":
            for data in repo.files.values():
                if blob_sha(data) == b.group(1):
                    return 200, {}, {"sha": b.group(1), "size": len(data), "encoding": "base64",
                                     "content": base64.encodebytes(data).decode(), "url": self._api(p)}
            return 404, {}, {"message": "Not Found"}
        if (c := re.fullmatch(r"/contents/(.+)", rest)) and method == "GET":
            data = repo.files.get(c.group(1))
            if data is None:
                return 404, {}, {"message": "Not Found"}
            return 200, {}, {"type": "file", "encoding": "base64", "size": len(data), "name": c.group(1).split("/")[-1],
                             "path": c.group(1), "sha": blob_sha(data), "content": base64.encodebytes(data).decode(),
                             "url": self._api(p)}
        if rest.startswith("/issues"):
            if method in ("POST", "PATCH") and token in self.read_only_tokens:
                return 403, {}, {"message": "Resource not accessible by integration"}
            return self._issues(repo, base, rest, method, query, raw, login)
        return None

    def _tarball(self, repo: FakeRepo) -> bytes:
        """The tree as GitHub's tar.gz: every file under ``ORG-REPO-SHORTSHA/``, symlinks as links."""
        out = io.BytesIO()
        top = f"{self.org}-{repo.name}-{repo.commit_sha()[:7]}"
        with tarfile.open(fileobj=out, mode="w:gz", compresslevel=1) as tar:
            for path, data in sorted(repo.files.items()):
                pointer = parse_lfs_pointer(data) if self.lfs_in_archive else None
                if pointer is not None:
                    data = b"\0" * pointer[1]
                info = tarfile.TarInfo(f"{top}/{path}")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            for path, target in sorted(repo.symlinks.items()):
                info = tarfile.TarInfo(f"{top}/{path}")
                info.type, info.linkname = tarfile.SYMTYPE, target
                tar.addfile(info)
        return out.getvalue()

    def _repo_listing(self, repo: FakeRepo) -> dict[str, Any]:
        full = f"{self.org}/{repo.name}"
        return {"id": abs(hash(full)) % 10**8, "name": repo.name, "full_name": full,
                "owner": {"login": self.org}, "private": False, "fork": repo.fork, "archived": repo.archived,
                "topics": list(repo.topics), "default_branch": repo.default_branch,
                "url": self._api(f"/repos/{full}"), "html_url": f"https://github.example/{full}"}

    def _page(self, p: str, query: dict, items: list[Any]) -> tuple[int, dict, Any]:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.page_size)
        page = int(query.get("page", ["1"])[0])
        extra = "".join(f"&{k}={v[0]}" for k, v in sorted(query.items()) if k not in ("per_page", "page"))
        last = max(1, -(-len(items) // per_page))
        links = []
        if page < last:
            links.append(f'<{self._api(p)}?per_page={per_page}&page={page + 1}{extra}>; rel="next"')
            links.append(f'<{self._api(p)}?per_page={per_page}&page={last}{extra}>; rel="last"')
        return 200, ({"Link": ", ".join(links)} if links else {}), items[(page - 1) * per_page: page * per_page]

    def _tree(self, repo: FakeRepo, base: str, sha: str, recursive: bool) -> tuple[int, dict, Any]:
        dirs = self._dirs(repo)
        root = repo.tree_sha()  # once per answer: it hashes the whole tree (a 2,000-file one takes a while)
        if sha == root:
            prefix = ""
        else:
            prefix = next((d for d in dirs if self._dir_sha(root, d) == sha), None)
            if prefix is None:
                return 404, {}, {"message": "Not Found"}
        entries = []
        paths = {**{k: ("file", v) for k, v in repo.files.items()}, **{k: ("link", v) for k, v in repo.symlinks.items()}}
        for path, (kind, value) in sorted(paths.items()):
            if not path.startswith(prefix):
                continue
            rel = path[len(prefix):]
            if not recursive and "/" in rel:
                continue
            data = value if kind == "file" else value.encode()
            entries.append({"path": rel, "mode": "100644" if kind == "file" else "120000", "type": "blob",
                            "sha": blob_sha(data), "size": len(data), "url": self._api(f"{base}/git/blobs/{blob_sha(data)}")})
        for d in sorted(dirs):
            if d.startswith(prefix) and d != prefix:
                rel = d[len(prefix):].rstrip("/")
                if recursive or "/" not in rel:
                    entries.append({"path": rel, "mode": "040000", "type": "tree", "sha": self._dir_sha(root, d),
                                    "url": self._api(f"{base}/git/trees/{self._dir_sha(root, d)}")})
        truncated = recursive and self.truncate_trees
        if truncated:
            entries = entries[: max(1, len(entries) // 3)]
        return 200, {}, {"sha": sha, "url": self._api(f"{base}/git/trees/{sha}"), "tree": entries, "truncated": truncated}

    @staticmethod
    def _dirs(repo: FakeRepo) -> set[str]:
        out = set()
        for path in list(repo.files) + list(repo.symlinks):
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                out.add("/".join(parts[:i]) + "/")
        return out

    @staticmethod
    def _dir_sha(root: str, d: str) -> str:
        """A sub-tree's id, from the root tree's id and the folder."""
        return hashlib.sha1(f"{root}:{d}".encode()).hexdigest()

    # --- issues ---------------------------------------------------------------------------------
    def _issues(self, repo: FakeRepo, base: str, rest: str, method: str, query: dict, raw: bytes,
                login: str) -> tuple[int, dict, Any]:
        store = self.issues.setdefault(repo.name, {})
        body = json.loads(raw or b"{}")
        if rest == "/issues" and method == "GET":
            state = query.get("state", ["open"])[0]
            labels = set(",".join(query.get("labels", [""])).split(",")) - {""}
            items = [i for _, i in sorted(store.items())
                     if (state == "all" or i["state"] == state) and labels <= {lb["name"] for lb in i["labels"]}]
            return self._page(f"{base}/issues", query, items)
        if rest == "/issues" and method == "POST":
            number = max(store, default=0) + 1
            self._clock += 1
            store[number] = {"number": number, "id": 5000 + number, "title": body.get("title", ""),
                             "body": body.get("body", ""), "state": "open",
                             "labels": [{"name": n} for n in body.get("labels", [])], "comments": 0,
                             "user": {"login": login}, "url": self._api(f"{base}/issues/{number}"),
                             "html_url": f"https://github.example/{self.org}/{repo.name}/issues/{number}",
                             "created_at": self._time(), "updated_at": self._time()}
            return 201, {}, store[number]
        m = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        if not m or int(m.group(1)) not in store:
            return 404, {}, {"message": "Not Found"}
        issue = store[int(m.group(1))]
        if m.group(2) and method == "POST":
            issue["comments"] += 1
            return 201, {}, {"id": 90000 + issue["comments"], "body": body.get("body", ""), "user": {"login": login},
                             "url": self._api(f"{base}/issues/comments/{90000 + issue['comments']}")}
        if method == "GET":
            return 200, {}, issue
        if method == "PATCH":
            self._clock += 1
            for key in ("title", "body", "state"):
                if key in body:
                    issue[key] = body[key]
            issue["updated_at"] = self._time()
            return 200, {}, issue
        return 404, {}, {"message": "Not Found"}
