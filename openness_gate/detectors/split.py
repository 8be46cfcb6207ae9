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
import threading
from typing import Any, Callable

from openness_gate import sre_cache
from openness_gate.findings import Finding

#: files below which one process is faster: forking and copying pages on write cost more than
#: the detectors of a small repository take
MIN_FILES = 40
#: claimed first, in this order (the slowest on the calibration corpus); then registration order
HEAVY_FIRST = ("openness_gate.detectors.code.code", "openness_gate.detectors.data.data",
               "openness_gate.detectors.license.license", "openness_gate.detectors.documentation.publication",
               "openness_gate.detectors.documentation.evaluation_results")

#: per detector: what it found, or the exception it raised, and its journal of read events
Done = tuple[list[Finding] | BaseException, list[tuple[Any, ...]]]


def allowed(inventory: Any) -> bool:
    """Whether the detectors of ``inventory`` may run in two processes (see the module)."""
    if os.environ.get("OPENNESS_GATE_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return False
    if sys.platform != "linux" or not getattr(inventory.reader, "forkable", False):
        return False
    if len(inventory) < MIN_FILES or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def run(ctx: Any, regs: list[Any], call: Callable[[Any], list[Finding]]) -> list[Done] | None:
    """Every detector of ``regs`` run by ``call`` in this process or a forked one; per detector,
    in ``regs`` order, its findings (or exception) and its journal. The inventory's read state
    is left as before the detectors: the caller replays the journals. None, before any
    detector ran, when the system refuses a pipe or a process (a container's limits).

    A detector with prework (the code detector: reading and scanning up to 300 files) runs here:
    this process starts on its items (a second queue) while the other starts on the detectors'
    queue and then helps with the items; the detector then runs with every answer, and this
    process takes what is left of the detectors' queue."""
    import pickle  # here: a check that does not split never pays for its import

    inv = ctx.inventory
    names = [r.name for r in regs]
    pinned, items = _planned(ctx, regs)
    order = sorted((i for i in range(len(regs)) if i != pinned),
                   key=lambda i: HEAVY_FIRST.index(names[i]) if names[i] in HEAVY_FIRST else len(HEAVY_FIRST) + i)
    fds = _Pipes()
    try:
        queue_r, queue_w = fds.pipe()
        work_r, work_w = fds.pipe()
        pre_r, pre_w = fds.pipe()
        back_r, back_w = fds.pipe()
        fds.write_all(queue_w, bytes(order))  # a handful of detectors: far below a pipe's buffer
        fds.write_all(work_w, b"".join(i.to_bytes(2, "little") for i in range(len(items))))  # 300 items: 600 bytes
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:  # EMFILE, EAGAIN, ENOMEM: one process it is
        fds.close_all()
        return None
    state = inv.read_state()
    if pid == 0:  # the child: never returns
        fds.close(back_r)
        fds.close(pre_r)
        payload = b""
        try:
            claimed = _claim(ctx, regs, queue_r, call)  # the detectors first, then help with the prework
            prework = _prework(ctx, regs[pinned], items, work_r) if pinned is not None else {}
            fds.write_all(pre_w, pickle.dumps(prework, protocol=pickle.HIGHEST_PROTOCOL))
            payload = pickle.dumps((claimed, sre_cache.take_new()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - nothing arrives: the parent runs what was claimed here
            payload = b""
        finally:
            try:
                fds.close(pre_w)
                fds.write_all(back_w, payload)
            finally:
                os._exit(0)
    fds.close(back_w)
    fds.close(pre_w)
    pinned_done: Done | None = None
    try:
        if pinned is not None:  # the prework first (the other process helps once its detectors are done)
            prework = _prework(ctx, regs[pinned], items, work_r)
            if len(prework) < len(items):  # the other process took some: its answers come once all are done
                theirs_pre = _loads(pickle, fds.read_all(pre_r))
                prework.update(theirs_pre if isinstance(theirs_pre, dict) else {})
            ctx.prework[regs[pinned].name] = {items[i]: answer for i, (ok, answer, _) in prework.items() if ok}
            found, journal = _one(ctx, regs[pinned], call)
            # its reads, in the order one process makes them: the items in order, then its own
            pinned_done = (found, [event for i in sorted(prework) for event in prework[i][2]] + journal)
        mine = _claim(ctx, regs, queue_r, call)
    finally:
        for fd in (pre_r, queue_r, work_r):  # first: a child blocked writing its prework gets EPIPE
            fds.close(fd)
        payload = fds.read_all(back_r)
        fds.close_all()
        os.waitpid(pid, 0)
    theirs: dict[int, Done] = {}
    if payload:
        try:
            theirs, programs = pickle.loads(payload)
            sre_cache.adopt(programs)
        except Exception:  # noqa: BLE001 - an answer that does not load: as if none came
            theirs = {}
    done = {**theirs, **mine}
    if pinned_done is not None:
        done[pinned] = pinned_done
    for i in range(len(regs)):
        if i not in done:  # the child died or its answer was lost: run it here
            done[i] = _one(ctx, regs[i], call)
    inv.restore_read_state(state)
    return [done[i] for i in range(len(regs))]


def _planned(ctx: Any, regs: list[Any]) -> tuple[int | None, list[Any]]:
    """The detector whose prework is shared (the first that has one) and its items."""
    for i, reg in enumerate(regs):
        if reg.prework is not None:
            try:
                return i, list(reg.prework[0](ctx))[:65535]
            except Exception:  # noqa: BLE001 - the detector meets it again, in its turn
                return None, []
    return None, []


def _prework(ctx: Any, reg: Any, items: list[Any], queue: int) -> dict[int, tuple[bool, Any, list[tuple[Any, ...]]]]:
    """Take item numbers (two bytes each) off the shared queue until it is empty; do each,
    journalling its reads: item number -> (done, answer, journal). An item that raised is not
    done: the detector does it itself, and raises what it raises."""
    inv = ctx.inventory
    do = reg.prework[1]
    out: dict[int, tuple[bool, Any, list[tuple[Any, ...]]]] = {}
    while True:
        taken = os.read(queue, 2)  # every read takes two bytes of an even-sized queue, or none
        if len(taken) < 2:
            return out
        i = int.from_bytes(taken, "little")
        inv._journal = journal = []
        try:
            out[i] = (True, do(ctx, items[i]), journal)
        except Exception:  # noqa: BLE001
            out[i] = (False, None, journal)
        finally:
            inv._journal = None


def _claim(ctx: Any, regs: list[Any], queue: int, call: Callable[[Any], list[Finding]]) -> dict[int, Done]:
    """Take detector numbers off the shared queue until it is empty; run each."""
    done: dict[int, Done] = {}
    while True:
        taken = os.read(queue, 1)  # atomic: each number goes to one process
        if not taken:
            return done
        done[taken[0]] = _one(ctx, regs[taken[0]], call)


def _one(ctx: Any, reg: Any, call: Callable[[Any], list[Finding]]) -> Done:
    inv = ctx.inventory
    inv._journal = journal = []
    try:
        return call(reg), journal
    except Exception as exc:  # noqa: BLE001 - raised by the caller, in registration order
        return _portable(exc), journal
    finally:
        inv._journal = None


def _portable(exc: Exception) -> BaseException:
    """``exc``, or a RuntimeError saying what it was when it cannot cross the pipe."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")


class _Pipes:
    """The pipes of one split, each end closed once: a number closed twice may by then be a
    file a detector is reading."""

    def __init__(self) -> None:
        self.open: set[int] = set()

    def pipe(self) -> tuple[int, int]:
        r, w = os.pipe()
        self.open |= {r, w}
        return r, w

    def close(self, fd: int) -> None:
        if fd in self.open:
            self.open.discard(fd)
            os.close(fd)

    def close_all(self) -> None:
        for fd in sorted(self.open):
            self.close(fd)

    def write_all(self, fd: int, data: bytes) -> None:
        """Write ``data`` and close the end (the reader then sees the end of it)."""
        self.open.discard(fd)
        with os.fdopen(fd, "wb") as out:
            out.write(data)

    def read_all(self, fd: int) -> bytes:
        """Everything written to the other end until it was closed (by every process holding it)."""
        self.open.discard(fd)
        with os.fdopen(fd, "rb") as back:
            return back.read()


def _loads(pickle: Any, data: bytes) -> Any:
    """The unpickled ``data``; {} when there is none or it does not load (the child died)."""
    try:
        return pickle.loads(data) if data else {}
    except Exception:  # noqa: BLE001
        return {}
