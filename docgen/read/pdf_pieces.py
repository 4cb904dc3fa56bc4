"""Read a PDF's text layer as Pieces: lines joined back into paragraphs, headings by type size, labels by bold.

pdfplumber (on pdfminer.six) is used rather than pypdfium2 because it gives
each character's font name, size and position, which is what tells a heading
(larger type), a label (bold) and a table's columns apart; pypdfium2 gives
text and boxes but not the font of each character. A PDF exported from Word
or PowerPoint keeps its text; a scanned PDF has none, and is refused with one
line saying so (docgen does not read images of text).

Lines are joined into a paragraph while they share a type size and weight and
follow each other at the page's usual line spacing (a paragraph's own spacing
is wider); a bullet glyph starts a new list item; a wide gap within a line
separates a label from its answer, or a table's columns. Ruled tables are read
cell by cell the same way. Page headers and footers (the top and bottom
strips of each page) are kept aside.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from docgen import text
from docgen.read import pdf_columns
from docgen.read.pieces import Piece, Pieces
from docgen.read.word_document import ImportError_

GLYPHS = "\uf0b7\uf0a7\uf0d8\uf076\uf0fc•◦▪●○■□➢►✓"  # bullet marks as fonts draw them (Symbol, Wingdings, ...)
LIST_MARK = re.compile(r"\(?(?:\d{1,2}|[a-z])[.)]")  # a list item's number or letter, as a word of its own
MARGIN_STRIP = 0.06  # the top and bottom strips of a page hold its header and footer
MAX_PAGES = 200


def read(path: Path) -> Pieces:
    """Return the pieces of the PDF at ``path``; refuse one without a text layer, or one that cannot be opened."""
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
        pages = pdf.pages
    except Exception as exc:  # noqa: BLE001  # pdfminer raises many kinds of error on damaged or locked files
        if "password" in str(exc).casefold() or "Password" in type(exc).__name__:
            raise ImportError_(f"{path}: is protected with a password; save it again without one") from None
        raise ImportError_(f"{path}: cannot be read as a PDF: it is damaged; export it again") from None
    found = Pieces(format="pdf", title=str((pdf.metadata or {}).get("Title") or ""))
    with pdf:
        if len(pages) > MAX_PAGES:
            raise ImportError_(f"{path}: has {len(pages)} pages, far more than any plan (under {MAX_PAGES})")
        asides: set[str] = set()
        for number, page in enumerate(pages, start=1):
            _page(page, number, found.items, asides)
    found.items = _across_pages(found.items)
    if not any(p.text or p.rows for p in found.items if not p.aside):
        raise ImportError_(f"{path}: is a scanned PDF (pictures of pages, no text layer); docgen reads PDFs "
                           "exported from Word or PowerPoint: send the .docx or .pptx, or export it as a PDF again")
    return found


def _lines(words: list[dict]) -> list[list[dict]]:
    """Group words into lines (same baseline), left to right."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 2:
            lines[-1].append(w)
        else:
            lines.append([w])
    return lines


def _page(page, number: int, items: list[Piece], asides: set[str]) -> None:
    grids = [t for t in page.find_tables() if t.rows and max(len(r.cells) for r in t.rows) >= 2
             and sum(1 for r in t.rows for c in r.cells if c) >= 4 and t.bbox[3] - t.bbox[1] < 0.7 * page.height]
    boxes = [g.bbox for g in grids]
    words = page.extract_words(extra_attrs=["fontname", "size"])
    outside = [w for w in words if not any(_in(w, box) for box in boxes)]
    lines = _lines(outside)
    body = [line for line in lines if MARGIN_STRIP * page.height < line[0]["top"] < (1 - MARGIN_STRIP) * page.height]
    for line in lines:
        if line not in body:
            value = text.clean(" ".join(w["text"] for w in line))
            if re.sub(r"\d+", "#", value) not in asides:
                asides.add(re.sub(r"\d+", "#", value))
                items.append(Piece(value, f"page {number}, page margin", aside="page margin"))
    sizes = Counter(round(w["size"]) for line in body for w in line)
    normal = sizes.most_common(1)[0][0] if sizes else 11
    ends = sorted(line[-1]["x1"] for line in body)  # the text's right edge: where most long lines stop (a wide
    right = ends[int(0.85 * (len(ends) - 1))] if ends else page.width  # table row or a stray line reaches past it)
    leading = leading_of(body, normal)  # the body's own line spacing; cells keep the page's (often tighter)
    cell_leading = leading_of(_lines(words), normal)
    flow = [(line[0]["top"], line) for line in body] + [(g.bbox[1], g) for g in grids]
    pending: list[list[dict]] = []
    for _, item in sorted(flow, key=lambda pair: pair[0]):
        if isinstance(item, list):
            pending.append(item)
            continue
        items.extend(_text(pending, f"page {number}", normal, right, leading))
        pending = []
        rows = [[_cell(words, cell, normal, cell_leading) for cell in row.cells] for row in item.rows]
        kept = [row for row in rows if any(row)]
        if kept:
            first = [w for cell in item.rows[0].cells if cell for w in words if _in(w, cell)]
            bold = bool(first) and all("bold" in w["fontname"].casefold() for w in first)
            items.append(Piece("", f"page {number}, table", rows=kept, header=bold and any(rows[0])))
    items.extend(_text(pending, f"page {number}", normal, right, leading))


def _text(lines: list[list[dict]], where: str, normal: int, right: float, leading: float) -> list[Piece]:
    """Return lines of text as paragraphs, and the tables without rules among them (pdf_columns) as tables."""
    found: list[Piece] = []
    for kind, block in pdf_columns.split(lines, leading):
        if kind == "table":
            rows, bold = block
            found.append(Piece("", f"{where}, table", rows=rows, header=bold))
        else:
            found.extend(_paragraphs(block, where, normal, right=right, leading=leading))
    return found


def _in(word: dict, box) -> bool:
    x0, top, x1, bottom = box
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    return x0 - 1 <= middle_x <= x1 + 1 and top - 1 <= middle_y <= bottom + 1


def _cell(words: list[dict], box, normal: int, leading: float) -> str:
    """Return a table cell's text: its paragraphs a line each, list items marked "- "."""
    if box is None:
        return ""
    inside = _lines([w for w in words if _in(w, box)])
    lines = []
    longest = max((line[-1]["x1"] for line in inside), default=box[2])
    edge = max(longest, box[2] - 6)  # the cell's right edge, less its margin
    for piece in _paragraphs(inside, "", normal, split=False, right=edge, leading=leading, slack=1.5):
        lines.append(f"- {piece.text}" if piece.kind == "bullet" else piece.text)
    return "\n".join(lines)


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


def leading_of(lines: list[list[dict]], normal: int) -> float:
    """Return the usual gap between the lines of a paragraph (the commonest gap; paragraphs' own are wider)."""
    gaps = Counter(round(b[0]["top"] - a[0]["bottom"], 0) for a, b in zip(lines, lines[1:], strict=False)
                   if 0 < b[0]["top"] - a[0]["bottom"] < 2 * normal)
    return min(gaps, key=lambda g: (-gaps[g], g)) if gaps else normal * 0.4


def _paragraphs(lines: list[list[dict]], where: str, normal: int, split: bool = True,
                right: float | None = None, leading: float | None = None, slack: float = 2) -> list[Piece]:
    """Join lines into paragraphs; a line's far-apart parts (label, answer) stay apart when ``split``.

    A line carries on the one before when the one before was wrapped: the
    first word of this line would not have fitted at its end (before
    ``right``, the text's right edge), and it follows at the usual spacing.
    """
    runs = [segment for line in lines for segment in (_segments(line) if split else [line])]
    leading = leading_of(runs, normal) if leading is None else leading
    if right is None and runs:
        right = max(r[-1]["x1"] for r in runs)
    pieces: list[Piece] = []
    last = None
    for run in runs:
        value = text.clean(" ".join(w["text"] for w in run)).strip()
        if not value:
            continue
        letters = [w for w in run if w["text"].strip(GLYPHS) and not LIST_MARK.fullmatch(w["text"])]
        letters = letters or run  # a bullet's or a list number's own font says nothing of the line's
        size = Counter(round(w["size"]) for w in letters).most_common(1)[0][0]
        bold = all("bold" in w["fontname"].casefold() for w in letters)
        kind = "para"
        if value[0] in GLYPHS:
            kind, value = "bullet", value[1:].strip()
        if not value:
            continue
        heading = 1 if size >= normal + 3 else (2 if size >= normal + 1.5 else 0)
        top = run[-1]["top"]  # a line's last word: a list mark or a bullet glyph may sit a little higher
        listed = LIST_MARK.fullmatch(run[0]["text"]) is not None  # "2." opens a list item
        joins = (last is not None and kind == "para" and not listed and last["style"] == (size, bold)
                 and 0 <= top - last["bottom"] <= leading + slack and run[0]["x0"] >= last["x0"] - 2
                 and top > last["top"] + 1
                 and last["x1"] + 0.3 * size + (run[0]["x1"] - run[0]["x0"]) > right - 1)
        if joins:
            before = last["piece"].text
            # a word hyphenated, or a web address cut, where the line broke
            glue = "" if re.search(r"\w-$|://\S*[./]$", before) else " "
            last["piece"].text = f"{before}{glue}{value}"
            last.update(top=top, bottom=run[-1]["bottom"], x1=run[-1]["x1"])
            continue
        label = bold and not heading and len(value.split()) <= 15
        piece = Piece(value, where, kind, heading=heading, label=label)
        pieces.append(piece)
        last = {"piece": piece, "style": (size, bold), "top": top, "bottom": run[-1]["bottom"], "x0": run[0]["x0"],
                "x1": run[-1]["x1"]}
    return pieces


def _across_pages(items: list[Piece]) -> list[Piece]:
    """Join a paragraph cut by a page break: one ending without a sentence's end, and the next page's first text."""
    kept: list[Piece] = []
    last: Piece | None = None  # the last piece of body text, page margins aside
    for piece in items:
        text_like = piece.rows is None and not piece.heading and not piece.label and not piece.aside
        if text_like and last is not None and last.where != piece.where and piece.kind == "para" and \
                not re.search(r"[.!?:;\"”)]\s*$", last.text) and piece.where.startswith("page"):
            last.text = f"{last.text} {piece.text}"
            continue
        kept.append(piece)
        if not piece.aside:
            last = piece if text_like and piece.where.startswith("page") and "table" not in piece.where else None
    return kept
