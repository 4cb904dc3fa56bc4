"""What every route shares: the Site (database, templates, settings), rendering, and the permission check.

Routes are plain functions ``handler(site, request, form)`` wrapped by
``page(action)``, which declares the permission the route needs where the
route is written (the route x role test reads it from there). The wrapper
reads a POSTed form without blocking the server, asks the one permission
function before the handler runs (the sign-in page for nobody, 404 for a
district the user may not see, so ids cannot be probed, 403 for a page their
role lacks), and runs the handler in a worker thread, since SQLite and the
builders block. The handler finds the account and district in
``request.state.user`` and ``request.state.district``.

Every integer in a path is an ``{name:id}`` (IdConvertor) and every integer in
a query or form is read by ``int_param``: both refuse what SQLite cannot
hold, so no id reaches SQL out of range.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from docgen import __version__, text
from docgen.variants import Variant
from docgen.web import csrf
from docgen.web.caching import static_url
from docgen.web.form import field_id, section_title
from docgen.web.permissions import PLAN_ACTIONS, PUBLIC, allowed
from docgen.web.services import files, years
from docgen.web.services.files import MAX_UPLOAD_BYTES
from docgen.web.services.presence import Presence
from docgen.web.services.workflow import LOCKED, current_variant
from docgen.web.sessions import IDLE_MINUTES, SessionStore
from docgen.web.storage import accounts, audit
from docgen.web.storage import templates as word_templates
from docgen.web.storage.accounts import District, User
from docgen.web.storage.db import open_database
from docgen.write import output

MAX_FIELD_BYTES = 512 * 1024  # one form field: a 32,767-character answer is at most ~130 KB
MAX_ID = 2**63 - 1  # SQLite's largest INTEGER
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "eml": "message/rfc822",
}
ROLE_NAMES = {"admin": "Administrator", "consultant": "SSoS Leadership Consultant", "district": "District user",
              "state": "DESE SSoS leadership"}


class SignInNeeded(Exception):
    """Nobody is signed in: the answer is the sign-in page, then back here."""


class Site:
    """The running app's shared state: the data folder, its database, the page templates and the public URL."""

    def __init__(self, data: Path, public_url: str | None = None):
        self.data = Path(data)
        self.db = open_database(self.data)  # SQLite in the data folder, or DOCGEN_DATABASE_URL's PostgreSQL
        self.sessions = SessionStore(self.db, int(self.db.setting("idle_minutes") or IDLE_MINUTES))
        self.upload_quota_mb = int(self.db.setting("upload_quota_mb") or files.UPLOAD_QUOTA_MB)  # per district
        self.uploads_kept = files.UPLOADS_KEPT  # per district; older uploads are removed
        self.upload_pace = files.UploadPace(self.db)  # per account, counted in the database
        self.presence = Presence(self.db)  # who has each plan open (the plan page shows the others)
        self.public_url = (public_url or self.db.setting("public_url") or "http://127.0.0.1:8000").rstrip("/")
        self.env = text.html_environment(str(Path(__file__).resolve().parent / "pages"), sandboxed=False)
        self.env.globals.update(field_id=field_id, role_names=ROLE_NAMES, version=__version__,
                                max_upload=MAX_UPLOAD_BYTES, locked_statuses=LOCKED, static_url=static_url)
        self.env.globals["session_left"] = lambda request: self.sessions.seconds_left(
            request.scope.get("docgen.session"))
        self.env.filters["section_title"] = lambda section_id: section_title(current_variant(), section_id)
        self.env.filters["when"] = when
        self.env.filters["day"] = day
        self.env.filters["in_year"] = years.in_year
        self.env.globals["word_template"] = lambda kind, owner: word_templates.template(self.db, kind, str(owner))
        self.env.filters["words"] = lambda value: len(str(value).split())
        self.env.filters["epoch_ms"] = lambda stamp: (int(datetime.fromisoformat(stamp).timestamp() * 1000)
                                                      if stamp else 0)

    def warm_up(self) -> None:
        """Load what the first requests would otherwise wait for: page templates, the variant, rules, documents,
        and the hash a sign-in with an unknown email is checked against; the state view reads each plan once."""
        from docgen import api
        from docgen.web.auth import dummy_hash
        from docgen.web.services import statewide

        dummy_hash()
        for template in self.env.list_templates():
            self.env.get_template(template)
        sample = api.example_plan()
        findings = api.check_plan(sample)
        api.plan_files(sample, current_variant(), api.DEFAULT_FORMATS)
        api.compose_letter(sample, findings)
        statewide.view(self.db)

    def user(self, request: Request) -> User | None:
        """Return the signed-in, enabled account, or None."""
        user_id = request.session.get("user")
        found = accounts.user(self.db, user_id) if isinstance(user_id, int) else None
        return found if found is not None and not found.disabled else None

    def require(self, request: Request, action: str, district: District | None = None,
                region: str | None = None) -> User:
        """Return the signed-in user when they may do ``action``; otherwise stop the request."""
        user = self.user(request)
        if user is None:
            raise SignInNeeded()
        if not allowed(user, action, district, region):
            raise HTTPException(404 if district is not None else 403)
        return user

    def district(self, request: Request, action: str) -> tuple[User, District]:
        """Return (user, district) for the route's {district} id when the user may do ``action`` there.

        A district the user may not see answers 404 (so ids cannot be probed);
        one they may see but not change answers 403.
        """
        user = self.user(request)
        if user is None:
            raise SignInNeeded()
        found = accounts.district(self.db, request.path_params["district"])
        if found is None or not (allowed(user, "view-plan", found) or allowed(user, "view-progress", found)):
            raise HTTPException(404)  # the same answer whether it does not exist or is someone else's
        if not allowed(user, action, found):
            raise HTTPException(403)
        return user, found

    def authorize(self, request: Request, action: str) -> None:
        """Stop the request unless its user may do the route's declared ``action``; keep who and where on it."""
        user, district = self.user(request), None
        if action in PLAN_ACTIONS:
            user, district = self.district(request, action)
        elif action != PUBLIC:
            user = self.require(request, action)
        request.state.user, request.state.district = user, district

    def can(self, user: User, district: District, year: Variant | None = None) -> dict[str, bool]:
        """Return which of a plan's actions ``user`` may take in ``year`` (default: this one), for a page to show
        only those."""
        this_year = year is None or years.is_current(year)
        return {action: allowed(user, action, district, this_year=this_year)
                for action in ("edit-plan", "submit-plan", "review-plan", "comment", "receive-plan",
                                  "confirm-reading")}

    def audit(self, user: User | None, action: str, district: District | None = None, detail: str = "") -> None:
        """Write one line to the audit log: who did what, to which district's plan, when."""
        audit.record(self.db, user, action, district.id if district else None, detail)

    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        """Return a page rendered from docgen/web/pages/<template> (every value HTML-escaped)."""
        user = context.pop("user", None) or self.user(request)
        body = self.env.get_template(template).render(
            request=request, user=user, csrftoken=csrf.token(request), flashes=request.session.pop("flash", []),
            **context)
        return HTMLResponse(body, status_code=status)


def flash(request: Request, message: str, kind: str = "info") -> None:
    """Show ``message`` on the next page rendered for this person (after any not shown yet).

    The list is assigned, not appended to, so the session knows it changed and is saved.
    """
    request.session["flash"] = [*request.session.get("flash", []), {"kind": kind, "message": message}]


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


def attachment(data: bytes, name: str, kind: str) -> Response:
    """Return a download, its file name safe in the header (RFC 6266, with the UTF-8 form for any language) and
    without bidirectional controls, whatever made it."""
    name = output.without_bidi_controls(name)
    fallback = re.sub(r"[^A-Za-z0-9 ._()-]", "_", name)
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=CONTENT_TYPES[kind], headers={"content-disposition": disposition})


def int_param(value, default: int | None = None) -> int | None:
    """Return a query's or form's whole number (``default`` when it is absent or empty); 400 when it is not one
    SQLite can hold (positive, at most 2**63 - 1), so that it never reaches SQL."""
    if value is None or value == "":
        return default
    text_value = str(value)
    if not (text_value.isascii() and text_value.isdigit() and len(text_value) <= 19 and 0 < int(text_value) <= MAX_ID):
        raise HTTPException(400, f"'{text_value[:40]}' is not a number this page accepts.")
    return int(text_value)


class IdConvertor(Convertor):
    """``{name:id}`` in a route's path: a whole number from 1 to 2**63 - 1; anything else matches no route (404)."""

    regex = "|".join(["[1-9][0-9]{0,17}"] + [  # up to 18 digits, then 19-digit numbers up to MAX_ID
        str(MAX_ID)[:i] + (f"[0-{int(d) - 1}]" if i else f"[1-{int(d) - 1}]") + "[0-9]" * (18 - i)
        for i, d in enumerate(str(MAX_ID)) if int(d) > (0 if i else 1)] + [str(MAX_ID)])

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())


@lru_cache(maxsize=16384)
def when(stamp: str | None) -> str:
    """Return a stored UTC time as the server's local time: "June 20, 2025, 3:04 PM"."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp).astimezone()
    hour = moment.hour % 12 or 12
    return f"{moment:%B} {moment.day}, {moment.year}, {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def day(value: str | None) -> str:
    """Return a date as every other date reads: "2025-10-15" -> "October 15, 2025" (other text as it is)."""
    try:
        moment = datetime.strptime(value or "", "%Y-%m-%d")
    except ValueError:
        return value or ""
    return f"{moment:%B} {moment.day}, {moment.year}"


def page(action: str, back: str | None = None, answers_json: bool = False, signed_in_form: bool = False):
    """Declare a route's handler: the permission ``action`` it needs (or PUBLIC), where a refused form goes
    ``back`` to (a path with the route's parameters, like "/districts/{district}"), whether it answers JSON, and,
    for a PUBLIC route, whether its form is only on signed-in pages (signing out) and so refused as "signed out".

    Returns a decorator giving an async endpoint that reads a POSTed form,
    checks its CSRF token, asks the permission function, then runs the
    handler in a worker thread. A POST without its session's token is
    refused: as "signed out" (app.py's SignInNeeded answer) when the route
    needs an account and the request has none, since the session the page's
    token belonged to has ended; as "form expired" (403) when someone is
    signed in, or the route is public, and the token is not theirs.
    A DocgenError the handler raises is answered by app.py's one handler.
    """

    def declare(handler: Callable[[Site, Request, object], Response]):
        def allowed_then_handled(site: Site, request: Request, form) -> Response:
            site.authorize(request, action)
            return handler(site, request, form)

        async def endpoint(request: Request) -> Response:
            form = None
            if request.method == "POST":
                form = await request.form(max_files=1, max_fields=200, max_part_size=MAX_FIELD_BYTES)
                if not csrf.token_ok(request, form):
                    await form.close()
                    if (action != PUBLIC or signed_in_form) and not isinstance(request.session.get("user"), int):
                        raise SignInNeeded()  # the token's session is gone (ended, pruned): "signed out", not 403
                    return csrf.expired()
            try:
                return await run_in_threadpool(allowed_then_handled, request.app.state.site, request, form)
            finally:
                if form is not None:
                    await form.close()

        endpoint.__name__, endpoint.__doc__ = handler.__name__, handler.__doc__
        endpoint.action, endpoint.back, endpoint.answers_json = action, back, answers_json  # type: ignore[attr-defined]
        return endpoint

    return declare
