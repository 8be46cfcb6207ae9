"""The `check` command as a user runs it: formats, exit codes, the JSON contract, what it never imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.resources import files

import jsonschema
import pytest

from conftest import EXAMPLES, run_cli
from openness_gate import taxonomy

EXAMPLE_NAMES = sorted(p.name for p in EXAMPLES.iterdir() if p.is_dir())
SCHEMA = json.loads(files("openness_gate.schemas").joinpath("report.schema.json").read_text())


def test_there_are_at_least_three_examples():
    assert {"open-science-model", "open-weights-restricted", "bare-code-repo"} <= set(EXAMPLE_NAMES)


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_json_report_validates_and_lists_all_components(name):
    proc = run_cli("check", str(EXAMPLES / name), "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    jsonschema.validate(report, SCHEMA)
    assert [c["id"] for c in report["components"]] == [c.id for c in taxonomy.COMPONENTS]
    assert report["policy"]["passed"] is (proc.returncode == 0)
    for comp in report["components"]:
        if comp["status"] != "missing":
            assert comp["evidence"] and all(e["reason"] for e in comp["evidence"]), comp["id"]


def test_schema_rejects_a_report_missing_a_component():
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--format", "json")
    report = json.loads(proc.stdout)
    report["components"] = report["components"][1:]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, SCHEMA)


def test_exit_0_when_policy_passes():
    proc = run_cli("check", str(EXAMPLES / "open-science-model"), "--policy", "minimal")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASSED" in proc.stdout


def test_exit_1_when_policy_fails_and_says_what_is_missing():
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--policy", "minimal")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "FAILED" in proc.stdout
    assert "Model card" in proc.stdout


@pytest.mark.parametrize("args, fragment", [
    (("check", "/no/such/dir"), "no such file or directory"),
    (("check", "--format", "yaml", "."), "invalid choice"),
    (("check", ".", "--policy", "no-such-policy"), "no-such-policy"),
    (("frobnicate",), "invalid choice"),
    ((), "no command given"),
    (("check", ".", "--text-cap", "lots"), "not a size"),
])
def test_exit_2_with_one_line_and_no_traceback(args, fragment):
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_file_is_not_a_repository(tmp_path):
    f = tmp_path / "model.safetensors"
    f.write_bytes(b"\0" * 16)
    proc = run_cli("check", str(f))
    assert proc.returncode == 2
    assert "not a directory" in proc.stderr and "Traceback" not in proc.stderr


def test_debug_shows_the_traceback():
    proc = run_cli("--debug", "check", "/no/such/dir")
    assert proc.returncode != 0
    assert "Traceback" in proc.stderr


def test_output_file_and_formats(tmp_path):
    out = tmp_path / "report.json"
    proc = run_cli("check", str(EXAMPLES / "open-weights-restricted"), "--format", "json", "--output", str(out))
    assert proc.stdout == ""
    data = json.loads(out.read_text())
    assert data["target"]["kind"] == "local"
    md = run_cli("check", str(EXAMPLES / "open-weights-restricted"), "--format", "markdown").stdout
    assert "openness-gate" in md and "|" in md


def test_output_to_a_fifo_or_through_a_symlink_writes_through_and_never_replaces_it(tmp_path):
    """``--output /dev/null`` once replaced the device with a plain file when run as root (an
    atomic rename onto it); a FIFO stands in for the device here, so the test cannot harm the machine."""
    import os
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--format", "json", "--output", str(fifo))
    reader.join(timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # still the pipe, not a file put in its place
    assert json.loads(got[0])["target"]["kind"] == "local"
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    target.write_text("old")
    link.symlink_to(target)
    assert run_cli("check", str(EXAMPLES / "bare-code-repo"), "--format", "json", "--output", str(link)).returncode == 1
    assert link.is_symlink() and json.loads(target.read_text())["target"]["kind"] == "local"
    assert run_cli("check", str(EXAMPLES / "bare-code-repo"), "--output", str(tmp_path)).returncode == 2


def test_output_into_missing_directory_is_a_usage_error(tmp_path):
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--output", str(tmp_path / "nope" / "r.json"))
    assert proc.returncode == 2 and "does not exist" in proc.stderr


def test_text_report_groups_by_dimension_without_colour_when_piped():
    proc = run_cli("check", str(EXAMPLES / "open-science-model"))
    out = proc.stdout
    positions = [out.index(f"\n{title} (") for title in taxonomy.DIMENSION_TITLES.values()]
    assert positions == sorted(positions)
    assert "\x1b[" not in out  # not a TTY, and NO_COLOR is set by run_cli
    assert "model.safetensors" in out  # evidence is shown


def test_colour_on_a_tty_unless_no_color(tmp_path):
    """Run under a pseudo-terminal: colour appears; with NO_COLOR it does not."""
    import os
    import pty

    def run_in_pty(env_extra):
        code = ("import sys; from openness_gate.cli import main; "
                f"sys.exit(main(['check', {str(EXAMPLES / 'bare-code-repo')!r}]))")
        pid, fd = pty.fork()
        if pid == 0:  # child
            env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
            env.update(env_extra)
            env["TERM"] = "xterm"
            os.execve(sys.executable, [sys.executable, "-c", code], env)
        chunks = []
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        os.waitpid(pid, 0)
        return b"".join(chunks).decode(errors="replace")

    assert "\x1b[" in run_in_pty({})
    assert "\x1b[" not in run_in_pty({"NO_COLOR": "1"})


def test_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("openness-gate ")


def test_console_script_and_module_agree():
    import pathlib
    import shutil

    # the script pip installed beside this interpreter (the README's venv is not on PATH), else PATH's
    beside = pathlib.Path(sys.executable).parent / ("openness-gate.exe" if os.name == "nt" else "openness-gate")
    exe = str(beside) if beside.is_file() else shutil.which("openness-gate")
    if exe is None:
        pytest.skip("console script not installed (run the README's test command: pip install -e '.[test]')")
    a = subprocess.run([exe, "check", str(EXAMPLES / "bare-code-repo"), "--format", "json"], capture_output=True,
                       text=True)
    b = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--format", "json")
    assert a.returncode == b.returncode
    assert json.loads(a.stdout)["components"] == json.loads(b.stdout)["components"]


def test_the_exit_without_teardown_loses_nothing(tmp_path):
    """The command leaves with os._exit after main() (teardown costs a tenth of a check): a report
    far larger than a pipe holds must arrive whole on stdout, the exit code must be the
    policy's, the --output file complete, and the atexit work done (the regex cache is saved
    there: it must exist afterwards)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "README.md").write_text("# A model\n")
    outside = tmp_path / "outside.txt"
    outside.write_text("not part of the repository\n")
    for i in range(2000):  # each listed as skipped: a ~250 KB JSON report
        (repo / f"link-{i:05d}-to-a-file-outside-the-repository.txt").symlink_to(outside)
    prefix = tmp_path / "pycache"
    env = {"PYTHONPYCACHEPREFIX": str(prefix), "PYTHONDONTWRITEBYTECODE": ""}
    piped = run_cli("check", str(repo), "--format", "json", "--policy", "mof", env=env)
    assert piped.returncode == 1 and len(piped.stdout) > 100_000
    assert len(json.loads(piped.stdout)["components"]) == 30
    out = tmp_path / "report.json"
    written = run_cli("check", str(repo), "--format", "json", "--policy", "mof", "--output", str(out), env=env)
    assert written.returncode == 1 and json.loads(out.read_text()) == json.loads(piped.stdout)
    assert list(prefix.rglob("sre_cache.*.sre")), "the atexit save did not run"


@pytest.mark.parametrize("command, collects", [(["check", str(EXAMPLES / "bare-code-repo"), "--format", "json"], False),
                                               (["org", "scan", "--help"], True)])
def test_only_a_long_running_command_keeps_the_cyclic_collector(command, collects):
    """A check runs without the cyclic collector (it costs 7-10 % of a check of 100k files); an
    org scan, which may hold many repositories' objects for a long time, keeps it. Seen from an
    atexit function, which the command's exit runs whether it ends by os._exit or SystemExit."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('collector on' if gc.isenabled() else 'collector off', file=sys.stderr))\n"
            f"sys.argv = ['openness-gate', *{command!r}]\n"
            "from openness_gate.cli import run\n"
            "run()\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stderr.strip().splitlines()[-1] == ("collector on" if collects else "collector off"), proc.stderr
    assert proc.returncode == (0 if collects else 1)


def test_local_check_never_imports_github_or_requests():
    code = (
        "import sys\n"
        "from openness_gate.cli import main\n"
        f"rc = main(['check', {str(EXAMPLES / 'open-science-model')!r}, '--format', 'json', '--output', '/dev/null'])\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('github', 'requests', 'urllib3', 'jwt', 'nacl'))\n"
        "print(heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_json_report_writes_long_inventory_lists_exactly_as_json_dumps_would(tmp_path):
    """Tens of thousands of unread files are written without json's pure-Python indenting encoder;
    the text must be the one json.dumps(indent=2) gives, escapes included."""
    from openness_gate.checker import check
    from openness_gate.inventory import Skipped
    from openness_gate.record import replace
    from openness_gate.report import json_report
    from openness_gate.result import InventorySummary

    (tmp_path / "README.md").write_text("# m\n")
    base = check(str(tmp_path))
    odd = ["a\"b\\c", "tab\there", "é ✓ 😀", "nul\x00", "line\u2028sep", "ctl\x1f"]
    partial = tuple(Skipped(f"dir/{odd[i % len(odd)]}/{i}.py", "content not read: the budget") for i in range(300))
    summary = InventorySummary(file_count=300, lfs_pointers=0, skipped=partial[:70], partial=partial, incomplete=())
    result = replace(base, inventory=summary)
    assert json_report.render(result) == json.dumps(json_report.to_dict(result), indent=2, ensure_ascii=False) + "\n"
