"""The hand-written Office XML, held by golden files: a snippet per fragment, and the sample deck's text.

docgen writes Word and PowerPoint XML as text (write/docx_xml.py, write/pptx_xml.py), so nothing but these
files says what it writes. Each case below is compared with tests/snippets/<case>.xml (indented, inside a
<snippet> element that declares the prefixes), as python-pptx's tests/test_files/snippets/ do; the deck the
sample workbook builds is compared slide by slide with tests/golden/sample_fy26.pptx.txt. After a deliberate
change, rewrite them with

    DOCGEN_UPDATE_GOLDEN=1 pytest tests/test_ooxml_golden.py

and read `git diff tests/snippets tests/golden` before committing: the diff is the change in what Word and
PowerPoint are given.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from docgen import api, variants
from docgen.write import docx_xml, pptx_xml

from .conftest import SAMPLE

SNIPPETS = Path(__file__).resolve().parent / "snippets"
NAMESPACES = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
              "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
              "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
USER_TEXT = 'Tom & Jerry\'s "<b>plan</b>"'  # user text is data: escaped, never markup

W_CASES = {
    "docx_run_plain": lambda: docx_xml.run("Priority #1"),
    "docx_run_formatted": lambda: docx_xml.run(USER_TEXT, bold=True, italic=True, size_pt=10.5, color="1F3864",
                                               break_before=True),
    "docx_run_empty": lambda: docx_xml.run(""),
    "docx_para_plain": lambda: docx_xml.para(docx_xml.run("Answer")),
    "docx_para_every_property": lambda: docx_xml.para(
        docx_xml.run("Heading"), style="Heading2", keep_next=True, align="center", num_id=3, space_before_pt=6,
        space_after_pt=3.5, indent_twips=(360, 120), page_break_before=True, border_bottom=True, line_twips=240),
    "docx_cell_empty": lambda: docx_xml.cell("", 2000),
    "docx_cell_spanned_open_filled": lambda: docx_xml.cell(docx_xml.para(docx_xml.run("Part of one answer")), 4000,
                                                           fill="D9E2F3", span=2, open_edges=("top", "bottom")),
    "docx_row_header": lambda: docx_xml.row(docx_xml.cell(docx_xml.para(docx_xml.run("School")), 3000),
                                            header=True, min_height_twips=400),
    "docx_row_cant_split": lambda: docx_xml.row(docx_xml.cell("", 3000), cant_split=True),
    "docx_table": lambda: docx_xml.table([3000, 6000], docx_xml.row(
        docx_xml.cell("", 3000) + docx_xml.cell("", 6000)), center=True),
}

A_CASES = {
    "pptx_run": lambda: pptx_xml.run(USER_TEXT, 14, bold=True, italic=True, color="1F3864"),
    "pptx_paragraph_plain": lambda: pptx_xml.paragraph(pptx_xml.run("Answer", 16)),
    "pptx_paragraph_bullet": lambda: pptx_xml.paragraph(pptx_xml.run("A bullet", 16), space_before_pt=6,
                                                        bullet="\u2022", indent_in=0.3, hanging_in=0.2),
    "pptx_paragraph_numbered": lambda: pptx_xml.paragraph(pptx_xml.run("Step three", 16), numbered=True,
                                                          number_start=3, indent_in=0.3, hanging_in=0.2,
                                                          align="l"),
    "pptx_textbox": lambda: pptx_xml.textbox(4, 0.5, 1.25, 6, 2.5, pptx_xml.paragraph(pptx_xml.run("Box", 14)),
                                             0.1, fill="F2F2F2"),
    "pptx_textbox_empty": lambda: pptx_xml.textbox(5, 0, 0, 1, 1, "", 0.05),
    "pptx_rectangle": lambda: pptx_xml.rectangle(3, 0, 0, 13.333, 0.9, "1F3864"),
    "pptx_table": lambda: pptx_xml.table(6, 0.5, 1.5, [3, 9], 1.2, pptx_xml.table_row(
        0.4, pptx_xml.cell(pptx_xml.paragraph(pptx_xml.run("School", 12, bold=True)), "1F3864", 0.08, 0.04)
        + pptx_xml.cell("", "FFFFFF", 0.08, 0.04))),
    "pptx_body_pr_inset": lambda: pptx_xml.body_pr(inset=0.1, anchor="t"),
    "pptx_body_pr_sides": lambda: pptx_xml.body_pr(left_right=0.2),
    "pptx_title": lambda: pptx_xml.title(USER_TEXT, 28, "FFFFFF", 0.5, 0.2, 12.3, 0.8, inset=0.05),
}


def indented(fragment: str) -> str:
    """Return ``fragment`` parsed (so it must be well-formed) and indented inside a <snippet> declaring w:, a:, p:."""
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES.items())
    root = etree.fromstring(f"<snippet {declarations}>{fragment}</snippet>")
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode") + "\n"


@pytest.mark.parametrize("case", sorted({**W_CASES, **A_CASES}))
def test_hand_written_xml_matches_its_snippet(case, golden):
    fragment = {**W_CASES, **A_CASES}[case]()
    golden(f"{case}.xml", indented(fragment), folder=SNIPPETS)


def test_user_text_in_the_xml_is_escaped_data():
    for make in (W_CASES["docx_run_formatted"], A_CASES["pptx_run"], A_CASES["pptx_title"]):
        texts = etree.fromstring(indented(make())).xpath("//w:t/text() | //a:t/text()", namespaces=NAMESPACES)
        assert texts == [USER_TEXT]


def deck_lines(data: bytes) -> list[str]:
    """Return a deck as text lines: a heading per slide, then each shape's name and text, table rows ' | ', notes."""
    lines = []
    for number, slide in enumerate(Presentation(io.BytesIO(data)).slides, 1):
        lines.append(f"=== slide {number} ===")
        for shape in slide.shapes:
            if shape.has_text_frame and shape.text_frame.text.strip():
                lines.append(f"[{shape.name}]")
                lines += [f"  {paragraph_mark(p)}{p.text}" for p in shape.text_frame.paragraphs if p.text.strip()]
            elif shape.has_table:
                lines.append(f"[{shape.name}]")
                lines += ["  " + " | ".join(c.text.replace("\n", " / ") for c in row.cells) for row in shape.table.rows]
        if slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip():
            lines.append("[notes] " + " / ".join(slide.notes_slide.notes_text_frame.text.split("\n")))
    return lines


def paragraph_mark(paragraph) -> str:
    """Return '- ' for a bulleted paragraph, '1. ' for a numbered one (indented by its left margin), else ''."""
    ppr = paragraph._p.pPr
    if ppr is None:
        return ""
    depth = "  " * (int(ppr.get("marL", "0")) // pptx_xml.emu(0.3))
    if ppr.find(f"{{{NAMESPACES['a']}}}buChar") is not None:
        return depth + "- "
    if ppr.find(f"{{{NAMESPACES['a']}}}buAutoNum") is not None:
        return depth + "1. "
    return ""


def test_the_sample_deck_matches_the_golden_text_dump(golden):
    plan = api.read_plan(SAMPLE)
    deck = next(iter(api.plan_files(plan, variants.load(plan.variant), ("pptx",)).values()))
    golden("sample_fy26.pptx.txt", "\n".join(deck_lines(deck)) + "\n")
