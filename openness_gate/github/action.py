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
from typing import Mapping

from openness_gate.errors import EXIT_FAIL, EXIT_PASS, EXIT_USAGE, UsageError
from openness_gate.github import workflow
from openness_gate.github.env import ActionsEnv, from_environ
from openness_gate.github.workflow import Annotation

COMMENT_MODES = ("auto", "always", "never")
FAIL_ON = ("required", "recommended", "never")
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
    sarif_file: str | None = None
    badge_file: str | None = None
    report_file: str | None = None
    comment_author: str = "github-actions[bot]"


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
        sarif_file=_input(env, "sarif-file") or None,
        badge_file=_input(env, "badge-file") or None,
        report_file=_input(env, "report-file") or None,
        comment_author=_input(env, "comment-author") or "github-actions[bot]",
    )


def main(environ: Mapping[str, str] | None = None) -> int:
    env = os.environ if environ is None else environ
    try:
        return run(read_inputs(env), from_environ(env), env)
    except UsageError as exc:
        workflow.emit_annotations([Annotation("error", str(exc), "openness-gate")])
        print(f"openness-gate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def run(inputs: Inputs, gh_env: ActionsEnv, env: Mapping[str, str]) -> int:
    from openness_gate import report
    from openness_gate.checker import check_inventory
    from openness_gate.sources import local

    started = time.monotonic()
    head = check_inventory(local.load(inputs.path), inputs.policy)
    print(report.render(head, "text", color=False), flush=True)

    comparison, skipped_note = None, None
    pr = gh_env.pull_request
    compare_wanted = inputs.compare_base if inputs.compare_base is not None else pr is not None
    if compare_wanted:
        comparison, skipped_note = _compare(inputs, head, pr.base_sha if pr else None)

    reasons = _policy_reasons(inputs.fail_on, head)
    if comparison is not None and inputs.fail_on_regression and comparison.regressed:
        reasons += ["this pull request lowers openness: " + "; ".join(comparison.reasons())]
    passed = not reasons

    from openness_gate.github.summary import changes_section, gate_line

    content = "\n".join([gate_line(passed, reasons), "", *changes_section(comparison, skipped_note),
                         report.render(head, "markdown", max_chars=60_000)])
    workflow.append_summary(content, gh_env.summary_path)
    workflow.emit_annotations(_annotations(head, comparison, inputs.path, gh_env.workspace))

    files = _write_files(inputs, head, env)
    outcome = _comment(inputs, gh_env, head, content, passed, comparison)
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
        "badge-svg": files.get("badge", ""),
        "comment-url": (outcome.url or "") if outcome is not None else "",
    }, gh_env.output_path)
    print(f"openness-gate: gate {'passed' if passed else 'failed'} in {time.monotonic() - started:.1f}s", flush=True)
    return EXIT_PASS if passed else EXIT_FAIL


def _policy_reasons(fail_on: str, head: object) -> list[str]:
    policy = head.policy  # type: ignore[attr-defined]
    if fail_on == "never":
        return []
    failed = policy.failed("required") if fail_on == "required" else policy.failed()
    if not failed:
        return []
    names = ", ".join(r.component or r.id for r in failed[:5]) + (" …" if len(failed) > 5 else "")
    kind = "required" if fail_on == "required" else "policy"
    return [f"policy {policy.name}: {len(failed)} {kind} requirement(s) not met ({names})"]


def _compare(inputs: Inputs, head: object, base_sha: str | None) -> tuple[object | None, str | None]:
    """(Comparison, None) or (None, why it was skipped). Base problems never fail the gate."""
    from openness_gate.checker import check_inventory
    from openness_gate.compare import compare
    from openness_gate.sources import gittree

    if not base_sha:
        return None, "no base commit in the event (not a pull request event)"
    policy = inputs.policy or _policy_ref(head)
    try:
        try:
            base_inv = gittree.load(inputs.path, base_sha)
        except UsageError:
            _fetch(inputs.path, base_sha)
            base_inv = gittree.load(inputs.path, base_sha)
        base = check_inventory(base_inv, policy)
    except UsageError as exc:
        workflow.warning(f"openness-gate: base comparison skipped: {exc}")
        return None, str(exc)
    return compare(base, head), None  # type: ignore[arg-type]


def _policy_ref(head: object) -> str:
    """The head's policy, to judge the base by the same rules (a PR cannot weaken them for itself)."""
    p = head.policy  # type: ignore[attr-defined]
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


def _annotations(head: object, comparison: object | None, path: str, workspace: str | None) -> list[Annotation]:
    """Errors (required) and warnings (recommended) for failed requirements and lost components.

    An annotation names a file only when it is evidence of that very component (e.g. the
    incomplete model card); a missing component has no file to point at, so its annotation
    stays on the run rather than on an unrelated file.
    """
    prefix = _repo_prefix(path, workspace)
    out: list[Annotation] = []
    if comparison is not None:
        for c in comparison.lost:  # type: ignore[attr-defined]
            out.append(Annotation("error", f"{c.title} ({c.component}) was {c.before} at the base and is "
                                           "missing in this pull request", "openness-gate: component lost"))
    policy = head.policy  # type: ignore[attr-defined]
    findings = {f.component: f for f in head.components}  # type: ignore[attr-defined]
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


def _write_files(inputs: Inputs, head: object, env: Mapping[str, str]) -> dict[str, str]:
    from openness_gate import report
    from openness_gate.report import badge

    written: dict[str, str] = {}
    report_path = inputs.report_file or os.path.join(env.get("RUNNER_TEMP") or os.getcwd(), "openness-gate-report.json")
    _write(report_path, report.render(head, "json"))  # type: ignore[arg-type]
    written["report"] = report_path
    if inputs.sarif_file:
        _write(inputs.sarif_file, report.render(head, "sarif"))  # type: ignore[arg-type]
        written["sarif"] = inputs.sarif_file
    if inputs.badge_file:
        _write(inputs.badge_file, badge.render_for_path(head, inputs.badge_file))  # type: ignore[arg-type]
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


def _comment(inputs: Inputs, gh_env: ActionsEnv, head: object, content: str, passed: bool,
             comparison: object | None):  # -> CommentOutcome | None
    """The sticky comment, when this is a pull request and the mode asks for one."""
    pr = gh_env.pull_request
    if pr is None or inputs.comment == "never":
        return None
    if not inputs.token or not gh_env.repository:
        workflow.warning("openness-gate: no github-token or GITHUB_REPOSITORY; pull-request comment skipped")
        return None
    from openness_gate.github import comment
    from openness_gate.github.client import ClientOptions, make_client

    changed = comparison is not None and bool(comparison.changes)  # type: ignore[attr-defined]
    create = inputs.comment == "always" or not passed or changed
    gh = make_client(inputs.token, ClientOptions(api_url=gh_env.api_url))
    marker = comment.Marker(head.policy.name, gh_env.run_number, gh_env.run_attempt,  # type: ignore[attr-defined]
                            gh_env.sha or "")
    return comment.upsert(gh, gh_env.repository, pr.number, content, marker, inputs.comment_author, create=create)
