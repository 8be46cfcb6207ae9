"""Weights detectors: final, intermediate, adapted, adapters/quantised, reward weights.

Weight files are recognised by name and extension only; they are never opened (the
inventory refuses to). LFS pointers carry the real size.
"""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate.detectors import Context, detector
from openness_gate.findings import LINKED, PRESENT, Evidence, Finding
from openness_gate.inventory import FileEntry, extension, is_weight_path

PICKLE_EXTENSIONS = frozenset({".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle", ".joblib"})
#: `.bin` / `.pt` files that are known not to be model weights
_NOT_WEIGHTS = re.compile(r"(?:^|/)(?:training_args|optimizer|scheduler|rng_state[^/]*|tokenizer[^/]*|vocab[^/]*|"
                          r"spiece|sentencepiece[^/]*|scaler)\.(?:bin|pt|pth|pkl|npz|npy)$", re.I)
_INTERMEDIATE = re.compile(r"(?:^|/)(?:checkpoint[s]?[-_]?\d+|step[-_]?\d+|iter[-_]?\d+|global_step\d+|epoch[-_]?\d+)/", re.I)
_QUANTISED = re.compile(r"(?:\.gguf$|\.ggml$|[-_.](?:q[2-8](?:_[a-z0-9]+)*|int[48]|awq|gptq|nf4|fp8|exl2)(?:[-_.]|$))", re.I)
_ADAPTER = re.compile(r"(?:^|/)adapter_model\.(?:safetensors|bin)$", re.I)
_REWARD = re.compile(r"(?:^|/)[^/]*reward[^/]*/|(?:^|/)[^/]*reward[^/]*\.(?:safetensors|bin|pt)$", re.I)
_HF_MODEL_URL = re.compile(r"https?://huggingface\.co/(?!datasets/|spaces/|docs/|papers/)([\w.-]+/[\w.-]+)")
MAX_EVIDENCE = 5


def _is_model_weight(f: FileEntry) -> bool:
    return is_weight_path(f.path) and not _NOT_WEIGHTS.search(f.path)


def _describe(f: FileEntry) -> str:
    kind = extension(f.path).lstrip(".")
    where = "Git LFS pointer" if f.is_lfs_pointer else "file"
    return f"{kind} weights ({where}, {f.size:,} bytes)"


@detector("weights", ["weights.pretrained", "weights.intermediate", "weights.adapted", "weights.adapter",
                      "weights.reward"])
def weights(ctx: Context) -> Iterable[Finding]:
    groups: dict[str, list[FileEntry]] = {k: [] for k in ("final", "intermediate", "adapter", "reward")}
    for f in ctx.inventory:
        if _ADAPTER.search(f.path):
            groups["adapter"].append(f)
        elif not _is_model_weight(f):
            continue
        elif _INTERMEDIATE.search(f.path):
            groups["intermediate"].append(f)
        elif _REWARD.search(f.path):
            groups["reward"].append(f)
        elif _QUANTISED.search(f.path):
            groups["adapter"].append(f)
        else:
            groups["final"].append(f)
    fm = ctx.front_matter
    fine_tuned = bool(fm.get("base_model"))
    for group, cid in (("final", "weights.adapted" if fine_tuned else "weights.pretrained"),
                       ("intermediate", "weights.intermediate"), ("adapter", "weights.adapter"),
                       ("reward", "weights.reward")):
        files = groups[group]
        if not files:
            continue
        formats = sorted({extension(f.path).lstrip(".") for f in files})
        facts = {
            "files": len(files),
            "formats": formats,
            "total_size": sum(f.size for f in files),
            "lfs_pointers": sum(1 for f in files if f.is_lfs_pointer),
            "pickle": any(extension(f.path) in PICKLE_EXTENSIONS for f in files),
            "signature": any(f.name == "model.sig" for f in ctx.inventory),
        }
        evidence = tuple(Evidence(_describe(f), f.path) for f in files[:MAX_EVIDENCE])
        yield Finding(cid, PRESENT, evidence, facts)
    card = ctx.model_card
    if card is not None and not groups["final"]:
        text = ctx.inventory.text(card.path) or ""
        m = _HF_MODEL_URL.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            cid = "weights.adapted" if fine_tuned else "weights.pretrained"
            yield Finding(cid, LINKED, (Evidence(f"weights on the Hugging Face Hub ({m.group(1)})", card.path, line,
                                                 m.group(0)),))
