"""A consultant's corpus: mistakes planted one at a time in a realistic district, each caught by `check`;
ordinary rewordings of the same plan, none of which is an error.

The district is tests/data/granite_falls.yaml (three identified schools, two priorities, long answers). A
mistake names the rule a consultant would expect to fire; a rewording is how districts ordinarily write the
same thing, and an error there would block a plan that is fine.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from docgen import api
from docgen.model.plan import plan_from_dict

DATA = Path(__file__).parent / "data"
CLEAN = yaml.safe_load((DATA / "granite_falls.yaml").read_text(encoding="utf-8"))


def p(data, n=1):
    return data["priorities"][n - 1]


def answers(n, **changes):
    return lambda d: p(d, n)["answers"].update(changes)


def cell(table, row, n=1, **changes):
    return lambda d: p(d, n)[table][row].update(changes)


def school(i, **changes):
    return lambda d: d["schools"][i].update(changes)


def drop(table, keep, n=1):
    return lambda d: p(d, n).update({table: [r for r in p(d, n)[table] if keep(r)]})


MISTAKES = {
    # coverage and identified schools
    "a 6-8 priority leaves out a K-4 identified school": (
        lambda d: [answers(1, grades="K-3")(d), school(0, grades="4")(d), answers(2, grades="7-8")(d),
                   school(2, grades="5-6")(d)], "identified-grades-covered"),
    "the only priority is K-3 and a grades 5-6 school is identified": (
        lambda d: [d.update(priorities=d["priorities"][:1]), answers(1, grades="K-3")(d)], "identified-grades-covered"),
    "an identified school is missing from targeted support": (
        drop("targeted_support", lambda r: "Granite Street" not in r["school"]), "school-in-targeted-support"),
    "an identified school has no outcome target": (
        lambda d: [drop("outcomes", lambda r: "Westgate" not in r["school"])(d),
                   drop("outcomes", lambda r: "Westgate" not in r["school"], 2)(d)], "school-has-target"),
    "the school themes leave out an identified school": (
        lambda d: [answers(1, outcomes_schools="Granite Street Elementary School: English learners lag.")(d),
                   answers(2, outcomes_schools="Quarry Hill Middle School: math for students with IEPs.")(d)],
        "school-in-analysis"),
    "targeted support names a school with blank actions": (cell("targeted_support", 0, actions=""), "targeted-actions"),
    "targeted support says 'See attached'": (
        cell("targeted_support", 1, actions="See attached SIP."), "hollow-cells"),
    "the Underperforming school's SIP link is 'pending'": (school(2, plan_link="Pending"), "school-plan-link"),
    "the IAG school's link is blank": (school(3, plan_link=""), "school-plan-link"),
    "identified for EL results but nothing for ELs there": (
        lambda d: [school(0, reason="Low-performing student groups: African American/Black students")(d)],
        "identified-reason-answered"),
    "identified for low participation with no participation target": (
        lambda d: [p(d)["outcomes"].pop(5), cell("targeted_support", 1, actions="Intervention outside the core "
                                                  "block, 30 minutes a day.")(d)], "identified-reason-answered"),
    "a school lost its category": (school(0, category=""), "school-category"),
    "a school code lost its leading zero": (school(2, org_code="9960020"), "org-code"),
    "a misspelt school in the outcomes": (cell("outcomes", 3, school="Granit Stret Elementary School"),
                                          "school-name-typo"),
    "HQIM in the identified schools' grades says nothing of them": (
        lambda d: d["curricula"][0].update(grades="5-12", description="A committee is reviewing two programs."),
        "hqim-identified-schools"),
    "a curriculum with no status": (lambda d: d["curricula"][0].update(status=""), "hqim-curriculum-complete"),
    "profiles not confirmed": (lambda d: d["answers"].update(profiles_confirmed=""), "hqim-profiles-confirmed"),
    # specific and measurable
    "a target that is 'Improve'": (cell("outcomes", 0, target="Improve"), "target-number"),
    "a target that is 'increase reading'": (cell("outcomes", 3, target="Increase reading scores"), "target-number"),
    "a target with no baseline": (cell("outcomes", 1, baseline=""), "target-baseline"),
    "a blank midyear on-track": (cell("benchmarks", 2, on_track=""), "benchmark-on-track"),
    "a vague midyear on-track": (cell("benchmarks", 0, on_track="Teams are making good progress."),
                                 "on-track-precise"),
    "'Ongoing' as a frequency": (cell("benchmarks", 1, frequency="Ongoing"), "benchmark-cadence"),
    "'As needed' as a frequency": (cell("benchmarks", 1, n=2, frequency="As needed"), "benchmark-cadence"),
    "'TBD' monitors a benchmark": (cell("benchmarks", 3, monitored_by="TBD"), "hollow-cells"),
    "no one monitors a benchmark": (cell("benchmarks", 0, monitored_by=""), "benchmark-owner-frequency"),
    "one benchmark only": (lambda d: p(d).update(benchmarks=p(d)["benchmarks"][:1]), "benchmark-count"),
    "six benchmarks": (lambda d: p(d)["benchmarks"].extend(copy.deepcopy(p(d)["benchmarks"][:2])), "benchmark-count"),
    "no classroom benchmark": (cell("benchmarks", 2, level="School"), "benchmark-levels"),
    "benchmarks only on adult practice": (
        lambda d: [cell("benchmarks", 3, benchmark="Coaches observe EL teachers co-teaching in the core block",
                        on_track="By January, coaches have observed every EL teacher twice.")(d),
                   cell("benchmarks", 2, benchmark="Coaches give feedback within a week of each classroom visit")(d)],
        "benchmark-kinds"),
    "no aggregate target": (drop("outcomes", lambda r: r["student_group"] != "All students" or
                                 r["school"] != "Districtwide"), "aggregate-target"),
    "no target for a prioritized group": (drop("outcomes", lambda r: "low-income" not in r["student_group"]),
                                          "group-targets"),
    "no accountability target": (lambda d: [r.update(accountability="No") for r in p(d, 2)["outcomes"]],
                                 "accountability-target"),
    "an ELA priority measured only by math": (
        lambda d: [r.update(measure=r["measure"].replace("ELA", "math").replace("reading", "math"))
                   for r in p(d)["outcomes"]], "subject-measures"),
    "a target with no measure": (cell("outcomes", 2, measure=""), "outcome-measure-and-target"),
    "the district's own group has no target": (
        answers(1, student_groups="English learners; low-income students; Grade 3 readers below benchmark"),
        "own-group-target"),
    # hollow answers
    "resource inequities 'See attached budget narrative.'": (
        answers(1, resource_inequities="See attached budget narrative."), "placeholder-answers"),
    "stakeholder input 'N/A - we did not hold sessions'": (
        answers(2, stakeholder_input="N/A - we did not hold sessions this year."), "placeholder-answers"),
    "funding 'TBD'": (answers(1, funding="TBD"), "placeholder-answers"),
    "desired impact 'Same as last year.'": (answers(2, desired_impact="Same as last year."), "placeholder-answers"),
    "a curriculum description 'TBD'": (lambda d: d["curricula"][0].update(description="TBD"), "hollow-cells"),
    "a baseline 'TBD'": (cell("outcomes", 4, baseline="TBD"), "hollow-cells"),
    "a blank equity gaps answer": (answers(1, equity_gaps=""), "required-answers"),
    "input from identified schools left blank": (answers(2, stakeholder_identified_schools=""),
                                                 "stakeholder-identified-schools"),
    "resource inequities leave out the identified schools": (
        answers(2, resource_inequities="Budgets were reviewed and coaching hours differ between buildings."),
        "resource-inequities-identified-schools"),
    "'All students' as the only focus group": (answers(2, student_groups="All students"), "focus-group-all-students"),
    "a target below its baseline": (cell("outcomes", 2, target="10% (spring 2026)"), "target-below-baseline"),
    "last year's target date carried over": (cell("outcomes", 0, n=2, target="39% (spring 2025)"), "target-year"),
    "'Staff' monitors a benchmark": (cell("benchmarks", 1, monitored_by="Staff"), "benchmark-owner-vague"),
    "two priorities for the same grades and subject": (
        lambda d: [answers(2, subject="ELA", grades="K-6")(d)], "second-priority-same-context"),
    "a one-line answer on resource inequities": (answers(1, resource_inequities="Coaching hours differ by school."),
                                                 "short-answer"),
    "engagement never hears from students": (
        lambda d: [answers(2, stakeholder_input="Families at two advisory council meetings asked for inclusive math.",
                           stakeholder_identified_schools="Teachers at Quarry Hill Middle School asked for shared "
                                                          "planning time before co-teaching.",
                           stakeholder_ongoing="The advisory council reviews the co-teaching data each quarter.")(d)],
        "stakeholder-students"),
    "the SIP link is a file name": (school(2, plan_link="Westgate SIP 2025 final.docx"), "plan-link-not-a-link"),
    # counting advice
    "five priorities in one statement": (
        answers(1, statement="Our five priorities are literacy, math, attendance, culture and family engagement."),
        "one-priority-per-statement"),
    "a numbered list of priorities": (
        answers(1, statement="1. Literacy in grades K-6.\n2. Math in grades 6-8.\n3. Attendance at every school."),
        "one-priority-per-statement"),
    "six headlines": (answers(1, systemic_headlines="\n".join(f"{i}. Headline {i} about adult practice."
                                                              for i in range(1, 7))), "headline-count"),
    "several systems prioritized": (
        answers(2, systemic_priority="1. The master schedule.\n2. Co-planning time.\n3. Coaching."),
        "one-system-prioritized"),
    "twelve district actions in one paragraph": (
        answers(1, district_actions="We will protect the block; fund coaches; train principals; buy books; review "
                                    "data; hire an EL teacher; run family nights; adjust buses; audit schedules; "
                                    "publish updates; survey students; and report to the committee."),
        "role-clarity-less-is-more"),
    "no school-level actions": (answers(2, school_actions=""), "role-clarity-levels"),
    "twelve district actions in one comma sentence": (
        answers(1, district_actions="The district will provide coaching, PLCs, walkthroughs, data meetings, family "
                                    "nights, PD, co-teaching, rubrics, exit tickets, newsletters, surveys and a summer "
                                    "institute."), "role-clarity-less-is-more"),
    "eight classroom actions in one bullet after a colon": (
        answers(2, classroom_actions="- Each week: co-plan, co-teach, check IEP goals, use exit tickets, group "
                                     "students, reteach, call families, log progress."), "role-clarity-less-is-more"),
    "school leaders only communicate the priority": (
        answers(1, school_actions="- Share the priority with families at open house.\n- Celebrate reading "
                                  "milestones at monthly assemblies."), "classroom-actions-supported"),
    "neither school nor district actions back the co-teachers": (
        answers(2, school_actions="Principals announce the co-teaching model to staff and families in September.",
                district_actions="The superintendent presents the priority to the school committee."),
        "classroom-actions-supported"),
    "co-teachers supported but no one watches how it goes": (
        answers(2, school_actions="- Give each co-teaching pair a shared planning period.\n- Protect the planning "
                                  "period from coverage."), "classroom-actions-supported"),
    "a priority for every subject in every grade": (
        answers(1, statement="Every student will receive rigorous, engaging, standards-based instruction every day "
                             "so that all students reach their full potential.", subject="All subjects",
                grades="K-12", student_groups="All students"), "priority-focused"),
    "'Tier 1 instruction' PK-12 as the priority": (
        answers(2, statement="Strengthen Tier 1 instruction through MTSS in every school, especially for students "
                             "with disabilities.", subject="Tier 1 instruction", grades="PK-12"), "priority-focused"),
    "belonging K-12 for all students, with SEL as the subject": (
        answers(1, statement="Build belonging and engagement across the district.", subject="SEL", grades="K-12",
                student_groups="All students"), "priority-focused"),
    "a grades 3-5 priority in all subjects for all students": (
        answers(1, statement="Students in grades 3-5 will engage in rigorous discussion in all subjects.",
                subject="All", grades="3-5", student_groups="All students"), "priority-focused"),
    # direction and dates
    "no direction chosen": (answers(1, direction=""), "direction-chosen"),
    "a change of direction with no data narrative": (
        answers(2, direction_rationale="We are moving to co-teaching because it is the right thing to do."),
        "change-direction-narrative"),
    "a plan dated 2024": (lambda d: d["district"].update(date="June 20, 2024"), "plan-date-window"),
    "no plan date": (lambda d: d["district"].update(date=""), "plan-date"),
    "last year's school year": (lambda d: d["district"].update(school_year="2024-2025"), "school-year"),
    "three priorities": (lambda d: d["priorities"].append(copy.deepcopy(p(d, 2))), "at-most-two-priorities"),
}

REWORDINGS = {
    "'Districtwide' and 'All schools' for the aggregate": lambda d: [cell("outcomes", 0, school="All schools")(d)],
    "groups typed as prose": answers(1, student_groups="English learners (including newcomers) and students from "
                                                       "low-income families"),
    "economically disadvantaged and multilingual learners": lambda d: [
        answers(1, student_groups="Multilingual learners; economically disadvantaged students")(d),
        cell("outcomes", 1, student_group="Economically disadvantaged")(d),
        cell("outcomes", 2, student_group="Multilingual learners (ML)")(d)],
    "SWD and students with IEPs": lambda d: [answers(2, student_groups="SWD, especially students with IEPs in "
                                                                        "grades 7-8")(d),
                                             cell("outcomes", 1, n=2, student_group="Students w/ disabilities")(d)],
    "grades written out": lambda d: [answers(1, grades="Grades K through 6")(d), answers(2, grades="Gr. 6, 7 and 8")(d),
                                     school(0, grades="K–4")(d)],
    "frequencies in the district's words": lambda d: [cell("benchmarks", 0, frequency="Every 6 weeks")(d),
                                                      cell("benchmarks", 1, frequency="October, January, April")(d),
                                                      cell("benchmarks", 2, frequency="Each coaching cycle")(d)],
    "a new measure with no baseline yet, said so": lambda d: p(d)["outcomes"].append(
        {"measure": "District writing task, grades 3-6, % scoring 3 or 4 (new task; baseline set in October 2025)",
         "student_group": "All students", "school": "District", "baseline": "", "target": "Baseline + 10 points",
         "accountability": "No"}),
    "an observable midyear standard with no number": cell(
        "benchmarks", 0, n=2, on_track="By January, every co-taught pair plans each unit together."),
    "the aggregate row typed 'All' for the district name": lambda d: [
        cell("outcomes", 0, student_group="All", school="Granite Falls Public Schools")(d)],
    "targets dated by school year": lambda d: [cell("outcomes", 0, target="43% (2025-26)")(d),
                                               cell("outcomes", 1, target="28% by June 2026")(d)],
    "prose actions, a few sentences": answers(2, district_actions="The district builds eight co-taught sections into "
                                                                  "the master schedule. It funds a co-teaching coach."),
}


# Ordinary wordings near each new rule's line, none of which may trigger it: (change, the rule that must stay quiet).
NOT_CAUGHT = {
    "a sentence whose commas are clauses": (
        answers(1, district_actions="In August, the district will train all K-6 teachers, including special "
                                    "educators and EL teachers, on the new modules, and coaches will follow up in "
                                    "September, October and November."), "role-clarity-less-is-more"),
    "many people doing three things": (
        answers(1, school_actions="Principals, assistant principals, coaches and team leaders attend one grade-team "
                                  "planning meeting a week, give feedback on lesson plans, and run learning walks "
                                  "every two weeks."), "role-clarity-less-is-more"),
    "PD on five topics": (
        answers(1, district_actions="Provide PD on phonics, fluency, vocabulary, comprehension and writing, with "
                                    "follow-up coaching."), "role-clarity-less-is-more"),
    "data reviews on three dates": (
        answers(1, district_actions="Review benchmark data with principals on October 1, 2025, January 14, 2026, "
                                    "and April 8, 2026."), "role-clarity-less-is-more"),
    "school leaders who give feedback, in prose": (
        answers(1, school_actions="Principals join a grade-team meeting each week and give feedback on the plans."),
        "classroom-actions-supported"),
    "district leaders who pay for substitutes": (
        answers(2, district_actions="The district pays for substitutes so co-teaching pairs can plan each unit."),
        "classroom-actions-supported"),
    "school leaders who only visit classrooms": (
        answers(2, school_actions="Assistant principals visit each co-taught section every two weeks."),
        "classroom-actions-supported"),
    "district leaders who review data": (
        answers(1, district_actions="The curriculum director leads quarterly data conversations with each principal."),
        "classroom-actions-supported"),
    "K-12 math for all students": (
        answers(2, statement="Every K-12 student will do grade-level mathematics every day.", subject="Math",
                grades="K-12", student_groups="All students"), "priority-focused"),
    "the subject written as prose": (
        answers(1, subject="English language arts (reading and writing)"), "priority-focused"),
    "literacy across content areas in one grade span": (
        answers(2, statement="Students in grades 6-8, especially students with IEPs, will read and write arguments "
                             "across content areas.", subject="Literacy across content areas"), "priority-focused"),
    "attendance K-12 for low-income students": (
        answers(1, statement="Every student from a low-income family, K-12, will attend school at least 90% of days.",
                subject="Attendance", grades="K-12", student_groups="Low income"), "priority-focused"),
    "deeper learning in grades 6-8 for students with IEPs": (
        answers(2, statement="Students with IEPs in grades 6-8 will do deeper learning tasks in every class.",
                subject="Deeper learning"), "priority-focused"),
    "two subjects for English learners": (
        answers(1, subject="ELA and math", student_groups="English learners"), "priority-focused"),
}


def findings(data):
    return api.check_plan(plan_from_dict(data, "fy26"))


def test_the_invented_district_is_clean():
    found = findings(CLEAN)
    assert [f.message for f in found if f.severity == "error"] == []
    assert len(found) <= 3, [f.message for f in found]


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_planted_mistake_is_caught(name):
    plant, rule = MISTAKES[name]
    data = copy.deepcopy(CLEAN)
    plant(data)
    assert rule in {f.rule for f in findings(data)}, name


@pytest.mark.parametrize("name", sorted(REWORDINGS))
def test_an_ordinary_rewording_is_no_error(name):
    data = copy.deepcopy(CLEAN)
    REWORDINGS[name](data)
    assert [f.message for f in findings(data) if f.severity == "error"] == []


@pytest.mark.parametrize("name", sorted(NOT_CAUGHT))
def test_an_ordinary_wording_near_a_rule_does_not_trigger_it(name):
    plant, rule = NOT_CAUGHT[name]
    data = copy.deepcopy(CLEAN)
    plant(data)
    found = findings(data)
    assert rule not in {f.rule for f in found}, [f.message for f in found if f.rule == rule]
    assert [f.message for f in found if f.severity == "error"] == []


@pytest.mark.parametrize(("text", "count"), [
    ("Coaching, PLCs, walkthroughs, data meetings, feedback and family nights.", 6),
    ("We will fund coaching, PLCs, walkthroughs, data meetings, and family nights.", 5),
    ("Key actions: coaching, PLCs, walkthroughs, feedback.", 4),
    ("- Protect the block.\n- Each week: co-plan, co-teach, reteach, call families, log progress.", 5),
    ("The district will fund coaches, PD and materials.", 1),
    ("In August, the district will train all teachers, including special educators, on the units.", 1),
    ("Teachers, coaches and principals will meet weekly to review student work.", 1),
    (("Coaches, principals, department heads, special educators, EL teachers and paraprofessionals attend the "
      "August institute."), 1),
    ("Teachers use clear, consistent, research-based routines every day.", 1),
])
def test_a_sentence_that_is_a_list_counts_its_items(text, count):
    from docgen.checks.words import items_in

    assert items_in(text) == count


def test_the_new_findings_quote_the_district_and_ask_one_question():
    data = copy.deepcopy(CLEAN)
    for name in ("neither school nor district actions back the co-teachers",
                 "'Tier 1 instruction' PK-12 as the priority", "twelve district actions in one comma sentence"):
        MISTAKES[name][0](data)
    advice = {f.rule: f.advice for f in findings(data)}
    assert advice["classroom-actions-supported"] == (
        "Priority #2: Classroom educators will 'Plan each unit together, with supports for students with IEPs.', but "
        "the actions for school and district leaders do not say how that work will be supported or monitored: what "
        "coaching, planning time or materials will help teachers do it, and who will see how it is going?")
    assert advice["priority-focused"] == (
        "Priority #2: As written, the priority ('Strengthen Tier 1 instruction through MTSS in every school, "
        "especially for students...') has 'Tier 1 instruction' as its subject and covers grades PK-12: which "
        "subject and grades will the work focus on first, so that the district can expect to see progress by June?")
    assert advice["role-clarity-less-is-more"].startswith("Priority #1: The actions for district leaders list 12 "
                                                          "things, beginning 'The district will provide coaching")

def test_the_clean_plans_give_nothing_from_the_focus_and_support_rules():
    mill_river = yaml.safe_load((DATA / "mill_river.yaml").read_text(encoding="utf-8"))
    quiet = {"classroom-actions-supported", "priority-focused", "role-clarity-less-is-more"}
    for found in (findings(CLEAN), findings(mill_river), api.check_plan(api.example_plan("fy26"))):
        assert not quiet & {f.rule for f in found}


def test_the_corpus_is_a_consultants_size():
    assert len(MISTAKES) >= 40 and len(REWORDINGS) >= 10


def test_the_other_clean_plans_have_no_error_and_few_warnings():
    mill_river = yaml.safe_load((DATA / "mill_river.yaml").read_text(encoding="utf-8"))
    for found in (findings(mill_river), api.check_plan(api.example_plan("fy26"))):
        assert [f.message for f in found if f.severity == "error"] == []
        assert len(found) <= 3


def test_the_checking_page_names_every_rule_under_its_severity():
    from docgen.checks import load_rules

    page = (Path(__file__).parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    errors, warnings = page.split("## Warnings")[0].split("## Errors")[1], page.split("## Warnings")[1]
    for rule in load_rules().values():
        assert f"`{rule.id}`" in (errors if rule.severity == "error" else warnings), rule.id
