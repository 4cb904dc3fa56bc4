"""The PowerPoint plan: 16:9, titled slides, real bullets and tables, notes, and no text off the slide."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from PIL import ImageFont
from pptx import Presentation
from pptx.util import Emu

from docgen import api, variants

from .test_workbook import answer_rows

CARLITO = Path("/usr/share/fonts/truetype/crosextra")
WORDS = ("district leaders and coaches review student work every week to adjust grade-level instruction for "
         "English learners and students with disabilities in each classroom").split()


def build_pptx(workbook, out) -> Path:
    api.build(workbook, out, formats=("pptx",))
    return next(Path(out).glob("*.pptx"))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


@pytest.fixture
def sample_pptx(sample, tmp_path):
    return build_pptx(sample, tmp_path / "out")


def test_deck_is_16_9_with_a_title_on_every_slide(sample_pptx):
    prs = Presentation(str(sample_pptx))
    assert (prs.slide_width, prs.slide_height) == (Emu(12191695), Emu(6858000)) or \
        abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    titles = [slide_title(s) for s in prs.slides]
    assert all(titles)
    assert len(titles) == len(set(titles))
    assert titles[0] == "District Instructional Prioritization Plan"
    for heading in ("1. Instructional Priority", "4. Outcomes", "6. Monitoring Implementation",
                    "8. Targeted Support for Priority Schools", "Instructional Priority #1"):
        assert heading in titles
    assert prs.core_properties.title == "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan"
    for slide in prs.slides:  # the title comes first in reading order
        assert slide.shapes[0].is_placeholder or slide.shapes.title.shape_id == min(
            s.shape_id for s in slide.shapes if s.has_text_frame and s.text_frame.text)


def test_title_slide_names_district_year_date_and_contact(sample_pptx):
    text = " ".join(s.text_frame.text for s in Presentation(str(sample_pptx)).slides[0].shapes if s.has_text_frame)
    for part in ("Cranberry Harbor Public Schools", "2025-2026", "June 20, 2025",
                 "Marcus Whitfield", "mwhitfield@cranberryharbor.example.org"):
        assert part in text


def test_speaker_notes_hold_the_full_prompt_and_tips(sample_pptx):
    prs = Presentation(str(sample_pptx))
    slide = next(s for s in prs.slides if slide_title(s) == "6. Monitoring Implementation")
    notes = slide.notes_slide.notes_text_frame.text
    spec = next(s for s in variants.load("fy26").sections if s.id == "monitoring")
    assert spec.prompt in notes
    for tip in spec.tips:
        assert tip in notes
    outcomes = next(s for s in prs.slides if slide_title(s) == "4. Outcomes").notes_slide.notes_text_frame.text
    assert outcomes.startswith("4. Outcomes: What annual targets will the district use")
    parts = {s.notes_slide.part.partname for s in prs.slides}
    assert len(parts) == len(prs.slides)  # every slide has notes of its own


def test_answers_are_real_bullets(sample_pptx):
    prs = Presentation(str(sample_pptx))
    found = False
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                for p in shape.text_frame.paragraphs:
                    assert not p.text.startswith(("- ", "• "))
                    if p.text.startswith("Protect 90 minutes of collaborative unit planning"):
                        found = p._p.pPr.find(
                            "{http://schemas.openxmlformats.org/drawingml/2006/main}buChar") is not None
    assert found


def test_benchmarks_and_schools_are_tables_with_header_rows(sample_pptx):
    prs = Presentation(str(sample_pptx))
    tables = {slide_title(s): sh.table for s in prs.slides for sh in s.shapes if sh.has_table}
    monitoring = tables["6. Monitoring Implementation"]
    assert monitoring.first_row
    assert [c.text for c in monitoring.rows[0].cells][:2] == ["Interim benchmark", "Level"]
    assert len(monitoring.rows) == 1 + 3
    targeted = tables["8. Targeted Support for Priority Schools"]
    assert targeted.cell(1, 0).text.startswith("Ellis Pond Middle School")


def measured_height(frame, width_emu) -> float:
    """Height in inches the frame's text takes, measured independently with Carlito through Pillow."""
    inset = (frame.margin_left + frame.margin_right) / 914400
    total = 0.0
    for p in frame.paragraphs:
        size = max((r.font.size.pt for r in p.runs if r.font.size), default=18)
        bold = any(r.font.bold for r in p.runs)
        font = ImageFont.truetype(str(CARLITO / ("Carlito-Bold.ttf" if bold else "Carlito-Regular.ttf")), 1000)
        indent = int(p._p.pPr.get("marL", 0)) / 914400 if p._p.pPr is not None else 0
        room = width_emu / 914400 - inset - indent
        lines, current = 0, ""
        for word in p.text.split(" "):
            candidate = f"{current} {word}".strip()
            if font.getlength(candidate) * size / 1000 / 72 <= room or not current:
                current = candidate
            else:
                lines, current = lines + 1, word
        lines += 1
        space = p.space_before.pt / 72 if p.space_before is not None else 0
        total += lines * size * 1.22 / 72 + space
    return total + (frame.margin_top + frame.margin_bottom) / 914400


@pytest.mark.skipif(not (CARLITO / "Carlito-Regular.ttf").exists(), reason="fonts-crosextra-carlito not installed")
def test_a_long_answer_and_a_long_table_never_overflow_a_slide(sample, tmp_path):
    wb = openpyxl.load_workbook(sample)
    long_answer = " ".join(WORDS[i % len(WORDS)] for i in range(1500))
    dict(answer_rows(wb["Priority 1"]))["desired_impact"].value = long_answer
    ws = wb["Monitoring"]
    for row in range(5, 5 + 12):
        values = [1, f"Benchmark {row - 4}: " + " ".join(WORDS[: 10 + row]), "School", "Principal and coach",
                  "Monthly", "On track when " + " ".join(WORDS[: 8 + row])]
        for col, value in enumerate(values, start=1):
            ws.cell(row=row, column=col, value=value)
    wb.save(sample)
    deck = build_pptx(sample, tmp_path / "out")
    prs = Presentation(str(deck))
    height_in = prs.slide_height / 914400
    continued = [slide_title(s) for s in prs.slides if "(continued" in slide_title(s)]
    assert any(t.startswith("1. Instructional Priority (continued") for t in continued)
    assert any(t.startswith("6. Monitoring Implementation (continued") for t in continued)
    text_out, labels_again = [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= prs.slide_height, slide_title(slide)
            assert shape.left + shape.width <= prs.slide_width
            if shape.has_text_frame and shape.text_frame.text and not shape.is_placeholder:
                need = measured_height(shape.text_frame, shape.width)
                assert need <= shape.height / 914400 + 0.02, (slide_title(slide), shape.text_frame.text[:60])
                assert shape.top / 914400 + need <= height_in
                if shape.top / 914400 < 6.9:  # not the footer line
                    paragraphs = [p.text for p in shape.text_frame.paragraphs]
                    labels_again += [p for p in paragraphs if p.endswith(" (continued)")]
                    text_out += [p for p in paragraphs if not p.endswith(" (continued)")]
            if shape.has_table:
                rows_total = 0
                for r, row in enumerate(shape.table.rows):
                    cell_need = max(measured_height(c.text_frame, shape.table.columns[i].width)
                                    for i, c in enumerate(row.cells))
                    assert cell_need <= row.height / 914400 + 0.02
                    rows_total += row.height
                    if r:
                        text_out.append(row.cells[0].text)
                assert shape.top + rows_total <= prs.slide_height
    joined = re.sub(r"\s+", " ", " ".join(text_out))
    assert long_answer in joined  # every word of the long answer is on some slide, in order
    assert "Desired impact on instruction and student learning (continued)" in labels_again
    for n in range(1, 13):
        assert f"Benchmark {n}:" in joined


def test_a_deep_bullet_in_a_narrow_column_builds_at_once(tmp_path):
    """A third-level bullet in the narrow Grades column used to hang the slide text measurer."""
    import time

    from docgen import write

    plan = api.example_plan()
    plan.schools[0].grades = "9-12\n- a\n  - b\n    - c"
    plan.schools[1].grades = "K-5 " + "x" * 200
    start = time.perf_counter()
    deck = write.build("pptx", plan, variants.load("fy26"))
    assert time.perf_counter() - start < 5
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck)
    text = " ".join(shape.text_frame.text for slide in Presentation(str(path)).slides for shape in slide.shapes
                    if shape.has_text_frame) + " ".join(
        cell.text for slide in Presentation(str(path)).slides for shape in slide.shapes if shape.has_table
        for row in shape.table.rows for cell in row.cells)
    assert "9\u201112" in text and "c" in text  # the grade span keeps together (U+2011)
