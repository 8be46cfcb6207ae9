"""The detectors of a local check run in two processes, with the answer one process gives.

On a repository with hundreds of scripts the detectors are most of a check (the code detector
alone reads 300 files), and they do not depend on each other: a second core halves that part.
After the listing, the process forks; parent and child take detectors from one queue (a pipe
holding their numbers, heaviest first, so that the two finish together), and the child sends
back what each of its detectors found and what its reads changed in the inventory (a journal:
heads read, files left unread, reads a fault stopped). The parent then replays every
detector's journal in registration order, so each finding is charged with exactly the stopped
reads a serial run would charge it with, and the inventory ends as a serial run leaves it.

Only where that is sure to hold: a local folder (a remote source's read budget and connections
cannot be split), Linux (fork without exec is unsafe on macOS and absent on Windows), no other
thread running (an org scan's or a library caller's), two usable cores, a repository big
enough to repay the fork, and not ``OPENNESS_GATE_JOBS=1``. Anything that goes wrong in the
child (it dies, its answer does not arrive) leaves its detectors to the parent.
"""

from __future__ import annotations

import os
import sys

from openness_gate import sre_cache
from openness_gate.findings import Finding
from openness_gate.threads import others_running

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    #: per detector: what it found, or the exception it raised, and its journal of read events
    Done = tuple[list[Finding] | BaseException, list[tuple[Any, ...]]]

#: files below which one process is faster: forking and copying pages on write cost more than
#: the detectors of a small repository take. 20 since the check's start-up got cheaper: on ten real
#: repositories of 18-34 files, 20 against 40 gave 0.93-1.00× the wall time (0.96× in total, twice;
#: 12 made a 15-file repository 1.10× slower), for ~16 % more CPU on the second core
MIN_FILES = 20
#: claimed first, in this order (the slowest on the calibration corpus); then registration order
HEAVY_FIRST = ("openness_gate.detectors.code.code", "openness_gate.detectors.data.data",
               "openness_gate.detectors.license.license", "openness_gate.detectors.documentation.publication",
               "openness_gate.detectors.documentation.evaluation_results")


def allowed(inventory: Any) -> bool:
    """Whether the detectors of ``inventory`` may run in two processes (see the module)."""
    if os.environ.get("OPENNESS_GATE_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return False
    if sys.platform != "linux" or not getattr(inventory.reader, "forkable", False):
        return False
    if len(inventory) < MIN_FILES or others_running():
        return False
    return len(os.sched_getaffinity(0)) > 1


def run(ctx: Any, regs: list[Any], call: Callable[[Any], list[Finding]]) -> list[Done] | None:
    """Every detector of ``regs`` run by ``call`` in this process or a forked one; per detector,
    in ``regs`` order, its findings (or exception) and its journal. The inventory's read state
    is left as before the detectors: the caller replays the journals. None, before any
    detector ran, when the system refuses a pipe or a process (a container's limits)."""
    import pickle  # here: a check that does not split never pays for its import

    inv = ctx.inventory
    names = [r.name for r in regs]
    order = sorted(range(len(regs)),
                   key=lambda i: HEAVY_FIRST.index(names[i]) if names[i] in HEAVY_FIRST else len(HEAVY_FIRST) + i)
    fds: list[int] = []
    try:
        queue_r, queue_w = os.pipe()
        fds += [queue_r, queue_w]
        os.write(queue_w, bytes(order))  # a handful of detectors: far below a pipe's buffer
        os.close(queue_w)
        fds.remove(queue_w)
        back_r, back_w = os.pipe()
        fds += [back_r, back_w]
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:  # EMFILE, EAGAIN, ENOMEM: one process it is
        for fd in fds:
            os.close(fd)
        return None
    if pid == 0:  # the child: never returns
        os.close(back_r)
        payload = b""
        try:
            payload = pickle.dumps((_claim(ctx, regs, queue_r, call), sre_cache.take_new()),
                                   protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - nothing arrives: the parent runs what was claimed here
            payload = b""
        finally:
            try:
                with os.fdopen(back_w, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
    os.close(back_w)
    state = inv.read_state()  # this process's detectors change it; the caller replays every journal
    try:
        mine = _claim(ctx, regs, queue_r, call)
    finally:
        os.close(queue_r)
        with os.fdopen(back_r, "rb") as back:
            payload = back.read()
        os.waitpid(pid, 0)
    theirs: dict[int, Done] = {}
    if payload:
        try:
            theirs, programs = pickle.loads(payload)
            sre_cache.adopt(programs)
        except Exception:  # noqa: BLE001 - an answer that does not load: as if none came
            theirs = {}
    done = {**theirs, **mine}
    for i in range(len(regs)):
        if i not in done:  # the child died or its answer was lost: run it here
            done[i] = _one(ctx, regs[i], call)
    inv.restore_read_state(state)
    return [done[i] for i in range(len(regs))]


def _claim(ctx: Any, regs: list[Any], queue: int, call: Callable[[Any], list[Finding]]) -> dict[int, Done]:
    """Take detector numbers off the shared queue until it is empty; run each."""
    done: dict[int, Done] = {}
    while True:
        taken = os.read(queue, 1)  # atomic: each number goes to one process
        if not taken:
            return done
        done[taken[0]] = _one(ctx, regs[taken[0]], call)


def _one(ctx: Any, reg: Any, call: Callable[[Any], list[Finding]]) -> Done:
    with ctx.inventory.journalled() as journal:
        try:
            found: list[Finding] | BaseException = call(reg)
        except Exception as exc:  # noqa: BLE001 - raised by the caller, in registration order
            found = _portable(exc)
    return found, journal


def _portable(exc: Exception) -> BaseException:
    """``exc``, or a RuntimeError saying what it was when it cannot cross the pipe."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
