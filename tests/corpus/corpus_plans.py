"""The corpus's district plans: real district writing mapped onto the FY26 plan's fields, and its pieces.

Each district is one YAML file in the shape of ``templates/fy26/example.yaml``
(district, schools, answers, curricula, one priority) plus where its writing
came from (``sources``) and which fields hold that writing (``adapted``); the
other fields are filled in the district's voice. A *piece* is one thing a
reader must put somewhere: a line of an answer (a paragraph or a bullet) or
one table cell, with the field key it belongs in. Table cells are keyed by
column, not row (``p1.outcomes[*].measure``): a reader may order rows as it
likes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from docgen.model.plan import PRIORITY_TABLES, TABLE_ROWS, District, Plan, field_names, plan_from_dict

HERE = Path(__file__).parent
TUNING_DIR = HERE / "districts"
HELD_OUT_DIR = HERE / "held_out" / "districts"
VARIANT = "fy26"
CARRIED = "carried"  # the key of a piece that belongs in the Carried-over list (speaker notes, a cover's motto)
_BULLET = re.compile(r"^\s*(?:[-*•▪◦]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Piece:
    """One piece of district text and the field it belongs in."""

    key: str  # "district.name", "answers.profiles_note", "p1.statement", "p1.outcomes[*].target", or CARRIED
    text: str
    adapted: bool  # True when the text comes from the district's public writing (see the YAML's sources)
    where: str = ""  # "notes" for speaker notes, which a PDF export leaves out


@dataclass
class DistrictPlan:
    """A district's corpus plan: the plan model, where its writing came from, and which fields hold that writing."""

    id: str
    plan: Plan
    sources: list[dict]
    adapted: set[str]
    notes: list[str] = field(default_factory=list)  # district text that belongs in no field (speaker notes)

    @property
    def name(self) -> str:
        return self.plan.district.name

    def value(self, key: str) -> str:
        """Return the plan's value for a field key ("district.date", "answers.profiles_note", "p1.statement")."""
        head, _, name = key.partition(".")
        if head == "district":
            return getattr(self.plan.district, name)
        if head == "answers":
            return self.plan.answer(name)
        return self.plan.priorities[int(head[1:]) - 1].answer(name)

    def pieces(self) -> list[Piece]:
        """Return every piece of the plan, in document order."""
        return [p for key, value in self.fields() for p in self.pieces_of(key, value)]

    def fields(self) -> list[tuple[str, str]]:
        """Return (key, value) for every filled field, table cells keyed by column."""
        return fields_of(self.plan)

    def pieces_of(self, key: str, value: str) -> list[Piece]:
        """Return the pieces of one field's value: each non-empty line, without its bullet."""
        adapted = key in self.adapted or key.split("[")[0] in self.adapted
        return [Piece(key, line, adapted) for line in lines(value)]


def fields_of(plan: Plan) -> list[tuple[str, str]]:
    """Return (key, value) for every filled field of ``plan``; table cells repeat their column's key per row."""
    found = [(f"district.{name}", getattr(plan.district, name)) for name in field_names(District)]
    for table in ("schools", "curricula"):
        for row in getattr(plan, table):
            found += [(f"{table}[*].{name}", getattr(row, name)) for name in field_names(TABLE_ROWS[table])]
    found += [(f"answers.{k}", v) for k, v in plan.answers.items()]
    for priority in plan.priorities:
        p = f"p{priority.number}"
        found += [(f"{p}.{k}", v) for k, v in priority.answers.items()]
        for table in PRIORITY_TABLES:
            for row in getattr(priority, table):
                found += [(f"{p}.{table}[*].{name}", getattr(row, name)) for name in field_names(TABLE_ROWS[table])]
    return [(k, v) for k, v in found if v and str(v).strip()]


def lines(value: str) -> list[str]:
    """Return the non-empty lines of ``value`` without bullets or numbering: the pieces a reader must keep."""
    return [_BULLET.sub("", line).strip() for line in str(value).split("\n") if _BULLET.sub("", line).strip()]


def load(path: Path) -> DistrictPlan:
    """Return the district plan in ``path`` (a corpus YAML file)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    plan = plan_from_dict(data, VARIANT)
    return DistrictPlan(data["id"], plan, data.get("sources", []), set(data.get("adapted", [])),
                        [str(n) for n in data.get("speaker_notes", [])])


def tuning_districts() -> dict[str, DistrictPlan]:
    """Return the tuning districts by id."""
    return {d.id: d for d in map(load, sorted(TUNING_DIR.glob("*.yaml")))}


def held_out_districts() -> dict[str, DistrictPlan]:
    """Return the held-out districts by id (never to be read by whoever tunes the readers)."""
    return {d.id: d for d in map(load, sorted(HELD_OUT_DIR.glob("*.yaml")))}
