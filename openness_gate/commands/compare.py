"""`openness-gate compare TARGET… [--targets FILE]`: many models side by side under one policy."""

from __future__ import annotations

import argparse
import json
import sys

from openness_gate.commands import TARGETS, positive_int
from openness_gate.errors import EXIT_FAIL, EXIT_PASS, UsageError
from openness_gate.report.matrix import FORMATS


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("compare", help="compare many models side by side (an openness index)",
                       description=f"Check every target (a folder, {TARGETS}) "
                                   "under one policy and lay them out as a matrix: one row per model, one cell per "
                                   "component, the licence and its class, the MOF class, the OSAID verdict and the "
                                   "score, ranked by score. Exit 0 when every target was checked, 1 when some could "
                                   "not be (their rows say why), 2 on usage errors.")
    p.add_argument("targets", nargs="*", metavar="TARGET")
    p.add_argument("--targets", dest="targets_file", metavar="FILE", help="more targets, one per line (# comments)")
    p.add_argument("--policy", default="ai-stack", metavar="NAME|FILE",
                   help="the one policy every model is judged by (default: ai-stack; e.g. mof, osaid-1.0)")
    p.add_argument("--format", default="markdown", choices=FORMATS, help="output format (default: markdown)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--baseline", metavar="OLD.json", help="an earlier `compare --format json`: also show what changed")
    p.add_argument("--cache", metavar="FILE",
                   help="reuse the rows of github: and hf: targets whose commit and policy did not change "
                        "(as `org scan --cache`); folders are always checked")
    p.add_argument("--concurrency", type=positive_int, default=4, metavar="N", help="targets checked at once (4)")
    return p


def _baseline(path: str):  # type: ignore[no-untyped-def]
    from openness_gate.matrix import Matrix

    try:
        with open(path, encoding="utf-8") as fh:
            return Matrix.from_dict(json.load(fh))
    except OSError as exc:
        raise UsageError(f"--baseline {path}: cannot read: {exc.strerror or exc}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"--baseline {path}: not a `compare --format json` output ({exc})") from None


def run(args: argparse.Namespace) -> int:
    from openness_gate import matrix
    from openness_gate.commands import write_output
    from openness_gate.report import matrix as render

    targets = list(args.targets) + (matrix.read_targets(args.targets_file) if args.targets_file else [])
    if not targets:
        raise UsageError("compare: no targets (give TARGET… or --targets FILE)")
    if len(set(targets)) != len(targets):
        dup = next(t for t in targets if targets.count(t) > 1)
        raise UsageError(f"compare: {dup} is given twice")
    old = _baseline(args.baseline) if args.baseline else None
    progress = None
    if sys.stderr.isatty():
        def progress(done: int, total: int, row: matrix.Row) -> None:
            print(f"[{done}/{total}] {render.text_line(row)}", file=sys.stderr, flush=True)
    cache = matrix.RowCache(args.cache) if args.cache else None
    result = matrix.compare(targets, args.policy, concurrency=args.concurrency, progress=progress, cache=cache)
    changes = matrix.diff(old, result) if old is not None else None
    write_output(render.render(result, args.format, changes), args.output)
    if cache is not None:  # after the report: a cache path that cannot be written loses no report
        cache.save()
    return EXIT_FAIL if any(r.error for r in result.rows) else EXIT_PASS
