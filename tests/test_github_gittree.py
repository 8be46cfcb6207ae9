"""The git-tree source: an Inventory of an older commit read from the history, not the work tree."""

from __future__ import annotations

import os

import pytest

from openness_gate.checker import check_inventory
from openness_gate.errors import UsageError
from openness_gate.sources import gittree, local

OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 12345678901\n"
CARD = "---\nlicense: apache-2.0\n---\n# Tiny model\n\nA model card.\n"


def _write(root, rel, text):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)


def test_base_commit_is_read_from_history_while_work_tree_moved_on(git_repo):
    root, commit = git_repo
    _write(root, "README.md", CARD)
    _write(root, "LICENSE", "Apache License\nVersion 2.0, January 2004\n")
    _write(root, "model.safetensors", POINTER)
    base = commit("base")
    os.remove(root / "README.md")
    _write(root, "LICENSE", "changed later\n")
    commit("head")

    inv = gittree.load(str(root), base)
    assert [f.path for f in inv] == ["LICENSE", "README.md", "model.safetensors"]
    assert inv.target.revision == base
    assert inv.text("README.md") == CARD  # content of the base commit, though deleted since
    assert "Apache License" in inv.text("LICENSE")
    weights = inv.get("model.safetensors")
    assert weights.is_lfs_pointer and weights.size == 12345678901
    assert inv.read_text("model.safetensors").text is None  # weight files are never opened


def test_base_and_work_tree_give_the_same_findings_for_the_same_content(git_repo):
    root, commit = git_repo
    _write(root, "README.md", CARD)
    _write(root, "LICENSE", "Apache License\nVersion 2.0, January 2004\n")
    _write(root, "eval/run_eval.py", "import lm_eval\n")
    sha = commit()
    from_tree = check_inventory(gittree.load(str(root), sha), "minimal")
    from_disk = check_inventory(local.load(str(root)), "minimal")
    assert [(f.component, f.status) for f in from_tree.components] == \
        [(f.component, f.status) for f in from_disk.components]
    assert from_tree.policy.score == from_disk.policy.score


def test_symlinks_and_submodules_in_the_commit_are_skipped_with_a_reason(git_repo):
    root, commit = git_repo
    _write(root, "README.md", CARD)
    os.symlink("/etc/passwd", root / "leak.md")
    sha = commit()
    inv = gittree.load(str(root), sha)
    assert "leak.md" not in inv
    assert [(s.path, s.reason) for s in inv.skipped] == [("leak.md", "symlink in the commit; not followed")]


def test_a_subfolder_is_listed_relative_to_itself_and_may_not_exist_at_base(git_repo):
    root, commit = git_repo
    _write(root, "other.txt", "x\n")
    base = commit()
    _write(root, "models/tiny/README.md", CARD)
    head = commit()
    sub = str(root / "models" / "tiny")
    assert [f.path for f in gittree.load(sub, head)] == ["README.md"]
    assert len(gittree.load(sub, base)) == 0


def test_unknown_revision_is_a_usage_error_with_a_hint(git_repo):
    root, commit = git_repo
    commit()
    with pytest.raises(UsageError, match="not in the local git history.*fetch-depth: 0"):
        gittree.load(str(root), "0123456789abcdef0123456789abcdef01234567")
    with pytest.raises(UsageError, match="not a git revision"):
        gittree.load(str(root), "--output=/tmp/x")


def test_reads_are_capped_and_only_listed_paths_can_be_read(git_repo):
    root, commit = git_repo
    _write(root, "big.md", "a" * 5000)
    sha = commit()
    inv = gittree.load(str(root), sha, text_cap=1000)
    read = inv.read_text("big.md")
    assert read.truncated and len(read.text) == 1000
    assert inv.read_text("../../etc/passwd").text is None
    with pytest.raises(Exception, match="not a file of this commit"):
        inv.reader.read_bytes(".git/config", 100)


def test_many_small_reads_and_a_large_blob_stay_in_step(git_repo):
    root, commit = git_repo
    for i in range(50):
        _write(root, f"notes/n{i}.md", f"note {i}\n" * (i + 1))
    _write(root, "data/huge.jsonl", '{"text": "x"}\n' * 400_000)  # 5.6 MB: streamed, stopped at the cap
    sha = commit()
    inv = gittree.load(str(root), sha, text_cap=4096)
    for i in reversed(range(50)):
        assert inv.text(f"notes/n{i}.md") == f"note {i}\n" * (i + 1)
    huge = inv.read_text("data/huge.jsonl")
    assert huge.truncated and huge.text == ('{"text": "x"}\n' * 400)[:4096]
    assert inv.get("data/huge.jsonl").size == 5_600_000
    assert inv.text("notes/n3.md") == "note 3\n" * 4
