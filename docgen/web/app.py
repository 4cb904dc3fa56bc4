"""The app factory: ``create_app(data_folder)`` gives the ASGI app that ``docgen serve`` runs under uvicorn.

Layers, outermost first: a cap on request bodies (Starlette's), security
headers, CSRF (asgi-csrf: a signed cookie matched by a form field or the
x-csrftoken header htmx sends; uploads are checked by csrf.py), server-side sessions (sessions.py: the
cookie holds a random id, HttpOnly, SameSite=Lax, Secure behind HTTPS), then the
routes, grouped by who uses them.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote

import anyio.to_thread
from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from . import csrf, oidc
from .pages import MAX_UPLOAD_BYTES, SignInNeeded, Site, redirect
from .reviewing import NotSubmitted
from .routes import account, admin, comments, consultant, district, review, sign_in_settings, signin
from .sessions import ServerSessions

THREADS = 8  # worker threads per server process
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")


def create_app(data: Path, public_url: str | None = None) -> Starlette:
    """Return the web app serving the data folder ``data`` (created if new)."""
    site = Site(data, public_url)
    secret = site.secret()
    https = site.public_url.startswith("https://")
    routes = [*signin.ROUTES, *district.ROUTES, *review.ROUTES, *comments.ROUTES, *consultant.ROUTES,
              *admin.ROUTES, *account.ROUTES, *oidc.ROUTES, *sign_in_settings.ROUTES,
              Mount("/static", StaticFiles(packages=[("docgen.web", "static")]), name="static")]
    middleware = [
        Middleware(SecurityHeaders, https=https),
        Middleware(asgi_csrf, signing_secret=secret, cookie_secure=https, always_protect={"/login"},
                   skip_if_scope=csrf.is_multipart, send_csrf_failed=_csrf_failed),  # uploads: see csrf.py
        Middleware(ServerSessions, store=site.sessions, https=https),
    ]
    app = Starlette(routes=routes, middleware=middleware, max_body_size=MAX_UPLOAD_BYTES + 2**20, lifespan=_lifespan,
                    exception_handlers={SignInNeeded: _sign_in_first, HTTPException: _error_page,
                                        NotSubmitted: _nothing_to_review, 500: _server_error})
    site.env.globals["oidc_offered"] = lambda: oidc.configured(site.db)
    app.state.site = site
    app.state.secret = secret
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
    yield


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


async def _sign_in_first(request: Request, exc: SignInNeeded):
    if request.headers.get("hx-request") or request.method != "GET":
        return JSONResponse({"ok": False, "message": "You are signed out. Sign in again; nothing you typed is lost "
                                                     "on this computer."}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return redirect(f"/login?next={_quote(target)}")


async def _error_page(request: Request, exc: HTTPException):
    site: Site = request.app.state.site
    titles = {403: "Not allowed", 404: "Not found", 405: "Not allowed", 413: "File too large"}
    messages = {403: "Your account cannot open this page.",
                404: "There is no such page, or your account cannot see it.",
                413: f"Files up to {MAX_UPLOAD_BYTES // 2**20} MB can be uploaded; this one is larger."}
    return site.render(request, "error.html", status=exc.status_code, title=titles.get(exc.status_code, "Error"),
                       message=messages.get(exc.status_code, exc.detail))


async def _nothing_to_review(request: Request, exc: NotSubmitted):
    """Any review page of a plan with no submitted version: say so, and offer the draft instead."""
    site: Site = request.app.state.site
    return site.render(request, "error.html", status=409, title="Nothing to review yet", message=str(exc),
                       link=(f"/districts/{request.path_params['district']}/plan", "Read the draft"))


async def _server_error(request: Request, exc: Exception):
    return HTMLResponse("<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1>"
                        "<p>The server could not finish this request. Nothing you saved before is lost. "
                        "Go back and try again; if it keeps happening, tell whoever runs this docgen server.</p>",
                        status_code=500)


async def _csrf_failed(scope, send, message_id):
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/html; charset=utf-8")]})
    await send({"type": "http.response.body", "body": csrf.EXPIRED.encode()})


def _quote(path: str) -> str:
    return quote(path, safe="")
