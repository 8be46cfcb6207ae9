"""Weights detectors: final, intermediate, adapted, adapters/quantised and reward weights.

Weight files are recognised by name, extension and folder; they are never opened (the
inventory refuses to). LFS pointers give the real size. Ambiguous extensions (``.bin``,
``.npz``, ``.npy``, ``.pkl``, ``.h5``, ``.pb``) count only when the name or size says
"model" and the file is not training state, tokenizer data or a tokenised data shard.
Facts say which formats are present, the total size, whether any format executes code on
load (pickle) and whether checksums or a model signature accompany the weights.
"""

from __future__ import annotations

import posixpath
import re
from itertools import islice

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import (MAX_EVIDENCE, TEST_FOLDERS, cap, declared, doc_name, is_ignored,
                                             load_json)
from openness_gate.findings import LINKED, MISSING, PRESENT, Evidence, Finding
from openness_gate.inventory import WEIGHT_EXTENSIONS, FileEntry, Inventory, extension, is_weight_path
from openness_gate.parsers import anchored
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

#: Formats whose loader can run arbitrary code (pickle inside), per picklescan's classification.
PICKLE_EXTENSIONS = frozenset({".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib", ".mar", ".nemo"})
#: Unambiguous model formats.
_STRONG = frozenset({".safetensors", ".gguf", ".ggml", ".onnx", ".onnx_data", ".pt", ".pth", ".ckpt", ".keras",
                     ".tflite", ".mlmodel", ".nemo", ".pdparams", ".engine", ".plan", ".ot", ".llamafile", ".mar"})
_NOT_WEIGHTS = lazyre.compile(
    r"(?:^|/)(?:training_args|optimizer|scheduler|rng_state[^/]*|scaler|trainer_state|tokenizer[^/]*|vocab[^/]*|"
    r"spiece[^/]*|sentencepiece[^/]*|merges[^/]*|mel_filters|[^/]*(?:_stats|_mean|_std|constants?|norm_stats|"
    r"class_names|labels|features|embeddings_cache|idx|index)|mean|std|stats|(?:train|val|valid|validation|test|"
    r"dev)(?:_\d+)?)\.(?:bin|pt|pth|pkl|pickle|npz|npy|h5|joblib)$", re.IGNORECASE)
#: not parameters, whatever the extension: test fixtures, cached tensors and latents, vector-index
#: files, build files whose name ends like a model format (``Dockerfile.ci.nemo``)
_NOT_MODEL_FILES = lazyre.compile(
    r"(?:^|/)(?:" + TEST_FOLDERS + r"|test[_-]?data|testdata|fixtures?|__fixtures__)/|(?:^|/)[^/]*(?:for[-_]tests?|"
    r"[-_]test|test[-_]|dummy|fake|mock)[^/]*\.\w+$|(?:^|/)[^/]*(?:encoded|latents?|embeddings?|features?|cache[d]?)"
    r"\.(?:pt|pth|bin|pkl|npy|npz)$|(?:^|/)(?:chroma(?:_db)?|vector_?(?:db|store)|faiss[^/]*)/|"
    r"(?:^|/)(?:data_level0|header|length|link_lists)\.bin$|(?:^|/)dockerfile[^/]*$", re.IGNORECASE)
#: under this size a pickle-format file holds constants or test data, not a model (LFS pointers carry real sizes)
TINY_PICKLE = 4096
_DATA_DIR = lazyre.compile(r"(?:^|/)(?:data|datasets?|corpus|shards?|tokenized|cache|logs?|runs|wandb|samples|outputs?)/",
                           re.IGNORECASE)
_MODELISH = lazyre.compile(r"model|weight|param|checkpoint|ckpt|state_dict|pytorch|flax|tf_|encoder|decoder|unet|vae|"
                           r"text_encoder|lora|adapter|\bnet\b|saved_model", re.IGNORECASE)
AMBIGUOUS_MIN_SIZE = 10 << 20  # an unnamed .npz/.pkl this large is more likely parameters than constants
#: read budgets: files beyond them are listed as not read (their names still count)
MAX_INDEX_READS = 3  # sharded-weights indexes read for their shard list and total size
MAX_ADAPTER_CONFIG_READS = 2  # PEFT adapter configs read for their type and base model
MAX_DOWNLOAD_SCRIPT_READS = 3  # download scripts read for a weights download, when nothing else is found
_INTERMEDIATE = lazyre.compile(r"(?:^|/)(?:checkpoints?[-_]?\d+|step[-_]?\d+|iter(?:ation)?[-_]?\d+|global[-_]?step[-_]?\d+|"
                               r"epoch[-_=]?\d+|ckpt[-_]?\d+|stage\d+[-_]step\d+)(?:[-_][^/]*)?/|(?:^|/)checkpoints?/[^/]*"
                               r"(?:step|iter|epoch|ckpt)[-_=]?\d+[^/]*$|[-_](?:step|iter|epoch)[-_=]?\d{2,}[^/]*\.\w+$",
                               re.IGNORECASE)
_QUANTISED = lazyre.compile(r"\.(?:gguf|ggml|llamafile)$|[-_.](?:q[2-8](?:_[a-z0-9]+)*|iq[1-4]_[a-z]+|int[48]|awq|gptq|"
                            r"nf4|fp8|exl2|bnb[-_]?[48]bit|[48]bit|w4a16|w8a8|mlx[-_]?[48]bit)(?:[-_./]|$)", re.IGNORECASE)
_ADAPTER = lazyre.compile(r"(?:^|/)adapter_model\.(?:safetensors|bin)$|(?:^|/)(?:lora|loras|adapters?|peft)/|"
                          r"(?:^|/)[^/]*lora[^/]*\.(?:safetensors|bin|pt)$", re.IGNORECASE)
_REWARD = lazyre.compile(r"(?:^|/)[^/]*reward[^/]*/|(?:^|/)[^/]*reward[^/]*\.\w+$|(?:^|/)(?:rm|reward_model)/",
                         re.IGNORECASE)
_ADAPTED_DIR = lazyre.compile(r"(?:^|/)[^/]*(?:instruct|chat|sft|dpo|rlhf|finetuned|fine[-_]tuned|[-_]it)(?:[-_][^/]*)?/",
                              re.IGNORECASE)
_INDEX = lazyre.compile(r"(?:^|/)[^/]+\.(?:safetensors|bin)\.index\.json$", re.IGNORECASE)
_CHECKSUMS = lazyre.compile(r"(?:^|/)(?:sha256sums?|md5sums?|checksums?[^/]*|checklist\.chk|[^/]+\.(?:sha256|sha512|md5))$",
                            re.IGNORECASE)
_SIG = lazyre.compile(r"(?:^|/)(?:model\.sig|[^/]+\.sig|[^/]+\.sigstore(?:\.json)?)$", re.IGNORECASE)
_REVISIONS_FILE = lazyre.compile(r"(?:^|/)revisions?[^/]*\.(?:txt|json|csv|ya?ml|md)$", re.IGNORECASE)
_REVISIONS_TEXT = lazyre.compile(r"revision\s*=\s*[\"'](?:step|stage|ckpt|checkpoint|iter)[\w-]*\d|intermediate checkpoints?"
                                 r"[\s\S]{0,160}?(?:branch|revision)|(?:branch|revision)[\s\S]{0,160}?intermediate checkpoint",
                                 re.IGNORECASE)
#: where a match of ``_REVISIONS_TEXT`` can begin, in the folded text (``parsers.anchored``): the
#: alternation has no prefix, and it is searched in every README and card (4 ms of a 40 KB README)
_REVISIONS_TEXT_STARTS = lazyre.compile(r"revision|intermediate checkpoint|branch")
_WEIGHT_CONTEXT = lazyre.compile(r"weight|checkpoint|download|model(?:s)? (?:is|are) (?:available|hosted|released)|"
                                 r"hugging ?face|\bhub\b|release|gguf|safetensors|model zoo|from_pretrained", re.IGNORECASE)
#: where a match of ``_WEIGHT_CONTEXT`` can begin, in the folded text (``parsers.anchored``): a
#: link's line can be a whole paragraph or table row, and the alternation has no prefix of its own
_WEIGHT_CONTEXT_STARTS = lazyre.compile(r"weight|checkpoint|download|model|hugging|hub|release|gguf|safetensors|"
                                        r"from_pretrained")
_VARIANT_ID = lazyre.compile(r"instruct|chat|[-_]it$|[-_]it[-_]|sft|dpo|rlhf", re.IGNORECASE)
_WEIGHT_URL = lazyre.compile(r"https?://[^\s\"'<>)]{1,500}?\.(?:pt|pth|ckpt|safetensors|gguf|onnx|h5|msgpack|tar\.gz|zip)\b",
                             re.IGNORECASE)
#: where a match of ``_WEIGHT_URL`` can begin, in the folded text: IGNORECASE keeps the engine
#: from jumping to its ``http`` prefix
_WEIGHT_URL_STARTS = lazyre.compile(r"http")
_URL_HOLDERS = lazyre.compile(r"^[^/]+/(?:__init__|[^/]*(?:download|hub|pretrained|checkpoints?|model_zoo|zoo)[^/]*)\.py$|"
                              r"^[^/]*(?:download|hub|pretrained|model_zoo)[^/]*\.py$", re.IGNORECASE)
_URL_HOLDER_NAMES = lazyre.compile(r"^__init__\.py$|download|hub|pretrained|checkpoint|zoo", re.MULTILINE)
_DOWNLOAD_SCRIPT = lazyre.compile(r"(?:^|/)download[^/]*\.(?:sh|py)$", re.IGNORECASE)

_DOWNLOADS = lazyre.compile(r"https?://|huggingface-cli|hf download|snapshot_download|wget|curl")
_WEIGHT_WORDS = lazyre.compile(r"weights?|checkpoint|consolidated|\.pth\b|\.safetensors|\.gguf|\.ckpt|model",
                               re.IGNORECASE)
_DATA_FOLDER = lazyre.compile(r"(?:^|/)(?:data|datasets?)/")


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB", "TB"):
        if n < 1000 or unit == "TB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


def weight_reason(f: FileEntry) -> str | None:
    """Why ``f`` is model weights, or None when it is not (listed, never opened)."""
    ext = extension(f.path)
    if not is_weight_path(f.path) or is_ignored(f.path):
        return None
    if _NOT_WEIGHTS.search(f.path) or _NOT_MODEL_FILES.search(f.path):
        return None
    if ext in PICKLE_EXTENSIONS and f.size < TINY_PICKLE and not f.is_lfs_pointer:
        return None
    if ext not in _STRONG:
        # .bin .npz .npy .pkl .h5 .pb .msgpack .joblib: need a model-ish name or a large size, outside data folders
        if _DATA_DIR.search(f.path) and not _MODELISH.search(f.name):
            return None
        if not _MODELISH.search(f.path) and f.size < AMBIGUOUS_MIN_SIZE:
            return None
    kind = ext.lstrip(".")
    where = "Git LFS pointer" if f.is_lfs_pointer else "file"
    return f"{kind} weights ({where}, {human_size(f.size)})"


@record(frozen=False)
class WeightScan:
    """Weight files of one repository, classified once per run."""

    final: list[FileEntry] = field(default_factory=list)
    adapted: list[FileEntry] = field(default_factory=list)  # task-adapted variants in their own folders
    intermediate: list[FileEntry] = field(default_factory=list)
    adapter: list[FileEntry] = field(default_factory=list)  # PEFT/LoRA adapters
    quantised: list[FileEntry] = field(default_factory=list)
    reward: list[FileEntry] = field(default_factory=list)
    indexes: list[FileEntry] = field(default_factory=list)
    checksums: list[str] = field(default_factory=list)
    signatures: list[str] = field(default_factory=list)
    revision_files: list[str] = field(default_factory=list)
    download_scripts: list[str] = field(default_factory=list)
    adapter_configs: list[str] = field(default_factory=list)
    quant_configs: list[str] = field(default_factory=list)
    relation: str | None = None  # "finetune" | "adapter" | "quantized" | "merge" | None (a base model)
    is_reward_model: bool = False  # the repository itself is a reward model (card tags)

    @property
    def any(self) -> bool:
        return bool(self.final or self.adapted or self.intermediate or self.adapter or self.quantised or self.reward)

    @property
    def deployable(self) -> list[FileEntry]:
        """The weights a user would download to run the model (not intermediate, not reward)."""
        return self.final + self.adapted + self.adapter + self.quantised


def _relation(ctx: Context, scan: WeightScan) -> str | None:
    rel = ctx.front_matter.get("base_model_relation")
    if isinstance(rel, str) and rel.lower() in ("adapter", "quantized", "merge", "finetune"):
        return rel.lower()
    if not ctx.base_models:
        return None
    if scan.adapter_configs:
        return "adapter"
    if scan.quant_configs:
        return "quantized"
    return "finetune"


_SIDE_FILES = lazyre.compile(r"^(?:adapter_config\.json|quantize_config\.json|quant_config\.json|quantization_config\.json|"
                             r"[^\n]+\.(?:safetensors|bin)\.index\.json|sha256sums?|md5sums?|checksums?[^\n]*|checklist\.chk|"
                             r"[^\n]+\.(?:sha256|sha512|md5)|model\.sig|[^\n]+\.sig|[^\n]+\.sigstore(?:\.json)?|"
                             r"revisions?[^\n]*\.(?:txt|json|csv|ya?ml|md)|download[^\n]*\.(?:sh|py))$", re.MULTILINE)


def scan(inv: Inventory, ctx: Context | None = None) -> WeightScan:
    from openness_gate.detectors.index import FileIndex

    ix = ctx.index if ctx is not None else FileIndex.of(inv)
    s = WeightScan()
    for f in ix.names_matching(_SIDE_FILES, None, ("adapter_config", "quant", ".index.json", "sum", "checklist.chk", ".sha256",
                                                  ".sha512", ".md5", ".sig", "revision", "download")):
        p = f.path
        name = f.name
        if name == "adapter_config.json":
            s.adapter_configs.append(p)
        elif name in ("quantize_config.json", "quant_config.json", "quantization_config.json"):
            s.quant_configs.append(p)
        elif _INDEX.search(p):
            s.indexes.append(f)
        elif _CHECKSUMS.search(p):
            s.checksums.append(p)
        elif _SIG.search(p):
            s.signatures.append(p)
        elif _REVISIONS_FILE.search(p) and p.count("/") <= 1:
            s.revision_files.append(p)
        elif _DOWNLOAD_SCRIPT.search(p) and p.count("/") <= 2:
            s.download_scripts.append(p)
    for f in ix.ext(*WEIGHT_EXTENSIONS):
        p = f.path
        if weight_reason(f) is None:
            continue
        if _INTERMEDIATE.search(p):
            s.intermediate.append(f)
        elif _REWARD.search(p):
            s.reward.append(f)
        elif _ADAPTER.search(p):
            s.adapter.append(f)
        elif _QUANTISED.search(p):
            s.quantised.append(f)
        elif _ADAPTED_DIR.search(p):
            s.adapted.append(f)
        else:
            s.final.append(f)
    if "config.json" in inv and s.final and not s.quant_configs:
        text = inv.text("config.json", 256 * 1024) or ""
        if '"quantization_config"' in text:
            s.quant_configs.append("config.json")
    if ctx is not None:
        tags = ctx.front_matter.get("tags")
        if isinstance(tags, list) and any(str(t).lower() in ("reward-model", "reward_model", "reward model")
                                          for t in tags):
            s.reward.extend(s.final)  # the repository *is* a reward model
            s.final = []
            s.is_reward_model = True
        s.relation = _relation(ctx, s)
        if s.relation == "quantized":
            s.quantised.extend(s.final)
            s.final = []
        elif s.relation == "adapter" and s.adapter_configs and not s.adapter:
            s.adapter.extend(s.final)
            s.final = []
    return s


def _facts(files: list[FileEntry], s: WeightScan, inv: Inventory) -> dict[str, Any]:
    pickles = [f.path for f in files if extension(f.path) in PICKLE_EXTENSIONS]
    return {
        "files": len(files),
        "formats": sorted({extension(f.path).lstrip(".") for f in files}),
        "total_size": sum(f.size for f in files),
        "lfs_pointers": sum(1 for f in files if f.is_lfs_pointer),
        "pickle": bool(pickles),  # loading can execute code
        "pickle_files": pickles[:10],
        "executable": any(extension(f.path) == ".llamafile" for f in files),
        "checksums": s.checksums[:5] + (["git-lfs sha256 oids"] if any(f.is_lfs_pointer for f in files) else []),
        "signature": _signature(s, inv),
        **({"lfs_files": lfs} if (lfs := _lfs_files(files)) else {}),
    }


MAX_LFS_FILES = 100  # weight files whose LFS digest the facts list (a bill of materials hashes each)
#: a well-formed LFS oid (a local pointer is parsed so; the Hub's file listing is taken as it comes)
_SHA256 = lazyre.compile(r"sha256:([0-9a-f]{64})")


def _lfs_files(files: list[FileEntry]) -> list[dict[str, Any]]:
    """Path, SHA-256 and size of each weight file stored in Git LFS: the pointer names the digest of the
    real file, so the weights are identified without being read."""
    found = ((f, m.group(1)) for f in files if f.lfs_oid and (m := _SHA256.fullmatch(f.lfs_oid)))
    return [{"path": f.path, "sha256": digest, "size": f.size} for f, digest in islice(found, MAX_LFS_FILES)]


def _signature(s: WeightScan, inv: Inventory) -> dict[str, Any] | None:
    """A model signature (OpenSSF model signing: a Sigstore bundle, usually ``model.sig``), by JSON shape."""
    for p in s.signatures[:3]:
        text = inv.text(p, 1 << 20) or ""
        data = load_json(text)
        ok = isinstance(data, dict) and "sigstore.bundle" in str(data.get("mediaType", ""))
        return {"path": p, "sigstore_bundle": ok, "model_signing": ok and "model_signing" in text}
    return None


def _index_evidence(s: WeightScan, inv: Inventory, files: list[FileEntry]) -> tuple[list[Evidence], int | None]:
    ev: list[Evidence] = []
    declared_size = None
    names = {f.path for f in files}
    if len(s.indexes) > MAX_INDEX_READS:
        inv.mark_unread([i.path for i in s.indexes[MAX_INDEX_READS:]], "content not read: the weights detector reads at "
                        f"most {MAX_INDEX_READS} sharded-weights indexes", ("weights.pretrained",))
    for idx in s.indexes[:MAX_INDEX_READS]:
        data = load_json(inv.text(idx.path))
        if not isinstance(data, dict):
            ev.append(Evidence("sharded-weights index is not valid JSON", idx.path))
            continue
        meta = data.get("metadata")
        size = meta.get("total_size") if isinstance(meta, dict) else None
        wmap = data.get("weight_map")
        shards = sorted(set(v for v in wmap.values() if isinstance(v, str))) if isinstance(wmap, dict) else []
        base = posixpath.dirname(idx.path)
        absent = [sh for sh in shards if posixpath.join(base, sh) not in names]
        if isinstance(size, (int, float)):
            declared_size = int(size)
        detail = f"{len(shards)} shard(s)" + (f", total {human_size(int(size))}" if isinstance(size, (int, float)) else "")
        if absent:
            detail += f"; {len(absent)} listed shard(s) not in the repository (e.g. {absent[0][:80]})"
        ev.append(Evidence(f"sharded-weights index: {detail}", idx.path))
    return ev, declared_size


def _group(cid: str, files: list[FileEntry], s: WeightScan, inv: Inventory, what: str,
           extra: Iterable[Evidence] = ()) -> Finding:
    files = sorted(files, key=lambda f: (f.path.count("/"), f.path))
    evidence = [Evidence(f"{what}: {r}", f.path) for f in files[:MAX_EVIDENCE] if (r := weight_reason(f))]
    evidence.extend(extra)
    facts = _facts(files, s, inv)
    if facts["pickle"]:
        evidence.append(Evidence(f"{len(facts['pickle_files'])} file(s) in a pickle-based format, which can execute "
                                 "code when loaded; prefer safetensors", facts["pickle_files"][0]))
    return Finding(cid, PRESENT, cap(evidence, MAX_EVIDENCE + 2), facts)


def _with_hub_parameters(finding: Finding, inv: Inventory, files: list[FileEntry]) -> Finding:
    """Add the Hub's parameter count (read from the safetensors headers on a ``hf:`` check) to the
    final weights' evidence and facts; the status stays what the files say."""
    hub = inv.facts.get("huggingface") or {}
    counts = hub.get("safetensors")
    if not isinstance(counts, dict) or not isinstance(counts.get("total"), int) or \
            not any(extension(f.path) == ".safetensors" for f in files):
        return finding
    total = counts["total"]
    by_dtype = counts.get("parameters") if isinstance(counts.get("parameters"), dict) else {}
    detail = ", ".join(f"{k} {v:,}" for k, v in sorted(by_dtype.items())[:4])
    ev = Evidence(f"the Hub counts {total:,} parameters in the safetensors weights" + (f" ({detail})" if detail else ""),
                  None, None, hub.get("url"))
    facts = {**finding.facts, "parameters": total, "parameters_by_dtype": dict(by_dtype)}
    return Finding(finding.component, finding.status, finding.evidence + (ev,), facts)


def _card_links(ctx: Context) -> list[tuple[Any, Any]]:
    """(document, reference) for every Hugging Face model reference in the card and the README."""
    return [(doc, r) for doc in ctx.documents for r in doc.refs if r.kind == "hf_model"]


@detector("weights", ["weights.pretrained", "weights.intermediate", "weights.adapted", "weights.adapter",
                      "weights.reward"])
def weights(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    s = ctx.weights
    yield from declared(ctx, ["weights.pretrained", "weights.intermediate", "weights.adapted", "weights.adapter",
                              "weights.reward"])
    fine_tuned = s.relation in ("finetune", "merge")
    index_ev, _ = _index_evidence(s, inv, s.final)
    if s.final:
        cid = "weights.adapted" if fine_tuned else "weights.pretrained"
        what = "fine-tuned weights" if fine_tuned else "final weights"
        yield _with_hub_parameters(_group(cid, s.final, s, inv, what, index_ev), inv, s.final)
    elif s.indexes:
        # an index whose shards are all elsewhere (kept out of git, pushed to a hub) names weights without
        # holding any: a reference, not weights present in part (BICAamy/interns2-finetune commits two
        # Intern-S2 indexes, 112 GB of shards, and ignores every shard in .gitignore)
        cid = "weights.adapted" if fine_tuned else "weights.pretrained"
        yield Finding(cid, LINKED, cap(index_ev + [Evidence("a sharded-weights index, but none of its shards is in "
                                                            "the repository: the weights it names are kept elsewhere",
                                                            s.indexes[0].path)]))
    if s.adapted:
        yield _group("weights.adapted", s.adapted, s, inv, "task-adapted variant")
    if s.intermediate:
        dirs = sorted({posixpath.dirname(f.path) for f in s.intermediate})
        yield _group("weights.intermediate", s.intermediate, s, inv, "intermediate checkpoint",
                     [Evidence(f"{len(dirs)} checkpoint folders: {', '.join(d[:60] for d in dirs[:4])}"
                               + (" …" if len(dirs) > 4 else ""))] if len(dirs) > 1 else [])
    if s.adapter or s.quantised:
        extra = []
        if len(s.adapter_configs) > MAX_ADAPTER_CONFIG_READS:
            inv.mark_unread(s.adapter_configs[MAX_ADAPTER_CONFIG_READS:], "content not read: the weights detector "
                            f"reads at most {MAX_ADAPTER_CONFIG_READS} adapter configs", ("weights.adapter",))
        for p in s.adapter_configs[:MAX_ADAPTER_CONFIG_READS]:
            data = load_json(inv.text(p, 65536))
            peft = data.get("peft_type") if isinstance(data, dict) else None
            base = data.get("base_model_name_or_path") if isinstance(data, dict) else None
            extra.append(Evidence(f"PEFT adapter config ({peft or 'type not stated'}"
                                  + (f", base {str(base)[:80]}" if base else "") + ")", p))
        for p in s.quant_configs[:1]:
            extra.append(Evidence("quantisation config", p))
        files = s.adapter + s.quantised
        f = _group("weights.adapter", files, s, inv, "adapter" if s.adapter else "quantised weights", extra)
        facts = dict(f.facts)
        facts["kinds"] = (["adapter"] if s.adapter else []) + (["quantised"] if s.quantised else [])
        yield Finding(f.component, f.status, f.evidence, facts)
    elif s.adapter_configs:
        # a config is the adapter's description, not the adapter: the weights are published elsewhere or not at all
        yield Finding("weights.adapter", MISSING, (Evidence("adapter_config.json without adapter weights beside it: "
                                                            "the adapter itself is not in the repository",
                                                            s.adapter_configs[0]),))
    if s.reward:
        yield _group("weights.reward", s.reward, s, inv, "reward-model weights")
    yield from _linked(ctx, s)


def _weight_urls(ctx: Context) -> list[tuple[str, int | None, str]]:
    """(path, line, url) of direct links to weight files in the card or in a few download/registry modules."""
    out: list[tuple[str, int | None, str]] = []
    for card in ctx.documents:
        m = anchored.search(_WEIGHT_URL, _WEIGHT_URL_STARTS, card.text[:500_000])
        if m:
            out.append((card.path, card.line_index.line(m.start()), m.group(0)))
    holders = [f.path for f in ctx.index.names_matching(_URL_HOLDER_NAMES, [".py"], (
        "__init__.py", "download", "hub", "pretrained", "checkpoint", "zoo")) if _URL_HOLDERS.search(f.path)][:10]
    for p in holders:
        text = ctx.inventory.text(p, 256 * 1024) or ""
        m = anchored.search(_WEIGHT_URL, _WEIGHT_URL_STARTS, text)
        if m:
            out.append((p, text.count("\n", 0, m.start()) + 1, m.group(0)))
            break
    return out


def _linked(ctx: Context, s: WeightScan) -> Iterable[Finding]:
    card = ctx.primary_doc
    # the base model of a fine-tune / adapter / quantisation: its pretrained weights are on the Hub
    if ctx.base_models and card is not None:
        yield Finding("weights.pretrained", LINKED, tuple(
            Evidence(f"base model declared in the card front matter (base_model: {b})", card.path, 1,
                     f"https://huggingface.co/{b}") for b in ctx.base_models[:MAX_EVIDENCE]), {"base_model": ctx.base_models})
    own = {b.lower() for b in ctx.base_models}
    links = [(doc, r) for doc, r in _card_links(ctx) if r.value.lower() not in own]
    if not s.final and not s.adapted:
        for doc, r in links:
            section = doc.section_at(r.line)
            context = r.text_line + " " + (section.title if section else "")
            if (anchored.search(_WEIGHT_CONTEXT, _WEIGHT_CONTEXT_STARTS, context) and not _VARIANT_ID.search(r.value)
                    and "reward" not in r.value.lower()):
                yield Finding("weights.pretrained", LINKED, (Evidence(f"weights on the Hugging Face Hub ({r.value})",
                                                                      doc.path, r.line, r.url),))
                break
    if not s.adapted and not (s.final and s.relation in ("finetune", "merge")):
        for doc, r in links:
            if _VARIANT_ID.search(r.value) and "reward" not in r.value.lower():
                yield Finding("weights.adapted", LINKED, (Evidence(f"adapted variant on the Hugging Face Hub "
                                                                   f"({r.value})", doc.path, r.line, r.url),))
                break
    if not s.reward:
        for doc, r in links:
            if "reward" in r.value.lower():
                yield Finding("weights.reward", LINKED, (Evidence(f"reward model on the Hugging Face Hub ({r.value})",
                                                                  doc.path, r.line, r.url),))
                break
    if not s.intermediate:
        for p in s.revision_files[:1]:
            yield Finding("weights.intermediate", LINKED, (Evidence("list of checkpoint revisions (intermediate "
                                                                    "checkpoints published as Hub revisions)", p),))
        for doc in ctx.documents if not s.revision_files else []:
            m = anchored.search(_REVISIONS_TEXT, _REVISIONS_TEXT_STARTS, doc.text[:500_000])
            if m:
                yield Finding("weights.intermediate", LINKED, (Evidence(
                    f"intermediate checkpoints published as revisions/branches, per {doc_name(ctx, doc)}",
                    doc.path, doc.line_index.line(m.start())),))
                break
    if not s.final and not ctx.base_models:
        for where, line, url in _weight_urls(ctx)[:1]:
            yield Finding("weights.pretrained", LINKED, (Evidence("download link to a weight file", where, line, url),))
    if not s.any and not ctx.base_models:
        if len(s.download_scripts) > MAX_DOWNLOAD_SCRIPT_READS:  # one of them might download the weights
            ctx.inventory.mark_unread(s.download_scripts[MAX_DOWNLOAD_SCRIPT_READS:], "content not read: the weights "
                                      f"detector reads at most {MAX_DOWNLOAD_SCRIPT_READS} download scripts",
                                      ("weights.pretrained",), LINKED)
        for p in s.download_scripts[:MAX_DOWNLOAD_SCRIPT_READS]:
            text = ctx.inventory.text(p, 65536) or ""
            if _DOWNLOADS.search(text) and _WEIGHT_WORDS.search(text) and not _DATA_FOLDER.search(p):
                yield Finding("weights.pretrained", LINKED, (Evidence("download script for the weights", p),))
                break
