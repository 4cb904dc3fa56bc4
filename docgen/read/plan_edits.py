"""Read the web form into the plan: one field at a time, checked as strictly as a workbook cell.

The form is generated from the variant spec, so its field names follow the
plan model: ``district.name``, ``answers.profiles_confirmed``,
``p1.statement``, ``schools[0].grades``, ``p2.benchmarks[1].level``. Each
value goes through sources.values, the rules the workbook reader applies, so
what a workbook cell refuses (a choice not in its list, two email addresses,
text longer than a cell) is refused here in the same words, naming the field.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, replace
from typing import Any

from docgen.errors import DocgenError, ValueRefused
from docgen.model import values
from docgen.model.plan import PRIORITY_TABLES, TABLE_ROWS, District, Plan, Priority
from docgen.read import sizes
from docgen.read.layout import MAX_PRIORITIES
from docgen.variants import ColumnSpec, FieldSpec, Variant

MAX_ROWS = sizes.MAX_ROWS  # rows of one table, as every door into a plan allows
_NAME = re.compile(r"^(?:p(?P<number>\d)\.)?(?P<key>[a-z_]+)(?:\[(?P<index>\d{1,4})\]\.(?P<column>[a-z_]+))?$")


class FieldProblem(DocgenError):
    """A value the form cannot take, with the field it was typed in."""

    def __init__(self, name: str, message: str):
        self.name, self.message = name, message
        super().__init__(f"{name}: {message}")


@dataclass(frozen=True)
class Field:
    """Where a form field's value lives in the plan, and the spec that says what it may hold."""

    name: str
    scope: str  # "district", "answers", "priority", "table"
    key: str
    spec: FieldSpec | ColumnSpec
    number: int | None = None
    table: str | None = None
    index: int | None = None


def new_plan(variant: Variant, district: str, org_code: str = "") -> Plan:
    """Return an empty plan for a district: its name and the variant's school year, one priority."""
    return Plan(variant=variant.id, district=District(name=district, org_code=org_code,
                                                      school_year=variant.school_year),
                priorities=[Priority(number=1)])


def locate(variant: Variant, name: str) -> Field:
    """Return the Field a form name refers to; raise FieldProblem for a name the spec has no field for."""
    name = name or ""
    scope, _, key = name.partition(".")
    if scope == "district":
        spec = next((f for f in variant.district_fields if f.key == key), None)
    elif scope == "answers":
        spec = next((f for s in variant.sections_in("district") for f in s.fields if f.key == key), None)
    else:
        return _locate_priority_or_table(variant, name)
    if spec is None:
        raise FieldProblem(name, "no such field in this plan")
    return Field(name, scope, spec.key, spec)


def _locate_priority_or_table(variant: Variant, name: str) -> Field:
    match = _NAME.match(name)
    if not match:
        raise FieldProblem(name, "no such field in this plan")
    number = int(match["number"]) if match["number"] else None
    key, column = match["key"], match["column"]
    if number is not None and not 1 <= number <= MAX_PRIORITIES:
        raise FieldProblem(name, f"a plan has at most {MAX_PRIORITIES} priorities")
    if column is not None:
        table = variant.tables.get(key)
        column_spec = next((c for c in table.columns if c.key == column), None) if table else None
        if table is None or column_spec is None or (table.scope == "priority") != (number is not None):
            raise FieldProblem(name, "no such column in this plan's tables")
        return Field(name, "table", column, column_spec, number, key, int(match["index"]))
    spec = next((f for s in variant.sections_in("priority") for f in s.fields if f.key == key), None)
    if spec is None or number is None:
        raise FieldProblem(name, "no such field in this plan")
    return Field(name, "priority", spec.key, spec, number)


def clean_value(variant: Variant, field: Field, value: str) -> str:
    """Return ``value`` as the plan stores it, or raise FieldProblem saying what the field takes."""
    try:
        return values.clean(variant, field.spec, value)
    except ValueRefused as exc:
        raise FieldProblem(field.name, str(exc)) from None


def apply(plan: Plan, variant: Variant, name: str, value: str) -> Plan:
    """Return a copy of ``plan`` with the form field ``name`` set to ``value`` (checked).

    Only the objects on the way to the field are copied, so ``plan`` itself is
    unchanged and a save does not copy a whole plan to change one answer.
    """
    field = locate(variant, name)
    value = clean_value(variant, field, value)
    if field.scope == "district":
        return replace(plan, district=replace(plan.district, **{field.key: value}))
    if field.scope == "answers":
        return replace(plan, answers={**plan.answers, field.key: value})
    priorities = list(plan.priorities)
    if field.scope == "priority":
        at = _priority_index(plan, field.number, name)
        priority = priorities[at]
        priorities[at] = replace(priority, answers={**priority.answers, field.key: value})
        return replace(plan, priorities=priorities)
    table, index = _cell(field)
    rows = list(_rows(plan, variant, table, field.number, name))
    if index >= len(rows):
        raise FieldProblem(name, "that row no longer exists; reload the page")
    rows[index] = replace(rows[index], **{field.key: value})
    changed: dict[str, Any] = {table: rows}  # the one table attribute, a list of its row dataclass
    if table in PRIORITY_TABLES:
        at = _priority_index(plan, field.number, name)
        priorities[at] = replace(plan.priorities[at], **changed)
        return replace(plan, priorities=priorities)
    return replace(plan, **changed)


def value_of(plan: Plan, variant: Variant, name: str) -> str | None:
    """Return the text the form field ``name`` holds in ``plan``, or None when its priority or row is not there.

    A save compares it in the version its editor started from and in the
    latest one, to tell whether someone else changed this very field meanwhile.
    """
    field = locate(variant, name)
    try:
        if field.scope == "district":
            return getattr(plan.district, field.key)
        if field.scope == "answers":
            return plan.answers.get(field.key, "")
        if field.scope == "priority":
            return _priority(plan, field.number, name).answers.get(field.key, "")
        table, index = _cell(field)
        rows = _rows(plan, variant, table, field.number, name)
    except FieldProblem:
        return None
    return getattr(rows[index], field.key) if index < len(rows) else None


def add_row(plan: Plan, variant: Variant, table: str, number: int | None = None) -> Plan:
    """Return a copy of ``plan`` with an empty row added to ``table`` (of priority ``number``)."""
    plan = copy.deepcopy(plan)
    rows = _rows(plan, variant, table, number, table)
    if len(rows) >= MAX_ROWS:
        raise FieldProblem(table, f"a table holds at most {MAX_ROWS} rows")
    rows.append(TABLE_ROWS[table]())
    return plan


def remove_row(plan: Plan, variant: Variant, table: str, index: int, number: int | None = None) -> Plan:
    """Return a copy of ``plan`` without row ``index`` of ``table``."""
    plan = copy.deepcopy(plan)
    rows = _rows(plan, variant, table, number, table)
    if not 0 <= index < len(rows):
        raise FieldProblem(table, "that row no longer exists; reload the page")
    del rows[index]
    return plan


def add_priority(plan: Plan) -> Plan:
    """Return a copy of ``plan`` with an empty second priority."""
    if len(plan.priorities) >= MAX_PRIORITIES:
        raise FieldProblem("priority", f"a plan has at most {MAX_PRIORITIES} priorities")
    plan = copy.deepcopy(plan)
    plan.priorities.append(Priority(number=len(plan.priorities) + 1))
    return plan


def remove_priority(plan: Plan, number: int) -> Plan:
    """Return a copy of ``plan`` without its second priority (the first always stays)."""
    if number < 2 or number > len(plan.priorities):
        raise FieldProblem("priority", "only a second priority can be removed")
    plan = copy.deepcopy(plan)
    del plan.priorities[number - 1]
    return plan


def date_input_value(value: str) -> str:
    """Return a plan date ("June 20, 2025") as a date input's value ("2025-06-20"), or "" when it is no date."""
    parsed = values.parse_date(value) if value else None
    return parsed.isoformat() if parsed else ""


def _priority_index(plan: Plan, number: int | None, name: str) -> int:
    """Return where Priority #``number`` sits in ``plan.priorities``; a field of no priority names none."""
    if number is None:
        raise FieldProblem(name, "this field belongs to a priority; name it as p1.… or p2.…")
    if number > len(plan.priorities):
        raise FieldProblem(name, f"the plan has no Priority #{number}; add it first")
    return number - 1


def _priority(plan: Plan, number: int | None, name: str) -> Priority:
    return plan.priorities[_priority_index(plan, number, name)]


def _cell(field: Field) -> tuple[str, int]:
    """Return the table and row index of a "table" field (locate gives every one both)."""
    assert field.table is not None and field.index is not None, f"{field.name} is no table cell"
    return field.table, field.index


def _rows(plan: Plan, variant: Variant, table: str, number: int | None, name: str) -> list[Any]:
    spec = variant.tables.get(table)
    if spec is None or (spec.scope == "priority") != (number is not None) or table not in TABLE_ROWS:
        raise FieldProblem(name, "no such table in this plan")
    owner = _priority(plan, number, name) if table in PRIORITY_TABLES else plan
    return getattr(owner, table)
