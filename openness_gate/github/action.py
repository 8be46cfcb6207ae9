"""The GitHub Action, end to end: check the head, compare with the base, report, comment.

``main()`` is what ``action.yml`` runs. It reads inputs from ``INPUT_*`` variables and the
run from the standard ``GITHUB_*`` variables, calls ``checker.check_inventory`` for the
head (the work tree) and, on a pull request, for the base commit (read from git history),
then moves text around: job summary, annotations, files, step outputs, the sticky comment.
The verdict (exit code) is decided before any API call and no API fault changes it:

* 0 the gate passed, 1 it failed (policy per ``fail-on``, or a regression), 2 usage/config error.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from openness_gate.errors import EXIT_FAIL, EXIT_PASS, EXIT_USAGE, ConfigError, UsageError
from openness_gate.github import workflow
from openness_gate.github.env import ActionsEnv, from_environ
from openness_gate.github.workflow import Annotation
from openness_gate.policy.gate import FAIL_ON
from openness_gate.result import Result

if TYPE_CHECKING:
    from openness_gate.policy.compare import Comparison
    from openness_gate.github.comment import CommentOutcome

COMMENT_MODES = ("auto", "always", "never")
COMMENT_LIMIT = 65_536  # GitHub's maximum comment body, in characters
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class Inputs:
    path: str = "."
    policy: str | None = None
    token: str | None = None
    comment: str = "auto"
    fail_on: str = "required"
    compare_base: bool | None = None  # None: on pull requests
    fail_on_regression: bool = True
    fail_on_incomplete: bool = False
    sarif_file: str | None = None
    badge_file: str | None = None
    report_file: str | None = None
    comment_author: str = "github-actions[bot]"
    base_report_file: str | None = None
    from_report: str | None = None  # comment mode: publish these reports instead of checking
    from_base_report: str | None = None
    pull_request: int | None = None
    org_policy: bool | None = None  # None (auto): use the organisation minimum when the token can read it


def _input(env: Mapping[str, str], name: str) -> str:
    """``INPUT_NAME`` as the runner spells it (upper case, '-' kept) or with '_' for '-'."""
    key = "INPUT_" + name.upper()
    return (env.get(key) or env.get(key.replace("-", "_")) or "").strip()


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    value = _input(env, name).lower() or default
    if value not in choices:
        raise UsageError(f"input {name}: {value!r} is not one of {', '.join(choices)}")
    return value


def _flag(env: Mapping[str, str], name: str, default: bool | None) -> bool | None:
    value = _input(env, name).lower()
    if not value or value == "auto":
        return default
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise UsageError(f"input {name}: {value!r} is not true, false or auto")


def read_inputs(env: Mapping[str, str]) -> Inputs:
    return Inputs(
        path=_input(env, "path") or ".",
        policy=_input(env, "policy") or None,
        token=_input(env, "github-token") or None,
        comment=_choice(env, "comment", COMMENT_MODES, "auto"),
        fail_on=_choice(env, "fail-on", FAIL_ON, "required"),
        compare_base=_flag(env, "compare-base", None),
        fail_on_regression=bool(_flag(env, "fail-on-regression", True)),
        fail_on_incomplete=bool(_flag(env, "fail-on-incomplete", False)),
        sarif_file=_input(env, "sarif-file") or None,
        badge_file=_input(env, "badge-file") or None,
        report_file=_input(env, "report-file") or None,
        comment_author=_input(env, "comment-author") or "github-actions[bot]",
        base_report_file=_input(env, "base-report-file") or None,
        from_report=_input(env, "from-report") or None,
        from_base_report=_input(env, "from-base-report") or None,
        pull_request=_pr_number(_input(env, "pull-request")),
        org_policy=_flag(env, "org-policy", None),
    )


def _pr_number(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit() or int(value) <= 0:
        raise UsageError(f"input pull-request: {value[:40]!r} is not a pull request number")
    return int(value)


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return run(read_inputs(env), from_environ(env), env)
    except UsageError as exc:
        workflow.emit_annotations([Annotation("error", str(exc), "openness-gate")])
        print(f"openness-gate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a bug of ours: one line, the traceback only when asked
        if env.get("OPENNESS_GATE_DEBUG") or env.get("RUNNER_DEBUG") == "1":
            raise
        message = f"internal error: {type(exc).__name__}: {exc} (re-run with debug logging for the traceback)"
        workflow.emit_annotations([Annotation("error", message, "openness-gate")])
        print(f"openness-gate: {message}", file=sys.stderr)
        return EXIT_USAGE


def run(inputs: Inputs, gh_env: ActionsEnv, env: Mapping[str, str]) -> int:
    """Check mode: evaluate the work tree (and the base commit), publish, exit with the verdict."""
    if inputs.from_report:
        return run_from_report(inputs, gh_env)
    from openness_gate import report
    from openness_gate.checker import check_inventory
    from openness_gate.sources import local

    started = time.monotonic()
    parent = _organisation_minimum(inputs, gh_env)
    head = check_inventory(local.load(inputs.path), inputs.policy, parent=parent)
    print(report.render(head, "text", color=False), flush=True)

    comparison, note, base = None, None, None
    pr = gh_env.pull_request
    compare_wanted = inputs.compare_base if inputs.compare_base is not None else pr is not None
    if compare_wanted:
        comparison, note, base = _compare(inputs, head, pr.base_sha if pr else None, parent)

    files = _write_files(inputs, head, base, env)
    passed = _publish(inputs, gh_env, head, comparison, note, files,
                      pr.number if pr and inputs.comment != "never" else None,
                      (gh_env.run_number, gh_env.run_attempt, gh_env.sha or ""),
                      annotate=True)
    print(f"openness-gate: gate {'passed' if passed else 'failed'} in {time.monotonic() - started:.1f}s", flush=True)
    return EXIT_PASS if passed else EXIT_FAIL


def run_from_report(inputs: Inputs, gh_env: ActionsEnv) -> int:
    """Comment mode of the fork-safe pattern (a privileged ``workflow_run`` job): publish the
    reports the pull-request run uploaded, without checking out or running anything of the PR.

    The reports are untrusted: parsed, validated and rendered again (``report_input``). The
    pull request number comes from the event when GitHub gives it, else from the input, and
    must be the pull request whose head is the commit the triggering run checked. Exit 0: the
    verdict belongs to the pull-request run, this job only reports it.
    """
    from openness_gate.policy.compare import compare
    from openness_gate.github import report_input

    head = report_input.load(inputs.from_report)
    base, note = None, None
    if inputs.from_base_report and os.path.exists(inputs.from_base_report):
        base = report_input.load(inputs.from_base_report)
    elif inputs.from_base_report:
        note = "the pull-request run uploaded no base report"
    comparison = compare(base, head) if base is not None else None
    run = gh_env.workflow_run
    number = (run.pull_requests[0] if run and run.pull_requests else None) or inputs.pull_request \
        or (gh_env.pull_request.number if gh_env.pull_request else None)
    if number is None:
        raise UsageError("from-report: no pull request number (give the pull-request input)")
    sha = (run.head_sha if run else None) or gh_env.sha or ""
    order = (run.run_number, run.run_attempt, sha) if run else (gh_env.run_number, gh_env.run_attempt, sha)
    if run is not None and inputs.comment != "never" and not _verify_pull_request(inputs, gh_env, number,
                                                                                   run.head_sha):
        number = None  # the warning says why; the summary still gets the report
    passed = _publish(inputs, gh_env, head, comparison, note, {},
                      number if inputs.comment != "never" else None, order, annotate=False)
    print(f"openness-gate: reported pull request #{number or '?'}: gate {'passed' if passed else 'failed'}", flush=True)
    return EXIT_PASS


def _verify_pull_request(inputs: Inputs, gh_env: ActionsEnv, number: int, head_sha: str | None) -> bool:
    """The number came with an artifact anyone can write: it must name the pull request whose
    head is the commit the triggering run checked, or we would comment on someone else's PR.
    A mismatch is usually benign (the PR moved on; its newer run will comment): a warning."""
    if not inputs.token or not gh_env.repository:
        return True  # _comment() warns about the missing token
    from openness_gate.github.client import ClientOptions, make_client

    try:
        pull = make_client(inputs.token, ClientOptions(api_url=gh_env.api_url)).get_repo(gh_env.repository) \
            .get_pull(number)
        actual = pull.head.sha
    except Exception as exc:  # noqa: BLE001 - any API fault: do not comment on an unverified PR
        workflow.warning(f"openness-gate: cannot verify pull request #{number} ({type(exc).__name__}); not commenting")
        return False
    if not head_sha or actual != head_sha:
        workflow.warning(f"openness-gate: pull request #{number} is at {str(actual)[:12]}, not at the commit the "
                         f"report was made from ({(head_sha or 'unknown')[:12]}); not commenting")
        return False
    return True


def _publish(inputs: Inputs, gh_env: ActionsEnv, head: Result, comparison: Comparison | None, note: str | None,
             files: dict[str, str], pr_number: int | None, order: tuple[int, int, str], annotate: bool) -> bool:
    """Summary, annotations, comment and outputs; returns the gate verdict (policy + regression)."""
    from openness_gate import report
    from openness_gate.github.summary import changes_section, gate_line

    from openness_gate.policy import gate

    passed, reasons = gate(head.policy, inputs.fail_on, comparison, inputs.fail_on_regression,
                           len(head.inventory.incomplete), inputs.fail_on_incomplete)
    prefix = "\n".join([gate_line(passed, reasons), "", *changes_section(comparison, note)])
    budget = COMMENT_LIMIT - len(prefix) - 300  # room for the marker line
    content = prefix + "\n" + report.render(head, "markdown", max_chars=max(budget, 4_000))
    workflow.append_summary(content, gh_env.summary_path)
    if annotate:
        workflow.emit_annotations(_annotations(head, comparison, inputs.path, gh_env.workspace))

    outcome = None
    if pr_number is not None:
        changed = comparison is not None and bool(comparison.changes)
        outcome = _comment(inputs, gh_env, head, content, pr_number, order,
                           create=inputs.comment == "always" or not passed or changed)
    if outcome is not None and not outcome.ok:
        workflow.warning(f"openness-gate could not comment on the pull request: {outcome.reason}. "
                         "The report is in the job summary; the verdict is unchanged"
                         + (" (pull requests from forks: see the two-workflow pattern in the docs)"
                            if outcome.action == "forbidden" else "") + ".")
    elif outcome is not None:
        print(f"openness-gate: pull-request comment {outcome.action}"
              + (f", {outcome.deleted} duplicate(s) deleted" if outcome.deleted else "")
              + (f": {outcome.url}" if outcome.url else ""), flush=True)

    workflow.set_outputs({
        "passed": "true" if passed else "false",
        "score": str(head.policy.score),
        "level": head.policy.level or "",
        "regressed": "true" if comparison is not None and comparison.regressed else "false",
        "report-json": files.get("report", ""),
        "base-report-json": files.get("base-report", ""),
        "badge-svg": files.get("badge", ""),
        "comment-url": (outcome.url or "") if outcome is not None else "",
    }, gh_env.output_path)
    return passed


def _organisation_minimum(inputs: Inputs, gh_env: ActionsEnv) -> Any:
    """The organisation's locked minimum (ORG/.github:openness/policy.yml) when the token can read it.

    One API call. Not finding one is normal; not being able to read it is a warning, never a
    failure of the gate; an invalid organisation policy is a configuration error (exit 2).
    """
    if inputs.org_policy is False or not inputs.token or not gh_env.repository or "/" not in gh_env.repository:
        return None
    from openness_gate.github.client import ClientOptions, make_client
    from openness_gate.github.org import fetch_org_policy

    owner = gh_env.repository.split("/", 1)[0]
    try:
        fetched = fetch_org_policy(make_client(inputs.token, ClientOptions(api_url=gh_env.api_url)), owner)
    except ConfigError:
        raise
    except UsageError as exc:
        workflow.warning(f"openness-gate: organisation policy not applied: {exc}")
        return None
    if fetched is None:
        return None
    print(f"openness-gate: held to the organisation minimum {fetched[1]}", flush=True)
    return fetched[0]


def _compare(inputs: Inputs, head: Result, base_sha: str | None,
             parent: Any = None) -> tuple[Comparison | None, str | None, Result | None]:
    """(Comparison, None, base Result) or (None, why it was skipped, None). Base problems never fail the gate."""
    from openness_gate.checker import check_inventory
    from openness_gate.policy.compare import compare
    from openness_gate.sources import gittree

    if not base_sha:
        return None, "no base commit in the event (not a pull request event)", None
    if inputs.policy:
        policy: Any = inputs.policy
    elif parent is not None and head.policy.name == getattr(parent, "name", None):
        policy = parent  # the head was held to the organisation minimum itself: so is the base
    else:
        policy = _policy_ref(head)
    try:
        try:
            base_inv = gittree.load(inputs.path, base_sha)
        except UsageError:
            _fetch(inputs.path, base_sha)
            base_inv = gittree.load(inputs.path, base_sha)
        base = check_inventory(base_inv, policy, parent=parent)
    except UsageError as exc:
        workflow.warning(f"openness-gate: base comparison skipped: {exc}")
        return None, str(exc), None
    return compare(base, head), None, base


def _policy_ref(head: Result) -> str:
    """The head's policy, to judge the base by the same rules (a PR cannot weaken them for itself)."""
    p = head.policy
    if p.source and p.source.startswith("builtin:"):
        return p.source
    return p.name


def _fetch(path: str, sha: str) -> None:
    """actions/checkout fetches one commit by default: fetch the base (depth 1) once, quietly."""
    try:
        subprocess.run(["git", "-C", path, "fetch", "--no-tags", "--quiet", "--depth=1", "origin", sha],
                       capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.SubprocessError):
        pass


def _annotations(head: Result, comparison: Comparison | None, path: str, workspace: str | None) -> list[Annotation]:
    """Errors (required) and warnings (recommended) for failed requirements and lost components.

    An annotation names a file only when it is evidence of that very component (e.g. the
    incomplete model card); a missing component has no file to point at, so its annotation
    stays on the run rather than on an unrelated file.
    """
    prefix = _repo_prefix(path, workspace)
    out: list[Annotation] = []
    if comparison is not None:
        for c in comparison.lost:
            out.append(Annotation("error", f"{c.title} ({c.component}) was {c.before} at the base and is "
                                           "missing in this pull request", "openness-gate: component lost"))
    policy = head.policy
    findings = {f.component: f for f in head.components}
    for r in sorted(policy.failed(), key=lambda r: r.severity != "required"):
        spot = next(((e.path, e.line) for cid in (r.component, *r.components) if cid in findings
                     for e in findings[cid].evidence if _repo_relative(e.path)), (None, None))
        file = posixpath.join(prefix, spot[0]) if spot[0] and prefix else spot[0]
        out.append(Annotation("error" if r.severity == "required" else "warning",
                              f"{r.message}. Fix: {r.fix}", f"openness-gate: {r.id}", file, spot[1]))
    return out


def _repo_relative(p: str | None) -> bool:
    if not p or p.startswith("/") or "://" in p or "\\" in p:
        return False
    norm = posixpath.normpath(p)
    return norm != "." and not norm.startswith("..")


def _repo_prefix(path: str, workspace: str | None) -> str:
    """``path`` relative to the workspace (annotations must name files from the repository root)."""
    base = os.path.realpath(workspace or os.getcwd())
    full = os.path.realpath(path)
    rel = os.path.relpath(full, base)
    return "" if rel == "." or rel.startswith("..") else rel.replace(os.sep, "/")


def _write_files(inputs: Inputs, head: Result, base: Result | None, env: Mapping[str, str]) -> dict[str, str]:
    from openness_gate import report
    from openness_gate.report import badge

    written: dict[str, str] = {}
    report_path = inputs.report_file or os.path.join(env.get("RUNNER_TEMP") or os.getcwd(), "openness-gate-report.json")
    _write(report_path, report.render(head, "json"))
    written["report"] = report_path
    if base is not None:
        stem = report_path[:-5] if report_path.endswith(".json") else report_path
        base_path = inputs.base_report_file or f"{stem}.base.json"
        _write(base_path, report.render(base, "json"))
        written["base-report"] = base_path
    if inputs.sarif_file:
        _write(inputs.sarif_file, report.render(head, "sarif"))
        written["sarif"] = inputs.sarif_file
    if inputs.badge_file:
        _write(inputs.badge_file, badge.render_for_path(head, inputs.badge_file))
        written["badge"] = inputs.badge_file
    return written


def _write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(directory, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _comment(inputs: Inputs, gh_env: ActionsEnv, head: Result, content: str, number: int,
             order: tuple[int, int, str], create: bool) -> CommentOutcome | None:
    """The sticky comment on pull request ``number``."""
    if not inputs.token or not gh_env.repository:
        workflow.warning("openness-gate: no github-token or GITHUB_REPOSITORY; pull-request comment skipped")
        return None
    from openness_gate.github import comment
    from openness_gate.github.client import ClientOptions, make_client

    gh = make_client(inputs.token, ClientOptions(api_url=gh_env.api_url))
    marker = comment.Marker(head.policy.name, *order)
    return comment.upsert(gh, gh_env.repository, number, content, marker, inputs.comment_author, create=create)
