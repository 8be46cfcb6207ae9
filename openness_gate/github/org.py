"""Organisation scan: check every repository of an organisation remotely, hold them to one minimum.

Moves data only: the verdict of each repository comes from ``checker.check_inventory`` with
the organisation policy as the locked parent; nothing here judges.

Cost model (the reason for the cache): listing the organisation costs one call per 100
repositories; each repository then costs one call to learn its default branch's tree SHA.
When that SHA and the policy are unchanged since the last scan, the cached row is reused:
about 1 call per unchanged repository. A changed repository costs one recursive tree call
plus one blob call per file the detectors read.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import hashlib
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

from openness_gate import __version__
from openness_gate.github.client import describe_error, is_rate_limit
from openness_gate.org_result import OrgReport, RepoRow
from openness_gate.errors import ConfigError, UsageError
from openness_gate.record import asdict, record

ORG_POLICY_REPO = ".github"
ORG_POLICY_PATH = "openness/policy.yml"
CACHE_VERSION = 1

T = TypeVar("T")


@record
class ScanOptions:
    policy: str | None = None  # a built-in name or a file; None: the organisation's .github policy, else ai-stack
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    archived: bool = False
    forks: bool = True
    concurrency: int = 8
    shard: tuple[int, int] | None = None  # (K, N), 1-based K
    cache_path: str | None = None
    retries: int = 2  # whole-repository retries on top of the client's HTTP retries
    backoff: float = 0.5


# --- selection ---------------------------------------------------------------------------------

def in_shard(full_name: str, shard: tuple[int, int] | None) -> bool:
    """Deterministic slice: the same repository always lands in the same shard, whatever the order."""
    if shard is None:
        return True
    k, n = shard
    digest = int.from_bytes(hashlib.sha256(full_name.lower().encode()).digest()[:8], "big")
    return digest % n == k - 1


def listing_facts(repo: Any) -> dict[str, Any]:
    """What the organisation listing already says about a repository. Read through attributes,
    never ``raw_data``: PyGithub completes a listed object (one more call) on ``raw_data``."""
    return {"name": repo.name, "full_name": repo.full_name, "archived": repo.archived, "fork": repo.fork,
            "topics": repo.topics or [], "default_branch": repo.default_branch}


def selected(raw: dict[str, Any], options: ScanOptions) -> bool:
    name = str(raw.get("name", ""))
    if raw.get("archived") and not options.archived:
        return False
    if raw.get("fork") and not options.forks:
        return False
    if options.include and not any(fnmatch.fnmatchcase(name, g) for g in options.include):
        return False
    if any(fnmatch.fnmatchcase(name, g) for g in options.exclude):
        return False
    if options.topics and not set(options.topics) & set(raw.get("topics") or []):
        return False
    return in_shard(str(raw.get("full_name", name)), options.shard)


# --- cache --------------------------------------------------------------------------------------

class Cache:
    """Rows of the last scan, keyed by repository, valid while tree SHA and policy digest match."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        if path and os.path.exists(path):
            try:
                with open(path, encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict) and data.get("version") == CACHE_VERSION:
                    self.entries = dict(data.get("repositories") or {})
            except (OSError, ValueError):
                self.entries = {}  # a corrupt cache costs a full scan, never a wrong verdict

    def get(self, repo: str, tree: str, policy_digest: str) -> RepoRow | None:
        e = self.entries.get(repo)
        if not e or e.get("tree") != tree or e.get("policy") != policy_digest or e.get("tool") != __version__:
            return None
        row = RepoRow.from_dict(e.get("row", {}))
        row.cached, row.issue = True, None
        return row

    def put(self, row: RepoRow, policy_digest: str) -> None:
        if row.error or not row.tree:
            return
        with self._lock:
            old = self.entries.get(row.repo, {})
            data = asdict(row)
            data.pop("cached", None)
            data.pop("issue", None)
            self.entries[row.repo] = {"tree": row.tree, "policy": policy_digest, "tool": __version__, "row": data,
                                      "issue": old.get("issue")}

    def issue_state(self, repo: str) -> dict[str, Any] | None:
        return (self.entries.get(repo) or {}).get("issue")

    def set_issue_state(self, repo: str, state: dict[str, Any] | None) -> None:
        with self._lock:
            self.entries.setdefault(repo, {})["issue"] = state

    def save(self) -> None:
        if not self.path:
            return
        from openness_gate.output import write_output  # atomic for a file; never replaces a device

        write_output(json.dumps({"version": CACHE_VERSION, "repositories": self.entries}, indent=1, sort_keys=True),
                     self.path, "--cache")


# --- policy ------------------------------------------------------------------------------------

def resolve_org_policy(gh: Any, org: str, ref: str | None) -> tuple[Any, str, str]:
    """(Policy, human-readable source, digest). ``ref`` wins; else ORG/.github:openness/policy.yml; else ai-stack.

    The digest is of the resolved policy (everything it extends included), so the scan cache
    is invalidated by any change that can change a verdict, and by nothing else.
    """
    from openness_gate import policy as pol

    if ref:
        loaded, source = pol.load_policy(ref), ref
    elif (fetched := fetch_org_policy(gh, org)) is not None:
        loaded, source = fetched
    else:
        loaded = pol.load_policy(pol.DEFAULT_POLICY)
        source = f"builtin:{pol.DEFAULT_POLICY} (no {org}/{ORG_POLICY_REPO}:{ORG_POLICY_PATH})"
    return loaded, source, _digest(loaded)


def fetch_org_policy(gh: Any, org: str) -> tuple[Any, str] | None:
    """(Policy, source) of ORG/.github:openness/policy.yml, or None when there is none.

    ConfigError when the file is invalid (the organisation's mistake, reported as such);
    UsageError when it cannot be read for another reason.
    """
    from openness_gate.policy.load import load_text

    source = f"{org}/{ORG_POLICY_REPO}:{ORG_POLICY_PATH}"
    try:
        content = gh.get_repo(f"{org}/{ORG_POLICY_REPO}").get_contents(ORG_POLICY_PATH)
        text = content.decoded_content.decode("utf-8", errors="replace")
    except Exception as exc:  # noqa: BLE001
        if getattr(exc, "status", None) == 404:
            return None
        raise UsageError(f"{source}: cannot read the organisation policy: {describe_error(exc)}") from None
    return load_text(text, source), source


def _digest(policy: Any) -> str:
    from openness_gate.policy.load import digest

    return digest(policy)


# --- one repository -----------------------------------------------------------------------------

def row_from_result(full_name: str, branch: str, commit: str, tree: str, result: Any) -> RepoRow:
    from openness_gate.report import view
    from openness_gate.result import REQUIRED

    dims = {row.dimension: [row.found, row.total] for row in view.dimensions(result)}
    failed = result.policy.failed(REQUIRED)
    return RepoRow(
        repo=full_name, branch=branch, commit=commit, tree=tree, passed=result.policy.passed,
        score=result.policy.score, level=result.policy.level, policy=result.policy.name, dimensions=dims,
        statuses={f.component: f.status for f in result.components},
        missing_required=[r.id for r in failed], missing_messages=[r.message for r in failed][:20],
        incomplete=result.incomplete,
    )


def check_repository(repo: Any, branch: str, org_policy: Any, policy_digest: str, cache: Cache,
                     options: ScanOptions) -> RepoRow:
    """One repository, with whole-repository retries; never raises (an error becomes the row)."""
    from openness_gate.checker import check_inventory
    from openness_gate.sources.github import RepoSpec, inventory_from_tree, resolve_tree

    full_name = repo.full_name
    last_error = "unknown error"
    for attempt in range(options.retries + 1):
        if attempt:
            time.sleep(options.backoff * 2 ** (attempt - 1))
        try:
            _, commit, tree = resolve_tree(repo, branch)
            hit = cache.get(full_name, tree, policy_digest)
            if hit is not None:
                return hit
            owner, name = full_name.split("/", 1)
            inventory = inventory_from_tree(repo, RepoSpec(owner, name, branch), commit, tree)
            result = check_inventory(inventory, parent=org_policy)
            row = row_from_result(full_name, branch, commit, tree, result)
            cache.put(row, policy_digest)
            return row
        except ConfigError as exc:  # the repository's own config breaks or weakens the minimum: a failure
            return RepoRow(full_name, branch, passed=False, error=f"configuration error: {exc}",
                           missing_required=["configuration"])
        except UsageError as exc:
            last_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - network faults, API errors: retried, then an error row
            last_error = describe_error(exc)
    return RepoRow(full_name, branch, error=f"could not be checked after {options.retries + 1} attempts: {last_error}")


# --- the scan ------------------------------------------------------------------------------------

def list_repositories(gh: Any, org: str, retries: int = 2, backoff: float = 0.5) -> list[Any]:
    """Every repository of the organisation (or user), paginated; the whole listing is retried
    when a page keeps failing after the client's own retries."""
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        try:
            return list(gh.get_organization(org).get_repos(type="all"))
        except Exception as exc:  # noqa: BLE001
            status = getattr(exc, "status", None)
            if status == 404:
                break
            if status in (401, 403) and not is_rate_limit(exc):
                raise UsageError(f"cannot list the repositories of {org}: {describe_error(exc)}") from None
            last = exc
    else:
        raise UsageError(f"cannot list the repositories of {org}: {describe_error(last)}") from None
    try:
        return list(gh.get_user(org).get_repos())
    except Exception as exc:  # noqa: BLE001
        raise UsageError(f"{org}: no such organisation or user ({describe_error(exc)})") from None


def scan(gh: Any, org: str, options: ScanOptions, *,
         progress: Callable[[int, int, RepoRow], None] | None = None) -> tuple[OrgReport, Cache]:
    org_policy, source, digest = resolve_org_policy(gh, org, options.policy)
    repos = [r for r in list_repositories(gh, org, options.retries, options.backoff)
             if selected(listing_facts(r), options)]
    repos.sort(key=lambda r: r.full_name.lower())
    cache = Cache(options.cache_path)

    def check(repo: Any) -> RepoRow:
        return check_repository(repo, repo.default_branch or "main", org_policy, digest, cache, options)

    return check_each(org, repos, check, org_policy, source, options, progress), cache


def check_each(org: str, items: Sequence[T], check: Callable[[T], RepoRow], org_policy: Any, source: str,
               options: ScanOptions, progress: Callable[[int, int, RepoRow], None] | None = None) -> OrgReport:
    """The report of an organisation scan: ``check`` (which never raises) on every selected item,
    ``options.concurrency`` at a time, the rows in the items' order. Shared by the GitHub scan and
    the Hub's (``hub_org``), which differ only in how they list and check a repository."""
    done = 0
    lock = threading.Lock()

    def work(item: T) -> RepoRow:
        nonlocal done
        row = check(item)
        with lock:
            done += 1
            if progress:
                progress(done, len(items), row)
        return row

    with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
        rows = list(pool.map(work, items))
    shard = f"{options.shard[0]}/{options.shard[1]}" if options.shard else None
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    return OrgReport(org, getattr(org_policy, "name", source), source, now, shard=shard, rows=rows)


def tty_progress(stream: Any = None) -> Callable[[int, int, RepoRow], None] | None:
    stream = stream or sys.stderr
    if not getattr(stream, "isatty", lambda: False)():
        return None

    def show(done: int, total: int, row: RepoRow) -> None:
        mark = "error" if row.passed is None else ("pass" if row.passed else "fail")
        stream.write(f"\r[{done}/{total}] {row.repo[:60]:<60} {mark:<5}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show
