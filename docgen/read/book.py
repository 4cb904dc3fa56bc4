"""A workbook's cells as the person sees them in Excel: values, number formats, errors, and what cannot be shown.

python-calamine (a Rust reader: a whole workbook in about a millisecond)
reads the values. What it does not tell, this module finds in the sheet XML
that package.read already holds: each number's format (0.38 shown as 38%,
9990005 as 09990005), cells showing an Excel error such as #N/A, formulas
saved without a value, and date or time cells holding a number no date can
be (Excel shows ####), which would otherwise crash the reader.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from docgen.errors import Problem, WorkbookError
from docgen.model.values import format_date, shown
from docgen.read import numformat, package
from docgen.read.cells import column_letter

_FORMULA = re.compile(rb"<f[ >/]")  # a cell formula; <formula1> belongs to a drop-down
_ERROR_CELL = re.compile(rb'<c [^>]*\bt="e"')  # a cell showing an Excel error such as #N/A
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.DOTALL)
_ATTRIBUTE = re.compile(rb'\b([a-zA-Z]+)="([^"]*)"')
_VALUE = re.compile(rb"<v>([^<]*)</v>")
LAST_DATE = 2958465  # December 31, 9999: the last day Excel can show
EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!",
                "#CALC!")


class Book:
    """A workbook's sheets as grids of cell values, row by row from A1 (None where a cell is empty).

    ``special`` holds cells whose saved value hides something: (sheet, "C7")
    -> the Excel error shown there, or None for a formula without a value.
    ``formats`` holds the number format of numeric cells not shown the General way.
    """

    def __init__(self, path: Path, workbook: CalamineWorkbook, special: dict, formats: dict):
        self.path, self._workbook, self.special, self.formats = path, workbook, special, formats
        self.sheetnames = list(workbook.sheet_names)
        self.visible = {m.name: m.visible == SheetVisibleEnum.Visible for m in workbook.sheets_metadata}
        self._grids: dict[str, list[list]] = {}

    def rows(self, sheet: str) -> list[list]:
        """Return the sheet's values as rows of cells (read on first use)."""
        if sheet not in self._grids:
            try:
                grid = self._workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except BaseException as exc:  # a panic in the Rust reader is a BaseException: still one line, no traceback
                if not isinstance(exc, (CalamineError, OverflowError, ValueError)) \
                        and type(exc).__name__ != "PanicException":
                    raise
                raise WorkbookError(self.path, f"cannot be read as an Excel workbook (.xlsx): {shown(exc, 300)}",
                                    sheet=sheet) from None
            self._grids[sheet] = [[None if value == "" else value for value in row] for row in grid]
        return self._grids[sheet]

    def shown(self, sheet: str, coordinate: str, value) -> str:
        """Return a cell's value as Excel shows it: its number format applied, dates as "June 20, 2025"."""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime):
            return format_date(value) if value.time() == time() else f"{format_date(value)} {value:%H:%M}"
        if isinstance(value, date):
            return format_date(value)
        if isinstance(value, time):
            return f"{value:%H:%M}" if not value.second else f"{value:%H:%M:%S}"
        if isinstance(value, timedelta):
            hours, rest = divmod(int(value.total_seconds()), 3600)
            return f"{hours}:{rest // 60:02d}"
        if isinstance(value, (int, float)):
            code = self.formats.get((sheet, coordinate))
            shown = numformat.format_number(value, code) if code else None
            return numformat.general(value) if shown is None else shown
        return str(value)

    def close(self) -> None:
        self._workbook.close()


def first_sheet_rows(path: Path) -> list[list[str]]:
    """Return the first sheet of the workbook at ``path`` as rows of text, each cell as Excel shows it ("" if empty).

    For lists kept in a spreadsheet (a region's districts): read with the
    same guards and number formats as a plan workbook, so a DESE code
    formatted 00000000 reads as Excel shows it.
    """
    book = open_book(path)
    try:
        if not book.sheetnames:
            return []
        sheet = book.sheetnames[0]
        return [["" if value is None else book.shown(sheet, f"{column_letter(column)}{number}", value)
                 for column, value in enumerate(row, start=1)] for number, row in enumerate(book.rows(sheet), start=1)]
    finally:
        book.close()


def open_book(path: Path) -> Book:
    """Return the workbook at ``path`` ready to read; raise FileRefused or WorkbookError saying what to do.

    Macros in an .xlsm are never run: only the cell values are read.
    """
    path = Path(path)
    parts = package.read(path, package.WORKBOOK)
    try:
        special, formats = _scan(path, parts)
        return Book(path, CalamineWorkbook.from_path(str(path)), special, formats)
    except WorkbookError:
        raise
    except (CalamineError, ElementTree.ParseError, KeyError, ValueError, OSError) as exc:
        raise WorkbookError(path, f"cannot be read as an Excel workbook (.xlsx): {shown(exc, 300)}") from None


def _scan(path: Path, parts: dict[str, bytes]) -> tuple[dict, dict]:
    """Return the special cells and the number formats of every sheet; raise for cells no date can show."""
    styles = _number_formats(parts.get("xl/styles.xml", b""))
    special: dict[tuple[str, str], str | None] = {}
    formats: dict[tuple[str, str], str] = {}
    unshowable: list[Problem] = []
    for sheet, part in _sheet_parts(parts).items():
        data = parts.get(part, b"")
        if _FORMULA.search(data) or _ERROR_CELL.search(data):
            special.update(((sheet, ref), value) for ref, value in _hidden_by_saved_values(data))
        if not styles or not any(f' s="{i}"'.encode() in data for i in styles):
            continue
        for attributes, content in _CELL.findall(data):
            found = dict(_ATTRIBUTE.findall(attributes))
            code = styles.get(int(found.get(b"s", b"0") or 0))
            if code is None or found.get(b"t", b"n") != b"n" or b"r" not in found:
                continue
            ref = found[b"r"].decode()
            if numformat.is_date(code):
                value = _VALUE.search(content or b"")
                if value and not _showable_date(value.group(1)):
                    unshowable.append(Problem("the cell holds a number that no date or time can be (Excel shows "
                                              "####); type the value again", sheet, ref))
            else:
                formats[(sheet, ref)] = code
    if unshowable:
        raise WorkbookError(path, problems=unshowable)
    return special, formats


def _showable_date(raw: bytes) -> bool:
    try:
        return 0 <= float(raw) <= LAST_DATE + 1
    except ValueError:
        return True  # not a number: the reader shows it as text


def _number_formats(styles_xml: bytes) -> dict[int, str]:
    """Return, for each cell style (index into cellXfs) whose number format is not General or text, its code."""
    if not styles_xml:
        return {}
    root = ElementTree.fromstring(styles_xml)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "") for f in root.iter() if _local(f.tag) == "numFmt"}
    cell_xfs = next((e for e in root if _local(e.tag) == "cellXfs"), None)
    found = {}
    for index, xf in enumerate(cell_xfs if cell_xfs is not None else ()):
        number = int(xf.get("numFmtId", 0) or 0)
        code = custom.get(number, numformat.BUILTIN.get(number, "General"))
        if not numformat.is_plain(code):
            found[index] = code
    return found


def _hidden_by_saved_values(sheet_xml: bytes):
    """Yield (cell, error text) for cells showing an Excel error, and (cell, None) for formulas saved unvalued."""
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
    relationships = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relationships}
    found = {}
    for sheet in ElementTree.fromstring(parts["xl/workbook.xml"]).iter():
        if _local(sheet.tag) == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id"), "")
            target = targets.get(rid, "")
            found[sheet.get("name", "")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
