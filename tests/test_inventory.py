"""The inventory: listing (git and plain walk), LFS pointers, safe capped text reads, hostile files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import run_cli
from openness_gate.inventory import decode_text, parse_lfs_pointer
from openness_gate.sources import local

OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 12345678901\n"


def _write(root, rel, data):
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.write_bytes if isinstance(data, bytes) else path.write_text)(data)
    return path


def test_git_listing_honours_gitignore_and_includes_untracked(git_repo):
    root, commit = git_repo
    _write(root, ".gitignore", "*.log\nwandb/\n")
    _write(root, "train.py", "print('train')\n")
    commit()
    _write(root, "notes.md", "untracked but not ignored\n")
    _write(root, "run.log", "ignored\n")
    _write(root, "wandb/run-1/files.txt", "ignored\n")
    inv = local.load(str(root))
    assert [f.path for f in inv] == [".gitignore", "notes.md", "train.py"]
    assert inv.target.revision and len(inv.target.revision) == 40


def test_walked_folder_is_listed_in_path_order_with_each_folders_files(tmp_path):
    """A folder without git is walked folder by folder; the inventory still holds its files in path
    order (lookups bisect it) and answers each folder's files. Names a folder-first walk puts in
    the wrong place: 'a.txt' and 'a-b/' sort before 'a/', 'a/x.py' before 'a/x/', 'a b' first."""
    names = ["a.txt", "a-b/q.md", "a/x.py", "a/x/deep/w.py", "a/x-y/z.json", "a/x0", "a b/s.md", "ab", "Z/u",
             "_/v", "a.b/r", "a/1", "b"]
    for rel in names:
        _write(tmp_path, rel, "x\n")
    os.symlink("../a.txt", tmp_path / "a/link.txt")  # a symlink to a file inside the root: listed too
    inv = local.load(str(tmp_path))
    listed = [f.path for f in inv]
    assert listed == sorted(names + ["a/link.txt"])
    assert all(inv.get(p) is not None for p in listed)
    assert {d: [f.path for f in files] for d, files in inv.by_directory.items()} == {
        "": ["a.txt", "ab", "b"], "Z": ["Z/u"], "_": ["_/v"], "a": ["a/1", "a/link.txt", "a/x.py", "a/x0"],
        "a b": ["a b/s.md"], "a-b": ["a-b/q.md"], "a.b": ["a.b/r"], "a/x-y": ["a/x-y/z.json"],
        "a/x/deep": ["a/x/deep/w.py"]}


def test_untracked_names_that_look_like_index_entries_are_listed_as_they_are(git_repo):
    """git lists untracked files and index entries in one stream; a name holding a tab must not
    be taken for an index entry."""
    root, commit = git_repo
    _write(root, "model/README.md", "tracked\n")
    commit()
    _write(root, "notes\tdraft.md", "untracked, with a tab in its name\n")
    _write(root, "zz.txt", "untracked\n")
    inv = local.load(str(root))
    assert [f.path for f in inv] == ["model/README.md", "notes\tdraft.md", "zz.txt"]
    assert inv.get("notes\tdraft.md").size == len("untracked, with a tab in its name\n")
    assert inv.skipped == []


def _conflict(root, commit, rel: str) -> str:
    """Leave ``rel`` in a merge conflict (the index holds it at stages 1, 2 and 3); returns the
    index listing as ``ls-files -z --stage`` prints it."""
    git = ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    _write(root, rel, "base\n")
    commit()
    subprocess.run(git + ["checkout", "-q", "-b", "other"], check=True)
    _write(root, rel, "theirs\n")
    commit()
    subprocess.run(git + ["checkout", "-q", "-"], check=True)
    _write(root, rel, "ours\n")
    commit()
    assert subprocess.run(git + ["merge", "-q", "other"], capture_output=True).returncode != 0
    stages = subprocess.run(git + ["ls-files", "-z", "--stage"], capture_output=True, text=True, check=True).stdout
    assert stages.count(rel) == 3
    return stages


def test_file_in_a_merge_conflict_is_listed_once(git_repo):
    root, commit = git_repo
    _conflict(root, commit, "README.md")
    inv = local.load(str(root))
    assert [f.path for f in inv] == ["README.md"]
    assert "<<<<<<<" in inv.read_text("README.md").text


def test_a_symlink_as_the_first_index_entry_and_a_conflicted_path_holding_a_stage_and_a_tab(git_repo):
    """The index listing is judged with counts and one search before any per-entry work: a symlink
    that is the very first entry (no separator before it) and a merge conflict on a path holding
    " 0<tab>" (so that neither tabs nor stage-0 marks count entries) are each still seen."""
    root, commit = git_repo
    _write(root, "docs/LICENSE.txt", "MIT\n")
    os.symlink("docs/LICENSE.txt", root / "0-licence")  # sorts before every other entry
    stages = _conflict(root, commit, "notes 0\tdraft.md")
    assert stages.startswith("120000 ") and stages.count("120000 ") == 1
    inv = local.load(str(root))
    assert [f.path for f in inv] == ["0-licence", "docs/LICENSE.txt", "notes 0\tdraft.md"]
    assert inv.get("0-licence").size == len("MIT\n")  # classified as a symlink: the target's size


def test_a_tracked_symlink_further_down_the_index_is_classified(git_repo):
    root, commit = git_repo
    _write(root, "a.txt", "a\n")
    os.symlink("/etc/hostname", root / "z-out")  # leaves the root
    commit()
    inv = local.load(str(root))
    assert [f.path for f in inv] == ["a.txt"]
    assert [(s.path, s.reason) for s in inv.skipped] == [("z-out", "symlink to a target outside the repository; not followed")]


def test_deleted_tracked_file_is_reported_when_looked_at(git_repo):
    """Sizes of tracked files are looked up lazily (one lstat per file is the cost of a big
    repository), so a file deleted but not committed is found out when it is looked at."""
    root, commit = git_repo
    _write(root, "a.txt", "a")
    _write(root, "b.txt", "b")
    commit()
    (root / "b.txt").unlink()
    inv = local.load(str(root))
    assert [f.path for f in inv] == ["a.txt", "b.txt"]
    read = inv.read_text("b.txt")
    assert read.text is None and "missing from the work tree" in read.note
    assert inv.get("b.txt").size == 0
    assert [(s.path, s.reason) for s in inv.skipped] == [("b.txt", "listed by git but missing from the work tree")]


def test_plain_walk_skips_only_git_metadata_and_says_so(tmp_path):
    _write(tmp_path, "README.md", "# hi\n")
    _write(tmp_path, "vendor/lib/.git/HEAD", "ref: refs/heads/main\n")
    _write(tmp_path, "vendor/lib/x.py", "x = 1\n")
    _write(tmp_path, "node_modules/y.js", "y\n")  # nothing else is ignored silently
    inv = local.load(str(tmp_path))
    assert [f.path for f in inv] == ["README.md", "node_modules/y.js", "vendor/lib/x.py"]
    assert [s.path for s in inv.skipped] == ["vendor/lib/.git"]
    assert inv.target.revision is None


def test_lfs_pointer_carries_real_size_and_is_never_read_as_text(tmp_path):
    _write(tmp_path, ".gitattributes", "*.safetensors filter=lfs diff=lfs merge=lfs -text\ndata/** filter=lfs\n")
    _write(tmp_path, "model.safetensors", POINTER)
    _write(tmp_path, "data/train.jsonl", POINTER)
    _write(tmp_path, "notes.txt", POINTER)  # not routed through LFS and not a weight: an ordinary text file
    inv = local.load(str(tmp_path))
    model, data, notes = inv.get("model.safetensors"), inv.get("data/train.jsonl"), inv.get("notes.txt")
    assert model.is_lfs_pointer and model.size == 12345678901 and model.lfs_oid == f"sha256:{OID}"
    assert data.is_lfs_pointer and data.size == 12345678901
    assert not notes.is_lfs_pointer and notes.size == len(POINTER)
    assert inv.read_text("data/train.jsonl").text is None
    assert "LFS pointer" in inv.read_text("data/train.jsonl").note


@pytest.mark.parametrize("data, expected", [
    (POINTER.encode(), (f"sha256:{OID}", 12345678901)),
    (POINTER.replace("git-lfs.github.com", "hawser.github.com").encode(), (f"sha256:{OID}", 12345678901)),
    (POINTER.replace("size 12345678901", "size lots").encode(), None),
    (POINTER.replace(OID, OID[:20]).encode(), None),
    (b"version 1\n", None),
    (POINTER.encode() + b"x" * 2000, None),
])
def test_parse_lfs_pointer(data, expected):
    assert parse_lfs_pointer(data) == expected


def test_weight_files_are_never_opened(tmp_path):
    _write(tmp_path, "model.safetensors", b"\x08\x00\x00\x00\x00\x00\x00\x00{}      " + b"\x00" * 4096)
    inv = local.load(str(tmp_path))
    read = inv.read_text("model.safetensors")
    assert read.text is None and "never opened" in read.note


def test_symlink_out_of_the_root_is_reported_and_never_read(tmp_path):
    repo = tmp_path / "repo"
    _write(repo, "README.md", "# model\n")
    os.symlink("/etc/passwd", repo / "LICENSE")
    os.symlink("../../outside.md", repo / "MODEL_CARD.md")
    (tmp_path / "outside.md").write_text("---\nlicense: mit\n---\n# secret card\n")
    inv = local.load(str(repo))
    assert [f.path for f in inv] == ["README.md"]
    assert {s.path: s.reason for s in inv.skipped}.keys() == {"LICENSE", "MODEL_CARD.md"}
    assert all("outside the repository" in s.reason for s in inv.skipped)
    # even asked directly, the reader refuses
    from openness_gate.inventory import ReadError

    with pytest.raises(ReadError):
        inv.reader.read_bytes("LICENSE", 100)
    proc = run_cli("check", str(repo), "--format", "json")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    assert "root:" not in proc.stdout and "secret card" not in proc.stdout
    report = json.loads(proc.stdout)
    assert {s["path"] for s in report["inventory"]["skipped"]} == {"LICENSE", "MODEL_CARD.md"}
    licence = next(c for c in report["components"] if c["id"] == "distribution.license")
    assert licence["status"] == "missing"


def test_symlink_inside_the_root_is_followed(tmp_path):
    _write(tmp_path, "docs/LICENSE.txt", "MIT License\n\nPermission is hereby granted, free of charge\n")
    os.symlink("docs/LICENSE.txt", tmp_path / "LICENSE")
    inv = local.load(str(tmp_path))
    assert inv.get("LICENSE").size == (tmp_path / "docs/LICENSE.txt").stat().st_size
    assert inv.text("LICENSE").startswith("MIT License")


def test_a_folder_that_is_a_symlink_is_followed_only_inside_the_root(tmp_path):
    """Folders are resolved step by step from their parent: a symlinked folder is followed only to a
    place inside the root, however deep the file under it."""
    from openness_gate.inventory import ReadError

    repo, outside = tmp_path / "repo", tmp_path / "outside"
    _write(repo, "docs/deep/LICENSE", "MIT License\n")
    _write(repo, "real/deep/LICENSE", "Apache License\n")
    _write(outside, "deep/LICENSE", "secret\n")
    inv = local.load(str(repo))
    assert inv.reader.read_bytes("docs/deep/LICENSE", 100) == b"MIT License\n"  # resolves docs/ and docs/deep/
    (repo / "docs/deep/LICENSE").unlink()
    (repo / "docs/deep").rmdir()
    (repo / "docs").rmdir()
    os.symlink(str(outside), repo / "docs")  # the same paths now lead out of the root
    fresh = local.load(str(tmp_path / "repo"))
    with pytest.raises(ReadError, match="outside the repository"):
        fresh.reader.read_bytes("docs/deep/LICENSE", 100)
    os.unlink(repo / "docs")
    os.symlink("real", repo / "docs")  # and now to a folder inside it
    again = local.load(str(repo))
    assert again.reader.read_bytes("docs/deep/LICENSE", 100) == b"Apache License\n"


def test_fifo_is_reported_and_does_not_hang(tmp_path):
    _write(tmp_path, "README.md", "# x\n")
    os.mkfifo(tmp_path / "LICENSE")
    inv = local.load(str(tmp_path))
    assert [s.path for s in inv.skipped] == ["LICENSE"] and "not a regular file" in inv.skipped[0].reason


def test_huge_readme_is_read_capped_and_check_completes(tmp_path):
    card = "---\nlicense: apache-2.0\n---\n# Model Card\n\n## Uses\n\n" + ("All work and no play. " * 40 + "\n") * 60_000
    _write(tmp_path, "README.md", card)
    assert (tmp_path / "README.md").stat().st_size > 50_000_000
    inv = local.load(str(tmp_path))
    read = inv.read_text("README.md")
    assert read.truncated and len(read.text) == 1 << 20 and "truncated" in read.note
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    card_finding = next(c for c in json.loads(proc.stdout)["components"] if c["id"] == "docs.model_card")
    assert card_finding["status"] != "missing"
    assert any("truncated" in e["reason"] for e in card_finding["evidence"])


def test_text_cap_is_configurable(tmp_path):
    _write(tmp_path, "NOTES.md", "x" * 5000)
    inv = local.load(str(tmp_path), text_cap=1000)
    assert len(inv.text("NOTES.md")) == 1000


def test_binary_model_card_is_not_parsed(tmp_path):
    _write(tmp_path, "MODEL_CARD.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 10)
    inv = local.load(str(tmp_path))
    assert inv.read_text("MODEL_CARD.md").text is None
    assert "binary" in inv.read_text("MODEL_CARD.md").note
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    card = next(c for c in json.loads(proc.stdout)["components"] if c["id"] == "docs.model_card")
    assert card["status"] == "missing"
    assert any("binary" in e["reason"] and e["path"] == "MODEL_CARD.md" for e in card["evidence"])


def test_invalid_utf8_licence_is_decoded_with_replacement(tmp_path):
    text = "MIT License\n\nCopyright (c) 2024 J\xf6rg \xff\xfe Example\n\nPermission is hereby granted, free of charge\n"
    _write(tmp_path, "LICENSE", text.encode("latin-1"))
    inv = local.load(str(tmp_path))
    read = inv.read_text("LICENSE")
    assert "\ufffd" in read.text and "invalid UTF-8" in read.note
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr
    licence = next(c for c in json.loads(proc.stdout)["components"] if c["id"] == "distribution.license")
    assert licence["status"] == "present"


@pytest.mark.parametrize("data, text, note", [
    (b"\xef\xbb\xbfhello", "hello", None),
    ("h\u00e9llo".encode("utf-16"), "h\u00e9llo", "decoded from UTF-16"),
    (b"ab\x00cd", None, "binary content (NUL bytes), not read as text"),
])
def test_decode_text(data, text, note):
    assert decode_text(data) == (text, note)


def test_submodule_is_reported(git_repo, tmp_path_factory):
    root, commit = git_repo
    sub = tmp_path_factory.mktemp("sub")
    subprocess.run(["git", "init", "-q", str(sub)], check=True)
    _write(sub, "x.txt", "x")
    subprocess.run(["git", "-C", str(sub), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(sub), "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub),
                    "third_party/sub"], check=True, capture_output=True)
    commit()
    inv = local.load(str(root))
    assert any(s.path == "third_party/sub" and "submodule" in s.reason for s in inv.skipped)


def test_file_name_that_is_not_utf8_is_reported(tmp_path):
    _write(tmp_path, "README.md", "# hi\n")
    with open(os.path.join(os.fsencode(tmp_path), b"model\xff.safetensors"), "wb") as fh:
        fh.write(b"\0" * 2048)
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    skipped = json.loads(proc.stdout)["inventory"]["skipped"]
    assert [s["reason"] for s in skipped] == ["file name is not valid UTF-8; not inspected"]
    assert skipped[0]["path"] == "model\ufffd.safetensors"


def _counting_reads(inv) -> list[tuple[str, int]]:
    """The (path, limit) of every read ``inv`` makes from now on."""
    reads: list[tuple[str, int]] = []
    real = inv.reader.read_bytes

    class Counting:
        def read_bytes(self, path, limit):
            reads.append((path, limit))
            return real(path, limit)

    inv.reader = Counting()
    return reads


def test_a_file_is_read_once_whatever_caps_detectors_ask_for(tmp_path):
    _write(tmp_path, "README.md", "# card\n" + "x" * 5000)
    inv = local.load(str(tmp_path))
    reads = _counting_reads(inv)
    whole = inv.read_text("README.md")
    short = inv.read_text("README.md", 100)
    assert reads == [("README.md", (1 << 20) + 1)]
    assert short.truncated and short.text == whole.text[:100] and not whole.truncated


def test_a_read_not_kept_is_recorded_but_holds_no_memory(tmp_path):
    """The code detector reads 300 script heads once each (keep=False): nothing of them stays in the
    inventory, yet the head read is reported as a kept read's is, and a later read reads again."""
    _write(tmp_path, "train.py", "import torch\n" + "x = 1\n" * 2000)
    inv = local.load(str(tmp_path))
    reads = _counting_reads(inv)
    head = inv.read_text("train.py", 100, keep=False)
    assert head.truncated and head.text.startswith("import torch\n") and len(head.text) == 100
    assert not inv._texts and not inv._raw  # nothing kept
    assert inv.partial == {"train.py": "read the first 100 bytes of 12013 (size cap)"}
    again = inv.read_text("train.py", 100)
    assert again.text == head.text and reads == [("train.py", 101), ("train.py", 101)]
    assert inv.read_text("train.py", 100, keep=False) is again  # a kept read serves it


def test_what_a_check_read_is_known_after_it_whatever_process_read_it(tmp_path):
    """bench/calibration_snapshot.py keeps, for CI's calibration test, the bytes a check read. Those
    bytes are not all in the inventory (the code detector keeps none, and in a split check half the
    reads happen in the other process), so what was read, and how much, comes from the read state:
    every script the code detector read is there, a long one with the head its cap allowed."""
    from openness_gate import detectors, policy
    from openness_gate.detectors.code import CONTENT_CAP

    _write(tmp_path, "README.md", "# A model\n")
    _write(tmp_path, "train.py", "import torch\nloss.backward()\n" + "x = 1\n" * (CONTENT_CAP // 6 + 10))
    for i in range(24):  # enough files for the detectors to share two processes where they can
        _write(tmp_path, f"scripts/eval_{i:02d}.py", "from lm_eval import simple_evaluate\n")
    inv = local.load(str(tmp_path))
    detectors.run(inv, policy.repo_config(inv))
    extent = inv.read_extent()
    assert extent["train.py"] == CONTENT_CAP
    assert all(extent[f"scripts/eval_{i:02d}.py"] is None for i in range(24))  # each read whole
    assert list(extent) == sorted(extent)


# --- content read in part: the report says which files were judged on a head or on a name only

def _not_read(report: dict) -> dict[str, str]:
    """Every file the report says was read in part or not at all, with why: under ``partial``, or
    under ``incomplete`` where a component it could have raised stayed short of present."""
    return {p["path"]: p["reason"] for p in report["inventory"]["partial"] + report["inventory"]["incomplete"]}


def test_a_head_read_and_a_spent_read_budget_are_reported(tmp_path):
    from openness_gate.detectors.code import CONTENT_CAP, MAX_CONTENT_READS

    big = "import torch\n" + "x = 1  # filler\n" * (CONTENT_CAP // 10)
    _write(tmp_path, "train.py", big)
    for i in range(MAX_CONTENT_READS + 5):
        _write(tmp_path, f"scripts/finetune_{i:03d}.sh", "python train.py\n")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    partial = _not_read(json.loads(proc.stdout))
    assert partial["train.py"] == f"read the first {CONTENT_CAP} bytes of {len(big)} (size cap)"
    unread = [p for p, why in partial.items() if why.startswith("content not read")]
    assert len(unread) == 6 and all(p.startswith("scripts/finetune_") for p in unread)  # 306 candidates, 300 read
    text = run_cli("check", str(tmp_path)).stdout
    # no inference code was found in the 300 read: the 6 left might hold some, so the verdict says
    # it may be wrong, and lists them there rather than among the files read in part
    assert "Content read in part: 1 file(s) by their head (size caps). Listed" in text
    assert "a fault kept 6 file(s) or folder(s) from being read; the status of " in text


@pytest.mark.parametrize("files, budget, reason", [
    # NeMo Guardrails configs (``config.yml`` in a config folder) that define no rails: all are read, up to 40
    ([f"rails/bot_{i:02d}/config.yml" for i in range(43)], 40,
     "content not read: the guardrails detector reads at most 40 guardrail configurations"),
    # prompt files that might hold a Llama-Guard style hazard taxonomy
    ([f"prompts/guard_{i:02d}.txt" for i in range(42)], 40,
     "content not read: the guardrails detector reads at most 40 candidate safeguard prompts"),
    # chat templates read for a default system prompt
    ([f"templates/chat_template_{i:02d}.jinja" for i in range(12)], 10,
     "content not read: the guardrails detector reads at most 10 chat templates"),
    # per-model folders whose READMEs could be model cards (the root README is read first: 29 of them)
    ([f"models/m{i:02d}/README.md" for i in range(33)], 29,
     "content not read: at most 30 candidate model cards are read"),
    # licence files of the project, and of vendored code
    ([f"licenses/LICENSE-part{i:02d}" for i in range(43)], 40,
     "content not read: the licence detector reads at most 40 licence files"),
    ([f"third_party/lib{i:02d}/LICENSE" for i in range(22)], 20,
     "content not read: the licence detector reads at most 20 licence files of vendored code"),
    # sharded-weights indexes (one per model size), read for their shard lists
    ([f"{size}/model.safetensors.index.json" for size in ("1b", "3b", "7b", "13b", "70b")], 3,
     "content not read: the weights detector reads at most 3 sharded-weights indexes"),
    # PEFT adapters shipped with their configs
    ([f"adapters/{task}/adapter_config.json" for task in ("chat", "code", "math", "sql")], 2,
     "content not read: the weights detector reads at most 2 adapter configs"),
])
def test_every_read_budget_lists_the_files_it_left_unread(tmp_path, files, budget, reason):
    """Each detector budget that stops before a file's content says so in the report, as the code
    detector's does: the verdict on that component may rest on the files not read."""
    _write(tmp_path, "README.md", "# A project\n")
    for rel in files:
        _write(tmp_path, rel, f"nothing that counts here ({rel})\n")  # no two alike: copies spend no budget
        if rel.startswith("models/"):
            _write(tmp_path, rel.replace("README.md", "config.json"), "{}\n")  # a per-model folder
        if rel.endswith("adapter_config.json"):  # the adapter's weights beside its config
            _write(tmp_path, rel.replace("adapter_config.json", "adapter_model.safetensors"), "x" * 8192)
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    partial = _not_read(json.loads(proc.stdout))
    unread = sorted(p for p, why in partial.items() if why == reason)
    assert unread == sorted(files)[budget:]


#: the chat template a Gemma QLoRA run writes into every checkpoint folder (i-am-mushfiq/FirstAidQA-gemma2b-QLoRA
#: commits 42 of them): no system role, so no default system prompt
GEMMA_TEMPLATE = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}"
    "{% endif %}{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}"
    "{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + '\n' + message['content'] "
    "| trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}\n")


def test_a_read_budget_that_leaves_a_component_short_of_present_makes_the_verdict_incomplete(tmp_path):
    """Checkpoint folders each with a chat template, no two alike (runs stamped with their own
    settings): ten are read, none has a system prompt, so the component is ``partial``; the two
    left unread might have one. The verdict says it may be wrong (DESIGN: a budget that stops a
    read makes the verdict incomplete), never silently."""
    _write(tmp_path, "README.md", "# FirstAidQA: Gemma-2B fine-tuned with QLoRA\n")
    runs = [f"experiments/run_{i:02d}/checkpoint-{200 * (i + 1)}/chat_template.jinja" for i in range(12)]
    for i, rel in enumerate(runs):
        _write(tmp_path, rel, GEMMA_TEMPLATE + f"{{# run {i:02d} #}}\n")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    report = json.loads(proc.stdout)
    prompt = next(c for c in report["components"] if c["id"] == "guardrails.system_prompt")
    assert prompt["status"] == "partial" and prompt["unread"] == runs[10:]
    assert report["incomplete"] is True
    assert {s["path"]: s["reason"] for s in report["inventory"]["incomplete"]} == dict.fromkeys(
        runs[10:], "content not read: the guardrails detector reads at most 10 chat templates")
    text = run_cli("check", str(tmp_path)).stdout
    assert "Incomplete verdict: a read budget or size limit, a cut listing or a fault kept 2 file(s)" in text
    assert run_cli("check", str(tmp_path), "--fail-on-incomplete").returncode == 1


#: the tokenizer config the same runs write beside it (trimmed to its keys that matter here)
GEMMA_TOKENIZER_CONFIG = json.dumps({"add_bos_token": True, "bos_token": "<bos>", "eos_token": "<eos>",
                                     "model_max_length": 1000000000000000019884624838656,
                                     "tokenizer_class": "GemmaTokenizer"}, indent=2) + "\n"
#: a card the PEFT library writes into each checkpoint folder: front matter, then the empty template
PEFT_CARD = ("---\nbase_model: google/gemma-2b-it\nlibrary_name: peft\n---\n\n# Model Card for Model ID\n\n"
             "## Model Details\n\n### Model Description\n\n- **Developed by:** [More Information Needed]\n\n"
             "## Uses\n\n[More Information Needed]\n\n### Framework versions\n\n- PEFT 0.17.1\n")


def test_copies_of_a_file_judged_spend_no_read_budget(tmp_path):
    """i-am-mushfiq/FirstAidQA-gemma2b-QLoRA commits 42 checkpoint folders, each with the same chat
    template, tokenizer config and PEFT card. Each copy says what the first one said: they are
    judged without spending the budgets (ten templates, forty safeguard prompts, thirty cards), so
    the project's own prompts after them are read, and no budget leaves the verdict open."""
    _write(tmp_path, "README.md", "# FirstAidQA: Gemma-2B fine-tuned with QLoRA\n")
    runs = [f"experiments/run_{i:02d}/checkpoint-{200 * (i + 1)}" for i in range(42)]
    for run in runs:
        _write(tmp_path, f"{run}/chat_template.jinja", GEMMA_TEMPLATE)
        _write(tmp_path, f"{run}/tokenizer_config.json", GEMMA_TOKENIZER_CONFIG)
        _write(tmp_path, f"{run}/README.md", PEFT_CARD)
        _write(tmp_path, f"{run}/adapter_model.safetensors", "x" * 8192)
    # a judge prompt of the project, after the checkpoints in path order, holding a hazard taxonomy
    _write(tmp_path, "judging/prompt_safety.txt", "Check the answer against our policy.\n\n"
                                                  "<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes.\n"
                                                  "<END UNSAFE CONTENT CATEGORIES>\n")
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    status = {c["id"]: c for c in report["components"]}
    assert status["guardrails.safety_classifier"]["status"] == "present"
    assert [e["path"] for e in status["guardrails.safety_classifier"]["evidence"]] == ["judging/prompt_safety.txt"]
    assert status["guardrails.system_prompt"]["status"] == "partial"
    card = status["docs.model_card"]
    assert card["status"] == "partial" and "chosen as primary over 41 other card(s)" in card["evidence"][0]["reason"]
    assert report["incomplete"] is False and report["inventory"]["incomplete"] == []
    assert not {s["path"] for s in report["inventory"]["partial"]} & {f"{run}/README.md" for run in runs}


def test_a_copy_is_a_file_with_the_same_name_and_the_same_bytes(tmp_path):
    """Only bytes make a copy: a template of the same name and size that differs (a default system
    prompt in place of the refusal) is judged on its own, and so is the same template under
    another name; a copy is recorded as read whole."""
    from openness_gate.detectors._common import ReadBudget

    refusal = "System role not supported"
    persona = "You are a first-aid helper"[:len(refusal)]
    changed = GEMMA_TEMPLATE.replace(refusal, persona)
    assert len(changed) == len(GEMMA_TEMPLATE) and changed != GEMMA_TEMPLATE
    _write(tmp_path, "a/chat_template.jinja", GEMMA_TEMPLATE)
    _write(tmp_path, "b/chat_template.jinja", GEMMA_TEMPLATE)
    _write(tmp_path, "c/chat_template.jinja", changed)
    _write(tmp_path, "d/template.jinja", GEMMA_TEMPLATE)
    inv = local.load(str(tmp_path))
    assert inv.text("a/chat_template.jinja") == GEMMA_TEMPLATE
    rest = ["b/chat_template.jinja", "c/chat_template.jinja", "d/template.jinja"]
    assert [p for p in rest if inv.is_copy(p, "a/chat_template.jinja")] == ["b/chat_template.jinja"]
    assert "b/chat_template.jinja" not in inv.partial and "c/chat_template.jinja" not in inv.partial

    budget = ReadBudget(inv, 1)
    judged = [p for p in ["a/chat_template.jinja"] + rest if budget.take(p) and inv.text(p) is not None]
    assert judged == ["a/chat_template.jinja", "b/chat_template.jinja"]
    assert budget.unread == ["c/chat_template.jinja", "d/template.jinja"]
    # what was found in the first holds for its copy: a detector need not search the same bytes again
    assert [budget.original(p) for p in judged] == ["a/chat_template.jinja", "a/chat_template.jinja"]
    assert budget.original("c/chat_template.jinja") == "c/chat_template.jinja"


def test_a_component_lists_the_first_hundred_files_that_may_make_it_wrong_and_counts_them_all(tmp_path):
    """A large tree's budget leaves thousands unread for one component (salesforce/LAVIS: 248 scripts
    for a safety classifier; 50k in a 100k-file tree). The component names the first 100 and how many;
    inventory.incomplete has each one, once, with its reason (not again under partial)."""
    prompts = [f"prompts/guard_{i:03d}.txt" for i in range(170)]
    for rel in prompts:
        _write(tmp_path, rel, "You are a helpful assistant.\n")
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    classifier = next(c for c in report["components"] if c["id"] == "guardrails.safety_classifier")
    assert classifier["status"] == "missing"
    assert classifier["unread"] == prompts[40:140] and classifier["unread_count"] == 130
    assert [s["path"] for s in report["inventory"]["incomplete"]] == prompts[40:]
    assert not {s["path"] for s in report["inventory"]["partial"]} & set(prompts)


def test_a_read_budget_beside_a_component_found_present_leaves_the_verdict_complete(tmp_path):
    """Three LoRA adapters, each with its config (Betojmnz/GenAI_FoundationModel_lightweight_fine-tuning):
    two configs are read, the adapters are ``present`` whatever the third says, so the file left
    unread is listed under ``partial`` only and the verdict is complete."""
    config = json.dumps({"base_model_name_or_path": "distilbert-base-uncased", "peft_type": "LORA", "r": 8,
                         "target_modules": ["q_lin", "v_lin"], "task_type": "SEQ_CLS"})
    for task in ("Tweet_sentiment_lora", "distilbert-lora", "tweet_sentiment"):
        _write(tmp_path, f"{task}/adapter_config.json", config)
        _write(tmp_path, f"{task}/adapter_model.safetensors", "x" * 8192)
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    adapter = next(c for c in report["components"] if c["id"] == "weights.adapter")
    assert adapter["status"] == "present" and "unread" not in adapter
    assert report["incomplete"] is False and report["inventory"]["incomplete"] == []
    assert {s["path"] for s in report["inventory"]["partial"]} == {"tweet_sentiment/adapter_config.json"}


def test_json_lines_shards_beyond_the_peek_budget_are_staged_with_a_note_saying_so(tmp_path):
    """Shards whose names and folder name no stage are staged by the keys of their first record
    (``messages``: fine-tuning data), for the first 20; the others take the default stage, and
    that finding says so once rather than listing each shard (a corpus has tens of thousands)."""
    from openness_gate.detectors.data import MAX_PEEKS

    _write(tmp_path, "README.md", "# A project\n")
    for i in range(MAX_PEEKS + 3):
        _write(tmp_path, f"records/shard_{i:02d}.jsonl", '{"messages": [{"role": "user", "content": "hi"}]}\n')
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    comps = {c["id"]: c for c in report["components"]}
    assert comps["data.fine_tuning"]["facts"]["files"] == MAX_PEEKS
    assert comps["data.fine_tuning"]["evidence"][0]["reason"] == "data file (by the keys of its first record)"
    pretraining = comps["data.pretraining"]
    assert pretraining["facts"]["files"] == 3
    assert pretraining["evidence"][-1] == {
        "path": None, "line": None,
        "reason": f"more than {MAX_PEEKS} JSON Lines files that no name or folder stages: the first record of "
                  f"{MAX_PEEKS} was read for its keys, the others are staged without it"}
    assert not [p for p in report["inventory"]["partial"] if p["path"].startswith("records/")]


def test_download_scripts_beyond_the_weights_budget_are_listed_when_nothing_else_read_them(tmp_path):
    """A repository that ships no weights may download them with a script; the weights detector reads
    three. The others are listed as not read, unless another detector read them anyway (a small
    repository's code detector reads every shallow script): a large tree, where the code detector's
    own budget went to 300 scripts named for what they do."""
    from openness_gate.detectors.code import MAX_CONTENT_READS

    _write(tmp_path, "README.md", "# A project\n")
    for i in range(MAX_CONTENT_READS):
        _write(tmp_path, f"scripts/finetune_{i:03d}.sh", "python train.py\n")
    scripts = [f"download_{name}.sh" for name in ("base", "chat", "code", "large", "vision")]
    for rel in scripts:
        _write(tmp_path, rel, "echo nothing to fetch yet\n")
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    partial = _not_read(report)
    assert {p: partial.get(p) for p in scripts} == {
        **dict.fromkeys(scripts[:3]),
        **dict.fromkeys(scripts[3:], "content not read: the weights detector reads at most 3 download scripts")}


def test_files_a_budget_left_unread_keep_their_first_reason_and_replay_alike(tmp_path):
    """Marked many at once (a large tree leaves tens of thousands unread): a file already read
    is not "not read", a file marked twice keeps its first reason, and the events a split check
    journals in one process leave another inventory in the same state."""
    for name in ("a.py", "b.py", "c.py"):
        _write(tmp_path, name, "x = 1\n")
    inv, other = local.load(str(tmp_path)), local.load(str(tmp_path))
    with inv.journalled() as events:
        inv.read_text("b.py")
        inv.mark_unread(["a.py", "b.py"], "first budget")
        inv.mark_unread(["c.py", "a.py"], "second budget")
    assert inv.partial == {"a.py": "first budget", "c.py": "second budget"}
    other.replay(events)
    assert other.partial == inv.partial and list(other.partial) == list(inv.partial)


def test_a_whole_read_after_a_head_read_clears_the_note(tmp_path):
    _write(tmp_path, "notes.md", "a" * 5000)
    inv = local.load(str(tmp_path))
    inv.read_text("notes.md", 100)
    assert inv.partial == {"notes.md": "read the first 100 bytes of 5000 (size cap)"}
    inv.read_text("notes.md", 50)  # a shorter head adds nothing
    assert inv.partial["notes.md"].startswith("read the first 100 ")
    inv.read_text("notes.md")
    assert inv.partial == {}


def test_a_small_repository_reads_everything_whole(tmp_path):
    _write(tmp_path, "README.md", "# Tiny\n\nA model.\n")
    _write(tmp_path, "train.py", "import torch\nloss.backward()\n")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    assert json.loads(proc.stdout)["inventory"]["partial"] == []


def test_a_folder_its_repository_ignores_is_walked_not_listed_empty(git_repo):
    root, commit = git_repo
    _write(root, ".gitignore", "models/\n")
    _write(root, "README.md", "# project\n")
    commit()
    _write(root, "models/downloaded/README.md", "---\nlicense: mit\n---\n# A model\n")
    _write(root, "models/downloaded/LICENSE", "MIT License\n")
    inv = local.load(str(root / "models" / "downloaded"))
    assert sorted(f.path for f in inv.files) == ["LICENSE", "README.md"]
    assert inv.target.revision is None  # not the enclosing repository's commit: the folder is not in it
    tracked = local.load(str(root))
    assert [f.path for f in tracked.files] == [".gitignore", "README.md"] and tracked.target.revision


#: loads three folders in a fresh interpreter (this one has children of other tests), then says
#: whether any child process is left: running, or ended and never waited for
LEFT_BEHIND_PROBE = """import os, sys
from openness_gate.sources import local
ran = []
print([[f.path for f in local.load(folder, meanwhile=lambda: ran.append(1)).files] for folder in sys.argv[1:]], ran)
try:
    os.waitpid(-1, os.WNOHANG)
    print("a child is left")
except ChildProcessError:
    print("no child left")
"""


@pytest.mark.skipif(not hasattr(os, "posix_spawnp"), reason="git is spawned through subprocess here")
def test_git_listings_started_before_the_folder_is_known_leave_no_process_behind(git_repo, tmp_path_factory):
    """git is asked for the listings while it is still being asked whether the folder is a work
    tree; outside one (a plain folder, a folder the repository ignores), those are stopped and reaped."""
    root, commit = git_repo
    _write(root, ".gitignore", "models/\n")
    _write(root, "README.md", "# project\n")
    commit()
    _write(root, "models/m/LICENSE", "MIT License\n")
    plain = tmp_path_factory.mktemp("plain")
    _write(plain, "README.md", "# not in git\n")
    out = subprocess.run([sys.executable, "-c", LEFT_BEHIND_PROBE, str(plain), str(root / "models" / "m"), str(root)],
                         capture_output=True, text=True, timeout=60)
    assert out.stdout.splitlines() == ["[['README.md'], ['LICENSE'], ['.gitignore', 'README.md']] [1, 1, 1]",
                                       "no child left"], out.stderr
