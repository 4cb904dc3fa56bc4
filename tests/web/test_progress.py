"""The plan year: a district records check-ins on its submitted plan's benchmarks, a consultant reads them and adds
a note, the midyear progress report downloads, and nobody else sees them."""

from __future__ import annotations

import io
import re

import docx
import openpyxl

from ..conftest import assert_valid_office
from .conftest import sqlite_only
from .test_consultant import submit
from .test_district import district_id

CHECKINS = [{"benchmark": "1-1", "date": "2025-10-15", "value": "40%", "status": "Not yet", "note": "More walks"},
            {"benchmark": "1-2", "date": "2025-11-20", "value": "2 of 6 teams", "status": "Off track",
             "note": "Coach the teams"}]


def record(app, client_for):
    """District A submits its plan and records two check-ins; return its client and the progress page's path."""
    client = submit(app, client_for)
    path = f"/districts/{district_id(app, 'a')}/progress"
    for checkin in CHECKINS:
        answer = client.post(f"{path}/checkins", data=checkin)
        assert answer.status_code == 303, answer.text
    return client, path


def test_a_district_records_two_checkins_and_the_plan_is_unchanged(app, client_for):
    from docgen.web.storage import plans

    before = plans.plan_row(app.state.site.db, district_id(app, "a"), "fy26").latest
    client, path = record(app, client_for)
    page = client.get(path)
    assert page.status_code == 200
    assert "Saved: the check-in is recorded" in page.text
    assert "2 of 6 teams" in page.text and "Coach the teams" in page.text and "Off track" in page.text
    assert plans.plan_row(app.state.site.db, district_id(app, "a"), "fy26").latest == before


def test_a_changed_checkin_saves_as_typed_and_answers_with_what_was_saved(app, client_for):
    client, path = record(app, client_for)
    checkin = client.get(path).text.split('id="checkin-')[1].split('"')[0]
    json = {"accept": "application/json"}  # as progress.js asks, a second after typing stops
    answer = client.post(f"{path}/checkins/{checkin}", data={**CHECKINS[0], "value": "48%"}, headers=json)
    assert answer.status_code == 200
    assert answer.json()["checkin"]["value"] == "48%" and answer.json()["saved"]
    refused = client.post(f"{path}/checkins/{checkin}", data={**CHECKINS[0], "date": ""}, headers=json)
    assert refused.status_code == 422 and "Date: the date is missing" in refused.json()["message"]
    page = client.get(f"{path}/1").text
    assert "48%" in page and "Changes save as you type." in page


def test_a_checkin_with_wrong_fields_is_refused_naming_each(app, client_for):
    client = submit(app, client_for)
    path = f"/districts/{district_id(app, 'a')}/progress"
    answer = client.post(f"{path}/checkins", data={"benchmark": "9-9", "date": "2025-13-40", "status": "Fine"})
    assert answer.status_code == 303
    page = client.get(path).text
    for field in ("Benchmark:", "Date:", "Status:", "What the data showed:"):
        assert field in page


def test_the_consultant_reads_the_checkins_and_adds_a_note(app, client_for):
    _, path = record(app, client_for)
    consultant = client_for("consultant_a")
    page = consultant.get(path)
    assert "40%" in page.text and "Add the check-in" not in page.text
    checkin = page.text.split('id="checkin-')[1].split('"')[0]
    assert consultant.post(f"{path}/checkins/{checkin}/notes", data={"body": "Good start."}).status_code == 303
    assert "Good start." in client_for("district_a").get(path).text
    assert consultant.post(f"{path}/checkins", data=CHECKINS[0]).status_code == 403


def test_the_midyear_progress_report_downloads_with_the_checkins(app, client_for, tmp_path):
    client, path = record(app, client_for)
    answer = client.get(f"{path}/report.docx")
    (tmp_path / "report.docx").write_bytes(answer.content)
    assert answer.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(answer.content)).paragraphs)
    tables = " ".join(c.text for t in docx.Document(io.BytesIO(answer.content)).tables for r in t.rows for c in r.cells)
    assert "2 of 6 teams" in text + tables and "Off track" in text + tables
    deck = client.get(f"{path}/report.pptx")
    assert deck.status_code == 200
    (tmp_path / "report.pptx").write_bytes(deck.content)
    assert_valid_office(tmp_path / "report.docx", tmp_path / "report.pptx")


def test_another_district_and_another_region_cannot_open_the_progress_page(app, client_for):
    _, path = record(app, client_for)
    for role in ("district_b", "consultant_b"):
        assert client_for(role).get(path).status_code == 404
    assert client_for("district_b").post(f"{path}/checkins", data=CHECKINS[0]).status_code == 404
    assert client_for("state").get(path).status_code == 200


def test_the_dashboard_shows_the_statuses_and_filters_off_track_and_no_checkin_since(app, client_for):
    record(app, client_for)
    consultant = client_for("consultant_a")
    page = consultant.get("/region").text
    assert "0 on track, 1 not yet, 1 off track" in page and "last 2025-11-20" in page
    assert "Cranberry Harbor" in consultant.get("/region?off_track=1").text
    assert "Cranberry Harbor" not in consultant.get("/region?since=2025-10-01").text
    assert "Cranberry Harbor" in consultant.get("/region?since=2025-12-01").text
    assert consultant.get("/region?since=October").status_code == 400
    sheet = openpyxl.load_workbook(io.BytesIO(consultant.get("/region/export.xlsx").content)).active
    header = [c.value for c in sheet[1]]
    cranberry = next([c.value for c in row] for row in sheet.iter_rows(min_row=2) if "Cranberry" in row[0].value)
    assert cranberry[header.index("Benchmarks off track")] == 1
    assert cranberry[header.index("Last check-in")] == "2025-11-20"
    review = consultant.get(f"/districts/{district_id(app, 'a')}/review").text
    assert "Check-ins through the year" in review and "2 of 6 teams" in review


def test_the_state_sees_the_regions_counts_and_downloads_the_export(app, client_for, tmp_path):
    record(app, client_for)
    state = client_for("state")
    page = state.get("/state")
    assert page.status_code == 200
    assert "<svg" in page.text and "Southeast" in page.text and "Coastal" in page.text
    behind = re.search(r'href="(/state/districts\?region=Southeast&amp;measure=status&amp;value=submitted)">1</a>',
                       page.text)
    assert behind, "the Southeast's one submitted plan links to its district"
    listed = state.get(behind.group(1).replace("&amp;", "&")).text
    assert "Cranberry Harbor Public Schools" in listed and "Beacon Falls" not in listed
    off = state.get("/state/districts?region=Southeast&measure=checkin&value=Off+track").text
    assert "Cranberry Harbor Public Schools" in off
    export = state.get("/state/export.xlsx")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert ["Plans by status", "submitted", "Southeast", 1] in rows
    (tmp_path / "state.xlsx").write_bytes(export.content)
    assert_valid_office(tmp_path / "state.xlsx")


def test_the_state_view_counts_every_change_made_since_it_was_last_opened(app, client_for):
    from docgen.web.storage import accounts

    state = client_for("state")
    submitted = r'value=submitted">(\d+)</a>'
    assert not re.search(r"region=Southeast&amp;measure=status&amp;" + submitted, state.get("/state").text)
    record(app, client_for)  # a submission and two check-ins
    page = state.get("/state").text
    assert re.search(r"region=Southeast&amp;measure=status&amp;" + submitted, page).group(1) == "1"
    assert "value=Off+track" in page
    accounts.update_district(app.state.site.db, district_id(app, "a"), region="Coastal")  # an admin moves it
    page = state.get("/state").text
    assert not re.search(r"region=Southeast&amp;measure=status&amp;" + submitted, page)
    assert re.search(r"region=Coastal&amp;measure=status&amp;" + submitted, page).group(1) == "1"


def test_only_the_state_opens_the_state_view(app, client_for):
    for role in ("district_a", "consultant_a", "consultant_b", "admin"):
        assert client_for(role).get("/state").status_code == 403
    assert client_for("state").get(f"/districts/{district_id(app, 'a')}/plan").status_code == 403  # reads, never edits


@sqlite_only
def test_an_older_database_gains_checkins_and_the_state_role_and_keeps_its_accounts(tmp_path):
    import sqlite3

    from click.testing import CliRunner

    from docgen.cli.main import main
    from docgen.web.storage import accounts
    from docgen.web.storage import db as storage

    folder = tmp_path / "old"
    folder.mkdir()
    connection = sqlite3.connect(folder / storage.DATABASE)
    connection.executescript("".join(storage.MIGRATIONS[:3]) + "PRAGMA user_version = 3;")
    connection.execute("INSERT INTO users (email, role, created_at) VALUES ('old@ssos.example.org', 'admin', '2025')")
    connection.commit()
    connection.close()
    answer = CliRunner().invoke(main, ["users", "add", "lead@dese.example.org", "--role", "state", "--data",
                                       str(folder)])
    assert answer.exit_code == 0, answer.output
    upgraded = storage.Database(folder)
    assert accounts.user_by_email(upgraded, "lead@dese.example.org").role == "state"
    assert accounts.user_by_email(upgraded, "old@ssos.example.org").role == "admin"
    assert upgraded.value("PRAGMA integrity_check") == "ok"
    assert upgraded.value("SELECT COUNT(*) FROM checkins") == 0
