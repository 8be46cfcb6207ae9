"""The distribution.license finding of `check`, and `openness-gate license identify`, run as a user would."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import EXAMPLES, run_cli
from test_licenses import MIT

CARD = "---\n{front}\npipeline_tag: text-generation\n---\n# Tiny model\n\nA small model card.\n"


def licence_finding(path) -> dict:
    proc = run_cli("check", str(path), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    return next(c for c in report["components"] if c["id"] == "distribution.license")


def write(root, files: dict[str, str]) -> None:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")


def test_mit_licence_file(tmp_path):
    write(tmp_path, {"LICENSE": MIT})
    f = licence_finding(tmp_path)
    assert f["status"] == "present"
    assert f["facts"]["ids"] == ["MIT"] and f["facts"]["spdx"] == ["MIT"]
    assert f["facts"]["classes"] == ["fsf-libre", "osi-approved"]
    [lic] = f["facts"]["licenses"]
    assert lic == {"id": "MIT", "spdx": "MIT", "name": "MIT License", "classes": ["osi-approved", "fsf-libre"],
                   "mof_types": ["code"], "source": "file", "path": "LICENSE", "line": lic["line"],
                   "confidence": 1.0, "scope": None}
    assert f["facts"]["conflict"] is False and f["facts"]["unidentified_files"] == []


def test_no_licence_at_all_is_missing(tmp_path):
    write(tmp_path, {"train.py": "print('hi')\n"})
    f = licence_finding(tmp_path)
    assert f["status"] == "missing"
    assert f["facts"]["ids"] == [] and f["facts"]["classes"] == ["unknown"]


def test_empty_licence_file_is_present_but_unknown(tmp_path):
    write(tmp_path, {"LICENSE": ""})
    f = licence_finding(tmp_path)
    assert f["status"] == "present"
    assert f["facts"]["classes"] == ["unknown"] and f["facts"]["unidentified_files"] == ["LICENSE"]
    assert "(empty)" in f["evidence"][0]["reason"]


def test_restricted_example_is_never_open():
    f = licence_finding(EXAMPLES / "open-weights-restricted")
    assert "llama3.1" in f["facts"]["ids"]
    assert f["facts"]["classes"] == ["restricted-use"]


@pytest.mark.parametrize("value, reason", [
    ("[mit, 42]", "number"),
    ("42", "number"),
    ("'" + "x" * 10_240 + "'", "characters long"),
    ("my-own-licence-9", "not a known licence id"),
    ("{name: mit}", "mapping"),
])
def test_malformed_declared_licence_gives_a_reason_not_a_crash(tmp_path, value, reason):
    write(tmp_path, {"README.md": CARD.format(front=f"license: {value}")})
    f = licence_finding(tmp_path)
    assert f["status"] == "present"
    assert "unknown" in f["facts"]["classes"]
    assert any(reason in (d["problem"] or "") for d in f["facts"]["declared"])
    assert any(reason in e["reason"] for e in f["evidence"])
    assert all(len(e["reason"]) < 400 for e in f["evidence"])


def test_declared_other_with_license_link_reads_the_linked_file(tmp_path):
    write(tmp_path, {"README.md": CARD.format(front="license: other\nlicense_name: acme-license\nlicense_link: LICENSE.md"),
                     "LICENSE.md": "Llama 3.1 is licensed under the Llama 3.1 Community License Agreement.\n"})
    f = licence_finding(tmp_path)
    assert f["facts"]["ids"] == ["llama3.1"]
    assert f["facts"]["classes"] == ["restricted-use"]


def test_license_link_outside_the_repository_is_refused(tmp_path):
    write(tmp_path / "repo", {"README.md": CARD.format(front="license: other\nlicense_link: ../secret.txt")})
    write(tmp_path, {"secret.txt": MIT})
    f = licence_finding(tmp_path / "repo")
    assert f["facts"]["ids"] == []
    assert any("outside the repository" in (d["problem"] or "") for d in f["facts"]["declared"])


def test_declared_and_detected_disagree_is_a_conflict(tmp_path):
    write(tmp_path, {"README.md": CARD.format(front="license: cc-by-nc-4.0"), "LICENSE": MIT})
    f = licence_finding(tmp_path)
    assert f["facts"]["conflict"] is True
    assert set(f["facts"]["ids"]) == {"MIT", "CC-BY-NC-4.0"}
    assert "non-commercial" in f["facts"]["classes"]
    assert "conflict" in f["evidence"][0]["reason"]


def test_family_declaration_agrees_with_a_versioned_file(tmp_path):
    write(tmp_path, {"README.md": CARD.format(front="license: gpl"),
                     "LICENSE": "SPDX-License-Identifier: GPL-3.0-only\n"})
    assert licence_finding(tmp_path)["facts"]["conflict"] is False


def test_vendored_and_per_model_licences(tmp_path):
    write(tmp_path, {"LICENSE": MIT, "third_party/lib/LICENSE": "SPDX-License-Identifier: GPL-2.0-only\n",
                     "models/big/LICENSE": "SPDX-License-Identifier: CC-BY-NC-4.0\n", "models/big/model.safetensors": ""})
    f = licence_finding(tmp_path)
    assert f["facts"]["ids"] == ["MIT", "CC-BY-NC-4.0"]  # the vendored GPL is not the project's licence
    assert f["facts"]["vendored"] == [{"path": "third_party/lib/LICENSE", "ids": ["GPL-2.0-only"]}]
    by_path = {x["path"]: x for x in f["facts"]["licenses"]}
    assert by_path["models/big/LICENSE"]["scope"] == "model"


def test_model_licence_file_names_give_the_scope(tmp_path):
    write(tmp_path, {"LICENSE": MIT, "MODEL_LICENSE": "https://creativecommons.org/licenses/by-nd/4.0/\n"})
    f = licence_finding(tmp_path)
    scopes = {x["id"]: x["scope"] for x in f["facts"]["licenses"]}
    assert scopes == {"MIT": None, "CC-BY-ND-4.0": "model"}


def test_package_metadata_declarations(tmp_path):
    write(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nlicense = "Apache-2.0 OR MIT"\n',
                     "CITATION.cff": "cff-version: 1.2.0\nlicense: CC-BY-4.0\n"})
    f = licence_finding(tmp_path)
    assert f["status"] == "present"
    # OR is a choice: the first of two equally open alternatives binds, the other is listed as declared
    assert set(f["facts"]["ids"]) == {"Apache-2.0", "CC-BY-4.0"}
    assert {(d["id"], d["binds"]) for d in f["facts"]["declared"]} == {("Apache-2.0", True), ("MIT", False),
                                                                       ("CC-BY-4.0", True)}
    assert {d["path"] for d in f["facts"]["declared"]} == {"pyproject.toml", "CITATION.cff"}


def test_code_files_named_license_are_not_licence_files(tmp_path):
    write(tmp_path, {"src/license.py": "LICENSE = 'MIT'\n", "license.json": "{}"})
    assert licence_finding(tmp_path)["status"] == "missing"


# --- license identify ---------------------------------------------------------------------------------

def test_identify_json_shape(tmp_path):
    write(tmp_path, {"LICENSE": MIT, "NOTES": "Nothing to see here.\n"})
    proc = run_cli("license", "identify", str(tmp_path / "LICENSE"), str(tmp_path / "NOTES"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [r["path"] for r in out] == [str(tmp_path / "LICENSE"), str(tmp_path / "NOTES")]
    [mit] = out[0]["licenses"]
    assert {k: mit[k] for k in ("id", "spdx", "classes", "confidence")} == {
        "id": "MIT", "spdx": "MIT", "classes": ["osi-approved", "fsf-libre"], "confidence": 1.0}
    assert [x["id"] for x in out[1]["licenses"]] == ["unknown"]


def test_identify_a_folder_reads_its_licence_files(tmp_path):
    write(tmp_path, {"LICENSE": MIT, "README.md": "# hi\n"})
    proc = run_cli("license", "identify", str(tmp_path))
    assert proc.returncode == 0
    assert "MIT" in proc.stdout and "README" not in proc.stdout


@pytest.mark.parametrize("args", [("license", "identify", "/no/such/file"), ("license",), ("license", "identify")])
def test_identify_usage_errors_exit_2_with_one_line(args):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


def test_identify_binary_file_says_why(tmp_path):
    (tmp_path / "LICENSE").write_bytes(b"\x00\x01\x02binary")
    proc = run_cli("license", "identify", str(tmp_path / "LICENSE"), "--format", "json")
    assert proc.returncode == 0
    [r] = json.loads(proc.stdout)
    assert r["licenses"] == [] and "binary" in r["error"]


def test_license_link_to_an_unknown_url_is_a_declaration_we_cannot_read(tmp_path):
    write(tmp_path, {"README.md": CARD.format(
        front="license: other\nlicense_name: acme-model-license\nlicense_link: https://example.org/acme/LICENSE")})
    f = licence_finding(tmp_path)
    assert f["status"] == "present"
    assert f["facts"]["classes"] == ["unknown"]
    assert any("not a known licence page" in (d["problem"] or "") for d in f["facts"]["declared"])


def test_license_link_to_a_known_licence_page(tmp_path):
    write(tmp_path, {"README.md": CARD.format(
        front="license: other\nlicense_link: https://creativecommons.org/licenses/by-nc/4.0/")})
    assert licence_finding(tmp_path)["facts"]["ids"] == ["CC-BY-NC-4.0"]


def test_a_repository_without_any_licence_evidence_never_loads_the_licence_package(tmp_path):
    """A notebook-and-README repository (a course exercise) has no licence file and declares none:
    the answer is "missing" without importing the catalogue and matcher (~5 ms of a ~0.1 s check).
    With a LICENSE file the package is loaded, and the licence found."""
    from conftest import modules_after_check

    (tmp_path / "README.md").write_text("# Fine-tuning a model\n\nA notebook that fine-tunes a model.\n")
    (tmp_path / "train.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
    report, imported = modules_after_check(tmp_path, ("openness_gate.licenses",))
    licence = next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")
    assert licence["status"] == "missing" and imported == set()
    (tmp_path / "LICENSE").write_text(MIT)
    report, imported = modules_after_check(tmp_path, ("openness_gate.licenses",))
    licence = next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")
    assert licence["status"] == "present" and licence["facts"]["ids"] == ["MIT"]
    assert imported == {"openness_gate.licenses"}


def test_a_licence_in_compatibility_characters_is_folded_and_an_ascii_one_needs_no_unicode_tables(tmp_path):
    """Licence text is compared after NFKC folding (SPDX matching guidelines): an MIT licence typed
    in full-width letters is still MIT. Most licence files are ASCII, which is its own NFKC form: they
    are matched without importing unicodedata (~1.4 ms) or zlib (~0.7 ms; binascii computes the same
    CRC-32), a cost every check with a licence would pay otherwise."""
    from conftest import modules_after_check

    def licence(report: str) -> dict:
        return next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")

    (tmp_path / "README.md").write_text("# A model\n")
    (tmp_path / "LICENSE").write_text(MIT)
    report, imported = modules_after_check(tmp_path, ("unicodedata", "zlib"))
    assert licence(report)["facts"]["ids"] == ["MIT"] and imported == set()
    full_width = MIT.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # "Ｐｅｒｍｉｓｓｉｏｎ ｉｓ ..."
    (tmp_path / "LICENSE").write_text(full_width, encoding="utf-8")
    report, imported = modules_after_check(tmp_path, ("unicodedata", "zlib"))
    assert licence(report)["facts"]["ids"] == ["MIT"] and imported == {"unicodedata"}


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is in the standard library from Python 3.11")
def test_a_pyproject_that_declares_neither_licence_nor_scripts_is_not_parsed(tmp_path):
    """alpaca-lora's pyproject.toml holds black and isort settings only: neither the licence nor the
    code detector can learn anything from it, so neither pays for importing the TOML parser (~10 ms
    in each of the check's two processes). One that declares a licence is parsed, and it is found."""
    from conftest import modules_after_check

    (tmp_path / "README.md").write_text("# A model\n")
    (tmp_path / "pyproject.toml").write_text('[tool.black]\nline-length = 79\n\n[tool.isort]\nprofile = "black"\n')
    report, imported = modules_after_check(tmp_path, ("tomllib",))
    licence = next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")
    assert imported == set() and licence["status"] == "missing"
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "m"\nlicense = "MIT"\n\n[tool.black]\nline-length = 79\n')
    report, imported = modules_after_check(tmp_path, ("tomllib",))
    licence = next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")
    assert imported == {"tomllib"} and licence["facts"]["ids"] == ["MIT"]
