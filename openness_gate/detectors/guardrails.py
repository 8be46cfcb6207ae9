"""Guardrail detectors: aligned weights, programmable guardrails, safety classifiers, system prompts."""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate.detectors import Context, detector
from openness_gate.findings import PRESENT, Evidence, Finding

_COLANG = re.compile(r"\.co$", re.I)
_CLASSIFIER = re.compile(r"(?:^|/)(?:safety[_-]?checker|llama[_-]?guard|shield[_-]?gemma|moderation|content[_-]?filter|"
                         r"safety[_-]?classifier)[^/]*(?:/|\.py$|\.md$|\.json$)", re.I)
_PROMPT = re.compile(r"(?:^|/)(?:system[_-]?prompt[^/]*\.(?:txt|md|jinja|json)|chat_template\.jinja)$", re.I)
_ALIGNED_TAGS = re.compile(r"\b(?:instruct|chat|rlhf|dpo|aligned|safety[- ]tuned)\b", re.I)


@detector("guardrails", ["guardrails.programmable", "guardrails.safety_classifier", "guardrails.system_prompt",
                         "guardrails.aligned_weights"])
def guardrails(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    colang = [f for f in inv if _COLANG.search(f.path)]
    if colang:
        yield Finding("guardrails.programmable", PRESENT,
                      tuple(Evidence("Colang guardrail flow", f.path) for f in colang[:5]))
    for f in inv:
        if _CLASSIFIER.search(f.path):
            yield Finding("guardrails.safety_classifier", PRESENT, (Evidence("safety classifier / moderation", f.path),))
            break
    for f in inv:
        if _PROMPT.search(f.path):
            yield Finding("guardrails.system_prompt", PRESENT, (Evidence("published system prompt / chat template",
                                                                         f.path),))
    if "tokenizer_config.json" in inv:
        text = inv.text("tokenizer_config.json", 512 * 1024) or ""
        if '"chat_template"' in text:
            yield Finding("guardrails.system_prompt", PRESENT,
                          (Evidence("chat template in tokenizer_config.json", "tokenizer_config.json"),))
    card = ctx.model_card
    has_weights = any(f.path.endswith((".safetensors", ".gguf", ".bin")) for f in inv)
    if card is not None and has_weights:
        tags = ctx.front_matter.get("tags")
        text = " ".join(str(t) for t in tags) if isinstance(tags, list) else ""
        if _ALIGNED_TAGS.search(text) or _ALIGNED_TAGS.search(card.path):
            yield Finding("guardrails.aligned_weights", PRESENT,
                          (Evidence("weights tagged as instruction/safety aligned in the model card", card.path, 1),))
