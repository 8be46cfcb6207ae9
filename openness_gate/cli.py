"""The front door: parse arguments, call the stage functions, map outcomes to exit codes.

Exit codes: 0 policy passed, 1 policy failed, 2 usage or configuration error. Errors are
one line on stderr; ``--debug`` adds the traceback. Subcommands live in
``openness_gate/commands/`` (one module each, with ``register`` and ``run``), imported here
by name so that adding one does not touch the others.
"""

from __future__ import annotations

import os
import sys

from openness_gate import plain_args, sre_cache
from openness_gate.errors import EXIT_USAGE, UsageError

# json compiles patterns of its own at every start; a later run hands them to re from the
# programs kept (sre_cache.seeding)
with sre_cache.seeding("cli imports"):
    import json  # noqa: F401 - imported here for its patterns; the report writers use it

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

COMMANDS: tuple[str, ...] = ("check", "license", "policy", "mot", "badge", "org", "compare", "history")
#: commands that may run for long, over many repositories: they keep Python's cyclic garbage
#: collector (see ``run``)
LONG_RUNNING: frozenset[str] = frozenset({"org"})


def _printable_streams() -> None:
    """Never fail on a character the console cannot show: a Windows pipe or console in a legacy
    code page (cp1252) cannot encode the report's marks (✔ ✘), and a crash there would lose the
    verdict. Such characters are written as backslash escapes; UTF-8 streams are left alone."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _command(args: Sequence[str]) -> str | None:
    """The command named in ``args``: its first word that is not an option."""
    return next((a for a in args if not a.startswith("-")), None)


def main(argv: Sequence[str] | None = None) -> int:
    _printable_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or bool(os.environ.get("OPENNESS_GATE_DEBUG"))
    try:
        args = plain_args.read(args_list, COMMANDS)  # a plain command line, without argparse
        if args is None:
            from openness_gate.cli_parser import build_parser

            with sre_cache.seeding("cli arguments"):  # argparse's help formatter and option matching compile theirs here
                args = build_parser(_command(args_list)).parse_args(args_list)
        if not getattr(args, "command", None):
            raise UsageError("no command given; try 'openness-gate check PATH' or 'openness-gate --help'")
        return int(args._run(args))
    except UsageError as exc:
        if debug:
            raise
        print(f"openness-gate: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("openness-gate: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader (e.g. `| head`) went away; not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
        except OSError:
            pass
        return 0
    except Exception as exc:  # noqa: BLE001 - last resort: one line, never a traceback unless asked
        if debug:
            raise
        print(f"openness-gate: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
              file=sys.stderr)
        return EXIT_USAGE


def run() -> None:
    """The ``openness-gate`` command (and ``python -m openness_gate``): ``main()``, then an exit
    without the interpreter's teardown.

    A command about one repository runs without the cyclic garbage collector. Listing 100k files
    makes 100k+ objects, and the collector traverses the growing heap again and again while they
    are made: 7-10 % of a check at 100k files, 3-5 % on real repositories (imports included),
    while the heap holds almost no cycles until the run is over (peak RSS unchanged: 117 MB on
    the 100k-file content tree). Reference counting still frees everything else. An ``org`` scan
    may hold many repositories' objects over a long run, so it keeps the collector."""
    if _command(sys.argv[1:]) not in LONG_RUNNING:
        import gc

        gc.disable()
    _exit(main())


def _exit(code: int) -> None:
    """Leave as ``sys.exit(code)`` would, minus the teardown: freeing every module and object
    costs 15-30 ms, a tenth of a check, and nothing needs it. What teardown does that matters is
    done first: the atexit functions (the regex cache is saved in one, temporary folders are
    removed in others) and flushing stdout and stderr. While another thread runs (it would be
    cut off), or when a flush fails (its error is the normal exit's to report), the normal exit
    runs instead."""
    import atexit

    from openness_gate.threads import others_running

    run_exitfuncs = getattr(atexit, "_run_exitfuncs", None)
    if run_exitfuncs is None or others_running():
        sys.exit(code)
    run_exitfuncs()  # and forgets them: a normal exit after this would not run them twice
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            sys.exit(code)
    os._exit(code)


if __name__ == "__main__":
    run()
