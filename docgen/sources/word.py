"""Read last year's plan from a Word file typed into the official template (or written by docgen).

word_document.py turns the file into lines and tables in reading order; this
module files them under the template's prompts.

People type plans their own way: answers under the prompt in the same cell,
extra blank paragraphs, bullets, edited prompts, extra table rows, a second
priority pasted below. So the reader does not trust positions. It walks the
document's text in reading order, recognises the template's prompts by
tolerant matching against the variant spec, and files the text that follows a
prompt under that prompt's field. Tables whose header row matches one of the
spec's tables are read row by row. Text it cannot place is kept and reported.
Tracked changes count as accepted: inserted text is read, deleted text is not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import variants
from ..model import PRIORITY_TABLES, TABLE_ROWS, District, Plan, Priority, School
from ..variants import FieldSpec, Variant
from .word_document import (
    W_P,
    Grid,
    ImportError_,
    Line,
    Walker,
    looks_listed,
    match_score,
    normal_form,
    open_document,
    paragraph_text,
    similar,
)


@dataclass
class Imported:
    plan: Plan
    variant: Variant
    matched: list[str] = field(default_factory=list)  # prompts found
    missing: list[str] = field(default_factory=list)  # prompts not found
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, why) under no prompt
    origins: dict[str, str] = field(default_factory=dict)  # plan key -> "1. Instructional Priority, under '...'"
    to_choose: dict[str, str] = field(default_factory=dict)  # plan key of a cell left blank -> what was typed there


@dataclass
class _Prompt:
    """A piece of template text, what it stands for, and its order in the template."""

    norm: str
    shown: str
    scope: str  # "district", "priority", "district-info", "boilerplate", "priority-heading"
    fields: tuple[FieldSpec, ...] = ()
    order: int = 0
    district_key: str = ""
    group: int = 0  # the lines of one prompt share a group
    section: str = ""  # the heading of the section it is in
    label_of: str = ""  # the field whose label this is
    table: str = ""  # the title of the table that answers this prompt


def _catalogue(v: Variant) -> list[_Prompt]:
    found: list[_Prompt] = []
    heading = ""
    groups = iter(range(1_000_000))

    def add(value: str, scope: str, fields=(), district_key="", number=1, label_of="", table=""):
        shown, group = v.text(value, number=number).split("\n"), next(groups)
        for i, line in enumerate(shown):
            norm = normal_form(line)
            if norm:  # only a prompt's last line opens its answer: an edited prompt's rest is not an answer
                found.append(_Prompt(norm, line, scope, tuple(fields) if i == len(shown) - 1 else (),
                                     len(found), district_key, group, heading, label_of, table))

    for line in (*v.cover, v.cover_note, v.district_title, *v.second_priority_note):
        add(line, "boilerplate")
    for f in v.district_fields:
        add(f.label, "district-info", district_key=f.key)
    for number in (1, 2):
        add(v.priority_heading, "priority-heading", number=number)
    for section in v.sections:
        scope = section.scope
        heading = v.text(section.heading)
        first_fields = section.parts[0].fields if section.parts and not section.parts[0].prompt else ()
        add(section.heading, "boilerplate")
        # a prompt's own notes, bullets and tips keep pointing at its fields: answers follow them
        for line in (section.prompt, *section.bullets, *section.notes, *section.tips):
            if line:
                add(line, scope if first_fields else "boilerplate", first_fields)
        for line in section.after:
            add(line, "boilerplate")
        for part in section.parts:
            table = v.text(v.tables[part.table].title) if part.table else ""
            for line in (part.prompt, *part.bullets, *part.notes, *part.tips):
                if line:
                    add(line, scope if part.fields else "boilerplate", part.fields, table=table)
            for f in part.fields:
                add(f.label, scope, (f,), label_of=f.key)
    add("TIPS:", "boilerplate")
    return found


def _best(line: str, catalogue: list[_Prompt]) -> tuple[_Prompt | None, str]:
    """Return the template text ``line`` is (or starts with), and whatever the person typed after it."""
    norm = normal_form(line)
    score, best = max(((match_score(norm, p.norm), -p.order) for p in catalogue), default=(0, 0))
    if score > 0:
        return catalogue[-best], ""
    for prompt in sorted(catalogue, key=lambda p: -len(p.norm)):  # "Prompt text: the answer" on one line
        if len(prompt.norm) >= 12 and norm.startswith(prompt.norm) and len(norm) > len(prompt.norm) + 1:
            cut = _cut_after(line, prompt.shown)
            if cut:
                return prompt, cut
    return None, ""


def _short(shown: str) -> str:
    return shown if len(shown) <= 70 else shown[:69].rstrip() + "…"


def _leading_choice(value: str, choices: tuple[str, ...]) -> str | None:
    """Return the choice ``value`` begins with as a word of its own ("Yes. We reviewed ..." -> "Yes"), or None."""
    for choice in sorted(choices, key=len, reverse=True):
        if re.match(rf"\s*{re.escape(choice)}(?=[\s.,;:!\u2013\u2014-]|$)", value, re.IGNORECASE):
            return choice
    return None


def _cut_after(line: str, prompt: str) -> str:
    """Return the text typed after ``prompt`` on the same line."""
    wanted = len(normal_form(prompt))
    for i in range(len(prompt) - 5, len(line) + 1):
        if len(normal_form(line[:i])) >= wanted:
            return line[i:].lstrip(" :-–—?.!,;)\t").rstrip()
    return ""


# --- filing text under prompts -----------------------------------------------------------------


def detect_variant(document) -> Variant:
    """Return the variant whose prompts the document holds most of (FY25 or FY26 layout)."""
    lines = []
    for p in document.element.body.iter(W_P):
        lines.extend(normal_form(piece) for piece in paragraph_text(p).split("\n") if piece.strip())
    best, score = None, 0
    for variant_id in variants.names():
        v = variants.load(variant_id)
        prompts = [p for p in _catalogue(v) if p.scope in ("priority", "district") and len(p.norm) > 20]
        hits = sum(1 for p in prompts if any(similar(line, p.norm) or line.startswith(p.norm) for line in lines))
        if hits > score:
            best, score = v, hits
    if best is None or score < 3:
        return None
    return best


def read(path: Path, variant: Variant | None = None) -> Imported:
    """Return the plan in a Word file, which prompts were found, and the text that could not be placed."""
    document = open_document(path)
    v = variant or detect_variant(document)
    if v is None:
        raise ImportError_(f"{path}: does not look like a district instructional prioritization plan: none of the "
                           "template's prompts were found")
    walker = Walker(document, v)
    return _File(v, walker.items).result()


class _File:
    """Files each Line under the field of the last prompt seen, and each Grid into its table."""

    def __init__(self, v: Variant, items: list):
        self.v = v
        self.items = items
        self.catalogue = _catalogue(v)
        self.plan = Plan(variant=v.id, district=District(school_year=v.school_year))
        self.result_ = Imported(self.plan, v)
        self.answers: dict[int, dict[str, list[str]]] = {1: {}}
        self.tables: dict[int, dict[str, list]] = {1: {k: [] for k in PRIORITY_TABLES}}
        self.number = 1
        self.last_order = -1
        self.target: tuple[str, tuple[FieldSpec, ...]] | None = None
        self.under = ""  # the prompt the text being read answers, in words, for the Carried over sheet
        self.after = ""  # the last template text seen, to say where text under no prompt sits
        self.answered_by = ""  # the table that answers the last prompt seen, if a table does
        self.seen: set[int] = set()  # groups of the catalogue seen
        self.choices: list[tuple[object, str, str]] = []  # (table row, column key, typed) left for a choice
        self.counters: dict[tuple[int, str], int] = {}  # numbered-list position per answer

    def result(self) -> Imported:
        for item in self.items:
            if isinstance(item, Grid):
                self.grid(item)
            else:
                self.line(item)
        self.finish()
        return self.result_

    def line(self, line: Line) -> None:
        value = line.text
        district = re.match(r"^\s*(District name|Date)\s*:\s*(.*)$", value, re.IGNORECASE)
        if district:
            rest = district.group(2).strip(" _")
            if rest:
                setattr(self.plan.district, "name" if district.group(1).lower() == "district name" else "date", rest)
            self.target = None
            return
        prompt, rest = _best(value, self.catalogue)
        if prompt is None:
            if not line.header:  # a header row's column names are not answers
                self.content(line, value)
            return
        self.seen.add(prompt.group)
        self.after = _short(prompt.shown)
        self.answered_by = prompt.table
        if prompt.scope == "priority-heading":
            self.switch(2 if "2" in prompt.shown else 1)
        elif prompt.scope == "priority" and prompt.order < self.last_order - 5 and self.number == 1 \
                and self.has_priority_text():
            self.switch(2)  # the template's sections again: a second priority pasted below the first
        if prompt.scope == "priority":
            self.last_order = prompt.order
        if prompt.scope == "district-info":
            self.target = ("district-info", prompt.district_key)
        elif prompt.fields:
            self.target = (prompt.scope, prompt.fields)
            shown = _short(prompt.shown)
            self.under = f"{prompt.section}, under '{shown}'" if prompt.section else f"under '{shown}'"
        else:
            self.target = None
        if rest:
            self.content(line, rest)

    def switch(self, number: int) -> None:
        if number != self.number:
            self.number = number
            self.answers.setdefault(number, {})
            self.tables.setdefault(number, {k: [] for k in PRIORITY_TABLES})
            self.last_order = -1

    def has_priority_text(self) -> bool:
        return any(self.answers.get(1, {}).values()) or any(self.tables[1].values())

    def content(self, line: Line, value: str) -> None:
        if self.target is None:
            self.unplaced(line, value)
            return
        scope, fields = self.target
        if scope == "district-info":
            if not getattr(self.plan.district, fields):
                setattr(self.plan.district, fields, value)
            return
        spec, value = self.pick(fields, value)
        store = self.plan.answers if scope == "district" else None
        count_key = (self.number if store is None else 0, spec.key)
        if line.kind == "number" and not looks_listed(value):
            self.counters[count_key] = self.counters.get(count_key, 0) + 1
            text_value = f"{self.counters[count_key]}. {value}"
        else:
            self.counters.pop(count_key, None)
            text_value = ("- " if line.kind == "bullet" and not looks_listed(value) else "") + value
        if spec.kind == "choice":
            choice = self.v.lists[spec.list].match(value) or _leading_choice(value, self.v.lists[spec.list].values)
            if choice is None:
                self.unplaced(line, value)
                return
            text_value = choice
        under = f"Priority #{self.number}, {self.under}" if store is None and self.number > 1 else self.under
        if store is not None:
            self.plan.answers[spec.key] = (self.plan.answers.get(spec.key, "") + "\n" + text_value).strip("\n")
            self.result_.origins.setdefault(f"answers.{spec.key}", under)
        else:
            self.answers[self.number].setdefault(spec.key, []).append(text_value)
            self.result_.origins.setdefault(f"p{self.number}.{spec.key}", under)
        if spec.kind == "choice":
            rest = tuple(f for f in fields if f is not spec)
            self.target = (scope, rest) if rest else None
            said = value[len(choice):].lstrip(" .,;:-–—") if choice != value and len(value) > len(choice) else ""
            if said and rest:  # "Yes. We reviewed the Profiles ...": the choice, then the note
                self.content(Line(said, line.where), said)

    def unplaced(self, line: Line, value: str) -> None:
        """Keep text under no prompt, saying where it sits as a reader would find it."""
        where = f"after '{self.after}'" if self.after else f"{line.where}, before the template's first prompt"
        why = (f"typed where this template has the '{self.answered_by}' table: put it in rows there"
               if self.answered_by else "not under any prompt the template has")
        self.result_.unplaced.append((where, value, why))

    def pick(self, fields: tuple[FieldSpec, ...], value: str) -> tuple[FieldSpec, str]:
        """Return the field among those of one prompt that this text answers (a choice if it is or begins with one).

        "Yes. We reviewed the Profiles..." answers the Yes/No question with
        Yes; content() files the rest under the prompt's other field.
        """
        for f in fields:
            if f.kind == "choice" and self.v.lists[f.list].match(value):
                return f, value
        for f in fields:
            if f.kind == "choice" and len(fields) > 1:
                lead = _leading_choice(value, self.v.lists[f.list].values)
                if lead:
                    return f, value
        return next((f for f in fields if f.kind != "choice"), fields[0]), value

    def grid(self, grid: Grid) -> None:
        spec = self.v.tables[grid.key]
        row_type = TABLE_ROWS[grid.key]
        rows = []
        for cells in grid.rows:
            values = {}
            for i, column in enumerate(spec.columns):
                if i < len(cells):
                    values[column.key] = cells[i] if i < len(spec.columns) - 1 else "\n".join(cells[i:])
            left_blank = []
            for column in spec.columns:
                value = values.get(column.key, "")
                if column.list and value:
                    choices = self.v.lists[column.list]
                    value = choices.meant(value.split("\n")[0].lstrip("- ")) or choices.meant(value) or value
                    if choices.strict and value not in choices.values:  # keep the text, leave the cell to choose
                        left_blank.append((column.key, value))
                        value = ""
                values[column.key] = value
            if grid.key == "targeted_support":
                values["school"] = values.get("school", "").split("\n")[0].lstrip("- ")
            rows.append(row_type(**values))
            self.choices.extend((rows[-1], key, typed) for key, typed in left_blank)
        if grid.key == "schools":
            self.plan.schools.extend(rows)
        elif grid.key == "curricula":
            self.plan.curricula.extend(rows)
        else:
            self.tables[self.number][grid.key].extend(rows)
        self.target = None

    def finish(self) -> None:
        for number in sorted(self.answers):
            answers = {k: "\n".join(v) for k, v in self.answers[number].items()}
            tables = self.tables.get(number, {})
            if number > 1 and not any(answers.values()) and not any(tables.values()):
                continue
            priority = Priority(number=len(self.plan.priorities) + 1, answers=answers)
            for key in PRIORITY_TABLES:
                setattr(priority, key, tables.get(key, []))
            self.plan.priorities.append(priority)
        if not self.plan.priorities:
            self.plan.priorities.append(Priority(number=1))
        if not self.plan.schools:  # no schools table: take the names from the targeted support rows
            names = dict.fromkeys(r.school for p in self.plan.priorities for r in p.targeted_support if r.school)
            self.plan.schools = [School(name=name) for name in names]
        self.found_prompts()
        self.left_to_choose()

    def found_prompts(self) -> None:
        """List the template's prompts found and not found, each once, in the template's words.

        A field is found by its label, or, when the label is docgen's own
        (``own_label``), by the prompt it sits under: the report never names a
        label the official template does not have.
        """
        first_line: dict[int, str] = {}
        for p in self.catalogue:
            first_line.setdefault(p.group, p.shown)
        asked: dict[str, list[int]] = {}  # field -> the groups that ask for it, in template order
        for p in self.catalogue:
            if p.scope in ("priority", "district"):
                for f in p.fields:
                    groups = asked.setdefault(f.key, [])
                    if not p.label_of or not f.own_label:
                        groups.append(p.group)
        matched, missing = {}, {}
        for groups in asked.values():
            label = [g for g in groups if self.is_label(g)]
            ids = label or groups  # a field with a label of the template's is found by that label
            shown = first_line[ids[0]]
            (matched if any(g in self.seen for g in ids) else missing)[shown] = True
        self.result_.matched = list(matched)
        self.result_.missing = [shown for shown in missing if shown not in matched]

    def is_label(self, group: int) -> bool:
        return any(p.group == group and p.label_of for p in self.catalogue)

    def left_to_choose(self) -> None:
        """Name, by plan key, each table cell whose text matched none of its list's choices."""
        places = [(f"schools[{i}]", row) for i, row in enumerate(self.plan.schools)]
        places += [(f"curricula[{i}]", row) for i, row in enumerate(self.plan.curricula)]
        places += [(f"p{p.number}.{key}[{i}]", row) for p in self.plan.priorities for key in PRIORITY_TABLES
                   for i, row in enumerate(getattr(p, key))]
        keys = {id(row): key for key, row in places}
        for row, column, typed in self.choices:
            if id(row) in keys:
                self.result_.to_choose[f"{keys[id(row)]}.{column}"] = typed
