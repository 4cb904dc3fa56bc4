"""The tuned corpus across three districts: mistakes a consultant would expect `check` to catch, planted one at a
time, and ordinary wordings a consultant would accept, none of which may be an error.

The districts are tests/data/granite_falls.yaml, quequechan.yaml and paper_city.yaml (the last two written in
the voice of real Massachusetts districts' public plans: short school names, labels, the city's name in the
School column). Each mistake names the rule that must fire and the guidance it breaks; the kinds cover the
sections as a whole (the statement against its cells, the targets' numbers, years and assessments, monitoring
data in time, owners, funding, coverage of identified schools). tests/test_checks_corpus.py holds the first
district's older corpus; tests/test_checks_held_out.py measures a corpus written by someone who never saw the
rules.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from docgen import api
from docgen.model.plan import plan_from_dict

DATA = Path(__file__).parent / "data"
DISTRICTS = {name: yaml.safe_load((DATA / f"{name}.yaml").read_text(encoding="utf-8"))
             for name in ("granite_falls", "quequechan", "paper_city")}


def p(data, n=1):
    return data["priorities"][n - 1]


def answers(n=1, **changes):
    return lambda d: p(d, n)["answers"].update(changes)


def cell(table, row, n=1, **changes):
    return lambda d: p(d, n)[table][row].update(changes)


def rows(table, n=1, **changes):
    return lambda d: [r.update(changes) for r in p(d, n)[table]]


def district_rows(name, n=1):
    """Return a change that writes ``name`` in the School cell of every district-level outcome row."""
    district = ("Districtwide", "District", "Paper City Public Schools")
    return lambda d: [r.update(school=name) for r in p(d, n)["outcomes"] if r["school"] in district]


def drop(table, keep, n=1):
    return lambda d: p(d, n).update({table: [r for r in p(d, n)[table] if keep(r)]})


def add(table, n=1, **row):
    return lambda d: p(d, n)[table].append(row)


def both(*changes):
    return lambda d: [change(d) for change in changes]


Q, P, G = "quequechan", "paper_city", "granite_falls"

MISTAKES = {  # name: (district, change, the rule that must fire)
    # numbers: the kind and the year each column needs
    "a target that is a year, not a number": (
        Q, cell("outcomes", 1, target="By the end of the 2027-28 school year, schools will narrow the gap"),
        "target-number"),
    "a target that is a percentage of a growth percentile's baseline": (
        P, cell("outcomes", 3, target="SGP 50 (spring 2026)"), "target-kind"),
    "a percentage above 100": (Q, cell("outcomes", 0, target="131% (2026)"), "target-kind"),
    "chronic absence set to rise": (
        G, add("outcomes", 2, measure="Chronic absenteeism rate, grades 6-8", student_group="Students with "
               "disabilities", school="District", baseline="22% (2024-25)", target="25% (2025-26)",
               accountability="Yes"), "target-below-baseline"),
    "a target equal to its baseline": (Q, cell("outcomes", 2, target="9% (2026)"), "target-below-baseline"),
    "an annual target three years out": (P, cell("outcomes", 1, target="45% (spring 2028)"), "target-year"),
    "a baseline dated in the plan's own spring": (Q, cell("outcomes", 0, baseline="27% (spring 2026)"),
                                                  "baseline-year"),
    # monitoring: precise, at midyear, from data that exists by then, watched at each level
    "'all' teachers making progress as the midyear standard": (
        Q, cell("benchmarks", 0, on_track="All teachers are making progress with discourse."), "on-track-precise"),
    "a midyear standard dated June": (
        P, cell("benchmarks", 1, on_track="By June 2026, 45% of K-3 students at or above benchmark."),
        "on-track-midyear"),
    "a midyear standard from last year": (
        G, cell("benchmarks", 0, on_track="By January 2025, 85% of grade-team agendas show module planning."),
        "on-track-midyear"),
    "MCAS as a midyear benchmark": (
        Q, cell("benchmarks", 2, benchmark="MCAS math results for ELs and SWD",
                on_track="By January, 20% of ELs and SWD meet expectations on MCAS."), "benchmark-data-in-time"),
    "MCAS read monthly": (Q, cell("benchmarks", 1, benchmark="MCAS math results, grades 3-8", frequency="Monthly",
                                  on_track="30% of grade 3-8 students meet expectations."), "benchmark-data-in-time"),
    "one owner for every benchmark": (Q, rows("benchmarks", monitored_by="Chief Academic Officer"),
                                      "benchmark-owner-same"),
    "a reading benchmark in a math priority": (
        Q, cell("benchmarks", 2, benchmark="DIBELS oral reading fluency for ELs and SWD"), "subject-carried"),
    # assessments that exist for the row
    "MCAS in grades K-2": (P, cell("outcomes", 0, measure="MCAS ELA, grades K-2, % meeting or exceeding"),
                           "assessment-fits"),
    "ACCESS for students with IEPs": (
        P, cell("outcomes", 2, measure="ACCESS for ELLs, % making progress toward English proficiency"),
        "assessment-fits"),
    "ACCESS as a math measure": (Q, cell("outcomes", 5, measure="ACCESS for ELLs math scores, grades 3-5"),
                                 "assessment-fits"),
    "accountability marked only on local measures": (
        Q, both(rows("outcomes", accountability="No"),
                add("outcomes", measure="i-Ready math, grades 3-8, % on or above grade level", student_group="All "
                    "students", school="Districtwide", baseline="24% (fall 2025)", target="35% (spring 2026)",
                    accountability="Yes")), "accountability-measure"),
    # section 1 against its own cells and the rest of the plan
    "a vision sentence as the priority": (
        P, answers(statement="Paper City Public Schools will empower every learner to thrive and reach their full "
                             "potential in a changing world."), "priority-is-a-vision"),
    "the statement's group is not the group cell's": (P, answers(student_groups="SWD"), "priority-cells-agree"),
    "the statement's subject is not the subject cell's": (P, answers(subject="Mathematics"), "priority-cells-agree"),
    "the statement's grades are not the grades cell's": (Q, answers(grades="6-8"), "priority-cells-agree"),
    "a target in grades the priority does not teach": (
        Q, cell("outcomes", 0, measure="MCAS Math, grade 10, % Meeting/Exceeding"), "outcome-in-priority-grades"),
    "classroom actions about another subject": (
        P, answers(classroom_actions="- Launch each math lesson with a number talk.\n- Use math manipulatives "
                                     "daily."), "subject-carried"),
    "a focus group the analysis never discusses": (
        Q, answers(student_groups="ELs; SWD; Hispanic/Latino students"), "focus-group-in-analysis"),
    "a school-level target for a school the plan never supports": (
        Q, add("outcomes", measure="MCAS Math, grades 3-5, % Meeting/Exceeding", student_group="All students",
               school="Spencer Borden", baseline="41% (2025)", target="45% (2026)", accountability="Yes"),
        "school-target-unsupported"),
    "a second priority inside the first": (
        G, answers(2, subject="ELA", grades="3-5", student_groups="English learners",
                   statement="Students in grades 3-5, especially English learners, will write about texts daily."),
        "second-priority-same-context"),
    "a funding source that has ended": (P, answers(funding="ESSER III funds pay for the literacy coaches."),
                                        "funding-available"),
    "one headline on adult practice": (
        P, answers(systemic_headlines="Pull-out services are scheduled during the phonics block."), "headline-count"),
    "an interim benchmark read once a year": (P, cell("benchmarks", 0, n=2, frequency="Annually"),
                                              "benchmark-cadence"),
    "last plan's baseline carried over": (Q, cell("outcomes", 3, baseline="35 (2022)"), "baseline-year"),
    "targeted support that repeats the district actions": (
        Q, lambda d: p(d)["targeted_support"][1].update(actions=p(d)["answers"]["district_actions"]),
        "targeted-actions-additional"),
    "targeted support that is what every school gets": (
        P, cell("targeted_support", 1, actions="The same supports as all other schools in the district."),
        "targeted-actions-additional"),
    "identified schools' input heard elsewhere": (
        Q, answers(stakeholder_identified_schools="At Spencer Borden, families asked for math nights in Portuguese."),
        "stakeholder-identified-named"),
    "principals own every benchmark, however written": (
        P, lambda d: [b.update(monitored_by=who) for b, who in zip(p(d)["benchmarks"], ("Principals", "principal",
                                                                                     "Principals"), strict=True)],
        "benchmark-owner-same"),
    "'All students' alone as the midyear standard": (P, cell("benchmarks", 1, on_track="All students"),
                                                      "on-track-precise"),
    "an interim benchmark read only in spring": (Q, cell("benchmarks", 2, frequency="Spring"), "benchmark-cadence"),
    "a school's target in grades it does not serve": (
        Q, cell("outcomes", 3, measure="MCAS Math, grades 3-5, % Meeting/Exceeding"), "outcome-in-priority-grades"),
    "stakeholder input still to be gathered": (
        P, answers(stakeholder_input="We will survey families and hold student focus groups in the fall."),
        "stakeholder-input-gathered"),
    "an analysis with no data": (
        Q, answers(outcomes_district="Our students struggle with problem solving, and ELs and SWD struggle most.",
                   outcomes_schools="Kuss, Lord and Doran need the most support in math.",
                   equity_gaps="ELs and SWD are furthest behind their peers in math."), "analysis-names-data"),
    "involvement that only informs": (Q, answers(stakeholder_ongoing="The plan will be posted on the district "
                                                                     "website."), "stakeholder-ongoing-involved"),
    "inequities found, nothing done": (
        P, answers(resource_inequities="Our budget review found that Morgan and Kelly had half the coaching hours of "
                                       "our other elementary schools."), "resource-inequities-addressed"),
    "equity gaps between no one": (Q, answers(equity_gaps="Math results are too low and have not improved in years."),
                                   "equity-gaps-named"),
    "a second priority for grades no identified school teaches": (
        G, answers(2, grades="9-12", statement="Every student in grades 9-12 will take Algebra-based courses.",
                   subject="Math"), "second-priority-identified"),
    "high-quality materials in the priority, not in the HQIM list": (
        P, lambda d: d["curricula"][0].update(grades="K-5"), "hqim-priority-agrees"),
    "last year's priority statement": (
        Q, answers(statement="By the end of SY24-25, all students in grades 3-8 will engage daily in grade-level "
                             "mathematics tasks."), "priority-year"),
    "a curriculum with no description": (Q, lambda d: d["curricula"][0].update(description=""),
                                         "hqim-curriculum-complete"),
    "a school's target in another subject": (
        G, cell("outcomes", 4, measure="MCAS math, grades 5-6, % meeting or exceeding expectations"),
        "subject-measures"),
    # identified schools and the guidance's requirements, on the new districts
    "an identified school left out of targeted support": (Q, drop("targeted_support", lambda r: r["school"] != "Doran"),
                                                          "school-in-targeted-support"),
    "an identified school with no target": (P, drop("outcomes", lambda r: r["school"] != "Kelly"), "school-has-target"),
    "school themes that skip an identified school": (
        Q, answers(outcomes_schools="Kuss: lowest 10% statewide. Doran: among the lowest 10%."), "school-in-analysis"),
    "the Underperforming school's plan link is blank": (
        P, lambda d: d["schools"][3].update(plan_link=""), "school-plan-link"),
    "no target for a prioritized group": (Q, drop("outcomes", lambda r: r["student_group"] != "ELs"), "group-targets"),
    "no aggregate target": (P, drop("outcomes", lambda r: r["student_group"] != "All students" or
                                    r["school"] != "Paper City Public Schools"), "aggregate-target"),
    "'Ongoing' as a cadence": (Q, cell("benchmarks", 0, frequency="Ongoing"), "benchmark-cadence"),
    "'TBD' as who monitors": (P, cell("benchmarks", 0, n=2, monitored_by="TBD"), "hollow-cells"),
    "a misspelt school": (Q, cell("targeted_support", 2, school="Dorran Elementry"), "school-name-typo"),
    "a priority that no longer reaches the middle school": (Q, answers(grades="3-5"), "identified-grades-covered"),
    "every target marked 'No' for accountability": (Q, rows("outcomes", accountability="No"),
                                                     "accountability-target"),
    "no direction chosen": (P, answers(direction=""), "direction-chosen"),
    "resource inequities 'See attached'": (Q, answers(resource_inequities="See attached budget narrative."),
                                           "placeholder-answers"),
}

REWORDINGS = {  # name: (district, change): a consultant would accept each; none may be an error
    "the Kuss": (Q, cell("targeted_support", 0, school="the Kuss")),
    "Kuss Middle School": (Q, cell("outcomes", 3, school="Kuss Middle School")),
    "Henry Lord and Lord Community School": (Q, both(cell("targeted_support", 1, school="Henry Lord"),
                                                     cell("outcomes", 4, school="Lord Community School"))),
    "Doran ES and John J. Doran Elementary": (Q, both(cell("targeted_support", 2, school="Doran ES"),
                                                      cell("outcomes", 5, school="John J. Doran Elementary"))),
    "the city's name for the district": (Q, district_rows("Quequechan")),
    "the district with its schools in brackets": (Q, cell("outcomes", 0, school="Quequechan Public Schools "
                                                                                "(all schools)")),
    "Math for Mathematics": (Q, answers(subject="Math")),
    "groups with their abbreviations": (Q, answers(student_groups="English learners (ELs); students with "
                                                                  "disabilities (SWD)")),
    "group rows in other words": (Q, both(cell("outcomes", 1, student_group="English Language Learners"),
                                          cell("outcomes", 2, student_group="Students w/ Disabilities"))),
    "cadences as districts write them": (Q, both(cell("benchmarks", 1, frequency="BOY/MOY/EOY"),
                                                 cell("benchmarks", 0, frequency="2x per month"))),
    "the baseline inside the target": (Q, cell("outcomes", 0, baseline="", target="from 27% to 31% by spring 2026")),
    "targets dated by school year and month": (Q, both(cell("outcomes", 0, target="31% (SY25-26)"),
                                                       cell("outcomes", 1, target="18% by June 2026"))),
    "owners abbreviated": (Q, both(cell("benchmarks", 1, monitored_by="CAO"),
                                   cell("benchmarks", 0, monitored_by="APs and coaches"))),
    "Morgan School and The Morgan": (P, both(cell("targeted_support", 0, school="Morgan School"),
                                             cell("outcomes", 3, school="The Morgan"))),
    "Kelly Full Service": (P, cell("targeted_support", 1, school="Kelly Full Service")),
    "Kennedy Longfellow, not identified, given support too": (
        P, add("targeted_support", school="Kennedy Longfellow", actions="The literacy coach visits K-2 monthly.")),
    "Dean Tech and Dean HS": (P, both(cell("targeted_support", 0, n=2, school="Dean Tech"),
                                      cell("outcomes", 0, n=2, school="Dean HS"))),
    "Districtwide for the city's name": (P, district_rows("Districtwide")),
    "MLs and ELLs": (P, both(answers(student_groups="MLs, including newcomers; students with IEPs"),
                             cell("outcomes", 1, student_group="ELLs"))),
    "IEPs as students with disabilities": (P, cell("outcomes", 2, student_group="Students with disabilities")),
    "grades written out": (P, answers(grades="Kindergarten through Grade 4")),
    "school themes with 'The Morgan School:'": (
        P, answers(outcomes_schools="The Morgan School: ELA achievement is among the lowest 10% statewide.\n"
                                    "Kelly School: multilingual learners met expectations at 8%.")),
    "graduation target for a cohort": (P, cell("outcomes", 0, n=2, target="72% (class of 2026)")),
    "Westgate and Quarry Hill MS": (G, both(cell("targeted_support", 1, school="Westgate"),
                                            cell("targeted_support", 0, n=2, school="Quarry Hill MS"))),
    "Granite St. Elementary": (G, cell("outcomes", 3, school="Granite St. Elementary")),
    "the district's short name": (G, cell("outcomes", 0, school="Granite Falls")),
    "Mathematics for Math": (G, answers(2, subject="Mathematics")),
    "the focus said in the statement, the cells left blank": (
        Q, answers(subject="", grades="", student_groups="")),
    "the midyear standard written into the benchmark": (
        Q, cell("benchmarks", 0, benchmark="By January, 50% of observed lessons show student discourse", on_track="")),
    "who and how often written into the benchmark": (
        P, cell("benchmarks", 0, benchmark="Principals review phonics observation data weekly", monitored_by="",
                frequency="")),
    "'All identified schools' as one targeted support row": (
        Q, both(drop("targeted_support", lambda r: False),
                add("targeted_support", school="All identified schools", actions="A math coach at each school and "
                    "weekly learning walks instead of every two weeks."))),
    "the plan link given in the targeted support row": (
        P, both(lambda d: d["schools"][3].update(plan_link=""),
                cell("targeted_support", 0, n=2, actions="See the Dean SIP at https://www.papercity.example.org/dean/"
                     "sip: four ninth-grade team leaders and a grade 9 assistant principal."))),
    "a target set against the state average": (P, cell("outcomes", 0, n=2, target="Meet the state average by "
                                                                                  "spring 2026")),
    "the direction said in the rationale, the choice left blank": (
        P, both(answers(direction=""), answers(direction_rationale="We recommit to early literacy and extend it to "
                                                                   "grades 3-4, because 55% of lessons were taught in "
                                                                   "full."))),
    "no Level column, levels read from who monitors": (Q, rows("benchmarks", level="")),
    "a school's target named in the measure, the School cell the district's": (
        P, cell("outcomes", 4, school="District", measure="MCAS ELA at Kelly, grades 3-4, % meeting or exceeding")),
    "levels typed as districts type them": (
        Q, lambda d: [b.update(level=lv) for b, lv in zip(p(d)["benchmarks"], ("School level", "District-level",
                                                                             "Classroom (teachers)"), strict=True)]),
    "accountability marked 'yes' and 'Y'": (P, both(rows("outcomes", accountability="yes"),
                                                    rows("outcomes", n=2, accountability="Y"))),
    "categories typed loosely": (
        Q, lambda d: [d["schools"][0].update(category="underperforming"),
                      d["schools"][1].update(category="Focused/targeted support (TSI)")]),
    "'N/A' as an Accountability answer, 'All' as a level": (
        P, both(cell("outcomes", 0, accountability="N/A"), cell("benchmarks", 1, level="All levels"))),
    "i-Ready lessons read weekly": (Q, cell("benchmarks", 1, benchmark="i-Ready math lessons passed, grades 3-8",
                                            frequency="Weekly")),
    "a math screener by its name": (Q, cell("outcomes", 5, measure="Acadience Math composite, grades 3-5, % at "
                                                                  "benchmark")),
    "targets as '+5pp', grades as '3rd-5th', 'Multilingual students'": (
        Q, both(cell("outcomes", 5, target="+5pp (2026)", measure="MCAS Math, grades 3rd-5th, % Meeting/Exceeding"),
                cell("outcomes", 1, student_group="Multilingual students"))),
    "no inequity found, ESSER named as history": (
        Q, answers(resource_inequities="Our budget review found no significant inequities in staffing or coaching "
                                       "across our schools.",
                   funding="Title I and Title III fund the coaches; the ESSER-funded tutors ended in 2024 and were "
                           "replaced by district-funded interventionists.")),
    "high-quality instruction in the statement": (
        P, both(answers(statement="Every K-4 student, especially our multilingual learners, will receive "
                                  "high-quality instruction in foundational reading every day."),
                lambda d: d["curricula"][0].update(grades="K-5"))),
    "the school year as FY26": (Q, lambda d: d["district"].update(school_year="FY26")),
    "the school year as FY 2026": (P, lambda d: d["district"].update(school_year="FY 2026")),
    "a row for all elementary schools": (
        Q, add("targeted_support", school="All elementary schools", actions="Math nights in Portuguese and Spanish "
               "each quarter, led by the family engagement coordinator.")),
    "the baseline in the measure's cell": (
        P, cell("outcomes", 3, measure="MCAS ELA, grades 3-4, % meeting or exceeding (spring 2025: 12%)",
                baseline="")),
    "a target to exceed the state": (Q, cell("outcomes", 3, target="Exceed the state median SGP")),
    "FRL and MLs": (Q, both(answers(student_groups="MLs; SWD; FRL students"),
                            add("outcomes", measure="MCAS Math, grades 3-8, % Meeting/Exceeding", student_group="FRL",
                                school="Districtwide", baseline="20% (2025)", target="24% (2026)",
                                accountability="Yes"))),
    "a math statement that mentions writing": (
        Q, answers(statement="All students in grades 3-8 will engage daily in grade-level mathematics tasks and "
                             "explain their reasoning in writing, so that ELs and SWD make accelerated gains.")),
    "the midyear standard with every and a date": (
        G, cell("benchmarks", 0, n=2, on_track="By January 30, every co-taught pair has planned each unit together.")),
}


def findings(data):
    return api.check_plan(plan_from_dict(data, "fy26"))


def planted(district, change):
    data = copy.deepcopy(DISTRICTS[district])
    change(data)
    return findings(data)


@pytest.mark.parametrize("name", sorted(DISTRICTS))
def test_each_district_is_clean(name):
    found = findings(DISTRICTS[name])
    assert [f.message for f in found if f.severity == "error"] == []
    assert len(found) <= 3, [f.message for f in found]


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_planted_mistake_is_caught(name):
    district, change, rule = MISTAKES[name]
    assert rule in {f.rule for f in planted(district, change)}, name


@pytest.mark.parametrize("name", sorted(REWORDINGS))
def test_an_ordinary_rewording_is_no_error(name):
    district, change = REWORDINGS[name]
    assert [f.message for f in planted(district, change) if f.severity == "error"] == []


def test_the_corpus_is_a_consultants_size_and_variety():
    from tests.test_checks_corpus import MISTAKES as FIRST

    assert len(MISTAKES) + len(FIRST) >= 60
    assert len({rule for _, _, rule in MISTAKES.values()} | {rule for _, rule in FIRST.values()}) >= 25
    assert len(REWORDINGS) >= 25 and len({district for district, _ in REWORDINGS.values()}) >= 3
