"""Which of the plan's tables a district's own table is, column by column, whatever its headers say.

A goals table headed "Metric | Students | Where | 2024 | 2026 goal" is the
Outcomes table (measure, student group, school, baseline, target); one headed
"Milestone | Level | Owner | When | Evidence of progress" is the Monitoring
table. A column is known by its header, compared with the spec's header and the
guidance's question that asks for it, and by what its cells hold: values of the
column's list (District/School/Classroom, Monthly, English learners), numbers
(a baseline, then a target), school years (the earlier is the baseline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from docgen.read import word_rows
from docgen.read.meaning import plain, words
from docgen.variants import ColumnSpec, TableSpec, Variant

# The guidance's own words for what each column asks ("Who will monitor those? When, and how?", "name both
# the measure and the specific target", "what would you expect to see ... that would signal ... on track").
ASKS = {
    "measure": "measure metric indicator assessment data outcome goal area",
    "student_group": "student group subgroup population students",
    "school": "school district building site",
    "baseline": "baseline current starting point last year results",
    "target": "target goal annual expected",
    "accountability": "accountability target",
    "benchmark": "interim benchmark milestone measure indicator data point progress",
    "level": "level",
    "monitored_by": "who monitor responsible lead owner person role",
    "frequency": "when how often frequency timeline timing schedule cadence",
    "on_track": "on track midyear expect see signal evidence success looks",
    "actions": "actions support additional differentiated how advance",
    "subject": "subject content area",
    "grades": "grade grades",
    "status": "status stage",
    "description": "description efforts",
    "name": "school name",
    "org_code": "code",
    "category": "accountability category",
}
NUMBER = re.compile(r"^\s*[<>≤≥~]?\s*\d+(?:\.\d+)?\s*(?:%|percent|pts|points)?\s*$", re.IGNORECASE)
YEAR = re.compile(r"\b(?:SY|FY)?\s*'?(20)?(\d\d)(?:\s*[-–/]\s*(?:20)?(\d\d))?\b")


@dataclass
class TableReading:
    """A district table read as one of the spec's: which, and which spec column each of its columns is."""

    key: str
    columns: list[ColumnSpec | None]  # by the district table's column
    header_rows: int  # rows of headers above the data
    score: float


def read(rows: list[list[str]], v: Variant, keys: tuple[str, ...]) -> TableReading | None:
    """Return the spec table (among ``keys``) a district table is, or None when it is none of them."""
    if len(rows) < 2 or max(len(r) for r in rows) < 2:
        return None
    headers, body = rows[0], rows[1:]
    best = None
    for key in keys:
        spec = v.tables[key]
        columns, score = _columns(headers, body, spec, v)
        matched = [c for c in columns if c is not None]
        if len(matched) < min(2, len(spec.columns)) or spec.columns[0] not in matched:
            continue
        share = score / max(len(headers), 2)
        if best is None or share > best.score:
            best = TableReading(key, columns, 0 if _is_data(headers, columns, v) else 1, share)
    return best if best is not None and best.score >= 0.35 else None


def _is_data(row: list[str], columns: list, v: Variant) -> bool:
    """True when a table's first row is a row of data, not headers: it holds numbers or values of the lists."""
    for cell, column in zip(row, columns, strict=False):
        if column is None or not cell.strip():
            continue
        if NUMBER.match(cell) or (column.list and column.list != "yes_no" and meant(v, column.list, cell)):
            return True
    return False


def _columns(headers: list[str], body: list[list[str]], spec: TableSpec, v: Variant):
    """Return the best spec column for each district column, and the summed confidence."""
    scores: list[tuple[float, int, ColumnSpec]] = []
    for i, header in enumerate(headers):
        cells = [row[i] for row in body if i < len(row) and row[i].strip()]
        for column in spec.columns:
            scores.append((_score(header, cells, column, v), i, column))
    _years(headers, spec, scores)
    chosen: list[ColumnSpec | None] = [None] * len(headers)
    taken, total = set(), 0.0
    for score, i, column in sorted(scores, key=lambda s: -s[0]):
        if score < 0.5 or chosen[i] is not None or column.key in taken:
            continue
        chosen[i], total = column, total + score
        taken.add(column.key)
    left = [c for c in spec.columns if c.key not in taken]
    open_ = [i for i, c in enumerate(chosen) if c is None]
    if len(left) == 1 and len(open_) == 1 and taken and not left[0].list:  # the one column left is the other one
        chosen[open_[0]], total = left[0], total + 0.5
    return chosen, total


def _score(header: str, cells: list[str], column: ColumnSpec, v: Variant) -> float:
    """Return how surely a district column (its header and cells) is ``column`` (0-1)."""
    name = plain(v.text(column.header))
    said = plain(header)
    by_header = max(fuzz.token_sort_ratio(said, name) / 100, _asks(said, column.key))
    by_cells = _cells(cells, column, v)
    return max(by_header, by_cells, 0.6 * by_header + 0.6 * by_cells)


def _asks(header: str, key: str) -> float:
    mine = set(words(header))
    wanted = set(words(ASKS.get(key, "")))
    if not mine or not wanted:
        return 0.0
    return 0.8 * len(mine & wanted) / len(mine)


def _cells(cells: list[str], column: ColumnSpec, v: Variant) -> float:
    """Return the share of cells that hold what ``column`` holds (its list's values, numbers, grades)."""
    if not cells:
        return 0.0
    if column.list:
        choices = v.lists[column.list]
        hits = sum(1 for c in cells if meant(v, column.list, c) or (
            column.list == "student_group" and word_rows._named(c, word_rows.GROUPS, choices.values)))
        if column.list == "subject":
            hits = sum(1 for c in cells if word_rows._named(c, word_rows.SUBJECTS, tuple(word_rows.SUBJECTS)))
        return 0.8 * hits / len(cells)
    if column.key == "school":  # "District", or a school's name
        return 0.7 * sum(1 for c in cells if re.search(r"\b(?:school|academy|district|elementary|high|middle)\b",
                                                       c, re.IGNORECASE)) / len(cells)
    if column.key in ("baseline", "target"):
        return 0.55 * sum(1 for c in cells if NUMBER.match(c)) / len(cells)
    if column.key == "grades":
        return 0.7 * sum(1 for c in cells if word_rows.grades_in(f"grades {c}")) / len(cells)
    return 0.0


_MEANT: dict[tuple[str, str, str], str | None] = {}


def meant(v: Variant, list_name: str, cell: str) -> str | None:
    """Return the value of the list a cell's first line means (variants.Choices.meant), remembered: it is slow."""
    key = (v.id, list_name, cell.split("\n")[0].lstrip("- "))
    if key not in _MEANT:
        if len(_MEANT) > 50_000:
            _MEANT.clear()
        _MEANT[key] = v.lists[list_name].meant(key[2])
    return _MEANT[key]


def _years(headers: list[str], spec: TableSpec, scores: list) -> None:
    """Headers naming school years: the earlier year's column is the baseline, the later one's the target."""
    keys = {c.key: c for c in spec.columns}
    if "baseline" not in keys or "target" not in keys:
        return
    dated = []
    for i, header in enumerate(headers):
        found = YEAR.search(header)
        if found and (found.group(1) or found.group(3) or re.search(r"SY|FY|'", found.group(0))):
            dated.append((int(found.group(3) or found.group(2)), i))
    if len(dated) >= 2:
        dated.sort()
        scores.append((0.85, dated[0][1], keys["baseline"]))
        scores.append((0.85, dated[-1][1], keys["target"]))


def label_rows(rows: list[list[str]]) -> bool:
    """True for a two-column table of labels and answers (short cells on the left, the answers on the right)."""
    if not rows or any(len(r) != 2 for r in rows):
        return False
    left = [r[0] for r in rows if r[0].strip()]
    return bool(left) and all(is_label(c) for c in left) and any(r[1].strip() for r in rows)


def is_label(cell: str) -> bool:
    """True for a cell short enough to name what the cell beside it answers (one line, at most 20 words)."""
    return bool(cell.strip()) and "\n" not in cell.strip() and len(cell.split()) <= 20
