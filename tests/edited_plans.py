"""Last year's Word plan as districts really edit it: the fixture for tests/test_import.py.

The starting point is the FY25 plan docgen builds from data/cranberry-harbor-2024-25.xlsx (the official
template's layout). It is then edited as a district edits the file it submitted last year: a logo at the
top, a label renamed, answers typed as bulleted lists, a column added to the monitoring table, a tip
deleted, comments, tracked changes, a paragraph typed between sections, extra table rows, the stakeholder
prompts answered once below all three, curricula and targets typed as bullets instead of table rows, and
the Schools table deleted (the schools' details typed in the differentiation table instead).

``EDITS`` is every piece of district text the edits add; the tests look for each one, and for every answer
of the original workbook, in the imported workbook.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from PIL import Image

from docgen import api

from .conftest import ROOT

FY25_SAMPLE = ROOT / "data" / "cranberry-harbor-2024-25.xlsx"

RENAMED_LABEL = "Instructional Priority 1 (brief description):"
EQUITY_BULLETS = ["Students with disabilities in grades 3-8: 8% meet or exceed expectations in math.",
                  "English learners in grades 3-8: 14% meet or exceed expectations in math."]
DATA_SOURCES = ["Common planning time logs", "Walkthrough tool", "IM unit assessments"]
BETWEEN_SECTIONS = "Our data team will refresh these figures when the spring 2024 MCAS results arrive."
INSERTED = "We will also share coaching hours by school with the school committee each fall."
COMMENT = "Check these numbers with the business office before we submit."
EXTRA_CLASSROOM = "Post the day's learning target and revisit it in the lesson closing."
EXTRA_SCHOOL_ROW = ("Cranberry Harbor High School", "Grade 9 math seminar for students below benchmark.")
CURRICULA_BULLETS = [("Science, grades 6-8: learning and preparing. A science leadership team will study DESE's "
                      "Implement MA framework and CURATE reviews during 2024-2025."),
                     "Math, grades 9-12: investigating and selecting. Two HQIM programs are being piloted."]
TARGET_BULLETS = [("Increase the share of students in grades 3-8 meeting or exceeding expectations on MCAS math "
                   "from 36% to 40%."),
                  ("Increase the share of students with disabilities in grades 3-8 meeting or exceeding expectations "
                   "on MCAS math from 8% to 12%.")]
ELLIS_POND = "Ellis Pond Middle School (09990305, grades 6-8)"
EDITS = [*EQUITY_BULLETS, *DATA_SOURCES, BETWEEN_SECTIONS,
         INSERTED, EXTRA_CLASSROOM, *EXTRA_SCHOOL_ROW, *CURRICULA_BULLETS, *TARGET_BULLETS]


def built_fy25_plan(folder: Path) -> Path:
    """Return the FY25 Word plan docgen builds from the Cranberry Harbor sample workbook."""
    return next(p for p in api.build(FY25_SAMPLE, folder, formats=("docx",)) if p.suffix == ".docx")


def _tables_with(doc, text: str) -> list:
    return [t for t in doc.tables if any(text in c.text for row in t.rows for c in row.cells)]


def _paragraph(doc, text: str):
    def shows(p) -> bool:  # the text as it reads: the writers' non-breaking hyphens (grade spans) are hyphens
        return text in p.text.replace("\u2011", "-")

    found = [p for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs if shows(p)]
    return found[0] if found else next(p for p in doc.paragraphs if shows(p))


def _remove(element) -> None:
    element.getparent().remove(element)


def _logo(doc) -> None:
    """Put a picture at the very top, as every district letterhead does."""
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (20, 60, 120)).save(image, format="PNG")
    doc.add_picture(image)
    picture = doc.paragraphs[-1]._p
    doc.element.body.insert(0, picture)


def _bullets(cell_paragraph, lines: list[str]) -> None:
    """Replace an answer paragraph by a bulleted list (Word's List Bullet style)."""
    anchor = cell_paragraph
    for line in lines:
        new = anchor.insert_paragraph_before(line, style="List Bullet")
        anchor._p.addprevious(new._p)
    _remove(cell_paragraph._p)


def _tracked(paragraph) -> None:
    """A tracked deletion and insertion inside an answer, and a whole inserted sentence."""
    w = nsdecls("w")
    paragraph._p.append(parse_xml(f'<w:del {w} w:id="91" w:author="M. Whitfield" w:date="2024-06-01T00:00:00Z">'
                                  '<w:r><w:delText> We will hire two coaches.</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:ins {w} w:id="92" w:author="M. Whitfield" w:date="2024-06-01T00:00:00Z">'
                                  f'<w:r><w:t xml:space="preserve"> {INSERTED}</w:t></w:r></w:ins>'))


def _data_source_column(doc) -> None:
    table = _tables_with(doc, "Share of math teams using common planning time")[0]
    table.add_column(table.columns[0].width or 914400)
    for row, value in zip(table.rows, ["Data source", *DATA_SOURCES], strict=True):
        row.cells[-1].text = value


def _stakeholders_answered_once(doc) -> None:
    """The three stakeholder prompts as bullets in one cell, one answer below them all (as the FY25 form was)."""
    table = _tables_with(doc, "3. Stakeholder Engagement:")[0]
    answers = [table.rows[r].cells[0].text for r in (2, 4, 6)]
    prompts = [table.rows[r].cells[0].text for r in (1, 3, 5)]
    for r in (6, 5, 4, 3, 2):
        _remove(table.rows[r]._tr)
    cell = table.rows[1].cells[0]
    cell.paragraphs[0].text = prompts[0]
    cell.paragraphs[0].style = "List Bullet"
    for prompt in prompts[1:]:
        cell.add_paragraph(prompt, style="List Bullet")
    for answer in answers:
        cell.add_paragraph(answer)


def _table_as_bullets(doc, first_cell_text: str, lines: list[str]) -> None:
    """Delete a table and type its rows as bullets where it was."""
    table = _tables_with(doc, first_cell_text)[0]
    for line in lines:
        paragraph = doc.add_paragraph(line, style="List Bullet")
        table._tbl.addprevious(paragraph._p)
    _remove(table._tbl)


def _schools_typed_in_differentiation(doc) -> None:
    """No Schools table (the official template has none): each school's code and grades typed beside its name."""
    _remove(_tables_with(doc, "Cranberry Harbor High School")[0]._tbl)
    table = _tables_with(doc, "Schools to receive differentiated support")[0]
    first = table.rows[1].cells[0].paragraphs[0]
    first.text = ELLIS_POND
    row = table.add_row()
    for cell, value in zip(row.cells, EXTRA_SCHOOL_ROW, strict=True):
        cell.text = value


def edited_fy25_plan(folder: Path) -> Path:
    """Write last year's plan, edited as a district edits it, and return its path."""
    doc = Document(str(built_fy25_plan(folder / "built")))
    _logo(doc)
    _paragraph(doc, "Priority #1 (brief description):").text = RENAMED_LABEL
    _bullets(_paragraph(doc, "Students with disabilities and English learners in grades 3-8"), EQUITY_BULLETS)
    _data_source_column(doc)
    _remove(_paragraph(doc, "Less is more: We recommend")._p)  # a tip deleted
    answer = _paragraph(doc, "Ellis Pond Middle School has the fewest coaching hours")
    doc.add_comment(answer.runs, text=COMMENT, author="R. Alves")
    _tracked(answer)
    between = doc.add_paragraph(BETWEEN_SECTIONS)
    next(p for p in doc.paragraphs if p.text == "3. Stakeholder Engagement")._p.addprevious(between._p)
    roles = _tables_with(doc, "What will teachers do consistently")[0]
    roles.add_row().cells[0].text = EXTRA_CLASSROOM
    _stakeholders_answered_once(doc)
    _table_as_bullets(doc, "A science leadership team will study", CURRICULA_BULLETS)
    _table_as_bullets(doc, "MCAS math mean student growth percentile", TARGET_BULLETS)
    _schools_typed_in_differentiation(doc)
    path = folder / "Cranberry Harbor 2024-25 plan (edited).docx"
    doc.save(str(path))
    return path


def body_text(path: Path) -> str:
    """Return the document's text as Word shows it, with tracked changes accepted (for debugging fixtures)."""
    doc = Document(str(path))
    return "\n".join(t.text for t in doc.element.body.iter(qn("w:t")))


FY26_SAMPLE = ROOT / "data" / "cranberry-harbor.xlsx"
FY26_RENAMED = "Our instructional priority for 2025-26:"
FY26_EXTRA_TARGET = ("Chronic absence rate", "All students", "District", "14% (2023-24)", "11% (2025-26)", "No")


def edited_fy26_plan(folder: Path) -> Path:
    """Write an FY26 plan docgen built, edited as a district edits it (for an import into this year's template)."""
    built = next(p for p in api.build(FY26_SAMPLE, folder / "built", formats=("docx",)) if p.suffix == ".docx")
    doc = Document(str(built))
    _logo(doc)
    _paragraph(doc, "Instructional priority").text = FY26_RENAMED
    table = _tables_with(doc, "What \"on track\" at midyear looks like")[0]
    table.add_column(table.columns[0].width or 914400)
    for row, value in zip(table.rows, ["Data source", *DATA_SOURCES], strict=True):
        row.cells[-1].text = value
    _remove(_paragraph(doc, "Less is more. We recommend")._p)
    answer = _paragraph(doc, "Our review of school budgets found")
    doc.add_comment(answer.runs, text=COMMENT, author="R. Alves")
    _tracked(answer)
    between = doc.add_paragraph(BETWEEN_SECTIONS)
    next(p for p in doc.paragraphs if p.text == "3. Stakeholder Engagement")._p.addprevious(between._p)
    outcomes = _tables_with(doc, "Accountability target?")[0]
    for cell, value in zip(outcomes.add_row().cells, FY26_EXTRA_TARGET, strict=True):
        cell.text = value
    path = folder / "Cranberry Harbor 2025-26 plan (edited).docx"
    doc.save(str(path))
    return path
