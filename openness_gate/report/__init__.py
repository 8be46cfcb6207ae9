"""Reporters: a Result in, text out. No judging happens here.

``render(result, fmt)`` picks the reporter module by format name; each module exposes
``render(result) -> str``. Modules are imported on demand so a text report never pays for
the HTML or SARIF code.
"""

from __future__ import annotations

from openness_gate import modules
from openness_gate.errors import UsageError
from openness_gate.result import Result

FORMATS: dict[str, str] = {
    "text": "openness_gate.report.text",
    "json": "openness_gate.report.json_report",
    "markdown": "openness_gate.report.markdown",
    "sarif": "openness_gate.report.sarif",
    "html": "openness_gate.report.html",
    "junit": "openness_gate.report.junit",
    "codequality": "openness_gate.report.codequality",
    "cyclonedx": "openness_gate.report.cyclonedx",  # CycloneDX 1.6 ML-BOM (cyclonedx-python-lib)
    "spdx3": "openness_gate.report.spdx3",  # SPDX 3.0.1 JSON-LD, AI and Dataset profiles
}


def render(result: Result, fmt: str, **options: object) -> str:
    try:
        module = modules.load(FORMATS[fmt])
    except KeyError:
        raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})") from None
    return module.render(result, **options)
