"""Read a filled intake workbook into a Plan, accounting for every cell a person typed in.

Answers are found by the hidden key in column A (so inserted or moved rows do
not matter), else by the label beside them in column B; table columns by the
hidden key row, else by their header. Every other non-empty cell on a plan
sheet is text the plan has no place for: rather than drop it, the reader
names each such cell. All problems of a workbook are reported together, so a
person fixes them in one pass. The layout read against is sources.layout;
table sheets are read by sources.tables into the same sources.reading.Reading,
and every value is checked by sources.values, as the web form checks it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docgen import variants
from docgen.errors import WorkbookError
from docgen.model.plan import PRIORITY_TABLES, District, Plan, Priority, Review, SectionReview
from docgen.model.values import shown
from docgen.read import checkins_sheet, layout, sizes
from docgen.read.book import Book, open_book
from docgen.read.cells import Cell, describe_strays, grid_rows, normal, position
from docgen.read.layout import MAX_PRIORITIES, REVIEW_HEADERS, REVIEW_SHEET, priority_sheet
from docgen.read.reading import Reading
from docgen.read.tables import TableReader
from docgen.variants import FieldSpec, TableSpec, Variant

_KEY = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)?$")  # what docgen writes in the hidden key column

__all__ = ["read", "school_year"]


def read(path: Path, variant: Variant | None = None) -> Plan:
    """Return the Plan in the workbook at ``path``; raise WorkbookError naming the sheet and cell of every problem.

    Without a ``variant``, the one matching the school year on the District
    sheet is used, else the newest.
    """
    book = open_book(path)
    try:
        return _Reader(Reading(Path(path), book, variant or variants.for_school_year(school_year(book)))).plan()
    finally:
        book.close()


def school_year(book: Book) -> str:
    """Return the school year typed on a workbook's District sheet, or "" (it picks the variant)."""
    if "District" not in book.sheetnames:
        return ""
    for key, _, answer in grid_rows(book, "District", max_row=40, max_col=3):
        if key.value == "school_year":
            return "" if answer.value is None else str(answer.value).strip()
    return ""


class _Reader:
    """Reads the form sheets of one Reading into a Plan, and its table sheets through TableReader."""

    def __init__(self, reading: Reading):
        self.r, self.book, self.v = reading, reading.book, reading.v
        self.layouts = layout.form_sheets(self.v)

    def plan(self) -> Plan:
        missing = [name for name in self.required_sheets() if name not in self.book.sheetnames]
        if missing:
            raise WorkbookError(self.r.path, f"sheet '{missing[0]}' is missing; this {self.v.plan_year} workbook needs "
                                f"the sheets: {', '.join(self.required_sheets())}. Start from 'docgen new-workbook'.")
        plan = Plan(variant=self.v.id, where=self.r.where)
        plan.district = District(**self.form(self.v.district_sheet, self.v.district_fields, "district"))
        if not plan.district.name:
            self.r.problem("the district name is required: it goes on the plan and names the output files",
                           self.v.district_sheet, self.r.where.get("district.name", "C4").split()[-1])
        for sheet in dict.fromkeys(s.sheet for s in self.v.sections_in("district")):
            specs = [f for s in self.v.sections_in("district") if s.sheet == sheet for f in s.fields]
            plan.answers.update(self.form(sheet, specs, "answers"))
        priority_fields = [f for s in self.v.sections_in("priority") for f in s.fields]
        tables = {key: self.table_rows(t) for key, t in self.v.tables.items()}
        plan.schools = [row for _, row in tables.pop("schools", [])]
        plan.curricula = [row for _, row in tables.pop("curricula", [])]
        for number in range(1, MAX_PRIORITIES + 1):
            sheet = priority_sheet(number)
            answers = self.form(sheet, priority_fields, f"p{number}") if sheet in self.book.sheetnames else {}
            rows = {key: [row for n, row in found if n == number] for key, found in tables.items()}
            if number > 1 and not any(answers.values()) and not any(rows.values()):
                continue
            priority = Priority(number=number, answers=answers)
            for key in PRIORITY_TABLES:
                setattr(priority, key, rows.get(key, []))
            plan.priorities.append(priority)
        plan.review = self.review()
        plan.checkins = checkins_sheet.read(self.r, plan)
        for key, message in sizes.problems(plan):  # the one size check, as the web app's saves make it
            self.r.problem(message, self.v.tables[key].sheet if key in self.v.tables else checkins_sheet.SHEET)
        if self.r.strays:
            year = school_year(self.book)
            self.r.problem(f"these answers have no place in the {self.v.id} template and would be lost: "
                           f"{describe_strays(self.r.strays)}. Build with the variant the workbook was made for"
                           f"{f' (school year {shown(year)})' if year else ''}, or move the text")
        problems = self.r.problems + self.r.lost.problems()
        if problems:
            order = {name: i for i, name in enumerate(self.book.sheetnames)}
            problems.sort(key=lambda p: (order.get(p.sheet or "", -1), position(p.cell)))  # as the workbook reads
            raise WorkbookError(self.r.path, problems=problems)
        return plan

    def required_sheets(self) -> list[str]:
        names = [self.v.district_sheet, *(s.sheet for s in self.v.sections_in("district")),
                 priority_sheet(1), *(t.sheet for t in self.v.tables.values())]
        return list(dict.fromkeys(names))

    # form sheets: key | label or prompt | answer

    def form(self, sheet: str, specs, prefix: str, answer_columns: int = 1) -> dict[str, str]:
        """Return the answers of a form sheet by field key; note every other non-empty cell as lost text."""
        specs = {f.key: f for f in specs}
        rows = self.layouts.get(sheet, [])
        by_label = {normal(r.text): r.key for r in rows if r.kind == "field"}
        by_label.update({normal(layout.field_label(self.v, f).removesuffix(" (optional)")): k
                         for k, f in specs.items()})
        ours = {normal(t) for r in rows if r.kind != "field" for t in r.texts}
        answers = {key: "" for key in specs}
        seen: dict[str, str] = {}
        grid = list(grid_rows(self.book, sheet))
        keys = [self.key_of(cells[0]) or by_label.get(normal(self.r.shown(cells[1])), "") for cells in grid]
        last_keyed = max((cells[0].row for cells, key in zip(grid, keys, strict=False) if key), default=0)
        upcoming = [(cells[2].row, cells[2].coordinate) for cells, key in zip(grid, keys, strict=False) if key in specs]
        for cells, key in zip(grid, keys, strict=False):
            label, answer = cells[1], cells[2]
            if key in specs:
                self.answer(sheet, specs[key], answer, prefix, answers, seen, label)
                self.lose_filled(sheet, cells[3:], "beside the answer column")
                continue
            if key.startswith(layout.SECTION_KEY):  # the review's section rows: read by review()
                self.lose_filled(sheet, cells[2 + answer_columns:], "beside the answer columns")
                continue
            if key:  # a key of another template's prompt (a workbook built with the wrong variant)
                if self.r.cell_text(answer):
                    self.r.strays.append((sheet, key, answer.coordinate))
                self.lose_filled(sheet, cells[3:], "beside the answer column")
                continue
            self.not_an_answer_row(sheet, cells, ours, last_keyed, upcoming)
        return answers

    def not_an_answer_row(self, sheet: str, cells: list[Cell], ours: set[str], last_keyed: int, upcoming) -> None:
        """Note as lost every cell of a row holding no answer, except the template's own text."""
        key_cell, label = cells[0], cells[1]
        label_text = self.r.shown(label)
        row = key_cell.row
        later = next((coordinate for answer_row, coordinate in upcoming if answer_row > row), None)
        if label_text and normal(label_text) in ours:
            label_why = ""
            why = f"beside a prompt or heading; type the answer in {later}" if later else "beside a prompt or heading"
        elif row > last_keyed:
            why = label_why = "below the last prompt"
        else:
            why, label_why = "in a row without a prompt", "in the prompt column, where only the template's prompts go"
        if key_cell.value is not None and str(key_cell.value).strip():
            self.r.lost.add(sheet, key_cell.coordinate, "in the hidden key column")
        if label_text.strip() and label_why:
            self.r.lost.add(sheet, label.coordinate, label_why)
        self.lose_filled(sheet, cells[2:], why, ours)

    def key_of(self, cell: Cell) -> str:
        value = cell.value
        return value.strip() if isinstance(value, str) and _KEY.match(value.strip()) else ""

    def answer(self, sheet: str, spec: FieldSpec, cell: Cell, prefix: str, answers: dict, seen: dict, label: Cell):
        value = self.r.value(spec, cell)
        typed, wanted = self.r.shown(label), layout.field_label(self.v, spec)
        if not value and len(typed) > len(wanted) + 20 and normal(typed) != normal(wanted):
            self.r.lost.add(sheet, label.coordinate, f"typed over the label; type the answer in {cell.coordinate}")
        if spec.key in seen:
            if value and answers[spec.key] and value != answers[spec.key]:
                self.r.problem(f"'{self.v.text(spec.label)}' is answered twice ({seen[spec.key]} and "
                               f"{cell.coordinate}); keep one answer and delete the other row", sheet, cell.coordinate)
            if not value:
                return
        seen[spec.key] = cell.coordinate
        self.r.where[f"{prefix}.{spec.key}"] = f"sheet '{sheet}', cell {cell.coordinate}"
        answers[spec.key] = value

    def lose_filled(self, sheet: str, cells, why: str, ours: frozenset[str] | set[str] = frozenset()) -> None:
        """Note each cell holding text as lost, but the template's own (column headers such as "Your answer")."""
        for cell in cells:
            typed = self.r.shown(cell)
            if typed.strip() and normal(typed) not in ours:
                self.r.lost.add(sheet, cell.coordinate, why)

    def review(self) -> Review | None:
        """Return the consultant's review, or None when the sheet is absent or still empty."""
        if REVIEW_SHEET not in self.book.sheetnames:
            return None
        fields = [FieldSpec(key=k, label=label, kind=kind) for k, label, kind in layout.REVIEW_FIELDS]
        values = self.form(REVIEW_SHEET, fields, "review", answer_columns=len(layout.REVIEW_COLUMNS))
        review = Review()
        for key, value in values.items():  # the review sheet's fields are Review's text fields
            setattr(review, key, value)
        section_ids = {s.id for s in self.v.sections}
        columns = [FieldSpec(key=k, label=header) for k, header in zip(layout.REVIEW_COLUMNS, REVIEW_HEADERS[1:],
                                                                        strict=True)]
        for cells in grid_rows(self.book, REVIEW_SHEET, max_col=5):
            key = self.key_of(cells[0])
            section = key[len(layout.SECTION_KEY):] if key.startswith(layout.SECTION_KEY) else None
            if section in section_ids:
                texts = [self.r.value(spec, c) for spec, c in zip(columns, cells[2:5], strict=True)]
                if any(texts):
                    review.sections[section] = SectionReview(*texts)
                    self.r.where[f"review.{section}"] = f"sheet '{REVIEW_SHEET}', cell C{cells[0].row}"
            elif section is not None:
                self.lose_filled(REVIEW_SHEET, cells[2:5], "a section this template does not have")
        return None if review.is_empty else review

    # table sheets

    def table_rows(self, t: TableSpec) -> list[tuple[int | None, Any]]:
        return TableReader(self.r, t).rows()
