"""Routes for everyone: the home page (which sends each role to its own), signing in and out, invitations."""

from __future__ import annotations

from urllib.parse import urlparse

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from docgen.web.auth import SignInRefused, accept_invitation, invited_user, password_problem, sign_in
from docgen.web.pages import SignInNeeded, Site, flash, page, redirect
from docgen.web.permissions import PUBLIC
from docgen.web.routes.account import password_accepted
from docgen.web.services import retention


@page(PUBLIC)
def home(site: Site, request: Request, form):
    """Send each person to their own start page."""
    user = site.user(request)
    if user is None:
        raise SignInNeeded()
    if user.role == "admin":
        return redirect("/admin")
    if user.role == "consultant":
        return redirect("/region")
    if user.role == "state":
        return redirect("/state")
    return redirect(f"/districts/{user.district_id}")


@page(PUBLIC)
def login(site: Site, request: Request, form):
    """Sign in with email and password (then the second factor's code, when the account has one); after too many
    failures, wait."""
    target = _safe_next((form or request.query_params).get("next", "/"))
    if request.method == "GET":
        if site.user(request) is not None:
            return redirect(target)
        return site.render(request, "login.html", next=target, email="", problem="")
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    address = request.client.host if request.client else "unknown"
    retention.disable_unused(site.db)  # an account unused too long is disabled before it can sign in
    try:
        user = sign_in(site.db, email, password, address)
    except SignInRefused as exc:
        return site.render(request, "login.html", status=401, next=target, email=email, problem=str(exc))
    return password_accepted(site, request, user, target, address)


@page(PUBLIC, signed_in_form=True)
def logout(site: Site, request: Request, form):
    """Sign out (a form, so another site cannot sign you out)."""
    user = site.user(request)
    if user is not None:
        site.audit(user, "signed out")
    request.session.clear()
    flash(request, "You are signed out.")
    return redirect("/login")


@page(PUBLIC)
def invitation(site: Site, request: Request, form):
    """Set a password from a one-time invitation link, then sign in."""
    token = request.path_params["token"]
    user = invited_user(site.db, token)
    if user is None:
        return site.render(request, "error.html", status=404, title="This link no longer works",
                           message="Invitation links work once and for seven days. Ask whoever runs this docgen "
                                   "server for a new one.")
    if request.method == "GET":
        return site.render(request, "invite.html", invited=user, problem="")
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    problem = password_problem(password, again)
    if problem or not accept_invitation(site.db, token, password):
        return site.render(request, "invite.html", status=400, invited=user,
                           problem=problem or "This link was used meanwhile; sign in instead.")
    site.audit(user, "set a password from an invitation")
    response = password_accepted(site, request, user, "/", "invitation link")  # a required second factor is next
    flash(request, "Your password is set.")
    return response


async def health(request: Request):
    """Say the server is up (for a reverse proxy or a monitor); no data, no sign-in."""
    return PlainTextResponse("ok")


health.action = PUBLIC  # type: ignore[attr-defined]  # declared like every page's (see pages.page)


def _safe_next(target: str) -> str:
    """Return a path on this site to go to after signing in (never another site)."""
    parsed = urlparse(target)
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


ROUTES = [
    Route("/", home, methods=["GET"]),
    Route("/login", login, methods=["GET", "POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/invite/{token}", invitation, methods=["GET", "POST"]),
    Route("/healthz", health, methods=["GET"]),
]
