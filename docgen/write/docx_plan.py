"""Write a Plan as the official Word plan: shaded prompt rows over the district's answers.

Layout follows the official DESE templates: a title block, then each section
as a table whose shaded rows hold the guidance's prompts word for word and
whose white rows hold the answers. Sections are real Word headings, table
header rows repeat across pages, and answers become real bullets and numbered
lists.
"""

from __future__ import annotations

from docgen import text
from docgen.model.plan import Plan, Priority
from docgen.variants import FieldSpec, SectionSpec, TableSpec, Variant
from docgen.write import docx_common as common
from docgen.write import docx_package
from docgen.write import docx_xml as xml

LABEL_WIDTH = common.inches(2.0)
ANSWER_WIDTH = common.BODY_WIDTH - LABEL_WIDTH
FORM_WIDTHS = [LABEL_WIDTH, ANSWER_WIDTH]
BLANK_ANSWER = common.inches(0.45)  # an unanswered prompt's row stays this tall, visibly open
BLANK_CELL = common.inches(0.4)
TABLE_PT = 10
HEADINGS = {1: common.STYLE_IDS["Heading 1"], 2: common.STYLE_IDS["Heading 2"]}
BULLET = common.STYLE_IDS["List Bullet"]

NO_TARGETED_SUPPORT = "None: this priority names no school for targeted support."


def build(plan: Plan, variant: Variant) -> bytes:
    """Return the official Word plan for ``plan`` as .docx bytes."""
    return docx_package.write(document(plan, variant))


def document(plan: Plan, variant: Variant) -> docx_package.Document:
    """Return the official Word plan as a Document whose body (a list of XML blocks) may still be changed.

    ``docgen template new`` writes a plan of tags this way, then marks its loops.
    """
    writer = _PlanWriter(plan, variant)
    writer.write()
    writer.doc.body = writer.body
    return writer.doc


class _PlanWriter:
    def __init__(self, plan: Plan, variant: Variant):
        self.plan, self.v = plan, variant
        self.doc = common.new_document(
            title=variant.document_title(plan.district.name),
            author=plan.district.contact_name or plan.district.name,
            subject=f"{variant.plan_year} District Instructional Prioritization Plan",
            footer=f"{plan.district.name} · {variant.plan_year} Instructional Prioritization Plan",
        )
        self.lists = common.ListNumbering(self.doc)
        self.body: list[str] = []
        self.rows: list[str] = []  # rows of the form table being written
        self.number = 1  # the priority being written, for spec text like "Priority #{{ number }}"

    def t(self, source: str) -> str:
        return self.v.text(source, district=self.plan.district.name, number=self.number)

    def heading(self, value: str, level: int) -> None:
        self.body.append(xml.para(xml.run(value), style=HEADINGS[level]))

    def write(self) -> None:
        self.cover()
        self.district_information()
        for section in self.v.sections_in("district"):
            self.heading(self.t(section.heading), 1)
            self.section(section, self.plan.answers, None)
        for priority in self.plan.priorities:
            self.number = priority.number
            self.heading(self.t(self.v.priority_heading), 1)
            for section in self.v.sections_in("priority"):
                self.heading(self.t(section.heading), 2)
                self.section(section, priority.answers, priority)
        if len(self.plan.priorities) < 2 and self.v.second_priority_note:
            first, *rest = [self.t(line) for line in self.v.second_priority_note]
            self.heading(first, 1)
            self.body.extend(xml.para(xml.run(line)) for line in rest)

    # title block and district

    def cover(self) -> None:
        d = self.plan.district
        for i, line in enumerate(self.t(line) for line in self.v.cover):
            if i == 1:
                self.body.append(xml.para(xml.run(line), style=common.STYLE_IDS["Title"], align="center"))
            else:
                self.body.append(xml.para(xml.run(line, bold=True, size_pt=14, color=common.NAVY), align="center"))
        for label, value in (("District name", d.name), ("Date", d.date)):
            self.body.append(xml.para(xml.run(f"{label}: ", bold=True) + xml.run(value)))
        if self.v.cover_note:
            self.body.append(xml.para(xml.run(self.t(self.v.cover_note), italic=True)))

    def district_information(self) -> None:
        d = self.plan.district
        self.heading(self.t(self.v.district_title), 1)
        header = "".join(xml.cell(xml.para(xml.run(text, bold=True)), width, fill=common.HEADER_FILL)
                         for text, width in (("Item", LABEL_WIDTH), ("Answer", ANSWER_WIDTH)))
        self.rows.append(xml.row(header, header=True))
        for f in self.v.district_fields:
            if f.key not in ("name", "date"):  # already in the title block
                self.side_row(self.t(f.label), getattr(d, f.key))
        self.close_form()
        if "schools" in self.v.tables:
            self.data_table(self.v.tables["schools"], self.plan.schools)

    # sections

    def section(self, section: SectionSpec, answers: dict, priority: Priority | None) -> None:
        if section.prompt and section.prompt != section.heading:
            self.prompt_row(section.prompt, section.bullets, section.notes, section.tips)
        for part in section.parts:
            if part.prompt:
                self.prompt_row(part.prompt, part.bullets, part.notes, part.tips)
            for f in part.fields:
                self.field(f, answers.get(f.key, ""))
            if part.table:
                rows = getattr(priority if priority else self.plan, part.table)
                if not rows and part.table == "targeted_support":  # no school of this priority: a sentence, no
                    self.answer_rows(NO_TARGETED_SUPPORT)          # table of empty rows
                    continue
                self.close_form(keep_next=True)  # the prompt keeps with the table's header and first row
                self.data_table(self.v.tables[part.table], rows)
        self.close_form()
        for line in section.after:  # an intro line ("... the prompts below.") keeps with what it introduces
            self.body.append(xml.para(xml.run(self.t(line), italic=True), keep_next=True))

    def close_form(self, keep_next: bool = False) -> None:
        """End the section's form table, followed by a small gap (Word fuses adjacent tables)."""
        if self.rows:
            self.body.append(xml.table(FORM_WIDTHS, "".join(self.rows)))
            self.rows = []
            self.spacer(keep_next)

    def spacer(self, keep_next: bool = False) -> None:
        self.body.append(xml.para(space_after_pt=0, line_twips=160, keep_next=keep_next))

    def merged_row(self, content: str, fill: str | None = None, keep: bool = False, min_height: int | None = None):
        """Add a row spanning both columns. A prompt is no column header: it must not repeat on later pages."""
        self.rows.append(xml.row(xml.cell(content, sum(FORM_WIDTHS), fill=fill, span=2), cant_split=keep,
                                 min_height_twips=min_height))

    def prompt_row(self, prompt: str, bullets, notes, tips) -> None:
        prompt = self.t(prompt)
        lead, colon, rest = prompt.partition(": ")
        if colon and len(lead) <= 60:
            first = xml.run(lead + colon, bold=True) + xml.run(rest)
        elif prompt.endswith(":") and len(prompt) <= 60:
            first = xml.run(prompt, bold=True)
        else:
            first = xml.run(prompt)
        paragraphs = [xml.para(first, keep_next=True)]
        paragraphs += [xml.para(xml.run(self.t(b)), style=BULLET, keep_next=True) for b in bullets]
        paragraphs += [xml.para(xml.run(self.t(n), italic=True), keep_next=True) for n in notes]
        if tips:
            paragraphs.append(xml.para(xml.run("TIPS:", bold=True), keep_next=True))
            paragraphs += [xml.para(xml.run(self.t(tip)), style=BULLET, keep_next=True) for tip in tips]
        self.merged_row("".join(paragraphs), fill=common.PROMPT_FILL, keep=True)

    def label(self, label: str, keep_next: bool = True) -> str:
        """Return a field's label in bold; a label of several lines keeps them as paragraphs.

        A label over its answer keeps with it; a label beside its answer (a
        side row) must not, or every side row would chain to the next and a
        whole section would move to a new page together.
        """
        return "".join(xml.para(xml.run(line, bold=True), keep_next=keep_next) for line in label.split("\n"))

    def field(self, f: FieldSpec, value: str) -> None:
        label = self.t(f.label)
        if f.layout == "side":
            self.side_row(label, value)
            return
        self.merged_row(self.label(label), fill=common.LABEL_FILL, keep=True)
        self.answer_rows(value)

    def answer_rows(self, value: str) -> None:
        """Add an answer as one unsplittable row per paragraph, their inner borders left out.

        A page can then break only between paragraphs, never inside one, so no
        single line is stranded at the foot or the top of a page, whatever the
        program laying the page out. The first paragraph keeps to the second,
        so a label never ends a page over just one line of its answer.
        """
        found = text.blocks(value) if value else []
        if not found:
            self.merged_row("", min_height=BLANK_ANSWER)
            return
        for i, block in enumerate(found):
            edges = (("top",) if i else ()) + (("bottom",) if i < len(found) - 1 else ())
            content = common.blocks_xml([block], self.lists, keep_next=i == 0 and len(found) > 1,
                                        continues=i > 0 and found[i - 1].kind == block.kind)
            self.rows.append(xml.row(xml.cell(content, sum(FORM_WIDTHS), span=2, open_edges=edges), cant_split=True))

    def side_row(self, label: str, value: str) -> None:
        cells = (xml.cell(self.label(label, keep_next=False), LABEL_WIDTH, fill=common.LABEL_FILL)
                 + xml.cell(self.answer(value), ANSWER_WIDTH))
        self.rows.append(xml.row(cells, cant_split=True, min_height_twips=None if value else BLANK_ANSWER))

    def answer(self, value: str, size_pt: float | None = None) -> str:
        """Return an answer's paragraphs; an unanswered prompt gives an empty cell (its row kept open)."""
        return common.blocks_xml(text.blocks(value), self.lists, size_pt) if value else ""

    def data_table(self, spec: TableSpec, rows: list) -> None:
        """Write a repeating table: a header row that repeats on each page, then one row per entry."""
        headers = [self.t(c.header) for c in spec.columns]
        # no header word and no word of a value breaks ("0999 | 0005", "Underperformin | g"): each column is at
        # least as wide as its longest word, and the columns share the rest of the width by their weights
        longest = [max([common.unbroken_width(h, TABLE_PT, bold=True)]
                       + [common.unbroken_width(str(getattr(item, c.key) or ""), TABLE_PT) for item in rows or []])
                   for h, c in zip(headers, spec.columns, strict=True)]
        widths = common.column_widths([min(max(c.width, 16), 30) for c in spec.columns], longest)
        header = "".join(  # the header keeps with the first row, the next to last row with the last
            xml.cell("".join(xml.para(xml.run(line, bold=True, size_pt=TABLE_PT), keep_next=True)
                             for line in h.split("\n")), w, fill=common.HEADER_FILL)
            for h, w in zip(headers, widths, strict=False))
        out = [xml.row(header, header=True)]
        entries = rows or [None, None]
        for i, item in enumerate(entries):
            cells = []
            for column, width in zip(spec.columns, widths, strict=False):
                value = getattr(item, column.key) if item is not None else ""
                if spec.key == "targeted_support" and column.key == "school" and value:
                    value = self.plan.school_summary(value)
                cell = common.blocks_xml(text.blocks(value), self.lists, TABLE_PT, keep_next=i == len(entries) - 2)
                cells.append(xml.cell(cell if value else "", width))
            out.append(xml.row("".join(cells), cant_split=True,
                               min_height_twips=None if item is not None else BLANK_CELL))
        self.body.append(xml.table(widths, "".join(out)))
        self.spacer()
