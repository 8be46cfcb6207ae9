"""A one-pass index of the inventory that detectors query instead of looping over every file.

On a 100k-file repository a Python loop that runs a few regular expressions per path costs
seconds; the benchmark budget is a fraction of that. So the inventory is walked once, files
are bucketed by lower-case extension, name and folder, and the questions detectors ask are
answered on those buckets: regular expressions run over *unique folders* (there are far
fewer than files) or over one newline-joined string of *file names* (one C-level scan
instead of a Python call per file).
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property, lru_cache
from itertools import accumulate

from openness_gate.inventory import FileEntry, Inventory
from openness_gate.parsers import anchored

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

_DIGITS = str.maketrans("123456789", "000000000")


#: the longest skeleton always searched with a name pattern to rule its bucket out
#: (``_live_keywords``). Few lines standing for many names is what it is for; a bucket of thousands
#: of distinct names has a skeleton as long as its names, where a pattern without a literal prefix
#: is tried at each character (lm-evaluation-harness's 14,000 task YAMLs: 60 ms of the code
#: detector's 130 ms plan, for patterns whose keywords are in a few names at most). Above it the
#: whole skeleton is searched only when the keywords occur more often than once in every
#: ``SKELETON_CHARS_PER_NAME`` characters of it (checking a line costs about as much as searching
#: that many characters); else only its lines that hold a keyword, which every match holds
SKELETON_SEARCH_MAX = 16 * 1024
SKELETON_CHARS_PER_NAME = 16


@lru_cache(maxsize=None)
def _digit_blind(pattern: str) -> bool:
    """Whether a pattern treats every ASCII digit alike, so that writing a name's digits as 0 never
    changes whether it matches. True when no digit is written in it: a literal digit, a class or
    range that holds some digits and not others, a repeat count, an escape by code all need one
    (``\\d``, ``\\w``, ``.`` and ``[^/]`` hold all ten)."""
    return not any(c in pattern for c in "0123456789")


@lru_cache(maxsize=None)
def _digits_as_zero(keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """(keyword, keyword with its digits written as 0): once per vocabulary, not once per bucket."""
    return tuple((kw, kw.translate(_DIGITS)) for kw in keywords)


class FileIndex:
    @classmethod
    def of(cls, inv: Inventory) -> "FileIndex":
        """The index of ``inv``, built once and kept with the inventory's derived data."""
        ix = inv.derived.get("detectors.FileIndex")
        if ix is None:
            ix = inv.derived["detectors.FileIndex"] = cls(inv)
        return ix

    def __init__(self, inv: Inventory) -> None:
        self.inventory = inv
        # the inventory's own one-pass buckets (extension, folder): no second walk over 100k files
        self.by_ext = inv.by_extension
        self.by_dir = inv.by_directory
        self._buffers: dict[str | None, tuple[list[FileEntry], str, list[int], list[list[int]]]] = {}
        self._skeletons: dict[str | None, str] = {}
        #: ``dirs_within_named``'s answers: the ignored and vendored folders are asked for by several detectors
        self._within: dict[re.Pattern[str], list[str]] = {}

    # ---------------------------------------------------------------------------------- buckets
    def ext(self, *exts: str) -> list[FileEntry]:
        """Files with one of these lower-case extensions ('.py'), in path order."""
        if len(exts) == 1:
            return self.by_ext.get(exts[0], [])
        out: list[FileEntry] = []
        for e in exts:
            out.extend(self.by_ext.get(e, ()))
        out.sort(key=lambda f: f.path)
        return out

    def named(self, *names: str) -> list[FileEntry]:
        """Files with one of these (lower-case) names, anywhere (the inventory's own name index when it has one)."""
        own = getattr(self.inventory, "named", None)
        if own is not None:
            return list(own(*names))
        rx = re.compile("^(?:" + "|".join(re.escape(n) for n in names) + ")$", re.MULTILINE)
        return self.names_matching(rx)

    @cached_property
    def dirs(self) -> list[str]:
        return sorted(self.by_dir)

    # ---------------------------------------------------------------------------------- queries
    @cached_property
    def _dirs_slashed(self) -> list[tuple[str, str]]:
        return [(d, d + "/" if d else "") for d in self.dirs]

    def dirs_matching(self, rx: re.Pattern[str]) -> list[str]:
        """Folders whose path (with a trailing '/') matches ``rx`` (searched; '' is the root)."""
        search = rx.search
        return [d for d, slashed in self._dirs_slashed if search(slashed)]

    @cached_property
    def _folders_by_name(self) -> dict[str, list[str]]:
        """Every folder of the tree, those holding files and their ancestors, by its own name: a
        large tree has a few hundred names (thousands at most) in 20k folders, and each name is
        judged once per question instead of each folder once per question."""
        out: dict[str, list[str]] = {}
        seen = {""}
        for d in self.dirs:
            while d not in seen:  # up to the first folder already seen (folders come sorted: soon)
                seen.add(d)
                cut = d.rfind("/")
                name = d[cut + 1:]
                held = out.get(name)
                if held is None:
                    out[name] = [d]
                else:
                    held.append(d)
                d = d[:cut] if cut > 0 else ""
        return out

    def _folders_named(self, rx: re.Pattern[str]) -> list[str]:
        """Folders (holding files or not) whose own name, with a trailing '/', matches ``rx``."""
        search = rx.search
        return [d for name, held in self._folders_by_name.items() if search(name + "/") for d in held]

    def dirs_named(self, rx: re.Pattern[str]) -> list[str]:
        """Folders whose own name, with a trailing '/', matches ``rx``: for a pattern about the last
        folder only (``(?:^|/)(?:train|training)/$``), which finds the folders ``dirs_matching``
        would (the root has no name of its own, and '' matches no "name/" pattern either)."""
        by_dir = self.by_dir
        return sorted(d for d in self._folders_named(rx) if d in by_dir)

    def dirs_within_named(self, rx: re.Pattern[str]) -> list[str]:
        """Folders with a folder of their path (themselves or an ancestor) whose name, with a trailing
        '/', matches ``rx``: for a pattern about any one folder of a path (``(?:^|/)configs?/``), which
        finds the folders ``dirs_matching`` would. The folders below a matching one are a run of the
        sorted folder list (the paths from ``name/`` up to, not including, ``name0``: '0' follows '/').
        Read-only: the answer is kept for the next detector that asks."""
        known = self._within.get(rx)
        if known is not None:
            return known
        dirs, by_dir = self.dirs, self.by_dir
        out: set[str] = set()
        for top in self._folders_named(rx):
            if top in by_dir:
                out.add(top)
            out.update(dirs[bisect.bisect_left(dirs, top + "/"):bisect.bisect_left(dirs, top + "0")])
        known = self._within[rx] = sorted(out)
        return known

    def in_dirs(self, dirs: Iterable[str], exts: frozenset[str] | None = None) -> list[FileEntry]:
        """The files directly in ``dirs`` (optionally only with these lower-case extensions), folder
        by folder in the given order, each folder's in path order."""
        out: list[FileEntry] = []
        by_dir = self.by_dir
        for d in dirs:
            files = by_dir.get(d, ())
            if exts is None:
                out.extend(files)
                continue
            # ``extension`` of a file directly in d, inlined: the last dot, when it is in the name
            # (which begins at ``start``) and does not begin it; else '' (no dot, a dotfile)
            start = len(d) + 1 if d else 0
            bare = "" in exts
            for f in files:
                p = f.path
                dot = p.rfind(".")
                if (p[dot:].lower() in exts) if dot > start else bare:
                    out.append(f)
        return out

    def _names(self, ext: str | None) -> tuple[list[FileEntry], str, list[int], list[list[int]]]:
        """For one bucket: (files, their distinct lower-case names joined by newlines, end offset of
        each distinct name, the files holding each one (indexes into files, in order)). Each name is
        judged once, however many files bear it: a large tree repeats a few hundred names
        (``__init__.py``, ``train.py``, ``config.yaml``) over tens of thousands of files."""
        cached = self._buffers.get(ext)
        if cached is None:
            files = self.inventory.files if ext is None else self.by_ext.get(ext, [])
            names = [f.path.rpartition("/")[2].lower() for f in files]
            holders: dict[str, list[int]] = {}
            for i, name in enumerate(names):
                held = holders.get(name)
                if held is None:
                    holders[name] = [i]
                else:
                    held.append(i)
            cached = (files, "\n".join(holders), list(accumulate(len(n) + 1 for n in holders)), list(holders.values()))
            self._buffers[ext] = cached
        return cached

    @staticmethod
    def _holding(files: list[FileEntry], holders: list[list[int]], matched: Iterable[int]) -> list[FileEntry]:
        """The files bearing the matched distinct names, in path order (the bucket's order)."""
        picked = [i for j in matched for i in holders[j]]
        if len(picked) > 1:
            picked.sort()
        return [files[i] for i in picked]

    def _skeleton(self, ext: str) -> str:
        """The bucket's distinct lower-case names with every digit written as ``0``, joined by newlines.

        Data shards, checkpoints and generated files differ mostly in their numbers, so this is
        usually a few lines where the bucket has 100k names. Writing digits alike maps each
        character on its own, so a keyword (mapped the same way) that is not in the skeleton is
        in no name, and the full scan for it can be skipped without ever missing a hit.
        """
        skel = self._skeletons.get(ext)
        if skel is None:
            files = self.by_ext.get(ext, [])
            lines = set("\n".join([f.path for f in files]).lower().translate(_DIGITS).split("\n"))
            skel = self._skeletons[ext] = "\n".join({line.rpartition("/")[2] for line in lines})
        return skel

    def _live_keywords(self, ext: str, keywords: tuple[str, ...], rx: re.Pattern[str]) -> list[str]:
        """The keywords that may occur in some name of the bucket (the others surely do not); none
        when ``rx`` treats all digits alike and matches no line of the skeleton. Then it matches no
        name either, since each name differs from its line in digits only: a bucket of 10k
        ``module_NNNN.py`` holds the keyword "module" in every name and the architecture pattern
        (``model.py``, ``modules.py``…) in none, which one search of one skeleton line says."""
        skel = self._skeleton(ext)
        if len(skel) <= SKELETON_SEARCH_MAX:
            live = [kw for kw, mapped in _digits_as_zero(keywords) if mapped in skel]
            return [] if live and _digit_blind(rx.pattern) and not rx.search(skel) else live
        # thousands of distinct names (see SKELETON_SEARCH_MAX): search the whole skeleton only when
        # the keywords are in many of its lines, else only the lines that hold one
        pairs = [(kw, mapped) for kw, mapped in _digits_as_zero(keywords) if mapped in skel]
        live = [kw for kw, _ in pairs]
        if not live or not _digit_blind(rx.pattern):
            return live
        lines, many = 0, len(skel) // SKELETON_CHARS_PER_NAME
        for _, mapped in pairs:
            lines += skel.count(mapped)
            if lines >= many:
                return live if rx.search(skel) else []
        # a name pattern never crosses a line, and its matches hold a keyword: few lines to search
        offsets = sorted(at for _, mapped in pairs for at in anchored.occurrences(mapped, skel))
        return live if anchored.search_lines_at(rx, offsets, skel) else []

    def _regex_hits(self, key: str | None, rx: re.Pattern[str]) -> list[FileEntry]:
        files, joined, ends, holders = self._names(key)
        matched: list[int] = []
        last = -1
        for m in rx.finditer(joined):
            j = bisect.bisect_right(ends, m.start())
            if j != last and j < len(holders):
                last = j
                matched.append(j)
        return self._holding(files, holders, matched)

    def _keyword_hits(self, key: str, rx: re.Pattern[str], keywords: list[str]) -> list[FileEntry]:
        """Names holding one of ``keywords`` (found with ``str.find``), then checked with ``rx``."""
        if not keywords:
            return []
        files, joined, ends, holders = self._names(key)
        found: set[int] = set()
        for kw in keywords:
            pos = joined.find(kw)
            while pos != -1:
                j = bisect.bisect_right(ends, pos)
                found.add(j)
                pos = joined.find(kw, ends[j] if j < len(ends) else len(joined))
        matched = [j for j in found if j < len(holders) and rx.search(joined[ends[j - 1] if j else 0:ends[j] - 1])]
        return self._holding(files, holders, matched)

    def names_matching(self, rx: re.Pattern[str], exts: Iterable[str] | None = None,
                       keywords: tuple[str, ...] | None = None) -> list[FileEntry]:
        """Files whose lower-case *name* matches ``rx`` (optionally only with these extensions).

        ``rx`` must be compiled with re.MULTILINE, without IGNORECASE (names are lower-case; case folding
        makes the scan several times slower) and must not cross a newline: it runs once over the names
        joined by newlines. With ``keywords`` (substrings every match contains), the names are first
        located with ``str.find`` -- a fast C scan per keyword -- and ``rx`` only checks those names."""
        if keywords is None:  # one regex scan per bucket
            keys: list[str | None] = [None] if exts is None else [e for e in exts if e in self.by_ext]
            hits = [f for key in keys for f in self._regex_hits(key, rx)]
        else:  # bucket by bucket: most buckets are ruled out by their skeleton
            keys = list(self.by_ext) if exts is None else [e for e in exts if e in self.by_ext]
            hits = [f for key in keys for f in self._keyword_hits(key, rx, self._live_keywords(key, keywords, rx))]
        if len(keys) > 1:
            hits.sort(key=lambda f: f.path)
        return hits
