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

from docgen.model.plan import PRIORITY_TABLES, TABLE_ROWS, District, Plan, Priority, School
from docgen.read import word_rows
from docgen.read.word_document import (
    W_P,
    Grid,
    ImportError_,
    Line,
    Walker,
    comments,
    looks_listed,
    normal_form,
    open_document,
    paragraph_text,
)
from docgen.read.word_prompts import best, catalogue, leading_choice, short, template_of
from docgen.variants import FieldSpec, Variant


@dataclass
class Imported:
    plan: Plan
    variant: Variant
    matched: list[str] = field(default_factory=list)  # prompts found
    missing: list[str] = field(default_factory=list)  # prompts not found
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, why) under no prompt
    origins: dict[str, str] = field(default_factory=dict)  # plan key -> "1. Instructional Priority, under '...'"
    to_choose: dict[str, str] = field(default_factory=dict)  # plan key of a cell left blank -> what was typed there
    # (plan key of the answer, plan keys of the other prompts it sat below, where): one answer for several prompts
    shared: list[tuple[str, tuple[str, ...], str]] = field(default_factory=list)
    extra_cells: list[tuple[str, str, str, str]] = field(default_factory=list)  # (row key, where, header, text)
    as_rows: list[tuple[str, str, str]] = field(default_factory=list)  # (row key, where, text): list items read as rows
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, text) of the document's comments
    outside: list[tuple[str, str, str]] = field(default_factory=list)  # (plan key, where, text) typed below the box
    unsure: list[tuple[str, str, str, str]] = field(default_factory=list)  # (plan key, where, text, why) to confirm
    tally: dict[str, int] = field(default_factory=dict)  # pieces "placed", "unsure", "unplaced"
    own_layout: bool = False  # read by meaning (own_layout.py), not by the template's prompts


# --- filing text under prompts -----------------------------------------------------------------


def detect_variant(document) -> Variant:
    """Return the variant whose prompts the document holds most of (FY25 or FY26 layout)."""
    lines = []
    for p in document.element.body.iter(W_P):
        lines.extend(normal_form(piece) for piece in paragraph_text(p).split("\n") if piece.strip())
    return template_of(lines)


def read(path: Path, variant: Variant | None = None) -> Imported:
    """Return the plan in a Word file, which prompts were found, and the text that could not be placed."""
    document = open_document(path)
    v = variant or detect_variant(document)
    if v is None:
        raise ImportError_(f"{path}: does not look like a district instructional prioritization plan: none of the "
                           "template's prompts were found")
    walker = Walker(document, v)
    result = _File(v, walker.items).result()
    result.comments = comments(document)
    return result


class _File:
    """Files each Line under the field of the last prompt seen, and each Grid into its table."""

    def __init__(self, v: Variant, items: list):
        self.v = v
        self.items = items
        self.catalogue = catalogue(v)
        self.plan = Plan(variant=v.id, district=District(school_year=v.school_year))
        self.result_ = Imported(self.plan, v)
        self.answers: dict[int, dict[str, list[str]]] = {1: {}}
        self.tables: dict[int, dict[str, list]] = {1: {k: [] for k in PRIORITY_TABLES}}
        self.number = 1
        self.last_order = -1
        self.target: tuple[str, tuple[FieldSpec, ...]] | None = None
        self.under = ""  # the prompt the text being read answers, in words, for the Carried over sheet
        self.after = ""  # the last template text seen, to say where text under no prompt sits
        self.answered_by = ""  # the key of the table that answers the last prompt seen, if a table does
        self.pending: list[tuple[FieldSpec, ...]] = []  # the fields of the prompts seen since the last answer
        self.extras: list[tuple[object, str, str, str]] = []  # (row, where, header, text) of a column added
        self.listed: list[tuple[object, str, str]] = []  # (row, where, text): list items read as rows
        self.boxed = False  # the last prompt seen sits in a table (its answers are typed in that box)
        self.details: dict[str, School] = {}  # school name -> what the targeted-support cell said of it
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
        prompt, rest = best(value, self.catalogue)
        if prompt is None:
            if not line.header:  # a header row's column names are not answers
                self.content(line, value)
            return
        self.seen.add(prompt.group)
        self.after = short(prompt.shown)
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
            self.pending.append(prompt.fields)
            self.boxed = line.where.startswith("table")
            shown = short(prompt.shown)
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
            choice = self.v.lists[spec.list].match(value) or leading_choice(value, self.v.lists[spec.list].values)
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
        self.note_shared(spec, "answers." if store is not None else f"p{self.number}.", under)
        if self.boxed and not line.where.startswith("table"):  # typed between sections, below the answer's box
            prefix = "answers." if store is not None else f"p{self.number}."
            self.result_.outside.append((prefix + spec.key, f"{under}, typed below its box", text_value))
        if spec.kind == "choice":
            rest = tuple(f for f in fields if f is not spec)
            self.target = (scope, rest) if rest else None
            said = value[len(choice):].lstrip(" .,;:-–—") if choice != value and len(value) > len(choice) else ""
            if said and rest:  # "Yes. We reviewed the Profiles ...": the choice, then the note
                self.content(Line(said, line.where), said)

    def note_shared(self, spec: FieldSpec, prefix: str, under: str) -> None:
        """Remember an answer that sat below several prompts: it serves them all, but is filed under the nearest.

        The prompts counted are the labels seen since the last answer, and the
        prompt just above when it asks several things at once ("3. Stakeholder
        Engagement:" answered once, below its questions as bullets).
        """
        pending, self.pending = self.pending, []
        if spec.kind != "text" or not pending:
            return
        fields = [f for group in pending if len(group) == 1 for f in group]
        fields += pending[-1] if len(pending[-1]) > 1 else ()
        others = dict.fromkeys(prefix + f.key for f in fields if f.kind == "text" and f.required and f is not spec)
        if others:
            self.result_.shared.append((prefix + spec.key, tuple(others), under))

    def unplaced(self, line: Line, value: str) -> None:
        """Keep text under no prompt, saying where it sits; a list item that clearly is a row becomes one."""
        where = f"after '{self.after}'" if self.after else f"{line.where}, before the template's first prompt"
        if self.as_row(value, where):
            return
        title = self.v.text(self.v.tables[self.answered_by].title) if self.answered_by else ""
        why = (f"typed where this template has the '{title}' table: put it in rows there"
               if title else "not under any prompt the template has")
        self.result_.unplaced.append((where, value, why))

    def as_row(self, value: str, where: str) -> bool:
        """File a list item typed where the template has a table as a row of it, if it clearly is one."""
        text_value = re.sub(r"^\s*(?:[-*•◦▪]|\d{1,2}[.)])\s+", "", value)
        if self.answered_by == "curricula":
            row = word_rows.curriculum_row(text_value, self.v)
            rows = self.plan.curricula
        elif self.answered_by == "outcomes":
            row = word_rows.outcome_row(text_value, self.v)
            rows = self.tables[self.number]["outcomes"]
        else:
            return False
        if row is not None:
            rows.append(row)
            self.listed.append((row, where, value))
        return row is not None

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
                lead = leading_choice(value, self.v.lists[f.list].values)
                if lead:
                    return f, value
        return next((f for f in fields if f.kind != "choice"), fields[0]), value

    def grid(self, grid: Grid) -> None:
        """File a table's rows by column header; a column the template lacks is kept, row by row, never merged."""
        spec = self.v.tables[grid.key]
        columns = self.columns(grid, spec)
        title = self.v.text(spec.title)
        rows = []
        for r, cells in enumerate(grid.rows, start=1):
            values, extra = {}, []
            for i, cell in enumerate(cells):
                column = columns[i] if i < len(columns) else f"column {i + 1}"
                if isinstance(column, str):
                    extra.append((column, cell))
                else:
                    values[column.key] = cell
            left_blank = []
            for column in spec.columns:
                value, rest = self.choice_of(column, values.get(column.key, ""))
                if rest:
                    extra.append((self.v.text(column.header).split("\n")[0], rest))
                if column.list and value and self.v.lists[column.list].strict and \
                        value not in self.v.lists[column.list].values:  # keep the text, leave the cell to choose
                    left_blank.append((column.key, value))
                    value = ""
                values[column.key] = value
            if grid.key == "targeted_support":
                school, aside = word_rows.school_in_cell(values.get("school", ""), self.v)
                values["school"] = school.name
                self.details.setdefault(school.name, school)
                extra += [(self.v.text(spec.columns[0].header), line) for line in aside]
            rows.append(TABLE_ROWS[grid.key](**values))
            self.choices.extend((rows[-1], key, typed) for key, typed in left_blank)
            self.extras.extend((rows[-1], f"{title}, row {r}", header, value)
                               for header, value in extra if value.strip())
        if grid.key == "schools":
            self.plan.schools.extend(rows)
        elif grid.key == "curricula":
            self.plan.curricula.extend(rows)
        else:
            self.tables[self.number][grid.key].extend(rows)
        self.target = None

    def columns(self, grid: Grid, spec) -> list:
        """Return, for each column of the Word table, the spec column its header names, or the header itself."""
        taken: set[str] = set()
        found: list = []
        for i, header in enumerate(grid.headers or [self.v.text(c.header) for c in spec.columns]):
            column = word_rows.column_for(header, spec.columns, self.v, taken)
            if column is None and not header.strip() and i < len(spec.columns) and spec.columns[i].key not in taken:
                column = spec.columns[i]  # a blank header keeps its place
            if column is not None:
                taken.add(column.key)
            found.append(column or " ".join(header.split()) or f"column {i + 1}")
        return found

    def choice_of(self, column, value: str) -> tuple[str, str]:
        """Return a cell's value as the list's choice it clearly means (or as typed), and any further lines."""
        if not column.list or not value:
            return value, ""
        choices = self.v.lists[column.list]
        whole = choices.meant(value)
        if whole:
            return whole, ""
        first, _, rest = value.partition("\n")
        meant = choices.meant(first.lstrip("- "))
        return (meant, rest.strip()) if meant else (value, "")

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
        self.schools()
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

    def schools(self) -> None:
        """Take the schools from the targeted support rows when there is no Schools table; fill what it left blank.

        A differentiation cell often holds the school's category, code, grades
        and plan link beside its name; they come across either way.
        """
        if not self.plan.schools:
            names = dict.fromkeys(r.school for p in self.plan.priorities for r in p.targeted_support if r.school)
            self.plan.schools = [School(name=name) for name in names]
        for school in self.plan.schools:
            said = self.details.get(school.name)
            for key in ("org_code", "grades", "category", "plan_link"):
                if said is not None and not getattr(school, key):
                    setattr(school, key, getattr(said, key))

    def is_label(self, group: int) -> bool:
        return any(p.group == group and p.label_of for p in self.catalogue)

    def left_to_choose(self) -> None:
        """Name, by plan key, each table cell left to choose, each added column's cell, each list item read as a row."""
        places = [(f"schools[{i}]", row) for i, row in enumerate(self.plan.schools)]
        places += [(f"curricula[{i}]", row) for i, row in enumerate(self.plan.curricula)]
        places += [(f"p{p.number}.{key}[{i}]", row) for p in self.plan.priorities for key in PRIORITY_TABLES
                   for i, row in enumerate(getattr(p, key))]
        keys = {id(row): key for key, row in places}
        for row, column, typed in self.choices:
            if id(row) in keys:
                self.result_.to_choose[f"{keys[id(row)]}.{column}"] = typed
        self.result_.extra_cells = [(keys[id(row)], where, header, value) for row, where, header, value in self.extras
                                    if id(row) in keys]
        self.result_.as_rows = [(keys[id(row)], where, value) for row, where, value in self.listed if id(row) in keys]
