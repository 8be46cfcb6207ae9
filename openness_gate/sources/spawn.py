"""Run git for a local check without importing ``subprocess``.

``import subprocess`` brings signal, threading, selectors, locale and contextlib with it:
~10 ms, a third of an interpreter start, on every check, for three short git calls. Where the
platform has ``os.posix_spawnp`` (Linux, macOS, the BSDs) a child is started with it and its
two pipes are drained with ``select.poll``; elsewhere (Windows) ``subprocess`` does the work.
Either way the caller sees the same three things: exit code, stdout, stderr.

What ``subprocess`` would do and this does too: signals Python ignores (SIGPIPE, SIGXFSZ) are
reset to their defaults in the child, the child inherits the environment and the standard
input, and no pipe of ours leaks into it (Python opens every descriptor non-inheritable).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess

try:
    import _signal  # loaded with the interpreter: the signal numbers without the signal module

    _DEFAULT_SIGNALS: tuple[int, ...] = tuple(
        getattr(_signal, name) for name in ("SIGPIPE", "SIGXFSZ") if hasattr(_signal, name))
except ImportError:  # pragma: no cover - every CPython has it
    _DEFAULT_SIGNALS = ()

_SPAWN = hasattr(os, "posix_spawnp") and hasattr(os, "pipe") and hasattr(os, "waitpid")


class Timeout(OSError):
    """The child did not finish in time; it was killed."""


class Child:
    """A started child whose stdout and stderr are pipes to us."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = argv
        self.finished = False  # waited for (finish) or stopped (discard): its pipes are closed
        self.pid = -1
        self._proc: subprocess.Popen[bytes] | None = None
        if not _SPAWN:
            import subprocess

            self._proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            return
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            self.pid = os.posix_spawnp(argv[0], argv, os.environ, setsigdef=_DEFAULT_SIGNALS, file_actions=[
                (os.POSIX_SPAWN_DUP2, out_w, 1), (os.POSIX_SPAWN_DUP2, err_w, 2)])
        except BaseException:
            for fd in (out_r, err_r):
                os.close(fd)
            raise
        finally:
            os.close(out_w)
            os.close(err_w)
        self._out, self._err = out_r, err_r

    def finish(self, timeout: float) -> tuple[int, bytes, bytes]:
        """Wait for the child: (exit code, or -signal; stdout; stderr). Raises Timeout."""
        self.finished = True
        if self._proc is not None:
            import subprocess

            try:
                out, err = self._proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.communicate()
                raise Timeout(f"{self.argv[0]} did not finish in {timeout:g} s") from None
            return self._proc.returncode, out, err
        try:
            out, err = self._drain(timeout)
        finally:
            os.close(self._out)
            os.close(self._err)
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status), out, err

    def discard(self) -> None:
        """Stop a child whose answer is no longer wanted, and reap it (once)."""
        if self.finished:
            return
        self.finished = True
        if self._proc is not None:
            self._proc.kill()
            self._proc.communicate()
            return
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass  # already gone
        for fd in (self._out, self._err):
            os.close(fd)
        os.waitpid(self.pid, 0)

    def _drain(self, timeout: float) -> tuple[bytes, bytes]:
        import select
        import time

        chunks: dict[int, list[bytes]] = {self._out: [], self._err: []}
        poller = select.poll()
        for fd in chunks:
            poller.register(fd, select.POLLIN)
        open_fds, deadline = len(chunks), time.monotonic() + timeout
        while open_fds:
            left = deadline - time.monotonic()
            ready = poller.poll(max(0, int(left * 1000))) if left > 0 else []
            if not ready:
                os.kill(self.pid, 9)
                os.waitpid(self.pid, 0)
                raise Timeout(f"{self.argv[0]} did not finish in {timeout:g} s")
            for fd, _event in ready:
                data = os.read(fd, 1 << 16)  # a pipe holds 64 KiB
                if data:
                    chunks[fd].append(data)
                else:  # end of file (POLLHUP with nothing left to read)
                    poller.unregister(fd)
                    open_fds -= 1
        return b"".join(chunks[self._out]), b"".join(chunks[self._err])


def run(argv: list[str], timeout: float) -> tuple[int, bytes, bytes]:
    """Run ``argv`` to the end: (exit code, stdout, stderr). Raises OSError (Timeout included)."""
    return Child(argv).finish(timeout)
