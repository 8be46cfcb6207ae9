"""`openness-gate badge [PATH] --output FILE`: write the README badge for a repository.

``FILE`` ending in ``.json`` gets a shields.io endpoint document, anything else an SVG;
``--output`` may be given several times. The exit code follows the policy, as for
``check``, so a workflow can publish the badge and still gate on the verdict.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from openness_gate.commands import TARGET_HELP
from openness_gate.errors import EXIT_FAIL, EXIT_PASS

if TYPE_CHECKING:
    from openness_gate.result import Result


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("badge", help="write the README badge (SVG, or shields.io endpoint JSON)",
                       description="Check a repository and write its badge: FILE.svg gets an SVG badge, "
                                   "FILE.json a shields.io endpoint document. Exit 0 when the policy passes, "
                                   "1 when it fails, 2 on usage/config errors.")
    p.add_argument("path", nargs="?", default=".", metavar="PATH", help=TARGET_HELP)
    p.add_argument("--policy", metavar="NAME|FILE", help="built-in policy name or policy file")
    p.add_argument("--output", "-o", metavar="FILE", action="append", required=True,
                   help="badge file to write: *.svg or *.json (repeatable; '-' prints the SVG)")
    return p


def check_badge_paths(paths: list[str]) -> None:
    """Fail before the (possibly long) check when a badge could not be written anyway."""
    import os

    from openness_gate.errors import UsageError

    for path in paths:
        if path == "-":
            continue
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            raise UsageError(f"badge {path}: directory {directory} does not exist")


def write_badges(result: Result, paths: list[str]) -> None:
    """Write one badge per path, its kind chosen by the file extension."""
    from openness_gate.commands import write_output
    from openness_gate.report import badge

    for path in paths:
        write_output(badge.render_for_path(result, path), path)


def run(args: argparse.Namespace) -> int:
    from openness_gate.checker import check

    check_badge_paths(args.output)
    result = check(args.path, args.policy)
    write_badges(result, args.output)
    return EXIT_PASS if result.policy.passed else EXIT_FAIL
