"""The fixture corpus: small repositories modelled on real model projects, each with the statuses a
careful reviewer assigns to all 30 components (``expected.yml``). Every detector runs on every one.

``python tests/test_detectors_corpus.py`` prints per-component precision and recall over the corpus.
A status counts as a true positive only when it is exactly the expected one (present/partial/linked).
"""

from __future__ import annotations

import pathlib
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from openness_gate import detectors, policy, taxonomy  # noqa: E402
from openness_gate.sources import local  # noqa: E402

CORPUS = ROOT / "fixtures" / "repos"
REPOS = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yml").is_file()) if CORPUS.is_dir() else []


def expected_of(name: str) -> dict:
    return yaml.safe_load((CORPUS / name / "expected.yml").read_text(encoding="utf-8"))


def run_repo(name: str) -> dict:
    inv = local.load(str(CORPUS / name))
    return {f.component: f for f in detectors.run(inv, policy.repo_config(inv))}


def test_corpus_is_large_and_complete():
    assert len(REPOS) >= 25
    for name in REPOS:
        doc = expected_of(name)
        assert set(doc["expected"]) == {c.id for c in taxonomy.COMPONENTS}, name
        assert set(doc["expected"].values()) <= set(taxonomy.STATUSES), name
        assert doc.get("description"), name


@pytest.mark.parametrize("name", REPOS)
def test_fixture_repository_statuses(name):
    doc = expected_of(name)
    known = doc.get("known_misses") or {}
    got = run_repo(name)
    wrong = []
    for cid, want in doc["expected"].items():
        f = got[cid]
        if f.status != want and cid not in known:
            why = "; ".join(f"{e.path}:{e.line} {e.reason}" for e in f.evidence[:2])
            wrong.append(f"{cid}: expected {want}, got {f.status} ({why})")
        if f.status != "missing":
            assert f.evidence and all(e.reason for e in f.evidence), cid
    assert not wrong, f"{name}:\n  " + "\n  ".join(wrong)


def scores() -> dict[str, tuple[int, int, int]]:
    """component → (true positives, false positives, false negatives) over the whole corpus."""
    out = {c.id: [0, 0, 0] for c in taxonomy.COMPONENTS}
    for name in REPOS:
        want = expected_of(name)["expected"]
        got = run_repo(name)
        for cid, exp in want.items():
            status = got[cid].status
            if exp != "missing" and status == exp:
                out[cid][0] += 1
            else:
                if status != "missing":
                    out[cid][1] += 1
                if exp != "missing":
                    out[cid][2] += 1
    return {k: tuple(v) for k, v in out.items()}  # type: ignore[misc]


def main() -> None:
    print(f"{len(REPOS)} repositories")
    print(f"{'component':<30} {'TP':>3} {'FP':>3} {'FN':>3} {'precision':>9} {'recall':>7}")
    tot = [0, 0, 0]
    for cid, (tp, fp, fn) in scores().items():
        tot = [tot[0] + tp, tot[1] + fp, tot[2] + fn]
        p = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        r = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        print(f"{cid:<30} {tp:>3} {fp:>3} {fn:>3} {p:>9} {r:>7}")
    tp, fp, fn = tot
    print(f"{'all':<30} {tp:>3} {fp:>3} {fn:>3} {tp / (tp + fp):>9.2f} {tp / (tp + fn):>7.2f}")


if __name__ == "__main__":
    main()
