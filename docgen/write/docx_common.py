"""Word building blocks shared by the plan and the letter: a new document, its footer, widths, lists.

Documents are written as XML text (docx_xml) onto the slim base document
(docx_package). Numbered lists get their own numbering instance each, so
every list starts again at 1.
"""

from __future__ import annotations

import re

from docgen.text import Block
from docgen.write import docx_xml as xml
from docgen.write import textfit
from docgen.write.docx_package import Document
from docgen.write.opc import Properties

# The style ids of the base document, by style name.
STYLE_IDS = {
    "Title": "Title", "Heading 1": "Heading1", "Heading 2": "Heading2", "Heading 3": "Heading3",
    "List Bullet": "ListBullet", "List Bullet 2": "ListBullet2", "List Bullet 3": "ListBullet3",
    "List Number": "ListNumber", "List Number 2": "ListNumber2", "List Number 3": "ListNumber3",
    "Table Grid": "TableGrid",
}

NAVY = "1F3864"  # the house colour of headings and labels
PROMPT_FILL = "DEEAF6"
LABEL_FILL = "F2F2F2"
HEADER_FILL = "D9E2F3"
TWIPS_PER_INCH = 1440  # WordprocessingML measures tables and indents in twentieths of a point
BODY_WIDTH = int(6.5 * TWIPS_PER_INCH)  # US Letter less 1-inch margins
BULLET_STYLES = ("List Bullet", "List Bullet 2", "List Bullet 3")
NUMBER_STYLES = ("List Number", "List Number 2", "List Number 3")
KEYWORDS = "DESE SSoS, instructional prioritization plan"
CELL_PADDING = 2 * 108 + 72  # twips: Word's default left and right cell margins, and a little room


def new_document(title: str, author: str, subject: str, footer: str) -> Document:
    """Return a blank US Letter document with 1-inch margins, properties and a "Page X of Y" footer.

    It starts from templates/base/plan.docx, a slim package holding only the
    styles docgen uses (see scripts/make_base_documents.py).
    """
    page = (f'<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
            f'{xml.run(f"{footer} · Page ", size_pt=9)}{_field("PAGE")}'
            f'{xml.run(" of ", size_pt=9)}{_field("NUMPAGES")}</w:p>')
    return Document(Properties(title, subject, author, KEYWORDS), footer=page)


def _field(instruction: str) -> str:
    """Return a Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when the page is laid out."""
    return f'<w:fldSimple w:instr="{instruction}">{xml.run("1", size_pt=9)}</w:fldSimple>'


def inches(value: float) -> int:
    """Return a length in inches as twips."""
    return int(value * TWIPS_PER_INCH)


def column_widths(weights, minimums=()) -> list[int]:
    """Return column widths in twips sharing the body width in proportion to ``weights``, each at least its minimum.

    The width is shared as max(minimum, k x weight) with the one k that fills
    the body: narrow columns get their minimum, the others keep their proportions.
    """
    minimums = list(minimums) or [0] * len(weights)
    if sum(minimums) >= BODY_WIDTH:  # cannot all fit: share in proportion to the minimums
        return [int(BODY_WIDTH * m / sum(minimums)) for m in minimums]
    held: set[int] = set()  # columns at their minimum
    while True:
        share = sum(w for i, w in enumerate(weights) if i not in held)
        k = (BODY_WIDTH - sum(minimums[i] for i in held)) / share if share else 0.0
        narrow = {i for i, (m, w) in enumerate(zip(minimums, weights, strict=False)) if i not in held and m > k * w}
        if not narrow:
            return [int(minimums[i] if i in held else k * w) for i, w in enumerate(weights)]
        held |= narrow


def unbroken_width(text: str, size_pt: float, bold: bool = False) -> int:
    """Return the width in twips a table column needs so that no word of ``text`` breaks (its longest word).

    A web address counts by its pieces between the break marks breakable_links puts in.
    """
    words = re.split(r"[\s\u200b]+", breakable_links(text))
    widest = max((textfit.text_width(word, size_pt, bold) for word in words if word), default=0.0)
    return int(widest * TWIPS_PER_INCH) + CELL_PADDING


_LINK = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)+/\S*", re.IGNORECASE)
_LINK_BREAK = re.compile(r"(?<=[/.-])(?=[^/.\-\s])")
_SLASHED = re.compile(r"(?<=\w/)(?=\w)")


def breakable_links(value: str) -> str:
    """Return ``value`` with a zero-width break opportunity after each '/', '.' and '-' of its web addresses
    (and after the slash of "broad/comprehensive").

    A long address in a narrow cell then wraps at those marks only
    ("millriver.example.org/" | "schools/"), never inside a word
    ("millriver.examp" | "le.org"). Reading the file back drops the marks (text.clean).
    """
    if "/" not in value and "www." not in value.casefold():  # most answers: no address, nothing to mark
        return value
    value = _LINK.sub(lambda link: _LINK_BREAK.sub("\u200b", link.group(0)), value)
    return _SLASHED.sub("\u200b", value)  # "broad/comprehensive" may wrap after its slash, not mid-word


class ListNumbering:
    """Hands out numbering instances so that each numbered list in a document starts again at 1."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.current: dict[int, int] = {}

    def restart(self) -> None:
        """Start a new list: the next numbered paragraph at each level is numbered 1."""
        self.current = {}

    def num_id(self, level: int) -> int:
        """Return the numbering instance for ``level`` in the current list, creating one that starts at 1."""
        if level not in self.current:
            self.current[level] = self.doc.new_list(STYLE_IDS[NUMBER_STYLES[level]])
        return self.current[level]


def blocks_xml(blocks: list[Block], numbering: ListNumbering, size_pt: float | None = None, keep_next: bool = False,
               continues: bool = False) -> str:
    """Return an answer's paragraphs as XML: real bullets, and numbered lists that restart at 1.

    ``continues`` says the first block carries on a list begun just before
    (in the row above), so its numbering goes on rather than starting again.
    """
    out, previous = [], None
    for block in blocks:
        style, num_id = None, None
        if block.kind == "bullet":
            style = STYLE_IDS[BULLET_STYLES[block.level]]
        elif block.kind == "number":
            style = STYLE_IDS[NUMBER_STYLES[block.level]]
            if (previous is None and not continues) or (previous is not None and previous.kind == "para"):
                numbering.restart()
            num_id = numbering.num_id(block.level)
        out.append(xml.para(xml.run(breakable_links(block.text), size_pt=size_pt), style=style, num_id=num_id,
                            keep_next=keep_next))
        previous = block
    return "".join(out)
