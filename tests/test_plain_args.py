"""A plain `check` command line is read without argparse, and read exactly as argparse reads it."""

from __future__ import annotations

import contextlib
import io
import json
import random

import pytest

from conftest import EXAMPLES, modules_after_check
from openness_gate import cli, plain_args
from openness_gate.cli_parser import build_parser
from openness_gate.errors import UsageError


def _argparse(argv: list[str]) -> dict | None:
    """argparse's namespace for ``argv`` as a dict, or None when it refuses it (or prints help or a version)."""
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return vars(build_parser(cli._command(argv)).parse_args(argv))
    except (UsageError, SystemExit):
        return None


def _plain(argv: list[str]) -> dict | None:
    found = plain_args.read(argv, cli.COMMANDS)
    return None if found is None else vars(found)


#: command lines users write (the README, the docs, CI configurations): read without argparse
EVERYDAY = [
    ["check"],
    ["check", "."],
    ["check", ".", "--format", "json"],
    ["check", "--policy", "minimal", "path/to/repo"],
    ["check", ".", "-o", "report.sarif", "--format", "sarif"],
    ["check", "--format=json", "--output=report.json", "."],
    ["--debug", "check", "."],
    ["check", ".", "--debug"],
    ["check", ".", "--badge", "openness.svg", "--badge", "openness.json"],
    ["check", ".", "--text-cap", "512K", "--as-of", "2026-01-01", "--fail-on-incomplete"],
    ["check", "github:EleutherAI/pythia@v1.0", "--org-policy", "org.yml"],
]


@pytest.mark.parametrize("argv", EVERYDAY, ids=" ".join)
def test_everyday_command_lines_are_read_without_argparse_as_argparse_reads_them(argv):
    plain = _plain(argv)
    assert plain is not None, "left to argparse"
    assert plain == _argparse(argv)


#: the pieces of generated command lines: valid, invalid, abbreviated, ambiguous, odd
TOKENS = [
    ".", "repo", "github:o/r", "", "check", "-", "--", "-5", "-h", "--help", "--version", "--debug", "--deb",
    "--policy", "--pol", "--policy=minimal", "--policy=", "minimal", "--format", "--form", "--format=json",
    "--format=yaml", "json", "yaml", "sarif", "--output", "-o", "-oreport.json", "-o=report.json", "--output=r.txt",
    "report.json", "--org-policy", "--org", "--badge", "--badge=b.svg", "b.svg", "--text-cap", "--text-cap=4M",
    "--text-cap=0", "4M", "lots", "1048576", "--as-of", "--as-of=2026-02-30", "2026-01-01", "--fail-on-incomplete",
    "--fail-on-incomplete=1", "--fail", "--unknown", "-x",
]


def test_no_command_line_is_read_differently_from_argparse():
    """Thousands of generated command lines: each one the plain reader accepts, argparse reads the
    same way; every other one goes to argparse (whose messages users see)."""
    rng = random.Random(20261205)
    accepted = refused_by_argparse = 0
    for _ in range(4000):
        head = rng.choice([["check"], ["check"], ["--debug", "check"], ["license"], ["--debug"], []])
        argv = head + [rng.choice(TOKENS) for _ in range(rng.randint(0, 6))]
        plain, reference = _plain(argv), _argparse(argv)
        if plain is not None:
            accepted += 1
            assert plain == reference, argv
        refused_by_argparse += reference is None
    assert accepted > 300 and refused_by_argparse > 300  # both sides of the line are exercised


def test_a_plain_check_imports_no_argparse_and_its_errors_still_come_from_argparse(tmp_path):
    report, imported = modules_after_check(EXAMPLES / "bare-code-repo", ("argparse", "gettext", "locale"))
    assert '"components"' in report and imported == set()
    # a value argparse refuses gets argparse's one-line message (test_check_cli holds the exit code)
    assert _plain(["check", ".", "--text-cap", "lots"]) is None
    with pytest.raises(UsageError, match="argument --text-cap: not a size: 'lots'"):
        build_parser("check").parse_args(["check", ".", "--text-cap", "lots"])


def test_a_check_leaves_out_the_standard_modules_it_can_do_without():
    """Start-up is most of a check on a small repository, and each of these cost ~0.3-1.4 ms of every
    check when they were imported for one function: ``importlib`` (and ``warnings`` with it) for
    ``import_module``, ``array`` for the kept regex programs, ``zlib`` for a CRC-32 that ``binascii``
    computes too, ``unicodedata`` to fold an ASCII licence that is its own NFKC form. Started with
    ``-S`` (the suite's editable install imports importlib at start-up; a wheel's does not)."""
    modules = ("importlib", "warnings", "array", "zlib", "unicodedata")
    report, imported = modules_after_check(EXAMPLES / "bare-code-repo", modules, site=False)
    licence = next(c for c in json.loads(report)["components"] if c["id"] == "distribution.license")
    assert licence["facts"]["ids"] == ["MIT"] and imported == set()
