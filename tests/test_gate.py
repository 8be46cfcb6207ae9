"""The gate verdict: the Action's `fail-on` follows the policy exactly as `check`'s exit code does."""

from __future__ import annotations

from conftest import EXAMPLES, run_cli
from openness_gate.checker import check
from openness_gate.policy import blocking

GOLD_OR_FAIL = """name: gold-or-fail
extends: builtin:ai-stack
pass_level: gold
"""


def test_a_pass_level_not_reached_blocks_like_the_exit_code(tmp_path):
    policy = tmp_path / "gold.yml"
    policy.write_text(GOLD_OR_FAIL)
    result = check(str(EXAMPLES / "open-science-model"), str(policy))
    assert result.policy.passed is (result.policy.level == "gold")
    # the bare repository fails required requirements: blocked under every strictness but "never"
    bare = check(str(EXAMPLES / "bare-code-repo"), str(policy))
    assert blocking(bare.policy, "required")[0] and blocking(bare.policy, "recommended")[0]
    assert blocking(bare.policy, "never") == (False, [])
    assert run_cli("check", str(EXAMPLES / "bare-code-repo"), "--policy", str(policy)).returncode == 1


def test_required_strictness_blocks_on_a_missed_level_even_without_failed_requirements(tmp_path):
    from openness_gate.record import replace

    result = check(str(EXAMPLES / "open-science-model"), "ai-stack")
    assert result.policy.passed and not result.policy.failed("required")
    missed_level = replace(result.policy, passed=False)  # what a pass_level not reached looks like
    blocked, failed = blocking(missed_level, "required")
    assert blocked and failed == []
    assert blocking(result.policy, "required") == (False, [])
    assert blocking(result.policy, "recommended")[0] is bool(result.policy.failed())


def test_an_incomplete_verdict_blocks_only_when_the_action_asks():
    from openness_gate.policy.gate import gate

    result = check(str(EXAMPLES / "open-science-model"), "ai-stack")
    assert result.policy.passed and not result.incomplete
    assert gate(result.policy, incomplete=3) == (True, [])  # reported, not blocking, by default
    passed, reasons = gate(result.policy, incomplete=3, fail_on_incomplete=True)
    assert not passed and reasons == ["the verdict is incomplete: 3 file(s) or folder(s) could not be read"]
    assert gate(result.policy, incomplete=0, fail_on_incomplete=True) == (True, [])
