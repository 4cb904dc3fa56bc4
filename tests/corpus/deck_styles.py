"""Tuning layouts for PowerPoint plans (the held-out ones live in held_out/, unseen).

- ``deck_sections``: one slide per section of the guidance, its number and
  name as the slide title, the answers as "Label: answer" bullets (a long
  section goes on "(continued)" slides when the look says so); the goals
  and benchmarks as tables on their own slides (or as bullets); the district's
  speaker notes on the first slides;
- ``official_deck``: docgen's own deck of the district, as built, with the
  district's speaker notes added (the round trip the readers must make whole).
"""

from __future__ import annotations

import io
from pathlib import Path

from pptx import Presentation

from docgen import api, variants

from .corpus_plans import CARRIED, VARIANT, DistrictPlan, Piece, lines
from .deck_writer import TITLE_ONLY, TITLE_SLIDE, DeckWriter

OUTCOME_COLUMNS = [("Measure", "measure"), ("Student group", "student_group"), ("School", "school"),
                   ("Baseline", "baseline"), ("Target", "target")]
BENCHMARK_COLUMNS = [("Benchmark", "benchmark"), ("Level", "level"), ("Who", "monitored_by"),
                     ("How often", "frequency"), ("On track at midyear", "on_track")]


def deck_sections(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write the plan as a deck, one slide per section; ``look`` sets the fonts, notes and table slides."""
    w = DeckWriter(d, look.get("title_font", "Calibri"))
    p = d.plan.priorities[0]
    cover = w.deck.slides.add_slide(w.deck.slide_layouts[TITLE_SLIDE])
    cover.shapes.title.text = d.name
    w.keep("district.name", d.name)
    district = d.plan.district
    cover.placeholders[1].text = "\n".join(x for x in ("FY26 Instructional Prioritization Plan", district.date,
                                                       district.contact_name, district.contact_email) if x)
    for key in ("district.date", "district.contact_name", "district.contact_email"):
        w.keep(key, w.value(key))
    notes = list(d.notes) if look.get("notes") else []
    if notes:
        w.notes(cover, notes.pop(0))
    if d.plan.schools:
        slide = w.slide("Schools Requiring Assistance", TITLE_ONLY)
        w.table(slide, d.plan.schools, [("School", "name"), ("Grades", "grades"), ("Category", "category")],
                "schools")
    per_slide = look.get("per_slide", 99)  # answers per slide; more go on "(continued)" slides

    def section(title: str, items: list[tuple[str | None, str]], size: int = 14):
        for start in range(0, len(items), per_slide):
            slide = w.slide(title if start == 0 else f"{title} (continued)")
            w.body(slide, items[start:start + per_slide], size=size)
        return slide

    slide = section("1. Instructional Priority", [
        (None, "p1.statement"), ("Subject", "p1.subject"), ("Grades", "p1.grades"),
        ("Student groups", "p1.student_groups"), ("Desired impact", "p1.desired_impact"),
        ("Equity gaps", "p1.equity_gaps"), ("This year we will", "p1.direction"), ("Why", "p1.direction_rationale")],
        size=12)
    if notes:
        w.notes(slide, notes.pop(0))
    section("2. Analysis of Strengths and Challenges", [
        ("District themes", "p1.outcomes_district"), ("Identified schools", "p1.outcomes_schools"),
        ("Adult practice headlines", "p1.systemic_headlines"), ("Our priority practice", "p1.systemic_priority")],
        size=12)
    section("3. Stakeholder Engagement", [("What we heard", "p1.stakeholder_input"),
                                          ("Identified schools", "p1.stakeholder_identified_schools"),
                                          ("Ongoing", "p1.stakeholder_ongoing")])
    if look.get("table_slides"):
        w.table(w.slide("4. Outcomes", TITLE_ONLY), p.outcomes, OUTCOME_COLUMNS, "p1.outcomes")
    else:
        slide = w.slide("4. Outcomes")
        frame = slide.placeholders[1].text_frame
        for i, row in enumerate(p.outcomes):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.text = f"{row.measure} ({row.student_group}, {row.school}): {row.baseline} to {row.target}"
            for name in ("measure", "student_group", "school", "baseline", "target"):
                w.keep(f"p1.outcomes[*].{name}", getattr(row, name))
    section("5. Role Clarity", [("District", "p1.district_actions"), ("School", "p1.school_actions"),
                                ("Classroom", "p1.classroom_actions")])
    w.table(w.slide("6. Monitoring Implementation", TITLE_ONLY), p.benchmarks, BENCHMARK_COLUMNS, "p1.benchmarks")
    section("7. Resources", [("DESE", "p1.dese_supports"), ("Partners", "p1.partner_supports"),
                             ("Funding", "p1.funding"), ("Staffing", "p1.staffing"),
                             ("Resource inequities", "p1.resource_inequities")], size=12)
    if p.targeted_support:
        w.table(w.slide("8. Targeted Support for Priority Schools", TITLE_ONLY), p.targeted_support,
                [("School", "school"), ("Additional actions", "actions")], "p1.targeted_support")
    slide = w.slide("HQIM Status")
    w.body(slide, [("Profiles accurate", "answers.profiles_confirmed"), ("Note", "answers.profiles_note")])
    if d.plan.curricula:
        w.table(slide, d.plan.curricula, [("Subject", "subject"), ("Grades", "grades"), ("Status", "status"),
                                          ("Description", "description")], "curricula", top=3.5)
    return w.save(path)


def official_deck(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write docgen's own deck of the district, with its speaker notes on the first slides."""
    data = next(iter(api.plan_files(d.plan, variants.load(VARIANT), ("pptx",)).values()))
    deck = Presentation(io.BytesIO(data))
    added = []
    for slide, note in zip(deck.slides, d.notes if look.get("notes") else [], strict=False):
        slide.notes_slide.notes_text_frame.text = note
        added += [Piece(CARRIED, line, False, "notes") for line in lines(note)]
    deck.save(path)
    return d.pieces() + added
