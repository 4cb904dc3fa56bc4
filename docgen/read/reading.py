"""One reading of an intake workbook, shared by the form-sheet reader and the table-sheet reader.

It holds the open book and the variant read against, and gathers what the
readers find: problems (each with its sheet and cell), text that has no place
in the plan, answers of another template, and where each answer came from.
A cell's value goes through ``values.clean``, the rules the web form applies
too; this is where a refused value gains its sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from docgen import text
from docgen.errors import Problem, ValueRefused
from docgen.model import values
from docgen.read.book import EXCEL_ERRORS, Book
from docgen.read.cells import Cell
from docgen.variants import Variant


@dataclass
class Lost:
    """Cells holding text the plan has no place for, grouped by sheet and reason, in reading order."""

    cells: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    def add(self, sheet: str, cell: str, why: str, where_to: str = "into an answer cell (yellow)") -> None:
        self.cells.setdefault((sheet, why, where_to), []).append(cell)

    def problems(self) -> list[Problem]:
        return [Problem(f"this text has no place in the plan and would be lost ({why}); move it {where_to} or "
                        "delete it", sheet, ", ".join(cells)) for (sheet, why, where_to), cells in self.cells.items()]


class Reading:
    """A workbook being read: its book and variant, and what its readers have found so far."""

    def __init__(self, path: Path, book: Book, variant: Variant):
        self.path, self.book, self.v = path, book, variant
        self.where: dict[str, str] = {}  # answer key ("p1.statement") -> "sheet 'Priority 1', cell C9"
        self.problems: list[Problem] = []
        self.lost = Lost()
        self.strays: list[tuple[str, str, str]] = []  # (sheet, field key, cell) filled, without a place in the variant

    def problem(self, message: str, sheet: str | None = None, cell: str | None = None) -> str:
        """Note a problem to report; return "" (the value read in its place)."""
        self.problems.append(Problem(message, sheet, cell))
        return ""

    def shown(self, cell: Cell) -> str:
        """Return a cell's value as Excel shows it ("" for an empty cell)."""
        return "" if cell.value is None else self.book.shown(cell.sheet, cell.coordinate, cell.value)

    def cell_text(self, cell: Cell, kind: str = "text") -> str:
        """Return a cell's text as the person sees it; note a problem for Excel errors and unsaved formulas."""
        value = cell.value
        if value is None:
            special = self.book.special.get((cell.sheet, cell.coordinate), "")
            if special is None:
                return self.problem("the formula has no saved value (the program that saved the workbook did not "
                                    "calculate it); open the workbook in Excel, let it calculate, and save it",
                                    cell.sheet, cell.coordinate)
            if not special:
                return ""
            value = special
        if kind == "grades" and isinstance(value, (datetime, date)):
            return f"{value.month}-{value.day}"  # Excel turned a grade span like 6-8 into a date
        raw = self.book.shown(cell.sheet, cell.coordinate, value)
        if raw.strip() in EXCEL_ERRORS:
            return self.problem(f"the cell shows the Excel error {raw.strip()}; fix the formula or type the value",
                                cell.sheet, cell.coordinate)
        return text.clean(raw)

    def value(self, spec, cell: Cell) -> str:
        """Return a cell's value as the plan stores it for ``spec``; note a refused value as a problem at the cell."""
        try:
            return values.clean(self.v, spec, self.cell_text(cell, spec.kind))
        except ValueRefused as exc:
            return self.problem(str(exc), cell.sheet, cell.coordinate)
