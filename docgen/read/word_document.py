"""Read a Word file's text in reading order: paragraphs as Lines, tables whose header row is a spec table as Grids.

The first half of importing a plan typed into the official template (word.py
files the text under the template's prompts). Tracked changes count as
accepted: inserted text is read, deleted text is not. A soft line break
(Shift+Enter) ends a line like a paragraph mark, since people use both to
separate a prompt from its answer.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from docgen import text
from docgen.errors import DocgenError, FileRefused
from docgen.read import package
from docgen.variants import Variant

MATCH = 0.8  # share of a prompt's words a paragraph must contain (and similar length) to count as that prompt
W_P, _W_T, _W_TBL = qn("w:p"), qn("w:t"), qn("w:tbl")
_REMOVED = (qn("w:del"), qn("w:moveFrom"))  # tracked deletions, and the old place of tracked moves


class ImportError_(DocgenError):
    """A Word file that cannot be read as a plan."""


@dataclass
class Line:
    """One paragraph of the source, in reading order, with where it sits."""

    text: str
    where: str
    kind: str = "para"  # "para", "bullet" or "number"
    header: bool = False  # from a table row marked as a header row (column names, not answers)


@dataclass
class Grid:
    """A table whose header row matched one of the spec's tables."""

    key: str
    rows: list[list[str]]
    where: str
    headers: tuple[str, ...] = ()  # the header row's cells, to match columns by name, not position


def open_document(path: Path):
    """Return the python-docx Document, or raise one clear error for files that are not .docx plans.

    The file passes the same guard as workbooks first (size caps, no DTDs or
    entities), so a hostile file is refused before python-docx parses it.
    """
    path = Path(path)
    try:
        parts = package.read(path, package.DOCUMENT)
    except FileRefused as exc:
        raise ImportError_(str(exc)) from None
    if "word/document.xml" not in parts:
        raise ImportError_(f"{path}: {_what_else(parts)}")
    try:
        return docx.Document(str(path))
    except etree.LxmlError:
        raise ImportError_(f"{path}: {package.DAMAGED.format(what=package.DOCUMENT.what, app='Word')}") from None
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ImportError_(f"{path}: cannot be read as a Word document (.docx): {exc}") from None


def _what_else(parts: dict[str, bytes]) -> str:
    """Return what a package that is not a Word document is, and what to do with it."""
    if "xl/workbook.xml" in parts:
        return ("is an Excel workbook, not a Word plan; to start this year's workbook from last year's, use "
                "'docgen roll-forward OLD.xlsx -o NEW.xlsx'")
    if "ppt/presentation.xml" in parts:
        return ("is a PowerPoint presentation; 'docgen import' reads the Word plan (.docx): import that file "
                "instead")
    return "is not a Word document (.docx)"


def comments(document) -> list[tuple[str, str]]:
    """Return each comment in the document as (who wrote it, its text): reviewers' notes, kept, never answers."""
    try:
        found = list(document.comments)
    except (AttributeError, KeyError, ValueError):
        return []
    return [(c.author or "someone", text.clean(c.text).strip()) for c in found if text.clean(c.text).strip()]


def paragraph_text(p) -> str:
    """Return a paragraph's accepted text: inserted text counts, deleted text and comments do not.

    A soft line break stays a line break ("\n").
    """
    parts = []
    for node in p.iter(_W_T, qn("w:tab"), qn("w:br"), qn("w:cr")):
        if any(a.tag in _REMOVED for a in node.iterancestors()):
            continue
        parts.append(node.text or "" if node.tag == _W_T else ("\t" if node.tag == qn("w:tab") else "\n"))
    return text.clean("".join(parts))


def _kind(p, style_names: dict[str, str]) -> str:
    p_pr = p.find(qn("w:pPr"))
    style = ""
    if p_pr is not None:
        ps = p_pr.find(qn("w:pStyle"))
        style = style_names.get(ps.get(qn("w:val")), "") if ps is not None else ""
        if p_pr.find(qn("w:numPr")) is not None and "Number" not in style:
            return "bullet"
    if "List Number" in style:
        return "number"
    if "List" in style or "Bullet" in style:
        return "bullet"
    return "para"


class Walker:
    """Turns the document body into Lines and Grids in reading order."""

    def __init__(self, document, variant: Variant):
        self.v = variant
        self.styles = {s.style_id: s.name for s in document.styles}
        self.items: list = []
        self.paragraphs = 0
        self.tables = 0
        self.headers = spec_headers(variant)
        self.walk(document.element.body)

    def walk(self, body) -> None:
        for child in body:
            if child.tag == W_P:
                self.paragraphs += 1
                self.line(child, f"paragraph {self.paragraphs}")
            elif child.tag == _W_TBL:
                self.tables += 1
                self.table(child, f"table {self.tables}")

    def line(self, p, where: str, header: bool = False) -> None:
        """Add a paragraph's lines: a prompt and its answer are often one paragraph with a soft break between."""
        kind = _kind(p, self.styles)
        for piece in paragraph_text(p).split("\n"):
            if piece.strip():
                self.items.append(Line(piece.strip(), where, kind, header))
                kind = "para"  # the rest of a list item, after a soft break

    def cells_of(self, tr) -> list:
        cells = []
        for tc in tr.iter(qn("w:tc")):
            if tc.getparent() is tr:
                cells.append(tc)
        return cells

    def table(self, tbl, where: str) -> None:
        rows = [tr for tr in tbl.iter(qn("w:tr")) if tr.getparent() is tbl]
        texts = [[self.cell_text(tc) for tc in self.cells_of(tr)] for tr in rows]
        for index, row in enumerate(texts[:2]):
            key = self.header_key(row)
            if key:
                body = [r for r in texts[index + 1:] if any(c.strip() for c in r)]
                self.items.append(Grid(key, body, where, tuple(row)))
                return
        for r, tr in enumerate(rows, start=1):
            header = tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
            for c, tc in enumerate(self.cells_of(tr), start=1):
                for p in tc.iter(W_P):
                    self.line(p, f"{where}, row {r}, cell {c}", header)

    def cell_text(self, tc) -> str:
        """Return a cell's text: a line per paragraph, list items marked ("- ", "1. ") as answers keep them."""
        lines, count = [], 0
        for p in tc.iter(W_P):
            value = paragraph_text(p)
            if value.strip():
                kind = _kind(p, self.styles)
                value = "\n".join(piece.strip() for piece in value.split("\n") if piece.strip())
                count = count + 1 if kind == "number" else 0
                mark = "- " if kind == "bullet" else (f"{count}. " if kind == "number" else "")
                lines.append(("" if looks_listed(value) else mark) + value)
        return "\n".join(lines)

    def header_key(self, row: list[str]) -> str | None:
        """Return the spec table whose column headers this row holds (most of them, tolerantly), or None."""
        return table_key(row, self.headers)


def spec_headers(variant: Variant) -> dict[str, list[str]]:
    """Return each spec table's column headers, normalised, by table key."""
    return {key: [normal_form(variant.text(c.header)) for c in t.columns] for key, t in variant.tables.items()}


def table_key(row: list[str], headers: dict[str, list[str]]) -> str | None:
    """Return the spec table whose column headers ``row`` holds (most of them, tolerantly), or None."""
    cells = [normal_form(c) for c in row if c.strip()]
    if not cells:
        return None
    best, score = None, 0.0
    for key, wanted in headers.items():
        hits = sum(1 for c in cells if any(similar(c, h) for h in wanted))
        share = hits / max(len(wanted), len(cells))
        if hits >= min(2, len(wanted)) and share > score:
            best, score = key, share
    return best if score >= 0.5 else None


def normal_form(value: str) -> str:
    value = value.casefold().replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    value = re.sub(r"[^\w\s]", " ", value)  # "Priority #1" and "Priority 1" are the same label
    return " ".join(value.split())


def _words(value: str) -> set[str]:
    return set(value.split())


def match_score(a: str, b: str) -> float:
    """Return how surely normalised ``a`` is ``b`` lightly edited (0: not at all; 2: exactly).

    ``a`` must hold most of b's words at a similar length; among candidates,
    the one sharing the largest share of all words wins.
    """
    if not a or not b:
        return 0.0
    if a == b:
        return 2.0
    wa, wb = _words(a), _words(b)
    shared = len(wa & wb)
    if shared / len(wb) < MATCH or not 0.6 <= len(a) / len(b) <= 1.6:
        return 0.0
    return shared / len(wa | wb)


def similar(a: str, b: str) -> bool:
    return match_score(a, b) > 0


def looks_listed(value: str) -> bool:
    return bool(re.match(r"^\s*([-*•◦▪]|\d{1,2}[.)])\s+", value))


