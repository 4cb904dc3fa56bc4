"""A plan as received from a district: what its reading placed, was unsure of, and could not place; moving a piece.

``docgen intake`` counts these for the region summary, and the web app
shows them for a person to confirm. A piece is one answer or one table row of
the district's text. The reader's own count (``Moved.tally``) is used when it
gives one; otherwise it is counted here from what the plan holds and from the
Carried-over list's kinds. An unsure piece is found in the plan by its text,
so confirming or moving it works whatever key the reader recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields

from docgen.model.plan import PRIORITY_TABLES, District, Plan
from docgen.read import plan_edits
from docgen.variants import Variant

UNSURE_KINDS = ("unsure", "check")  # placed, and the reader asks a person to confirm where
UNPLACED_KINDS = ("unplaced",)  # kept in the Carried-over list, in no field
ROW = re.compile(r"^(?:p(?P<number>\d+)\.)?(?P<table>[a-z_]+)\[(?P<index>\d+)\]$")  # "p1.outcomes[4]": a whole row
MIN_CELL = 12  # a row was read from a piece when a cell this long (or longer) is part of the piece's text


@dataclass(frozen=True)
class Piece:
    """One piece of district text a person should look at: where it came from, where it sits, and why."""

    kind: str  # "unsure" or "unplaced"
    source: str
    destination: str
    text: str
    note: str
    field: str = ""  # the form field holding it ("p1.statement", "district.date"), or the row read from it
    # ("p1.outcomes[4]"); "" when none does


def tally(moved) -> dict[str, int]:
    """Return {"placed", "unsure", "unplaced"}: what the reading page lists to confirm and as not placed (the
    reader's unsure pieces and what carrying last year's plan forward asks to check), and the pieces placed (the
    reader's own count when it gives one)."""
    unsure = sum(c.kind in UNSURE_KINDS for c in moved.carried)
    unplaced = sum(c.kind in UNPLACED_KINDS for c in moved.carried)
    given = getattr(moved, "tally", None)
    placed = int(given.get("placed", 0)) if given else max(_filled(moved.plan) - unsure, 0)
    return {"placed": placed, "unsure": unsure, "unplaced": unplaced}


def pieces(moved, variant: Variant) -> list[Piece]:
    """Return the unsure pieces (each with the form field that now holds its text) and the unplaced ones."""
    holders = list(text_fields(moved.plan, variant))
    found = []
    for carried in moved.carried:
        if carried.kind in UNSURE_KINDS:
            field = _holder(holders, carried.text)
            found.append(Piece("unsure", carried.source, carried.destination, carried.text, carried.note, field))
        elif carried.kind in UNPLACED_KINDS:
            found.append(Piece("unplaced", carried.source, carried.destination, carried.text, carried.note))
    return found


def locate(plan: Plan, variant: Variant, text: str) -> str:
    """Return the field holding ``text`` in ``plan`` now, or the table row read from it ("" when none does)."""
    return _holder(list(text_fields(plan, variant)), text)


def text_fields(plan: Plan, variant: Variant) -> Iterator[tuple[str, str]]:
    """Yield (form field name, text) of every filled cover field, answer and table cell of ``plan``."""
    for spec in fields(District):
        value = getattr(plan.district, spec.name)
        if value and isinstance(value, str) and spec.name not in ("name", "school_year"):
            yield f"district.{spec.name}", value
    for key, value in plan.answers.items():
        yield f"answers.{key}", value
    for priority in plan.priorities:
        for key, value in priority.answers.items():
            yield f"p{priority.number}.{key}", value
        for table in PRIORITY_TABLES:
            yield from _cells(getattr(priority, table), table, variant, f"p{priority.number}.")
    for table, table_spec in variant.tables.items():
        if table_spec.scope != "priority" and hasattr(plan, table):
            yield from _cells(getattr(plan, table), table, variant, "")


def answer_fields(plan: Plan, variant: Variant) -> list[tuple[str, str]]:
    """Return (form field name, "section: label") of every answer a piece may be moved to, in the plan's order."""
    found = []
    for number in [None, *(p.number for p in plan.priorities)]:
        for section in variant.sections_in("priority" if number else "district"):
            heading = variant.text(section.heading, number=number or 1).split("\n")[0]
            where = f"Priority {number}, {heading}" if number else heading
            for spec in section.fields:
                if spec.kind == "text":
                    label = variant.text(spec.label, number=number or 1).split("\n")[0]
                    found.append((f"p{number}.{spec.key}" if number else f"answers.{spec.key}", f"{where}: {label}"))
    return found


def move(plan: Plan, variant: Variant, text: str, source: str, target: str) -> Plan:
    """Return ``plan`` with ``text`` taken out of ``source`` (a field, or the table row read from it: removed) and
    added, as its own paragraph, to the answer ``target``."""
    row = ROW.match(source)
    if row:
        number = int(row["number"]) if row["number"] else None
        plan = plan_edits.remove_row(plan, variant, row["table"], int(row["index"]), number)
    elif source:
        held = plan_edits.value_of(plan, variant, source) or ""
        if text in held:
            plan = plan_edits.apply(plan, variant, source, _without(held, text))
    there = plan_edits.value_of(plan, variant, target) or ""
    return plan_edits.apply(plan, variant, target, f"{there.rstrip()}\n\n{text}" if there.strip() else text)


def _without(held: str, text: str) -> str:
    """Return ``held`` with one occurrence of ``text`` removed and the blank lines it leaves tidied."""
    rest = held.replace(text, "", 1)
    return "\n\n".join(p.strip() for p in rest.split("\n\n") if p.strip())


def _cells(rows, table: str, variant: Variant, prefix: str) -> Iterator[tuple[str, str]]:
    spec = variant.tables.get(table)
    for index, row in enumerate(rows):
        for column in spec.columns if spec else ():
            value = getattr(row, column.key, "")
            if value:
                yield f"{prefix}{table}[{index}].{column.key}", str(value)


def _holder(holders: list[tuple[str, str]], text: str) -> str:
    """Return the field whose text is ``text`` (or holds it), else the table row read from it, else ""."""
    text = text.strip()
    if not text:
        return ""
    exact = next((name for name, value in holders if value.strip() == text), "")
    inside = exact or next((name for name, value in holders if text in value), "")
    if inside:
        return inside
    folded = text.casefold()
    rows = [(name.rpartition(".")[0], len(value)) for name, value in holders
            if ROW.match(name.rpartition(".")[0]) and len(value) >= MIN_CELL and value.casefold() in folded]
    return max(rows, key=lambda row: row[1])[0] if rows else ""


def _filled(plan: Plan) -> int:
    """Return how many answers and table rows of ``plan`` hold district text (the cover's fields not counted)."""
    count = sum(bool(str(v).strip()) for v in plan.answers.values())
    for priority in plan.priorities:
        count += sum(bool(str(v).strip()) for v in priority.answers.values())
        count += sum(len(getattr(priority, table)) for table in PRIORITY_TABLES)
    return count + len(plan.schools) + len(plan.curricula)
