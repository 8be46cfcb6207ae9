"""`openness-gate check [PATH]`: inventory, detectors, policy, report; exit 0 pass / 1 fail."""

from __future__ import annotations

from openness_gate.commands import TARGET_HELP
from openness_gate.errors import EXIT_FAIL, EXIT_PASS
from openness_gate.inventory import DEFAULT_TEXT_CAP
from openness_gate.report import FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any


def _invalid(message: str) -> Exception:
    """argparse's error for an option value it cannot convert (argparse is imported only here:
    a plain command line is read without it, and a bad value goes on to argparse for its message)."""
    import argparse

    return argparse.ArgumentTypeError(message)


def _size(value: str) -> int:
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    v = value.strip().lower().removesuffix("ib").removesuffix("b")
    mult = units.get(v[-1:], 1)
    try:
        n = int(v[:-1] if v[-1:] in units else v) * mult
    except ValueError:
        raise _invalid(f"not a size: {value!r} (e.g. 1048576, 512K, 4M)") from None
    if n <= 0:
        raise _invalid("must be positive")
    return n


def _date(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _invalid(f"not a date: {value!r} (use YYYY-MM-DD)") from None


#: the options of ``check`` as data, (flags, argparse keywords) each: ``register`` hands them to
#: argparse, and ``plain_args`` reads a plain command line with them without importing argparse
OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (("path",), {"nargs": "?", "default": ".", "metavar": "PATH", "help": TARGET_HELP}),
    (("--policy",), {"metavar": "NAME|FILE", "help": "built-in policy name or policy file "
                                                     "(default: the repository's .openness.yml, else ai-stack)"}),
    (("--format",), {"default": "text", "choices": tuple(sorted(FORMATS)), "help": "report format (default: text)"}),
    (("--org-policy",), {"metavar": "NAME|FILE",
                         "help": "an organisation minimum to hold the repository to, as the Action and `org scan` "
                                 "do: its locked requirements bind the repository's policy"}),
    (("--output", "-o"), {"metavar": "FILE", "help": "write the report to FILE instead of stdout"}),
    (("--badge",), {"metavar": "FILE", "action": "append",
                    "help": "also write the badge: FILE.svg (SVG) or FILE.json (shields.io endpoint); repeatable"}),
    (("--text-cap",), {"type": _size, "default": DEFAULT_TEXT_CAP, "metavar": "BYTES",
                       "help": "read at most this much of any text file (default: 1M)"}),
    (("--fail-on-incomplete",), {"action": "store_true",
                                 "help": "exit 1 when the verdict is incomplete (a read budget or size limit, a cut "
                                         "listing or a fault kept a file from being read that could change a "
                                         "status), even if the policy passed; heads read under the size cap are "
                                         "listed as partial and do not count"}),
    (("--as-of",), {"type": _date, "metavar": "YYYY-MM-DD",
                    "help": "judge waiver expiry on this date (default: today in UTC); replays a past verdict"}),
)


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("check", help="check a repository and gate on a policy",
                       description="Find the openness evidence in a repository, evaluate the policy, print a report. "
                                   "Exit 0 when the policy passes, 1 when it fails, 2 on usage/config errors.")
    for flags, keywords in OPTIONS:
        p.add_argument(*flags, **keywords)
    return p


def run(args: argparse.Namespace) -> int:  # or the SimpleNamespace of plain_args
    from openness_gate import report
    from openness_gate.checker import check
    from openness_gate.commands import use_color, write_output

    if getattr(args, "badge", None):
        from openness_gate.commands.badge import check_badge_paths

        check_badge_paths(args.badge)
    parent = None
    if args.org_policy:
        from openness_gate.policy import load_policy

        parent = load_policy(args.org_policy)
    result = check(args.path, args.policy, text_cap=args.text_cap, as_of=args.as_of, parent=parent)
    options = {}
    if args.format == "text":
        options["color"] = not args.output and use_color()
    write_output(report.render(result, args.format, **options), args.output)
    if getattr(args, "badge", None):
        from openness_gate.commands.badge import write_badges

        write_badges(result, args.badge)
    from openness_gate.policy.gate import gate  # the Action's rule too: the policy, and incompleteness when asked

    passed, _ = gate(result.policy, "required", incomplete=len(result.inventory.incomplete),
                     fail_on_incomplete=getattr(args, "fail_on_incomplete", False))
    return EXIT_PASS if passed else EXIT_FAIL
