"""The deck in the district's own PowerPoint design: its masters, layouts, theme colours, fonts and logo.

The district's file is made here as a person would have it: PowerPoint's
blank design at 16:9, the logo on the slide master, the brand colour as
Accent 1, a heading font docgen has no metrics for, and a slide of its own.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile

import pytest
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

from docgen.write import accessibility

from .conftest import SAMPLE, assert_valid_office
from .test_templates import LOGO

DECK = "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan.pptx"
BRAND = "7A1F2B"


def district_design(path, logo, widescreen=True, heading_font="Georgia"):
    """Write a district's design to ``path``: PowerPoint's defaults, a logo on the master, its colour and font."""
    prs = Presentation()
    if widescreen:
        prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    slide.shapes.title.text = "Welcome to our district"
    picture = slide.shapes.add_picture(str(logo), Inches(12.2), Inches(0.1), Inches(0.9), Inches(0.9))
    picture._element.nvPicPr.cNvPr.set("descr", "Nashoba Falls Regional Schools logo")
    master = prs.slide_masters[0]
    rid = master.part.relate_to(slide.part.related_part(picture._element.blipFill.blip.rEmbed), RT.IMAGE)
    on_master = copy.deepcopy(picture._element)
    on_master.blipFill.blip.set("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed", rid)
    master.shapes._spTree.append(on_master)
    buffer = io.BytesIO()
    prs.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "ppt/theme/theme1.xml":
                theme = re.sub(r'(<a:accent1>\s*<a:srgbClr val=")[0-9A-F]+', rf"\g<1>{BRAND}", data.decode())
                theme = re.sub(r'(<a:majorFont>\s*<a:latin typeface=")[^"]+', rf"\g<1>{heading_font}", theme)
                data = theme.encode()
            target.writestr(info, data)
    return path


@pytest.fixture
def design(tmp_path):
    (tmp_path / "logo.png").write_bytes(LOGO)
    return district_design(tmp_path / "ours.pptx", tmp_path / "logo.png")


def test_the_deck_takes_the_districts_masters_colours_and_logo_and_drops_its_slides(tmp_path, run, design):
    result = run("build", SAMPLE, "--deck-theme", design, "--format", "pptx", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    deck = tmp_path / "out" / DECK
    prs = Presentation(str(deck))
    titles = [s.shapes.title.text if s.shapes.title else "" for s in prs.slides]
    assert "Welcome to our district" not in titles
    assert titles[0] == "District Instructional Prioritization Plan"
    assert prs.slides[0].slide_layout.name == "Title Slide"
    assert {s.slide_layout.name for s in list(prs.slides)[1:]} <= {"Title Only", "Section Header"}
    master_pictures = [s for s in prs.slide_masters[0].shapes if s.shape_type == 13]
    assert [p._element.nvPicPr.cNvPr.get("descr") for p in master_pictures] == ["Nashoba Falls Regional Schools logo"]
    with zipfile.ZipFile(deck) as package:
        slide = package.read("ppt/slides/slide2.xml").decode()
        theme = package.read("ppt/theme/theme1.xml").decode()
    assert '<a:schemeClr val="accent1"/>' in slide and "1F3864" not in slide
    assert BRAND in theme
    assert_valid_office(deck)
    assert accessibility.check_file(deck) == []


def test_a_theme_font_without_metrics_falls_back_to_calibri_and_says_so(tmp_path, run, design):
    result = run("build", SAMPLE, "--deck-theme", design, "--format", "pptx", "-o", tmp_path / "out")
    assert ("Note: the theme's fonts (Georgia) have no metrics in docgen, so the deck uses Calibri, which it "
            "measures, and no text can run off a slide") in result.output
    prs = Presentation(str(tmp_path / "out" / DECK))
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= prs.slide_height and shape.left + shape.width <= prs.slide_width


@pytest.mark.parametrize("heading_font, note", [("Calibri", False), ("Calibri Light", True)])
def test_only_fonts_docgen_cannot_measure_are_replaced(tmp_path, run, heading_font, note):
    (tmp_path / "logo.png").write_bytes(LOGO)
    design = district_design(tmp_path / "ours.pptx", tmp_path / "logo.png", heading_font=heading_font)
    result = run("build", SAMPLE, "--deck-theme", design, "--format", "pptx", "-o", tmp_path / "out")
    assert result.exit_code == 0
    assert ("Note: the theme's fonts (Calibri Light)" in result.output) is note  # Light is not Calibri's metrics


def test_a_four_by_three_design_is_refused_with_what_to_do(tmp_path, run):
    (tmp_path / "logo.png").write_bytes(LOGO)
    design = district_design(tmp_path / "ours.pptx", tmp_path / "logo.png", widescreen=False)
    result = run("build", SAMPLE, "--deck-theme", design, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "has slides that are not 16:9" in result.output and "Design > Slide Size > Widescreen" in result.output
    assert not (tmp_path / "out").exists()
