"""The midyear progress report: each benchmark with its check-ins, a chart of its numbers, what will change.

A district records three check-ins on each of two benchmarks; the report
in Word and in PowerPoint holds every benchmark's text, each check-in's value
and status, a native chart whose alternative text states the values, and
the outcome targets; both files validate and pass the accessibility check.
"""

from __future__ import annotations

import zipfile

import pytest
from pptx import Presentation

from docgen import accessibility, api, progress
from docgen.model import CheckIn

from .conftest import SAMPLE, assert_valid_office, docx_lines

CHECKINS = [
    CheckIn(1, 1, "2025-10-15", "62% of teams planned together weekly", "Not yet",
            "Principals will protect Thursday planning time."),
    CheckIn(1, 1, "2025-12-10", "81%", "On track", ""),
    CheckIn(1, 1, "2026-01-21", "88%", "On track", "Keep the schedule; add the EL teacher to grade 4 planning."),
    CheckIn(1, 2, "2025-10-20", "40% of observed lessons", "Off track",
            "Coaches will model the launch routine in every grade 3-5 classroom."),
    CheckIn(1, 2, "2026-01-23", "55%", "Not yet", "Add a second learning walk each month at Ellis Pond."),
    CheckIn(1, 2, "2025-12-12", "48%", "Not yet", ""),  # typed out of order: the report puts it in date order
]


@pytest.fixture
def plan():
    found = api.read_plan(SAMPLE)
    found.checkins = list(CHECKINS)
    return found


@pytest.fixture
def report(plan, tmp_path):
    files = api.progress_files(plan)
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {name.rsplit(".", 1)[1]: tmp_path / name for name in files}


def test_the_report_is_named_for_the_district_and_the_plan_year(report):
    assert report["docx"].name == "Cranberry Harbor Public Schools FY26 Midyear Progress Report.docx"
    assert report["pptx"].name == "Cranberry Harbor Public Schools FY26 Midyear Progress Report.pptx"


def test_the_word_report_holds_every_benchmark_every_checkin_and_the_targets(plan, report):
    text = "\n".join(docx_lines(report["docx"]))
    for benchmark in plan.priorities[0].benchmarks:
        assert benchmark.benchmark in text and benchmark.on_track in text
    assert "October 15, 2025 | 62% of teams planned together weekly | Not yet | Principals will protect" in text
    assert text.index("December 12, 2025 | 48%") < text.index("January 23, 2026 | 55%")
    assert "- January 21, 2026: Keep the schedule; add the EL teacher to grade 4 planning." in text
    assert "Benchmarks at their latest check-in: 1 on track, 1 not yet, 1 no check-in" in text
    assert "Priority #1, benchmark 3:" in text and "No check-in recorded yet." in text
    for target in plan.priorities[0].outcomes:
        assert target.measure in text


def test_each_benchmark_with_numbers_has_a_native_chart_whose_alt_text_states_the_values(report):
    with zipfile.ZipFile(report["docx"]) as package:
        names = package.namelist()
        document = package.read("word/document.xml").decode()
        chart = package.read("word/charts/chart1.xml").decode()
    assert sorted(n for n in names if n.startswith("word/charts/chart")) == ["word/charts/chart1.xml",
                                                                            "word/charts/chart2.xml"]
    assert "word/embeddings/Microsoft_Excel_Worksheet1.xlsx" in names  # Edit Data opens the numbers in Excel
    assert ('descr="Line chart of Priority #1, benchmark 1. Oct 15: 62%; Dec 10: 81%; Jan 21: 88%. '
            'The midyear target is 90%."') in document
    assert "<c:v>88.0</c:v>" in chart and "<c:v>Midyear target</c:v>" in chart


def test_the_deck_has_a_slide_per_benchmark_and_an_editable_chart_beside_it(plan, report):
    prs = Presentation(str(report["pptx"]))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[:2] == ["Midyear Progress Report", "Benchmarks at a glance"]
    assert "Priority #1, benchmark 1: the data against its target" in titles
    assert "Priority #1, benchmark 3: the data against its target" not in titles  # no check-in, no chart
    charts = [shape for slide in prs.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2
    assert [p.values for p in charts[0].chart.plots[0].series][0] == (62.0, 81.0, 88.0)
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.top + shape.height <= prs.slide_height and shape.left + shape.width <= prs.slide_width
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any("Dec 12: 48%" in n for n in notes)


def test_both_files_validate_and_pass_the_accessibility_check(report):
    assert_valid_office(report["docx"], report["pptx"])
    assert accessibility.check_file(report["docx"]) == []
    assert accessibility.check_file(report["pptx"]) == []


def test_numbers_are_read_from_what_people_type():
    assert str(progress.number_in("62% of teams")) == "62%"
    assert str(progress.number_in("4 of 6 teams")) == "4"
    assert str(progress.number_in("By January, 90 percent of unit plans")) == "90%"
    assert progress.number_in("Most classrooms, not yet all") is None


def test_a_benchmark_whose_checkins_hold_no_numbers_says_so_instead_of_a_chart(plan, tmp_path):
    plan.checkins = [CheckIn(1, 1, "2025-11-01", "Most teams planned together", "Not yet", "")]
    files = api.progress_files(plan)
    docx = tmp_path / "r.docx"
    docx.write_bytes(next(v for k, v in files.items() if k.endswith(".docx")))
    assert "No chart: the check-ins record no numbers." in docx_lines(docx)
