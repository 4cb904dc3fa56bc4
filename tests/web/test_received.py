"""Plans that arrive as files: a consultant adds one a district e-mailed, a district uploads its own layout, and
`docgen intake --load` stores a mailbox's plans; each reading is kept for a person to confirm."""

from __future__ import annotations

import re

from docgen import api, variants
from docgen.web.services.received import region_districts
from docgen.web.storage import accounts, plans, received
from docgen.web.storage.db import Database

from .. import region_mailbox


def last_year_docx() -> bytes:
    """A Word plan in last year's template: the reader is unsure of its date and of a target it moved into a table."""
    return next(iter(api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",)).values()))


def test_a_consultant_adds_an_emailed_plan_and_confirms_or_moves_each_unsure_piece(app, client_for):
    client, a = client_for("consultant_a"), app.state.districts["a"].id
    db = app.state.site.db
    answer = client.post(f"/districts/{a}/received", data={"sender": "mw@cranberry.example.org",
                                                           "received": "2025-06-27"},
                         files={"document": ("Cranberry plan.docx", last_year_docx())})
    assert answer.status_code == 303
    reading = client.get(answer.headers["location"]).text
    assert "Received by e-mail from mw@cranberry.example.org, 2025-06-27" in reading
    assert "the district&#39;s submission" in reading and "Placed, to confirm" in reading
    assert reading.count('class="piece"') == 2 and "No place in the plan" in reading
    row = plans.plan_row(db, a, "fy26")
    assert row.status == "submitted" and plans.versions(db, row.id)[0].source == "e-mail"
    url = answer.headers["location"]
    assert client.post(f"{url}/pieces/1", data={"to": ""}).status_code == 303
    assert "Piece 1: Confirmed where it is" in client.get(url).text
    piece = received.of_plan(db, row.id)[0].pieces[1]
    assert client.post(f"{url}/pieces/2", data={"to": "p1.statement"}).status_code == 303
    row = plans.plan_row(db, a, "fy26")
    plan = plans.load_version(db, row)
    assert plan.priorities[0].answer("statement").endswith(piece["text"])  # moved, as its own paragraph
    assert plans.open_submission(db, row.id)["number"] == row.latest  # the submission is the corrected reading
    page = client.get(url).text
    assert "Piece 2: moved" in page and "Where piece 1 belongs" not in page
    kept = client.get(f"{url}/file")
    assert kept.status_code == 200 and kept.content == last_year_docx()


def test_a_piece_can_only_move_to_an_answer_of_the_plan(app, client_for):
    client, a = client_for("consultant_a"), app.state.districts["a"].id
    answer = client.post(f"/districts/{a}/received", files={"document": ("plan.docx", last_year_docx())})
    refused = client.post(f"{answer.headers['location']}/pieces/1", data={"to": "district.name"},
                          follow_redirects=True)
    assert "is not an answer of this plan" in refused.text


def test_a_district_imports_its_plan_and_reaches_the_same_reading(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    answer = client.post(f"/districts/{a}/import", files={"document": ("Our plan.docx", last_year_docx())})
    assert answer.status_code == 200 and "2 placed but to confirm" in answer.text
    link = re.search(r'href="(/districts/\d+/received/\d+)"', answer.text).group(1)
    page = client.get(link).text
    assert "Uploaded in the district&#39;s own layout" in page and "Confirm piece 1" in page
    assert plans.plan_row(app.state.site.db, a, "fy26").status == "draft"
    assert "Our plan.docx" in client.get(f"/districts/{a}").text  # listed on the plan's home
    other = client_for("district_b")
    assert other.get(link).status_code == 404


def test_an_emailed_file_that_is_not_a_plan_is_refused_and_not_kept(app, client_for):
    client, a = client_for("consultant_a"), app.state.districts["a"].id
    answer = client.post(f"/districts/{a}/received", files={"document": ("notes.docx", b"just text")},
                         follow_redirects=True)
    assert "is not a Word document (.docx)" in answer.text
    assert not list((app.state.site.data / "uploads").rglob("notes.docx"))


def test_intake_load_stores_each_districts_plan_as_a_submission_once(tmp_path, run):
    data = tmp_path / "data"
    db = Database(data)
    for name in region_mailbox.EXPECTED_DISTRICTS:
        accounts.add_district(db, name, "", "Southeast")
    box = region_mailbox.write_mailbox(tmp_path / "box")
    first = run("intake", box, "--data", data, "--region", "Southeast", "--load", "-o", tmp_path / "s.xlsx")
    assert first.exit_code == 0, first.output
    assert "Maple Falls IPP FY26.docx stored as version 1, submitted (received by e-mail)" in first.output
    maple = accounts.district_named(db, "Maple Falls Public Schools")
    row = plans.plan_row(db, maple.id, "fy26")
    assert row.status == "submitted" and received.of_plan(db, row.id)[0].sender == "lortiz@mfps.org"
    again = run("intake", box, "--data", data, "--region", "Southeast", "--load", "-o", tmp_path / "s.xlsx",
                "--force")
    assert "Maple Falls IPP FY26.docx was loaded before" in again.output
    assert plans.plan_row(db, maple.id, "fy26").latest == 1


def test_intake_from_the_web_apps_data_names_a_region_it_does_not_have(tmp_path, run):
    data = tmp_path / "data"
    accounts.add_district(Database(data), "Maple Falls Public Schools", "", "Southeast")
    (tmp_path / "box").mkdir()
    answer = run("intake", tmp_path / "box", "--data", data, "--region", "Nowhere", "-o", tmp_path / "s.xlsx")
    assert answer.exit_code == 1 and "no districts in the region 'Nowhere'; the regions are: Southeast" in answer.output
    listed = region_mailbox.write_districts(tmp_path / "districts.csv")
    answer = run("intake", tmp_path / "box", "--districts", listed, "--load", "-o", tmp_path / "s.xlsx")
    assert answer.exit_code == 1 and "give its folder with --data" in answer.output
    assert not (tmp_path / "s.xlsx").exists()


def test_pieces_are_decided_by_whoever_may_change_that_plan(app, client_for):
    consultant, district = client_for("consultant_a"), client_for("district_a")
    a = app.state.districts["a"].id
    emailed = consultant.post(f"/districts/{a}/received", files={"document": ("plan.docx", last_year_docx())})
    url = emailed.headers["location"]
    assert "Confirm piece 1" not in district.get(url).text  # the district sees its e-mailed plan's reading
    assert district.post(f"{url}/pieces/1", data={"to": ""}).status_code == 403  # its submission: the consultant's
    consultant.post(f"/districts/{a}/reopen")
    district.post(f"/districts/{a}/reopen")
    imported = district.post(f"/districts/{a}/import", files={"document": ("ours.docx", last_year_docx())})
    link = re.search(r'href="(/districts/\d+/received/\d+)"', imported.text).group(1)
    assert "Confirm piece 1" not in consultant.get(link).text
    assert consultant.post(f"{link}/pieces/1", data={"to": ""}).status_code == 403  # the district's own draft
    assert district.post(f"{link}/pieces/1", data={"to": ""}).status_code == 303


def test_the_admin_list_keeps_mail_domains_which_intake_matches_senders_by(app, client_for, tmp_path, run):
    admin = client_for("admin")
    listed = region_mailbox.write_districts(tmp_path / "districts.csv")
    answer = admin.post("/admin/districts/import", data={"region": "Coastal"},
                        files={"list": ("districts.csv", listed.read_bytes(), "text/csv")})
    assert answer.status_code == 200
    db = app.state.site.db
    assert accounts.district_named(db, "Maple Falls Public Schools").mail_domains == "maplefalls.k12.ma.us mfps.org"
    inbox = region_mailbox.write_mailbox(tmp_path / "box")
    result = run("intake", inbox, "--data", app.state.site.data, "--region", "Coastal", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    assert "7 of 9 districts sent a plan" in result.output  # as from the list itself
    maple = next(d for d in region_districts(app.state.site.data, "Coastal") if d.name.startswith("Maple"))
    assert {"mfps.org", "maplefalls.k12.ma.us"} <= set(maple.domains)
