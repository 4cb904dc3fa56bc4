"""Tuning layouts for Word plans, as districts make them (the held-out ones live in held_out/, unseen).

- ``own_headings``: the district's own document: its headings, its order, its
  labels, a goals table and a checkpoints table with its own column names,
  bullets, the priority in a text box, letterhead in the page header, a
  tracked change and a reviewer's comment left in; or no tables at all, each
  goal a numbered sentence and each benchmark a bullet with its details below;
- ``prompts_kept``: the guidance's prompts copied word for word, each answered
  by paragraphs below it, tables with the official headers, no template;
- ``official_edited``: docgen's own Word plan, edited as districts edit the
  template: letterhead added, tips deleted, a heading renamed, a note typed
  between two sections (it answers no prompt: it belongs in the Carried-over list).

Each style writes one file and returns the pieces of district text it wrote.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from docgen import api, variants

from .corpus_plans import CARRIED, VARIANT, DistrictPlan, Piece
from .word_writer import WordWriter

SCHOOL_COLUMNS = [("School", "name"), ("Grades", "grades"), ("DESE status", "category"), ("Why identified", "reason")]
CURRICULA_COLUMNS = [("Content area", "subject"), ("Grades", "grades"), ("Where we are", "status"),
                     ("Update", "description")]
TARGETED_COLUMNS = [("School", "school"), ("Additional supports", "actions")]


def own_headings(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write the district's own Word layout; ``look`` sets its headings, order, table columns and letterhead."""
    w = WordWriter(d, look.get("font", "Calibri"))
    p = d.plan
    w.header(f"{d.name} | {look['title']}", footer=look.get("footer", ""))
    w.heading(d.name, 0)
    w.keep("district.name", d.name)
    w.heading(look["title"], 1, look.get("color"))
    w.labelled(look.get("date_label", "Date"), "district.date")
    w.labelled("Superintendent", "district.superintendent")
    w.labelled(look.get("contact_label", "Contact"), "district.contact_name")
    w.labelled("Email", "district.contact_email")
    headings = look["headings"]
    for number, section in enumerate(look["order"], start=1):
        title = headings[section]
        w.heading(f"{number}. {title}" if look.get("numbered") else title, 1, look.get("color"))
        if section == "schools":
            w.rows_table(p.schools, look.get("school_columns", SCHOOL_COLUMNS), "schools", shade=look.get("shade"))
        elif section == "focus":
            (w.text_box if look.get("statement_box") else w.answer)("p1.statement")
            w.labelled("Content area", "p1.subject")
            w.labelled("Grades", "p1.grades")
            w.labelled("Student focus", "p1.student_groups")
            w.bold_line(look.get("impact_label", "What will change in classrooms"))
            w.answer("p1.desired_impact", bullets=look.get("bullets", False))
            w.labelled("Our decision this year", "p1.direction")
            w.answer("p1.direction_rationale")
        elif section == "data":
            w.heading(look.get("gaps_label", "Gaps we are closing"), 2)
            w.answer("p1.equity_gaps", bullets=True)
            w.heading("District trends", 2)
            if look.get("tracked"):
                w.tracked_answer("p1.outcomes_district", *look["tracked"])
            else:
                w.answer("p1.outcomes_district")
            w.heading("Our identified schools", 2)
            w.answer("p1.outcomes_schools", bullets=look.get("bullets", False))
        elif section == "practice":
            w.bold_line("What we see in adult practice")
            w.answer("p1.systemic_headlines", bullets=True)
            w.bold_line("Where we will put our energy")
            w.answer("p1.systemic_priority")
        elif section == "voices":
            w.answer("p1.stakeholder_input")
            w.bold_line("From our identified schools")
            w.answer("p1.stakeholder_identified_schools")
            w.bold_line("Keeping stakeholders involved")
            w.answer("p1.stakeholder_ongoing", bullets=True)
        elif section == "goals" and look.get("sentences"):
            for row in p.priorities[0].outcomes:  # a SMART goal per target, its cells inside one sentence
                w.doc.add_paragraph(f"{row.measure}: {row.student_group}, {row.school}, from {row.baseline} to "
                                    f"{row.target}.", style="List Number")
                for name in ("measure", "student_group", "school", "baseline", "target"):
                    w.keep(f"p1.outcomes[*].{name}", getattr(row, name))
        elif section == "goals":
            w.rows_table(p.priorities[0].outcomes, look["outcome_columns"], "p1.outcomes", shade=look.get("shade"))
        elif section == "roles":
            for label, key in look.get("role_labels", [("Central office", "p1.district_actions"),
                                                        ("Principals and school teams", "p1.school_actions"),
                                                        ("Teachers", "p1.classroom_actions")]):
                w.heading(label, 2)
                w.answer(key, bullets=True)
        elif section == "monitoring" and look.get("sentences"):
            for row in p.priorities[0].benchmarks:
                w.doc.add_paragraph(row.benchmark, style="List Bullet")
                w.doc.add_paragraph(f"{row.level} level; {row.monitored_by}; {row.frequency}. On track: "
                                    f"{row.on_track}", style="List Bullet 2")
                for name in ("benchmark", "level", "monitored_by", "frequency", "on_track"):
                    w.keep(f"p1.benchmarks[*].{name}", getattr(row, name))
        elif section == "monitoring":
            w.rows_table(p.priorities[0].benchmarks, look["benchmark_columns"], "p1.benchmarks",
                         shade=look.get("shade"))
        elif section == "resources":
            w.labelled("From DESE", "p1.dese_supports")
            w.labelled("Partners", "p1.partner_supports")
            w.labelled("Funding", "p1.funding")
            w.labelled("People and time", "p1.staffing")
            w.bold_line("Resource equity")
            w.answer("p1.resource_inequities")
        elif section == "targeted":
            if look.get("targeted_table"):
                w.rows_table(p.priorities[0].targeted_support, TARGETED_COLUMNS, "p1.targeted_support")
            for row in [] if look.get("targeted_table") else p.priorities[0].targeted_support:
                w.heading(row.school, 2)
                w.keep("p1.targeted_support[*].school", row.school)
                for line in row.actions.split("\n"):
                    w.doc.add_paragraph(line.lstrip("-• ").strip(), style="List Bullet")
                w.keep("p1.targeted_support[*].actions", row.actions)
        elif section == "hqim":
            w.labelled("Are DESE's profiles of our curricula accurate", "answers.profiles_confirmed")
            w.answer("answers.profiles_note")
            w.rows_table(p.curricula, CURRICULA_COLUMNS, "curricula")
    return w.save(path)


def prompts_kept(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write every official prompt word for word, each answered below by the district's paragraphs."""
    variant = variants.load(VARIANT)
    w = WordWriter(d, look.get("font", "Times New Roman"))
    w.header(d.name)
    w.keep("district.name", d.name)
    w.heading(f"{variant.plan_year} District Instructional Prioritization Plan", 0)
    for spec in variant.district_fields:
        if spec.key != "name":
            w.labelled(variant.text(spec.label), f"district.{spec.key}")
    w.heading(variant.tables["schools"].title, 1)
    w.rows_table(d.plan.schools, [(variant.text(c.header), c.key) for c in variant.tables["schools"].columns],
                 "schools")
    for section in variant.sections:
        prefix = "answers" if section.scope == "district" else "p1"
        w.heading(section.heading, 1)
        if section.prompt:
            w.bold_line(variant.text(section.prompt, number=1))
        for part in section.parts:
            if part.prompt:
                w.bold_line(variant.text(part.prompt, number=1))
            for spec in part.fields:
                if w.value(f"{prefix}.{spec.key}"):
                    if look.get("labels", True):
                        w.say(variant.text(spec.label, number=1))
                    w.answer(f"{prefix}.{spec.key}")
            if part.table:
                spec = variant.tables[part.table]
                rows = getattr(d.plan, part.table) if spec.scope == "district" else getattr(d.plan.priorities[0],
                                                                                            part.table)
                w.rows_table(rows, [(variant.text(c.header), c.key) for c in spec.columns],
                             part.table if spec.scope == "district" else f"p1.{part.table}")
    return w.save(path)


def official_edited(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write docgen's own Word plan of the district, then edit it as a district edits the template."""
    variant = variants.load(VARIANT)
    data = next(iter(api.plan_files(d.plan, variant, ("docx",)).values()))
    doc = Document(io.BytesIO(data))
    header = doc.sections[0].header.paragraphs[0]
    header.text = f"{d.name} - {look.get('letterhead', 'Office of the Superintendent')}"
    for paragraph in list(doc.paragraphs):
        if paragraph.text.strip().startswith("TIP") and look.get("delete_tips", True):
            paragraph._p.getparent().remove(paragraph._p)
    for paragraph in doc.paragraphs:
        for old, new in look.get("rename", {}).items():
            if paragraph.text.strip() == old:
                for run in paragraph.runs[1:]:
                    run.text = ""
                paragraph.runs[0].text = new
    added = []
    for heading, note in look.get("notes_before", {}).items():  # a line the district typed between two sections
        at = next(p for p in doc.paragraphs if p.text.strip() == heading)
        at.insert_paragraph_before(note)
        added.append(Piece(CARRIED, note, False))
    doc.save(path)
    return d.pieces() + added
