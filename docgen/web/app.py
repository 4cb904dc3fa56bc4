"""The app factory: ``create_app(data_folder)`` gives the ASGI app that ``docgen serve`` runs under uvicorn.

Layers, outermost first: the request log (logs.py: a request id, one line per request, tracebacks), security
headers (around everything, so the 500
page and the 413 for an oversized upload carry them too), Starlette's error
page and cap on request bodies, gzip and the static files' cache headers, server-side sessions (sessions.py: the
cookie holds a random id, HttpOnly, SameSite=Lax, Secure behind HTTPS), then the
routes, grouped by who uses them; each route's page wrapper checks its CSRF
token (csrf.py) and its declared permission (pages.py).

Errors have one handler each: a DocgenError a route raises carries its HTTP
status (docgen/errors.py), and ``_refused`` answers it as JSON to htmx and
the page's scripts, and by flash-and-redirect (or an error page) to a form,
as Datasette's single ``handle_exception`` does.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote, urlparse

import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ExceptionHandler

from docgen.errors import (
    DocgenError,
    EditConflict,
    NotSubmitted,
    ServerBusy,
    StorageFull,
    TemplateProblems,
    TooManyUploads,
    WorkbookError,
)
from docgen.read.plan_edits import FieldProblem
from docgen.web import metrics, oidc
from docgen.web.caching import StaticCache
from docgen.web.form import field_id
from docgen.web.logs import RequestLog
from docgen.web.pages import SignInNeeded, Site, flash, redirect
from docgen.web.routes import (
    account,
    admin,
    comments,
    consultant,
    district,
    district_files,
    monitoring,
    progress,
    received,
    replacing,
    review,
    sign_in_settings,
    signin,
    state,
    templates,
)
from docgen.web.services import bulk
from docgen.web.services.files import MAX_UPLOAD_BYTES
from docgen.web.sessions import ServerSessions

THREADS = 8  # worker threads per server process
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def create_app(data: Path, public_url: str | None = None) -> Starlette:
    """Return the web app serving the data folder ``data`` (created if new)."""
    site = Site(data, public_url)
    https = site.public_url.startswith("https://")
    routes = [*signin.ROUTES, *district.ROUTES, *district_files.ROUTES, *review.ROUTES, *comments.ROUTES,
              *consultant.ROUTES, *admin.ROUTES, *progress.ROUTES, *state.ROUTES, *account.ROUTES, *oidc.ROUTES,
              *sign_in_settings.ROUTES, *templates.ROUTES, *monitoring.ROUTES, *received.ROUTES, *replacing.ROUTES,
              Mount("/static", StaticFiles(packages=[("docgen.web", "static")]), name="static")]
    middleware = [
        # Light pages (issue 22): gzip for pages and static files; a year's Cache-Control on hashed static URLs
        Middleware(GZipMiddleware, minimum_size=1000), Middleware(StaticCache),
        Middleware(ServerSessions, store=site.sessions, https=https),
    ]
    # Starlette's stubs type a handler as taking any Exception, though it calls each with its own class only
    handlers: dict[type[Exception] | int, ExceptionHandler] = {
        SignInNeeded: _sign_in_first, HTTPException: _error_page, DocgenError: _refused,  # type: ignore[dict-item]
        500: _server_error}
    app = App(routes=routes, middleware=middleware, max_body_size=MAX_UPLOAD_BYTES + 2**20, lifespan=_lifespan,
              exception_handlers=handlers)
    site.env.globals["oidc_offered"] = lambda: oidc.configured(site.db)
    app.state.site, app.state.https = site, https
    return app


@asynccontextmanager
async def _lifespan(app):
    """Prepare each server process before its first request, and give it a few worker threads.

    Requests queue fairly for the threads, where forty threads would fight over
    Python's one interpreter lock and keep the one holding the database's write
    lock waiting. The templates, the variant, the rules and the base documents
    are loaded now, so the first person does not wait for them.
    """
    anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
    await anyio.to_thread.run_sync(app.state.site.warm_up)
    site, stop = app.state.site, threading.Event()  # jobs another app server left stalled are finished here
    threading.Thread(target=bulk.watch, args=(site.db, site.data, stop), daemon=True, name="docgen-jobs").start()
    yield
    stop.set()
    metrics.process_ended()


class App(Starlette):
    """Starlette, with the security headers around its whole stack (its own 500 and 413 answers included), and the
    request log (logs.py) around those: every answer has its line, its X-Request-ID and its count (metrics.py)."""

    def build_middleware_stack(self):
        return RequestLog(SecurityHeaders(super().build_middleware_stack(), https=self.state.https),
                          observe=metrics.observe_request)


class SecurityHeaders:
    """Add the headers that keep pages from being framed, sniffed or scripted from elsewhere."""

    def __init__(self, app, https: bool = False):
        self.app, self.https = app, https

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(event):
            if event["type"] == "http.response.start":
                headers = list(event.get("headers") or [])
                headers += [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
                            (b"cross-origin-opener-policy", b"same-origin"),
                            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()")]
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                if self.https:
                    headers.append((b"strict-transport-security", b"max-age=31536000"))
                event = {**event, "headers": headers}
            await send(event)

        await self.app(scope, receive, with_headers)


SIGNED_OUT = "You were signed out. Sign in again in another tab; what you typed is kept in this browser."


async def _sign_in_first(request: Request, exc: SignInNeeded):
    """Answer a request that needs an account and has none (never signed in, or its session ended: signed out
    elsewhere, idle, too old, or ended by an admin): JSON saying so (401) to htmx and the page's scripts, a page
    saying so with a way to sign in and come back (401) to a form, the sign-in page (then back here) to a GET."""
    site: Site = request.app.state.site
    if request.method == "GET" and not request.headers.get("hx-request"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return redirect(f"/login?next={_quote(target)}")
    if request.method == "GET" or _wants_json(request, request.scope.get("endpoint")):
        return JSONResponse({"ok": False, "signed_out": True, "message": SIGNED_OUT}, status_code=401)
    back = _same_site_page(request) or _declared_back(request) or "/"
    return site.render(request, "error.html", status=401, title="You were signed out",
                       link=(f"/login?next={_quote(back)}", "Sign in again"),
                       message="Your session had ended, so this form was not sent. Sign in again to come back to "
                               "the page. Typed a long text in the form? Go back first and copy it.")


def _same_site_page(request: Request) -> str:
    """Return the path (and query) of the page a form was sent from, when the browser says it was this site's."""
    referer = urlparse(request.headers.get("referer", ""))
    if referer.scheme not in ("http", "https") or referer.netloc != request.url.netloc:
        return ""
    return referer.path + (f"?{referer.query}" if referer.query else "")


def _declared_back(request: Request) -> str:
    """Return the page the route declares a refused form goes back to (pages.page's ``back``), or ""."""
    back = getattr(request.scope.get("endpoint"), "back", None)
    return back.format(**request.path_params) if back else ""


async def _error_page(request: Request, exc: HTTPException):
    site: Site = request.app.state.site
    titles = {403: "Not allowed", 404: "Not found", 405: "Not allowed", 413: "File too large"}
    messages = {403: "Your account cannot open this page.",
                404: "There is no such page, or your account cannot see it.",
                413: f"Files up to {MAX_UPLOAD_BYTES // 2**20} MB can be uploaded; this one is larger."}
    return site.render(request, "error.html", status=exc.status_code, title=titles.get(exc.status_code, "Error"),
                       message=messages.get(exc.status_code, exc.detail))


async def _refused(request: Request, exc: DocgenError) -> Response:
    """Answer a DocgenError a route raised, with its status: JSON to htmx and the page's scripts; to a form, the
    message shown on the page the route declares to go ``back`` to, else an error page (never a traceback)."""
    site: Site = request.app.state.site
    message = str(exc).replace(f"{site.data}/", "")  # an upload's path, without the server's data folder
    endpoint = request.scope.get("endpoint")
    if _wants_json(request, endpoint):
        body = {"ok": False, "message": message}
        if isinstance(exc, FieldProblem):
            body.update(field=field_id(exc.name), message=exc.message)
        if isinstance(exc, EditConflict):  # the page shows both texts and lets the person choose
            body.update(field=field_id(exc.name), conflict={"name": exc.name, "mine": exc.mine, "theirs": exc.theirs,
                                                             "by": exc.by, "at": exc.at, "version": exc.version})
        return JSONResponse(body, exc.status)
    state = request.state
    if isinstance(exc, WorkbookError):  # an uploaded workbook: its problems by sheet and cell
        return site.render(request, "upload_problems.html", status=400, user=getattr(state, "user", None),
                           district=getattr(state, "district", None), file=Path(str(exc.path)).name,
                           problems=exc.problems)
    if isinstance(exc, TemplateProblems):  # a district's or region's template could not fill this document
        return site.render(request, "template_problems.html", status=exc.status, user=getattr(state, "user", None),
                           district=getattr(state, "district", None), file=Path(str(exc.path)).name,
                           problems=exc.problems, own_layout=_own_layout_url(request), uploaded=False, back=None)
    back = getattr(endpoint, "back", None)
    if back is not None and not isinstance(exc, (NotSubmitted, TooManyUploads, StorageFull, ServerBusy)):  # a page
        flash(request, message, "error")
        return redirect(back.format(**request.path_params))
    link = (exc.draft, "Read the draft") if isinstance(exc, NotSubmitted) and exc.draft else None
    return site.render(request, "error.html", status=exc.status, link=link, message=message,
                       title="Nothing to review yet" if isinstance(exc, NotSubmitted) else "This cannot be done")


def _own_layout_url(request: Request) -> str | None:
    """Return the same download in docgen's own layout (?layout=docgen), for a GET; None for a form's POST."""
    if request.method != "GET":
        return None
    return f"{request.url.path}?{request.url.include_query_params(layout='docgen').query}"


def _wants_json(request: Request, endpoint) -> bool:
    """Return True for htmx, the autosave script (Accept: JSON) and the routes declared to answer JSON."""
    return bool(request.headers.get("hx-request") or "application/json" in request.headers.get("accept", "")
                or getattr(endpoint, "answers_json", False))


async def _server_error(request: Request, exc: Exception):
    return HTMLResponse("<!doctype html><html lang=\"en\"><title>Something went wrong</title>"
                        "<h1>Something went wrong</h1>"
                        "<p>The server could not finish this request. Nothing you saved before is lost. "
                        "Go back and try again; if it keeps happening, tell whoever runs this docgen server.</p>",
                        status_code=500)


def _quote(path: str) -> str:
    return quote(path, safe="")
