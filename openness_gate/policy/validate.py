"""Schema validation of user YAML (policies, repository config) with one-line, located errors.

Users edit these files by hand, so an error must say which file, which line, which key, and
what was expected: "policy.yml:7: requirements[2].severity: 'must' is not one of required,
recommended". Lines are looked up only when there is an error (composing the node tree again),
so valid files cost one parse.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache

from openness_gate import lazyre, package_data
from openness_gate.errors import ConfigError
from openness_gate.parsers import safe_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Sequence

    Path = Sequence[Any]  # keys and list indexes from the document root


def load_yaml(text: str, file: str) -> Any:
    """Parse YAML; a syntax error becomes ConfigError naming file, line and the key it happened under.
    A built-in policy comes pre-parsed when its text is the one the twin was made from."""
    from openness_gate.policy import frozen

    data = frozen.parsed(file, text)
    if data is not None:
        return data
    try:
        return safe_yaml.load(text, what=file)
    except ValueError as exc:
        if isinstance(exc, safe_yaml.YamlError):
            raise _syntax_error(text, exc, file) from None
        line, key = _bad_date(text)  # PyYAML builds dates eagerly: 2026-02-30 fails while loading
        raise ConfigError(f"{file}:{line or '?'}: {key + ': ' if key else ''}{exc} (expected a real date "
                          f"YYYY-MM-DD)") from None


def _bad_date(text: str) -> tuple[int | None, str | None]:
    import datetime

    for i, ln in enumerate(text.splitlines()):
        for m in _DATE_LIKE.finditer(ln):
            try:
                datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                k = _KEY_LINE.match(ln)
                return i + 1, k.group(1).strip() if k else None
    return None, None


def _syntax_error(text: str, exc: safe_yaml.YamlError, file: str) -> ConfigError:
    line, key, problem = _syntax_context(text, exc)
    where = f"{file}:{line}" if line else file
    if exc.line is None or "alias" in problem:
        return ConfigError(f"{where}: refused: {problem}")
    return ConfigError(f"{where}: {key + ': ' if key else ''}YAML syntax error: {problem} (expected valid YAML: "
                       f"'key: value' mappings, '- item' lists, closed brackets and quotes)")


_KEY_LINE = lazyre.compile(r"^\s*(?:-\s+)?([^\s:#'\"\[\]{}][^:#]*?)\s*:(?:\s|$)")
_DATE_LIKE = lazyre.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _syntax_context(text: str, exc: safe_yaml.YamlError) -> tuple[int | None, str | None, str]:
    """(line, key, problem) of a YAML error: the line where the broken construct starts, and its key."""
    import yaml

    line, problem = exc.line, str(exc).replace(f" (line {exc.line})", "")
    if line is None or "alias" in problem:  # size or alias-bomb refusals: never parse that text again
        return line, None, problem
    try:  # parsed again, on the error path only: the pure-Python parser marks the broken line more
        yaml.safe_load(text)  # precisely than libyaml (a tab on line 2 is line 2, not the scalar's line 1)
    except yaml.MarkedYAMLError as err:
        mark = err.context_mark or err.problem_mark
        if mark is not None:
            line = mark.line + 1
        if err.context and err.problem:
            problem = f"{err.problem} {err.context}"
    except Exception:  # noqa: BLE001 - keep the first reading
        pass
    lines = text.splitlines()
    key = None
    for i in range(min(line or 0, len(lines)) - 1, -1, -1):
        m = _KEY_LINE.match(lines[i])
        if m:
            key = m.group(1).strip()
            break
    return line, key, problem


def plain(value: Any) -> Any:
    """YAML dates become ISO strings so that JSON Schema (and JSON reports) see plain data."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if is_date(value):
        return value.isoformat()
    return value


def is_date(value: Any) -> bool:
    """A ``datetime.date`` or ``datetime.datetime`` (PyYAML builds them), without importing
    ``datetime`` (~3 ms) in a check that parsed none: then no value can be one."""
    dt = sys.modules.get("datetime")
    return dt is not None and isinstance(value, dt.date)


def line_of(text: str, path: Path, *, key: bool = False) -> int | None:
    """1-based line of the node at ``path`` (of its key when ``key``), or of the nearest ancestor found."""
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if k.value == str(step)), None)
            if hit is None:
                return line
            line = hit[0].start_mark.line + 1 if key and step == path[-1] else hit[1].start_mark.line + 1
            node = hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def dotted(path: Path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out or "(top level)"


@lru_cache(maxsize=None)
def schema(name: str, package: str = "openness_gate.schemas") -> dict[str, Any]:
    """A JSON Schema shipped in the package, with the taxonomy ids filled in."""
    from openness_gate import taxonomy

    raw = json.loads(package_data.read_text(package, name))
    defs = raw.get("$defs", {})
    if "component" in defs:
        defs["component"] = {"type": "string", "enum": [c.id for c in taxonomy.COMPONENTS]}
    return raw


def _expected(err: Any) -> str:
    """What the schema wanted at the error, in words."""
    v, sub = err.validator, err.schema
    if v == "enum":
        import difflib

        opts = [str(o) for o in sub["enum"]]
        close = difflib.get_close_matches(str(err.instance), opts, n=1, cutoff=0.6)
        shown = ", ".join(opts[:8]) + (f", … ({len(opts)} in all)" if len(opts) > 8 else "")
        return (f"did you mean {close[0]}? " if close else "") + f"expected one of: {shown}"
    if v == "type":
        t = sub["type"]
        return f"expected {' or '.join(t) if isinstance(t, list) else t}"
    if v == "additionalProperties":
        props = sorted(sub.get("properties", {}))
        return f"expected one of: {', '.join(props)}" if props else "expected no other keys"
    if v == "required":
        return f"required keys: {', '.join(sub['required'])}"
    if v in ("minLength", "minItems"):
        return "expected a non-empty value"
    if v == "pattern":
        return sub.get("description") or f"expected text matching {sub['pattern']}"
    if v in ("oneOf", "anyOf"):
        return sub.get("description") or "expected one of the documented forms"
    if v == "minimum" or v == "maximum":
        return f"expected a number {'>=' if v == 'minimum' else '<='} {sub[v]}"
    return sub.get("description") or f"schema rule '{v}'"


def check(data: Any, schema_name: str, text: str, file: str, package: str = "openness_gate.schemas") -> None:
    """Validate ``data`` (parsed from ``text``) against a shipped schema; ConfigError on the first problem."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema(schema_name, package))
    errors = sorted(validator.iter_errors(data), key=lambda e: (len(e.path), list(map(str, e.path))))
    if not errors:
        return
    err = jsonschema.exceptions.best_match(errors) if len(errors) > 1 else errors[0]
    while err.context:  # oneOf/anyOf: the error of the branch the author evidently meant (not a type mismatch)
        meant = [e for e in err.context if e.validator not in ("type", "required")]
        if not meant:
            break
        err = jsonschema.exceptions.best_match(meant)
    path = list(err.absolute_path)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = set(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in allowed]
        bad = extra[0] if extra else "?"
        full = path + [bad]
        raise ConfigError(f"{file}:{line_of(text, full, key=True) or '?'}: {dotted(full)}: unknown key "
                          f"'{bad}' ({_expected(err)})")
    if err.validator == "required":
        missing = next((k for k in err.schema["required"] if k not in (err.instance or {})), "?")
        raise ConfigError(f"{file}:{line_of(text, path) or '?'}: {dotted(path)}: missing key '{missing}' "
                          f"({_expected(err)})")
    shown = json.dumps(err.instance, default=str)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise ConfigError(f"{file}:{line_of(text, path) or '?'}: {dotted(path)}: {shown} is not valid "
                      f"({_expected(err)})")
