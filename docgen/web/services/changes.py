"""What one version of a plan changes in another, counted for people: answers and table rows, by section.

Two uses: before a whole plan replaces a draft (an upload, an import, a
roll-forward, a restore) the page says how many answers and rows it would
replace; and each version is labelled with what it changed ("Priority 1:
equity gaps, 3 outcome rows"). Both versions are laid out as the form lays
them out (form.groups), so a count is by the prompts people see.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen import variants
from docgen.model.plan import Plan
from docgen.web import form


@dataclass(frozen=True)
class Texts:
    """A plan's typed text: each answer by field name, each table's rows, and where each sits (section, label)."""

    answers: dict[str, str]
    rows: dict[str, list[tuple[str, ...]]]
    where: dict[str, tuple[str, str]]  # field or table name -> (section heading, label or table title)


def texts(plan: Plan) -> Texts:
    """Return the text of every answer and table row of ``plan`` as the form shows them."""
    variant = variants.load(plan.variant)
    answers: dict[str, str] = {}
    rows: dict[str, list[tuple[str, ...]]] = {}
    where: dict[str, tuple[str, str]] = {}
    for group in form.groups(variant, plan, []):
        for section in group.sections:
            heading = f"{group.heading}: {section.heading}" if group.heading else section.heading
            for part in section.parts:
                for f in part.fields:
                    answers[f.name], where[f.name] = f.value.strip(), (heading, f.label)
                if part.table:
                    table = part.table
                    rows[table.name] = [tuple(c.value.strip() for c in row) for row in table.rows
                                        if any(c.value.strip() for c in row)]
                    where[table.name] = (heading, table.title)
    return Texts(answers, rows, where)


@dataclass(frozen=True)
class Replacement:
    """What replacing a plan with another would replace: typed answers and table rows that would change."""

    answers: int
    rows: int
    sections: list[str] = field(default_factory=list)  # the headings of the sections touched, in form order

    @property
    def anything(self) -> bool:
        return bool(self.answers or self.rows)

    def sentence(self) -> str:
        """Return "3 answers and 12 table rows" (for the confirm page)."""
        parts = [_count(self.answers, "answer"), _count(self.rows, "table row")]
        return " and ".join(p for p in parts if p) or "nothing typed"


def _count(n: int, noun: str) -> str:
    return "" if not n else f"1 {noun}" if n == 1 else f"{n:,} {noun}s"


def replacement_summary(old_plan: Plan | None, new_plan: Plan) -> Replacement:
    """Return what ``new_plan`` would replace of ``old_plan``: answers with text that would change or go, and rows
    of its tables that the new plan does not keep (an empty draft: nothing)."""
    if old_plan is None:
        return Replacement(0, 0)
    old, new = texts(old_plan), texts(new_plan)
    touched: dict[str, None] = {}
    answers = 0
    for name, value in old.answers.items():
        if value and new.answers.get(name, "") != value:
            answers += 1
            touched[old.where[name][0]] = None
    rows = 0
    for name, old_rows in old.rows.items():
        kept = list(new.rows.get(name, []))
        for row in old_rows:
            if row in kept:
                kept.remove(row)
            else:
                rows += 1
                touched[old.where[name][0]] = None
    return Replacement(answers, rows, list(touched))


def change_label(old_plan: Plan | None, new_plan: Plan, limit: int = 3) -> str:
    """Return what a version changed, for its line in the versions list: "Priority 1: equity gaps, 3 outcome rows".

    An answer is named by its field ("equity gaps"), a table by the rows it
    gained, lost or changed ("3 outcome rows"); a priority's changes share
    "Priority N", the others their section; beyond ``limit`` names in one
    place, or ``limit`` places, the rest are counted.
    """
    old = texts(old_plan) if old_plan is not None else Texts({}, {}, {})
    new = texts(new_plan)
    places: dict[str, list[str]] = {}
    for name in dict.fromkeys([*new.answers, *old.answers]):
        if old.answers.get(name, "") != new.answers.get(name, ""):
            places.setdefault(_place(name, new, old), []).append(_words(name))
    for name in dict.fromkeys([*new.rows, *old.rows]):
        before, after = old.rows.get(name, []), new.rows.get(name, [])
        if before != after:
            changed = max(sum(1 for r in after if r not in before), sum(1 for r in before if r not in after), 1)
            noun = _words(name).removesuffix("s") + " row"
            places.setdefault(_place(name, new, old), []).append(_count(changed, noun))
    if not places:
        return "no change to the text"
    shown = [f"{place}: {_listed(names, limit)}" for place, names in list(places.items())[:limit]]
    rest = len(places) - limit
    return "; ".join(shown) + (f"; and {_count(rest, 'more part')}" if rest > 0 else "")


def _place(name: str, new: Texts, old: Texts) -> str:
    """Return where a field or table is, for people: "Priority 1", or its section ("About the district")."""
    prefix, _, _ = name.partition(".")
    if prefix[:1] == "p" and prefix[1:].isdigit():
        return f"Priority {prefix[1:]}"
    return (new.where.get(name) or old.where[name])[0]


def _words(name: str) -> str:
    """Return a field's or table's name as words: "p1.equity_gaps" -> "equity gaps"."""
    return name.rpartition(".")[2].replace("_", " ")


def _listed(names: list[str], limit: int) -> str:
    return ", ".join(names[:limit]) + (f" and {len(names) - limit} more" if len(names) > limit else "")
