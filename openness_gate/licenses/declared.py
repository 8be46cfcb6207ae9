"""Declared licences: SPDX expressions and the metadata files that name a licence.

Sources: ``SPDX-License-Identifier`` tags and expressions (``Apache-2.0 OR MIT``),
``pyproject.toml`` (``license``, ``license-files``, trove classifiers), ``setup.cfg``
(``license``), ``CITATION.cff`` (``license``). Hugging Face front matter is read by the
detector from ``ctx.front_matter``. Every function here takes text and never raises on bad
input: it returns what it could read and a reason for what it could not.

A value that is one catalogue id (``apache-2.0``, ``llama3.1``, ``Apache License 2.0``) is answered
from the catalogue; anything else is an SPDX expression, read by ``expression.read`` with its
meaning: an ``OR`` alternative the user need not choose is declared with ``binds=False``.
"""

from __future__ import annotations

import re

from openness_gate import lazyre
from openness_gate.licenses import expression
from openness_gate.licenses.catalogue import Licence, lookup
from openness_gate.record import record

MAX_VALUE = 200  # characters: longer 'licence ids' are not ids (someone pasted a licence text)
_CLASSIFIER = lazyre.compile(r"License\s*::\s*(?:OSI Approved\s*::\s*)?(.+)$")
#: a trove classifier's name with its abbreviation: "GNU General Public License v3 (GPLv3)"
_ABBREVIATED = lazyre.compile(r"^(.*?)\s*\(([^()]+)\)$")
#: Python 3.10 (no tomllib): the project licence read from its line
_LICENSE_LINE = lazyre.compile(r'^license\s*=\s*(?:"([^"]*)"|\{\s*text\s*=\s*"([^"]*)")', re.MULTILINE)


@record
class Declared:
    """One licence named in metadata. ``licence`` is None when the name is not in the catalogue."""

    value: str  # as written (shortened)
    licence: Licence | None
    path: str
    line: int | None
    field: str  # e.g. "license" (front matter), "project.license" (pyproject)
    problem: str | None = None  # why the value could not be used
    expression: str | None = None  # the whole declared expression, normalised (None: not parsable)
    binds: bool = True  # False: an OR alternative the user need not choose; listed, never judged
    reading: str | None = None  # what the expression means ("MIT OR CC-BY-NC-4.0: the user may choose MIT")
    exception: str | None = None  # the SPDX exception after WITH


def from_value(value: object, path: str, line: int | None, field: str) -> list[Declared]:
    """Resolve a metadata value (string, expression, list) into Declared entries, with reasons for junk."""
    if value is None:
        return []
    if isinstance(value, bool) or isinstance(value, (int, float)):
        kind = "boolean" if isinstance(value, bool) else "number"
        return [Declared(str(value), None, path, line, field, f"{field} is a {kind} ({value!r}), not a licence id")]
    if isinstance(value, (list, tuple)):
        if not value:
            return [Declared("[]", None, path, line, field, f"{field} is an empty list")]
        out: list[Declared] = []
        for i, item in enumerate(list(value)[:10]):
            out.extend(from_value(item, path, line, f"{field}[{i}]"))
        return out
    if isinstance(value, dict):
        return [Declared("{…}", None, path, line, field, f"{field} is a mapping, not a licence id")]
    if not isinstance(value, str):
        return [Declared(str(value)[:60], None, path, line, field,
                         f"{field} is a {type(value).__name__}, not a licence id")]
    text = str(value).strip()
    if not text:
        return [Declared("", None, path, line, field, f"{field} is empty")]
    if len(text) > MAX_VALUE or "\n" in text:
        return [Declared(text[:60] + "…", None, path, line, field,
                         f"{field} is {len(text)} characters long: a licence id or expression was expected")]
    lic, _ = expression.key_licence(text)
    if lic is not None:  # one catalogue id (``GPL-2.0+``, ``LicenseRef-llama3`` too): no parser
        return [Declared(text, lic, path, line, field, expression=lic.spdx or text)]
    return from_expression(text, path, line, field)


def from_expression(text: str, path: str, line: int | None, field: str) -> list[Declared]:
    """Every licence of an SPDX expression, in order, with what binds and why (the parser loads here, lazily)."""
    reading = expression.read(text)
    return [Declared(t.text, t.licence, path, line, field, t.problem, reading.expression, t.binds, reading.summary,
                     t.exception) for t in reading.terms]


def from_classifier(name: str, path: str, line: int | None) -> list[Declared]:
    """A trove classifier names one licence, often with its abbreviation: "Mozilla Public License 2.0 (MPL 2.0)".
    Never an SPDX expression ("GNU Library or Lesser General Public License (LGPL)" has an 'or')."""
    m = _ABBREVIATED.match(name)
    for candidate in (name, *(m.groups() if m else ())):
        lic = lookup(candidate)
        if lic is not None:
            return [Declared(name, lic, path, line, "classifier", expression=lic.spdx or lic.id)]
    return []


def _line_of(text: str, pattern: str) -> int | None:
    m = re.search(pattern, text, re.MULTILINE)
    return text.count("\n", 0, m.start()) + 1 if m else None


def from_pyproject(text: str, path: str) -> list[Declared]:
    """``[project] license`` (string or {text=…}) and ``License ::`` classifiers."""
    from openness_gate.parsers import toml_doc

    out: list[Declared] = []
    project: dict = {}
    if not toml_doc.may_hold(text, "licen"):  # a licence key and a licence classifier both spell it
        return out
    if toml_doc.available():
        try:
            project = toml_doc.parse(text).get("project") or {}
        except ValueError:
            return [Declared("", None, path, None, "pyproject.toml", "pyproject.toml is not valid TOML")]
    else:
        m = _LICENSE_LINE.search(text)
        project = {"license": (m.group(1) or m.group(2))} if m else {}
    lic = project.get("license") if isinstance(project, dict) else None
    line = _line_of(text, r"^license\s*=")
    if isinstance(lic, dict):
        if "text" in lic:
            out += from_value(lic["text"], path, line, "project.license")
    elif lic is not None:
        out += from_value(lic, path, line, "project.license")
    for c in project.get("classifiers") or [] if isinstance(project, dict) else []:
        m = _CLASSIFIER.match(str(c))
        if m and not out:
            out += from_classifier(m.group(1).strip(), path, _line_of(text, re.escape(str(c))))
    return out


def from_setup_cfg(text: str, path: str) -> list[Declared]:
    import configparser  # only a repository with a setup.cfg pays for it (~3 ms)

    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read_string(text)
    except configparser.Error:
        return [Declared("", None, path, None, "setup.cfg", "setup.cfg could not be parsed")]
    value = cp.get("metadata", "license", fallback=None)
    return from_value(value, path, _line_of(text, r"^license\s*="), "metadata.license") if value else []


def from_citation(text: str, path: str) -> list[Declared]:
    from openness_gate.parsers import safe_yaml

    try:
        data = safe_yaml.load(text, what="CITATION.cff")
    except safe_yaml.YamlError as exc:
        return [Declared("", None, path, exc.line, "license", f"CITATION.cff is not valid YAML: {exc}")]
    if not isinstance(data, dict) or "license" not in data:
        return []
    return from_value(data["license"], path, _line_of(text, r"^license\s*:"), "license")
