"""The intake workbook's layout, and reading a filled one into a Plan.

Every answer cell sits beside its prompt; a hidden column A holds each
answer's field key, so the reader finds answers even after a person inserts
rows. Tables live on their own sheets under a hidden key row naming each
column's field. Cell values are read by python-calamine (a Rust reader: a whole
workbook in about a millisecond, where openpyxl took ~30 ms and ~180 ms just to
import); sources.workbook_writer writes workbooks with openpyxl.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from .. import text, variants
from ..errors import WorkbookError
from ..model import (
    PRIORITY_TABLES,
    TABLE_ROWS,
    District,
    Plan,
    Priority,
    Review,
    SectionReview,
)
from ..variants import ChoiceList, FieldSpec, TableSpec, Variant

START_SHEET = "Start here"
CARRIED_SHEET = "Carried over"
REVIEW_SHEET = "Consultant review"
REVIEW_FIELDS = (  # key, label, kind
    ("consultant_name", "Consultant name", "line"),
    ("consultant_title", "Consultant title", "line"),
    ("region", "SSoS region", "line"),
    ("review_date", "Review date", "date"),
    ("summary", "Overall summary of the plan", "text"),
)
REVIEW_COLUMNS = ("strengths", "refinements", "next_steps")
SECTION_KEY = "section:"
LISTS_SHEET = "Lists"
PRIORITY_COLUMN = "Priority"
PRIORITY_KEY = "priority"
KEY_ROW = 3  # hidden row on table sheets naming each column's field, above the visible headers
MAX_PRIORITIES = 2
TABLE_ROWS_PREPARED = 200  # rows given drop-downs on each table sheet
MAX_UNPACKED_BYTES = 50 * 2**20  # a filled plan workbook unpacks to well under 2 MB
MAX_TABLE_ROWS = 5000  # rows read from one table sheet; a plan's tables hold a few dozen
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls files, and password-protected workbooks
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_FORMULA = re.compile(rb"<f[ >/]")  # a cell formula; <formula1> belongs to a drop-down
_ERROR_CELL = re.compile(rb'<c [^>]*\bt="e"')  # a cell showing an Excel error such as #N/A
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)")
_NEGATIVE = re.compile(rb"<v>(-[0-9.]+(?:E[+-]?[0-9]+)?)</v>")
_NO_DATE = -1e10  # days; the Rust reader panics on a date cell this far before 1900 (Excel shows ####)
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")

def priority_sheet(number: int) -> str:
    """Return the name of the sheet holding priority ``number``'s answers."""
    return f"Priority {number}"


def format_date(value: date) -> str:
    """Return a date the way the plan prints it: "June 20, 2025"."""
    return f"{value:%B} {value.day}, {value.year}"


def parse_date(value: str) -> date | None:
    """Return the date written in ``value`` in a common US or ISO form, or None."""
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


# --- reading ---------------------------------------------------------------------------


def read(path: Path, variant: Variant | None = None) -> Plan:
    """Return the Plan in the workbook at ``path``; raise WorkbookError naming the sheet and cell of any problem.

    Without a ``variant``, the one matching the school year on the District
    sheet is used, else the newest.
    """
    book = open_workbook(path)
    try:
        return _Reader(Path(path), book, variant).plan()
    finally:
        book.close()


class Book:
    """A workbook's sheets as grids of cell values, row by row from A1 (None where a cell is empty).

    Excel hides two things behind a cell's saved value: an error such as #N/A
    and a formula saved without a value (both read as empty). ``special``
    holds those cells, (sheet, "C7") -> the error text, or None for a formula
    without a value.
    """

    def __init__(self, path: Path, workbook: CalamineWorkbook, special: dict[tuple[str, str], str | None]):
        self.path, self._workbook, self.special = path, workbook, special
        self.sheetnames = list(workbook.sheet_names)
        self.visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
        self._grids: dict[str, list[list]] = {}

    def rows(self, sheet: str) -> list[list]:
        if sheet not in self._grids:
            try:
                grid = self._workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except BaseException as exc:  # a panic in the Rust reader is a BaseException: still one line, no traceback
                if not isinstance(exc, CalamineError) and type(exc).__name__ != "PanicException":
                    raise
                raise WorkbookError(self.path, f"cannot be read as an Excel workbook (.xlsx): {exc}",
                                    sheet=sheet) from None
            self._grids[sheet] = [[None if value == "" else value for value in row] for row in grid]
        return self._grids[sheet]

    def close(self) -> None:
        self._workbook.close()


def open_workbook(path: Path) -> Book:
    """Return the workbook at ``path`` ready to read, or raise WorkbookError.

    Files that are not plain .xlsx workbooks (old .xls, password-protected,
    CSV, empty, a zip or XML "bomb") are turned away with a line saying what to
    do before any cell is parsed. Macros in an .xlsm are never run: only the
    cell values are read.
    """
    path = Path(path)
    if not path.exists():
        raise WorkbookError(path, "file not found")
    if path.is_dir():
        raise WorkbookError(path, "is a folder, not an Excel workbook (.xlsx)")
    with path.open("rb") as handle:
        head = handle.read(8)
    if not head:
        raise WorkbookError(path, "is empty (0 bytes); it is not a workbook")
    if head.startswith(_OLE_SIGNATURE):
        if _ENCRYPTED_MARK in path.read_bytes():
            raise WorkbookError(path, "is protected with a password; open it in Excel, remove the password "
                                      "(File > Info > Protect Workbook > Encrypt with Password), and save it")
        raise WorkbookError(path, "is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as "
                                  "'Excel Workbook (.xlsx)'")
    if not zipfile.is_zipfile(path):
        kind = "a CSV file" if path.suffix.lower() == ".csv" else "not an Excel workbook (.xlsx)"
        raise WorkbookError(path, f"is {kind}; save it from Excel as 'Excel Workbook (.xlsx)'")
    try:
        special = _checked_package(path)
        return Book(path, CalamineWorkbook.from_path(str(path)), special)
    except (CalamineError, zipfile.BadZipFile, ElementTree.ParseError, KeyError, ValueError, OSError) as exc:
        raise WorkbookError(path, f"cannot be read as an Excel workbook (.xlsx): {exc}") from None


def _checked_package(path: Path) -> dict[tuple[str, str], str | None]:
    """Refuse zip and XML bombs; return the cells showing an error or a formula without a saved value.

    Excel never writes a DTD, so any entity declaration is turned away before
    a parser sees it. Only sheets holding formulas or error cells are parsed
    here, so a workbook made by docgen new-workbook costs one unzip.
    """
    with zipfile.ZipFile(path) as package:
        unpacked = sum(item.file_size for item in package.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookError(path, f"unpacks to {unpacked // 2**20:,} MB, far more than any plan workbook "
                                      f"(under {MAX_UNPACKED_BYTES // 2**20} MB); it may be a zip bomb")
        parts = {name: package.read(name) for name in package.namelist() if name.endswith((".xml", ".rels"))}
    if any(_DTD.search(data) for data in parts.values()):
        raise WorkbookError(path, "contains XML entity declarations, which Excel never writes (it may be an "
                                  "'XML bomb'); save it again from Excel")
    special: dict[tuple[str, str], str | None] = {}
    for sheet, part in _sheet_parts(parts).items():
        data = parts.get(part, b"")
        cell = _huge_negative_number(data)
        if cell:
            raise WorkbookError(path, "the cell holds a huge negative number, which is no date or amount in a plan "
                                      "(Excel may show it as ####); type the value again", sheet=sheet, cell=cell)
        if _FORMULA.search(data) or _ERROR_CELL.search(data):
            special.update(((sheet, ref), value) for ref, value in _hidden_by_saved_values(data))
    return special


def _huge_negative_number(sheet_xml: bytes) -> str | None:
    """Return the first cell ("C6") holding a number too negative for the reader to show as a date, or None."""
    for number in _NEGATIVE.finditer(sheet_xml):
        if float(number.group(1)) < _NO_DATE:
            tag = sheet_xml[sheet_xml.rfind(b"<c ", 0, number.start()):number.start()]
            ref = re.search(rb'\br="([A-Z]+[0-9]+)"', tag)
            return ref.group(1).decode() if ref else "?"
    return None


def _hidden_by_saved_values(sheet_xml: bytes):
    """Yield (cell, error text) for cells showing an Excel error, and (cell, None) for formulas saved without a value."""
    for cell in ElementTree.fromstring(sheet_xml).iter():
        if _local(cell.tag) != "c":
            continue
        children = {_local(child.tag): child for child in cell}
        saved = children["v"].text if "v" in children else None
        if cell.get("t") == "e":
            yield cell.get("r", ""), saved or "#VALUE!"
        elif "f" in children and not saved:
            yield cell.get("r", ""), None


def _sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Return each worksheet's name and the package part holding it, from xl/workbook.xml and its relationships."""
    targets = {rel.get("Id"): rel.get("Target", "") for rel in ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])}
    found = {}
    for sheet in ElementTree.fromstring(parts["xl/workbook.xml"]).iter():
        if _local(sheet.tag) == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), "")
            target = targets.get(rid, "")
            found[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _school_year(book: Book) -> str:
    """Return the school year typed on a workbook's District sheet, or "" (it picks the variant)."""
    names = sorted(book.sheetnames, key=lambda name: name != "District")  # every variant names it District so far
    for name in names:
        if not book.visible.get(name, True):
            continue
        for key, _, answer in _rows(book, name, max_row=40, max_col=3):
            if key.value == "school_year":
                return "" if answer.value is None else str(answer.value).strip()
        if name == "District":
            return ""
    return ""


def column_letter(column: int) -> str:
    """Return a column's letters: 1 -> "A", 28 -> "AB"."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Cell(NamedTuple):
    """A cell's value and position."""

    value: object
    row: int
    column: int

    @property
    def coordinate(self) -> str:
        return f"{column_letter(self.column)}{self.row}"


def _rows(book: Book, sheet: str, min_row: int = 1, max_row: int | None = None, min_col: int = 1,
          max_col: int | None = None):
    """Yield rows of ``sheet`` as lists of _Cell from ``min_col`` to ``max_col``, empty rows and cells included."""
    grid = book.rows(sheet)
    last_col = max_col or max((len(row) for row in grid), default=0)
    for number in range(min_row, min(max_row or len(grid), len(grid)) + 1):
        values = grid[number - 1]
        yield [_Cell(values[col - 1] if col <= len(values) else None, number, col)
               for col in range(min_col, last_col + 1)]


def _describe_strays(strays: list[tuple[str, str, str]]) -> str:
    """Return "sheet 'X': key (C5, C6), other (F5); sheet 'Y': ..." for cells that would be lost."""
    by_sheet: dict[str, dict[str, list[str]]] = {}
    for sheet, key, cell in strays:
        by_sheet.setdefault(sheet, {}).setdefault(key, []).append(cell)
    return "; ".join(
        f"sheet '{sheet}': " + ", ".join(f"{key} ({', '.join(cells)})" for key, cells in keys.items())
        for sheet, keys in by_sheet.items())


class _Reader:
    def __init__(self, path: Path, book: Book, variant: Variant | None):
        self.path, self.book = path, book
        self.v = variant or variants.for_school_year(_school_year(book))
        self.where: dict[str, str] = {}
        self.cells: dict[str, str] = {}
        self.strays: list[tuple[str, str, str]] = []  # (sheet, field key, cell) filled but without a place in the variant

    def fail(self, message: str, sheet: str | None = None, cell: str | None = None):
        raise WorkbookError(self.path, message, sheet=sheet, cell=cell)

    def sheet(self, name: str, required: bool = True) -> str | None:
        """Return ``name`` when the workbook has that sheet; None, or a failure when it is required."""
        if name in self.book.sheetnames:
            return name
        if required:
            self.fail(f"sheet '{name}' is missing; this {self.v.plan_year} workbook needs the sheets: "
                      f"{', '.join(self.required_sheets())}. Start from 'docgen new-workbook'.")
        return None

    def required_sheets(self) -> list[str]:
        names = [self.v.district_sheet, *(s.sheet for s in self.v.sections_in("district")),
                 priority_sheet(1), *(t.sheet for t in self.v.tables.values())]
        return list(dict.fromkeys(names))

    def plan(self) -> Plan:
        for name in self.required_sheets():
            self.sheet(name)
        plan = Plan(variant=self.v.id, where=self.where)
        district_specs = {f.key: f for f in self.v.district_fields}
        values = self.form_answers(self.v.district_sheet, district_specs, "district")
        plan.district = District(**values)
        if not plan.district.name:
            self.fail("the district name is required: it goes on the plan and names the output files",
                      self.v.district_sheet, self.cells.get("district.name"))
        for sheet_name in dict.fromkeys(s.sheet for s in self.v.sections_in("district")):
            specs = {f.key: f for s in self.v.sections_in("district") if s.sheet == sheet_name for f in s.fields}
            plan.answers.update(self.form_answers(sheet_name, specs, "answers"))
        priority_specs = {f.key: f for s in self.v.sections_in("priority") for f in s.fields}
        tables = {key: self.table_rows(t) for key, t in self.v.tables.items()}
        plan.schools = [row for _, row in tables.pop("schools", [])]
        plan.curricula = [row for _, row in tables.pop("curricula", [])]
        for number in range(1, MAX_PRIORITIES + 1):
            sheet = self.sheet(priority_sheet(number), required=number == 1)
            answers = self.form_answers(sheet, priority_specs, f"p{number}") if sheet else {}
            rows = {key: [row for n, row in found if n == number] for key, found in tables.items()}
            if number > 1 and not any(answers.values()) and not any(rows.values()):
                continue
            priority = Priority(number=number, answers=answers)
            for key in PRIORITY_TABLES:
                setattr(priority, key, rows.get(key, []))
            plan.priorities.append(priority)
        plan.review = self.review()
        if self.strays:
            year = _school_year(self.book)
            self.fail(f"these answers have no place in the {self.v.id} template and would be lost: "
                      f"{_describe_strays(self.strays)}. Build with the variant the workbook was made for"
                      f"{f' (school year {year})' if year else ''}, or move the text")
        return plan

    def review(self) -> Review | None:
        """Return the consultant's review, or None when the sheet is absent or still empty."""
        if self.sheet(REVIEW_SHEET, required=False) is None:
            return None
        review = Review()
        fields = {key: kind for key, _, kind in REVIEW_FIELDS}
        section_ids = {s.id for s in self.v.sections}
        for cells in _rows(self.book, REVIEW_SHEET, min_col=1, max_col=5):
            key = cells[0].value
            if not isinstance(key, str):
                continue
            if key in fields:
                value = self.cell_text(cells[2], REVIEW_SHEET, fields[key])
                if fields[key] == "date" and value and not isinstance(cells[2].value, (date, datetime)):
                    value = format_date(parse_date(value)) if parse_date(value) else value
                setattr(review, key, value)
            elif key.startswith(SECTION_KEY) and key[len(SECTION_KEY):] in section_ids:
                texts = [self.cell_text(c, REVIEW_SHEET) for c in cells[2:5]]
                if any(texts):
                    review.sections[key[len(SECTION_KEY):]] = SectionReview(*texts)
                    self.where[f"review.{key[len(SECTION_KEY):]}"] = f"sheet '{REVIEW_SHEET}', cell C{cells[0].row}"
        return None if review.is_empty else review

    def cell_text(self, cell, sheet: str, kind: str = "text") -> str:
        value = cell.value
        if value is None:
            special = self.book.special.get((sheet, cell.coordinate), "")
            if special is None:
                self.fail("the formula has no saved value (the program that saved the workbook did not calculate "
                          "it); open the workbook in Excel, let it calculate, and save it", sheet, cell.coordinate)
            if not special:
                return ""
            value = special
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, (datetime, date)):
            if kind == "grades":
                return f"{value.month}-{value.day}"  # Excel turned a grade span like 6-8 into a date
            return format_date(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (int, float)):
            return str(value)
        raw = str(value)
        if raw.strip() in EXCEL_ERRORS:
            self.fail(f"the cell shows the Excel error {raw.strip()}; fix the formula or type the value", sheet, cell.coordinate)
        return text.clean(raw)

    def choice(self, value: str, choice: ChoiceList, what: str, sheet: str, coordinate: str) -> str:
        if not value:
            return ""
        found = choice.match(value)
        if found:
            return found
        if not choice.strict:
            return value
        self.fail(f"{what} must be one of: {', '.join(choice.values)}; got '{value}'", sheet, coordinate)

    def form_answers(self, sheet_name: str, specs: dict[str, FieldSpec], prefix: str) -> dict[str, str]:
        self.sheet(sheet_name)
        answers = {key: "" for key in specs}
        for key_cell, _, answer_cell in _rows(self.book, sheet_name, min_col=1, max_col=3):
            key = key_cell.value
            if not isinstance(key, str) or not key.strip():
                continue
            key = key.strip()
            spec = specs.get(key)
            value = self.cell_text(answer_cell, sheet_name, spec.kind if spec else "text")
            if spec is None:
                if value:
                    self.strays.append((sheet_name, key, answer_cell.coordinate))
                continue
            self.cells[f"{prefix}.{key}"] = answer_cell.coordinate
            self.where[f"{prefix}.{key}"] = f"sheet '{sheet_name}', cell {answer_cell.coordinate}"
            answers[key] = self.field_value(value, spec, sheet_name, answer_cell)
        return answers

    def field_value(self, value: str, spec: FieldSpec, sheet: str, cell) -> str:
        label = self.v.text(spec.label)
        if spec.kind == "choice":
            return self.choice(value, self.v.lists[spec.list], f"'{label}'", sheet, cell.coordinate)
        if spec.kind == "email" and value and not _EMAIL.match(value):
            self.fail(f"'{label}' must be an email address like name@district.org; got '{value}'", sheet, cell.coordinate)
        if spec.kind == "date" and value and not isinstance(cell.value, (date, datetime)):
            parsed = parse_date(value)
            return format_date(parsed) if parsed else value
        return value

    def table_rows(self, t: TableSpec) -> list[tuple[int | None, object]]:
        self.sheet(t.sheet)
        key_row, columns = self.find_key_row(t)
        rows = []
        row_type = TABLE_ROWS[t.key]
        first_col = next((col for col, spec in columns.items() if spec is t.columns[0]), 1)
        letter = column_letter(first_col)
        last_row = key_row + 1
        for cells in _rows(self.book, t.sheet, min_row=key_row + 2):
            if cells[0].row > key_row + 1 + MAX_TABLE_ROWS:
                self.fail(f"more than {MAX_TABLE_ROWS:,} rows; a plan's table holds a few dozen. Delete the "
                          "empty or stray rows below the table", t.sheet)
            values, number = {}, None
            for cell in cells:
                target = columns.get(cell.column)
                if target is None:
                    continue
                if target == PRIORITY_KEY:
                    number = self.priority_number(cell, t.sheet)
                    continue
                if isinstance(target, str):  # a column this variant has no place for
                    if self.cell_text(cell, t.sheet):
                        self.strays.append((t.sheet, target, cell.coordinate))
                    continue
                value = self.cell_text(cell, t.sheet, target.kind)
                if target.list:
                    value = self.choice(value, self.v.lists[target.list], f"'{self.v.text(target.header)}'", t.sheet, cell.coordinate)
                values[target.key] = value
            if not any(values.values()):
                continue
            for c in t.columns:
                if not values.get(c.key):
                    values[c.key] = c.default
            row_number = last_row = cells[0].row
            here = f"sheet '{t.sheet}', cell {letter}{row_number}"
            if t.scope == "priority":
                number = number or 1
                self.where[f"p{number}.{t.key}[{sum(1 for n, _ in rows if n == number)}]"] = here
            else:
                self.where[f"{t.key}[{len(rows)}]"] = here
            rows.append((number, row_type(**values)))
        # where a missing entry would go: the first empty row
        empty = f"sheet '{t.sheet}', cell {letter}{last_row + 1}"
        for key in ([f"p{n}.{t.key}" for n in range(1, MAX_PRIORITIES + 1)] if t.scope == "priority" else [t.key]):
            self.where[key] = empty
        return rows

    def find_key_row(self, t: TableSpec) -> tuple[int, dict]:
        """Return the hidden key row's number and, per column, its ColumnSpec (or the bare key the variant lacks)."""
        specs = {c.key: c for c in t.columns}
        for row in _rows(self.book, t.sheet, max_row=10):
            keys = {cell.column: cell.value.strip() for cell in row if isinstance(cell.value, str)}
            if t.columns[0].key in keys.values():
                columns = {}
                for col, key in keys.items():
                    if key == PRIORITY_KEY and t.scope == "priority":
                        columns[col] = PRIORITY_KEY
                    else:
                        columns[col] = specs.get(key, key)
                return row[0].row, columns
        self.fail(f"the hidden row naming the columns (row {KEY_ROW}) is missing; copy the rows into a workbook "
                  "made by 'docgen new-workbook'", t.sheet)

    def priority_number(self, cell, sheet: str) -> int | None:
        value = cell.value
        if value in (None, ""):
            return None
        try:
            number = float(str(value).strip())
        except ValueError:
            number = 0
        if number in range(1, MAX_PRIORITIES + 1):
            return int(number)
        self.fail(f"{PRIORITY_COLUMN} must be 1 or 2 (blank means 1); got '{value}'", sheet, cell.coordinate)
