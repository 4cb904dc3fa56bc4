"""The consultant's side: the region's dashboard, the review and its letter, comments, what changed, Download all."""

from __future__ import annotations

import io
import re
import threading
import zipfile

import docx
import openpyxl

from docgen import api
from docgen.web.storage import accounts, plans, reviews

from ..conftest import soffice_or_skip
from ..test_render import pdf_text
from .conftest import seed_plan
from .test_district import district_id, save


def submit(app, client_for, which="a"):
    client = client_for(f"district_{which}")
    assert client.post(f"/districts/{district_id(app, which)}/submit").status_code == 303
    assert plans.plan_row(app.state.site.db, district_id(app, which), "fy26").status == "submitted"
    return client


def finished_job(client, job: str) -> str:
    """Wait for a Download-all job's thread to end (it runs in this process, beside the test client), then return
    what its progress page says, as the page shows it. The join's limit is a safety net, never what is waited for."""
    number = job.rstrip("/").rsplit("/", 1)[-1]
    for thread in threading.enumerate():
        if thread.name == f"docgen-job-{number}":
            thread.join(timeout=300)
    return client.get(job, headers={"hx-request": "true"}).text


def add_region_districts(app, count: int) -> None:
    """More districts in district A's region, in different states."""
    db = app.state.site.db
    for i in range(count):
        district = accounts.add_district(db, f"District {i:02d}", region="Southeast")
        if i % 3:  # districts 0, 3, ... not started; 1, 4, ... one benchmark (an error); 2, 5, ... a clean draft
            plan = api.example_plan()
            plan.district.name = district.name
            if i % 3 == 1:
                plan.priorities[0].benchmarks = plan.priorities[0].benchmarks[:1]
            seed_plan(db, district.id, plan)


def test_the_dashboard_lists_the_region_with_counts_filters_and_an_export(app, client_for):
    add_region_districts(app, 6)
    submit(app, client_for)
    client = client_for("consultant_a")
    page = client.get("/region").text
    assert "Cranberry Harbor Public Schools" in page and "Beacon Falls" not in page  # another region's district
    assert page.count('<tr>\n    <td><a href="/districts/') == 7
    assert '<span class="number">2</span><span class="status-pill not-started">not started</span>' in page
    assert '<span class="number">1</span><span class="status-pill submitted">submitted</span>' in page
    with_errors = client.get("/region?errors=1").text
    assert "Cranberry Harbor" not in with_errors and "District 01" in with_errors  # one benchmark: an error
    assert client.get("/region?status=submitted").text.count('<tr>\n    <td><a href="/districts/') == 1
    by_errors = client.get("/region?sort=errors").text
    assert by_errors.index("District 01") < by_errors.index("District 04") < by_errors.index("Cranberry")
    exported = openpyxl.load_workbook(io.BytesIO(client.get("/region/export.xlsx?errors=1").content)).active
    rows = list(exported.iter_rows(values_only=True))
    assert rows[0][:3] == ("District", "Status", "Errors")
    assert sorted(r[0] for r in rows[1:]) == ["District 01", "District 04"]


def test_the_review_is_saved_as_typed_and_makes_the_letter(app, client_for, tmp_path):
    submit(app, client_for)
    client, a = client_for("consultant_a"), district_id(app, "a")
    page = client.get(f"/districts/{a}/review").text
    assert "Every grades 3-8 math team completes a collaborative plan" in page  # the district's own text
    for name, value in (("review.consultant_name", "Dr. Alana Brightwater"), ("review.review_date", "2025-08-12"),
                        ("review.summary", "A focused plan with clear targets."),
                        ("review.sections.priority.strengths", "The priority names its students precisely."),
                        ("review.sections.monitoring.refinements", "Add a classroom-level look-for each month.")):
        answer = client.post(f"/districts/{a}/review/save", data={"name": name, "value": value})
        assert answer.status_code == 200, answer.text
    assert plans.plan_row(app.state.site.db, a, "fy26").status == "in review"
    preview = client.get(f"/districts/{a}/review/letter").text
    assert "A focused plan with clear targets." in preview and "August 12, 2025" in preview
    assert "DRAFT" not in preview
    letter = client.get(f"/districts/{a}/review/letter.docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "The priority names its students precisely." in text
    assert "Add a classroom-level look-for each month." in text and "Dr. Alana Brightwater" in text
    assert client.post(f"/districts/{a}/review/sent").status_code == 303
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert row.status == "feedback sent" and reviews.last_feedback(app.state.site.db, row.id)["version"] == 1


def test_the_letter_downloads_as_a_pdf_holding_the_consultants_words(app, client_for, tmp_path):
    soffice_or_skip()
    submit(app, client_for)
    client, a = client_for("consultant_a"), district_id(app, "a")
    client.post(f"/districts/{a}/review/save", data={"name": "review.summary", "value": "A focused plan."})
    answer = client.get(f"/districts/{a}/review/letter.pdf")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"].endswith(".pdf")
    (tmp_path / "letter.pdf").write_bytes(answer.content)
    assert "A focused plan." in pdf_text(tmp_path / "letter.pdf")


def test_a_plan_not_yet_submitted_has_nothing_to_review_on_any_review_page(app, client_for):
    client, a = client_for("consultant_a"), district_id(app, "a")
    for page in ("review", "review/letter", "review/workbook"):
        answer = client.get(f"/districts/{a}/{page}")
        assert answer.status_code == 409, page
        assert "Nothing to review yet" in answer.text and "has not submitted its FY26 plan yet" in answer.text
        assert f'href="/districts/{a}/plan"' in answer.text


def test_the_review_and_the_workbook_review_sheet_are_the_same_data(app, client_for):
    submit(app, client_for)
    client, a = client_for("consultant_a"), district_id(app, "a")
    client.post(f"/districts/{a}/review/save", data={"name": "review.sections.outcomes.next_steps",
                                                     "value": "Set a target for Harborview Elementary."})
    workbook = client.get(f"/districts/{a}/review/workbook").content
    sheet = openpyxl.load_workbook(io.BytesIO(workbook))["Consultant review"]
    assert "Set a target for Harborview Elementary." in [c.value for row in sheet.iter_rows() for c in row]
    wb = openpyxl.load_workbook(io.BytesIO(workbook))
    row = next(r for r in wb["Consultant review"].iter_rows() if r[0].value == "section:roles")
    row[2].value = "Role clarity is concrete at every level."
    data = io.BytesIO()
    wb.save(data)
    answer = client.post(f"/districts/{a}/review/upload", files={"workbook": ("reviewed.xlsx", data.getvalue())})
    assert answer.status_code == 303
    review, _ = reviews.load_review(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26").id, 1)
    assert review.sections["roles"].strengths == "Role clarity is concrete at every level."
    assert review.sections["outcomes"].next_steps == "Set a target for Harborview Elementary."


def test_comments_go_back_and_forth_and_each_side_sees_what_waits(app, client_for):
    consultant, a = client_for("consultant_a"), district_id(app, "a")
    district = client_for("district_a")
    answer = consultant.post(f"/districts/{a}/comments", data={"section": "p1-monitoring",
                                                               "body": "Who owns the classroom benchmark?"})
    assert answer.status_code == 200 and "Who owns the classroom benchmark?" in answer.text
    home = district.get(f"/districts/{a}").text
    assert "Waiting for you: 1 comment from SSoS" in home
    form = district.get(f"/districts/{a}/plan").text
    assert form.index("Who owns the classroom benchmark?") > form.index('id="p1-monitoring"')
    thread = reviews.threads(app.state.site.db, plans.plan_row(app.state.site.db, a, "fy26").id)[0]
    assert district.post(f"/districts/{a}/comments/{thread.id}/reply",
                         data={"body": "The grade-level team leads."}).status_code == 200
    assert "Waiting for you" not in district.get(f"/districts/{a}").text
    assert "Waiting for you: 1 reply from districts" in consultant.get("/region").text
    assert consultant.post(f"/districts/{a}/comments/{thread.id}/resolve", data={"resolved": "1"}).status_code == 200
    assert "Waiting for you" not in consultant.get("/region").text
    other = client_for("district_b")
    assert other.post(f"/districts/{a}/comments/{thread.id}/reply", data={"body": "x"}).status_code == 404


def test_what_changed_marks_insertions_and_deletions(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    save(client, a, "p1.subject", "Mathematics and science")
    page = client.get(f"/districts/{a}/compare?from=1&to=2").text
    assert "<ins>" in page and "science</ins>" in page.replace(" ", "") or "<ins> and science</ins>" in page
    assert "no changes" in page  # the other sections say so
    html = page.split('class="data diff"', 1)[1]
    assert "Mathematics" in html


def test_this_year_against_last_years_plan(app, client_for):
    db = app.state.site.db
    a = district_id(app, "a")
    last_year = api.example_plan("fy25")
    seed_plan(db, a, last_year)
    page = client_for("consultant_a").get(f"/districts/{a}/compare?last_year=1").text
    assert "From the FY25 plan to version 1" in page and ("<ins>" in page or "<del>" in page)


def test_download_all_builds_the_regions_plans_and_letters_in_the_background(app, client_for):
    add_region_districts(app, 3)
    submit(app, client_for)
    consultant = client_for("consultant_a")
    started = consultant.post("/region/download-all")
    assert started.status_code == 303 and started.headers["location"].startswith("/region/jobs/")
    job = started.headers["location"]
    assert consultant.get("/region").status_code == 200  # other pages answer while it runs
    progress = finished_job(consultant, job)
    assert "Ready: 1 plans built" in progress
    archive = zipfile.ZipFile(io.BytesIO(consultant.get(f"{job}/download").content))
    names = sorted(archive.namelist())
    assert names == ["Cranberry Harbor Public Schools/Cranberry Harbor Public Schools FY26 Feedback Letter.docx",
                     ("Cranberry Harbor Public Schools/Cranberry Harbor Public Schools FY26 Instructional "
                      "Prioritization Plan.docx"),
                     ("Cranberry Harbor Public Schools/Cranberry Harbor Public Schools FY26 Instructional "
                      "Prioritization Plan.pptx"), "summary.xlsx"]
    rows = list(openpyxl.load_workbook(io.BytesIO(archive.read("summary.xlsx"))).active.iter_rows(values_only=True))
    assert rows[0] == ("Workbook", "District", "Status", "Files written", "Errors", "Warnings", "Message")  # as batch's
    assert rows[1][:3] == ("web plan, version 1", "Cranberry Harbor Public Schools", "built")
    assert rows[1][4:6] == (0, 0)  # the submitted plan's check errors and warnings
    assert client_for("consultant_b").get(job).status_code == 404


def test_the_audit_log_says_who_did_what_and_cannot_be_changed(app, client_for):
    import pytest

    from .conftest import REFUSED

    client, a = client_for("district_a"), district_id(app, "a")
    save(client, a, "p1.subject", "ELA")
    client.get(f"/districts/{a}/download/docx")
    log = client_for("admin").get("/admin/audit").text
    assert "a@cranberry.example.org" in log and "changed the plan" in log and "p1.subject (version 2)" in log
    assert "downloaded" in log and "docx of FY26 version 2" in log and "signed in" in log
    for statement in ("DELETE FROM audit", "UPDATE audit SET email = 'someone else'"):
        with pytest.raises(REFUSED, match="cannot be changed"), app.state.site.db.transaction() as c:
            c.execute(statement)


def test_a_region_list_imports_with_an_invitation_link_per_contact(app, client_for):
    admin = client_for("admin")
    csv = ("District name,DESE code,Contact email\nNorth Shore Regional,350000,lee@northshore.example.org\n"
           "Harbor Town,09930000,\n,123,nobody@example.org\nBad Email District,1,not an address\n")
    page = admin.post("/admin/districts/import", data={"region": "Coastal"},
                      files={"list": ("coastal.csv", csv.encode())})
    assert page.status_code == 200
    assert "2 districts imported into Coastal" in page.text and "2 rows could not be used" in page.text
    assert re.search(r'value="http://127\.0\.0\.1:8000/invite/[^"]+" aria-label="Invitation link for '
                     r'lee@northshore\.example\.org"', page.text)
    db = app.state.site.db
    north = accounts.district_named(db, "North Shore Regional")
    assert (north.region, north.org_code, north.contact_email) == ("Coastal", "00350000", "lee@northshore.example.org")
    assert accounts.user_by_email(db, "lee@northshore.example.org").district_id == north.id
    wb = openpyxl.Workbook()
    wb.active.append(["Contact email", "District", "Code"])
    wb.active.append(["kim@bay.example.org", "Bay District", 9920000])
    data = io.BytesIO()
    wb.save(data)
    page = admin.post("/admin/districts/import", data={"region": "Coastal"},
                      files={"list": ("bay.xlsx", data.getvalue())})
    assert "1 district imported into Coastal" in page.text
    assert accounts.district_named(db, "Bay District").org_code == "09920000"


def test_invitations_go_out_by_email_through_an_smtp_relay(app, client_for):
    from aiosmtpd.controller import Controller

    from .conftest import free_port

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    port = free_port()
    relay = Controller(Inbox(), hostname="127.0.0.1", port=port)
    relay.start()
    try:
        admin = client_for("admin")
        answer = admin.post("/admin/settings", data={"smtp_host": "127.0.0.1", "smtp_port": str(port),
                                                     "smtp_security": "none", "smtp_from": "ssos@mass.example.gov",
                                                     "test": "admin@ssos.example.org"})
        assert answer.status_code == 303
        csv = 'District,Contact email\n"River Falls\r\nBcc: evil@attacker.example",pat@riverfalls.example.org\n'
        page = admin.post("/admin/districts/import", data={"region": "Coastal", "send": "1"},
                          files={"list": ("river.csv", csv.encode())})
        assert "invitation sent by e-mail" in page.text
    finally:
        relay.stop()
    assert [e.rcpt_tos for e in received] == [["admin@ssos.example.org"], ["pat@riverfalls.example.org"]]
    message = received[1].content.decode()
    assert "/invite/" in message and "Subject: Your account for the River Falls" in message
    assert "evil@attacker.example" not in "".join(received[1].rcpt_tos)



def test_what_changed_after_adding_a_second_priority_says_so_in_plain_words(app, client_for):
    client, a = client_for("district_a"), district_id(app, "a")
    assert client.post(f"/districts/{a}/plan/priorities", data={"action": "add"}).status_code == 303
    versions = re.findall(r'<option value="(\d+)"', client.get(f"/districts/{a}/compare").text)
    newest = max(int(v) for v in versions)
    page = client.get(f"/districts/{a}/compare?from=1&to={newest}").text
    assert "Nothing changed between them" not in page
    assert re.search(r"Priority #2[^<]*<span class=\"muted\">: new in this version</span>", page)
    assert "What changed in Cranberry Harbor Public Schools' FY26 plan" in page.replace("&#39;", "'")
    assert " : " not in re.sub(r"<[^>]+>", "", page)  # no space before a colon


def test_a_region_row_with_no_code_and_no_email_is_named_and_not_created(app, client_for):
    admin = client_for("admin")
    csv = "District,DESE code,Contact email\nLonely Valley Schools,,\nHill Town,09940000,\n"
    page = admin.post("/admin/districts/import", data={"region": "Coastal"},
                      files={"list": ("coastal.csv", csv.encode())}).text
    assert "1 district imported into Coastal" in page and "1 row could not be used" in page
    assert ("row 2: 'Lonely Valley Schools' has no DESE code and no contact email, so it was not created: add "
            "either and import the list again") in page.replace("&#39;", "'")
    assert accounts.district_named(app.state.site.db, "Lonely Valley Schools") is None
    assert "no contact email: invite someone by hand" in page  # Hill Town: created, matched by its code
