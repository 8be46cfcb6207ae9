"""The distribution.license detector: licence files and declared licences, identified and classified.

Lives in its own module (registered under the distribution dimension) because licence
evidence has many sources: licence files at the root, per-model folders and ``LICENSES/``,
the model card's front matter, package metadata. Vendored dependencies' licences are
reported in ``facts["vendored"]`` but never taken as the project's licence. Only candidate
licence files are read, so the cost does not grow with the size of the repository.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter

from openness_gate import lazyre
from openness_gate.detectors import Context, detector
from openness_gate.detectors._common import is_ignored, unpacked_releases, within
from openness_gate.findings import MISSING, PRESENT, Evidence, Finding, missing
from openness_gate.inventory import extension, is_weight_path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable

_NAME = lazyre.compile(r"^(?:(?:UN)?LICEN[CS]E|COPYING|COPYRIGHT|NOTICE|[\w.-]*[_-]LICEN[CS]E|LICEN[CS]E[_-][\w.-]*"
                       r"|[\w .-]*LICEN[CS]E AGREEMENT)(?:[._-][\w.-]*)?$", re.IGNORECASE)
_VENDOR = frozenset({"vendor", "vendored", "_vendor", "third_party", "third-party", "thirdparty", "3rdparty",
                     "external", "externals", "extern", "deps", "node_modules", "site-packages", ".venv", "venv",
                     "tests", "test", "testdata", "fixtures", "examples", "samples"})
_SCOPE_WORDS = (("model", lazyre.compile(r"model|weight|checkpoint|param", re.I)),
                ("data", lazyre.compile(r"data", re.I)),
                ("document", lazyre.compile(r"doc", re.I)),
                ("code", lazyre.compile(r"code|source|software", re.I)))
_MODEL_DIRS = frozenset({"models", "model", "checkpoints", "weights"})
_DATA_DIRS = frozenset({"data", "datasets", "dataset"})
#: A cheap first filter before the exact rules, so the scan stays cheap on 100k-file repositories.
_QUICK_NAME = lazyre.compile(r"licen[cs]|copying|notice|copyright", re.MULTILINE)  # over lower-case names
_QUICK_WORDS = ("licen", "copying", "notice", "copyright")
MAX_PROJECT_FILES = 40
MAX_VENDORED_FILES = 20
#: deeper licence files belong to a copied component (``sgm/modules/autoencoding/lpips/loss/LICENSE``):
#: reported per file like vendored ones, never taken as the project's licence
MAX_DEPTH = 3


_NOT_TEXT = frozenset({".py", ".js", ".ts", ".json", ".yml", ".yaml", ".toml", ".cfg", ".ipynb", ".sh", ".go", ".rs",
                       ".java", ".c", ".h", ".cpp", ".pdf", ".png", ".jpg", ".svg", ".css", ".lock", ".xml"})

#: a PDF named as a licence: "licence" or "license" in the name, not only "agreement" (a sample
#: credit-card agreement is data: guardrails-ai/guardrails' docs/examples/data)
_PDF_NAME = lazyre.compile(r"licen[cs]e", re.IGNORECASE)
_LICENCE_STEM_WORDS = lazyre.compile(r"licen[cs]e|agreement|\.\w+$", re.IGNORECASE)
_WEB_LINK = lazyre.compile(r"https?://", re.IGNORECASE)


def _is_candidate(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    if path.upper().startswith("LICENSES/") and path.count("/") == 1:
        return True  # REUSE: LICENSES/<SPDX-id>.txt
    if extension(name) == ".pdf":  # a licence kept as a PDF is listed, unidentified (kuotunyu/tw-med-llm-qlora)
        return bool(_PDF_NAME.search(name))
    if extension(name) in _NOT_TEXT or is_weight_path(path):
        return False
    return bool(_NAME.match(name))


def _candidate_paths(ctx: Context) -> list[str]:
    """Files whose name has a licence word, and those in a REUSE ``LICENSES/`` folder, in path order.

    The index answers this from the file names bucket by bucket, so 100k data shards cost nothing."""
    ix = ctx.index
    found = {f.path for f in ix.names_matching(_QUICK_NAME, None, _QUICK_WORDS)}
    for d, members in ix.by_dir.items():
        if d.upper() == "LICENSES":
            found.update(f.path for f in members)
    return sorted(found)


def _is_vendored(path: str) -> bool:
    return any(part.lower() in _VENDOR for part in path.split("/")[:-1])


def _file_scope(ctx: Context, path: str) -> str | None:
    """What a licence file covers, from its name (MODEL_LICENSE, LICENSE-DATA) or its folder."""
    name = path.rsplit("/", 1)[-1]
    stem = _LICENCE_STEM_WORDS.sub("", name)
    for scope, rx in _SCOPE_WORDS:
        if rx.search(stem):
            return scope
    folder = posixpath.dirname(path)
    if not folder:
        return None
    top = folder.split("/")[0].lower()
    if top in _MODEL_DIRS or any(is_weight_path(f.path) for f in ctx.inventory.in_dir(folder)[:200]):
        return "model"
    if top in _DATA_DIRS:
        return "data"
    if top in {"docs", "doc"}:
        return "document"
    return None


def _entry(lic: Any, source: str, path: str | None, line: int | None, confidence: float,
           scope: str | None) -> dict[str, Any]:
    classes = list(lic.classes) or (["unknown"] if lic.is_family or lic.id == "unknown" else [])
    return {"id": lic.id, "spdx": lic.spdx, "name": lic.name, "classes": classes, "mof_types": sorted(lic.mof_types),
            "source": source, "path": path, "line": line, "confidence": round(confidence, 3), "scope": scope}


def _describe(m: Any) -> str:
    if not m.known:
        return f"licence text not identified (title: {m.licence.name!r}): {m.note}"
    how = {"text": "licence text", "spdx-id": "SPDX-License-Identifier tag", "notice": "licence notice",
           "url": "licence URL", "name": "licence name", "title": "licence title"}.get(m.method, m.method)
    return f"{how} identified as {m.licence.name} ({m.note})"


class _Collector:
    """Accumulates licence entries and evidence for one run of the detector."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.evidence: list[Evidence] = []
        self.unidentified: list[str] = []
        self.vendored: list[dict[str, Any]] = []

    def file(self, ctx: Context, path: str, vendored: bool) -> None:
        from openness_gate import licenses

        read = ctx.inventory.read_text(path)  # a PDF is not read: the inventory says why
        is_notice = path.rsplit("/", 1)[-1].upper().startswith(("NOTICE", "COPYRIGHT"))
        if read.text is None:
            if not vendored:
                self.unidentified.append(path)
                self.evidence.append(Evidence(f"licence file not readable: {read.note}", path))
                self.entries.append(_entry(licenses.matcher.unknown_licence("(not readable)"), "file", path, None,
                                           0.0, _file_scope(ctx, path)))
            return
        matches = licenses.identify(read.text)
        if path.upper().startswith("LICENSES/") and not any(m.known for m in matches):
            lic = licenses.lookup(posixpath.splitext(path.rsplit("/", 1)[-1])[0])  # REUSE file named by SPDX id
            if lic is not None:
                matches = [licenses.Match(lic, 0.7, 1, None, "name", "REUSE LICENSES/ file named by its SPDX id")]
        if vendored:
            self.vendored.append({"path": path, "ids": [m.licence.id for m in matches]})
            return
        if is_notice and not any(m.known for m in matches):
            self.evidence.append(Evidence("notice file: no licence text in it", path))
            return
        scope = _file_scope(ctx, path)
        if any(not m.known for m in matches):
            self.unidentified.append(path)
        for m in matches:
            self.entries.append(_entry(m.licence, "file", path, m.line, m.confidence, m.scope or scope))
            self.evidence.append(Evidence(_describe(m), path, m.line))


#: metadata files that may declare the licence, in the order their declarations are listed, each with
#: its reader in ``licenses.declared`` (named: that package is imported only when one is present)
_METADATA = (("pyproject.toml", "from_pyproject"), ("setup.cfg", "from_setup_cfg"), ("CITATION.cff", "from_citation"))


def _declared(ctx: Context, col: _Collector) -> list[dict[str, Any]]:
    """Licences named in metadata: card front matter, pyproject.toml, setup.cfg, CITATION.cff."""
    card = ctx.model_card
    in_card = card is not None and "license" in ctx.front_matter
    metadata = [(path, reader) for path, reader in _METADATA if path in ctx.inventory]
    if not in_card and not metadata:
        return []  # nothing declares one: the licence package (~5 ms to import) may not be needed at all
    from openness_gate.licenses import catalogue, matcher
    from openness_gate.licenses import declared as dec

    found: list[dec.Declared] = []
    if in_card:
        fm = ctx.front_matter
        line = _fm_line(card, "license")
        value = fm.get("license")
        if isinstance(value, str) and value.strip().lower() in catalogue.PLACEHOLDERS:
            found.extend(_other(ctx, card.path, fm, value.strip().lower(), col))
        else:
            found.extend(dec.from_value(value, card.path, line, "license"))
    for path, reader in metadata:
        text = ctx.inventory.text(path)
        if text is not None:
            found.extend(getattr(dec, reader)(text, path))
    out = []
    explained: set[tuple[str, str, str]] = set()
    # licences one declaration binds together ("MIT AND my-licence"): each entry carries the expression,
    # so a policy never sets an unknown one aside as it does an unreadable file beside a named licence
    together = Counter((d.path, d.field, d.expression) for d in found if d.binds and d.expression)
    for d in found:
        exception = {"exception": d.exception} if d.exception else {}
        out.append({"value": d.value, "id": d.licence.id if d.licence else None, "path": d.path, "line": d.line,
                    "field": d.field, "problem": d.problem, "expression": d.expression, "binds": d.binds,
                    **exception})
        if d.reading and (d.path, d.field, d.reading) not in explained:  # once per expression: what it means
            explained.add((d.path, d.field, d.reading))
            col.evidence.append(Evidence(f"licence expression declared ({d.field}): {d.reading}", d.path, d.line))
        if not d.binds:
            continue  # an alternative the user need not choose: listed in facts.declared, not judged
        joint = {**exception, **({"expression": d.expression}
                                 if together[(d.path, d.field, d.expression)] > 1 else {})}
        if d.licence is not None:
            scope = "model" if card is not None and d.path == card.path else (
                "code" if d.path in ("pyproject.toml", "setup.cfg") else None)
            col.entries.append({**_entry(d.licence, "declared", d.path, d.line, 1.0, scope), **joint})
            if not d.reading:
                col.evidence.append(Evidence(f"licence declared ({d.field}: {d.value}): {d.licence.name}", d.path,
                                             d.line))
        else:
            col.entries.append({**_entry(matcher.unknown_licence(d.value[:80] or "(empty)"), "declared", d.path,
                                         d.line, 0.0, None), **joint})
            col.evidence.append(Evidence(f"declared licence not usable: {d.problem}", d.path, d.line))
    return out


def _expression(declared: list[dict[str, Any]]) -> str | None:
    """The declared licence as one normalised SPDX expression: each declaration's own (the card's first);
    several declarations all bind, so they are joined with AND."""
    parts = list(dict.fromkeys(d["expression"] for d in declared if d.get("expression")))
    if len(parts) < 2:
        return parts[0] if parts else None
    return " AND ".join(f"({p})" if " OR " in p else p for p in parts)


def _fm_line(card: Any, key: str) -> int | None:
    m = re.search(rf"^{re.escape(key)}\s*:", getattr(card, "text", "") or "", re.MULTILINE)
    return card.text.count("\n", 0, m.start()) + 1 if m else 1


def _other(ctx: Context, card_path: str, fm: dict[str, Any], value: str, col: _Collector) -> list[Any]:
    """``license: other`` with ``license_name`` / ``license_link``; ``license: unknown``."""
    from openness_gate.licenses import declared as dec
    from openness_gate.licenses import matcher

    line = _fm_line(ctx.model_card, "license")
    if value == "unknown":
        return [dec.Declared("unknown", None, card_path, line, "license", "the card declares license: unknown")]
    name, link = fm.get("license_name"), fm.get("license_link")
    out = []
    if isinstance(name, str) and name.strip():
        named = dec.from_value(name, card_path, _fm_line(ctx.model_card, "license_name"), "license_name")
        if any(d.licence is not None for d in named):  # every term: an unknown it binds with MIT is judged
            out.extend(named)
    if isinstance(link, str) and link.strip():
        link = link.strip()
        link_line = _fm_line(ctx.model_card, "license_link")
        if _WEB_LINK.match(link):
            lic = matcher.licence_from_url(link)
            if lic is not None:
                out.append(dec.Declared(link[:120], lic, card_path, link_line, "license_link"))
            elif not out:
                out.append(dec.Declared(link[:120], None, card_path, link_line, "license_link",
                                        "license_link is a URL that is not a known licence page; its text was not read"))
        else:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(card_path), link.lstrip("./") if
                                                       link.startswith("./") else link))
            if target.startswith("..") or target.startswith("/"):
                out.append(dec.Declared(link, None, card_path, None, "license_link",
                                        "license_link points outside the repository"))
            elif target not in ctx.inventory:
                out.append(dec.Declared(link, None, card_path, None, "license_link",
                                        f"license_link {link!r} is not a file in the repository"))
            else:
                col.evidence.append(Evidence(f"license: other; license_link points to {target}, read as the declared "
                                             "licence text", card_path, link_line))
                if not any(e["path"] == target for e in col.entries):
                    col.file(ctx, target, False)
    if not out and not (isinstance(link, str) and link.strip()):
        shown = name if isinstance(name, str) and name.strip() else "other"
        out.append(dec.Declared(str(shown)[:80], None, card_path, line, "license_name",
                                f"license: other with license_name {str(shown)[:80]!r}, which is not in the catalogue "
                                "and no license_link"))
    return out


def _conflict(entries: list[dict[str, Any]], alternatives: set[str] = frozenset()) -> tuple[bool, str]:
    """Declared and file licences name disjoint licences. ``alternatives``: declared OR alternatives not
    chosen, which still agree with a file (``Apache-2.0 OR MIT`` declared, Apache-2.0 in LICENSE)."""
    files = {e["id"] for e in entries if e["source"] == "file" and e["id"] != "unknown"}
    declared = {e["id"] for e in entries if e["source"] == "declared" and e["id"] != "unknown"}
    if not (files and declared):
        return False, ""
    from openness_gate.licenses import catalogue

    def expand(ids: set[str]) -> set[str]:
        out = set(ids)
        for i in ids:
            lic = catalogue.by_id(i)
            if lic is not None:
                out.update(lic.members)
        return out

    if not (expand(files) & expand(declared | set(alternatives))):
        return True, f"declared {', '.join(sorted(declared))} but the licence files say {', '.join(sorted(files))}"
    return False, ""


def licence_files(ctx: Context) -> tuple[list[str], list[str]]:
    """(the project's licence files, shallowest first; vendored ones): what every detector that
    reads licences reads (``Context.licence_files`` keeps it for the run)."""
    project: list[str] = []
    vendored: list[str] = []
    releases = unpacked_releases(ctx.index)
    for path in _candidate_paths(ctx):
        if _is_candidate(path):
            third_party = _is_vendored(path) or path.count("/") > MAX_DEPTH or within(releases, path) or _in_data(path)
            if not third_party and is_ignored(path):
                continue  # a cache or build output: a copy of a licence at most, or a tool's file so named
            (vendored if third_party else project).append(path)
    copies = _copied_repositories(ctx, {posixpath.dirname(p) for p in project if "/" in p})
    if copies:
        vendored += [p for p in project if posixpath.dirname(p) in copies]
        project = [p for p in project if posixpath.dirname(p) not in copies]
    project.sort(key=lambda p: (p.count("/"), p))
    return project, vendored


def _in_data(path: str) -> bool:
    """A licence-named file more than one folder below a data folder is part of the data, not a licence
    of the project (nagix999/llm-finetuning's ``data/dataiku/operations/license.md`` is a scraped page
    of a product's documentation): reported per file like vendored ones. A data folder's own licence,
    or a dataset's (``data/LICENSE``, ``data/<dataset>/LICENSE``), stays the project's."""
    return path.count("/") >= 3 and path.split("/", 1)[0].lower() in _DATA_DIRS


#: ``github.com/OWNER/NAME`` in a README; NAME compared with the folder's name
_GITHUB_REPO = lazyre.compile(r"github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?(?=[^\w.-]|\.(?![\w-])|$)", re.IGNORECASE)
_README_NAMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "Readme.md")
README_HEAD = 64 * 1024


def _copied_repositories(ctx: Context, folders: set[str]) -> set[str]:
    """The folders among ``folders`` that are a copy of another repository: their README links
    ``github.com/OWNER/<the folder's name>`` and the root README does not (a clone of asaparov/core kept
    as ``nl/core/``: JimmyJamJr/nl-fine-tuning; the project's own ``moshi/`` package links the
    repository the root README names). Their licence is that repository's, not the project's."""
    inv = ctx.inventory
    found: set[str] = set()
    root_links: set[str] | None = None
    for folder in sorted(folders):
        readme = next((f"{folder}/{n}" for n in _README_NAMES if f"{folder}/{n}" in inv), None)
        if readme is None:
            continue
        name = folder.rsplit("/", 1)[-1].lower()
        links = {f"{o}/{r}".lower() for o, r in _GITHUB_REPO.findall(inv.text(readme, README_HEAD) or "")
                 if r.lower() == name}
        if not links:
            continue
        if root_links is None:
            root = next((n for n in _README_NAMES if n in inv), None)
            root_links = {f"{o}/{r}".lower() for o, r in _GITHUB_REPO.findall(inv.text(root, README_HEAD) or "")} \
                if root else set()
        if not links & root_links:
            found.add(folder)
    return found


@detector("distribution", ["distribution.license"])
def license(ctx: Context) -> Iterable[Finding]:
    project, vendored = ctx.licence_files
    col = _Collector()
    for path in project[:MAX_PROJECT_FILES]:
        col.file(ctx, path, False)
    for path in vendored[:MAX_VENDORED_FILES]:
        col.file(ctx, path, True)
    ctx.inventory.mark_unread(project[MAX_PROJECT_FILES:],
                              f"content not read: the licence detector reads at most {MAX_PROJECT_FILES} licence files")
    ctx.inventory.mark_unread(vendored[MAX_VENDORED_FILES:], "content not read: the licence detector reads at most "
                                                             f"{MAX_VENDORED_FILES} licence files of vendored code",
                              ())  # the project's licence decides the verdict, not vendored code's
    declared = _declared(ctx, col)
    if len(project) > MAX_PROJECT_FILES:
        col.evidence.append(Evidence(f"{len(project) - MAX_PROJECT_FILES} more licence files not read "
                                     f"(limit {MAX_PROJECT_FILES})"))
    if col.vendored:
        col.evidence.append(Evidence(f"{len(vendored)} licence file(s) of vendored or example code or of data, "
                                     "not taken as the project's licence", col.vendored[0]["path"]))
    conflict, why = _conflict(col.entries, {d["id"] for d in declared if d["id"] and not d["binds"]})
    if conflict:
        col.evidence.insert(0, Evidence(f"licence conflict: {why}"))
    ids = list(dict.fromkeys(e["id"] for e in col.entries if e["id"] != "unknown"))
    spdx = list(dict.fromkeys(e["spdx"] for e in col.entries if e["spdx"]))
    classes = sorted({c for e in col.entries for c in e["classes"]}) or ["unknown"]
    facts = {"ids": ids, "spdx": spdx, "classes": classes, "licenses": col.entries, "declared": declared,
             "expression": _expression(declared), "conflict": conflict, "unidentified_files": col.unidentified,
             "vendored": col.vendored}
    if not col.entries:
        reason = "no LICENSE, COPYING or model licence file and no declared licence"
        if not col.vendored:
            return [missing("distribution.license", reason, **facts)]
        # say what was found and why it does not count: a user who sees a LICENSE in a subfolder asks
        return [Finding("distribution.license", MISSING, (Evidence(
            "no LICENSE, COPYING or model licence file of the project's own and no declared licence"), Evidence(
            f"{len(vendored)} licence file(s) of vendored or example code or of data, not the project's licence",
            col.vendored[0]["path"])), facts)]
    if not any(e.path for e in col.evidence):
        col.evidence.append(Evidence("licence information found"))
    return [Finding("distribution.license", PRESENT, tuple(col.evidence), facts)]
