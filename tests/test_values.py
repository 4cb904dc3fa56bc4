"""One set of value rules for every door: the workbook, the web form and the consultant's review say the same."""

from __future__ import annotations

import openpyxl
import pytest

from docgen import variants
from docgen.model import values
from docgen.model.plan import Review
from docgen.model.values import shown
from docgen.read import plan_edits
from docgen.web.services import reviewing

from .test_workbook import answer_rows


@pytest.mark.parametrize("sheet, key, name, value", [
    ("Priority 1", "direction", "p1.direction", "Keep going"),
    ("District", "contact_email", "district.contact_email", "marcus@cranberry.example.org\nbcc@attacker.example"),
    ("District", "contact_email", "district.contact_email", "marcus at district"),
])
def test_the_web_form_refuses_what_the_workbook_refuses_in_the_same_words(sheet, key, name, value, sample, run):
    wb = openpyxl.load_workbook(sample)
    cell = dict(answer_rows(wb[sheet]))[key]
    cell.value = value
    wb.save(sample)
    output = run("check", sample).output
    with pytest.raises(plan_edits.FieldProblem) as refused:
        variant = variants.load("fy26")
        plan_edits.apply(plan_edits.new_plan(variant, "Cranberry Harbor"), variant, name, value)
    assert output == f"Error: {sample}: sheet '{sheet}', cell {cell.coordinate}: {refused.value.message}\n"


def test_a_review_date_and_a_review_too_long_are_cleaned_as_the_form_cleans_them():
    variant = variants.load("fy26")
    review = reviewing.apply(variant, Review(), "review.review_date", "2025-08-12")
    assert review.review_date == "August 12, 2025"
    assert reviewing.apply(variant, review, "review.consultant_name", " Dr.  Alana\nBrightwater ").consultant_name \
        == "Dr. Alana Brightwater"
    with pytest.raises(plan_edits.FieldProblem) as refused:
        reviewing.apply(variant, review, "review.sections.priority.strengths", "x" * 40_000)
    assert refused.value.message == ("'Strengths' holds 40,000 characters; the plan takes at most 32,767 per answer "
                                     "(what one Excel cell holds)")


@pytest.mark.parametrize("value, expected", [
    ("plain text", "plain text"),
    ("two\nlines\r\tand a tab", "two\\nlines\\r\\tand a tab"),
    ("bell\x07 nul\x00 rtl\u202e separator\u2028", "bell\\x07 nul\\x00 rtl\\u202e separator\\u2028"),
    ("é 学区 🎉 C:\\folder", "é 学区 🎉 C:\\folder"),
    ("x" * 150, "x" * 100 + "..."),
])
def test_a_value_in_a_message_is_shown_on_one_line(value, expected):
    assert shown(value) == expected


def test_a_check_in_passes_one_set_of_rules_whatever_door_it_came_by():
    """The Progress page and the workbook's Check-ins sheet both call values.checkin: same dates, same statuses,
    same lengths, every problem at once."""
    statuses = ("On track", "Not yet", "Off track")
    typed, problems = values.checkin("10/15/2025", " 58% ", "on track", "", statuses)
    assert problems == {} and typed == {"date": "2025-10-15", "value": "58%", "status": "On track", "note": ""}
    assert values.checkin("2025-10-15", "58%", "Not yet", "", statuses)[0]["date"] == "2025-10-15"
    _, problems = values.checkin("", "", "", "x" * 2_001, statuses)
    assert set(problems) == {"date", "status", "value", "note"}
    assert problems["note"] == "holds 2,001 characters; a check-in takes at most 2,000"
    assert values.checkin("sometime", "58%", "Going well", "", statuses)[1] == {
        "date": "'sometime' is not a date; type it like 10/15/2025",
        "status": "must be On track, Not yet or Off track; got 'Going well'"}
