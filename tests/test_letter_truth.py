"""A letter that says only what is true: every promise of the letter, held on three districts' letters.

The sample (reviewed), Granite Falls with several planted mistakes and Mill River (drafts), each dated
``letters.ON``. Golden text of each Word letter lives in tests/golden/letter_*.txt.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from docgen import api
from docgen.compose import feedback, letter_asks, letter_supports
from docgen.compose.letter_asks import sentences
from docgen.compose.salutation import greeting
from docgen.model.letter import SOURCES
from docgen.model.plan import Review, School
from docgen.write import docx_letter

from . import letters
from .conftest import assert_valid_office, docx_lines, soffice_or_skip

PLANS = letters.plans()
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@pytest.fixture(scope="module")
def composed():
    return {name: letters.letter(plan, None if name == "sample" else letters.ON) for name, plan in PLANS.items()}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_the_word_letter_reads_as_its_golden_text_and_validates(name, composed, golden, tmp_path):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(docx_letter.build(composed[name], author="SSoS"))
    assert_valid_office(path)
    golden(f"letter_{name}.txt", "\n".join(docx_lines(path)) + "\n")


@pytest.mark.parametrize("name", sorted(PLANS))
def test_every_sentence_is_traced_to_the_frame_the_plan_the_consultant_or_a_finding(name, composed):
    letter, plan = composed[name], PLANS[name]
    review = plan.review
    typed = " ".join([*plan.answers.values(), *(v for p in plan.priorities for v in p.answers.values()),
                      plan.district.name, plan.district.superintendent])
    consultant = " ".join([review.summary, *(t for c in review.sections.values()
                                             for t in (c.strengths, c.refinements, c.next_steps))]) if review else ""
    asked = {a.text: a for r in letter.refinements for a in r.asks}
    for para in (item for item in letter.flow() if hasattr(item, "source")):
        assert para.source in SOURCES, para
        if para.source == "finding":
            assert asked[para.text].rules, para.text  # which rule said it
        elif para.source == "consultant":
            assert para.text in consultant, para.text
        elif para.source == "plan" and para.role == "quote":
            assert para.text.split(": ", 1)[-1] in typed, para.text
        elif para.source == "catalogue":
            assert any(para.lead.startswith(r.name) for r in letter_supports.resources()), para.lead


@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_sentence_is_said_twice_in_a_letter(name, composed):
    said = [s for item in composed[name].flow() if hasattr(item, "role") and item.role != "quote"
            for s in sentences(item.lead + item.text) if len(s.split()) > 3]
    repeated = {s for s in said if said.count(s) > 1}
    assert not repeated


@pytest.mark.parametrize("name", sorted(PLANS))
def test_no_section_meets_the_guidance_on_the_checks_word(name, composed):
    assert "meets the guidance" not in composed[name].text().casefold()
    assert "addresses every part" not in composed[name].text().casefold()


def test_a_draft_tells_the_consultant_what_is_left_to_read(composed):
    rows = {r.component: r.status for r in composed["mill_river"].appendix}
    assert rows["3. Stakeholder Engagement"] == "[No question from the checks: read section 3]"
    assert rows["6. Monitoring Implementation"] == "Questions to answer"


def test_a_section_no_rule_examines_says_so(monkeypatch):
    plan = PLANS["mill_river"]
    rules = {k: r for k, r in feedback.load_rules().items() if r.section != "stakeholders"}
    monkeypatch.setattr(feedback, "load_rules", lambda: rules)
    letter = letters.letter(plan)
    assert "[Not checked automatically: read 3. Stakeholder Engagement yourself.]" in letter.text()
    rows = {r.component: r.status for r in letter.appendix}
    assert rows["3. Stakeholder Engagement"] == "[Not checked automatically: read section 3]"


def test_a_judgement_is_asked_and_a_requirement_said_with_its_question(composed):
    asks = [a for r in composed["granite_falls"].refinements for a in r.asks]
    assert {a.severity for a in asks} == {"error", "warning"}
    for ask in asks:
        assert ask.text.rstrip().endswith("?"), ask.text
        if ask.severity == "warning":
            assert "As we read it," in ask.text and "is that so" in ask.text, ask.text


def test_a_warning_with_a_question_of_its_own_is_asked_in_those_words():
    plan = PLANS["mill_river"]
    found = api.check_plan(plan)
    warning = next(f for f in found if f.severity == "warning")

    class Asked:  # a finding as the rebuilt checks may give it: with its own question
        def __init__(self, finding, question):
            self.__dict__.update(vars(finding), question=question)

    asked = [Asked(f, "Which district leader will review these data each month?") if f is warning else f
             for f in found]
    text = api.compose_letter(plan, asked, letters.ON).text()
    assert "Priority #2 (grades 7-8 mathematics): Which district leader will review these data each month?" in text
    assert "As we read it" not in text


def test_findings_of_one_rule_become_one_sentence_listing_the_places(composed):
    monitoring = next(r for r in composed["granite_falls"].refinements if r.section == "monitoring")
    cadence = [a for a in monitoring.asks if a.rules == ("benchmark-cadence",)]
    assert len(cadence) == 1
    assert "benchmark 1, 'Every K-6 grade team" in cadence[0].text and "benchmark 2, 'No K-6 student" in cadence[0].text
    assert cadence[0].text.endswith("on which weeks or months will the team look at each together?")


def test_two_districts_share_only_the_frame(composed):
    def asked(letter):
        return {s for r in letter.refinements for a in r.asks for s in sentences(a.text)} | {
            s for s in (x.fits for x in letter.supports) if s}

    for a, b in (("granite_falls", "mill_river"), ("sample", "mill_river"), ("sample", "granite_falls")):
        assert not asked(composed[a]) & asked(composed[b]), (a, b)


@pytest.mark.parametrize(("typed", "greeted"), [
    ("Dr. Teresa Okafor-Lindqvist, Superintendent of Schools", "Dr. Okafor-Lindqvist"),
    ("Dr. Jane Smith", "Dr. Smith"),
    ("Maria de la Cruz, Ed.D.", "Dr. de la Cruz"),
    ("Renata Alves", "Superintendent Alves"),
    ("Jane Smith, Interim Superintendent", "Superintendent Smith"),
    ("Superintendent", "Superintendent"),
    ("Superintendent of Schools", "Superintendent"),
    ("Interim Superintendent", "Interim Superintendent"),
    ("Superintendent-Director Mark Lee", "Superintendent-Director Lee"),
    ("JANE SMITH", "Superintendent Smith"),
    ("TBD", "Superintendent"),
    ("", "Superintendent"),
])
def test_the_greeting_is_a_title_and_a_name_or_the_role_never_the_role_twice(typed, greeted):
    assert greeting(typed) == greeted
    assert not re.search(r"(?i)superintendent\W+superintendent", f"Dear {greeting(typed)}:")


def test_a_role_typed_for_the_name_greets_the_role():
    assert "\nDear Interim Superintendent:\n" in letters.letter(PLANS["granite_falls"]).text()


def _dates_in(text: str) -> list[date]:
    found = []
    for month, days, year in re.findall(rf"({MONTHS}) (\d{{1,2}}(?:[-–]\d{{1,2}})?),? (\d{{4}})", text):
        last = int(re.split(r"[-–]", days)[-1])
        found.append(date(int(year), MONTHS.split("|").index(month) + 1, last))
    return found


@pytest.mark.parametrize("on", [date(2024, 8, 20), date(2025, 3, 1), date(2025, 7, 20), date(2025, 8, 14)])
def test_supports_are_for_this_plan_and_their_dates_are_still_ahead(on):
    for name, plan in PLANS.items():
        letter = letters.letter(plan, on)
        for support in letter.supports:
            assert all(d >= on for d in _dates_in(support.what)), (name, on, support.what)
            catalogue = next(r for r in letter_supports.resources() if r.name == support.name)
            assert not catalogue.offered or date.fromisoformat(catalogue.offered) <= on, (name, on, support.name)


def test_a_support_for_one_subject_and_group_is_suggested_only_to_plans_about_them():
    mill_river = letters.letter(PLANS["mill_river"])  # Priority #2: mathematics for students with disabilities
    assert "Improving Math Instruction for Students with Disabilities" in mill_river.text()
    ela_only = PLANS["mill_river"].__class__(**{**vars(PLANS["mill_river"]),
                                                "priorities": PLANS["mill_river"].priorities[:1]})
    assert "Improving Math Instruction" not in letters.letter(ela_only).text()


def test_a_letter_before_the_2025_institutes_were_announced_does_not_cite_them():
    fy25 = api.read_plan(letters.DATA.parent.parent / "data" / "cranberry-harbor-2024-25.xlsx")
    letter = api.compose_letter(fy25, api.check_plan(fy25), date(2024, 8, 20))
    names = " ".join(s.name for s in letter.supports)
    assert "Instructional Leadership Institute" not in names and "Instructional Prioritization" not in names
    assert "FY26" not in letter.text()


def test_the_review_date_dates_the_letter_and_a_parameter_overrides_it():
    plan = PLANS["sample"]
    assert letters.letter(plan, None).date == "August 12, 2025"
    assert letters.letter(plan, date(2025, 9, 2)).date == "September 2, 2025"


def test_a_reviewed_letter_with_nothing_to_refine_says_so_and_nothing_more():
    plan = PLANS["mill_river"]
    reviewed = plan.__class__(**{**vars(plan), "review": Review(consultant_name="Dana Cho")})
    text = api.compose_letter(reviewed, [], letters.ON).text()
    assert "We have no refinements to request." in text
    assert "[" not in text.split("Appendix")[0]  # no note for the consultant is left in a reviewed letter
    assert "# Strengths" not in text  # nobody wrote any: the letter claims none


def test_docgen_letter_pdf_writes_the_tagged_pdf(tmp_path, run):
    pytest.importorskip("pikepdf")
    soffice_or_skip()
    result = run("letter", letters.DATA.parent.parent / "data" / "cranberry-harbor.xlsx", "-o", tmp_path, "--pdf",
                 "--date", "2025-08-14")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "Cranberry Harbor Public Schools FY26 Feedback Letter.pdf"
    assert f"Wrote {pdf}" in result.output
    import pikepdf

    with pikepdf.open(pdf) as document:
        assert document.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in document.Root


class _Found:
    """A finding as docgen.checks gives it (only what the letter reads)."""

    def __init__(self, advice, rule="r", severity="error", section="stakeholders"):
        self.advice, self.message, self.rule, self.severity, self.section = advice, advice, rule, severity, section


def test_the_identified_schools_are_named_but_never_inside_the_plans_quoted_words():
    found = [_Found("'Input from schools identified as requiring assistance or intervention' is blank, so the "
                    "identified schools are not heard: whom did you hear from there?")]
    schools = [School(name="Ashby Street School", category="Underperforming"),
               School(name="Lee School", category="Underperforming")]
    plan = PLANS["mill_river"].__class__("fy26", schools=schools)
    [ask] = letter_asks.asks(found, plan, feedback.frame)["stakeholders"]
    assert ask.text.startswith("'Input from schools identified as requiring assistance or intervention' is blank")
    assert "the identified schools (Ashby Street School and Lee School) are not heard" in ask.text


def test_a_judgement_hedged_by_the_check_is_not_hedged_twice():
    found = [_Found("As written, the priority ('All students, all subjects') covers grades K-12: which grades first?",
                    severity="warning")]
    [ask] = letter_asks.asks(found, PLANS["mill_river"].__class__("fy26"), feedback.frame)["stakeholders"]
    assert ask.text == ("As we read it, the priority ('All students, all subjects') covers grades K-12; is that so, "
                        "and if so, which grades first?")


def test_a_quoted_row_that_several_rows_share_says_which_row_it_is(composed):
    outcomes = next(r for r in composed["granite_falls"].refinements if r.section == "outcomes")
    assert ("For 'MCAS ELA, grades 3-6, % meeting or exceeding expectations' (low-income students, Districtwide), "
            "the target reads 'Improve'") in outcomes.asks[0].text


def test_two_priorities_with_one_focus_say_it_once():
    plan = PLANS["mill_river"]
    twin = plan.__class__(**{**vars(plan), "priorities": [plan.priorities[0], plan.priorities[0].__class__(
        **{**vars(plan.priorities[0]), "number": 2})]})
    text = letters.letter(twin).text()
    assert text.count("Focus: grades K-6 English language arts") == 1
    assert "Focus: the same as Priority #1." in text


def test_the_web_preview_reads_the_same_letter_and_escapes_what_people_typed():
    from pathlib import Path

    from docgen import text, web

    plan = PLANS["mill_river"]
    hostile = plan.__class__(**{**vars(plan), "district": plan.district.__class__(
        **{**vars(plan.district), "name": "Mill <script>alert(1)</script> River"})})
    letter = letters.letter(hostile)
    page = text.html_environment(str(Path(web.__file__).parent / "pages"), sandboxed=False).get_template(
        "partials/letter.html").render(letter=letter)
    assert "<script>" not in page and "Mill &lt;script&gt;alert(1)&lt;/script&gt; River" in page
    for ask in (a for r in letter.refinements for a in r.asks):
        assert ask.text.replace("'", "&#39;") in page
    assert page.count("<h3>") == len(letter.parts) + 1  # the parts and the appendix, below the page's own h2


def test_a_support_for_some_grades_or_subjects_fits_only_priorities_that_teach_them():
    [_, math] = PLANS["mill_river"].priorities  # grades 7-8 mathematics
    early_reading = letter_supports.Resource("x", "Early reading", "DESE", "a K-3 guide", {}, subjects=("ela",),
                                             grades="K-3")
    assert not early_reading.fits(math)
    assert early_reading.fits(PLANS["mill_river"].priorities[0])  # grades K-6 English language arts


def test_a_blank_plan_gets_a_letter_that_claims_nothing():
    blank = PLANS["mill_river"].__class__("fy26")
    text = letters.letter(blank).text()
    assert "Your plan sets out" not in text and "\nDear Superintendent:\n" in text
    assert "Thank you for submitting your FY26 District Instructional Prioritization Plan" in text
    assert "meets the guidance" not in text.casefold()
