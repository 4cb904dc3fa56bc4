"""Read the official template's layout from pieces that did not come from Word: a PDF of a Word plan.

A PDF exported from a plan typed into the official template (or written by
docgen) holds the template's prompts, labels and tables as text. This module
turns its pieces into the lines and grids the Word reader files (word.py), so
the PDF is read prompt by prompt exactly as the Word file is: the same plan
from either.
"""

from __future__ import annotations

from docgen.read.pieces import Pieces
from docgen.read.word import Imported, _File
from docgen.read.word_document import Grid, Line, normal_form, spec_headers, table_key
from docgen.read.word_prompts import template_of
from docgen.variants import Variant


def read(pieces: Pieces) -> Imported | None:
    """Return the plan read as the official template, or None when the pieces are not in its layout."""
    v = _variant(pieces)
    if v is None:
        return None
    return _File(v, items(pieces, v)).result()


def items(pieces: Pieces, v: Variant) -> list:
    """Return the pieces as the Word reader's Lines and Grids (a table whose header row is a spec table's)."""
    headers = spec_headers(v)
    found: list = []
    for piece in pieces.items:
        if piece.aside:
            continue
        if piece.rows is None:
            found.append(Line(piece.text, piece.where, piece.kind))
            continue
        for index, row in enumerate(piece.rows[:2]):
            key = table_key(row, headers)
            if key:
                body = [r for r in piece.rows[index + 1:] if any(c.strip() for c in r)]
                found.append(Grid(key, body, piece.where, tuple(row)))
                break
        else:
            for r, row in enumerate(piece.rows):
                for c, cell in enumerate(row):
                    found.extend(Line(line.strip(), piece.cell_where(r, c), header=piece.header and r == 0)
                                 for line in cell.split("\n") if line.strip())
    return found


def _variant(pieces: Pieces) -> Variant | None:
    """Return the variant whose long prompts the pieces hold most of (at least ENOUGH), or None."""
    lines = [normal_form(p.text) for p in pieces.items if p.text and not p.aside]
    lines += [normal_form(line) for p in pieces.items if p.rows for row in p.rows for cell in row
              for line in cell.split("\n") if line.strip()]
    return template_of(lines)
