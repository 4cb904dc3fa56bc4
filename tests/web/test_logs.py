"""The service's log: one JSON line per request with its id, route, status, duration and account; tracebacks in the
log, never on the page; and no secret a person sends (passwords, tokens, codes, plan text) in any line."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from docgen.web import logs

from .conftest import PASSWORD
from .test_permissions import REQUESTS, fill, routes, submitted_with_a_comment_and_a_job

SECRET = "SeCrEt-7f3a9c"  # what every field, query and header carries below; no log line may hold it


@pytest.fixture
def log(request):
    """Capture the log as `docgen serve` writes it (JSON lines); yield a function returning the lines so far."""
    root, client_log = logging.getLogger(), logging.getLogger("httpx2")  # the test client's own log: not the server's
    kept, level, client_level = list(root.handlers), root.level, client_log.level
    buffer = io.StringIO()
    logging.disable(logging.NOTSET)  # whatever a library did to logging in this process before (a test process
    for name, found in list(logging.root.manager.loggerDict.items()):  # runs many): docgen's loggers write again
        if name.startswith("docgen") and isinstance(found, logging.Logger):
            found.disabled, found.propagate = False, True
            found.setLevel(logging.NOTSET)
    logs.configure("json", stream=buffer)
    client_log.setLevel(logging.WARNING)
    yield lambda: buffer.getvalue()
    client_log.setLevel(client_level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in kept:
        root.addHandler(handler)
    root.setLevel(level)


def lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def test_each_request_has_one_line_with_its_id_route_status_duration_and_account(app, client_for, log):
    client, a = client_for("district_a"), app.state.districts["a"].id
    answer = client.get(f"/districts/{a}/plan")
    assert answer.status_code == 200
    rid = answer.headers["x-request-id"]
    [line] = [line for line in lines(log()) if line["request_id"] == rid]
    assert line["route"] == "/districts/{district:id}/plan" and line["params"] == {"district": a}
    assert line["status"] == 200 and line["method"] == "GET" and line["duration_ms"] > 0
    assert line["user_id"] == app.state.site.db.value("SELECT id FROM users WHERE email = 'a@cranberry.example.org'")
    assert line["level"] == "INFO" and line["logger"] == "docgen.requests"
    other = client.get(f"/districts/{a}/plan").headers["x-request-id"]
    assert other != rid and re.fullmatch(r"[0-9a-f]{32}", other)


def test_an_error_is_a_traceback_in_the_log_and_a_plain_page_for_the_person(app, log):
    def broken(request):
        raise RuntimeError("a bug in the code")

    app.router.routes.append(Route("/broken", broken))
    answer = TestClient(app, raise_server_exceptions=False).get("/broken")
    assert answer.status_code == 500 and "a bug" not in answer.text and "Traceback" not in answer.text
    [line] = [line for line in lines(log()) if line["request_id"] == answer.headers["x-request-id"]]
    assert line["level"] == "ERROR" and line["status"] == 500 and line["error"] == "RuntimeError"
    assert "Traceback" in line["traceback"] and "a bug in the code" in line["traceback"]


def test_text_format_for_a_terminal_carries_the_same_facts(app, client_for):
    buffer = io.StringIO()
    root = logging.getLogger()
    kept = list(root.handlers)
    try:
        logs.configure("text", stream=buffer)
        answer = client_for("nobody").get("/healthz")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in kept:
            root.addHandler(handler)
    line = next(line for line in buffer.getvalue().splitlines() if answer.headers["x-request-id"] in line)
    assert "route=/healthz" in line and "status=200" in line and line.split()[1] == "INFO"


def test_no_secret_sent_through_any_route_reaches_the_log(app, client_for, log):
    """Every route, as a district, a consultant, an admin and nobody: each form field, the query string, an
    Authorization header and a cookie carry SECRET; sign-in sends the real password. No line may hold either,
    nor a session cookie or a CSRF token. Plan text is a field like any other (the plan's autosave sends SECRET)."""
    submitted_with_a_comment_and_a_job(app)
    clients = {role: client_for(role) for role in ("district_a", "consultant_a", "admin", "nobody")}
    for client in clients.values():
        client.cookies.set("secret", SECRET)
        for method, route in routes(app):
            url, data, _ = REQUESTS[(method, route.path)]
            url = fill(url, app).replace("not-a-token", SECRET)
            fields = {**dict.fromkeys(data, SECRET), "password": SECRET, "current": SECRET, "code": SECRET}
            headers = {"authorization": f"Bearer {SECRET}", "x-api-key": SECRET}
            query = {"next": f"/{SECRET}", "token": SECRET, "code": SECRET}
            if method == "GET":
                client.get(url, params=query, headers=headers, follow_redirects=False)
            else:
                client.post(url, params=query, data=fields, headers=headers)
        client.post("/session/keep-alive")
    written = log()
    assert len(lines(written)) > 4 * len(list(routes(app)))  # every request has its line, all JSON
    assert SECRET not in written and SECRET.lower() not in written.lower()
    assert PASSWORD not in written
    for client in clients.values():
        assert client.token not in written
        for cookie in client.cookies.jar:
            assert cookie.value not in written, cookie.name
