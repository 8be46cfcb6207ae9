"""One check, end to end: source → inventory → detectors → findings → policy → Result.

The CLI, the GitHub Action and the organisation scan all call ``check()``; none of them
judges anything themselves.
"""

from __future__ import annotations

from openness_gate import detectors
from openness_gate.inventory import DEFAULT_TEXT_CAP, Inventory, Skipped
from openness_gate.result import InventorySummary, Result
from openness_gate.sources import open_target

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as _dt
    from typing import Any, Mapping


def check_inventory(inventory: Inventory, policy_name: Any = None, *, parent: Any = None,
                    as_of: _dt.date | None = None) -> Result:
    """``policy_name``: a built-in name, a file, or a loaded Policy (None: the repository's
    config, else the default). ``parent``: an organisation minimum the policy must not weaken.
    ``as_of``: the date waiver expiry is judged on (default: today, UTC), to replay a past verdict."""
    return check_inventory_under(inventory, [policy_name], parent=parent, as_of=as_of)[0]


def check_inventory_under(inventory: Inventory, policies: list[Any], *, parent: Any = None,
                          as_of: _dt.date | None = None) -> list[Result]:
    """One Result per policy, the detectors run once: ``compare`` judges each model by the
    chosen policy and also reads its MOF class and OSAID verdict."""
    from openness_gate import policy  # imported by _load_stages while git lists files, in a local check

    config = policy.repo_config(inventory)
    findings = detectors.run(inventory, config)
    summary = _summary(inventory)
    return [Result(inventory.target, tuple(findings),
                   policy.evaluate(findings, name, config, inventory, parent=parent, today=as_of), summary)
            for name in policies]


def _summary(inventory: Inventory) -> InventorySummary:
    return InventorySummary(
        file_count=len(inventory),
        lfs_pointers=len(inventory.lfs_pointers()),
        skipped=tuple(inventory.skipped),
        partial=_in_path_order(inventory.partial),
        incomplete=_in_path_order(inventory.incomplete),
    )


def _in_path_order(found: Mapping[str, str]) -> tuple[Skipped, ...]:
    """path -> why as entries in path order (sorting the paths alone: a large tree has tens of
    thousands of unread files, and comparing (path, why) pairs costs more)."""
    return tuple(Skipped(path, found[path]) for path in sorted(found))


def _load_stages() -> None:
    """Import every later stage (about a tenth of a check on a large repository); the local
    source runs this while git is still listing files."""
    detectors.registered()
    from openness_gate.policy import judge  # noqa: F401  (and the policy package, YAML, the schema checker)


def check(target: str, policy_name: Any = None, *, text_cap: int = DEFAULT_TEXT_CAP,
          as_of: _dt.date | None = None, parent: Any = None) -> Result:
    """Check ``target`` (a folder or ``github:OWNER/REPO[@REF]``); see ``check_inventory``."""
    inventory = open_target(target, text_cap=text_cap, meanwhile=_load_stages)
    return check_inventory(inventory, policy_name, parent=parent, as_of=as_of)
