"""Attacks a careful tester tries: double submission, forged or borrowed CSRF tokens, responses without headers."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from docgen.web.auth import create_account, invited_user
from docgen.web.storage import plans
from docgen.web.storage.db import MIGRATIONS, Database

from .conftest import REFUSED, Client, csrf_token


def test_five_submit_clicks_at_once_make_one_submission_and_one_audit_line(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    db = app.state.site.db
    with ThreadPoolExecutor(5) as pool:
        answers = list(pool.map(lambda _: client.post(f"/districts/{a}/submit"), range(5)))
    assert [r.status_code for r in answers] == [303] * 5
    assert db.value("SELECT COUNT(*) FROM submissions") == 1
    assert db.value("SELECT COUNT(*) FROM audit WHERE action = 'submitted the plan'") == 1
    assert plans.plan_row(db, a, "fy26").status == "submitted"


def test_the_database_itself_refuses_a_second_submission_of_a_version(app):
    db = app.state.site.db
    row = plans.plan_row(db, app.state.districts["a"].id, "fy26")
    plans.submit(db, row, None)
    version_id = db.value("SELECT version_id FROM submissions")
    with pytest.raises(REFUSED), db.transaction() as c:
        c.execute("INSERT INTO submissions (plan_id, version_id, submitted_at) VALUES (?, ?, 'now')",
                  (row.id, version_id))


def test_an_older_database_with_double_submissions_upgrades_to_one(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    connection = sqlite3.connect(folder / "docgen.sqlite3")
    connection.executescript(MIGRATIONS[0] + MIGRATIONS[1] + "PRAGMA user_version = 2;")
    connection.executescript(
        "INSERT INTO districts (name, created_at) VALUES ('Old Town', 'x');"
        "INSERT INTO plans (district_id, variant, latest) VALUES (1, 'fy26', 1);"
        "INSERT INTO versions (plan_id, number, data, source, errors, warnings, created_at) "
        "VALUES (1, 1, x'00', 'form', 0, 0, 'x');"
        + "INSERT INTO submissions (plan_id, version_id, submitted_at) VALUES (1, 1, 'x');" * 4)
    connection.commit()
    connection.close()
    upgraded = Database(folder)
    assert upgraded.value("SELECT COUNT(*) FROM submissions") == 1


# CSRF

def test_a_token_from_another_persons_session_is_refused(app, client_for):
    a = app.state.districts["a"].id
    mine, theirs = client_for("district_a"), client_for("district_a")
    mine.token = theirs.token
    answer = mine.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": "forged"})
    assert answer.status_code == 403 and "This form has expired" in answer.text
    mine.token = csrf_token_of(mine, a)
    assert mine.post(f"/districts/{a}/plan/save", data={"name": "p1.subject", "value": "mine"}).status_code == 200


def csrf_token_of(client, district: int) -> str:
    """Return the token the plan page gives this client (its own session's)."""
    import re

    page = client.get(f"/districts/{district}/plan").text
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


@pytest.mark.parametrize("kind", ["form", "upload"])
def test_a_bearer_header_never_skips_the_check(app, client_for, kind):
    client, a = client_for("district_a"), app.state.districts["a"].id
    headers = {"authorization": "Bearer anything"}
    if kind == "form":
        answer = TestClient.post(client, f"/districts/{a}/plan/save", headers=headers,
                                 data={"name": "p1.subject", "value": "forged"}, follow_redirects=False)
    else:
        answer = TestClient.post(client, f"/districts/{a}/upload", headers=headers, follow_redirects=False,
                                 files={"workbook": ("x.xlsx", b"not read")})
    assert answer.status_code == 403 and "This form has expired" in answer.text
    row = plans.plan_row(app.state.site.db, a, "fy26")
    assert row.latest == 1  # nothing saved


def test_sign_in_and_invitation_forms_are_protected_with_or_without_cookies(app, client_for):
    db = app.state.site.db
    invitation = create_account(db, "new@cranberry.example.org", "district", "http://testserver",
                                str(app.state.districts["a"].id))
    invite_path = invitation.link.removeprefix("http://testserver")
    with_cookies = client_for("nobody")
    for client in (TestClient(app), with_cookies):  # no cookie at all; a cookie but no token
        for path, data in (("/login", {"email": "a@cranberry.example.org", "password": "x"}),
                           (invite_path, {"password": "a long new password 1", "again": "a long new password 1"})):
            answer = TestClient.post(client, path, data=data, follow_redirects=False)
            assert answer.status_code == 403 and "This form has expired" in answer.text, (path, answer.status_code)
    assert invited_user(db, invite_path.rsplit("/", 1)[1]) is not None  # no password was set: the link still works
    assert with_cookies.get(invite_path).status_code == 200


def test_a_sign_in_token_from_another_browser_is_refused(app):
    attacker, victim = Client(app), Client(app)
    attacker.token = csrf_token(attacker)
    csrf_token(victim)  # the victim's browser has its own session
    victim.token = attacker.token
    answer = victim.post("/login", data={"email": "a@cranberry.example.org", "password": "x"})
    assert answer.status_code == 403


# headers on every response

HEADERS = {"content-security-policy": "frame-ancestors 'none'", "x-frame-options": "DENY",
           "x-content-type-options": "nosniff", "referrer-policy": "same-origin"}


def assert_headers(answer) -> None:
    missing = [name for name, part in HEADERS.items() if part not in answer.headers.get(name, "")]
    assert not missing, f"{answer.status_code} answer without {missing}"


def test_every_kind_of_answer_carries_the_security_headers(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    answers = [client.get("/login", follow_redirects=False), client.get("/nowhere"), client.get("/static/docgen.css"),
               client.get("/healthz"),
               client.post(f"/districts/{a}/plan/save", data={"name": "p1.nothing", "value": "x"}),  # 422 JSON
               TestClient.post(client, f"/districts/{a}/plan/save", data={}),  # 403: no token
               client.get(f"/districts/{a}/preview?version=0"),  # 400
               client.get(f"/districts/{a}/plan", headers={"hx-request": "true"}),
               client.post(f"/districts/{a}/submit")]  # 303
    assert [r.status_code for r in answers] == [303, 404, 200, 200, 422, 403, 400, 200, 303]
    for answer in answers:
        assert_headers(answer)


def test_a_500_page_carries_the_security_headers(app):
    def broken(request):
        raise RuntimeError("a bug")

    app.router.routes.append(Route("/broken", broken))
    answer = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert answer.status_code == 500 and "Something went wrong" in answer.text and "a bug" not in answer.text
    assert_headers(answer)


def test_the_413_for_an_oversized_upload_carries_the_security_headers(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    answer = client.post(f"/districts/{a}/upload", files={"workbook": ("big.xlsx", b"0" * (12 * 2**20))})
    assert answer.status_code == 413
    assert_headers(answer)


def test_an_smtp_port_out_of_range_is_refused_naming_the_field(app, client_for):
    admin = client_for("admin")
    for port in ("0", "65536", str(10**30), "٣"):
        answer = admin.post("/admin/settings", data={"smtp_host": "mail.example.org", "smtp_from": "a@example.org",
                                                     "smtp_port": port})
        assert answer.status_code == 400 and "the port is a number from 1 to 65535" in answer.text, port


def test_one_handler_answers_a_refusal_as_json_to_htmx_and_as_a_message_to_a_form(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    assert client.post(f"/districts/{a}/submit").status_code == 303
    answer = client.post(f"/districts/{a}/submit", headers={"hx-request": "true"})
    assert answer.status_code == 409 and answer.json() == {"ok": False, "message": "The plan is already submitted."}
    answer = client.post(f"/districts/{a}/submit")
    assert answer.status_code == 303 and answer.headers["location"] == f"/districts/{a}"
    assert "The plan is already submitted." in client.get(answer.headers["location"]).text
