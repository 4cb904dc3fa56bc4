"""What importing last year's Word plan adds to the Carried over sheet beyond moved answers.

carryover.py moves a plan between templates; this module lists what the Word reader noticed on the way, so
the district sees every piece of its text and where it went: an answer that sat below several prompts
(filed under the nearest, every prompt it may answer marked "check this"), a column the district added to
a table (kept row by row, in a column of this year's table whose header it is, else listed), a list item
read as a table row (the row, and the original text), and the file's comments.
"""

from __future__ import annotations

import re

from docgen.read import word_rows
from docgen.read.carryover import Carried, Moved, place_of
from docgen.variants import Variant


def add(found, moved: Moved, target: Variant, name: str) -> None:
    """Add to ``moved`` the Carried over lines (and orange cells) for what ``found`` noticed in file ``name``."""
    for key, others, under in found.shared:
        _shared(moved, target, name, key, others, under)
    for key, where, header, value in found.extra_cells:
        _extra_cell(moved, target, name, key, where, header, value)
    for key, where, value in found.as_rows:
        moved.carried.append(Carried(f"{name}, {where}", _row_place(target, key), value,
                                     "check this: typed as a list item where the template has a table; read as "
                                     "this row", "check"))
    for key, where, value in found.outside:
        placed = _answer_key(target, key)
        moved.carried.append(Carried(f"{name}, {where}",
                                     place_of(target, placed) if placed else "not placed", value,
                                     "check this: typed between sections, below the answer box; added to this answer",
                                     "check"))
    for author, value in found.comments:
        moved.carried.append(Carried(f"{name}, a comment by {author}", "not placed", value,
                                     "a comment in last year's file, not part of the plan", "unplaced"))


def add_unsure(found, moved: Moved, target: Variant, name: str) -> None:
    """List each placement the reader is unsure of (a "check" row whose note begins "unsure:"); mark its cell."""
    for key, where, value, why in found.unsure:
        if key.endswith("]"):  # a row: named by its first column
            spec = target.tables.get(re.sub(r"^p\d+\.|\[\d+\]$", "", key))
            cell = f"{key}.{spec.columns[0].key}" if spec is not None else key
            moved.highlight.setdefault(cell, "unsure: confirm this row (see the Carried over sheet)")
        else:
            cell = key
            moved.highlight.setdefault(key, "unsure: confirm what was placed here (see the Carried over sheet)")
        moved.carried.append(Carried(f"{name}, {where}", place_of(target, cell), value, f"unsure: {why}", "check"))


def _answer_key(target: Variant, key: str) -> str:
    """Return the plan key an answer of last year's template lands under in ``target`` ("" if none)."""
    head, _, field = key.partition(".")
    field = field if target.field(field) is not None else target.carry_over.get(field, "")
    return f"{head}.{field}" if field else ""


def _answer(moved: Moved, key: str) -> str:
    head, _, field = key.partition(".")
    if head == "answers":
        return moved.plan.answers.get(field, "")
    number = int(head[1:])
    return next((p.answers.get(field, "") for p in moved.plan.priorities if p.number == number), "")


def _label(target: Variant, key: str) -> str:
    spec = target.field(key.partition(".")[2])
    return target.text(spec.label).split("\n")[0] if spec else key


def _shared(moved: Moved, target: Variant, name: str, key: str, others: tuple[str, ...], under: str) -> None:
    """One answer below several prompts: filed under the nearest; every prompt it may answer, if blank, listed."""
    placed = _answer_key(target, key)
    blank = [k for k in dict.fromkeys(_answer_key(target, o) for o in others) if k and k != placed
             and not _answer(moved, k)]
    if not placed or not blank:
        return
    value, here = _answer(moved, placed), _label(target, placed)
    also = "; ".join(f"'{_label(target, k)}'" for k in blank)
    moved.carried.append(Carried(f"{name}, {under}", place_of(target, placed), value,
                                 f"check this: last year's one answer sat below several prompts; it is here, under "
                                 f"the nearest; part of it may answer {also}", "check"))
    for other in blank:
        moved.carried.append(Carried(f"{name}, {under}", place_of(target, other), value,
                                     f"check this: left blank; last year's answer, placed under '{here}', may answer "
                                     "this prompt too: copy what does", "check"))
        moved.highlight[other] = f"check this: last year's answer placed under '{here}' may answer this too"


def _row(moved: Moved, key: str):
    found = re.fullmatch(r"(?:p(\d+)\.)?(\w+)\[(\d+)\]", key)
    if not found:
        return None
    number, table, index = found.group(1), found.group(2), int(found.group(3))
    if number:
        owner = next((p for p in moved.plan.priorities if p.number == int(number)), None)
        rows = getattr(owner, table, []) if owner else []
    else:
        rows = getattr(moved.plan, table, [])
    return rows[index] if index < len(rows) else None


def _row_place(target: Variant, key: str) -> str:
    table = re.fullmatch(r"(?:p\d+\.)?(\w+)\[\d+\]", key)
    spec = target.tables.get(table.group(1)) if table else None
    return place_of(target, f"{key}.{spec.columns[0].key}").rpartition(": '")[0] if spec else key


def _extra_cell(moved: Moved, target: Variant, name: str, key: str, where: str, header: str, value: str) -> None:
    """A cell of a column the district added: into this year's column of that name if empty, else listed."""
    table = re.fullmatch(r"(?:p\d+\.)?(\w+)\[\d+\]", key)
    spec = target.tables.get(table.group(1)) if table else None
    row = _row(moved, key)
    column = word_rows.column_for(header, spec.columns, target, set()) if spec and row is not None else None
    source = f"{name}, {where}: '{header}'"
    if column is not None and not getattr(row, column.key):
        setattr(row, column.key, value)
        moved.carried.append(Carried(source, place_of(target, f"{key}.{column.key}"), value,
                                     f"a column added to last year's table; the {target.plan_year} template has it"))
        return
    moved.carried.append(Carried(source, "not placed", value,
                                 f"a column added to last year's table ('{header}'); the {target.plan_year} template "
                                 "has no such column: copy what still applies into this row", "unplaced"))
