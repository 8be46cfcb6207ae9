"""What every human-facing report shows, in one order: verdict, missing items, the six
dimensions, evidence, waivers. Markdown, text and HTML lay out the same view, so they
never disagree about what is missing. Nothing is judged here: outcomes come from the
policy, statuses from the detectors; this module only sorts and counts them.
"""

from __future__ import annotations

import json
import os
import time
from functools import lru_cache

from openness_gate import package_data, taxonomy
from openness_gate.findings import Finding
from openness_gate.record import record
from openness_gate.result import REQUIRED, WAIVED, RequirementResult, Result, Waiver

MARKS = {"present": "✔", "partial": "◐", "linked": "↗", "missing": "✘"}
LEGEND = "✔ present · ◐ partial · ↗ linked · ✘ missing"


@lru_cache(maxsize=1)
def help_links() -> dict[str, str]:
    """Component id → the template or specification that shows how to provide it (data file)."""
    data = json.loads(package_data.read_text("openness_gate.report", "help-links.json"))
    return dict(data["links"])


@record
class MissingItem:
    requirement: RequirementResult
    title: str  # the component's title, or the requirement id for group requirements
    why: str  # one line: what the component is and why a reader wants it
    help_url: str | None

    @property
    def required(self) -> bool:
        return self.requirement.severity == REQUIRED


@record
class DimensionRow:
    dimension: str
    title: str
    findings: tuple[Finding, ...]

    @property
    def found(self) -> int:
        return sum(1 for f in self.findings if f.found)

    @property
    def total(self) -> int:
        return len(self.findings)


def verdict(result: Result) -> str:
    return "passed" if result.policy.passed else "failed"


def incomplete(result: Result) -> str | None:
    """One sentence when the verdict is incomplete (our words only; the paths are listed apart)."""
    stops = result.inventory.incomplete
    if not stops:
        return None
    shaky = sum(1 for f in result.components if f.unread)
    which = f"; the status of {shaky} component(s) may be wrong" if shaky else ""
    return (f"Incomplete verdict: a read budget or size limit, a cut listing or a fault kept {len(stops)} "
            f"file(s) or folder(s) from being read{which}. They are listed under inventory.incomplete in the JSON "
            "report.")


def missing(result: Result) -> list[MissingItem]:
    """Failed requirements: required ones first, then recommended, each in policy order."""
    items = []
    for r in result.policy.failed():
        comp = taxonomy.BY_ID.get(r.component or "")
        title = comp.title if comp else taxonomy.DIMENSION_TITLES.get(r.id, r.id)
        why = comp.description if comp else _covers(r.components)
        url = help_links().get(comp.id) if comp else None
        items.append(MissingItem(r, title, why, url))
    return sorted(items, key=lambda i: not i.required)


def _covers(component_ids: tuple[str, ...]) -> str:
    titles = [taxonomy.BY_ID[c].title for c in component_ids if c in taxonomy.BY_ID]
    return f"Looks at: {', '.join(titles)}." if titles else ""


@record
class Fact:
    """One policy-specific fact; a mapping value is shown as one level of (key, text) children."""

    key: str
    text: str
    children: tuple[tuple[str, str], ...] = ()


def policy_facts(result: Result) -> list[Fact]:
    """Policy-specific facts (``PolicyResult.extra``, e.g. MOF class and progress), as text, in order.

    Empty values are left out; deeper structures are flattened into ``a: b, c: d`` text."""
    out = []
    for key, value in result.policy.extra.items():
        if isinstance(value, dict):
            kids = tuple((str(k), _fact(v)) for k, v in value.items() if v not in (None, "", [], {}))
            out.append(Fact(str(key), "", kids))
        elif value not in (None, "", [], {}):
            out.append(Fact(str(key), _fact(value)))
    return out


def _fact(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_fact(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(_fact(v) for v in value)
    return str(value)


def short_message(item: MissingItem) -> str:
    """The requirement's message without a leading repetition of the component title."""
    msg = item.requirement.message
    prefix = f"{item.title}: "
    return msg[len(prefix):] if msg.startswith(prefix) and len(msg) > len(prefix) else msg


def dimensions(result: Result) -> list[DimensionRow]:
    by_dim: dict[str, list[Finding]] = {d: [] for d in taxonomy.DIMENSIONS}
    for f in result.components:
        by_dim[f.dimension].append(f)
    return [DimensionRow(d, taxonomy.DIMENSION_TITLES[d], tuple(by_dim[d])) for d in taxonomy.DIMENSIONS]


def waivers_in_force(result: Result) -> list[tuple[Waiver, str]]:
    """(waiver, what it covers) for every waiver that still applies, then expired ones are left out."""
    out: list[tuple[Waiver, str]] = []
    seen = set()
    for r in result.policy.requirements:
        if r.outcome == WAIVED and r.waiver and not r.waiver.expired:
            out.append((r.waiver, r.id))
            seen.add(r.waiver)
    for w in result.policy.waivers:
        if not w.expired and w not in seen:
            out.append((w, w.target))
    return out


def expired_waivers(result: Result) -> list[Waiver]:
    return [w for w in result.policy.waivers if w.expired]


def where(path: str | None, line: int | None, url: str | None) -> str:
    """Evidence location as people write it: ``path:line`` or the URL."""
    if path:
        return f"{path}:{line}" if line else path
    return url or ""


def short_revision(result: Result) -> str | None:
    rev = result.target.revision
    return rev[:12] if rev else None


def checked_at() -> str:
    """Now (UTC), or ``SOURCE_DATE_EPOCH`` when set, so that builds and tests are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:  # time, not datetime: its import is ~3 ms of a small check
        when = time.gmtime(int(epoch)) if epoch else time.gmtime()
    except (ValueError, OverflowError, OSError):
        when = time.gmtime()
    if not 1 <= when.tm_year <= 9999:  # what an ISO 8601 date can say
        when = time.gmtime()
    return (f"{when.tm_year:04d}-{when.tm_mon:02d}-{when.tm_mday:02d}"
            f"T{when.tm_hour:02d}:{when.tm_min:02d}:{when.tm_sec:02d}Z")
