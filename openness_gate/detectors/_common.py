"""Helpers shared by the dimension detectors: evidence caps, vendored paths, safe JSON, declared artefacts.

Kept small on purpose: judging rules stay in the dimension modules; this is plumbing.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from openness_gate import lazyre
from openness_gate.findings import LINKED, Evidence, Finding
from openness_gate.inventory import Inventory
from openness_gate.parsers import frontmatter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, TypeVar

    T = TypeVar("T")

MAX_EVIDENCE = 5
JSON_READ_CAP = 1 << 20

#: Third-party code copied into a repository: still published code, but not the project's own.
VENDORED = lazyre.compile(r"(?:^|/)(?:third[_-]?party|3rd[_-]?party|vendor(?:ed)?|external|extern|deps|site-packages|"
                          r"node_modules|submodules)/", re.IGNORECASE)
#: A folder named as a package release (``TTS-0.22.0``, ``chessboard-1.0.0``: a name, then a version of
#: three numbers; matched against the folder's own name and a '/') that holds packaging metadata of its
#: own is an unpacked copy of someone else's package (a sdist or a GitHub release archive):
#: ``unpacked_releases`` asks both, so a model folder named ``pythia-1.4b`` or ``llava-1.5-7b`` is never one.
RELEASE_DIR = lazyre.compile(r"^[A-Za-z][\w.]*(?:-[A-Za-z][\w.]*)*-v?\d+\.\d+\.\d+[\w.+-]*/$")
PACKAGING_FILES = frozenset({"setup.py", "setup.cfg", "pyproject.toml", "package.json", "PKG-INFO"})
#: The names of a folder of tests: what it holds checks the project (no training or inference code of
#: its own, no weights or data but fixtures); the weights and data detectors add names of their own.
TEST_FOLDERS = r"tests?|testing"
TEST_DIRS = lazyre.compile(r"(?:^|/)(?:" + TEST_FOLDERS + r")/", re.IGNORECASE)
#: Folders that never hold the project's own artefacts (virtualenvs, caches, build output; a code
#: scanner's work folder: ashrafsheri/distil_bert_log_finetune commits SonarScanner's, 9,400 files).
IGNORED_DIRS = lazyre.compile(r"(?:^|/)(?:\.venv|venv|env|\.tox|\.nox|\.git|__pycache__|\.mypy_cache|\.pytest_cache|"
                              r"\.ruff_cache|\.scannerwork|build|dist|\.ipynb_checkpoints|node_modules|site-packages)/",
                              re.IGNORECASE)

#: Evaluation results written out as JSON (harness outputs, a trainer's ``all_results.json``):
#: evaluation *output*. They often embed the whole training config, so they are not code.
RESULTS_JSON = lazyre.compile(r"(?:^|/)(?:results[^/]*|[^/]*eval[^/]*results?[^/]*|all_results|[^/]*_results)\.json$",
                              re.IGNORECASE)


#: files a read budget compares with one it judged (``ReadBudget``): a few hundred small reads at
#: most, so a tree of replicated files does not read them all
MAX_COPY_CHECKS = 200


class ReadBudget:
    """At most ``limit`` files of one kind read and judged by a detector, the rest left ``unread``
    (for ``Inventory.mark_unread``). A file with the name and bytes of one judged before is judged
    too and spends nothing (``Inventory.is_copy``): a fine-tune's forty checkpoint folders hold
    forty copies of one chat template and one PEFT card, and they must not spend the budget the
    project's own prompts need (i-am-mushfiq/FirstAidQA-gemma2b-QLoRA). A check's cost stays
    bounded: a file is compared only with the first judged file of its name and size, and at most
    ``MAX_COPY_CHECKS`` times."""

    __slots__ = ("inv", "limit", "unread", "_judged", "_spent", "_checks", "_copies", "_verdicts")

    def __init__(self, inv: Inventory, limit: int) -> None:
        self.inv = inv
        self.limit = limit
        self.unread: list[str] = []
        self._judged: dict[tuple[str, int], str] = {}  # (name, size) -> the first file of them that spent the budget
        self._spent = 0
        self._checks = 0
        self._copies: dict[str, str] = {}  # path -> the judged file it is a copy of
        self._verdicts: dict[str, Any] = {}  # judged file -> what ``verdict`` said of it

    def take(self, path: str) -> bool:
        """Whether to read and judge ``path``: yes while the budget lasts and for a copy of a file
        judged; once the budget is spent, no for any other file, which goes to ``unread``."""
        entry = self.inv.get(path)
        key = (entry.name, entry.size) if entry is not None else (path, -1)
        original = self._judged.get(key)
        if original is not None and self._checks < MAX_COPY_CHECKS:
            self._checks += 1
            if self.inv.is_copy(path, original):
                self._copies[path] = original
                return True
        if self._spent >= self.limit:
            self.unread.append(path)
            return False
        self._spent += 1
        self._judged.setdefault(key, path)
        return True

    def original(self, path: str) -> str:
        """The judged file ``take`` found ``path`` a copy of, else ``path``."""
        return self._copies.get(path, path)

    def verdict(self, path: str, judge: Callable[[str], T]) -> T:
        """``judge(path)`` for a file ``take`` let through, once per distinct file: for a copy, what it
        said of the original, whose bytes are the same (forty copies of a 40 KB tokenizer_config.json
        cost ≈ 25 ms of searches)."""
        original = self.original(path)
        if original in self._verdicts:
            return self._verdicts[original]
        said = self._verdicts[path] = judge(path)
        return said


def depth(path: str) -> int:
    return path.count("/")


def is_vendored(path: str) -> bool:
    """Whether a folder of ``path`` is third-party code (``VENDORED``, judged once per folder)."""
    return _vendored_folder(path[:path.rfind("/") + 1])


def unpacked_releases(ix: Any) -> list[str]:
    """The folders that are unpacked package releases (``RELEASE_DIR`` holding ``PACKAGING_FILES``): a
    library copied in whole, licence included (Yasindu-Liyanage's Sinhala TTS project ships Coqui TTS
    0.22.0 twice, MPL-2.0, and has no licence of its own). Third-party like ``VENDORED`` folders.
    ``ix``: the run's ``FileIndex``; one regular-expression test per folder name."""
    by_dir = ix.by_dir
    return [d for d in ix.dirs_named(RELEASE_DIR)
            if any(f.path[f.path.rfind("/") + 1:] in PACKAGING_FILES for f in by_dir[d])]


def within(folders: Iterable[str], path: str) -> bool:
    """Whether ``path`` lies inside one of ``folders``."""
    return any(path.startswith(d + "/") for d in folders)


def is_ignored(path: str) -> bool:
    """Whether a folder of ``path`` never holds the project's own artefacts (``IGNORED_DIRS``)."""
    return _ignored_folder(path[:path.rfind("/") + 1])


# Both patterns end in "/": a match lies within the folders of a path, so the answer is the same
# for every file of a folder; a 100k-file tree has a few thousand folders.
@lru_cache(maxsize=1 << 16)
def _vendored_folder(folder: str) -> bool:
    return bool(VENDORED.search(folder))


@lru_cache(maxsize=1 << 16)
def _ignored_folder(folder: str) -> bool:
    return bool(IGNORED_DIRS.search(folder))


def load_json(text: str | None) -> Any:
    """Parse JSON from the repository; None when absent, invalid, or too deeply nested."""
    if not text:
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def cap(evidence: Iterable[Evidence], n: int = MAX_EVIDENCE) -> tuple[Evidence, ...]:
    out: list[Evidence] = []
    for e in evidence:
        if e not in out:
            out.append(e)
        if len(out) >= n:
            break
    return tuple(out)


def config_file(ctx: Any) -> str:
    for name in (".openness.yml", ".openness.yaml"):
        if name in ctx.inventory:
            return name
    return ".openness.yml"


def declared(ctx: Any, components: Iterable[str]) -> Iterable[Finding]:
    """``linked`` findings for external artefacts declared in the repository config.

    Shape (agreed with the policy layer): ``artifacts: {<component id>: {url, license} | [{url, license}, …]}``;
    anything else is ignored here (the policy layer validates and reports the config).
    """
    arts = ctx.config.get("artifacts") if isinstance(ctx.config, dict) else None
    if not isinstance(arts, dict):
        return
    where = config_file(ctx)
    for cid in components:
        entries = arts.get(cid)
        if isinstance(entries, (dict, str)):
            entries = [entries]
        if not isinstance(entries, list):
            continue
        evidence = []
        artifacts = []  # the same, as data: what bills of materials list with their licences
        for e in entries[:MAX_EVIDENCE]:
            url = e.get("url") if isinstance(e, dict) else e if isinstance(e, str) else None
            if not isinstance(url, str) or not url.strip():
                continue
            lic = e.get("license") if isinstance(e, dict) else None
            suffix = f" (licence {str(lic)[:60]})" if lic else ""
            evidence.append(Evidence(f"external artefact declared in {where}{suffix}", where, None, url.strip()[:500]))
            artifacts.append({"url": url.strip()[:500], **({"license": str(lic)[:100]} if lic else {})})
        if evidence:
            yield Finding(cid, LINKED, tuple(evidence), {"declared": True, "artifacts": artifacts})


def doc_name(ctx: Any, doc: Any) -> str:
    """How evidence names a document: the model card, or the README standing in for it."""
    if doc is not None and doc is ctx.model_card:
        return "the model card"
    return "the README" if doc is not None and doc.path.lower().rsplit("/", 1)[-1].startswith("readme") and \
        "/" not in doc.path else f"the model card {doc.path}"


def front_matter(inv: Inventory, text: str) -> frontmatter.FrontMatter:
    """The front matter of a file's ``text``, parsed once per check whichever detector reads it first
    (the root README is both the model-card candidate and a dataset-card candidate), and once per
    distinct text: a fine-tune's checkpoint folders hold the same auto-generated card dozens of
    times (i-am-mushfiq/FirstAidQA-gemma2b-QLoRA: 42). Keyed by the text itself: a text read from
    the inventory's cache is the same object each time, and its hash is computed once."""
    key = ("front_matter", text)
    parsed = inv.derived.get(key)
    if parsed is None:
        parsed = inv.derived[key] = frontmatter.parse(text)
    return parsed
