"""Write the intake workbook for a variant, blank or filled from a Plan, and the batch summary workbook.

This is the only module that imports openpyxl, and only commands that write a
workbook load it. Every answer cell sits beside its prompt; a hidden column A
holds each answer's field key, so the reader (sources.workbook) finds answers
even after a person inserts rows. Tables live on their own sheets with a
hidden key row above the header row and one row per entry.
"""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from ..model import Plan, Priority
from ..variants import ChoiceList, FieldSpec, TableSpec, Variant
from .workbook import (
    CARRIED_SHEET,
    KEY_ROW,
    LISTS_SHEET,
    MAX_PRIORITIES,
    PRIORITY_COLUMN,
    PRIORITY_KEY,
    REVIEW_COLUMNS,
    REVIEW_FIELDS,
    REVIEW_SHEET,
    SECTION_KEY,
    START_SHEET,
    TABLE_ROWS_PREPARED,
    parse_date,
    priority_sheet,
)

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
