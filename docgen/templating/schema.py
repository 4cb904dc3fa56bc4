"""What a Word template may show: the plan's (or the letter's) fields as a tree, and the values that fill it.

A template names values as ``district.name``, ``p.statement`` or, inside a
``{%tr for s in schools %}`` row, ``s.grades``. The tree comes from the
variant's spec (its district fields, sections and table columns), so a new
year's prompts are new tags with no new code. The values handed to Jinja are
plain records holding only strings, lists and records: nothing else of
docgen's is reachable from a template.
"""

from __future__ import annotations

from dataclasses import dataclass

from docgen.model.plan import Plan
from docgen.variants import Variant

TEXT = "text"

# Facts of the variant, not of the district's plan: a template may show them and need not.
VARIANT_FACTS = ("plan_year", "school_year")
# The name a template's loop gives one row of each table, as `docgen template new` writes it.
ROW_NAMES = {"schools": "s", "curricula": "c", "outcomes": "o", "benchmarks": "b", "targeted_support": "t"}


@dataclass(frozen=True)
class ListOf:
    """A list of records (a table's rows, the priorities): what a ``for`` loop runs over."""

    item: dict


class Record(dict):
    """One record of template values: its keys read as attributes (``district.name``), nothing else does."""

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def plan_fields(variant: Variant) -> dict:
    """Return the tree of names a plan template may use, each leaf TEXT, each table a ListOf."""
    district = {f.key: TEXT for f in variant.district_fields}
    tables = {key: ListOf({c.key: TEXT for c in spec.columns}) for key, spec in variant.tables.items()}
    priority: dict[str, str | ListOf] = {"number": TEXT}
    for section in variant.sections_in("priority"):
        priority.update({f.key: TEXT for f in section.fields})
        priority.update({p.table: tables[p.table] for p in section.parts if p.table})
    plan = {f.key: TEXT for section in variant.sections_in("district") for f in section.fields}
    district_tables = {k: v for k, v in tables.items() if k not in priority}
    return {"district": district, "plan": plan, **district_tables, "priorities": ListOf(priority),
            "p1": priority, "p2": priority, "plan_year": TEXT, "school_year": TEXT}


def plan_values(plan: Plan, variant: Variant) -> dict:
    """Return the values of ``plan`` in the shape ``plan_fields`` names (every leaf a string)."""
    fields = plan_fields(variant)
    priorities = [_priority(p, fields["priorities"].item) for p in plan.priorities]
    values = {
        "district": Record({key: getattr(plan.district, key, "") for key in fields["district"]}),
        "plan": Record({key: plan.answer(key) for key in fields["plan"]}),
        "priorities": priorities,
        "p1": priorities[0] if priorities else None,
        "p2": priorities[1] if len(priorities) > 1 else None,
        "plan_year": variant.plan_year,
        "school_year": variant.school_year,
    }
    for key, spec in fields.items():
        if isinstance(spec, ListOf) and key != "priorities":
            values[key] = _rows(getattr(plan, key), spec.item)
    return values


def _priority(priority, spec: dict) -> Record:
    record = Record({"number": str(priority.number)})
    for key, kind in spec.items():
        if isinstance(kind, ListOf):
            record[key] = _rows(getattr(priority, key), kind.item)
        elif key != "number":
            record[key] = priority.answer(key)
    return record


def _rows(rows, spec: dict) -> list[Record]:
    return [Record({key: str(getattr(row, key, "") or "") for key in spec}) for row in rows]


def leaves(fields: dict, prefix: str = "") -> list[str]:
    """Return every field's dotted path ("district.name", "priorities.statement", "schools.grades")."""
    out = []
    for key, kind in fields.items():
        if key in ("p1", "p2", *VARIANT_FACTS):  # p1, p2: the same fields as priorities, reached another way
            continue
        path = f"{prefix}{key}"
        if isinstance(kind, ListOf):
            out += leaves(kind.item, path + ".")
        elif isinstance(kind, dict):
            out += leaves(kind, path + ".")
        else:
            out.append(path)
    return out


def filled_leaves(values: dict, prefix: str = "") -> set[str]:
    """Return the dotted paths (as ``leaves`` names them) that hold text somewhere in ``values``."""
    out: set[str] = set()
    for key, value in values.items():
        if key in ("p1", "p2", *VARIANT_FACTS):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, list):
            for row in value:
                out |= filled_leaves(row, path + ".")
        elif isinstance(value, dict):
            out |= filled_leaves(value, path + ".")
        elif isinstance(value, str) and value.strip():
            out.add(path)
    return out
