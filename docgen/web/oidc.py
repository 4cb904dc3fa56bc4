"""Sign-in with the organisation's account: OpenID Connect (authorization code flow, PKCE, state, nonce) via Authlib.

Configured with ``docgen serve --oidc-issuer URL --oidc-client-id ID
--oidc-client-secret-file FILE`` or on the admin's Sign-in page (both store
settings in the database). Authlib reads the provider's discovery document,
sends the person there with a state, a nonce and a PKCE challenge kept in the
server-side session, and on their return exchanges the code and verifies the ID
token: its signature against the issuer's JWKS, the issuer, the audience (our
client id), the expiry and the nonce. The verified email (``email_verified``
true) must be that of an existing, enabled docgen account, so roles stay an
admin's decision; when the admin lists allowed domains, only those may sign
in this way. Where the admin requires a second factor of the account's role,
docgen's own code is asked after the provider's sign-in too, unless the admin
sets TRUST_SETTING (the provider's second factor stands in for docgen's).
The callback touches only a session that started a sign-in here: a link to
it made by someone else changes nothing in the browser that follows it.
"""

from __future__ import annotations

from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from docgen.web import totp
from docgen.web.pages import Site
from docgen.web.permissions import PUBLIC
from docgen.web.storage import accounts
from docgen.web.storage.db import Database

SETTINGS = ("oidc_issuer", "oidc_client_id", "oidc_secret_file", "oidc_domains")
CLIENT_NAME = "organisation"
TRUST_SETTING = "oidc_trusts_second_factor"  # "1": the provider's second factor stands in for docgen's
STARTED = "oidc_started"  # in the session from /login/oidc until the callback
_clients: dict = {}  # (issuer, client id, secret) -> Authlib's client


def settings(db: Database) -> dict[str, str]:
    return {key: db.setting(key) for key in SETTINGS}


def configured(db: Database) -> bool:
    """True when the sign-in page should offer the organisation's account."""
    return bool(db.setting("oidc_issuer") and db.setting("oidc_client_id"))


def _client(db: Database):
    """Return Authlib's client for the configured provider (one per configuration, reused; Authlib and httpx are
    imported only when someone signs in this way, so the server starts as fast without)."""
    from authlib.integrations.starlette_client import OAuth

    values = settings(db)
    secret_file = values["oidc_secret_file"]
    secret = Path(secret_file).read_text().strip() if secret_file else ""
    key = (values["oidc_issuer"].rstrip("/"), values["oidc_client_id"], secret)
    if key not in _clients:
        oauth = OAuth()
        _clients[key] = oauth.register(
            CLIENT_NAME, client_id=key[1], client_secret=secret or None,
            server_metadata_url=f"{key[0]}/.well-known/openid-configuration",
            client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256"})
    return _clients[key]


def _failures() -> tuple[type[Exception], ...]:
    """What a failed exchange with the provider raises: the network, Authlib's checks, joserfc's token checks."""
    import httpx
    from authlib.integrations.starlette_client import OAuthError
    from joserfc.errors import JoseError

    return OSError, httpx.HTTPError, OAuthError, JoseError, ValueError, KeyError


def allowed_domain(db: Database, email: str) -> bool:
    """True when no domains are listed, or the email's domain is one of them."""
    domains = {d.strip().lower().lstrip("@") for d in db.setting("oidc_domains").replace(",", " ").split()}
    return not domains or email.rsplit("@", 1)[-1].lower() in domains


async def start(request: Request):
    """Send the person to their organisation's sign-in page (404 when none is configured)."""
    site: Site = request.app.state.site
    if not configured(site.db):
        raise HTTPException(404)
    try:
        client = _client(site.db)
        target = request.query_params.get("next", "/")
        request.session["oidc_next"] = target if target.startswith("/") and not target.startswith("//") else "/"
        request.session[STARTED] = True
        return await client.authorize_redirect(request, f"{site.public_url}/login/oidc/callback")
    except _failures():
        return await run_in_threadpool(_refused, site, request, "", "docgen could not reach your organisation's "
                                       "sign-in service. Try again in a minute, or sign in with your password.")


async def callback(request: Request):
    """Back from the provider: verify what it says, then sign in the docgen account with that verified email."""
    site: Site = request.app.state.site
    if not configured(site.db):
        raise HTTPException(404)
    if not request.session.pop(STARTED, False):  # a link someone else made: this browser's session stays as it is
        return await run_in_threadpool(_refused, site, request, "", "Your organisation's sign-in could not be "
                                       "verified (this browser did not start it). Start again from the sign-in "
                                       "page.", False)
    try:
        client = _client(site.db)
        token = await client.authorize_access_token(request, claims_options={
            "iss": {"essential": True, "value": site.db.setting("oidc_issuer").rstrip("/")},
            "aud": {"essential": True, "value": client.client_id}})  # Authlib's default checks aud only via azp
    except _failures() as exc:
        return await run_in_threadpool(_refused, site, request, "", "Your organisation's sign-in could not be "
                                       f"verified ({type(exc).__name__}). Start again from the sign-in page.")
    return await run_in_threadpool(_sign_in, site, request, token.get("userinfo") or {})


def _sign_in(site: Site, request: Request, claims: dict):
    from docgen.web.routes.account import password_accepted, signed_in

    email = str(claims.get("email") or "").strip()
    if not email or claims.get("email_verified") is not True:
        return _refused(site, request, email, "Your organisation did not confirm an email address for this account, "
                                              "so docgen cannot tell whose account it is.")
    user = accounts.user_by_email(site.db, email) if allowed_domain(site.db, email) else None
    if user is None or user.disabled:
        return _refused(site, request, email, f"There is no docgen account for {email} that may sign in this way. "
                                              "Ask whoever runs this docgen server to invite you with this address.")
    target = str(request.session.get("oidc_next", "/"))
    if totp.required(site.db, user) and site.db.setting(TRUST_SETTING) != "1":
        return password_accepted(site, request, user, target, "organisation's account")  # docgen's code next
    return signed_in(site, request, user, target, "organisation's account")


def _refused(site: Site, request: Request, email: str, message: str, end_session: bool = True):
    site.audit(None, "refused a sign-in with an organisation's account", detail=email)
    if end_session:
        request.session.clear()
    return site.render(request, "error.html", status=401, title="Not signed in", message=message,
                       link=("/login", "Back to sign-in"))


start.action = callback.action = PUBLIC  # type: ignore[attr-defined]  # declared like every page's (pages.page)

ROUTES = [
    Route("/login/oidc", start, methods=["GET"]),
    Route("/login/oidc/callback", callback, methods=["GET"]),
]
