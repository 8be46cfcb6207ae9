"""Licence identification on real licence texts: the stewards' own copies and copies found in the
labelled real repositories (their calibration snapshots), one case per AI licence family.

A real copy differs from a reference text in ways nobody plans for (a copyright line, a changed
date, a licence of its own appended); these are the texts users' repositories hold. Every case
also checks the safety rule: never a more open answer than the text gives.
"""

from __future__ import annotations

import gzip
import json
import pathlib
import re

import pytest

from openness_gate.licenses import catalogue, identify

ROOT = pathlib.Path(__file__).resolve().parent.parent
STEWARD_TEXTS = ROOT / "bench" / "licence_texts"
SNAPSHOTS = ROOT / "tests" / "calibration" / "snapshots"
RESTRICTIVE = {"restricted-use", "non-commercial", "no-derivatives", "proprietary"}


def _snapshot_text(repo: str, path: str) -> str:
    doc = json.loads(gzip.decompress((SNAPSHOTS / f"{repo.replace('/', '__')}.json.gz").read_bytes()))
    return doc["texts"][path]


def _ids(text: str) -> list[str]:
    return [m.licence.id for m in identify(text)]


def _restrictions(text: str) -> set[str]:
    """The restrictive classes of what ``identify`` reports; 'unknown' counts as restrictive (not open)."""
    out: set[str] = set()
    for m in identify(text):
        out |= set(m.licence.classes) & RESTRICTIVE if m.known else {"unknown"}
    return out


def test_every_catalogue_entry_has_a_reference_text_or_says_why():
    raw = {e["id"]: e for e in json.loads((ROOT / "openness_gate" / "licenses" / "catalogue.json")
                                          .read_text(encoding="utf-8"))["licenses"]}
    printed = set(json.loads((ROOT / "openness_gate" / "licenses" / "fingerprints.json")
                             .read_text(encoding="utf-8"))["licenses"])
    for lic in catalogue.load():
        reason = raw[lic.id].get("no_text")
        if lic.is_family:
            assert lic.id not in printed and all(catalogue.by_id(m) for m in lic.members), lic.id
        elif lic.id in printed:
            assert not reason, f"{lic.id} has a reference text and a no_text reason"
        else:
            assert reason and len(reason) > 20, f"{lic.id}: no reference text and no no_text reason"


@pytest.mark.parametrize("path", sorted(STEWARD_TEXTS.glob("*.txt")), ids=lambda p: p.stem)
def test_steward_texts_are_identified_as_their_catalogue_entry(path):
    assert _ids(path.read_text(encoding="utf-8")) == [path.stem]


def test_every_steward_text_is_listed_with_its_source():
    sources = (STEWARD_TEXTS / "SOURCES.md").read_text(encoding="utf-8")
    for path in STEWARD_TEXTS.glob("*.txt"):
        assert f"`{path.name}`" in sources, path.name


# One real copy per AI licence family, as found in a labelled repository at its labelled commit.
REAL_COPIES = [
    # (family, repository, file, the licence ids the file holds, in order)
    ("OpenRAIL++-M (Stability SDXL 1.0)", "Stability-AI/generative-models", "model_licenses/LICENSE-SDXL1.0",
     ["openrail++"]),
    ("DeepSeek License Agreement", "deepseek-ai/DeepSeek-LLM", "LICENSE-MODEL", ["deepseek-license-1.0"]),
    ("DeepSeek License Agreement (Janus copy)", "deepseek-ai/Janus", "LICENSE-MODEL", ["deepseek-license-1.0"]),
    ("Apple ML Research Model licence", "apple/ml-mobileclip", "LICENSE_MODELS", ["apple-amlr"]),
    ("Creative Commons NC-ND for training data", "apple/ml-mobileclip", "LICENSE_DATA", ["CC-BY-NC-ND-4.0"]),
    ("Stability non-commercial community licence, its own newer edition",
     "Stability-AI/generative-models", "model_licenses/LICENSE-SV3D", ["unknown", "stabilityai-nc-research"]),
    # an earlier edition of the Stability NC licence (other grant wording): near, so unknown, never the NC one
    ("Stability non-commercial research licence, Nov 2023 edition", "Stability-AI/generative-models",
     "model_licenses/LICENCE-SD-Turbo", ["unknown"]),
    # a research licence built on the DeepFloyd IF agreement, with SDXL 0.9 terms: near, so unknown
    ("SDXL 0.9 research licence", "Stability-AI/generative-models", "model_licenses/LICENSE-SDXL0.9", ["unknown"]),
    ("ChatGLM model licence (Chinese text, not catalogued)", "THUDM/ChatGLM3", "MODEL_LICENSE", ["unknown"]),
    # Apache-2.0 followed by third-party notices and the full Tencent Hunyuan Community licence
    ("Apache-2.0 with an appended model licence", "hpcaitech/Open-Sora", "LICENSE", ["Apache-2.0", "unknown"]),
    # Apache-2.0 whose definition of "Source" form was rewritten: not Apache-2.0
    ("Apache-2.0 with a modified definition", "rasbt/LLMs-from-scratch", "LICENSE.txt", ["unknown", "Apache-2.0"]),
    # a composite: Apache-2.0 for the project, then third-party MIT, BSD and MPL-2.0 components
    ("Apache-2.0 with third-party licences", "TencentARC/GFPGAN", "LICENSE",
     ["Apache-2.0", "unknown", "MIT", "bsd", "BSD-3-Clause", "MPL-2.0"]),
    # LPIPS's BSD 2-Clause text, then pix2pix's and DCGAN's BSD 3-Clause: every phrase of the first is
    # one of BSD-3-Clause too, and it is still a licence of its own, not a quote of the last
    ("BSD-2-Clause above a BSD-3-Clause", "Stability-AI/generative-models",
     "sgm/modules/autoencoding/lpips/model/LICENSE", ["BSD-2-Clause", "BSD-3-Clause"]),
    # Apache-2.0, NVIDIA's BSD-3-Clause, Apache-2.0 again for Hugging Face code, then MIT: the second
    # Apache text is a copy of the first, not ECL-2.0 (an Apache variant it nearly covers)
    ("Apache-2.0 twice with third-party licences", "EleutherAI/gpt-neox", "LICENSE",
     ["Apache-2.0", "BSD-3-Clause", "MIT"]),
    # a source-file header ("governed by a BSD-style license that can be found in the LICENSE file")
    # pasted above the MIT text of vendored code: it points at that text, and names no BSD licence
    ("MIT under a header that points at it", "salesforce/LAVIS",
     "lavis/datasets/download_scripts/DownloadConceptualCaptions/LICENSE", ["MIT"]),
]


@pytest.mark.parametrize("family, repo, path, expected", REAL_COPIES, ids=[c[0] for c in REAL_COPIES])
def test_real_copies_in_labelled_repositories(family, repo, path, expected):
    text = _snapshot_text(repo, path)
    assert _ids(text) == expected
    if any(i == "unknown" or RESTRICTIVE & set(catalogue.by_id(i).classes) for i in expected):
        assert _restrictions(text), f"{family}: a restricted text must never come out unrestricted"


def test_the_llama_3_text_is_restricted_and_its_gemma_neighbour_is_not_confused():
    text = (STEWARD_TEXTS / "llama3.txt").read_text(encoding="utf-8")
    assert _ids(text) == ["llama3"]
    assert "restricted-use" in _restrictions(text)
    # the same text with a changed version line is still llama3, not a Llama 3.1 or another Llama
    assert _ids(text.replace("Meta Llama 3 Version Release Date: April 18, 2024",
                             "Meta Llama 3 Version Release Date: April 19, 2024")) == ["llama3"]


def test_a_restriction_appended_to_a_steward_text_is_reported():
    text = (STEWARD_TEXTS / "fair-noncommercial-research-license.txt").read_text(encoding="utf-8")
    extra = "\n\nADDITIONAL TERMS\n\nYou may not use the Research Materials for any military purpose.\n"
    assert _ids(text + extra)[0] == "fair-noncommercial-research-license"
    assert "unknown" in _ids(text + extra) or "restricted-use" in _restrictions(text + extra)


def test_the_cpython_licence_is_python_2_0_not_the_gpl_its_history_mentions():
    """A Python distribution committed with a project (krischien/yolov8-custom's conda environment)
    ships CPython's licence as LICENSE_PYTHON.txt: its history section says other software "is released
    under the GPL" and that 1.6.1 adds material "previously distributed under the GNU General Public
    License", which read as a GPL notice until the text itself was known. Newer releases shorten
    the PSF copyright line, as that copy does."""
    text = (STEWARD_TEXTS / "Python-2.0.txt").read_text(encoding="utf-8")
    newer = re.sub(r'Copyright \(c\) 2001, [\d,\s]+ Python Software Foundation;\s+All Rights Reserved" are retained in '
                   r"Python alone or in any derivative version\s+prepared by Licensee\.",
                   'Copyright (c) 2001-2024 Python Software Foundation; All Rights Reserved"\n'
                   "are retained in Python alone or in any derivative version prepared by Licensee.", text)
    assert newer != text
    assert _ids(newer) == ["Python-2.0"]
    assert not _restrictions(newer)
