"""Routes for one's own account: staying signed in, the password, the second factor (TOTP) and its sign-in step.

After the password, an account with a second factor goes to the code step
(``/login/code``); one whose role an admin requires it of, and that has none
yet, sets it up first (``/login/two-factor``). Until then the session holds
only "pending": no page opens.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from docgen.web import csrf, sessions, totp
from docgen.web.auth import SignInRefused, hash_password, password_problem, sign_in
from docgen.web.pages import Site, flash, page, redirect
from docgen.web.permissions import PUBLIC
from docgen.web.storage import accounts, second_factor
from docgen.web.storage.accounts import User

PENDING_SECONDS = 10 * 60  # between the password and the code


def password_accepted(site: Site, request: Request, user: User, target: str, detail: str):
    """Sign ``user`` in after a right password, or send them to the code (or set-up) step first."""
    csrf.restart_session(request)
    sessions.renew(request)
    on = totp.is_on(site.db, user)
    if on or totp.required(site.db, user):
        request.session.update(pending=user.id, pending_at=site.sessions.clock(), next=target)
        return redirect("/login/code" if on else "/login/two-factor")
    return signed_in(site, request, user, target, detail)


def signed_in(site: Site, request: Request, user: User, target: str, detail: str):
    """Start ``user``'s session under a new id (the page's CSRF token is kept: it is this browser's own)."""
    csrf.restart_session(request)
    request.session["user"] = user.id
    sessions.renew(request)
    accounts.record_login(site.db, user.id)  # every way in (a password, an invitation, a code, OIDC) ends here
    site.audit(user, "signed in", detail=detail)
    return redirect(target)


def _pending(site: Site, request: Request) -> User | None:
    """Return the account whose password was just given (for at most ten minutes), or None."""
    user_id, at = request.session.get("pending"), request.session.get("pending_at", 0)
    if not isinstance(user_id, int) or site.sessions.clock() - at > PENDING_SECONDS:
        return None
    found = accounts.user(site.db, user_id)
    return found if found is not None and not found.disabled else None


def _address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@page(PUBLIC)
def code_step(site: Site, request: Request, form):
    """The second step of signing in: the six-digit code from the authenticator app, or a recovery code."""
    user = _pending(site, request)
    if user is None or not totp.is_on(site.db, user):
        return redirect("/" if site.user(request) else "/login")
    if totp.too_many_failures(site.db, user):
        return _too_many_codes(site, request, user)
    if request.method == "GET":
        return site.render(request, "login_code.html", problem="")
    outcome = totp.check(site.db, user, str(form.get("code", "")), _address(request), site.sessions.clock())
    if outcome == totp.TOO_MANY:  # others sent at the same moment used up the limit
        return _too_many_codes(site, request, user)
    if outcome != totp.ACCEPTED:
        return site.render(request, "login_code.html", status=401, problem=totp.REUSED_MESSAGE
                           if outcome == totp.REUSED else "That code does not match. Type the code your app shows "
                                                          "now, or a recovery code.")
    left = second_factor.recovery_codes_left(site.db, user.id)
    response = signed_in(site, request, user, str(request.session.get("next", "/")), _address(request) + " + code")
    if left < 3:
        flash(request, f"{left} recovery code{'' if left == 1 else 's'} left: make new ones on your account page.")
    return response


_A_CODE = re.compile(r"\s*(\d{3}\s?\d{3}|[0-9a-fA-F]{6}-[0-9a-fA-F]{6})\s*")


def _proof(form) -> str:
    """Return what the person typed to turn the second factor off: the page's one field, or a client's own name
    for it (a code, the password)."""
    return next((str(form.get(key)) for key in ("proof", "code", "password", "current") if form.get(key)), "")


def _proves_it_is_them(site: Site, request: Request, user: User, proof: str) -> bool:
    """Return True when ``proof`` is the account's current code (or a recovery code) or its password: a session
    alone (a borrowed computer, a stolen cookie) must not be enough to turn the second factor off. Each try counts
    in the attempt limits, as at sign-in."""
    if not proof.strip():
        return False
    if _A_CODE.fullmatch(proof):  # six digits, or a recovery code; a password is at least ten characters
        return totp.check(site.db, user, proof, _address(request), site.sessions.clock()) == totp.ACCEPTED
    try:
        sign_in(site.db, user.email, proof, _address(request))
    except SignInRefused:
        return False
    return True


def _too_many_codes(site: Site, request: Request, user: User):
    request.session.clear()
    return site.render(request, "login.html", status=401, next="/", email=user.email,
                       problem="Too many wrong codes. Wait a quarter of an hour, then sign in again.")


def _setup(site: Site, request: Request, user: User, form, action: str):
    """Show a new secret to add to an authenticator app (a QR code, and the key typed), or, given its first code,
    turn the second factor on; a code whose time step was accepted already is refused, as at sign-in."""
    if request.method == "GET" or not request.session.get("totp_new"):
        request.session["totp_new"] = totp.new_secret()
        return _setup_page(site, request, user, action, 200, "")
    secret = request.session["totp_new"]
    step = totp.matching_step(secret, str(form.get("code", "")), site.sessions.clock())
    codes = totp.turn_on(site.db, user, secret, step) if step is not None else None
    if codes is None:
        return _setup_page(site, request, user, action, 400, totp.REUSED_MESSAGE if step is not None else
                           "That code does not match. Check the app shows docgen's new entry, then try the code it "
                           "shows now.")
    del request.session["totp_new"]
    site.audit(user, "turned on a second factor")
    return codes


def _setup_page(site: Site, request: Request, user: User, action: str, status: int, problem: str):
    """Render the setup page for the session's new secret: its QR code, the key to type, the otpauth:// link."""
    secret = request.session["totp_new"]
    uri = totp.setup_uri(secret, user.email)
    return site.render(request, "two_factor_setup.html", status=status, secret=secret, action=action,
                       problem=problem, uri=uri, qr=totp.setup_qr(uri), account=user)


@page(PUBLIC)
def enrol_at_sign_in(site: Site, request: Request, form):
    """Set up the second factor an admin requires, between the password and the first page."""
    user = _pending(site, request)
    if user is None or totp.is_on(site.db, user):
        return redirect("/" if site.user(request) else "/login")
    result = _setup(site, request, user, form, "/login/two-factor")
    if not isinstance(result, list):
        return result
    target = str(request.session.get("next", "/"))
    signed_in(site, request, user, target, _address(request) + " + new second factor")
    return site.render(request, "recovery_codes.html", user=user, codes=result, next=target)


@page("own-account")
def account_page(site: Site, request: Request, form):
    """One's own account: change the password, turn the second factor on or off."""
    user = request.state.user
    return site.render(request, "account.html", user=user, totp_on=totp.is_on(site.db, user),
                       totp_required=totp.required(site.db, user), problem="",
                       codes_left=second_factor.recovery_codes_left(site.db, user.id))


@page("own-account")
def change_password(site: Site, request: Request, form):
    """A new password, given the current one: every other session of the account ends."""
    user = request.state.user
    new, again = str(form.get("password", "")), str(form.get("again", ""))
    try:
        sign_in(site.db, user.email, str(form.get("current", "")), _address(request))
        problem = password_problem(new, again)
    except SignInRefused as exc:
        problem = "The current password is not right." if "match" in str(exc) else str(exc)
    if problem:
        return site.render(request, "account.html", status=400, user=user, totp_on=totp.is_on(site.db, user),
                           totp_required=totp.required(site.db, user), problem=problem,
                           codes_left=second_factor.recovery_codes_left(site.db, user.id))
    accounts.set_password_hash(site.db, user.id, hash_password(new))
    ended = sessions.end_others(request, site.db, user.id)
    site.audit(user, "changed their password", detail=f"{ended} other sessions ended")
    flash(request, "Your password is changed; you are signed out everywhere else.", "success")
    return redirect("/account")


@page("own-account")
def two_factor(site: Site, request: Request, form):
    """Set up the second factor from the account page (new recovery codes each time), or turn it off."""
    user = request.state.user
    if request.method == "POST" and str(form.get("action", "")) == "off":
        if totp.required(site.db, user):
            flash(request, "An administrator requires a second factor for your role.", "error")
        elif not _proves_it_is_them(site, request, user, _proof(form)):
            flash(request, "The second factor stays on: type a code from your authenticator app, or your password, "
                           "to turn it off.", "error")
        else:
            second_factor.turn_off(site.db, user.id)
            site.audit(user, "turned off their second factor")
            flash(request, "The second factor is off.", "success")
        return redirect("/account")
    result = _setup(site, request, user, form, "/account/two-factor")
    if not isinstance(result, list):
        return result
    return site.render(request, "recovery_codes.html", user=user, codes=result, next="/account")


@page("own-account", answers_json=True)
def keep_alive(site: Site, request: Request, form):
    """The page's "Stay signed in" button: count this as activity, and say how long the session has left."""
    current = sessions.current(request)
    current.touch = True
    return JSONResponse({"ok": True, **site.sessions.seconds_left(current)})


ROUTES = [
    Route("/login/code", code_step, methods=["GET", "POST"]),
    Route("/login/two-factor", enrol_at_sign_in, methods=["GET", "POST"]),
    Route("/account", account_page, methods=["GET"]),
    Route("/account/password", change_password, methods=["POST"]),
    Route("/account/two-factor", two_factor, methods=["GET", "POST"]),
    Route("/session/keep-alive", keep_alive, methods=["POST"]),
]
