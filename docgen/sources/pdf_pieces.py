"""Read a PDF's text layer as Pieces: lines joined back into paragraphs, headings by type size, labels by bold.

pdfplumber (on pdfminer.six) is used rather than pypdfium2 because it gives
each character's font name, size and position, which is what tells a heading
(larger type), a label (bold) and a table's columns apart; pypdfium2 gives
text and boxes but not the font of each character. A PDF exported from Word
or PowerPoint keeps its text; a scanned PDF has none, and is refused with one
line saying so (docgen does not read images of text).

Lines are joined into a paragraph while they share a font and size, follow
each other closely, and the line before ran to the right margin; a bullet
glyph starts a new list item; a wide gap within a line separates a label from
its answer, or a table's columns. Page headers and footers (the top and
bottom strips of each page) are kept aside.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import text
from .pieces import Piece, Pieces
from .word_document import ImportError_

BULLETS = "•◦▪●○■□➢►✓–-\uf0b7\uf0a7\uf0d8\uf076"
MARGIN_STRIP = 0.06  # the top and bottom strips of a page hold its header and footer
MAX_PAGES = 200


def read(path: Path) -> Pieces:
    """Return the pieces of the PDF at ``path``; refuse one without a text layer, or one that cannot be opened."""
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(str(path))
    except (PDFSyntaxError, ValueError, OSError, Exception) as exc:  # pdfminer raises many kinds on damaged files
        if "password" in str(exc).casefold() or type(exc).__name__ == "PDFPasswordIncorrect":
            raise ImportError_(f"{path}: is protected with a password; save it again without one") from None
        raise ImportError_(f"{path}: cannot be read as a PDF: it is damaged; export it again") from None
    found = Pieces(format="pdf", title=str((pdf.metadata or {}).get("Title") or ""))
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ImportError_(f"{path}: has {len(pdf.pages)} pages, far more than any plan (under {MAX_PAGES})")
        asides: set[str] = set()
        for number, page in enumerate(pdf.pages, start=1):
            _page(page, number, found.items, asides)
    if not any(p.text or p.rows for p in found.items if not p.aside):
        raise ImportError_(f"{path}: is a scanned PDF (pictures of pages, no text layer); docgen reads PDFs "
                           "exported from Word or PowerPoint: send the .docx or .pptx, or export it as a PDF again")
    return found


def _page(page, number: int, items: list[Piece], asides: set[str]) -> None:
    grids = [t for t in page.find_tables() if t.rows and max(len(r.cells) for r in t.rows) >= 3]
    inside = [g.bbox for g in grids]
    words = [w for w in page.extract_words(extra_attrs=["fontname", "size"])
             if not any(x0 - 1 <= w["x0"] <= x1 + 1 and top - 1 <= w["top"] <= bottom + 1
                        for x0, top, x1, bottom in inside)]
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    flow = [(line[0]["top"], line) for line in lines] + [(g.bbox[1], g) for g in grids]
    body = [line for line in lines if MARGIN_STRIP * page.height < line[0]["top"] < (1 - MARGIN_STRIP) * page.height]
    for line in lines:
        if line not in body:
            value = " ".join(w["text"] for w in line)
            if re.sub(r"\d+", "#", value) not in asides:
                asides.add(re.sub(r"\d+", "#", value))
                items.append(Piece(text.clean(value), f"page {number}, page margin", aside="page margin"))
    sizes = sorted(round(w["size"]) for line in body for w in line) or [11]
    normal = sizes[len(sizes) // 2]
    right = max((line[-1]["x1"] for line in body), default=page.width)
    last = None
    for _, item in sorted(flow, key=lambda pair: pair[0]):
        if not isinstance(item, list):
            rows = [[" ".join(text.clean(c or "").split()) for c in row] for row in item.extract()]
            items.append(Piece("", f"page {number}, table", rows=[r for r in rows if any(r)]))
            last = None
        elif item in body:
            for segment in _segments(item):
                last = _add(segment, number, normal, right, items, last)


def _segments(words: list[dict]) -> list[list[dict]]:
    """Split a line's words where a gap is far wider than a space: a label and its answer, or columns."""
    out, current = [], []
    for w in words:
        if current and w["x0"] - current[-1]["x1"] > 2.5 * max(w["size"], 1):
            out.append(current)
            current = []
        current.append(w)
    if current:
        out.append(current)
    return out


def _add(chars: list[dict], number: int, normal: int, right: float, items: list[Piece], last):
    value = " ".join(text.clean(" ".join(c["text"] for c in chars)).split())
    if not value:
        return last
    size = round(max(c["size"] for c in chars))
    bold = all("bold" in c["fontname"].casefold() for c in chars if c["text"].strip())
    top, x0, x1 = min(c["top"] for c in chars), chars[0]["x0"], chars[-1]["x1"]
    kind = "para"
    if value[0] in BULLETS and len(value) > 1 and value[1] in " \t" or value[0] in "\uf0b7\uf0a7\uf0d8\uf076":
        kind, value = "bullet", value[1:].strip()
    elif re.match(r"^\d{1,2}[.)]\s", value) and not bold:
        kind = "number"
    heading = 1 if size >= normal + 3 else (2 if size >= normal + 1.5 else 0)
    style = (size, bold, heading)
    if last is not None and kind == "para" and items and items[-1] is last["piece"] and last["style"] == style \
            and 0 < top - last["top"] <= 1.6 * size and last["x1"] >= right - 0.12 * (right - 60) \
            and abs(x0 - last["x0"]) < 40:  # the line before ran to the margin: this one carries it on
        last["piece"].text = f"{last['piece'].text} {value}"
        last.update(top=top, x1=x1)
        return last
    label = bold and not heading and len(value.split()) <= 15
    piece = Piece(value, f"page {number}", kind, heading, label)
    items.append(piece)
    return {"piece": piece, "style": style, "top": top, "x0": x0, "x1": x1}
