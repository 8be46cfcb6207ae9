"""Policies: which components a repository must have, judged, scored and levelled.

Interface used by the rest of the tool:

* ``repo_config(inventory) -> dict``: the repository's ``.openness.yml`` (policy choice, declared
  external artefacts, waivers), validated; ConfigError names file, line and key.
* ``evaluate(findings, policy=None, config=None, inventory=None) -> PolicyResult``; ``policy`` is a
  built-in name, ``builtin:NAME``, a policy file, or a loaded ``Policy``; default: the config's
  ``policy``, else ``ai-stack``. ``parent=`` binds the policy to an organisation minimum.
* ``resolve(policy, config, inventory, parent=)`` -> the Policy a check applies, and
  ``resolve_release(...)`` -> the one a release is judged by (``release:`` of the config).
* ``load_policy(ref, parent=None) -> Policy`` and ``builtin_names()`` for the CLI and the org scan.
* ``gate(verdict, fail_on, comparison, fail_on_regression) -> (passed, reasons)``: what blocks a pull
  request (``gate``), including the regression rule of ``compare`` (base vs head).

Modules: ``config`` (.openness.yml), ``load`` (schema, extends, locked), ``judge`` (outcomes,
waivers, score, level), ``mot`` (MOT's exact algorithm), ``mof`` (findings → MOT inventory), ``gate`` and ``compare``
(the gate verdict and base-vs-head regression).
"""

from __future__ import annotations

import posixpath

from openness_gate.errors import ConfigError
from openness_gate.findings import Finding
from openness_gate.inventory import Inventory
from openness_gate.policy.config import CONFIG_NAMES, SOURCE_KEY, repo_config
from openness_gate.policy.load import Policy, builtin_names, load as load_policy
from openness_gate.policy.gate import FAIL_ON, blocking, gate
from openness_gate.result import PolicyResult

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any, Sequence, Union

DEFAULT_POLICY = "ai-stack"
#: How strict a gate is: fail on what the policy says (``required``), also on any failed
#: recommended requirement (``recommended``), or never (report only).

__all__ = ["CONFIG_NAMES", "DEFAULT_POLICY", "FAIL_ON", "blocking", "gate", "Policy", "builtin_names", "evaluate", "load_policy", "repo_config", "resolve",
           "resolve_release"]


def _inventory_reader(inventory: Inventory, config_file: str):
    def read(path: str) -> str:
        from openness_gate.policy.load import RefError

        if path not in inventory:
            raise RefError(f"{path}: policy file not found in the repository (named in {config_file})")
        got = inventory.read_text(path)
        if got.text is None:
            raise RefError(f"{path}: cannot read policy file: {got.note}")
        return got.text

    return read


def _from_config(ref: str, config: dict[str, Any], inventory: Inventory | None,
                 parent: Policy | str | None) -> Policy:
    """A policy named in the repository config: built-in, or a file inside the repository."""
    from openness_gate.policy.load import BUILTIN_PREFIX, RefError

    source = config.get(SOURCE_KEY, CONFIG_NAMES[0])
    if ref.startswith(BUILTIN_PREFIX) or ref in builtin_names() or not ref.endswith((".yml", ".yaml")):
        try:
            return load_policy(ref, parent=parent)
        except RefError as exc:
            raise ConfigError(f"{source}: policy: {exc}") from None
    if "\\" in ref:  # a Windows habit: repository paths are the same on every platform
        raise ConfigError(f"{source}: policy: '{ref}' uses '\\'; write repository paths with '/'")
    path = posixpath.normpath(ref)
    if ref.startswith("/") or path == ".." or path.startswith("../"):
        raise ConfigError(f"{source}: policy: '{ref}' must be a file inside the repository")
    if inventory is None:
        raise ConfigError(f"{source}: policy: '{ref}' is a file, but no repository was given to read it from")
    return load_policy(path, reader=_inventory_reader(inventory, source), in_repo=True, parent=parent)


def evaluate(findings: Sequence[Finding], policy: Union[str, Policy, None] = None,
             config: dict[str, Any] | None = None, inventory: Inventory | None = None, *,
             parent: Policy | str | None = None, today: _dt.date | None = None) -> PolicyResult:
    """Judge the findings; ``parent`` (an organisation minimum) binds with its locked requirements."""
    from openness_gate.policy import judge as ev

    config = config or {}
    resolved = resolve(policy, config, inventory, parent=parent)
    return ev.evaluate(resolved, findings, config, today, inventory.incomplete if inventory is not None else None)


def resolve(policy: Union[str, Policy, None] = None, config: dict[str, Any] | None = None,
            inventory: Inventory | None = None, *, parent: Policy | str | None = None) -> Policy:
    """The policy a check applies: ``policy`` when given, else the config's ``policy`` (a file it
    names is read from the repository), else the organisation minimum, else the default. Callers
    that adjust the policy before judging (the Action's release policy) resolve it here first."""
    config = config or {}
    if isinstance(policy, Policy):
        return policy
    if policy:
        return load_policy(policy, parent=parent)
    if config.get("policy"):
        return _from_config(str(config["policy"]), config, inventory, parent)
    if parent is not None:  # no choice of its own: the organisation minimum is the policy
        return parent if isinstance(parent, Policy) else load_policy(parent)
    return load_policy(DEFAULT_POLICY)


def resolve_release(policy: Union[str, Policy, None] = None, config: dict[str, Any] | None = None,
                    inventory: Inventory | None = None, *, parent: Policy | str | None = None) -> tuple[Policy, str | None]:
    """(the policy a release is judged by, the config file whose ``release:`` set it, or None): the
    config's ``release: {policy, min-level}`` (its policy instead of the normal one, its level a bar
    that is only ever raised), else the normal policy, ``resolve(policy, config, …)``. The
    organisation minimum binds each of them, as it binds the normal policy."""
    from openness_gate.policy.config import release_settings, with_min_level

    config = config or {}
    settings = release_settings(config)
    if settings.policy:
        chosen = resolve(None, {**config, "policy": settings.policy}, inventory, parent=parent)
    else:
        chosen = resolve(policy, config, inventory, parent=parent)
    if settings.min_level:
        chosen = with_min_level(chosen, settings.min_level, f"{settings.source}: release.min-level")
    return chosen, settings.source if settings.policy or settings.min_level else None
