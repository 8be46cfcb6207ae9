"""Print the digest of everything the Action installs, for its environment's cache key.

The Action's venv holds openness-gate built from the Action's own folder; a cache keyed only
on ``requirements.txt`` could restore a venv built from older code and run it against newer
policies. Hashing the package sources, the built-in policies, the build configuration, the
requirements and the install step makes any change to what gets installed a new key. Standard library only: this
runs with the bare ``setup-python`` interpreter, before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import sys

#: what goes into the installed environment, relative to the Action's folder (action.yml: its
#: install step, which adds google-re2 and keeps the compiled patterns)
INPUTS = ("action.yml", "pyproject.toml", "action/requirements.txt", "openness_gate", "policies")
SKIP_DIRS = {"__pycache__"}


def files(root: str) -> list[str]:
    out: list[str] = []
    for item in INPUTS:
        path = os.path.join(root, item)
        if os.path.isfile(path):
            out.append(item)
            continue
        for folder, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info"))
            rel = os.path.relpath(folder, root).replace(os.sep, "/")
            out.extend(f"{rel}/{n}" for n in sorted(names) if not n.endswith((".pyc", ".pyo")))
    return out


def digest(root: str) -> str:
    h = hashlib.sha256()
    for rel in files(root):
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


if __name__ == "__main__":
    print(digest(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
