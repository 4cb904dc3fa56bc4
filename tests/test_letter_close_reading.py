"""The drafted letter says what only a close reader of this plan would: it quotes the plan, asks one question per
finding, suggests only supports still on offer, and takes its dates from the variant's spec."""

from __future__ import annotations

import copy
import dataclasses
import re

from docgen import api, variants
from docgen.compose import feedback
from docgen.compose.letter_asks import quotes_in, split_question
from docgen.model.plan import Review, SectionReview, plan_from_dict

from .test_checks_corpus import CLEAN, MISTAKES

FY26 = variants.load("fy26")


def letter(plan, variant=FY26) -> str:
    return re.sub(r"\s+", " ", feedback.compose(plan, variant, api.check_plan(plan)).text())


def planted(*names):
    data = copy.deepcopy(CLEAN)
    for name in names:
        MISTAKES[name][0](data)
    return plan_from_dict(data, "fy26")


def test_a_draft_holds_a_refinement_quoting_the_plan_for_every_finding():
    plan = planted("a target that is 'Improve'", "a blank midyear on-track", "'Ongoing' as a frequency",
                   "resource inequities 'See attached budget narrative.'", "six headlines")
    found = api.check_plan(plan)
    text = letter(plan)
    assert len(found) >= 5
    for f in found:  # its quotations of the plan and its question (a warning is asked about: test_letter_truth)
        assert all(q in text for q in quotes_in(f.advice)) and split_question(f.advice)[1] in text, f.rule
        assert "'" in f.advice and "?" in f.advice, f.advice  # quotes the district, asks a question
    assert ("Priority #1: For 'MCAS ELA, grades 3-6, % meeting or exceeding expectations' (All students, "
            "Districtwide), the target reads 'Improve': what number") in text
    assert ("Benchmark 3, 'Students in observed lessons discuss the module text with evidence', has no midyear "
            "target") in text


def test_every_planted_mistake_becomes_advice_that_quotes_or_names_the_plan():
    for name, (plant, rule) in MISTAKES.items():
        data = copy.deepcopy(CLEAN)
        plant(data)
        advice = [f.advice for f in api.check_plan(plan_from_dict(data, "fy26")) if f.rule == rule]
        assert advice and all(a.endswith(("?", "Less is more.")) for a in advice), (name, advice)


def test_the_appendix_agrees_with_the_consultant():
    plan = planted()
    plan.review = Review(consultant_name="Dana Cho", review_date="August 14, 2025",
                         sections={"stakeholders": SectionReview(refinements="Say how students will be heard.")})
    text = letter(plan)
    assert "3. Stakeholder Engagement | Refinements requested | The consultant's refinements" in text
    assert "5. Role Clarity | No refinements requested | Nothing further" in text


def test_a_support_whose_dates_have_passed_is_not_suggested():
    plan = planted("a blank midyear on-track", "six headlines")
    plan.answers["dese_supports"] = ""
    plan.priorities[0].answers["dese_supports"] = "Our regional SSoS Leadership Consultant team."
    plan.review = Review(consultant_name="Dana Cho", review_date="August 14, 2025")
    suggested = letter(plan).split("Suggested DESE supports")[1].split("Next steps")[0]
    assert "Instructional Prioritization Institute" not in suggested  # its last session was May 14, 2025
    assert "three-day summer institute (August 5-7, 2025)" not in suggested
    plan.review.review_date = "July 20, 2025"
    before = letter(plan).split("Suggested DESE supports")[1].split("Next steps")[0]
    assert "three-day summer institute (August 5-7, 2025)" in before


def test_focus_lines_read_as_sentences():
    text = letter(planted())
    assert ("Focus: grades K-6 English language arts, for English learners (including former English learners) "
            "and low-income students.") in text
    assert "Focus: grades 6-8 mathematics, for students with disabilities." in text


def test_the_letters_dates_come_from_the_variants_spec():
    plan = planted()
    values = {**FY26.values, "due_date": "June 15, 2025", "feedback_month": "September"}
    spring = dataclasses.replace(FY26, values=values)
    text = letter(plan, spring)
    assert "September 2025" in text and "this year's plan was due June 15, 2025" in text
