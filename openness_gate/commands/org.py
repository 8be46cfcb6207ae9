"""`openness-gate org scan ORG` and `openness-gate org merge REPORT…`: hold an organisation to one minimum."""

from __future__ import annotations

import argparse
import json
import re
from typing import TYPE_CHECKING

from openness_gate.commands import positive_int
from openness_gate.errors import EXIT_FAIL, EXIT_PASS, UsageError

if TYPE_CHECKING:
    from openness_gate.github.org import ScanOptions

FORMATS = ("text", "json", "csv", "markdown", "html")


def _shard(value: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d+)/(\d+)", value.strip())
    if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
        raise argparse.ArgumentTypeError(f"expected K/N with 1 <= K <= N, e.g. 2/8 (got {value!r})")
    return int(m.group(1)), int(m.group(2))


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("org", help="scan every repository of an organisation, or merge shard reports",
                       description="Organisation enforcement. Uses GITHUB_TOKEN (or GH_TOKEN) and GITHUB_API_URL; "
                                   "for hf:ORG (the models of a Hugging Face Hub organisation), HF_TOKEN and "
                                   "HF_ENDPOINT.")
    orgsub = p.add_subparsers(dest="org_command", metavar="SUBCOMMAND", parser_class=type(p))
    s = orgsub.add_parser("scan", help="check every repository remotely and report",
                          description="Exit 0 when every repository in scope passes the organisation policy, "
                                      "1 when any fails or cannot be checked, 2 on usage errors.")
    s.add_argument("org", metavar="ORG", help="a GitHub organisation or user, or hf:ORG for the models of a "
                                                "Hugging Face Hub organisation or user")
    s.add_argument("--policy", metavar="NAME|FILE",
                   help="organisation policy (default: ORG/.github:openness/policy.yml, else ai-stack)")
    s.add_argument("--include", action="append", default=[], metavar="GLOB", help="only repository names matching")
    s.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip repository names matching")
    s.add_argument("--topic", action="append", default=[], metavar="TOPIC",
                   help="only repositories with this topic (a Hub model: with this tag)")
    s.add_argument("--archived", action="store_true", help="include archived repositories")
    s.add_argument("--no-forks", action="store_true", help="leave forks out")
    s.add_argument("--concurrency", type=positive_int, default=8, metavar="N", help="repositories checked at once (8)")
    s.add_argument("--shard", type=_shard, metavar="K/N", help="scan only the K-th of N deterministic slices")
    s.add_argument("--cache", metavar="FILE", default=".openness-gate-org-cache.json",
                   help="reuse results of repositories whose tree did not change (default: %(default)s; '' for none)")
    s.add_argument("--open-issues", action="store_true",
                   help="open one issue per failing repository, update it when findings change, close it on pass")
    s.add_argument("--dry-run", action="store_true", help="with --open-issues: say what would be done, write nothing")
    s.add_argument("--format", default="text", choices=FORMATS)
    s.add_argument("--output", "-o", metavar="FILE")
    m = orgsub.add_parser("merge", help="combine the JSON reports of several shards")
    m.add_argument("reports", nargs="+", metavar="REPORT")
    m.add_argument("--format", default="text", choices=FORMATS)
    m.add_argument("--output", "-o", metavar="FILE")
    return p


def run(args: argparse.Namespace) -> int:
    from openness_gate.commands import write_output
    from openness_gate.report import org as org_report

    if args.org_command == "merge":
        from openness_gate.org_result import OrgReport, merge

        reports = []
        for path in args.reports:
            try:
                with open(path, encoding="utf-8") as fh:
                    reports.append(OrgReport.from_json(json.load(fh), path))
            except OSError as exc:
                raise UsageError(f"{path}: {exc.strerror}") from None
            except ValueError as exc:
                raise UsageError(f"{path}: not JSON ({exc})") from None
        report = merge(reports)
    elif args.org_command == "scan":
        report = _scan(args)
    else:
        raise UsageError("org: choose a subcommand: scan or merge")
    write_output(org_report.render(report, args.format), args.output)
    return EXIT_PASS if report.passed else EXIT_FAIL


def _scan(args: argparse.Namespace):
    from openness_gate.github import org

    hub = args.org.startswith("hf:")
    if hub and args.open_issues:
        raise UsageError("--open-issues opens GitHub issues; it does not apply to a Hub organisation (hf:ORG)")
    if args.dry_run and not args.open_issues:
        raise UsageError("--dry-run goes with --open-issues")
    options = org.ScanOptions(
        policy=args.policy, include=tuple(args.include), exclude=tuple(args.exclude), topics=tuple(args.topic),
        archived=args.archived, forks=not args.no_forks, concurrency=args.concurrency, shard=args.shard,
        cache_path=args.cache or None,
    )
    if hub:
        from openness_gate import hub_org
        from openness_gate.sources.huggingface import make_api

        name = hub_org.parse_org(args.org)  # a malformed name fails before the Hub client is loaded
        report, cache = hub_org.scan(make_api(), name, options, progress=org.tty_progress())
    else:
        report, cache = _scan_github(args, options)
    if not args.dry_run:
        cache.save()  # a path it cannot write is a usage error naming --cache (write_output)
    return report


def _scan_github(args: argparse.Namespace, options: ScanOptions):
    from openness_gate.github import org, org_issues
    from openness_gate.github.client import describe_error
    from openness_gate.sources.github import client_from_env

    gh = client_from_env()
    report, cache = org.scan(gh, args.org, options, progress=org.tty_progress())
    if args.open_issues:
        for row in report.rows:
            try:
                action = org_issues.plan_and_apply(gh.get_repo(row.repo), row, cache,
                                                   report.policy_source, dry_run=args.dry_run)
                row.issue = ("would be " if args.dry_run and action.verb != "none" else "") + action.describe()
            except Exception as exc:  # noqa: BLE001 - an issue write failure never changes the verdict
                row.issue = f"issue not updated: {describe_error(exc)}"
    return report, cache
