"""Distribution detectors: use policy, release type, feedback channel (licence: see ``license.py``)."""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate.detectors import Context, detector, license  # noqa: F401  (registers the licence detector)
from openness_gate.findings import PRESENT, Evidence, Finding

_USE_POLICY = re.compile(r"(?:^|/)(?:use[_-]?policy|acceptable[_-]?use[_-]?policy|aup|responsible[_-]?use)[^/]*\.(?:md|txt|pdf)$",
                         re.I)


@detector("distribution", ["distribution.use_policy"])
def use_policy(ctx: Context) -> Iterable[Finding]:
    for f in ctx.inventory:
        if _USE_POLICY.search(f.path):
            yield Finding("distribution.use_policy", PRESENT, (Evidence("acceptable-use policy", f.path),))


@detector("distribution", ["distribution.release_type"])
def release_type(ctx: Context) -> Iterable[Finding]:
    fm, card = ctx.front_matter, ctx.model_card
    if card is None:
        return
    gated = fm.get("gated")
    gate_fields = sorted(k for k in fm if k.startswith("extra_gated_"))
    if gated not in (None, False) or gate_fields:
        what = f"gated: {gated}" if gated not in (None, False) else ", ".join(gate_fields[:3])
        yield Finding("distribution.release_type", PRESENT,
                      (Evidence(f"gated release declared in the card front matter ({what})", card.path, 1),),
                      {"type": "gated"})


_FEEDBACK = re.compile(r"^(?:\.github/|docs/)?(?:SECURITY|SUPPORT)\.(?:md|txt|rst)$|^\.github/ISSUE_TEMPLATE/", re.I)


@detector("distribution", ["distribution.feedback"])
def feedback(ctx: Context) -> Iterable[Finding]:
    for f in ctx.inventory:
        if _FEEDBACK.search(f.path):
            yield Finding("distribution.feedback", PRESENT, (Evidence("reporting channel", f.path),))
    card = ctx.model_card
    if card is not None:
        for s in card.sections:
            if s.title.lower().startswith(("model card contact", "contact")) and s.body.strip():
                yield Finding("distribution.feedback", PRESENT, (Evidence("contact section in the model card",
                                                                          card.path, s.line),))
