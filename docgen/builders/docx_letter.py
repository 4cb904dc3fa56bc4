"""Write the feedback letter (the HTML the letter template renders) as a Word document.

The template speaks a small HTML subset so consultants can edit it: headings,
paragraphs with a few classes, lists, tables, bold, italic and line breaks.
Values in it were HTML-escaped when rendered, so district text is only ever
text here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from ..errors import TemplateError
from . import docx_common as common
from . import docx_package
from . import docx_xml as xml

TEMPLATE_NAME = "templates/letter/letter.html.j2"
RED, GREY = "C00000", "595959"
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


def parse(html: str) -> list:
    """Return the letter HTML as Blocks and Tables, in order; raise TemplateError on a tag Word cannot show."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.items


def build(html: str, title: str, author: str, draft: bool) -> bytes:
    """Return the letter as .docx bytes."""
    items = parse(html)
    doc = common.new_document(title=title, author=author, subject="SSoS feedback on the district instructional "
                              "prioritization plan", footer=title)
    if draft:
        doc.header = (f'<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr>'
                      f'{xml.run("DRAFT", bold=True, color=RED)}</w:p>')
    numbering = common.ListNumbering(doc)
    body, previous = [], None
    for item in items:
        body.append(_table(item) if isinstance(item, Table) else _block(item, numbering, previous))
        previous = item
    doc.body = body
    return docx_package.write(doc)


def _block(block: Block, numbering, previous) -> str:
    runs = _trim(block.runs)
    if not runs:
        return ""
    css = block.css
    style, num_id = None, None
    if block.tag in ("h1", "h2"):
        style = common.STYLE_IDS[f"Heading {block.tag[1]}"]
    elif block.tag == "li":
        level = min(max(block.depth - 1, 0), 2)
        style = common.STYLE_IDS[(common.NUMBER_STYLES if block.ordered else common.BULLET_STYLES)[level]]
        if block.ordered:
            if not (isinstance(previous, Block) and previous.tag == "li" and previous.ordered):
                numbering.restart()
            num_id = numbering.num_id(level)
    text = "".join(t for t, _, _ in runs)
    first_letterhead = css == "letterhead" and "Department" in text
    look = {
        "letterhead": dict(bold=True, color=common.NAVY, size_pt=13 if first_letterhead else 11),
        "quote": dict(italic=True),
        "draft": dict(bold=True, color=RED),
        "small": dict(size_pt=9, color=GREY),
    }.get(css, {})
    layout = {
        "letterhead": dict(align="center", space_after_pt=0 if first_letterhead else 18,
                           border_bottom=not first_letterhead),
        "date": dict(space_before_pt=6, space_after_pt=12),
        "address": dict(space_after_pt=12),
        "quote": dict(indent_twips=(576, 576)),
        "signature": dict(space_before_pt=30),
        "new-page": dict(page_break_before=True),
    }.get(css, {})
    return xml.para(_runs_xml(runs, **look), style=style, num_id=num_id, **layout)


def _table(table: Table) -> str:
    if not table.rows:
        return ""
    columns = max(len(row) for row in table.rows)
    texts = [[("".join(t for t, _, _ in row[c][1]), row[c][0]) for row in table.rows if c < len(row)]
             for c in range(columns)]
    longest = [max((len(text) for text, _ in column), default=0) for column in texts]
    unbroken = [max((common.unbroken_width(text, 11, bold=is_header) for text, is_header in column), default=0)
                for column in texts]
    widths = common.column_widths([min(max(n, 8), 40) for n in longest], unbroken)  # by content; no word breaks
    rows = []
    for row in table.rows:
        header = all(is_header for is_header, _ in row)
        cells = "".join(xml.cell(xml.para(_runs_xml(_trim(runs), bold=is_header)), width,
                                 fill=common.HEADER_FILL if is_header else None)
                        for (is_header, runs), width in zip(row, widths, strict=False))
        rows.append(xml.row(cells, header=header))
    return xml.table(widths, "".join(rows)) + xml.para(space_after_pt=0, line_twips=160)


def _runs_xml(runs, bold: bool = False, italic: bool = False, size_pt=None, color=None) -> str:
    """Return runs as XML; a "\n" in the text (from <br>) becomes a line break."""
    out = []
    for text, is_bold, is_italic in runs:
        for i, part in enumerate(text.split("\n")):
            if part or i:
                out.append(xml.run(part, bold=bold or is_bold, italic=italic or is_italic, size_pt=size_pt,
                                   color=color, break_before=i > 0))
    return "".join(out)


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
