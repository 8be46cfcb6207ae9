"""Identify the licences in a text: zero, one or several catalogue ids, each with a confidence and a span.

How (and why this way rather than a similarity score):

1. The text is normalised (``normalize``). A verbatim copy of a reference (the common case) is
   recognised from a hash of the whole normalised text; anything else is cut into 5-token shingles.
2. Full texts: the reference licence that explains the most shingles wins, its hits are
   taken out, and the search repeats, so a file holding two licences (dual licence, code +
   model licence, licence + appended use policy) yields both. A match needs most of the
   reference (recall), and inside the matched span every run of text that the reference does
   not explain must be small (a name or a year, SPDX "replaceable text") and free of
   restriction words; otherwise the text *is not* that licence (an added clause).
3. Restriction markers (non-commercial, no-derivatives, share-alike, use restrictions) found in
   the span but absent from the reference reject the match, whatever the score: CC-BY-ND is
   never read as CC-BY.
4. What no reference explains is read for explicit references: ``SPDX-License-Identifier``
   lines, "licensed under X" notices, licence URLs, a bare licence name. Unexplained text that
   carries restriction words becomes an ``unknown`` match ("additional terms"), and a text
   nothing explains is ``unknown`` with its title line — never a guess.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from openness_gate import lazyre
from openness_gate.licenses import catalogue, expression, fingerprints, normalize
from openness_gate.licenses.catalogue import Licence
from openness_gate.record import record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Callable, Iterable

MAX_CHARS = 512 * 1024  # licences are < 100 KB; beyond this we read the head only
MIN_RECALL = 0.80  # share of the reference's shingles a full-text match needs
MIN_RECALL_SHORT = 0.85  # ... for short references (MIT, BSD, ISC), where one dropped clause is ~15 %
SHORT_REFERENCE = 400  # shingles
MAX_REPLACEABLE_RUN = 10  # unexplained shingles tolerated in a row inside a match (names, years)
MAX_UNEXPLAINED_SHARE = 0.10
CLUSTER_GAP = 150  # positions: hits further apart belong to different copies/regions
PREFILTER = 12  # candidates counted exactly after the sampled estimate
MAX_TAGS = 50  # SPDX-License-Identifier tags read per file
SHORT_TEXT = 60  # tokens: below this a text is a notice, not a licence text
EXCERPT_MAX = 300  # shingles: a text this short may be a licence's standard notice
#: shingles in a row of an accepted licence elsewhere in its file from which the run may be another
#: licence's text rather than a notice or quote of it (``_explain_elsewhere``)
QUOTE_RUN = 60
EXCERPT_MIN_PRECISION = 0.8

#: Restriction markers, over normalised token text. A licence that lacks a marker in its own
#: reference text is never matched to a text that has it inside the matched span.
MARKERS: dict[str, re.Pattern[str]] = {
    "non-commercial": lazyre.compile(r"\b(?:noncommercial|not for commercial|no commercial|research purposes only|"
                                     r"research only|for research purposes|commercial use is (?:not|prohibited))\b"),
    "no-derivatives": lazyre.compile(r"\b(?:noderivatives|noderivs|no derivatives|no derivative works)\b"),
    "share-alike": lazyre.compile(r"\b(?:sharealike|share alike)\b"),
    "use-restrictions": lazyre.compile(r"\b(?:use restrictions|restrictions on use|agree not to use|prohibited uses?|"
                                       r"acceptable use policy|use policy|may not use|must not use|shall not use|"
                                       r"monthly active users)\b"),
}
#: Words that make unexplained text a possible extra term (kept narrow: notices are common).
_RESTRICTIVE = lazyre.compile(
    r"\b(?:noncommercial|commercial|research only|research purposes|research use|prohibit\w*|"
    r"restrict(?:s|ed|ion|ions)? (?:to|on|from)|use restrictions|"
    r"not be used|may not use|must not use|shall not use|agree not to|not permitted|acceptable use|use policy|"
    r"military|weapons?|surveillance|noderivatives|no derivatives|monthly active users)\b")
_SPDX_LINE = lazyre.compile(r"SPDX-License-Identifier\s*:\s*([^\n\r*#]{1,300})", re.IGNORECASE)
_SPDX_EXPR = lazyre.compile(r"[\w.+\-:() ]{1,200}")
_URL = lazyre.compile(r"https?://([^\s)\]>\"'`]+)", re.IGNORECASE)
_CC_URL = lazyre.compile(r"creativecommons\.org/(?:licenses/(by(?:-nc)?(?:-nd|-sa)?)/(\d\.\d)|publicdomain/zero/1\.0)")
_SCHEME = lazyre.compile(r"^https?://")
_NOTICE = lazyre.compile(r"\b(?:licensed|released|available|distributed|provided|made available|covered|governed) "
                         r"(?:under|by) (?:the )?(?:terms (?:and conditions )?of (?:the )?)?((?:\S+ ){0,7}\S+)")
#: a notice that defers to a licence file ("... governed by a BSD-style license that can be found in
#: the LICENSE file"): in a file that holds a licence text, it points at that text
_POINTER = lazyre.compile(r"(?:\S+ ){0,10}?(?:found|contained|included|given|set out|available) in the "
                          r"(?:accompanying |top level |root )?license(?: txt| md)? file\b")
_SCOPES = (
    ("model", lazyre.compile(r"\b(?:model|models|weights|parameters|checkpoints?|model materials)\b")),
    ("data", lazyre.compile(r"\b(?:data|dataset|datasets|database|corpus)\b")),
    ("document", lazyre.compile(r"\b(?:documentation|docs|model card|paper|technical report)\b")),
    ("code", lazyre.compile(r"\b(?:code|source code|software|scripts|library|program)\b")),
)


def unknown_licence(title: str) -> Licence:
    """The stand-in for an unidentified text: id ``unknown``, class ``unknown``, its title as name."""
    return Licence(id="unknown", spdx=None, name=title, classes=("unknown",))


@record
class Match:
    """One licence found in a text. ``licence.id == "unknown"`` means: there are terms we cannot name."""

    licence: Licence
    confidence: float  # 0..1; 1.0 for verified full texts and explicit SPDX ids
    line: int | None = None  # first line of the matched span (1-based)
    end_line: int | None = None
    method: str = "text"  # text | spdx-id | notice | url | name | unknown
    note: str = ""  # why, in a few words
    scope: str | None = None  # model | code | data | document, when the text says so

    @property
    def known(self) -> bool:
        return self.licence.id != "unknown"


def markers(normalised: str) -> set[str]:
    """Names of the restriction markers present in a normalised token string."""
    return {name for name, rx in MARKERS.items() if rx.search(normalised)}


def title_of(text: str) -> str:
    """The first meaningful line of a text (Markdown and comment marks stripped), for reports."""
    for line in text.splitlines():
        t = line.strip().strip("#*=-_>/ \t").strip()
        if t and not t.startswith("---"):
            return t[:80]
    return "(empty)"


# --- full-text matching ---------------------------------------------------------------------------

@record(frozen=False)
class _Hit:
    fp: fingerprints.Fingerprint
    positions: list[int]  # shingle positions in the text explained by this reference (the chosen cluster)
    distinct: int
    recall: float


def _best_cluster(positions: list[int]) -> list[int]:
    """The main run of hits, extended over neighbouring runs of substance (>= 8 hits) within CLUSTER_GAP;
    stray shared phrases ("without warranty of any kind") next to the licence stay out."""
    if positions[-1] - positions[0] + 1 == len(positions):
        return positions  # one unbroken run: the common case
    cuts = [i + 1 for i, (a, b) in enumerate(zip(positions, positions[1:])) if b - a > 1]
    bounds = list(zip([0, *cuts], [*cuts, len(positions)]))  # (first, end) index pairs into positions
    size = [e - b for b, e in bounds]
    lo = hi = max(range(len(bounds)), key=size.__getitem__)
    j = hi + 1
    while j < len(bounds) and positions[bounds[j][0]] - positions[bounds[hi][1] - 1] <= CLUSTER_GAP:
        if size[j] >= 8:
            hi = j
        j += 1
    j = lo - 1
    while j >= 0 and positions[bounds[lo][0]] - positions[bounds[j][1] - 1] <= CLUSTER_GAP:
        if size[j] >= 8:
            lo = j
        j -= 1
    return positions[bounds[lo][0]:bounds[hi][1]]


def _candidate(fp: fingerprints.Fingerprint, sh: list[int], free: list[bool]) -> _Hit | None:
    hashes = fp.hashes  # a property: once, not once per shingle
    positions = [p for p, h in enumerate(sh) if free[p] and h in hashes]
    if len(positions) < 20:
        return None
    positions = _best_cluster(positions)
    distinct = len({sh[p] for p in positions})
    return _Hit(fp, positions, distinct, distinct / max(1, fp.size))


def _core(hit: _Hit, sh: list[int]) -> _Hit | None:
    """The largest stretch of ``hit`` without a long foreign run, when that is not the whole hit.

    A full licence text followed by other material that quotes the same licence's notice (a
    third-party section: "T5 ... Licensed under the Apache License, Version 2.0") is clustered into
    one hit with the foreign text in between, and fails verification. The stretch before the
    foreign text is checked on its own, by the same rules; what follows stays to be explained,
    so added terms there are still reported. Only when the parts left out repeat phrases of the
    stretch (a quoted notice); text inserted *inside* a licence leaves parts of it outside, and the
    hit stays rejected."""
    pos = hit.positions
    cuts = [i + 1 for i, (a, b) in enumerate(zip(pos, pos[1:])) if b - a - 1 > MAX_REPLACEABLE_RUN]
    if not cuts:
        return None
    parts = [pos[b:e] for b, e in zip([0, *cuts], [*cuts, len(pos)])]
    best = max(parts, key=lambda part: len({sh[p] for p in part}))
    core = {sh[p] for p in best}
    rest = {sh[p] for part in parts if part is not best for p in part}
    if len(rest - core) > 0.1 * len(rest):
        return None  # the other parts hold more of the licence: foreign text inside it, a modified licence
    return _Hit(hit.fp, best, len(core), len(core) / max(1, hit.fp.size))


def _verify(hit: _Hit, sh: list[int], toks: list[str]) -> str | None:
    """Why ``hit`` is not really its licence (an added clause, an extra restriction), or None."""
    start, end = hit.positions[0], hit.positions[-1]
    need = MIN_RECALL_SHORT if hit.fp.size < SHORT_REFERENCE else MIN_RECALL
    if hit.recall < need:
        return f"only {hit.recall:.0%} of its text is there"
    unexplained = 0
    run: list[int] = []
    hashes = hit.fp.hashes
    for p in range(start, end + 2):
        if p <= end and sh[p] not in hashes:
            run.append(p)
            continue
        if run:
            unexplained += len(run)
            # a phrase of <= K words lies inside one shingle: a marker the reference lacks can only be
            # in text it does not explain, so only these runs (with their context) are searched
            extra = markers(" ".join(toks[run[0]:run[-1] + normalize.K])) - hit.fp.markers
            if extra:
                return "adds " + ", ".join(sorted(extra)) + " terms"
            words = " ".join(toks[run[0] + normalize.K - 1:run[-1] + 1]) if len(run) >= normalize.K else ""
            if len(run) > MAX_REPLACEABLE_RUN or (words and _RESTRICTIVE.search(words)):
                return f"has text the licence does not have ({len(run) - normalize.K + 1} words added or changed)"
            run = []
    if unexplained > MAX_UNEXPLAINED_SHARE * (end - start + 1):
        return f"{unexplained} of {end - start + 1} word runs differ from the licence"
    return None


#: tokens at most in a first line read as the licence's title ("MIT License" above the MIT text)
MAX_TITLE_TOKENS = 8


def _verbatim(toks: list[str], lines: list[int]) -> Match | None:
    """A verbatim copy of a reference (after normalisation): the common case, answered without matching.
    So is a verbatim copy under a first line that names the same licence: GitHub's MIT template heads
    the text with "MIT License", which the reference lacks (36 of the 127 root licence files of the
    calibration corpus); matching finds the text from its second line and nothing else in the title,
    and so does this, in ~0.1 ms instead of 2-5 ms."""
    if len(toks) < 20:
        return None
    whole = fingerprints.verbatim_ids()
    start = 0
    lid = whole.get(normalize.text_hash(toks))
    if lid is None:
        start = next((i for i, line in enumerate(lines) if line != lines[0]), len(lines))
        if start > MAX_TITLE_TOKENS or len(toks) - start < 20:
            return None
        lid = whole.get(normalize.text_hash(toks[start:]))
    lic = catalogue.by_id(lid) if lid is not None else None
    if lic is None or (start and (not set(toks[:start]) <= _title_words(lic) or toks[start:2 * start] == toks[:start])):
        return None  # no title of its own, or one the text repeats (matching decides what the repetition is)
    if start and (_scope(toks, [False] * start, start) is not None or _RESTRICTIVE.search(" ".join(toks[:start]))):
        return None  # "… Model License", "… NonCommercial …": what matching makes of such words decides
    return Match(lic, 1.0, lines[start], lines[-1], "text", "100% of the licence text matched")


def _title_words(lic: Licence) -> set[str]:
    """The normalised words a title naming ``lic`` may hold: its name's, id's and aliases'."""
    words = {"the"}
    for name in (lic.name, lic.id, *lic.aliases):
        words.update(normalize.tokens_with_lines(name)[0])
    return words


def _counts(idx: fingerprints.Index, hashes: set[int], minimum: int) -> tuple[Counter[int], float]:
    """Shared-shingle counts per reference, and the slack to allow on them as an upper bound.

    Large texts get an estimate from the 1-in-SAMPLE index (cheap, slack 1.25); small ones an exact count.
    """
    if len(hashes) > 400:
        estimate: Counter[int] = Counter()
        for h in hashes:
            if not h % fingerprints.SAMPLE:
                estimate.update(idx.holders(h))
        scaled = Counter({i: n * fingerprints.SAMPLE for i, n in estimate.most_common(PREFILTER) if n >= 2})
        return Counter({i: n for i, n in scaled.items() if n >= minimum}), 1.25
    exact: Counter[int] = Counter()
    for h in hashes:
        exact.update(idx.holders(h))
    return Counter({i: n for i, n in exact.items() if n >= minimum}), 1.0


def _full_texts(toks: list[str], lines: list[int]) -> tuple[list[Match], list[bool], list[Match]]:
    """Full-text matches, the per-token 'explained' mask, and rejected near-matches (as notes)."""
    idx = fingerprints.load()
    sh = normalize.shingle_hashes(toks, idx.k)
    explained = [False] * len(toks)
    if not sh:
        return [], explained, []
    counts, slack = _counts(idx, set(sh), 10)
    free = [True] * len(sh)
    found: list[Match] = []
    # near-matches by reference id (the first rejection of each), with the positions they cover
    rejected: dict[str, tuple[Match, list[int]]] = {}
    taken: dict[str, fingerprints.Fingerprint] = {}  # the licences accepted, by id
    deferred: set[int] = set()  # long runs of an accepted licence's phrases, left for the next rounds
    starts: list[int] = []
    for round_ in range(6):  # at most a handful of licences in one file
        if round_ and sum(free) < 20:
            break  # nothing left that could hold another licence
        if round_:  # what is left may be a small licence that the first estimate ranked low
            counts, slack = _counts(idx, {h for p, h in enumerate(sh) if free[p]}, 20)
        # skip references that could not reach even the 'resembles' level (40 %) with what is shared
        order = [(i, c) for i, c in counts.most_common(16) if c >= 20 and idx.prints[i].id not in taken
                 and c * slack >= 0.4 * idx.prints[i].size]
        pending: list[_Hit] = []
        accepted = None
        k = 0
        while True:
            # a candidate's distinct hits never exceed its count: evaluate lazily, best first
            while k < len(order) and (not pending or order[k][1] * slack >= max(h.distinct for h in pending)):
                hit = _candidate(idx.prints[order[k][0]], sh, free)
                k += 1
                if hit is not None:
                    pending.append(hit)
            if not pending:
                break
            hit = max(pending, key=lambda h: (h.distinct, h.recall))
            pending.remove(hit)
            why = _verify(hit, sh, toks)
            if why is not None and (core := _core(hit, sh)) is not None and _verify(core, sh, toks) is None:
                hit, why = core, None  # the licence, then a notice of it among other text: the licence alone
            if why is None and deferred and _copy_of(hit, taken.values(), sh, deferred):
                why = "it is a copy of a licence found before"  # dropped below, with the rest of such copies
            if why is None:
                accepted = hit
                break
            if hit.recall >= 0.4 and hit.fp.id not in rejected:
                lic = catalogue.by_id(hit.fp.id)
                rejected[hit.fp.id] = (Match(unknown_licence(lic.name if lic else hit.fp.id), 0.0,
                                       lines[hit.positions[0]], lines[min(len(lines) - 1, hit.positions[-1] + idx.k - 1)],
                                       "unknown", f"resembles {hit.fp.id} but {why}"), hit.positions)
        if accepted is None:
            break
        taken[accepted.fp.id] = accepted.fp
        start, end = accepted.positions[0], accepted.positions[-1]
        free[start:end + 1] = [False] * (end + 1 - start)
        explained[start:end + idx.k] = [True] * (end + idx.k - start)
        deferred.update(_explain_elsewhere(accepted.fp.hashes, sh, free, explained, idx.k, QUOTE_RUN))
        lic = catalogue.by_id(accepted.fp.id)
        if lic is None:  # fingerprints and catalogue out of step: a build problem, say so
            continue
        conf = round(min(1.0, accepted.recall) ** 0.5, 3)
        found.append(Match(lic, conf, lines[start], lines[min(len(lines) - 1, end + idx.k - 1)], "text",
                           f"{accepted.recall:.0%} of the licence text matched"))
        starts.append(start)
    if deferred:  # the long runs left for other licences and taken by none: copies of the accepted ones,
        for fp in taken.values():  # not near-matches of other licences (a second MIT text is no 53 % of MIT-0)
            _explain_elsewhere(fp.hashes, sh, free, explained, idx.k)
        rejected = {i: (m, at) for i, (m, at) in rejected.items() if sum(p in deferred for p in at) < 0.9 * len(at)}
    if not found and not rejected and len(sh) <= EXCERPT_MAX:
        excerpt = _excerpt(idx, sh, counts)
        if excerpt is not None:
            fp, positions = excerpt
            lic = catalogue.by_id(fp.id)
            if lic is not None:
                for p in positions:
                    for t in range(p, p + idx.k):
                        explained[t] = True
                found.append(Match(lic, 0.8, lines[positions[0]], lines[min(len(lines) - 1, positions[-1] + idx.k - 1)],
                                   "notice", f"the text is the standard notice or an excerpt of {lic.name}"))
                starts.append(positions[0])
                rejected = {}
    found = [replace(m, scope=_scope(toks, explained, s)) for m, s in zip(found, starts)]
    return found, explained, [m for m, _ in rejected.values()]


def _copy_of(hit: _Hit, taken: Iterable[fingerprints.Fingerprint], sh: list[int], deferred: set[int]) -> bool:
    """Whether ``hit``, on a long run left by a licence accepted before (``_explain_elsewhere``), is a
    copy of that licence rather than a licence of its own: when the run holds as much of that
    licence as of ``hit``'s. A second Apache-2.0 text is Apache's copy, not ECL-2.0 (an Apache
    variant it nearly covers: EleutherAI/gpt-neox's LICENSE); a BSD 2-Clause text holds all of
    BSD-2-Clause and only part of the BSD 3-Clause found below it."""
    at = hit.positions
    if sum(p in deferred for p in at) < 0.9 * len(at):
        return False
    shingles = {sh[p] for p in at}
    return any(len(shingles & fp.hashes) / max(1, fp.size) >= hit.recall for fp in taken)


def _explain_elsewhere(hashes: set[int] | frozenset[int], sh: list[int], free: list[bool], explained: list[bool],
                       k: int, shorter_than: int | None = None) -> list[int]:
    """Mark the phrases of an accepted licence elsewhere in the file as explained (its notice, a
    quote of it). With ``shorter_than``: only runs shorter than that many shingles in a row; a
    longer run may be a whole other licence whose every phrase this one has (the BSD 2-Clause text
    of LPIPS, above the BSD 3-Clause text of DCGAN in one LICENSE), and stays free for the next
    round, to be marked at the end if no other licence takes it. Returns the positions left so."""
    hits = [p for p, h in enumerate(sh) if free[p] and h in hashes]
    left: list[int] = []
    if shorter_than is not None:
        kept: list[int] = []
        i = 0
        while i < len(hits):
            j = i + 1
            while j < len(hits) and hits[j] == hits[j - 1] + 1:
                j += 1
            (kept if j - i < shorter_than else left).extend(hits[i:j])
            i = j
        hits = kept
    for p in hits:
        free[p] = False
        explained[p:p + k] = [True] * k
    return left


def _excerpt(idx: fingerprints.Index, sh: list[int], counts: Counter[int]) -> tuple[fingerprints.Fingerprint, list[int]] | None:
    """A short text that one reference explains almost entirely and clearly better than any other."""
    scored = []
    for i, _ in counts.most_common(8):
        fp = idx.prints[i]
        hashes = fp.hashes
        positions = [p for p, h in enumerate(sh) if h in hashes]
        scored.append((len(positions), fp, positions))
    scored.sort(key=lambda x: x[0], reverse=True)
    if not scored or scored[0][0] < EXCERPT_MIN_PRECISION * len(sh) or scored[0][0] < 15:
        return None
    if len(scored) > 1 and scored[1][0] >= 0.9 * scored[0][0]:
        return None  # shared by several licences (a CC definition, a warranty disclaimer): cannot tell
    return scored[0][1], scored[0][2]


def _scope(toks: list[str], explained: list[bool], start: int) -> str | None:
    """What a licence covers, from the unexplained words just before it ("The model weights are licensed under:")."""
    i = start
    while i > 0 and start - i < 25 and not explained[i - 1]:
        i -= 1
    context = " ".join(toks[i:start])
    for name, rx in _SCOPES:
        if rx.search(context):
            return name
    return None


# --- explicit references in the rest of the text ---------------------------------------------------

def licence_from_url(url: str) -> Licence | None:
    """The catalogue licence a URL points at (its canonical page), or None."""
    u = _SCHEME.sub("", url.strip().lower()).rstrip(".,;")
    cc = _CC_URL.search(u)
    if cc:
        return catalogue.lookup(f"cc-{cc.group(1)}-{cc.group(2)}" if cc.group(1) else "CC0-1.0")
    return next((x for x in catalogue.load() if any(frag in u for frag in x.urls)), None)


def _by_prefix(words: list[str]) -> Licence | None:
    for n in range(min(len(words), 8), 0, -1):
        lic = catalogue.lookup(" ".join(words[:n]))
        if lic is not None:
            return lic
    return None


def _references(raw: str, norm: str, short: bool, raw_line: Callable[[int], int | None],
                token_line: Callable[[int], int | None],
                beside_text: bool = False) -> list[tuple[Licence, str, str, int | None]]:
    """(licence, method, note, line) for URLs, 'licensed under X' notices and — in short texts —
    bare names. ``raw_line`` / ``token_line`` turn a line index in ``raw`` or a token index in
    ``norm`` into the file's line: in a composite licence file the order of the licences is what
    tells the project's own licence from its third-party ones. ``beside_text``: the file holds an
    identified licence text, so a notice that defers to "the LICENSE file" points at it and names
    no licence of its own (a source-file header pasted above an MIT text in salesforce/LAVIS)."""
    out: list[tuple[Licence, str, str, int | None]] = []
    for m in _URL.finditer(raw):
        lic = licence_from_url(m.group(0))
        if lic is not None:
            out.append((lic, "url", f"refers to {m.group(0)[:80]}", raw_line(raw.count("\n", 0, m.start()))))
    for m in _NOTICE.finditer(norm):
        lic = _by_prefix(m.group(1).split())
        if lic is not None and beside_text and _POINTER.match(norm, m.start(1)):
            continue
        if lic is not None:
            out.append((lic, "notice", f"says licensed under {lic.name}", token_line(norm.count(" ", 0, m.start()))))
    if short and not out:
        lic = catalogue.lookup(raw.strip().splitlines()[0]) if raw.strip() else None
        if lic is None:
            words = norm.split()
            lic = next((x for i in range(len(words)) if (x := _by_prefix(words[i:]))), None)
        if lic is not None:
            out.append((lic, "name", f"names {lic.name}", raw_line(0)))
    return out


def spdx_identifiers(text: str) -> list[tuple[int, str]]:
    """(line, expression) of every ``SPDX-License-Identifier:`` tag."""
    out: list[tuple[int, str]] = []
    line, pos = 1, 0
    for m in _SPDX_LINE.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        expr = m.group(1).strip().rstrip("-*/ ").strip()
        if _SPDX_EXPR.fullmatch(expr):  # prose that mentions the tag ("`SPDX-License-Identifier:` lines") is not one
            out.append((line, expr))
            if len(out) >= MAX_TAGS:
                break
    return out


def identify(text: str) -> list[Match]:
    """All licences in ``text``, in order of appearance; ``[unknown]`` when there are terms we cannot name."""
    return list(_identified(text))


@lru_cache(maxsize=32)
def _identified(text: str) -> tuple[Match, ...]:
    """``identify``, once per distinct text: a repository keeps the same licence text under several names
    (Stability-AI/generative-models' LICENCE-SD-Turbo and LICENSE-SDXL-Turbo; 19 such copies in 9 of the
    calibration repositories), and matching one costs 2-5 ms."""
    return tuple(_identify(text, shortcut=True))


def _identify(text: str, shortcut: bool) -> list[Match]:
    """``identify``; ``shortcut=False`` matches a verbatim copy too (the tests hold the two to ``==``)."""
    text = text[:MAX_CHARS]
    if not text.strip():
        return [Match(unknown_licence("(empty)"), 0.0, None, None, "unknown", "the file is empty")]
    toks, lines = normalize.tokens_with_lines(text)
    exact = _verbatim(toks, lines) if shortcut else None
    if exact is not None and "spdx-license-identifier" not in text[:MAX_CHARS].lower():
        return [exact]
    found, explained, rejected = _full_texts(toks, lines)
    seen_tags: set[str] = set()
    for line, expr in spdx_identifiers(text):
        for name, lic in expression.leaves_of(expr):
            if name in seen_tags:
                continue
            seen_tags.add(name)
            found.append(Match(lic, 1.0, line, line, "spdx-id", f"SPDX-License-Identifier: {expr[:60]}")
                         if lic else Match(unknown_licence(name), 0.0, line, line, "unknown",
                                           f"SPDX-License-Identifier names {name!r}, not in the catalogue"))
    rest_idx = [i for i, e in enumerate(explained) if not e]
    rest_lines = sorted({lines[i] for i in rest_idx})
    if found:  # what is left to explain: the unexplained lines only
        raw_lines = text.split("\n")
        raw_rest = "\n".join(raw_lines[n - 1] for n in rest_lines[:2000])

        def raw_line(i: int) -> int | None:
            return rest_lines[min(i, len(rest_lines) - 1)] if rest_lines else None
    else:
        raw_rest = text

        def raw_line(i: int) -> int | None:
            return i + 1

    def token_line(i: int) -> int | None:
        return lines[rest_idx[min(i, len(rest_idx) - 1)]] if rest_idx else None

    rest = " ".join(toks[i] for i in rest_idx)
    short = len(toks) < SHORT_TEXT
    restrictive = _RESTRICTIVE.search(rest) if rest_idx else None
    refs = (_references(raw_rest, rest, short, raw_line, token_line, any(m.method == "text" for m in found))
            if (rest_idx or not toks) else [])
    if short and restrictive and refs:
        # "MIT, but not for commercial use" is not MIT
        names = ", ".join(sorted({ref[0].name for ref in refs}))
        return [Match(unknown_licence(title_of(text)), 0.0, 1, None, "unknown",
                      f"names {names} but adds terms ({restrictive.group(0)!r})")]
    have = {m.licence.id for m in found}
    for lic, method, note, line in refs:
        if lic.id not in have:
            have.add(lic.id)
            conf = {"notice": 0.8, "url": 0.7, "name": 0.6}[method]
            found.append(Match(lic, conf, line, None, method, note))
    if not found:
        note = rejected[0].note if rejected else "no catalogue licence matches this text"
        return [Match(unknown_licence(title_of(text)), 0.0, 1, None, "unknown", note)]
    def span(m: Match) -> tuple[int, int]:
        return m.line or 0, m.end_line or m.line or 0

    for r in rejected:  # a modified licence next to a good one: say so, once per region (best candidate first)
        lo, hi = span(r)
        if not any(span(m)[0] <= hi and lo <= span(m)[1] for m in found if m.method in ("text", "unknown")):
            found.append(r)
    if restrictive:
        nth = rest.count(" ", 0, restrictive.start())  # token number of the restrictive word within the rest
        where = lines[rest_idx[min(nth, len(rest_idx) - 1)]] if rest_idx else 0
        if not any(span(m)[0] <= where <= span(m)[1] for m in found if not m.known):
            found.append(Match(unknown_licence(title_of(text)), 0.0, where or None, None, "unknown",
                               f"text outside the identified licence adds terms ({restrictive.group(0)!r})"))
    found.sort(key=lambda m: (m.line or 0))
    return found
