"""The review rules: each one fires on a plan that breaks it and stays quiet on one that meets it."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest

from docgen import api, variants
from docgen.checks import check, load_rules, rules
from docgen.model.plan import Benchmark, Curriculum, OutcomeTarget, Priority

FY26 = variants.load("fy26")


def sample():
    return api.example_plan("fy26")


def p1(plan):
    return plan.priorities[0]


def drop_school_from_targeted(plan):
    p1(plan).targeted_support = [r for r in p1(plan).targeted_support if "Harborview" not in r.school]


def third_priority(plan):
    for n in (2, 3):
        extra = copy.deepcopy(p1(plan))
        extra.number = n
        plan.priorities.append(extra)


BREAKERS = {
    "school-in-targeted-support": drop_school_from_targeted,
    "school-in-analysis": lambda plan: p1(plan).answers.update(
        outcomes_schools="", equity_gaps="Students with disabilities meet expectations in math at 9%, against 38%.",
        outcomes_district="MCAS math results for students with disabilities (9%) trail all students (38%)."),
    "school-has-target": lambda plan: setattr(p1(plan), "outcomes",
                                              [r for r in p1(plan).outcomes if "Harborview" not in r.school]),
    "school-plan-link": lambda plan: setattr(plan.schools[1], "plan_link", ""),
    "aggregate-target": lambda plan: setattr(p1(plan), "outcomes",
                                             [r for r in p1(plan).outcomes if r.student_group != "All students"
                                              or r.school != "District"]),
    "group-targets": lambda plan: setattr(p1(plan), "outcomes",
                                          [r for r in p1(plan).outcomes
                                           if r.student_group != "Students with disabilities"]),
    "outcome-measure-and-target": lambda plan: setattr(p1(plan).outcomes[0], "target", ""),
    "accountability-target": lambda plan: [setattr(r, "accountability", "No") for r in p1(plan).outcomes],
    "benchmark-count": lambda plan: setattr(p1(plan), "benchmarks", p1(plan).benchmarks[:1]),
    "benchmark-owner-frequency": lambda plan: setattr(p1(plan).benchmarks[1], "monitored_by", ""),
    "benchmark-levels": lambda plan: setattr(p1(plan).benchmarks[2], "level", "School"),
    "priority-focus": lambda plan: p1(plan).answers.update(
        grades="", statement="Students will do grade-level mathematics every day with Illustrative Mathematics."),
    "direction-chosen": lambda plan: p1(plan).answers.update(
        direction="", direction_rationale="Fractions and ratios are where our students fall behind."),
    "change-direction-narrative": lambda plan: p1(plan).answers.update(direction="Change direction",
                                                                        direction_rationale="New focus.",
                                                                        outcomes_district="Things changed."),
    "role-clarity-levels": lambda plan: p1(plan).answers.update(school_actions=""),
    "role-clarity-less-is-more": lambda plan: p1(plan).answers.update(
        district_actions="\n".join(f"- action {i}" for i in range(8))),
    "stakeholder-identified-schools": lambda plan: p1(plan).answers.update(stakeholder_identified_schools=""),
    "resource-inequities": lambda plan: p1(plan).answers.update(resource_inequities=""),
    "resource-inequities-identified-schools": lambda plan: p1(plan).answers.update(
        resource_inequities="Budgets were reviewed; coaching hours differ between buildings."),
    "hqim-profiles-confirmed": lambda plan: plan.answers.update(profiles_confirmed="", profiles_note=""),
    "hqim-curriculum-complete": lambda plan: setattr(plan.curricula[0], "status", ""),
    "at-most-two-priorities": third_priority,
    "required-answers": lambda plan: p1(plan).answers.update(equity_gaps=""),
    "placeholder-answers": lambda plan: p1(plan).answers.update(desired_impact="TBD"),
    "plan-date": lambda plan: setattr(plan.district, "date", ""),
    "school-year": lambda plan: setattr(plan.district, "school_year", "2026-27"),
    "org-code": lambda plan: setattr(plan.schools[0], "org_code", "9990005"),
    "school-category": lambda plan: setattr(plan.schools[0], "category", ""),
    "school-name-typo": lambda plan: setattr(p1(plan).targeted_support[0], "school", "Harborveiw Elementary"),
    "unknown-school": lambda plan: setattr(p1(plan).outcomes[0], "school", "Lincoln Elementary School"),
    "identified-grades-covered": lambda plan: p1(plan).answers.update(grades="K-2"),
    "identified-reason-answered": lambda plan: setattr(plan.schools[0], "reason",
                                                       "Low-performing student groups: African American/Black"),
    "hqim-identified-schools": lambda plan: vars(plan.curricula[0]).update(
        grades="6-12", description="A team of six teachers is reviewing two programs and will choose one in spring."),
    "target-number": lambda plan: setattr(p1(plan).outcomes[0], "target", "Improve"),
    "target-baseline": lambda plan: setattr(p1(plan).outcomes[0], "baseline", ""),
    "benchmark-on-track": lambda plan: setattr(p1(plan).benchmarks[0], "on_track", ""),
    "on-track-precise": lambda plan: setattr(p1(plan).benchmarks[0], "on_track", "Good progress toward the goal."),
    "benchmark-cadence": lambda plan: setattr(p1(plan).benchmarks[0], "frequency", "Ongoing"),
    "hollow-cells": lambda plan: setattr(p1(plan).benchmarks[0], "monitored_by", "TBD"),
    "targeted-actions": lambda plan: setattr(p1(plan).targeted_support[0], "actions", ""),
    "plan-date-window": lambda plan: setattr(plan.district, "date", "June 20, 2024"),
    "one-priority-per-statement": lambda plan: p1(plan).answers.update(
        statement="Our five priorities: literacy, math, attendance, culture and family engagement."),
    "headline-count": lambda plan: p1(plan).answers.update(systemic_headlines="1. A.\n2. B.\n3. C.\n4. D.\n5. E."),
    "one-system-prioritized": lambda plan: p1(plan).answers.update(
        systemic_priority="1. Unit planning, because it reaches every class.\n2. Coaching, because teachers ask."),
    "subject-measures": lambda plan: [setattr(r, "measure", "MCAS ELA achievement, grades 3-8")
                                      for r in p1(plan).outcomes],
    "benchmark-kinds": lambda plan: [setattr(b, "benchmark", "Teachers plan units together") or
                                     setattr(b, "on_track", "By January, 80% of teams plan together.")
                                     for b in p1(plan).benchmarks],
    "focus-group-all-students": lambda plan: p1(plan).answers.update(student_groups="All students"),
    "target-below-baseline": lambda plan: setattr(p1(plan).outcomes[0], "target", "30% (spring 2026)"),
    "target-year": lambda plan: setattr(p1(plan).outcomes[0], "target", "42% (spring 2025)"),
    "benchmark-owner-vague": lambda plan: setattr(p1(plan).benchmarks[0], "monitored_by", "Staff"),
    "second-priority-same-context": lambda plan: plan.priorities.append(
        Priority(number=2, answers=dict(p1(plan).answers), outcomes=list(p1(plan).outcomes),
                 benchmarks=list(p1(plan).benchmarks), targeted_support=list(p1(plan).targeted_support))),
    "short-answer": lambda plan: p1(plan).answers.update(resource_inequities="Coaching differs by school."),
    "stakeholder-students": lambda plan: p1(plan).answers.update(
        stakeholder_input="We held four family forums and met with our parent advisory councils.",
        stakeholder_identified_schools="Teachers at both identified schools asked for shared planning time.",
        stakeholder_ongoing="Each school shares its math data at a family night in November, February and May."),
    "plan-link-not-a-link": lambda plan: setattr(plan.schools[1], "plan_link", "Ellis Pond SIP 2025.docx"),
    "own-group-target": lambda plan: p1(plan).answers.update(
        student_groups="Students with disabilities; English learners and former ELs; Grade 3 readers"),
    "classroom-actions-supported": lambda plan: p1(plan).answers.update(
        school_actions="Principals share the priority with families at open house and celebrate progress."),
    "priority-focused": lambda plan: p1(plan).answers.update(
        statement="Every student will receive rigorous, engaging instruction every day.", subject="All subjects",
        grades="K-12", student_groups="All students"),
    "target-kind": lambda plan: setattr(p1(plan).outcomes[0], "target", "SGP 45 (spring 2026)"),
    "baseline-year": lambda plan: setattr(p1(plan).outcomes[0], "baseline", "38% (spring 2027)"),
    "on-track-midyear": lambda plan: setattr(p1(plan).benchmarks[0], "on_track",
                                             "By June 2026, 90% of unit plans include written supports."),
    "assessment-fits": lambda plan: setattr(p1(plan).outcomes[1], "measure", "ACCESS for ELLs, grades 3-8, % making "
                                                                             "progress"),
    "benchmark-data-in-time": lambda plan: vars(p1(plan).benchmarks[2]).update(
        benchmark="MCAS math results for students with disabilities",
        on_track="By January, 20% of students with disabilities meet expectations on MCAS."),
    "accountability-measure": lambda plan: [setattr(r, "accountability", "No" if "MCAS" in r.measure else "Yes")
                                            for r in p1(plan).outcomes],
    "funding-available": lambda plan: p1(plan).answers.update(funding="ESSER III funds pay for the math coaches."),
    "benchmark-owner-same": lambda plan: [setattr(b, "monitored_by", "Superintendent") for b in p1(plan).benchmarks],
    "priority-is-a-vision": lambda plan: p1(plan).answers.update(
        statement="Every child will be empowered to reach their full potential as a lifelong learner."),
    "priority-cells-agree": lambda plan: p1(plan).answers.update(grades="6-8"),
    "outcome-in-priority-grades": lambda plan: setattr(p1(plan).outcomes[3], "measure",
                                                       "MCAS math achievement, grade 10"),
    "subject-carried": lambda plan: setattr(p1(plan).benchmarks[2], "benchmark",
                                            "DIBELS reading fluency for students with disabilities"),
    "focus-group-in-analysis": lambda plan: p1(plan).answers.update(
        student_groups="Students with disabilities; English learners; Hispanic/Latino students"),
    "targeted-actions-additional": lambda plan: setattr(p1(plan).targeted_support[0], "actions",
                                                        p1(plan).answers["district_actions"]),
    "stakeholder-identified-named": lambda plan: p1(plan).answers.update(
        stakeholder_identified_schools="At Cranberry Harbor High School, students asked for more math help."),
    "stakeholder-input-gathered": lambda plan: p1(plan).answers.update(
        stakeholder_input="We will hold family forums and student focus groups in the fall to hear their views."),
    "analysis-names-data": lambda plan: p1(plan).answers.update(
        outcomes_district="Our students struggle with problem solving and need stronger number sense.",
        outcomes_schools="Both identified schools, Harborview and Ellis Pond, need more support in math.",
        equity_gaps="Students with disabilities and English learners are furthest behind their peers in math."),
    "stakeholder-ongoing-involved": lambda plan: p1(plan).answers.update(
        stakeholder_ongoing="The plan is posted on the district website."),
    "resource-inequities-addressed": lambda plan: p1(plan).answers.update(
        resource_inequities="Our review found that Ellis Pond Middle School had the fewest math coaching hours per "
                            "teacher of any school in the district."),
    "equity-gaps-named": lambda plan: p1(plan).answers.update(
        equity_gaps="Too many of our students are not yet proficient in mathematics, and results vary widely."),
    "second-priority-identified": lambda plan: plan.priorities.append(Priority(
        number=2, answers={**p1(plan).answers, "grades": "9-12", "subject": "Science",
                           "statement": "Every student in grades 9-12 will do lab-based science."},
        outcomes=list(p1(plan).outcomes), benchmarks=list(p1(plan).benchmarks),
        targeted_support=list(p1(plan).targeted_support))),
    "hqim-priority-agrees": lambda plan: [p1(plan).answers.update(statement=p1(plan).answers["statement"] +
                                                                   " Our high-quality materials anchor the work."),
                                          vars(plan.curricula[0]).update(subject="Math", grades="6-8")],
    "priority-year": lambda plan: p1(plan).answers.update(
        statement="By spring 2025, every student in grades 3-8 will do grade-level mathematics every day."),
    "school-target-unsupported": lambda plan: setattr(p1(plan).outcomes[0], "school", "Cranberry Harbor High School"),
}


def test_every_rule_has_wording_and_a_test():
    assert set(load_rules()) == set(rules.CHECKS) == set(BREAKERS)
    for rule in load_rules().values():
        assert rule.guidance and rule.message and rule.advice


def test_every_guidance_quote_is_from_the_fy26_guidance():
    # DESE's FY26 guidance, copied from shared/seeds/001_0bf112102195d303.txt (see tests/data/README.md)
    guidance = Path(__file__).parent / "data" / "fy26_guidance.txt"
    source = " ".join(guidance.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ").split())
    for rule in load_rules().values():
        assert " ".join(rule.guidance.split()) in source, rule.id


def test_the_sample_plan_meets_every_rule():
    assert check(sample(), FY26) == []


@pytest.mark.parametrize("rule_id", sorted(BREAKERS))
def test_rule_fires_on_a_plan_that_breaks_it(rule_id):
    plan = sample()
    BREAKERS[rule_id](plan)
    fired = [f for f in check(plan, FY26) if f.rule == rule_id]
    assert fired, rule_id
    rule = load_rules()[rule_id]
    assert all(f.severity == rule.severity and f.guidance == rule.guidance for f in fired)
    assert all(f.message and f.advice and "{{" not in f.message for f in fired)


def test_a_reading_of_names_is_a_warning_and_a_blank_an_error():
    """School themes that are written but name no identified school may name it in a way docgen cannot read."""
    plan = sample()
    p1(plan).answers["outcomes_schools"] = "Scores fell at one of our schools, and attendance dropped at the other."
    assert {(f.rule, f.severity) for f in check(plan, FY26)} == {("school-in-analysis", "warning")}


def test_placeholder_in_an_optional_answer_is_allowed():
    plan = sample()
    p1(plan).answers["partner_supports"] = "N/A"
    assert check(plan, FY26) == []


def test_a_second_priority_prefixes_its_findings():
    plan = sample()
    second = Priority(number=2, answers=dict(p1(plan).answers), outcomes=list(p1(plan).outcomes),
                      benchmarks=[Benchmark("Only one", "District", "Director", "Monthly", "x")],
                      targeted_support=list(p1(plan).targeted_support))
    plan.priorities.append(second)
    messages = [f.message for f in check(plan, FY26) if f.rule == "benchmark-count"]
    assert messages == ["Priority #2: 1 interim benchmark; the guidance asks for 2-4."]


def test_fy25_plans_are_reviewed_with_the_rules_that_apply():
    plan = api.example_plan("fy25")
    assert check(plan, variants.load("fy25")) == []
    plan.curricula.append(Curriculum(subject="ELA"))
    plan.priorities[0].outcomes.append(OutcomeTarget(measure="Attendance"))
    found = {f.rule for f in check(plan, variants.load("fy25"))}
    assert found == {"hqim-curriculum-complete", "outcome-measure-and-target"}


# --- docgen check -------------------------------------------------------------------------


def break_sample_workbook(path):
    """Drop an identified school from targeted support, all benchmarks but one, and the EL target."""
    wb = openpyxl.load_workbook(path)
    for cell in wb["Targeted support"][6]:
        cell.value = None
    for row in (6, 7):
        for cell in wb["Monitoring"][row]:
            cell.value = None
    outcomes = wb["Outcomes"]
    for row in range(5, 12):
        if outcomes.cell(row=row, column=3).value == "English learners and former ELs":
            for cell in outcomes[row]:
                cell.value = None
    wb.save(path)


def test_check_passes_the_sample(sample, run):
    result = run("check", sample)
    assert result.exit_code == 0
    assert "0 errors, 0 warnings: ready to send" in result.output


def test_check_reports_exactly_the_broken_requirements_with_sheet_and_cell(sample, run):
    break_sample_workbook(sample)
    result = run("check", sample)
    assert result.exit_code == 1
    errors = [line.strip() for line in result.output.splitlines() if line.strip().startswith("error")]
    assert errors == [
        ("error   No outcome target for the prioritized student group 'English learners and former ELs'."
         "  [sheet 'Outcomes', cell B11]"),
        "error   1 interim benchmark; the guidance asks for 2-4.  [sheet 'Monitoring', cell B6]",
        ("error   Harborview Elementary School (In need of focused/targeted support) is not in the targeted support "
         "table.  [sheet 'Targeted support', cell B6]"),
    ]
    text = result.output
    assert text.index("4. Outcomes") < text.index("6. Monitoring Implementation") < text.index("8. Targeted Support")
    assert "Guidance: \u201cDistrict Instructional Priorities must directly impact all schools" in text


def test_check_json_for_machines(sample, run):
    break_sample_workbook(sample)
    result = run("check", sample, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["errors"] == 3 and data["warnings"] == 2
    first = data["findings"][0]
    assert set(first) == {"rule", "severity", "section", "section_title", "message", "location", "guidance", "advice",
                          "at"}
    assert first["location"] == "sheet 'Outcomes', cell B11"


def test_warnings_alone_pass_unless_strict(sample, run):
    wb = openpyxl.load_workbook(sample)
    wb["Monitoring"]["C7"].value = "School"  # no classroom-level benchmark left
    wb.save(sample)
    assert run("check", sample).exit_code == 0
    strict = run("check", sample, "--strict")
    assert strict.exit_code == 1
    assert "warning No interim benchmark at the classroom level." in strict.output


def test_check_colours_only_on_a_terminal(sample):
    from click.testing import CliRunner

    from docgen.cli.main import main

    break_sample_workbook(sample)
    plain = CliRunner().invoke(main, ["check", str(sample)])
    coloured = CliRunner().invoke(main, ["check", str(sample)], color=True)
    assert "\x1b[" not in plain.output
    assert "\x1b[31m" in coloured.output  # errors in red


def test_check_facts_shows_what_docgen_read_with_its_cell(sample, run):
    result = run("check", sample, "--facts")
    assert result.exit_code == 0
    shown = result.output.split("What docgen read")[1]
    assert ("p1.outcomes[0].target  [sheet 'Outcomes', cell F5]\n      percentage 42; season 'spring 2026' (school "
            "year 2025-26)") in shown
    assert "schools[1].grades  [sheet 'Schools', cell C6]\n      grades 6-8" in shown


def test_check_facts_as_json_are_keyed_like_the_findings(sample, run):
    report = json.loads(run("check", sample, "--facts", "--format", "json").output)
    assert report["facts"]["p1.subject"] == {"location": "sheet 'Priority 1', cell C7", "facts": ["subject Math"]}
