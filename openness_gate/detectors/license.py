"""The distribution.license detector: licence files and declared licences, identified and classified.

Lives in its own module (registered under the distribution dimension) because licence
evidence has many sources: licence files, card front matter, package metadata.
"""

from __future__ import annotations

import re
from typing import Iterable

from openness_gate import licenses
from openness_gate.detectors import Context, detector
from openness_gate.findings import PRESENT, Evidence, Finding

_LICENSE_FILE = re.compile(r"^(?:LICEN[CS]E|COPYING|NOTICE|MODEL_LICEN[CS]E|LICEN[CS]E[-_]MODEL)(?:[-_.][^/]*)?$", re.I)


@detector("distribution", ["distribution.license"])
def license(ctx: Context) -> Iterable[Finding]:
    evidence: list[Evidence] = []
    ids: list[str] = []
    classes: set[str] = set()
    unknown: list[str] = []
    for f in ctx.inventory:
        if "/" in f.path or not _LICENSE_FILE.match(f.path):
            continue
        read = ctx.inventory.read_text(f.path)
        if read.text is None:
            evidence.append(Evidence(f"licence file not readable: {read.note}", f.path))
            continue
        matches = licenses.identify(read.text)
        if not matches:
            title = next((ln.strip() for ln in read.text.splitlines() if ln.strip()), "(empty)")[:80]
            unknown.append(f.path)
            evidence.append(Evidence(f"licence file, text not identified (title: {title!r})", f.path))
        for m in matches:
            ids.append(m.licence.id)
            classes.update(m.licence.classes)
            evidence.append(Evidence(f"licence text identified as {m.licence.name}", f.path, m.line))
    declared = ctx.front_matter.get("license")
    if declared is not None and ctx.model_card is not None:
        lic = licenses.lookup(str(declared)) if isinstance(declared, str) else None
        if lic is not None:
            ids.append(lic.id)
            classes.update(lic.classes)
            evidence.append(Evidence(f"declared in the card front matter: license: {declared}", ctx.model_card.path, 1))
        else:
            evidence.append(Evidence(f"declared licence {str(declared)[:80]!r} is not in the catalogue",
                                     ctx.model_card.path, 1))
    if not evidence:
        return []
    ids = list(dict.fromkeys(ids))
    spdx = [l.spdx for i in ids if (l := licenses.lookup(i)) and l.spdx]
    facts = {"ids": ids, "spdx": spdx, "classes": sorted(classes) or ["unknown"], "unidentified_files": unknown}
    return [Finding("distribution.license", PRESENT, tuple(evidence), facts)]
