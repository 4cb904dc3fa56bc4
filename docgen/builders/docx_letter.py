"""Write the feedback letter (the HTML the letter template renders) as a Word document.

The template speaks a small HTML subset so consultants can edit it: headings,
paragraphs with a few classes, lists, tables, bold, italic and line breaks.
Values in it were HTML-escaped when rendered, so district text is only ever
text here.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from ..errors import TemplateError
from . import docx_common as common

TEMPLATE_NAME = "templates/letter/letter.html.j2"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
_BLOCK_TAGS = {"h1", "h2", "p", "li"}
_INLINE = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic"}
_CLASSES = {"letterhead", "date", "address", "quote", "signature", "draft", "small", "new-page", ""}


@dataclass
class Block:
    """A paragraph-level piece of the letter: its tag, class, list depth and runs of (text, bold, italic)."""

    tag: str
    css: str = ""
    depth: int = 0
    ordered: bool = False
    runs: list = field(default_factory=list)


@dataclass
class Table:
    rows: list = field(default_factory=list)  # each row: list of (is_header, runs)


class _Parser(HTMLParser):
    """Turns the letter HTML into Blocks and Tables, rejecting tags the Word writer does not know."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list = []
        self.block: Block | None = None
        self.lists: list[str] = []
        self.table: Table | None = None
        self.cell: list | None = None
        self.style = {"bold": 0, "italic": 0}

    def handle_starttag(self, tag, attrs):
        css = dict(attrs).get("class", "") or ""
        if tag in _INLINE:
            self.style[_INLINE[tag]] += 1
        elif tag == "br":
            self.add_text("\n", raw=True)
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag in _BLOCK_TAGS:
            if css not in _CLASSES:
                raise TemplateError(TEMPLATE_NAME, f"unknown class '{css}' on <{tag}>; use one of: "
                                    f"{', '.join(sorted(c for c in _CLASSES if c))}")
            self.block = Block(tag, css, depth=len(self.lists), ordered=bool(self.lists) and self.lists[-1] == "ol")
            self.items.append(self.block)
        elif tag == "table":
            self.table = Table()
            self.items.append(self.table)
        elif tag == "tr" and self.table is not None:
            self.table.rows.append([])
        elif tag in ("td", "th") and self.table is not None and self.table.rows:
            self.cell = []
            self.table.rows[-1].append((tag == "th", self.cell))
        else:
            raise TemplateError(TEMPLATE_NAME, f"the letter cannot contain <{tag}>; use h1, h2, p, ul, ol, li, "
                                "table, tr, th, td, b, i or br")

    def handle_endtag(self, tag):
        if tag in _INLINE:
            self.style[_INLINE[tag]] = max(0, self.style[_INLINE[tag]] - 1)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.block = None
        elif tag in _BLOCK_TAGS:
            self.block = None
        elif tag in ("td", "th"):
            self.cell = None
        elif tag == "table":
            self.table = None

    def handle_data(self, data):
        self.add_text(data)

    def add_text(self, data: str, raw: bool = False):
        target = self.cell if self.cell is not None else (self.block.runs if self.block is not None else None)
        if not raw:
            data = re.sub(r"\s+", " ", data)
        if target is None or not data:
            return  # whitespace between blocks
        target.append((data, self.style["bold"] > 0, self.style["italic"] > 0))


def build(html: str, title: str, author: str, draft: bool) -> bytes:
    """Return the letter as .docx bytes."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    doc = common.new_document(title=title, author=author, subject="SSoS feedback on the district instructional "
                              "prioritization plan", footer=title)
    if draft:
        header = doc.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = header.add_run("DRAFT")
        run.bold, run.font.color.rgb = True, RED
    numbering = common.ListNumbering(doc)
    previous = None
    for item in parser.items:
        if isinstance(item, Table):
            _table(doc, item)
        else:
            _block(doc, item, numbering, previous)
        previous = item
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _block(doc, block: Block, numbering, previous) -> None:
    runs = _trim(block.runs)
    if not runs:
        return
    if block.tag in ("h1", "h2"):
        paragraph = common.heading(doc, "", int(block.tag[1]))
    elif block.tag == "li":
        level = min(max(block.depth - 1, 0), 2)
        styles = common.NUMBER_STYLES if block.ordered else common.BULLET_STYLES
        paragraph = common.add_paragraph(doc, style=styles[level])
        if block.ordered:
            if not (isinstance(previous, Block) and previous.tag == "li" and previous.ordered):
                numbering.restart()
            common.set_numbering(paragraph, numbering.num_id(level))
    else:
        paragraph = doc.add_paragraph()
    _write_runs(paragraph, runs)
    _style(paragraph, block.css)


def _style(paragraph, css: str) -> None:
    fmt = paragraph.paragraph_format
    runs = paragraph.runs
    if css == "letterhead":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(0)
        for run in runs:
            run.bold, run.font.color.rgb = True, common.NAVY
            run.font.size = Pt(13) if "Department" in paragraph.text else Pt(11)
        if "Department" not in paragraph.text:
            _bottom_border(paragraph)
            fmt.space_after = Pt(18)
    elif css == "date":
        fmt.space_before, fmt.space_after = Pt(6), Pt(12)
    elif css == "address":
        fmt.space_after = Pt(12)
    elif css == "quote":
        fmt.left_indent = fmt.right_indent = Inches(0.4)
        for run in runs:
            run.italic = True
    elif css == "signature":
        fmt.space_before = Pt(30)
    elif css == "draft":
        for run in runs:
            run.bold, run.font.color.rgb = True, RED
    elif css == "new-page":
        fmt.page_break_before = True
    elif css == "small":
        for run in runs:
            run.font.size, run.font.color.rgb = Pt(9), GREY


def _table(doc, table: Table) -> None:
    if not table.rows:
        return
    columns = max(len(row) for row in table.rows)
    longest = [max((sum(len(t) for t, _, _ in row[c][1]) for row in table.rows if c < len(row)), default=0)
               for c in range(columns)]
    widths = common.column_widths([min(max(n, 8), 40) for n in longest])  # share the width by content
    out = common.table(doc, widths)
    for row in table.rows:
        cells = common.add_row(out).cells
        header = all(is_header for is_header, _ in row)
        if header:
            common.repeat_header(out.rows[-1])
        for cell, (is_header, runs) in zip(cells, row):
            paragraph = cell.paragraphs[0]
            _write_runs(paragraph, _trim(runs), bold=is_header)
            if is_header:
                common.shade(cell, common.HEADER_FILL)
    common.spacer(doc)


def _write_runs(paragraph, runs, bold: bool = False) -> None:
    for text, is_bold, is_italic in runs:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i:
                paragraph.add_run().add_break()
            if part:
                run = paragraph.add_run(part)
                run.bold = bold or is_bold or None
                run.italic = is_italic or None


def _trim(runs: list) -> list:
    """Drop the spaces HTML layout leaves at the start and end of a block."""
    runs = [list(r) for r in runs]
    while runs and not runs[0][0].strip(" "):
        runs.pop(0)
    while runs and not runs[-1][0].strip(" "):
        runs.pop()
    if runs:
        runs[0][0] = runs[0][0].lstrip(" ")
        runs[-1][0] = runs[-1][0].rstrip(" ")
    for i in range(1, len(runs)):  # no space right after a line break
        if runs[i - 1][0].endswith("\n"):
            runs[i][0] = runs[i][0].lstrip(" ")
    return [tuple(r) for r in runs]


def _bottom_border(paragraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "1F3864")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    successors = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:contextualSpacing", "w:jc",
                  "w:outlineLvl", "w:rPr", "w:sectPr", "w:pPrChange")
    p_pr.insert_element_before(borders, *successors)
