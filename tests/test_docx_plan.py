"""The official Word plan: wording, answers in place, structure Word users rely on, literal user text."""

from __future__ import annotations

import re

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from docx.shared import Inches

from docgen import variants

from .conftest import GOLDEN, docx_lines
from .test_workbook import answer_rows

TITLE = "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan"


@pytest.fixture
def sample_docx(sample, tmp_path, run):
    result = run("build", sample, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / f"{TITLE}.docx"


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_sample_matches_the_golden_text_dump(sample_docx, golden):
    golden("sample_fy26.docx.txt", "\n".join(docx_lines(sample_docx)) + "\n")


def test_every_fy26_guidance_prompt_appears_word_for_word(sample_docx):
    text = _normal(" ".join(docx_lines(sample_docx)).replace(" / ", " ").replace(" | ", " "))
    guidance = (GOLDEN / "fy26_guidance_prompts.txt").read_text(encoding="utf-8").splitlines()
    assert len(guidance) == 29
    for line in guidance:
        assert line in text, line


def test_spec_prompts_are_copied_from_the_guidance():
    guidance = set((GOLDEN / "fy26_guidance_prompts.txt").read_text(encoding="utf-8").splitlines())
    v = variants.load("fy26")
    verbatim = [s.prompt for s in v.sections] + [p.prompt for s in v.sections for p in s.parts if p.prompt]
    verbatim += [t for s in v.sections for t in (*s.tips, *s.notes, *s.after)]
    verbatim += [t for s in v.sections for p in s.parts for t in (*p.tips, *p.notes)]
    for line in verbatim:
        assert _normal(line) in guidance, line


def test_title_block_and_document_properties(sample_docx):
    document = docx.Document(str(sample_docx))
    first = [p.text for p in document.paragraphs[:5]]
    assert first == ["Statewide System of Support (SSoS)", "District Instructional Prioritization Plan", "2025-2026",
                     "District name: Cranberry Harbor Public Schools", "Date: June 20, 2025"]
    props = document.core_properties
    assert props.title == TITLE
    assert props.author == "Marcus Whitfield, Director of Curriculum and Instruction"
    assert props.language == "en-US"
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Inches(8.5), Inches(11))
    assert {section.left_margin, section.right_margin, section.top_margin, section.bottom_margin} == {Inches(1)}
    footer = section.footer._element.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer


def test_sections_are_real_headings_in_order(sample_docx):
    headings = [line for line in docx_lines(sample_docx) if line.startswith("#")]
    assert headings == [
        "# About the district",
        "# Status of HQIM adoption",
        "# Instructional Priority #1",
        "## 1. Instructional Priority",
        "## 2. Analysis of Strengths and Challenges",
        "## 3. Stakeholder Engagement",
        "## 4. Outcomes",
        "## 5. Role Clarity",
        "## 6. Monitoring Implementation",
        "## 7. Resources",
        "## 8. Targeted Support for Priority Schools",
    ]


def test_tables_have_one_row_per_entry_and_repeating_header_rows(sample_docx):
    document = docx.Document(str(sample_docx))
    by_header = {t.rows[0].cells[0].text: t for t in document.tables}
    monitoring = by_header["Interim benchmark"]
    assert [c.text for c in monitoring.rows[0].cells] == [
        "Interim benchmark", "Level", "Who monitors", "How often", 'What "on track" at midyear looks like']
    assert len(monitoring.rows) == 1 + 3
    assert monitoring.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert len(by_header["School"].rows) == 1 + 2
    assert len(by_header["Measure"].rows) == 1 + 6
    assert len(by_header["School name"].rows) == 1 + 3
    school_cell = by_header["School"].rows[1].cells[0].text.replace("\u200b", "")  # break marks in the link
    assert school_cell.splitlines() == ["Ellis Pond Middle School", "Underperforming",
                                        "https://www.cranberryharbor.example.org/plans/ellis-pond-sip-2025"]


def cell_paragraphs(document):
    """Return every paragraph inside the document's tables, each merged cell once."""
    cells = {id(c._tc): c for t in document.tables for row in t.rows for c in row.cells}
    return [p for c in cells.values() for p in c.paragraphs]


def test_bullets_and_numbers_are_real_word_lists(sample_docx):
    document = docx.Document(str(sample_docx))
    paragraphs = cell_paragraphs(document)
    bullets = [p for p in paragraphs if p.style.name == "List Bullet"]
    assert any(p.text.startswith("Students with disabilities in grades 3\u20118 meet") for p in bullets)
    assert not any(p.text.lstrip().startswith(("-", "•")) for p in paragraphs)
    numbered = [p for p in paragraphs if p.style.name == "List Number"]
    assert [p.text[:12] for p in numbered] == ["Common plann", "Specialists ", "Coaching cyc"]
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) == 1  # one list, numbered 1-3


def test_numbered_lists_restart_at_one(sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    cells = dict(answer_rows(wb["Priority 1"]))
    cells["desired_impact"].value = "1. alpha\n2. beta"
    cells["equity_gaps"].value = "1. gamma\n2. delta"
    wb.save(sample)
    run("build", sample, "-o", tmp_path / "out")
    document = docx.Document(str(next((tmp_path / "out").glob("*.docx"))))
    numbered = {p.text: p._p.pPr.numPr.numId.val for p in cell_paragraphs(document) if p.style.name == "List Number"}
    assert numbered["alpha"] == numbered["beta"] != numbered["gamma"] == numbered["delta"]
    numbering = document.part.numbering_part.element
    start = numbering.num_having_numId(numbered["gamma"]).find(qn("w:lvlOverride")).find(qn("w:startOverride"))
    assert start.get(qn("w:val")) == "1"


def test_unanswered_prompt_leaves_a_visibly_blank_row(sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    dict(answer_rows(wb["Priority 1"]))["equity_gaps"].value = None
    wb.save(sample)
    run("build", sample, "-o", tmp_path / "out")
    path = next((tmp_path / "out").glob("*.docx"))
    lines = docx_lines(path)
    label = lines.index("Equity and opportunity gaps this priority will address")
    assert lines[label + 1] == ""
    text = "\n".join(lines)
    assert "None" not in text and "Undefined" not in text
    row = docx.Document(str(path))._element.xml
    assert 'w:hRule="atLeast"' in row


HOSTILE = "{{ 7*7 }} {% if %} <w:p> &amp; 🎉 ok\x0bnext line"


def test_template_syntax_markup_and_control_characters_come_out_literally(sample, tmp_path, run):
    wb = openpyxl.load_workbook(sample)
    cell = dict(answer_rows(wb["Priority 1"]))["statement"]
    cell.value = HOSTILE.replace("\x0b", "_x000B_")  # how Excel stores a vertical tab
    dict(answer_rows(wb["District"]))["name"].value = "{{ district }} & <Sons>"
    wb.save(sample)
    result = run("build", sample, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    path = next((tmp_path / "out").glob("*.docx"))
    assert path.name == "{{ district }} & - Sons - FY26 Instructional Prioritization Plan.docx"
    lines = docx_lines(path)
    label = lines.index("Instructional priority")
    assert lines[label + 1:label + 3] == ["{{ 7*7 }} {% if %} <w:p> &amp; 🎉 ok", "next line"]
    assert "49" not in lines[label + 1]
    assert "District name: {{ district }} & <Sons>" in lines
    assert docx.Document(str(path)).core_properties.title == (
        "{{ district }} & <Sons> FY26 Instructional Prioritization Plan")
