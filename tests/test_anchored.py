"""``parsers.anchored``: a pattern tried only where one of its start literals occurs finds exactly
what the pattern finds everywhere. Each (pattern, starts) pair the detectors use is held to that on
the shipped examples, on upper-cased copies and on texts written to trip case folding."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLES
from openness_gate.detectors import code, data, distribution, guardrails, weights
from openness_gate.parsers import anchored, references

PAIRS = {
    "references": (references._PATTERN, references._STARTS),
    "card snippet": (code._CARD_SNIPPET, code._CARD_SNIPPET_STARTS),
    "weight context": (weights._WEIGHT_CONTEXT, weights._WEIGHT_CONTEXT_STARTS),
    **{f"release:{rx.pattern[:20]}": (rx, starts) for rx, starts in distribution._RELEASE_STARTS.items()},
    "revisions": (weights._REVISIONS_TEXT, weights._REVISIONS_TEXT_STARTS),
    "weight url": (weights._WEIGHT_URL, weights._WEIGHT_URL_STARTS),
    **{f"licence:{rx.pattern}": (rx, starts) for rx, starts in distribution._LICENCE_TEXT_STARTS.items()},
    "hazard prompt": (guardrails._HAZARD_PROMPT, guardrails._HAZARD_PROMPT_STARTS),
}

TRICKY = [
    "See ArXiv:2303.12345 and DOI: 10.1000/xyz and HTTPS://HuggingFace.co/Org/Name",
    "model = AutoModel.from_pretrained( 'org/name' ) and hf.co/x",
    "ſtaged releaſe, then a phaſed release: requeſt acceſs (long s)",  # IGNORECASE equates ſ with s
    "Only avaılable through the API (dotless ı); API-only; not publicly released the weights",
    "İ accept the license. Once your request is approved, access is granted. Fill out the form.",
    "hhttps://arxiv.org/abs/2101.00001v2 https://doi.org/10.5/abc doi:10.1/x",
    "approval is required; ACCESS REQUEST; accepting our terms",
    "Run `python -M server  -m models/x.GGUF` or LLAMA-CLI, Ollama Run x; DiffusionPipeline(; a_pipeline(x)",
    "Models are Available on HuggingFace Hub; Hugging Face; the MODEL ZOO; CHECKPOINTS, Weights (.GGUF); github",
    "generate with --MODEL=org/x, model.Generate( or\t-m ./q4.gguf --model_id  pipeline( ſ",
    "Intermediate Checkpoints are on the Hub as branches; see the REVISION list; branch x then an intermediate checkpoint",
    "each Branch holds an Intermediate Checkpoint",
    "revision='step1000' and Revision = \"ckpt-20\" or revision=\"iter_3\"; ReviſionS",
    "weights: HTTPS://example.org/x/model.PT, http://h/a.tar.gz (hTTp://h/b.ckpt) httpſ://no.pt",
    "ATTACHMENT A - USE RESTRICTIONS; OpenRAIL-M; the Responsible AI License; uſe reſtrictions",
    "subject to the Acceptable Use Policy (https://ai.example/use-policy). See http://x/acceptable-use-policy",
    "BEGIN UNSAFE CONTENT CATEGORIES\nS1: Violent Crimes. unsafe content categories; beGIN unſafe content categories",
    "",
]


def _texts() -> list[str]:
    docs = [p.read_text(encoding="utf-8", errors="replace") for p in EXAMPLES.rglob("*.md")]
    # each tricky text also at both ends of a long one: long texts take the str.find way (``_offsets``)
    long = [f"{t}\n{' filler' * (anchored.FIND_SPAN // 6)}\n{t}" for t in TRICKY]
    return docs + [d.upper() for d in docs] + TRICKY + long


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_anchored_matches_equal_the_full_search(name):
    pattern, starts = PAIRS[name]
    for text in _texts():
        full = [(m.span(), m.lastgroup) for m in pattern.finditer(text)]
        fast = [(m.span(), m.lastgroup) for m in anchored.finditer(pattern, starts, text)]
        assert fast == full, text[:80]
        first, fast_first = pattern.search(text), anchored.search(pattern, starts, text)
        assert (first.span() if first else None) == (fast_first.span() if fast_first else None)


def test_fold_is_lower_case_as_ignorecase_compares_and_keeps_offsets():
    assert anchored.fold("ABC ſ ı") == "abc s i"
    assert anchored.fold("İstanbul") == "istanbul"  # str.lower() would make the İ two characters
    assert anchored.fold("ẞ ǅ") == "ß ǆ"
    for text in ("plain", "Straße", "ΣΊΣΥΦΟΣ", "ǅungla"):
        folded = anchored.fold(text)
        assert folded is not None and len(folded) == len(text)


def test_a_start_pattern_that_misses_a_match_start_would_be_caught():
    """The contract is what the test above checks: with a wrong start literal the answers differ."""
    pattern = re.compile(r"foo|bar", re.IGNORECASE)
    wrong = re.compile(r"foo")
    text = "a BAR and a foo"
    assert [m.span() for m in anchored.finditer(pattern, wrong, text)] != [m.span() for m in pattern.finditer(text)]


def test_references_found_on_the_folded_text_are_the_case_insensitive_ones():
    """references matches its lower-case source on the folded text (cheaper to compile) and reads
    the groups back from the original: spans, kinds and the original characters must be what the
    IGNORECASE pattern finds, and ids keep their case."""
    for text in _texts():
        full = [(m.span(), m.lastgroup, m.group(0)) for m in references._PATTERN.finditer(text)]
        folded = [(m.span(), m.lastgroup, text[m.start():m.end()]) for m in references._matches(text)]
        assert folded == full, text[:80]
    found = references.find("Weights: https://HuggingFace.co/OrgName/Model-7B and ArXiv:2303.12345")
    assert [(r.kind, r.value) for r in found] == [("hf_model", "OrgName/Model-7B"), ("arxiv", "2303.12345")]


CONFIG_TEXTS = [
    # the shape of OLMo's training configs: thousands of lines like these
    "data:\n  paths:\n" + "".join(f"    - http://olmo-data.org/preprocessed/dclm/part-{i}-00000.npy\n" for i in range(300)),
    "- S3://Bucket/a.b.c/Part.JSONL.GZ\n- gs://b/x.tar.zst\n- https://h/x.parquet?raw=1 'https://q/y.arrow'",
    "https://h/data/*.npy and s3://b/{split}.jsonl are examples; http://x/real.bin is not",
    "s3://.npy then s3://a/.npy",  # nothing before the first extension: the lazy run looks further
    "https://h/" + "a" * 600 + ".npy and https://h/b.npy",  # past 500 characters: no match from there
    "s3://s3://x.npy xhttps://y.json.gz httpſ://long-s.bin gs:// s3://z.npy",
    "https://h/x.npyz https://h/x.npy_ https://h/x.bin.",
    "",
]


@pytest.mark.parametrize("text", CONFIG_TEXTS, ids=range(len(CONFIG_TEXTS)))
def test_config_data_urls_count_and_first_as_the_lazy_pattern_finds_them(text):
    urls = [u for u in data._DATA_URL_IN_CONFIG.findall(text) if "*" not in u and "{" not in u]
    assert data._config_data_urls(text) == (len(urls), urls[0] if urls else "")
    assert len(data._URL_SCHEMES.findall(text)) == len(re.findall(r"(?:https?|s3|gs)://", text, re.IGNORECASE))


def test_start_literals_are_found_with_find_only_for_plain_case_sensitive_alternations():
    """``_offsets`` replaces the engine with ``str.find`` for an alternation of plain literals; anything
    else (a class, ``\\s``, an IGNORECASE pattern, an escaped "|") stays with the engine, and both ways
    give every place a match of the start pattern begins."""
    assert anchored._literals(r"http|from_pretrained\(|\.gle", 0) == ("http", "from_pretrained(", ".gle")
    for pattern, flags in ((r"api|\s-m ", 0), (r"ab|[cd]e", 0), ("ab|cd", re.IGNORECASE), (r"a\|b", 0), ("a|", 0)):
        assert anchored._literals(pattern, flags) is None, pattern
    pad = " " * anchored.FIND_SPAN
    text = "begin unsafe content categories; unsafe content categories" + pad
    starts = re.compile("begin unsafe content categories|unsafe content categories")
    # all occurrences, those inside another's match too: a superset of the engine's starts, in order
    assert list(anchored._offsets(starts, text, 0, len(text))) == [0, 6, 33]
    assert {m.start() for m in starts.finditer(text)} == {0, 33}
    assert list(anchored._offsets(starts, pad + text, anchored.FIND_SPAN + 1, len(pad + text))) == [
        anchored.FIND_SPAN + 6, anchored.FIND_SPAN + 33]
    assert list(anchored._offsets(starts, text, 0, 40)) == [0]  # a short span: the engine's own starts
