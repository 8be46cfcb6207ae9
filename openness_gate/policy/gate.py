"""The gate: does this check -- and, on a pull request, what it changes -- block the merge or release?

Two rules, both the policy layer's: the policy's own verdict at the strictness ``fail_on``
(``blocking``, exactly like the exit code of ``check``), and the regression rule of
``compare.Comparison.regressed``. Callers (the Action) only put the reasons into words on a page.
"""

from __future__ import annotations


from openness_gate.result import REQUIRED, PolicyResult, RequirementResult

TYPE_CHECKING = False

if TYPE_CHECKING:
    from openness_gate.policy.compare import Comparison

FAIL_ON = ("required", "recommended", "never")


def blocking(verdict: PolicyResult, fail_on: str = "required") -> tuple[bool, list[RequirementResult]]:
    """Does ``verdict`` fail a gate set to ``fail_on``, and which failed requirements say why.

    ``required`` follows the policy's own verdict (failed required requirements, and a
    ``pass_level`` not reached), exactly like the exit code of ``check``.
    """
    if fail_on == "never":
        return False, []
    if fail_on == "recommended":
        failed = verdict.failed()
        return bool(failed) or not verdict.passed, failed
    return not verdict.passed, verdict.failed(REQUIRED)


def gate(verdict: PolicyResult, fail_on: str = "required", comparison: "Comparison | None" = None,
         fail_on_regression: bool = True, incomplete: int = 0, fail_on_incomplete: bool = False) -> tuple[bool, list[str]]:
    """(passed, the reasons it did not, one short sentence each). ``incomplete``: how many reads a
    limit or fault stopped (``Result.inventory.incomplete``); it blocks under ``fail_on_incomplete``."""
    reasons = _policy_reasons(verdict, fail_on)
    if fail_on_incomplete and incomplete:
        reasons.append(f"the verdict is incomplete: {incomplete} file(s) or folder(s) could not be read")
    if comparison is not None and fail_on_regression and comparison.regressed:
        reasons.append("this pull request lowers openness: " + "; ".join(comparison.reasons()))
    return not reasons, reasons


def _policy_reasons(verdict: PolicyResult, fail_on: str) -> list[str]:
    blocked, failed = blocking(verdict, fail_on)
    if not blocked:
        return []
    if not failed:
        return [f"policy {verdict.name}: the required level is not reached (reached: {verdict.level or 'none'})"]
    names = ", ".join(r.component or r.id for r in failed[:5]) + (" …" if len(failed) > 5 else "")
    kind = "required" if fail_on == "required" else "policy"
    return [f"policy {verdict.name}: {len(failed)} {kind} requirement(s) not met ({names})"]
