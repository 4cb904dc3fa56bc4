"""Read a PowerPoint deck as Pieces: slide titles as headings, text in any shape, tables, speaker notes aside.

Decks come three ways: docgen's own (titled by section, labels in bold,
"(continued)" slides), DESE's official deck, and a district's own design. All
read the same way: each slide's title is a heading (a "(continued)" slide's
title, the same as the one before, opens nothing new); shapes are read top to
bottom, left to right, groups inside out; a bold short paragraph is a label;
a paragraph that carries on one cut at the slide's end (no space before it,
first on a continued slide) joins it again. Footers, slide numbers and dates
are left out; speaker notes are kept aside, never read as answers.
"""

from __future__ import annotations

import re
from pathlib import Path

from docgen import text
from docgen.errors import FileRefused
from docgen.read import package
from docgen.read.pieces import LISTED, Piece, Pieces
from docgen.read.word_document import ImportError_

CONTINUED = re.compile(r"\s*\((?:continued|cont(?:'d|\.)?)(?:\s*\d+)?\)\s*$", re.IGNORECASE)
_SKIPPED_PLACEHOLDERS = {"ftr", "sldNum", "dt", "hdr"}
OWN_PLACEHOLDER = "Not answered yet."  # what docgen's deck says under a section with no answer


def read(path: Path) -> Pieces:
    """Return the pieces of the deck at ``path`` (through the package guard), slide by slide."""
    from pptx import Presentation
    from pptx.exc import PackageNotFoundError

    try:
        package.read(path, package.PRESENTATION)
        deck = Presentation(str(path))
    except FileRefused as exc:
        raise ImportError_(str(exc)) from None
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise ImportError_(f"{path}: cannot be read as a PowerPoint presentation (.pptx): {exc}") from None
    found = Pieces(format="pptx", title=deck.core_properties.title or "")
    height = deck.slide_height or 6858000
    title = ""
    for number, slide in enumerate(deck.slides, start=1):
        where = f"slide {number}"
        shown = _title(slide)
        base = CONTINUED.sub("", shown).strip()
        continued = bool(shown) and base == title and CONTINUED.search(shown) is not None
        if shown and not continued:
            found.items.append(Piece(base, where, heading=1))
            title = base
        first = True
        divider = "section" in (slide.slide_layout.name or "").casefold()
        for shape in _shapes(slide.shapes):
            if shape == getattr(slide.shapes, "title", None) or _skipped(shape, height):
                continue
            for piece in _pieces(shape, where):
                if divider and shape.is_placeholder:
                    piece.heading = 2  # a section slide's subtitle names what follows, it answers nothing
                if continued and piece.label and piece.joins:  # "Label (continued)": still under that label
                    continue
                before = next((p for p in reversed(found.items) if not p.aside), None)
                if continued and first and piece.joins and before is not None and before.rows is None:
                    before.text = f"{before.text} {piece.text}"
                else:
                    found.items.append(piece)
                first = False
        if slide.has_notes_slide:
            notes = slide.notes_slide.notes_text_frame
            for line in (notes.text if notes is not None else "").split("\n"):
                if line.strip():
                    found.items.append(Piece(text.clean(line).strip(), f"{where}, speaker notes",
                                             aside="speaker notes"))
    return found


def _title(slide) -> str:
    shape = slide.shapes.title
    return " ".join(text.clean(shape.text_frame.text).split()) if shape is not None and shape.has_text_frame else ""


def _shapes(shapes):
    """Return the shapes in reading order (top to bottom, left to right), groups opened."""
    flat = []
    for shape in shapes:
        if shape.shape_type == 6:  # a group
            flat.extend(_shapes(shape.shapes))
        else:
            flat.append(shape)
    return sorted(flat, key=lambda s: ((s.top or 0) // 91440, s.left or 0))


def _skipped(shape, height: int) -> bool:
    """True for a footer, slide number or date: the deck's furniture, not the district's text."""
    if shape.is_placeholder and shape.placeholder_format.type is not None:
        kind = str(shape.placeholder_format.type).split(".")[-1].split()[0].lower()
        if kind in {"footer", "slide_number", "date"}:
            return True
    return bool(shape.top and shape.top > height * 0.9 and shape.has_text_frame
                and len(shape.text_frame.text.split()) <= 20)


def _pieces(shape, where: str) -> list[Piece]:
    if shape.has_table if hasattr(shape, "has_table") else False:
        rows = [[_cell(cell) for cell in row.cells] for row in shape.table.rows]
        rows = [[CONTINUED.sub("", c) if r == 0 else c for c in row] for r, row in enumerate(rows)]
        return [Piece("", f"{where}, table", rows=rows)] if any(any(row) for row in rows) else []
    if not shape.has_text_frame:
        return []
    out = []
    indents = sorted({int(p._p.pPr.get("marL") or 0) for p in shape.text_frame.paragraphs
                      if p._p.pPr is not None and _marked(p._p.pPr)})
    for paragraph in shape.text_frame.paragraphs:
        lines = [" ".join(text.clean(line).split()) for line in re.split(r"[\v\n]", paragraph.text)]
        lines = [line for line in lines if line and line != OWN_PLACEHOLDER]  # a line break (Shift+Enter) parts lines
        if not lines:
            continue
        runs = [r for r in paragraph.runs if r.text.strip()]
        bold = bool(runs) and all(r.font.bold for r in runs)
        p_pr = paragraph._p.pPr
        marked = p_pr is not None and _marked(p_pr)
        numbered = p_pr is not None and any(child.tag.endswith("buAutoNum") for child in p_pr)
        kind = "number" if numbered else ("bullet" if marked or paragraph.level > 0 else "para")
        space = p_pr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}spcBef") if p_pr is not None \
            else None
        no_space = space is None or 'val="0"' in _xml(space)  # the rest of a paragraph cut at the slide's end
        indent = indents.index(int(p_pr.get("marL") or 0)) if marked and indents else 0
        for i, value in enumerate(lines):
            if bold and len(value.split()) <= 15 and not LISTED.match(value):  # a label; repeated on a continued
                out.append(Piece(CONTINUED.sub("", value), f"{where}, {shape.name}", label=True,  # slide, it says so
                                 joins=CONTINUED.search(value) is not None))
                continue
            out.append(Piece(value, f"{where}, {shape.name}", kind if i == 0 else "para",
                             level=max(paragraph.level, indent), joins=i == 0 and no_space and not marked))
    return out


def _marked(p_pr) -> bool:
    return any(child.tag.endswith(("buChar", "buAutoNum")) for child in p_pr)


def _cell(cell) -> str:
    """Return a table cell's text, a line per paragraph, list items marked ("- ") as docgen's answers keep them."""
    lines, count = [], 0
    for paragraph in cell.text_frame.paragraphs:
        value = " ".join(text.clean("".join(r.text for r in paragraph.runs) or paragraph.text).split())
        if value:
            p_pr = paragraph._p.pPr
            marked = p_pr is not None and any(child.tag.endswith("buChar") for child in p_pr)
            numbered = p_pr is not None and any(child.tag.endswith("buAutoNum") for child in p_pr)
            count = count + 1 if numbered else 0
            if numbered and not LISTED.match(value):
                value = f"{count}. {value}"
            lines.append(f"- {value}" if marked and not LISTED.match(value) else value)
    return "\n".join(lines)


def _xml(element) -> str:
    from lxml import etree

    return etree.tostring(element).decode()
