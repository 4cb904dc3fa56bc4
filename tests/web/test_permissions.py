"""Every route, as every role and as nobody: who gets the page, who gets 403 or 404, who is sent to sign in.

A route missing from ROUTES fails test_every_route_is_in_the_matrix, so a new
page cannot ship without saying who may open it.
"""

from __future__ import annotations

import pytest
from starlette.routing import Mount

from docgen import api

from .conftest import ROLES

A, B = "{a}", "{b}"  # district A (Southeast, with a plan) and district B (Coastal)
OK = 200
SEE = {"nobody": 303, "district_a": OK, "district_b": 404, "consultant_a": OK, "consultant_b": 404, "admin": 404}
CHANGE = {"nobody": 401, "district_a": OK, "district_b": 404, "consultant_a": 403, "consultant_b": 404, "admin": 404}
REVIEW = {"nobody": 303, "district_a": 403, "district_b": 404, "consultant_a": OK, "consultant_b": 404, "admin": 404}
REVIEW_POST = {**REVIEW, "nobody": 401}
COMMENT = {"nobody": 401, "district_a": OK, "district_b": 404, "consultant_a": OK, "consultant_b": 404, "admin": 404}
JOB = {"nobody": 303, "district_a": 403, "district_b": 403, "consultant_a": OK, "consultant_b": 404, "admin": 403}
ADMIN = {"nobody": 303, "district_a": 403, "district_b": 403, "consultant_a": 403, "consultant_b": 403, "admin": OK}
ADMIN_POST = {**ADMIN, "nobody": 401}
REGION = {"nobody": 303, "district_a": 403, "district_b": 403, "consultant_a": OK, "consultant_b": OK, "admin": 403}
EVERYONE = dict.fromkeys(ROLES, OK)

# (method, path, form data, expected status by role); path templates: {a}, {b}, {me} (the admin's own id)
MATRIX = [
    ("GET", "/", {}, {"nobody": 303, "district_a": 303, "district_b": 303, "consultant_a": 303, "consultant_b": 303,
                      "admin": 303}),
    ("GET", "/login", {}, {**dict.fromkeys(ROLES, 303), "nobody": OK}),
    ("POST", "/login", {"email": "x@example.org", "password": "wrong"}, dict.fromkeys(ROLES, 401)),
    ("GET", "/invite/not-a-token", {}, dict.fromkeys(ROLES, 404)),
    ("POST", "/invite/not-a-token", {"password": "x", "again": "x"}, dict.fromkeys(ROLES, 404)),
    ("GET", "/healthz", {}, EVERYONE),
    ("GET", f"/districts/{A}", {}, SEE),
    ("GET", f"/districts/{A}/plan", {}, SEE),
    ("GET", f"/districts/{A}/compare", {}, SEE),
    ("GET", f"/districts/{A}/review", {}, REVIEW),
    ("POST", f"/districts/{A}/review/save", {"name": "review.summary", "value": "A clear plan."}, REVIEW_POST),
    ("GET", f"/districts/{A}/review/letter", {}, REVIEW),
    ("GET", f"/districts/{A}/review/letter.docx", {}, REVIEW),
    ("GET", f"/districts/{A}/review/workbook", {}, REVIEW),
    ("POST", f"/districts/{A}/review/upload", {}, {**REVIEW_POST, "consultant_a": 303}),
    ("POST", f"/districts/{A}/review/sent", {}, {**REVIEW_POST, "consultant_a": 303}),
    ("POST", f"/districts/{A}/comments", {"section": "p1-priority", "body": "Say who the students are."}, COMMENT),
    ("POST", f"/districts/{A}/comments/{{thread}}/reply", {"body": "Done."}, COMMENT),
    ("POST", f"/districts/{A}/comments/{{thread}}/resolve", {"resolved": "1"}, COMMENT),
    ("POST", f"/districts/{A}/submit", {}, {**CHANGE, "district_a": 303}),
    # reopened, district A's plan can be changed again
    ("POST", f"/districts/{A}/reopen", {}, {**CHANGE, "district_a": 303}),
    ("POST", f"/districts/{A}/plan/save", {"name": "p1.subject", "value": "Mathematics"}, CHANGE),
    ("GET", f"/districts/{A}/plan/findings", {}, SEE),
    ("POST", f"/districts/{A}/plan/rows", {"table": "benchmarks", "number": "1", "action": "add"}, CHANGE),
    ("POST", f"/districts/{A}/plan/priorities", {"action": "add"}, {**CHANGE, "district_a": 303}),
    ("GET", f"/districts/{A}/preview", {}, SEE),
    ("GET", f"/districts/{A}/download/docx", {}, SEE),
    ("GET", f"/districts/{A}/versions", {}, SEE),
    ("POST", f"/districts/{A}/versions/1/restore", {}, {**CHANGE, "district_a": 303}),
    ("POST", f"/districts/{A}/upload", {}, {**CHANGE, "district_a": 303}),
    ("POST", f"/districts/{A}/import", {}, {**CHANGE, "district_a": 303}),
    ("POST", f"/districts/{A}/roll-forward", {}, {**CHANGE, "district_a": 303}),
    ("GET", f"/districts/{B}", {}, {**SEE, "district_a": 404, "district_b": OK, "consultant_a": 404,
                                   "consultant_b": OK}),
    ("GET", "/districts/999", {}, {**dict.fromkeys(ROLES, 404), "nobody": 303}),
    ("GET", "/region", {}, REGION),
    ("GET", "/region/export.xlsx", {}, REGION),
    ("GET", "/region/jobs/{job}", {}, JOB),
    ("GET", "/region/jobs/{job}/download", {}, JOB),
    ("POST", "/region/download-all", {}, {**REGION, "nobody": 401, "consultant_a": 303, "consultant_b": 303}),
    ("GET", "/admin", {}, ADMIN),
    ("POST", "/admin/users", {"email": "new@example.org", "role": "admin"}, ADMIN_POST),
    ("POST", "/admin/users/{me}/invite", {}, ADMIN_POST),
    ("GET", "/admin/districts", {}, ADMIN),
    ("POST", "/admin/districts/import", {}, {**ADMIN_POST, "admin": 303}),
    ("POST", f"/admin/districts/{B}/region", {"region": "Coastal"}, {**ADMIN_POST, "admin": 303}),
    ("GET", "/admin/settings", {}, ADMIN),
    ("POST", "/admin/settings", {"smtp_host": "", "smtp_from": ""}, {**ADMIN_POST, "admin": 303}),
    ("GET", "/admin/audit", {}, ADMIN),
    ("GET", "/login/code", {}, dict.fromkeys(ROLES, 303)),  # no password given just before: back to sign-in
    ("POST", "/login/code", {"code": "000000"}, dict.fromkeys(ROLES, 303)),
    ("GET", "/login/two-factor", {}, dict.fromkeys(ROLES, 303)),
    ("POST", "/login/two-factor", {"code": "000000"}, dict.fromkeys(ROLES, 303)),
    ("GET", "/login/oidc", {}, dict.fromkeys(ROLES, 404)),  # no provider configured
    ("GET", "/login/oidc/callback", {}, dict.fromkeys(ROLES, 404)),
    ("GET", "/account", {}, {**EVERYONE, "nobody": 303}),
    ("POST", "/account/password", {"current": "wrong", "password": "x", "again": "x"},
     {**dict.fromkeys(ROLES, 400), "nobody": 401}),
    ("GET", "/account/two-factor", {}, {**EVERYONE, "nobody": 303}),
    ("POST", "/account/two-factor", {"code": "000000"}, {**dict.fromkeys(ROLES, 400), "nobody": 401}),
    ("GET", "/admin/sign-in", {}, ADMIN),
    ("POST", "/admin/sign-in", {"oidc_issuer": ""}, {**ADMIN_POST, "admin": 303}),
    ("POST", "/session/keep-alive", {}, {**EVERYONE, "nobody": 401}),
    ("GET", "/static/docgen.css", {}, EVERYONE),
    ("POST", "/logout", {}, dict.fromkeys(ROLES, 303)),  # last: it signs the client out
]


def fill(path: str, app) -> str:
    from docgen.web.storage import accounts

    districts = app.state.districts
    me = accounts.user_by_email(app.state.site.db, "admin@ssos.example.org").id
    return path.format(a=districts["a"].id, b=districts["b"].id, me=me, thread=app.state.thread, job=app.state.job)


def submitted_with_a_comment_and_a_job(app) -> None:
    """District A's plan submitted, a consultant's comment on it, and a finished Download-all of its region."""
    from docgen.web.storage import accounts, audit, plans, reviews

    db = app.state.site.db
    a = app.state.districts["a"]
    row = plans.plan_row(db, a.id, "fy26")
    plans.submit(db, row, accounts.user_by_email(db, "a@cranberry.example.org").id)
    consultant = accounts.user_by_email(db, "se@ssos.example.org")
    app.state.thread = reviews.add_comment(db, row.id, 1, "p1-priority", consultant.id, "Name the students.")
    app.state.job = audit.add_job(db, "download-all", "Southeast", consultant.id, 1)
    (app.state.site.data / "exports").mkdir()
    (app.state.site.data / "exports" / "southeast.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    audit.finish_job(db, app.state.job, "done", "southeast.zip", "1 plan built")


@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_what(app, client_for, role):
    submitted_with_a_comment_and_a_job(app)
    client = client_for(role)
    wrong = []
    for method, path, data, expected in MATRIX:
        url = fill(path, app)
        answer = client.get(url, follow_redirects=False) if method == "GET" else client.post(url, data=data)
        if answer.status_code != expected[role]:
            wrong.append(f"{method} {url}: {answer.status_code}, expected {expected[role]}")
    assert not wrong, "\n".join(wrong)


def test_every_route_is_in_the_matrix(app):
    covered = {(m, p.replace("{a}", "{district:int}").replace("{b}", "{district:int}")) for m, p, _, _ in MATRIX}
    covered = {(m, _pattern(p)) for m, p in covered}
    missing = []
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        for method in sorted(route.methods - {"HEAD"}):
            if (method, _pattern(route.path)) not in covered:
                missing.append(f"{method} {route.path}")
    assert not missing, f"routes with no row in the permission matrix: {missing}"


def _pattern(path: str) -> str:
    """Return a path with every parameter and number replaced by '*', to match routes with matrix rows."""
    import re

    return re.sub(r"\{[^}]+\}|\b\d+\b|not-a-token|docx|(?<=/)invite$", "*", path)


def test_district_b_cannot_reach_district_a_by_guessing_ids(app, client_for):
    b = client_for("district_b")
    a_id = app.state.districts["a"].id
    for path in ("", "/plan", "/preview", "/versions", "/download/docx", "/download/pptx", "/download/xlsx",
                 "/download/eml", "/plan/findings"):
        assert b.get(f"/districts/{a_id}{path}").status_code == 404
    answer = b.post(f"/districts/{a_id}/plan/save", data={"name": "p1.statement", "value": "taken over"})
    assert answer.status_code == 404
    a = client_for("district_a")
    assert "taken over" not in a.get(f"/districts/{a_id}/plan").text


def _upload_as_a_browser(client, district, token):
    """POST the upload form as a browser does: multipart, the token (if any) in a form field, no header."""
    from starlette.testclient import TestClient

    data = {"csrftoken": token} if token is not None else {}
    return TestClient.post(client, f"/districts/{district}/upload", data=data, follow_redirects=False,
                           files={"workbook": ("ours.xlsx", api.workbook_bytes(api.example_plan()))})


def test_an_upload_needs_the_forms_token_and_the_form_alone_is_enough(app, client_for):
    client, a = client_for("district_a"), app.state.districts["a"].id
    assert _upload_as_a_browser(client, a, client.token).status_code == 303  # saved, then to the plan
    for forged in (None, "", "not-the-token", client.token[:-2] + "xx"):
        answer = _upload_as_a_browser(client, a, forged)
        assert answer.status_code == 403 and "This form has expired" in answer.text
