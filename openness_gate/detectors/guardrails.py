"""Guardrail detectors: aligned weights, programmable guardrails, safety classifiers, system prompts.

Signals by content, not only by name: Colang files must define flows, a rails config must
have a ``rails:`` section, a Llama-Guard-style classifier is recognised by its hazard-category
prompt, a chat template counts as a published system prompt only when it carries a default
system message or safety instructions (otherwise ``partial``).
"""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import MAX_EVIDENCE, ReadBudget, declared, depth, doc_name, is_ignored, is_vendored, load_json
from openness_gate.findings import LINKED, PARTIAL, PRESENT, Evidence, Finding
from openness_gate.inventory import extension
from openness_gate.parsers import anchored

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

COMPONENTS = ("guardrails.aligned_weights", "guardrails.programmable", "guardrails.safety_classifier",
              "guardrails.system_prompt")
_COLANG = lazyre.compile(r"^\s*(?:define (?:user|bot|flow|subflow)\b|flow \w|import core\b)", re.MULTILINE)
_RAILS_CONFIG = lazyre.compile(r"(?:^|/)config\.ya?ml$", re.IGNORECASE)
_RAILS_KEY = lazyre.compile(r"^rails:\s*$|^\s+(?:input|output|dialog|retrieval):\s*\n\s+flows:", re.MULTILINE)
_RAIL_SPEC = lazyre.compile(r"\.rail$", re.IGNORECASE)
_HAZARD_PROMPT = lazyre.compile(r"BEGIN UNSAFE CONTENT CATEGORIES|unsafe content categories|S1: Violent Crimes",
                                re.IGNORECASE)
#: where a match of ``_HAZARD_PROMPT`` can begin, in the folded text (``parsers.anchored``): prompt
#: files are read up to 512 KB
_HAZARD_PROMPT_STARTS = lazyre.compile(r"begin unsafe content categories|unsafe content categories|s1: violent crimes")
#: Names of safety-classifier models and tools, as they appear in a file or folder name.
_CLASSIFIER_WORDS = (r"(?:llama[_-]?guard|prompt[_-]?guard|shield[_-]?gemma|granite[_-]?guardian|wildguard|"
                     r"safety[_-]?checker|safety[_-]?classifier|safeguard|content[_-]?(?:filter|moderation)|moderation|"
                     r"toxicity[_-]?(?:classifier|filter)|nsfw[_-]?(?:detector|classifier|filter)|"
                     r"jailbreak[_-]?(?:detector|classifier)|code[_-]?shield|nsfw[_-]?(?:and|detect|check)\w*|"
                     r"bad[_-]?words?[_-]?(?:check|filter|ids)\w*|toxicity[_-]?(?:check|detect|mitigat)\w*)")
_CLASSIFIER_NAME = lazyre.compile(rf"(?:^|/)[^/]*{_CLASSIFIER_WORDS}[^/]*(?:/|\.(?:py|md|json|safetensors|bin|onnx|yaml|yml)$)",
                                  re.IGNORECASE)
#: folders that prepare training data: a content or toxicity filter in one cleans the corpus (a FineWeb-style
#: quality and content filter under sarelWeinberger/qwen-hebrew-finetuning's ``data_preprocess/``), and the
#: labelling rules do not count data-curation filters as guardrails
_DATA_CURATION_DIR = lazyre.compile(r"(?:^|/)(?:data[_-]?(?:pre[_-]?process\w*|prep\w*|curation|clean\w*|processing|"
                                    r"pipeline|filter\w*)|pre[_-]?process\w*|curation|dedup\w*)/", re.IGNORECASE)
#: the names worth a look, and (``FileIndex.names_matching``) substrings one of which each of them
#: holds: every alternative of ``_CLASSIFIER_WORDS`` must be among them, or its files are never seen
#: (the bad-word filters of THUDM/ChatGLM3 and facebookresearch/seamless_communication were not)
_GUARD_KEYWORDS = ("guard", "shield", "safety", "safeguard", "moderation", "filter", "toxicity", "nsfw", "jailbreak",
                   "bad_word", "bad-word", "badword", "polic", "taxonomy", "guidelines", "prompt", "categor", "hazard",
                   "tokenizer_config.json", "chat_template")
_GUARD_WORDS = lazyre.compile(r"guard|shield|safety|safeguard|moderation|filter|toxicity|nsfw|jailbreak|bad[_-]?word|"
                              r"polic|taxonomy|guidelines|prompt|categor|hazard|^tokenizer_config\.json$|^chat_template",
                              re.MULTILINE)
#: a folder named for a safety classifier. Searched on folder paths only ("a/b/", every component
#: followed by '/'), where this finds the same folders as ``(?:^|/)[^/]*WORDS[^/]*/`` (the words hold
#: no '/') without restarting ``[^/]*`` at every character: 9 µs a folder, 0.2 s on 20k folders
_CLASSIFIER_DIR = lazyre.compile(_CLASSIFIER_WORDS, re.IGNORECASE)
_PROMPT_WORDS = lazyre.compile(r"prompt|template|\.jinja$|\.j2$|^tokenizer_config\.json$", re.MULTILINE)
_POLICY_NAME = lazyre.compile(r"(?:^|/)[^/]*(?:safety|content|moderation|harm)[_-]?(?:policy|policies|taxonomy|"
                              r"guidelines)[^/]*\.(?:md|txt|pdf|ya?ml|json)$", re.IGNORECASE)
_SAFETY_TAGS = lazyre.compile(r"^(?:safety|moderation|content-moderation|guard|guardrails?|safeguard|toxicity|"
                              r"jailbreak-detection|prompt-injection)$", re.IGNORECASE)
_GUARD_ID = lazyre.compile(r"guard|shieldgemma|moderation|safety[-_]?checker|safeguard", re.IGNORECASE)
_PROMPT_FILE = lazyre.compile(r"(?:^|/)(?:[^/]*system[_-]?prompts?[^/]*|prompts?/system[^/]*)\.(?:txt|md|jinja|j2|json|"
                              r"ya?ml)$", re.IGNORECASE)
_TEMPLATE_FILE = lazyre.compile(r"(?:^|/)(?:chat_template\.(?:jinja|json)|additional_chat_templates/[^/]+\.jinja|"
                                r"[^/]*\.(?:jinja|j2))$", re.IGNORECASE)
#: what makes a system prompt a safety instruction rather than a persona or a tool-use preamble
_SAFETY_WORDS = (r"harmful|unethical|respectful|\bsafe(?:ly|ty)?\b|do not (?:provide|generate|produce)|toxic|illegal|"
                 r"dangerous|refuse|inappropriate|offensive")
_SAFETY_IN_PROMPT = lazyre.compile(_SAFETY_WORDS, re.IGNORECASE)
#: a chat template that sets a default system prompt (a persona) or safety instructions
_SYSTEM_IN_TEMPLATE = lazyre.compile(r"default_system_message|default_system_prompt|system_message\s*=|"
                                     rf"You are (?:a|an|[A-Z]\w+)\b|{_SAFETY_WORDS}", re.IGNORECASE)
_ALIGNED_TAGS = lazyre.compile(r"^(?:instruct|chat|conversational|rlhf|dpo|orpo|kto|aligned|sft|"
                               r"instruction-tuned|alignment-handbook|trl)$", re.IGNORECASE)
_ALIGNED_NAME = lazyre.compile(r"(?:instruct|chat|[-_]it(?:$|[-_])|[-_]sft|[-_]dpo|rlhf|aligned)", re.IGNORECASE)
_ALIGNED_TEXT = lazyre.compile(r"\b(?:RLHF|DPO|direct preference optimi[sz]ation|reinforcement learning from human feedback|"
                               r"safety[- ](?:tun|fine-tun|align)\w*|instruction[- ]tun\w*|aligned (?:with|to|for) human|"
                               r"preference (?:tuning|optimi[sz]ation)|constitutional)\b", re.IGNORECASE)
#: what makes aligned weights *safety*-aligned rather than instruction-tuned: TRL stamps "trl" and "sft"
#: on every fine-tune it saves, a café chatbot's SFT included (tduybao7605/Qwen2.5-3B-fine-tuned)
_SAFETY_ALIGNED = lazyre.compile(r"\bsafety[- ](?:tun|fine-?tun|align|train)\w*|\bharmless(?:ness)?\b|constitutional ai|"
                                 r"\brefusal (?:training|tuning|data)", re.IGNORECASE)
MAX_READS = 40  # candidate guardrail configs, and candidate safeguard prompts, read each
MAX_TEMPLATES = 10  # chat templates read for a system prompt


def _unread(limit: int, what: str) -> str:
    return f"content not read: the guardrails detector reads at most {limit} {what}"

_GUARD_NAME = lazyre.compile(r"guard|prompt|categor|hazard", re.IGNORECASE)
_SYSTEM_PROMPT_TITLE = lazyre.compile(r"system prompt", re.IGNORECASE)


def _ours(path: str) -> bool:
    return not (is_ignored(path) or is_vendored(path))


@detector("guardrails", COMPONENTS)
def guardrails(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, COMPONENTS)
    yield from _programmable(ctx)
    yield from _classifier(ctx)
    yield from _system_prompt(ctx)
    yield from _aligned(ctx)


def _programmable(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    evidence: list[Evidence] = []
    budget = ReadBudget(inv, MAX_READS)
    candidates = sorted(ctx.index.ext(".co", ".rail") + ctx.index.named("config.yml", "config.yaml"),
                        key=lambda f: f.path)
    for f in candidates:
        p = f.path
        if len(evidence) >= MAX_EVIDENCE:
            break
        ext = extension(p)
        if ext == ".co" or _RAIL_SPEC.search(p) or (_RAILS_CONFIG.search(p) and depth(p) <= 4):
            if not _ours(p) or not budget.take(p):
                continue
            text = inv.text(p, 65536) or ""
            if ext == ".co" and _COLANG.search(text):
                m = _COLANG.search(text)
                evidence.append(Evidence("Colang guardrail flows", p, text.count("\n", 0, m.start()) + 1))
            elif ext == ".rail" and "<rail" in text:
                evidence.append(Evidence("Guardrails AI RAIL specification", p))
            elif _RAILS_CONFIG.search(p) and _RAILS_KEY.search(text):
                m = _RAILS_KEY.search(text)
                evidence.append(Evidence("guardrails configuration with input/output rails", p,
                                         text.count("\n", 0, m.start()) + 1))
    inv.mark_unread(budget.unread, _unread(MAX_READS, "guardrail configurations"), ("guardrails.programmable",))
    if evidence:
        yield Finding("guardrails.programmable", PRESENT, tuple(evidence))


def _classifier(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    evidence: list[Evidence] = []
    budget = ReadBudget(inv, MAX_READS)
    ix = ctx.index
    candidates = {f.path: f for f in ix.names_matching(_GUARD_WORDS, None, _GUARD_KEYWORDS)}
    for d in ix.dirs_within_named(_CLASSIFIER_DIR):
        first = min(ix.by_dir[d], key=lambda f: f.path)
        candidates.setdefault(first.path, first)
    for f in sorted(candidates.values(), key=lambda f: f.path):
        p = f.path
        if not _ours(p) or len(evidence) >= MAX_EVIDENCE:
            continue
        if _CLASSIFIER_NAME.search(p) and not _DATA_CURATION_DIR.search(p):
            what = "diffusers safety checker" if "safety_checker" in p.lower() else "safety classifier / moderation"
            evidence.append(Evidence(what, p))
        elif _POLICY_NAME.search(p):
            evidence.append(Evidence("moderation / safety policy", p))
        elif f.name in ("tokenizer_config.json", "chat_template.jinja", "chat_template.json") or (
                extension(p) in (".md", ".txt", ".py", ".jinja") and _GUARD_NAME.search(p)):
            if not budget.take(p):
                continue
            line = budget.verdict(p, lambda q: _hazard_prompt_line(inv, q))
            if line is not None:
                evidence.append(Evidence("safeguard prompt with unsafe-content categories (Llama-Guard style)", p,
                                         line))
    inv.mark_unread(budget.unread, _unread(MAX_READS, "candidate safeguard prompts"), ("guardrails.safety_classifier",))
    if "model_index.json" in inv:
        data = load_json(inv.text("model_index.json", 65536))
        sc = data.get("safety_checker") if isinstance(data, dict) else None
        if isinstance(sc, list) and any(sc):
            evidence.append(Evidence(f"diffusers pipeline wires a safety checker ({', '.join(map(str, sc))[:80]})",
                                     "model_index.json"))
    card = ctx.primary_doc
    if card is not None:
        tags = ctx.front_matter.get("tags")
        tags = [str(t) for t in tags if isinstance(t, (str, int))] if isinstance(tags, list) else []
        safety_tags = [t for t in tags if _SAFETY_TAGS.match(t)]
        if safety_tags and ctx.weights.any:
            evidence.append(Evidence(f"this model is a safety classifier (card tags: {', '.join(safety_tags[:3])})",
                                     card.path, 1))
    if evidence:
        yield Finding("guardrails.safety_classifier", PRESENT, tuple(evidence[:MAX_EVIDENCE]))
    elif card is not None:
        for r in card.refs:
            if r.kind == "hf_model" and _GUARD_ID.search(r.value):
                yield Finding("guardrails.safety_classifier", LINKED, (Evidence(
                    f"safeguard model referenced in {doc_name(ctx, card)} ({r.value})", card.path, r.line, r.url),))
                return


def _hazard_prompt_line(inv: Any, path: str) -> int | None:
    """The line of a safeguard prompt's unsafe-content categories in ``path``, or None."""
    text = inv.text(path, 512 * 1024) or ""
    m = anchored.search(_HAZARD_PROMPT, _HAZARD_PROMPT_STARTS, text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _template_text(ctx: Context, path: str) -> str:
    text = ctx.inventory.text(path, 512 * 1024) or ""
    if path.endswith("tokenizer_config.json") or path.endswith("chat_template.json"):
        data = load_json(text)
        tpl = data.get("chat_template") if isinstance(data, dict) else None
        if isinstance(tpl, list):  # [{name, template}, …]
            tpl = " ".join(str(t.get("template", "")) for t in tpl if isinstance(t, dict))
        return tpl if isinstance(tpl, str) else ""
    return text


def _template_prompt(ctx: Context, path: str) -> tuple[str, bool] | bool:
    """What a chat template holds: (what its default system prompt is, whether it has safety
    instructions); True for a chat template without one; False for no chat template."""
    tpl = _template_text(ctx, path)
    if not tpl or ("message" not in tpl and "role" not in tpl and not path.endswith((".jinja", ".j2"))):
        return False
    m = _SYSTEM_IN_TEMPLATE.search(tpl)
    if not m:
        return True
    guard = _SAFETY_IN_PROMPT.search(tpl)
    what = f"safety instructions ('{guard.group(0)[:40]}')" if guard else f"a default system prompt ('{m.group(0)[:40]}')"
    return what, bool(guard)


def _system_prompt(ctx: Context) -> Iterable[Finding]:
    prompts: list[Evidence] = []
    templates: list[str] = []
    safety = False  # facts.safety_instructions: the prompt guards (refusals, harms), not only a persona
    for f in ctx.index.names_matching(_PROMPT_WORDS, None, ("prompt", "template", ".jinja", ".j2", "tokenizer_config.json")):
        p = f.path
        if not _ours(p) or depth(p) > 4:
            continue
        if _PROMPT_FILE.search(p) and f.size > 0:
            prompts.append(Evidence("published system prompt", p))
            safety = safety or bool(_SAFETY_IN_PROMPT.search(ctx.inventory.text(p, 64 * 1024) or ""))
        elif _TEMPLATE_FILE.search(p) or f.name in ("tokenizer_config.json", "chat_template.json"):
            templates.append(p)
    if prompts:
        yield Finding("guardrails.system_prompt", PRESENT, tuple(prompts[:MAX_EVIDENCE]), {"safety_instructions": safety})
    partial_ev: list[Evidence] = []
    budget = ReadBudget(ctx.inventory, MAX_TEMPLATES)
    for p in templates:
        if not budget.take(p):
            continue
        said = budget.verdict(p, lambda q: _template_prompt(ctx, q))
        if isinstance(said, tuple):
            what, safety_instructions = said
            yield Finding("guardrails.system_prompt", PRESENT, (Evidence(f"chat template with {what}", p),),
                          {"safety_instructions": safety_instructions})
            return
        if said:
            partial_ev.append(Evidence("chat template published, but without a default system prompt or safety "
                                       "instructions", p))
    ctx.inventory.mark_unread(budget.unread, _unread(MAX_TEMPLATES, "chat templates"),
                              ("guardrails.system_prompt",))
    if partial_ev:
        yield Finding("guardrails.system_prompt", PARTIAL, tuple(partial_ev[:MAX_EVIDENCE]))
    card = ctx.primary_doc
    if card is not None:
        for s in card.sections:
            if s.level and _SYSTEM_PROMPT_TITLE.search(s.title) and len(s.body.strip()) > 40:
                yield Finding("guardrails.system_prompt", PRESENT, (Evidence(f"system prompt published in "
                                                                             f"{doc_name(ctx, card)} under '{s.title[:60]}'", card.path,
                                                                             s.line),),
                              {"safety_instructions": bool(_SAFETY_IN_PROMPT.search(s.body[:20_000]))})
                return


def _aligned(ctx: Context) -> Iterable[Finding]:
    card = ctx.model_card
    scan = ctx.weights
    deployable = scan.deployable
    signals: list[Evidence] = []
    if card is not None:
        tags = ctx.front_matter.get("tags")
        tags = [str(t) for t in tags if isinstance(t, (str, int))] if isinstance(tags, list) else []
        hit = [t for t in tags if _ALIGNED_TAGS.match(t)]
        if hit:
            signals.append(Evidence(f"card tags say the weights are aligned ({', '.join(hit[:3])})", card.path, 1))
        title = next((s.title for s in card.sections if s.level == 1), "")
        if title and _ALIGNED_NAME.search(title):
            signals.append(Evidence(f"the model is an instruction/chat variant ('{title[:60]}')", card.path))
        m = _ALIGNED_TEXT.search(card.text[:200_000])
        if m:
            signals.append(Evidence(f"the card says the weights were aligned ('{m.group(0)}')", card.path,
                                    card.line_index.line(m.start())))
    for f in scan.adapted[:1]:
        signals.append(Evidence("weights in an instruction/chat variant folder", f.path))
    if not signals:
        return
    if deployable:
        first = sorted(deployable, key=lambda f: (f.path.count("/"), f.path))[0]
        safety = card is not None and bool(_SAFETY_ALIGNED.search(card.text[:200_000]))
        yield Finding("guardrails.aligned_weights", PRESENT,
                      (Evidence("aligned weights in the repository", first.path), *signals[:3]),
                      {"safety_alignment": safety})
