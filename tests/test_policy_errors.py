"""Broken policies and configs: exit 2, one line naming file, line and key, saying what is expected."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, run_cli

CARD = "  - id: card\n    component: docs.model_card\n"


def _one_line_error(proc) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr
    return proc.stderr


@pytest.mark.parametrize("text, fragments", [
    # unknown key
    ("name: p\nrequirements:\n" + CARD + "    severty: required\n",
     ["p.yml:5:", "severty", "unknown key", "expected one of", "severity"]),
    # unknown top-level key
    ("name: p\nrequirement:\n" + CARD, ["p.yml:2:", "requirement", "unknown key", "requirements"]),
    # wrong type
    ("name: p\nrequirements:\n" + CARD + "    min_completeness: high\n",
     ["p.yml:5:", "min_completeness", "expected number"]),
    ("name: p\nrequirements: docs.model_card\n", ["p.yml:2:", "requirements", "expected array"]),
    # wrong enum value
    ("name: p\nrequirements:\n" + CARD + "    severity: must\n",
     ["p.yml:5:", "severity", "expected one of: required, recommended"]),
    # unknown component id
    ("name: p\nrequirements:\n  - id: card\n    component: docs.modelcard\n",
     ["p.yml:4:", "component", "docs.modelcard", "expected one of", "docs.model_card"]),
    ("name: p\nrequirements:\n  - id: g\n    any_of: [docs.model_card, weights.final]\n",
     ["p.yml:4:", "any_of[1]", "weights.final", "expected one of"]),
    # bad extends: not a built-in, not a file reference
    ("name: p\nextends: builtin:nope\n", ["p.yml:2:", "extends", "nope", "expected one of", "mof"]),
    ("name: p\nextends: https://example.org/policy\n", ["p.yml:2:", "extends", "expected builtin:NAME"]),
    ("name: p\nextends: [builtin:minimal, missing.yml]\n", ["p.yml:2:", "extends", "missing.yml", "not found"]),
    # YAML syntax error
    ("name: p\nrequirements:\n  - id: card\n    component: [docs.model_card\n",
     ["p.yml:4:", "component", "YAML syntax error", "expected valid YAML"]),
    # requirement naming two targets / none
    ("name: p\nrequirements:\n  - id: x\n    component: docs.model_card\n    any_of: [docs.datasheet]\n",
     ["p.yml:3:", "requirements[0]", "expected only one of"]),
    ("name: p\nrequirements:\n  - id: x\n    severity: required\n", ["p.yml:3:", "names no component"]),
    ("name: p\nrequirements:\n  - id: x\n    mof: Model weights\n",
     ["p.yml:4:", "requirements[0].mof", "Model weights", "expected one of", "Model parameters (Final)"]),
    # duplicate id, unknown level requirement, bad pass_level
    ("name: p\nrequirements:\n" + CARD + CARD, ["p.yml:5:", "appears twice"]),
    ("name: p\nrequirements:\n" + CARD + "levels:\n  - name: gold\n    requires: [nope]\n",
     ["p.yml:7:", "levels[0].requires", "nope", "expected one of: card"]),
    ("name: p\nextends: builtin:mof\npass_level: Class IV\n", ["p.yml:3:", "pass_level", "Class II"]),
])
def test_schema_breaking_policy_exits_2_with_located_message(tmp_path, text, fragments):
    policy = tmp_path / "p.yml"
    policy.write_text(text)
    for args in (("policy", "validate", str(policy)), ("check", str(EXAMPLES / "bare-code-repo"), "--policy",
                                                       str(policy))):
        err = _one_line_error(run_cli(*args, cwd=tmp_path))
        for frag in fragments:
            assert frag in err, (frag, err)


def test_extends_cycle_is_named(tmp_path):
    (tmp_path / "a.yml").write_text("name: a\nextends: b.yml\n")
    (tmp_path / "b.yml").write_text("name: b\nextends:\n  - builtin:minimal\n  - a.yml\n")
    err = _one_line_error(run_cli("policy", "validate", "a.yml", cwd=tmp_path))
    assert "b.yml:4: extends" in err and "cycle a.yml -> b.yml -> a.yml" in err


def test_a_policy_extending_itself_is_a_cycle(tmp_path):
    (tmp_path / "self.yml").write_text("name: s\nextends: self.yml\n")
    err = _one_line_error(run_cli("policy", "validate", "self.yml", cwd=tmp_path))
    assert "self.yml:2: extends" in err and "cycle" in err


def test_unknown_policy_name(tmp_path):
    err = _one_line_error(run_cli("check", str(EXAMPLES / "bare-code-repo"), "--policy", "mfo", cwd=tmp_path))
    assert "unknown policy 'mfo'" in err and "mof" in err


@pytest.mark.parametrize("text, fragments", [
    ("polcy: minimal\n", [".openness.yml:1:", "polcy", "unknown key", "policy"]),
    ("waivers:\n  - requirement: card\n", [".openness.yml:2:", "waivers[0]", "missing key 'reason'"]),
    ("waivers:\n  - requirement: card\n    reason: ''\n", [".openness.yml:3:", "reason", "non-empty"]),
    ("waivers:\n  - requirement: card\n    reason: r\n    expires: next year\n",
     [".openness.yml:4:", "expires", "YYYY-MM-DD"]),
    ("waivers:\n  - requirement: card\n    reason: r\n    expires: 2026-02-30\n",
     [".openness.yml:4:", "expires", "expected a real date"]),
    ("artifacts:\n  weights.final: {url: 'https://example.org/w'}\n",
     [".openness.yml:2:", "weights.final", "expected one of"]),
    ("artifacts:\n  weights.pretrained: {url: 'https://example.org/w', licence: MIT}\n",
     [".openness.yml:2:", "licence", "unknown key", "license"]),
    ("policy: ../outside.yml\n", [".openness.yml", "inside the repository"]),
    ("policy: strict.yml\n", ["strict.yml", "not found in the repository", ".openness.yml"]),
    ("policy: [minimal\n", [".openness.yml:1:", "policy", "YAML syntax error"]),
])
def test_bad_repository_config_exits_2(tmp_path, text, fragments):
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted, free of charge\n")
    (tmp_path / ".openness.yml").write_text(text)
    (tmp_path.parent / "outside.yml").write_text("name: outside\n")
    err = _one_line_error(run_cli("check", str(tmp_path)))
    for frag in fragments:
        assert frag in err, (frag, err)


def test_two_repository_configs_are_an_error_not_one_silently_ignored(tmp_path):
    (tmp_path / ".openness.yml").write_text("policy: minimal\n")
    (tmp_path / ".openness.yaml").write_text("waivers:\n  - requirement: card\n    reason: pending review\n")
    err = _one_line_error(run_cli("check", str(tmp_path)))
    assert ".openness.yml and .openness.yaml both exist" in err and "keep one" in err


def test_alias_bomb_and_oversized_policies_are_refused(tmp_path):
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}]" for i in range(1, 40)]
    (tmp_path / "bomb.yml").write_text("\n".join(lines) + "\n")
    err = _one_line_error(run_cli("policy", "validate", "bomb.yml", cwd=tmp_path))
    assert "bomb.yml:" in err and "alias" in err
    (tmp_path / "big.yml").write_text("name: big\n" + "#" * 300_000 + "\n")
    err = _one_line_error(run_cli("policy", "validate", "big.yml", cwd=tmp_path))
    assert "big.yml" in err and "limit" in err
