"""Records: a closed year archived as a ZIP that opens without docgen, then retired from the live database, with an
audit line that stays; the other years untouched."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from docx import Document

from docgen import api
from docgen.errors import DocgenError
from docgen.model.plan import CheckIn, Review, SectionReview
from docgen.web import archive
from docgen.web.storage import accounts, checkins, plans, reviews

from ..conftest import assert_valid_office
from .conftest import REFUSED, seed_plan

IN_FY25, BEFORE_FY25 = "2025-03-02T10:00:00+00:00", "2024-05-01T10:00:00+00:00"


@pytest.fixture
def fy25(app):
    """Both districts' FY25 plans (A's submitted, reviewed, commented on, with a check-in and its note), beside A's
    FY26 draft; audit lines dated in FY25's period, before it, and now."""
    db = app.state.site.db
    a, b = app.state.districts["a"], app.state.districts["b"]
    consultant = accounts.user_by_email(db, "se@ssos.example.org")
    for district in (a, b):
        last_year = api.example_plan("fy25")
        last_year.review = None
        last_year.district.name = district.name
        seed_plan(db, district.id, last_year)
    row = plans.plan_row(db, a.id, "fy25")
    plans.submit(db, row, accounts.user_by_email(db, "a@cranberry.example.org").id)
    review = Review("Pat Consultant", "SSoS Leadership Consultant", "Southeast", "2024-09-01",
                    "A clear plan, kept to two priorities.", {"p1-priority": SectionReview("Focused.", "", "")})
    reviews.save_review(db, row.id, 1, review, consultant.id)
    reviews.add_comment(db, row.id, 1, "p1-priority", consultant.id, "Which grades?")
    checkin = checkins.add(db, a.id, "fy25", CheckIn(1, 1, "2024-11-15", "41%", "On track"), consultant.id)
    checkins.add_note(db, checkin, consultant.id, "Good progress.")
    with db.transaction() as c:
        for at, action in ((IN_FY25, "viewed the plan"), (IN_FY25, "submitted the plan"),
                           (BEFORE_FY25, "signed in")):
            c.execute("INSERT INTO audit (at, email, action, district_id, detail) VALUES (?, ?, ?, ?, '')",
                      (at, "a@cranberry.example.org", action, a.id))
    app.state.site.audit(None, "signed in")  # now: FY27's period
    return db


def test_a_closed_year_is_archived_as_a_zip_a_records_officer_opens_without_docgen(app, fy25, tmp_path, run):
    result = run("archive", "--year", "FY25", "--data", app.state.site.data, "-o", tmp_path / "fy25.zip")
    assert result.exit_code == 0, result.output
    digest = hashlib.sha256((tmp_path / "fy25.zip").read_bytes()).hexdigest()
    assert f"SHA-256: {digest}" in result.output and f"--retire --confirm {digest}" in result.output
    with zipfile.ZipFile(tmp_path / "fy25.zip") as opened:
        names = opened.namelist()
        assert names[:2] == ["README.txt", "index.xlsx"] and opened.testzip() is None
        readme = opened.read("README.txt").decode()
        assert "FY25" in readme and "sha256sum -c SHA256SUMS.txt" in readme and "versions: 2" in readme
        for line in opened.read("SHA256SUMS.txt").decode().splitlines():  # what `sha256sum -c` does
            expected, name = line.split("  ", 1)
            assert hashlib.sha256(opened.read(name)).hexdigest() == expected, name
        opened.extractall(tmp_path / "opened")
    book = openpyxl.load_workbook(tmp_path / "opened" / "index.xlsx", read_only=True)
    assert book.sheetnames == ["Plans", "Versions", "Submissions", "Reviews", "Comments", "Check-ins",
                               "Check-in notes", "Audit", "Files"]
    sheet = {name: [row for row in book[name].iter_rows(values_only=True)] for name in book.sheetnames}
    assert sorted(r[1] for r in sheet["Plans"][1:]) == ["Beacon Falls Public Schools",
                                                        "Cranberry Harbor Public Schools"]
    assert {r[4] for r in sheet["Plans"][1:]} == {"fy25"}  # not FY26's draft
    assert [r[7] for r in sheet["Comments"][1:]] == ["Which grades?"]
    assert [(r[6], r[7]) for r in sheet["Check-ins"][1:]] == [("41%", "On track")]
    assert [r[3] for r in sheet["Check-in notes"][1:]] == ["Good progress."]
    assert sorted(r[3] for r in sheet["Audit"][1:]) == ["submitted the plan", "viewed the plan"]
    with open(tmp_path / "opened" / "audit.csv", encoding="utf-8-sig", newline="") as audit_csv:
        assert [r["at"] for r in csv.DictReader(audit_csv)] == [IN_FY25, IN_FY25]
    documents = sorted((tmp_path / "opened" / "documents").rglob("*.docx"))
    assert len(documents) == 3  # A's submitted plan and its letter, B's latest draft
    letter = next(d for d in documents if "Feedback" in d.name)
    assert "A clear plan, kept to two priorities." in "\n".join(p.text for p in Document(letter).paragraphs)
    plan_text = "\n".join(p.text for p in Document(next(d for d in documents if "Beacon" in d.name)).paragraphs)
    assert "Beacon Falls Public Schools" in plan_text
    saved = json.loads((tmp_path / "opened" / "data" / "Cranberry Harbor Public Schools" / "version 1.json")
                       .read_text())
    assert saved["district"]["name"] == "Cranberry Harbor Public Schools"
    assert_valid_office(tmp_path / "opened" / "index.xlsx", letter)


def test_retiring_the_archived_year_leaves_the_other_years_and_an_audit_line_that_stays(app, fy25, tmp_path, run):
    data, zip_path = app.state.site.data, tmp_path / "fy25.zip"
    fy26_versions = fy25.value("SELECT COUNT(*) FROM versions v JOIN plans p ON p.id = v.plan_id "
                               "WHERE p.variant = 'fy26'")
    audit_outside = fy25.value("SELECT COUNT(*) FROM audit WHERE at < '2024-07-01' OR at >= '2025-07-01'")
    _, digest, _ = archive.make(data, "FY25", zip_path)
    refused = run("archive", "--year", "FY25", "--data", data, "-o", zip_path, "--retire", "--confirm", "0" * 64)
    assert refused.exit_code == 1 and f"its SHA-256 is {digest}" in refused.output
    assert fy25.value("SELECT COUNT(*) FROM plans WHERE variant = 'fy25'") == 2  # nothing removed
    result = run("archive", "--year", "fy25", "--data", data, "-o", zip_path, "--retire", "--confirm", digest)
    assert result.exit_code == 0, result.output
    assert "Retired FY25" in result.output and "2 plans, 2 versions, 1 submissions" in result.output
    for table, where in (("plans", "variant = 'fy25'"), ("checkins", "year = 'fy25'"), ("reviews", "1 = 1"),
                         ("comments", "1 = 1"), ("checkin_notes", "1 = 1"),
                         ("audit", "at >= '2024-07-01' AND at < '2025-07-01'")):
        assert fy25.value(f"SELECT COUNT(*) FROM {table} WHERE {where}") == 0, table
    assert fy25.value("SELECT COUNT(*) FROM versions v JOIN plans p ON p.id = v.plan_id "
                      "WHERE p.variant = 'fy26'") == fy26_versions
    line = fy25.one("SELECT * FROM audit WHERE action = 'retired a plan year'")
    assert line["detail"].startswith("FY25: 2 plans, 2 versions") and digest in line["detail"]
    assert fy25.value("SELECT COUNT(*) FROM audit") == audit_outside + 1
    for statement in ("DELETE FROM audit", "DELETE FROM retired_years", "UPDATE retired_years SET counts = '{}'"):
        with pytest.raises(REFUSED, match="cannot be changed"), fy25.transaction() as c:
            c.execute(statement)  # what stays, stays
    client = app  # the FY26 plan still opens
    from starlette.testclient import TestClient

    assert TestClient(client).get("/healthz").text == "ok"
    again = run("archive", "--year", "FY25", "--data", data, "-o", tmp_path / "again.zip")
    assert again.exit_code == 1 and "was retired on" in again.output and digest in again.output


def test_a_year_changed_after_its_archive_is_not_retired(app, fy25, tmp_path):
    data, zip_path = app.state.site.data, tmp_path / "fy25.zip"
    _, digest, _ = archive.make(data, "FY25", zip_path)
    checkins.add(fy25, app.state.districts["b"].id, "fy25", CheckIn(1, 1, "2025-01-10", "12", "Not yet"), None)
    with pytest.raises(DocgenError, match=r"changed since the archive was made \(checkins: 1 archived, 2 now\)"):
        archive.retire(data, "FY25", zip_path, digest)
    assert fy25.value("SELECT COUNT(*) FROM plans WHERE variant = 'fy25'") == 2


def test_an_altered_archive_is_not_taken_as_the_record(app, fy25, tmp_path):
    data, zip_path = app.state.site.data, tmp_path / "fy25.zip"
    archive.make(data, "FY25", zip_path)
    altered = io.BytesIO()
    with zipfile.ZipFile(zip_path) as original, zipfile.ZipFile(altered, "w") as copy:
        for item in original.infolist():
            body = original.read(item)
            copy.writestr(item, body.replace(b"submitted the plan", b"nothing happened") if item.filename == "audit.csv"
                          else body)
    zip_path.write_bytes(altered.getvalue())
    with pytest.raises(DocgenError, match="do not match SHA256SUMS.txt"):
        archive.retire(data, "FY25", zip_path, hashlib.sha256(altered.getvalue()).hexdigest())


def test_this_year_cannot_be_archived(app, tmp_path):
    with pytest.raises(DocgenError, match="FY26 is this year's plan year; only a closed year can be archived"):
        archive.make(app.state.site.data, "FY26", tmp_path / "fy26.zip")
    with pytest.raises(DocgenError, match="there is no plan year 'FY19'"):
        archive.make(app.state.site.data, "FY19", tmp_path / "fy19.zip")


def test_accounts_unused_for_a_year_are_disabled_with_a_notice_to_admins(app, client_for):
    db = app.state.site.db
    with db.transaction() as c:  # B's user last signed in 400 days ago; the state account was made then, never used
        c.execute("UPDATE users SET last_login = '2025-01-01T00:00:00+00:00' WHERE email = 'b@beacon.example.org'")
        c.execute("UPDATE users SET created_at = '2025-01-01T00:00:00+00:00' WHERE email = 'state@dese.example.org'")
    admin = client_for("admin")  # signing in sweeps first; the admin's own sign-in is today's
    page = admin.get("/admin").text
    assert "accounts not signed in for 365 days were disabled: b@beacon.example.org, state@dese.example.org" in page
    assert accounts.user_by_email(db, "b@beacon.example.org").disabled
    assert not accounts.user_by_email(db, "a@cranberry.example.org").disabled  # made today, not yet unused
    lines = [line for line in db.all("SELECT * FROM audit WHERE action = 'disabled unused accounts'")]
    assert len(lines) == 1  # the page's own sweep found nothing more: one line, not one per page view
    refused = client_for("nobody").post("/login", data={"email": "b@beacon.example.org",
                                                        "password": "correct horse battery staple", "next": "/"})
    assert refused.status_code == 401


def test_the_last_admin_is_never_disabled_for_disuse(app):
    from docgen.web.services import retention

    db = app.state.site.db
    with db.transaction() as c:
        c.execute("UPDATE users SET created_at = '2020-01-01T00:00:00+00:00', last_login = NULL")
    assert "admin@ssos.example.org" not in retention.disable_unused(db)
    assert not accounts.user_by_email(db, "admin@ssos.example.org").disabled
    db.set_setting(retention.SETTING, "0")  # never
    with db.transaction() as c:
        c.execute("UPDATE users SET disabled = 0")
    assert retention.disable_unused(db) == []
