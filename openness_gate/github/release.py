"""Release evidence: the openness section in the release notes, the report assets, ``on-fail``.

What the Action does to a release it judged, and nothing else (the verdict is decided before
any of this runs and no API fault changes it):

* **assets**: the JSON report, the HTML page, the badge SVG and, where the CycloneDX format
  exists, the BOM, under fixed names (``ASSETS``). An asset of that name is ours: it is kept
  when GitHub's ``digest`` says it holds the same bytes, else deleted and uploaded again, so a
  re-run never leaves two. Uploads go to the release's own ``upload_url`` (a URI template on
  the upload host, ``uploads.github.com`` or Enterprise Server's ``/api/uploads``);
* **notes**: one section between ``START`` and ``END`` marker lines. Found again on a re-run
  and replaced in place; a marker inside the author's code fence, HTML comment or raw HTML
  block is the author's text, not ours. A new section goes at the **top** of the notes: then
  nothing the author wrote (an unclosed fence, a stray ``<details>``) can swallow it, and the
  author's text renders exactly as it did, after a blank line, as at the start of a document.
  Every string in it that the repository or the release could influence is escaped
  (``report.escape``), links are inline (no reference definition of the author's can retarget
  them) and URLs are GitHub's own, re-encoded;
* **on-fail**: ``prerelease`` or ``draft`` demote a failing release (``fail`` leaves it alone).

Every call goes through the PyGithub requester of ``client.make_client``, so through its retry
policy; errors become a ``ReleaseOutcome`` with a reason, never an exception.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import quote, unquote, urlsplit

from openness_gate import __version__, lazyre
from openness_gate.github.client import api_message, describe_error, is_rate_limit
from openness_gate.record import field, record
from openness_gate.report.escape import md_code, md_prose, md_text

if TYPE_CHECKING:
    from openness_gate.github.env import ReleaseEvent
    from openness_gate.policy.compare import Comparison
    from openness_gate.result import Result

START = "<!-- openness-gate:release:start -->"
END = "<!-- openness-gate:release:end -->"
ON_FAIL = ("fail", "prerelease", "draft")
DEFAULT_ASSETS = ("report", "html", "badge")
NOTES_LIMIT = 125_000  # GitHub's limit for a release body, in characters
MISSING_SHOWN = 10

#: kind -> (asset name, label shown on the release page, content type)
ASSETS: dict[str, tuple[str, str, str]] = {
    "report": ("openness-report.json", "Openness report (JSON)", "application/json"),
    "html": ("openness-report.html", "Openness report (HTML)", "text/html"),
    "badge": ("openness-badge.svg", "Openness badge (SVG)", "image/svg+xml"),
    "bom": ("openness-bom.cdx.json", "Openness BOM (CycloneDX)", "application/vnd.cyclonedx+json"),
}
ASSET_KINDS = tuple(ASSETS)

UPDATED, UNCHANGED, NO_RELEASE, FORBIDDEN, FAILED = "updated", "unchanged", "no-release", "forbidden", "failed"


# --- assets ------------------------------------------------------------------------------

@record
class Asset:
    kind: str
    data: bytes

    @property
    def name(self) -> str:
        return ASSETS[self.kind][0]

    @property
    def label(self) -> str:
        return ASSETS[self.kind][1]

    @property
    def content_type(self) -> str:
        return ASSETS[self.kind][2]

    @property
    def digest(self) -> str:
        """As GitHub reports an asset's content (``sha256:HEX``)."""
        return "sha256:" + hashlib.sha256(self.data).hexdigest()


def build_assets(result: Result, kinds: tuple[str, ...]) -> list[Asset]:
    """The asset files of ``kinds`` for ``result``."""
    from openness_gate import report
    from openness_gate.report import badge

    render: dict[str, Callable[[], str]] = {
        "report": lambda: report.render(result, "json"),
        "html": lambda: report.render(result, "html"),
        "badge": lambda: badge.render_svg(result),
        "bom": lambda: report.render(result, "cyclonedx"),
    }
    return [Asset(kind, render[kind]().encode("utf-8")) for kind in kinds]


# --- the section ------------------------------------------------------------------------

def safe_url(url: object) -> str | None:
    """An http(s) URL from GitHub's answers, re-encoded so that no character of it can end a
    Markdown link or start markup (a tag name may hold ``()<>"'``); None when it is not one."""
    if not isinstance(url, str) or len(url) > 2_000:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?", parts.netloc):
        return None
    return f"{parts.scheme}://{parts.netloc}{quote(unquote(parts.path), safe='/-._~')}"


@record
class SectionFacts:
    """What the section says beyond the Result: the gate, where the policy came from, history."""

    passed: bool
    reasons: tuple[str, ...] = ()
    policy_origin: str = ""  # "release policy from .openness.yml", …
    previous_tag: str | None = None
    comparison: Comparison | None = None
    history_note: str | None = None  # why there is no comparison
    consequence: str | None = None  # what on-fail did to the release


_KIND_TITLES = {"report": "JSON report", "html": "HTML report", "badge": "badge", "bom": "CycloneDX BOM"}


def render_section(result: Result, facts: SectionFacts, links: dict[str, str],
                   badge_image: str | None = None) -> str:
    """The Markdown between the markers (markers included). ``links``: asset kind -> URL. The
    badge is the static image the pull-request comment shows (everything in its URL, so it never
    goes stale); ``badge_image`` replaces it (an offline picture of the section)."""
    from openness_gate.report import badge, markdown, view

    p = result.policy
    lines = [START, "### Openness", ""]
    alt = f"{badge.LABEL}: {view.verdict(result)}, {p.score}/100"  # only our own words
    lines += [f"![{alt}]({badge_image or markdown.badge_url(result)})", ""]
    verdict = "**Release gate: passed**" if facts.passed else "**Release gate: failed**"
    level = f" · level **{md_text(p.level)}**" if p.level else " · no level reached"
    origin = f" · {md_text(facts.policy_origin)}" if facts.policy_origin else ""
    lines += [f"{verdict} · policy {md_code(p.name)}{origin}{level} · score **{p.score}/100**", ""]
    if not facts.passed and facts.reasons:
        lines += ["Why: " + "; ".join(md_text(r, 300) for r in facts.reasons) + ".", ""]
    if facts.consequence:
        lines += [f"_{md_text(facts.consequence)}_", ""]
    lines += _missing_lines(result)
    lines += _history_lines(facts)
    evidence = [f"[{_KIND_TITLES[k]}]({links[k]})" for k in ("html", "report", "bom", "badge") if links.get(k)]
    if evidence:
        lines += ["Evidence: " + " · ".join(evidence), ""]
    rev = view.short_revision(result)
    at = f" · commit {md_code(rev)}" if rev else ""
    lines += [f"<sub>Checked by openness-gate {md_text(__version__)}{at}</sub>", END]
    return "\n".join(lines)


def _missing_lines(result: Result) -> list[str]:
    from openness_gate.report import view

    items = view.missing(result)
    required = [i for i in items if i.required]
    recommended = len(items) - len(required)
    more = f" ({recommended} recommended item(s) are listed in the report)" if recommended else ""
    if not required:
        return [f"Missing required items: none{more}.", ""]
    out = [f"Missing required items ({len(required)}){more}:", ""]
    for i in required[:MISSING_SHOWN]:
        comp = f" ({md_code(i.requirement.component)})" if i.requirement.component else ""
        out.append(f"- **{md_text(i.title)}**{comp}: {md_prose(view.short_message(i))}")
    if len(required) > MISSING_SHOWN:
        out.append(f"- … and {len(required) - MISSING_SHOWN} more (see the report)")
    return out + [""]


def _history_lines(facts: SectionFacts) -> list[str]:
    """What changed since the previous tag, in one paragraph (the job summary has it as a table)."""
    from openness_gate.github.summary import ICON, score_delta

    cmp = facts.comparison
    if cmp is None:
        return [f"_{md_text(facts.history_note)}_", ""] if facts.history_note else []
    since = md_code(facts.previous_tag or (cmp.base_revision or "")[:12])
    out = [f"Since {since}: score {cmp.score_before} → **{cmp.score_after}** ({score_delta(cmp)})."]
    parts = []
    for kind, icon in ICON.items():
        changes = cmp.of_kind(kind)
        if changes:
            parts.append(f"{icon} {kind}: " + ", ".join(f"{md_text(c.title)} ({c.before} → {c.after})"
                                                        for c in changes))
    out.append("; ".join(parts) + "." if parts else "No component changed status.")
    return [" ".join(out), ""]


# --- placing the section in the notes -----------------------------------------------------

_FENCE = lazyre.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
#: CommonMark's HTML blocks that run until a closing string (types 1-5), not until a blank line
_RAW_BLOCKS = (
    (lazyre.compile(r"^ {0,3}<(pre|script|style|textarea)(\s|>|$)", re.I), None),  # closer: </tag>
    (lazyre.compile(r"^ {0,3}<!--"), "-->"),
    (lazyre.compile(r"^ {0,3}<\?"), "?>"),
    (lazyre.compile(r"^ {0,3}<![A-Za-z]"), ">"),
    (lazyre.compile(r"^ {0,3}<!\[CDATA\["), "]]>"),
)


def _opens(line: str) -> tuple[str, str] | None:
    """What an author's line opens that runs past it: ("fence", "```") style or ("raw", closer)."""
    m = _FENCE.match(line)
    if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
        return "fence", m.group(1)
    for pattern, closer in _RAW_BLOCKS:
        m = pattern.match(line)
        if m:
            end = closer or f"</{m.group(1).lower()}>"
            rest = line[m.end():] if closer else line
            return None if end in rest.lower() else ("raw", end)
    return None


def _closes(line: str, opened: tuple[str, str]) -> bool:
    kind, what = opened
    if kind == "raw":
        return what in line.lower()
    m = _FENCE.match(line)
    return bool(m) and m.group(1)[0] == what[0] and len(m.group(1)) >= len(what) and not m.group(2).strip()


def _spans(lines: list[str]) -> list[tuple[int, int]]:
    """Line-index spans (start, end inclusive) of our sections: a START line followed by an END
    line, both exactly ours, outside the author's fenced code and HTML blocks, and with no such
    block between them (our section never has one)."""
    spans: list[tuple[int, int]] = []
    opened: tuple[str, str] | None = None
    pending: int | None = None
    for n, raw in enumerate(lines):
        line = raw.rstrip("\r")
        if opened is not None:
            if _closes(line, opened):
                opened = None
            continue
        if line.rstrip() == START:
            pending = n
        elif line.rstrip() == END:
            if pending is not None:
                spans.append((pending, n))
            pending = None
        elif (opened := _opens(line)) is not None:
            pending = None
    return spans


def find_sections(body: str) -> list[tuple[int, int]]:
    """Spans of our sections in ``body`` as line indices (see ``_spans``)."""
    return _spans(body.split("\n"))


def place(body: str | None, section: str) -> str:
    """``body`` with exactly one openness section: the first one found is replaced in place and
    any further ones (two runs raced) removed; without one, the section goes first. Text outside
    the markers is kept byte for byte."""
    body = body or ""
    newline = "\r\n" if "\r\n" in body else "\n"
    section = section.replace("\n", newline)
    lines = body.split("\n")
    spans = _spans(lines)
    if not spans:
        if not body.strip():
            return section + newline
        return section + newline + newline + body
    (first_start, first_end), rest = spans[0], spans[1:]
    if lines[first_end].endswith("\r"):  # CRLF notes: the line after ours keeps its ending
        section += "\r"
    out = lines[:first_start] + [section] + lines[first_end + 1:]
    shift = 1 - (first_end - first_start + 1)  # later spans moved by what the first one gained or lost
    for start, end in reversed(rest):
        del out[start + shift:end + shift + 1]
    return "\n".join(out)


def author_text(body: str | None) -> str:
    """``body`` without our sections: what the author wrote (for tests and comparisons)."""
    lines = (body or "").split("\n")
    for start, end in reversed(_spans(lines)):
        del lines[start:end + 1]
    return "\n".join(lines)


# --- the API ----------------------------------------------------------------------------

@record(frozen=False)
class ReleaseOutcome:
    action: str  # updated | unchanged | no-release | forbidden | failed
    url: str | None = None
    uploaded: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    deleted: int = 0
    demoted: str | None = None  # "prerelease" / "draft" once the release is in that state
    notes: str = ""  # "written" | "unchanged" | "skipped" (too long) | "" (not reached)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.action not in (FORBIDDEN, FAILED)


def publish(gh: Any, repository: str, event: ReleaseEvent, assets: list[Asset],
            section_for: Callable[[dict[str, str]], str], demote: str | None = None) -> ReleaseOutcome:
    """Demote (when asked), attach ``assets`` and write the notes section of the release ``event``
    names. ``section_for(links)`` renders the section once the asset URLs are known. Never raises
    for API faults: the outcome says how far it got and why it stopped."""
    from github import GithubException

    out = ReleaseOutcome(UNCHANGED)
    try:
        _publish(gh.requester, repository, event, assets, section_for, demote, out)
    except GithubException as exc:
        if exc.status == 404 and out.url is None:
            out.action, out.reason = NO_RELEASE, f"no published release for tag {event.tag} yet"
        elif exc.status == 403 and not is_rate_limit(exc):
            out.action, out.reason = FORBIDDEN, ("the token may not edit this release (HTTP 403; it needs "
                                                 "contents: write, which a fork's token never has)")
        else:
            out.action, out.reason = FAILED, f"GitHub API answered HTTP {exc.status}: {api_message(exc)}"
    except AssertionError as exc:  # PyGithub refuses a URL outside the API's domain
        out.action, out.reason = FAILED, f"the release's upload URL is not on the API's host ({exc})"
    except Exception as exc:  # network faults: timeouts, refused connections, retries exhausted
        out.action, out.reason = FAILED, f"GitHub API unreachable: {describe_error(exc)}"
    return out


def _publish(req: Any, repository: str, event: ReleaseEvent, assets: list[Asset],
             section_for: Callable[[dict[str, str]], str], demote: str | None, out: ReleaseOutcome) -> None:
    release = _get_release(req, repository, event)
    out.url = release.get("html_url") if isinstance(release.get("html_url"), str) else None
    if demote:
        release = _demote(req, release, demote, out)
    links = _sync_assets(req, release, assets, out)
    body = release.get("body") if isinstance(release.get("body"), str) else ""
    new = place(body, section_for(links))
    if len(new) > NOTES_LIMIT:  # the author's notes fill GitHub's limit: theirs are never cut for ours
        out.notes, out.reason = "skipped", f"the notes would exceed GitHub's {NOTES_LIMIT:,} characters"
        return
    if new == body:
        out.notes = "unchanged"
    else:
        req.requestJsonAndCheck("PATCH", release["url"], input={"body": new})
        out.notes, out.action = "written", UPDATED


def _get_release(req: Any, repository: str, event: ReleaseEvent) -> dict[str, Any]:
    """The release as it is now (a re-run's payload is stale: the author may have edited the notes)."""
    if event.release_id is not None:
        url = f"/repos/{repository}/releases/{event.release_id}"
    else:
        url = f"/repos/{repository}/releases/tags/{quote(event.tag, safe='')}"
    _, data = req.requestJsonAndCheck("GET", url)
    return data


def _demote(req: Any, release: dict[str, Any], mode: str, out: ReleaseOutcome) -> dict[str, Any]:
    """Mark a failing release as a pre-release or turn it back into a draft, first of all."""
    flag = "draft" if mode == "draft" else "prerelease"
    if not release.get(flag):
        _, release = req.requestJsonAndCheck("PATCH", release["url"], input={flag: True})
        out.action = UPDATED
    out.demoted = mode
    return release


def _list_assets(req: Any, release: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for page in range(1, 51):  # 1,000 assets is GitHub's maximum per release
        _, data = req.requestJsonAndCheck("GET", f"{release['url']}/assets",
                                          parameters={"per_page": 100, "page": page})
        batch = [a for a in data if isinstance(a, dict)] if isinstance(data, list) else []
        found += batch
        if len(batch) < 100:
            break
    return found


def _sync_assets(req: Any, release: dict[str, Any], assets: list[Asset], out: ReleaseOutcome) -> dict[str, str]:
    """Make each of ``assets`` present exactly once, and remove our other names (evidence of an
    earlier run that this one no longer attaches would be stale); returns kind -> download URL."""
    links: dict[str, str] = {}
    if not assets:
        return links  # release-assets: none leaves the release's assets alone
    existing = _list_assets(req, release)
    wanted = {a.name for a in assets}
    ours = {name for name, _, _ in ASSETS.values()}
    for stale in [a for a in existing if a.get("name") in ours - wanted]:
        _delete_asset(req, stale)
        out.deleted += 1
        out.action = UPDATED
    for asset in assets:
        same_name = [a for a in existing if a.get("name") == asset.name]
        keep = next((a for a in same_name if a.get("state") == "uploaded" and a.get("digest") == asset.digest), None)
        for old in same_name:
            if old is not keep:
                _delete_asset(req, old)
                out.deleted += 1
        if keep is not None:
            out.kept.append(asset.name)
            uploaded = keep
        else:
            uploaded = _upload(req, release, asset)
            out.uploaded.append(asset.name)
            out.action = UPDATED
        if url := safe_url(uploaded.get("browser_download_url")):
            links[asset.kind] = url
    return links


def _delete_asset(req: Any, asset: dict[str, Any]) -> None:
    from github import GithubException

    try:
        req.requestJsonAndCheck("DELETE", asset["url"])
    except GithubException as exc:
        if exc.status != 404:  # another run deleted it first
            raise


def _upload(req: Any, release: dict[str, Any], asset: Asset) -> dict[str, Any]:
    """POST to the release's upload URL (its URI template's query part filled in by the requester).
    A 422 ``already_exists`` means a racing run uploaded it: delete that one and upload once more."""
    from github import GithubException

    template = release.get("upload_url")
    if not isinstance(template, str) or not template.startswith(("https://", "http://")):
        raise AssertionError("the release has no upload URL")
    url = template.split("{", 1)[0]
    for attempt in (1, 2):
        try:
            _, data = req.requestMemoryBlobAndCheck(
                "POST", url, parameters={"name": asset.name, "label": asset.label},
                headers={"Content-Type": asset.content_type, "Content-Length": str(len(asset.data))},
                file_like=io.BytesIO(asset.data))
            return data if isinstance(data, dict) else {}
        except GithubException as exc:
            if exc.status != 422 or attempt == 2:
                raise
            for old in _list_assets(req, release):
                if old.get("name") == asset.name:
                    _delete_asset(req, old)
    raise AssertionError("unreachable")
