"""Write the feedback letter (a letter_model.Letter) as a Word document.

The letter arrives as data: paragraphs with a role (heading, quote, list
item, a note to the consultant, ...) and one table. Their text is plain
text, written into the XML escaped, so district text is only ever text.
"""

from __future__ import annotations

from typing import Any

from docgen.model.letter import Letter, Para, Table
from docgen.write import docx_common as common
from docgen.write import docx_package
from docgen.write import docx_xml as xml

RED, GREY = "C00000", "595959"
SUBJECT = "SSoS feedback on the district instructional prioritization plan"


def build(letter: Letter, author: str) -> bytes:
    """Return the letter as .docx bytes (DRAFT in its header while it is a draft)."""
    return document(letter.flow(), title=letter.title, author=author, draft=letter.draft)


def document(items: list[Para | Table], title: str, author: str, draft: bool) -> bytes:
    """Return paragraphs and tables in the letter's layout as .docx bytes (the letter, or its letterhead template)."""
    doc = common.new_document(title=title, author=author, subject=SUBJECT, footer=title)
    if draft:
        doc.header = (f'<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr>'
                      f'{xml.run("DRAFT", bold=True, color=RED)}</w:p>')
    numbering = common.ListNumbering(doc)
    body, previous = [], None
    for item, following in zip(items, [*items[1:], None], strict=True):
        intro = isinstance(following, Para) and following.role in ("bullet", "number")  # kept with its list
        body.append(_table(item) if isinstance(item, Table) else _para(item, numbering, previous, intro))
        previous = item
    doc.body = body
    return docx_package.write(doc)


_LOOK: dict[str, dict[str, Any]] = {
    "letterhead": dict(bold=True, color=common.NAVY, size_pt=11),
    "quote": dict(italic=True),
    "note": dict(bold=True, color=RED),
    "small": dict(size_pt=9, color=GREY),
}
_LAYOUT: dict[str, dict[str, Any]] = {
    "letterhead": dict(align="center", space_after_pt=18, border_bottom=True),
    "date": dict(space_before_pt=6, space_after_pt=12),
    "address": dict(space_after_pt=12),
    "quote": dict(indent_twips=(576, 576)),
    "signature": dict(space_before_pt=30),
    "appendix": dict(page_break_before=True),
}


def _para(para: Para, numbering, previous, keep_next: bool = False) -> str:
    if not (para.text or para.lead):
        return ""
    style, num_id = None, None
    look, layout = dict(_LOOK.get(para.role, {})), dict(_LAYOUT.get(para.role, {}))
    if para.role in ("heading", "appendix"):
        style = common.STYLE_IDS["Heading 1"]
    elif para.role == "subheading":
        style = common.STYLE_IDS["Heading 2"]
    elif para.role in ("bullet", "number"):
        level = min(max(para.level - 1, 0), 2)
        ordered = para.role == "number"
        style = common.STYLE_IDS[(common.NUMBER_STYLES if ordered else common.BULLET_STYLES)[level]]
        if ordered:
            if not (isinstance(previous, Para) and previous.role == "number"):
                numbering.restart()
            num_id = numbering.num_id(level)
    if para.role == "letterhead" and para.level == 0:  # the Department's name, above the office's line
        look["size_pt"] = 13
        layout.update(space_after_pt=0, border_bottom=False)
    runs = (_runs(para.lead, bold=True, **{k: v for k, v in look.items() if k != "bold"}) if para.lead else "")
    runs += _runs(para.text, **look)
    keep_next = keep_next and para.role not in ("bullet", "number")
    return xml.para(runs, style=style, num_id=num_id, keep_next=keep_next, **layout)


def _table(table: Table) -> str:
    grid = [table.header, *table.rows]
    columns = max(len(row) for row in grid)
    texts = [[(row[c], i == 0) for i, row in enumerate(grid) if c < len(row)] for c in range(columns)]
    longest = [max((len(text) for text, _ in column), default=0) for column in texts]
    unbroken = [max((common.unbroken_width(text, 11, bold=is_header) for text, is_header in column), default=0)
                for column in texts]
    widths = common.column_widths([min(max(n, 8), 40) for n in longest], unbroken)  # by content; no word breaks
    rows = []
    for i, row in enumerate(grid):
        header = i == 0
        cells = "".join(xml.cell(xml.para(_runs(text, bold=header)), width, fill=common.HEADER_FILL if header else None)
                        for text, width in zip(row, widths, strict=False))
        rows.append(xml.row(cells, header=header))
    return xml.table(widths, "".join(rows)) + xml.para(space_after_pt=0, line_twips=160)


def _runs(text: str, bold: bool = False, italic: bool = False, size_pt=None, color=None) -> str:
    """Return text as runs; a line break in it ("\n", a signature's lines) becomes a Word line break."""
    return "".join(xml.run(part, bold=bold, italic=italic, size_pt=size_pt, color=color, break_before=i > 0)
                   for i, part in enumerate(text.split("\n")) if part or i)
