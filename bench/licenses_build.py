"""Build openness_gate/licenses/catalogue.json and fingerprints.json.

Usage: python bench/licenses_build.py [--texts ../shared/data/licenses/texts] [--vendor-texts DIR] [--catalogue-only]

First compiles catalogue.yml (edited by people) into catalogue.json (what the package reads).

Reads ScanCode LicenseDB texts (YAML front matter + text; ScanCode data is CC-BY-4.0,
nexB Inc. and others), maps each ScanCode key to our catalogue id through the catalogue's
``scancode`` field, and writes only hashed 5-token shingles and the restriction markers each
text contains — never the texts themselves.

``--vendor-texts DIR`` adds licences the LicenseDB lacks, from their stewards' own repositories:
plain files named ``<catalogue id>.txt`` (the catalogue entry says where each came from, in a
comment). Without DIR, the fingerprints of those licences are kept from the current
fingerprints.json, so a rebuild from ../shared alone never drops them.
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", default=str(ROOT.parent / "shared" / "data" / "licenses" / "texts"))
    ap.add_argument("--out", default=str(ROOT / "openness_gate" / "licenses" / fingerprints.FILE))
    ap.add_argument("--vendor-texts", help="folder of <catalogue id>.txt licence texts from the vendors' repositories")
    ap.add_argument("--catalogue-only", action="store_true", help="only compile catalogue.yml to catalogue.json")
    args = ap.parse_args()
    here = ROOT / "openness_gate" / "licenses"
    compiled = catalogue.compile_source((here / catalogue.SOURCE).read_text(encoding="utf-8"))
    (here / catalogue.COMPILED).write_text(compiled, encoding="utf-8")
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
    if args.vendor_texts:
        known = {lic.id for lic in catalogue.load()}
        for path in sorted(pathlib.Path(args.vendor_texts).glob("*.txt")):
            lid = path.name[:-len(".txt")]
            if lid not in known:
                print(f"skip {path.name}: no catalogue entry {lid}", file=sys.stderr)
                continue
            toks = normalize.tokens(path.read_text(encoding="utf-8"))
            items[lid] = (sorted(set(normalize.shingle_hashes(toks))), len(toks),
                          sorted(matcher.markers(" ".join(toks))), normalize.text_hash(toks))
    else:
        items.update(_kept_vendor_entries(pathlib.Path(args.out), set(items)))
    table = sorted({h for hashes, _, _, _ in items.values() for h in hashes})
    pos = {h: i for i, h in enumerate(table)}
    out = {
        "format": 1,
        "k": normalize.K,
        "note": "CRC-32 hashes of 5-token shingles of normalised reference texts from the ScanCode LicenseDB "
                "(CC-BY-4.0, nexB Inc. and others); built by bench/licenses_build.py",
        "table": fingerprints.pack(table, "I"),
        "index_type": "H" if len(table) < 65536 else "I",
        "licenses": {lid: {"tokens": n, "markers": m, "whole": whole,
                           "shingles": fingerprints.pack(sorted(pos[h] for h in hashes),
                                                         "H" if len(table) < 65536 else "I")}
                     for lid, (hashes, n, m, whole) in sorted(items.items())},
    }
    pathlib.Path(args.out).write_text(json.dumps(out, indent=0) + "\n", encoding="utf-8")
    print(f"{len(items)} licences, {len(table)} distinct shingles -> {args.out} "
          f"({pathlib.Path(args.out).stat().st_size // 1024} KiB)")
    return 0


def _kept_vendor_entries(out: pathlib.Path, built: set[str]) -> dict[str, tuple[list[int], int, list[str], str]]:
    """Entries of the current fingerprints.json that no LicenseDB text produced (vendor texts)."""
    if not out.is_file():
        return {}
    old = json.loads(out.read_text(encoding="utf-8"))
    table = fingerprints.unpack(old["table"], "I")
    kept = {}
    for lid, entry in old.get("licenses", {}).items():
        if lid in built:
            continue
        hashes = sorted(table[i] for i in fingerprints.unpack(entry["shingles"], old["index_type"]))
        kept[lid] = (hashes, entry["tokens"], entry["markers"], entry["whole"])
    return kept


if __name__ == "__main__":
    sys.exit(main())
