"""A plain command line read without argparse: importing argparse (with gettext and locale) and
building its parser cost ~3 ms of every check, a tenth of a check of a small repository.

A command whose module declares ``OPTIONS`` (``check``) is read here when its command line is
plain: the command word, at most one positional, options spelled in full (``--name value``,
``--name=value``, ``-o value``) with values that convert and are among the choices, and
``--debug``. Anything else (help, ``--version``, an abbreviated or unknown option, ``--``, a
value that starts with ``-``, a value argparse would reject, a second positional) returns None,
and the caller asks argparse, whose answer and messages stay the reference: a test holds this
reader to argparse's namespace on every command line it accepts.
"""

from __future__ import annotations

from types import SimpleNamespace

from openness_gate import modules

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence

#: argparse keywords this reader understands; an option with any other declines the whole line
_KNOWN = frozenset({"nargs", "default", "metavar", "help", "choices", "type", "action"})


def read(args: Sequence[str], commands: Sequence[str]) -> SimpleNamespace | None:
    """The namespace argparse would make of ``args``, or None when this reader leaves it to argparse."""
    debug = False
    at = 0
    while at < len(args) and args[at] == "--debug":  # the one option before the command
        debug, at = True, at + 1
    if at == len(args) or args[at] not in commands:
        return None
    name = args[at]
    module = modules.load(f"openness_gate.commands.{name}")
    options = getattr(module, "OPTIONS", None)
    if options is None:
        return None
    table = _table(options)
    if table is None:
        return None
    by_flag, positionals = table
    values: dict[str, Any] = {"debug": debug, "command": name, "_run": module.run}
    for dest, keywords in (*by_flag.values(), *positionals):
        values[dest] = False if keywords.get("action") == "store_true" else keywords.get("default")
    given_positionals = 0
    rest = list(args[at + 1:])
    while rest:
        token = rest.pop(0)
        if token == "--debug":
            values["debug"] = True
            continue
        if not token.startswith("-"):
            if given_positionals == len(positionals):
                return None  # argparse: unrecognized arguments
            dest, keywords = positionals[given_positionals]
            value = _converted(token, keywords)
            if value is _DECLINE:
                return None
            values[dest] = value
            given_positionals += 1
            continue
        flag, explicit = token, None
        if token.startswith("--") and "=" in token:
            flag, explicit = token.split("=", 1)
        option = by_flag.get(flag)
        if option is None:
            return None  # help, --version, --, an abbreviation, a short option with its value attached...
        dest, keywords = option
        action = keywords.get("action")
        if action == "store_true":
            if explicit is not None:
                return None  # argparse: ignored explicit argument
            values[dest] = True
            continue
        if explicit is None:
            if not rest or rest[0].startswith("-"):
                return None  # argparse: expected one argument (or a value that looks like an option)
            explicit = rest.pop(0)
        value = _converted(explicit, keywords)
        if value is _DECLINE:
            return None
        if action == "append":
            values[dest] = [*(values[dest] or ()), value]
        else:
            values[dest] = value
    return SimpleNamespace(**values)


#: a value argparse would reject: its message is argparse's to give
_DECLINE = object()


def _converted(value: str, keywords: dict[str, Any]) -> Any:
    convert = keywords.get("type")
    if convert is not None:
        try:
            value = convert(value)
        except Exception:  # noqa: BLE001 - argparse reports it
            return _DECLINE
    choices = keywords.get("choices")
    if choices is not None and value not in choices:
        return _DECLINE
    return value


def _table(options: Sequence[tuple[tuple[str, ...], dict[str, Any]]]
           ) -> tuple[dict[str, tuple[str, dict[str, Any]]], list[tuple[str, dict[str, Any]]]] | None:
    """(flag -> (dest, keywords), [(dest, keywords) of each positional]), or None when an option
    uses something this reader does not mirror (it then leaves every line to argparse)."""
    by_flag: dict[str, tuple[str, dict[str, Any]]] = {}
    positionals: list[tuple[str, dict[str, Any]]] = []
    for flags, keywords in options:
        if not set(keywords) <= _KNOWN or keywords.get("action") not in (None, "store_true", "append"):
            return None
        if not flags[0].startswith("-"):
            if keywords.get("nargs") != "?" or positionals:  # one optional positional, as `check PATH`
                return None
            positionals.append((flags[0], keywords))
            continue
        if "nargs" in keywords or ("type" in keywords and isinstance(keywords.get("default"), str)):
            return None  # several values; or a default argparse would convert
        long = next((f for f in flags if f.startswith("--")), flags[0])
        dest = long.lstrip("-").replace("-", "_")
        for flag in flags:
            by_flag[flag] = (dest, keywords)
    return by_flag, positionals
