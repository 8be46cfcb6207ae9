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


def modules_after_check(folder: pathlib.Path, names: tuple[str, ...], site: bool = True) -> tuple[str, set[str]]:
    """Run ``check FOLDER --format json`` in a fresh interpreter: (its report, which of ``names`` the
    run imported). Start-up cost is a feature: these modules stay out of a check that needs none.
    What the interpreter had before the check is not counted. ``site=False`` starts it with
    ``-S``: an editable install's import hook (this suite's) imports pathlib at start-up, a
    user's wheel install does not; the folder must then need no third-party module."""
    probe = ("import sys\nnames = sys.argv[2:]\nbefore = set(sys.modules)\n"
             "sys.argv = ['openness-gate', 'check', sys.argv[1], '--format', 'json']\n"
             "from openness_gate.cli import main\nmain()  # not run(): it would leave before the lines below\n"
             "print('imported:', *(m for m in names if m in sys.modules and m not in before), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, *([] if site else ["-S"]), "-c", probe, str(folder), *names],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    line = next(ln for ln in out.stderr.splitlines() if ln.startswith("imported:"))
    return out.stdout, set(line.split()[1:])


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


# --- installing openness-gate as users do: offline wheelhouse, fresh venvs (tests/wheelhouse.py) ---

def action_requirements() -> list[str]:
    """The Action's runtime requirements (action/requirements.txt), comments dropped."""
    lines = (ROOT / "action" / "requirements.txt").read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


@pytest.fixture(scope="session")
def install_env(tmp_path_factory):
    """(wheelhouse, env): our dependencies and setuptools as wheels, and an environment in which
    pip installs only from them (no index, no pip configuration, no user site, no PYTHONPATH)."""
    import wheelhouse

    base = tmp_path_factory.mktemp("install")
    try:
        # google-re2: the Action installs it when the runner has a wheel (action.yml)
        house = wheelhouse.build_wheelhouse(base / "wheelhouse",
                                            action_requirements() + ["setuptools>=64", "google-re2>=1.1"])
    except wheelhouse.NotRepackable as exc:
        pytest.skip(f"cannot build the offline wheelhouse: {exc}")
    return house, wheelhouse.offline_pip_env(house, base / "home")


@pytest.fixture(scope="session")
def source_copy(tmp_path_factory):
    """The repository as a runner checks the Action out, or as a fresh clone has it (git archive)."""
    import wheelhouse

    try:
        return wheelhouse.source_copy(ROOT, tmp_path_factory.mktemp("archive") / "openness-gate")
    except wheelhouse.NotRepackable as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="session")
def deps_only_python(install_env, tmp_path_factory):
    """A fresh venv holding our dependencies but not openness-gate."""
    import wheelhouse

    _, env = install_env
    return wheelhouse.fresh_venv(tmp_path_factory.mktemp("deps-venv") / "venv", env,
                                 install=["--requirement", str(ROOT / "action" / "requirements.txt")])
