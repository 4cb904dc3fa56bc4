"""What every route shares: the Site (database, templates, settings), rendering, and the permission check.

Routes are plain functions ``handler(site, request, form)`` wrapped by
``page``: the wrapper reads a POSTed form without blocking the server and
runs the handler in a worker thread, since SQLite and the builders block. A
handler asks ``site.require(request, action, district)`` before anything
else; it answers with the sign-in page for nobody, 404 for a district the user
may not see (so ids cannot be probed), and 403 for a page their role lacks.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from .. import __version__, text
from ..variants import templates_dir
from . import csrf
from .form import field_id, section_title
from .permissions import allowed
from .sessions import IDLE_MINUTES, SessionStore
from .storage import accounts, audit
from .storage.accounts import District, User
from .storage.db import Database
from .workflow import LOCKED, current_variant

SECRET_FILE = "secret.key"
MAX_FIELD_BYTES = 512 * 1024  # one form field: a 32,767-character answer is at most ~130 KB
MAX_UPLOAD_BYTES = 10 * 2**20  # a plan workbook or Word file; refused above, before it is parsed
ROLE_NAMES = {"admin": "Administrator", "consultant": "SSoS Leadership Consultant", "district": "District user"}


class SignInNeeded(Exception):
    """Nobody is signed in: the answer is the sign-in page, then back here."""


class Site:
    """The running app's shared state: the data folder, its database, the page templates and the public URL."""

    def __init__(self, data: Path, public_url: str | None = None):
        self.data = Path(data)
        self.db = Database(self.data)
        self.sessions = SessionStore(self.db, int(self.db.setting("idle_minutes") or IDLE_MINUTES))
        self.public_url = (public_url or self.db.setting("public_url") or "http://127.0.0.1:8000").rstrip("/")
        self.env = text.html_environment(str(templates_dir() / "web"), sandboxed=False)
        self.env.globals.update(field_id=field_id, role_names=ROLE_NAMES, version=__version__,
                                max_upload=MAX_UPLOAD_BYTES, locked_statuses=LOCKED)
        self.env.globals["session_left"] = lambda request: self.sessions.seconds_left(
            request.scope.get("docgen.session"))
        self.env.filters["section_title"] = lambda section_id: section_title(current_variant(), section_id)
        self.env.filters["when"] = when
        self.env.filters["words"] = lambda value: len(str(value).split())
        self.env.filters["epoch_ms"] = lambda stamp: int(datetime.fromisoformat(stamp).timestamp() * 1000) if stamp else 0

    def warm_up(self) -> None:
        """Load what the first requests would otherwise wait for: page templates, the variant, rules, documents,
        and the hash a sign-in with an unknown email is checked against."""
        from .. import api
        from .auth import dummy_hash

        dummy_hash()
        for template in self.env.list_templates():
            self.env.get_template(template)
        sample = api.example_plan()
        findings = api.check_plan(sample)
        api.plan_files(sample, current_variant(), api.DEFAULT_FORMATS)
        api.letter_html(sample, findings)

    def secret(self) -> str:
        """Return the key that signs sessions and CSRF tokens, created once and kept in the data folder."""
        path = self.data / SECRET_FILE
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()

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
        try:
            found = accounts.district(self.db, int(request.path_params["district"]))
        except (KeyError, ValueError):
            found = None
        if found is None or not allowed(user, "view-plan", found):
            raise HTTPException(404)  # the same answer whether it does not exist or is someone else's
        if not allowed(user, action, found):
            raise HTTPException(403)
        return user, found

    def can(self, user: User, district: District) -> dict[str, bool]:
        """Return which of a plan's actions ``user`` may take, for a page to show only those."""
        return {action: allowed(user, action, district) for action in ("edit-plan", "submit-plan", "review-plan",
                                                                        "comment")}

    def audit(self, user: User | None, action: str, district: District | None = None, detail: str = "") -> None:
        """Write one line to the audit log: who did what, to which district's plan, when."""
        audit.record(self.db, user, action, district.id if district else None, detail)

    def render(self, request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        """Return a page rendered from templates/web/<template> (every value HTML-escaped)."""
        user = context.pop("user", None) or self.user(request)
        body = self.env.get_template(template).render(
            request=request, user=user, csrftoken=request.scope["csrftoken"](), flashes=request.session.pop("flash", []),
            **context)
        return HTMLResponse(body, status_code=status)


def flash(request: Request, message: str, kind: str = "info") -> None:
    """Show ``message`` on the next page rendered for this person."""
    request.session.setdefault("flash", []).append({"kind": kind, "message": message})


def redirect(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@lru_cache(maxsize=16384)
def when(stamp: str | None) -> str:
    """Return a stored UTC time as the server's local time: "June 20, 2025, 3:04 PM"."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp).astimezone()
    hour = moment.hour % 12 or 12
    return f"{moment:%B} {moment.day}, {moment.year}, {hour}:{moment:%M} {'AM' if moment.hour < 12 else 'PM'}"


def page(handler: Callable[[Site, Request, object], Response]):
    """Return an async endpoint that reads a POSTed form, then runs ``handler`` in a worker thread."""

    async def endpoint(request: Request) -> Response:
        form = None
        if request.method == "POST":
            form = await request.form(max_files=1, max_fields=200, max_part_size=MAX_FIELD_BYTES)
            if csrf.is_multipart(request.scope) and not csrf.upload_token_ok(request, form, request.app.state.secret):
                await form.close()
                return csrf.expired()
        try:
            return await run_in_threadpool(handler, request.app.state.site, request, form)
        finally:
            if form is not None:
                await form.close()

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint
