"""``sources.spawn``: git run without ``subprocess``. It must give what ``subprocess`` gives
(exit code, both outputs whole, however large), never hang on a child that floods stderr or
does not finish, and leave no child behind; and a local check must not import what it saves."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from conftest import modules_after_check
from openness_gate.sources import spawn

PY = sys.executable


@pytest.fixture(params=["posix_spawn", "subprocess"])
def way(request, monkeypatch) -> str:
    """Both ways a child is started: posix_spawn where the platform has it, subprocess elsewhere."""
    if request.param == "posix_spawn" and not spawn._SPAWN:
        pytest.skip("this platform has no posix_spawnp")
    monkeypatch.setattr(spawn, "_SPAWN", request.param == "posix_spawn")
    return request.param


def test_both_outputs_arrive_whole_with_the_exit_code(way) -> None:
    """300 KB on each pipe, well over what a pipe holds: a reader of one pipe only would hang."""
    code, out, err = spawn.run([PY, "-c", "import sys; sys.stderr.write('e' * 300000); sys.stderr.flush();"
                                          "sys.stdout.write('o' * 300001); sys.exit(3)"], timeout=60)
    assert (code, len(out), len(err)) == (3, 300001, 300000)
    assert set(out) == {ord("o")} and set(err) == {ord("e")}


def test_a_child_that_does_not_finish_is_killed_and_reaped(way) -> None:
    child = spawn.Child([PY, "-c", "import time; print('started', flush=True); time.sleep(60)"])
    began = time.monotonic()
    with pytest.raises(spawn.Timeout, match="did not finish in 0.5 s"):
        child.finish(timeout=0.5)
    assert time.monotonic() - began < 10
    if child.pid > 0:
        with pytest.raises(ChildProcessError):  # reaped: no zombie left
            os.waitpid(child.pid, os.WNOHANG)


def test_a_discarded_child_is_stopped_and_reaped(way) -> None:
    child = spawn.Child([PY, "-c", "import time; time.sleep(60)"])
    child.discard()
    if child.pid > 0:
        with pytest.raises(ChildProcessError):
            os.waitpid(child.pid, os.WNOHANG)


def test_a_missing_program_is_an_oserror(way) -> None:
    with pytest.raises(OSError):
        spawn.run(["openness-gate-no-such-program"], timeout=5)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the signal mask from /proc")
def test_the_child_gets_sigpipe_at_its_default_as_subprocess_gives_it(way) -> None:
    """Python ignores SIGPIPE and SIGXFSZ; git must not inherit that (it would write on after its
    reader left). (glibc's posix_spawn leaves its two internal signals, 32 and 33, ignored; no
    program handles them, so only the two that matter are compared.)"""
    def ignored(out: bytes) -> int:
        return int(out.split()[1], 16) & (1 << (13 - 1) | 1 << (25 - 1))  # SIGPIPE, SIGXFSZ on Linux

    _, out, _ = spawn.run(["grep", "SigIgn", "/proc/self/status"], timeout=10)
    reference = subprocess.run(["grep", "SigIgn", "/proc/self/status"], capture_output=True).stdout
    assert ignored(out) == ignored(reference) == 0


def test_a_local_check_of_a_work_tree_imports_neither_subprocess_nor_typing(git_repo) -> None:
    """Each is milliseconds of every check (subprocess brings threading, signal, selectors and
    locale): the listing spawns git itself, annotations are never evaluated, dates are made
    only when a config has waivers, and the fork test counts threads with ``_thread``."""
    tmp_path, commit = git_repo
    (tmp_path / "README.md").write_text("# A model\n\nSee LICENSE.\n")
    (tmp_path / "LICENSE").write_text("MIT License\n")
    commit()
    names = ("subprocess", "threading", "typing", "datetime", "signal", "selectors", "contextlib", "importlib.util")
    report, imported = modules_after_check(tmp_path, names, site=False)
    assert '"revision": "' in report and '"files": 2,' in report
    assert imported == set()


def test_a_work_tree_whose_listing_fails_is_a_usage_error_and_leaves_no_git_behind(git_repo) -> None:
    """A damaged index (a disk that filled up mid-write): git still says it is a work tree, then
    both listings fail. The check says why in one line, exit 2; in-process, no git child is left
    running or unreaped (the second listing is stopped when the first fails)."""
    from openness_gate.errors import UsageError
    from openness_gate.sources import local

    tmp_path, commit = git_repo
    (tmp_path / "README.md").write_text("# A model\n")
    commit()
    (tmp_path / ".git" / "index").write_bytes(b"DIRC\x00\x00\x00\x02garbage")
    with pytest.raises(UsageError, match="git ls-files failed"):
        local.load(str(tmp_path))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child of this process at all
    from conftest import run_cli

    proc = run_cli("check", str(tmp_path))
    assert proc.returncode == 2 and "git ls-files failed" in proc.stderr and "Traceback" not in proc.stderr
