"""What a Windows user meets, tested where pure Python lets Linux stand in: '\\' separators,
a console in a legacy code page, a platform that cannot stat relative to an open folder."""

from __future__ import annotations

import json
import ntpath
import os
import shutil
import subprocess
import sys

from conftest import EXAMPLES, run_cli
from openness_gate.sources import local


def test_a_windows_path_reaches_reports_with_forward_slashes():
    typed = ntpath.join("models", "open-science-model")  # what a user types in PowerShell
    assert typed == "models\\open-science-model"
    assert local.portable_path(typed, sep=ntpath.sep) == "models/open-science-model"
    assert local.portable_path("models/open-science-model", sep=ntpath.sep) == "models/open-science-model"
    assert local.portable_path("a\\b", sep="/") == "a\\b"  # on POSIX a backslash is part of a name


def test_a_legacy_code_page_console_gets_the_verdict_not_a_crash(tmp_path):
    shutil.copytree(EXAMPLES / "open-weights-restricted", tmp_path / "model")
    result = subprocess.run([sys.executable, "-m", "openness_gate", "check", "model"], cwd=tmp_path,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252", "NO_COLOR": "1"},
                            capture_output=True, encoding="cp1252", timeout=120)
    assert result.returncode == 1, result.stderr  # the policy verdict, not an internal error
    assert "FAILED" in result.stdout and "Traceback" not in result.stderr
    assert "\\u2718" in result.stdout  # the mark cp1252 cannot show is escaped, not fatal


def test_listing_without_dir_fd_gives_the_same_files_as_with_it(tmp_path, monkeypatch):
    """Windows cannot open a folder or stat with dir_fd; the plain-path branch must list the same."""
    tree = shutil.copytree(EXAMPLES / "open-science-model", tmp_path / "model")
    (tree / "weights").mkdir(exist_ok=True)
    (tree / "weights" / "model.safetensors").write_bytes(b"\0" * 64)
    with_fd = local.load(str(tree))
    monkeypatch.setattr(local, "_STAT_IN_DIR", False)
    without = local.load(str(tree))
    listed = sorted((f.path, f.size) for f in without.files)
    assert listed == sorted((f.path, f.size) for f in with_fd.files)
    assert ("weights/model.safetensors", 64) in listed and all("\\" not in p for p, _ in listed)


def test_a_backslash_policy_path_in_the_repository_config_is_one_clear_line(tmp_path):
    shutil.copytree(EXAMPLES / "open-science-model", tmp_path / "model")
    (tmp_path / "model" / ".openness.yml").write_text("policy: policies\\strict.yml\n")
    result = run_cli("check", "model", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and ".openness.yml" in result.stderr
    assert "write repository paths with '/'" in result.stderr


def test_json_report_paths_use_forward_slashes(tmp_path):
    shutil.copytree(EXAMPLES / "open-science-model", tmp_path / "model")
    report = json.loads(run_cli("check", "model", "--format", "json", cwd=tmp_path).stdout)
    paths = [e["path"] for c in report["components"] for e in c["evidence"] if e.get("path")]
    assert any("/" in p for p in paths) and not any("\\" in p for p in paths)
