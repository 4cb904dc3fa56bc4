"""Write the intake workbook for a variant, blank or filled from a Plan, and one-sheet table workbooks.

This is the only module that writes workbooks, with XlsxWriter: its files
validate against the Open XML schemas (openpyxl's put font properties out of
schema order and store text as inline strings), and every value docgen writes
is stored as text, so an answer such as ``=HYPERLINK(...)`` is never a live
formula in Excel or Calc. The layout (which row holds what) comes from
sources.layout, which the reader reads against.
"""

from __future__ import annotations

import io
import math
from datetime import datetime

import xlsxwriter
from xlsxwriter.utility import quote_sheetname, xl_col_to_name

from docgen.errors import OutputError
from docgen.model.plan import Plan, Priority
from docgen.model.values import MAX_CELL_TEXT, parse_date
from docgen.read import layout
from docgen.read.layout import PRIORITY_COLUMN, Row
from docgen.variants import ChoiceList, TableSpec, Variant
from docgen.write import textfit, xlsx_checkins

_NAVY, _PROMPT, _ANSWER, _CHOOSE, _HEADER, _GRID = "#1F3864", "#DEEAF6", "#FFF8E1", "#FFC000", "#D9E2F3", "#A6A6A6"
_BOX = {"border": 1, "border_color": _GRID}
_TOP = {"text_wrap": True, "valign": "top"}
_STYLES = {
    "title": {"bold": True, "font_size": 14, "font_color": _NAVY},
    "start-title": {"bold": True, "font_size": 16, "font_color": _NAVY, "valign": "top"},
    "start-heading": {"bold": True, "font_size": 12, "font_color": _NAVY},
    "note": {"italic": True},
    "wrap": _TOP,
    "header": {"bold": True, "bg_color": _HEADER, **_BOX, **_TOP},
    "heading": {"bold": True, "font_size": 12, "font_color": "#FFFFFF", "bg_color": _NAVY},
    "heading-fill": {"bg_color": _NAVY},
    "prompt": {"bg_color": _PROMPT, **_BOX, **_TOP},
    "prompt-fill": {"bg_color": _PROMPT},
    "label": {"bold": True, **_BOX, **_TOP},
    "answer": {"bg_color": _ANSWER, "num_format": "@", **_BOX, **_TOP},
    "answer-date": {"bg_color": _ANSWER, "num_format": "mmmm d, yyyy", "align": "left", **_BOX, **_TOP},
    "choose": {"bg_color": _CHOOSE, "num_format": "@", **_BOX, **_TOP},
    "link": {"italic": True, "font_color": "#0563C1", "underline": 1, **_TOP},
    "column": {"num_format": "@", **_TOP},
    "unplaced": {"bg_color": _CHOOSE, **_TOP},
}
FONT_PT = 11  # Calibri 11, the workbook's body text
LINE_PT = 15  # Excel's height of one line of Calibri 11
MAX_ROW_PT = 409  # the tallest row Excel allows
CHAR_PX, PAD_PX, PX_PER_INCH = 7, 5, 96  # a column "width" is in widths of '0': 7 pixels in Calibri 11, plus padding


def row_height(text: str, width_chars: float, size_pt: float = FONT_PT, bold: bool = False) -> float | None:
    """Return the height in points a wrapped cell needs to show ``text``, or None when one line fits.

    Lines are wrapped with Calibri's real character widths (the Carlito
    metrics textfit uses), so Excel and LibreOffice Calc both show every line
    instead of the text running under the next row.
    """
    width_in = (width_chars * CHAR_PX - PAD_PX) / PX_PER_INCH
    lines = sum(len(textfit.wrap(line, width_in, size_pt, bold)) for line in str(text).split("\n"))
    line_pt = LINE_PT * size_pt / FONT_PT
    return None if lines <= 1 and size_pt <= FONT_PT else min(MAX_ROW_PT, math.ceil(lines * line_pt + 3))


def write(variant: Variant, plan: Plan | None = None, highlight=(), carried=()) -> bytes:
    """Return the intake workbook for ``variant`` as .xlsx bytes, filled from ``plan`` when given.

    ``highlight`` maps the Plan.where keys of cells to mark for the district
    to fill ("p1.direction", "p1.benchmarks[0].frequency") to what to do; ``carried`` rows (import and roll-forward)
    become a "Carried over" sheet saying where each piece of text came from.
    """
    return _Writer(variant, plan, dict(highlight), list(carried)).workbook()


def _printable(ws):
    """Set a sheet to print as people expect: landscape, one page wide, as many pages down as it needs."""
    ws.set_landscape()
    ws.set_paper(1)  # US Letter
    ws.fit_to_pages(1, 0)
    return ws


def _book() -> tuple[io.BytesIO, xlsxwriter.Workbook]:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    book.set_properties({"created": datetime(2000, 1, 1), "comments": "Written by docgen"})
    return out, book


def _text(value) -> str:
    """Return a value as cell text, refusing text longer than a cell holds (XlsxWriter would cut it silently)."""
    value = "" if value is None else str(value)
    if len(value) > MAX_CELL_TEXT:
        raise OutputError(f"an answer of {len(value):,} characters is longer than an Excel cell holds "
                          f"({MAX_CELL_TEXT:,}); shorten it before writing the workbook: {value[:60]}...")
    return value


class _Writer:
    def __init__(self, variant: Variant, plan: Plan | None, highlight: dict[str, str], carried: list):
        self.v, self.plan, self.highlight, self.carried = variant, plan, highlight, carried
        self.out, self.book = _book()
        self.style = {name: self.book.add_format(props) for name, props in _STYLES.items()}
        self.list_refs: dict[str, str] = {}

    def workbook(self) -> bytes:
        start = _printable(self.book.add_worksheet(layout.START_SHEET))
        if self.carried:
            self.carried_sheet()
        forms = layout.form_sheets(self.v)
        for item in layout.sheet_order(self.v):
            if isinstance(item, str):
                self.form_sheet(item, forms[item])
            else:
                self.table_sheet(item)
        xlsx_checkins.write(self.book, self.style, self.plan)
        self.lists_sheet(self.book.add_worksheet(layout.LISTS_SHEET))  # drop-downs refer to it by name
        self.start_sheet(start)
        start.activate()
        self.book.close()
        return self.out.getvalue()

    # form sheets: key, label or prompt, answer

    def form_sheet(self, name: str, rows: list[Row]) -> None:
        ws = _printable(self.book.add_worksheet(name))
        ws.set_column(0, 0, 13, None, {"hidden": True})
        ws.set_column(1, 1, 70)
        ws.set_column(2, 2, 90)
        if name == layout.REVIEW_SHEET:
            ws.set_column(3, 4, 60)
        number = int(name.split()[-1]) if name.startswith(PRIORITY_COLUMN) else None
        answers = self.answers_for(name, number)
        for r, row in enumerate(rows):
            self.form_row(ws, r, row, answers, number, name)
        ws.freeze_panes(3, 1)

    def answers_for(self, sheet: str, number: int | None) -> dict:
        if self.plan is None:
            return {}
        if number is not None:
            priority = self._priority(number)
            return priority.answers if priority else {}
        if sheet == self.v.district_sheet:
            return vars(self.plan.district)
        if sheet == layout.REVIEW_SHEET:
            return vars(self.plan.review) if self.plan.review else {}
        return self.plan.answers

    def form_row(self, ws, r: int, row: Row, answers: dict, number: int | None, sheet: str) -> None:
        s = self.style
        if row.kind == "title":
            ws.write_string(r, 1, row.text, s["title"])
            ws.set_row(r, 21)
        elif row.kind == "note":
            ws.write_string(r, 1, row.text, s["note"])
        elif row.kind == "header":
            for c, text in enumerate(row.texts, start=1):
                ws.write_string(r, c, text, s["header"])
        elif row.kind == "heading":
            ws.write_string(r, 1, row.text, s["heading"])
            ws.write_blank(r, 2, None, s["heading-fill"])
        elif row.kind == "prompt":
            ws.write_string(r, 1, row.text, s["prompt"])
            ws.write_blank(r, 2, None, s["prompt-fill"])
            ws.set_row(r, row_height(row.text, 70))
        elif row.kind == "link":
            assert row.table is not None  # layout gives a link row its table
            target = f"internal:{quote_sheetname(row.table.sheet)}!A1"
            ws.write_url(r, 1, target, s["link"], row.text)
            ws.set_row(r, row_height(row.text, 70))
        elif row.kind == "field":
            prefix = f"p{number}" if number else ("district" if sheet == self.v.district_sheet else "answers")
            self.field_row(ws, r, row, _text(answers.get(row.key, "")), f"{prefix}.{row.key}")
        elif row.kind == "section":
            self.review_section_row(ws, r, row)

    def field_row(self, ws, r: int, row: Row, value: str, at: str) -> None:
        f = row.field
        assert f is not None  # layout gives a field row its field
        ws.write_string(r, 0, row.key)
        ws.write_string(r, 1, row.text, self.style["label"])
        chosen = at in self.highlight
        style = self.style["choose" if chosen else "answer"]
        parsed = parse_date(value) if f.kind == "date" and value else None
        if parsed and not chosen:
            ws.write_datetime(r, 2, datetime(parsed.year, parsed.month, parsed.day), self.style["answer-date"])
        elif f.kind == "date" and not value:
            ws.write_blank(r, 2, None, self.style["answer-date"])
        else:
            ws.write_string(r, 2, value, style)
        if f.list:
            self.validation(ws, self.v.lists[f.list], r, 2, r, 2)
        if chosen:
            self.mark(ws, r, 2, at)
        heights = [h for h in (row_height(value, 90), row_height(row.text, 70, bold=True)) if h]
        if heights:
            ws.set_row(r, max(heights))

    def review_section_row(self, ws, r: int, row: Row) -> None:
        ws.write_string(r, 0, row.key)
        ws.write_string(r, 1, row.text, self.style["label"])
        review = self.plan.review if self.plan else None
        comments = review.sections.get(row.key[len(layout.SECTION_KEY):]) if review else None
        heights = []
        for c, key in enumerate(layout.REVIEW_COLUMNS, start=2):
            value = _text(getattr(comments, key) if comments else "")
            ws.write_string(r, c, value, self.style["answer"])
            heights.append(row_height(value, 90 if c == 2 else 60) or 0)
        if max(heights):
            ws.set_row(r, max(heights))

    def mark(self, ws, r: int, c: int, at: str) -> None:
        """Say in a cell's comment why it is orange: what the district must do there."""
        note = self.highlight[at]
        ws.write_comment(r, c, note[:1].upper() + note[1:] + ".", {"author": "docgen"})

    def _priority(self, number: int) -> Priority | None:
        if self.plan and len(self.plan.priorities) >= number:
            return self.plan.priorities[number - 1]
        return None

    # table sheets: title, help, hidden key row, headers, one row per entry

    def table_sheet(self, t: TableSpec) -> None:
        ws = _printable(self.book.add_worksheet(t.sheet))
        columns = layout.table_columns(self.v, t)
        ws.write_string(0, 0, t.title, self.style["title"])
        ws.set_row(0, 21)
        ws.write_string(1, 0, layout.table_help(t), self.style["note"])
        key_row, header_row = layout.KEY_ROW - 1, layout.HEADER_ROW - 1  # XlsxWriter counts rows from 0
        ws.set_row(key_row, None, None, {"hidden": True})
        last = header_row + layout.TABLE_ROWS_PREPARED
        for c, (header, width, spec) in enumerate(columns):
            ws.set_column(c, c, width, self.style["column"])
            ws.write_string(key_row, c, spec.key if spec else layout.PRIORITY_KEY)
            ws.write_string(header_row, c, header, self.style["header"])
            if spec is None:
                ws.data_validation(header_row + 1, c, last, c, {
                    "validate": "list", "source": ["1", "2"], "error_type": "stop",
                    "error_message": "Type 1 or 2 (blank means 1)."})
            elif spec.list:
                self.validation(ws, self.v.lists[spec.list], header_row + 1, c, last, c)
        ws.set_row(header_row, max(row_height(h, w, bold=True) or LINE_PT for h, w, _ in columns))
        ws.freeze_panes(header_row + 1, 0)
        ws.repeat_rows(header_row)  # printed, the column headers head every page
        ws.autofilter(header_row, 0, header_row, len(columns) - 1)
        r = header_row + 1
        for number, rows in self._table_rows(t):
            for i, item in enumerate(rows):
                heights = []
                row_key = f"p{number}.{t.key}[{i}]" if number else f"{t.key}[{i}]"
                for c, (_, width, spec) in enumerate(columns):
                    if spec is None:
                        ws.write_number(r, c, number)
                        continue
                    value = _text(getattr(item, spec.key))
                    at = f"{row_key}.{spec.key}"
                    ws.write_string(r, c, value, self.style["choose" if at in self.highlight else "column"])
                    if at in self.highlight:
                        self.mark(ws, r, c, at)
                    heights.append(row_height(value, width) or 0)
                if max(heights, default=0):
                    ws.set_row(r, max(heights))
                r += 1

    def _table_rows(self, t: TableSpec):
        if not self.plan:
            return []
        if t.scope == "district":
            return [(None, getattr(self.plan, t.key))]
        return [(p.number, getattr(p, t.key)) for p in self.plan.priorities]

    # drop-down lists

    def lists_sheet(self, ws) -> None:
        ws.hide()
        for c, choice in enumerate(self.v.lists.values()):
            ws.write_string(0, c, choice.name)
            for r, value in enumerate(choice.values, start=1):
                ws.write_string(r, c, value)

    def validation(self, ws, choice: ChoiceList, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if choice.name not in self.list_refs:
            c = list(self.v.lists).index(choice.name)
            letter = xl_col_to_name(c)
            self.list_refs[choice.name] = (f"={quote_sheetname(layout.LISTS_SHEET)}!${letter}$2:"
                                           f"${letter}${len(choice.values) + 1}")
        options = {"validate": "list", "source": self.list_refs[choice.name], "ignore_blank": True}
        if choice.strict:
            options.update(error_type="stop", error_message="Choose one of the values in the drop-down list.")
        else:
            options.update(error_type="information",
                           error_message="This is not one of the usual values; it will be kept as typed.")
        ws.data_validation(first_row, first_col, last_row, last_col, options)

    # the first sheets: instructions, and what was carried over from last year

    def start_sheet(self, ws) -> None:
        ws.set_column(0, 0, 120)
        for r, (value, style) in enumerate(_start_lines(self.v)):
            ws.write_string(r, 0, value, self.style[style or "wrap"])
            height = 24 if style == "start-title" else (None if style else row_height(value, 120))
            if height:
                ws.set_row(r, height)

    def carried_sheet(self) -> None:
        """List every piece of last year's text that did not move one-to-one, and where it went."""
        ws = _printable(self.book.add_worksheet(layout.CARRIED_SHEET))
        ws.write_string(0, 0, "Carried over from the plan read", self.style["title"])
        ws.set_row(0, 21)
        ws.write_string(1, 0, "Text that moved to a different prompt, text placed by what it says (\"unsure\": "
                              "confirm it in its orange cell), and text this year's template has no place for. "
                              "Check each row, then delete this sheet when you are done.", self.style["note"])
        widths = (40, 36, 80, 40)
        for c, (header, width) in enumerate(zip(("Came from", "Placed in", "Text", "Note"), widths, strict=False)):
            ws.write_string(2, c, header, self.style["header"])
            ws.set_column(c, c, width)
        for r, item in enumerate(self.carried, start=3):
            style = self.style["wrap" if item.kind == "moved" else "unplaced"]
            values = (item.source, item.destination, item.text, item.note)
            for c, value in enumerate(values):
                ws.write_string(r, c, _text(value), style)
            ws.set_row(r, max(row_height(v, w) or LINE_PT for v, w in zip(values, widths, strict=False)))
        ws.freeze_panes(3, 0)


def _start_lines(v: Variant) -> list[tuple[str, str | None]]:
    """Return the 'Start here' sheet: what to fill, in what order, and how to make the plan."""
    lines = [
        (f"{v.plan_year} District Instructional Prioritization Plan: intake workbook", "start-title"),
        ((f"Fill this workbook, then run docgen to get the official {v.plan_year} plan as Word and PowerPoint files. "
          f"It follows the {v.source}."), None),
        ("", None),
        ("What to fill, in this order", "start-heading"),
    ]
    step = 1
    for item in layout.sheet_order(v):
        if item == layout.REVIEW_SHEET:
            continue
        if isinstance(item, TableSpec):
            extra = f" Put 1 or 2 in the {PRIORITY_COLUMN} column (blank means 1)." if item.scope == "priority" else ""
            line = f"'{item.sheet}': {item.help}{extra}"
        elif item == v.district_sheet:
            line = f"'{item}': the district's name, the date, and who to contact."
        elif item == layout.priority_sheet(1):
            line = (f"'{item}': sections 1-8 of the plan. Each prompt is copied word for word from the guidance; "
                    "answer in the yellow cell beside it.")
        elif item == layout.priority_sheet(2):
            line = f"'{item}': only if the district has a second priority. Leave it blank otherwise."
        else:
            line = f"'{item}': answer each yellow cell; the prompt from the guidance is beside it."
        lines.append((f"{step}. {line}", None))
        step += 1
    return lines + [
        ("", None),
        ("Tips", "start-heading"),
        ("• Alt+Enter starts a new line in a cell; each line becomes its own paragraph.", None),
        (("• Start a line with \"- \" or \"• \" for a bullet, \"1. \" for a numbered list; indent two spaces for a "
          "sub-bullet."), None),
        ("• Cells with a drop-down arrow take one of the listed values.", None),
        (("• Type answers only in the yellow cells: text anywhere else stops the build, naming the cell, so that "
          "nothing you typed is lost."), None),
        ("• Leave the hidden column A alone: it tells docgen which answer is which.", None),
        ("", None),
        ("Make the plan", "start-heading"),
        ("docgen check THIS-WORKBOOK.xlsx   lists what the plan does not yet do that the guidance asks for", None),
        ("docgen build THIS-WORKBOOK.xlsx   writes the Word and PowerPoint plans into the folder output/", None),
        ("", None),
        ("Due", "start-heading"),
        (f"Email the final plan to {v.values['submit_to']} by {v.values['due_date']}.", None),
    ]


def write_table(sheet: str, headers: list[str], rows: list[list], widths: list[int]) -> bytes:
    """Return a one-sheet workbook: a bold, frozen, filterable header row over ``rows`` (summaries, exports).

    Numbers stay numbers; everything else is stored as text, never as a formula.
    """
    return write_tables([(sheet, headers, rows, widths)])


def write_tables(sheets: list[tuple[str, list[str], list[list], list[int]]]) -> bytes:
    """Return a workbook of one such table per (sheet, headers, rows, widths), in order (a records archive's index,
    the intake summary's two sheets)."""
    out, book = _book()
    header, wrap = book.add_format(_STYLES["header"]), book.add_format(_TOP)
    for sheet, headers, rows, widths in sheets:
        ws = book.add_worksheet(sheet)
        for c, (text, width) in enumerate(zip(headers, widths, strict=False)):
            ws.set_column(c, c, width)
            ws.write_string(0, c, text, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue  # an empty cell, not an empty string: filters and COUNTA see nothing there
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    ws.write_number(r, c, value, wrap)
                else:
                    ws.write_string(r, c, _text(value), wrap)
            height = max((row_height(str(v), w) or 0 for v, w in zip(row, widths, strict=False)), default=0)
            if height:
                ws.set_row(r, height)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(headers) - 1, 0))
        ws.set_landscape()  # printed, a summary keeps its columns side by side, its header on every page
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
    book.close()
    return out.getvalue()
