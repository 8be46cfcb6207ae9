"""Licence catalogue lookups and licence-text identification: the hard cases a user would notice."""

from __future__ import annotations

import json
import pathlib
import re
import textwrap

import pytest

from conftest import shared_path
from openness_gate import licenses
from openness_gate.licenses import catalogue, identify, lookup

MIT = """MIT License

Copyright (c) 2024 Acme AI Labs, Inc.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
"""

#: The 83 licence ids of the Hugging Face model-card spec (hub-docs repositories-licenses.md), kept as
#: catalogue data (``hub_ids`` in catalogue.yml).
HF_IDS = catalogue.hub_ids()

OPEN = {"osi-approved", "fsf-libre", "open-data", "open-content"}


def ref(key: str) -> str:
    """A reference licence text from ../shared (ScanCode LicenseDB file), front matter removed."""
    raw = shared_path("data", "licenses", "texts", f"{key}.LICENSE").read_text(encoding="utf-8")
    return raw.split("---\n", 2)[2] if raw.startswith("---\n") else raw


def ids(text: str) -> list[str]:
    return [m.licence.id for m in identify(text)]


# --- catalogue --------------------------------------------------------------------------------------

def test_every_hugging_face_id_resolves_and_placeholders_do_not():
    assert len(HF_IDS) == 83
    unresolved = [i for i in HF_IDS if i not in ("unknown", "other") and lookup(i) is None]
    assert unresolved == []
    assert lookup("other") is None and lookup("unknown") is None


@pytest.mark.parametrize("spelling, expected", [
    ("Apache 2.0", "Apache-2.0"), ("Apache License, Version 2.0", "Apache-2.0"), ("APACHE-2.0", "Apache-2.0"),
    ("The MIT License", "MIT"), ("CC BY-NC-SA 4.0", "CC-BY-NC-SA-4.0"), ("cc-by-nd-4.0", "CC-BY-ND-4.0"),
    ("GPL-3.0+", "GPL-3.0-or-later"), ("GPLv3", "GPL-3.0-only"), ("Llama 3.1 Community License", "llama3.1"),
    ("LicenseRef-scancode-llama-3.1-license-2024", "llama3.1"), ("CreativeML OpenRAIL-M", "creativeml-openrail-m"),
    ("\uff21\uff50\uff41\uff43\uff48\uff45 2.0", "Apache-2.0"),  # full-width letters (a CJK keyboard's), folded by NFKC
])
def test_lookup_accepts_common_spellings(spelling, expected):
    lic = lookup(spelling)
    assert lic is not None and lic.id == expected


@pytest.mark.parametrize("junk", ["", "   ", "not-a-licence", "x" * 10_000])
def test_lookup_of_junk_is_none(junk):
    assert lookup(junk) is None


def test_no_alias_means_two_licences():
    seen: dict[str, str] = {}
    clashes = []
    for lic in licenses.all_licences():
        for name in {lic.id, lic.spdx, lic.scancode, lic.name, *lic.aliases} - {None}:
            k = catalogue.key(name)
            if seen.setdefault(k, lic.id) != lic.id:
                clashes.append((name, seen[k], lic.id))
    assert clashes == []


def test_compiled_catalogue_matches_the_yaml_people_edit():
    from importlib import resources

    here = resources.files("openness_gate.licenses")
    compiled = catalogue.compile_source(here.joinpath(catalogue.SOURCE).read_text(encoding="utf-8"))
    assert here.joinpath(catalogue.COMPILED).read_text(encoding="utf-8") == compiled, (
        "catalogue.json is stale: run  python bench/licenses_build.py --catalogue-only")


def test_the_verbatim_hashes_are_those_of_the_fingerprints():
    """A verbatim licence file is identified from fingerprints.whole.json (a few KB) without reading
    the fingerprints (1.6 MB): it must say what fingerprints.json says of each licence."""
    from importlib import resources

    from openness_gate.licenses import fingerprints

    here = resources.files("openness_gate.licenses")
    licenses = json.loads(here.joinpath(fingerprints.FILE).read_text(encoding="utf-8"))["licenses"]
    expected: dict[int, str] = {}
    for lid, item in licenses.items():  # the file's own order, first holder of a hash kept
        if item.get("whole") is not None:
            expected.setdefault(item["whole"], lid)
    assert fingerprints.verbatim_ids() == expected and len(expected) > 100, (
        "fingerprints.whole.json is stale: run  python bench/licenses_build.py")


def test_catalogue_fields_are_well_formed():
    for lic in licenses.all_licences():
        assert set(lic.classes) <= set(licenses.CLASSES), lic.id
        assert lic.mof_types <= {"code", "data", "document"}, lic.id
        assert lic.url is None or lic.url.startswith(("https://", "http://")), lic.id


@pytest.mark.parametrize("hf_id", ["openrail", "bigscience-openrail-m", "creativeml-openrail-m", "llama2", "llama3.1",
                                   "llama4", "gemma", "cc-by-nc-4.0", "cc-by-nd-4.0", "cc-by-nc-sa-4.0",
                                   "deepfloyd-if-license", "c-uda", "grok2-community"])
def test_restricted_licences_are_never_classed_open(hf_id):
    lic = lookup(hf_id)
    assert not OPEN & set(lic.classes)
    assert not lic.mof_open
    assert {"restricted-use", "non-commercial", "no-derivatives"} & set(lic.classes)


def test_osi_and_fsf_flags_come_from_the_spdx_list():
    data = json.loads(shared_path("data", "mot", "schema", "spdx-licenses.json").read_text())
    spdx = {x["licenseId"]: x for x in data["licenses"]}
    for lic in licenses.all_licences():
        if lic.spdx:
            assert lic.spdx in spdx, lic.id
            assert ("osi-approved" in lic.classes) == bool(spdx[lic.spdx].get("isOsiApproved")), lic.id
            assert ("fsf-libre" in lic.classes) == bool(spdx[lic.spdx].get("isFsfLibre")), lic.id


def test_mof_content_types_match_the_mof_licence_list():
    data = json.loads(shared_path("data", "mot", "schema", "mof-licenses.json").read_text())
    listed: dict[str, set[str]] = {}
    for x in data["licenses"]:
        ct = x["ContentType"] if isinstance(x["ContentType"], list) else [x["ContentType"]]
        listed.setdefault(x["licenseId"], set()).update(ct)
    for lic in licenses.all_licences():
        key = lic.spdx or lic.id
        assert lic.mof_types == frozenset(listed.get(key, set())), lic.id
    assert lookup("apache-2.0").mof_types == {"code", "document"}
    assert lookup("cdla-permissive-2.0").mof_types == {"data"}


# --- identification: the hard cases -----------------------------------------------------------------

def test_mit_with_a_new_copyright_line_is_mit():
    [m] = identify(MIT)
    assert m.licence.id == "MIT" and m.confidence >= 0.95 and m.method == "text"


def test_mit_with_an_extra_clause_is_not_mit():
    text = MIT.replace("subject to the following conditions:\n",
                       "subject to the following conditions:\n\nThe Software shall not be used to train other "
                       "language models or for any military purpose.\n")
    result = identify(text)
    assert [m.licence.id for m in result] == ["unknown"]
    assert "resembles MIT" in result[0].note


def test_mit_with_one_word_restriction_is_not_mit():
    result = identify(MIT.replace("to deal\nin the Software", "to deal\nin the Software for non-commercial purposes"))
    assert [m.licence.id for m in result] == ["unknown"]


def test_a_restriction_after_the_licence_is_reported_beside_it():
    result = identify(MIT + "\nIn addition, the model weights may not be used for commercial purposes.\n")
    assert [m.licence.id for m in result] == ["MIT", "unknown"]
    assert "adds terms" in result[1].note


@pytest.mark.parametrize("key, expected", [("cc-by-4.0", "CC-BY-4.0"), ("cc-by-nd-4.0", "CC-BY-ND-4.0"),
                                           ("cc-by-nc-sa-4.0", "CC-BY-NC-SA-4.0"), ("cc-by-sa-4.0", "CC-BY-SA-4.0")])
def test_creative_commons_variants_are_told_apart(key, expected):
    assert ids(ref(key)) == [expected]


def test_cc_by_body_under_a_no_derivatives_title_is_not_just_cc_by():
    text = ref("cc-by-4.0").replace("Attribution 4.0 International", "Attribution-NoDerivatives 4.0 International", 1)
    got = ids(text)
    assert "unknown" in got or got == ["CC-BY-ND-4.0"]


def test_apache_without_its_appendix_is_apache():
    text = ref("apache-2.0").split("APPENDIX")[0]
    [m] = identify(text)
    assert m.licence.id == "Apache-2.0" and m.method == "text"


def test_apache_standard_notice_alone_is_apache():
    notice = ('Copyright 2024 Acme\n\nLicensed under the Apache License, Version 2.0 (the "License");\n'
              "you may not use this file except in compliance with the License.\n"
              "You may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n")
    assert ids(notice) == ["Apache-2.0"]


@pytest.mark.parametrize("key, expected", [("llama-3.1-license-2024", "llama3.1"), ("llama-3.2-license-2024", "llama3.2"),
                                           ("llama-3.3-license-2024", "llama3.3")])
def test_llama_versions_are_told_apart(key, expected):
    assert ids(ref(key)) == [expected]


@pytest.mark.parametrize("key, expected", [("bigscience-open-rail-m", "bigscience-openrail-m"),
                                           ("stable-diffusion-2022-08-22", "creativeml-openrail-m"),
                                           ("bigcode-open-rail-m-v1", "bigcode-openrail-m")])
def test_rail_licences_are_told_apart(key, expected):
    got = identify(ref(key))
    assert [m.licence.id for m in got] == [expected]
    assert "restricted-use" in got[0].licence.classes


def test_falcon_licence_built_on_apache_is_not_apache():
    assert ids(ref("falcon-2-11b-1.0")) == ["falcon-2-11b-tii-1.0"]


def test_licence_file_holding_only_a_url():
    [m] = identify("https://www.apache.org/licenses/LICENSE-2.0\n")
    assert m.licence.id == "Apache-2.0" and m.method == "url" and m.confidence < 1
    assert ids("See https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode") == ["CC-BY-NC-ND-4.0"]


@pytest.mark.parametrize("text", ["", "   \n\n", "\ufeff"])
def test_empty_licence_is_unknown(text):
    [m] = identify(text)
    assert m.licence.id == "unknown" and m.licence.classes == ("unknown",) and m.confidence == 0


def test_unknown_text_is_unknown_with_its_title_never_a_guess():
    [m] = identify("# ACME Responsible Model License v2\n\nYou may use the model if you are nice to people.\n")
    assert m.licence.id == "unknown"
    assert m.licence.name == "ACME Responsible Model License v2"


def test_a_licence_name_with_a_restriction_is_not_that_licence():
    assert ids("MIT License, but not for commercial use.") == ["unknown"]
    assert ids("Apache 2.0") == ["Apache-2.0"]


def test_two_licences_in_one_file_yield_both_with_scope():
    text = ("The code in this repository is released under the following terms:\n\n" + MIT +
            "\n\nThe model weights are licensed under the terms below.\n\n" + ref("llama-3.1-license-2024"))
    result = identify(text)
    assert [(m.licence.id, m.scope) for m in result] == [("MIT", "code"), ("llama3.1", "model")]
    assert result[0].line < result[1].line


def test_a_notice_that_points_at_the_licence_file_names_a_licence_only_on_its_own():
    """The header Chromium-style sources carry names a BSD licence where it stands alone (a file
    that holds only it); above a licence text it points at that text (salesforce/LAVIS pasted it
    over the MIT text of vendored code), and the text decides."""
    header = ("// Copyright 2022 Salesforce. All rights reserved.\n// Use of this source code is governed by a "
              "BSD-style\n// license that can be found in the LICENSE file.\n\n")
    assert ids(header) == ["bsd"]
    assert ids(header + MIT) == ["MIT"]
    # a notice that names a licence without deferring to the file stays beside the text
    assert ids("This project is licensed under the BSD license.\n\n" + MIT) == ["bsd", "MIT"]


def test_licence_with_appended_acceptable_use_policy_yields_both():
    assert ids(MIT + "\n\n" + ref("gemma-pup-2024-02-21")) == ["MIT", "gemma-prohibited-use-policy"]


def test_spdx_identifier_expression():
    result = identify("# SPDX-License-Identifier: Apache-2.0 OR MIT\n")
    assert [(m.licence.id, m.method, m.line) for m in result] == [("Apache-2.0", "spdx-id", 1), ("MIT", "spdx-id", 1)]
    assert ids("SPDX-License-Identifier: NotARealLicence-1.0") == ["unknown"]


# --- perturbations: equivalences of the SPDX matching guidelines ------------------------------------

def _markdown(text: str) -> str:
    out = []
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"^(?:\(?[0-9]{1,2}[.)]|\([a-z]\)|[a-z]\.)\s+(.*)", s)
        out.append(f"- {m.group(1)}" if m else (f"## {s}" if s and len(s) < 40 and s[0].isupper() else line))
    return "\n".join(out)


@pytest.mark.parametrize("key", ["cc-by-nc-4.0", "apache-2.0", "llama-3.1-license-2024", "bsd-new"])
@pytest.mark.parametrize("perturb", [
    lambda t: "\n\n".join(textwrap.fill(" ".join(p.split()), 60) for p in re.split(r"\n\s*\n", t)),
    _markdown,
    lambda t: "This repository holds model weights and code. Please read the terms below.\n\n" + t,
    lambda t: t.replace("\u201c", '"').replace("\u201d", '"').replace("-", "\u2014").replace("license", "licence"),
    lambda t: "\n".join("# " + ln for ln in t.splitlines()),
], ids=["rewrap60", "markdown", "leading-notice", "quotes-dashes-spelling", "comment-prefix"])
def test_formatting_does_not_change_the_answer(key, perturb):
    expected = ids(ref(key))
    assert ids(perturb(ref(key))) == expected


# --- hostile input and declared metadata -------------------------------------------------------------

def test_repeated_spdx_tags_give_one_answer():
    result = identify("SPDX-License-Identifier: MIT\n" * 50_000)
    assert [(m.licence.id, m.line) for m in result] == [("MIT", 1)]


def test_prose_mentioning_the_spdx_tag_is_not_a_tag():
    assert ids("Put `SPDX-License-Identifier:` lines | in each file\n") == ["unknown"]


def test_random_words_are_unknown():
    words = "the license model use grant rights software data shall any of to and".split()
    text = " ".join(words[(i * 7) % len(words)] for i in range(200_000))
    assert ids(text) == ["unknown"]


@pytest.mark.parametrize("text, expected", [
    ('[project]\nname = "x"\nlicense = "MIT"\n', [("MIT", None)]),
    ('[project]\nname = "x"\nlicense = {text = "Apache License 2.0"}\n', [("Apache-2.0", None)]),
    ('[project]\nname = "x"\nclassifiers = ["License :: OSI Approved :: MIT License"]\n', [("MIT", None)]),
    ('[project]\nlicense = "Apache-2.0 WITH LLVM-exception OR MIT"\n', [("Apache-2.0", None), ("MIT", None)]),
    ('[project\nlicense = "MIT"', [(None, "pyproject.toml is not valid TOML")]),
    # tool settings only (alpaca-lora's black and isort): no licence can be declared, none is parsed
    ("[tool.black]\nline-length = 79\n[tool.isort\n", []),
    ('[project]\nname = "x"\n"lic\\u0065nse" = "MIT"\n', [("MIT", None)]),  # the key spelled by an escape
])
def test_pyproject_declarations(text, expected):
    from openness_gate.licenses.declared import from_pyproject

    got = [(d.licence.id if d.licence else None, d.problem) for d in from_pyproject(text, "pyproject.toml")]
    assert got == expected


def test_setup_cfg_and_citation_declarations():
    from openness_gate.licenses.declared import from_citation, from_setup_cfg

    [d] = from_setup_cfg("[metadata]\nname = x\nlicense = BSD-3-Clause\n", "setup.cfg")
    assert d.licence.id == "BSD-3-Clause" and d.line == 3
    [d] = from_citation("cff-version: 1.2.0\nlicense: [CC-BY-4.0]\n", "CITATION.cff")
    assert d.licence.id == "CC-BY-4.0"
    [d] = from_citation("license: *a\n", "CITATION.cff")
    assert d.licence is None and "not valid YAML" in d.problem


def test_a_modified_licence_beside_a_good_one_is_not_dropped():
    modified = MIT.replace("subject to the following conditions:\n",
                           "subject to the following conditions:\n\nYou must send the authors a postcard "
                           "every year that you use the Software in any product or service.\n")
    result = identify(ref("apache-2.0") + "\n\n" + modified)
    assert [m.licence.id for m in result] == ["Apache-2.0", "unknown"]
    assert "resembles MIT" in result[1].note


def test_the_creativeml_open_rail_pp_m_text_is_openrail_pp_as_the_hub_names_it():
    """Stability-AI/generative-models ships model_licenses/LICENSE-SDXL1.0, the CreativeML Open
    RAIL++-M text ScanCode files as bigscience-open-rail-m2: the Hub and the labels call it openrail++."""
    text = ref("bigscience-open-rail-m2")
    assert ids(text)[:1] == ["openrail++"]
    assert ids("Copyright (c) 2023 Stability AI CreativeML Open RAIL++-M License dated July 26, 2023\n\n" + text)[:1] \
        == ["openrail++"]
    assert lookup("bigscience-openrail-m2").id == "openrail++"


def test_the_shipped_index_is_the_inverted_index_of_the_shipped_fingerprints():
    """fingerprints.index (raw arrays, loaded without decoding) must say, for every hash, exactly
    which licences' fingerprints hold it: a stale index would rank candidates wrongly."""
    from openness_gate.licenses import fingerprints

    idx = fingerprints.load()
    holders: dict[int, list[int]] = {}
    for n, fp in enumerate(idx.prints):
        for h in fp.hashes:
            holders.setdefault(h, []).append(n)
    assert list(idx.keys) == sorted(holders)
    for i in range(0, len(idx.keys), 997):  # a sample of hashes across the whole range
        assert sorted(idx.holders(idx.keys[i])) == sorted(holders[idx.keys[i]])
    assert idx.offsets[-1] == len(idx.postings) == sum(len(v) for v in holders.values())


def test_a_damaged_index_is_refused_with_a_reason():
    from openness_gate.licenses import fingerprints

    data = fingerprints.pack_index([1, 5, 9], [0, 1, 2, 3], [0, 1, 0], [[1, 9], [5]])
    assert [list(a) for a in fingerprints.unpack_index(data)] == [[1, 5, 9], [0, 1, 2, 3], [0, 1, 0], [0, 2, 3],
                                                                  [1, 9, 5]]
    with pytest.raises(ValueError, match="rebuild"):
        fingerprints.unpack_index(data[:-2])
    with pytest.raises(ValueError, match="not a licence fingerprint index"):
        fingerprints.unpack_index(b"PK" + data)


def _reference_bodies() -> list[tuple[str, str]]:
    """(name, text) of the stewards' texts in bench/ and, in CI, the 100 reference texts of ../shared
    (their ScanCode front matter cut off)."""
    from conftest import SHARED

    root = pathlib.Path(__file__).resolve().parent.parent
    out = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted((root / "bench" / "licence_texts").glob("*.txt"))]
    for p in sorted((SHARED / "data" / "licenses" / "texts").glob("*.LICENSE")):
        text = p.read_text(encoding="utf-8", errors="replace")
        if text.startswith("---\n") and "\n---\n" in text[4:]:
            text = text[4:].split("\n---\n", 1)[1]
        out.append((p.stem, text))
    return out


def test_a_verbatim_text_under_its_own_title_reads_as_matching_reads_it():
    """GitHub's MIT template heads the text with "MIT License" (36 of 127 root licence files of the
    calibration corpus, kuotunyu/tw-med-llm-qlora among them): the shortcut that skips matching for a
    verbatim copy takes such a title too, and must answer what matching answers, line numbers
    included; a title that names another licence is left to matching."""
    from openness_gate.licenses import matcher

    bodies = _reference_bodies()
    for name, body in bodies:
        bare = matcher._identify(body, shortcut=False)
        titles = ["MIT License", "Apache License"] + ([bare[0].licence.name] if bare[0].known else [])
        for title in titles:
            text = f"{title}\n\n{body}"
            assert matcher.identify(text) == matcher._identify(text, shortcut=False), (name, title)
    mit = next(body for name, body in bodies if name in ("mit", "MIT")).strip()
    titled = matcher.identify(f"MIT License\n\nCopyright (c) 2026 tw-med-llm-qlora contributors\n\n{mit}\n")
    assert [(m.licence.id, m.line, m.method, m.confidence) for m in titled] == [("MIT", 5, "text", 1.0)]
    other = matcher.identify(f"Apache License\n\n{mit}\n")  # not the text's own title: matching says what it is
    assert other == matcher._identify(f"Apache License\n\n{mit}\n", shortcut=False)
