"""Where a failed requirement points in the repository: the file to fix, and its line.

Code-scanning formats (SARIF, GitLab Code Quality) need a real repository path for every
issue. The best is evidence of the requirement's own components (the partial card, the
licence whose class fails); else the repository's openness config (where an artefact can be
declared or a requirement waived); else the README or model card; else any file we have
evidence for. None when the repository gave no evidence at all: the caller says so.
"""

from __future__ import annotations

import posixpath
from typing import Iterable

from openness_gate.findings import Evidence
from openness_gate.result import RequirementResult, Result

Spot = tuple[str, "int | None"]  # (repository path, line)


def repo_path(path: str | None) -> str | None:
    """A clean repository-relative path, or None for anything that is not one (URLs, built-ins, ``..``)."""
    if not path or path.startswith(("/", "builtin:")) or "://" in path or "\\" in path:
        return None
    norm = posixpath.normpath(path)
    return None if norm.startswith("..") or norm == "." else norm


def spots(evidence: Iterable[Evidence]) -> list[Spot]:
    return [(p, e.line) for e in evidence if (p := repo_path(e.path))]


def fallbacks(result: Result) -> list[Spot]:
    """Files for a requirement with no evidence of its own, best first (see the module docstring)."""
    out: list[Spot] = []
    for source in [w.source for w in result.policy.waivers] + [result.policy.source]:
        if path := repo_path(source):
            out.append((path, None))
    evidence = [s for f in result.components for s in spots(f.evidence)]
    card = [s for f in result.components if f.component == "docs.model_card" for s in spots(f.evidence)]
    readme = [(p, None) for p, _ in evidence if posixpath.basename(p).lower().startswith("readme")]
    return out + card + readme + evidence


def where(result: Result, r: RequirementResult, fallback: list[Spot] | None = None) -> Spot | None:
    """The file (and line, 1 when unknown) to fix for ``r``; ``fallback``: ``fallbacks(result)``, passed
    in when many requirements are located at once."""
    found: list[Spot] = []
    for cid in dict.fromkeys(c for c in (r.component, *r.components) if c):
        try:
            found += spots(result.finding(cid).evidence)
        except KeyError:
            continue
    found += fallbacks(result) if fallback is None else fallback
    if not found:
        return None
    path, line = found[0]
    return path, line if line and line > 0 else 1
