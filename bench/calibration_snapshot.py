"""Write the compact snapshots CI checks the calibration labels on.

    python bench/calibration_snapshot.py MIRRORS [--out tests/calibration/snapshots]

A snapshot keeps, of one labelled commit, the file list with sizes (and Git LFS marks) and only
the bytes the checker read (a notebook: its code cells only), so that
``tests/test_calibration.py`` rebuilds a tree on which every detector sees what it saw on the
real repository. Only repositories whose root licence lets us redistribute their files (with
attribution, in NOTICE) get one; the others stay in the bench (``real_accuracy.py``).
"""

from __future__ import annotations

import argparse
import gzip
import json
import pathlib
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import real_accuracy  # noqa: E402
from openness_gate import detectors, policy  # noqa: E402
from openness_gate.parsers import notebook  # noqa: E402
from openness_gate.sources import local  # noqa: E402

#: root licences that allow redistributing the files we keep, with attribution
REDISTRIBUTABLE = {"mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause", "isc", "cc-by-4.0", "cc0-1.0", "unlicense",
                   "mpl-2.0"}
#: repositories whose root licence is labelled ``other`` but lets us redistribute what a snapshot
#: holds, and why (tests/test_licence_texts_real.py reads their licence texts from the snapshot)
REDISTRIBUTABLE_REPOS = {
    "rasbt/LLMs-from-scratch": "the Apache-2.0 text with 'Source' narrowed to exclude the author's books and "
                               "their images, neither of which a snapshot holds",
}
OUT = HERE.parent / "tests" / "calibration" / "snapshots"


def snapshot(tree: pathlib.Path) -> dict:
    inv = local.load(str(tree))
    detectors.run(inv, policy.repo_config(inv))
    texts: dict[str, str] = {}
    for path, head in inv.read_extent().items():  # read again here: not every read keeps its bytes
        with open(tree / path, "rb") as fh:
            data = fh.read() if head is None else fh.read(head + 1)  # a head read is cap + 1 bytes, as the reader's
        if path.endswith(".ipynb"):
            cells = notebook.code_cells(data.decode("utf-8", "replace"))
            data = json.dumps({"cells": [{"cell_type": "code", "source": cells, "metadata": {}, "outputs": []}],
                               "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()
        texts[path] = data.decode("utf-8", "surrogateescape")
    for f in inv.lfs_pointers():  # pointers are read by the LFS pass, outside the text cache
        texts.setdefault(f.path, (tree / f.path).read_bytes()[:1024].decode("utf-8", "replace"))
    for f in inv.files:
        if f.path.endswith(".gitattributes"):
            texts.setdefault(f.path, (tree / f.path).read_text("utf-8", "replace")[:256 * 1024])
    sizes = {f.path: (tree / f.path).stat().st_size for f in inv.files}
    return {"files": [[p, sizes[p]] for p in sorted(sizes)], "texts": texts}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirrors", type=pathlib.Path)
    ap.add_argument("--out", type=pathlib.Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    work = pathlib.Path(tempfile.mkdtemp(prefix="og-snap-"))
    kept = 0
    for doc in real_accuracy.load_labels(real_accuracy.LABELS):
        lic = str(doc["fields"].get("license") or "").lower()
        name = doc["repo"].replace("/", "__")
        if lic not in REDISTRIBUTABLE and doc["repo"] not in REDISTRIBUTABLE_REPOS:
            print(f"skip {doc['repo']}: root licence {lic or 'none'} does not let us redistribute its files")
            continue
        tree, _absent, problem = real_accuracy.export(args.mirrors, doc["repo"], doc["commit"], work / name)
        if tree is None:
            print(f"skip {doc['repo']}: {problem}")
            continue
        snap = {"repo": doc["repo"], "commit": doc["commit"], "license": doc["fields"]["license"], **snapshot(tree)}
        try:
            data = json.dumps(snap, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 (kept as surrogates): \udcXX escapes round-trip
            print(f"{doc['repo']}: a text read is not UTF-8; its bytes are kept as \\udcXX escapes")
            data = json.dumps(snap, separators=(",", ":"), ensure_ascii=True).encode("ascii")
        # mtime=0: a snapshot whose content did not change is the same file, byte for byte
        (args.out / f"{name}.json.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        kept += 1
    print(f"{kept} snapshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
