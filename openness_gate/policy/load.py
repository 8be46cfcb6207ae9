"""Policy files: read, validate against ``policy.schema.json``, resolve ``extends``, enforce ``locked``.

Inheritance is a merge by requirement id: a child adds requirements, overrides fields of its
parents' requirements, or drops them (``remove: true``). A parent may mark a requirement
``locked: true`` (an organisation minimum); a child that weakens it (drops it, lowers its
severity, accepts more statuses, relaxes a licence constraint or the completeness bar) gets a
ConfigError naming both files. Every problem is one line naming file, line and key.
"""

from __future__ import annotations

import json
import os
import posixpath

from openness_gate.errors import ConfigError
from openness_gate.policy import builtin, mot, validate
from openness_gate.policy.licences import rule_for
from openness_gate.record import asdict, deep_copy, field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Mapping, Sequence, Union

    #: reads a policy file: (path) -> text; raises ConfigError when it cannot
    Reader = Callable[[str], str]

BUILTIN_PREFIX = "builtin:"
DEFAULT_ACCEPT = ("present", "linked")
_SEVERITY_RANK = {"recommended": 0, "required": 1}

class RefError(ConfigError):
    """A policy reference that cannot be followed (no such file or built-in); wrapped with the naming line."""


@record(frozen=False)
class Policy:
    """A resolved policy: its own settings merged over everything it extends."""

    name: str
    source: str  # builtin:NAME or the file it was read from
    description: str = ""
    requirements: list[dict[str, Any]] = field(default_factory=list)
    accept: tuple[str, ...] = DEFAULT_ACCEPT
    scoring: dict[str, Any] = field(default_factory=dict)
    levels: Any = None  # None, "mof", or a list of {name, min_score, requires, policy_passed}
    pass_level: str | None = None
    #: "fail": an incomplete verdict (a read a limit or fault stopped) fails the gate; "warn": it is
    #: reported only. The strictest choice along the chain binds (an organisation minimum included)
    incomplete: str = "warn"
    #: requirement id -> the file that defined it
    origin: dict[str, str] = field(default_factory=dict)
    #: requirement id -> the file that locked it (for locked errors and waivers)
    locked_by: dict[str, str] = field(default_factory=dict)
    chain: tuple[str, ...] = ()  # the sources merged, parents first

    @property
    def level_names(self) -> list[str]:
        """The level names, lowest first (MOF's classes for ``levels: mof``, as ``mof_data.yml`` names them)."""
        if self.levels == "mof":
            from openness_gate.policy import mot

            labels = mot.facts().short_labels
            return [labels[cls] for cls in sorted(labels, reverse=True)]  # Class III (3) is the lowest
        return [lv["name"] for lv in self.levels or ()]

    def requirement(self, rid: str) -> dict[str, Any] | None:
        return next((r for r in self.requirements if r["id"] == rid), None)


def digest(policy: Policy) -> str:
    """A short digest of the resolved policy and the tool version: two verdicts with the same
    digest were judged alike (caches and published comparisons key on it)."""
    import hashlib  # not on a check's path: OpenSSL's hashlib costs ~20 ms to import

    from openness_gate import __version__

    resolved = json.dumps(asdict(policy), sort_keys=True, default=str)
    return hashlib.sha256(f"{__version__}\n{resolved}".encode()).hexdigest()[:16]


def builtin_names() -> list[str]:
    return list(builtin.names())


def builtin_text(name: str) -> str:
    if name not in builtin_names():
        raise RefError(f"unknown built-in policy '{name}' (expected one of: {', '.join(builtin_names())})")
    return builtin.text(name)


_BUILTIN_CACHE: dict[str, Policy] = {}


def _file_reader(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read(validate.safe_yaml.MAX_BYTES + 1)
    except FileNotFoundError:
        raise RefError(f"{path}: policy file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RefError(f"{path}: cannot read policy file: {getattr(exc, 'strerror', None) or exc}") from None


def _join(base_file: str, ref: str, in_repo: bool) -> str:
    """A relative ``extends`` path, relative to the file that names it."""
    if in_repo:
        if ref.startswith("/") or "\\" in ref:
            raise ConfigError(f"{base_file}: extends: '{ref}' must be a relative path inside the repository")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(base_file), ref))
        if joined == ".." or joined.startswith("../"):
            raise ConfigError(f"{base_file}: extends: '{ref}' points outside the repository")
        return joined
    return os.path.normpath(os.path.join(os.path.dirname(base_file), ref))


def load(ref: str, *, reader: Reader | None = None, in_repo: bool = False,
         parent: Union["Policy", str, None] = None) -> Policy:
    """Load a policy by reference: ``NAME``/``builtin:NAME`` (built-in) or a file path.

    ``reader``/``in_repo``: read files through the repository (paths are repo-relative and may not
    leave it). ``parent``: a policy (or reference) this one is treated as extending first, e.g. an
    organisation's minimum; its locked requirements bind this policy.
    """
    parent_policy = load(parent) if isinstance(parent, str) else parent
    return _load(ref, reader or _file_reader, in_repo, (), parent_policy)


def load_text(text: str, file: str, *, parent: Policy | None = None, reader: Reader | None = None) -> Policy:
    """Load a policy from text (``file`` names it in errors), e.g. an organisation policy fetched remotely.

    Without ``reader`` it may extend only built-ins: a remote policy must never make us read local files.
    """
    def no_files(path: str) -> str:
        raise RefError(f"a policy read from {file} may extend only built-in policies (expected builtin:NAME, "
                       f"not {os.path.basename(path)})")

    return _resolve(text, file, reader or no_files, False, (), parent)


def _is_builtin(ref: str, reader_is_file: bool) -> str | None:
    if ref.startswith(BUILTIN_PREFIX):
        return ref[len(BUILTIN_PREFIX):]
    if ref in builtin_names() and not ref.endswith((".yml", ".yaml")):
        return ref
    return None


def _load(ref: str, reader: Reader, in_repo: bool, stack: tuple[str, ...], parent: Policy | None) -> Policy:
    name = _is_builtin(ref, reader is _file_reader)
    if name is not None:
        source = f"{BUILTIN_PREFIX}{name}"
        if source in stack:
            raise RefError(f"cycle {' -> '.join(stack + (source,))} (expected no policy to extend itself)")
        if parent is not None:
            return _resolve(builtin_text(name), source, _file_reader, False, stack, parent)
        if name not in _BUILTIN_CACHE:  # built-ins never change during a run; an org scan loads them often
            _BUILTIN_CACHE[name] = _resolve(builtin_text(name), source, _file_reader, False, stack, None)
        return deep_copy(_BUILTIN_CACHE[name])
    if not ref.endswith((".yml", ".yaml")):
        raise RefError(f"unknown policy '{ref}' (expected a built-in name: {', '.join(builtin_names())}; "
                          f"or a .yml policy file)")
    if ref in stack:
        raise RefError(f"cycle {' -> '.join(stack + (ref,))} (expected no policy to extend itself)")
    return _resolve(reader(ref), ref, reader, in_repo, stack, parent)


def _resolve(text: str, source: str, reader: Reader, in_repo: bool, stack: tuple[str, ...],
             parent: Policy | None) -> Policy:
    data = validate.load_yaml(text, source)
    if not isinstance(data, dict):
        raise ConfigError(f"{source}:1: (top level): expected a mapping with name, extends, requirements "
                          f"(got {type(data).__name__})")
    data = validate.plain(data)
    if not source.startswith(BUILTIN_PREFIX):  # built-ins are validated by the test suite; skip jsonschema
        validate.check(data, "policy.schema.json", text, source)
    _check_unique_ids(data, text, source)
    stack = stack + (source,)
    bases: list[Policy] = [parent] if parent is not None else []
    refs = data.get("extends") or []
    for i, ref in enumerate([refs] if isinstance(refs, str) else refs):
        if not ref.startswith(BUILTIN_PREFIX):
            ref = _join(source, ref, in_repo) if not source.startswith(BUILTIN_PREFIX) else ref
        try:
            bases.append(_load(ref, reader, in_repo, stack, None))
        except RefError as exc:
            line = validate.line_of(text, ["extends"] + ([i] if isinstance(data["extends"], list) else []))
            raise ConfigError(f"{source}:{line}: extends: {exc}") from None
    merged = _merge_bases(bases)
    return _apply(merged, data, source, text)


def _check_unique_ids(data: Mapping[str, Any], text: str, source: str) -> None:
    seen: set[str] = set()
    for i, req in enumerate(data.get("requirements") or ()):
        if req["id"] in seen:
            line = validate.line_of(text, ["requirements", i, "id"])
            raise ConfigError(f"{source}:{line}: requirements[{i}].id: '{req['id']}' appears twice "
                              f"(expected unique requirement ids)")
        seen.add(req["id"])
        targets = [k for k in ("component", "all_of", "any_of", "mof") if k in req]
        if len(targets) > 1:
            line = validate.line_of(text, ["requirements", i])
            raise ConfigError(f"{source}:{line}: requirements[{i}]: '{req['id']}' has {' and '.join(targets)} "
                              f"(expected only one of component, all_of, any_of, mof)")
        if "mof" in req and mot.facts().component(req["mof"]) is None:
            line = validate.line_of(text, ["requirements", i, "mof"])
            names = ", ".join(c.name for c in mot.facts().components)
            raise ConfigError(f"{source}:{line}: requirements[{i}].mof: '{req['mof']}' is not a MOF component "
                              f"(expected one of: {names})")


def _merge_bases(bases: Sequence[Policy]) -> Policy:
    if not bases:
        return Policy(name="", source="")
    out = deep_copy(bases[0])
    for nxt in bases[1:]:
        for req in nxt.requirements:
            _check_locked(out, req, nxt.source, None, None)
            _put(out, deep_copy(req), nxt.origin.get(req["id"], nxt.source), nxt.locked_by.get(req["id"]))
        out.accept = nxt.accept
        out.scoring = {**out.scoring, **nxt.scoring}
        out.levels = nxt.levels if nxt.levels is not None else out.levels
        out.pass_level = nxt.pass_level or out.pass_level
        out.incomplete = _stricter(out.incomplete, nxt.incomplete)
        out.chain = out.chain + nxt.chain
    return out


def _stricter(a: str, b: str) -> str:
    return "fail" if "fail" in (a, b) else "warn"


def _put(policy: Policy, req: dict[str, Any], source: str, locked_by: str | None = None) -> None:
    if req.get("locked") and req["id"] not in policy.locked_by:
        policy.locked_by[req["id"]] = locked_by or source
    for i, old in enumerate(policy.requirements):
        if old["id"] == req["id"]:
            policy.requirements[i] = req
            return
    policy.requirements.append(req)
    policy.origin[req["id"]] = source


def _apply(base: Policy, data: Mapping[str, Any], source: str, text: str) -> Policy:
    out = deep_copy(base)
    out.name = data.get("name") or (source[len(BUILTIN_PREFIX):] if source.startswith(BUILTIN_PREFIX)
                                    else os.path.basename(source).rsplit(".", 1)[0])
    out.source = source
    out.description = data.get("description", base.description)
    if "accept" in data:
        out.accept = tuple(data["accept"])
    for i, raw in enumerate(data.get("requirements") or ()):
        rid = raw["id"]
        old = out.requirement(rid)
        line = _LazyLine(text, ["requirements", i])
        if old is None:
            if raw.get("remove"):
                continue  # removing what no parent defines: nothing to do
            if not any(k in raw for k in ("component", "all_of", "any_of", "mof")):
                raise ConfigError(f"{source}:{line}: requirements[{i}]: '{rid}' names no component "
                                  f"(expected component, all_of, any_of or mof)")
            _put(out, dict(raw), source)
            continue
        if raw.get("remove"):
            _check_locked(out, None, source, line, rid)
            out.requirements = [r for r in out.requirements if r["id"] != rid]
            continue
        new = {**old, **raw}
        if "license" in raw and "license" in old:
            new["license"] = {**old["license"], **raw["license"]}
        for a, b in (("component", ("all_of", "any_of")), ("all_of", ("component", "any_of")),
                     ("any_of", ("component", "all_of"))):
            if a in raw:
                for k in b:
                    new.pop(k, None)
        _check_locked(out, new, source, line, rid)
        _put(out, new, source)
    out.scoring = {**base.scoring, **(data.get("scoring") or {})}
    if "levels" in data:
        out.levels = data["levels"]
    if "pass_level" in data:
        out.pass_level = data["pass_level"]
    out.incomplete = _stricter(base.incomplete, data.get("incomplete", "warn"))
    _check_levels(out, source, text)
    out.chain = base.chain + (source,)
    return out


class _LazyLine:
    """A requirement's line, looked up only when an error needs it (composing YAML nodes is slow)."""

    def __init__(self, text: str, path: list[Any]) -> None:
        self.text, self.path = text, path

    def __str__(self) -> str:
        return str(validate.line_of(self.text, self.path) or "?")


def _check_levels(policy: Policy, source: str, text: str) -> None:
    ids = {r["id"] for r in policy.requirements}
    names = policy.level_names
    for i, lv in enumerate(policy.levels if isinstance(policy.levels, list) else ()):
        for rid in lv.get("requires") or ():
            if rid not in ids:
                line = validate.line_of(text, ["levels", i, "requires"])
                raise ConfigError(f"{source}:{line}: levels[{i}].requires: unknown requirement '{rid}' "
                                  f"(expected one of: {', '.join(sorted(ids))})")
    if policy.pass_level and policy.pass_level not in names:
        line = validate.line_of(text, ["pass_level"])
        raise ConfigError(f"{source}:{line}: pass_level: '{policy.pass_level}' is not a level of this policy "
                          f"(expected one of: {', '.join(names) or 'none defined'})")


def _weakening(old: Mapping[str, Any], new: Mapping[str, Any] | None) -> str | None:
    """How ``new`` weakens the locked requirement ``old``, or None when it keeps or tightens it."""
    if new is None:
        return "removes it"
    if new.get("locked") is False:
        return "unlocks it"
    if _SEVERITY_RANK[new.get("severity", "required")] < _SEVERITY_RANK[old.get("severity", "required")]:
        return f"lowers its severity to {new.get('severity')}"
    if old.get("accept") and not set(new.get("accept") or DEFAULT_ACCEPT) <= set(old["accept"]):
        return f"accepts more statuses ({', '.join(new.get('accept') or DEFAULT_ACCEPT)})"
    if not old.get("accept") and new.get("accept") and not set(new["accept"]) <= set(DEFAULT_ACCEPT):
        return f"accepts more statuses ({', '.join(new['accept'])})"
    if (new.get("min_completeness") or 0) < (old.get("min_completeness") or 0):
        return f"lowers min_completeness to {new.get('min_completeness') or 0}"
    if old.get("mof") and new.get("mof") != old.get("mof"):
        return "changes its MOF component"
    if old.get("component") and new.get("component") != old["component"]:
        return "changes its component"
    if old.get("all_of") and not set(new.get("all_of") or ()) >= set(old["all_of"]):
        return "checks fewer components (all_of)"
    if old.get("any_of") and not (new.get("any_of") and set(new["any_of"]) <= set(old["any_of"])):
        return "accepts more alternatives (any_of)"
    ol, nl = old.get("license") or {}, new.get("license") or {}
    for ctype in (None, "code", "data", "document"):
        why = _weaker_licence(rule_for(ol, ctype), rule_for(nl, ctype))
        if why:
            return why + (f" for {ctype}" if ctype else "")
    return None


def _weaker_licence(ol: Mapping[str, Any], nl: Mapping[str, Any]) -> str | None:
    for key in ("deny_classes", "deny_ids"):
        if not set(ol.get(key) or ()) <= set(nl.get(key) or ()):
            return f"drops licence {key}"
    for key in ("allow_classes", "allow_ids"):
        if ol.get(key) and not (nl.get(key) and set(nl[key]) <= set(ol[key])):
            return f"widens licence {key}"
    if ol.get("mof_open") and not (nl.get("mof_open") or nl.get("mof_type")):
        return "drops licence mof_open"
    if ol.get("mof_type") and nl.get("mof_type") != ol["mof_type"]:
        return "changes licence mof_type"
    return None


def _check_locked(policy: Policy, new: dict[str, Any] | None, source: str, line: Any,
                  rid: str | None) -> None:
    rid = rid or (new or {}).get("id")
    old = policy.requirement(rid) if rid else None
    if old is None or not old.get("locked"):
        return
    why = _weakening(old, new)
    if why:
        where = f"{source}:{line}" if line else source
        raise ConfigError(f"{where}: requirement '{rid}' is locked by {policy.locked_by.get(rid, policy.source)}; "
                          f"{source} {why} (a policy may add or tighten requirements, never weaken locked ones)")
    if new is not None:
        new["locked"] = True
