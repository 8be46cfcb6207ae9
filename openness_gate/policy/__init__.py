"""Policies: which components a repository must have, scored and levelled.

Interface used by ``checker.check()`` (the rest of this package may change freely):

* ``repo_config(inventory) -> dict`` reads the repository's openness config (``.openness.yml``):
  policy choice, declared external artefacts, waivers. Raises ConfigError when invalid.
* ``evaluate(findings, policy=None, config=None, inventory=None) -> PolicyResult``.

This first version ships two built-in policies as Python data (``minimal`` and a provisional
``ai-stack``); the YAML policy format, MOF and OSAID arrive with the policy issue.
"""

from __future__ import annotations

from typing import Any, Sequence

from openness_gate.errors import ConfigError
from openness_gate.findings import Finding
from openness_gate.inventory import Inventory
from openness_gate.result import FAIL, PASS, RECOMMENDED, REQUIRED, PolicyResult, RequirementResult
from openness_gate import taxonomy

CONFIG_NAMES = (".openness.yml", ".openness.yaml")
DEFAULT_POLICY = "ai-stack"

_BUILTIN: dict[str, dict[str, str]] = {
    "minimal": {"distribution.license": REQUIRED, "docs.model_card": REQUIRED},
    "ai-stack": {
        "distribution.license": REQUIRED,
        "docs.model_card": REQUIRED,
        "docs.datasheet": REQUIRED,
        "docs.evaluation": REQUIRED,
        **{c.id: RECOMMENDED for c in taxonomy.COMPONENTS
           if c.id not in {"distribution.license", "docs.model_card", "docs.datasheet", "docs.evaluation"}},
    },
}


def repo_config(inventory: Inventory) -> dict[str, Any]:
    """The repository's openness config, or {} when it has none."""
    from openness_gate.parsers import safe_yaml

    for name in CONFIG_NAMES:
        if name in inventory:
            read = inventory.read_text(name)
            if read.text is None:
                raise ConfigError(f"{name}: cannot read: {read.note}")
            try:
                data = safe_yaml.load(read.text, what=name)
            except safe_yaml.YamlError as exc:
                raise ConfigError(f"{name}: {exc}") from None
            if data is None:
                return {}
            if not isinstance(data, dict):
                raise ConfigError(f"{name}: expected a mapping at the top level, got {type(data).__name__}")
            return data
    return {}


def evaluate(findings: Sequence[Finding], policy: str | None = None,
             config: dict[str, Any] | None = None, inventory: Inventory | None = None) -> PolicyResult:
    name = policy or (config or {}).get("policy") or DEFAULT_POLICY
    if name.startswith("builtin:"):
        name = name[len("builtin:"):]
    if name not in _BUILTIN:
        raise ConfigError(f"unknown policy {name!r} (built-in policies: {', '.join(sorted(_BUILTIN))})")
    by_id = {f.component: f for f in findings}
    reqs = []
    for cid, severity in _BUILTIN[name].items():
        comp = taxonomy.get(cid)
        f = by_id[cid]
        ok = f.status in ("present", "linked")
        message = f"{comp.title}: {f.status}"
        reqs.append(RequirementResult(cid, cid, severity, PASS if ok else FAIL, message, comp.fix, (cid,)))
    weights = {REQUIRED: 3, RECOMMENDED: 1}
    total = sum(weights[r.severity] for r in reqs)
    got = sum(weights[r.severity] for r in reqs if r.outcome == PASS)
    passed = all(r.outcome == PASS for r in reqs if r.severity == REQUIRED)
    return PolicyResult(name, passed, round(100 * got / total) if total else 100,
                        "pass" if passed else None, tuple(reqs), (), f"builtin:{name}")
