"""CSRF for file uploads: asgi-csrf's own token, checked once Starlette has parsed the form.

asgi-csrf checks every POST: the x-csrftoken header htmx sends, or the
``csrftoken`` field of a form. For multipart forms (uploads) it reads the body
with python-multipart's FormParser, whose arguments changed in 0.0.26
(simonw/asgi-csrf#38): with a current python-multipart, which fixes
CVE-2026-40347, every upload sent by a plain HTML form would fail. So the
middleware lets multipart requests through without a header, and the page
wrapper checks the same token here, from the form Starlette parsed, with the
same signed cookie and the same itsdangerous serializer asgi-csrf uses.
"""

from __future__ import annotations

import secrets

from asgi_csrf import (
    DEFAULT_COOKIE_NAME,
    DEFAULT_FORM_INPUT,
    DEFAULT_HTTP_HEADER,
    DEFAULT_SIGNING_NAMESPACE,
)
from itsdangerous import BadSignature
from itsdangerous.url_safe import URLSafeSerializer
from starlette.requests import Request
from starlette.responses import HTMLResponse

EXPIRED = ("<!doctype html><html lang=\"en\"><title>Form expired</title><h1>This form has expired</h1>"
           "<p>Go back, reload the page, "
           "and send it again. (Forms carry a token that proves they came from this site.)</p>")


def is_multipart(scope) -> bool:
    """Return True for a multipart/form-data request (an upload), which the page wrapper checks instead."""
    headers = dict(scope.get("headers") or [])
    return headers.get(b"content-type", b"").split(b";", 1)[0].strip() == b"multipart/form-data"


def upload_token_ok(request: Request, form, secret: str) -> bool:
    """Return True when an upload carries the token of this browser's signed CSRF cookie (field or header)."""
    cookie = request.cookies.get(DEFAULT_COOKIE_NAME, "")
    sent = request.headers.get(DEFAULT_HTTP_HEADER) or (form.get(DEFAULT_FORM_INPUT, "") if form is not None else "")
    if not cookie or not isinstance(sent, str) or not secrets.compare_digest(sent, cookie):
        return False
    try:
        URLSafeSerializer(secret).loads(cookie, DEFAULT_SIGNING_NAMESPACE)
    except BadSignature:
        return False
    return True


def expired() -> HTMLResponse:
    return HTMLResponse(EXPIRED, status_code=403)
