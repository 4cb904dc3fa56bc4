"""Every route, as every role and as nobody: who gets the page, who gets 403 or 404, who is sent to sign in.

Each route declares the permission it needs where it is declared
(``@page("edit-plan")``); this test reads that declaration from the app's
routes and expects what POLICY says for it, so a new route needs no second
list of permissions here: one without a declared permission, or without a
sample request in REQUESTS, fails test_every_route_declares_its_permission.
Every row starts from its own state, put back before it (the database and
the client's cookies): a route that changes the plan (edit-plan) starts from
district A's open draft, every other from its submitted plan with a comment
and a finished Download all, so no row depends on the ones before it.
"""

from __future__ import annotations

import copy
import re
import sqlite3

import pytest
from starlette.routing import Mount

from docgen import api
from docgen.web.permissions import ACTIONS, PUBLIC

from .conftest import EMAILS, ROLES, sqlite_only

A, B = "{a}", "{b}"  # district A (Southeast, with a plan) and district B (Coastal)
OK = 200
SIGNED_IN = ROLES[1:]
# what each role gets, by the permission a route declares, when district A is the route's {district}
# admins and the state see that a district exists (they read its progress), so its plan's pages are 403 to them
SEE = {"district_a": OK, "district_b": 404, "consultant_a": OK, "consultant_b": 404, "admin": 403, "state": 403}
CHANGE = {**SEE, "consultant_a": 403}
REVIEW = {**SEE, "district_a": 403}
REGION = {"district_a": 403, "district_b": 403, "consultant_a": OK, "consultant_b": OK, "admin": 403, "state": 403}
ADMIN = {**dict.fromkeys(SIGNED_IN, 403), "admin": OK}
PROGRESS = {**SEE, "admin": OK, "state": OK}  # the plan year: read by the region's consultants, admins, the state
NOTE = {**SEE, "district_a": 403}
STATE = {**dict.fromkeys(SIGNED_IN, 403), "state": OK}
LETTERHEAD = {**REGION, "consultant_b": 403, "admin": OK}  # the Southeast region's letter template
POLICY = {"view-plan": SEE, "edit-plan": CHANGE, "submit-plan": CHANGE, "comment": SEE, "review-plan": REVIEW,
          "view-region": REGION, "manage-accounts": ADMIN, "manage-districts": ADMIN, "view-audit": ADMIN,
          "view-progress": PROGRESS, "record-progress": CHANGE, "note-progress": NOTE, "view-state": STATE,
          "own-account": dict.fromkeys(SIGNED_IN, OK),  # one's own account, second factor, session
          "set-letter-template": LETTERHEAD,
          "receive-plan": REVIEW, "confirm-reading": SEE}  # an e-mailed plan added by a consultant; its reading
EVERYONE = dict.fromkeys(ROLES, OK)
JOB = {**REGION, "consultant_b": 404}  # a job of the Southeast region

CHECKIN = {"benchmark": "1-1", "date": "2025-10-15", "value": "40%", "status": "Not yet", "note": ""}
# one sample request per route: (method, route path) -> (url, form data, the answer of a role that may: a status,
# or every role's answer for PUBLIC routes and those that differ from POLICY); urls: {a}, {b}, {me}, {thread}, {job}
D = "/districts/{district:id}"
REQUESTS = {
    ("GET", "/"): ("/", {}, dict.fromkeys(ROLES, 303)),
    ("GET", "/login"): ("/login", {}, {**dict.fromkeys(SIGNED_IN, 303), "nobody": OK}),
    ("POST", "/login"): ("/login", {"email": "x@example.org", "password": "wrong"}, dict.fromkeys(ROLES, 401)),
    ("GET", "/invite/{token}"): ("/invite/not-a-token", {}, dict.fromkeys(ROLES, 404)),
    ("POST", "/invite/{token}"): ("/invite/not-a-token", {"password": "x", "again": "x"}, dict.fromkeys(ROLES, 404)),
    ("POST", "/logout"): ("/logout", {}, dict.fromkeys(ROLES, 303)),
    ("GET", "/healthz"): ("/healthz", {}, EVERYONE),
    ("GET", "/metrics"): ("/metrics", {}, dict.fromkeys(ROLES, 403)),  # the test client is not loopback
    ("GET", D): (f"/districts/{A}", {}, OK),
    ("GET", f"{D}/plan"): (f"/districts/{A}/plan", {}, OK),
    ("POST", f"{D}/plan/save"): (f"/districts/{A}/plan/save", {"name": "p1.subject", "value": "Mathematics",
                                                                      "base": "1"}, OK),
    ("GET", f"{D}/plan/findings"): (f"/districts/{A}/plan/findings", {}, OK),
    ("GET", f"{D}/plan/here"): (f"/districts/{A}/plan/here", {}, OK),
    ("POST", f"{D}/plan/rows"): (f"/districts/{A}/plan/rows", {"table": "benchmarks", "number": "1", "action": "add"},
                                 OK),
    ("POST", f"{D}/plan/priorities"): (f"/districts/{A}/plan/priorities", {"action": "add"}, 303),
    ("POST", f"{D}/submit"): (f"/districts/{A}/submit", {}, 303),
    ("POST", f"{D}/reopen"): (f"/districts/{A}/reopen", {}, 303),
    ("GET", f"{D}/preview"): (f"/districts/{A}/preview", {}, OK),
    ("GET", f"{D}/compare"): (f"/districts/{A}/compare", {}, OK),
    ("GET", f"{D}/download/{{kind}}"): (f"/districts/{A}/download/docx", {}, OK),
    ("POST", f"{D}/upload"): (f"/districts/{A}/upload", {}, 303),
    ("POST", f"{D}/import"): (f"/districts/{A}/import", {}, 303),
    ("POST", f"{D}/roll-forward"): (f"/districts/{A}/roll-forward", {}, 303),
    ("GET", f"{D}/versions"): (f"/districts/{A}/versions", {}, OK),
    ("POST", f"{D}/versions/{{number:id}}/restore"): (f"/districts/{A}/versions/1/restore", {}, 303),
    ("POST", f"{D}/replace/{{token:str}}"): (f"/districts/{A}/replace/no-such-token", {}, 303),
    ("POST", f"{D}/replace/{{token:str}}/cancel"): (f"/districts/{A}/replace/no-such-token/cancel", {}, 303),
    ("POST", f"{D}/versions/{{number:id}}/undo"): (f"/districts/{A}/versions/1/undo", {}, 303),
    ("GET", f"{D}/review"): (f"/districts/{A}/review", {}, OK),
    ("POST", f"{D}/review/save"): (f"/districts/{A}/review/save", {"name": "review.summary", "value": "Clear."}, OK),
    ("GET", f"{D}/review/letter"): (f"/districts/{A}/review/letter", {}, OK),
    ("GET", f"{D}/review/letter.{{kind:str}}"): (f"/districts/{A}/review/letter.docx", {}, OK),
    ("POST", f"{D}/review/sent"): (f"/districts/{A}/review/sent", {}, 303),
    ("GET", f"{D}/review/workbook"): (f"/districts/{A}/review/workbook", {}, OK),
    ("POST", f"{D}/review/upload"): (f"/districts/{A}/review/upload", {}, 303),
    ("POST", f"{D}/comments"): (f"/districts/{A}/comments", {"section": "p1-priority", "body": "Who?"}, OK),
    ("POST", f"{D}/comments/{{thread:id}}/reply"): (f"/districts/{A}/comments/{{thread}}/reply", {"body": "Done."},
                                                    OK),
    ("POST", f"{D}/comments/{{thread:id}}/resolve"): (f"/districts/{A}/comments/{{thread}}/resolve",
                                                      {"resolved": "1"}, OK),
    ("GET", "/region"): ("/region", {}, OK),
    ("GET", "/region/export.xlsx"): ("/region/export.xlsx", {}, OK),
    ("POST", "/region/download-all"): ("/region/download-all", {}, 303),
    ("GET", "/region/jobs/{job:id}"): ("/region/jobs/{job}", {}, {**JOB, "nobody": 303}),
    ("GET", "/region/jobs/{job:id}/download"): ("/region/jobs/{job}/download", {}, {**JOB, "nobody": 303}),
    ("POST", f"{D}/template"): (f"/districts/{A}/template", {}, 303),
    ("GET", f"{D}/template.docx"): (f"/districts/{A}/template.docx", {}, OK),
    ("POST", f"{D}/template/remove"): (f"/districts/{A}/template/remove", {}, 303),
    ("POST", "/regions/{region}/letter-template"): ("/regions/Southeast/letter-template", {}, 303),
    ("GET", "/regions/{region}/letter-template.docx"): ("/regions/Southeast/letter-template.docx", {}, OK),
    ("POST", "/regions/{region}/letter-template/remove"): ("/regions/Southeast/letter-template/remove", {}, 303),
    ("GET", "/admin"): ("/admin", {}, OK),
    ("POST", "/admin/users"): ("/admin/users", {"email": "new@example.org", "role": "admin"}, OK),
    ("POST", "/admin/users/{user:id}/{action}"): ("/admin/users/{me}/invite", {}, OK),
    ("GET", "/admin/districts"): ("/admin/districts", {}, OK),
    ("POST", "/admin/districts/import"): ("/admin/districts/import", {}, 303),
    ("POST", "/admin/districts/{district:id}/region"): (f"/admin/districts/{B}/region", {"region": "Coastal"}, 303),
    ("GET", "/admin/settings"): ("/admin/settings", {}, OK),
    ("POST", "/admin/settings"): ("/admin/settings", {"smtp_host": "", "smtp_from": ""}, 303),
    ("GET", "/admin/audit"): ("/admin/audit", {}, OK),
    ("GET", f"{D}/progress"): (f"/districts/{A}/progress", {}, OK),
    ("GET", f"{D}/progress/{{priority:id}}"): (f"/districts/{A}/progress/1", {}, OK),
    ("POST", f"{D}/progress/checkins"): (f"/districts/{A}/progress/checkins", CHECKIN, 303),
    ("POST", f"{D}/progress/checkins/{{checkin:id}}"): (f"/districts/{A}/progress/checkins/{{checkin}}", CHECKIN,
                                                        303),
    ("POST", f"{D}/progress/checkins/{{checkin:id}}/delete"): (f"/districts/{A}/progress/checkins/{{checkin}}/delete",
                                                               {}, 303),
    ("POST", f"{D}/progress/checkins/{{checkin:id}}/notes"): (f"/districts/{A}/progress/checkins/{{checkin}}/notes",
                                                              {"body": "Seen."}, 303),
    ("GET", f"{D}/progress/report.{{kind:str}}"): (f"/districts/{A}/progress/report.docx", {}, OK),
    ("GET", "/state"): ("/state", {}, OK),
    ("GET", "/state/districts"): ("/state/districts?region=Southeast&measure=status&value=submitted", {}, OK),
    ("GET", "/state/export.xlsx"): ("/state/export.xlsx", {}, OK),
    ("GET", "/login/code"): ("/login/code", {}, dict.fromkeys(ROLES, 303)),  # no password just before: to sign-in
    ("POST", "/login/code"): ("/login/code", {"code": "000000"}, dict.fromkeys(ROLES, 303)),
    ("GET", "/login/two-factor"): ("/login/two-factor", {}, dict.fromkeys(ROLES, 303)),
    ("POST", "/login/two-factor"): ("/login/two-factor", {"code": "000000"}, dict.fromkeys(ROLES, 303)),
    ("GET", "/login/oidc"): ("/login/oidc", {}, dict.fromkeys(ROLES, 404)),  # no provider configured
    ("GET", "/login/oidc/callback"): ("/login/oidc/callback", {}, dict.fromkeys(ROLES, 404)),
    ("GET", "/account"): ("/account", {}, OK),
    ("POST", "/account/password"): ("/account/password", {"current": "wrong", "password": "x", "again": "x"}, 400),
    ("GET", "/account/two-factor"): ("/account/two-factor", {}, OK),
    ("POST", "/account/two-factor"): ("/account/two-factor", {"code": "000000"}, OK),  # no secret shown yet: one now
    ("POST", "/session/keep-alive"): ("/session/keep-alive", {}, OK),
    ("GET", "/admin/sign-in"): ("/admin/sign-in", {}, OK),
    ("POST", "/admin/sign-in"): ("/admin/sign-in", {"oidc_issuer": ""}, 303),
    ("POST", f"{D}/received"): (f"/districts/{A}/received", {"sender": "x@example.org"}, 303),  # no file: back home
    ("GET", f"{D}/received/{{received:id}}"): (f"/districts/{A}/received/{{received}}", {}, OK),
    ("POST", f"{D}/received/{{received:id}}/pieces/{{piece:id}}"): (  # an e-mailed plan: its consultant decides
        f"/districts/{A}/received/{{received}}/pieces/1", {"to": ""}, {**REVIEW, "consultant_a": 303, "nobody": 401}),
    ("GET", f"{D}/received/{{received:id}}/file"): (f"/districts/{A}/received/{{received}}/file", {}, OK),
}
# requests that are not a route's sample: another district, one that does not exist, a static file
MORE = [
    ("GET", f"/districts/{B}", {**dict.fromkeys(SIGNED_IN, 404), "nobody": 303, "district_b": OK,
                                "consultant_b": OK, "admin": 403, "state": 403}),
    ("GET", f"/districts/{B}/progress", {**dict.fromkeys(SIGNED_IN, 404), "nobody": 303, "district_b": OK,
                                         "consultant_b": OK, "admin": OK, "state": OK}),
    ("GET", "/districts/999", {**dict.fromkeys(SIGNED_IN, 404), "nobody": 303}),
    ("GET", "/static/docgen.css", EVERYONE),
]


def fill(path: str, app) -> str:
    from docgen.web.storage import accounts

    districts = app.state.districts
    me = accounts.user_by_email(app.state.site.db, "admin@ssos.example.org").id
    return path.format(a=districts["a"].id, b=districts["b"].id, me=me, thread=app.state.thread, job=app.state.job,
                       checkin=app.state.checkin, received=app.state.received)


def submitted_with_a_comment_and_a_job(app) -> None:
    """District A's plan submitted, a consultant's comment on it, and a finished Download-all of its region."""
    from docgen.web.storage import accounts, plans

    db = app.state.site.db
    with_a_comment_and_a_job(app)
    plans.submit(db, plans.plan_row(db, app.state.districts["a"].id, "fy26"),
                 accounts.user_by_email(db, "a@cranberry.example.org").id)


def with_a_comment_and_a_job(app) -> None:
    """District A's draft with a consultant's comment on it, a finished Download-all of its region, a check-in,
    the district's plan template and the region's letter template in use, and a plan file it received with one
    piece to confirm."""
    from docgen.model.plan import CheckIn
    from docgen.web.storage import accounts, checkins, jobs, plans, received, reviews, templates

    db = app.state.site.db
    row = plans.plan_row(db, app.state.districts["a"].id, "fy26")
    consultant = accounts.user_by_email(db, "se@ssos.example.org")
    app.state.thread = reviews.add_comment(db, row.id, 1, "p1-priority", consultant.id, "Name the students.")
    app.state.job = jobs.add_job(db, "download-all", "Southeast", consultant.id, 1)
    app.state.checkin = checkins.add(db, app.state.districts["a"].id, "fy26", CheckIn(1, 1, "2025-10-01", "35%",
                                                                                     "Not yet"), consultant.id)
    (app.state.site.data / "exports").mkdir()
    (app.state.site.data / "exports" / "southeast.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    jobs.finish_job(db, app.state.job, "done", "southeast.zip", "1 plan built")
    data = app.state.site.data
    (data / "uploads" / "received").mkdir(parents=True)
    (data / "uploads" / "received" / "plan.docx").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    piece = {"kind": "unsure", "source": "plan.docx, paragraph 3", "destination": "Priority 1: 'Subject'",
             "text": "Mathematics", "note": "check this", "field": "p1.subject", "decided": ""}
    app.state.received = received.add(db, row.id, 1, "e-mail", "plan.docx", "uploads/received/plan.docx", "", "",
                                      "0" * 64, {"placed": 1, "unsure": 1, "unplaced": 0}, [piece], consultant.id)
    for kind, owner in (("plan", str(app.state.districts["a"].id)), ("letter", "Southeast")):
        path = api.new_template(data / "uploads" / "templates" / f"{kind}.docx", for_letter=kind == "letter")
        templates.set_template(db, kind, owner, str(path.relative_to(data)), path.name, consultant.id)


def routes(app):
    """Yield (method, route) for every route of the app (static files aside)."""
    for route in app.routes:
        if not isinstance(route, Mount):
            for method in sorted(route.methods - {"HEAD"}):
                yield method, route


def expected(route, method: str, outcome, role: str) -> int:
    """Return what ``role`` should get from a route: its sample's own table, or POLICY for its declared permission."""
    if isinstance(outcome, dict):
        return outcome[role]
    if role == "nobody":
        return 303 if method == "GET" else 401
    policy = POLICY[route.endpoint.action][role]
    return outcome if policy == OK else policy


class Snapshot:
    """The database and a client's cookies as they are now, to put back before a request."""

    def __init__(self, app, client, path):
        self.db, self.client, self.path = app.state.site.db, client, path
        app.state.site.db.backup(self.path)
        self.cookies = list(client.cookies.jar)

    def restore(self) -> None:
        with sqlite3.connect(self.path) as source:
            source.backup(self.db.connection())
        self.client.cookies.clear()
        for cookie in self.cookies:
            self.client.cookies.jar.set_cookie(copy.copy(cookie))


@sqlite_only  # its snapshots copy the SQLite file back before each request
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_what(app, client_for, role, tmp_path):
    from docgen.web.storage import accounts, plans

    client = client_for(role)
    with_a_comment_and_a_job(app)
    draft = Snapshot(app, client, tmp_path / "draft.sqlite3")
    db = app.state.site.db
    plans.submit(db, plans.plan_row(db, app.state.districts["a"].id, "fy26"),
                 accounts.user_by_email(db, "a@cranberry.example.org").id)
    submitted = Snapshot(app, client, tmp_path / "submitted.sqlite3")
    rows = [(draft if getattr(route.endpoint, "action", "") == "edit-plan" else submitted, method, url, data,
             expected(route, method, outcome, role))
            for method, route in routes(app) for url, data, outcome in [REQUESTS[(method, route.path)]]]
    wrong = []
    for start, method, path, data, wanted in rows + [(submitted, m, p, {}, e[role]) for m, p, e in MORE]:
        start.restore()
        url = fill(path, app)
        answer = client.get(url, follow_redirects=False) if method == "GET" else client.post(url, data=data)
        if answer.status_code != wanted:
            wrong.append(f"{method} {url}: {answer.status_code}, expected {wanted}")
    assert not wrong, "\n".join(wrong)


def test_every_route_declares_its_permission(app):
    declarable = (*ACTIONS, PUBLIC)
    undeclared = [f"{m} {r.path}" for m, r in routes(app) if getattr(r.endpoint, "action", None) not in declarable]
    assert not undeclared, f"routes with no declared permission (@page(action)): {undeclared}"
    unsampled = [f"{m} {r.path}" for m, r in routes(app) if (m, r.path) not in REQUESTS]
    assert not unsampled, f"routes with no sample request in REQUESTS: {unsampled}"


def test_a_route_without_a_declared_permission_fails_the_check(app):
    from starlette.routing import Route

    async def forgotten(request):
        return None

    app.routes.append(Route("/forgotten", forgotten, methods=["GET"]))
    with pytest.raises(AssertionError, match="GET /forgotten"):
        test_every_route_declares_its_permission(app)


BAD_IDS = ("0", "-1", str(2**63), str(10**30))
QUERY_INTS = ("version", "from", "to", "before", "district")


@sqlite_only
@pytest.mark.parametrize("role", ["admin", "district_a", "consultant_a"])
def test_every_route_answers_an_out_of_range_id_with_404_or_400_never_500(app, client_for, role, tmp_path):
    """Each {name:id} of every route, and each whole-number query, with 0, -1, 2**63 and 10**30."""
    submitted_with_a_comment_and_a_job(app)
    client = client_for(role)
    snapshot = Snapshot(app, client, tmp_path / "submitted.sqlite3")
    wrong = []
    for method, route in routes(app):
        url = fill(REQUESTS[(method, route.path)][0], app)
        for bad in BAD_IDS:
            for name in re.findall(r"\{(\w+):id\}", route.path):
                snapshot.restore()
                bad_url = _with_id(route.path, url, name, bad)
                answer = client.get(bad_url) if method == "GET" else client.post(bad_url, data={})
                if answer.status_code != 404:
                    wrong.append(f"{method} {bad_url}: {answer.status_code}")
            if method == "GET":
                snapshot.restore()
                answer = client.get(url, params=dict.fromkeys(QUERY_INTS, bad), follow_redirects=False)
                if answer.status_code >= 500:
                    wrong.append(f"GET {url}?...={bad}: {answer.status_code}")
    assert not wrong, "\n".join(wrong)


def _with_id(pattern: str, url: str, name: str, bad: str) -> str:
    """Return ``url`` (the route's sample) with the path segment of parameter ``name`` replaced by ``bad``."""
    index = pattern.split("/").index(next(p for p in pattern.split("/") if p.startswith(f"{{{name}:")))
    parts = url.split("/")
    parts[index] = bad
    return "/".join(parts)


@pytest.mark.parametrize(("role", "url"), [
    ("admin", "/admin/audit?before=BAD"), ("admin", "/admin/audit?district=BAD"),
    ("district_a", "/districts/{a}/preview?version=BAD"), ("district_a", "/districts/{a}/compare?from=BAD"),
    ("district_a", "/districts/{a}/download/docx?version=BAD")])
def test_an_out_of_range_number_in_a_query_is_a_400(app, client_for, role, url):
    with_a_comment_and_a_job(app)
    client = client_for(role)
    for bad in BAD_IDS + ("1e3", "٣"):
        answer = client.get(fill(url, app).replace("BAD", bad))
        assert answer.status_code == 400, (bad, answer.status_code)
        assert "is not a number this page accepts" in answer.text


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


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_one_permission_question_reads_an_earlier_year_as_read_only(app, role):
    """`allowed` answers for earlier years too: whoever may change this year's plan, record or note progress or
    comment may only read an earlier year's; what they may read stays the same."""
    from docgen.web.permissions import YEAR_WRITES, allowed
    from docgen.web.storage import accounts

    db = app.state.site.db
    user = accounts.user_by_email(db, EMAILS[role])
    district = next(d for d in accounts.districts(db) if d.region == "Southeast")
    for action in sorted(ACTIONS):
        earlier = allowed(user, action, district, this_year=False)
        if action in YEAR_WRITES:
            assert not earlier, (role, action)
        else:
            assert earlier == allowed(user, action, district), (role, action)
