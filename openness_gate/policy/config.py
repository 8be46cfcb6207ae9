"""The repository config file ``.openness.yml`` (or ``.openness.yaml``) at the repository root.

One discoverable file: which policy, declared external artefacts (component → URL, licence),
waivers (with a required reason and an optional expiry date), and the rules a release must meet
(``release: {policy, min-level}``, read by the GitHub Action on release and tag events). It is read through the
Inventory, so it works the same for local and remote repositories and never reads outside
the repository root.
"""

from __future__ import annotations

from openness_gate.errors import ConfigError
from openness_gate.inventory import Inventory
from openness_gate.policy import validate
from openness_gate.record import record, replace
from openness_gate.result import Waiver

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any, Mapping

    from openness_gate.policy.load import Policy

CONFIG_NAMES = (".openness.yml", ".openness.yaml")
#: key under which repo_config() records which file it read (not part of the file format)
SOURCE_KEY = "_source"


def config_file(inventory: Inventory) -> str | None:
    """The config file at the root, or None. Both names at once is an error: reading one would
    silently ignore what the other says (waivers, the policy, artefacts declared elsewhere)."""
    found = [n for n in CONFIG_NAMES if n in inventory]
    if len(found) > 1:
        raise ConfigError(f"{' and '.join(found)} both exist at the repository root: keep one")
    return found[0] if found else None


def parse(text: str, file: str) -> dict[str, Any]:
    """Parse and validate config text; ConfigError names file, line and key."""
    data = validate.load_yaml(text, file)
    if data is None:
        return {SOURCE_KEY: file}
    data = validate.plain(data)
    validate.check(data, "config.schema.json", text, file)
    for i, w in enumerate(data.get("waivers") or ()):
        if "expires" in w:
            import datetime

            try:
                datetime.date.fromisoformat(w["expires"])
            except ValueError:
                line = validate.line_of(text, ["waivers", i, "expires"])
                raise ConfigError(f"{file}:{line}: waivers[{i}].expires: {w['expires']!r} is not a real date "
                                  f"(expected YYYY-MM-DD)") from None
    return {**data, SOURCE_KEY: file}


def repo_config(inventory: Inventory) -> dict[str, Any]:
    """The repository's openness config, or {} when it has none; parsed and validated once per
    inventory (the Action resolves the policy from it, then the check reads it again). Callers
    read it, never change it."""
    cached = inventory.derived.get("policy.config")
    if cached is not None:
        return cached
    name = config_file(inventory)
    if name is None:
        config: dict[str, Any] = {}
    else:
        read = inventory.read_text(name)
        if read.text is None:
            raise ConfigError(f"{name}: cannot read: {read.note}")
        config = parse(read.text, name)
    inventory.derived["policy.config"] = config
    return config


def utc_today() -> _dt.date:
    import datetime  # here: a check without waivers never needs a date (the import is ~3 ms)

    return datetime.datetime.now(datetime.timezone.utc).date()


def waivers(config: Mapping[str, Any], today: _dt.date | None = None) -> tuple[Waiver, ...]:
    """The config's waivers; ``expired`` when the expiry date is before ``today``.

    ``today`` defaults to the UTC date, so runners in different time zones judge a waiver alike.
    """
    items = config.get("waivers") or ()
    if not items:
        return ()
    import datetime

    today = today or utc_today()
    out = []
    for w in items:
        expires = w.get("expires")
        expired = bool(expires) and datetime.date.fromisoformat(expires) < today
        out.append(Waiver(target=w.get("requirement") or w.get("component"), reason=w["reason"], expires=expires,
                          expired=expired, source=config.get(SOURCE_KEY)))
    return tuple(out)


def waiver_kind(config: Mapping[str, Any], waiver: Waiver) -> str:
    """'requirement' or 'component': what the waiver's target names."""
    for w in config.get("waivers") or ():
        if (w.get("requirement") or w.get("component")) == waiver.target and w["reason"] == waiver.reason:
            return "requirement" if "requirement" in w else "component"
    return "requirement"


def declared_licenses(config: Mapping[str, Any], component: str) -> list[str]:
    """Licences declared for a component's external artefacts in the config."""
    entries = (config.get("artifacts") or {}).get(component)
    if isinstance(entries, (dict, str)):
        entries = [entries]
    return [e["license"] for e in entries or () if isinstance(e, dict) and e.get("license")]


@record
class ReleaseSettings:
    """The config's ``release:`` entry: the policy a release is judged by and the lowest level it
    may reach. Either may be absent; an absent policy means the repository's normal one."""

    policy: str | None = None
    min_level: str | None = None
    source: str = CONFIG_NAMES[0]


def release_settings(config: Mapping[str, Any]) -> ReleaseSettings:
    """``release:`` of a parsed config (already schema-checked), or empty settings."""
    entry = config.get("release") or {}
    return ReleaseSettings(entry.get("policy"), entry.get("min-level"), config.get(SOURCE_KEY) or CONFIG_NAMES[0])


def with_min_level(policy: "Policy", level: str, where: str) -> "Policy":
    """``policy`` that also fails below ``level``. It only ever raises the bar: a policy whose own
    ``pass_level`` is already at or above ``level`` is returned as it is. ``where`` names the
    setting in the error (``.openness.yml: release.min-level``)."""
    names = policy.level_names
    if level not in names:
        raise ConfigError(f"{where}: '{level}' is not a level of policy {policy.name} "
                          f"(expected one of: {', '.join(names) or 'none defined'})")
    if policy.pass_level in names and names.index(policy.pass_level) >= names.index(level):
        return policy
    return replace(policy, pass_level=level)
