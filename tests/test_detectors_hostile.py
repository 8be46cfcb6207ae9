"""Hostile and malformed inputs: each yields a finding with a reason, in bounded memory, without a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import run_cli


def _check(path) -> dict:
    proc = run_cli("check", str(path), "--format", "json", timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return {c["id"]: c for c in json.loads(proc.stdout)["components"]}


def _reasons(comp: dict) -> str:
    return " | ".join(e["reason"] for e in comp["evidence"])


def test_alias_bomb_front_matter_is_refused_with_a_reason(tmp_path):
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]")
    card = "---\n" + "\n".join(bomb) + "\n---\n\n# Model card\n\n## Uses\n\nResearch on alias bombs only.\n"
    (tmp_path / "README.md").write_text(card)
    comps = _check(tmp_path)
    card_finding = comps["docs.model_card"]
    assert card_finding["status"] in ("partial", "present")
    assert "alias" in _reasons(card_finding)
    assert card_finding["facts"]["has_front_matter"] is False


def test_ten_thousand_headings(tmp_path):
    body = "".join(f"## Section {i}\n\nSome words under heading number {i}.\n\n" for i in range(10_000))
    (tmp_path / "README.md").write_text("---\nlicense: mit\n---\n\n# Model card\n\n## Uses\n\nFor tests only, nothing else.\n\n"
                                         + body)
    comps = _check(tmp_path)
    card = comps["docs.model_card"]
    assert card["status"] == "partial"  # only "uses" among the standard sections
    assert card["facts"]["sections_filled"] == ["uses"]


def test_five_megabyte_single_line_readme_is_capped(tmp_path):
    (tmp_path / "README.md").write_text("x" * (5 * 1024 * 1024))
    # the peak of this interpreter's own memory: Linux's VmHWM, which an exec starts afresh. ru_maxrss
    # is kept across exec, so it reports pytest's size when the child is forked from a large pytest
    code = (
        "import json, resource, sys\n"
        "from openness_gate.cli import main\n"
        f"rc = main(['check', {str(tmp_path)!r}, '--format', 'json', '--output', {str(tmp_path / 'r.json')!r}])\n"
        "try:\n"
        "    hwm = [line for line in open('/proc/self/status') if line.startswith('VmHWM:')]\n"
        "    print(hwm[0].split()[1])\n"
        "except (OSError, IndexError):\n"
        "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stderr
    assert int(proc.stdout.strip().splitlines()[-1]) < 400_000  # KiB: the 5 MB line is never held many times over
    comps = {c["id"]: c for c in json.loads((tmp_path / "r.json").read_text())["components"]}
    card = comps["docs.model_card"]
    assert card["status"] == "missing"
    assert "truncated" in _reasons(card) and card["evidence"][0]["path"] == "README.md"


def test_a_one_line_html_table_of_forty_thousand_rows(tmp_path):
    """A row's line is counted within its own piece of the table and only the first rows are looked
    at: a count from the table's start for each of 40k rows (1.5 MB) scanned gigabytes."""
    rows = "".join(f"<tr><td>model-{i}</td><td>{i}.5</td></tr>" for i in range(40_000))
    (tmp_path / "README.md").write_text(f"# Model\n\n## Results\n\n<table><tr><th>model</th><th>MMLU</th></tr>{rows}</table>\n")
    found = _check(tmp_path)["docs.evaluation"]
    assert found["status"] == "present" and found["evidence"][0]["line"] == 5


def test_a_fifty_kilobyte_bullet_of_metric_words_without_a_number(tmp_path):
    """Each bullet is searched for a metric word and for a percentage apart: one pattern with lazy
    gaps between them took 5 s on this bullet (every word retried the rest of the line)."""
    readme = "# Model\n\n## Notes\n\n- " + "accuracy " * 5500 + "\n- precision 97%\n"
    (tmp_path / "README.md").write_text(readme)
    assert _check(tmp_path)["docs.evaluation"]["status"] == "missing"


def test_utf16_card_is_decoded_and_says_so(tmp_path):
    text = ("---\nlicense: apache-2.0\nlanguage:\n- no\n---\n\n# Model card\n\n## Model Details\n\nA small Norwegian model "
            "for tests.\n\n## Uses\n\nResearch on Norwegian text only.\n")
    (tmp_path / "MODEL_CARD.md").write_bytes(text.encode("utf-16"))
    comps = _check(tmp_path)
    card = comps["docs.model_card"]
    assert card["status"] in ("partial", "present")
    assert "UTF-16" in _reasons(card)
    assert card["facts"]["has_front_matter"] is True


@pytest.mark.parametrize("value", ['"see the leaderboard"', "{name: x, results: 3}", "[1, 2, 3]", "42"])
def test_model_index_of_the_wrong_type(tmp_path, value):
    (tmp_path / "README.md").write_text(f"---\nlicense: mit\nmodel-index: {value}\n---\n\n# Card\n\n## Uses\n\nTests only.\n")
    comps = _check(tmp_path)
    ev = comps["docs.evaluation"]
    assert ev["status"] == "missing"
    assert "model-index" in _reasons(ev)
    assert comps["data.evaluation"]["status"] == "missing"


def test_front_matter_that_is_a_list_or_invalid(tmp_path):
    (tmp_path / "README.md").write_text("---\n- a\n- b\n---\n\n# Card\n\n## Uses\n\nTests only, nothing more.\n")
    card = _check(tmp_path)["docs.model_card"]
    assert "not a mapping" in _reasons(card)
    (tmp_path / "README.md").write_text("---\nlicense: [unclosed\n---\n\n# Card\n")
    card = _check(tmp_path)["docs.model_card"]
    assert "not valid YAML" in _reasons(card)


def test_malformed_json_artefacts_do_not_break_detectors(tmp_path):
    (tmp_path / "tokenizer_config.json").write_text('{"chat_template": ' + "[" * 100_000)
    (tmp_path / "config.json").write_text("[" * 50_000 + "]" * 50_000)
    (tmp_path / "model.safetensors.index.json").write_text("{not json")
    (tmp_path / "croissant.json").write_text('{"conformsTo": "http://mlcommons.org/croissant/1.1", ')
    (tmp_path / ".eval_results").mkdir()
    (tmp_path / ".eval_results" / "a.yaml").write_text("- [unclosed\n")
    comps = _check(tmp_path)
    assert comps["docs.datasheet"]["status"] == "partial"
    assert "not a valid JSON-LD" in _reasons(comps["docs.datasheet"])
    # an index whose shards are absent (this one unreadable) names weights kept elsewhere
    assert comps["weights.pretrained"]["status"] == "linked"
    assert "sharded-weights index is not valid JSON" in _reasons(comps["weights.pretrained"])
    assert "eval_results" in _reasons(comps["docs.evaluation"]) or comps["docs.evaluation"]["status"] == "missing"


def test_declared_artifacts_of_the_wrong_shape_are_ignored_by_detectors(tmp_path):
    """The policy layer validates .openness.yml; detectors must still not trust its shape."""
    from openness_gate import detectors
    from openness_gate.sources import local

    (tmp_path / "README.md").write_text("# x\n")
    inv = local.load(str(tmp_path))
    for config in ({"artifacts": 42}, {"artifacts": {"weights.pretrained": 42, "data.pretraining": [1, {"url": ""}],
                                                     "no.such.component": {"url": "https://x"}}}, {"artifacts": None}):
        found = {f.component: f for f in detectors.run(inv, config)}
        assert found["weights.pretrained"].status == "missing"
        assert found["data.pretraining"].status == "missing"
    found = {f.component: f for f in detectors.run(inv, {"artifacts": {"weights.pretrained": {"url": "https://hf.co/x/y"}}})}
    assert found["weights.pretrained"].status == "linked"
    assert found["weights.pretrained"].evidence[0].url == "https://hf.co/x/y"


def test_weight_extension_files_that_are_not_weights(tmp_path):
    (tmp_path / "training_args.bin").write_bytes(b"\x80\x04fake")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "train.bin").write_bytes(b"\x00" * 64)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "mel_filters.npz").write_bytes(b"PK\x03\x04")
    comps = _check(tmp_path)
    assert comps["weights.pretrained"]["status"] == "missing"


def test_a_folder_of_eval_results_is_read_up_to_a_budget_and_the_rest_reported(tmp_path):
    """Hugging Face `.eval_results/` files name the evaluation datasets; a repository with thousands
    of them (generated per run) must not be read whole: the first ones are read, the others are
    listed as not read, with the reason, and the datasets found are reported."""
    from openness_gate.detectors.data import MAX_RESULT_READS

    (tmp_path / "README.md").write_text("# A model\n")
    results = tmp_path / ".eval_results"
    results.mkdir()
    for i in range(MAX_RESULT_READS + 7):
        (results / f"run-{i:04d}.yaml").write_text(f"- dataset:\n    id: org/bench-{i % 3}\n  value: 0.5\n")
    proc = run_cli("check", str(tmp_path), "--format", "json")
    report = json.loads(proc.stdout)
    data = next(c for c in report["components"] if c["id"] == "data.evaluation")
    assert data["facts"]["evaluation_datasets"] == ["org/bench-0", "org/bench-1", "org/bench-2"]
    unread = [p["path"] for p in report["inventory"]["partial"] if "`.eval_results` files" in p["reason"]]
    assert unread == [f".eval_results/run-{i:04d}.yaml" for i in range(MAX_RESULT_READS, MAX_RESULT_READS + 7)]


def test_result_files_beyond_the_documentation_budget_are_listed_as_not_read(tmp_path):
    """pythia keeps 934 lm-eval result JSONs under evals/; the documentation detector reads 30. Each
    one it did not read is listed with the reason (it might have held the results it looks for),
    and the findings are those of the files read."""
    from openness_gate.detectors.documentation import MAX_DOC_READS

    (tmp_path / "README.md").write_text("# A model\n")
    evals = tmp_path / "evals"
    evals.mkdir()
    result = {"results": {"lambada_openai": {"acc": 0.61}}, "config": {"model": "gpt2"}}
    for i in range(MAX_DOC_READS + 4):
        (evals / f"step{i:03d}_eval_results.json").write_text(json.dumps(result))
    report = json.loads(run_cli("check", str(tmp_path), "--format", "json").stdout)
    evaluation = next(c for c in report["components"] if c["id"] == "docs.evaluation")
    assert evaluation["status"] == "present"
    unread = [p["path"] for p in report["inventory"]["partial"] if "documentation detector" in p["reason"]]
    assert unread == [f"evals/step{i:03d}_eval_results.json" for i in range(MAX_DOC_READS, MAX_DOC_READS + 4)]
    text = run_cli("check", str(tmp_path)).stdout
    assert "4 not read (read budgets, each file with its reason)" in text
