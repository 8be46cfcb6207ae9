"""An offline wheelhouse and fresh virtual environments, for tests that install openness-gate
the way a user does (pip, a fresh venv, no network).

No test may reach a package index, yet installing needs wheels of our dependencies (and of
setuptools, which pip's isolated build of openness-gate asks for). ``repack`` turns the
distributions this test interpreter already has into wheels: a wheel is a zip of exactly the
files an installed distribution lists in its RECORD, plus its dist-info, with the platform tag
its WHEEL file recorded. Reinstalling one of those on the same machine gives the same files.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata as md
import os
import pathlib
import re
import subprocess
import sys
import zipfile

from packaging import tags
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

#: dist-info files that describe one installation, not the distribution
_LOCAL = {"RECORD", "INSTALLER", "REQUESTED", "direct_url.json"}


class NotRepackable(Exception):
    """The test interpreter lacks a distribution (or its RECORD): the calling test skips."""


def installed(name: str) -> md.Distribution:
    try:
        return md.distribution(name)
    except md.PackageNotFoundError:
        raise NotRepackable(f"{name} is not installed in {sys.executable}") from None


def closure(roots: list[str]) -> list[md.Distribution]:
    """The installed distributions that ``roots`` (requirement strings) need, markers evaluated."""
    seen: dict[str, md.Distribution] = {}
    todo = [(Requirement(r), "") for r in roots]
    while todo:
        req, extra = todo.pop()
        if req.marker and not req.marker.evaluate({"extra": extra}):
            continue
        key = canonicalize_name(req.name)
        dist = seen.get(key) or installed(req.name)
        fresh = key not in seen
        seen[key] = dist
        for wanted in ([""] if fresh else []) + sorted(req.extras):
            todo.extend((Requirement(r), wanted) for r in dist.requires or [])
    return sorted(seen.values(), key=lambda d: canonicalize_name(d.metadata["Name"]))


def _tag(dist: md.Distribution) -> str:
    recorded = [ln.split(":", 1)[1].strip() for ln in (dist.read_text("WHEEL") or "").splitlines()
                if ln.startswith("Tag:")]
    supported = {str(t) for t in tags.sys_tags()}
    # a universal wheel records py2-none-any before py3-none-any: the tag this interpreter takes wins
    return next((t for t in recorded if t in supported),
                next((t for t in recorded if t.endswith("-none-any")), recorded[0] if recorded else "py3-none-any"))


def repack(dist: md.Distribution, dest: pathlib.Path) -> pathlib.Path:
    """Write ``dist`` (an installed distribution) to ``dest`` as a wheel; return its path."""
    files = [f for f in (dist.files or []) if not str(f).startswith("..") and "__pycache__" not in f.parts]
    if not files:
        raise NotRepackable(f"{dist.metadata['Name']} has no RECORD to repack")
    info = next(f.parts[0] for f in files if f.parts[0].endswith(".dist-info"))
    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    wheel = dest / f"{name}-{dist.version}-{_tag(dist)}.whl"
    record = []
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_STORED) as zf:
        for f in files:
            rel = f.as_posix()
            if rel.startswith(info + "/") and f.name in _LOCAL:
                continue
            data = pathlib.Path(dist.locate_file(f)).read_bytes()
            zf.writestr(rel, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{rel},sha256={digest},{len(data)}")
        record.append(f"{info}/RECORD,,")
        zf.writestr(f"{info}/RECORD", "\n".join(record) + "\n")
    return wheel


def build_wheelhouse(dest: pathlib.Path, requirements: list[str]) -> pathlib.Path:
    dest.mkdir(parents=True, exist_ok=True)
    for dist in closure(requirements):
        repack(dist, dest)
    return dest


def offline_pip_env(wheelhouse: pathlib.Path, home: pathlib.Path) -> dict[str, str]:
    """An environment in which pip can install from ``wheelhouse`` only, and nothing of the
    test process (PYTHONPATH, user site, pip configuration) leaks into what it installs."""
    home.mkdir(parents=True, exist_ok=True)
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "PYTHONNOUSERSITE": "1",
            "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse), "PIP_CONFIG_FILE": os.devnull,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_CACHE_DIR": "1", "PIP_NO_INPUT": "1"}


def fresh_venv(path: pathlib.Path, env: dict[str, str], *, with_pip: bool = False,
               install: list[str] = ()) -> pathlib.Path:
    """A new venv from the base interpreter (never the test venv's site-packages); returns its python."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-I", "-m", "venv", *([] if with_pip else ["--without-pip"]), str(path)],
                   check=True, env=env, capture_output=True)
    python = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if install:
        pip_install(python, install, env)
    return python


def pip_install(python: pathlib.Path, args: list[str], env: dict[str, str]) -> None:
    proc = subprocess.run([sys.executable, "-I", "-m", "pip", "--python", str(python), "install", "--quiet", *args],
                          env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode:
        raise AssertionError(f"pip install {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")


def source_copy(root: pathlib.Path, dest: pathlib.Path) -> pathlib.Path:
    """What a runner checks out for ``uses: owner/openness-gate@REF``: ``git archive`` of the
    commit, here HEAD plus the uncommitted changes to tracked files (``git stash create``),
    so a developer tests what they would commit. New files must be ``git add``-ed to count."""
    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    if git("rev-parse", "--git-dir").returncode:
        raise NotRepackable(f"{root} is not a git checkout: the Action's folder is made with git archive")
    commit = git("stash", "create").stdout.decode().strip() or "HEAD"
    dest.mkdir(parents=True)
    archive = git("archive", "--format=tar", commit)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest
