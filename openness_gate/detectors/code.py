"""Code detectors: preprocessing, training, fine-tuning, inference, evaluation, architecture, libraries.

This first version judges by file and folder names; content-based rules come with the
detectors issue.
"""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate.detectors import Context, detector
from openness_gate.findings import PRESENT, Evidence, Finding
from openness_gate.inventory import extension

_CODE_EXT = r"\.(?:py|ipynb|sh|ya?ml|json|toml|cfg|jl|rs|cpp|cu|lua|r)$"

#: component → (path pattern, reason). Patterns look at the file name and its folders.
_RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "code.preprocessing": (re.compile(r"(?:^|/)[^/]*(?:preprocess|data[_-]?prep|tokeni[sz]e|dedup|clean[_-]?data|filter[_-]?data)[^/]*"
                                      r"\.(?:py|ipynb|sh)$", re.I), "data preprocessing code"),
    "code.training": (re.compile(r"(?:^|/)(?:pre)?train(?:ing|er)?(?:[_-][^/]*)?" + _CODE_EXT
                                 + r"|(?:^|/)(?:train|training|pretrain)/[^/]*" + _CODE_EXT, re.I), "training code"),
    "code.fine_tuning": (re.compile(r"(?:^|/)[^/]*(?:fine[_-]?tun|finetun|sft|dpo|rlhf|ppo|lora|qlora|orpo)[^/]*"
                                    + _CODE_EXT, re.I), "fine-tuning code"),
    "code.inference": (re.compile(r"(?:^|/)[^/]*(?:infer|generat|predict|serve|serving|demo|chat|sample)[^/]*"
                                  r"\.(?:py|ipynb|sh)$", re.I), "inference code"),
    "code.evaluation": (re.compile(r"(?:^|/)(?:eval|evals|evaluation|benchmarks?)/[^/]*" + _CODE_EXT
                                   + r"|(?:^|/)[^/]*(?:eval|benchmark)[^/]*\.(?:py|ipynb|sh)$", re.I), "evaluation code"),
    "code.architecture": (re.compile(r"(?:^|/)(?:modeling_[^/]*|model|models?/[^/]*|modeling)\.py$", re.I),
                          "model definition"),
    "code.libraries": (re.compile(r"(?:^|/)[^/]*(?:deepspeed|ds_config|fsdp|megatron|accelerate_config|slurm)[^/]*"
                                  + _CODE_EXT + r"|\.(?:sbatch|slurm)$", re.I), "distributed training / infrastructure config"),
}
MAX_EVIDENCE = 5
_CODE_EXTENSIONS = frozenset({".py", ".ipynb", ".sh", ".yml", ".yaml", ".json", ".toml", ".cfg", ".jl", ".rs", ".cpp",
                              ".cu", ".lua", ".r", ".sbatch", ".slurm"})


@detector("code", list(_RULES))
def code_by_name(ctx: Context) -> Iterable[Finding]:
    hits: dict[str, list[Evidence]] = {cid: [] for cid in _RULES}
    for f in ctx.inventory:
        if extension(f.path) not in _CODE_EXTENSIONS:
            continue
        for cid, (rx, reason) in _RULES.items():
            if len(hits[cid]) < MAX_EVIDENCE and rx.search(f.path):
                hits[cid].append(Evidence(reason, f.path))
    for cid, evidence in hits.items():
        if evidence:
            yield Finding(cid, PRESENT, tuple(evidence))
    if "config.json" in ctx.inventory:
        text = ctx.inventory.text("config.json", 256 * 1024) or ""
        if '"architectures"' in text:
            yield Finding("code.architecture", PRESENT, (Evidence("config.json names the architecture", "config.json"),))
