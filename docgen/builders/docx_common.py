"""Word building blocks shared by the plan and the letter: the base document, page setup, footer, lists.

python-docx opens the slim base document and owns the package; the body is
written as XML fragments (docx_xml). Numbered lists get their own numbering
instance each, so every list starts again at 1.
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
from . import docx_xml as xml

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
    props.title, props.author, props.subject, props.language = prop(title), prop(author), prop(subject), "en-US"
    props.last_modified_by, props.comments, props.keywords = prop(author), "", "DESE SSoS, instructional prioritization plan"
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(f"{footer} · Page ")
    run.font.size = Pt(9)
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ").font.size = Pt(9)
    _field(paragraph, "NUMPAGES")
    return doc


def prop(value: str) -> str:
    """Return a document property value within the 255 characters Office allows (longer ones are cut)."""
    return value if len(value) <= 255 else value[:254] + "…"


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


def column_widths(weights) -> list[int]:
    """Return column widths in twips sharing the body width in proportion to ``weights``."""
    total = sum(weights)
    return [int(twips(BODY_WIDTH) * w / total) for w in weights]


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


def blocks_xml(blocks: list[Block], numbering: ListNumbering, size_pt: float | None = None) -> str:
    """Return an answer's paragraphs as XML: real bullets, and numbered lists that restart at 1."""
    out, previous = [], None
    for block in blocks:
        style, num_id = None, None
        if block.kind == "bullet":
            style = STYLE_IDS[BULLET_STYLES[block.level]]
        elif block.kind == "number":
            style = STYLE_IDS[NUMBER_STYLES[block.level]]
            if previous is None or previous.kind == "para":
                numbering.restart()
            num_id = numbering.num_id(block.level)
        out.append(xml.para(xml.run(block.text, size_pt=size_pt), style=style, num_id=num_id))
        previous = block
    return "".join(out)


def twips(emu: int) -> int:
    """Return a length in EMU as twentieths of a point (twips), the unit of WordprocessingML tables."""
    return int(emu / 635)
