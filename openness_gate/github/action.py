"""The GitHub Action, end to end: check the head, compare with the base, report, comment.

``main()`` is what ``action.yml`` runs. It reads inputs from ``INPUT_*`` variables and the
run from the standard ``GITHUB_*`` variables, calls ``checker.check_inventory`` for the
head (the work tree) and, on a pull request, for the base commit (read from git history),
then moves text around: job summary, annotations, files, step outputs, the sticky comment.
On a release event or a tag push (``run_release``) the tagged commit is judged by the release
policy, compared with the previous tag, and the evidence goes to the release (``release.py``).
The verdict (exit code) is decided before any API call and no API fault changes it:

* 0 the gate passed (or a failing release was demoted as ``on-fail`` asked), 1 it failed
  (policy per ``fail-on``, or a regression), 2 usage/config error.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any, Mapping

from openness_gate.errors import EXIT_FAIL, EXIT_PASS, EXIT_USAGE, ConfigError, UsageError
from openness_gate.github import workflow
from openness_gate.github.env import RELEASE_ACTIONS, ActionsEnv, ReleaseEvent, from_environ
from openness_gate.github.release import ASSET_KINDS, DEFAULT_ASSETS, ON_FAIL
from openness_gate.github.workflow import Annotation
from openness_gate.policy.gate import FAIL_ON
from openness_gate.record import record
from openness_gate.result import Result

if TYPE_CHECKING:
    from openness_gate.policy.compare import Comparison
    from openness_gate.github.comment import CommentOutcome
    from openness_gate.github.release import ReleaseOutcome, SectionFacts
    from openness_gate.inventory import Inventory
    from openness_gate.policy.load import Policy

COMMENT_MODES = ("auto", "always", "never")
COMMENT_LIMIT = 65_536  # GitHub's maximum comment body, in characters
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@record
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
    release_policy: str | None = None  # release events: the policy instead of .openness.yml's release:
    release_assets: tuple[str, ...] = DEFAULT_ASSETS
    on_fail: str = "fail"
    hf_repo: str | None = None  # the Hub model (OWNER/NAME[@REV]) this repository mirrors


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
        release_policy=_input(env, "release-policy") or None,
        release_assets=_asset_kinds(_input(env, "release-assets")),
        on_fail=_choice(env, "on-fail", ON_FAIL, "fail"),
        hf_repo=_hf_repo(_input(env, "hf-repo")),
    )


def _hf_repo(value: str) -> str | None:
    """``OWNER/NAME[@REV]`` (an ``hf:`` prefix tolerated), checked before anything is read."""
    if not value:
        return None
    from openness_gate.sources.huggingface import parse_spec

    spec = value[3:] if value.startswith("hf:") else value
    try:
        parse_spec(spec)
    except UsageError as exc:
        raise UsageError(f"input hf-repo: {exc}") from None
    return spec


_HUB: dict[str, tuple[dict[str, Any] | None, str | None]] = {}


def with_hub(inventory: Inventory, inputs: Inputs) -> Inventory:
    """``hf-repo``: the Hub's facts about the model this repository mirrors join its files as
    evidence (gating becomes the release type, the card metadata and parameter counts), for the
    head and the base alike (one request, remembered). A Hub that cannot be read leaves the
    verdict incomplete, with the reason, rather than silently without its Hub side."""
    if not inputs.hf_repo:
        return inventory
    if inputs.hf_repo not in _HUB:
        from openness_gate.sources import huggingface

        try:
            _HUB[inputs.hf_repo] = (huggingface.facts(inputs.hf_repo), None)
        except UsageError as exc:
            workflow.warning(f"openness-gate: hf-repo: {exc}")
            _HUB[inputs.hf_repo] = (None, str(exc))
    found, problem = _HUB[inputs.hf_repo]
    if found is not None:
        inventory.facts["huggingface"] = found
    else:
        inventory.stop(f"hf:{inputs.hf_repo}", problem or "the Hub could not be read")
    return inventory


def _asset_kinds(value: str) -> tuple[str, ...]:
    """``report,html,badge`` (commas or spaces; empty: the default; ``none``: no asset)."""
    words = [w for w in re.split(r"[\s,]+", value.lower()) if w]
    if not words:
        return DEFAULT_ASSETS
    if words == ["none"]:
        return ()
    unknown = [w for w in words if w not in ASSET_KINDS]
    if unknown:
        raise UsageError(f"input release-assets: {unknown[0][:40]!r} is not one of {', '.join(ASSET_KINDS)} "
                         "(or none)")
    return tuple(dict.fromkeys(words))


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
    if gh_env.release is not None:
        return run_release(inputs, gh_env, env)
    from openness_gate import report
    from openness_gate.checker import check_inventory
    from openness_gate.policy import repo_config, resolve
    from openness_gate.sources import local

    started = time.monotonic()
    parent = _organisation_minimum(inputs, gh_env)
    inventory = with_hub(local.load(inputs.path), inputs)
    policy = resolve(inputs.policy, repo_config(inventory), inventory, parent=parent)
    head = check_inventory(inventory, policy, parent=parent)
    print(report.render(head, "text", color=False), flush=True)

    comparison, note, base = None, None, None
    pr = gh_env.pull_request
    compare_wanted = inputs.compare_base if inputs.compare_base is not None else pr is not None
    if compare_wanted:
        comparison, note, base = _compare(inputs, head, pr.base_sha if pr else None, parent, policy)

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


def run_release(inputs: Inputs, gh_env: ActionsEnv, env: Mapping[str, str]) -> int:
    """Release mode (a ``release`` event or a tag push): judge the tagged commit by the release
    policy, compare it with the previous tag, attach the evidence to the release, apply ``on-fail``.

    The exit code is the verdict's: 1 when the release fails its policy, unless ``on-fail`` demoted
    the release (then 0: the job did its work, and ``passed=false`` keeps publishing jobs back).
    A regression since the previous tag is shown (and in the ``regressed`` output), not gated: the
    release policy is the rule a release must meet.
    """
    from openness_gate import report
    from openness_gate.checker import check_inventory
    from openness_gate.github.summary import changes_section, gate_line
    from openness_gate.report.escape import md_text

    release = gh_env.release
    assert release is not None
    started = time.monotonic()
    parent = _organisation_minimum(inputs, gh_env)
    inventory = with_hub(_tagged_inventory(inputs.path, gh_env.sha), inputs)
    policy, origin = release_policy(inputs, inventory, parent)
    head = check_inventory(inventory, policy, parent=parent)
    print(report.render(head, "text", color=False), flush=True)
    print(f"openness-gate: release {release.tag} judged by the {origin}", flush=True)

    history = _release_history(inputs, gh_env, head, parent, policy)
    files = _write_files(inputs, head, history.base, env)
    passed, reasons = _gate(inputs, head)  # the release policy alone: a regression is shown, not gated
    demote = inputs.on_fail if not passed and inputs.on_fail != "fail" else None
    facts = _section_facts(passed, reasons, origin, history, demote)
    outcome = _release_writes(inputs, gh_env, release, head, facts, demote)
    demoted = outcome is not None and outcome.demoted is not None
    consequence = _consequence(release, passed, inputs.on_fail, demoted, outcome)

    workflow.append_summary(_page(head, [gate_line(passed, reasons, "Release gate"), "",
                                         _release_line(release, origin, outcome),
                                         *([md_text(consequence, 600), ""] if consequence else [""]),
                                         *changes_section(history.comparison, history.note, since=history.tag or "")]),
                            gh_env.summary_path)
    annotations = _annotations(head, None, inputs.path, gh_env.workspace)
    if not passed:
        annotations.insert(0, Annotation("error", f"Release {release.tag} does not meet its release policy "
                                                  f"{head.policy.name}: {'; '.join(reasons)}. {consequence}",
                                         "openness-gate: release gate"))
    workflow.emit_annotations(annotations)
    workflow.set_outputs(_outputs(passed, head, history.comparison, files, release_url=outcome.url if outcome else None),
                         gh_env.output_path)
    print(f"openness-gate: release gate {'passed' if passed else 'failed'} in {time.monotonic() - started:.1f}s",
          flush=True)
    return EXIT_PASS if passed or demoted else EXIT_FAIL


@record
class History:
    """The release against the previous tag: the tag, the comparison, or why there is none."""

    tag: str | None = None
    comparison: Comparison | None = None
    base: Result | None = None
    note: str | None = None


def _release_history(inputs: Inputs, gh_env: ActionsEnv, head: Result, parent: Any, policy: Policy) -> History:
    """The previous tag judged by the same release policy (``compare-base: false`` skips it)."""
    if inputs.compare_base is False:
        return History()
    previous = _previous_tag(inputs.path, gh_env.sha)
    if previous is None:
        return History(note="no earlier tag in the checked-out history (check out with fetch-depth: 0)")
    comparison, note, base = _compare(inputs, head, previous[1], parent, policy, what=f"comparison with {previous[0]}")
    return History(previous[0], comparison, base, note)


def _outputs(passed: bool, head: Result, comparison: Comparison | None, files: dict[str, str],
             comment_url: str | None = None, release_url: str | None = None) -> dict[str, str]:
    """The step outputs, the same set on every event (empty where they do not apply)."""
    return {
        "passed": "true" if passed else "false",
        "score": str(head.policy.score),
        "level": head.policy.level or "",
        "regressed": "true" if comparison is not None and comparison.regressed else "false",
        "report-json": files.get("report", ""),
        "base-report-json": files.get("base-report", ""),
        "badge-file": files.get("badge", ""),
        "badge-svg": files.get("badge", ""),  # its first name (SVG only then), kept for existing workflows
        "comment-url": comment_url or "",
        "release-url": release_url or "",
    }


def release_policy(inputs: Inputs, inventory: Inventory, parent: Any) -> tuple[Policy, str]:
    """(the policy a release is judged by, where it came from, in words): the ``release-policy``
    input, else what the policy layer makes of ``release:`` in ``.openness.yml`` and the normal
    policy (``policy.resolve_release``)."""
    from openness_gate.policy import repo_config, resolve, resolve_release

    if inputs.release_policy:
        return resolve(inputs.release_policy, parent=parent), "release policy from the release-policy input"
    chosen, source = resolve_release(inputs.policy, repo_config(inventory), inventory, parent=parent)
    return chosen, f"release policy from {source}" if source else "repository's policy (no release policy is set)"


def _git_out(path: str, *args: str) -> str | None:
    """One line of git output, or None when git fails (no repository, unknown revision)."""
    try:
        proc = subprocess.run(["git", "-C", path, *args], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.strip() or None if proc.returncode == 0 else None


def _tagged_inventory(path: str, sha: str | None) -> Inventory:
    """The tagged commit: the work tree when it is checked out there (the usual checkout), else the
    commit read from the git history, so a workflow that checks out another ref cannot pass a
    release on the wrong files."""
    from openness_gate.sources import gittree, local

    head = _git_out(path, "rev-parse", "--verify", "--quiet", "HEAD")
    if not sha or head is None:
        return local.load(path)
    wanted = _git_out(path, "rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}")
    if wanted is None:
        _fetch(path, sha)
        wanted = _git_out(path, "rev-parse", "--verify", "--quiet", f"{sha}^{{commit}}")
    if wanted is None:
        workflow.warning(f"openness-gate: the tagged commit {sha[:12]} is not in the git history; "
                         "judging the work tree")
        return local.load(path)
    if wanted == head:
        return local.load(path)
    workflow.warning(f"openness-gate: the work tree is at {head[:12]}, not at the tagged commit {wanted[:12]}; "
                     "judging the tagged commit from the git history")
    return gittree.load(path, wanted)


def _previous_tag(path: str, sha: str | None) -> tuple[str, str] | None:
    """(tag, commit) of the nearest tag before the tagged commit (``git describe`` from its
    parent, so other tags on the same commit do not count), or None: no earlier tag, or a
    shallow clone that does not have it."""
    rev = sha or "HEAD"
    name = _git_out(path, "describe", "--tags", "--abbrev=0", f"{rev}^")
    commit = _git_out(path, "rev-parse", "--verify", "--quiet", f"refs/tags/{name}^{{commit}}") if name else None
    return (name, commit) if name and commit else None


#: what ``on-fail`` did to a failing release, in the same words in the summary, the annotation and the notes
_DEMOTED = {"prerelease": "openness-gate marked this release as a pre-release (on-fail: prerelease).",
            "draft": "openness-gate turned this release back into a draft (on-fail: draft)."}


def _section_facts(passed: bool, reasons: list[str], origin: str, history: History,
                   demote: str | None) -> SectionFacts:
    """The section is written only after the demotion it would mention succeeded."""
    from openness_gate.github.release import SectionFacts

    note = f"No comparison with an earlier release: {history.note}" if history.note else None
    return SectionFacts(passed, tuple(reasons), origin, history.tag, history.comparison, note,
                        _DEMOTED.get(demote or ""))


def _release_writes(inputs: Inputs, gh_env: ActionsEnv, release: ReleaseEvent, head: Result, facts: SectionFacts,
                    demote: str | None) -> ReleaseOutcome | None:
    """Assets, notes and on-fail through the API; None when nothing is to be written (the outcome's
    reason becomes a warning, never a change of the verdict)."""
    from openness_gate.github import release as rel

    if not release.writes:
        print(f"openness-gate: release event '{release.action}': judged only; evidence is attached on "
              f"{', '.join(RELEASE_ACTIONS)} and tag pushes", flush=True)
        return None
    if not inputs.token or not gh_env.repository:
        workflow.warning("openness-gate: no github-token: the evidence is not attached to the release "
                         "(the report is in the job summary; the verdict is unchanged)")
        return None
    from openness_gate.github.client import ClientOptions, make_client

    assets = rel.build_assets(head, inputs.release_assets)
    gh = make_client(inputs.token, ClientOptions(api_url=gh_env.api_url))
    outcome = rel.publish(gh, gh_env.repository, release, assets,
                          lambda links: rel.render_section(head, facts, links), demote)
    if outcome.action == rel.NO_RELEASE:
        print(f"openness-gate: {outcome.reason}: the evidence is attached when the release event runs the Action",
              flush=True)
    elif not outcome.ok:
        workflow.warning(f"openness-gate could not update the release {release.tag}: {outcome.reason}. "
                         "The report is in the job summary; the verdict is unchanged.")
    else:
        if outcome.notes == "skipped":
            workflow.warning(f"openness-gate: the openness section was not written: {outcome.reason}")
        print(f"openness-gate: release {release.tag}: {len(outcome.uploaded)} asset(s) uploaded, "
              f"{len(outcome.kept)} unchanged, {outcome.deleted} replaced; notes {outcome.notes or 'not written'}"
              + (f"; {outcome.demoted}" if outcome.demoted else "") + (f": {outcome.url}" if outcome.url else ""),
              flush=True)
    return outcome


def _consequence(release: ReleaseEvent, passed: bool, on_fail: str, demoted: bool,
                 outcome: ReleaseOutcome | None) -> str:
    """What the failing verdict did, in one sentence (empty when the release passed)."""
    if passed:
        return ""
    if on_fail == "fail":
        return "The job fails; the release itself is left as it is (on-fail: fail)."
    if demoted:
        return _DEMOTED[on_fail]
    why = outcome.reason if outcome is not None and outcome.reason else (
        "the event does not write to releases" if not release.writes else "no token to edit the release")
    return f"on-fail: {on_fail} could not be applied ({why}); the job fails instead."


def _release_line(release: ReleaseEvent, origin: str, outcome: ReleaseOutcome | None) -> str:
    from openness_gate.report.escape import md_code, md_text

    what = f"**Release {md_code(release.tag)}** judged by the {md_text(origin)}"
    if outcome is None:
        return what + "."
    if not outcome.ok or outcome.action == "no-release":
        return f"{what}; the release was not updated: {md_text(outcome.reason)}."
    return (f"{what}; evidence attached: {len(outcome.uploaded)} asset(s) uploaded, {len(outcome.kept)} "
            f"unchanged; notes section {outcome.notes or 'not written'}.")


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
    from openness_gate.github.summary import changes_section, gate_line

    passed, reasons = _gate(inputs, head, comparison)
    content = _page(head, [gate_line(passed, reasons), "", *changes_section(comparison, note)])
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

    workflow.set_outputs(_outputs(passed, head, comparison, files, comment_url=outcome.url if outcome else None),
                         gh_env.output_path)
    return passed


def _gate(inputs: Inputs, head: Result, comparison: Comparison | None = None) -> tuple[bool, list[str]]:
    """The verdict and its reasons (``policy.gate``) under the inputs: ``fail-on``, the regression rule
    when a ``comparison`` is given to gate, ``fail-on-incomplete``."""
    from openness_gate.policy import gate

    return gate(head.policy, inputs.fail_on, comparison, inputs.fail_on_regression,
                len(head.inventory.incomplete), inputs.fail_on_incomplete)


def _page(head: Result, lines: list[str]) -> str:
    """``lines`` (the gate, what changed) above the Markdown report, within a comment's size: the
    sticky comment and the job summary of every event read the same page."""
    from openness_gate import report

    prefix = "\n".join(lines)
    budget = COMMENT_LIMIT - len(prefix) - 300  # room for the marker line
    return prefix + "\n" + report.render(head, "markdown", max_chars=max(budget, 4_000))


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


def _compare(inputs: Inputs, head: Result, base_sha: str | None, parent: Any, policy: Policy,
             what: str = "base comparison") -> tuple[Comparison | None, str | None, Result | None]:
    """(Comparison, None, base Result) or (None, why it was skipped, None). Base problems never fail
    the gate. ``policy``: the head's, as resolved for the head (a policy file of the head's
    included), so a pull request cannot relax the rules for itself."""
    from openness_gate.checker import check_inventory
    from openness_gate.policy.compare import compare
    from openness_gate.sources import gittree

    if not base_sha:
        return None, "no base commit in the event (not a pull request event)", None
    try:
        try:
            base_inv = gittree.load(inputs.path, base_sha)
        except UsageError:
            _fetch(inputs.path, base_sha)
            base_inv = gittree.load(inputs.path, base_sha)
        base = check_inventory(with_hub(base_inv, inputs), policy, parent=parent)
    except UsageError as exc:
        workflow.warning(f"openness-gate: {what} skipped: {exc}")
        return None, str(exc), None
    return compare(base, head), None, base


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
