"""The detectors of a local check run in two processes, with the answer one process gives.

On a repository with hundreds of scripts the detectors are most of a check (the code detector
alone reads 300 files), and they do not depend on each other: a second core halves that part.
After the listing, the process forks; parent and child take detectors from one queue (a pipe
holding their numbers, heaviest first, so that the two finish together), and the child sends
back what each of its detectors found and what its reads changed in the inventory (a journal:
heads read, files left unread, reads a fault stopped). The parent then replays every
detector's journal in registration order, so each finding is charged with exactly the stopped
reads a serial run would charge it with, and the inventory ends as a serial run leaves it.

The code detector reads up to 300 files, and on a repository of scripts it alone is longer than
all the others together; its per-file work (``Registered.reads``) is shared too. The parent runs
it, while the child takes the other detectors; files are handed out in chunks from a second
queue (the parent announces the list of files through a pipe when it comes to them), and the
child, once no detector is left, takes chunks as well and sends back what it made of each file
with the read events of each. The parent puts its own and the child's results in file order and
replays the events in that order, so the inventory and the detector's journal are what a serial
run leaves (what the child could not send, the parent reads itself).

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
#: files of a shared detector's reads handed out at a time (a few ms of work: the last one the
#: parent waits for is short); fewer than two chunks are not shared
CHUNK = 8
MAX_CHUNKS = 255  # chunk numbers are bytes
#: the largest announcement of files sent to the child: a pipe's buffer holds 64 KiB on Linux, and
#: the parent must not wait for the child to read it
ANNOUNCE_MAX = 60_000
#: claimed first, in this order (the slowest on the calibration corpus after the code detector, which
#: the parent runs: see the module; in total over its 244 trees, one process: licence 1.2 s, data and
#: evaluation results 0.25 s each, publication 0.17 s); then registration order. The licence detector
#: first (it was second, after data): on small repositories it is the longest part of the second
#: process, and a long task started last makes the other process wait (1 ms less a check on average
#: over 91 of the trees, 0-13 ms on each where it was the last)
HEAVY_FIRST = ("openness_gate.detectors.license.license",
               "openness_gate.detectors.data.data", "openness_gate.detectors.documentation.publication",
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


def _pickle() -> Any:
    """The pickle module's C half, which ``pickle.dumps`` and ``loads`` are: importing ``pickle``
    itself also defines its pure-Python pickler classes (~0.7 ms of a check that splits).
    Interpreters without it get ``pickle``. Protocol -1 is the highest either knows."""
    try:
        import _pickle
    except ImportError:  # pragma: no cover - not CPython
        import pickle as _pickle
    return _pickle


def run(ctx: Any, regs: list[Any], call: Callable[[Any], list[Finding]]) -> list[Done] | None:
    """Every detector of ``regs`` run by ``call`` in this process or a forked one; per detector,
    in ``regs`` order, its findings (or exception) and its journal. The inventory's read state
    is left as before the detectors: the caller replays the journals. None, before any
    detector ran, when the system refuses a pipe or a process (a container's limits)."""
    pickle = _pickle()  # here: a check that does not split never pays for its import

    inv = ctx.inventory
    names = [r.name for r in regs]
    owner = next((i for i, r in enumerate(regs) if r.reads is not None), None)  # run by this process
    share = _Share(regs[owner].reads) if owner is not None else None
    order = sorted((i for i in range(len(regs)) if i != owner),
                   key=lambda i: HEAVY_FIRST.index(names[i]) if names[i] in HEAVY_FIRST else len(HEAVY_FIRST) + i)
    fds: list[int] = []
    try:
        queue_r, queue_w = os.pipe()
        fds += [queue_r, queue_w]
        os.write(queue_w, bytes(order))  # a handful of detectors: far below a pipe's buffer
        os.close(queue_w)
        fds.remove(queue_w)
        if share is not None:
            chunk_r, chunk_w = os.pipe()
            fds += [chunk_r, chunk_w]
            os.write(chunk_w, bytes(range(MAX_CHUNKS)))  # far below a pipe's buffer
            os.close(chunk_w)
            fds.remove(chunk_w)
            share.queue = chunk_r
            share.plan_r, share.plan_w = os.pipe()
            fds += [share.plan_r, share.plan_w]
            os.set_blocking(share.plan_w, False)  # a pipe with a small buffer refuses, it never waits
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
        if share is not None:
            os.close(share.plan_w)
            share.plan_w = -1
        payload = b""
        try:
            theirs = _claim(ctx, regs, queue_r, call)
            helped = share.help(ctx) if share is not None else {}
            payload = pickle.dumps((theirs, helped, sre_cache.take_new()), protocol=-1)
        except BaseException:  # noqa: BLE001 - nothing arrives: the parent runs what was claimed here
            payload = b""
        finally:
            try:
                with os.fdopen(back_w, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
    os.close(back_w)
    if share is not None:
        os.close(share.plan_r)
    answer = _Answer(back_r)
    state = inv.read_state()  # this process's detectors change it; the caller replays every journal
    mine: dict[int, Done] = {}
    try:
        if share is not None and owner is not None:  # (the one implies the other: for the type checker)
            share.answer = answer
            ctx.sharing = share
            try:
                mine[owner] = _one(ctx, regs[owner], call)
            finally:
                ctx.sharing = None
                share.close()  # the files were announced, or will not be: the child stops waiting
        mine.update(_claim(ctx, regs, queue_r, call))
    finally:
        os.close(queue_r)
        if share is not None:
            os.close(share.queue)
            share.close()
        theirs, _ = answer.get()
        os.waitpid(pid, 0)
    done = {**theirs, **mine}
    for i in range(len(regs)):
        if i not in done:  # the child died or its answer was lost: run it here
            done[i] = _one(ctx, regs[i], call)
    inv.restore_read_state(state)
    return [done[i] for i in range(len(regs))]


class _Answer:
    """The child's answer, read once, when the parent first needs it (in the shared detector, when
    the child took some of its files; else after the parent's own detectors)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.got: tuple[dict[int, Done], dict[int, tuple[Any, list[tuple[Any, ...]]]]] | None = None

    def get(self) -> tuple[dict[int, Done], dict[int, tuple[Any, list[tuple[Any, ...]]]]]:
        """(the child's detectors: number -> done; the shared files it did: index -> (result, events))."""
        if self.got is None:
            pickle = _pickle()

            with os.fdopen(self.fd, "rb") as back:
                payload = back.read()
            self.got = ({}, {})
            if payload:
                try:
                    theirs, helped, programs = pickle.loads(payload)
                    sre_cache.adopt(programs)
                    self.got = (theirs, helped)
                except Exception:  # noqa: BLE001 - an answer that does not load: as if none came
                    pass
        return self.got


class _Share:
    """One detector's per-file reads, handed out in chunks to both processes (see the module). The
    parent works out the files and whether sharing them is worth it (as the detector does anyway)
    and announces them to the child through a pipe; the child, once its detectors are done, waits
    for that announcement or for the pipe to close. Worked out before the fork, or again in the
    child, the list would hold the child up: on lm-evaluation-harness's 16k files it takes 140 ms,
    and the wall time was 1.16x."""

    def __init__(self, reads: Any) -> None:
        self.fn, self.worth = reads
        self.queue = -1  # chunk numbers 0, 1, 2… in order: each is read by one process
        self.plan_r = self.plan_w = -1  # the parent writes (files, chunks) once, then closes
        self.answer: _Answer | None = None

    def close(self) -> None:
        """The parent's end of the announcement: closed once, announced or not."""
        if self.plan_w >= 0:
            os.close(self.plan_w)
            self.plan_w = -1

    def _announce(self, paths: list[str], chunks: int) -> bool:
        """Send (files, chunks) to the child, all at once or not at all (it must fit the pipe's buffer)."""
        pickle = _pickle()

        message = pickle.dumps((paths, chunks), protocol=-1)
        if self.plan_w < 0 or len(message) > ANNOUNCE_MAX:
            return False
        try:
            # whole or not at all: a part would not load in the child, which then takes no chunk
            return os.write(self.plan_w, message) == len(message)
        except OSError:
            return False
        finally:
            self.close()

    def _take(self, inv: Any, paths: list[str], chunks: int, into: dict[int, tuple[Any, list[tuple[Any, ...]]]]) -> int:
        """Claim chunks until the next one is past the last or none is left; each file's result and
        read events go into ``into``. Returns the number of chunks claimed."""
        claimed = 0
        while True:
            taken = os.read(self.queue, 1)  # atomic: each chunk goes to one process
            if not taken or taken[0] >= chunks:  # the numbers come in order: the rest are past the last too
                return claimed
            claimed += 1
            for i in range(taken[0] * CHUNK, min(len(paths), (taken[0] + 1) * CHUNK)):
                with inv.journalled() as events:
                    result = self.fn(inv, paths[i])
                into[i] = (result, events)

    def help(self, ctx: Any) -> dict[int, tuple[Any, list[tuple[Any, ...]]]]:
        """The child's share, once its detectors are done: what it made of each file it took."""
        pickle = _pickle()

        done: dict[int, tuple[Any, list[tuple[Any, ...]]]] = {}
        try:
            with os.fdopen(self.plan_r, "rb") as announced:
                message = announced.read()  # until the parent closes its end
            if message:
                paths, chunks = pickle.loads(message)
                # what this process's detectors kept would come back without its read events, and
                # the parent must be able to replay each file's events as a serial run records them
                ctx.inventory.forget_texts()
                self._take(ctx.inventory, paths, chunks, done)
        except Exception:  # noqa: BLE001 - the parent reads what is missing itself
            pass
        return done

    def scan(self, ctx: Any, paths: list[str], fn: Callable[[Any, str], Any]) -> list[Any]:
        """``Context.scan_files`` in the parent: its chunks, then the child's, then every file's
        events replayed in file order (a file nobody sent back is read here, in its turn)."""
        inv = ctx.inventory
        chunks = -(-len(paths) // CHUNK)
        if not (fn is self.fn and 2 <= chunks <= MAX_CHUNKS and self.worth(inv, paths) and self._announce(paths, chunks)):
            self.close()
            return [fn(inv, p) for p in paths]  # one process
        state = inv.read_state()
        done: dict[int, tuple[Any, list[tuple[Any, ...]]]] = {}
        if self._take(inv, paths, chunks, done) < chunks and self.answer is not None:
            for i, got in self.answer.get()[1].items():
                done.setdefault(i, got)
        inv.restore_read_state(state)
        out = []
        for i, path in enumerate(paths):
            if i in done:
                result, events = done[i]
                inv.replay(events)
            else:
                result = fn(inv, path)
            out.append(result)
        return out


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
    pickle = _pickle()

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(f"{type(exc).__name__}: {exc}")
