"""Distribution detectors: use policy, release type, feedback channel (licence: see ``license.py``)."""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.detectors import Context, detector, license  # noqa: F401  (registers the licence detector)
from openness_gate.detectors._common import MAX_EVIDENCE, declared, doc_name
from openness_gate.findings import LINKED, PRESENT, Evidence, Finding
from openness_gate.parsers import anchored, completeness

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

_USE_POLICY = lazyre.compile(r"(?:^|/)(?:[^/]*use[_-]?policy|acceptable[_-]?use[^/]*|aup|responsible[_-]?use[^/]*|"
                             r"prohibited[_-]?uses?|usage[_-]?policy|use[_-]?restrictions)(?:\.(?:md|txt|pdf|html|rst))?$",
                             re.IGNORECASE)
_USE_POLICY_WORDS = ("polic", "acceptable", "aup", "responsible", "prohibited", "restriction")
_USE_POLICY_LINE = lazyre.compile("|".join(_USE_POLICY_WORDS), re.MULTILINE)
_LICENSE_FILE = lazyre.compile(r"^(?:LICEN[CS]E|COPYING|MODEL_LICEN[CS]E|LICEN[CS]E[-_]MODEL)(?:[-_.][^/]*)?$", re.I)
_RAIL_TEXT = lazyre.compile(r"Attachment A|Use Restrictions|OpenRAIL|Responsible AI License", re.IGNORECASE)
_AUP_REF = lazyre.compile(r"acceptable use policy[^\n]{0,200}?(https?://[^\s)\"'>]{1,300})|(https?://[^\s)\"'>]{0,200}"
                          r"use[-_]?policy[^\s)\"'>]{0,200})", re.IGNORECASE)
#: a licence's own restrictions section ("3. Restriction", "Appendix A: use-based restrictions")
_RESTRICTION_HEAD = lazyre.compile(r"^[ \t#*]*(?:(?:section|article)?\s*\d+(?:\.\d+)*[.)]?\s*|(?:appendix|attachment|exhibit)"
                                   r"\s+[a-z]\W{0,3})?(?:use[- ]based (?:and domain[- ]specific )?)?restrictions?\b",
                                   re.IGNORECASE | re.MULTILINE)
#: harms a use restriction names; export control, user counts or "do not train other models" are not harms
_HARMS = lazyre.compile(r"military|weapon|illegal|unlawful|violen|surveillance|discriminat|minors|national security|"
                        r"harass|defam|disinformation|exploit|biometric|human rights|public interest", re.IGNORECASE)
_LICENCE_WORD = lazyre.compile(r"licen[cs]e", re.IGNORECASE)
MAX_LICENCE_READS = 12
_RAIL_IDS = lazyre.compile(r"rail|openrail", re.IGNORECASE)
_USE_TITLE = lazyre.compile(r"acceptable use|prohibited use|use restrictions|usage restrictions|use policy|"
                            r"restricted uses", re.IGNORECASE)

_RAIL_RESTRICTIONS = lazyre.compile(r"Attachment A|Use Restrictions", re.IGNORECASE)
_AUP_WORDS = lazyre.compile(r"acceptable use policy|prohibited uses", re.IGNORECASE)
#: where matches of the licence-text patterns above can begin, in the folded text
#: (``parsers.anchored``): IGNORECASE alternations have no prefix for the engine to jump to, and
#: a licence is tens of kilobytes
_LICENCE_TEXT_STARTS = {
    _RAIL_TEXT: lazyre.compile(r"attachment a|use restrictions|openrail|responsible ai license"),
    _RAIL_RESTRICTIONS: lazyre.compile(r"attachment a|use restrictions"),
    _AUP_REF: lazyre.compile(r"acceptable use policy|http"),
}


@detector("distribution", ["distribution.use_policy"])
def use_policy(ctx: Context) -> Iterable[Finding]:
    inv = ctx.inventory
    yield from declared(ctx, ["distribution.use_policy"])
    files = [f for f in ctx.index.names_matching(_USE_POLICY_LINE, None, _USE_POLICY_WORDS) if _USE_POLICY.search(f.path)
             and f.path.count("/") <= 3]
    for f in files[:MAX_EVIDENCE]:
        kind = "responsible-use guide" if "responsible" in f.name.lower() else "acceptable-use policy"
        yield Finding("distribution.use_policy", PRESENT, (Evidence(kind, f.path),), {"kind": kind})
    # the licence detector's files: the root licences, and model licences kept in folders
    # (model_licenses/LICENSE-SDXL1.0, assets/model_licenses/tulu_license.txt)
    project, _vendored = ctx.licence_files
    licences = [p for p in project if _LICENSE_FILE.match(p)] + \
               [p for p in project if "/" in p and _LICENCE_WORD.search(p.rsplit("/", 1)[1])]
    for path in licences[:MAX_LICENCE_READS]:
        text = inv.text(path) or ""
        if _search(_RAIL_TEXT, text) and _search(_RAIL_RESTRICTIONS, text):
            m = _search(_RAIL_RESTRICTIONS, text)
            yield Finding("distribution.use_policy", PRESENT, (Evidence(
                "use restrictions in the licence (RAIL attachment)", path, text.count("\n", 0, m.start()) + 1),),
                {"kind": "rail"})
            continue
        section = _harm_restrictions(text)
        if section is not None:
            yield Finding("distribution.use_policy", PRESENT, (Evidence(
                f"use restrictions in the licence (a restrictions section naming harms: {section[1]})", path,
                text.count("\n", 0, section[0]) + 1),), {"kind": "licence-restrictions"})
        elif not files and "/" not in path:
            m = _search(_AUP_REF, text)
            if m:
                url = (m.group(1) or m.group(2)).rstrip(".,;")
                yield Finding("distribution.use_policy", LINKED, (Evidence(
                    "the licence incorporates an acceptable-use policy by reference", path,
                    text.count("\n", 0, m.start()) + 1, url),), {"kind": "referenced"})
    card = ctx.primary_doc
    if card is None:
        return
    fm = ctx.front_matter
    lic = fm.get("license")
    if isinstance(lic, str) and _RAIL_IDS.search(lic):
        yield Finding("distribution.use_policy", LINKED, (Evidence(
            f"RAIL licence declared (license: {lic[:40]}): its use restrictions apply", card.path, 1),), {"kind": "rail"})
    prompt = fm.get("extra_gated_prompt")
    if isinstance(prompt, str) and _AUP_WORDS.search(prompt) and len(prompt) > 500:
        yield Finding("distribution.use_policy", PRESENT, (Evidence(
            "acceptable-use terms in the card's gating prompt (extra_gated_prompt)", card.path, 1),))
    words = completeness.subtree_words(card.sections)
    for s, w in zip(card.sections, words):
        if s.level and _USE_TITLE.search(s.title) and w >= 10:
            yield Finding("distribution.use_policy", PRESENT, (Evidence(f"use restrictions in {doc_name(ctx, card)} under "
                                                                        f"'{s.title[:60]}'", card.path, s.line),))
            break


def _search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    return anchored.search(pattern, _LICENCE_TEXT_STARTS[pattern], text)


def _harm_restrictions(text: str) -> tuple[int, str] | None:
    """(offset, harms) of a licence section headed as restrictions that names at least two
    distinct harms within its first 2,500 characters, else None."""
    for m in _RESTRICTION_HEAD.finditer(text[:400_000]):
        harms = sorted({h.group(0).lower() for h in _HARMS.finditer(text, m.end(), m.end() + 2500)})
        if len(harms) >= 2:
            return m.start(), ", ".join(harms[:4])
    return None


_STAGED = lazyre.compile(r"staged release|phased release|released in stages|staged rollout", re.IGNORECASE)
_API_ONLY = lazyre.compile(r"(?:only|exclusively) (?:available|accessible|offered) (?:through|via|from|by) (?:the |our |an )?"
                           r"API|API[- ]only|not (?:publicly )?released (?:the )?weights", re.IGNORECASE)
_REQUEST_ACCESS = lazyre.compile(r"request access|access request|accept(?:ing)? (?:the|our) (?:license|licence|terms)|"
                                 r"(?:once )?your request is approved|access is granted|"
                                 r"fill (?:in|out) the (?:form|access)|approval (?:is )?required", re.IGNORECASE)
#: pattern -> the case-folded literals its matches begin with: tried only there (``parsers.anchored``)
_RELEASE_STARTS = {
    _STAGED: lazyre.compile(r"staged|phased|released"),
    _API_ONLY: lazyre.compile(r"only|exclusively|api|not "),
    _REQUEST_ACCESS: lazyre.compile(r"request|access|accept|once|your|fill|approval"),
}


_HUB_GATES = {"auto": "access is granted automatically once a user accepts the conditions",
              "manual": "the authors approve each access request"}


def _hub_gate(ctx: Context) -> Finding | None:
    """The Hub's own gating setting (a ``hf:`` check): what users actually meet, whatever the card says."""
    hub = ctx.inventory.facts.get("huggingface") or {}
    gated = hub.get("gated")  # "auto", "manual", True (another kind of gate) or False
    if not gated:
        return None
    how = _HUB_GATES.get(gated, "access must be requested")
    return Finding("distribution.release_type", PRESENT,
                   (Evidence(f"gated on the Hugging Face Hub (gated: {gated}): {how}", None, None, hub.get("url")),),
                   {"type": "gated", "gating": gated})


@detector("distribution", ["distribution.release_type"])
def release_type(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, ["distribution.release_type"])
    hub_gate = _hub_gate(ctx)
    if hub_gate is not None:
        yield hub_gate
        return
    fm, card = ctx.front_matter, ctx.model_card
    if card is not None:
        gated = fm.get("gated")
        gate_fields = sorted(k for k in fm if k.startswith("extra_gated_"))
        if gated not in (None, False, "false", "False") or gate_fields:
            what = f"gated: {gated}" if gated not in (None, False) else ", ".join(gate_fields[:3])
            yield Finding("distribution.release_type", PRESENT,
                          (Evidence(f"gated release declared in the card front matter ({what})", card.path, 1),),
                          {"type": "gated"})
            return
    for doc in ctx.documents:
        text = doc.text[:500_000]
        folded = anchored.fold(text)  # once for the three searches
        for rx, kind, reason in ((_STAGED, "staged", "staged release described"),
                                 (_API_ONLY, "api-only", "the model is said to be available through an API only"),
                                 (_REQUEST_ACCESS, "gated", "access must be requested / terms accepted")):
            m = anchored.search(rx, _RELEASE_STARTS[rx], text, folded)
            if m and (kind != "api-only" or not ctx.weights.any):
                yield Finding("distribution.release_type", PRESENT,
                              (Evidence(f"{reason} ('{m.group(0)[:60]}')", doc.path, doc.line_index.line(m.start())),),
                              {"type": kind})
                return
    deployable = ctx.weights.deployable or (ctx.weights.reward if ctx.weights.is_reward_model else [])
    if deployable:
        first = sorted(deployable, key=lambda f: (f.path.count("/"), f.path))[0]
        yield Finding("distribution.release_type", PRESENT, (Evidence(
            "open release: the weights are downloadable from the repository, with no gate declared", first.path),),
            {"type": "open"})


_FEEDBACK = lazyre.compile(r"^(?:\.github/|docs/)?(?:SECURITY|SUPPORT)(?:\.(?:md|txt|rst))?$|^\.github/ISSUE_TEMPLATE(?:/|\.md$)|"
                           r"^(?:\.github/)?ISSUE_TEMPLATE\.md$|^\.github/DISCUSSION_TEMPLATE/", re.IGNORECASE)
_CONTACT_TITLE = lazyre.compile(r"^(?:model card )?contacts?\b|^(?:feedback|support|issues|community|discord|slack|forum|"
                                r"questions)\b|report(?:ing)? (?:issues|bugs|problems|risks|vulnerabilit)|where to send|"
                                r"\b(?:contact|support)$", re.IGNORECASE)
_CHANNEL = (r"(?:[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{1,63}|github\.com/[^\s)]+/issues|/discussions|forms?\.gle|bug ?bounty|"
            r"llama_output_feedback|feedback form)")
_REPORT_LINE = lazyre.compile(rf"(?:report|send|contact|questions|feedback|reach)[^\n]{{0,120}}{_CHANNEL}|"
                              rf"{_CHANNEL}[^\n]{{0,80}}(?:report|feedback|questions)", re.IGNORECASE)
#: a literal every channel needs, lower case: a match lies within one line, so only lines holding one
#: of these are searched (the e-mail branch restarts ``[\w.+-]{1,64}`` at every character of a text:
#: ~0.25 µs a character over a whole README)
_CHANNEL_ANCHOR = lazyre.compile(r"@|github\.com/|/discussions|\.gle|bug|llama_output_feedback|feedback form")


def _report_line(text: str) -> re.Match[str] | None:
    """``_REPORT_LINE.search(text)``, searching only the lines that hold a channel's literal."""
    return anchored.search_lines(_REPORT_LINE, _CHANNEL_ANCHOR, text)


@detector("distribution", ["distribution.feedback"])
def feedback(ctx: Context) -> Iterable[Finding]:
    yield from declared(ctx, ["distribution.feedback"])
    ix = ctx.index
    near = [f for d in ("", "docs", ".github") for f in ix.by_dir.get(d, ())]
    near += [f for d in ix.dirs if d.startswith((".github/ISSUE_TEMPLATE", ".github/DISCUSSION_TEMPLATE")) for f in ix.by_dir[d]]
    found = sorted((f for f in near if _FEEDBACK.search(f.path)), key=lambda f: f.path)
    for f in found[:MAX_EVIDENCE]:
        kind = "security policy" if "security" in f.path.lower() else "support / issue template"
        yield Finding("distribution.feedback", PRESENT, (Evidence(f"reporting channel: {kind}", f.path),))
    for card in ctx.documents:
        for s in card.sections:
            if s.level and _CONTACT_TITLE.search(completeness.normalise_title(s.title)) and \
                    completeness.real_words(s.body) >= 2:
                yield Finding("distribution.feedback", PRESENT, (Evidence(
                    f"contact / feedback section in {doc_name(ctx, card)} ('{s.title[:60]}')", card.path, s.line),))
                return
        m = _report_line(card.text[:500_000])
        if m:
            yield Finding("distribution.feedback", PRESENT, (Evidence(
                f"{doc_name(ctx, card)} says where to report problems", card.path, card.line_index.line(m.start())),))
            return
