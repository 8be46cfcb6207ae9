"""The README's picture of a release page: the openness section as the Action writes it into the
release notes (``github/release.render_section``), rendered from its Markdown with CommonMark
(markdown-it-py) under release-page styles, and screenshot with headless Chromium.

    .venv/bin/python tests/release_picture.py docs/release-section.png

The example is the open-science model judged by MOF with ``min-level: Class II``, compared with
an earlier tag that had no datasheet. The badge is our own SVG beside the page (the notes link
the same image on shields.io; the screenshot is taken offline). The emoji need a colour emoji
font (Debian: fonts-noto-color-emoji).
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPO = "https://github.com/acme/nimbus-1b/releases/download/v1.0.0"
NOTES = ("## What's changed\n\n* Trained on 1.2T tokens, with intermediate checkpoints every 10k steps\n"
         "* Datasheet for the pre-training mix\n\n**Full Changelog**: v0.9.0...v1.0.0\n")

STYLE = """
body { margin: 0; background: #f6f8fa; font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
       color: #1f2328; }
.release { margin: 24px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 16px 24px; }
.head { display: flex; align-items: baseline; gap: 12px; border-bottom: 1px solid #d8dee4; padding-bottom: 8px; }
.head h1 { font-size: 24px; margin: 0; }
.label { border: 1px solid #1a7f37; color: #1a7f37; border-radius: 2em; padding: 0 8px; font-size: 12px; }
.tag { color: #59636e; font-size: 12px; }
h3 { font-size: 16px; margin: 16px 0 8px; }
h2 { font-size: 20px; border-bottom: 1px solid #d8dee4; padding-bottom: 4px; }
code { background: #eff1f3; border-radius: 6px; padding: 0.1em 0.4em; font-size: 85%; }
a { color: #0969da; text-decoration: none; }
ul { padding-left: 2em; }
sub { color: #59636e; }
.assets { margin-top: 16px; border: 1px solid #d0d7de; border-radius: 6px; }
.assets div { padding: 6px 12px; border-top: 1px solid #d8dee4; }
.assets div:first-child { border-top: 0; font-weight: 600; }
"""


def _git_commit(folder: pathlib.Path) -> None:
    """The example as a one-commit repository, so the section names its commit as on a runner."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                       check=True, capture_output=True)
    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "v1.0.0")


def section_markdown(badge_file: pathlib.Path) -> str:
    from openness_gate.checker import check
    from openness_gate.github import release
    from openness_gate.policy import load_policy
    from openness_gate.policy.compare import compare
    from openness_gate.policy.config import with_min_level
    from openness_gate.report import badge

    with tempfile.TemporaryDirectory() as tmp:
        head_dir, base_dir = pathlib.Path(tmp, "head"), pathlib.Path(tmp, "base")
        shutil.copytree(ROOT / "examples" / "open-science-model", head_dir)
        shutil.copytree(head_dir, base_dir)
        (base_dir / "DATASHEET.md").unlink()
        _git_commit(head_dir)
        policy = with_min_level(load_policy("mof"), "Class II", "release.min-level")
        head, base = check(str(head_dir), policy), check(str(base_dir), policy)
    facts = release.SectionFacts(head.policy.passed, (), "release policy from .openness.yml", "v0.9.0",
                                 compare(base, head))
    links = {kind: f"{REPO}/{release.ASSETS[kind][0]}" for kind in ("report", "html", "badge")}
    badge_file.write_text(badge.svg(badge.LABEL, badge.message(head), badge.color_name(head)), encoding="utf-8")
    return release.place(NOTES, release.render_section(head, facts, links, badge_image=badge_file.name))


def page(markdown: str) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark").enable("table").render(markdown)
    assets = "".join(f"<div>{name}</div>" for name in ("Assets 5", "openness-badge.svg", "openness-report.html",
                                                        "openness-report.json", "Source code (tar.gz)"))
    return (f"<!doctype html><html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"
            f"<div class='release'><div class='head'><h1>Nimbus 1.0.0</h1><span class='label'>Latest</span>"
            f"<span class='tag'>v1.0.0</span></div>{body}<div class='assets'>{assets}</div></div></body></html>")


def main(out: str) -> None:
    browser = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
                   None)
    if browser is None:
        raise SystemExit("chromium is needed for the screenshot")
    target = pathlib.Path(out).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        html_file = pathlib.Path(tmp, "release.html")
        html_file.write_text(page(section_markdown(pathlib.Path(tmp, "badge.svg"))), encoding="utf-8")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--disable-background-networking", "--no-first-run", f"--user-data-dir={tmp}/profile",
                        f"--screenshot={target}", "--window-size=900,720", html_file.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(target)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "docs" / "release-section.png"))
