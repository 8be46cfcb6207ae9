"""`openness-gate mot evaluate FILE.yml…` and `openness-gate mot export [PATH]`: Model Openness Tool interop.

``evaluate`` classifies MOT model descriptions exactly as the Model Openness Tool does (class 0-3
and progress per class). ``export`` writes a MOT model description from a repository's findings,
so a project can submit itself to the tool; evaluating the export gives the class that
``check --policy mof`` reports.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from openness_gate.commands import TARGET_HELP
from openness_gate.errors import EXIT_PASS, UsageError


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("mot", help="Model Openness Tool interop: evaluate MOT model files, export a repository",
                       description="Classify Model Openness Tool (MOT) model descriptions exactly as MOT does, or "
                                   "export a repository's findings as a MOT model description.")
    actions = p.add_subparsers(dest="mot_action", metavar="ACTION")
    ev = actions.add_parser("evaluate", help="classify MOT model YAML files (class 0-3, progress per class)")
    ev.add_argument("files", nargs="+", metavar="FILE.yml")
    ev.add_argument("--format", choices=("json", "text"), default="text", help="output format (default: text)")
    ex = actions.add_parser("export", help="write a MOT model YAML from a repository's findings")
    ex.add_argument("path", nargs="?", default=".", metavar="PATH",
                    help=TARGET_HELP)
    ex.add_argument("--name", help="model name (default: the folder name, or NAME of OWNER/NAME)")
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    return p


def read_description(path: str) -> dict:
    """One MOT model description, parsed and validated; UsageError/ConfigError names file, line and key."""
    from openness_gate.policy import validate

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read(validate.safe_yaml.MAX_BYTES + 1)
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a folder, expected a MOT model .yml file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    data = validate.load_yaml(text, path)
    if not isinstance(data, dict):
        raise UsageError(f"{path}:1: expected a MOT model description (framework + release), "
                         f"got {type(data).__name__}")
    data = validate.plain(data)
    validate.check(data, "mot.schema.json", text, path, package="openness_gate.policy")
    return data


def _evaluate(args: argparse.Namespace) -> int:
    from openness_gate.policy import mot

    results = []
    for path in args.files:
        c = mot.evaluate_description(read_description(path))
        results.append({"file": path, "class": c.cls, "label": c.label,
                        "progress": {str(k): c.progress[k] for k in (1, 2, 3)},
                        "components": c.status, "warnings": list(c.warnings)})
    if args.format == "json":
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            prog = ", ".join(f"Class {'I' * int(k) if k != '3' else 'III'} {r['progress'][k]:.1f}%"
                             for k in ("3", "2", "1"))
            print(f"{r['file']}: {r['label']} ({prog})")
            for w in r["warnings"]:
                print(f"  warning: {w}")
    return EXIT_PASS


def _default_name(target: Any) -> str:
    """The model's name when none is given: the folder's, or NAME of a remote OWNER/NAME (no @REV)."""
    return target.name or "model"


def _export(args: argparse.Namespace) -> int:
    import yaml

    from openness_gate import detectors
    from openness_gate.commands import write_output
    from openness_gate.policy import licences, mof, repo_config
    from openness_gate.sources import open_target

    inventory = open_target(args.path)
    config = repo_config(inventory)
    findings = detectors.run(inventory, config)
    entries = mof.inventory(findings, config)
    by_id = {f.component: f for f in findings}
    repo = mof.repo_licenses(by_id)
    name = args.name or _default_name(inventory.target)
    doc = mof.to_description(entries, name, mof.pick_license(repo, "code"))
    c = mof.classify(entries)
    note = licences.expression_note(by_id.get("distribution.license"))
    head = (f"# Model Openness Tool model description, written by openness-gate from {args.path}.\n"
            f"# Computed here: {c.label}; progress Class III {c.progress[3]:.1f}%, Class II {c.progress[2]:.1f}%, "
            f"Class I {c.progress[1]:.1f}%.\n"
            + (f"# Licences below are those that bind: {note}.\n" if note else "")
            + "# Review producer, version, date and licences before submitting.\n")
    write_output(head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), args.output)
    return EXIT_PASS


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "mot_action", None)
    if action == "evaluate":
        return _evaluate(args)
    if action == "export":
        return _export(args)
    raise UsageError("mot: expected an action: 'mot evaluate FILE.yml…' or 'mot export [PATH]'")
