"""Build openness_gate/licenses/catalogue.json, fingerprints.json, fingerprints.index and fingerprints.whole.json.

Usage: python bench/licenses_build.py [--texts ../shared/data/licenses/texts] [--vendor-texts bench/licence_texts] [--catalogue-only]

First compiles catalogue.yml (edited by people) into catalogue.json (what the package reads).

Reads ScanCode LicenseDB texts (YAML front matter + text; ScanCode data is CC-BY-4.0,
nexB Inc. and others), maps each ScanCode key to our catalogue id through the catalogue's
``scancode`` field, and writes only hashed 5-token shingles and the restriction markers each
text contains — never the texts themselves.

``--vendor-texts DIR`` (default ``bench/licence_texts``) adds licences the LicenseDB lacks, from their
stewards' own repositories: plain files named ``<catalogue id>.txt``; ``SOURCES.md`` there and a
comment in each catalogue entry say where each came from.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openness_gate.licenses import catalogue, fingerprints, matcher, normalize  # noqa: E402


def read_reference(path: pathlib.Path) -> tuple[str, str]:
    """(scancode key, licence text) of one ScanCode .LICENSE file."""
    raw = path.read_text(encoding="utf-8")
    _, front, text = raw.split("---\n", 2) if raw.startswith("---\n") else ("", "", raw)
    key = next((ln.split(":", 1)[1].strip() for ln in front.splitlines() if ln.startswith("key:")), path.stem)
    return key, text


def whole_json(licenses: dict[str, dict]) -> str:
    """The text of ``fingerprints.WHOLE_FILE`` for ``licenses`` (``fingerprints.json``'s)."""
    return json.dumps({"format": 1, "note": f"whole-text hash -> licence id, from {fingerprints.FILE}; built by "
                                            "bench/licenses_build.py",
                       "whole": fingerprints.whole_pairs(licenses)}, indent=0) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", default=str(ROOT.parent / "shared" / "data" / "licenses" / "texts"))
    ap.add_argument("--out", default=str(ROOT / "openness_gate" / "licenses" / fingerprints.FILE))
    ap.add_argument("--vendor-texts", default=str(ROOT / "bench" / "licence_texts"),
                    help="folder of <catalogue id>.txt licence texts from the stewards' repositories")
    ap.add_argument("--catalogue-only", action="store_true", help="only compile catalogue.yml to catalogue.json")
    args = ap.parse_args()
    here = ROOT / "openness_gate" / "licenses"
    compiled = catalogue.compile_source((here / catalogue.SOURCE).read_text(encoding="utf-8"))
    (here / catalogue.COMPILED).write_text(compiled, encoding="utf-8")
    catalogue._compiled.cache_clear()
    catalogue.load.cache_clear()
    catalogue._index.cache_clear()
    print(f"{catalogue.COMPILED}: {len(catalogue.load())} licences from {catalogue.SOURCE}")
    if args.catalogue_only:
        return 0
    by_scancode = {lic.scancode: lic for lic in catalogue.load() if lic.scancode}
    items: dict[str, tuple[list[int], int, list[str]]] = {}
    for path in sorted(pathlib.Path(args.texts).glob("*.LICENSE")):
        key, text = read_reference(path)
        lic = by_scancode.get(key)
        if lic is None:
            print(f"skip {path.name}: no catalogue entry with scancode: {key}", file=sys.stderr)
            continue
        toks = normalize.tokens(text)
        hashes = sorted(set(normalize.shingle_hashes(toks)))
        items[lic.id] = (hashes, len(toks), sorted(matcher.markers(" ".join(toks))), normalize.text_hash(toks))
    known = {lic.id for lic in catalogue.load()}
    for path in sorted(pathlib.Path(args.vendor_texts).glob("*.txt")):
        lid = path.name[:-len(".txt")]
        if lid not in known or lid in items:
            print(f"skip {path.name}: {'no catalogue entry' if lid not in known else 'the LicenseDB has it'} {lid}",
                  file=sys.stderr)
            continue
        toks = normalize.tokens(path.read_text(encoding="utf-8"))
        items[lid] = (sorted(set(normalize.shingle_hashes(toks))), len(toks),
                      sorted(matcher.markers(" ".join(toks))), normalize.text_hash(toks))
    ids = sorted(items)
    holders: dict[int, list[int]] = {}
    for n, lid in enumerate(ids):
        for h in items[lid][0]:
            holders.setdefault(h, []).append(n)
    keys = sorted(holders)
    offsets, postings = [0], []
    for h in keys:
        postings += holders[h]
        offsets.append(len(postings))
    out = {
        "format": 6,
        "k": normalize.K,
        "note": "Facts of the licences whose CRC-32 hashes of 5-token shingles of normalised reference texts "
                "from the ScanCode LicenseDB (CC-BY-4.0, nexB Inc. and others) and the stewards' texts in "
                f"bench/licence_texts are in {fingerprints.INDEX_FILE} (each licence's hashes, in this order, "
                "and every hash with the licences, by position, that hold it); built by bench/licenses_build.py",
        "licenses": {lid: {"tokens": n, "markers": m, "whole": whole}
                     for lid, (_, n, m, whole) in ((lid, items[lid]) for lid in ids)},
    }
    pathlib.Path(args.out).write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    pathlib.Path(args.out).with_name(fingerprints.INDEX_FILE).write_bytes(
        fingerprints.pack_index(keys, offsets, postings, [items[lid][0] for lid in ids]))
    pathlib.Path(args.out).with_name(fingerprints.WHOLE_FILE).write_text(whole_json(out["licenses"]), encoding="utf-8")
    print(f"{len(items)} licences, {sum(len(h) for h, _, _, _ in items.values())} shingles -> {args.out} "
          f"({pathlib.Path(args.out).stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
