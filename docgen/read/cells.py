"""Cells of a sheet with their position, and the small text helpers the workbook readers share."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

MIN_COLUMNS = 5  # form sheets are read as at least columns A-E, however few a sheet holds


class Cell(NamedTuple):
    """A cell's value and where it is."""

    value: object
    row: int
    column: int
    sheet: str

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


@functools.lru_cache(maxsize=256)
def column_letter(column: int) -> str:
    """Return a column's letters: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def grid_rows(book, sheet: str, min_row: int = 1, max_row: int | None = None, max_col: int | None = None):
    """Yield the rows of ``sheet`` as lists of Cell from column A, empty rows and cells included."""
    grid = book.rows(sheet)
    last_col = max_col or max([MIN_COLUMNS, *(len(row) for row in grid)])
    for number in range(min_row, min(max_row or len(grid), len(grid)) + 1):
        values = grid[number - 1]
        yield [Cell(values[col - 1] if col <= len(values) else None, number, col, sheet)
               for col in range(1, last_col + 1)]


def position(cells: str | None) -> tuple[int, int]:
    """Return (row, column) of the first cell in "C9" or "C9, C12" (0, 0 when there is none), to sort by."""
    match = re.match(r"([A-Z]+)(\d+)", cells or "")
    if not match:
        return 0, 0
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


_STRAIGHT_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


@functools.lru_cache(maxsize=4096)  # the template's own prompts and headers are compared on every read
def normal(value: str) -> str:
    """Return text compared loosely: spacing, case and curly quotes ignored."""
    return " ".join(value.translate(_STRAIGHT_QUOTES).split()).casefold()


def describe_strays(strays: list[tuple[str, str, str]]) -> str:
    """Return "sheet 'X': key (C5, C6), other (F5); sheet 'Y': ..." for cells that would be lost."""
    by_sheet: dict[str, dict[str, list[str]]] = {}
    for sheet, key, cell in strays:
        by_sheet.setdefault(sheet, {}).setdefault(key, []).append(cell)
    return "; ".join(
        f"sheet '{sheet}': " + ", ".join(f"{key} ({', '.join(cells)})" for key, cells in keys.items())
        for sheet, keys in by_sheet.items())
