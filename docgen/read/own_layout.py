"""File a district's document in its own layout under the plan's fields, by what each piece says.

The pieces (pieces.py) come in reading order from Word, PowerPoint or PDF.
A heading, label or kept prompt is a cue: meaning.py says which section or
field it names, however titled, numbered or worded. Text after a cue is its
answer; text under a section heading with no label goes to the section's
field whose questions its words are closest to. A table is one of the plan's
tables when its columns mean that table's columns (own_tables.py), a label
and answer table when its left column names fields, else plain text. "Priority
2" (or the sections starting over) opens the second priority.

Nothing is dropped: each piece lands in a field, surely or marked unsure (to
confirm in the workbook), or is listed unplaced with where it came from and
why. The tally counts them.
"""

from __future__ import annotations

import re
from pathlib import Path

from rapidfuzz import fuzz

from docgen.model.plan import PRIORITY_TABLES, District, Plan, Priority, School
from docgen.read import own_cover
from docgen.read.meaning import SURE, Meaning, Vocabulary, plain
from docgen.read.own_rows import TableFiling
from docgen.read.pieces import LISTED, Piece, Pieces, as_answer_line, looks_like_label
from docgen.read.word import Imported
from docgen.read.word_document import ImportError_
from docgen.read.word_prompts import leading_choice
from docgen.variants import FieldSpec, Variant

PRIORITY = re.compile(r"^\s*(?:instructional\s+)?priority\s*(?:#|no\.?|number)?\s*(\d)\b\s*[:.\-–—]?\s*(.*)$",
                      re.IGNORECASE | re.DOTALL)
LABELLED = re.compile(r"(?<=[.;!?|·,])\s+(?=[A-Z][\w'’/ -]{0,30}:\s)")  # a second "Label: " after a sentence
ORDINAL = re.compile(r"^\s*(first|second|1st|2nd)\s+(?:instructional\s+)?priority\b\s*[:.\-–—]?\s*(.*)$",
                     re.IGNORECASE | re.DOTALL)


class OwnLayout(TableFiling):
    """Reads one document's pieces into an Imported (the plan, what was placed unsure, what was not placed)."""

    def __init__(self, v: Variant, vocabulary: Vocabulary | None = None):
        self.v = v
        self.vocab = vocabulary or Vocabulary(v)
        self.plan = Plan(variant=v.id, district=District(school_year=v.school_year))
        self.found = Imported(self.plan, v, own_layout=True)
        self.answers: dict[int, dict[str, list[str]]] = {1: {}}
        self.tables: dict[int, dict[str, list]] = {1: {k: [] for k in PRIORITY_TABLES}}
        self.number = 1
        self.section = ""
        self.field: FieldSpec | None = None
        self.district_key = ""
        self.sure = False
        self.entered = False  # a section of the plan was found
        self.astray = False  # under a heading of the district's own that names no section
        self.order = {s.id: i for i, s in enumerate(v.sections)}
        self.last_order = -1
        self.cues: set[str] = set()  # the headings and labels read as cues (the layout, not answers)
        self.opened_row = 0  # id() of the table row a line just opened (a school's, a benchmark's): its details follow
        self.counters: dict[tuple[int, str], int] = {}  # numbered-list position per answer
        self.tally = {"placed": 0, "unsure": 0, "unplaced": 0}

    # --- the walk -------------------------------------------------------------------------------

    def read(self, pieces: Pieces, file_name: str = "") -> Imported:
        for piece in pieces.items:
            if piece.aside:
                if self.vocab.is_template_text(piece.text) or piece.text.strip(" :•-").casefold() == "tips":
                    continue  # the guidance's own prompts and tips (docgen's deck puts them in the notes)
                self.unplaced(piece.where, piece.text, f"{piece.aside}: kept, not part of an answer")
                self.district_from(piece.text, sure=False, where=piece.where)
            elif piece.rows is not None:
                self.table(piece)
            else:
                self.piece(piece)
        self.found.comments = pieces.comments
        self.audit(pieces)
        if not self.entered and not (pieces.format == "pdf" and not pieces.items):
            raise ImportError_(f"{file_name}: does not look like a district instructional prioritization plan: none "
                               "of the plan's sections or prompts were found")
        self.finish(pieces, file_name)
        self.found.tally = dict(self.tally)
        return self.found

    def piece(self, piece: Piece) -> None:
        text = piece.text.strip()
        if not text:
            return
        marker = PRIORITY.match(text) or ORDINAL.match(text)
        if marker and (piece.heading or piece.label or len(text.split()) <= 14 or marker.group(2)):
            number = marker.group(1)
            self.switch(int(number) if number.isdigit() else (2 if number.lower() in ("second", "2nd") else 1))
            self.section, self.field, self.sure = "priority", None, True
            rest = marker.group(2).strip()
            if rest:  # "Priority 1: Every student will ..." names the priority itself (a few words: to check)
                self.place(piece, rest, self.v.field("statement"), sure=len(rest.split()) >= 4)
            return
        if self.section and not (piece.heading or piece.label) and (self.answered_by_table() and not self.astray) \
                and not self.vocab.is_template_text(text) and self.as_row(piece, text):
            return  # a line where the plan asks for a table: a goal, a benchmark, a school's support
        if self.astray and piece.kind != "para" and self.goal_row(piece, text):
            return  # under a heading of the district's own, a listed goal "Measure: group, from X to Y"
        if not self.section and (piece.heading or piece.label or len(text.split()) <= 12) and \
                self.district_from(text, sure=True, where=piece.where):
            return
        if (piece.heading or piece.label) and self.vocab.is_title(text):
            self.district_from(text, sure=False, where=piece.where)
            if not self.vocab.is_template_text(text):  # the template's own title is not the district's text
                self.unplaced(piece.where, text, "the document's title")
            return
        kind_of = own_cover.field_of_value(text, self.v) if self.section in ("", "priority", "hqim") else None
        if kind_of is not None:  # "Content area: ELA", "Our decision this year: Adjust": the value says the field
            key, value = kind_of
            if self.section != self.vocab.field_section[key]:
                self.enter(self.vocab.field_section[key])
            self.place(piece, value, self.v.field(key), sure=False)
            return
        if self.vocab.is_template_text(text):
            self.cue(self.vocab.cue(text, self.section), piece, text)
            return
        cue_like = piece.heading or piece.label or (looks_like_label(text) and (
            len(text.split()) <= 10 or text.rstrip().endswith("?")))  # a question asks; a long colon line answers
        if cue_like and len(text.split()) <= 25:
            meaning = self.vocab.cue(text, self.section, heading=bool(piece.heading))
            switches = meaning.section == self.section or meaning.score >= 0.9  # a label names a field; a section
            if meaning.score >= (0.45 if piece.heading else 0.6) and (  # only when it is that section's name
                    piece.heading or meaning.field is not None or (meaning.score >= SURE and switches)):
                self.cue(meaning, piece, text)
                return
            if piece.heading and self.section and self.answered_by_table() and self.as_row(piece, text):
                return  # a school's name as a sub-heading under targeted support, a benchmark as a heading
            if piece.heading and self.section:  # a heading of the district's own: what follows goes by meaning
                self.field, self.sure, self.astray = None, False, True
                self.unplaced(piece.where, text, "a heading of the district's own: kept; the text below it is "
                                                 "placed by what it says")
                return
            if piece.label:  # a label of the district's own: it and what follows go by what they say
                self.field, self.sure = None, False
        said = own_cover.district_line(text, self.plan.district, self.v)
        if said is not None:  # "Date: June 16, 2025" wherever it stands, while the District field is empty
            self.district_key = said[0]
            self.content(piece, said[1])
            return
        several = LABELLED.split(text)
        if len(several) > 1:  # "Funding: Title I. Staffing: two coaches.": each label with its answer
            for part in several:
                self.piece(Piece(part, piece.where, piece.kind, label=False))
            return
        head, colon, rest = text.partition(":")
        if colon and rest.strip() and len(head.split()) <= 12 and not re.search(r"[·|;]", head):
            meaning = self.vocab.cue(head, self.section)
            if meaning.score >= 0.6 and (meaning.field is not None or meaning.district_key):
                self.cue(meaning, piece, head)
                said = self.v.text(meaning.field.label) if meaning.field is not None else ""
                exact = fuzz.ratio(plain(head), plain(said)) >= 85 or meaning.district_key or \
                    (meaning.field is not None and meaning.field.kind != "text")  # a choice or a short value
                self.content(piece, rest.strip() if exact else text)  # a label of the district's own stays in
                if meaning.field is not None:  # a one-line "Label: answer": the next paragraph goes by meaning
                    self.field, self.sure = None, False
                return
        self.content(piece, text)

    def audit(self, pieces: Pieces) -> None:
        """List any line of the district's text found in no field and no Carried row: nothing is lost unseen.

        Headings and labels that named a section or field are the layout, not
        answers; every other line should be somewhere by now, and one that is
        not (a part a reader took apart) is listed, whole, with its origin.
        """
        kept = " ".join([*(" ".join(str(v) for v in vars(self.plan.district).values()),),
                         *self.plan.answers.values(),
                         *(v for answers in self.answers.values() for lines in answers.values() for v in lines),
                         *(str(vars(row)) for rows in self.tables.values() for table in rows.values() for row in table),
                         *(str(vars(row)) for row in (*self.plan.schools, *self.plan.curricula)),
                         *(text for _, text, _ in self.found.unplaced), *(u[2] for u in self.found.unsure),
                         *self.found.to_choose.values()])
        kept = _bare(kept)
        for piece in pieces.items:
            lines = [piece.text] if piece.rows is None else [line for row in piece.rows[1:] for c in row
                                                            for line in c.split("\n")]  # a header row is layout
            for line in lines:
                bare = _bare(line)
                if len(bare.split()) >= 3 and bare not in kept and bare not in self.cues and not piece.heading \
                        and not piece.label and not piece.aside and not self.vocab.is_template_text(line):
                    self.unplaced(piece.where, line.strip(), "kept whole: read in parts, check where they went")

    def cue(self, meaning: Meaning, piece: Piece, text: str) -> None:
        """Make a heading or label the place of the text that follows it."""
        self.cues.add(_bare(text))
        if meaning.district_key:
            self.district_key, self.field, self.sure = meaning.district_key, None, True
            return
        self.district_key, self.astray = "", False
        if meaning.section and meaning.section != self.section:
            if meaning.field is not None and meaning.score < 0.6:
                self.astray = True  # a weak label elsewhere does not move the reading to another section
                self.field, self.sure = None, False
                return
            self.enter(meaning.section, strong=meaning.score >= SURE)
        self.field = meaning.field
        self.sure = meaning.score >= SURE or (meaning.field is None and meaning.score >= 0.5)

    def enter(self, section: str, strong: bool = False) -> None:
        """Open a section; the priority sections starting over (after text for this one) open the next priority."""
        spec = next(s for s in self.v.sections if s.id == section)
        if spec.scope == "priority":
            index = self.order[section]
            first = min(self.order[s.id] for s in self.v.sections_in("priority"))
            if strong and index == first and self.last_order > first + 1 and \
                    self.answers[self.number].get("statement"):
                self.switch(self.number + 1)  # the plan's sections again, from the priority: the second priority
            self.last_order = index
        self.section = section
        self.entered = True

    def switch(self, number: int) -> None:
        number = max(1, min(number, 2))
        if number != self.number:
            self.number = number
            self.answers.setdefault(number, {})
            self.tables.setdefault(number, {k: [] for k in PRIORITY_TABLES})
            self.last_order = -1

    def has_text(self, number: int) -> bool:
        return any(self.answers.get(number, {}).values()) or any(self.tables.get(number, {}).values())

    # --- answers --------------------------------------------------------------------------------

    def content(self, piece: Piece, text: str) -> None:
        if self.district_key:
            key, self.district_key = self.district_key, ""
            email = re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text)
            if email and key != "contact_email":  # "Contact: name, role, address": the address is the email's
                if not self.plan.district.contact_email:
                    self.plan.district.contact_email = email.group(0)
                    self.found.origins["district.contact_email"] = piece.where
                text = (text[:email.start()] + text[email.end():]).strip(" ,;|·-–<>()")
            had = getattr(self.plan.district, key)
            if not had or key == "school_year":
                setattr(self.plan.district, key, text)
                self.found.origins[f"district.{key}"] = piece.where
            if not had or key == "school_year" or had == text:
                self.tally["placed"] += 1
            else:
                self.unplaced(piece.where, text, f"after the label of the district's {key.replace('_', ' ')}, "
                                                 f"which already reads '{had}'")
            return
        if not self.section:
            if not self.district_from(text, sure=True, where=piece.where):
                self.unplaced(piece.where, text, "before the plan's first section: not under any of its prompts")
            return
        field, sure = self.field, self.sure
        if field is None or field.kind == "choice" and not self.v.lists[field.list].meant(text.split(".")[0]):
            field, sure = self.by_meaning(text)
        if field is None and self.as_row(piece, text):
            return
        if field is None:  # a section answered by a table only: the text goes where its words belong, to check
            field, margin = self.vocab.field_for_text(text)
            if field is None or margin == 0:
                self.unplaced(piece.where, text, f"in the section '{self.section_name()}', which is answered in "
                                                 "a table: put it in rows there")
                return
            self.enter(self.vocab.field_section[field.key])
            sure = False
        self.place(piece, as_answer_line(piece) if piece.kind != "para" or text == piece.text else text, field, sure)

    def by_meaning(self, text: str) -> tuple[FieldSpec | None, bool]:
        """Return the field of the current section an unlabelled answer is about, and whether that is sure."""
        if self.astray:  # under a heading of the district's own: the closest field of any section
            field, margin = self.vocab.field_for_text(text)
            if field is not None and margin > 0:
                self.enter(self.vocab.field_section[field.key])
                self.field, self.sure = field, False
                return field, False
        spec = next(s for s in self.v.sections if s.id == self.section)
        for f in spec.fields:
            if f.kind == "choice" and self.v.lists[f.list].meant(text.split(".")[0].strip()):
                return f, True
        texts = [f for f in spec.fields if f.kind == "text"]  # a paragraph answers a text field
        if not texts:
            return None, False
        if len(texts) == 1:
            return texts[0], not self.astray
        field, margin = self.vocab.field_for_text(text, self.section)
        store = self.answers[self.number] if self.scope() == "priority" else self.plan.answers
        if not self.astray and not any(store.get(f.key) for f in texts):  # a section's first answer: its first
            return texts[0], field is texts[0] and margin >= 0.6  # question's, sure if its words say so too
        if field is None or margin == 0:
            field = self.current_or_first(texts)
            return field, False
        return field, margin >= 0.6 and not self.astray

    def current_or_first(self, texts: list[FieldSpec]) -> FieldSpec:
        store = self.answers[self.number] if self.scope() == "priority" else {}
        filled = [f for f in texts if store.get(f.key) or self.plan.answers.get(f.key)]
        return filled[-1] if filled else texts[0]

    def answered_by_table(self) -> bool:
        """True in a section the plan answers with a table only (outcomes, monitoring, targeted support)."""
        spec = next((s for s in self.v.sections if s.id == self.section), None)
        return spec is not None and not any(f.kind == "text" for f in spec.fields)

    def scope(self) -> str:
        return next(s.scope for s in self.v.sections if s.id == self.section)

    def section_name(self) -> str:
        spec = next(s for s in self.v.sections if s.id == self.section)
        return self.v.text(spec.heading)

    def place(self, piece: Piece, text: str, field: FieldSpec, sure: bool) -> None:
        """File ``text`` under ``field`` (of the current priority, or the district); note it unsure if it is."""
        scope = self.vocab.v.sections[[s.id for s in self.v.sections].index(self.vocab.field_section[field.key])].scope
        key = f"p{self.number}.{field.key}" if scope == "priority" else f"answers.{field.key}"
        if field.kind == "choice":
            choice = self.v.lists[field.list].meant(text.split(".")[0].strip()) or \
                leading_choice(text, self.v.lists[field.list].values)
            if choice is None:
                self.found.to_choose[key] = text
                self.tally["unsure"] += 1
                return
            rest, said = text[len(choice):].lstrip(" .,;:-–—"), text
            text = choice
            if rest:  # "Adjust: we narrow ...": the choice, and the whole line under the answer that follows it
                fields = self.v.sections[self.order[self.vocab.field_section[field.key]]].fields
                after = fields[fields.index(field) + 1:] + fields[:fields.index(field)]
                note = next((f for f in after if f.kind == "text"), None)
                if note is not None:
                    self.place(piece, said, note, sure)
        count = (self.number if scope == "priority" else 0, field.key)
        if piece.kind == "number" and not LISTED.match(text):  # a numbered list's number, as docgen's answers keep it
            self.counters[count] = self.counters.get(count, 0) + 1
            text = f"{self.counters[count]}. {text}"
        elif piece.kind != "number":
            self.counters.pop(count, None)
        if scope == "priority":
            self.answers[self.number].setdefault(field.key, []).append(text)
        else:
            self.plan.answers[field.key] = (self.plan.answers.get(field.key, "") + "\n" + text).strip("\n")
        self.found.origins.setdefault(key, piece.where)
        if sure:
            self.tally["placed"] += 1
        else:
            self.tally["unsure"] += 1
            self.found.unsure.append((key, piece.where, text, "placed by what it says, under no label: check this"))

    def unplaced(self, where: str, text: str, why: str) -> None:
        self.found.unplaced.append((where, text, why))
        self.tally["unplaced"] += 1

    # --- the district, and the end --------------------------------------------------------------

    def district_from(self, text: str, sure: bool, where: str) -> bool:
        """Take the district's name or the plan's date from cover text; True when the text was only that."""
        name, date, whole = own_cover.on_cover(text)
        for key, value in (("name", name), ("date", date)):
            if value and not getattr(self.plan.district, key):
                setattr(self.plan.district, key, value)
                self.found.origins[f"district.{key}"] = where
        if whole and sure:
            self.tally["placed"] += 1
        return whole

    def finish(self, pieces: Pieces, file_name: str) -> None:
        self.focus_from_statement()
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
        if not self.plan.schools:
            names = dict.fromkeys(r.school for p in self.plan.priorities for r in p.targeted_support if r.school)
            self.plan.schools = [School(name=name) for name in names]
        if not self.plan.district.name:
            self.name_from(pieces.title, "the file's title") or self.name_from(file_name, "the file name")
        if not self.plan.district.name and Path(file_name).stem.strip():  # so the plan builds; marked to fill in
            self.plan.district.name = " ".join(Path(file_name).stem.replace("_", " ").split())
            self.found.unsure.append(("district.name", "the file name", self.plan.district.name,
                                      "no district name in the document: this is the file's name; put the district's"))
        asked = [f for s in self.v.sections for f in s.fields if f.required]
        filled = {k.rpartition(".")[2] for k in self.found.origins}
        self.found.matched = [self.v.text(f.label) for f in asked if f.key in filled]
        self.found.missing = [self.v.text(f.label) for f in asked if f.key not in filled]

    def name_from(self, value: str, source: str) -> bool:
        """Take the district's name from a title or file name ("Granite Falls FY26 plan.docx"), to check."""
        name = own_cover.name_in(value, file_name=source == "the file name")
        if not name:
            return False
        self.plan.district.name = name
        self.found.origins["district.name"] = source
        self.found.unsure.append(("district.name", source, name, f"the district's name, taken from {source}: check it"))
        return True

    def focus_from_statement(self) -> None:
        """Read the subject, grades and student groups from the priority's statement when no answer names them."""
        for number, answers in self.answers.items():
            statement = " ".join(answers.get("statement", []))
            for key, value in own_cover.focus_in(statement, self.v).items() if statement else ():
                if value and not answers.get(key) and self.v.field(key) is not None:
                    answers[key] = [value]
                    self.found.origins[f"p{number}.{key}"] = "the priority's statement"
                    self.found.unsure.append((f"p{number}.{key}", "the priority's statement", value,
                                              "read from the priority's statement: check it"))


def _bare(text: str) -> str:
    """Return text as the audit compares it: words only, one space, folded case."""
    return " ".join(re.findall(r"\w+", text.casefold()))
