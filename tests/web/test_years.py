"""Plan years: this year's plan on the district home and the dashboard, and every earlier year kept readable.

A plan, its submission, its review and its check-ins belong to a plan year. The pages show this year's unless
``?year=`` names another; an earlier year is read but never changed, and every change goes to this year.
"""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest

from docgen import api
from docgen.model.plan import CheckIn, Review

from ..conftest import assert_valid_office
from .conftest import seed_plan
from .test_district import district_id, save

LAST_YEAR_SUMMARY = "A focused math priority; next year, monitor it as precisely as it is written."


@pytest.fixture
def last_year(app):
    """District A's FY25 year as it ended: its plan submitted, the feedback sent, two check-ins recorded."""
    from docgen.web.storage import checkins, plans, reviews

    db, district = app.state.site.db, district_id(app, "a")
    plan = api.example_plan("fy25")
    plan.review = None
    row = seed_plan(db, district, plan)
    plans.submit(db, plans.plan_row(db, district, "fy25"), None)
    reviews.save_review(db, row.id, 1, Review(consultant_name="Dana Reyes", summary=LAST_YEAR_SUMMARY), None)
    reviews.mark_feedback_sent(db, row.id, 1, None)
    checkins.add(db, district, "fy25", CheckIn(1, 1, "2024-10-15", "4 of 9 math teams", "Not yet", "Add a protocol"),
                 None)
    checkins.add(db, district, "fy25", CheckIn(1, 2, "2025-01-21", "38% of lessons", "Off track", "Model routines"),
                 None)
    return f"/districts/{district}"


def test_the_home_page_lists_this_year_and_each_earlier_year_with_its_status(last_year, client_for):
    page = client_for("district_a").get(last_year).text
    years = page.split('id="plan-years"')[1]
    assert "FY26 plan" in years and "this year" in years
    assert f'href="{last_year}?year=fy25">FY25 plan</a>' in years
    assert "Feedback sent" in years and "2024-2025" in years
    assert re.search(r"<td>2</td>", years)  # its two check-ins


def test_an_earlier_year_reads_as_it_was_and_offers_no_change(last_year, client_for):
    page = client_for("district_a").get(f"{last_year}?year=fy25").text
    assert "This is the <b>FY25 plan</b> (school year 2024-2025), an earlier year" in page
    assert "FY25 District Instructional Prioritization Plan" in page
    assert "SSoS feedback on FY25 version 1 was sent" in page
    for change in ("Submit to SSoS", "Bring in answers", "Reopen to make changes", "Your own Word design",
                   f'<a class="button" href="{last_year}/plan">'):
        assert change not in page, change
    for link in ("/plan?year=fy25", "/download/docx?year=fy25", "/progress?year=fy25", "/versions?year=fy25"):
        assert f'{last_year}{link}"' in page, link


def test_an_earlier_years_plan_form_is_read_only(last_year, client_for):
    page = client_for("district_a").get(f"{last_year}/plan?year=fy25").text
    assert "FY25 Instructional Prioritization Plan" in page and "an earlier year" in page
    fields = re.findall(r"<(?:input|textarea|select)\b[^>]*data-autosave[^>]*>", page)
    assert fields and all(" disabled" in f for f in fields)
    assert "Add a second priority" not in page
    assert "data-here-url" not in page  # nobody is "also here" on a year that is over


def test_a_save_while_an_earlier_year_is_open_changes_this_years_plan(app, last_year, client_for):
    from docgen.web.storage import plans

    db, district = app.state.site.db, district_id(app, "a")
    before = plans.plan_row(db, district, "fy25").latest
    assert save(client_for("district_a"), district, "p1.subject", "Science").status_code == 200
    assert plans.plan_row(db, district, "fy25").latest == before
    this_year = plans.load_version(db, plans.plan_row(db, district, "fy26"))
    assert this_year.priorities[0].answer("subject") == "Science"


def test_an_earlier_years_documents_are_that_years(last_year, client_for, tmp_path):
    client = client_for("district_a")
    answer = client.get(f"{last_year}/download/docx?year=fy25")
    assert answer.status_code == 200
    assert "FY25 Instructional Prioritization Plan.docx" in answer.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    assert "2024-2025" in text and "2025-2026" not in text
    (tmp_path / "plan.docx").write_bytes(answer.content)
    report = client.get(f"{last_year}/progress/report.docx?year=fy25")
    assert report.status_code == 200
    (tmp_path / "report.docx").write_bytes(report.content)
    cells = " ".join(c.text for t in docx.Document(io.BytesIO(report.content)).tables for r in t.rows for c in r.cells)
    assert "4 of 9 math teams" in cells and "38% of lessons" in cells
    assert_valid_office(tmp_path / "plan.docx", tmp_path / "report.docx")
    assert client.get(f"{last_year}/download/eml?year=fy25").status_code == 404  # the email is this year's


def test_an_earlier_years_checkins_are_read_but_not_recorded(last_year, client_for):
    page = client_for("district_a").get(f"{last_year}/progress/1?year=fy25").text
    assert "4 of 9 math teams" in page and "Off track" in page and "an earlier year" in page
    assert "Add the check-in" not in page and "Change or remove this check-in" not in page
    consultant = client_for("consultant_a").get(f"{last_year}/progress?year=fy25").text
    assert "38% of lessons" in consultant and "Your note" not in consultant


def test_an_earlier_years_review_and_letter_are_read_only(last_year, client_for):
    consultant = client_for("consultant_a")
    page = consultant.get(f"{last_year}/review?year=fy25").text
    assert LAST_YEAR_SUMMARY in page and "Read only" in page
    assert "Mark feedback sent" not in page and "data-autosave" not in page and " readonly" in page
    letter = consultant.get(f"{last_year}/review/letter.docx?year=fy25")
    assert letter.status_code == 200 and "FY25 Feedback Letter.docx" in letter.headers["content-disposition"]
    assert LAST_YEAR_SUMMARY in "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)


def test_the_dashboard_shows_an_earlier_year_and_keeps_it_in_every_link(last_year, client_for):
    consultant = client_for("consultant_a")
    page = consultant.get("/region?year=fy25&off_track=1&since=2025-03-01").text
    assert "Southeast region: FY25 plans" in page and "an earlier year" in page
    assert '<option value="fy25" selected>' in page
    assert f'href="{last_year}?year=fy25">Cranberry Harbor Public Schools</a>' in page
    assert f'href="{last_year}/review?year=fy25">The review</a>' in page
    assert "0 on track, 1 not yet, 1 off track" in page
    assert "Download all" not in page  # built for this year's plans
    sort_link = re.search(r'href="(\?[^"]*sort=status[^"]*)"', page).group(1).replace("&amp;", "&")
    assert set(sort_link[1:].split("&")) == {"year=fy25", "off_track=1", "since=2025-03-01", "sort=status"}
    this_year = consultant.get("/region").text
    assert "Southeast region: FY26 plans" in this_year and "an earlier year" not in this_year


def test_the_dashboard_export_is_of_the_year_shown(last_year, client_for):
    answer = client_for("consultant_a").get("/region/export.xlsx?year=fy25")
    assert "Southeast region FY25 dashboard.xlsx" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Cranberry Harbor Public Schools")
    assert row[1] == "feedback sent"


def test_a_year_that_is_not_installed_is_named_in_a_404(last_year, client_for):
    answer = client_for("district_a").get(f"{last_year}?year=fy19")
    assert answer.status_code == 404
    assert "There is no plan year &#39;fy19&#39; here; the years are FY25, FY26." in answer.text


def test_a_district_with_no_plan_that_year_gets_a_404_not_an_empty_plan(app, client_for):
    from docgen.web.storage import plans

    district = district_id(app, "a")
    answer = client_for("district_a").get(f"/districts/{district}?year=fy25")
    assert answer.status_code == 404 and "has no FY25 plan here" in answer.text
    assert plans.plan_row(app.state.site.db, district, "fy25") is None


@pytest.mark.parametrize("role", ["district_b", "consultant_b"])
def test_another_district_or_region_cannot_open_an_earlier_year(last_year, client_for, role):
    client = client_for(role)
    for path in ("", "/plan", "/progress", "/review", "/download/docx"):
        assert client.get(f"{last_year}{path}?year=fy25").status_code == 404, path


def test_a_priority_has_a_progress_page_of_its_own(last_year, client_for):
    client = client_for("district_a")
    assert client.get(f"{last_year}/progress/1?year=fy25").status_code == 200
    missing = client.get(f"{last_year}/progress/3?year=fy25")
    assert missing.status_code == 404 and "has no priority #3" in missing.text


def test_rolling_last_year_forward_brings_its_checkins_as_evidence(app, last_year, client_for):
    from docgen.web.storage import plans

    from .test_replacing import confirm

    client = client_for("district_a")
    asked = client.post(f"{last_year}/roll-forward")  # over this year's draft: asked first, what it brings shown
    assert "Starting from the FY25 plan would replace" in asked.text and "FY25 check-ins" in asked.text
    page = confirm(client, asked).text
    assert "<h1>The FY25 plan is in this year's plan</h1>" in page
    assert "FY25 check-ins" in page
    assert "October 15, 2024: 4 of 9 math teams (Not yet); Add a protocol" in page
    this_year = plans.load_version(app.state.site.db, plans.plan_row(app.state.site.db, district_id(app, "a"), "fy26"))
    assert this_year.checkins == []  # last year's check-ins are evidence, not this year's


def test_the_state_reads_an_earlier_years_counts_and_exports_them(last_year, client_for):
    state = client_for("state")
    page = state.get("/state?year=fy25").text
    assert "Every region: FY25 plans" in page and "an earlier year" in page
    assert '<option value="fy25" selected>' in page
    behind = re.search(r'href="(/state/districts\?[^"]*value=feedback\+sent[^"]*)"', page).group(1)
    assert behind.endswith("&amp;year=fy25")
    listed = state.get(behind.replace("&amp;", "&")).text
    assert "FY25 plans" in listed and "Cranberry Harbor Public Schools" in listed
    assert f'href="{last_year}/progress?year=fy25">Check-ins</a>' in listed
    export = state.get("/state/export.xlsx?year=fy25")
    assert "FY25 state view.xlsx" in export.headers["content-disposition"]
    assert "Every region: FY26 plans" in state.get("/state").text


def test_an_earlier_years_checkins_cannot_be_changed_removed_or_noted_by_a_direct_post(app, last_year, client_for):
    from docgen.web.storage import checkins, plans

    db, district = app.state.site.db, district_id(app, "a")
    plans.submit(db, plans.plan_row(db, district, "fy26"), None)  # this year's plan too, to check in on
    old = checkins.of_district(db, district, "fy25")[0]
    path = f"{last_year}/progress/checkins/{old.id}"
    change = {"benchmark": "1-1", "date": "2025-10-15", "value": "changed", "status": "On track", "note": ""}
    assert client_for("district_a").post(path, data=change, headers={"accept": "application/json"}).status_code == 404
    assert client_for("district_a").post(f"{path}/delete").status_code == 303  # refused: back with the message
    assert client_for("consultant_a").post(f"{path}/notes", data={"body": "Seen."}).status_code == 303
    kept = checkins.of_district(db, district, "fy25")[0]
    assert (kept.checkin, kept.notes) == (old.checkin, [])
