"""HELD-OUT layouts: whoever tunes the plan readers must never open this folder.

- ``grid_memo``: a memo to the School Committee; the whole plan is one
  two-column grid ("Plan element" | "Our response") in an order of its own,
  the goals first, the identified schools in a sentence, actions in text
  boxes, the contact in the footer;
- ``deck_continued``: a board presentation in the district's design: titles
  of its own, several slides per section ("(continued)"), every answer in a
  free text box beside a label box, the benchmarks table split over two
  slides, speaker notes.
"""

from __future__ import annotations

from pathlib import Path

from ..corpus_plans import DistrictPlan, Piece, lines
from ..deck_writer import BLANK, TITLE_ONLY, DeckWriter
from ..word_writer import WordWriter


def grid_memo(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write the plan as a memo whose body is one label/response grid per part."""
    w = WordWriter(d, look.get("font", "Cambria"), 10)
    plan, p = d.plan, d.plan.priorities[0]
    w.header(look["letterhead"].format(district=d.name),
             footer=f"Questions: {plan.district.contact_name}, {plan.district.contact_email}")
    w.keep("district.contact_name", plan.district.contact_name)
    w.keep("district.contact_email", plan.district.contact_email)
    w.bold_line("MEMORANDUM")
    w.say(f"To: School Committee    From: {plan.district.superintendent or 'Superintendent'}")
    w.keep("district.superintendent", plan.district.superintendent)
    w.labelled("Date", "district.date", bold_label=False)
    w.say(f"Re: {d.name} instructional plan for 2025-2026")
    w.keep("district.name", d.name)
    if plan.schools:
        names = ", ".join(f"{s.name} ({s.category.lower()})" if s.category else s.name for s in plan.schools)
        w.say(f"Schools named by DESE this year: {names}.")
        for s in plan.schools:
            w.keep("schools[*].name", s.name)
            w.keep("schools[*].category", s.category)
    w.heading(look["goals_title"], 2)
    w.rows_table(p.outcomes, [("Indicator", "measure"), ("Who", "student_group"), ("School", "school"),
                              ("2024 baseline", "baseline"), ("2026 target", "target")], "p1.outcomes",
                 style="Light Grid Accent 1")
    grids = [
        ("Priority", [("Our priority, in one sentence", "p1.statement"), ("Content", "p1.subject"),
                      ("Grade span", "p1.grades"), ("Learners at the center", "p1.student_groups"),
                      ("What students and teachers will do differently", "p1.desired_impact"),
                      ("Gaps in opportunity and outcomes", "p1.equity_gaps"), ("Continue or change?", "p1.direction"),
                      ("Reason", "p1.direction_rationale")]),
        ("Evidence", [("Districtwide patterns", "p1.outcomes_district"),
                      ("Patterns at the schools DESE identified", "p1.outcomes_schools"),
                      ("Adult practice: headlines", "p1.systemic_headlines"),
                      ("The one system we will fix first", "p1.systemic_priority")]),
        ("Money, people and partners", [("State support", "p1.dese_supports"),
                                        ("Outside partners", "p1.partner_supports"),
                                        ("Grants and budget lines", "p1.funding"), ("Positions", "p1.staffing"),
                                        ("Inequities we found in budgets", "p1.resource_inequities")]),
        ("Voice", [("Input gathered", "p1.stakeholder_input"), ("At the identified schools",
                                                                 "p1.stakeholder_identified_schools"),
                   ("Continuing engagement", "p1.stakeholder_ongoing")]),
        ("Materials", [("Profiles checked and correct?", "answers.profiles_confirmed"),
                       ("Profiles note", "answers.profiles_note")]),
    ]
    for title, items in grids:
        w.heading(title, 2)
        w.form_table(items)
    w.heading(look["roles_title"], 2)
    for label, key in (("Central office", "p1.district_actions"), ("Principals", "p1.school_actions"),
                       ("Teachers", "p1.classroom_actions")):
        w.text_box(key, label)
    w.heading("Checking progress", 2)
    w.rows_table(p.benchmarks, [("What we check", "benchmark"), ("At which level", "level"),
                                ("Who checks", "monitored_by"), ("How often", "frequency"),
                                ("Midyear signal", "on_track")], "p1.benchmarks", style="Light Grid Accent 1")
    w.heading("More for the schools that need it most", 2)
    for row in p.targeted_support:
        paragraph = w.doc.add_paragraph()
        paragraph.add_run(f"{row.school}. ").bold = True
        paragraph.add_run(" ".join(lines(row.actions)))
        w.keep("p1.targeted_support[*].school", row.school)
        w.keep("p1.targeted_support[*].actions", row.actions)
    if plan.curricula:
        w.heading("Curricula still under review", 2)
        w.rows_table(plan.curricula, [("Subject", "subject"), ("Grades", "grades"), ("Stage", "status"),
                                      ("Notes", "description")], "curricula")
    return w.save(path)


def deck_continued(d: DistrictPlan, path: Path, look: dict) -> list[Piece]:
    """Write the plan as a board deck: own titles, several slides per section, answers in free text boxes."""
    w = DeckWriter(d, look.get("title_font", "Segoe UI"))
    plan, p = d.plan, d.plan.priorities[0]
    cover = w.deck.slides.add_slide(w.deck.slide_layouts[BLANK])
    w.text(cover, d.name, 0.8, 2.0, 8.4, 1, bold=True)
    w.keep("district.name", d.name)
    w.text(cover, look["deck_title"], 0.8, 3.0, 8.4, 0.8)
    w.box(cover, "district.date", 0.8, 4.0, 6, 0.5)
    w.box(cover, "district.contact_name", 0.8, 4.6, 6, 0.5, label="Presented by")
    w.box(cover, "district.contact_email", 0.8, 5.6, 6, 0.5)
    notes = list(d.notes)
    if notes:
        w.notes(cover, notes.pop(0))

    def pair_slides(title: str, items: list[tuple[str, str]], per_slide: int = 2) -> None:
        for start in range(0, len(items), per_slide):
            slide = w.slide(title if start == 0 else f"{title} (continued)", TITLE_ONLY)
            for row, (label, key) in enumerate(items[start:start + per_slide]):
                top = 1.5 + row * 2.8
                w.text(slide, label, 0.4, top, 2.6, 0.6, bold=True)
                w.box(slide, key, 3.1, top, 6.5, 2.6, size=12)

    pair_slides(look["titles"]["focus"], [("Our North Star", "p1.statement"), ("Subject", "p1.subject"),
                                          ("Grades", "p1.grades"), ("Students first", "p1.student_groups"),
                                          ("The change we want", "p1.desired_impact"),
                                          ("Gaps", "p1.equity_gaps"), ("This year", "p1.direction"),
                                          ("Why", "p1.direction_rationale")])
    pair_slides(look["titles"]["data"], [("Across the district", "p1.outcomes_district"),
                                         ("In our identified schools", "p1.outcomes_schools"),
                                         ("Adult practice", "p1.systemic_headlines"),
                                         ("Our lever", "p1.systemic_priority")])
    slide = w.slide(look["titles"]["goals"], TITLE_ONLY)
    w.table(slide, p.outcomes, [("Goal measure", "measure"), ("Group", "student_group"), ("Site", "school"),
                                ("Starting point", "baseline"), ("June 2026", "target")], "p1.outcomes")
    if notes:
        w.notes(slide, notes.pop(0))
    pair_slides(look["titles"]["roles"], [("District", "p1.district_actions"), ("Schools", "p1.school_actions"),
                                          ("Classrooms", "p1.classroom_actions")])
    half = (len(p.benchmarks) + 1) // 2
    columns = [("Checkpoint", "benchmark"), ("Level", "level"), ("Lead", "monitored_by"), ("Timing", "frequency"),
               ("Midyear target", "on_track")]
    for i, part in enumerate((p.benchmarks[:half], p.benchmarks[half:])):
        if part:
            title = look["titles"]["monitoring"] + (" (continued)" if i else "")
            w.table(w.slide(title, TITLE_ONLY), part, columns, "p1.benchmarks")
    pair_slides(look["titles"]["voices"], [("Listening", "p1.stakeholder_input"),
                                           ("Identified schools", "p1.stakeholder_identified_schools"),
                                           ("Going forward", "p1.stakeholder_ongoing")])
    pair_slides(look["titles"]["resources"], [("DESE", "p1.dese_supports"), ("Partners", "p1.partner_supports"),
                                              ("Funding", "p1.funding"), ("Staff", "p1.staffing"),
                                              ("Equity of resources", "p1.resource_inequities")])
    if p.targeted_support:
        w.table(w.slide(look["titles"]["targeted"], TITLE_ONLY), p.targeted_support,
                [("School", "school"), ("What they get", "actions")], "p1.targeted_support")
    if plan.schools:
        w.table(w.slide("Appendix: school accountability", TITLE_ONLY), plan.schools,
                [("School", "name"), ("Grades", "grades"), ("DESE category", "category")], "schools")
    pair_slides("Appendix: instructional materials", [("DESE profiles accurate?", "answers.profiles_confirmed"),
                                                      ("Note", "answers.profiles_note")])
    return w.save(path)


STYLES = {"grid_memo": (grid_memo, "docx"), "deck_continued": (deck_continued, "pptx")}

_DECK_TITLES = {"focus": "Where We Are Going", "data": "Where We Are", "goals": "How We Will Measure Success",
                "roles": "Everyone's Role", "monitoring": "Checking Our Progress", "voices": "Listening to Families",
                "resources": "Investing in the Work", "targeted": "Extra Support Where It Is Needed"}
LOOKS = {
    "southbridge": {"letterhead": "{district}: Office of the Receiver", "goals_title": "Goals at a Glance",
                    "roles_title": "Roles and Responsibilities"},
    "springfield": {"letterhead": "{district} | Academic Office", "font": "Verdana",
                    "goals_title": "Annual Targets", "roles_title": "Who Will Do What"},
    "monomoy": {"deck_title": "School Committee Presentation: Our Instructional Plan", "titles": _DECK_TITLES},
    "springfield_deck": {"deck_title": "Middle School Math: Plan for 2025-2026", "title_font": "Arial",
                         "titles": {**_DECK_TITLES, "goals": "Annual Targets", "monitoring": "Interim Checkpoints"}},
    "newburyport": {"deck_title": "District Goals 2025-2026", "title_font": "Georgia",
                    "titles": {**_DECK_TITLES, "focus": "Our Student Learning Goal", "data": "Needs Assessment"}},
}


def documents(spec) -> list:
    """Return the held-out documents as ``spec`` (make_documents.Spec) instances."""
    return [
        spec("southbridge-memo", "southbridge", "grid_memo", "southbridge", "held-out"),
        spec("springfield-memo", "springfield", "grid_memo", "springfield", "held-out"),
        spec("monomoy-board-deck", "monomoy", "deck_continued", "monomoy", "held-out"),
        spec("newburyport-board-deck", "newburyport", "deck_continued", "newburyport", "held-out"),
        spec("springfield-board-deck", "springfield", "deck_continued", "springfield_deck", "held-out"),
        spec("southbridge-memo-pdf", "southbridge", "grid_memo", "southbridge", "held-out", pdf=True),
    ]
