"""``openness_gate.sre_cache``: regex programs kept between runs. A kept program must be exactly
the one ``re.compile`` builds (``Pattern ==`` compares programs), a run with the file must report
what a run without it reports, and no file, a broken file or one from another interpreter must
only cost the compile."""

from __future__ import annotations

import binascii
import importlib
import marshal
import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, ROOT
from openness_gate import lazyre, sre_cache
from test_lazyre import _modules

pytestmark = pytest.mark.skipif(sre_cache._path() is None, reason="this interpreter keeps no regex programs")

#: runs a check in a fresh interpreter and then says how many patterns it compiled afresh
PROBE = ("import sys\nfrom openness_gate import sre_cache\n"
         "sys.argv = ['openness-gate', 'check', sys.argv[1], '--format', 'json']\n"
         "from openness_gate.cli import main\nmain()  # not run(): it would leave before the lines below\n"
         "print('compiled afresh:', len(sre_cache._new), file=sys.stderr)\n")


def _kept_in(prefix: pathlib.Path, **env: str) -> dict[str, str]:
    """This environment, writing bytecode (and the kept programs) under ``prefix``."""
    full = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**full, "PYTHONPYCACHEPREFIX": str(prefix), **env}


def _probe(code: str, prefix: pathlib.Path, *args: str) -> str:
    """What ``code`` prints, run in a fresh interpreter that keeps its programs under ``prefix``."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT,
                         env=_kept_in(prefix), timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _check(folder: pathlib.Path, prefix: pathlib.Path, **env: str) -> tuple[str, int, str]:
    """(report, patterns compiled afresh, stderr) of one check with its bytecode under ``prefix``."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder)], capture_output=True, text=True, timeout=120,
                         cwd=ROOT, env=_kept_in(prefix, **env))
    line = next(ln for ln in out.stderr.splitlines() if ln.startswith("compiled afresh:"))
    return out.stdout, int(line.split(":")[1]), out.stderr


def _kept(prefix: pathlib.Path) -> list[pathlib.Path]:
    return list(prefix.rglob("sre_cache.*.sre"))


def test_every_vocabulary_program_is_the_one_re_compile_builds() -> None:
    total = 0
    for name in _modules():
        for lazy in lazyre.lazy_patterns(importlib.import_module(name)):
            rebuilt = sre_cache._from_program(lazy.pattern, sre_cache._program(lazy.pattern, lazy._flags))
            assert rebuilt == re.compile(lazy.pattern, lazy._flags), lazy.pattern[:80]
            total += 1
    assert total > 300


@pytest.mark.parametrize("pattern,flags", [
    (r"(?P<year>\d{4})-(\d\d)|(?P<word>[a-zß]+)", re.IGNORECASE),
    (r"(?m)^lr:\s*(\S+)$", 0),  # an inline flag: the final flags come from the parse
    (rb"^size (\d+)$", re.MULTILINE),
    (r"(?<=https://)\S+|ſ", re.IGNORECASE | re.VERBOSE),
])
def test_a_program_rebuilds_the_pattern(pattern, flags) -> None:
    rebuilt, real = sre_cache._from_program(pattern, sre_cache._program(pattern, flags)), re.compile(pattern, flags)
    assert rebuilt == real
    assert (rebuilt.groups, rebuilt.groupindex, rebuilt.flags) == (real.groups, real.groupindex, real.flags)


def test_a_second_run_compiles_nothing_and_reports_the_same(tmp_path) -> None:
    folder = EXAMPLES / "open-science-model"
    first, afresh, _ = _check(folder, tmp_path)
    assert afresh > 20 and len(_kept(tmp_path)) == 1
    second, afresh_again, err = _check(folder, tmp_path)
    assert afresh_again == 0, err
    assert second == first and '"components"' in first


def test_no_file_when_python_writes_no_bytecode(tmp_path) -> None:
    report, afresh, _ = _check(EXAMPLES / "open-science-model", tmp_path, PYTHONDONTWRITEBYTECODE="1")
    assert afresh > 20 and _kept(tmp_path) == [] and '"components"' in report


def _damaged(kept: bytes) -> bytes:
    """The file with one byte of a program changed: still a well-formed file, and a program that
    may still be valid code, so only the checksum can tell."""
    at = len(kept) // 2
    return kept[:at] + bytes([kept[at] ^ 0x01]) + kept[at + 1:]


@pytest.mark.parametrize("content", [
    b"\x00not marshal at all",
    marshal.dumps(((0, "another python", 1, 4), 0, b"")),  # another interpreter's file
    b"",
    _damaged,
], ids=["garbage", "foreign", "empty", "one-byte-changed"])
def test_a_broken_or_foreign_file_costs_a_compile_and_is_replaced(tmp_path, content) -> None:
    folder = EXAMPLES / "open-science-model"
    clean, _, _ = _check(folder, tmp_path / "clean")
    _check(folder, tmp_path / "kept")
    [kept] = _kept(tmp_path / "kept")
    kept.write_bytes(content(kept.read_bytes()) if callable(content) else content)
    report, afresh, err = _check(folder, tmp_path / "kept")
    assert report == clean and afresh > 20 and "Traceback" not in err
    header, crc, payload = marshal.loads(kept.read_bytes())
    assert header == sre_cache._HEADER and len(marshal.loads(payload)) == afresh


#: the function re compiles with: re._compiler from Python 3.11, sre_compile before
_HOOK = ("import sys\ntry:\n    import re._compiler as c\nexcept ImportError:\n    import sre_compile as c\n"
         "calls = []\nreal = c.compile\n")
YAML_PROBE = (_HOOK +
              "c.compile = lambda p, f=0: calls.append(p) or real(p, f)\n"
              "from openness_gate.parsers import safe_yaml\n"
              "assert safe_yaml.load('license: mit\\nlanguage: no\\n') == {'license': 'mit', 'language': 'no'}\n"
              "print(len(calls))\n")


def test_pyyaml_gets_its_patterns_from_kept_programs_on_a_second_run(tmp_path) -> None:
    """PyYAML compiles a dozen patterns when imported (half of its import time); the first run
    keeps their programs, the next hands them to re, which then compiles none of them."""
    assert int(_probe(YAML_PROBE, tmp_path)) >= 5  # PyYAML's own, the first time
    assert int(_probe(YAML_PROBE, tmp_path)) == 0


CLI_PROBE = (_HOOK + "import os\n"
             "c.compile = lambda p, f=0: calls.append(p) or real(p, f)\n"
             "from openness_gate.cli import main\n"
             "main(['check', sys.argv[1], '--format', 'json', '--output', os.devnull])\n"
             "print(len(calls))\n")


def test_the_command_start_up_gets_its_standard_library_patterns_from_kept_programs(tmp_path) -> None:
    """json and PyYAML compile patterns at every start (and argparse with gettext and locale, for
    a command line that is not plain); the first run keeps their programs, the next hands them to
    re. Left: pickle's (imported only when the detectors split) and one pattern built from a
    front-matter key."""
    folder = str(EXAMPLES / "open-science-model")
    assert int(_probe(CLI_PROBE, tmp_path, folder)) > 10
    assert int(_probe(CLI_PROBE, tmp_path, folder)) <= 2


SEED_PROBE = ("import re, sys\nfrom openness_gate import sre_cache\n"
              "with sre_cache.seeding('twice'):\n    re.compile(sys.argv[1])\n"
              "with sre_cache.seeding('twice'):\n    re.compile(sys.argv[2])\n"
              "sre_cache.save()\nsre_cache._programs = None\n"
              "print(sorted(p for p, _ in sre_cache._load(sre_cache._path())[('imports', 'twice')]))\n")


def test_two_seeded_blocks_of_one_kind_keep_both_blocks_patterns(tmp_path) -> None:
    out = _probe(SEED_PROBE, tmp_path, "first-block-[a-z]+", "second-block-[0-9]+")
    assert out.strip() == "['first-block-[a-z]+', 'second-block-[0-9]+']"


def test_a_file_another_install_wrote_is_replaced_not_added_to(tmp_path) -> None:
    """``__pycache__`` outlives an uninstall: after an upgrade the file still holds the old version's
    programs. Kept by the install's stamp (``sre_cache.py``'s mtime and size, as Python keys bytecode),
    it is ignored and rewritten with this install's programs only, instead of growing by every
    version's (a longer read on every check). A copy of the package stands for the install."""
    import shutil

    site = tmp_path / "site"
    shutil.copytree(ROOT / "openness_gate", site / "openness_gate", ignore=shutil.ignore_patterns("__pycache__"))
    env = {**_kept_in(tmp_path / "prefix"), "PYTHONPATH": str(site)}

    def check() -> tuple[str, int]:
        out = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLES / "open-science-model")], capture_output=True,
                             text=True, timeout=120, cwd=tmp_path, env=env)
        assert "Traceback" not in out.stderr, out.stderr
        line = next(ln for ln in out.stderr.splitlines() if ln.startswith("compiled afresh:"))
        return out.stdout, int(line.split(":")[1])

    clean, _ = check()
    [kept] = _kept(tmp_path / "prefix")
    header, _, payload = marshal.loads(kept.read_bytes())
    entries = marshal.loads(payload)
    entries[("(a pattern only the old version had)", 0)] = next(iter(entries.values()))
    old = marshal.dumps(entries)
    kept.write_bytes(marshal.dumps((header, binascii.crc32(old), old)))  # as the old install left it
    module = site / "openness_gate" / "sre_cache.py"
    st = module.stat()
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the upgrade wrote the package anew
    report, afresh = check()
    assert report == clean and afresh > 20
    header_now, _, payload = marshal.loads(kept.read_bytes())
    assert header_now != header and ("(a pattern only the old version had)", 0) not in marshal.loads(payload)
