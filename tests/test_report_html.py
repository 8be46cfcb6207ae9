"""The HTML report: self-contained, escaped, and rendered in a real headless Chromium
(the page renders, the chart is there, no console message at all, a screenshot is taken)."""

from __future__ import annotations

import html.parser
import os
import re
import shutil
import struct
import subprocess

import pytest

from conftest import EXAMPLES, run_cli
from openness_gate.report import fontmetrics, html as html_report, view
from test_report_markdown import live_markup
from test_report_support import MARKER, make_result, write_hostile_repo

ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "header", "footer", "div", "h1", "h2", "p", "code",
    "strong", "span", "table", "thead", "tbody", "tr", "th", "td", "ul", "li", "a", "details", "summary",
    "svg", "desc", "lineargradient", "stop", "clippath", "rect", "g", "text", "polygon", "line", "circle",
}
INSTALL = "apt-get update && apt-get install -y chromium fonts-dejavu-core"


class _Audit(html.parser.HTMLParser):
    """Everything in a page that could run, load or link: tags, event handlers, comments, URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for key, value in attrs:
            if key.startswith("on") or key in ("src", "srcset", "action", "formaction", "background"):
                self.problems.append(f"<{tag} {key}>")
            if key in ("href", "xlink:href") and not (value or "").startswith(tuple(view.help_links().values())):
                self.problems.append(f"<{tag} {key}={value}>")

    def handle_comment(self, data):
        self.problems.append(f"<!--{data}-->")


def audit(page: str) -> _Audit:
    a = _Audit()
    a.feed(page)
    return a


def test_audit_sees_a_live_image():
    assert audit('<p><img src=x onerror=alert(1)></p>').problems


@pytest.mark.parametrize("name", ["open-science-model", "open-weights-restricted", "bare-code-repo"])
def test_page_is_self_contained(name):
    proc = run_cli("check", str(EXAMPLES / name), "--format", "html")
    assert proc.returncode in (0, 1), proc.stderr
    page = proc.stdout
    a = audit(page)
    assert a.tags <= ALLOWED_TAGS, a.tags - ALLOWED_TAGS
    assert not a.problems, a.problems
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert not re.search(r"url\((?!#)|@import", page)  # nothing fetched from CSS (url(#id) is in-page)
    assert page.count('id="dimension-chart"') == 1 and page.count("<polygon") == 5  # 4 rings + data


def test_hostile_strings_are_not_live_in_html():
    page = html_report.render(make_result(hostile=True, evidence_per_component=2))
    a = audit(page)
    assert a.tags <= ALLOWED_TAGS and not a.problems, (a.tags - ALLOWED_TAGS, a.problems[:5])
    assert MARKER not in page and "\x1b" not in page
    assert "onerror" in page  # shown as text


def test_hostile_repository_produces_inert_markdown_and_html(tmp_path):
    write_hostile_repo(tmp_path)
    md = run_cli("check", str(tmp_path), "--format", "markdown")
    page = run_cli("check", str(tmp_path), "--format", "html")
    assert md.returncode in (0, 1) and page.returncode in (0, 1), md.stderr + page.stderr
    assert "Traceback" not in md.stderr + page.stderr
    assert not live_markup(md.stdout), live_markup(md.stdout)[:10]
    assert MARKER not in md.stdout and MARKER not in page.stdout
    a = audit(page.stdout)
    assert a.tags <= ALLOWED_TAGS and not a.problems, (a.tags - ALLOWED_TAGS, a.problems[:5])


# --- in a real browser -----------------------------------------------------------------------

def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail(f"chromium is required in CI for the HTML report test; install it with: {INSTALL}")
    pytest.skip(f"chromium not installed (Debian: {INSTALL}); the HTML report is not tested in a browser")


def _browse(page_path, tmp_path, *mode: str) -> subprocess.CompletedProcess:
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
           f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0", *mode,
           page_path.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)


def _console(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ":CONSOLE" in ln]


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def test_browser_harness_reports_console_messages(tmp_path):
    page = tmp_path / "control.html"
    page.write_text("<!DOCTYPE html><title>x</title><img src='https://example.invalid/x.png'>"
                    "<script>console.error('control-error')</script>")
    proc = _browse(page, tmp_path, "--dump-dom")
    assert any("control-error" in ln for ln in _console(proc.stderr)), proc.stderr[-2000:]


@pytest.mark.parametrize("name", ["open-weights-restricted", "open-science-model"])
def test_html_report_renders_in_chromium_without_console_messages(name, tmp_path):
    page = tmp_path / f"{name}.html"
    proc = run_cli("check", str(EXAMPLES / name), "--format", "html", "--output", str(page))
    assert proc.returncode in (0, 1), proc.stderr
    dom = _browse(page, tmp_path, "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert not _console(dom.stderr), _console(dom.stderr)
    assert 'id="dimension-chart"' in dom.stdout and 'class="data"' in dom.stdout
    assert all(f">{title} " in dom.stdout for title in ("Code", "Data", "Weights", "Guardrails"))
    assert "openness-gate " in dom.stdout and "Missing" in dom.stdout

    shot = tmp_path / f"{name}.png"
    snap = _browse(page, tmp_path, f"--screenshot={shot}", "--window-size=1200,1400", "--hide-scrollbars")
    assert snap.returncode == 0 and shot.exists(), snap.stderr[-2000:]
    assert not _console(snap.stderr), _console(snap.stderr)
    assert _png_size(shot) == (1200, 1400)
    assert shot.stat().st_size > 30_000  # a blank page compresses to a few kilobytes
    keep = os.environ.get("OPENNESS_GATE_SCREENSHOT_DIR")
    if keep:
        shutil.copy(shot, os.path.join(keep, shot.name))


def test_hostile_html_stays_inert_in_chromium(tmp_path):
    page = tmp_path / "hostile.html"
    page.write_text(html_report.render(make_result(hostile=True)), encoding="utf-8")
    dom = _browse(page, tmp_path, "--dump-dom")
    assert not _console(dom.stderr), _console(dom.stderr)  # an injected <img> would trip the CSP and log here
    assert "<img" not in dom.stdout and "<script" not in dom.stdout


def test_badge_text_widths_match_the_browser_within_5_percent(tmp_path):
    """Draw the badge texts without textLength in Chromium and compare the widths it measures."""
    messages = ["openness", "pass · 71/100", "failed · 13/100", "Class II · 88/100", "WWWWWW", "iiiiii"]
    spans = "".join(f'<svg xmlns="http://www.w3.org/2000/svg" width="300" height="20"><text class="m" x="0" y="14" '
                    f'font-family="DejaVu Sans,Verdana,Geneva,sans-serif" font-size="11">{m}</text></svg>'
                    for m in messages)
    page = tmp_path / "widths.html"
    page.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{spans}<pre id='out'></pre><script>"
                    "document.getElementById('out').textContent = Array.from(document.querySelectorAll('text.m'))"
                    ".map(t => t.getComputedTextLength().toFixed(2)).join(',');</script>", encoding="utf-8")
    dom = _browse(page, tmp_path, "--dump-dom")
    found = re.search(r'<pre id="out">([\d.,]+)</pre>', dom.stdout)
    assert found, dom.stdout[-2000:]
    for msg, px in zip(messages, map(float, found.group(1).split(","))):
        ours = fontmetrics.text_width(msg)
        assert abs(ours - px) <= 0.05 * px, (msg, ours, px)
