"""Read a filled intake workbook into a Plan, accounting for every cell a person typed in.

Answers are found by the hidden key in column A (so inserted or moved rows do
not matter), else by the label beside them in column B; table columns by the
hidden key row, else by their header. Every other non-empty cell on a plan
sheet is text the plan has no place for: rather than drop it, the reader
names each such cell. All problems of a workbook are reported together, so a
person fixes them in one pass. The layout read against is sources.layout.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from .. import text, variants
from ..errors import Problem, WorkbookError
from ..model import PRIORITY_TABLES, District, Plan, Priority, Review, SectionReview
from ..variants import ChoiceList, FieldSpec, TableSpec, Variant
from . import layout
from .book import EXCEL_ERRORS, Book, format_date, open_book
from .cells import Cell, describe_strays, grid_rows, normal, position
from .layout import MAX_PRIORITIES, REVIEW_SHEET, priority_sheet

_KEY = re.compile(r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)?$")  # what docgen writes in the hidden key column
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")

__all__ = ["read", "parse_date", "format_date", "school_year", "email_problem"]


def parse_date(value: str) -> date | None:
    """Return the date written in ``value`` in a common US or ISO form, or None."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def read(path: Path, variant: Variant | None = None) -> Plan:
    """Return the Plan in the workbook at ``path``; raise WorkbookError naming the sheet and cell of every problem.

    Without a ``variant``, the one matching the school year on the District
    sheet is used, else the newest.
    """
    book = open_book(path)
    try:
        return _Reader(Path(path), book, variant).plan()
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


@dataclass
class _Lost:
    """Cells holding text the plan has no place for, grouped by sheet and reason, in reading order."""

    cells: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)

    def add(self, sheet: str, cell: str, why: str, where_to: str = "into an answer cell (yellow)") -> None:
        self.cells.setdefault((sheet, why, where_to), []).append(cell)

    def problems(self) -> list[Problem]:
        return [Problem(f"this text has no place in the plan and would be lost ({why}); move it {where_to} or "
                        "delete it", sheet, ", ".join(cells)) for (sheet, why, where_to), cells in self.cells.items()]


class _Reader:
    def __init__(self, path: Path, book: Book, variant: Variant | None):
        self.path, self.book = path, book
        self.v = variant or variants.for_school_year(school_year(book))
        self.layouts = layout.form_sheets(self.v)
        self.where: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.lost = _Lost()
        self.strays: list[tuple[str, str, str]] = []  # (sheet, field key, cell) filled, without a place in the variant

    def problem(self, message: str, sheet: str | None = None, cell: str | None = None) -> str:
        self.problems.append(Problem(message, sheet, cell))
        return ""

    def plan(self) -> Plan:
        missing = [name for name in self.required_sheets() if name not in self.book.sheetnames]
        if missing:
            raise WorkbookError(self.path, f"sheet '{missing[0]}' is missing; this {self.v.plan_year} workbook needs "
                                f"the sheets: {', '.join(self.required_sheets())}. Start from 'docgen new-workbook'.")
        plan = Plan(variant=self.v.id, where=self.where)
        plan.district = District(**self.form(self.v.district_sheet, self.v.district_fields, "district"))
        if not plan.district.name:
            self.problem("the district name is required: it goes on the plan and names the output files",
                         self.v.district_sheet, self.where.get("district.name", "C4").split()[-1])
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
        if self.strays:
            year = school_year(self.book)
            self.problem(f"these answers have no place in the {self.v.id} template and would be lost: "
                         f"{describe_strays(self.strays)}. Build with the variant the workbook was made for"
                         f"{f' (school year {year})' if year else ''}, or move the text")
        problems = self.problems + self.lost.problems()
        if problems:
            order = {name: i for i, name in enumerate(self.book.sheetnames)}
            problems.sort(key=lambda p: (order.get(p.sheet, -1), position(p.cell)))  # as the workbook reads
            raise WorkbookError(self.path, problems=problems)
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
        answers, seen = {key: "" for key in specs}, {}
        grid = list(grid_rows(self.book, sheet))
        keys = [self.key_of(cells[0]) or by_label.get(normal(self.shown(cells[1])), "") for cells in grid]
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
                if self.cell_text(answer, sheet):
                    self.strays.append((sheet, key, answer.coordinate))
                self.lose_filled(sheet, cells[3:], "beside the answer column")
                continue
            self.not_an_answer_row(sheet, cells, ours, last_keyed, upcoming)
        return answers

    def not_an_answer_row(self, sheet: str, cells: list[Cell], ours: set[str], last_keyed: int, upcoming) -> None:
        """Note as lost every cell of a row holding no answer, except the template's own text."""
        key_cell, label = cells[0], cells[1]
        label_text = self.shown(label)
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
            self.lost.add(sheet, key_cell.coordinate, "in the hidden key column")
        if label_text.strip() and label_why:
            self.lost.add(sheet, label.coordinate, label_why)
        self.lose_filled(sheet, cells[2:], why, ours)

    def key_of(self, cell: Cell) -> str:
        value = cell.value
        return value.strip() if isinstance(value, str) and _KEY.match(value.strip()) else ""

    def answer(self, sheet: str, spec: FieldSpec, cell: Cell, prefix: str, answers: dict, seen: dict, label: Cell):
        value = self.field_value(self.cell_text(cell, sheet, spec.kind), spec, sheet, cell)
        shown, wanted = self.shown(label), layout.field_label(self.v, spec)
        if not value and len(shown) > len(wanted) + 20 and normal(shown) != normal(wanted):
            self.lost.add(sheet, label.coordinate, f"typed over the label; type the answer in {cell.coordinate}")
        if spec.key in seen:
            if value and answers[spec.key] and value != answers[spec.key]:
                self.problem(f"'{self.v.text(spec.label)}' is answered twice ({seen[spec.key]} and "
                             f"{cell.coordinate}); keep one answer and delete the other row", sheet, cell.coordinate)
            if not value:
                return
        seen[spec.key] = cell.coordinate
        self.where[f"{prefix}.{spec.key}"] = f"sheet '{sheet}', cell {cell.coordinate}"
        answers[spec.key] = value

    def lose_filled(self, sheet: str, cells, why: str, ours: set[str] = frozenset()) -> None:
        """Note each cell holding text as lost, but the template's own (column headers such as "Your answer")."""
        for cell in cells:
            shown = self.shown(cell) if cell.value is not None else ""
            if shown.strip() and normal(shown) not in ours:
                self.lost.add(sheet, cell.coordinate, why)

    def review(self) -> Review | None:
        """Return the consultant's review, or None when the sheet is absent or still empty."""
        if REVIEW_SHEET not in self.book.sheetnames:
            return None
        fields = [FieldSpec(key=k, label=label, kind=kind) for k, label, kind in layout.REVIEW_FIELDS]
        values = self.form(REVIEW_SHEET, fields, "review", answer_columns=len(layout.REVIEW_COLUMNS))
        review = Review(**values)
        section_ids = {s.id for s in self.v.sections}
        for cells in grid_rows(self.book, REVIEW_SHEET, max_col=5):
            key = self.key_of(cells[0])
            section = key[len(layout.SECTION_KEY):] if key.startswith(layout.SECTION_KEY) else None
            if section in section_ids:
                texts = [self.cell_text(c, REVIEW_SHEET) for c in cells[2:5]]
                if any(texts):
                    review.sections[section] = SectionReview(*texts)
                    self.where[f"review.{section}"] = f"sheet '{REVIEW_SHEET}', cell C{cells[0].row}"
            elif section is not None:
                self.lose_filled(REVIEW_SHEET, cells[2:5], "a section this template does not have")
        return None if review.is_empty else review

    # values

    def shown(self, cell: Cell) -> str:
        return "" if cell.value is None else self.book.shown(cell.sheet, cell.coordinate, cell.value)

    def cell_text(self, cell: Cell, sheet: str, kind: str = "text") -> str:
        """Return a cell's text as the person sees it; note a problem for Excel errors and unsaved formulas."""
        value = cell.value
        if value is None:
            special = self.book.special.get((sheet, cell.coordinate), "")
            if special is None:
                return self.problem("the formula has no saved value (the program that saved the workbook did not "
                                    "calculate it); open the workbook in Excel, let it calculate, and save it",
                                    sheet, cell.coordinate)
            if not special:
                return ""
            value = special
        if kind == "grades" and isinstance(value, (datetime, date)):
            return f"{value.month}-{value.day}"  # Excel turned a grade span like 6-8 into a date
        raw = self.book.shown(sheet, cell.coordinate, value)
        if raw.strip() in EXCEL_ERRORS:
            return self.problem(f"the cell shows the Excel error {raw.strip()}; fix the formula or type the value",
                                sheet, cell.coordinate)
        return text.clean(raw)

    def choice(self, value: str, choice: ChoiceList, what: str, sheet: str, coordinate: str) -> str:
        if not value:
            return ""
        found = choice.match(value)
        if found:
            return found
        if not choice.strict:
            return value
        return self.problem(f"{what} must be one of: {', '.join(choice.values)}; got '{value}'", sheet, coordinate)

    def field_value(self, value: str, spec: FieldSpec, sheet: str, cell: Cell) -> str:
        label = self.v.text(spec.label)
        if spec.kind == "choice":
            return self.choice(value, self.v.lists[spec.list], f"'{label}'", sheet, cell.coordinate)
        if spec.kind == "email" and value:
            reason = email_problem(value)
            if reason:
                return self.problem(f"'{label}' must be one email address like name@district.org; got '{value}' "
                                    f"({reason})", sheet, cell.coordinate)
        if spec.kind == "date" and value and not isinstance(cell.value, (date, datetime)):
            parsed = parse_date(value)
            return format_date(parsed) if parsed else value
        return value

    # table sheets

    def table_rows(self, t: TableSpec) -> list[tuple[int | None, object]]:
        from .tables import TableReader

        return TableReader(self, t).rows()


def email_problem(value: str) -> str:
    """Return why ``value`` is not exactly one email address ("" when it is one), in email-validator's words."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc).rstrip(".")
    return ""

