"""Parsers behind the detectors: references, section completeness, front matter quirks, HTML headings."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES
from openness_gate.parsers import card_templates, completeness, frontmatter, markdown, references


def test_references_kinds_ids_lines_and_site_pages_ignored():
    text = ("intro\nWeights: https://huggingface.co/org/Model-7B/tree/main and https://hf.co/datasets/org/corpus\n"
            "see https://huggingface.co/spaces/org/demo and https://huggingface.co/docs/hub\n"
            "paper arXiv:2401.00001 / https://arxiv.org/pdf/2402.00838v2 doi: 10.5281/zenodo.12345.\n"
            "AutoModel.from_pretrained('org/other-model')\n")
    refs = references.find(text)
    got = [(r.kind, r.value, r.line) for r in refs]
    assert got == [("hf_model", "org/Model-7B", 2), ("hf_dataset", "org/corpus", 2), ("arxiv", "2401.00001", 4),
                   ("arxiv", "2402.00838", 4), ("doi", "10.5281/zenodo.12345", 4), ("hf_model", "org/other-model", 5)]
    assert refs[0].url == "https://huggingface.co/org/Model-7B"


def test_a_url_in_a_bibtex_field_ends_before_the_closing_brace():
    # apple/ml-mobileclip's README: "url={https://openreview.net/forum?id=WeF9zolng8}," in its BibTeX
    text = ("@article{faghri2025mobileclip2,\n  url={https://openreview.net/forum?id=WeF9zolng8},\n"
            "  howpublished={https://zenodo.org/records/123456}\n}\n")
    assert [(r.kind, r.url) for r in references.find(text)] == [
        ("paper", "https://openreview.net/forum?id=WeF9zolng8"), ("data_url", "https://zenodo.org/records/123456")]


def test_references_are_capped_and_linear_on_a_huge_line():
    text = "https://huggingface.co/org/m " * 10 + "x" * 2_000_000
    assert len(references.find(text)) == 1  # de-duplicated
    many = " ".join(f"https://huggingface.co/org/m{i}" for i in range(1000))
    assert len(references.find(many)) == references.MAX_REFS


def _introduces(title: str, names: list[str]) -> bool:
    """What a heading matching a template key means, written plainly: the index must agree with it."""
    return any(title == n or title.startswith(n + " ") or title.startswith(n) and len(n) > 6 for n in names)


TEMPLATES = {name: getattr(card_templates, name) for name in ("MODEL_CARD", "DATASHEET", "DATASET_CARD", "DATA_CARDS")}


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_keys_a_heading_introduces_are_the_plain_rule_s(name):
    template = TEMPLATES[name]
    names = sorted({n for ns in template.values() for n in ns})
    titles = {"", " ", "x", "uses", "usesx", "uses x", "evaluation", "evaluationresults", "evaluation results",
              "model card contact", "bias risks and limitations", "direct use of the model"}
    for n in names:  # each name alone, followed by a word, glued to more letters, cut short, doubled
        titles |= {n, n + " more", n + "s", n + "ing data", n[:-1], n[:7], n[:6], n + " " + n, "the " + n}
    for heading in [ln for p in EXAMPLES.rglob("*.md") for ln in p.read_text(encoding="utf-8").splitlines()
                    if ln.startswith("#")]:
        titles.add(completeness.normalise_title(heading.lstrip("#")))
    index = completeness._index(template)
    for title in sorted(titles):
        want = {k for k, ns in template.items() if _introduces(title, list(ns))}
        assert index.keys(title) == want, title


def test_placeholder_sections_count_as_missing_and_subsections_count_for_parents():
    text = ("# Card\n\n## Model Details\n\n### Model Description\n\nA 1B decoder trained on open web text.\n\n"
            "## Uses\n\n<!-- Address questions around how the model is intended to be used -->\n\n"
            "[More Information Needed]\n\n## Bias, Risks, and Limitations\n\n- **Developed by:** TODO\n\n"
            "## Evaluation\n\n{{ results | default('[More Information Needed]') }}\n")
    secs = markdown.sections(text)
    c = completeness.score(secs, card_templates.MODEL_CARD, "t")
    assert c.filled == ("model_details",)
    assert set(c.placeholder_only) == {"uses", "bias_risks_limitations", "evaluation"}
    assert c.score == 0.1
    assert c.lines["uses"] == 9


def test_satisfied_keys_from_metadata():
    c = completeness.score([], card_templates.MODEL_CARD, "t", {"evaluation": 1, "environmental_impact": 1})
    assert c.filled == ("evaluation", "environmental_impact") and c.absent[0] == "model_details"


def test_heading_titles_are_normalised():
    assert completeness.normalise_title("## 1. Model Details [optional]") == "model details"
    assert completeness.normalise_title("📊 Evaluation & Results") == "evaluation and results"


def test_front_matter_bom_crlf_and_norwegian():
    fm = frontmatter.parse("\ufeff---\r\nlicense: mit\r\nlanguage:\r\n- en\r\n- no\r\n---\r\n# Body\r\n")
    assert fm.error is None and fm.data["language"] == ["en", "no"] and fm.data["license"] == "mit"
    assert fm.body_line == 7


def test_front_matter_errors_say_why():
    assert "not a mapping" in frontmatter.parse("---\n- a\n---\n").error
    assert "not valid YAML" in frontmatter.parse("---\na: [\n---\n").error
    big = "---\n" + "k: v\n" * 60_000 + "---\n"
    assert "limit" in frontmatter.parse(big).error


def test_html_and_setext_headings_and_fences():
    text = "<h2>Evaluation</h2>\n| a | 1 |\n\nTitle\n=====\n\n```\n# not a heading\n```\n<H3 class='x'>Uses</H3>\n"
    titles = [(s.level, s.title) for s in markdown.sections(text) if s.level]
    assert titles == [(2, "Evaluation"), (1, "Title"), (3, "Uses")]


def test_heading_indentation_and_underlines_as_commonmark_allows():
    """Up to three spaces before a heading, fence or underline; four make an indented code line; a
    paragraph's underline of ``=`` or ``-`` makes it a heading, a list item's does not."""
    text = ("   ### Three spaces\n    # Four spaces\n\t# Tab\n#No space\n##\n"
            "Para\n   ---\n- item\n---\n    ~~~\n# outside\n   ~~~\n# inside\n~~~~\nAfter\n===\n")
    titles = [(s.level, s.title) for s in markdown.sections(text) if s.level]
    assert titles == [(3, "Three spaces"), (2, ""), (2, "Para"), (1, "outside"), (1, "After")]


def test_a_paragraph_that_opens_with_bold_text_is_a_setext_heading_and_a_list_item_is_not():
    """facebookresearch/detr's README opens with "**DE⫶TR**: End-to-End Object Detection with Transformers" over
    "========": a paragraph (a list marker is followed by a space), so a level-1 heading; "* item" is a list and
    "---" a thematic break, neither of them a heading's title."""
    text = ("**DE⫶TR**: End-to-End Object Detection with Transformers\n========\n\nText.\n\n* item\n===\n\n"
            "---\n===\n")
    titles = [(s.level, s.title) for s in markdown.sections(text) if s.level]
    assert titles == [(1, "DE⫶TR: End-to-End Object Detection with Transformers")]


def test_subtree_words_is_linear_on_many_headings():
    secs = markdown.sections("".join(f"{'#' * (1 + i % 6)} H{i}\n\nword word word\n" for i in range(20_000)))
    words = completeness.subtree_words(secs)
    assert len(words) == len(secs) and words[0] > words[5]


def test_too_short_is_told_apart_from_placeholders():
    secs = markdown.sections("# Card\n\n## Uses\n\nTests only.\n\n## Evaluation\n\n[More Information Needed]\n")
    c = completeness.score(secs, card_templates.MODEL_CARD, "t")
    assert c.too_short == ("uses",) and c.placeholder_only == ("evaluation",)
    assert c.to_facts()["sections_too_short"] == ["uses"]


@pytest.mark.parametrize("text", [
    "A plain paragraph with no residue at all.",
    "**Developed by:** the lab\n**Model type:**\n",  # bold labels only: the narrowed pattern
    "[More Information Needed]\n\n**Funded by [optional]:** [More Information Needed]",
    "ToDo: write this. tbd. FIXME later",
    "<!-- Provide a quick summary -->\n{{ model_summary | default('', true) }}\n{% if x %}y{% endif %}",
    "More Informatıon Needed (dotless ı) and ſome tbd, TODO with a long s: ſhould",
    "İnformation: MORE İNFORMATION NEEDED",  # dotted capital I folds to i for the regex
    "moRE informatıon needed",  # the dotless ı alone: IGNORECASE equates it with i
    "Users (both direct and downstream) should be made aware of the risks, biases and limitations of the model.",
    "Carbon emissions can be estimated using the [Machine Learning Impact calculator](https://x) presented in",
    "Use the code below to get started with the model.\n\nThis is the model card of a 🤗 transformers model "
    "that has been pushed on the Hub. This model card has been automatically generated.",
    "**bold** text **with: two** parts and a TODO",
])
def test_stripping_placeholders_equals_the_full_pattern(text):
    assert completeness.strip_placeholders(text) == completeness.PLACEHOLDER.sub(" ", text)


def test_stripping_placeholders_equals_the_full_pattern_on_the_shipped_examples():
    from conftest import EXAMPLES

    texts = [p.read_text(encoding="utf-8", errors="replace") for p in EXAMPLES.rglob("*.md")]
    assert texts
    for text in texts:
        for chunk in (text, text.upper(), text[: len(text) // 2]):
            assert completeness.strip_placeholders(chunk) == completeness.PLACEHOLDER.sub(" ", chunk)
