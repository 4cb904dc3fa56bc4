"""Move a plan from one template variant to another (last year's plan -> this year's workbook).

Answers whose field exists in both templates move as they are; answers whose
prompt changed land in the field the new spec's ``carry_over`` names; anything
else is listed, never dropped. Every move that is not one-to-one is recorded
for the workbook's "Carried over" sheet.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, fields

from docgen.model.plan import PRIORITY_TABLES, TABLE_ROWS, Plan
from docgen.variants import Variant

# Choices the district must make again for a new year: left blank and highlighted.
CHOOSE_AGAIN = ("direction",)


@dataclass
class Carried:
    """One piece of text that did not move one-to-one: where it came from, where it went, and why."""

    source: str
    destination: str
    text: str
    note: str
    kind: str = "moved"  # "moved" (to another prompt), "unplaced", "choose again", or "check" (check this: also
    # what a reader of a district's own layout placed by what it says, its note beginning "unsure:")


@dataclass
class Moved:
    plan: Plan
    carried: list[Carried]
    highlight: dict[str, str]  # Plan.where key of a cell the district must fill ("p1.direction") -> what to do
    tally: dict[str, int] = field(default_factory=dict)  # a document read: pieces "placed", "unsure", "unplaced"

    def to_do(self, variant: Variant) -> list[str]:
        """Return each highlighted cell as a sentence: where it is and what to do there."""
        return [f"{place_of(variant, key)}: {note}" for key, note in sorted(self.highlight.items())]


def carry(plan: Plan, source: Variant, target: Variant, origins: dict[str, str] | None = None) -> Moved:
    """Return ``plan`` moved into ``target``'s fields, with what moved differently and what needs a choice."""
    origins = origins or {}
    new = copy.deepcopy(plan)
    new.variant = target.id
    new.where = {}
    carried: list[Carried] = []
    highlight: dict[str, str] = {}
    same = source.id == target.id
    if not same:
        new.district.school_year = target.school_year
        if plan.district.date:  # kept, so nothing the district typed is lost, but marked: it is last year's
            carried.append(Carried(f"{source.plan_year} plan, 'Date'", place_of(target, "district.date"),
                                   plan.district.date, "check this: last year's date; put this plan's", "check"))
            highlight["district.date"] = f"check this: last year's date ({plan.district.date}); put this plan's"
    new.answers = _move(plan.answers, source, target, "district", None, origins, carried)
    for old, priority in zip(plan.priorities, new.priorities, strict=False):
        answers = _as_rows(old.answers, priority, source, target, origins, carried)
        priority.answers = _move(answers, source, target, "priority", priority.number, origins, carried)
        if not same:
            for key in CHOOSE_AGAIN:
                if target.field(key) is not None:
                    if priority.answers.get(key):
                        carried.append(Carried(_origin(origins, priority.number, key, source),
                                               _place(target, priority.number, key), priority.answers[key],
                                               "last year's choice; choose again for this year", "choose again"))
                    priority.answers[key] = ""
                    highlight[f"p{priority.number}.{key}"] = "choose again for this year"
        for table in PRIORITY_TABLES:
            _drop_columns(getattr(priority, table), table, source, target, priority.number, carried)
    _drop_columns(new.schools, "schools", source, target, None, carried)
    _drop_columns(new.curricula, "curricula", source, target, None, carried)
    carried += _evidence(plan, source, target)
    new.checkins = []  # last year's check-ins are last year's: they come along as evidence, not as this year's
    return Moved(new, carried, highlight)


def _evidence(plan: Plan, source: Variant, target: Variant) -> list[Carried]:
    """List last year's check-ins, benchmark by benchmark, beside the prompt asking what changes and why.

    "What will be the same or different this school year, and why" is then
    written from the year's data, not from memory.
    """
    from docgen.model.progress import benchmarks_of, long_date

    found = []
    for item in benchmarks_of(plan):
        if not item.checkins:
            continue
        lines = [f"{long_date(c.date)}: {c.value} ({c.status or 'no status'})" + (f"; {c.note}" if c.note else "")
                 for c in item.checkins]
        number = min(item.priority.number, 2)
        place = _place(target, number, "direction_rationale") if target.field("direction_rationale") else "not placed"
        found.append(Carried(f"{source.plan_year} check-ins, {item.title}: {item.benchmark.benchmark}", place,
                             "\n".join(lines), "last year's evidence: write what will be the same or different, "
                             "and why, from it", "check"))
    return found


def _as_rows(answers: dict, priority, source: Variant, target: Variant, origins: dict[str, str],
             carried: list[Carried]) -> dict:
    """Turn lines of an answer whose prompt this year is a table ("other outcomes" -> Outcomes) into its rows.

    Only lines that clearly are rows (a measure with a number from/to) move;
    each is listed to check, and the rest of the answer is left to _move.
    """
    from docgen.read.word_rows import outcome_row

    left = dict(answers)
    for key, value in answers.items():
        table = target.carry_over.get(key)
        if table != "outcomes" or not value or target.field(key) is not None:
            continue
        kept = []
        for line in value.split("\n"):
            row = outcome_row(re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", line), target)
            if row is None:
                kept.append(line)
                continue
            row.accountability = row.accountability or "No"  # "other outcomes": beyond the accountability targets
            priority.outcomes.append(row)
            carried.append(Carried(_origin(origins, priority.number, key, source),
                                   f"Priority {priority.number}, {target.tables[table].sheet}, row "
                                   f"{len(priority.outcomes)}", line, "check this: the "
                                   f"{target.plan_year} template asks for it as a row of this table", "check"))
        left[key] = "\n".join(kept)
    return left


def _move(answers: dict, source: Variant, target: Variant, scope: str, number: int | None,
          origins: dict[str, str], carried: list[Carried]) -> dict[str, str]:
    keys = {f.key for s in target.sections_in(scope) for f in s.fields}
    result = {key: "" for key in keys}
    for key, value in answers.items():
        if not value:
            continue
        if key in keys:
            result[key] = value if not result[key] else f"{result[key]}\n{value}"
            continue
        new_key = target.carry_over.get(key)
        where = _origin(origins, number, key, source)
        if new_key in keys:
            result[new_key] = value if not result[new_key] else f"{result[new_key]}\n{value}"
            carried.append(Carried(where, _place(target, number, new_key), value,
                                   f"the {target.plan_year} template asks this under another prompt"))
        else:
            carried.append(Carried(where, "not placed", value,
                                   f"the {target.plan_year} template has no prompt for it; copy what still "
                                   "applies into the plan", "unplaced"))
    return result


def _drop_columns(rows, table: str, source: Variant, target: Variant, number, carried: list[Carried]) -> None:
    """List table cells whose column the target template does not have, then blank them."""
    spec = target.tables.get(table)
    kept = {c.key for c in spec.columns} if spec else set()
    for i, row in enumerate(rows, start=1):
        for f in fields(TABLE_ROWS[table]):
            value = getattr(row, f.name)
            if value and f.name not in kept:
                where = f"{source.tables[table].title if table in source.tables else table}, row {i}"
                carried.append(Carried(f"{where} ({f.name})", "not placed", value,
                                       f"the {target.plan_year} template has no such column", "unplaced"))
                setattr(row, f.name, "")


def _origin(origins: dict[str, str], number: int | None, key: str, source: Variant) -> str:
    found = origins.get(f"p{number}.{key}" if number else f"answers.{key}")
    if found:
        return found
    spec = source.field(key)
    label = source.text(spec.label, number=number or 1).split("\n")[0] if spec else key
    return f"{source.plan_year} plan, " + (f"Priority #{number}: " if number else "") + f"'{label}'"


def _place(target: Variant, number: int | None, key: str) -> str:
    spec = target.field(key)
    label = target.text(spec.label, number=number or 1).split("\n")[0] if spec else key
    return (f"Priority {number}" if number else "district") + f": '{label}'"


def place_of(target: Variant, key: str) -> str:
    """Return a Plan.where key in words: "Priority 1: 'This year the district will'", "Schools, row 2: 'Grades'"."""
    head, _, field = key.rpartition(".")
    table = re.fullmatch(r"(?:p(\d+)\.)?(\w+)\[(\d+)\]", head)
    if table and table.group(2) in target.tables:
        spec = target.tables[table.group(2)]
        column = next((c for c in spec.columns if c.key == field), None)
        priority = f"Priority {table.group(1)}, " if table.group(1) else ""
        return (f"{priority}{spec.sheet}, row {int(table.group(3)) + 1}: "
                f"'{target.text(column.header) if column else field}'")
    if head == "district":
        known = next((f for f in target.district_fields if f.key == field), None)
        return f"{target.district_sheet}: '{target.text(known.label) if known else field}'"
    number = int(head[1:]) if re.fullmatch(r"p\d+", head) else None
    return _place(target, number, field)
