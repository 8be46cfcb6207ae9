"""The licence catalogue (``catalogue.yml``), loaded once on first use, and id/alias lookup.

People edit ``catalogue.yml``; the package reads ``catalogue.json``, compiled from it with
``python bench/licenses_build.py --catalogue-only`` (a test fails when the two disagree).

Kept apart from text identification so that policies can ask "what is ``llama3.1``?"
without loading any fingerprint data.
"""

from __future__ import annotations

from functools import lru_cache

from openness_gate import lazyre, package_data
from openness_gate.record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The licence classes, grouped from the most open to the most restrictive. A licence ranks by its most
#: restrictive class (``expression`` chooses among ``OR`` alternatives by it); classes in one group rank alike.
CLASS_RANKS: tuple[tuple[str, ...], ...] = (("osi-approved", "fsf-libre", "open-data", "open-content"), ("copyleft",),
                                           ("restricted-use",), ("no-derivatives",), ("non-commercial",),
                                           ("proprietary",))
CLASSES: tuple[str, ...] = tuple(c for group in CLASS_RANKS for c in group)
MOF_TYPES: frozenset[str] = frozenset({"code", "data", "document"})
#: Hugging Face placeholders: not licences, they point at ``license_name`` / ``license_link``.
PLACEHOLDERS: frozenset[str] = frozenset({"other", "unknown"})


@record
class Licence:
    """One catalogue entry. ``classes`` is what policies judge openness from."""

    id: str
    spdx: str | None
    name: str
    classes: tuple[str, ...]
    url: str | None = None
    mof_types: frozenset[str] = frozenset()
    mof_open: bool = False  # the Model Openness Tool counts it as an open licence
    aliases: tuple[str, ...] = ()
    scancode: str | None = None
    urls: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # an ambiguous family id ("gpl", "cc"): what it may stand for

    @property
    def is_family(self) -> bool:
        return bool(self.members)


_DROP = frozenset({"license", "licence", "the", "version", "licensed", "under"})
_SPLIT = lazyre.compile(r"[\s_,;:()\[\]/\"'`]+|-(?!\d)|(?<=[a-z])-(?=\d)")
_V_NUMBER = lazyre.compile(r"v\d+(?:\.\d+)*\+?")
_NUMBER_END = lazyre.compile(r"-\d+$")


def key(name: str) -> str:
    """Lookup key: case, spacing, hyphens, 'License'/'Version' words and a 'v' before digits do not matter.

    ``key("Apache License, Version 2.0") == key("apache-2.0") == "apache-2.0"``.
    """
    if not name.isascii():  # normalize's module only for a name that needs folding
        from openness_gate.licenses.normalize import nfkc

        name = nfkc(name)
    s = name.strip().lower()
    words = [w for w in _SPLIT.split(s) if w and w not in _DROP]
    words = [w[1:] if _V_NUMBER.fullmatch(w) else w for w in words]
    return "-".join(words)


def _entry(raw: dict[str, Any]) -> Licence:
    def tup(name: str) -> tuple[str, ...]:
        return tuple(str(x) for x in raw.get(name) or ())

    return Licence(id=str(raw["id"]), spdx=raw.get("spdx"), name=str(raw["name"]), classes=tup("classes"),
                   url=raw.get("url"), mof_types=frozenset(tup("mof_types")), mof_open=bool(raw.get("mof_open")),
                   aliases=tup("aliases"), scancode=raw.get("scancode"), urls=tup("urls"), members=tup("members"))


SOURCE = "catalogue.yml"  # edited by people
COMPILED = "catalogue.json"  # what ``load`` reads: the same entries, parsed about 20x faster than the YAML


def compile_source(text: str) -> str:
    """``catalogue.json`` for a ``catalogue.yml`` text: the entries, the Hub's licence ids, and
    the lookup index (``key`` of every name -> id: 800 ``key`` calls were 5 ms of every check)."""
    import json

    from openness_gate.parsers import safe_yaml

    data = safe_yaml.load(text, max_bytes=1 << 20, what=SOURCE)
    index = {k: lic.id for k, lic in _build_index(tuple(_entry(e) for e in data["licenses"])).items()}
    return json.dumps({"generated_from": SOURCE, "licenses": data["licenses"], "hub_ids": data["hub_ids"],
                       "index": index}, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


@lru_cache(maxsize=1)
def _compiled() -> dict[str, Any]:
    import json

    return json.loads(package_data.read_text("openness_gate.licenses", COMPILED))


@lru_cache(maxsize=1)
def load() -> tuple[Licence, ...]:
    """All catalogue entries, in file order. Parsed on first call only."""
    return tuple(_entry(e) for e in _compiled()["licenses"])


def hub_ids() -> tuple[str, ...]:
    """The licence ids a Hugging Face model card's ``license:`` may use (placeholders included)."""
    return tuple(_compiled()["hub_ids"])


def _build_index(entries: tuple[Licence, ...]) -> dict[str, Licence]:
    """``key`` of each entry's id, SPDX id, ScanCode key, aliases and name -> the entry (the first wins)."""
    out: dict[str, Licence] = {}
    for lic in entries:
        for name in (lic.id, lic.spdx, lic.scancode, *lic.aliases):
            if name:
                out.setdefault(key(name), lic)
        out.setdefault(key(lic.name), lic)
    return out


@lru_cache(maxsize=1)
def _index() -> dict[str, Licence]:
    """The lookup index ``compile_source`` stored (``tests/test_licenses.py`` fails while it is stale)."""
    ids = {lic.id: lic for lic in load()}
    return {k: ids[i] for k, i in _compiled()["index"].items()}


def by_id(licence_id: str) -> Licence | None:
    """Exact catalogue id (case-sensitive), as written in findings."""
    return next((lic for lic in load() if lic.id == licence_id), None)


def lookup(name: str) -> Licence | None:
    """Resolve an SPDX id, a Hugging Face id, a ScanCode key or a common spelling; None when unknown."""
    if not isinstance(name, str) or not name.strip() or len(name) > 200:
        return None
    k = key(name)
    if k.startswith("licenseref-scancode-"):
        k = k[len("licenseref-scancode-"):]
    idx = _index()
    hit = idx.get(k)
    if hit is None and _NUMBER_END.search(k):
        hit = idx.get(k + ".0")  # "Apache 2" -> apache-2.0
    return hit

