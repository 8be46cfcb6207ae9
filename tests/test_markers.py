"""The content-marker scan: the same answer as one combined alternation, whatever prefilter runs.

``MarkerSet`` looks for each branch's required literal (with RE2 when google-re2 is installed,
else ``str.find``) and runs the branch only in windows around its occurrences. These tests pin
the meaning: leftmost matches, the earlier branch on a tie, no overlaps, exactly what a single
``finditer`` over ``a|b|c…`` reports, on texts built to hit window edges, anchors and repeats.
"""

from __future__ import annotations

import importlib.util
import re

import pytest

from openness_gate.detectors import code
from openness_gate.detectors.markers import WINDOW, MarkerSet, required_literal, split_top

HAVE_RE2 = importlib.util.find_spec("re2") is not None


def combined_scan(groups: dict[str, str], text: str, flags: int = re.MULTILINE) -> dict[str, set[str]]:
    """The reference: one alternation of every branch, named by group, scanned once."""
    names, parts = [], []
    for name, pattern in groups.items():
        for alt in split_top(pattern):
            names.append(name)
            parts.append(f"(?P<b{len(parts)}>{alt})")
    rx = re.compile("|".join(parts), flags)
    found: dict[str, set[str]] = {}
    for m in rx.finditer(text):
        name = names[int(m.lastgroup[1:])] if m.lastgroup else names[next(i for i, g in enumerate(m.groups()) if g is not None)]
        bucket = found.setdefault(name, set())
        if len(bucket) < 4:
            bucket.add(m.group(0).strip()[:40])
    return found


TRAINING_SCRIPT = '''import torch
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments

model = AutoModelForCausalLM.from_pretrained("gpt2")
args = TrainingArguments(output_dir="out", max_steps=1000, learning_rate=3e-4)
trainer = Trainer(model=model, args=args, train_dataset=ds)
trainer.train()
loss.backward()
optimizer.step()
'''

GROUPS = {
    "train": r"\bloss\.backward\(|\boptimizer\.step\(|\bTrainer\(|trainer\.train\(",
    "pretrained": r"\b(?:AutoModel\w*|\w+For(?:CausalLM|Seq2SeqLM))\.from_pretrained\(",
    "hparam": r"^\s*lr:|\bmax_steps\b|^\s*batch_size:",
    "eval": r"\bjiwer\b|\bdef evaluate\(",
    "data": r"\bdedup|\"(?:lr|max_steps)\"\s*:",
}


def texts() -> list[str]:
    filler = "x = compute(y)  # nothing to see here\n" * (WINDOW // 30)
    return [
        TRAINING_SCRIPT,
        "",
        "no markers at all\n" * 50,
        # the literal at the very start and the very end, a match cut by nothing
        "loss.backward()" + filler + "loss.backward(",
        # occurrences further apart than a window: several spans
        filler.join(["trainer.train(a)", "optimizer.step()", "model = BertForCausalLM.from_pretrained('x')"]),
        # a literal inside a longer word: \b must see the text before the span
        "my_max_steps = 3\nmax_steps_total = 4\nmax_steps = 5\n",
        # ^ anchors inside and outside windows; a config
        "lr: 0.1\n  lr: 0.2\nbatch_size: 8\nnot lr: 0.3\n" + filler + "lr: 0.4\n",
        # overlapping candidates of two groups at one place: the earlier branch wins
        "import jiwer\njiwer.wer(a, b)\ndef evaluate(model):\n    pass\n" * 3,
        # many repeats of one marker (the per-branch cap)
        "loss.backward()\n" * 40 + "optimizer.step()\n",
        # a branch led by \b whose literal occurs everywhere, mostly inside words (an evaluation
        # results file of a deduplicated model suite): windows, close ones merged, never a
        # whole-text scan the engine would try at every position
        '{"model": "suite-160m-deduped", "nondedup": 1, "lr": 3}\n' * 60 + filler + "dedup\n",
        "xdedup " * 300 + "\n" + filler + '"max_steps": 5, dedup',
        # non-ASCII around the literals
        "# entraînement\nmodèle = AutoModelForCausalLM.from_pretrained('é')\n",
    ]


@pytest.mark.parametrize("prefilter", ["find", "auto", "re2"])
@pytest.mark.parametrize("n", range(len(texts())))
def test_scan_equals_one_combined_alternation(prefilter, n):
    text = texts()[n]
    assert MarkerSet(GROUPS, prefilter=prefilter).scan(text) == combined_scan(GROUPS, text)


@pytest.mark.parametrize("prefilter", ["find", "auto", "re2"])
def test_the_code_detector_markers_on_a_training_script(prefilter):
    found = MarkerSet(code._MARKERS, prefilter=prefilter).scan(TRAINING_SCRIPT)
    assert found == combined_scan(code._MARKERS, TRAINING_SCRIPT)
    assert "loss.backward(" in found["train"]


@pytest.mark.skipif(not HAVE_RE2, reason="google-re2 (the `fast` extra) is not installed: the str.find path is tested above")
def test_re2_reports_exactly_the_literals_that_occur():
    ms = MarkerSet(code._MARKERS, prefilter="re2")
    for text in texts() + [TRAINING_SCRIPT * 20]:
        assert {ms.literals[i] for i in ms.present(text)} == {lit for lit in ms.literals if lit in text}


@pytest.mark.skipif(not HAVE_RE2, reason="google-re2 (the `fast` extra) is not installed: the str.find path is tested above")
def test_auto_prefilter_takes_re2_only_once_enough_text_is_scanned():
    """A small repository does not pay for importing re2; a large one gets its one-pass prefilter
    once str.find has cost about what importing it does, and the answers never differ."""
    from openness_gate.detectors.markers import RE2_AFTER

    auto, find = MarkerSet(code._MARKERS), MarkerSet(code._MARKERS, prefilter="find")
    scanned, i, after = 0, 0, 0
    while after < 3:
        text = texts()[i % len(texts())]
        assert auto.scan(text) == find.scan(text)
        assert (auto._set is None) == (scanned < RE2_AFTER), (scanned, i)
        after += scanned >= RE2_AFTER
        scanned, i = scanned + len(text), i + 1
    assert auto._set and i > 3  # built, and used for every text since


def test_find_prefilter_never_uses_re2():
    assert MarkerSet(GROUPS, prefilter="find").present(TRAINING_SCRIPT) is None


@pytest.mark.parametrize("pattern, literal", [
    (r"\bloss\.backward\(", "loss.backward("),
    (r"\b(?:AutoModel\w*|\w+For(?:CausalLM))\.from_pretrained\(", ".from_pretrained("),
    (r"^\s*lr:", "lr:"),
    (r"ab", None),  # too short to prune anything
])
def test_required_literal(pattern, literal):
    assert required_literal(pattern, re.MULTILINE) == literal


def test_plain_branches_skip_the_parser_and_agree_with_it():
    """Most branches are escaped literals: their literal, reach and lead come from the text, and
    must be exactly what the regex parser derives (for every branch of the code detector)."""
    from openness_gate.detectors import markers

    extra = {"x": r"#SBATCH|loss\.backward\(|\bdedup|a\d+b|lr\s*:|ab|trainer\.train\(\)|x{2}y|\#sharp"}
    checked = plain = 0
    for groups in (code._MARKERS, extra):
        for name, rx, literal, reach, leads in MarkerSet(groups).branches:
            parsed = markers.sre_parse.parse(rx.pattern, re.MULTILINE)
            expected_literal = markers._literal_of(parsed, re.MULTILINE)
            expected = (expected_literal, min(parsed.getwidth()[1], WINDOW) if expected_literal else 0,
                        bool(len(parsed)) and str(parsed[0][0]) == "LITERAL")
            assert (literal, reach, leads) == expected, rx.pattern
            checked += 1
            plain += markers._plain(rx.pattern, re.MULTILINE) is not None
    assert checked > 150 and plain > 100  # the fast path is taken, and not for everything
    assert markers._plain(r"\bdedup", 0) is None and markers._plain(r"a\.b", re.IGNORECASE) is None
    assert markers._plain(r"loss\.backward\(", 0) == "loss.backward("


@pytest.mark.parametrize("prefilter", ["find", "auto", "re2"])
def test_a_branch_led_by_another_literal_than_its_required_one_finds_matches_before_it(prefilter):
    """``weights\\s*=\\s*["']imagenet`` needs "imagenet" (its longest literal) but starts with "weights":
    the match begins before the literal's first occurrence (a Keras fine-tuning fixture caught this)."""
    text = 'x = 1\nbase = tf.keras.applications.ResNet50(weights="imagenet", include_top=False)\n'
    found = MarkerSet(code._MARKERS, prefilter=prefilter).scan(text)
    assert found == combined_scan(code._MARKERS, text)
    assert any("imagenet" in m for m in found["pretrained"])


@pytest.mark.parametrize("text", [
    "dedup",  # at the very start: a boundary
    "xdedup _dedup 9dedup édedup",  # a word character (ASCII, underscore, digit, Unicode) before: none
    "-dedup\n(dedup) .dedup",  # punctuation and line starts before: boundaries
    "dedupdedup dedupdedup",  # the second occurrence touches the first: no boundary between them
    "class Net(nn.Module): pass\nxnn.Module nn.Modules nn.Module_ nn.Module.x\n" * 3,  # \b after the literal too
    "Trainer( myTrainer( _Trainer( Trainer(\n" * 5,  # more than PER_BRANCH hits, refused ones between
    "megatron megatron-lm amegatron megatron_core 'megatron'",
])
@pytest.mark.parametrize("prefilter", ["find", "re2"])
def test_branches_led_by_a_word_boundary_match_where_the_whole_branch_does(text, prefilter):
    """``\\bdedup``, ``\\bnn\\.Module\\b``: the rest of the branch is searched and the boundary checked
    at each match; the answer must be the one the branch itself gives, at every kind of neighbour."""
    if prefilter == "re2" and not HAVE_RE2:
        pytest.skip("google-re2 is not installed (the fast extra)")
    built = MarkerSet(code._MARKERS, prefilter=prefilter)
    assert {built.branches[i][1].pattern for i in built._tails} >= {r"\bdedup", r"\bnn\.Module\b", r"\bTrainer\("}
    assert built.scan(text) == combined_scan(code._MARKERS, text)


def test_a_match_refused_for_its_boundary_does_not_hide_one_inside_it():
    """``\\ba\\.a\\.a`` on "xa.a.a.a": the rest of the branch matches at 1 (no boundary after "x")
    and again at 3, inside that match, where the boundary holds: the search must go on from 2."""
    groups = {"g": r"\ba\.a\.a"}
    built = MarkerSet(groups, prefilter="find")
    assert built._tails and built.scan("xa.a.a.a") == combined_scan(groups, "xa.a.a.a") == {"g": {"a.a.a"}}


@pytest.mark.parametrize("text", [
    "AutoModelForCausalLM.from_pretrained('x')",  # at the very start
    "m = BertForMaskedLM.from_pretrained(p); n = GPT2Model.from_pretrained(q)\n",
    "x.from_pretrained(a) .from_pretrained(b) self.model.from_pretrained(c)",  # no word, or not one the branch takes
    "éModel.from_pretrained(x) _Model.from_pretrained(y) 9Model.from_pretrained(z)",  # Unicode, underscore, digit
    "FooFor.from_pretrained(a) AutoModel.from_pretrained(b)AutoModel.from_pretrained(c)",  # touching: a boundary each
    "TModel.from_pretrained(a)\n" * 12,  # more than PER_BRANCH hits
    # \b\w*model\w*\.predict\(: a model-named object's prediction (alphafold's model_runner), not a classifier's
    "prediction_result = model_runner.predict(feats) clf.predict(x) self.model.predict(y) mymodel2.predict(z)",
    "xmodel.predict(a)model.predict(b) _model_.predict(c) Model.predict(d)",
])
@pytest.mark.parametrize("prefilter", ["find", "re2"])
def test_word_led_branches_match_where_the_whole_branch_does(text, prefilter):
    """``\\b(?:AutoModel\\w*|\\w+Model)\\.from_pretrained\\(``, ``\\b\\w*model\\w*\\.predict\\(``: tried once,
    at the start of the word before each occurrence of its literal; the answer must be the one the
    branch itself gives."""
    if prefilter == "re2" and not HAVE_RE2:
        pytest.skip("google-re2 is not installed (the fast extra)")
    built = MarkerSet(code._MARKERS, prefilter=prefilter)
    assert [built.branches[i][2] for i in built._word_led] == [".from_pretrained(", ".predict("]
    assert built.scan(text) == combined_scan(code._MARKERS, text)


def test_only_a_word_part_before_a_literal_led_by_a_non_word_character_is_word_led():
    from openness_gate.detectors.markers import _facts, _word_led

    flags = int(re.MULTILINE)
    for branch, expected in [(r"\b(?:Auto\w*|\w+For)\.load\(", True), (r"\b(?:\w+_)?\w+\.save", True),
                             (r"\b[\w.]+Model\.save", False),  # the part can hold a non-word character
                             (r"\b\w*\.save", False),  # the part can be empty
                             (r"\b\w+Model\.save", False),  # the literal ("Model.save") starts with a word character
                             (r"\w+Model\.save", False),  # no leading boundary
                             (r"\b\w+Model\.save\b", False)]:  # something after the literal
        assert _word_led(branch, _facts(branch, flags)[0], flags) is expected, branch


def test_branch_facts_kept_between_runs_are_what_parsing_gives() -> None:
    """The code detector's set is built from facts ``sre_cache`` kept (a previous run's parse):
    each must be what parsing the branch gives now."""
    from openness_gate.detectors.markers import _branch_facts, _facts, _plain

    flags = int(re.MULTILINE)
    checked = 0
    for i, (_, rx, literal, reach, leads) in enumerate(code._CONTENT.branches):
        if _plain(rx.pattern, flags) is None:
            assert (literal, reach, leads) == _facts(rx.pattern, flags), rx.pattern
            checked += 1
    assert checked > 20
    # the whole kept set, the plain-literal branches included, is what working it out again gives
    built = code._CONTENT
    kept = [(name, rx.pattern, literal, reach, leads, i in built._plain,
             built._tails[i].pattern if i in built._tails else None, i in built._word_led)
            for i, (name, rx, literal, reach, leads) in enumerate(built.branches)]
    assert kept == _branch_facts(code._MARKERS, flags)
