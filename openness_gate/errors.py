"""Errors that end a run with exit code 2 and a one-line message (no traceback)."""

from __future__ import annotations

EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """The user asked for something we cannot do: a bad path, option or configuration.

    The message is printed on one line to stderr and the process exits with 2.
    """


class ConfigError(UsageError):
    """A policy or repository configuration file is invalid; the message names file, line and key."""
