"""Documentation detectors: model card, datasheet, evaluation results, red teaming, publication, change log."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from openness_gate.detectors import Context, detector
from openness_gate.findings import LINKED, PARTIAL, PRESENT, Evidence, Finding
from openness_gate.inventory import FileEntry, Inventory
from openness_gate.parsers import frontmatter, markdown

#: Top-level sections of the Hugging Face model card template that carry real information.
CARD_SECTIONS: dict[str, tuple[str, ...]] = {
    "model_details": ("model details", "model description", "model summary", "overview", "introduction", "about"),
    "uses": ("uses", "intended use", "direct use", "usage", "intended uses"),
    "out_of_scope": ("out-of-scope use", "out of scope", "misuse", "prohibited use"),
    "bias_risks_limitations": ("bias, risks, and limitations", "limitations", "bias", "risks", "ethical considerations"),
    "training": ("training details", "training data", "training procedure", "training"),
    "evaluation": ("evaluation", "results", "benchmarks", "performance"),
    "environmental_impact": ("environmental impact", "carbon", "co2"),
    "technical_specifications": ("technical specifications", "model architecture", "architecture", "compute infrastructure"),
    "citation": ("citation", "bibtex", "cite"),
    "how_to_get_started": ("how to get started", "quickstart", "quick start", "getting started", "how to use"),
}
PARTIAL_BELOW = 0.5  # completeness under which a card counts as partial

_PLACEHOLDER = re.compile(r"\[More Information Needed\]|\bTODO\b|\bTBD\b|\{\{[^}]*\}\}", re.IGNORECASE)
_CARD_NAMES = re.compile(r"(?:^|/)(?:model[_-]?card|modelcard)\.md$", re.IGNORECASE)
_README = re.compile(r"(?:^|/)readme\.md$", re.IGNORECASE)


@dataclass(frozen=True)
class ModelCard:
    path: str
    front_matter: frontmatter.FrontMatter
    sections: tuple[markdown.Section, ...]
    note: str | None  # a lossy read (truncated, replaced bytes…)
    why: str  # why this file was taken as the primary card

    def section_content(self) -> dict[str, tuple[int, bool]]:
        """For each standard section key: (line, has real content) of the first matching heading."""
        out: dict[str, tuple[int, bool]] = {}
        for s in self.sections:
            title = s.title.lower()
            for key, names in CARD_SECTIONS.items():
                if key in out or not any(title.startswith(n) for n in names):
                    continue
                body = _PLACEHOLDER.sub("", s.body).strip()
                out[key] = (s.line, len(body) >= 20)
        return out


def _parse_card(inv: Inventory, entry: FileEntry, why: str) -> ModelCard | None:
    read = inv.read_text(entry.path)
    if read.text is None:
        return None
    fm = frontmatter.parse(read.text)
    secs = markdown.sections(fm.body, line_offset=fm.body_line - 1)
    return ModelCard(entry.path, fm, tuple(secs), read.note, why)


def _card_candidates(inv: Inventory) -> list[tuple[FileEntry, str]]:
    out: list[tuple[FileEntry, str]] = []
    readme = inv.get("README.md") or next((f for f in inv if "/" not in f.path and _README.search(f.path)), None)
    dedicated = sorted((f for f in inv if _CARD_NAMES.search(f.path)), key=lambda f: (f.path.count("/"), f.path))
    if readme is not None:
        out.append((readme, "root README (the Hugging Face model card location)"))
    out.extend((f, "dedicated model card file") for f in dedicated)
    return out


def find_model_card(inv: Inventory) -> ModelCard | None:
    """The primary model card: a root README with card front matter, else a dedicated card file,
    else a root README whose headings look like a model card."""
    fallback: ModelCard | None = None
    for entry, why in _card_candidates(inv):
        card = _parse_card(inv, entry, why)
        if card is None:
            continue
        if card.front_matter.present and card.front_matter.error is None and card.front_matter.data:
            return card
        if why.startswith("dedicated"):
            return card
        if fallback is None and len(card.section_content()) >= 3:
            fallback = ModelCard(card.path, card.front_matter, card.sections, card.note,
                                 "root README whose sections follow the model card template")
    return fallback


@detector("documentation", ["docs.model_card"])
def model_card(ctx: Context) -> Iterable[Finding]:
    card = ctx.model_card
    if card is None:
        return []
    content = card.section_content()
    filled = sorted(k for k, (_, ok) in content.items() if ok)
    completeness = round(len(filled) / len(CARD_SECTIONS), 2)
    evidence = [Evidence(f"model card ({card.why})", card.path, 1)]
    if card.front_matter.error:
        evidence.append(Evidence(card.front_matter.error, card.path, 1))
    if card.note:
        evidence.append(Evidence(card.note, card.path))
    status = PRESENT if completeness >= PARTIAL_BELOW else PARTIAL
    if status == PARTIAL:
        evidence.append(Evidence(f"only {len(filled)} of {len(CARD_SECTIONS)} standard sections have content", card.path))
    facts = {
        "completeness": completeness,
        "sections_filled": filled,
        "sections_missing": sorted(set(CARD_SECTIONS) - set(filled)),
        "has_front_matter": card.front_matter.present and not card.front_matter.error,
    }
    return [Finding("docs.model_card", status, tuple(evidence), facts)]


_DATASHEET = re.compile(r"(?:^|/)(?:datasheet|data[_-]?card|dataset[_-]?card)[^/]*\.(?:md|txt|pdf)$", re.IGNORECASE)
_CROISSANT = re.compile(r"(?:^|/)(?:croissant[^/]*|metadata)\.json$", re.IGNORECASE)


@detector("documentation", ["docs.datasheet"])
def datasheet(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    for f in inv:
        if _DATASHEET.search(f.path):
            yield Finding("docs.datasheet", PRESENT, (Evidence("datasheet / data card file", f.path),))
        elif _CROISSANT.search(f.path):
            text = inv.text(f.path, 64 * 1024) or ""
            if "mlcommons.org/croissant" in text:
                yield Finding("docs.datasheet", PRESENT, (Evidence("Croissant dataset metadata", f.path),))


_EVAL_RESULTS = re.compile(r"(?:^|/)(?:\.eval_results/[^/]+\.ya?ml|(?:eval|evaluation)[^/]*/(?:[^/]+/)*results[^/]*\.json"
                           r"|results_[^/]*\.json)$", re.IGNORECASE)


@detector("documentation", ["docs.evaluation"])
def evaluation_results(ctx: Context) -> Iterable[Finding]:
    card = ctx.model_card
    if card is not None and isinstance(ctx.front_matter.get("model-index"), list):
        yield Finding("docs.evaluation", PRESENT, (Evidence("`model-index` evaluation results in the card front matter",
                                                            card.path, 1),))
    if card is not None:
        for s in card.sections:
            if s.title.lower().startswith(("evaluation", "results", "benchmark")) and re.search(r"^\s*\|.*\d", s.body, re.M):
                yield Finding("docs.evaluation", PRESENT, (Evidence(f"results table under '{s.title}'", card.path, s.line),))
                break
    for f in ctx.inventory:
        if _EVAL_RESULTS.search(f.path):
            yield Finding("docs.evaluation", PRESENT, (Evidence("evaluation results file", f.path),))


_RED_TEAM = re.compile(r"(?:^|/)[^/]*(?:red[_-]?team|safety[_-]?eval|safety[_-]?report)[^/]*\.(?:md|pdf|json|csv)$",
                       re.IGNORECASE)


@detector("documentation", ["docs.red_teaming"])
def red_teaming(ctx: Context) -> Iterable[Finding]:
    for f in ctx.inventory:
        if _RED_TEAM.search(f.path):
            yield Finding("docs.red_teaming", PRESENT, (Evidence("red-teaming / safety evaluation report", f.path),))


_ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})", re.IGNORECASE)
_PAPER_FILE = re.compile(r"(?:^|/)(?:paper|technical[_-]?report|tech[_-]?report|report)[^/]*\.pdf$", re.IGNORECASE)


@detector("documentation", ["docs.publication"])
def publication(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    for name in ("CITATION.cff", "CITATION.bib", "CITATION"):
        if name in inv:
            yield Finding("docs.publication", PRESENT, (Evidence("citation file", name),), {"kinds": ["citation"]})
    for f in inv:
        if _PAPER_FILE.search(f.path):
            yield Finding("docs.publication", PRESENT, (Evidence("paper / report file", f.path),), {"kinds": ["paper"]})
    card = ctx.model_card
    if card is not None:
        text = inv.text(card.path) or ""
        m = _ARXIV.search(text)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            yield Finding("docs.publication", LINKED,
                          (Evidence(f"arXiv paper {m.group(1)} referenced in the model card", card.path, line,
                                    f"https://arxiv.org/abs/{m.group(1)}"),), {"kinds": ["paper"]})


_CHANGELOG = re.compile(r"^(?:docs/)?(?:change[_-]?log|changes|history|news|release[_-]?notes)(?:\.\w+)?$", re.IGNORECASE)


@detector("documentation", ["docs.changelog"])
def changelog(ctx: Context) -> Iterable[Finding]:
    for f in ctx.inventory:
        if _CHANGELOG.search(f.path):
            yield Finding("docs.changelog", PRESENT, (Evidence("change log", f.path),))
