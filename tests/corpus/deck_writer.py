"""Writing a district's plan into a PowerPoint deck the way districts do, remembering each piece written.

The deck styles (deck_styles, held_out) call these helpers, as the Word
styles call word_writer.
"""

from __future__ import annotations

from pathlib import Path

from pptx import Presentation
from pptx.util import Emu, Inches, Pt

from .corpus_plans import CARRIED, DistrictPlan, Piece, lines

TITLE_ONLY, TITLE_AND_CONTENT, BLANK, TITLE_SLIDE = 5, 1, 6, 0


class DeckWriter:
    """A python-pptx Presentation and the pieces of district text written into it so far."""

    def __init__(self, district: DistrictPlan, title_font: str = "Calibri"):
        self.d = district
        self.deck = Presentation()  # 10 x 7.5 inches, as the default template's layouts are drawn
        self.title_font = title_font
        self.pieces: list[Piece] = []

    def value(self, key: str) -> str:
        """Return the plan's value for a field key (DistrictPlan.value)."""
        return self.d.value(key)

    def keep(self, key: str, text: str) -> None:
        self.pieces += self.d.pieces_of(key, text)

    def slide(self, title: str, layout: int = TITLE_AND_CONTENT):
        """Add a slide titled ``title`` (the district's own title, not a piece)."""
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[layout])
        if slide.shapes.title is not None:
            slide.shapes.title.text = title
            for run in slide.shapes.title.text_frame.paragraphs[0].runs:
                run.font.name = self.title_font
        return slide

    def body(self, slide, items: list[tuple[str | None, str]], size: int = 14) -> None:
        """Fill the slide's body placeholder: each item a "Label: answer" bullet, or the answer's lines."""
        frame = slide.placeholders[1].text_frame
        first = True
        for label, key in items:
            value = self.value(key)
            if not value:
                continue
            for i, line in enumerate(lines(value)):
                paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
                first = False
                paragraph.text = f"{label}: {line}" if label and i == 0 else line
                paragraph.level = 1 if label and i > 0 else 0
                for run in paragraph.runs:
                    run.font.size = Pt(size)
            self.keep(key, value)

    def box(self, slide, key: str, left: float, top: float, width: float, height: float, label: str = "",
            size: int = 13) -> None:
        """Write a field's value in a free text box at (left, top) inches, with an optional bold label first."""
        value = self.value(key)
        if not value:
            return
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.word_wrap = True
        if label:
            frame.paragraphs[0].text = label
            frame.paragraphs[0].runs[0].font.bold = True
        for i, line in enumerate(lines(value)):
            paragraph = frame.paragraphs[0] if i == 0 and not label else frame.add_paragraph()
            paragraph.text = line
            paragraph.runs[0].font.size = Pt(size)
        self.keep(key, value)

    def text(self, slide, text: str, left: float, top: float, width: float, height: float, bold: bool = False):
        """Write text of the district's own (a label, a caption) in a free text box: no piece."""
        frame = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height)).text_frame
        frame.paragraphs[0].text = text
        frame.paragraphs[0].runs[0].font.bold = bold

    def table(self, slide, rows: list, columns: list[tuple[str, str]], key_prefix: str, top: float = 1.5,
              size: int = 11) -> None:
        """Add a table of ``rows`` with the district's own ``columns`` [(header, row attribute)]."""
        shape = slide.shapes.add_table(len(rows) + 1, len(columns), Inches(0.4), Inches(top), Inches(9.2),
                                       Emu(Inches(0.4) * (len(rows) + 1)))
        table = shape.table
        for j, (header, _) in enumerate(columns):
            table.cell(0, j).text = header
        for i, row in enumerate(rows, start=1):
            for j, (_, name) in enumerate(columns):
                value = getattr(row, name)
                table.cell(i, j).text = "\n".join(lines(value))
                for paragraph in table.cell(i, j).text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(size)
                self.keep(f"{key_prefix}[*].{name}", value)

    def notes(self, slide, text: str) -> None:
        """Write speaker notes: district text that belongs in no field (expected in the Carried-over list)."""
        slide.notes_slide.notes_text_frame.text = text
        self.pieces += [Piece(CARRIED, line, False, "notes") for line in lines(text)]

    def save(self, path: Path) -> list[Piece]:
        self.deck.save(path)
        return self.pieces
