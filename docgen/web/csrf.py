"""CSRF: every POST carries the token of its own browser session, in the x-csrftoken header or a csrftoken field.

The token is a random value kept in the server-side session (sessions.py)
and written into every page; a POST is refused unless it sends exactly that
value: 403 "This form has expired" when someone is signed in (or the form is
the sign-in or invitation form), and "You were signed out" (401, pages.page)
when the route needs an account and the request has none, since then the
session the page's token belonged to has ended. So a token from
another person's session is refused, a POST with no session cookie (the
sign-in and invitation forms included) is refused, and nothing in the request
(an ``Authorization: Bearer`` header, a content type) skips the check: docgen
has no token API. The check runs once the page wrapper has parsed the form,
so urlencoded forms and uploads (multipart) are checked the same way.

asgi-csrf did this before, but it skips its check for a request with no
cookies (unless the exact path is listed) and for any Bearer header, its
token is not tied to a session, and its multipart parser no longer works with
python-multipart 0.0.26 (simonw/asgi-csrf#38); none of that is configurable.
"""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import HTMLResponse

SESSION_KEY = "csrf"
HEADER, FIELD = "x-csrftoken", "csrftoken"
EXPIRED = ("<!doctype html><html lang=\"en\"><title>Form expired</title><h1>This form has expired</h1>"
           "<p>Go back, reload the page, "
           "and send it again. (Forms carry a token that proves they came from this site.)</p>")


def token(request: Request) -> str:
    """Return this browser session's token (made the first time a page needs it)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, str) or not value:
        value = request.session[SESSION_KEY] = secrets.token_urlsafe(32)
    return value


def token_ok(request: Request, form) -> bool:
    """Return True when the request sends its own session's token (header, or the form's field)."""
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER) or (form.get(FIELD, "") if form is not None else "")
    return isinstance(expected, str) and bool(expected) and isinstance(sent, str) and secrets.compare_digest(
        sent.encode(), expected.encode())


def restart_session(request: Request) -> None:
    """Empty the session at sign-in, keeping its token (the page that signed in still holds it)."""
    kept = request.session.get(SESSION_KEY)
    request.session.clear()
    if kept:
        request.session[SESSION_KEY] = kept


def expired() -> HTMLResponse:
    return HTMLResponse(EXPIRED, status_code=403)
