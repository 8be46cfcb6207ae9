"""`openness-gate history PATH [--tags GLOB | --revs A..B] [--max N]`: one model across its releases."""

from __future__ import annotations

import argparse

from openness_gate.commands import positive_int
from openness_gate.errors import EXIT_PASS, UsageError
from openness_gate.report.history import FORMATS


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("history", help="the verdict at each release tag (or commit) of a repository",
                       description="Check a git repository as it was at each release tag (default: every tag) or "
                                   "each commit of a range, from git objects without a checkout, and show score, "
                                   "level, licence and the components gained or lost per release. Exit 0, or 2 on "
                                   "usage errors (not a git repository, nothing matched).")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help="a folder in a git work tree (default: .)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--tags", default="*", metavar="GLOB", help="release tags matching GLOB (default: every tag)")
    which.add_argument("--revs", metavar="A..B", help="every commit of the range instead (first parents)")
    p.add_argument("--max", type=positive_int, metavar="N", help="only the last N releases")
    p.add_argument("--policy", default="ai-stack", metavar="NAME|FILE", help="policy (default: ai-stack)")
    p.add_argument("--format", default="text", choices=FORMATS, help="output format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")
    return p


def run(args: argparse.Namespace) -> int:
    from openness_gate import history
    from openness_gate.commands import write_output
    from openness_gate.report import history as render

    revisions = history.commits(args.path, args.revs) if args.revs else history.tagged(args.path, args.tags)
    if not revisions:
        what = f"commits in {args.revs}" if args.revs else f"tags matching {args.tags!r}"
        raise UsageError(f"history: {args.path}: no {what}")
    if args.max:
        revisions = revisions[-args.max:]
    result = history.history(args.path, revisions, args.policy)
    write_output(render.render(result, args.format), args.output)
    return EXIT_PASS
