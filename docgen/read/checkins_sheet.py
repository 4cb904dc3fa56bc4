"""The intake workbook's Check-ins sheet: what the data showed on each interim benchmark, through the year.

One row per check-in: the benchmark (chosen from a drop-down of the plan's
benchmarks, "P1 B2: Learning walks show ...", or typed as "P1 B2"), the
date, what the data showed, a status (On track, Not yet, Off track) and
what the district will adjust. The sheet is optional: a workbook without it
reads as before. A check-in never changes the plan; it travels with it.
"""

from __future__ import annotations

import re

from docgen.model import progress, values
from docgen.model.plan import STATUSES, CheckIn, Plan
from docgen.read import layout
from docgen.read.cells import Cell
from docgen.read.reading import Reading

SHEET = "Check-ins"
COLUMNS = (("benchmark", "Benchmark", 48), ("date", "Date", 16), ("value", "What the data showed", 30),
           ("status", "Status", 14), ("note", "What we will adjust", 50))
HELP = ("One row per check-in on an interim benchmark of the Monitoring sheet. Benchmark: pick it from the list, or "
        "type P1 B2 for Priority #1's second benchmark. Status: On track, Not yet or Off track. A check-in never "
        "changes the plan; `docgen progress` writes the midyear progress report from these rows.")
_CHOICE = re.compile(r"\s*P\s*(\d)\s*[ ,.-]?\s*B\s*(\d{1,2})\b", re.IGNORECASE)


def read(reading: Reading, plan: Plan) -> list[CheckIn]:
    """Return the check-ins on the sheet (none when there is no sheet); note each bad cell as a problem."""
    if SHEET not in reading.book.sheetnames:
        return []
    known = {(item.priority.number, item.number) for item in progress.benchmarks_of(plan)}
    found = []
    for r, row in enumerate(reading.book.rows(SHEET)[layout.HEADER_ROW:], start=layout.FIRST_DATA_ROW):
        cells = [Cell(row[c] if c < len(row) else None, r, c + 1, SHEET) for c in range(len(COLUMNS))]
        texts = [reading.cell_text(cell) for cell in cells]
        if not any(t.strip() for t in texts):
            continue
        checkin = _checkin(reading, cells, texts, known)
        if checkin is not None:
            found.append(checkin)
    return found


def _checkin(reading: Reading, cells: list[Cell], texts: list[str], known: set) -> CheckIn | None:
    benchmark, day, value, status, note = (" ".join(t.split()) if i == 0 else t for i, t in enumerate(texts))
    choice = _CHOICE.match(benchmark)
    if not choice or (int(choice.group(1)), int(choice.group(2))) not in known:
        reading.problem(f"'{values.shown(benchmark)}' is not a benchmark of the plan; pick one from the list (or type "
                        "P1 B2 for Priority #1's second benchmark on the Monitoring sheet)", SHEET, cells[0].coordinate)
        return None
    typed, problems = values.checkin(day, value, status, note, STATUSES)
    for key, problem in problems.items():  # the same rules as the Progress page, named by cell
        column = next(c for c, (name, _, _) in enumerate(COLUMNS) if name == key)
        reading.problem(f"{values.CHECKIN_LABELS[key]}: {problem}", SHEET, cells[column].coordinate)
    return CheckIn(int(choice.group(1)), int(choice.group(2)), typed["date"], typed["value"], typed["status"],
                   typed["note"])
