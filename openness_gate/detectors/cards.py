"""Finding the model card(s) of a repository and choosing the primary one.

Real repositories put the card in the root README with Hugging Face front matter, in a
dedicated ``MODEL_CARD.md``, in per-model folders (``Llama-Guard3/8B/MODEL_CARD.md``,
``models/x/README.md``), or in a README kept for the Hub upload wherever the project keeps it
(``model_cards/<name>/README.md``, ``docs/huggingface/adapter-README.md``). Every card found is
listed; the primary one is chosen by a fixed order, and the reason for the choice travels with it
as evidence.
"""

from __future__ import annotations

import posixpath
import re
from functools import cached_property

from openness_gate import lazyre
from openness_gate.detectors._common import ReadBudget, depth, front_matter, is_ignored, is_vendored
from openness_gate.detectors.index import FileIndex
from openness_gate.inventory import WEIGHT_EXTENSIONS, FileEntry, Inventory
from openness_gate.parsers import card_templates, completeness, frontmatter, markdown, references
from openness_gate.record import field, record

# File names, as FileIndex.names_matching scans them: lower-case names, one per line.
# a name that says "model card", with any prefix or suffix (``Mistral_Model_Card.md``, ``model-card-v2.md``)
_CARD_NAME_LINE = lazyre.compile(r"^[^\n]*model[_ -]?card[^\n]*\.(?:md|markdown)$", re.MULTILINE)
#: a folder that holds model cards: its Markdown files are cards whatever their names
_CARD_DIR = lazyre.compile(r"(?:^|/)model[_ -]?cards?/$", re.IGNORECASE)
#: a blank form to fill in, not a card: by name, or by Jinja / "[Insert …]" placeholders
_TEMPLATE_NAME = lazyre.compile(r"template", re.IGNORECASE)
_PLACEHOLDERS = lazyre.compile(r"\{\{[^}\n]{1,80}\}\}|\{%[^%\n]{1,80}%\}|\[(?:insert|add|your|fill)[^\]\n]{0,80}\]",
                               re.IGNORECASE)
#: a README without front matter is a card when its title says so ("# Model Card for X")
_CARD_TITLE = lazyre.compile(r"model[ _-]?card", re.IGNORECASE)
#: a title that is one hyphenated word besides "model card" is the repository's name, not a title
#: saying what the file is (SCAI-Lab/BP-AI-model-card: a reporting framework's README)
_SLUG_TITLE = lazyre.compile(r"(?![^\n]*\s)(?!model[_-]?cards?$)[\w.]+(?:[_-][\w.]+)+", re.IGNORECASE)
_README_LINE = lazyre.compile(r"^readme\.(?:md|markdown)$", re.MULTILINE)
#: a README by name, prefixed or suffixed (``adapter-README.md``, ``README_hf.md``, ``README.zh.md``)
_ANY_README_LINE = lazyre.compile(r"^[^\n]*readme[^\n]*\.(?:md|markdown)$", re.MULTILINE)
MAX_CARD_CANDIDATES = 30
#: other READMEs whose first bytes are peeked at for a front-matter block (a tree of task folders has hundreds)
MAX_README_PEEKS = 500
#: the component whose verdict a card left unread could change (cards are found for whichever detector asks
#: first), and why it was left
_CARD = ("docs.model_card",)
_CARD_UNREAD = f"content not read: at most {MAX_CARD_CANDIDATES} candidate model cards are read"
MAX_CARD_DEPTH = 3
TITLED_CARD_HEADINGS = 2  # card sections a README titled "Model Card" needs to be more than a title


@record
class ModelCard:
    path: str
    front_matter: frontmatter.FrontMatter
    sections: tuple[markdown.Section, ...]
    note: str | None  # a lossy read (truncated, decoded from UTF-16…)
    why: str  # why this file was taken as (the primary) card
    text: str = field(default="", repr=False)

    @cached_property
    def line_index(self) -> references.LineIndex:
        return references.LineIndex(self.text)

    @cached_property
    def refs(self) -> list[references.Reference]:
        """External references (HF ids, arXiv, DOIs, dataset URLs) in the whole card, with lines."""
        return references.find(self.text, self.line_index)

    @cached_property
    def kind(self) -> str:
        """'model', 'dataset', 'space' (a Hub demo app's configuration) or 'none': what the front matter
        describes."""
        keys = set(self.front_matter.data)
        if keys & card_templates.SPACE_KEYS:
            return "space"
        if keys & card_templates.DATASET_CARD_KEYS and not keys & {"pipeline_tag", "library_name", "base_model",
                                                                  "model-index"}:
            return "dataset"
        return "model" if keys & card_templates.MODEL_CARD_KEYS else "none"

    @cached_property
    def template_headings(self) -> int:
        return completeness.matched_headings(self.sections, card_templates.MODEL_CARD)

    def section_at(self, line: int) -> markdown.Section | None:
        """The section containing ``line``."""
        found = None
        for s in self.sections:
            if s.line <= line:
                found = s
            else:
                break
        return found


@record
class CardSet:
    primary: ModelCard | None
    cards: tuple[ModelCard, ...] = ()  # every model card found, primary first
    rejected: tuple[tuple[str, str], ...] = ()  # (path, why it is not a model card)
    #: the root README as discovery parsed it, card or not (``root_readme`` reuses the parse)
    readme: ModelCard | None = None


def parse_card(inv: Inventory, entry: FileEntry, why: str) -> ModelCard | None:
    read = inv.read_text(entry.path)
    if read.text is None:
        return None
    fm = front_matter(inv, read.text)
    key = ("card_sections", read.text)  # the same card text in many checkpoint folders: parsed once
    secs = inv.derived.get(key)
    if secs is None:
        secs = inv.derived[key] = tuple(markdown.sections(fm.body, line_offset=fm.body_line - 1))
    return ModelCard(entry.path, fm, secs, read.note, why, read.text)


def _root_readme(inv: Inventory) -> FileEntry | None:
    return inv.get("README.md") or next((f for f in sorted(FileIndex.of(inv).by_dir.get("", ()), key=lambda f: f.path)
                                         if _README_LINE.match(f.path.lower())), None)


def _candidates(inv: Inventory, ix: FileIndex) -> list[tuple[FileEntry, str]]:
    root_readme = _root_readme(inv)
    out: list[tuple[FileEntry, str]] = []
    if root_readme is not None:
        out.append((root_readme, "root README"))

    def ours(f: FileEntry) -> bool:
        return depth(f.path) <= MAX_CARD_DEPTH + 1 and not is_ignored(f.path) and not is_vendored(f.path)

    dedicated = [f for f in ix.names_matching(_CARD_NAME_LINE, None, ("card",)) if ours(f)]
    seen = {f.path for f in dedicated}
    dedicated += [f for f in ix.in_dirs(ix.dirs_named(_CARD_DIR), frozenset({".md", ".markdown"}))
                  if ours(f) and f.path not in seen and not _README_LINE.match(posixpath.basename(f.path).lower())]
    nested = [f for f in ix.names_matching(_README_LINE, None, ("readme",)) if "/" in f.path and ours(f)]
    weight_dirs = {posixpath.dirname(f.path) for f in ix.ext(*WEIGHT_EXTENSIONS)}
    weight_dirs |= {posixpath.dirname(f.path) for f in ix.named("config.json", "adapter_config.json", "params.json")}
    dedicated.sort(key=lambda f: (depth(f.path), f.path))
    out.extend((f, "dedicated model card file") for f in dedicated)
    # READMEs of per-model folders (next to weights or a model config) are cards when they look like one
    nested = [f for f in nested if posixpath.dirname(f.path) in weight_dirs]
    nested.sort(key=lambda f: (depth(f.path), f.path))
    out.extend((f, "README of a per-model folder") for f in nested)
    return out


def _other_readmes(ix: FileIndex, taken: set[str]) -> list[FileEntry]:
    """READMEs that are not candidates yet (``taken``: the root README among them), in any folder or
    named ``*README*``: a card kept for the Hub upload sits wherever the project keeps it. Only their
    front matter can make them cards."""
    found = [f for f in ix.names_matching(_ANY_README_LINE, (".md", ".markdown"), ("readme",))
             if f.path not in taken and depth(f.path) <= MAX_CARD_DEPTH + 1
             and not is_ignored(f.path) and not is_vendored(f.path)]
    found.sort(key=lambda f: (depth(f.path), f.path))
    return found


def discover(inv: Inventory, ix: FileIndex | None = None) -> CardSet:
    """Every model card, and the primary one: a root README with model front matter, else a root
    ``MODEL_CARD.md``, else a root README that follows the card template, else the shallowest
    dedicated or per-model card."""
    cards: list[ModelCard] = []
    rejected: list[tuple[str, str]] = []
    readme: ModelCard | None = None
    ix = ix or FileIndex.of(inv)
    candidates = _candidates(inv, ix)
    budget = ReadBudget(inv, MAX_CARD_CANDIDATES)
    for entry, where in candidates:
        if not budget.take(entry.path):
            continue
        card = parse_card(inv, entry, where)
        if where == "root README":
            readme = card
        if card is None:
            rejected.append((entry.path, f"{where}: {inv.read_text(entry.path).note or 'not readable as text'}"))
            continue
        fm = card.front_matter
        if fm.present and fm.error is None and card.kind == "dataset":
            rejected.append((entry.path, f"{where} is a dataset card (its front matter describes a dataset)"))
            continue
        if where == "dedicated model card file":
            if _TEMPLATE_NAME.search(posixpath.basename(entry.path)) or _is_blank_form(card.text):
                rejected.append((entry.path, f"{where} is an unfilled template (placeholders to fill in)"))
            else:
                cards.append(card)
        elif fm.present and (fm.error is not None or card.kind == "model"):
            what = "Hugging Face card front matter" if fm.error is None else "a front-matter block (unusable)"
            cards.append(ModelCard(card.path, fm, card.sections, card.note, f"{where} with {what}", card.text))
        elif _titled_as_card(card):
            cards.append(ModelCard(card.path, fm, card.sections, card.note,
                                   f"{where} titled as a model card, with {card.template_headings} standard "
                                   f"section(s)", card.text))
        else:
            # a project README documents a project; its "Training" or "Evaluation" headings do not
            # make it a card (real READMEs of code repositories have them too)
            detail = "; " + card.note if card.note else ""
            rejected.append((entry.path, f"{where} is a project README: no card front matter and not titled as a "
                                         f"model card ({card.template_headings} card-like heading(s)){detail}"))
    inv.mark_unread(budget.unread, _CARD_UNREAD, _CARD)
    cards += _front_matter_cards(inv, ix, {f.path for f, _ in candidates},
                                 max(0, MAX_CARD_CANDIDATES - len(candidates)), rejected)
    if not cards:
        return CardSet(None, (), tuple(rejected), readme)

    def rank(c: ModelCard) -> tuple[int, int, str]:
        root = "/" not in c.path
        if root and c.why.startswith("root README with Hugging Face"):
            order = 0
        elif root and c.why.startswith("dedicated"):
            order = 1
        elif root:
            order = 2
        else:
            order = 3
        return order, depth(c.path), c.path

    cards.sort(key=rank)
    first = cards[0]
    others = len(cards) - 1
    why = first.why + (f"; chosen as primary over {others} other card(s)" if others else "")
    primary = ModelCard(first.path, first.front_matter, first.sections, first.note, why, first.text)
    return CardSet(primary, (primary, *cards[1:]), tuple(rejected), readme)


def _front_matter_cards(inv: Inventory, ix: FileIndex, taken: set[str], room: int,
                        rejected: list[tuple[str, str]]) -> list[ModelCard]:
    """Cards among the other READMEs: those whose front matter has a key only a model card has.
    Each is peeked at (its first bytes) and read only when it opens with a front-matter block; one
    without is no candidate and is not reported."""
    others = _other_readmes(ix, taken)
    inv.mark_unread([f.path for f in others[MAX_README_PEEKS:]],
                    f"content not read: at most {MAX_README_PEEKS} READMEs are read for a card's front matter", _CARD)
    out: list[ModelCard] = []
    for entry in others[:MAX_README_PEEKS]:
        head = inv.peek(entry.path, 64)
        if head is None or not frontmatter.may_open(head):
            continue
        if room <= 0:
            inv.mark_unread([entry.path], _CARD_UNREAD, _CARD)
            continue
        room -= 1
        card = parse_card(inv, entry, "README with Hugging Face card front matter")
        if card is None:
            continue
        fm = card.front_matter
        if fm.error is not None or card.kind != "model" or not set(fm.data) & card_templates.MODEL_ONLY_KEYS:
            what = {"space": "a Hugging Face Space's configuration", "dataset": "a dataset card's"}.get(card.kind)
            rejected.append((entry.path, f"README with front matter that does not describe a model"
                                         f"{' (' + what + ')' if what else ''}"))
            continue
        out.append(card)
    return out


def _is_blank_form(text: str) -> bool:
    """Mostly placeholders: at least three, and more placeholders than filled paragraphs."""
    found = len(_PLACEHOLDERS.findall(text[:200_000]))
    return found >= 3 and found * 4 >= text.count("\n\n")


def _titled_as_card(card: ModelCard) -> bool:
    first = next((s for s in card.sections if s.title), None)
    return first is not None and bool(_CARD_TITLE.search(first.title)) and not _SLUG_TITLE.fullmatch(first.title.strip()) \
        and card.template_headings >= TITLED_CARD_HEADINGS


def find_model_card(inv: Inventory) -> ModelCard | None:
    return discover(inv).primary


def root_readme(found: CardSet) -> ModelCard | None:
    """The root README parsed like a card (for references only), or None: the parse card discovery
    made of it (it is always the first candidate; a README is parsed in about 1 ms a 10 KB)."""
    c = found.readme
    return None if c is None else ModelCard(c.path, c.front_matter, c.sections, c.note,
                                            "root README (not a model card)", c.text)
