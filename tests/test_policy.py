"""Policies as a user meets them: built-in verdicts, inheritance and locks, waivers, levels, the policy CLI."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from openness_gate import detectors, policy
from openness_gate.errors import ConfigError
from openness_gate.sources import open_target

# Waiver tests judge on a fixed date (--as-of): a suite that crosses midnight must not flip a verdict.
TODAY = dt.date(2031, 3, 14)
LEVELS_MOF = ("Class III", "Class II", "Class I")


def check(path, *args):
    proc = run_cli("check", str(path), "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["policy"]["passed"] is (proc.returncode == 0)
    return report["policy"]


def req(pol, rid):
    return next(r for r in pol["requirements"] if r["id"] == rid)


def copy_example(tmp_path, name, config=None):
    dest = tmp_path / name
    shutil.copytree(EXAMPLES / name, dest)
    if config is not None:
        (dest / ".openness.yml").write_text(config)
    return dest


# --------------------------------------------------------------------------- built-in verdicts on the examples
@pytest.mark.parametrize("name, passes", [("minimal", True), ("ai-stack", True), ("osaid-1.0", True), ("mof", True)])
def test_open_science_model_passes_every_builtin(name, passes):
    pol = check(EXAMPLES / "open-science-model", "--policy", name)
    assert pol["passed"] is passes
    assert pol["level"] is not None
    if name == "mof":
        assert pol["level"] in LEVELS_MOF


@pytest.mark.parametrize("example", ["open-weights-restricted", "bare-code-repo"])
@pytest.mark.parametrize("name", ["minimal", "ai-stack", "osaid-1.0", "mof"])
def test_restricted_and_bare_repositories_fail_every_builtin(example, name):
    pol = check(EXAMPLES / example, "--policy", name)
    assert pol["passed"] is False and pol["level"] is None
    failed = [r for r in pol["requirements"] if r["outcome"] == "fail" and r["severity"] == "required"]
    assert failed and all(r["message"] and r["fix"] for r in failed)


def test_default_policy_is_ai_stack_with_balanced_score():
    pol = check(EXAMPLES / "open-science-model")
    assert pol["name"] == "ai-stack"
    assert {r["id"] for r in pol["requirements"] if r["severity"] == "required"} == \
        {"license", "model-card", "datasheet", "evaluation", "guardrails"}
    bare = check(EXAMPLES / "bare-code-repo")
    assert 0 < bare["score"] < pol["score"] <= 100


def test_apache_weights_qualify_for_mof_with_a_warning():
    pol = check(EXAMPLES / "open-science-model", "--policy", "mof")
    weights = req(pol, "mof.model-parameters-final")
    assert weights["outcome"] == "pass"
    assert "Apache-2.0" in weights["message"] and "type-appropriate" in weights["message"]
    assert any("Model parameters (Final)" in w for w in pol["extra"]["mof"]["warnings"])
    progress = pol["extra"]["mof"]["progress"]
    assert progress["3"] == 100 and set(progress) == {"1", "2", "3"}


def test_llama_licence_never_qualifies_as_open():
    mof = check(EXAMPLES / "open-weights-restricted", "--policy", "mof")
    arch = req(mof, "mof.model-architecture")
    assert arch["outcome"] == "fail" and "llama3.1" in arch["message"] and "not an open licence" in arch["message"]
    assert "CDLA-Permissive-2.0" in arch["fix"] and "licence" in arch["fix"]
    assert mof["extra"]["mof"]["class"] == 0
    osaid = check(EXAMPLES / "open-weights-restricted", "--policy", "osaid-1.0")
    params = req(osaid, "parameters")
    assert params["outcome"] == "fail" and "restricted-use" in params["message"]


def test_rail_licence_declared_for_the_weights_is_not_open(tmp_path):
    repo = copy_example(tmp_path, "open-science-model", "artifacts:\n  weights.pretrained:\n"
                        "    url: https://huggingface.co/example/nimbus\n    license: openrail\n")
    mof = check(repo, "--policy", "mof")
    assert mof["level"] is None and mof["passed"] is False
    assert "openrail" in req(mof, "mof.model-parameters-final")["message"]
    osaid = check(repo, "--policy", "osaid-1.0")
    assert osaid["passed"] is False and req(osaid, "parameters")["outcome"] == "fail"


def test_open_data_licence_declared_for_the_weights_clears_the_warning(tmp_path):
    repo = copy_example(tmp_path, "open-science-model", "artifacts:\n  weights.pretrained:\n"
                        "    url: https://huggingface.co/example/nimbus\n    license: CDLA-Permissive-2.0\n")
    mof = check(repo, "--policy", "mof")
    assert mof["extra"]["mof"]["licenses"]["Model parameters (Final)"] == "CDLA-Permissive-2.0"
    assert not any(w.startswith("Model parameters (Final)") for w in mof["extra"]["mof"]["warnings"])
    assert req(mof, "mof.model-parameters-final")["outcome"] == "pass"


# --------------------------------------------------------------------------- waivers
def _waiver_repo(tmp_path, waiver: str):
    return copy_example(tmp_path, "bare-code-repo", "policy: minimal\nwaivers:\n" + waiver)


def test_active_waiver_passes_the_requirement_and_is_shown(tmp_path):
    until = (TODAY + dt.timedelta(days=30)).isoformat()
    repo = _waiver_repo(tmp_path, f"  - requirement: model-card\n    reason: card in review\n    expires: {until}\n")
    pol = check(repo, "--as-of", TODAY.isoformat())
    card = req(pol, "model-card")
    assert pol["passed"] is True and card["outcome"] == "waived"
    assert "card in review" in card["message"] and until in card["message"]
    assert pol["waivers"] == [{"target": "model-card", "reason": "card in review", "expires": until, "expired": False}]
    for fmt in ("text", "markdown"):
        assert "card in review" in run_cli("check", str(repo), "--format", fmt, "--as-of", TODAY.isoformat()).stdout


def test_waiver_that_expired_yesterday_fails_and_says_so(tmp_path):
    yesterday = (TODAY - dt.timedelta(days=1)).isoformat()
    repo = _waiver_repo(tmp_path,
                        f"  - requirement: model-card\n    reason: card in review\n    expires: {yesterday}\n")
    proc = run_cli("check", str(repo), "--format", "json", "--as-of", TODAY.isoformat())
    assert proc.returncode == 1
    pol = json.loads(proc.stdout)["policy"]
    card = req(pol, "model-card")
    assert card["outcome"] == "fail" and "expired" in card["message"] and yesterday in card["message"]
    assert pol["waivers"][0]["expired"] is True
    for fmt in ("text", "markdown"):
        assert "card in review" in run_cli("check", str(repo), "--format", fmt, "--as-of", TODAY.isoformat()).stdout


def test_waiver_expiring_today_still_applies_and_component_waivers_work(tmp_path):
    repo = _waiver_repo(tmp_path, f"  - component: docs.model_card\n    reason: r\n    expires: {TODAY.isoformat()}\n")
    assert req(check(repo, "--as-of", TODAY.isoformat()), "model-card")["outcome"] == "waived"
    # Replaying the verdict a day later: the same waiver has lapsed.
    later = check(repo, "--as-of", (TODAY + dt.timedelta(days=1)).isoformat())
    assert req(later, "model-card")["outcome"] == "fail" and later["passed"] is False


def test_without_as_of_waivers_are_judged_on_the_current_utc_date(tmp_path):
    # Dates a decade away on both sides: no clock or time zone makes this racy.
    utc_now = dt.datetime.now(dt.timezone.utc).date()
    future, past = (utc_now + dt.timedelta(days=3650)).isoformat(), (utc_now - dt.timedelta(days=3650)).isoformat()
    assert req(check(_waiver_repo(tmp_path / "a", f"  - requirement: model-card\n    reason: r\n    expires: {future}\n")),
               "model-card")["outcome"] == "waived"
    assert req(check(_waiver_repo(tmp_path / "b", f"  - requirement: model-card\n    reason: r\n    expires: {past}\n")),
               "model-card")["outcome"] == "fail"


def test_as_of_rejects_a_malformed_date_with_a_usage_error(tmp_path):
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--as-of", "28/11/2026")
    assert proc.returncode == 2 and "not a date" in proc.stderr and "Traceback" not in proc.stderr


def test_waiver_for_a_passing_requirement_is_still_listed(tmp_path):
    repo = _waiver_repo(tmp_path, "  - requirement: license\n    reason: legal review pending\n")
    pol = check(repo)
    assert req(pol, "license")["outcome"] == "pass"
    assert [w["target"] for w in pol["waivers"]] == ["license"]


def test_waiver_for_an_unknown_requirement_is_reported_not_ignored(tmp_path):
    repo = _waiver_repo(tmp_path, "  - requirement: model_card\n    reason: typo in the id\n")
    pol = check(repo)
    assert pol["passed"] is False and pol["extra"]["waivers_matching_nothing"] == ["model_card"]


def test_reports_with_mof_details_and_waivers_match_the_report_schema(tmp_path):
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("openness_gate.schemas").joinpath("report.schema.json").read_text())
    repo = copy_example(tmp_path, "open-weights-restricted", "policy: mof\nwaivers:\n"
                        "  - {requirement: mof.data-card, reason: r, expires: 2000-01-01}\n"
                        "  - {component: docs.model_card, reason: r}\n")
    proc = run_cli("check", str(repo), "--format", "json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    jsonschema.validate(report, schema)
    assert report["policy"]["extra"]["mof"]["class"] == 0
    assert req(report["policy"], "mof.data-card")["waiver"]["expired"] is True


def test_unknown_policy_in_the_config_names_the_config(tmp_path):
    repo = copy_example(tmp_path, "bare-code-repo", "policy: builtin:strict\n")
    proc = run_cli("check", str(repo))
    assert proc.returncode == 2 and ".openness.yml: policy: unknown built-in policy 'strict'" in proc.stderr


# --------------------------------------------------------------------------- inheritance and locks
ORG = ("name: acme\nextends: builtin:minimal\nrequirements:\n  - id: license\n    locked: true\n"
       "    license:\n      deny_classes: [unknown, restricted-use]\n")


def test_child_adds_and_relaxes_unlocked_requirements(tmp_path):
    (tmp_path / "lenient.yml").write_text(
        "name: lenient\nextends: builtin:minimal\nrequirements:\n  - id: model-card\n    accept: [present, partial]\n"
        "  - id: use-policy\n    component: distribution.use_policy\n")
    pol = check(EXAMPLES / "open-weights-restricted", "--policy", str(tmp_path / "lenient.yml"))
    assert pol["passed"] is True and pol["name"] == "lenient"
    assert [r["id"] for r in pol["requirements"]] == ["license", "model-card", "use-policy"]
    strict = check(EXAMPLES / "open-weights-restricted", "--policy", "minimal")
    assert req(strict, "model-card")["outcome"] == "fail"


def test_child_may_drop_an_unlocked_requirement(tmp_path):
    (tmp_path / "c.yml").write_text("extends: builtin:minimal\nrequirements:\n  - id: model-card\n    remove: true\n")
    pol = check(EXAMPLES / "bare-code-repo", "--policy", str(tmp_path / "c.yml"))
    assert [r["id"] for r in pol["requirements"]] == ["license"] and pol["passed"] is True


@pytest.mark.parametrize("override, what", [
    ("    severity: recommended\n", "lowers its severity"),
    ("    remove: true\n", "removes it"),
    ("    license:\n      deny_classes: [unknown]\n", "drops licence deny_classes"),
    ("    accept: [present, linked, partial]\n", "accepts more statuses"),
    ("    locked: false\n", "unlocks it"),
])
def test_weakening_a_locked_requirement_names_both_files(tmp_path, override, what):
    (tmp_path / "org.yml").write_text(ORG)
    (tmp_path / "repo.yml").write_text("name: repo\nextends: org.yml\nrequirements:\n  - id: license\n" + override)
    proc = run_cli("policy", "validate", "repo.yml", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "repo.yml:4:" in proc.stderr and "locked by org.yml" in proc.stderr and what in proc.stderr


def test_tightening_a_locked_requirement_is_allowed(tmp_path):
    (tmp_path / "org.yml").write_text(ORG)
    (tmp_path / "repo.yml").write_text("extends: org.yml\nrequirements:\n  - id: license\n    license:\n"
                                       "      deny_classes: [unknown, restricted-use, non-commercial]\n")
    proc = run_cli("policy", "validate", "repo.yml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    pol = check(EXAMPLES / "open-weights-restricted", "--policy", str(tmp_path / "repo.yml"))
    assert req(pol, "license")["outcome"] == "fail" and "restricted-use" in req(pol, "license")["message"]


def _findings(path):
    inv = open_target(str(path))
    cfg = policy.repo_config(inv)
    return inv, cfg, detectors.run(inv, cfg)


def test_organisation_parent_binds_the_repository_policy(tmp_path):
    org = tmp_path / "org.yml"
    org.write_text(ORG)
    repo = copy_example(tmp_path, "open-weights-restricted", "policy: gate.yml\n")
    (repo / "gate.yml").write_text("name: gate\nrequirements:\n  - id: license\n    severity: recommended\n")
    inv, cfg, findings = _findings(repo)
    with pytest.raises(ConfigError) as exc:
        policy.evaluate(findings, None, cfg, inv, parent=str(org))
    assert "gate.yml" in str(exc.value) and str(org) in str(exc.value)
    # the same repository without the weakening: the org's locked licence rule fails it
    (repo / "gate.yml").write_text("name: gate\nrequirements:\n  - id: card\n    component: docs.model_card\n"
                                   "    accept: [present, partial]\n")
    inv, cfg, findings = _findings(repo)
    result = policy.evaluate(findings, None, cfg, inv, parent=str(org))
    outcome = {r.id: r.outcome for r in result.requirements}
    assert outcome["license"] == "fail" and result.passed is False


def test_check_org_policy_holds_a_local_check_to_the_organisation_minimum(tmp_path):
    org = tmp_path / "org.yml"
    org.write_text(ORG)
    # no policy of its own: the organisation minimum is the policy, and its locked licence rule fails Llama
    plain = copy_example(tmp_path / "a", "open-weights-restricted")
    pol = check(plain, "--org-policy", str(org))
    assert pol["name"] == "acme" and pol["passed"] is False
    assert req(pol, "license")["outcome"] == "fail" and "restricted-use" in req(pol, "license")["message"]
    assert check(plain)["name"] == "ai-stack"  # without the flag, the default applies
    # a repository policy that relaxes the locked requirement: exit 2, naming both files
    weak = copy_example(tmp_path / "b", "open-weights-restricted", "policy: gate.yml\n")
    (weak / "gate.yml").write_text("name: gate\nrequirements:\n  - id: license\n    severity: recommended\n")
    proc = run_cli("check", str(weak), "--org-policy", str(org))
    assert proc.returncode == 2 and "gate.yml" in proc.stderr and "org.yml" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    # a missing organisation policy file is a usage error too
    gone = run_cli("check", str(plain), "--org-policy", str(tmp_path / "nope.yml"))
    assert gone.returncode == 2 and "nope.yml" in gone.stderr


def test_a_waiver_cannot_lift_a_locked_requirement(tmp_path):
    org = tmp_path / "org.yml"
    org.write_text(ORG)
    repo = copy_example(tmp_path, "open-weights-restricted",
                        "waivers:\n  - requirement: license\n    reason: we like llama\n")
    inv, cfg, findings = _findings(repo)
    result = policy.evaluate(findings, policy.load_policy(str(org)), cfg, inv)
    lic = next(r for r in result.requirements if r.id == "license")
    assert lic.outcome == "fail" and "waiver not applied" in lic.message and "org.yml" in lic.message


# --------------------------------------------------------------------------- custom policies: levels, licences
def test_a_partial_model_card_says_which_sections_to_fill():
    pol = check(EXAMPLES / "open-weights-restricted")
    message = req(pol, "model-card")["message"]
    # the example's card has template placeholders under these, and lacks the last three
    assert ('sections to fill: "Bias, risks and limitations", "Evaluation", "Environmental impact", '
            '"Technical specifications", "Citation"') in message
    assert '"Uses"' not in message  # a filled section is not asked for


def test_named_requirement_levels_and_completeness(tmp_path):
    (tmp_path / "tiers.yml").write_text(
        "name: tiers\nrequirements:\n"
        "  - {id: licence, component: distribution.license, license: {allow_classes: [osi-approved]}}\n"
        "  - {id: card, component: docs.model_card, severity: recommended, accept: [present, partial],\n"
        "     min_completeness: 0.9}\n"
        "  - {id: weights, any_of: [weights.pretrained, weights.adapted], severity: recommended}\n"
        "levels:\n  - {name: bronze, requires: [licence]}\n  - {name: silver, requires: [licence, card]}\n"
        "  - {name: gold, requires: [licence, card, weights], min_score: 100}\n")
    assert check(EXAMPLES / "bare-code-repo", "--policy", str(tmp_path / "tiers.yml"))["level"] == "bronze"
    assert check(EXAMPLES / "open-science-model", "--policy", str(tmp_path / "tiers.yml"))["level"] == "gold"
    restricted = check(EXAMPLES / "open-weights-restricted", "--policy", str(tmp_path / "tiers.yml"))
    assert restricted["level"] is None
    assert "not one of the accepted kinds (osi-approved)" in req(restricted, "licence")["message"]
    assert "completeness below the required 0.90" in req(restricted, "card")["message"]


def test_mof_pass_level_can_be_raised(tmp_path):
    (tmp_path / "mof2.yml").write_text("extends: builtin:mof\npass_level: Class I\n")
    repo = copy_example(tmp_path, "open-science-model")
    shutil.rmtree(repo / "checkpoints")  # no intermediate weights: not Class I
    pol = check(repo, "--policy", str(tmp_path / "mof2.yml"))
    assert pol["level"] in ("Class III", "Class II") and pol["passed"] is False
    assert check(repo, "--policy", "mof")["passed"] is True


def test_repository_config_chooses_a_policy_file_inside_the_repository(tmp_path):
    repo = copy_example(tmp_path, "bare-code-repo", "policy: gate/policy.yml\n")
    (repo / "gate").mkdir()
    (repo / "gate" / "base.yml").write_text("name: base\nrequirements:\n  - {id: code, component: code.training}\n")
    (repo / "gate" / "policy.yml").write_text("name: house\nextends: [base.yml, builtin:minimal]\n"
                                              "requirements:\n  - {id: model-card, remove: true}\n")
    pol = check(repo)
    assert pol["name"] == "house" and [r["id"] for r in pol["requirements"]] == ["code", "license"]
    assert pol["passed"] is True


def test_extends_from_a_repository_policy_cannot_leave_the_repository(tmp_path):
    repo = copy_example(tmp_path, "bare-code-repo", "policy: p.yml\n")
    (repo / "p.yml").write_text("extends: ../secret.yml\n")
    (tmp_path / "secret.yml").write_text("name: secret\n")
    proc = run_cli("check", str(repo))
    assert proc.returncode == 2 and "outside the repository" in proc.stderr


# --------------------------------------------------------------------------- the policy command
def test_policy_list_names_the_builtins_and_the_default():
    proc = run_cli("policy", "list")
    assert proc.returncode == 0
    names = [line.split(":")[0] for line in proc.stdout.splitlines()]
    assert names == ["ai-stack (default)", "minimal", "mof", "osaid-1.0"]


def test_policy_show_prints_the_enforced_policy_after_extends(tmp_path):
    (tmp_path / "org.yml").write_text(ORG)
    proc = run_cli("policy", "show", "org.yml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    shown = json.loads(proc.stdout)
    assert shown["extends"] == ["builtin:minimal"]
    lic = next(r for r in shown["requirements"] if r["id"] == "license")
    assert lic["locked"] is True and lic["license"]["deny_classes"] == ["unknown", "restricted-use"]
    mof = json.loads(run_cli("policy", "show", "mof", "--format", "json").stdout)
    assert mof["levels"] == "mof" and len(mof["requirements"]) == 15


def test_policy_validate_accepts_every_builtin_file():
    from conftest import ROOT

    for f in sorted((ROOT / "policies").glob("*.yml")):
        proc = run_cli("policy", "validate", str(f))
        assert proc.returncode == 0 and "valid policy" in proc.stdout, proc.stderr


def test_policy_without_action_is_a_usage_error():
    proc = run_cli("policy")
    assert proc.returncode == 2 and "policy list" in proc.stderr


def test_a_policy_read_from_text_may_extend_only_builtins(tmp_path):
    from openness_gate.policy.load import load_text

    (tmp_path / "local.yml").write_text("name: local\n")
    org = load_text("name: org\nextends: builtin:minimal\nrequirements:\n  - {id: license, locked: true}\n",
                    "acme/.github:openness/policy.yml")
    assert org.locked_by == {"license": "acme/.github:openness/policy.yml"}
    with pytest.raises(ConfigError, match="may extend only built-in policies"):
        load_text(f"extends: {tmp_path / 'local.yml'}\n", "acme/.github:openness/policy.yml")


def test_licence_constraint_per_mof_content_type(tmp_path):
    (tmp_path / "w.yml").write_text(
        "name: w\nrequirements:\n  - id: weights\n    component: weights.pretrained\n"
        "    license: {mof_type: data}\n  - id: code\n    component: code.training\n"
        "    license: {mof_type: code}\n")
    pol = check(EXAMPLES / "open-science-model", "--policy", str(tmp_path / "w.yml"))
    assert req(pol, "code")["outcome"] == "pass"
    assert "not a type-appropriate licence for data" in req(pol, "weights")["message"]
    repo = copy_example(tmp_path, "open-science-model", "artifacts:\n  weights.pretrained:\n"
                        "    url: https://huggingface.co/example/nimbus\n    license: CDLA-Permissive-2.0\n")
    assert check(repo, "--policy", str(tmp_path / "w.yml"))["passed"] is True
    restricted = check(EXAMPLES / "open-weights-restricted", "--policy", str(tmp_path / "w.yml"))
    assert "not an open licence" in req(restricted, "weights")["message"]


# --------------------------------------------------------------------------- detector fixtures
RESTRICTED_FIXTURES = ["bloom-style-rail-card", "gemma-it-hf-gated", "stable-diffusion-rail",
                       "sdxl-openrailpp-no-license-file", "llama31-instruct-hf-gated", "llama-guard-hf",
                       "gguf-quantised-chat"]


def _fixture(name):
    from conftest import ROOT

    path = ROOT / "tests" / "fixtures" / "repos" / name
    if not path.is_dir():
        pytest.skip(f"detector fixture {name} not present")
    return path


@pytest.mark.parametrize("name", RESTRICTED_FIXTURES)
def test_rail_llama_gemma_fixtures_are_never_open_in_mof_or_osaid(name):
    repo = _fixture(name)
    mof = check(repo, "--policy", "mof")
    statuses = mof["extra"]["mof"]["components"]
    assert "included" not in statuses.values() and "invalid" in statuses.values()
    assert mof["extra"]["mof"]["class"] == 0 and mof["passed"] is False
    osaid = check(repo, "--policy", "osaid-1.0")
    params = req(osaid, "parameters")
    assert osaid["passed"] is False and params["outcome"] == "fail"
    if "Final weights: present" in params["message"] or "Final weights: linked" in params["message"]:
        assert "restricted-use" in params["message"]


def test_apache_fixture_weights_count_for_mof_with_a_warning():
    mof = check(_fixture("mistral-instruct-hf-open"), "--policy", "mof")
    assert mof["extra"]["mof"]["components"]["Model parameters (Final)"] == "included"
    assert "type-appropriate" in req(mof, "mof.model-parameters-final")["message"]
    card = req(mof, "mof.model-card")
    assert card["outcome"] == "fail" and "partial" in card["message"]


def test_declared_licence_beats_an_unidentified_licence_file(tmp_path):
    repo = tmp_path / "r"
    repo.mkdir()
    (repo / "LICENSE").write_text("Acme Model Licence\n\nYou may do some things with this model.\n")
    (repo / "README.md").write_text("---\nlicense: apache-2.0\n---\n# Model\n")
    pol = check(repo, "--policy", "minimal")
    assert req(pol, "license")["outcome"] == "pass", req(pol, "license")["message"]
    (repo / "README.md").write_text("# Model\n")
    pol = check(repo, "--policy", "minimal")
    assert req(pol, "license")["outcome"] == "fail" and "unidentified licence text" in req(pol, "license")["message"]


def test_licence_rules_per_content_type_in_one_group(tmp_path):
    (tmp_path / "t.yml").write_text(
        "name: t\nrequirements:\n  - id: release\n    all_of: [code.training, weights.pretrained]\n"
        "    license:\n      deny_classes: [restricted-use]\n      code: {allow_classes: [osi-approved]}\n"
        "      data: {mof_type: data}\n")
    repo = copy_example(tmp_path, "open-science-model", "artifacts:\n  weights.pretrained:\n"
                        "    url: https://huggingface.co/example/nimbus\n    license: CDLA-Permissive-2.0\n")
    assert req(check(repo, "--policy", str(tmp_path / "t.yml")), "release")["outcome"] == "pass"
    plain = check(EXAMPLES / "open-science-model", "--policy", str(tmp_path / "t.yml"))
    assert "type-appropriate licence for data" in req(plain, "release")["message"]
    (tmp_path / "child.yml").write_text("extends: t.yml\nrequirements:\n  - id: release\n    locked: true\n")
    (tmp_path / "weaker.yml").write_text("extends: child.yml\nrequirements:\n  - id: release\n    license:\n"
                                         "      data: {}\n")
    proc = run_cli("policy", "validate", "weaker.yml", cwd=tmp_path)
    assert proc.returncode == 2 and "changes licence mof_type for data" in proc.stderr and "child.yml" in proc.stderr


def test_the_pre_parsed_twins_of_our_yaml_are_current():
    """policy/frozen.json must hold exactly what parsing each built-in file gives today; when it
    is stale the check still parses the YAML (slower), and this test says how to rebuild it."""
    from openness_gate.parsers import safe_yaml
    from openness_gate.policy import frozen

    sources = frozen.sources()
    assert "builtin:mof" in sources and frozen.MOF_DATA in sources
    # no twin outlives its file (a removed built-in would leave a dead entry)
    assert set(json.loads((ROOT / "openness_gate" / "policy" / frozen.FILE).read_text())) == set(sources)
    assert frozen.parsed(".openness.yml", sources["builtin:mof"]) is None  # a repository's file: no twin
    for key, text in sources.items():
        assert frozen.parsed(key, text) == safe_yaml.load(text, max_bytes=1 << 20, what=key), \
            f"{key}: policy/frozen.json is stale; run: python -m openness_gate.policy.frozen"
    # any other text (an edited policy) gets no twin, and each call hands out fresh objects
    assert frozen.parsed("builtin:mof", sources["builtin:mof"] + "\n# edited\n") is None
    first = frozen.parsed("builtin:mof", sources["builtin:mof"])
    first["name"] = "changed"
    assert frozen.parsed("builtin:mof", sources["builtin:mof"])["name"] != "changed"


def test_a_check_of_a_repository_without_yaml_never_imports_pyyaml(tmp_path):
    from conftest import modules_after_check

    (tmp_path / "README.md").write_text("# A model\n\nTrained with train.py.\n")
    (tmp_path / "train.py").write_text("import torch\nloss.backward()\noptimizer.step()\n")
    report, imported = modules_after_check(tmp_path, ("yaml",))
    assert '"components"' in report
    assert imported == set()


def test_mof_levels_are_the_classes_mof_data_names_lowest_first():
    """``levels: mof`` takes its level names from mof_data.yml (one place), Class III the lowest."""
    from openness_gate.policy import load, mot

    assert load.load("mof").level_names == list(LEVELS_MOF)
    assert load.load("mof").level_names == [mot.facts().short_labels[c] for c in (3, 2, 1)]
