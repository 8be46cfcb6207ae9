"""Declared SPDX licence expressions read with their meaning (issue #15).

``MIT OR CC-BY-NC-4.0`` lets the user choose MIT; ``MIT AND CC-BY-NC-4.0`` binds both. The
operators follow the SPDX specification (AND binds tighter than OR, parentheses, WITH adds an
exception), keys are validated against the SPDX list license-expression bundles and resolved in our
catalogue first, and neither an unknown key nor a malformed expression is ever read as open.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.resources import files

import jsonschema
import pytest

from conftest import ROOT, run_cli
from openness_gate.licenses import declared, expression

OPEN = {"osi-approved", "fsf-libre", "open-data", "open-content"}
CARD = "---\nlicense: {value}\npipeline_tag: text-generation\n---\n# Tiny model\n\nA small model card.\n"
SCHEMA = json.loads(files("openness_gate.schemas").joinpath("report.schema.json").read_text())


def binding(text: str) -> list[str]:
    """Catalogue ids (or the text of an unknown term) of what binds."""
    return [t.licence.id if t.licence else f"?{t.text}" for t in expression.read(text).binding]


def classes(text: str) -> set[str]:
    out: set[str] = set()
    for t in expression.read(text).binding:
        out.update(t.licence.classes if t.licence is not None and t.licence.classes else ("unknown",))
    return out


# --- operators ------------------------------------------------------------------------------------------

def test_or_binds_the_most_open_alternative_and_says_so():
    r = expression.read("MIT OR CC-BY-NC-4.0")
    assert binding("MIT OR CC-BY-NC-4.0") == ["MIT"]
    assert [t.binds for t in r.terms] == [True, False]
    assert r.summary.startswith("MIT OR CC-BY-NC-4.0: the user may choose MIT")
    assert binding("CC-BY-NC-4.0 OR MIT") == ["MIT"]  # whatever the order


def test_and_binds_every_licence_and_names_the_most_restrictive():
    r = expression.read("MIT AND CC-BY-NC-4.0")
    assert binding("MIT AND CC-BY-NC-4.0") == ["MIT", "CC-BY-NC-4.0"]
    assert classes("MIT AND CC-BY-NC-4.0") >= {"non-commercial"}
    assert "the most restrictive is CC-BY-NC-4.0" in r.summary


def test_or_and_and_are_not_judged_alike():
    assert classes("MIT OR CC-BY-NC-4.0") <= OPEN
    assert "non-commercial" in classes("MIT AND CC-BY-NC-4.0")


def test_with_keeps_the_base_licence_classes_and_names_the_exception():
    r = expression.read("GPL-2.0+ WITH Classpath-exception-2.0")
    [t] = r.terms
    assert t.licence.id == "GPL-2.0-or-later" and t.exception == "Classpath-exception-2.0"
    assert r.expression == "GPL-2.0-or-later WITH Classpath-exception-2.0"
    assert "Classpath-exception-2.0 is an exception to GPL-2.0-or-later" in r.summary
    assert classes("GPL-2.0-or-later WITH Classpath-exception-2.0") == set(t.licence.classes)


def test_an_exception_spdx_does_not_list_is_unknown_terms_not_a_free_pass():
    r = expression.read("MIT WITH commercial-use-forbidden-exception")
    assert binding("MIT WITH commercial-use-forbidden-exception") == ["MIT", "?commercial-use-forbidden-exception"]
    assert "unknown" in classes("MIT WITH commercial-use-forbidden-exception")
    assert "not an exception on the SPDX list" in r.summary


def test_an_or_between_two_equally_open_licences_keeps_the_first():
    assert binding("Apache-2.0 OR MIT") == ["Apache-2.0"]
    assert binding("Apache-2.0 WITH LLVM-exception OR MIT") == ["Apache-2.0"]


# --- nesting and precedence -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, normalised, binds", [
    # AND binds tighter than OR: MIT OR (Apache-2.0 AND CC-BY-NC-4.0)
    ("MIT OR Apache-2.0 AND CC-BY-NC-4.0", "MIT OR (Apache-2.0 AND CC-BY-NC-4.0)", ["MIT"]),
    ("CC-BY-NC-4.0 AND MIT OR CC-BY-ND-4.0", "(CC-BY-NC-4.0 AND MIT) OR CC-BY-ND-4.0", ["CC-BY-ND-4.0"]),
    # parentheses change it: both of the AND bind
    ("(MIT OR Apache-2.0) AND CC-BY-NC-4.0", "(MIT OR Apache-2.0) AND CC-BY-NC-4.0", ["MIT", "CC-BY-NC-4.0"]),
    ("(MIT OR CC-BY-NC-4.0) AND (Apache-2.0 OR GPL-3.0-only)",
     "(MIT OR CC-BY-NC-4.0) AND (Apache-2.0 OR GPL-3.0-only)", ["MIT", "Apache-2.0"]),
    # the least restrictive alternative as a whole: one open licence beats two
    ("MIT OR (MIT AND Apache-2.0)", "MIT OR (MIT AND Apache-2.0)", ["MIT"]),
    # lower-case operators and ids, as people write them in cards
    ("mit or (apache-2.0 and cc-by-nc-4.0)", "MIT OR (Apache-2.0 AND CC-BY-NC-4.0)", ["MIT"]),
])
def test_precedence_and_nesting_follow_the_spdx_specification(text, normalised, binds):
    r = expression.read(text)
    assert r.expression == normalised
    assert binding(text) == binds


def test_copyleft_is_chosen_over_non_commercial_and_open_over_copyleft():
    assert binding("GPL-3.0-only OR CC-BY-NC-4.0") == ["GPL-3.0-only"]
    assert binding("GPL-3.0-only OR MIT") == ["MIT"]


# --- Llama, Gemma and RAIL ids: SPDX does not list them, the catalogue does ------------------------------

@pytest.mark.parametrize("text", ["MIT AND LLAMA-2", "LLAMA-2 AND MIT", "llama3.1 AND Apache-2.0",
                                  "MIT AND creativeml-openrail-m", "(MIT OR Apache-2.0) AND LicenseRef-llama3",
                                  "openrail OR bigscience-openrail-m", "gemma OR llama3", "MIT AND openrail++"])
def test_a_model_licence_in_an_expression_is_never_read_as_open(text):
    got = classes(text)
    assert "restricted-use" in got
    assert any(t.licence is not None and "restricted-use" in t.licence.classes for t in expression.read(text).binding)


def test_a_llama_alternative_may_be_declined_and_the_evidence_says_so():
    r = expression.read("LicenseRef-llama3 OR Apache-2.0")
    assert [t.licence.id for t in r.terms] == ["llama3", "Apache-2.0"]  # resolved in the catalogue
    assert binding("LicenseRef-llama3 OR Apache-2.0") == ["Apache-2.0"]
    assert "the user may choose Apache-2.0 rather than LicenseRef-llama3" in r.summary


def test_a_lone_key_resolves_alike_in_a_declaration_an_expression_and_an_spdx_tag():
    from openness_gate.licenses import identify

    for key, lid in [("LicenseRef-llama3", "llama3"), ("GPL-2.0+", "GPL-2.0-or-later")]:
        [d] = declared.from_value(key, "README.md", 2, "license")
        assert d.licence.id == lid and d.problem is None
        assert binding(f"{key} AND MIT") == [lid, "MIT"]
        assert identify(f"SPDX-License-Identifier: {key}\n")[0].licence.id == lid


def test_licenceref_of_an_spdx_licence_is_someones_own_not_that_licence():
    [t] = expression.read("LicenseRef-MIT").terms
    assert t.licence is None and "not the SPDX licence MIT" in t.problem
    assert binding("LicenseRef-MIT OR CC-BY-NC-4.0") == ["CC-BY-NC-4.0"]  # an unknown is never chosen as open


# --- unknown keys ----------------------------------------------------------------------------------------

def test_a_key_neither_spdx_nor_the_catalogue_knows_is_unknown_with_the_validators_message():
    r = expression.read("MIT AND my-own-licence-9")
    unknown = r.terms[1]
    assert unknown.licence is None and "Unknown license key(s): my-own-licence-9" in unknown.problem
    assert "unknown" in classes("MIT AND my-own-licence-9")


# a Hugging Face card's license_name for "license: other" (kuotunyu/tw-med-llm-qlora), custom names people
# write, operator words alone, and ids made of the characters an SPDX id may hold
UNKNOWN_IDS = ["gemma-version-taide-models-license-agreement", "tongyi-qianwen-research", "my.licence", "custom",
               "proprietary", "NOASSERTION", "none", "or-later", "android", "and", "OR", "With", "1", "A-B.C",
               "x-" * 40 + "y"]


def test_an_id_nobody_knows_reads_as_the_parser_reads_it_without_loading_it():
    shortcut = 0
    for text in UNKNOWN_IDS:
        fast = expression.unknown_key(text)
        if fast is not None:
            shortcut += 1
            assert fast == expression.parse(text), text
    expression._spdx_keys.cache_clear()
    assert expression.unknown_key("gemma-version-taide-models-license-agreement") is not None
    assert expression._spdx_keys.cache_info().currsize == 0  # told from the index's text, its JSON left unread
    assert expression.unknown_key("and") is None  # an operator alone: the parser says it is malformed
    assert shortcut >= len(UNKNOWN_IDS) - 3


def test_every_id_the_parser_knows_is_left_to_the_parser():
    from license_expression import get_license_index

    for entry in get_license_index():
        key = entry.get("spdx_license_key") or ""
        if not key or key.startswith("LicenseRef-"):
            continue
        for text in (key, key.lower(), key.upper(), *(entry.get("other_spdx_license_keys") or ())):
            assert expression.unknown_key(text) is None, text


def test_an_spdx_licence_the_catalogue_does_not_classify_is_unknown_not_open():
    [t] = expression.read("Beerware AND MIT").terms[:1]
    assert t.licence is None and "on the SPDX licence list" in t.problem
    assert binding("Beerware OR MIT") == ["MIT"]


def test_an_unknown_alternative_is_never_chosen_over_a_named_one():
    assert binding("my-own-licence OR CC-BY-NC-ND-4.0") == ["CC-BY-NC-ND-4.0"]


# --- malformed input: a finding with the parser's message, never a crash, never open ----------------------

@pytest.mark.parametrize("text, message", [
    ("MIT OR (", "Invalid expression"),
    ("MIT OR OR Apache-2.0", "Invalid operator sequence"),
    ("(MIT", "Invalid expression"),
    ("MIT)", "Unbalanced parenthesis"),
    ("MIT Apache-2.0 OR BSD-3-Clause", "Invalid symbols sequence"),
    ("MIT OR", "OR requires two or more licenses"),
    ("AND", "Invalid operator sequence"),
    ("Classpath-exception-2.0 OR MIT", "A license exception symbol can only be used as an exception"),
    ("MIT WITH Apache-2.0", "A plain license symbol cannot be used as an exception"),
])
def test_a_malformed_expression_is_unknown_with_the_parsers_message(text, message):
    r = expression.read(text)
    assert r.expression is None
    [t] = r.terms
    assert t.licence is None and t.binds and message in t.problem
    assert classes(text) == {"unknown"}


def test_a_list_with_other_separators_binds_every_licence_and_says_it_is_not_spdx():
    r = expression.read("MIT/CC-BY-NC-4.0")
    assert binding("MIT/CC-BY-NC-4.0") == ["MIT", "CC-BY-NC-4.0"]
    assert "not an SPDX expression" in r.summary and "all bind" in r.summary
    assert r.expression == "MIT AND CC-BY-NC-4.0"  # what it is read as


def test_hostile_values_never_raise():
    for text in ["(" * 300, "MIT " * 60, "MIT AND " * 30 + "MIT", "\x00MIT", "MIT OR ((((", "WITH WITH WITH"]:
        r = expression.read(text)
        assert r.terms  # something to report, never an exception


# --- declared values: catalogue ids stay cheap ------------------------------------------------------------

def test_a_single_catalogue_id_is_answered_without_the_parser():
    [d] = declared.from_value("apache-2.0", "README.md", 2, "license")
    assert d.licence.id == "Apache-2.0" and d.expression == "Apache-2.0" and d.reading is None
    [d] = declared.from_value("llama3.1", "README.md", 2, "license")
    assert d.licence.id == "llama3.1" and d.expression == "llama3.1"


def test_declared_alternatives_are_listed_with_what_binds():
    got = [(d.value, d.licence.id if d.licence else None, d.binds, d.expression)
           for d in declared.from_value("MIT OR CC-BY-NC-4.0", "README.md", 2, "license")]
    assert got == [("MIT", "MIT", True, "MIT OR CC-BY-NC-4.0"),
                   ("CC-BY-NC-4.0", "CC-BY-NC-4.0", False, "MIT OR CC-BY-NC-4.0")]


def test_trove_classifiers_are_names_not_expressions():
    text = ('[project]\nname = "x"\nclassifiers = ["License :: OSI Approved :: '
            'GNU Library or Lesser General Public License (LGPL)", "License :: OSI Approved :: ISC License (ISCL)"]\n')
    [d] = declared.from_pyproject(text, "pyproject.toml")
    assert d.licence.id == "lgpl" and d.field == "classifier"


# --- the check: evidence, JSON facts, the policy verdict ------------------------------------------------------

def licence(tmp_path, value: str, *more: str) -> tuple[dict, dict]:
    (tmp_path / "README.md").write_text(CARD.format(value=value), encoding="utf-8")
    proc = run_cli("check", str(tmp_path), "--format", "json", *more)
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr
    report = json.loads(proc.stdout)
    jsonschema.validate(report, SCHEMA)
    return next(c for c in report["components"] if c["id"] == "distribution.license"), report


def test_the_report_states_the_chosen_alternative_and_carries_the_normalised_expression(tmp_path):
    f, _ = licence(tmp_path, "mit or cc-by-nc-4.0")
    assert f["facts"]["expression"] == "MIT OR CC-BY-NC-4.0"
    assert f["facts"]["ids"] == ["MIT"] and set(f["facts"]["classes"]) <= OPEN
    assert [(d["id"], d["binds"], d["expression"]) for d in f["facts"]["declared"]] == [
        ("MIT", True, "MIT OR CC-BY-NC-4.0"), ("CC-BY-NC-4.0", False, "MIT OR CC-BY-NC-4.0")]
    assert any("MIT OR CC-BY-NC-4.0: the user may choose MIT" in e["reason"] for e in f["evidence"])


def test_an_exception_is_named_in_the_licence_entry(tmp_path):
    f, _ = licence(tmp_path, "GPL-2.0+ WITH Classpath-exception-2.0")
    assert f["facts"]["expression"] == "GPL-2.0-or-later WITH Classpath-exception-2.0"
    [entry] = f["facts"]["licenses"]
    assert entry["id"] == "GPL-2.0-or-later" and entry["exception"] == "Classpath-exception-2.0"


def test_a_malformed_declaration_is_a_finding_with_the_parsers_message(tmp_path):
    f, _ = licence(tmp_path, "'MIT OR ('")
    assert f["status"] == "present" and f["facts"]["classes"] == ["unknown"]
    assert f["facts"]["expression"] is None
    assert any("not a valid SPDX licence expression: Invalid expression" in e["reason"] for e in f["evidence"])


POLICY = """\
name: open-licence
requirements:
  - id: licence
    component: distribution.license
    severity: required
    license:
      allow_classes: [osi-approved]
      deny_classes: [restricted-use, non-commercial, no-derivatives, proprietary, unknown]
    message: An OSI-approved licence
"""


@pytest.mark.parametrize("value, passes", [
    ("MIT OR CC-BY-NC-4.0", True),
    ("MIT AND CC-BY-NC-4.0", False),
    ("MIT AND LLAMA-2", False),
    ("LicenseRef-llama3 OR Apache-2.0", True),
    ("MIT AND my-own-licence", False),
    ("'MIT OR ('", False),
])
def test_the_policy_judges_what_binds(tmp_path, value, passes):
    policy = tmp_path / "policy.yml"
    policy.write_text(POLICY, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    _, report = licence(repo, value, "--policy", str(policy))
    [req] = [r for r in report["policy"]["requirements"] if r["id"] == "licence"]
    assert (req["outcome"] == "pass") is passes, req


def test_an_expression_in_license_name_is_judged_like_one_in_license(tmp_path):
    """``license: other`` with ``license_name: MIT AND my-own-licence``: the unknown licence binds too."""
    policy = tmp_path / "policy.yml"
    policy.write_text(POLICY, encoding="utf-8")
    repo = tmp_path / "repo"
    repo.mkdir()
    f, report = licence(repo, "other\nlicense_name: MIT AND my-own-licence", "--policy", str(policy))
    assert "unknown" in f["facts"]["classes"] and f["facts"]["expression"] == "MIT AND my-own-licence"
    [req] = [r for r in report["policy"]["requirements"] if r["id"] == "licence"]
    assert req["outcome"] == "fail", req


def test_a_licence_file_still_binds_beside_a_declared_choice(tmp_path):
    """The labelling rules identify a licence by its text: a card offering Apache-2.0 instead of
    Llama 3 does not unbind the Llama text in LICENSE; the two agree, so no conflict."""
    (tmp_path / "LICENSE").write_text((ROOT / "examples" / "open-weights-restricted" / "LICENSE").read_text())
    f, _ = licence(tmp_path, "LicenseRef-llama3.1 OR Apache-2.0")
    assert "restricted-use" in f["facts"]["classes"] and f["facts"]["conflict"] is False
    assert any("the user may choose Apache-2.0" in e["reason"] for e in f["evidence"])


# --- mot export -----------------------------------------------------------------------------------------------

def mot_export(tmp_path, value: str) -> str:
    (tmp_path / "README.md").write_text(CARD.format(value=value), encoding="utf-8")
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 64)
    (tmp_path / "train.py").write_text("import torch\n\ndef train():\n    pass\n")
    proc = run_cli("mot", "export", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_mot_export_lists_the_licences_that_bind(tmp_path):
    import yaml

    out = mot_export(tmp_path, "(MIT OR CC-BY-NC-4.0) AND LicenseRef-llama3")
    assert ("declared licence expression (MIT OR CC-BY-NC-4.0) AND LicenseRef-llama3: binding MIT, llama3; "
            "alternatives not chosen: CC-BY-NC-4.0") in out
    doc = yaml.safe_load(out)
    assert {c["license"] for c in doc["release"]["components"]} == {"llama3"}  # MOT has one: the restrictive one


def test_mot_export_takes_the_chosen_alternative(tmp_path):
    import yaml

    doc = yaml.safe_load(mot_export(tmp_path, "LicenseRef-llama3 OR Apache-2.0"))
    assert doc["release"]["license"]["distribution"]["name"] == "Apache-2.0"
    assert {c["license"] for c in doc["release"]["components"]} == {"Apache-2.0"}


# --- cost: the parser loads only when there is an expression to parse --------------------------------------

@pytest.mark.parametrize("value, loaded", [("apache-2.0", False), ("LicenseRef-llama3", False), ("GPL-2.0+", False),
                                           ("gemma-version-taide-models-license-agreement", False),
                                           ("beerware", True), ("MIT OR Apache-2.0", True)])
def test_the_parser_is_imported_only_for_an_expression(tmp_path, value, loaded):
    (tmp_path / "README.md").write_text(CARD.format(value=value), encoding="utf-8")
    (tmp_path / "LICENSE").write_text((ROOT / "LICENSE").read_text())
    code = ("import sys; from openness_gate import checker; checker.check(sys.argv[1]); "
            "print('license_expression' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(loaded)
