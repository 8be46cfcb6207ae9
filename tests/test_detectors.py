"""Detectors on the three examples and on small purpose-built repositories: statuses, evidence, facts."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES, run_cli
from openness_gate import detectors, taxonomy
from openness_gate.sources import local

EXPECTED = {
    "open-science-model": {
        "present": {"code.preprocessing", "code.training", "code.fine_tuning", "code.inference", "code.evaluation",
                    "code.architecture", "code.libraries", "data.pretraining", "data.fine_tuning",
                    "weights.pretrained", "weights.intermediate", "docs.model_card", "docs.datasheet",
                    "docs.evaluation", "docs.red_teaming", "docs.publication", "docs.changelog",
                    "distribution.license", "distribution.release_type", "distribution.feedback"},
        "linked": {"data.evaluation"},
        "partial": set(),
    },
    "open-weights-restricted": {
        "present": {"code.inference", "code.architecture", "weights.adapted", "distribution.license",
                    "distribution.use_policy", "distribution.release_type", "guardrails.aligned_weights"},
        "linked": {"weights.pretrained"},
        "partial": {"docs.model_card", "guardrails.system_prompt"},
    },
    "bare-code-repo": {
        "present": {"code.training", "code.architecture", "distribution.license"},
        "linked": set(),
        "partial": set(),
    },
}


def _run(path) -> dict:
    return {f.component: f for f in detectors.run(local.load(str(path)), {})}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_examples_get_the_statuses_a_reviewer_assigns(name):
    got = _run(EXAMPLES / name)
    want = EXPECTED[name]
    for cid in (c.id for c in taxonomy.COMPONENTS):
        status = next((s for s in ("present", "linked", "partial") if cid in want[s]), "missing")
        assert got[cid].status == status, (cid, got[cid].evidence)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_text_report_explains_every_non_missing_status(name):
    out = run_cli("check", str(EXAMPLES / name)).stdout
    lines = out.splitlines()
    for i, line in enumerate(lines):
        parts = line.split()
        if len(parts) >= 3 and parts[-1] in {c.id for c in taxonomy.COMPONENTS} and parts[-2] != "missing":
            evidence = lines[i + 1].strip()
            assert evidence and not evidence.split()[-1] in {c.id for c in taxonomy.COMPONENTS}, line
            where = evidence.split()[0].rsplit(":", 1)[0]
            assert (EXAMPLES / name / where).exists() or where.startswith("http"), evidence  # a real path first


def test_model_card_completeness_facts():
    card = _run(EXAMPLES / "open-weights-restricted")["docs.model_card"]
    assert card.facts["completeness"] == 0.5
    assert set(card.facts["sections_placeholder"]) == {"bias_risks_limitations", "evaluation"}
    assert "environmental_impact" in card.facts["sections_missing"]
    assert any("placeholders" in e.reason and e.line for e in card.evidence)


def test_weights_facts_lfs_sizes_formats_pickle(tmp_path):
    (tmp_path / "model.safetensors").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "a" * 64 + "\nsize 5000000000\n")
    (tmp_path / "pytorch_model.bin").write_text(
        "version https://git-lfs.github.com/spec/v1\noid sha256:" + "b" * 64 + "\nsize 5000000001\n")
    (tmp_path / "training_args.bin").write_bytes(b"\x80\x04not weights")
    (tmp_path / "SHA256SUMS").write_text("abc  model.safetensors\n")
    sig = {"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "dsseEnvelope": {
        "payloadType": "application/vnd.in-toto+json", "payload": "predicateType https://model_signing/signature/v1.0"}}
    (tmp_path / "model.sig").write_text(json.dumps(sig))
    w = _run(tmp_path)["weights.pretrained"]
    assert w.status == "present"
    assert w.facts["formats"] == ["bin", "safetensors"]
    assert w.facts["total_size"] == 10_000_000_001 and w.facts["lfs_pointers"] == 2
    assert w.facts["pickle"] is True and w.facts["pickle_files"] == ["pytorch_model.bin"]
    assert "SHA256SUMS" in w.facts["checksums"]
    assert w.facts["signature"]["sigstore_bundle"] is True
    assert all("training_args" not in (e.path or "") for e in w.evidence)
    assert any("execute code" in e.reason for e in w.evidence)


def test_adapter_and_quantised_weights(tmp_path):
    (tmp_path / "adapter_config.json").write_text(json.dumps({"peft_type": "LORA", "base_model_name_or_path": "org/base"}))
    (tmp_path / "adapter_model.safetensors").write_bytes(b"\0" * 64)
    (tmp_path / "gguf").mkdir()
    (tmp_path / "gguf" / "m.Q4_K_M.gguf").write_bytes(b"GGUF" + b"\0" * 60)
    got = _run(tmp_path)
    assert got["weights.adapter"].status == "present"
    assert got["weights.adapter"].facts["kinds"] == ["adapter", "quantised"]
    assert any("PEFT adapter config (LORA" in e.reason for e in got["weights.adapter"].evidence)
    assert got["weights.pretrained"].status == "missing"


def test_model_py_without_a_network_is_not_the_architecture(tmp_path):
    (tmp_path / "model.py").write_text("from pydantic import BaseModel\n\nclass User(BaseModel):\n    name: str\n")
    (tmp_path / "modeling_x.py").write_text("")  # empty: no content to confirm
    assert _run(tmp_path)["code.architecture"].status == "missing"
    (tmp_path / "model.py").write_text("import torch\n\nclass Net(torch.nn.Module):\n    def forward(self, x):\n"
                                       "        return x\n")
    arch = _run(tmp_path)["code.architecture"]
    assert arch.status == "present" and arch.evidence[0].path == "model.py"


def test_content_finds_code_with_uninformative_names(tmp_path):
    (tmp_path / "run.py").write_text("from trl import DPOTrainer\nDPOTrainer(model=m).train()\n")
    (tmp_path / "main.py").write_text("import lm_eval\nlm_eval.simple_evaluate(model='hf')\n")
    got = _run(tmp_path)
    assert got["code.fine_tuning"].status == "present" and got["code.fine_tuning"].evidence[0].path == "run.py"
    assert got["code.evaluation"].status == "present" and got["code.evaluation"].evidence[0].path == "main.py"
    assert got["code.training"].status == "missing"


def test_vendored_code_is_reported_as_such(tmp_path):
    (tmp_path / "third_party" / "lib").mkdir(parents=True)
    (tmp_path / "third_party" / "lib" / "train.py").write_text("loss.backward()\noptimizer.step()\n")
    f = _run(tmp_path)["code.training"]
    assert f.status == "present" and f.facts["vendored_only"] is True
    assert all("vendored" in e.reason for e in f.evidence)


def test_hub_links_in_the_card_give_linked_weights_and_data(tmp_path):
    (tmp_path / "README.md").write_text(
        "---\nlicense: mit\ndatasets:\n- org/sft-mix\n---\n\n# Card\n\n## Model Details\n\nThe weights are on the hub: "
        "https://huggingface.co/org/model-7b\n\n## Training Data\n\nPre-trained on "
        "https://huggingface.co/datasets/org/web-corpus .\n")
    got = _run(tmp_path)
    assert got["weights.pretrained"].status == "linked"
    assert got["weights.pretrained"].evidence[0].url == "https://huggingface.co/org/model-7b"
    assert got["data.pretraining"].status == "linked"
    assert got["data.fine_tuning"].status == "linked"
    assert any(e.url == "https://huggingface.co/datasets/org/sft-mix" for e in got["data.fine_tuning"].evidence)


def test_library_citation_is_not_a_publication(tmp_path):
    (tmp_path / "README.md").write_text(
        "---\nlicense: mit\nbase_model: org/base\n---\n\n# Card\n\n## Citations\n\nCite TRL as:\n\n```bibtex\n"
        "@misc{vonwerra2022trl,\n  title = {{TRL: Transformer Reinforcement Learning}},\n}\n```\n")
    assert _run(tmp_path)["docs.publication"].status == "missing"


def test_per_model_folder_cards_and_why_the_primary(tmp_path):
    for d in ("models/a", "models/b"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "config.json").write_text("{}")
        (tmp_path / d / "README.md").write_text("---\nlicense: mit\npipeline_tag: text-generation\n---\n\n# A\n")
    card = _run(tmp_path)["docs.model_card"]
    assert card.status in ("partial", "present")
    assert card.facts["primary"] == "models/a/README.md" and card.facts["other_cards"] == ["models/b/README.md"]
    assert "per-model folder" in card.evidence[0].reason and "1 other card" in card.evidence[0].reason


def test_dataset_card_and_croissant(tmp_path):
    (tmp_path / "README.md").write_text("---\ntask_categories:\n- translation\nsize_categories:\n- 1K<n<10K\n---\n\n"
                                        "# Dataset Card\n\n## Dataset Details\n\nParallel sentences from public "
                                        "domain books.\n\n## Uses\n\nTraining translation models for research.\n")
    (tmp_path / "croissant.json").write_text(json.dumps({
        "@context": {"@vocab": "https://schema.org/"}, "@type": "sc:Dataset",
        "conformsTo": "http://mlcommons.org/croissant/1.0", "name": "x", "description": "d", "license": "CC0-1.0",
        "url": "https://x", "creator": {"name": "c"}, "datePublished": "2024-01-01", "distribution": []}))
    got = _run(tmp_path)
    assert got["docs.model_card"].status == "missing"
    assert "dataset card" in got["docs.model_card"].evidence[0].reason
    ds = got["docs.datasheet"]
    assert ds.status == "present"
    assert any("Croissant 1.0 dataset metadata with all required fields" in e.reason for e in ds.evidence)


@pytest.mark.parametrize("text", [
    "no channel here at all",
    "Please report issues at https://github.com/org/model/issues.\n",
    "first line\nQuestions and feedback: ml-team@example.org\nlast",
    "contact@example.org is where to send questions about the model",
    "a line with github.com/org/repo only\nand another: REPORT problems to SAFETY@EXAMPLE.ORG",
    "Feedback: use our forms.gle/abc form\n",
    "contact us  ıss@x.io",  # a dotless ı, which re's IGNORECASE equates with i
    "İ" * 3 + " report bugs to a@b.io",  # a character whose lower case is longer: the whole-text path
])
def test_the_feedback_line_search_equals_the_whole_text_search(text):
    from openness_gate.detectors import distribution

    whole = distribution._REPORT_LINE.search(text)
    by_line = distribution._report_line(text)
    assert (whole and whole.span()) == (by_line and by_line.span())


def test_the_feedback_line_search_equals_the_whole_text_search_on_the_examples():
    from openness_gate.detectors import distribution

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in EXAMPLES.rglob("*.md")]
    for text in texts + [t.upper() for t in texts]:
        whole = distribution._REPORT_LINE.search(text)
        by_line = distribution._report_line(text)
        assert (whole and whole.span()) == (by_line and by_line.span())


@pytest.mark.parametrize("path", [
    "train.py", "third_party/x/train.py", "src/vendor/lib.py", "a/node_modules/b.js", "external/", "deps/x",
    ".venv/lib/site-packages/torch/nn.py", "build/lib/model.py", "docs/build.md", "my_build/x.py", "x/.git/config",
    ".github/workflows/ci.yml", "configs/tokenizer_config.json", "evals/run-1_eval_results.json",
    "model.safetensors.index.json", "sub/config.json", "config.json", "configs/train.yaml", "a/b/all_results.json",
])
def test_folder_and_name_judgements_equal_the_path_patterns(path):
    """The per-folder and per-name memos answer what the patterns answer on the whole path."""
    from openness_gate.detectors import _common, code

    assert _common.is_vendored(path) == bool(_common.VENDORED.search(path))
    assert _common.is_ignored(path) == bool(_common.IGNORED_DIRS.search(path))
    # what code._plan judges apart: the folder (once per folder name), the name, the root model configs
    cut = path.rfind("/") + 1
    whole = bool(code._NOT_CODE_CONFIG.search(path) or _common.RESULTS_JSON.search(path)
                 or "/" not in path and path in ("config.json", "params.json"))
    halves = bool(code._NOT_CODE_CONFIG.search(path[:cut])) or code._not_code_name(path[cut:]) \
        or not path[:cut] and path in ("config.json", "params.json")
    assert halves == whole


def test_the_classifier_folder_pattern_finds_what_the_anchored_one_found():
    import re

    from openness_gate.detectors import guardrails

    anchored = re.compile(rf"(?:^|/)[^/]*{guardrails._CLASSIFIER_WORDS}[^/]*/", re.IGNORECASE)
    folders = ["", "src", "llama_guard", "models/Llama-Guard-3", "safety_checker/v2", "a/b/nsfw_detector_x",
               "prompt-guard", "tools/moderation", "docs/content_filter", "guard", "a/shieldgemma-2b/weights",
               "notes/bad_words_ids", "x/toxicity_mitigation", "jailbreak"]
    for d in folders:
        slashed = d + "/" if d else ""
        assert bool(guardrails._CLASSIFIER_DIR.search(slashed)) == bool(anchored.search(slashed)), d


@pytest.mark.parametrize("name", [
    "llama_guard.py", "prompt-guard.md", "shieldgemma.py", "granite_guardian.py", "wildguard.py", "safety_checker.py",
    "safety_classifier.py", "safeguard.py", "content_filter.py", "moderation.py", "toxicity_classifier.py",
    "nsfw_detector.py", "jailbreak_classifier.py", "code_shield.py", "nsfw_and_watermark_detection.py",
    "bad_words_filter.py", "badword_check.py", "bad-word-ids.py", "toxicity_mitigation.py"])
def test_every_kind_of_safety_classifier_name_is_found(tmp_path, name):
    """Each alternative of the classifier vocabulary, alone in a repository: a name pattern behind a
    keyword prefilter that lacks its words never sees the file (the bad-word filters did not)."""
    (tmp_path / "tools").mkdir()
    (tmp_path / "tools" / name).write_text("def check(text):\n    return text\n")
    assert _run(tmp_path)["guardrails.safety_classifier"].status == "present", name


def test_the_optimiser_words_of_the_training_rule_are_what_the_content_scan_reports():
    """A model file with a backward pass counts as training only beside an optimiser; the rule
    compares the scan's matched strings, so each of its words must be one the scan can report."""
    from openness_gate.detectors import code

    for word in sorted(code._OPTIMISER_WORDS):
        assert code._CONTENT.scan(f"opt = {word}Adam(params)\n").get("hparam") == {word}, word


def test_folder_name_queries_find_what_the_path_search_finds(tmp_path):
    """dirs_named (a folder's own name) and dirs_within_named (any folder of the path) judge each
    folder name once; for the patterns the detectors give them they must list what
    dirs_matching lists by searching every folder path."""
    from openness_gate.detectors import _common, cards, code, data, documentation, guardrails
    from openness_gate.detectors.index import FileIndex

    folders = ["configs", "configs/train", "src/model_cards", "a/data/raw", "tests/data", "x/Training/run",
               "deep/configs/y/z", "evals/summary", "results/.eval_results", "tools/llama_guard/v1",
               "docs/examples/data_prep", "pkg/preprocessing/sub", "Model Cards", "launch/slurm", "b/c",
               # names that sort next to a matching one: "configs-old/x" and "configs.bak" come before
               # "configs/…" and "configs0" after it ('-' and '.' sort before '/', '0' after)
               "configs-old/x", "configs.bak", "configs0/y", "données/modèles/v1",
               "third_party/Vendor/x", "src/.venv/lib", "a/.GitHub/workflows", "node_modules/p"]
    for d in folders:
        (tmp_path / d).mkdir(parents=True, exist_ok=True)
        (tmp_path / d / "f.py").write_text("x = 1\n")
    ix = FileIndex(local.load(str(tmp_path)))
    named = [rx for rx, _ in code._DIR_RULE.values()] + [cards._CARD_DIR, data._EVAL_RESULTS_DIR,
                                                         documentation._SUMMARY_DIR]
    for rx in named:
        assert ix.dirs_named(rx) == ix.dirs_matching(rx), rx.pattern
    for rx in (code._CONFIG_DIR, data._DATA_DIR, data._CONFIGS_DIR, data._NOT_DATA_DIR, guardrails._CLASSIFIER_DIR,
               _common.IGNORED_DIRS, _common.VENDORED, code._NOT_CODE_CONFIG, _common.TEST_DIRS):
        assert ix.dirs_within_named(rx) == ix.dirs_matching(rx), rx.pattern
    assert "deep/configs/y/z" in ix.dirs_within_named(code._CONFIG_DIR)  # an ancestor's name counts
    assert ix.dirs_named(code._DIR_RULE["code.training"][0]) == ["configs/train"]  # x/Training holds no file


def _name_queries(tmp_path, monkeypatch, names: list[str]) -> list:
    """Every ``names_matching`` query the detectors make on a tree of ``names``, each checked against
    a plain search of every lower-case name; returns the queries."""
    from openness_gate.detectors.index import FileIndex
    from openness_gate.inventory import extension

    for rel in names:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x = 1\n")
    monkeypatch.setenv("OPENNESS_GATE_JOBS", "1")  # one process: the queries are recorded here
    inv = local.load(str(tmp_path))
    calls = []

    class Recording(FileIndex):
        def names_matching(self, rx, exts=None, keywords=None):
            found = super().names_matching(rx, exts, keywords)
            calls.append((rx, exts, found))
            return found

    inv.derived["detectors.FileIndex"] = Recording(inv)
    detectors.run(inv, {})
    assert len(calls) >= 20
    for rx, exts, found in calls:
        pool = inv.files if exts is None else [f for f in inv.files if extension(f.path) in set(exts)]
        expected = sorted(f.path for f in pool if rx.search(f.name.lower()))
        assert [f.path for f in found] == expected, rx.pattern
    return calls


def test_name_queries_find_what_a_regex_over_every_name_finds(tmp_path, monkeypatch):
    """The file index answers "which names match" from keywords and from a skeleton of each
    extension's names with digits written as 0 (a bucket of 10k numbered modules is a few lines).
    Every query the detectors make on a numbered tree must list exactly the files a plain search of
    every lower-case name lists, patterns with digits of their own (``zero[_-]?[123]``) included."""
    names = [f"src/pkg/module_{i:04d}.py" for i in range(200)] + [
        f"data/train-{i:05d}-of-00004.parquet" for i in range(4)] + [
        "src/pkg/model.py", "src/modules.py", "src/modeling_llama3.py", "configs/ds_config_zero2.json",
        "configs/zero3.json", "configs/zero_4.json", "configs/zero3.yaml", "scripts/train_7b.sh", "scripts/finetune_v2.py",
        "eval_2024.py", "LICENSE-2.0.txt", "LICENSE", "README.md", "docs/model_card_v1.md", "MODEL_CARD.md",
        "prompts/llama_guard_3.txt", "requirements-2.txt", "CHANGELOG.md", "results_1.json",
        "model-00001-of-00002.safetensors", "model.safetensors.index.json", "USE_POLICY.md"]
    calls = _name_queries(tmp_path, monkeypatch, names)
    found_anywhere = {f.path for _, _, found in calls for f in found}
    # named by their digits only: the skeleton line 'zero0.yaml' does not say 'zero3', the name does
    assert {"configs/ds_config_zero2.json", "configs/zero3.yaml"} <= found_anywhere


def test_name_queries_on_a_bucket_of_thousands_of_distinct_names(tmp_path, monkeypatch):
    """A bucket whose names are distinct even with digits folded (an evaluation harness's task
    YAMLs) has a skeleton as long as its names, which the index does not search: the keywords alone
    find the names, and the answers are still those of a plain search."""
    from openness_gate.detectors import index

    words = ["arc", "boolq", "copa", "drop", "eval", "fever", "glue", "hella", "infer", "jeopardy", "kmmlu", "lambada",
             "mmlu", "nq", "openbook", "piqa", "qasper", "race", "sciq", "train", "uses", "vqa", "wino", "xnli", "bench",
             "metric", "sft", "shard"]
    names = [f"tasks/{a}/{a}_{b}_{c}.yaml" for a in words for b in words for c in ("zero", "few", "chat")]
    names += ["tasks/train_config.yaml", "tasks/ds_config_zero3.json", "serve_demo.py", "eval.py", "README.md"]
    assert sum(len(n.rsplit("/", 1)[1]) + 1 for n in names if n.endswith(".yaml")) > 2 * index.SKELETON_SEARCH_MAX
    calls = _name_queries(tmp_path, monkeypatch, names)
    found_anywhere = {f.path for _, _, found in calls for f in found}
    # found by a keyword other than the first of their pattern's ("bench", "metric" for evaluation)
    assert {"tasks/arc/arc_bench_few.yaml", "tasks/glue/glue_metric_chat.yaml", "tasks/train/train_eval_zero.yaml",
            "tasks/ds_config_zero3.json", "serve_demo.py"} <= found_anywhere
