"""The badge: SVG that parses, text widths from the font metric table, shields.io endpoint JSON, CLI."""

from __future__ import annotations

import json
import pathlib
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from conftest import EXAMPLES, run_cli
from openness_gate.report import badge, fontmetrics
from test_report_support import make_result

SVG = "{http://www.w3.org/2000/svg}"
DEJAVU = pathlib.Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

#: The shields.io endpoint schema (https://shields.io/badges/endpoint-badge): shields rejects unknown keys.
SHIELDS_ENDPOINT = {
    "type": "object",
    "required": ["schemaVersion", "label", "message"],
    "additionalProperties": False,
    "properties": {
        "schemaVersion": {"const": 1}, "label": {"type": "string"}, "message": {"type": "string", "minLength": 1},
        "color": {"type": "string"}, "labelColor": {"type": "string"}, "isError": {"type": "boolean"},
        "namedLogo": {"type": "string"}, "logoSvg": {"type": "string"}, "logoColor": {"type": "string"},
        "logoWidth": {"type": "number"}, "style": {"type": "string"},
        "cacheSeconds": {"type": "integer", "minimum": 0},
    },
}


def _font_widths() -> dict[str, float]:
    if not DEJAVU.exists():
        pytest.skip(f"{DEJAVU} not installed (Debian: fonts-dejavu-core)")
    return fontmetrics.measure_ttf(str(DEJAVU))


def _texts(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.get("aria-hidden") != "true"]


@pytest.mark.parametrize("level, passed", [(None, False), ("Class II", True), ("WWWWWWWWWW", True)])
def test_svg_parses_and_text_width_is_within_5_percent_of_the_font(level, passed):
    real = _font_widths()
    result = make_result(level=level, passed=passed)
    root = ET.fromstring(badge.render_svg(result))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    title = root.find(f"{SVG}title").text
    assert title == f"openness: {badge.message(result)}" == root.get("aria-label")
    label, message = _texts(root)
    assert (label.text, message.text) == ("openness", badge.message(result))
    for t in (label, message):
        measured = sum(real[ch] for ch in t.text)
        assert abs(float(t.get("textLength")) - measured) <= 0.05 * measured, (t.text, measured)
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("#") and r.get("fill") != "#fff"]
    left, right = rects[0], rects[1]
    assert float(left.get("width")) > float(label.get("textLength"))  # the text fits its box
    assert float(right.get("width")) > float(message.get("textLength"))
    assert abs(float(root.get("width")) - float(left.get("width")) - float(right.get("width"))) < 0.2


def test_width_table_matches_the_real_font():
    real = _font_widths()
    for ch in "openness · 0123456789/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_()":
        assert fontmetrics.text_width(ch) == pytest.approx(real[ch], abs=0.01), ch


def test_colour_follows_the_verdict():
    assert badge.color_name(make_result(passed=False)) == "red"
    assert badge.color_name(make_result(passed=True)) == "green"  # passed, but recommended items are missing
    red = ET.fromstring(badge.render_svg(make_result(passed=False)))
    assert any(r.get("fill") == badge.COLORS["red"] for r in red.iter(f"{SVG}rect"))


def test_endpoint_json_matches_the_shields_schema():
    doc = json.loads(badge.render_endpoint(make_result(level="Class III")))
    jsonschema.validate(doc, SHIELDS_ENDPOINT)
    assert doc["label"] == "openness" and doc["message"].startswith("Class III") and doc["color"] == "red"


def test_svg_names_the_commit_and_the_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = ET.fromstring(badge.render_svg(make_result()))
    desc = root.find(f"{SVG}desc").text
    assert "0123456789ab" in desc and "2023-11-14T22:13:20Z" in desc


def test_hostile_level_cannot_add_elements_to_the_svg():
    root = ET.fromstring(badge.render_svg(make_result(hostile=True)))
    tags = {el.tag.replace(SVG, "") for el in root.iter()}
    assert tags <= {"svg", "title", "desc", "linearGradient", "stop", "clipPath", "rect", "g", "text"}
    assert not any(k.startswith("on") for el in root.iter() for k in el.attrib)


def test_badge_command_writes_svg_and_endpoint_and_exits_with_the_verdict(tmp_path):
    svg, js = tmp_path / "openness.svg", tmp_path / "openness.json"
    proc = run_cli("badge", str(EXAMPLES / "bare-code-repo"), "--output", str(svg), "-o", str(js))
    assert proc.returncode == 1, proc.stderr  # the bare repository fails the default policy
    assert ET.parse(svg).getroot().tag == f"{SVG}svg"
    doc = json.loads(js.read_text())
    jsonschema.validate(doc, SHIELDS_ENDPOINT)
    assert doc["color"] == "red"


def test_check_writes_a_badge_beside_the_report(tmp_path):
    js = tmp_path / "badge.json"
    proc = run_cli("check", str(EXAMPLES / "open-science-model"), "--policy", "minimal", "--badge", str(js))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(js.read_text())["color"] in ("green", "brightgreen")
    assert "PASSED" in proc.stdout


def test_badge_needs_an_output_and_a_writable_place(tmp_path):
    proc = run_cli("badge", str(EXAMPLES / "bare-code-repo"))
    assert proc.returncode == 2 and "--output" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("badge", str(EXAMPLES / "bare-code-repo"), "-o", str(tmp_path / "no" / "dir.svg"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_check_refuses_an_unwritable_badge_before_printing_anything(tmp_path):
    proc = run_cli("check", str(EXAMPLES / "bare-code-repo"), "--badge", str(tmp_path / "missing" / "b.svg"))
    assert proc.returncode == 2 and proc.stdout == ""
    assert "badge" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
