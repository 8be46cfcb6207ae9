"""Console-script entry points declared in packaging metadata.

A package's commands say what it is for: ``whisper = whisper.transcribe:cli``,
``corenet-train = corenet.cli.main_train:main_worker``. Files named ``transcribe.py`` or with
no telling name at all are found through them. Read from ``pyproject.toml``
(``[project.scripts]``, ``[project.gui-scripts]``, Poetry's ``[tool.poetry.scripts]``),
``setup.cfg`` (``[options.entry_points] console_scripts``) and ``setup.py`` (the
``console_scripts`` list of ``entry_points=``, read as text: the file is never executed).
"""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.record import record

#: ``name = package.module:function`` (the function part is optional)
_SPEC = lazyre.compile(r"^\s*([A-Za-z0-9][\w.-]*)\s*=\s*([A-Za-z_][\w.]*)\s*(?::\s*([\w.]+))?\s*(?:\[[^\]]*\])?\s*$")
#: a quoted "name = module:function" string inside setup.py
_SETUP_PY_ITEM = lazyre.compile(r"[\"']([A-Za-z0-9][\w.-]*\s*=\s*[A-Za-z_][\w.]*\s*(?::\s*[\w.]+)?)[\"']")
_SETUP_PY_BLOCK = lazyre.compile(r"[\"']console_scripts[\"']\s*:\s*\[([^\]]{0,20000})\]", re.DOTALL)
_WORD_BREAKS = lazyre.compile(r"[-_.:]+")
MAX_SCRIPTS = 50


@record
class EntryPoint:
    name: str  # the command users type
    module: str  # dotted module path
    function: str | None
    source: str  # the metadata file that declares it
    line: int | None

    @property
    def words(self) -> list[str]:
        """The command's, module's and function's words: what the command is for."""
        return [w for w in _WORD_BREAKS.split(f"{self.name}.{self.module}.{self.function or ''}".lower()) if w]


def _line(text: str, needle: str) -> int | None:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else None


def _from_mapping(items: dict, text: str, path: str) -> list[EntryPoint]:
    out = []
    for name, target in list(items.items())[:MAX_SCRIPTS]:
        if isinstance(target, str):
            m = _SPEC.match(f"{name} = {target}")
            if m:
                out.append(EntryPoint(m.group(1), m.group(2), m.group(3), path, _line(text, str(name))))
    return out


def from_pyproject(text: str, path: str) -> list[EntryPoint]:
    from openness_gate.parsers import toml_doc

    if not toml_doc.may_hold(text, "scripts"):  # each of the three tables is named "...scripts"
        return []
    if not toml_doc.available():  # pragma: no cover - Python 3.10: the section read as lines
        return _from_section_lines(text, path, ("[project.scripts]", "[project.gui-scripts]", "[tool.poetry.scripts]"))
    try:
        doc = toml_doc.parse(text)
    except ValueError:
        return []
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    poetry = ((doc.get("tool") or {}).get("poetry") or {}) if isinstance(doc.get("tool"), dict) else {}
    out: list[EntryPoint] = []
    for table in (project.get("scripts"), project.get("gui-scripts"), poetry.get("scripts") if isinstance(poetry, dict) else None):
        if isinstance(table, dict):
            out += _from_mapping(table, text, path)
    return out[:MAX_SCRIPTS]


def _from_section_lines(text: str, path: str, headers: tuple[str, ...]) -> list[EntryPoint]:
    out: list[EntryPoint] = []
    inside = False
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("["):
            inside = line in headers
            continue
        m = _SPEC.match(line.replace('"', "").replace("'", "")) if inside else None
        if m:
            out.append(EntryPoint(m.group(1), m.group(2), m.group(3), path, n))
    return out[:MAX_SCRIPTS]


def from_setup_cfg(text: str, path: str) -> list[EntryPoint]:
    import configparser  # only for repositories that have a setup.cfg

    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read_string(text)
    except configparser.Error:
        return []
    out: list[EntryPoint] = []
    for key in ("console_scripts", "gui_scripts"):
        for spec in (cp.get("options.entry_points", key, fallback="") or "").splitlines():
            m = _SPEC.match(spec)
            if m:
                out.append(EntryPoint(m.group(1), m.group(2), m.group(3), path, _line(text, spec.strip())))
    return out[:MAX_SCRIPTS]


def from_setup_py(text: str, path: str) -> list[EntryPoint]:
    out: list[EntryPoint] = []
    for block in _SETUP_PY_BLOCK.finditer(text):
        for item in _SETUP_PY_ITEM.finditer(block.group(1)):
            m = _SPEC.match(item.group(1))
            if m:
                out.append(EntryPoint(m.group(1), m.group(2), m.group(3), path, _line(text, item.group(1))))
    return out[:MAX_SCRIPTS]


PARSERS = {"pyproject.toml": from_pyproject, "setup.cfg": from_setup_cfg, "setup.py": from_setup_py}
