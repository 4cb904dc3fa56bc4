"""Word building blocks shared by the plan and the letter: page setup, tables, shading, lists.

python-docx has no API for cell shading, repeating header rows, row heights,
page-number fields or restarting numbered lists; the few lines of XML for
each live here, once.
"""

from __future__ import annotations

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from ..text import Block
from ..variants import templates_dir

BASE_DOCUMENT = "base/plan.docx"
# The style ids of the base document, by style name (python-docx looks names up by scanning every style).
STYLE_IDS = {
    "Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Heading 3": "Heading3",
    "List Bullet": "ListBullet", "List Bullet 2": "ListBullet2", "List Bullet 3": "ListBullet3",
    "List Number": "ListNumber", "List Number 2": "ListNumber2", "List Number 3": "ListNumber3",
    "Table Grid": "TableGrid",
}

NAVY = RGBColor(0x1F, 0x38, 0x64)
PROMPT_FILL = "DEEAF6"
LABEL_FILL = "F2F2F2"
HEADER_FILL = "D9E2F3"
BODY_WIDTH = Inches(6.5)
TABLE_TEXT = Pt(10)
BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")


def new_document(title: str, author: str, subject: str, footer: str):
    """Return a blank US Letter document with 1-inch margins, house styles, properties and a page-numbered footer.

    It starts from templates/base/plan.docx, a slim package holding only the
    styles docgen uses (see scripts/make_base_documents.py).
    """
    doc = Document(str(templates_dir() / BASE_DOCUMENT))
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    props = doc.core_properties
    props.title, props.author, props.subject, props.language = title, author, subject, "en-US"
    props.last_modified_by, props.comments, props.keywords = author, "", "DESE SSoS, instructional prioritization plan"
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(f"{footer} · Page ")
    run.font.size = Pt(9)
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ").font.size = Pt(9)
    _field(paragraph, "NUMPAGES")
    return doc


def set_style(paragraph, name: str) -> None:
    """Give ``paragraph`` the base document's style ``name`` without python-docx's slow lookup by name."""
    paragraph._p.style = STYLE_IDS[name]


def add_paragraph(container, text: str = "", style: str | None = None):
    """Return a new paragraph in a document or cell, with ``text`` and a base-document style."""
    paragraph = container.add_paragraph()
    if style:
        set_style(paragraph, style)
    if text:
        paragraph.add_run(text)
    return paragraph


def heading(doc, text: str, level: int):
    """Return a new Word heading ("Heading 1", "Heading 2"), which the navigation pane lists."""
    return add_paragraph(doc, text, f"Heading {level}")


def _field(paragraph, instruction: str) -> None:
    """Append a Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when the page is laid out."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")
    rpr.append(size)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def table(doc, widths):
    """Return an empty bordered table with fixed column ``widths`` (EMU), ready for add_row()."""
    result = doc.add_table(rows=0, cols=len(widths))
    result._tbl.tblPr.style = STYLE_IDS["Table Grid"]
    result.autofit = False
    grid = result._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(width / 635)))
    result._docgen_widths = widths
    return result


def add_row(tbl):
    """Return a new row of ``tbl`` whose cells carry the table's column widths."""
    row = tbl.add_row()
    for cell, width in zip(row.cells, tbl._docgen_widths):
        cell.width = width
    return row


def merged_row(tbl):
    """Return the single cell of a new row spanning every column (one w:tc with gridSpan, as Word writes it)."""
    row = tbl.add_row()
    tcs = row._tr.tc_lst
    for tc in tcs[1:]:
        row._tr.remove(tc)
    tcs[0].width = sum(tbl._docgen_widths)
    if len(tcs) > 1:
        tcs[0].grid_span = len(tcs)
    return row.cells[0]


def column_widths(weights) -> list[int]:
    """Return column widths in EMU sharing the body width in proportion to ``weights``."""
    total = sum(weights)
    return [int(BODY_WIDTH * w / total) for w in weights]


def shade(cell, fill: str) -> None:
    """Fill a table cell with the hex colour ``fill``."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def repeat_header(row) -> None:
    """Mark ``row`` as the table's header row: Word repeats it on every page and screen readers announce it."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    tr_pr.append(OxmlElement("w:tblHeader"))


def keep_row_together(cell) -> None:
    """Stop Word from splitting the row holding ``cell`` across two pages."""
    tr_pr = cell._tc.getparent().get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        tr_pr.append(OxmlElement("w:cantSplit"))


def keep_with_next(cell) -> None:
    """Keep a prompt or label row on the same page as the answer row below it."""
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def min_height(cell, height) -> None:
    """Give the row holding ``cell`` at least ``height``, so an empty answer row stays visibly open."""
    tr_pr = cell._tc.getparent().get_or_add_trPr()
    tr_height = OxmlElement("w:trHeight")
    tr_height.set(qn("w:val"), str(int(height / 635)))
    tr_height.set(qn("w:hRule"), "atLeast")
    tr_pr.append(tr_height)


def spacer(doc) -> None:
    """Add a small empty paragraph (Word would otherwise fuse two adjacent tables into one)."""
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.line_spacing = Pt(8)


class ListNumbering:
    """Hands out numbering instances so that each numbered list in a document starts again at 1."""

    def __init__(self, doc):
        self.doc = doc
        self.numbering = doc.part.numbering_part.element
        self.abstract = {style: self._abstract_of(style) for style in NUMBER_STYLES}
        self.current: dict[int, int] = {}

    def _abstract_of(self, style_name: str) -> str:
        style = self.doc.styles.element.get_by_id(STYLE_IDS[style_name])
        num_id = style.pPr.numPr.numId.val
        return self.numbering.num_having_numId(num_id).abstractNumId.val

    def restart(self) -> None:
        """Start a new list: the next numbered paragraph at each level is numbered 1."""
        self.current = {}

    def num_id(self, level: int) -> int:
        """Return the numbering instance for ``level`` in the current list, creating one that starts at 1."""
        if level not in self.current:
            num = self.numbering.add_num(self.abstract[NUMBER_STYLES[level]])
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            self.current[level] = num.numId
        return self.current[level]


def write_blocks(cell, blocks: list[Block], numbering: ListNumbering, size=None) -> None:
    """Fill a cell with paragraphs, real bullets and numbered lists (numbering restarts for each list)."""
    previous = None
    for i, block in enumerate(blocks):
        if block.kind == "bullet":
            style = BULLET_STYLES[block.level]
        elif block.kind == "number":
            style = NUMBER_STYLES[block.level]
            if previous is None or previous.kind == "para":
                numbering.restart()
        else:
            style = None
        paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if style:
            set_style(paragraph, style)
        run = paragraph.add_run(block.text)
        if size is not None:
            run.font.size = size
        if block.kind == "number":
            set_numbering(paragraph, numbering.num_id(block.level))
        previous = block


def set_numbering(paragraph, num_id: int) -> None:
    """Attach ``paragraph`` to numbering instance ``num_id`` (its own list level 0)."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = num_id
