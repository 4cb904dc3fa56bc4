"""How own_layout.py files a district's tables and table-like lines into the plan's rows.

A table own_tables.py recognises becomes rows of that table (cells of a column
the plan lacks are listed, never merged; a school's category and link beside
its name are kept aside); a two-column table of labels and answers is read as
labels and answers; any other table cell by cell, as text. A line typed where
the plan asks for a table ("Raise MCAS math from 36% to 40%") becomes a row
when it clearly is one, marked unsure. The methods are the reader's own
(``OwnLayout`` inherits them); they live here to keep each module one thing.
"""

from __future__ import annotations

import re

from docgen.model.plan import TABLE_ROWS
from docgen.read import own_tables, word_rows
from docgen.read.meaning import Meaning
from docgen.read.pieces import LISTED, Piece, as_answer_line

SCHOOL = re.compile(r"\b(?:School|Academy|Elementary|Middle|High|Charter|Center|Campus)\b")


class TableFiling:
    """The table half of OwnLayout: it uses the reader's plan, tables, tally and cue/piece/enter methods."""

    def table(self, piece: Piece) -> None:
        rows = piece.rows or []
        keys = ("outcomes", "benchmarks", "targeted_support", "curricula", "schools")
        reading = own_tables.read(rows, self.v, keys)
        if reading is not None:
            self.table_rows(piece, reading)
        else:
            labelled = own_tables.label_rows(rows)
            for r, row in enumerate(rows):
                if labelled or (len(row) == 2 and own_tables.is_label(row[0]) and row[1].strip()):
                    self.label_row(piece, r, row[0], row[1])
                    continue
                for c, cell in enumerate(row):
                    lines = [line for line in cell.split("\n") if line.strip()]
                    for line in lines:
                        self.piece(Piece(line, piece.cell_where(r, c),  # a short first-row cell: a header
                                         label=r == 0 and len(lines) == 1 and len(line.split()) <= 8))

    def label_row(self, piece: Piece, r: int, label: str, answer: str) -> None:
        """A row of a label and its answer: the label names the field (or is read as text when it names none)."""
        meaning = self.vocab.cue(label, self.section) if label.strip() else Meaning()
        if not answer.strip() and len(label.split()) > 8:  # a row of text alone, not a label: read as text
            meaning = Meaning()
        if meaning.score >= 0.4:
            self.cue(meaning, piece, label)
        elif label.strip():  # a label of the district's own: read as text (a school's name opens its row)
            self.piece(Piece(label, piece.cell_where(r, 0)))
        for line in answer.split("\n"):
            if line.strip():
                self.piece(Piece(line, piece.cell_where(r, 1)))

    def table_rows(self, piece: Piece, reading: own_tables.TableReading) -> None:
        spec = self.v.tables[reading.key]
        section = self.vocab.table_section.get(reading.key, "")
        if section and section != self.section:
            self.enter(section)
        sure = reading.score >= 0.6
        title = self.v.text(spec.title)
        for r, cells in enumerate(piece.rows[reading.header_rows:], start=reading.header_rows):
            values: dict[str, str] = {}
            for c, cell in enumerate(cells):
                column = reading.columns[c] if c < len(reading.columns) else None
                if not cell.strip():
                    continue
                if column is None:
                    header = piece.rows[0][c] if c < len(piece.rows[0]) else f"column {c + 1}"
                    self.unplaced(piece.cell_where(r, c), cell, f"column '{header.strip() or c + 1}' of a "
                                  f"{title} table: the plan's table has no such column")
                    continue
                value = cell
                if column.list and self.v.lists[column.list].strict:  # a list open to other text keeps it as typed
                    value = own_tables.meant(self.v, column.list, cell) or cell
                values[column.key] = value
            if not any(values.values()):
                continue
            aside = []
            if reading.key == "targeted_support" and values.get("school"):  # name, category, link in one cell
                school, aside = word_rows.school_in_cell(values["school"], self.v)
                values["school"] = school.name
            for line in aside:
                self.unplaced(piece.cell_where(r, 0), line, "beside the school's name in its cell: not part of the row")
            row = TABLE_ROWS[reading.key](**values)
            if reading.key == "schools":
                self.plan.schools.append(row)
                key = f"schools[{len(self.plan.schools) - 1}]"
            elif reading.key == "curricula":
                self.plan.curricula.append(row)
                key = f"curricula[{len(self.plan.curricula) - 1}]"
            else:
                rows = self.tables[self.number][reading.key]
                rows.append(row)
                key = f"p{self.number}.{reading.key}[{len(rows) - 1}]"
            for column in spec.columns:
                typed = getattr(row, column.key)
                if column.list and typed and self.v.lists[column.list].strict and \
                        typed not in self.v.lists[column.list].values:
                    setattr(row, column.key, "")
                    self.found.to_choose[f"{key}.{column.key}"] = typed
            self.tally["placed" if sure else "unsure"] += 1
            if not sure:
                self.found.unsure.append((key, piece.cell_where(r, 0), " | ".join(c for c in cells if c.strip()),
                                          (f"read as a row of {title}: its columns were matched by what they "
                                           "hold; check them")))
        self.field = None

    def as_row(self, piece: Piece, text: str) -> bool:
        """File a line typed where the plan has a table (a target "from 36% to 40%") as a row of it, to check."""
        table = next((part.table for s in self.v.sections if s.id == self.section for part in s.parts if part.table),
                     "")
        if table == "targeted_support":
            return self.support_row(piece, text)
        if table == "benchmarks":
            return self.benchmark_row(piece, text)
        reader = {"outcomes": word_rows.outcome_row, "curricula": word_rows.curriculum_row}.get(table)
        bare = LISTED.sub("", text)
        head, colon, rest = bare.partition(":")
        if colon and rest.strip() and len(head.split()) <= 4:  # "SMART goal 1: Increase ...": the goal itself
            bare = rest.strip()
        row = (outcome_sentence(LISTED.sub("", text), self.v, self.plan) if table == "outcomes" else None) or \
            (reader(bare, self.v) if reader else None)
        if row is None:
            return False
        if table == "curricula":
            self.plan.curricula.append(row)
            key = f"curricula[{len(self.plan.curricula) - 1}]"
        else:
            rows = self.tables[self.number][table]
            rows.append(row)
            key = f"p{self.number}.{table}[{len(rows) - 1}]"
        self.tally["unsure"] += 1
        why = "a line read as a row of the table this section asks for: check its columns"
        self.found.unsure.append((key, piece.where, text, why))
        return True


    def goal_row(self, piece: Piece, text: str) -> bool:
        """File a listed goal sentence with its parts in place as an outcome row (unsure), wherever it is typed."""
        row = outcome_sentence(LISTED.sub("", text), self.v, self.plan)
        if row is None or not (row.student_group or row.school):
            return False
        rows = self.tables[self.number]["outcomes"]
        rows.append(row)
        self.tally["unsure"] += 1
        why = "a goal read as a row of the Outcomes table: check its columns"
        self.found.unsure.append((f"p{self.number}.outcomes[{len(rows) - 1}]", piece.where, text, why))
        return True

    def support_row(self, piece: Piece, text: str) -> bool:
        """Under targeted support, a school's name (alone, or "Name: actions") opens a row; what follows is its actions.

        A school is named by a word schools' names end in, or as the plan's
        school list names it. The row is marked unsure.
        """
        rows = self.tables[self.number]["targeted_support"]
        bare = LISTED.sub("", text).strip()
        head, colon, rest = bare.partition(":")
        name = head if colon and len(head.split()) <= 8 else (bare if len(bare.split()) <= 8 else "")
        if name and (SCHOOL.search(name) or self.plan.school(name)):
            rows.append(TABLE_ROWS["targeted_support"](school=name.strip(), actions=rest.strip()))
            self.opened_row = id(rows[-1])
            key = f"p{self.number}.targeted_support[{len(rows) - 1}]"
            self.tally["unsure"] += 1
            why = "a school named where the plan asks for the targeted support table: read as its row; check it"
            self.found.unsure.append((key, piece.where, text, why))
            return True
        if rows and self.opened_row == id(rows[-1]):  # the actions of the school just named
            line = as_answer_line(piece) if text == piece.text else text
            rows[-1].actions = f"{rows[-1].actions}\n{line}".strip("\n")
            self.tally["unsure"] += 1
            return True
        return False

    def benchmark_row(self, piece: Piece, text: str) -> bool:
        """Under monitoring, a line is a benchmark (a row, unsure); a line of its details fills that row's columns.

        Details are the parts of a line cut at "·", "|", ";" or " - ", or given
        as "Level: ...": a level of the list, a frequency the list means, a
        midyear sign ("on track", "by January"), and who monitors (what is left).
        """
        rows = self.tables[self.number]["benchmarks"]
        bare = LISTED.sub("", text).strip()
        details = benchmark_details(bare, self.v)
        if details and rows and self.opened_row == id(rows[-1]):
            for key, value in details.items():
                if not getattr(rows[-1], key):
                    setattr(rows[-1], key, value)
            self.tally["unsure"] += 1
            return True
        rows.append(TABLE_ROWS["benchmarks"](benchmark=bare))
        self.opened_row = id(rows[-1])
        self.tally["unsure"] += 1
        why = "a line read as an interim benchmark (a row of the Monitoring table): check its columns"
        self.found.unsure.append((f"p{self.number}.benchmarks[{len(rows) - 1}]", piece.where, text, why))
        return True


_VALUE = r"[<>~]?\s*\d[\d.,]*\s*%?(?:\s*(?:points?|pts))?(?:\s*\([^)]*\))?"
_FROM_TO = re.compile(rf"(?:\bfrom\s+)?(?:an?\s+|a\s+baseline\s+of\s+)?({_VALUE})\s+to\s+(?:an?\s+)?({_VALUE})",
                      re.IGNORECASE)


def outcome_sentence(text: str, v, plan) -> object | None:
    """Return the outcome target a goal sentence states with its parts in place, or None.

    "MCAS ELA grades 3-8, % meeting (All students, District): 26% (2024) to 30% (2026)" and
    "MCAS ELA ...: English learners, District, from 6% (spring 2024) to 10% (spring 2026)." give
    the measure, the group, the school, and the baseline and target as written (with their dates).
    """
    found = None
    for found in _FROM_TO.finditer(text):  # noqa: B007  # the last "X to Y": a measure has numbers of its own
        pass
    if found is None or not re.search(r"\d", found.group(1)) or len(text[:found.start()].split()) < 2:
        return None
    before = text[:found.start()].strip(" ,;:.-–")
    said = re.search(r"\(([^()]*)\)\s*$", before)  # "(All students, District)"
    head, colon, rest = before.partition(":")
    measure, parts = before, []
    if said and "," in said.group(1):
        measure, parts = before[:said.start()].strip(), [p.strip() for p in said.group(1).split(",")]
    elif colon and rest.strip():
        parts = [p.strip() for p in rest.split(",") if p.strip()]
        if all(len(p.split()) <= 6 for p in parts):  # "Measure: group, school"
            measure = head.strip()
        else:  # "SMART goal 1: Increase ...": the goal itself after its label
            measure, parts = rest.strip(), []
    measure = re.sub(r"^(?:raise|increase|improve|reduce|decrease|grow)\s+", "", measure, flags=re.IGNORECASE)
    after = text[found.end():].strip(" .;,")  # "by spring 2026": the target's own words
    row = TABLE_ROWS["outcomes"](measure=measure.strip(" ,;:"), baseline=found.group(1).strip(),
                                 target=f"{found.group(2).strip()} {after}".strip())
    groups = v.lists["student_group"]
    for part in parts:
        if groups.meant(part) or word_rows._named(part, word_rows.GROUPS, groups.values) or \
                part.casefold() == "all students":
            row.student_group = row.student_group or part
        elif (SCHOOL.search(part) or plan.school(part) or part.casefold() in ("district", "districtwide")) and \
                not row.school:
            row.school = part
        else:  # a part that is neither: kept with the measure, never dropped
            row.measure = f"{row.measure} ({part})"
    return row if row.measure else None


def benchmark_details(text: str, v) -> dict[str, str]:
    """Return the level, who monitors, how often and on-track sign a details line gives; {} when it is not one."""
    parts = [p.strip(" .") for p in re.split(r"\s*(?:[·|;]|\s[-–—]\s|\.\s+(?=[A-Z]))\s*", text) if p.strip(" .")]
    if len(parts) < 2:
        return {}
    found: dict[str, str] = {}
    rest = []
    for part in parts:
        label, colon, value = part.partition(":")
        said = value.strip() if colon and len(label.split()) <= 4 else part
        level = v.lists["level"].meant(re.sub(r"\s*\blevel\b\s*", "", said, flags=re.IGNORECASE))
        if level and "level" not in found:  # "School level", "Level: School"
            found["level"] = level
        elif v.lists["frequency"].meant(said) and "frequency" not in found:
            found["frequency"] = said
        elif re.search(r"\bon track\b|\bby (?:mid-?year|january|february|december|winter)\b", part, re.I):
            found["on_track"] = said
        else:
            rest.append(said)
    if rest and len(found) >= 1 and len(rest[0].split()) <= 8:
        found["monitored_by"] = rest.pop(0)
    if rest:  # what is none of these is kept with the on-track sign, never dropped
        found["on_track"] = "; ".join([*([found["on_track"]] if "on_track" in found else []), *rest])
    return found if len(found) >= 2 else {}
