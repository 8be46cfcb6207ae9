"""Build an Inventory of a Hugging Face Hub repository without cloning it or downloading weights.

``hf:OWNER/NAME[@REV]`` (a model) and ``hf:datasets/OWNER/NAME[@REV]`` (a dataset). One info
call (``model_info`` / ``dataset_info`` with ``files_metadata``) resolves the revision to a
commit and returns, at once, every file with its real size and LFS metadata and what the Hub
states about the repository (gating, card metadata, safetensors parameter counts); when a Hub
leaves the file list out of that answer, the paginated tree listing is read instead. Files are
then read one by one, only when a detector asks, through the resolve endpoint with an HTTP
``Range`` of the read cap, at the resolved commit so that every read sees the same revision.
Weights and other LFS files are listed with their real size and never fetched.

``huggingface_hub`` is imported inside the functions: a local ``check`` never pays for it (nor
for its HTTP stack). It reads ``HF_ENDPOINT`` and ``HF_TOKEN`` (or the token ``hf auth login``
stored) the way every Hub tool does. See docs/hub.md.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Callable, TypeVar

from openness_gate import __version__, lazyre
from openness_gate.errors import UsageError
from openness_gate.inventory import DEFAULT_TEXT_CAP, FileEntry, Inventory, ReadError, Skipped, Target
from openness_gate.record import record
from openness_gate.sources import budget  # the read budget, spent as a GitHub check spends it
from openness_gate.sources.budget import MAX_FETCHES, RESERVED_FETCHES

ATTEMPTS = 4  # tries per request when the Hub answers 429 or 5xx, or the connection drops
BACKOFF = 1.0  # seconds before the first retry when the Hub gives no Retry-After; doubles each time
MAX_WAIT = 60.0  # a longer Retry-After is not waited for: the check stops at once and says how long
TIMEOUT = 60.0  # seconds per request (the library's own default is to wait forever)
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})

_NAME = r"[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"
_SPEC = lazyre.compile(rf"^(?:(models|datasets|spaces)/)?({_NAME})/({_NAME})(?:@([^\s@]+))?$")

T = TypeVar("T")


@record
class HubSpec:
    """A parsed ``hf:`` target."""

    repo_type: str  # "model" | "dataset"
    repo_id: str  # OWNER/NAME
    revision: str | None = None

    @property
    def display(self) -> str:
        """How reports name the repository: ``OWNER/NAME`` or ``datasets/OWNER/NAME``."""
        return f"datasets/{self.repo_id}" if self.repo_type == "dataset" else self.repo_id

    @property
    def target(self) -> str:
        """The target as the user wrote it (for error messages)."""
        return f"hf:{self.display}" + (f"@{self.revision}" if self.revision else "")


def valid_name(part: str) -> bool:
    """An owner (organisation, user) or repository name as the Hub allows it."""
    return re.fullmatch(_NAME, part) is not None and ".." not in part and "--" not in part


def parse_spec(spec: str) -> HubSpec:
    """``[datasets/]OWNER/NAME[@REV]`` → HubSpec; UsageError says what is expected."""
    text = spec.strip()
    m = _SPEC.match(text)
    if not m or not (valid_name(m.group(2)) and valid_name(m.group(3))) or m.group(3).endswith(".git"):
        raise UsageError(f"hf:{text}: expected hf:OWNER/NAME[@REVISION] (a model) or "
                         "hf:datasets/OWNER/NAME[@REVISION] (a dataset)")
    if m.group(1) == "spaces":
        raise UsageError(f"hf:{text}: Spaces are not checked; give a model (hf:OWNER/NAME) or a dataset "
                         "(hf:datasets/OWNER/NAME)")
    return HubSpec("dataset" if m.group(1) == "datasets" else "model", f"{m.group(2)}/{m.group(3)}", m.group(4))


# --- errors and retries ---------------------------------------------------------------------------

def _one_line(text: object, limit: int = 300) -> str:
    """Server messages can span lines, be long or hold terminal control characters; a usage error
    is one plain line."""
    line = "".join(ch if ch.isprintable() else " " for ch in " ".join(str(text).split()))
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def _retry_after(exc: BaseException) -> float | None:
    """Seconds the Hub asks us to wait: ``Retry-After`` (seconds), else the ``RateLimit`` header's ``t``."""
    headers = getattr(getattr(exc, "response", None), "headers", None) or {}
    value = (headers.get("Retry-After") or "").strip()
    if value.isdigit():
        return float(value)
    m = re.search(r";\s*t\s*=\s*(\d+)", headers.get("RateLimit") or "")
    return float(m.group(1)) if m else None


def _transport_errors() -> tuple[type[BaseException], ...]:
    """The HTTP library's connection-level errors (``httpx`` or its successor, whichever this
    ``huggingface_hub`` uses): found from the session's own class, not imported by name."""
    import importlib

    from huggingface_hub.utils import get_session

    module = importlib.import_module(type(get_session()).__module__.split(".")[0])
    return tuple(t for t in (getattr(module, "TransportError", None), getattr(module, "StreamError", None)) if t)


def _page_url(spec: HubSpec, endpoint: str) -> str:
    return f"{endpoint.rstrip('/')}/{spec.display}"


def _has_token() -> bool:
    from huggingface_hub.utils import get_token

    return bool(get_token())


def describe(spec: HubSpec, exc: BaseException, endpoint: str, where: str | None = None,
             attempts: int | None = ATTEMPTS) -> UsageError:
    """One line a person can act on, for an error the Hub (or the way to it) gave. ``where`` names
    what was asked for (default: the target); ``attempts`` is how often it was tried (None: by the
    library's own retry policy, for its paginated listings)."""
    from huggingface_hub import errors

    where = where or spec.target
    if isinstance(exc, errors.GatedRepoError):
        who = "the token sent (HF_TOKEN, else your hf login) has no access yet" if _has_token() else "no token was sent"
        return UsageError(f"{where}: gated repository and {who}: request access on {_page_url(spec, endpoint)} "
                          "(log in and accept the conditions), then set HF_TOKEN to an access token of that account")
    if isinstance(exc, errors.RevisionNotFoundError):
        return UsageError(f"{where}: revision {spec.revision!r} not found in {spec.display} "
                          "(give a branch, a tag or a commit sha)")
    if isinstance(exc, errors.RepositoryNotFoundError):
        kind = "dataset" if spec.repo_type == "dataset" else "model"
        return UsageError(f"{where}: {kind} repository not found on the Hub ({endpoint}); check the name"
                          + ("" if spec.repo_type == "dataset" else " (a dataset is hf:datasets/OWNER/NAME)")
                          + ", and if it is private set HF_TOKEN to a token that can read it")
    if isinstance(exc, errors.DisabledRepoError):
        return UsageError(f"{where}: the Hub has disabled this repository")
    if isinstance(exc, errors.OfflineModeIsEnabled):
        return UsageError(f"{where}: HF_HUB_OFFLINE is set, and a hf: check reads the Hub over the network "
                          "(unset it)")
    status = _status(exc)
    asked = _retry_after(exc)
    tries = (f", which asks to wait {asked:.0f} s" if asked is not None and asked > MAX_WAIT
             else f" after {attempts} attempts" if attempts else " after retries")
    if status == 429:
        return UsageError(f"{where}: rate-limited by the Hub (HTTP 429){tries}; try again later"
                          + ("" if _has_token() else ", or set HF_TOKEN (authenticated requests get a higher limit)"))
    if status in (401, 403):
        server = getattr(exc, "server_message", None) or ""
        if "invalid credentials" in server.lower() or "invalid username or password" in server.lower():
            return UsageError(f"{where}: the Hub refused the token in HF_TOKEN (invalid credentials)")
        return UsageError(f"{where}: the Hub refused access (HTTP {status}); set HF_TOKEN to a token that can read "
                          f"{spec.display}")
    if status is not None:
        server = getattr(exc, "server_message", None)
        detail = f": {_one_line(server, 160)}" if server else ""
        return UsageError(f"{where}: the Hub answered HTTP {status}{tries if status in RETRY_STATUSES else ''}{detail}")
    return UsageError(f"{where}: cannot reach the Hub at {endpoint}: {_one_line(exc, 160)}")


def _wait_before_retry(exc: BaseException, attempt: int, sleep: Callable[[float], None]) -> bool:
    """Sleep before the next attempt and return True, or return False when it is not worth one."""
    if attempt >= ATTEMPTS:
        return False
    asked = _retry_after(exc)
    if asked is not None and asked > MAX_WAIT:
        return False  # an hour-long rate-limit window: say so now rather than hang the job
    sleep(asked if asked is not None else BACKOFF * 2 ** (attempt - 1))
    return True


def with_retries(call: Callable[[], T], sleep: Callable[[float], None] = time.sleep) -> T:
    """``call()``, tried again on 429, 5xx and dropped connections (honouring ``Retry-After``).

    The library retries its paginated calls itself but not the info call or a plain GET; this
    gives every request of a check the same policy, and the last error is raised unchanged."""
    from huggingface_hub import errors

    transport = _transport_errors()
    attempt = 0
    while True:
        attempt += 1
        try:
            return call()
        except errors.HfHubHTTPError as exc:
            if _status(exc) not in RETRY_STATUSES or not _wait_before_retry(exc, attempt, sleep):
                raise
        except transport as exc:
            if not _wait_before_retry(exc, attempt, sleep):
                raise


# --- reading files --------------------------------------------------------------------------------

class HubReader:
    """Reads files of one commit through the resolve endpoint, at most ``limit`` bytes each
    (an HTTP Range, and the stream is closed at the cap whatever the server sends), counted
    against a budget of which ``reserved`` reads are kept for the files that decide most
    verdicts (root files, cards, licences), as for a GitHub check. Thread-safe."""

    def __init__(self, spec: HubSpec, commit: str, empty: frozenset[str], endpoint: str, *,
                 token: str | bool | None = None, max_fetches: int = MAX_FETCHES,
                 reserved: int = RESERVED_FETCHES) -> None:
        self.spec = spec
        self.commit = commit
        #: files the listing gives size 0: nothing to fetch (a Range on an empty file is unsatisfiable).
        #: The inventory never asks for a path it does not list, nor for a Git LFS pointer's content
        self.empty = empty
        self.endpoint = endpoint
        self.token = token  # as HfApi takes it: None = HF_TOKEN or the stored login, False = none
        self.budget = budget.Budget(max_fetches, reserved)

    def costly(self, path: str) -> bool:
        return path not in self.empty  # every other read is a request, counted against the budget

    def read_bytes(self, path: str, limit: int) -> bytes:
        if path in self.empty or limit <= 0:
            return b""
        self.budget.spend(path)
        from huggingface_hub import errors

        try:
            return with_retries(lambda: self._get(path, limit))
        except errors.RemoteEntryNotFoundError:
            raise ReadError("listed, but not found on the Hub", incomplete=True) from None
        except Exception as exc:  # noqa: BLE001 - a gate, a fault that outlived the retries: stop the check
            # a verdict on half-read files would be wrong, so the whole check stops (as for GitHub)
            raise describe(self.spec, exc, self.endpoint) from None

    def _get(self, path: str, limit: int) -> bytes:
        from huggingface_hub import hf_hub_url
        from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

        url = hf_hub_url(self.spec.repo_id, path, repo_type=self.spec.repo_type, revision=self.commit,
                         endpoint=self.endpoint)
        headers = build_hf_headers(token=self.token, library_name="openness-gate", library_version=__version__)
        headers["Range"] = f"bytes=0-{limit - 1}"
        headers["Accept-Encoding"] = "identity"  # the cap counts bytes of the file, not of a compressed body
        with get_session().stream("GET", url, headers=headers, timeout=TIMEOUT) as response:
            hf_raise_for_status(response)
            chunks, got = [], 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                got += len(chunk)
                if got >= limit:
                    break  # a server that ignored the Range: stop at the cap, the rest is never read
        return b"".join(chunks)[:limit]


# --- listing and facts ----------------------------------------------------------------------------

def _safe_path(path: str) -> bool:
    """A repository-relative path we can show and look up (the Hub never lists others)."""
    parts = path.split("/")
    return bool(path) and "\0" not in path and not path.startswith("/") and all(p not in ("", ".", "..") for p in parts)


def _entries_from_siblings(siblings: Any) -> list[tuple[str, int, str | None]] | None:
    """(path, real size, "sha256:<oid>" or None) per file from the info answer, or None when the
    answer lacks the list or a size (then the tree listing is read)."""
    if siblings is None:
        return None
    out = []
    for s in siblings:
        lfs = getattr(s, "lfs", None)
        size = lfs.size if lfs is not None else getattr(s, "size", None)
        if size is None:
            return None
        out.append((s.rfilename, int(size), f"sha256:{lfs.sha256}" if lfs is not None else None))
    return out


def _entries_from_tree(api: Any, spec: HubSpec, commit: str) -> list[tuple[str, int, str | None]]:
    """The same from the recursive tree listing (1,000 entries a page; the library follows the pages)."""
    from huggingface_hub.hf_api import RepoFile

    out = []
    for item in api.list_repo_tree(spec.repo_id, recursive=True, expand=False, revision=commit,
                                   repo_type=spec.repo_type):
        if isinstance(item, RepoFile):
            lfs = item.lfs
            size = lfs.size if lfs is not None else item.size
            out.append((item.path, int(size or 0), f"sha256:{lfs.sha256}" if lfs is not None else None))
    return out


def _json_safe(value: Any) -> Any:
    """Card metadata as plain JSON values (dates and library objects become strings)."""
    try:
        return json.loads(json.dumps(value, default=str))
    except (TypeError, ValueError):
        return None


def _card_dict(card_data: Any) -> dict[str, Any]:
    if card_data is None:
        return {}
    raw = card_data.to_dict() if hasattr(card_data, "to_dict") else card_data
    data = _json_safe(raw)
    return data if isinstance(data, dict) else {}


def hub_facts(info: Any, spec: HubSpec, endpoint: str) -> dict[str, Any]:
    """What the Hub states about the repository beyond its files, as plain data for detectors."""
    safetensors = getattr(info, "safetensors", None)
    params = None
    if safetensors is not None:
        params = {"parameters": {str(k): int(v) for k, v in (safetensors.parameters or {}).items()},
                  "total": int(safetensors.total)}
    gated = getattr(info, "gated", None)
    return {
        "repo_type": spec.repo_type,
        "repo_id": spec.repo_id,
        "url": _page_url(spec, endpoint),
        "sha": info.sha,
        "revision": spec.revision,
        "gated": gated if gated in ("auto", "manual") else bool(gated),
        "private": bool(getattr(info, "private", False)),
        "card_data": _card_dict(getattr(info, "card_data", None)),
        "safetensors": params,
    }


def _info(api: Any, spec: HubSpec, *, files: bool = True) -> Any:
    """The info answer (one request, retried), with each file's size and LFS metadata when
    ``files``; a failure is the one-line UsageError."""
    fetch = api.dataset_info if spec.repo_type == "dataset" else api.model_info
    try:
        return with_retries(lambda: fetch(spec.repo_id, revision=spec.revision, files_metadata=files, timeout=TIMEOUT))
    except Exception as exc:  # noqa: BLE001 - one line for the user, whatever the Hub said
        raise describe(spec, exc, api.endpoint) from None


def make_api(endpoint: str | None = None) -> Any:
    """An ``HfApi`` for the configured endpoint (``HF_ENDPOINT``) and token (``HF_TOKEN``), for
    the command line: the library's own retry warnings are silenced (errors reach the user as
    one line of ours) unless ``HF_HUB_VERBOSITY`` asks for them."""
    import os

    from huggingface_hub import HfApi
    from huggingface_hub.utils import logging as hub_logging

    if not os.environ.get("HF_HUB_VERBOSITY"):
        hub_logging.set_verbosity_error()
    return HfApi(endpoint=endpoint, library_name="openness-gate", library_version=__version__)


def load(spec_text: str, *, text_cap: int = DEFAULT_TEXT_CAP, api: Any = None,
         max_fetches: int = MAX_FETCHES, reserved: int = RESERVED_FETCHES) -> Inventory:
    """``hf:[datasets/]OWNER/NAME[@REV]`` (without the prefix) → Inventory, through the Hub API."""
    spec = parse_spec(spec_text)
    api = api or make_api()
    endpoint = api.endpoint
    info = _info(api, spec)
    commit = info.sha
    if not commit:
        raise UsageError(f"{spec.target}: the Hub did not say which commit {spec.revision or 'the main branch'} is")
    entries = _entries_from_siblings(getattr(info, "siblings", None))
    if entries is None:
        try:
            entries = _entries_from_tree(api, spec, commit)
        except Exception as exc:  # noqa: BLE001 - the library retried the pages itself
            raise describe(spec, exc, endpoint, attempts=None) from None
    files: list[FileEntry] = []
    skipped: list[Skipped] = []
    for path, size, oid in entries:
        if _safe_path(path):
            files.append(FileEntry(path, size, oid))
        else:
            skipped.append(Skipped(_one_line(path, 200), "not a plain repository-relative path; not inspected"))
    reader = HubReader(spec, commit, frozenset(f.path for f in files if f.size == 0), endpoint, token=api.token,
                       max_fetches=max_fetches, reserved=reserved)
    inventory = Inventory(Target("huggingface", spec.display, commit), files, reader, skipped, text_cap)
    inventory.facts["huggingface"] = hub_facts(info, spec, endpoint)
    return inventory


def facts(spec_text: str, *, api: Any = None) -> dict[str, Any]:
    """The Hub's facts about one repository, in one request, without its files: what the
    Action's ``hf-repo`` input adds to the check of a GitHub repository that mirrors a Hub model
    (gating, card metadata, parameter counts). Errors are the one-line UsageErrors of ``load``."""
    spec = parse_spec(spec_text)
    api = api or make_api()
    return hub_facts(_info(api, spec, files=False), spec, api.endpoint)
