"""`openness-gate license identify PATH…`: name the licences in licence files.

A folder stands for its licence files (LICENSE*, COPYING*, MODEL_LICENSE…, LICENSES/*).
Prints one block per file (text) or a JSON list of ``{"path", "licenses": [...]}``; exit 0,
or 2 when a path does not exist.
"""

from __future__ import annotations

import argparse
import json
import os
from typing import Any

from openness_gate.errors import EXIT_PASS, UsageError

MAX_BYTES = 1 << 20


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("license", help="identify licence texts",
                       description="Licence tools. 'identify' names the licences in files, with classes and confidence.")
    lsub = p.add_subparsers(dest="license_command", metavar="SUBCOMMAND")
    ident = lsub.add_parser("identify", help="name the licences in licence files",
                            description="Identify the licences in each FILE (a folder: its licence files).")
    ident.add_argument("paths", nargs="+", metavar="PATH", help="licence file or folder")
    ident.add_argument("--format", default="text", choices=("text", "json"), help="output format (default: text)")
    ident.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    return p


def _files(path: str) -> list[str]:
    from openness_gate.detectors.license import _is_candidate

    if os.path.isdir(path):
        names = sorted(os.listdir(path))
        found = [os.path.join(path, n) for n in names if _is_candidate(n) and os.path.isfile(os.path.join(path, n))]
        reuse = os.path.join(path, "LICENSES")
        if os.path.isdir(reuse):
            found += [os.path.join(reuse, n) for n in sorted(os.listdir(reuse)) if os.path.isfile(os.path.join(reuse, n))]
        return found
    if os.path.isfile(path):
        return [path]
    raise UsageError(f"{path}: no such file or folder")


def _identify_file(path: str) -> dict[str, Any]:
    from openness_gate.inventory import decode_text
    from openness_gate.licenses import identify

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES)
    except OSError as exc:
        return {"path": path, "licenses": [], "error": f"cannot read: {exc.strerror or exc}"}
    text, note = decode_text(data)
    if text is None:
        return {"path": path, "licenses": [], "error": note}
    out = []
    for m in identify(text):
        out.append({"id": m.licence.id, "spdx": m.licence.spdx, "name": m.licence.name,
                    "classes": list(m.licence.classes), "confidence": m.confidence, "line": m.line,
                    "end_line": m.end_line, "method": m.method, "note": m.note})
    return {"path": path, "licenses": out}


def _text(results: list[dict[str, Any]]) -> str:
    lines = []
    for r in results:
        lines.append(r["path"])
        if "error" in r:
            lines.append(f"  error: {r['error']}")
        for lic in r["licenses"]:
            where = f" (line {lic['line']})" if lic["line"] else ""
            classes = ", ".join(lic["classes"]) or "no class"
            if lic["id"] == "unknown":
                lines.append(f"  unknown{where}: {lic['name']!r} — {lic['note']}")
            else:
                lines.append(f"  {lic['id']}{where}  confidence {lic['confidence']:.2f}  [{classes}]  {lic['note']}")
        if not r["licenses"] and "error" not in r:
            lines.append("  no licence found")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from openness_gate.commands import write_output

    if getattr(args, "license_command", None) != "identify":
        raise UsageError("missing subcommand: try 'openness-gate license identify PATH…'")
    files: list[str] = []
    for path in args.paths:
        found = _files(path)
        if not found:
            raise UsageError(f"{path}: no licence files in this folder (LICENSE*, COPYING*, LICENSES/…)")
        files.extend(found)
    results = [_identify_file(f) for f in files]
    text = json.dumps(results, indent=2) + "\n" if args.format == "json" else _text(results)
    write_output(text, args.output)
    return EXIT_PASS
