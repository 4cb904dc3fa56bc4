"""Sign-in with the organisation's account, against a real OpenID provider on loopback (oidc-provider-mock).

The provider signs real ID tokens with its own key and serves its discovery
document and JWKS; docgen's side is the one that runs: Authlib's client, PKCE,
state, nonce and every check on the ID token.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from authlib.integrations.starlette_client import StarletteOAuth2App
from oidc_provider_mock import run_server_in_thread

from docgen.web.storage import accounts

from .conftest import EMAILS, Client, csrf_token

EMAIL = EMAILS["district_a"]


@pytest.fixture(scope="module")
def provider():
    """The provider's base URL (its issuer), running in a thread for this module's tests."""
    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def configured(app, provider, tmp_path):
    """The app set up for the provider, with district A's user known there with a verified email."""
    db = app.state.site.db
    (tmp_path / "secret").write_text("docgen's client secret\n")
    for key, value in (("oidc_issuer", provider), ("oidc_client_id", "docgen"),
                       ("oidc_secret_file", str(tmp_path / "secret"))):
        db.set_setting(key, value)
    claims(provider, EMAIL, verified=True)
    return app


def claims(provider: str, email: str, verified: bool) -> None:
    httpx.put(f"{provider}/users/{email}", json={"email": email, "email_verified": verified}).raise_for_status()


def _to_provider(app) -> tuple[Client, str]:
    """Start at docgen's sign-in page; return the browser and the provider's authorization URL it is sent to."""
    client = Client(app)
    client.token = csrf_token(client)
    assert "Sign in with your organisation's account" in client.get("/login").text
    answer = client.get("/login/oidc?next=/account", follow_redirects=False)
    assert answer.status_code == 302
    return client, answer.headers["location"]


def _back_to_docgen(authorize_url: str, sub: str = EMAIL) -> str:
    """The person signs in at the provider; return docgen's callback path and query the provider sends back to."""
    answer = httpx.post(authorize_url, data={"sub": sub})
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    assert back.path == "/login/oidc/callback"
    return f"{back.path}?{back.query}"


def test_a_good_sign_in_opens_the_account_with_that_verified_email(configured, provider):
    client, url = _to_provider(configured)
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    answer = client.get(_back_to_docgen(url), follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    assert EMAIL in client.get("/account").text
    assert client.get(f"/districts/{configured.state.districts['a'].id}/plan").status_code == 200


def test_a_replayed_state_is_refused(configured, provider):
    client, url = _to_provider(configured)
    back = _back_to_docgen(url)
    assert client.get(back, follow_redirects=False).status_code == 303
    client.post("/logout")
    again = client.get(back)
    assert again.status_code == 401 and "could not be verified" in again.text
    stranger = Client(configured)
    assert stranger.get(back).status_code == 401
    assert stranger.get("/account", follow_redirects=False).status_code == 303


def test_an_unverified_email_is_refused(configured, provider):
    claims(provider, EMAIL, verified=False)
    client, url = _to_provider(configured)
    answer = client.get(_back_to_docgen(url))
    assert answer.status_code == 401 and "did not confirm an email address" in answer.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_a_disabled_or_unknown_account_is_refused(configured, provider):
    user = accounts.user_by_email(configured.state.site.db, EMAIL)
    accounts.set_disabled(configured.state.site.db, user.id, True)
    client, url = _to_provider(configured)
    answer = client.get(_back_to_docgen(url))
    assert answer.status_code == 401 and f"There is no docgen account for {EMAIL}" in answer.text
    claims(provider, "stranger@example.org", verified=True)
    client, url = _to_provider(configured)
    assert client.get(_back_to_docgen(url, "stranger@example.org")).status_code == 401


def test_only_the_allowed_domains_sign_in_this_way(configured, provider):
    configured.state.site.db.set_setting("oidc_domains", "doe.mass.edu")
    client, url = _to_provider(configured)
    assert client.get(_back_to_docgen(url)).status_code == 401
    configured.state.site.db.set_setting("oidc_domains", "doe.mass.edu cranberry.example.org")
    client, url = _to_provider(configured)
    assert client.get(_back_to_docgen(url), follow_redirects=False).status_code == 303


def _id_token_for_another_app(provider: str, nonce: str) -> str:
    """A genuine ID token from the same provider, with the same nonce, but issued to another application."""
    answer = httpx.post(f"{provider}/oauth2/authorize", params={
        "client_id": "another-app", "redirect_uri": "http://another.example/cb", "response_type": "code",
        "scope": "openid email", "nonce": nonce, "state": "s"}, data={"sub": EMAIL})
    code = parse_qs(urlsplit(answer.headers["location"]).query)["code"][0]
    token = httpx.post(f"{provider}/oauth2/token", auth=("another-app", "its secret"), data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": "http://another.example/cb"})
    return token.json()["id_token"]


def _tampered(monkeypatch, change) -> None:
    """Make the token endpoint's answer reach docgen with its ID token changed by ``change``."""
    fetch = StarletteOAuth2App.fetch_access_token

    async def fetch_then_change(self, *args, **kwargs):
        token = await fetch(self, *args, **kwargs)
        return {**token, "id_token": change(token["id_token"])}

    monkeypatch.setattr(StarletteOAuth2App, "fetch_access_token", fetch_then_change)


def test_an_id_token_for_another_audience_is_refused(configured, provider, monkeypatch):
    client, url = _to_provider(configured)
    nonce = parse_qs(urlsplit(url).query)["nonce"][0]
    _tampered(monkeypatch, lambda _: _id_token_for_another_app(provider, nonce))
    answer = client.get(_back_to_docgen(url))
    assert answer.status_code == 401 and "could not be verified (InvalidClaimError)" in answer.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_an_id_token_with_a_bad_signature_is_refused(configured, provider, monkeypatch):
    def forge(id_token: str) -> str:
        header, claims, signature = id_token.split(".")
        middle = len(signature) // 2
        return ".".join((header, claims, signature[:middle] + ("A" if signature[middle] != "A" else "B")
                         + signature[middle + 1:]))

    _tampered(monkeypatch, forge)
    client, url = _to_provider(configured)
    answer = client.get(_back_to_docgen(url))
    assert answer.status_code == 401 and "could not be verified (BadSignatureError)" in answer.text
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_without_a_provider_the_sign_in_page_offers_only_the_password(app):
    client = Client(app)
    assert "organisation" not in client.get("/login").text
    assert client.get("/login/oidc", follow_redirects=False).status_code == 404
