"""Agreement of the checker with hand labels on real repositories.

    python bench/real_accuracy.py MIRRORS [--labels DIR] [--only OWNER/NAME] [--json OUT] [--keep DIR]

MIRRORS is a folder of repository snapshots: bare git directories as the project's fetch tool
lays them out (``MIRRORS/OWNER+NAME/repo``), or plain trees (``MIRRORS/OWNER__NAME``). Each
labelled commit is exported (``git archive``; blobs a snapshot lacks become empty files and are
counted) and checked; the calibration fields are read off the findings
(``bench/calibration_fields.py``) and compared with the labels
(``tests/calibration/labels/*.yml``, written from the files before the checker was run).

Prints per-field agreement, precision and recall, with and without the fields a label marks
borderline, then every disagreement with the evidence on both sides.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

import yaml

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import calibration_fields as cf  # noqa: E402
from openness_gate import detectors, policy  # noqa: E402
from openness_gate.sources import local  # noqa: E402

LABELS = ROOT / "tests" / "calibration" / "labels"
ABSENT_BLOB_SIZE = 4 << 20  # snapshots lack exactly the files of 4 MiB and more


def load_labels(folder: pathlib.Path, only: str | None = None) -> list[dict]:
    out = []
    for path in sorted(folder.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if only and doc["repo"] != only:
            continue
        doc["_file"] = path.name
        out.append(doc)
    return out


def _git(git_dir: pathlib.Path, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["git", f"--git-dir={git_dir}", *args], capture_output=True, **kw)


def export(mirrors: pathlib.Path, repo: str, commit: str, dest: pathlib.Path) -> tuple[pathlib.Path | None, int, str]:
    """(tree, blobs absent from the snapshot, problem). A plain tree is used as it is."""
    owner, name = repo.split("/")
    plain = mirrors / f"{owner}__{name}"
    if plain.is_dir() and not (plain / "HEAD").is_file():
        return plain, 0, ""
    git_dir = next((p for p in (mirrors / f"{owner}+{name}" / "repo", mirrors / f"{owner}+{name}") if (p / "HEAD").is_file()), None)
    if git_dir is None:
        return None, 0, f"no mirror of {repo} in {mirrors}"
    if _git(git_dir, "cat-file", "-e", f"{commit}^{{commit}}").returncode:
        return None, 0, f"commit {commit[:12]} not in the mirror of {repo}"
    dest.mkdir(parents=True, exist_ok=True)
    archive = _git(git_dir, "archive", "--format=tar", commit)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
        return dest, 0, ""
    return _export_by_blob(git_dir, commit, dest)


def _export_by_blob(git_dir: pathlib.Path, commit: str, dest: pathlib.Path) -> tuple[pathlib.Path, int, str]:
    """git archive stops at the first blob a snapshot lacks (files of 4 MiB and more): write the
    others, and for each absent one a sparse file of 4 MiB of zeros, the least it can weigh (its
    name and size still count, e.g. weights; zeros read as binary, so no content is invented)."""
    listing = _git(git_dir, "ls-tree", "-r", "-z", commit, check=True).stdout.decode("utf-8", "surrogateescape")
    entries = []
    for item in filter(None, listing.split("\0")):
        meta, path = item.split("\t", 1)
        mode, kind, oid = meta.split()
        if kind == "blob":
            entries.append((mode, oid, path))
    batch = subprocess.run(["git", f"--git-dir={git_dir}", "cat-file", "--batch"],
                           input="".join(f"{oid}\n" for _, oid, _ in entries).encode(), capture_output=True).stdout
    absent, pos = 0, 0
    for mode, oid, path in entries:
        header_end = batch.index(b"\n", pos)
        header = batch[pos:header_end].split()
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if header[-1] == b"missing":
            absent += 1
            with open(target, "wb") as fh:
                fh.truncate(ABSENT_BLOB_SIZE)
            pos = header_end + 1
            continue
        size = int(header[2])
        data = batch[header_end + 1:header_end + 1 + size]
        pos = header_end + 1 + size + 1
        if mode == "120000":
            continue  # symlinks: skipped, as a checkout on a careful machine would not follow them out
        target.write_bytes(data)
    return dest, absent, ""


def evaluate(tree: pathlib.Path) -> tuple[dict, dict, float]:
    started = time.perf_counter()
    inv = local.load(str(tree))
    findings = {f.component: f for f in detectors.run(inv, policy.repo_config(inv))}
    seconds = time.perf_counter() - started
    return cf.observed(findings, [f.path for f in inv.files]), findings, seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mirrors", type=pathlib.Path)
    ap.add_argument("--labels", type=pathlib.Path, default=LABELS)
    ap.add_argument("--only")
    ap.add_argument("--json", type=pathlib.Path, help="also write the per-repository comparison here")
    ap.add_argument("--keep", type=pathlib.Path, help="export into this folder and keep it (default: a temporary one)")
    args = ap.parse_args(argv)
    if not args.mirrors.is_dir():
        print(f"real_accuracy: {args.mirrors}: no mirror folder; nothing measured (fetch the calibration "
              "repositories first, see ../shared/calibration/)", file=sys.stderr)
        return 0
    labels = load_labels(args.labels, args.only)
    if not labels:
        print(f"real_accuracy: no labels in {args.labels}", file=sys.stderr)
        return 2
    work = args.keep or pathlib.Path(tempfile.mkdtemp(prefix="og-real-"))
    rows, skipped = [], []
    for doc in labels:
        tree, absent, problem = export(args.mirrors, doc["repo"], doc["commit"], work / doc["repo"].replace("/", "__"))
        if tree is None:
            skipped.append((doc["repo"], problem))
            continue
        seen, findings, seconds = evaluate(tree)
        rows.append({"repo": doc["repo"], "commit": doc["commit"], "small": bool(doc.get("small")),
                     "absent_blobs": absent, "seconds": round(seconds, 3), "label": doc["fields"], "seen": seen,
                     "borderline": list(doc.get("borderline") or []),
                     "why": {f: cf.status_lines(findings, f) for f in cf.FIELDS},
                     "licence_status": findings["distribution.license"].status,
                     "evidence": doc.get("evidence") or {}, "notes": doc.get("notes") or {}})
        if not args.keep and tree.is_relative_to(work):
            subprocess.run(["rm", "-rf", str(tree)], check=False)
    report(rows, skipped)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, default=str))
    return 0


def _stats(rows: list[dict], field: str, with_borderline: bool) -> tuple[int, int, int, int, int]:
    n = agree = tp = fp = fn = 0
    for r in rows:
        if not with_borderline and field in r["borderline"]:
            continue
        label, seen = r["label"].get(field), r["seen"].get(field)
        n += 1
        ok = cf.agrees(field, label, seen)
        agree += ok
        lp, sp = cf.positive(field, label), cf.positive(field, seen)
        tp += lp and sp and ok
        fp += sp and not ok
        fn += lp and not ok and not sp
    return n, agree, tp, fp, fn


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}" if b else "  -  "


def report(rows: list[dict], skipped: list[tuple[str, str]]) -> None:
    print(f"{len(rows)} labelled repositories checked ({sum(r['small'] for r in rows)} small/personal)"
          + (f", {len(skipped)} skipped" if skipped else ""))
    for repo, why in skipped:
        print(f"  skipped {repo}: {why}")
    print(f"\n{'field':<16} {'n':>3} {'agree%':>7} {'prec':>6} {'recall':>6} | {'n':>3} {'agree%':>7} {'prec':>6} {'recall':>6}")
    print(f"{'':<16} {'all fields':^26} | {'borderline excluded':^26}")
    totals = {True: [0, 0], False: [0, 0]}
    for field in cf.FIELDS:
        cells = []
        for wb in (True, False):
            n, agree, tp, fp, fn = _stats(rows, field, wb)
            totals[wb][0] += n
            totals[wb][1] += agree
            cells.append(f"{n:>3} {_pct(agree, n):>7} {_pct(tp, tp + fp):>6} {_pct(tp, tp + fn):>6}")
        print(f"{field:<16} {cells[0]} | {cells[1]}")
    print(f"{'overall':<16} {totals[True][0]:>3} {_pct(totals[True][1], totals[True][0]):>7} {'':>13} | "
          f"{totals[False][0]:>3} {_pct(totals[False][1], totals[False][0]):>7}")
    print("\nDisagreements (label | checker):")
    for r in rows:
        for field in cf.FIELDS:
            label, seen = r["label"].get(field), r["seen"].get(field)
            if cf.agrees(field, label, seen):
                continue
            flag = " (borderline)" if field in r["borderline"] else ""
            ev = r["evidence"].get(field) or r["notes"].get(field) or ""
            print(f"- {r['repo']} {field}{flag}: label={label!r} checker={seen!r}")
            if ev:
                print(f"    label: {ev}")
            for line in r["why"][field]:
                print(f"    checker: {line[:300]}")
    licence_files(rows)
    licence_without_root_file(rows)
    slow = sorted(rows, key=lambda r: -r["seconds"])[:5]
    print("\nslowest (detectors+inventory): " + ", ".join(f"{r['repo']} {r['seconds']:.2f}s" for r in slow))


def licence_files(rows: list[dict]) -> None:
    """Every licence file a label names, identified file by file: the real licence texts of the corpus."""
    total, wrong = 0, []
    for r in rows:
        seen = r["seen"].get("license_files") or {}
        for path, label in sorted((r["label"].get("license_files") or {}).items()):
            total += 1
            got = seen.get(path, "not read")
            if not cf.agrees("license", label, got):
                wrong.append(f"- {r['repo']} {path}: label={label!r} checker={got!r}")
    print(f"\nLicence files named by the labels: {total - len(wrong)}/{total} identified as labelled")
    print("\n".join(wrong))


def licence_without_root_file(rows: list[dict]) -> None:
    """Repositories labelled with no root licence file that the checker calls licensed: the ``license``
    field agrees (both null), so the score cannot see whether the licence it reports is the project's
    (a README notice, a declared licence) or a nested or vendored one taken for it (Yasindu-Liyanage's
    Coqui TTS copies, 2026-12-04). Listed for review, with what the checker based it on."""
    hits = [r for r in rows if r["label"].get("license") is None and r.get("licence_status") not in (None, "missing")]
    print(f"\nLicensed without a root licence file (review the source): {len(hits)}")
    for r in hits:
        print(f"- {r['repo']}: " + " | ".join(line[:200] for line in r["why"]["license"]))


if __name__ == "__main__":
    sys.exit(main())
