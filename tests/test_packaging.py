"""openness-gate installed every way a user meets it, tested from outside: a wheel, an sdist,
an editable install, a plain source checkout (``python -m openness_gate`` from its root).
(The Action's folder is tested in test_action.py, which runs action.yml's own install step.)

Every install goes into a fresh venv made from the base interpreter, offline, from the wheels
of ``conftest.install_env``; nothing of this test process (PYTHONPATH, user site, pip
configuration, the test venv's site-packages) reaches them.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

import wheelhouse
from conftest import EXAMPLES, ROOT

BUILTINS = {"ai-stack", "minimal", "mof", "osaid-1.0"}


def tracked(root: pathlib.Path, folder: str) -> list[str]:
    """Files of ``folder`` in the checkout (source_copy holds exactly the tracked files)."""
    return sorted(p.relative_to(root).as_posix() for p in (root / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


@pytest.fixture(scope="session")
def built(source_copy, tmp_path_factory):
    """(sdist, wheel) made by ``python -m build`` (the wheel is built from the sdist, as PyPI's
    users' pip would), from a private copy of the checkout."""
    work = tmp_path_factory.mktemp("build")
    src = shutil.copytree(source_copy, work / "src")
    out = work / "dist"
    proc = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return sdist, wheel


def run(python: pathlib.Path, *args: str, cwd: pathlib.Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(python), *args], capture_output=True, text=True, cwd=cwd,
                          env={**env, "NO_COLOR": "1"}, timeout=300)


def test_wheel_and_sdist_carry_every_package_file_and_the_builtin_policies(built, source_copy):
    sdist, wheel = built
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    package = [p for p in tracked(source_copy, "openness_gate")]
    assert package and not [p for p in package if p not in in_wheel]  # schemas, licence data, report assets…
    policies = {f"openness_gate/builtin_policies/{n}.yml" for n in BUILTINS}
    assert policies <= in_wheel
    for must in ("openness_gate/schemas/report.schema.json", "openness_gate/licenses/catalogue.json",
                 "openness_gate/licenses/fingerprints.json"):
        assert must in in_wheel

    prefix = sdist.name[:-len(".tar.gz")]
    with tarfile.open(sdist) as tf:
        in_sdist = {m.name.split("/", 1)[1] for m in tf.getmembers() if "/" in m.name}
    assert {f"policies/{n}.yml" for n in BUILTINS} <= in_sdist
    assert not [p for p in package if p not in in_sdist] and "pyproject.toml" in in_sdist, prefix


def test_wheel_installed_into_a_fresh_venv_lists_the_four_policies(built, install_env, tmp_path):
    _, wheel = built
    _, env = install_env
    python = wheelhouse.fresh_venv(tmp_path / "venv", env, install=[str(wheel)])
    listed = run(python.parent / "openness-gate", "policy", "list", cwd=tmp_path, env=env)
    assert listed.returncode == 0, listed.stderr
    assert {ln.split(":")[0].split(" ")[0] for ln in listed.stdout.splitlines()} == BUILTINS


def test_sdist_installed_into_a_fresh_venv_checks_an_example_under_mof(built, install_env, tmp_path):
    sdist, _ = built
    _, env = install_env
    python = wheelhouse.fresh_venv(tmp_path / "venv", env, install=[str(sdist)])  # built again, isolated
    shutil.copytree(EXAMPLES / "open-science-model", tmp_path / "model")
    result = run(python.parent / "openness-gate", "check", "model", "--policy", "mof", cwd=tmp_path, env=env)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr and "(policy mof, " in result.stdout.splitlines()[0]


def test_source_checkout_runs_with_python_m_from_its_root(deps_only_python, source_copy, install_env):
    """A clone, nothing installed but the dependencies: ``python -m openness_gate`` from the root."""
    _, env = install_env
    result = run(deps_only_python, "-m", "openness_gate", "check", "examples/open-science-model",
                 cwd=source_copy, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    listed = run(deps_only_python, "-m", "openness_gate", "policy", "list", cwd=source_copy, env=env)
    assert {ln.split(":")[0].split(" ")[0] for ln in listed.stdout.splitlines()} == BUILTINS
    elsewhere = run(deps_only_python, "-m", "openness_gate", "policy", "list", cwd=source_copy.parent, env=env)
    assert elsewhere.returncode == 1 and "No module named openness_gate" in elsewhere.stderr  # truly not installed


def test_this_checkout_runs_from_its_root_and_from_elsewhere():
    """The test interpreter's own install (editable, per the README's test command) and the
    source tree in front of it when run from the root: both find the built-in policies."""
    for cwd in (ROOT, ROOT / "tests"):
        result = subprocess.run([sys.executable, "-m", "openness_gate", "check", str(EXAMPLES / "open-science-model"),
                                 "--policy", "mof"], capture_output=True, text=True, cwd=cwd, timeout=120)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
