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
from pptx.enum.chart import XL_LEGEND_POSITION

from docgen import api
from docgen.model import progress
from docgen.model.plan import CheckIn
from docgen.write import accessibility

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


def _fill_checkins(workbook, rows):
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    sheet = book["Check-ins"]
    for r, values in enumerate(rows, start=5):
        for c, value in enumerate(values, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(workbook)


def test_docgen_progress_reads_the_check_ins_sheet_and_writes_both_files(sample, tmp_path, run):
    from datetime import datetime

    _fill_checkins(sample, [
        ("P1 B1: Every grades 3-8 math team", datetime(2025, 10, 15), "62%", "Not yet", "Protect Thursday planning."),
        ("P1 B1", datetime(2025, 12, 10), "81%", "On track", ""),
        ("p1 b1", "1/21/2026", "88%", "on track", "Keep the schedule."),
        ("P1 B2", "10/20/2025", "40% of observed lessons", "Off track", "Model the launch routine."),
        ("P1 B2", "12/12/2025", "48%", "Not yet", ""),
        ("P1 B2", "1/23/2026", "55%", "Not yet", "A second learning walk each month."),
    ])
    result = run("progress", sample, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    docx = tmp_path / "out" / "Cranberry Harbor Public Schools FY26 Midyear Progress Report.docx"
    text = "\n".join(docx_lines(docx))
    assert "January 21, 2026 | 88% | On track | Keep the schedule." in text
    assert "October 20, 2025 | 40% of observed lessons | Off track | Model the launch routine." in text
    assert_valid_office(docx, docx.with_suffix(".pptx"))


def test_a_check_in_naming_no_benchmark_or_status_of_the_plan_is_named_by_its_cell(sample, tmp_path, run):
    _fill_checkins(sample, [("P1 B9", "10/15/2025", "62%", "Not yet", ""),
                            ("P1 B1", "sometime in fall", "62%", "Going well", "")])
    result = run("progress", sample, "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert "sheet 'Check-ins', cell A5: 'P1 B9' is not a benchmark of the plan" in result.output
    assert "sheet 'Check-ins', cell B6: Date: 'sometime in fall' is not a date" in result.output
    assert "cell D6: Status: must be On track, Not yet or Off track; got 'Going well'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_roll_forward_carries_the_years_check_ins_beside_what_will_change_and_why(sample, tmp_path, run):
    import openpyxl

    _fill_checkins(sample, [("P1 B2", "1/23/2026", "55%", "Not yet", "A second learning walk each month.")])
    result = run("roll-forward", sample, "-o", tmp_path / "next.xlsx")
    assert result.exit_code == 0, result.output
    carried = [[c.value for c in row] for row in openpyxl.load_workbook(tmp_path / "next.xlsx")["Carried over"].rows]
    evidence = [row for row in carried if row[0] and "check-ins, Priority #1, benchmark 2" in row[0]]
    assert evidence == [[evidence[0][0], "Priority 1: 'What will be the same or different this school year, and why'",
                         "January 23, 2026: 55% (Not yet); A second learning walk each month.",
                         "last year's evidence: write what will be the same or different, and why, from it"]]
    assert api.read_plan(tmp_path / "next.xlsx").checkins == []


def test_a_chart_shows_its_title_above_and_its_legend_below_as_powerpoint_reads_them(report, golden):
    """The title and legend are edited into python-pptx's chart XML as XML: if its writer changes its spacing,
    the title and the legend must still be where PowerPoint (here python-pptx's reader) finds them."""
    prs = Presentation(str(report["pptx"]))
    chart = next(shape.chart for slide in prs.slides for shape in slide.shapes if shape.has_chart)
    assert chart.has_title
    assert chart.chart_title.text_frame.text == "Priority #1, benchmark 1: the data against its target"
    assert chart.has_legend and chart.legend.position == XL_LEGEND_POSITION.BOTTOM
    assert chart.part.related_part("rId1").partname.endswith(".xlsx")  # Edit Data finds its workbook
    golden("progress_chart.xml", chart.part.blob.decode("utf-8"))
