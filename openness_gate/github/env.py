"""The GitHub Actions environment, read once: repository, API URL, run, event payload.

``GITHUB_API_URL`` is honoured so that GitHub Enterprise Server works. The event payload
(``GITHUB_EVENT_PATH``) is data written by the runner; only the few fields we need are
read, with their types checked, and a missing or malformed payload means "not a pull request"
(nor a release).
"""

from __future__ import annotations

import json
import os
from typing import Any, Mapping

from openness_gate import lazyre
from openness_gate.errors import UsageError
from openness_gate.record import record

MAX_EVENT_BYTES = 25 << 20


@record
class PullRequest:
    number: int
    base_sha: str | None
    head_sha: str | None
    from_fork: bool


@record
class WorkflowRun:
    """The run that triggered a ``workflow_run`` event (the unprivileged pull_request run)."""

    head_sha: str | None
    run_number: int
    run_attempt: int
    pull_requests: tuple[int, ...]  # empty for pull requests from forks


#: release event actions on which the Action writes to the release (others are judged only)
RELEASE_ACTIONS = ("published", "created", "prereleased")
TAG_PUSH = "push"


@record
class ReleaseEvent:
    """A release moment: a ``release`` event (the release's id is known) or the push of a tag
    (its release, if one exists yet, is looked up by tag)."""

    tag: str
    release_id: int | None
    action: str  # the release event's action, or TAG_PUSH

    @property
    def writes(self) -> bool:
        """Attach evidence and apply on-fail? Not for e.g. ``edited``: our own edit of the notes
        must never be a reason to run again."""
        return self.action == TAG_PUSH or self.action in RELEASE_ACTIONS


@record
class ActionsEnv:
    repository: str | None  # OWNER/REPO
    api_url: str
    event_name: str
    run_number: int
    run_attempt: int
    sha: str | None
    workspace: str | None
    output_path: str | None
    summary_path: str | None
    pull_request: PullRequest | None
    workflow_run: WorkflowRun | None = None
    release: ReleaseEvent | None = None

    @property
    def is_pull_request(self) -> bool:
        return self.pull_request is not None


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _sha(value: Any) -> str | None:
    return value if isinstance(value, str) and 4 <= len(value) <= 64 and value.isalnum() else None


def read_json_file(path: str, limit: int, label: str) -> Any:
    """JSON from a file we did not write (an event payload, an uploaded report): size-capped;
    UsageError with one line naming ``label`` when it is unreadable, too large or not JSON."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        raise UsageError(f"{label}: cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise UsageError(f"{label}: larger than {limit >> 20} MiB")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{label}: not JSON ({exc})") from None


def load_event(path: str | None) -> dict[str, Any]:
    """The event payload as a dict ({} when absent); UsageError when present but unreadable."""
    if not path:
        return {}
    event = read_json_file(path, MAX_EVENT_BYTES, f"GITHUB_EVENT_PATH {path}")
    return event if isinstance(event, dict) else {}


def pull_request_of(event: Mapping[str, Any], repository: str | None) -> PullRequest | None:
    """The pull request an event is about (pull_request / pull_request_target events), else None."""
    pr = event.get("pull_request")
    if not isinstance(pr, dict):
        return None
    number = _int(pr.get("number") or event.get("number"))
    if number <= 0:
        return None
    base = pr.get("base") if isinstance(pr.get("base"), dict) else {}
    head = pr.get("head") if isinstance(pr.get("head"), dict) else {}
    head_repo = head.get("repo") if isinstance(head.get("repo"), dict) else {}
    head_name = head_repo.get("full_name")
    from_fork = bool(head_repo.get("fork")) or (isinstance(head_name, str) and repository is not None
                                                   and head_name.lower() != repository.lower())
    return PullRequest(number, _sha(base.get("sha")), _sha(head.get("sha")), from_fork)


def workflow_run_of(event: Mapping[str, Any]) -> WorkflowRun | None:
    run = event.get("workflow_run")
    if not isinstance(run, dict):
        return None
    prs = run.get("pull_requests") if isinstance(run.get("pull_requests"), list) else []
    numbers = tuple(n for n in (_int(p.get("number")) for p in prs if isinstance(p, dict)) if n > 0)
    return WorkflowRun(_sha(run.get("head_sha")), _int(run.get("run_number")), _int(run.get("run_attempt"), 1), numbers)


_TAG_FORBIDDEN = lazyre.compile(r"[\x00-\x20\x7f~^:?*\[\\]|\.\.|@\{")


def tag_name(value: Any) -> str | None:
    """A tag name as git allows it (``git check-ref-format``'s rules, roughly), else None: it goes
    into an API path, a git argument and, escaped, the release notes."""
    if not isinstance(value, str) or not 0 < len(value) <= 255 or value.startswith(("-", "/", ".")):
        return None
    if _TAG_FORBIDDEN.search(value) or value.endswith((".", "/", ".lock")) or not value.isprintable():
        return None
    return value


def release_of(event_name: str, event: Mapping[str, Any], ref: str | None) -> ReleaseEvent | None:
    """The release moment an event is: a ``release`` event with its release, or a tag push."""
    if event_name == "release":
        release = event.get("release")
        if not isinstance(release, dict):
            return None
        tag, rid = tag_name(release.get("tag_name")), _int(release.get("id"))
        action = event.get("action") if isinstance(event.get("action"), str) else ""
        return ReleaseEvent(tag, rid, action) if tag and rid > 0 else None
    if event_name == "push" and not event.get("deleted"):
        pushed = event.get("ref") if isinstance(event.get("ref"), str) else ref
        if pushed and pushed.startswith("refs/tags/"):
            tag = tag_name(pushed[len("refs/tags/"):])
            return ReleaseEvent(tag, None, TAG_PUSH) if tag else None
    return None


def from_environ(environ: Mapping[str, str] | None = None) -> ActionsEnv:
    env = os.environ if environ is None else environ
    repository = env.get("GITHUB_REPOSITORY") or None
    event = load_event(env.get("GITHUB_EVENT_PATH"))
    return ActionsEnv(
        repository=repository,
        api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
        event_name=env.get("GITHUB_EVENT_NAME", ""),
        run_number=_int(env.get("GITHUB_RUN_NUMBER")),
        run_attempt=_int(env.get("GITHUB_RUN_ATTEMPT"), 1),
        sha=_sha(env.get("GITHUB_SHA")),
        workspace=env.get("GITHUB_WORKSPACE") or None,
        output_path=env.get("GITHUB_OUTPUT") or None,
        summary_path=env.get("GITHUB_STEP_SUMMARY") or None,
        pull_request=pull_request_of(event, repository),
        workflow_run=workflow_run_of(event),
        release=release_of(env.get("GITHUB_EVENT_NAME", ""), event, env.get("GITHUB_REF")),
    )
