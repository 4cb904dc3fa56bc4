"""The resolver reads names as districts write them, and the facts reader reads numbers, dates and grades by kind:
the promises of docs/checks.md ("What the check reads")."""

from __future__ import annotations

import pytest

from docgen.checks import resolve
from docgen.checks.facts import read_text

SCHOOLS = ["Riverbend Elementary School", "Ellis Pond Middle School", "Morgan Full Service Community School",
           "Matthew J. Kuss Middle School", "Kennedy-Longfellow School", "Mill River Elementary School",
           "Mill River Middle School", "Granite Street Elementary School"]
NAMES = resolve.SchoolNames(SCHOOLS, "Holyoke Public Schools")


@pytest.mark.parametrize(("typed", "school"), [
    ("Riverbend Elementary", "Riverbend Elementary School"), ("Ellis Pond MS", "Ellis Pond Middle School"),
    ("Morgan:", "Morgan Full Service Community School"), ("the Kuss", "Matthew J. Kuss Middle School"),
    ("Kuss Middle School", "Matthew J. Kuss Middle School"), ("Kennedy Longfellow", "Kennedy-Longfellow School"),
    ("The Riverbend", "Riverbend Elementary School"), ("Mill River ES", "Mill River Elementary School"),
    ("Mill River MS", "Mill River Middle School"), ("Granite St. Elementary", "Granite Street Elementary School"),
    ("EPMS", "Ellis Pond Middle School"), ("Riverbend Elementry", "Riverbend Elementary School"),
])
def test_a_school_written_as_districts_write_it_resolves_to_it(typed, school):
    found = NAMES.resolve(typed)
    assert found.kind == "school" and SCHOOLS[found.index] == school


@pytest.mark.parametrize("typed", ["Districtwide", "All schools", "District (all schools)", "Holyoke",
                                   "Holyoke Public Schools", "HPS", "District total", "Grades 3-8 districtwide"])
def test_the_district_in_a_school_column_is_the_district(typed):
    assert NAMES.resolve(typed).kind == "district"


def test_a_short_name_two_schools_share_names_neither_and_a_level_names_them_all():
    assert NAMES.resolve("Mill River").kind == "ambiguous"
    assert {SCHOOLS[i] for i in NAMES.meant("All elementary schools")} == {
        "Riverbend Elementary School", "Mill River Elementary School", "Granite Street Elementary School"}


def test_a_name_that_does_not_resolve_comes_with_its_best_guess_or_none():
    typo = NAMES.resolve("Granit Stret Elementary")
    assert typo.kind == "unknown" and SCHOOLS[typo.guess] == "Granite Street Elementary School"
    assert NAMES.resolve("Lincoln Elementary School") == resolve.Resolved("unknown")


def test_schools_named_in_an_answer_by_their_labels_and_short_names():
    said = "Morgan: ELA achievement is low. At the Kuss, math lags; EPMS is stable."
    assert {SCHOOLS[i] for i in NAMES.mentioned(said)} == {
        "Morgan Full Service Community School", "Matthew J. Kuss Middle School", "Ellis Pond Middle School"}


@pytest.mark.parametrize(("typed", "subject"), [("Math", "Math"), ("Mathematics", "Math"), ("numeracy", "Math"),
                                                ("ELA", "ELA"), ("Literacy", "ELA"), ("English language arts", "ELA"),
                                                ("STE", "Science"), ("English learners", None)])
def test_one_subject_by_any_of_its_names(typed, subject):
    assert resolve.subject(typed) == subject


@pytest.mark.parametrize(("typed", "group"), [
    ("ELLs", "English learners and former ELs"), ("multilingual learners, especially newcomers",
                                                  "English learners and former ELs"),
    ("SWD", "Students with disabilities"), ("students with IEPs", "Students with disabilities"),
    ("economically disadvantaged", "Low income"), ("FRL", "Low income"), ("Latinx", "Hispanic/Latino"),
    ("Black", "African American/Black"), ("high-needs", "High needs")])
def test_one_group_by_any_of_its_names(typed, group):
    assert resolve.group(typed) == group


def test_assessments_come_with_their_kind_subjects_and_rhythm():
    mcas, iready, dibels = (resolve.assessment(t) for t in ("MCAS ELA", "iReady math", "Acadience Reading"))
    assert (mcas.name, mcas.kind, mcas.midyear) == ("MCAS", "state annual", False)
    assert (iready.name, iready.kind, iready.per_year) == ("i-Ready", "interim", 3)
    assert (dibels.name, dibels.kind, dibels.subjects) == ("DIBELS", "screener", ("ELA",))
    assert resolve.assessment("access to grade-level texts") is None  # ACCESS is matched only as written


@pytest.mark.parametrize(("typed", "per_year"), [("Every two weeks", 18), ("Oct, Jan, Apr", 3), ("BOY/MOY/EOY", 3),
                                                 ("3x yearly", 3), ("Monthly", 10), ("Once a year", 1),
                                                 ("Ongoing", 0)])
def test_cadences_are_read_as_times_a_year(typed, per_year):
    assert resolve.cadence(typed).per_year == per_year


def test_roles_funding_and_their_levels():
    assert resolve.roles_in("APs and coaches") == (("Principal", "school"), ("Coach", "school"))
    assert resolve.role("Chief Academic Officer") == "Assistant superintendent"
    assert resolve.funding_in("Title I and ESSER III") == ("Title I", "ESSER")


def test_a_year_is_not_a_number_and_grades_are_not_numbers():
    goal = read_text("By the end of the 2027-28 school year, schools will narrow the gap")
    assert goal.numbers == [] and [(w.kind, w.school_year) for w in goal.when] == [("school year", 2027)]
    target = read_text("43% of grade 3 students (spring 2026)")
    assert [(n.kind, n.value) for n in target.numbers] == [("percentage", 43)]
    assert target.grades == {3} and target.when[0].school_year == 2025


@pytest.mark.parametrize(("typed", "kind"), [("SGP 45", "growth percentile"), ("5 percentage points", "points"),
                                             ("4 of 6 teams", "share"), ("scaled score 495", "scale score"),
                                             ("eight sections", "count")])
def test_numbers_come_with_their_kind(typed, kind):
    assert read_text(typed).numbers[0].kind == kind


@pytest.mark.parametrize(("typed", "year"), [("FY26", 2025), ("SY25-26", 2025), ("2025/26", 2025), ("FY 2026", 2025),
                                             ("January 15, 2026", 2025), ("fall 2025", 2025), ("10/15/2025", 2025)])
def test_dates_fall_in_their_school_year(typed, year):
    assert read_text(typed).when[0].school_year == year
