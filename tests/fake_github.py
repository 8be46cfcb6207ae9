"""A fake GitHub REST + GraphQL API on 127.0.0.1, for the sticky-comment and release flows.

A real HTTP server (``http.server`` in a thread) so that PyGithub, requests and urllib3 run
exactly as in production, pointed here with ``base_url``. It serves the repository, the pull
request, issue comments (list with ``Link`` pagination, create, get, edit, delete) and the
GraphQL ``nodes(ids:)`` query / ``minimizeComment`` mutation. Every request is logged.

Releases: get by id and by tag (drafts are not found by tag, as on GitHub), list, edit; their
assets are listed, read, renamed and deleted on the API and **uploaded on the upload host**
only: the same server under ``/api/uploads`` (Enterprise Server's layout; PyGithub accepts an
upload URL on the API's own host only under ``/api/``), reached through the ``upload_url`` URI
template of the release payload (``…/releases/ID/assets{?name,label}``). A POST of an asset to
the API path is a 404, so a client that builds the URL itself instead of following the template
fails. Uploading a name that exists is GitHub's 422 ``already_exists``; each asset carries its
``digest`` (``sha256:…``) unless ``asset_digests`` is False (an older server).

Switches (attributes, set by a test before the run):

* ``tokens``: token -> login that comments as it; ``read_only_tokens``: tokens whose writes get
  HTTP 403 "Resource not accessible by integration" (a fork's workflow token);
* ``fail_next(n, status)``: the next n requests answer 5xx;
* ``rate_limit_next(n, retry_after)``: the next n requests answer a secondary rate limit
  (403 with ``Retry-After``);
* ``delay``: seconds to sleep before answering (slow server);
* ``page_size``: largest page served, whatever ``per_page`` asks;
* ``minimize(id)``: hide a comment (GraphQL ``isMinimized``);
* ``graphql``: False to answer 404 on /graphql (an old Enterprise Server);
* ``prefix``: "/api/v3" to look like GitHub Enterprise Server (GraphQL then at /api/graphql);
* ``add_release(tag, …)``: seed a release; ``asset_digests``: False to leave ``digest`` out.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlsplit

BOT = "github-actions[bot]"
UPLOADS = "/api/uploads"  # the upload host's path prefix on this server


class LocalServer:
    """A fake API's HTTP side: a ``ThreadingHTTPServer`` on 127.0.0.1 in a daemon thread, each
    request (GET, HEAD, POST, PATCH, DELETE) answered by ``self._respond(method, path, headers,
    body)`` -> (status, headers, body bytes); JSON unless the headers say otherwise, no body for
    HEAD. Shared by this fake and ``fake_hub.FakeHub``."""

    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; with Nagle's algorithm on, each response
            # then waits for the client's delayed ACK (about 40 ms on Linux) -- GitHub does not.
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def handle(self) -> None:
                try:
                    super().handle()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # a client that stops reading a download half-way (by design) hangs up

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, headers, body = fake._respond(self.command, self.path, self.headers, raw)
                headers = {"Content-Type": "application/json; charset=utf-8", **headers,
                           "Content-Length": str(len(body))}
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, or stopped reading at its cap; not an error here

            do_GET = do_HEAD = do_POST = do_PATCH = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self.url

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _respond(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError


@dataclass
class Request:
    method: str
    path: str
    status: int


@dataclass
class FakeGitHub(LocalServer):
    repository: str = "octo-org/tiny-model"
    pr_number: int = 7
    pr_head_sha: str = "0" * 40
    prefix: str = ""
    tokens: dict[str, str] = field(default_factory=lambda: {"write-token": BOT, "fork-token": BOT,
                                                           "pat-token": "release-bot"})
    read_only_tokens: set[str] = field(default_factory=lambda: {"fork-token"})
    delay: float = 0.0
    page_size: int = 100
    graphql: bool = True
    comments: dict[int, dict[str, Any]] = field(default_factory=dict)
    minimized: set[int] = field(default_factory=set)
    releases: dict[int, dict[str, Any]] = field(default_factory=dict)
    assets: dict[int, dict[str, Any]] = field(default_factory=dict)  # id -> asset JSON + "_data", "_release"
    asset_digests: bool = True
    log: list[Request] = field(default_factory=list)
    _faults: list[tuple[int, float | None, str]] = field(default_factory=list)
    _next_id: int = 1000
    _clock: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- switches ------------------------------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 500, message: str = "Server Error") -> None:
        self._faults += [(status, None, message)] * n

    def rate_limit_next(self, n: int = 1, retry_after: float = 1) -> None:
        self._faults += [(403, retry_after, "")] * n

    def minimize(self, comment_id: int) -> None:
        self.minimized.add(comment_id)

    def add_comment(self, body: str, login: str = BOT, app_slug: str | None = None) -> dict[str, Any]:
        """Seed a comment as if someone (or we, in an earlier run) had written it."""
        with self._lock:
            return self._create(body, login, app_slug)

    def add_release(self, tag: str, body: str | None = "", draft: bool = False, prerelease: bool = False,
                    name: str | None = None) -> dict[str, Any]:
        """Seed a release (as its author made it); returns its JSON."""
        with self._lock:
            self._next_id += 1
            rid = self._next_id
            self.releases[rid] = {"id": rid, "tag_name": tag, "name": name or tag, "body": body, "draft": draft,
                                  "prerelease": prerelease, "target_commitish": "main",
                                  "author": {"login": "maintainer", "type": "User"}}
            return self._release_json(self.releases[rid])

    # --- views for assertions ------------------------------------------------------------
    def release_assets(self, release_id: int) -> list[dict[str, Any]]:
        """The release's assets as the API shows them."""
        return [self._asset_json(a) for a in self._assets_of(release_id)]

    def asset_data(self, release_id: int, name: str) -> bytes:
        [asset] = [a for a in self._assets_of(release_id) if a["name"] == name]
        return asset["_data"]

    def _assets_of(self, release_id: int) -> list[dict[str, Any]]:
        return sorted((a for a in self.assets.values() if a["_release"] == release_id), key=lambda a: a["id"])

    def bodies(self) -> list[str]:
        return [c["body"] for c in sorted(self.comments.values(), key=lambda c: c["id"])]

    def calls(self) -> list[str]:
        return [f"{r.method} {r.path}" for r in self.log]

    # --- server --------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"{self.origin}{self.prefix}"

    def _respond(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        status, out_headers, payload = self._handle(method, raw_path, headers, raw)
        binary = isinstance(payload, bytes)
        body = payload if binary else b"" if payload is None else json.dumps(payload).encode()
        content_type = "application/x-gzip" if binary else "application/json; charset=utf-8"
        return status, {"Content-Type": content_type, **out_headers}, body

    # --- handling ------------------------------------------------------------------------
    def _handle(self, method: str, raw_path: str, headers: Any, raw: bytes) -> tuple[int, dict, Any]:
        if self.delay:
            time.sleep(self.delay)
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        with self._lock:
            status, out_headers, payload = self._route(method, path, query, headers, raw)
            self.log.append(Request(method, path, status))
        return status, out_headers, payload

    def _route(self, method: str, path: str, query: dict, headers: Any, raw: bytes) -> tuple[int, dict, Any]:
        if self._faults:
            status, retry_after, message = self._faults.pop(0)
            if retry_after is not None:
                return status, {"Retry-After": str(retry_after)}, {
                    "message": "You have exceeded a secondary rate limit. "
                               "Please wait a few minutes before you try again.",
                    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}
            return status, {}, {"message": message}
        token = (headers.get("Authorization") or "").split(" ", 1)[-1]
        login = self.tokens.get(token)
        if login is None:
            return 401, {}, {"message": "Bad credentials"}
        graphql = "/api/graphql" if self.prefix else "/graphql"
        if path == graphql and method == "POST":
            if not self.graphql:
                return 404, {}, {"message": "Not Found"}
            return self._graphql(json.loads(raw or b"{}"), token)
        repo = f"/repos/{self.repository}"
        if method in ("POST", "PATCH", "DELETE") and token in self.read_only_tokens:
            return 403, {}, {"message": "Resource not accessible by integration",
                             "documentation_url": "https://docs.github.com/rest"}
        if path.startswith(UPLOADS + "/"):
            return self._upload(method, path[len(UPLOADS):], query, headers, raw, login)
        if not path.startswith(self.prefix + "/"):
            return 404, {}, {"message": "Not Found"}
        path = path[len(self.prefix):]
        if path.startswith(f"{repo}/releases"):
            return self._releases(method, path[len(repo):], query, raw)
        if path == repo and method == "GET":
            return 200, {}, self._repo_json()
        if path == f"{repo}/pulls/{self.pr_number}" and method == "GET":
            return 200, {}, {"number": self.pr_number, "url": self._api(path), "state": "open", "title": "PR",
                             "head": {"sha": self.pr_head_sha, "ref": "feature", "label": "contributor:feature"},
                             "base": {"sha": "1" * 40, "ref": "main", "label": "octo-org:main"}}
        if path == f"{repo}/issues/{self.pr_number}" and method == "GET":
            return 200, {}, {"number": self.pr_number, "url": self._api(path), "state": "open", "title": "PR"}
        if path == f"{repo}/issues/{self.pr_number}/comments":
            if method == "GET":
                return self._list(path, query)
            if method == "POST":
                body = json.loads(raw or b"{}").get("body", "")
                return 201, {}, self._create(body, login, None)
        m = re.fullmatch(rf"{re.escape(repo)}/issues/comments/(\d+)", path)
        if m:
            cid = int(m.group(1))
            if cid not in self.comments:
                return 404, {}, {"message": "Not Found"}
            if method == "GET":
                return 200, {}, self.comments[cid]
            if self.comments[cid]["user"]["login"] != login:
                return 403, {}, {"message": "You cannot edit or delete someone else's comment"}
            if method == "PATCH":
                self._clock += 1
                self.comments[cid]["body"] = json.loads(raw or b"{}").get("body", "")
                self.comments[cid]["updated_at"] = self._time()
                return 200, {}, self.comments[cid]
            if method == "DELETE":
                del self.comments[cid]
                return 204, {}, None
        return 404, {}, {"message": "Not Found"}

    def _list(self, path: str, query: dict) -> tuple[int, dict, Any]:
        return self._paginate(path, query, sorted(self.comments.values(), key=lambda c: c["id"]))

    def _paginate(self, path: str, query: dict, items: list[Any]) -> tuple[int, dict, Any]:
        per_page = min(int(query.get("per_page", ["30"])[0]), self.page_size)
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * per_page: page * per_page]
        links = []
        last = max(1, -(-len(items) // per_page))
        if page < last:
            links.append(f'<{self._api(path)}?per_page={per_page}&page={page + 1}>; rel="next"')
            links.append(f'<{self._api(path)}?per_page={per_page}&page={last}>; rel="last"')
        return 200, ({"Link": ", ".join(links)} if links else {}), chunk

    # --- releases ------------------------------------------------------------------------
    def _releases(self, method: str, path: str, query: dict, raw: bytes) -> tuple[int, dict, Any]:
        """``path`` below /repos/OWNER/REPO: /releases, /releases/ID, /releases/tags/TAG,
        /releases/ID/assets, /releases/assets/ID."""
        if path == "/releases" and method == "GET":
            items = [self._release_json(r) for r in sorted(self.releases.values(), key=lambda r: -r["id"])]
            return self._paginate(f"/repos/{self.repository}{path}", query, items)
        m = re.fullmatch(r"/releases/tags/(.+)", path)
        if m and method == "GET":
            tag = unquote(m.group(1))
            found = [r for r in self.releases.values() if r["tag_name"] == tag and not r["draft"]]
            return (200, {}, self._release_json(found[0])) if found else (404, {}, {"message": "Not Found"})
        m = re.fullmatch(r"/releases/(\d+)(/assets)?", path)
        if m:
            release = self.releases.get(int(m.group(1)))
            if release is None:
                return 404, {}, {"message": "Not Found"}
            if m.group(2) and method == "GET":
                items = self.release_assets(release["id"])
                return self._paginate(f"/repos/{self.repository}{path}", query, items)
            if m.group(2) and method == "POST":
                return 404, {}, {"message": "Not Found"}  # uploads go to the upload host only
            if method == "GET":
                return 200, {}, self._release_json(release)
            if method == "PATCH":
                edit = json.loads(raw or b"{}")
                for key in ("body", "draft", "prerelease", "name", "tag_name"):
                    if key in edit:
                        release[key] = edit[key]
                return 200, {}, self._release_json(release)
            if method == "DELETE":
                del self.releases[release["id"]]
                return 204, {}, None
        m = re.fullmatch(r"/releases/assets/(\d+)", path)
        if m:
            asset = self.assets.get(int(m.group(1)))
            if asset is None:
                return 404, {}, {"message": "Not Found"}
            if method == "GET":
                return 200, {}, self._asset_json(asset)
            if method == "PATCH":
                edit = json.loads(raw or b"{}")
                asset.update({k: edit[k] for k in ("name", "label") if k in edit})
                return 200, {}, self._asset_json(asset)
            if method == "DELETE":
                del self.assets[asset["id"]]
                return 204, {}, None
        return 404, {}, {"message": "Not Found"}

    def _upload(self, method: str, path: str, query: dict, headers: Any, raw: bytes,
                login: str) -> tuple[int, dict, Any]:
        m = re.fullmatch(rf"/repos/{re.escape(self.repository)}/releases/(\d+)/assets", path)
        release = self.releases.get(int(m.group(1))) if m else None
        if method != "POST" or release is None:
            return 404, {}, {"message": "Not Found"}
        name = (query.get("name") or [""])[0]
        if not name:
            return 422, {}, {"message": "Validation Failed", "errors": [{"resource": "ReleaseAsset",
                                                                        "code": "missing", "field": "name"}]}
        if any(a["name"] == name for a in self._assets_of(release["id"])):
            return 422, {}, {"message": "Validation Failed", "errors": [{"resource": "ReleaseAsset",
                                                                        "code": "already_exists", "field": "name"}]}
        self._next_id += 1
        self._clock += 1
        self.assets[self._next_id] = {
            "id": self._next_id, "name": name, "label": (query.get("label") or [""])[0],
            "content_type": headers.get("Content-Type") or "application/octet-stream", "size": len(raw),
            "state": "uploaded", "uploader": {"login": login}, "download_count": 0,
            "created_at": self._time(), "updated_at": self._time(),
            "_data": raw, "_release": release["id"],
        }
        return 201, {}, self._asset_json(self.assets[self._next_id])

    def _release_json(self, r: dict[str, Any]) -> dict[str, Any]:
        rid, tag = r["id"], quote(r["tag_name"], safe="")
        return {**r, "url": self._api(f"/repos/{self.repository}/releases/{rid}"),
                "html_url": f"https://github.example/{self.repository}/releases/tag/{tag}",
                "assets_url": self._api(f"/repos/{self.repository}/releases/{rid}/assets"),
                "upload_url": f"{self.origin}{UPLOADS}/repos/{self.repository}/releases/{rid}/assets{{?name,label}}",
                "assets": self.release_assets(rid)}

    def _asset_json(self, a: dict[str, Any]) -> dict[str, Any]:
        release = self.releases.get(a["_release"], {"tag_name": "untagged"})
        out = {k: v for k, v in a.items() if not k.startswith("_")}
        out["url"] = self._api(f"/repos/{self.repository}/releases/assets/{a['id']}")
        out["browser_download_url"] = (f"https://github.example/{self.repository}/releases/download/"
                                       f"{quote(release['tag_name'], safe='')}/{quote(a['name'], safe='')}")
        if self.asset_digests:
            out["digest"] = "sha256:" + hashlib.sha256(a["_data"]).hexdigest()
        return out

    def _graphql(self, request: dict, token: str) -> tuple[int, dict, Any]:
        query = request.get("query", "")
        variables = request.get("variables") or {}
        by_node = {c["node_id"]: c for c in self.comments.values()}
        if "minimizeComment" in query:
            if token in self.read_only_tokens:
                return 200, {}, {"errors": [{"type": "FORBIDDEN", "message": "Resource not accessible by integration"}]}
            node = by_node.get(variables.get("input", {}).get("subjectId"))
            if node:
                self.minimized.add(node["id"])
            return 200, {}, {"data": {"minimizeComment": {"minimizedComment": {"isMinimized": bool(node)}}}}
        if "nodes(" in query:
            nodes = [({"id": n, "isMinimized": by_node[n]["id"] in self.minimized} if n in by_node else None)
                     for n in variables.get("ids", [])]
            return 200, {}, {"data": {"nodes": nodes}}
        return 200, {}, {"errors": [{"message": "unsupported query"}]}

    # --- data ----------------------------------------------------------------------------
    def _api(self, path: str) -> str:
        return self.url + path

    def _time(self) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1_790_000_000 + self._clock))

    def _repo_json(self) -> dict[str, Any]:
        owner, name = self.repository.split("/")
        return {"id": 1, "name": name, "full_name": self.repository, "owner": {"login": owner},
                "url": self._api(f"/repos/{self.repository}"), "private": False}

    def _create(self, body: str, login: str, app_slug: str | None) -> dict[str, Any]:
        self._next_id += 1
        self._clock += 1
        cid = self._next_id
        owner = self.repository
        app = {"id": 15368, "slug": app_slug, "name": app_slug} if app_slug else None
        comment = {
            "id": cid, "node_id": f"IC_kw{cid}",
            "url": self._api(f"/repos/{owner}/issues/comments/{cid}"),
            "html_url": f"https://github.example/{owner}/pull/{self.pr_number}#issuecomment-{cid}",
            "issue_url": self._api(f"/repos/{owner}/issues/{self.pr_number}"),
            "body": body,
            "user": {"login": login, "id": 41898282 if login == BOT else 7,
                     "type": "Bot" if "[bot]" in login else "User"},
            "created_at": self._time(), "updated_at": self._time(),
            "author_association": "NONE", "performed_via_github_app": app,
        }
        self.comments[cid] = comment
        return comment
