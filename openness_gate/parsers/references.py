"""External references in free text: Hugging Face model and dataset ids, arXiv ids, DOIs, paper pages
(OpenReview, ACL Anthology, proceedings, lab publication pages), dataset URLs.

One combined regular expression scans a text once (linear, no backtracking traps), and each
hit keeps its 1-based line so evidence can point at it. Detectors decide what a reference
means (weights on a hub, a paper, a dataset); this module only finds and normalises them.
"""

from __future__ import annotations

import bisect
import re

from openness_gate import lazyre
from openness_gate.parsers import anchored
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterator

MAX_REFS = 200  # a card with thousands of links is not made more open by them

_HF = r"https?://(?:www\.)?(?:huggingface\.co|hf\.co)/"
_ID = r"[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}"
#: written in lower case (but for the character classes), so that the same source serves two ways:
#: IGNORECASE on a text, and as is on the text case-folded by ``parsers.anchored.fold``, which
#: compiles in a third of the time (1.5 instead of 4.3 ms, on every repository with a README)
_SOURCE = (
    r"(?P<paper>https?://(?:www\.)?(?:openreview\.net/(?:forum|pdf)\?id=|aclanthology\.org/|proceedings\.neurips\.cc/"
    r"|papers\.nips\.cc/|proceedings\.mlr\.press/|openaccess\.thecvf\.com/|dl\.acm\.org/doi/|"
    r"ai\.(?:meta|facebook)\.com/research/publications/|research\.google/pubs/|(?:huggingface\.co|hf\.co)/papers/)"
    r"[^\s\"'<>)\]}]+)"  # no "}": a BibTeX field's closing brace (url={https://openreview.net/forum?id=…})
    rf"|(?P<hf_dataset>{_HF}datasets/(?P<hf_dataset_id>{_ID}))"
    rf"|(?P<hf_other>{_HF}(?:spaces|docs|blog|collections|organizations|settings|join|login|pricing|learn|tasks)/\S*)"
    rf"|(?P<hf_model>{_HF}(?P<hf_model_id>{_ID}))"
    r"|(?P<arxiv>(?:arxiv\.org/(?:abs|pdf)/|\barxiv:\s?)(?P<arxiv_id>\d{4}\.\d{4,5}))"
    r"|(?P<doi>(?:doi\.org/|\bdoi:\s?|\bdoi:?\s)(?P<doi_id>10\.\d{4,9}/[^\s\"'<>)\]}]+))"
    r"|(?P<data_url>https?://(?:www\.)?(?:kaggle\.com/datasets|zenodo\.org/records?|figshare\.com/articles|"
    r"data\.commoncrawl\.org|commoncrawl\.org|dataverse\.[\w.]+|archive\.org/details|storage\.googleapis\.com|"
    r"[\w-]+\.s3[\w.-]*\.amazonaws\.com|olmo-data\.org)/?[^\s\"'<>)\]}]*)"
    r"|(?P<from_pretrained>from_pretrained\(\s*[\"'](?P<fp_id>" + _ID + r")[\"'])"
)
_PATTERN = lazyre.compile(_SOURCE, re.IGNORECASE)  # the meaning; used as is when a text cannot be folded
_FOLDED = lazyre.compile(_SOURCE)  # the same on a folded text
#: what every match starts with, case-folded: the pattern is tried only there (``parsers.anchored``;
#: an IGNORECASE alternation without a literal prefix otherwise runs at every position, ~4 ms a repository)
_STARTS = lazyre.compile(r"http|arxiv|doi|from_pretrained\(")
#: Hugging Face path segments that are site pages, not "org/name" repositories.
_HF_NOT_REPOS = frozenset({"datasets", "spaces", "docs", "papers", "blog", "models", "collections", "api",
                           "organizations", "settings", "join", "login", "pricing", "learn", "tasks", "chat"})


@record
class Reference:
    kind: str  # hf_model | hf_dataset | arxiv | doi | paper (a venue's or lab's paper page) | data_url
    value: str  # normalised id (org/name, arXiv id, DOI) or the URL
    url: str
    line: int  # 1-based
    text_line: str  # the line it appeared on (trimmed, capped), for context rules


class LineIndex:
    """Offset → 1-based line number in O(log n), built once per text."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            self._starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._text = text

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def line_text(self, line: int, cap: int = 300) -> str:
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self._text)
        return self._text[start:min(end, start + cap)].strip()


def _clean_id(raw: str) -> str:
    raw = raw.rstrip(".,;:")
    for suffix in (".git",):
        if raw.endswith(suffix):
            raw = raw[: -len(suffix)]
    # /org/name/tree/main or /blob/... : keep org/name only
    return "/".join(raw.split("/")[:2])


def find(text: str, index: LineIndex | None = None, limit: int = MAX_REFS) -> list[Reference]:
    """All references in ``text`` (at most ``limit``), in order of appearance, de-duplicated per kind."""
    idx = index or LineIndex(text)
    out: list[Reference] = []
    seen: set[tuple[str, str]] = set()
    for m in _matches(text):
        kind = m.lastgroup
        if kind in ("hf_dataset_id", "hf_model_id", "arxiv_id", "doi_id", "fp_id"):  # inner group closed last
            kind = {"hf_dataset_id": "hf_dataset", "hf_model_id": "hf_model", "arxiv_id": "arxiv",
                    "doi_id": "doi", "fp_id": "from_pretrained"}[kind]
        if kind == "hf_other":
            continue
        if kind == "hf_dataset":
            value = _clean_id(_group(text, m, "hf_dataset_id"))
            url = f"https://huggingface.co/datasets/{value}"
        elif kind in ("hf_model", "from_pretrained"):
            value = _clean_id(_group(text, m, "hf_model_id") or _group(text, m, "fp_id"))
            if value.split("/")[0].lower() in _HF_NOT_REPOS:
                continue
            kind, url = "hf_model", f"https://huggingface.co/{value}"
        elif kind == "arxiv":
            value = _group(text, m, "arxiv_id")
            url = f"https://arxiv.org/abs/{value}"
        elif kind == "doi":
            value = _group(text, m, "doi_id").rstrip(".,;:")
            url = f"https://doi.org/{value}"
        elif kind == "paper":
            value = url = _group(text, m, "paper").rstrip(".,;:")
        else:
            value = url = _group(text, m, "data_url").rstrip(".,;:")
        key = (kind, value.lower())
        if key in seen:
            continue
        seen.add(key)
        line = idx.line(m.start())
        out.append(Reference(kind, value, url, line, idx.line_text(line)))
        if len(out) >= limit:
            break
    return out


def _matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of _PATTERN in ``text``, found on its case-folded copy (same offsets): their
    spans and groups name places in ``text``, whose own characters ``_group`` returns."""
    folded = anchored.fold(text)
    if folded is None:
        return _PATTERN.finditer(text)
    return anchored.finditer_folded(_FOLDED, _STARTS, folded)


def _group(text: str, m: re.Match[str], name: str) -> str | None:
    start, end = m.span(name)
    return text[start:end] if start >= 0 else None
