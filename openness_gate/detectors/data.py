"""Data detectors: pre-training, fine-tuning, preference and evaluation data, shipped or referenced."""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate.detectors import Context, detector
from openness_gate.findings import LINKED, PRESENT, Evidence, Finding
from openness_gate.inventory import extension

DATA_EXTENSIONS = frozenset({".jsonl", ".parquet", ".arrow", ".csv", ".tsv", ".txt.gz", ".json.gz", ".jsonl.gz",
                             ".zst", ".tfrecord", ".webdataset", ".tar", ".gz"})
_STAGES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("data.preference", re.compile(r"prefer|dpo|rlhf|reward|comparison|chosen|rejected", re.I)),
    ("data.evaluation", re.compile(r"(?:^|/|_|-)(?:eval|evaluation|test|benchmarks?|validation)(?:/|_|-|\.)", re.I)),
    ("data.fine_tuning", re.compile(r"sft|instruct|fine[_-]?tun|finetun|chat", re.I)),
)
_DATA_DIR = re.compile(r"(?:^|/)(?:data|datasets?|corpus|shards?)/", re.I)
MAX_EVIDENCE = 5


def _stage(path: str) -> str:
    for cid, rx in _STAGES:
        if rx.search(path):
            return cid
    return "data.pretraining"


@detector("data", ["data.pretraining", "data.fine_tuning", "data.preference", "data.evaluation"])
def data(ctx: Context) -> Iterable[Finding]:
    hits: dict[str, list] = {}
    for f in ctx.inventory:
        if extension(f.path) in DATA_EXTENSIONS and _DATA_DIR.search(f.path):
            hits.setdefault(_stage(f.path), []).append(f)
    for cid, files in hits.items():
        yield Finding(cid, PRESENT, tuple(Evidence("data file", f.path) for f in files[:MAX_EVIDENCE]),
                      {"files": len(files), "total_size": sum(f.size for f in files)})
    datasets = ctx.front_matter.get("datasets")
    if isinstance(datasets, str):
        datasets = [datasets]
    if isinstance(datasets, list) and ctx.model_card is not None:
        ids = [d for d in datasets if isinstance(d, str)][:20]
        if ids:
            cid = "data.fine_tuning" if ctx.front_matter.get("base_model") else "data.pretraining"
            yield Finding(cid, LINKED, tuple(
                Evidence("dataset declared in the card's `datasets:` metadata", ctx.model_card.path, None,
                         f"https://huggingface.co/datasets/{d}") for d in ids[:MAX_EVIDENCE]), {"datasets": ids})
