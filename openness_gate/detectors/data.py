"""Data detectors: pre-training, fine-tuning, preference and evaluation data, shipped or referenced.

Shipped data: data files in data folders (or in unmistakable data formats anywhere), staged
by their path and, for JSON Lines, by the keys of their first record (``chosen``/``rejected``
is preference data, ``messages``/``instruction`` is fine-tuning data). Referenced data:
the card's ``datasets:`` metadata, dataset URLs and DOIs in its data sections, ``model-index``
and harness results (evaluation data), data manifests and training configs that list data
URLs. References give ``linked``; files give ``present``.
"""

from __future__ import annotations

import re
from itertools import chain, islice
from operator import attrgetter

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import (IGNORED_DIRS, MAX_EVIDENCE, TEST_FOLDERS, VENDORED, declared, depth,
                                             doc_name, is_ignored, is_vendored, load_json)
from openness_gate.findings import LINKED, PRESENT, Evidence, Finding
from openness_gate.inventory import FileEntry, extension, is_weight_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

    from openness_gate.parsers.references import Reference

COMPONENTS = ("data.pretraining", "data.fine_tuning", "data.preference", "data.evaluation")
_DATA_DIR = lazyre.compile(r"(?:^|/)(?:data|datasets?|corpus|corpora|shards?|raw_data|training_data|train_data)/",
                           re.IGNORECASE)
_STAGE_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("data.preference", lazyre.compile(r"prefer|dpo|rlhf|reward|comparison|chosen|rejected|feedback|hh[-_]rlhf|"
                                       r"ultrafeedback|orpo|kto|pairwise", re.IGNORECASE)),
    ("data.evaluation", lazyre.compile(r"(?:^|[/_.-])(?:evals?|evaluation|tests?|benchmarks?|held[-_]?out|mmlu|hellaswag|"
                                       r"gsm8k|humaneval|arc|truthfulqa|winogrande|piqa|boolq)(?:$|[/_.-])",
                                       re.IGNORECASE)),
    ("data.fine_tuning", lazyre.compile(r"sft|instruct|fine[_-]?tun|finetun|chat|alpaca|dolly|oasst|ultrachat|tulu|"
                                        r"conversations?|dialog|sharegpt|flan", re.IGNORECASE)),
    ("data.pretraining", lazyre.compile(r"pre[_-]?train|corpus|web|crawl|c4|pile|dolma|redpajama|fineweb|"
                                        r"openwebtext|wiki|books|slimpajama|refinedweb", re.IGNORECASE)),
)
_STAGE_KEYWORDS = {
    "data.preference": ("prefer", "dpo", "rlhf", "reward", "comparison", "chosen", "rejected", "feedback", "orpo", "kto",
                        "pairwise"),
    "data.evaluation": ("eval", "test", "bench", "held", "mmlu", "hellaswag", "gsm8k", "humaneval", "arc", "truthfulqa",
                        "winogrande", "piqa", "boolq"),
    "data.fine_tuning": ("sft", "instruct", "tun", "chat", "alpaca", "dolly", "oasst", "ultrachat", "tulu", "conversation",
                         "dialog", "sharegpt", "flan"),
    "data.pretraining": ("train", "corpus", "web", "crawl", "c4", "pile", "dolma", "redpajama", "fineweb", "wiki",
                         "books", "slimpajama", "refinedweb"),
}
_STAGE_LINE = [(cid, lazyre.compile(rx.pattern, re.MULTILINE)) for cid, rx in _STAGE_WORDS]  # names are lower-case
_MANIFEST_LINE = lazyre.compile(r"(?:manifest|sources|urls|data[_-]?mix|datamix|mixture|data[_-]?paths)[^\n]*"
                                r"\.(?:json|jsonl|txt|csv|tsv|ya?ml)$", re.MULTILINE)
_CONFIGS_DIR = lazyre.compile(r"(?:^|/)configs?/", re.IGNORECASE)
_MANIFEST_CONFIG_EXT = frozenset({".yaml", ".yml", ".json", ".toml"})
_DATA_EXT = r"\.(?:npy|jsonl|json\.gz|jsonl\.gz|parquet|bin|arrow|tar|zst)\b"
#: a data URL in a config: scheme://, then up to 500 characters to the first data file extension
_DATA_URL_IN_CONFIG = lazyre.compile(r"(?:https?|s3|gs)://[^\s\"']{1,500}?" + _DATA_EXT, re.IGNORECASE)
#: "://" after a URL scheme. Starting at the literal lets the engine skip to it; an IGNORECASE
#: alternation of schemes is tried at every character (70 ms on OLMo's 20 configs of 1.6 MB)
_SCHEME_END = r"://(?:(?<=https://)|(?<=http://)|(?<=s3://)|(?<=gs://))"
_URL_SCHEMES = lazyre.compile(_SCHEME_END, re.IGNORECASE)
#: ``_DATA_URL_IN_CONFIG`` from its "://", its lazy run unrolled (runs of non-dots, dots not
#: before an extension) so that the engine does not try the extensions at every character
_DATA_URL_TAIL = lazyre.compile(_SCHEME_END + r"[^\s\"'.]*(?:\.(?!" + _DATA_EXT[2:] + r")[^\s\"'.]*)*" + _DATA_EXT,
                                re.IGNORECASE)
_EVAL_RESULTS_DIR = lazyre.compile(r"(?:^|/)\.eval_results/$")
_SECTION_STAGE: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("data.preference", lazyre.compile(r"prefer|rlhf|dpo|reward|feedback|alignment", re.IGNORECASE)),
    ("data.evaluation", lazyre.compile(r"evaluat|benchmark|results|testing data", re.IGNORECASE)),
    ("data.fine_tuning", lazyre.compile(r"fine-?tun|sft|instruct", re.IGNORECASE)),
    ("data.pretraining", lazyre.compile(r"pre-?train|training data|data|dataset", re.IGNORECASE)),
)
_RECORD_KEYS = (
    ("data.preference", ("chosen", "rejected", "preferred", "dispreferred", "score_chosen", "completion_a")),
    ("data.fine_tuning", ("messages", "conversations", "instruction", "response", "completion", "output", "prompt")),
    ("data.pretraining", ("text", "content", "raw_content")),
)
MAX_PEEKS = 20  # JSON Lines files (no stage in their name or folder) whose first record is read for its keys
MAX_RESULT_READS = 30  # `.eval_results` files read for the datasets they name (as many as the documentation detector)
_PATH = attrgetter("path")
MAX_SIZED = 1000

_DATA_WORD = lazyre.compile(r"data", re.IGNORECASE)
#: a link that says what licence applies ("released under [apache-2.0](…)"): black-forest-labs/flux
#: links the licence text kept in the Hub dataset choosealicense/licenses
_LICENCE_LINK = lazyre.compile(r"(?:licen[cs]e[sd]?|released|available) under \[[^\]\n]{1,60}\]\(\s*<?(?P<url>[^\s)>]+)",
                               re.IGNORECASE)
_RESULT_MODEL_ID = lazyre.compile(r"^\s*id:\s*['\"]?([\w.-]+/[\w.-]+)", re.MULTILINE)


def stage_of(text: str, default: str) -> str:
    for cid, rx in _STAGE_WORDS:
        if rx.search(text):
            return cid
    return default


def _staged_dirs(dirs: list[str]) -> list[str]:
    """The folders whose path may name a stage: every stage word contains one of the stage
    keywords, and one substring test over all folders at once rules most keywords out."""
    if not dirs:
        return []
    joined = "\n".join(dirs).lower()
    words = [kw for kws in _STAGE_KEYWORDS.values() for kw in kws if kw in joined]
    if not words:
        return []
    return [d for d in dirs if d and any(kw in d.lower() for kw in words)]


def _peekable(f: FileEntry) -> bool:
    """A file whose first record can say its stage: JSON Lines in the repository, not an LFS pointer."""
    return extension(f.path) == ".jsonl" and not f.is_lfs_pointer


def _peek_stage(ctx: Context, f: FileEntry) -> str | None:
    text = ctx.inventory.text(f.path, 16384) or ""
    first = load_json(text.split("\n", 1)[0])
    if not isinstance(first, dict):
        return None
    for cid, keys in _RECORD_KEYS:
        if any(k in first for k in keys):
            return cid
    return None


def _default_stage(ctx: Context) -> str:
    return "data.fine_tuning" if ctx.base_models else "data.pretraining"


@detector("data", COMPONENTS)
def data(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, COMPONENTS)
    yield from _shipped(ctx)
    yield from _card_references(ctx)
    yield from _evaluation_references(ctx)
    yield from _manifests(ctx)


_STRONG_EXT = (".jsonl", ".parquet", ".arrow", ".tfrecord", ".tfrecords", ".zst", ".warc", ".webdataset")
_COMPRESSED = lazyre.compile(r"\.(?:jsonl|json|txt|warc)\.(?:gz|zst|bz2|xz)$", re.MULTILINE)
_WEAK_EXT = frozenset({".csv", ".tsv", ".json", ".txt", ".npy", ".bin", ".tar", ".gz", ".zip", ".xml", ".idx"})
_NOT_DATA_DIR = lazyre.compile(r"(?:^|/)(?:" + TEST_FOLDERS + r"|fixtures|examples?|docs?|\.github|eval_results?|results?|outputs?|"
                               r"logs?|runs|wandb|configs?)/", re.IGNORECASE)
_NOT_DATA_NAME = lazyre.compile(r"^(?:samples_[^\n]*|results[^\n]*|requirements[^\n]*|package(?:-lock)?|tokenizer[^\n]*|"
                                r"vocab[^\n]*|merges|config|[^\n]*_config|[^\n]*\.index|labels?|classes|class_names|"
                                r"label_map|id2label|categories)\.[^.\n]+$|"
                                r"^(?:readme|license|licence|notice|changelog)[^\n]*$", re.MULTILINE)


def _candidates(ctx: Context) -> tuple[list[FileEntry], list[str]]:
    """Data files (unmistakable data formats anywhere, ambiguous ones only inside data folders), and the
    extensions they have. Files come grouped by folder, so folder verdicts are computed once per run of files."""
    ix = ctx.index
    exts = [e for e in _STRONG_EXT if e in ix.by_ext]
    comp = [e for e in (".gz", ".zst", ".bz2", ".xz") if e in ix.by_ext]
    found: list[FileEntry] = list(ix.ext(*exts)) if exts else []
    if comp:
        found.extend(ix.names_matching(_COMPRESSED, comp))
    data_dirs = set(ix.dirs_within_named(_DATA_DIR))
    if data_dirs:
        for e in _WEAK_EXT:
            found.extend(f for f in ix.by_ext.get(e, ()) if f.path.rpartition("/")[0] in data_dirs)
    if not found:
        return [], []
    keys = sorted({e for e in (*exts, *comp, *_WEAK_EXT) if e in ix.by_ext})
    excluded = {f.path for f in ix.names_matching(_NOT_DATA_NAME, keys, (
        "samples_", "results", "requirements", "package", "tokenizer", "vocab", "merges", "config", ".index", "readme",
        "license", "licence", "notice", "changelog", "label", "class", "categories"))}
    # Folders ruled out, judged once per folder name: each rule holds for a folder when it holds for
    # any folder of its path, so a file is ruled out exactly when its own folder is (a prefix test
    # against every ruled-out folder cost 100 ms on a tree of 10k candidates in 9k such folders)
    bad = set(ix.dirs_within_named(_NOT_DATA_DIR))
    bad.update(ix.dirs_within_named(IGNORED_DIRS), ix.dirs_within_named(VENDORED))
    out = [f for f in found if f.path.rpartition("/")[0] not in bad] if bad else found
    if excluded:
        out = [f for f in out if f.path not in excluded]
    return out, keys


def _shipped(ctx: Context) -> Iterable[Finding]:
    default = _default_stage(ctx)
    default_how = ("fine-tuned model, so taken as fine-tuning data" if default == "data.fine_tuning"
                   else "no stage named, taken as pre-training data")
    files, keys = _candidates(ctx)
    if not files:
        return
    ix = ctx.index
    # Stage by folder (judged once per folder), else by file name; folder words win, and among
    # names earlier stages win (they are assigned last).
    known: dict[str, str] = {}
    for cid, rx in reversed(_STAGE_LINE):
        for f in ix.names_matching(rx, keys, _STAGE_KEYWORDS[cid]):
            known[f.path] = cid
    by_name = dict(known)
    for d in _staged_dirs(ix.dirs):
        dstage = stage_of(d, "")
        if dstage:
            known.update(dict.fromkeys([f.path for f in ix.by_dir[d]], dstage))
    # The hot part on data-heavy repositories: C-level list comprehensions, no per-file bookkeeping.
    staged: dict[str, list[FileEntry]] = {}
    rest = files
    if known:
        for f in [f for f in files if f.path in known]:
            staged.setdefault(known[f.path], []).append(f)
        rest = [f for f in files if f.path not in known]
    peeked: dict[str, str] = {}  # files staged by the keys of their first record
    peekable = list(islice((f for f in rest if _peekable(f)), MAX_PEEKS + 1))
    for f in peekable[:MAX_PEEKS]:
        cid = _peek_stage(ctx, f)
        if cid:
            peeked[f.path] = cid
            staged.setdefault(cid, []).append(f)
    # Beyond the budget, a first record might have named another stage: the default stage's finding
    # says so, once (the files are not listed one by one in the inventory, as other budgets' are: a
    # corpus of 90k shards made that list 13 MB of report and half a second of a check)
    budget_note = Evidence(f"more than {MAX_PEEKS} JSON Lines files that no name or folder stages: the first record "
                           f"of {MAX_PEEKS} was read for its keys, the others are staged without it") \
        if len(peekable) > MAX_PEEKS else None
    if peeked:
        rest = [f for f in rest if f.path not in peeked]
    if rest:
        staged.setdefault(default, []).extend(rest)
    for group in staged.values():  # merged from several passes: back in path order
        group.sort(key=_PATH)

    def how(f: FileEntry) -> str:
        if f.path in peeked:
            return "by the keys of its first record"
        d = f.path.rpartition("/")[0]
        return "by its path" if (d and stage_of(d, "")) or f.path in by_name else default_how
    for cid, group in staged.items():
        if len(group) <= MAX_SIZED:
            group.sort(key=lambda f: (depth(f.path), f.path))  # shallow files make the clearest evidence
        sized = group[:MAX_SIZED]
        note = [budget_note] if budget_note is not None and cid == default else []
        evidence = tuple([Evidence(f"data file ({how(f)})", f.path) for f in group[:MAX_EVIDENCE - len(note)]] + note)
        yield Finding(cid, PRESENT, evidence, {"files": len(group), "total_size": sum(f.size for f in sized),
                                               "size_counted_files": len(sized)})


def _card_references(ctx: Context) -> Iterable[Finding]:
    """Datasets the card's metadata declares, and those linked from the card or the root README (a
    repository whose card lives in a folder still names its data on its front page: 01-ai/Yi)."""
    card = ctx.primary_doc
    if card is None:
        return
    default = _default_stage(ctx)
    raw = ctx.front_matter.get("datasets")
    ids = [raw] if isinstance(raw, str) else [d for d in raw if isinstance(d, str)] if isinstance(raw, list) else []
    staged: dict[str, list[Evidence]] = {}
    named: dict[str, list[dict[str, str]]] = {}  # stage -> the datasets it references, by name and URL
    for d in ids[:50]:
        cid = stage_of(d, default)
        url = f"https://huggingface.co/datasets/{d.strip()[:100]}"
        staged.setdefault(cid, []).append(Evidence(f"dataset {d[:100]} declared in the card's `datasets:` metadata",
                                                   card.path, 1, url))
        named.setdefault(cid, []).append({"name": d.strip()[:100], "url": url})
    for doc, ref in ((d, r) for d in ctx.documents for r in d.refs):
        if ref.kind not in ("hf_dataset", "data_url", "doi") or not _may_be_data(ref):
            continue
        section = doc.section_at(ref.line)
        title = section.title if section is not None else ""
        if ref.kind == "doi" and not _DATA_WORD.search(title + " " + ref.text_line):
            continue  # a DOI outside a data context is a paper, not a dataset
        cid = ""
        for sid, rx in _SECTION_STAGE:
            if rx.search(title):
                cid = sid
                break
        if cid in ("", "data.pretraining"):
            cid = stage_of(ref.value, cid or default)
            if cid == "data.pretraining" and default == "data.fine_tuning" and not _STAGE_WORDS[3][1].search(ref.value):
                cid = default
        where = f" under '{title[:50]}'" if title else ""
        staged.setdefault(cid, []).append(Evidence(f"dataset referenced in {doc_name(ctx, doc)}{where}", doc.path, ref.line,
                                                   ref.url))
        if isinstance(ref.url, str):
            named.setdefault(cid, []).append({"name": str(ref.value)[:100], "url": ref.url})
    for cid, evidence in staged.items():
        refs = _unique(named.get(cid, []))[:MAX_EVIDENCE]
        yield Finding(cid, LINKED, tuple(evidence[:MAX_EVIDENCE]),
                      {**({"datasets": ids[:50]} if ids else {}), **({"references": refs} if refs else {})})


def _may_be_data(ref: Reference) -> bool:
    """Not a link to a weights file on a storage host (google-research/vision_transformer's
    ``wget …/imagenet21k/ViT-B_16.npz``), nor the text of the licence something is released under."""
    if ref.kind == "data_url" and is_weight_path(ref.value.split("?", 1)[0]):
        return False
    return not any(m.group("url").startswith(ref.url) or ref.value in m.group("url")
                   for m in _LICENCE_LINK.finditer(ref.text_line))


def _unique(refs: list[dict[str, str]]) -> list[dict[str, str]]:
    """References in order, each URL once (a dataset named in the metadata and linked in the text)."""
    seen: set[str] = set()
    return [r for r in refs if not (r["url"] in seen or seen.add(r["url"]))]  # type: ignore[func-returns-value]


def _evaluation_references(ctx: Context) -> Iterable[Finding]:
    card = ctx.model_card
    evidence: list[Evidence] = []
    names: list[str] = []
    refs: list[dict[str, str]] = []
    mi = ctx.front_matter.get("model-index") if card is not None else None
    if isinstance(mi, list):
        for model in mi[:20]:
            results = model.get("results") if isinstance(model, dict) else None
            for r in results[:200] if isinstance(results, list) else []:
                ds = r.get("dataset") if isinstance(r, dict) else None
                if isinstance(ds, dict) and isinstance(ds.get("type") or ds.get("name"), str):
                    ident = str(ds.get("type") or ds.get("name"))[:100]
                    if ident not in names:
                        names.append(ident)
                        split = f", split {ds['split']}" if isinstance(ds.get("split"), str) else ""
                        evidence.append(Evidence(f"evaluation dataset {ident}{split} named in `model-index`",
                                                 card.path, 1, f"https://huggingface.co/datasets/{ident}"))
                        refs.append({"name": ident, "url": f"https://huggingface.co/datasets/{ident}"})
    results = ctx.index.in_dirs(ctx.index.dirs_named(_EVAL_RESULTS_DIR))
    for f in results[:MAX_RESULT_READS]:
        text = ctx.inventory.text(f.path, 65536) or ""
        for m in _RESULT_MODEL_ID.finditer(text):
            if m.group(1) not in names and len(names) < 50:
                names.append(m.group(1))
                evidence.append(Evidence(f"evaluation dataset {m.group(1)} in an eval results file", f.path,
                                         text.count("\n", 0, m.start()) + 1,
                                         f"https://huggingface.co/datasets/{m.group(1)}"))
                refs.append({"name": m.group(1), "url": f"https://huggingface.co/datasets/{m.group(1)}"})
    if len(results) > MAX_RESULT_READS:
        ctx.inventory.mark_unread([f.path for f in results[MAX_RESULT_READS:]],
                                  f"content not read: the data detector reads at most {MAX_RESULT_READS} "
                                  "`.eval_results` files", ("data.evaluation",), LINKED)
    if evidence:
        yield Finding("data.evaluation", LINKED, tuple(evidence[:MAX_EVIDENCE]),
                      {"evaluation_datasets": names[:50], "references": _unique(refs)[:MAX_EVIDENCE]})


def _config_data_urls(text: str) -> tuple[int, str]:
    """How many data URLs ``_DATA_URL_IN_CONFIG`` finds in a config, globs (examples) left out,
    and the first of them; found from each "://", as a config can list thousands. The unrolled
    run stops at the first extension as the lazy one does; a match the lazy run's bounds would
    refuse (nothing before the extension, or over 500 characters) sends the text to the lazy
    pattern, whose continuation then differs."""
    first, count = -1, 0
    for m in _DATA_URL_TAIL.finditer(text):
        tail = m.group()
        if tail[3] == "." or len(tail) > 503:
            urls = [u for u in _DATA_URL_IN_CONFIG.findall(text) if "*" not in u and "{" not in u]
            return len(urls), urls[0] if urls else ""
        if "*" not in tail and "{" not in tail:
            count += 1
            first = m.start() if first < 0 else first
    if first < 0:
        return 0, ""
    whole = _DATA_URL_IN_CONFIG.search(text, max(0, first - 5))  # its scheme is within the 5 before
    return count, whole.group() if whole else ""


def _manifests(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    ix = ctx.index
    default = _default_stage(ctx)
    manifests = [f.path for f in ix.names_matching(_MANIFEST_LINE, None, ("manifest", "sources", "urls", "mix", "paths"))
                 if "/" not in f.path or _DATA_DIR.search(f.path)]
    # made as the loop below takes them: it stops after 20 reads, and a large tree has 40k configs
    configs = (f.path for d in ix.dirs_within_named(_CONFIGS_DIR) if d.count("/") <= 3
               for f in ix.in_dirs((d,), _MANIFEST_CONFIG_EXT))
    reads = 0
    for p in chain(manifests, configs):
        if reads >= 20:
            break
        if is_ignored(p) or is_vendored(p):
            continue
        reads += 1
        text = inv.text(p, 256 * 1024) or ""
        if p in manifests:
            n = len(_URL_SCHEMES.findall(text, 0, 256 * 1024))
            if n:
                yield Finding(stage_of(p, default), LINKED, (Evidence(f"data manifest listing {n} data URL(s)", p),))
            continue
        count, first = _config_data_urls(text)
        if count:
            yield Finding(stage_of(p, default), LINKED, (Evidence(
                f"training config lists {count} data file URL(s), e.g. {first[:100]}", p),))
