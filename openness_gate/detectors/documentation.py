"""Documentation detectors: model card, datasheet, evaluation results, red teaming, publication, change log.

The model card and datasheets are scored for completeness against their templates
(``parsers.card_templates``): headings under which only template residue remains count as
missing, so an auto-generated card is ``partial``, not ``present``.
"""

from __future__ import annotations

import re
from itertools import islice

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import (MAX_EVIDENCE, declared, depth, doc_name, front_matter, is_ignored,
                                             is_vendored, load_json)
from openness_gate.detectors.cards import ModelCard, find_model_card, parse_card  # noqa: F401  (re-exported)
from openness_gate.findings import LINKED, MISSING, PARTIAL, PRESENT, Evidence, Finding, missing
from openness_gate.inventory import Inventory, extension
from openness_gate.parsers import card_templates, completeness, markdown, safe_yaml
from openness_gate.parsers.references import Reference

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, Iterator

PARTIAL_BELOW = 0.6  # completeness under which a card or datasheet counts as partial (6 of 10 card sections)
MAX_DOC_READS = 30  # documents read per detector beyond the primary card
_UNREAD = f"content not read: the documentation detector reads at most {MAX_DOC_READS} documents of a kind"

#: "cite TRL as:" introduces a library's entry; "cite simply as:", "cite us as:" the project's own (karpathy/nanochat)
_CITE_AS = lazyre.compile(r"cite\s+(?:trl|peft|transformers|unsloth|(?!(?:simply|us|this|it|our|me|them)\b)[\w-]+ as:)",
                          re.IGNORECASE)
_TABLE_RULE = lazyre.compile(r"\|?[\s:|-]+\|?")
_TECH_REPORT = lazyre.compile(r"technical[ _-]?report|tech[ _-]?report|techreport", re.IGNORECASE)


def _not_ours(path: str) -> bool:
    return is_ignored(path) or is_vendored(path)


# --------------------------------------------------------------------------------------------- model card
def model_index_results(value: Any) -> tuple[int, str | None]:
    """(number of metric values, problem) for a ``model-index`` value of any shape."""
    if not isinstance(value, list):
        return 0, f"`model-index` is a {type(value).__name__}, not a list of models; ignored"
    n = 0
    for model in value[:100]:
        results = model.get("results") if isinstance(model, dict) else None
        for r in results[:1000] if isinstance(results, list) else []:
            metrics = r.get("metrics") if isinstance(r, dict) else None
            for m in metrics[:100] if isinstance(metrics, list) else []:
                if isinstance(m, dict) and isinstance(m.get("value"), (int, float, str)) and m.get("type"):
                    n += 1
    return n, None if n else "`model-index` has no metric with a type and a value"


_BIBTEX = lazyre.compile(r"^\s*(?:<pre>|<code>)?\s*@(article|inproceedings|misc|techreport|report|book|online|software|unpublished|"
                         r"conference|phdthesis)\s*\{", re.IGNORECASE | re.MULTILINE)
#: tools whose own papers a model's card cites (it used them), and methods' papers likewise
_LIBRARY_NAMES = (r"trl|transformers|peft|unsloth|axolotl|deepspeed|pytorch|tensorflow|jax|accelerate|vllm|mergekit|"
                  r"llama-?factory|sentence-?(?:transformers|bert)|flash-?attention-?\d?|open-?clip")
_METHOD_PAPERS = (r"direct preference optimization|lora: low-rank|low-rank adaptation|lm[- ]evaluation[- ]harness|"
                  r"framework for few-shot (?:language model )?evaluation|efficient memory management for large|"
                  r"datasets: a community library")
#: methods whose papers are titled by their name alone ("QLoRA: Efficient Finetuning of Quantized LLMs"):
#: in a project's own title the name is a word like any other ("Dissecting QLoRA's Efficiency for VLM
#: Adaptation", MonsieurNam/QLORA_CLIP_IxT; "…Fine-Tuning Pipeline with QLoRA", Manirider)
_METHOD_NAMES = r"qlora"
_LIBRARY_CITE = lazyre.compile(rf"\b(?:{_LIBRARY_NAMES}|{_METHOD_NAMES}|{_METHOD_PAPERS}|cite (?:trl|the library|"
                               r"this library|the framework|[a-z]+ as)|framework versions)\b", re.IGNORECASE)


#: the title of a library's or a method's own paper (a card that uses TRL cites TRL): judged on the
#: entry's title only, so that "Taming Transformers…" or acknowledgements after the entry do not count.
#: A name before a colon, or alone: ``_BIB_TITLE`` stops at a brace, so title={{QLoRA}: Efficient…} is "QLoRA"
_LIBRARY_TITLE = lazyre.compile(rf"^\W*(?:{_LIBRARY_NAMES}|{_METHOD_NAMES}|datasets)\b\W*(?::|$)|{_METHOD_PAPERS}",
                                re.IGNORECASE)
_BIB_TITLE = lazyre.compile(r"\btitle\s*=\s*[{\"]+([^}\"\n]{1,300})", re.IGNORECASE)


def _cites_a_library(entry: str, before: str = "") -> bool:
    """A BibTeX entry for a library's or a method's paper, judged by its title (else its head),
    or one the text just before introduces as such ("cite TRL as:")."""
    title = _BIB_TITLE.search(entry)
    return bool(_LIBRARY_TITLE.search(title.group(1) if title else entry[:200])
                or _CITE_AS.search(before))


def _bibtex_entries(card: ModelCard) -> Iterator[tuple[int, int, str, str, bool]]:
    """The BibTeX entries written in the card, in order: (first line, last line, entry type, first lines,
    whether it cites a library's or a method's paper). An entry ends at the first line that opens with "}"."""
    text = card.text[:200_000]
    for m in _BIBTEX.finditer(text):
        head = text[m.start():m.start() + 600]
        end = text.find("\n}", m.start(), m.start() + 3000)
        first = card.line_index.line(m.start())
        last = first + text.count("\n", m.start(), end if end != -1 else m.start() + 600)
        yield first, last, m.group(1).lower(), head, _cites_a_library(head, text[max(0, m.start() - 200):m.start()])


def _in_library_entry(card: ModelCard, line: int) -> bool:
    """Whether ``line`` lies in a BibTeX entry that cites a library's or a method's paper (its ``url``
    field: senuda07/Legal-LoRA-Finetuning's TRL-written card cites DPO with a papers.nips.cc url)."""
    for first, last, _, _, library in _bibtex_entries(card):
        if first > line:
            break
        if library and line <= last:
            return True
    return False


def _card_bibtex(card: ModelCard) -> list[tuple[int, str, str]]:
    """BibTeX entries written in the card: (line, entry type, first lines) — library citations excluded."""
    own = ((first, etype, head) for first, _, etype, head, library in _bibtex_entries(card) if not library)
    return list(islice(own, 5))


@detector("documentation", ["docs.model_card"])
def model_card(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, ["docs.model_card"])
    cards = ctx.cards
    card = cards.primary
    if card is None:
        if cards.rejected:
            yield Finding("docs.model_card", MISSING, tuple(Evidence(f"not used as a model card: {why}", p)
                                                            for p, why in cards.rejected[:3]))
        else:
            yield missing("docs.model_card", "no README.md with card front matter, MODEL_CARD.md or per-model card")
        return
    fm = card.front_matter
    satisfied: dict[str, int] = {}
    if "model-index" in fm.data and model_index_results(fm.data["model-index"])[0]:
        satisfied["evaluation"] = 1
    if fm.data.get("co2_eq_emissions") not in (None, "", {}):
        satisfied["environmental_impact"] = 1
    bib = _card_bibtex(card)
    if bib:
        satisfied["citation"] = bib[0][0]
    comp = completeness.score(card.sections, card_templates.MODEL_CARD, "huggingface-model-card", satisfied)
    evidence = [Evidence(f"model card: {card.why}", card.path, 1)]
    if fm.error:
        evidence.append(Evidence(fm.error, card.path, 1))
    if card.note:
        evidence.append(Evidence(card.note, card.path))
    status = PRESENT if comp.score >= PARTIAL_BELOW else PARTIAL
    summary = f"completeness {comp.score:.2f}: {len(comp.filled)} of {comp.total} standard sections have content"
    if comp.placeholder_only:
        summary += f"; only template placeholders under {', '.join(comp.placeholder_only)}"
    if comp.too_short:
        summary += f"; fewer than {completeness.MIN_WORDS} words under {', '.join(comp.too_short)}"
    if status == PARTIAL:
        summary += f" (below {PARTIAL_BELOW:.2f}, so partial)"
    evidence.append(Evidence(summary, card.path))
    for key in comp.placeholder_only[:2]:
        evidence.append(Evidence(f"section '{key}' holds only template placeholders", card.path, comp.lines.get(key)))
    facts = comp.to_facts()
    facts.update({
        "primary": card.path,
        "has_front_matter": fm.present and fm.error is None,
        "other_cards": [c.path for c in cards.cards[1:]][:20],
        **_card_metadata(fm.data),
    })
    texts = _section_texts(card, comp)
    if texts:
        facts["section_text"] = texts
    yield Finding("docs.model_card", status, tuple(evidence), facts)


#: front-matter keys whose string value the facts carry as is (bills of materials name the task and library)
_METADATA_KEYS = ("pipeline_tag", "library_name")
#: card sections whose text the facts carry (capped): what a model is for, not for, and its known limits
SECTION_TEXT_KEYS = ("uses", "out_of_scope", "bias_risks_limitations")
SECTION_TEXT_CAP = 1000


def _card_metadata(data: dict[str, Any]) -> dict[str, str]:
    """The card's task and library (``pipeline_tag``, ``library_name``) when they are short strings."""
    return {k: data[k].strip()[:100] for k in _METADATA_KEYS if isinstance(data.get(k), str) and data[k].strip()}


def _section_texts(card: ModelCard, comp: Any) -> dict[str, str]:
    """The text under each filled section of ``SECTION_TEXT_KEYS`` (its sub-sections included), template
    residue removed, whitespace collapsed, capped: the card's own words on uses and limitations."""
    out: dict[str, str] = {}
    secs = card.sections
    for key in SECTION_TEXT_KEYS:
        line = comp.lines.get(key) if key in comp.filled else None
        start = next((i for i, s in enumerate(secs) if s.line == line and s.level), None)
        if start is None:
            continue
        others = {comp.lines.get(k) for k in SECTION_TEXT_KEYS if k != key}  # "Out-of-scope use" under "Uses"
        parts, skip_below = [secs[start].body], 7
        for s in secs[start + 1:]:
            if s.level <= secs[start].level or sum(map(len, parts)) > 4 * SECTION_TEXT_CAP:
                break
            if s.level <= skip_below:
                skip_below = s.level if s.line in others else 7
            if skip_below == 7:
                parts.append(f"{s.title}: {s.body}")
        text = " ".join(completeness.strip_placeholders(" ".join(parts)[:8 * SECTION_TEXT_CAP]).split())
        if text:
            out[key] = text if len(text) <= SECTION_TEXT_CAP else text[:SECTION_TEXT_CAP - 1] + "…"
    return out


# --------------------------------------------------------------------------------------------- datasheet
_DATA_DIR_README = lazyre.compile(r"(?:^|/)(?:data|datasets?|corpus|corpora|data_prep)/(?:[^/]+/)?readme\.(?:md|rst|txt)$",
                                  re.IGNORECASE)
_DATASHEET_LINE = lazyre.compile(r"(?:datasheet|data[_-]?card|dataset[_-]?card|data[_-]?statement|data[_-]?documentation)"
                                 r"[^\n]*\.(?:md|markdown|rst|txt|pdf|html)$", re.MULTILINE)
_README_LINE = lazyre.compile(r"^readme\.(?:md|rst|txt)$", re.MULTILINE)
_CROISSANT_LINE = lazyre.compile(r"^(?:[^\n]*croissant[^\n]*\.json|metadata\.json|[^\n]*\.jsonld)$", re.MULTILINE)
CROISSANT_REQUIRED = ("@context", "@type", "conformsTo", "name", "description", "license", "url", "creator",
                      "datePublished", "distribution")
_DATA_SECTION = ("training data", "data", "dataset", "datasets", "data statement", "pretraining data", "model data",
                 "pre-training data", "training dataset", "training datasets", "data sources", "dataset details")
DATA_STATEMENT_MIN_WORDS = 30


def _best_data_template(secs: list[markdown.Section], text: str) -> completeness.Completeness:
    scored = [completeness.score(secs, card_templates.DATASHEET, "datasheets-for-datasets"),
              completeness.score(secs, card_templates.DATASET_CARD, "huggingface-dataset-card"),
              completeness.score(secs, card_templates.DATA_CARDS, "google-data-cards")]
    if "<!-- scope:" in text:
        return scored[2]
    return max(scored, key=lambda c: (len(c.filled) + len(c.placeholder_only) / 2, c.score))


def _score_data_doc(inv: Inventory, path: str, text: str, note: str | None, why: str) -> Finding | None:
    fm = front_matter(inv, text)
    secs = markdown.sections(fm.body, line_offset=fm.body_line - 1)
    comp = _best_data_template(secs, text)
    dataset_fm = bool(set(fm.data) & card_templates.DATASET_CARD_KEYS)
    if not comp.filled and not comp.placeholder_only and not dataset_fm:
        return None
    status = PRESENT if comp.score >= PARTIAL_BELOW else PARTIAL
    evidence = [Evidence(f"{why} ({comp.template}, completeness {comp.score:.2f}: {len(comp.filled)} of "
                         f"{comp.total} sections filled)", path, 1)]
    if comp.placeholder_only:
        evidence.append(Evidence(f"only template placeholders under {', '.join(comp.placeholder_only[:4])}", path,
                                 comp.lines.get(comp.placeholder_only[0])))
    if note:
        evidence.append(Evidence(note, path))
    return Finding("docs.datasheet", status, tuple(evidence), {**comp.to_facts(), "path": path})


def _croissant(path: str, text: str | None) -> Finding | None:
    if not text or "croissant" not in text[:20_000].lower():
        return None
    data = load_json(text)
    if not isinstance(data, dict):
        return Finding("docs.datasheet", PARTIAL, (Evidence("mentions Croissant but is not a valid JSON-LD object "
                                                            "(invalid or truncated JSON)", path),),
                       {"croissant": {"valid": False}})
    conforms = data.get("conformsTo") or data.get("dct:conformsTo") or ""
    conforms = " ".join(map(str, conforms)) if isinstance(conforms, list) else str(conforms)
    if "mlcommons.org/croissant" not in conforms and "mlcommons.org/croissant" not in str(data.get("@context"))[:5000]:
        return None
    present_keys = {k.split(":")[-1] for k in data}
    absent = [k for k in CROISSANT_REQUIRED if k.split(":")[-1] not in present_keys and k not in data]
    if "@type" in data and "Dataset" not in str(data["@type"]):
        absent.append("@type=sc:Dataset")
    rai = sorted(k for k in data if k.lower().startswith("rai:"))
    version = conforms.rsplit("/", 1)[-1] if "croissant/" in conforms else None
    if absent:
        ev = Evidence(f"Croissant {version or ''} metadata missing required field(s): {', '.join(absent)}".replace("  ", " "),
                      path)
        status = PARTIAL
    else:
        ev = Evidence(f"Croissant {version or ''} dataset metadata with all required fields"
                      + (f" and {len(rai)} RAI field(s)" if rai else ""), path)
        status = PRESENT
    return Finding("docs.datasheet", status, (ev,), {"croissant": {"version": version, "missing": absent,
                                                                   "rai_fields": rai[:25]}})


@detector("documentation", ["docs.datasheet"])
def datasheet(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    yield from declared(ctx, ["docs.datasheet"])
    ix = ctx.index
    named = [f for f in ix.names_matching(_DATASHEET_LINE, None, (
        "datasheet", "data_card", "data-card", "datacard", "dataset_card", "dataset-card", "datasetcard",
        "data_statement", "data-statement", "datastatement", "data_documentation", "data-documentation",
        "datadocumentation")) if not _not_ours(f.path)]
    readmes = [f for f in ix.names_matching(_README_LINE, None, ("readme",)) if not _not_ours(f.path) and (
        depth(f.path) <= 2 or _DATA_DIR_README.search(f.path))]
    croissant = [f for f in ix.names_matching(_CROISSANT_LINE, None, ("croissant", "metadata.json", ".jsonld"))
                 if not _not_ours(f.path)]
    reads = 0
    inv.mark_unread([f.path for f in named[MAX_DOC_READS:]], _UNREAD)
    inv.mark_unread([f.path for f in croissant[MAX_DOC_READS:]], _UNREAD)
    for f in named[:MAX_DOC_READS]:
        if extension(f.path) in (".pdf", ".html"):
            yield Finding("docs.datasheet", PRESENT, (Evidence(f"datasheet / data card document (named "
                                                                f"{f.name}; {extension(f.path)[1:].upper()} not read)",
                                                                f.path),))
            continue
        read = inv.read_text(f.path)
        reads += 1
        if read.text is None:
            yield missing("docs.datasheet", f"{f.path}: {read.note}")
            continue
        found = _score_data_doc(inv, f.path, read.text, read.note, "datasheet / data card file")
        if found is None:
            n = completeness.real_words(read.text)
            status = PARTIAL if n >= DATA_STATEMENT_MIN_WORDS else MISSING
            reason = (f"{f.name} has {n} words but none of the datasheet / dataset card sections" if status == PARTIAL
                      else f"{f.name} is nearly empty ({n} words)")
            found = Finding("docs.datasheet", status, (Evidence(reason, f.path),))
        yield found
    for i, f in enumerate(readmes):
        if reads >= MAX_DOC_READS:
            inv.mark_unread([r.path for r in readmes[i:]], _UNREAD)
            break
        dataset_dir = bool(_DATA_DIR_README.search(f.path))
        read = inv.read_text(f.path)
        reads += 1
        if read.text is None:
            continue
        fm = front_matter(inv, read.text)
        is_dataset_card = fm.error is None and bool(set(fm.data) & card_templates.DATASET_CARD_KEYS) and not (
            set(fm.data) & {"pipeline_tag", "library_name", "base_model", "model-index"})
        if not (is_dataset_card or dataset_dir):
            continue
        why = "Hugging Face dataset card" if is_dataset_card else "README of a data folder"
        found = _score_data_doc(inv, f.path, read.text, read.note, why)
        if found is not None and (is_dataset_card or len(found.facts.get("sections_filled", ())) >= 2):
            yield found
        elif dataset_dir:
            # a data folder's notes (download steps, file formats, even statistics) are not a datasheet:
            # one is a document structured as one (motivation, composition, collection…)
            yield missing("docs.datasheet", f"{f.path}: a data folder README, not structured as a datasheet "
                                            "(fewer than 2 datasheet sections)")
    for f in croissant[:MAX_DOC_READS]:
        found = _croissant(f.path, inv.text(f.path))
        if found is not None:
            yield found
    card = ctx.model_card
    if card is not None:
        words = completeness.subtree_words(card.sections)
        best = None
        for s, w in zip(card.sections, words):
            title = completeness.normalise_title(s.title)
            if s.level and any(title == t or title.startswith(t + " ") for t in _DATA_SECTION):
                if best is None or w > best[1]:
                    best = (s, w)
        if best is not None:
            # a paragraph about the training data inside a model card is the card's job, not a
            # datasheet: said as a reason, never as a (partial) datasheet
            s, w = best
            yield missing("docs.datasheet", f"only the model card's '{s.title[:60]}' section ({w} words) describes the "
                                            "data; no dedicated datasheet")


# --------------------------------------------------------------------------------------------- evaluation results
_BENCHMARKS = lazyre.compile(
    r"\b(?:mmlu(?:-pro)?|hellaswag|arc(?:[- ]?(?:e|c|easy|challenge))?|truthfulqa|gsm-?8k|human-?eval|mbpp|winogrande|"
    r"piqa|boolq|lambada|bbh|big-?bench|math|gpqa|ifeval|mt-?bench|alpaca-?eval|arena-?hard|drop|triviaqa|"
    r"natural ?questions|squad|glue|superglue|openbookqa|siqa|commonsenseqa|agieval|c-?eval|cmmlu|musr|"
    r"fid|clip ?score|imagenet|coco|cifar|wer|bleu|rouge|chrf|perplexity|accuracy|f1|exact match|pass@1|"
    r"toxigen|realtoxicityprompts|bbq|crows-?pairs|livecodebench|swe-?bench|aime|mgsm|flores|xnli|mteb|librispeech|"
    r"in-?1k|k400|kinetics|esc-?50|nyu-?d|audioset|ucf-?101|msr-?vtt|flickr30k|vqa ?v?2?|gqa|textvqa|mmbench|mme|"
    r"seed-?bench|pope|docvqa|chartqa|ocrbench|mathvista|mmmu|geneval|dpg-?bench|vbench|longbench|bfcl|tau-?bench|"
    r"simpleqa|livebench|psnr|ssim|lpips|fvd|miou|map|auc|cer|mos|precision|recall|triviaqa|chinese ?qa|"
    r"obqa|arc_[ce]|zero-?shot|few-?shot|\d+-shot|"
    # retrieval and ranking metrics (CLIP and embedding models: Chien317/chinese-clip-finetune's R@1 tables)
    r"r@\d+|recall@\d+|mrr|ndcg(?:@\d+)?|hits?@\d+|map@\d+|top-?[15](?: acc\w*)?)\b",
    re.IGNORECASE)
_NUMBER = lazyre.compile(r"(?<![\w.])\d+(?:\.\d+)?%?(?![\w])")
_EVAL_TITLE = lazyre.compile(r"evaluat|result|benchmark|performance|metric|leaderboard|score|评测|评估|测评|性能|结果",
                             re.IGNORECASE)
#: prose that says the table after it holds evaluation results, read in the 400 characters before it
_EVAL_TABLE_PROSE = lazyre.compile(r"\bevaluat(?:e|ed|ion|ions|ors?)\b|\bwin[- ]rates?\b|评测|评估|测评", re.IGNORECASE)
#: headings under which a figure is a results plot (narrower: "performance" may be a speed chart)
_EVAL_FIGURE_TITLE = lazyre.compile(r"evaluat|benchmark|results?\b|leaderboard|评测|评估|测评", re.IGNORECASE)
#: an image whose file name says it shows evaluation results; not a diagram of how they are made
#: ("evaluation_pipeline.png", "benchmark_overview.svg")
_EVAL_FIGURE_NAME = lazyre.compile(r"(?:^|[/_-])(?![^/]*(?:pipeline|diagram|overview|workflow|framework|architecture))"
                                   r"(?:eval|evals|evaluation|benchmarks?|leaderboard|results?|win[_-]?rates?)"
                                   r"(?:[_.-][^/]*)?\.(?:png|jpe?g|svg|gif|webp)(?:[?#][^/]*)?$", re.IGNORECASE)
#: prose that says the figure next to it shows evaluation results (Stability-AI/StableCascade: "The above picture
#: shows the results from a human evaluation ...", then figures/comparison.png); read in the 400 characters before it
_EVAL_FIGURE_PROSE = lazyre.compile(r"\bresults? (?:of|from) (?:a|an|the|our) (?:\w+ ){0,2}evaluation|"
                                    r"\bevaluation results?\b|\bhuman evaluation\b|\bwin[- ]rates?\b", re.IGNORECASE)
_FIGURE = lazyre.compile(r"!\[[^\]\n]{0,300}\]\(\s*([^)\s]{1,500})|<img\b[^>\n]{0,500}?\bsrc\s*=\s*[\"']([^\"'>\s]{1,500})",
                         re.IGNORECASE)
_EVAL_DOC = lazyre.compile(r"(?:^|/)[^/]*(?:eval|result|benchmark|leaderboard)[^/]*\.(?:md|markdown|csv|tsv)$",
                           re.IGNORECASE)
_HELM = lazyre.compile(r"(?:^|/)benchmark_output/runs/|(?:^|/)runs/[^/]+/[^/]+/(?:stats|run_spec|scenario)\.json$",
                       re.IGNORECASE)
_OPENCOMPASS = lazyre.compile(r"(?:^|/)summary/summary_[^/]*\.(?:csv|txt|md)$", re.IGNORECASE)
_HELM_DIR = lazyre.compile(r"(?:^|/)benchmark_output/runs/|(?:^|/)runs/[^/]+/[^/]+/$", re.IGNORECASE)
_SUMMARY_DIR = lazyre.compile(r"(?:^|/)summary/$", re.IGNORECASE)
_EVAL_RESULTS_DIR = lazyre.compile(r"(?:^|/)\.eval_results/$")
_RESULTS_JSON_LINE = lazyre.compile(r"^(?:results[^\n]*|[^\n]*eval[^\n]*results?[^\n]*|all_results|[^\n]*_results)\.json$",
                                    re.MULTILINE)
_EVAL_DOC_LINE = lazyre.compile(r"(?:eval|result|benchmark|leaderboard)[^\n]*\.(?:md|markdown|csv|tsv)$", re.MULTILINE)
_EVAL_RESULTS_YAML = lazyre.compile(r"(?:^|/)\.eval_results/[^/]+\.ya?ml$", re.IGNORECASE)


def result_table_lines(text: str, start_line: int = 1, need_benchmark: bool = True) -> list[int]:
    """Lines of result tables: Markdown or HTML tables with numbers in their body and (if asked)
    a benchmark or metric name in the header or in a row that holds a number: results tables name
    benchmarks in the header and models in the rows, or benchmarks in the rows beside their scores.
    A metric word in a row without a number is not one ("Inference Precision: BF16, FP16" in
    THUDM/CogVideo's model table, "perplexity of an LM" in togethercomputer/RedPajama-Data's
    list of quality signals). A table whose text just before it speaks of evaluation needs no
    benchmark name: human ratings have none (Tencent/HunyuanVideo's "Text Alignment / Motion
    Quality / Visual Quality" after "… professional evaluators performed the evaluation")."""
    hits = []
    lines = text.split("\n")[:5000]
    for first_line, header, rows in _tables(lines):
        numbered = [(i, row) for i, row in rows if _NUMBER.search(_cell_text(row))]
        if not numbered:
            continue
        if (need_benchmark and not _BENCHMARKS.search(header) and not any(_BENCHMARKS.search(r) for _, r in numbered)
                and not _EVAL_TABLE_PROSE.search("\n".join(lines[max(0, first_line - 8):first_line])[-400:])):
            continue
        hits.append(start_line + numbered[0][0])
        if len(hits) >= 3:
            break
    return hits


_LINK = lazyre.compile(r"\]\([^)]{0,500}\)|https?://\S+|<[^>]{0,500}>")


def _cell_text(row: str) -> str:
    """A table row without link targets, URLs and tags, whose numbers are not results."""
    return _LINK.sub(" ", row)


def _tables(lines: list[str]) -> Iterable[tuple[int, str, list[tuple[int, str]]]]:
    """(index of the first line, header text, [(index, row)] of body rows) for each table."""
    i, n = 0, len(lines)
    while i < n:
        s = lines[i].strip()
        if s.startswith("|") and len(s) <= 5000:
            start = i
            block = []
            while i < n and lines[i].strip().startswith("|") and len(lines[i]) <= 5000:
                block.append((i, lines[i].strip()))
                i += 1
            sep = next((k for k, (_, row) in enumerate(block) if _TABLE_RULE.fullmatch(row)), None)
            header = " ".join(r for _, r in block[:sep or 1])
            yield start, header, block[(sep + 1) if sep is not None else 1:]
            continue
        if "<table" in s.lower():
            start = i
            block = []
            while i < n and i - start < 400:
                block.append(lines[i].strip())
                if "</table" in lines[i].lower():
                    break
                i += 1
            i += 1
            yield start, *_html_rows(start, "\n".join(block))
            continue
        i += 1


def _html_rows(start: int, table: str) -> tuple[str, list[tuple[int, str]]]:
    """(header text, [(index of the first line, row text)] of body rows) of an HTML table, one row
    per ``<tr>`` whatever its line breaks (a cell a line is common). The header: rows of ``<th>``
    cells only, or the first row when no row has one (a header written with ``<td>``)."""
    rows = []  # (line, row, its <td> and <th> counts): lines counted piece by piece, never from the
    line = start  # table's start (a one-line table of 1 MiB holds tens of thousands of rows)
    for piece in _TR.split(table, MAX_HTML_ROWS)[:MAX_HTML_ROWS]:  # a results table's first rows decide
        low = piece.lower()
        td, th = low.find("<td"), low.find("<th")
        if td >= 0 or th >= 0:  # the row's line: where its first cell starts
            rows.append((line + piece.count("\n", 0, min(k for k in (td, th) if k >= 0)), piece, td >= 0, th >= 0))
        line += piece.count("\n")
    heads = [r for _, r, td, th in rows if th and not td]
    if not heads and rows and not any(th for *_, th in rows):
        heads, rows = [rows[0][1]], rows[1:]
    return " ".join(heads), [(k, r) for k, r, td, _ in rows if td]


_TR = lazyre.compile(r"(?=<tr\b)", re.IGNORECASE)
MAX_HTML_ROWS = 1000  # rows of one HTML table looked at (a Markdown table is cut by the 5,000 lines read)
_TIMING = ("_runtime", "_samples_per_second", "_steps_per_second", "_samples")
MAX_METRICS = 100  # metric values kept in the facts (a harness run over 60 tasks gives hundreds)


def harness_results(text: str, source: str = "", limit: int = MAX_METRICS) -> tuple[str | None, list[str],
                                                                                  list[dict[str, Any]]]:
    """(kind, task names, metric values) when ``text`` is an lm-eval-harness or HF Trainer results file,
    else (None, [], []). Only the first ``limit`` metric values are made: the facts keep ``MAX_METRICS``
    of all the files together, and a model suite's sixty harness files hold thousands."""
    head = text[:65536]
    if '"results"' in head and any(k in text for k in ('"versions"', '"configs"', '"n-shot"', '"config"')):
        data = load_json(text)
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, dict):
            return "lm-evaluation-harness results", [], []
        metrics = (m for t, values in sorted(results.items(), key=lambda kv: str(kv[0])) if isinstance(values, dict)
                   for k, v in values.items() if _number(v) and not str(k).split(",")[0].endswith("_stderr")
                   if (m := metric(str(k).split(",")[0], v, source, task=str(t))))
        return "lm-evaluation-harness results", sorted(results)[:20], list(islice(metrics, limit))
    data = load_json(text) if len(text) < 65536 else None
    if isinstance(data, dict):
        keys = [k for k in data if isinstance(k, str) and k.startswith(("eval_", "test_", "predict_"))
                and not k.endswith(_TIMING)]
        if keys:
            values = (m for k in keys if _number(data[k]) if (m := metric(k, data[k], source)))
            return "Trainer evaluation metrics", [], list(islice(values, limit))
    return None, [], []


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def metric(kind: Any, value: Any, source: str, *, task: Any = None, dataset: Any = None,
           name: Any = None) -> dict[str, Any] | None:
    """One metric value as the facts record it (``type``, ``value``, and where known the task, the dataset,
    a display name and the file it came from), or None when it has no type or no numeric/short value."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)) or not isinstance(kind, str) or \
            not kind.strip() or (isinstance(value, str) and (not value.strip() or len(value) > 100)):
        return None
    if isinstance(value, float) and value != value:  # NaN: not a result
        return None
    out: dict[str, Any] = {"type": kind.strip()[:100], "value": value}
    for key, v in (("task", task), ("dataset", dataset), ("name", name)):
        if isinstance(v, str) and v.strip():
            out[key] = v.strip()[:100]
    if source:
        out["source"] = source
    return out


def model_index_metrics(value: Any, source: str) -> list[dict[str, Any]]:
    """Every metric value of a ``model-index`` (see ``model_index_results``), with its task and dataset."""
    out: list[dict[str, Any]] = []
    for model in value[:100] if isinstance(value, list) else []:
        results = model.get("results") if isinstance(model, dict) else None
        for r in results[:1000] if isinstance(results, list) else []:
            if not isinstance(r, dict):
                continue
            task = r.get("task") if isinstance(r.get("task"), dict) else {}
            ds = r.get("dataset") if isinstance(r.get("dataset"), dict) else {}
            for m in r.get("metrics")[:100] if isinstance(r.get("metrics"), list) else []:
                found = metric(m.get("type"), m.get("value"), source, task=task.get("type") or task.get("name"),
                               dataset=ds.get("name") or ds.get("type"), name=m.get("name")) \
                    if isinstance(m, dict) else None
                if found:
                    out.append(found)
                if len(out) >= MAX_METRICS:
                    return out
    return out


@detector("documentation", ["docs.evaluation"])
def evaluation_results(ctx: Context) -> Iterable[Finding]:
    """Evaluation results; the metric values of all of them together are capped at ``MAX_METRICS``
    (sixty harness files of a model suite would otherwise put thousands in the facts): each source of
    values is asked only for what is left."""
    inv = ctx.inventory
    left = MAX_METRICS
    yield from declared(ctx, ["docs.evaluation"])
    card = ctx.model_card
    if card is not None and "model-index" in ctx.front_matter:
        n, problem = model_index_results(ctx.front_matter["model-index"])
        if n:
            values = model_index_metrics(ctx.front_matter["model-index"], card.path)
            left -= len(values)
            yield Finding("docs.evaluation", PRESENT, (Evidence(f"`model-index` in the card front matter: {n} metric "
                                                                "value(s)", card.path, 1),),
                          {"model_index_metrics": n, **({"metrics": values} if values else {})})
        else:
            yield missing("docs.evaluation", f"{card.path}: {problem}")
    for card in ctx.all_documents:
        found = _results_in_document(ctx, card)
        if found is not None:
            yield found
            break
    ix = ctx.index
    for f in ix.in_dirs(ix.dirs_matching(_HELM_DIR), frozenset({".json"}))[:1]:
        if not _not_ours(f.path):
            yield Finding("docs.evaluation", PRESENT, (Evidence("HELM benchmark run output", f.path),), {"harness": "helm"})
    for f in ix.in_dirs(ix.dirs_named(_SUMMARY_DIR))[:1]:
        if _OPENCOMPASS.search(f.path) and not _not_ours(f.path):
            yield Finding("docs.evaluation", PRESENT, (Evidence("OpenCompass summary", f.path),), {"harness": "opencompass"})
    reads = 0
    results_yaml = ix.in_dirs(ix.dirs_named(_EVAL_RESULTS_DIR), frozenset({".yaml", ".yml"}))
    inv.mark_unread([f.path for f in results_yaml[MAX_DOC_READS:]], _UNREAD)
    unread: list[str] = []
    for f in results_yaml[:MAX_DOC_READS]:
        reads += 1
        found = _eval_results_yaml(f.path, inv.text(f.path), left)
        left -= len(found.facts.get("metrics", ()))
        yield found
    for f in ix.names_matching(_RESULTS_JSON_LINE, [".json"], ("result",)):
        if _not_ours(f.path):
            continue
        if reads >= MAX_DOC_READS:
            unread.append(f.path)
            continue
        reads += 1
        kind, tasks, values = harness_results(inv.text(f.path) or "", f.path, left)
        left -= len(values)
        if kind:
            what = f"{kind}" + (f" ({', '.join(tasks[:5])})" if tasks else "")
            facts = {**({"harness_tasks": tasks} if tasks else {}), **({"metrics": values} if values else {})}
            yield Finding("docs.evaluation", PRESENT, (Evidence(what, f.path),), facts)
    for f in ix.names_matching(_EVAL_DOC_LINE, [".md", ".markdown", ".csv", ".tsv"],
                               ("eval", "result", "benchmark", "leaderboard")):
        p = f.path
        if _not_ours(p) or f.size >= 2_000_000:
            continue
        if reads >= MAX_DOC_READS:
            unread.append(p)
            continue
        reads += 1
        text = inv.text(p) or ""
        if extension(p) in (".csv", ".tsv"):
            if _NUMBER.search(text[:20000]) and "results" in p.lower():
                yield Finding("docs.evaluation", PRESENT, (Evidence("results table (CSV)", p),))
            continue
        lines = result_table_lines(text)
        if lines:
            yield Finding("docs.evaluation", PRESENT, (Evidence("benchmark results table", p, lines[0]),))
    inv.mark_unread(unread, _UNREAD)


def _results_in_document(ctx: Context, card: ModelCard) -> Finding | None:
    """A results table in a document, else a results figure under an evaluation heading.

    A section's title counts with its parents' ("## Evaluation Results" / "### Base model")."""
    titles: list[tuple[int, str]] = []  # (level, title) of the enclosing sections
    figure: Finding | None = None
    for s in card.sections:
        if not s.level:
            continue
        while titles and titles[-1][0] >= s.level:
            titles.pop()
        titles.append((s.level, s.title))
        context = " / ".join(t for _, t in titles)
        lines = result_table_lines(s.body, s.line + 1, need_benchmark=not _EVAL_TITLE.search(context))
        if lines:
            return Finding("docs.evaluation", PRESENT, (Evidence(f"results table in {doc_name(ctx, card)} under "
                                                                 f"'{s.title[:60]}'", card.path, lines[0]),))
        if figure is None and _EVAL_FIGURE_TITLE.search(context):
            m = _FIGURE.search(s.body[:50_000])
            if m:
                target, line = _figure_at(s, m)
                figure = Finding("docs.evaluation", PRESENT, (Evidence(
                    f"results figure in {doc_name(ctx, card)} under '{s.title[:60]}' ({target})", card.path, line),))
    if figure is None:  # results written as a list: two bullets or more that give a metric's value
        for section in card.sections:
            line = _results_list_line(section.body[:50_000])
            if line is not None:
                return Finding("docs.evaluation", PRESENT, (Evidence(
                    f"results list in {doc_name(ctx, card)} under '{section.title[:60]}'", card.path,
                    section.line + 1 + line),))
        # a chart shown anywhere whose file is named for evaluation results (Stability-AI/generative-models
        # shows its preference win rates as assets/001_with_eval.png under a news entry)
        for section in card.sections:
            for m in _FIGURE.finditer(section.body[:50_000]):
                target, line = _figure_at(section, m)
                if _EVAL_FIGURE_NAME.search(target):
                    return Finding("docs.evaluation", PRESENT, (Evidence(
                        f"results figure in {doc_name(ctx, card)}, named so ({target})", card.path, line),))
                if figure is None and _EVAL_FIGURE_PROSE.search(section.body, max(0, m.start() - 400), m.start()):
                    figure = Finding("docs.evaluation", PRESENT, (Evidence(
                        f"results figure in {doc_name(ctx, card)}, its text says it shows evaluation results ({target})",
                        card.path, line),))
    return figure


def _figure_at(section: markdown.Section, m: re.Match[str]) -> tuple[str, int]:
    """The image a ``_FIGURE`` match in ``section``'s body shows, and its line in the document."""
    return (m.group(1) or m.group(2))[:120], section.line + 1 + section.body.count("\n", 0, m.start())


#: a bullet ("- yolov8s ... 97.2% precision and 96.4% recall", dedwar40/animal-classifier-app) that
#: names a metric and gives a percentage; one such bullet alone is a claim, two make a list. Three
#: searches of one bullet each, not one pattern: lazy gaps between the word and the number made a
#: 50 KB bullet of metric words without a number cost seconds. The metric words are a few of
#: ``_BENCHMARKS``'s, not all: in prose its "math", "drop" or "map" are words (RWKV-LM's bullets of
#: rendered formulas, whose URLs hold '%', would count)
_BULLET = lazyre.compile(r"^[ \t]*[-*+] ([^\n]{1,2000})$", re.MULTILINE)
_METRIC_WORD = lazyre.compile(r"\b(?:precision|recall|accuracy|f1|map50|bleu|wer|rouge|perplexity)\b", re.IGNORECASE)
_PERCENT = lazyre.compile(r"(?<![\w.])\d+(?:\.\d+)?%")


def _results_list_line(body: str) -> int | None:
    """The line (counted from 0 in ``body``) of the first of two bullets giving a metric's value, or None."""
    first = None
    for m in _BULLET.finditer(body):
        item = m.group(1)
        if _PERCENT.search(item) and _METRIC_WORD.search(item):
            if first is not None:
                return body.count("\n", 0, first)
            first = m.start()
    return None


def _eval_results_yaml(path: str, text: str | None, limit: int) -> Finding:
    try:
        data = safe_yaml.load(text or "", what=path)
    except safe_yaml.YamlError as exc:
        return missing("docs.evaluation", f"{path}: {exc}")
    entries = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    good = [e for e in entries[:1000] if isinstance(e, dict) and isinstance(e.get("dataset"), dict)
            and e.get("value") is not None]
    if good:
        values = list(islice((m for e in good[:MAX_METRICS] if (m := metric(
            e["dataset"].get("task_id") or "value", e["value"], path, dataset=e["dataset"].get("id")))), limit))
        return Finding("docs.evaluation", PRESENT, (Evidence(f"Hugging Face eval results file ({len(good)} "
                                                             "result(s))", path),),
                       {"eval_results_entries": len(good), **({"metrics": values} if values else {})})
    return Finding("docs.evaluation", PARTIAL, (Evidence("`.eval_results` file without any entry that has a dataset "
                                                         "and a value", path),))


# --------------------------------------------------------------------------------------------- red teaming
_RED_TEAM_LINE = lazyre.compile(r"^[^\n]*(?:red[_-]?team|safety[_-]?(?:eval|report|bench|results)|jailbreak|cyberseceval|"
                                r"system[_-]?card|adversarial[_-]?test)[^\n]*\.(?:md|markdown|pdf|json|jsonl|csv|html|rst|txt)$",
                                re.MULTILINE)  # over lower-case file names, one per line
_RED_TEAM_TITLE = lazyre.compile(r"red[- ]?team|safety (?:evaluation|benchmark|testing|results|assessment)|critical risks|"
                                 r"adversarial (?:testing|evaluation)|jailbreak|harmful(?:ness)? evaluation", re.IGNORECASE)
_SAFETY_TITLE = lazyre.compile(r"\bsafety\b|responsib", re.IGNORECASE)
_SAFETY_EVIDENCE = lazyre.compile(r"red[- ]?team|adversarial|jailbreak|toxicity|toxigen|realtoxicity|cyberseceval|bbq\b|"
                                  r"harmbench|advbench|attack success|refusal rate|violation rate|safety benchmark",
                                  re.IGNORECASE)
RED_TEAM_MIN_WORDS = 20


@detector("documentation", ["docs.red_teaming"])
def red_teaming(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, ["docs.red_teaming"])
    for f in ctx.index.names_matching(_RED_TEAM_LINE, None, ("red", "safety", "jailbreak", "cyberseceval", "system",
                                                              "adversarial")):
        if not _not_ours(f.path) and "/data/" not in f"/{f.path}":
            yield Finding("docs.red_teaming", PRESENT, (Evidence("red-teaming / safety evaluation report", f.path),))
            return
    for card in ctx.documents:  # the card, and the root README when the card lives in a folder
        found = _red_teaming_section(ctx, card)
        if found is not None:
            yield found
            return


def _red_teaming_section(ctx: Context, card: ModelCard) -> Finding | None:
    words = completeness.subtree_words(card.sections)
    for i, s in enumerate(card.sections):
        if not s.level:
            continue
        if _RED_TEAM_TITLE.search(s.title) and words[i] >= RED_TEAM_MIN_WORDS:
            return Finding("docs.red_teaming", PRESENT, (Evidence(f"safety evaluation in {doc_name(ctx, card)} under "
                                                                  f"'{s.title[:60]}'", card.path, s.line),))
        if _SAFETY_TITLE.search(s.title) and words[i] >= RED_TEAM_MIN_WORDS:
            # a "Safety" section counts when it reports testing, not when it only gives advice
            body = "\n".join(x.body for x in card.sections[i:i + 12])[:50_000]
            m = _SAFETY_EVIDENCE.search(body)
            if m:
                return Finding("docs.red_teaming", PRESENT, (Evidence(
                    f"safety testing reported in {doc_name(ctx, card)} under '{s.title[:60]}' (mentions "
                    f"'{m.group(0)}')", card.path, s.line),))
    return None


# --------------------------------------------------------------------------------------------- publication
# A thesis about the model is its paper too: small repositories are often a student's project
# whose thesis PDF sits in the tree (a French "mémoire", a Brazilian "TCC": LoicSERRE/mistral-qlora-decp,
# cristovamperes/llm-ptbr-from-scratch-vs-qlora), or a master's project report (report/MSAI_MasterProject.pdf,
# shahinkm/Stable-Diffusion-LoRA-Finetuning); "synthesis" and "hypothesis" are not theses
_THESIS = (r"(?<!syn)(?<!hypo)(?<!paren)(?<!anti)(?<!pros)thesis|dissertation|m[eé]moire|"
           r"(?<![a-z])(?:tesis|tesi|tese|tcc)(?![a-z])|(?:master|bachelor|diplom)arbeit|"
           r"(?:master|bachelor)'?s?[_ -]?(?:project|capstone)")
_PAPER_FILE = lazyre.compile(r"(?:^|/)[^/]*(?:paper|technical[_-]?report|tech[_-]?report|whitepaper|preprint|"
                             r"report|" + _THESIS + r")[^/]*\.pdf$|"
                             r"(?:^|/)(?:paper|papers|tech[_-]?report|" + _THESIS + r")/[^/]+\.(?:pdf|tex)$",
                             re.IGNORECASE)
_BIB_FILE = lazyre.compile(r"^(?:docs/)?[^/]*\.bib$|^CITATION(?:\.bib|\.txt)?$|^(?:docs/)?CITATION\.md$", re.IGNORECASE)
_PAPER_CONTEXT = lazyre.compile(r"paper|report|preprint|publication|cite|citation|read more|introduced in|"
                                r"described in|proceedings|(?:code ?base|code|official (?:\w+ )?implementation|"
                                r"repository) (?:for|of|accompanying)", re.IGNORECASE)
_TEMPLATE_REF = lazyre.compile(r"more information needed|machine learning impact calculator|\{\{", re.IGNORECASE)
_PAPER_SECTION = lazyre.compile(r"paper|citation|cite|reference|sources|publication|report|bibtex", re.IGNORECASE)
#: a numbered entry of a reference list ("[1] O. Ronneberger, P. Fischer, and T. Brox. U-Net: …") under a
#: "References" or "Bibliography" heading: the works the project drew on, in the academic style
#: (ugent-korea/pytorch-unet-segmentation); a project cites its own paper under "Citation", with BibTeX
#: sections that thank others' work: a paper linked there (suno-ai/bark's "🙏 Appreciation": "[AudioLM](arXiv) and
#: many other ground-breaking papers that enabled the development of Bark") is not this model's
_THANKS_SECTION = lazyre.compile(r"acknowledg|appreciation|\bthanks\b|\bcredits?\b|related work", re.IGNORECASE)
_BIBLIOGRAPHY_SECTION = lazyre.compile(r"\breferences?\b|\bbibliography\b", re.IGNORECASE)
_NUMBERED_ENTRY = lazyre.compile(r"\s*(?:[-*]\s*)?\[\d{1,3}\]\s+[A-Z]")


_MD_LINK_TARGET = lazyre.compile(r"(?<=\])\([^)\s]{1,500}\)")
#: a Markdown link: its text and its target (a line's links are read with static patterns, never
#: with one built from a URL: a pattern compiled per reference costs a compile on every run)
_MD_LINK = lazyre.compile(r"\[([^\]\n]{0,160})\]\(\s*<?([^)\s>]{1,500})")
#: a link whose text names a paper: "[Chinchilla paper](…)", "[the LLaMA 2 technical report](…)"
_NAMED_PAPER = lazyre.compile(r"^(.{1,120}?)\s+(?:paper|technical report|report|preprint)s?$", re.IGNORECASE)
#: a link whose text is the title of "the paper" a sentence points to ("read more in the paper [When Does
#: Label Smoothing Help?](…)", zer0int/CLIP-fine-tune); "our paper [Title](…)" is left to the other rules
_THE_PAPER_BEFORE = lazyre.compile(r"\bthe (?:paper|preprint|report)\s*$", re.IGNORECASE)
#: a paper the work drew on, not its own ("GmP inspired by [this paper](…)", zer0int/CLIP-fine-tune),
#: also the links that follow in the same sentence: openai/CLIP's card is "inspired by [Model Cards for
#: Model Reporting](…) and [Lessons from Archives](…)"
_BORROWED_BEFORE = lazyre.compile(r"\b(?:inspired by|adapted from|borrowed from)\s+(?!our\b)", re.IGNORECASE)
#: words of such a link text that name no work ("[our paper]", "[the full paper]")
_GENERIC_WORDS = frozenset("""the our this a an its full original new research arxiv pdf see read here link
    technical tech official accompanying corresponding latest""".split())
_WORD = lazyre.compile(r"[a-z0-9][a-z0-9.+]*")
#: a link whose text says it is the paper itself, wherever it points: "[Paper](drive.google.com/…)" heads
#: bigcode-project/starcoder's README (the labelling rules count a report PDF on a website or drive)
_PAPER_LINK_TEXT = lazyre.compile(r"^\W*(?:(?:read|see) )?(?:(?:the|our) )?(?:full )?(?:paper|technical report|tech report|"
                                  r"preprint|white ?paper)\W*$", re.IGNORECASE)
#: a model's name just before a link ("the DeepSeek-R1 [tech report](…)"): a word with a digit or a capital
#: inside it, or hyphenated, possibly possessive, with "the" between
_NAME_BEFORE = lazyre.compile(r"(?<![\w.+-])([A-Za-z][\w.+]*(?:[0-9]|[a-z][A-Z]|-\w)[\w.+-]*?)(?:'s)?\s+(?:the\s+)?\[?$")
#: a linked PDF whose file name says it is a paper or report: google-deepmind/gemma links "[Gemma 3](…/Gemma3Report.pdf)"
#: under "Technical reports for metrics and model capabilities"
_PAPER_PDF = lazyre.compile(r"^https?://[^?#\s]*/[^/?#\s]*(?:paper|report|preprint)[^/?#\s]*\.pdf(?:[?#]|$)", re.IGNORECASE)


def _own_words(ctx: Context, card: ModelCard) -> set[str]:
    """Words that name this repository's work: its folder name and the document's first title."""
    words = set(_WORD.findall(ctx.inventory.target.name.lower()))
    title = next((sec.title for sec in card.sections if sec.level == 1), "")
    return words | set(_WORD.findall(title.lower()))


def _is_own(word: str, own: set[str]) -> bool:
    """Whether ``word`` (lower-case) names this work: one of its own words, or one holding or held by one."""
    return any(word == o or len(o) > 2 and (word in o or o in word) for o in own)


def _another_works_paper(line: str, value: str, own: set[str]) -> bool:
    """The link text names a paper by a name that is not this work's ("[Chinchilla paper]", "the
    paper [When Does Label Smoothing Help?]"), or the text says the work drew on it (``_links_to``
    finds the links to the reference ``value``)."""
    for m in _links_to(line, value):
        before = line[max(0, m.start() - 300):m.start()]
        if _BORROWED_BEFORE.search(before):
            return True
        text = m.group(1).strip().strip('"').strip()
        named_paper = _NAMED_PAPER.match(text)
        name = named_paper.group(1) if named_paper else text if _THE_PAPER_BEFORE.search(before) else None
        if name is None:
            continue
        named = {w for w in _WORD.findall(name.lower()) if w not in _GENERIC_WORDS}
        if named and not any(_is_own(w, own) for w in named):
            return True
    return False


def _titled_link(line: str, value: str, section: Any) -> bool:
    """The reference is linked from the title of the section it sits in: a README headed with its
    paper's title links that title to the paper ("## How to Fine-tune Models with Few Samples…" then
    "[**How to Fine-tune Models with Few Samples…**](arxiv…)", kimyuji/Fine-tune-with-Few-Samples).
    Four words at least: a heading "LoRA" over a "[LoRA](…)" link names a method, not a title."""
    if section is None or not section.level:
        return False
    heading = _MD_LINK_TARGET.sub("", section.title).lower()
    # the whole heading, or what follows its name ("DE⫶TR: End-to-End Object Detection with Transformers" over
    # "[End-to-End Object Detection with Transformers](…publications…)", facebookresearch/detr)
    titles = [t for t in (_WORD.findall(heading), _WORD.findall(heading.partition(":")[2])) if len(t) >= 4]
    return bool(titles) and any(_WORD.findall(m.group(1).lower()) in titles for m in _links_to(line, value))


def _links_to(line: str, value: str) -> Iterator[re.Match[str]]:
    """The Markdown links of ``line`` whose target holds ``value``, a reference's id (an arXiv id, a DOI)
    or URL, whatever the target's form (``arxiv.org/pdf/1912.10389.pdf`` for the id ``1912.10389``)."""
    return (m for m in _MD_LINK.finditer(line) if value[:300] in m.group(2))


def _kind_from_text(text: str) -> str:
    return "technical report" if _TECH_REPORT.search(text) else "paper"


def _citation_cff(ctx: Context, path: str) -> Finding:
    text = ctx.inventory.text(path) or ""
    try:
        data = safe_yaml.load(text, what=path)
    except safe_yaml.YamlError as exc:
        return Finding("docs.publication", PRESENT, (Evidence(f"citation file (not valid YAML: {exc})", path),),
                       {"kinds": ["citation"]})
    kinds = ["citation"]
    reason = "citation file"
    if isinstance(data, dict):
        pref = data.get("preferred-citation")
        if isinstance(pref, dict):
            ptype = str(pref.get("type", ""))
            kind = "technical report" if ptype == "report" or "report" in str(pref.get("title", "")).lower() \
                else "paper" if ptype in ("article", "conference-paper", "conference", "proceedings", "thesis",
                                          "generic", "unpublished") else None
            if kind:
                kinds.append(kind)
                reason = f"citation file with a preferred citation ({ptype}: {str(pref.get('title', ''))[:80]})"
        elif data.get("type") == "software":
            reason = "citation file (cites this repository as software)"
    return Finding("docs.publication", PRESENT, (Evidence(reason, path),), {"kinds": kinds})


@detector("documentation", ["docs.publication"])
def publication(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    yield from declared(ctx, ["docs.publication"])
    for name in ("CITATION.cff", "citation.cff"):
        if name in inv:
            yield _citation_cff(ctx, name)
    papers = 0
    ix = ctx.index
    # CITATION.md, the Markdown form of a citation file (Ganesh172919/Finetuning-LLM's docs/citation.md), joins
    # by name rather than by scanning every .md file; _BIB_FILE below says which of them count
    for f in [*ix.ext(".bib", ".pdf", ".tex", ".txt", ""), *ix.named("citation.md")]:
        if _not_ours(f.path) or f.path.count("/") > 2:
            continue
        if _BIB_FILE.search(f.path) and f.path != "CITATION.cff":
            text = inv.text(f.path, 65536) or ""
            entry = _BIBTEX.search(text)
            if entry and not _cites_a_library(text[entry.start():entry.start() + 600]):
                yield Finding("docs.publication", PRESENT, (Evidence("BibTeX citation file", f.path),),
                              {"kinds": ["citation", _kind_from_text(text)]})
        elif _PAPER_FILE.search(f.path) and depth(f.path) <= 2 and papers < MAX_EVIDENCE and not _pdf_collection(ix, f.path):
            papers += 1
            kind = _kind_from_text(f.path)
            yield Finding("docs.publication", PRESENT, (Evidence(f"{kind} file", f.path),), {"kinds": [kind]})
    # the primary card and the root README: a repository whose card lives in a folder still
    # cites its paper on its front page
    for card in ctx.documents:
        found = list(_paper_in_document(ctx, card))
        yield from found
        if found:
            return


#: a folder named for the project's paper: its figures are PDFs too
_PAPER_DIR = lazyre.compile(r"(?:^|/)(?:paper|papers|tech[_-]?report|report|" + _THESIS + r")$", re.IGNORECASE)


def _pdf_collection(ix: Any, path: str) -> bool:
    """A folder of five PDFs or more, not named for a paper, is a collection of documents (RAG input, a
    reading list: Mungert69/GGUFModelBuilder's pdfs/quantum/QuantumSafeWhitepaper.pdf), not the project's paper."""
    folder = path.rpartition("/")[0]
    if not folder or _PAPER_DIR.search(folder):
        return False
    return sum(1 for g in ix.by_dir.get(folder, ()) if g.path.lower().endswith(".pdf")) >= 5


def _paper_in_document(ctx: Context, card: ModelCard) -> Iterable[Finding]:
    for line, etype, block in _card_bibtex(card):
        kind = "technical report" if etype in ("techreport", "report") else _kind_from_text(block)
        yield Finding("docs.publication", PRESENT, (Evidence(f"BibTeX entry (@{etype}) for this model in {doc_name(ctx, card)}",
                                                             card.path, line),), {"kinds": ["citation", kind]})
        break
    base_names = {b.split("/")[-1].lower() for b in ctx.base_models}
    own = _own_words(ctx, card)
    # every mention first: a paper that any of them shows to be another work's is not this model's, wherever
    # it is mentioned first (imbkaushik/llm-dpo-finetuning credits its DPO figure to "[Original Paper]" before
    # its reference list names the paper "Direct Preference Optimization: …")
    mentions = [(ref, card.section_at(ref.line), _MD_LINK_TARGET.sub("", _introduced(card, ref)))  # "[LoRA](url): Low-Rank…"
                for ref in _paper_occurrences(card)]                                                # reads "LoRA: Low-Rank…"
    foreign = {ref.value for ref, section, context in mentions
               if _another_works_paper(ref.text_line, ref.value, own)  # "the table at the end of the [Chinchilla paper]"
               or section is not None and _BIBLIOGRAPHY_SECTION.search(section.title)
               and _NUMBERED_ENTRY.match(ref.text_line)  # an entry of the reference list
               or section is not None and _THANKS_SECTION.search(section.title)  # others' work, acknowledged
               or _library_reference(ref.text_line, ref.value, context) or _TEMPLATE_REF.search(context)  # a library's, the template's
               or base_names and any(b and b in context.lower() for b in base_names)}  # the base model's
    for ref, section, context in mentions:
        if ref.value in foreign:
            continue
        if (_PAPER_CONTEXT.search(context) or (section is not None and _PAPER_SECTION.search(section.title))
                or _titled_link(ref.text_line, ref.value, section)):
            if _in_library_entry(card, ref.line):
                continue  # the url field of a library's or a method's BibTeX entry (TRL's cards: "Cite DPO as:")
            kind = _kind_from_text(context)
            label = {"arxiv": "arXiv paper", "doi": "DOI", "paper": "paper page"}[ref.kind]
            yield Finding("docs.publication", LINKED, (Evidence(f"{label} {ref.value} referenced as this model's "
                                                                f"{kind} in {doc_name(ctx, card)}", card.path, ref.line, ref.url),),
                          {"kinds": [kind]})
            return
    yield from _paper_link(ctx, card, base_names, own)


#: occurrences of one paper reference judged, at most (its first is where it is a citation less often
#: than where the text presents it: google-research/albert cites its paper's PDF for a dropout rate first)
MAX_OCCURRENCES = 5


def _paper_occurrences(card: ModelCard) -> Iterable[Reference]:
    """The card's paper references (arXiv, DOI, paper pages), each at every line it occurs on (up to
    ``MAX_OCCURRENCES``): ``card.refs`` keeps one per value, its first."""
    text = card.text
    for ref in card.refs:
        if ref.kind not in ("arxiv", "doi", "paper"):
            continue
        yield ref
        lines, at = {ref.line}, text.find(ref.value)
        while at != -1 and len(lines) < MAX_OCCURRENCES:
            line = card.line_index.line(at)
            if line not in lines:
                lines.add(line)
                yield Reference(ref.kind, ref.value, ref.url, line, card.line_index.line_text(line))
            at = text.find(ref.value, at + len(ref.value))


def _library_reference(text_line: str, target: str, context: str) -> bool:
    """Whether the reference cites a library's or a method's paper: linked under its name ("[TRL](…)",
    "[LoRA: Low-Rank Adaptation…](…)", as a BibTeX title is judged), or named around the link. The words of
    a title linked are not a library's name: "[End-to-End Object Detection with Transformers](…)" is
    facebookresearch/detr's paper, not the Transformers library's."""
    texts = [m.group(1) for m in _links_to(text_line, target)]
    if any(_LIBRARY_TITLE.search(t.strip(" *_`")) for t in texts):
        return True
    for t in texts:
        context = context.replace(t, " ")
    return bool(_LIBRARY_CITE.search(context))


def _introduced(card: ModelCard, ref: Reference) -> str:
    """The reference's line, read with the line before it when that one introduces it ("see our paper:"
    above a link alone on its line: google-research/albert's README)."""
    line = ref.line - 1
    while line > 0 and not card.line_index.line_text(line).strip():
        line -= 1
    before = card.line_index.line_text(line).rstrip() if line > 0 else ""
    return f"{before} {ref.text_line}" if before.endswith(":") else ref.text_line


def _paper_link(ctx: Context, card: ModelCard, base_names: set[str], own: set[str]) -> Iterable[Finding]:
    """A link to the paper where no known paper host is: its text says it is the paper ("[Paper](…)"), or
    it is a PDF named as a paper or report. The exclusions of the references hold: a paper the text
    names as another work's or says the work drew on, a library's, the base model's."""
    text = card.text
    if "](" not in text:
        return
    judged = [r.value for r in card.refs if r.kind in ("arxiv", "doi", "paper")]  # the rules above had those
    for m in _MD_LINK.finditer(text):
        url = m.group(2)
        if not url.startswith(("https://", "http://")) or any(v in url for v in judged):
            continue
        if _PAPER_LINK_TEXT.match(m.group(1)):
            before = _NAME_BEFORE.search(text, max(0, m.start() - 80), m.start())
            if before and not _is_own(before.group(1).lower(), own):
                continue  # "the DeepSeek-R1 [tech report](…)": another model's (huggingface/open-r1)
        elif not (_PAPER_PDF.match(url) and all(_is_own(w, own) for w in _WORD.findall(m.group(1).lower())
                                                if w not in _GENERIC_WORDS and not w.isdigit())):
            continue  # a PDF linked under another name: "[Taylor et al., 2022](…/paper.pdf)" (Stability-AI/StableLM)
        line = card.line_index.line(m.start())
        text_line = card.line_index.line_text(line, 2000)
        context = _MD_LINK_TARGET.sub("", text_line)
        if (_another_works_paper(text_line, url, own) or _library_reference(text_line, url, context)
                or _TEMPLATE_REF.search(context)
                or (base_names and any(b and b in context.lower() for b in base_names))):
            continue
        kind = _kind_from_text(f"{m.group(1)} {context} {url}")
        yield Finding("docs.publication", LINKED, (Evidence(f"{kind} linked as '{m.group(1).strip()[:60]}' in "
                                                            f"{doc_name(ctx, card)}", card.path, line, url[:500]),),
                      {"kinds": [kind]})
        return


# --------------------------------------------------------------------------------------------- change log
_CHANGELOG = lazyre.compile(r"^(?:docs/|\.github/)?(?:change[_-]?log|changes|history|news|release[_-]?notes|releases)"
                            r"(?:\.(?:md|markdown|rst|txt))?$|^(?:docs/)?(?:changelog|release[_-]?notes|releases)/[^/]+"
                            r"\.(?:md|rst)$", re.IGNORECASE)
_CHANGELOG_LINE = lazyre.compile(r"^(?:change[_-]?log|changes|history|news|release[_-]?notes|releases)(?:\.(?:md|markdown|rst|txt))?$|"
                                 r"\.(?:md|rst)$", re.MULTILINE)
_CHANGELOG_TITLE = lazyre.compile(r"change ?log|release notes|version history|what'?s new|updates|news|model versions|"
                                  r"revision history", re.IGNORECASE)
_VERSIONISH = lazyre.compile(r"\b(?:v?\d+\.\d+(?:\.\d+)?|\d{4}[-/.]\d{1,2}(?:[-/.]\d{1,2})?|(?:jan|feb|mar|apr|may|jun|jul|"
                             r"aug|sep|oct|nov|dec)[a-z]* \d{1,2},? \d{4})\b", re.IGNORECASE)


@detector("documentation", ["docs.changelog"])
def changelog(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, ["docs.changelog"])
    files = [f for f in ctx.index.names_matching(_CHANGELOG_LINE, None, (".md", ".rst", "change", "history", "news",
                                                                         "release")) if _CHANGELOG.search(f.path)]
    for f in files[:MAX_EVIDENCE]:
        if f.size == 0:
            yield missing("docs.changelog", f"{f.path} is empty")
        else:
            yield Finding("docs.changelog", PRESENT, (Evidence("change log / release notes", f.path),))
    if files:
        return
    for card in ctx.documents:  # the card, and the root README when the card lives in a folder
        for s in card.sections:
            if s.level and _CHANGELOG_TITLE.search(s.title) and _VERSIONISH.search(s.body[:20000]):
                yield Finding("docs.changelog", PRESENT, (Evidence(f"dated / versioned updates in {doc_name(ctx, card)} "
                                                                   f"under '{s.title[:60]}'", card.path, s.line),))
                return
