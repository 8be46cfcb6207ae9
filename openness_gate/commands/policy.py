"""`openness-gate policy`: not implemented yet (see the project's open issues)."""

from __future__ import annotations

import argparse

from openness_gate.errors import UsageError


def register(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("policy", help="(coming soon)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def run(args: argparse.Namespace) -> int:
    raise UsageError("'policy' is not implemented in this version yet")
