"""The frame of every self-contained HTML page (check report, comparison matrix, history).

A Content-Security-Policy forbids every external load, so a hostile string that slipped past
escaping could fetch nothing; the one inline script a page may carry is allowed by its hash.
Callers escape what they put in ``title`` and ``body`` (``escape.html_text``).
"""

from __future__ import annotations

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def csp(script: str | None = None) -> str:
    """The page's policy: ``CSP``, plus the hash of its one inline script when it has one."""
    if script is None:
        return CSP
    import base64
    import hashlib  # OpenSSL: ~4 ms, paid only by the pages that carry a script (not a check's report)

    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    return f"{CSP}; script-src 'sha256-{digest}'"


def document(title: str, css: str, body: str, script: str | None = None) -> str:
    """A whole page: ``body`` is the content of ``<body>`` (a ``<main>`` and what follows it)."""
    tail = f"<script>{script}</script>\n" if script is not None else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp(script)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
{body}{tail}</body>
</html>
"""
