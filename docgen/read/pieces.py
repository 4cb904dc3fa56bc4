"""A district's document as pieces of text in reading order, whatever it was written in (Word, PowerPoint, PDF).

Each format's reader (docx_pieces, pptx_pieces, pdf_pieces) turns a file into
``Pieces``; own_layout.py then files them under the plan's fields by what they
say. A piece knows where it came from (paragraph, slide, page, table cell), so
every piece that does not find a field can be listed with its origin, and
whether it looks like a heading or a label (a cue for what follows) rather
than an answer. Tables stay tables: their columns may be one of the plan's
tables whatever their headers say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LISTED = re.compile(r"^\s*(?:[-*•◦▪●○■□➢►✓–]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
DATE = re.compile(r"\b(?:(?:January|February|March|April|May|June|July|August|September|October|November|"
                  r"December)\s+\d{1,2},?\s+20\d\d|\d{1,2}/\d{1,2}/20\d\d|20\d\d-\d\d-\d\d)\b", re.IGNORECASE)


@dataclass
class Piece:
    """One paragraph, list item, slide title or table of the source, with where it sits."""

    text: str
    where: str  # "paragraph 12", "slide 4, shape 'Content 2'", "page 3", "table 2"
    kind: str = "para"  # "para", "bullet" or "number"
    level: int = 0  # a list item's indent level (0: top)
    heading: int = 0  # 0: body text; 1-9: a heading of that level (a title, a styled or larger-type heading)
    label: bool = False  # a short line set apart (bold, or ending in a colon): names what follows
    rows: list[list[str]] | None = None  # a table's cell texts, row by row (text is "" then)
    header: bool = False  # a table's first row is set apart as its header row (column names, not answers)
    aside: str = ""  # "speaker notes", "page header", "comment": kept and listed, never an answer
    joins: bool = False  # the rest of the paragraph before it, cut at a slide's or page's end

    def cell_where(self, r: int, c: int) -> str:
        """Return where one cell of this table is: "table 2, row 3, cell 1"."""
        return f"{self.where}, row {r + 1}, cell {c + 1}"


@dataclass
class Pieces:
    """A document's pieces, with what it says of itself (title, author) and what is kept aside."""

    items: list[Piece] = field(default_factory=list)
    title: str = ""  # the file's own title property, if any
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text)
    format: str = ""  # "docx", "pptx" or "pdf"


def unlisted(text: str) -> str:
    """Return a list item's text without its bullet or number mark."""
    return LISTED.sub("", text, count=1).strip()


def list_kind(text: str) -> str:
    """Return "number" or "bullet" for text that starts with a list mark, else "para"."""
    found = LISTED.match(text)
    if not found:
        return "para"
    return "number" if re.match(r"\s*\(?\d", found.group(0)) else "bullet"


def as_answer_line(piece: Piece) -> str:
    """Return a piece's text as an answer line: list items keep a mark ("- ", "1. ") docgen's writers turn back."""
    text = piece.text.strip()
    indent = "  " * piece.level if piece.kind != "para" else ""
    if piece.kind == "bullet" and not LISTED.match(text):
        return f"{indent}- {text}"
    if LISTED.match(text) and list_kind(text) == "bullet":
        return f"{indent}- {unlisted(text)}"
    return indent + text


def looks_like_label(text: str) -> bool:
    """True for a short line that ends with a colon or a question mark: it names or asks what follows."""
    stripped = text.strip()
    return len(stripped.split()) <= 30 and stripped.endswith((":", "?"))
