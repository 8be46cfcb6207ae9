"""Shared test helpers: paths to the examples and to ../shared (skipped with a reason when absent)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


def shared_path(*parts: str) -> pathlib.Path:
    """A file under ../shared; skips the test when the folder is not beside the clone (a user's machine)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not found: ../shared (reference data) is only beside the clone in CI")
    return path


def run_cli(*args: str, cwd: str | os.PathLike | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("OPENNESS_GATE_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "openness_gate", *args], capture_output=True, text=True,
                          cwd=cwd, env=full_env, timeout=timeout)


@pytest.fixture
def git_repo(tmp_path):
    """An empty git repository; returns a function that commits everything in it."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)

    def commit(message: str = "commit") -> str:
        subprocess.run(["git", "-C", str(tmp_path), "add", "-A"], check=True)
        subprocess.run(["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org",
                        "commit", "-q", "--allow-empty", "-m", message], check=True)
        return subprocess.run(["git", "-C", str(tmp_path), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()

    return tmp_path, commit
