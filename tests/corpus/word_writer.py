"""Writing a district's plan into a Word file the way districts do, piece by piece, remembering each piece.

The layout styles (word_styles, held_out) call these helpers; every helper
that writes district text records the pieces it wrote, so the expected answer
of a document is exactly what is in it.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt, RGBColor

from .corpus_plans import DistrictPlan, Piece, lines

_VML = 'xmlns:v="urn:schemas-microsoft-com:vml"'


class WordWriter:
    """A python-docx Document and the pieces of district text written into it so far."""

    def __init__(self, district: DistrictPlan, font: str = "Calibri", size: int = 11):
        self.d = district
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.name, style.font.size = font, Pt(size)
        self.pieces: list[Piece] = []
        self._boxes = 0

    # what the district typed -------------------------------------------------------------------------------------

    def value(self, key: str) -> str:
        """Return the plan's value for a field key (DistrictPlan.value)."""
        return self.d.value(key)

    def keep(self, key: str, text: str) -> None:
        """Remember the pieces of ``text`` as written under ``key``."""
        self.pieces += self.d.pieces_of(key, text)

    # paragraphs -----------------------------------------------------------------------------------------------------

    def heading(self, text: str, level: int = 1, color: str | None = None) -> None:
        """Write a heading of the district's own (not district text to place)."""
        paragraph = self.doc.add_heading(text, level)
        if color:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor.from_string(color)

    def bold_line(self, text: str) -> None:
        """Write a bold paragraph of the district's own wording (a prompt or a label)."""
        self.doc.add_paragraph().add_run(text).bold = True

    def say(self, text: str) -> None:
        """Write a paragraph that is no piece (a connecting sentence of the district's own)."""
        self.doc.add_paragraph(text)

    def answer(self, key: str, bullets: bool = False, style: str | None = None) -> None:
        """Write a field's value, one paragraph (or one bullet) per line."""
        value = self.value(key)
        for line in lines(value):
            self.doc.add_paragraph(line, style="List Bullet" if bullets else style)
        self.keep(key, value)

    def tracked_answer(self, key: str, deleted: str, comment: str = "") -> None:
        """Write a field's value with its last line as a tracked insertion, after a tracked deletion of ``deleted``.

        Accepting the changes keeps the inserted line and drops the deleted
        text (no piece); the comment, if any, is the reviewer's, not the plan's.
        """
        value = self.value(key)
        *kept, last = lines(value)
        for line in kept:
            self.doc.add_paragraph(line)
        paragraph = self.doc.add_paragraph()
        stamp = 'w:author="Plan team" w:date="2025-06-10T09:00:00Z"'
        paragraph._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="901" {stamp}><w:r><w:delText xml:space="preserve">'
                                      f'{escape(deleted)} </w:delText></w:r></w:del>'))
        paragraph._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="902" {stamp}><w:r><w:t xml:space="preserve">'
                                      f'{escape(last)}</w:t></w:r></w:ins>'))
        if comment:
            anchor = paragraph.add_run("")
            self.doc.add_comment(anchor, text=comment, author="Plan team", initials="PT")
        self.keep(key, value)

    def labelled(self, label: str, key: str, bold_label: bool = True) -> None:
        """Write "Label: value" on one line (the district's own label before its answer)."""
        value = self.value(key)
        if not value:
            return
        paragraph = self.doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = bold_label
        paragraph.add_run(" ".join(lines(value)) if len(lines(value)) == 1 else lines(value)[0])
        for line in lines(value)[1:]:
            self.doc.add_paragraph(line, style="List Bullet")
        self.keep(key, value)

    def text_box(self, key: str, title: str = "") -> None:
        """Write a field's value in a floating text box (VML, as Word's "Simple Text Box" inserts)."""
        value = self.value(key)
        self._boxes += 1
        paras = ([f"<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{escape(title)}</w:t></w:r></w:p>"] if title else [])
        paras += [f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in lines(value)]
        xml = (f'<w:r {nsdecls("w")} {_VML}><w:pict><v:shape id="TextBox{self._boxes}" type="#_x0000_t202" '
               f'style="width:440pt;height:{40 + 28 * len(paras)}pt" strokecolor="#1F4E79">'
               f'<v:textbox><w:txbxContent>{"".join(paras)}</w:txbxContent></v:textbox></v:shape></w:pict></w:r>')
        self.doc.add_paragraph()._p.append(parse_xml(xml))
        self.keep(key, value)

    # tables ---------------------------------------------------------------------------------------------------------

    def rows_table(self, rows: list, columns: list[tuple[str, str]], key_prefix: str, style: str = "Table Grid",
                   shade: str | None = None) -> None:
        """Write a table with the district's own ``columns`` [(header, row attribute)], one row per entry."""
        if not rows:
            return
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = style
        for cell, (header, _) in zip(table.rows[0].cells, columns, strict=True):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
            if shade:
                cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:fill="{shade}"/>'))
        for row in rows:
            cells = table.add_row().cells
            for cell, (_, name) in zip(cells, columns, strict=True):
                value = getattr(row, name)
                cell.text = ""
                for i, line in enumerate(lines(value)):
                    paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
                    paragraph.add_run(("• " if len(lines(value)) > 1 else "") + line)
                self.keep(f"{key_prefix}[*].{name}", value)
        self.doc.add_paragraph()

    def form_table(self, items: list[tuple[str, str]], widths: tuple[float, float] | None = None) -> None:
        """Write a two-column table: the district's label on the left, the answer on the right."""
        items = [(label, key) for label, key in items if self.value(key)]
        if not items:
            return
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, key in items:
            left, right = table.add_row().cells
            left.text = label
            left.paragraphs[0].runs[0].bold = True
            value = self.value(key)
            for i, line in enumerate(lines(value)):
                (right.paragraphs[0] if i == 0 else right.add_paragraph()).add_run(line)
            self.keep(key, value)
        self.doc.add_paragraph()

    # page furniture -------------------------------------------------------------------------------------------------

    def header(self, text: str, footer: str = "") -> None:
        """Put ``text`` in the page header (and ``footer`` in the footer), as district letterhead does."""
        section = self.doc.sections[0]
        section.header.paragraphs[0].text = text
        section.header.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        if footer:
            section.footer.paragraphs[0].text = footer

    def page_break(self) -> None:
        self.doc.add_page_break()

    def save(self, path: Path) -> list[Piece]:
        """Save the document and return the pieces written into it."""
        self.doc.save(path)
        return self.pieces
