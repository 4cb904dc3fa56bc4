"""The intake workbook: write a blank (or filled) one for a variant, and read a filled one into a Plan.

This is the only module that imports openpyxl. Every answer cell sits beside
its prompt; a hidden column A holds each answer's field key, so the reader
finds answers even after a person inserts rows. Tables live on their own
sheets with a header row and one row per entry.
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import NamedTuple

from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from lxml.etree import XMLSyntaxError
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.escape import unescape
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from .. import text, variants
from ..errors import WorkbookError
from ..model import PRIORITY_TABLES, TABLE_ROWS, District, Plan, Priority, Review, SectionReview
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
_XML_ERRORS = (DefusedXmlException, XMLSyntaxError, ParseError)
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")

# Look: DESE-like navy headings, pale prompts, warm answer cells.
_NAVY = "1F3864"
_HEADING_FILL = PatternFill("solid", fgColor=_NAVY)
_PROMPT_FILL = PatternFill("solid", fgColor="DEEAF6")
_ANSWER_FILL = PatternFill("solid", fgColor="FFF8E1")
_CHOOSE_FILL = PatternFill("solid", fgColor="FFC000")  # a cell the district must look at
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_THIN = Side(style="thin", color="A6A6A6")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")


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


# --- writing ---------------------------------------------------------------------------


def write(variant: Variant, path: Path, plan: Plan | None = None, highlight=(), carried=()) -> None:
    """Write the intake workbook for ``variant`` to ``path``, filled from ``plan`` when given.

    ``highlight`` holds (priority number or None, field key) answer cells to
    mark for the district to fill; ``carried`` rows (import and roll-forward)
    become a "Carried over" sheet saying where each piece of text came from.
    """
    _Writer(variant, plan, set(highlight), list(carried)).save(path)


class _Writer:
    def __init__(self, variant: Variant, plan: Plan | None, highlight: set, carried: list):
        self.v = variant
        self.plan = plan
        self.highlight = highlight
        self.carried = carried
        self.wb = Workbook()
        self.list_refs: dict[str, str] = {}

    def save(self, path: Path) -> None:
        start = self.wb.active
        start.title = START_SHEET
        self.lists_sheet()
        district = self.form_sheet(self.v.district_sheet, self.v.district_title,
                                   "Who is submitting this plan. The district name names the output files.")
        for f in self.v.district_fields:
            self.field_row(district, f, getattr(self.plan.district, f.key) if self.plan else "", None)
        tables_done = set()
        for table in self._tables_not_in_sections("district"):
            self.table_sheet(self.v.tables[table])
            tables_done.add(table)
        for sheet_name, sections in self._district_sheets().items():
            ws = self.form_sheet(sheet_name, sheet_name, "Answered once for the whole district.")
            for section in sections:
                self.section_rows(ws, section, self.plan.answers if self.plan else {}, priority=None)
            for section in sections:
                for part in section.parts:
                    if part.table and part.table not in tables_done:
                        self.table_sheet(self.v.tables[part.table])
                        tables_done.add(part.table)
        for number in range(1, MAX_PRIORITIES + 1):
            note = ("The district's instructional priority: answer every yellow cell."
                    if number == 1 else
                    "Only if the district has a second instructional priority. Otherwise leave this sheet blank.")
            ws = self.form_sheet(priority_sheet(number), priority_sheet(number), note)
            priority = self._priority(number)
            for section in self.v.sections_in("priority"):
                self.section_rows(ws, section, priority.answers if priority else {}, priority=number)
        for section in self.v.sections_in("priority"):
            for part in section.parts:
                if part.table and part.table not in tables_done:
                    self.table_sheet(self.v.tables[part.table])
                    tables_done.add(part.table)
        self.review_sheet()
        if self.carried:
            self.carried_sheet()
        self.start_sheet(start)
        self.wb.move_sheet(LISTS_SHEET, offset=len(self.wb.sheetnames))
        self.wb.active = 0
        self.wb.save(path)

    def _priority(self, number: int) -> Priority | None:
        if self.plan and len(self.plan.priorities) >= number:
            return self.plan.priorities[number - 1]
        return None

    def _district_sheets(self) -> dict[str, list]:
        sheets: dict[str, list] = {}
        for section in self.v.sections_in("district"):
            sheets.setdefault(section.sheet, []).append(section)
        return sheets

    def _tables_not_in_sections(self, scope: str) -> list[str]:
        used = {p.table for s in self.v.sections for p in s.parts if p.table}
        return [k for k, t in self.v.tables.items() if t.scope == scope and k not in used]

    # sheets

    def start_sheet(self, ws) -> None:
        v = self.v
        lines = [
            (f"{v.plan_year} District Instructional Prioritization Plan: intake workbook", "title"),
            (f"Fill this workbook, then run docgen to get the official {v.plan_year} plan as Word and PowerPoint files. "
             f"It follows the {v.source}.", None),
            ("", None),
            ("What to fill, in this order", "heading"),
            (f"1. '{v.district_sheet}': the district's name, the date, and who to contact.", None),
        ]
        step = 2
        for sheet in [t.sheet for k, t in v.tables.items() if k in self._tables_not_in_sections("district")]:
            lines.append((f"{step}. '{sheet}': {v.tables[self._table_key(sheet)].help}", None))
            step += 1
        for sheet_name in self._district_sheets():
            lines.append((f"{step}. '{sheet_name}': answer each yellow cell; the prompt from the guidance is beside it.", None))
            step += 1
        for t in v.tables.values():
            if t.scope == "district" and t.key not in self._tables_not_in_sections("district"):
                lines.append((f"{step}. '{t.sheet}': {t.help}", None))
                step += 1
        lines.append((f"{step}. '{priority_sheet(1)}': sections 1-8 of the plan. Each prompt is copied word for word "
                      "from the guidance; answer in the yellow cell beside it.", None))
        step += 1
        for t in v.tables.values():
            if t.scope == "priority":
                lines.append((f"{step}. '{t.sheet}': {t.help} Put 1 or 2 in the Priority column (blank means 1).", None))
                step += 1
        lines += [
            (f"{step}. '{priority_sheet(2)}': only if the district has a second priority. Leave it blank otherwise.", None),
            ("", None),
            ("Tips", "heading"),
            ("• Alt+Enter starts a new line in a cell; each line becomes its own paragraph.", None),
            ("• Start a line with \"- \" or \"• \" for a bullet, \"1. \" for a numbered list; indent two spaces for a sub-bullet.", None),
            ("• Cells with a drop-down arrow take one of the listed values.", None),
            ("• Leave the hidden column A alone: it tells docgen which answer is which.", None),
            ("", None),
            ("Make the plan", "heading"),
            ("docgen check THIS-WORKBOOK.xlsx   lists what the plan does not yet do that the guidance asks for", None),
            ("docgen build THIS-WORKBOOK.xlsx   writes the Word and PowerPoint plans into the folder output/", None),
            ("", None),
            ("Due", "heading"),
            (f"Email the final plan to {v.values['submit_to']} by {v.values['due_date']}.", None),
        ]
        ws.column_dimensions["A"].width = 120
        for row, (value, style) in enumerate(lines, start=1):
            cell = ws.cell(row=row, column=1, value=value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if not style and len(value) > 110:  # wrapped rows get their height: not every program fits it
                ws.row_dimensions[row].height = 15 * math.ceil(len(value) / 110)
            if style == "title":
                cell.font = Font(bold=True, size=16, color=_NAVY)
            elif style == "heading":
                cell.font = Font(bold=True, size=12, color=_NAVY)

    def review_sheet(self) -> None:
        """The SSoS consultant's sheet: who reviewed, and strengths, refinements and next steps per section."""
        review = self.plan.review if self.plan else None
        ws = self.form_sheet(REVIEW_SHEET, "Consultant review (SSoS)",
                             "For the SSoS Leadership Consultant. The plan documents ignore this sheet; "
                             "'docgen letter' turns it into the August feedback letter.")
        for key, label, kind in REVIEW_FIELDS:
            spec = FieldSpec(key=key, label=label, kind=kind, required=False)
            self.field_row(ws, spec, getattr(review, key) if review else "", None)
        row = ws.max_row + 2
        for col, header in zip("BCDE", ("Section", "Strengths", "Refinements", "Next steps")):
            cell = ws[f"{col}{row}"]
            cell.value, cell.font, cell.fill, cell.border = header, Font(bold=True), _HEADER_FILL, _BOX
        for col in "DE":
            ws.column_dimensions[col].width = 60
        for section in self.v.sections:
            row += 1
            ws[f"A{row}"] = SECTION_KEY + section.id
            ws[f"B{row}"] = self.v.text(section.heading)
            ws[f"B{row}"].font, ws[f"B{row}"].border = Font(bold=True), _BOX
            comments = review.sections.get(section.id) if review else None
            for col, key in zip("CDE", REVIEW_COLUMNS):
                cell = ws[f"{col}{row}"]
                cell.value = (getattr(comments, key) or None) if comments else None
                cell.fill, cell.alignment, cell.border, cell.number_format = _ANSWER_FILL, _WRAP, _BOX, "@"

    def carried_sheet(self) -> None:
        """List every piece of last year's text that did not move one-to-one, and where it went."""
        ws = self.wb.create_sheet(CARRIED_SHEET, index=1)
        ws["A1"] = "Carried over from last year's plan"
        ws["A1"].font = Font(bold=True, size=14, color=_NAVY)
        ws["A2"] = ("Text that moved to a different prompt, or that this year's template has no place for. "
                    "Check each row, then delete this sheet when you are done.")
        ws["A2"].font = Font(italic=True)
        for col, (header, width) in enumerate((("Came from", 40), ("Placed in", 36), ("Text", 80), ("Note", 40)),
                                              start=1):
            cell = ws.cell(row=3, column=col, value=header)
            cell.font, cell.fill, cell.border = Font(bold=True), _HEADER_FILL, _BOX
            ws.column_dimensions[get_column_letter(col)].width = width
        for row, item in enumerate(self.carried, start=4):
            for col, value in enumerate((item.source, item.destination, item.text, item.note), start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = _WRAP
                if item.kind != "moved":
                    cell.fill = _CHOOSE_FILL
        ws.freeze_panes = "A4"

    def _table_key(self, sheet: str) -> str:
        return next(k for k, t in self.v.tables.items() if t.sheet == sheet)

    def lists_sheet(self) -> None:
        ws = self.wb.create_sheet(LISTS_SHEET)
        ws.sheet_state = "hidden"
        for col, choice in enumerate(self.v.lists.values(), start=1):
            ws.cell(row=1, column=col, value=choice.name)
            for row, value in enumerate(choice.values, start=2):
                ws.cell(row=row, column=col, value=value)
            letter = get_column_letter(col)
            self.list_refs[choice.name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(choice.values) + 1}"

    def validation(self, ws, choice: ChoiceList, cells: str) -> None:
        dv = DataValidation(type="list", formula1=self.list_refs[choice.name], allow_blank=True)
        if choice.strict:
            dv.errorStyle, dv.error = "stop", "Choose one of the values in the drop-down list."
        else:
            dv.errorStyle, dv.error = "information", "This is not one of the usual values; it will be kept as typed."
        dv.showErrorMessage = True
        dv.add(cells)
        ws.add_data_validation(dv)

    def form_sheet(self, name: str, title: str, note: str):
        ws = self.wb.create_sheet(name)
        ws.column_dimensions["A"].hidden = True
        ws.column_dimensions["B"].width = 70
        ws.column_dimensions["C"].width = 90
        ws["B1"] = title
        ws["B1"].font = Font(bold=True, size=14, color=_NAVY)
        ws["B2"] = note
        ws["B2"].font = Font(italic=True)
        for col, header in (("B", "Prompt"), ("C", "Your answer")):
            cell = ws[f"{col}3"]
            cell.value, cell.font, cell.fill, cell.border = header, Font(bold=True), _HEADER_FILL, _BOX
        ws.freeze_panes = "B4"
        return ws

    def section_rows(self, ws, section, answers: dict, priority: int | None) -> None:
        v = self.v
        row = ws.max_row + 1
        for col in ("B", "C"):
            ws[f"{col}{row}"].fill = _HEADING_FILL
        ws[f"B{row}"] = v.text(section.heading)
        ws[f"B{row}"].font = Font(bold=True, color="FFFFFF", size=12)
        number = priority or 1
        if section.prompt and section.prompt != section.heading:
            self.prompt_row(ws, self.prompt_lines(section, number), [v.text(t) for t in section.tips])
        for part in section.parts:
            if part.prompt:
                self.prompt_row(ws, self.prompt_lines(part, number), [v.text(t) for t in part.tips])
            for f in part.fields:
                self.field_row(ws, f, answers.get(f.key, ""), priority)
            if part.table:
                t = v.tables[part.table]
                row = ws.max_row + 1
                which = f" Rows with {PRIORITY_COLUMN} {priority}." if priority else ""
                ws[f"B{row}"] = f"{t.title}: fill the table on sheet '{t.sheet}'.{which}"
                ws[f"B{row}"].hyperlink = f"#{quote_sheetname(t.sheet)}!A1"
                ws[f"B{row}"].font = Font(italic=True, color="0563C1", underline="single")
                ws[f"B{row}"].alignment = _WRAP

    def prompt_lines(self, spec, number: int) -> list[str]:
        """Return a section's or part's prompt, bullets and notes as the lines of one cell."""
        lines = [self.v.text(spec.prompt, number=number)]
        lines += [f"• {self.v.text(b, number=number)}" for b in spec.bullets]
        return lines + [self.v.text(n, number=number) for n in spec.notes]

    def prompt_row(self, ws, paragraphs: list[str], tips: list[str]) -> None:
        if tips:
            paragraphs = [*paragraphs, "TIPS:", *(f"• {tip}" for tip in tips)]
        value = "\n".join(paragraphs)
        row = ws.max_row + 1
        cell = ws[f"B{row}"]
        cell.value, cell.alignment, cell.fill, cell.border = value, _WRAP, _PROMPT_FILL, _BOX
        ws[f"C{row}"].fill = _PROMPT_FILL
        lines = sum(max(1, math.ceil(len(p) / 78)) for p in paragraphs)
        ws.row_dimensions[row].height = min(409, 15 * lines + 4)

    def field_row(self, ws, f: FieldSpec, value: str, priority: int | None = None) -> None:
        row = ws.max_row + 1
        ws[f"A{row}"] = f.key
        label = ws[f"B{row}"]
        label.value = self.v.text(f.label, number=priority or 1) + ("" if f.required else " (optional)")
        label.font, label.alignment, label.border = Font(bold=True), _WRAP, _BOX
        answer = ws[f"C{row}"]
        answer.fill, answer.alignment, answer.border = _ANSWER_FILL, _WRAP, _BOX
        if f.kind == "date":
            parsed = parse_date(value) if value else None
            answer.value = parsed or (value or None)
            answer.number_format = "mmmm d, yyyy"
        else:
            answer.number_format = "@"
            answer.value = value or None
        if f.list:
            self.validation(ws, self.v.lists[f.list], f"C{row}")
        if (priority, f.key) in self.highlight:
            answer.fill = _CHOOSE_FILL
            answer.comment = Comment("Choose again for this year: this answer was not carried over.", "docgen")

    def table_sheet(self, t: TableSpec) -> None:
        ws = self.wb.create_sheet(t.sheet)
        columns = ([(PRIORITY_COLUMN, 10, None)] if t.scope == "priority" else []) + [
            (self.v.text(c.header), c.width, c) for c in t.columns]
        ws["A1"] = t.title
        ws["A1"].font = Font(bold=True, size=14, color=_NAVY)
        ws["A2"] = t.help + (f" {PRIORITY_COLUMN}: 1 or 2 (blank means 1)." if t.scope == "priority" else "")
        ws["A2"].font = Font(italic=True)
        key_row, header_row = KEY_ROW, KEY_ROW + 1
        ws.row_dimensions[key_row].hidden = True
        for col, (header, width, spec) in enumerate(columns, start=1):
            ws.cell(row=key_row, column=col, value=spec.key if spec else PRIORITY_KEY)
            cell = ws.cell(row=header_row, column=col, value=header)
            cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BOX, _WRAP
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = width
            span = f"{letter}{header_row + 1}:{letter}{header_row + TABLE_ROWS_PREPARED}"
            if spec is None:
                dv = DataValidation(type="list", formula1='"1,2"', allow_blank=True, showErrorMessage=True,
                                    error="Type 1 or 2 (blank means 1).")
                dv.add(span)
                ws.add_data_validation(dv)
            elif spec.list:
                self.validation(ws, self.v.lists[spec.list], span)
            # a column style (not 200 formatted empty cells): typed text wraps and stays text ("6-8" is no date)
            dimension = ws.column_dimensions[letter]
            dimension.alignment, dimension.number_format = _WRAP, "@"
        ws.row_dimensions[header_row].height = 15 * max(
            math.ceil(len(header) / max(width - 2, 1)) for header, width, _ in columns)
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row}"
        row = header_row + 1
        for number, rows in self._table_rows(t):
            for item in rows:
                values = ([number] if t.scope == "priority" else []) + [getattr(item, c.key) or None for c in t.columns]
                for col, value in enumerate(values, start=1):
                    ws.cell(row=row, column=col, value=value)
                row += 1

    def _table_rows(self, t: TableSpec):
        if not self.plan:
            return []
        if t.scope == "district":
            return [(None, getattr(self.plan, t.key))]
        return [(p.number, getattr(p, t.key)) for p in self.plan.priorities]


# --- reading ---------------------------------------------------------------------------


def read(path: Path, variant: Variant | None = None) -> Plan:
    """Return the Plan in the workbook at ``path``; raise WorkbookError naming the sheet and cell of any problem.

    Without a ``variant``, the one matching the school year on the District
    sheet is used, else the newest.
    """
    with warnings.catch_warnings():  # openpyxl warns about features it drops; a person gets our messages only
        warnings.simplefilter("ignore")
        reader = _Reader(path, variant)
        try:
            return reader.plan()
        except _XML_ERRORS as exc:  # read-only sheets are parsed as they are read
            raise _unsafe_xml(path, exc) from None
        finally:
            reader.wb.close()


def _unsafe_xml(path: Path, exc: Exception) -> WorkbookError:
    if isinstance(exc, DefusedXmlException) or "entit" in str(exc).lower():
        return WorkbookError(path, "contains XML entity declarations, which Excel never writes (it may be an "
                                   "'XML bomb'); save it again from Excel")
    return WorkbookError(path, f"holds XML that cannot be read ({exc}); save it again from Excel")


def open_workbook(path: Path):
    """Return the openpyxl workbook at ``path`` (cached formula values), or raise WorkbookError.

    Files that are not plain .xlsx workbooks (old .xls, password-protected,
    CSV, empty, a zip or XML "bomb") are turned away with a line saying what to
    do, before openpyxl parses anything. Macros in an .xlsm are never run:
    only the cell values are read.
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
    with zipfile.ZipFile(path) as package:
        unpacked = sum(item.file_size for item in package.infolist())
    if unpacked > MAX_UNPACKED_BYTES:
        raise WorkbookError(path, f"unpacks to {unpacked // 2**20:,} MB, far more than any plan workbook "
                                  f"(under {MAX_UNPACKED_BYTES // 2**20} MB); it may be a zip bomb")
    try:
        return load_workbook(path, data_only=True, read_only=True)
    except _XML_ERRORS as exc:
        raise _unsafe_xml(path, exc) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise WorkbookError(path, f"cannot be read as an Excel workbook (.xlsx): {exc}") from None


def _uncached_formulas(path: Path, wb) -> set[tuple[str, str]]:
    """Return (sheet, cell) of formulas saved without a value, which would otherwise read as blank.

    Only workbooks that hold formulas at all pay for the second, formula-level read.
    """
    with zipfile.ZipFile(path) as package:
        if not any(_FORMULA.search(package.read(name)) for name in package.namelist()
                   if name.startswith("xl/worksheets/")):
            return set()
    formulas = load_workbook(path, read_only=True, data_only=False)
    try:
        found = set()
        for ws in formulas.worksheets:
            cells = {c.coordinate for row in _rows(ws) for c in row if isinstance(c.value, str) and c.value.startswith("=")}
            if cells:
                values = {c.coordinate: c.value for row in _rows(wb[ws.title]) for c in row if c.coordinate in cells}
                found |= {(ws.title, coordinate) for coordinate in cells if values.get(coordinate) is None}
        return found
    finally:
        formulas.close()


def _school_year(wb) -> str:
    """Return the school year typed on a workbook's District sheet, or "" (it picks the variant)."""
    names = sorted(wb.sheetnames, key=lambda name: name != "District")  # every variant names it District so far
    for name in names:
        ws = wb[name]
        if ws.sheet_state != "visible":
            continue
        for key, _, answer in ws.iter_rows(min_col=1, max_col=3, max_row=40, values_only=True):
            if key == "school_year":
                return "" if answer is None else str(answer).strip()
        if name == "District":
            return ""
    return ""


class _Cell(NamedTuple):
    """A cell's value and position (read-only worksheets hand out bare values for empty cells)."""

    value: object
    row: int
    column: int

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


def _rows(ws, min_row: int = 1, max_row: int | None = None, min_col: int = 1, max_col: int | None = None):
    """Yield each row of ``ws`` as a list of _Cell, empty rows and cells included."""
    values = ws.iter_rows(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col, values_only=True)
    for row, cells in enumerate(values, start=min_row):
        yield [_Cell(value, row, column) for column, value in enumerate(cells, start=min_col)]


def _describe_strays(strays: list[tuple[str, str, str]]) -> str:
    """Return "sheet 'X': key (C5, C6), other (F5); sheet 'Y': ..." for cells that would be lost."""
    by_sheet: dict[str, dict[str, list[str]]] = {}
    for sheet, key, cell in strays:
        by_sheet.setdefault(sheet, {}).setdefault(key, []).append(cell)
    return "; ".join(
        f"sheet '{sheet}': " + ", ".join(f"{key} ({', '.join(cells)})" for key, cells in keys.items())
        for sheet, keys in by_sheet.items())


class _Reader:
    def __init__(self, path: Path, variant: Variant | None):
        self.path = Path(path)
        self.wb = open_workbook(self.path)
        self.v = variant or variants.for_school_year(_school_year(self.wb))
        self.where: dict[str, str] = {}
        self.cells: dict[str, str] = {}
        self.strays: list[tuple[str, str, str]] = []  # (sheet, field key, cell) filled but without a place in the variant
        self.uncached = _uncached_formulas(self.path, self.wb)

    def fail(self, message: str, sheet: str | None = None, cell: str | None = None):
        raise WorkbookError(self.path, message, sheet=sheet, cell=cell)

    def sheet(self, name: str, required: bool = True):
        if name in self.wb.sheetnames:
            return self.wb[name]
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
            ws = self.sheet(priority_sheet(number), required=number == 1)
            answers = self.form_answers(ws.title, priority_specs, f"p{number}") if ws is not None else {}
            rows = {key: [row for n, row in found if n == number] for key, found in tables.items()}
            if number > 1 and not any(answers.values()) and not any(rows.values()):
                continue
            priority = Priority(number=number, answers=answers)
            for key in PRIORITY_TABLES:
                setattr(priority, key, rows.get(key, []))
            plan.priorities.append(priority)
        plan.review = self.review()
        if self.strays:
            year = _school_year(self.wb)
            self.fail(f"these answers have no place in the {self.v.id} template and would be lost: "
                      f"{_describe_strays(self.strays)}. Build with the variant the workbook was made for"
                      f"{f' (school year {year})' if year else ''}, or move the text")
        return plan

    def review(self) -> Review | None:
        """Return the consultant's review, or None when the sheet is absent or still empty."""
        ws = self.sheet(REVIEW_SHEET, required=False)
        if ws is None:
            return None
        review = Review()
        fields = {key: kind for key, _, kind in REVIEW_FIELDS}
        section_ids = {s.id for s in self.v.sections}
        for cells in _rows(ws, min_col=1, max_col=5):
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
            if (sheet, cell.coordinate) in self.uncached:
                self.fail("the formula has no saved value (the program that saved the workbook did not calculate "
                          "it); open the workbook in Excel, let it calculate, and save it", sheet, cell.coordinate)
            return ""
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
        return text.clean(unescape(raw))

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
        ws = self.sheet(sheet_name)
        answers = {key: "" for key in specs}
        for key_cell, _, answer_cell in _rows(ws, min_col=1, max_col=3):
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
        ws = self.sheet(t.sheet)
        key_row, columns = self.find_key_row(ws, t)
        rows = []
        row_type = TABLE_ROWS[t.key]
        first_col = next((col for col, spec in columns.items() if spec is t.columns[0]), 1)
        letter = get_column_letter(first_col)
        last_row = key_row + 1
        for cells in _rows(ws, min_row=key_row + 2):
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

    def find_key_row(self, ws, t: TableSpec) -> tuple[int, dict]:
        """Return the hidden key row's number and, per column, its ColumnSpec (or the bare key the variant lacks)."""
        specs = {c.key: c for c in t.columns}
        for row in _rows(ws, max_row=10):
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


def write_table(path: Path, sheet: str, headers: list[str], rows: list[list], widths: list[int]) -> None:
    """Write a one-sheet workbook: a bold, frozen, filterable header row over ``rows`` (batch summaries)."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for cell in ws[1]:
        cell.font, cell.fill, cell.border, cell.alignment = Font(bold=True), _HEADER_FILL, _BOX, _WRAP
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 1)}"
    wb.save(path)
