"""Base vs head: what a pull request changes in openness, as plain data.

``compare(base, head)`` lines up two Results component by component. Nothing here decides
pass or fail except one small, documented rule, ``Comparison.regressed``:

    a pull request *regresses* when the policy score drops, or when a component that was
    found at the base (present, linked or partial) is missing at the head.

A component that only weakens (present → partial, present → linked) is reported as
``weakened`` but is not a regression on its own: the score already accounts for it when the
policy cares.
"""

from __future__ import annotations


from openness_gate import taxonomy
from openness_gate.findings import MISSING, STATUS_RANK
from openness_gate.record import record
from openness_gate.result import FAIL, Result

GAINED, LOST, STRENGTHENED, WEAKENED = "gained", "lost", "strengthened", "weakened"


@record
class Change:
    component: str
    before: str  # status at the base
    after: str  # status at the head

    @property
    def kind(self) -> str:
        if self.before == MISSING:
            return GAINED
        if self.after == MISSING:
            return LOST
        return STRENGTHENED if STATUS_RANK[self.after] > STATUS_RANK[self.before] else WEAKENED

    @property
    def title(self) -> str:
        return taxonomy.get(self.component).title


@record
class Comparison:
    base_revision: str | None
    head_revision: str | None
    score_before: int
    score_after: int
    changes: tuple[Change, ...]
    newly_failing: tuple[str, ...]  # requirement ids that pass (or are waived) at base and fail at head
    newly_passing: tuple[str, ...]

    @property
    def score_delta(self) -> int:
        return self.score_after - self.score_before

    def of_kind(self, kind: str) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    @property
    def lost(self) -> list[Change]:
        return self.of_kind(LOST)

    @property
    def regressed(self) -> bool:
        """The regression rule (see the module docstring)."""
        return self.score_delta < 0 or bool(self.lost)

    def reasons(self) -> list[str]:
        """Why ``regressed`` is true, one short sentence each (empty when it is not)."""
        out = []
        if self.score_delta < 0:
            out.append(f"score drops from {self.score_before} to {self.score_after}")
        out += [f"{c.title} ({c.component}) was {c.before} and is now missing" for c in self.lost]
        return out


def compare(base: Result, head: Result) -> Comparison:
    """Line up two Results of the same policy. Components keep taxonomy order."""
    before = {f.component: f.status for f in base.components}
    after = {f.component: f.status for f in head.components}
    changes = tuple(Change(c.id, before.get(c.id, MISSING), after.get(c.id, MISSING))
                    for c in taxonomy.COMPONENTS if before.get(c.id, MISSING) != after.get(c.id, MISSING))
    base_out = {r.id: r.outcome for r in base.policy.requirements}
    head_out = {r.id: r.outcome for r in head.policy.requirements}
    newly_failing = tuple(rid for rid, out in head_out.items() if out == FAIL and base_out.get(rid, FAIL) != FAIL)
    newly_passing = tuple(rid for rid, out in head_out.items() if out != FAIL and base_out.get(rid) == FAIL)
    return Comparison(base.target.revision, head.target.revision, base.policy.score, head.policy.score,
                      changes, newly_failing, newly_passing)
