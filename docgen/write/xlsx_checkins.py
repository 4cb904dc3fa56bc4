"""Write the intake workbook's Check-ins sheet: one row per check-in, the plan's benchmarks to pick from.

The sheet's columns and its help text are the reader's (read/checkins_sheet.py), so what is written is what
is read back.
"""

from __future__ import annotations

from docgen.model import progress
from docgen.model.plan import STATUSES, Plan
from docgen.read import layout
from docgen.read.checkins_sheet import COLUMNS, HELP, SHEET


def write(book, styles: dict, plan: Plan | None) -> None:
    """Add the Check-ins sheet to an XlsxWriter ``book``, with the plan's check-ins and its benchmarks to choose."""
    from xlsxwriter.utility import quote_sheetname, xl_col_to_name  # only the writer loads XlsxWriter

    ws = book.add_worksheet(SHEET)
    ws.write_string(0, 0, "Check-ins on the interim benchmarks", styles["title"])
    ws.write_string(1, 0, HELP, styles["note"])
    header = layout.HEADER_ROW - 1
    last = header + layout.TABLE_ROWS_PREPARED
    for c, (_, heading, width) in enumerate(COLUMNS):
        ws.set_column(c, c, width, styles["column"])
        ws.write_string(header, c, heading, styles["header"])
    labels = [progress.checkin_label(item) for item in progress.benchmarks_of(plan)] if plan else []
    if labels:  # the choices sit in a hidden column of this sheet: they are the plan's, not the variant's
        hidden = len(COLUMNS) + 1
        for r, label in enumerate(labels):
            ws.write_string(r, hidden, label)
        ws.set_column(hidden, hidden, None, None, {"hidden": True})
        column = xl_col_to_name(hidden)
        source = f"={quote_sheetname(SHEET)}!${column}$1:${column}${len(labels)}"
        ws.data_validation(header + 1, 0, last, 0, {"validate": "list", "source": source, "error_type": "information",
                                                    "error_message": "Pick a benchmark of the plan, or type P1 B2."})
    ws.data_validation(header + 1, 3, last, 3, {"validate": "list", "source": list(STATUSES), "error_type": "stop",
                                                "error_message": "Choose On track, Not yet or Off track."})
    ws.freeze_panes(header + 1, 0)
    by_key = {(item.priority.number, item.number): progress.checkin_label(item)
              for item in (progress.benchmarks_of(plan) if plan else [])}
    for r, checkin in enumerate(plan.checkins if plan else [], start=header + 1):
        label = by_key.get((checkin.priority, checkin.benchmark), f"P{checkin.priority} B{checkin.benchmark}")
        for c, value in enumerate((label, checkin.date, checkin.value, checkin.status, checkin.note)):
            ws.write_string(r, c, value, styles["column"])
