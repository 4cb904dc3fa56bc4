"""The TOTP second factor: set up from the account page, asked after the password, limited, recoverable, required."""

from __future__ import annotations

import re

import pyotp

from docgen.web.storage import accounts

from .conftest import EMAILS, PASSWORD, Client, csrf_token


def _set_up(client) -> tuple[str, list[str]]:
    """Turn the second factor on from the account page; return the secret and the recovery codes shown."""
    assert "Set up a second factor" in client.get("/account").text
    page = client.get("/account/two-factor")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert f"otpauth://totp/docgen:{EMAILS['district_a'].replace('@', '%40')}?secret={secret}" in page.text
    assert client.post("/account/two-factor", data={"code": "000000"}).status_code == 400
    shown = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert shown.status_code == 200 and "only time they are shown" in shown.text
    codes = re.findall(r"<li><code>([0-9a-f]{6}-[0-9a-f]{6})</code></li>", shown.text)
    assert len(codes) == 10
    assert "10 recovery codes left" in client.get("/account").text
    return secret, codes


def _password(app, email: str = EMAILS["district_a"]) -> Client:
    client = Client(app)
    client.token = csrf_token(client)
    client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"})
    return client


def _plan(app) -> str:
    return f"/districts/{app.state.districts['a'].id}/plan"


def test_after_setting_it_up_signing_in_asks_for_the_code(app, client_for):
    secret, _ = _set_up(client_for("district_a"))
    client = _password(app)
    assert client.get(_plan(app), follow_redirects=False).status_code == 303  # the password alone opens nothing
    assert "Type the six-digit code" in client.get("/login/code").text
    answer = client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert answer.status_code == 303 and client.get(_plan(app)).status_code == 200


def test_wrong_codes_are_limited(app, client_for):
    secret, _ = _set_up(client_for("district_a"))
    client = _password(app)
    for _ in range(5):
        answer = client.post("/login/code", data={"code": "123456"})
        assert answer.status_code == 401 and "does not match" in answer.text
    answer = client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert answer.status_code == 401 and "Too many wrong codes" in answer.text
    assert client.get(_plan(app), follow_redirects=False).status_code == 303


def test_a_recovery_code_works_once(app, client_for):
    _, codes = _set_up(client_for("district_a"))
    client = _password(app)
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 303
    assert client.get(_plan(app)).status_code == 200
    again = _password(app)
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 401
    assert "9 recovery codes left" in client.get("/account").text


def test_an_admin_can_require_it_of_consultants_and_admins(app, client_for):
    admin = client_for("admin")
    assert admin.post("/admin/sign-in", data={"totp_required": "1"}).status_code == 303
    assert 'name="totp_required" value="1" checked' in admin.get("/admin/sign-in").text
    consultant = _password(app, EMAILS["consultant_a"])
    assert consultant.get("/region", follow_redirects=False).status_code == 303  # nothing opens before set-up
    page = consultant.get("/login/two-factor")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    shown = consultant.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert "only time they are shown" in shown.text
    assert consultant.get("/region").status_code == 200
    assert "An administrator requires" not in consultant.get("/account").text
    consultant.post("/account/two-factor", data={"action": "off"})
    assert "Turn it off" not in consultant.get("/account").text and "On:" in consultant.get("/account").text
    district = _password(app, EMAILS["district_b"])  # district users are not required to
    assert district.get(f"/districts/{app.state.districts['b'].id}").status_code == 200


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client_for):
    other = client_for("district_a")
    client = client_for("district_a")
    wrong = client.post("/account/password", data={"current": "wrong", "password": "a new long password",
                                                    "again": "a new long password"})
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    answer = client.post("/account/password", data={"current": PASSWORD, "password": "a new long password",
                                                     "again": "a new long password"})
    assert answer.status_code == 303
    assert client.get(_plan(app)).status_code == 200
    assert other.get(_plan(app), follow_redirects=False).status_code == 303
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    assert accounts.password_hash(app.state.site.db, user.id).startswith("$argon2")


def test_a_new_invitation_link_lets_in_someone_who_lost_their_phone(app, client_for):
    from docgen.web.auth import invite

    _set_up(client_for("district_a"))
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    link = invite(app.state.site.db, user, "http://testserver").link
    client = Client(app)
    client.token = csrf_token(client)
    path = "/invite/" + link.rsplit("/", 1)[1]
    answer = client.post(path, data={"password": "a new long password", "again": "a new long password"})
    assert answer.status_code == 303 and client.get(_plan(app)).status_code == 200
    assert "Set up a second factor" in client.get("/account").text
