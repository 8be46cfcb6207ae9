"""The Result of a check: findings plus the policy verdict. Reporters turn it into text.

Policy evaluation produces ``PolicyResult``; ``checker.check()`` bundles it with the
findings and the inventory summary. Reporters and integrations read a Result and never
judge anything themselves.
"""

from __future__ import annotations


from openness_gate.findings import Finding
from openness_gate.inventory import Skipped, Target
from openness_gate.record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PASS, FAIL, WAIVED = "pass", "fail", "waived"
REQUIRED, RECOMMENDED = "required", "recommended"


@record
class Waiver:
    """A waiver declared in the repository config. ``expired`` waivers no longer apply."""

    target: str  # requirement id or component id
    reason: str
    expires: str | None = None  # ISO date
    expired: bool = False
    source: str | None = None  # file that declared it


@record
class RequirementResult:
    id: str
    component: str | None  # a component id, or None for a group requirement
    severity: str  # required | recommended
    outcome: str  # pass | fail | waived
    message: str
    fix: str
    components: tuple[str, ...] = ()  # every component the requirement looked at
    waiver: Waiver | None = None


@record
class PolicyResult:
    name: str
    passed: bool
    score: int  # 0-100
    level: str | None
    requirements: tuple[RequirementResult, ...] = ()
    waivers: tuple[Waiver, ...] = ()
    source: str | None = None  # the policy file, or "builtin:NAME"
    extra: dict[str, Any] = field(default_factory=dict)  # policy-specific facts (e.g. MOF progress)

    def failed(self, severity: str | None = None) -> list[RequirementResult]:
        return [r for r in self.requirements if r.outcome == FAIL and (severity is None or r.severity == severity)]


@record
class InventorySummary:
    file_count: int
    lfs_pointers: int
    skipped: tuple[Skipped, ...] = ()
    #: content read in part (size caps) or not at all (read budgets beside a component found
    #: present), with why; a file under ``incomplete`` is not repeated here
    partial: tuple[Skipped, ...] = ()
    #: what a limit, budget or fault stopped (a remote read budget, a listing cut short, an I/O
    #: error, a detector's budget with a component left short of present): when any, the verdict
    #: may rest on something unread and is incomplete
    incomplete: tuple[Skipped, ...] = ()


@record
class Result:
    target: Target
    components: tuple[Finding, ...]
    policy: PolicyResult
    inventory: InventorySummary

    @property
    def incomplete(self) -> bool:
        """The verdict may rest on something a limit or fault kept from being read."""
        return bool(self.inventory.incomplete)

    def finding(self, component_id: str) -> Finding:
        for f in self.components:
            if f.component == component_id:
                return f
        raise KeyError(component_id)
