"""Write a Plan as the official Word plan: shaded prompt rows over the district's answers.

Layout follows the official DESE templates: a title block, then each section
as a table whose shaded rows hold the guidance's prompts word for word and
whose white rows hold the answers. Sections are real Word headings, table
header rows repeat across pages, and answers become real bullets and numbered
lists.
"""

from __future__ import annotations

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Inches, Pt

from .. import text
from ..model import Plan, Priority
from ..variants import FieldSpec, SectionSpec, TableSpec, Variant
from . import docx_common as common

LABEL_WIDTH = Inches(2.0)
ANSWER_WIDTH = common.BODY_WIDTH - LABEL_WIDTH


def build(plan: Plan, variant: Variant) -> bytes:
    """Return the official Word plan for ``plan`` as .docx bytes."""
    writer = _PlanWriter(plan, variant)
    writer.write()
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


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
        self.number = 1  # the priority being written, for spec text like "Priority #{{ number }}"

    def t(self, source: str, **extra) -> str:
        return self.v.text(source, **{"district": self.plan.district.name, "number": self.number, **extra})

    def write(self) -> None:
        self.cover()
        self.district_information()
        for section in self.v.sections_in("district"):
            common.heading(self.doc, self.t(section.heading), 1)
            self.section(section, self.plan.answers, None)
        for priority in self.plan.priorities:
            self.number = priority.number
            common.heading(self.doc, self.t(self.v.priority_heading), 1)
            for section in self.v.sections_in("priority"):
                common.heading(self.doc, self.t(section.heading), 2)
                self.section(section, priority.answers, priority)
        if len(self.plan.priorities) < 2 and self.v.second_priority_note:
            first, *rest = [self.t(line) for line in self.v.second_priority_note]
            common.heading(self.doc, first, 1)
            for line in rest:
                self.doc.add_paragraph(line)

    # title block and district

    def cover(self) -> None:
        doc, d = self.doc, self.plan.district
        lines = [self.t(line) for line in self.v.cover]
        for i, line in enumerate(lines):
            p = common.add_paragraph(doc, style="Title" if i == 1 else None)
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(line)
            if i != 1:
                run.bold = True
                run.font.size = Pt(14)
                run.font.color.rgb = common.NAVY
        for label, value in (("District name", d.name), ("Date", d.date)):
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(value)
        if self.v.cover_note:
            note = doc.add_paragraph()
            note.add_run(self.t(self.v.cover_note)).italic = True

    def district_information(self) -> None:
        doc, d = self.doc, self.plan.district
        common.heading(doc, self.t(self.v.district_title), 1)
        table = common.table(doc, [LABEL_WIDTH, ANSWER_WIDTH])
        for f in self.v.district_fields:
            if f.key in ("name", "date"):
                continue  # already in the title block
            self.side_row(table, self.t(f.label), getattr(d, f.key))
        schools = [t for t in self.v.tables.values() if t.key == "schools"]
        for spec in schools:
            common.spacer(doc)
            self.data_table(spec, self.plan.schools)

    # sections

    def section(self, section: SectionSpec, answers: dict, priority: Priority | None) -> None:
        table = None
        if section.prompt and section.prompt != section.heading:
            table = common.table(self.doc, [LABEL_WIDTH, ANSWER_WIDTH])
            self.prompt_row(table, section.prompt, section.bullets, section.notes, section.tips)
        for part in section.parts:
            if part.prompt or part.fields:
                if table is None:
                    table = common.table(self.doc, [LABEL_WIDTH, ANSWER_WIDTH])
                if part.prompt:
                    self.prompt_row(table, part.prompt, part.bullets, part.notes, part.tips)
                for f in part.fields:
                    self.field(table, f, answers.get(f.key, ""))
            if part.table:
                if table is not None:
                    common.spacer(self.doc)
                rows = getattr(priority if priority else self.plan, part.table)
                self.data_table(self.v.tables[part.table], rows)
                table = None
        common.spacer(self.doc)
        for line in section.after:
            self.doc.add_paragraph(self.t(line)).runs[0].italic = True

    def prompt_row(self, table, prompt: str, bullets, notes, tips) -> None:
        cell = common.merged_row(table)
        common.shade(cell, common.PROMPT_FILL)
        common.keep_row_together(cell)
        prompt = self.t(prompt)
        lead, colon, rest = prompt.partition(": ")
        first = cell.paragraphs[0]
        if colon and len(lead) <= 60:
            first.add_run(lead + colon).bold = True
            first.add_run(rest)
        else:
            first.add_run(prompt)
        for bullet in bullets:
            common.add_paragraph(cell, self.t(bullet), "List Bullet")
        for note in notes:
            cell.add_paragraph().add_run(self.t(note)).italic = True
        if tips:
            cell.add_paragraph().add_run("TIPS:").bold = True
            for tip in tips:
                common.add_paragraph(cell, self.t(tip), "List Bullet")
        common.keep_with_next(cell)

    def field(self, table, f: FieldSpec, value: str) -> None:
        label = self.t(f.label)
        if f.layout == "side":
            self.side_row(table, label, value)
            return
        label_cell = common.merged_row(table)
        common.shade(label_cell, common.LABEL_FILL)
        self.label(label_cell, label)
        common.keep_row_together(label_cell)
        common.keep_with_next(label_cell)
        self.answer(common.merged_row(table), value)

    def side_row(self, table, label: str, value: str) -> None:
        row = common.add_row(table)
        label_cell, answer_cell = row.cells
        common.keep_row_together(label_cell)
        common.shade(label_cell, common.LABEL_FILL)
        self.label(label_cell, label)
        self.answer(answer_cell, value)

    def label(self, cell, label: str) -> None:
        """Write a field's label in bold; a label of several lines keeps them as paragraphs."""
        for i, line in enumerate(label.split("\n")):
            paragraph = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
            paragraph.add_run(line).bold = True

    def answer(self, cell, value: str) -> None:
        """Fill ``cell`` with an answer's paragraphs; an unanswered prompt leaves a visibly blank row."""
        if not value:
            common.min_height(cell, Inches(0.45))
            return
        common.write_blocks(cell, text.blocks(value), self.lists)

    def data_table(self, spec: TableSpec, rows: list) -> None:
        columns = spec.columns
        widths = common.column_widths([max(c.width, 14) for c in columns])
        table = common.table(self.doc, widths)
        header = common.add_row(table)
        common.repeat_header(header)
        for cell, column in zip(header.cells, columns):
            common.shade(cell, common.HEADER_FILL)
            for i, line in enumerate(self.t(column.header).split("\n")):
                run = (cell.paragraphs[0] if i == 0 else cell.add_paragraph()).add_run(line)
                run.bold, run.font.size = True, common.TABLE_TEXT
        for item in rows or [None, None]:
            row = common.add_row(table)
            for cell, column in zip(row.cells, columns):
                value = getattr(item, column.key) if item is not None else ""
                if spec.key == "targeted_support" and column.key == "school" and value:
                    value = self.plan.school_summary(value)
                if value:
                    common.write_blocks(cell, text.blocks(value), self.lists, size=common.TABLE_TEXT)
                else:
                    common.min_height(cell, Inches(0.4))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
