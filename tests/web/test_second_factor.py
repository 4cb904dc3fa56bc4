"""The TOTP second factor: set up from the account page, asked after the password, limited, recoverable, required."""

from __future__ import annotations

import re
from html import unescape

import pyotp
import pytest
import segno

from docgen.web import totp
from docgen.web.storage import accounts

from .conftest import EMAILS, PASSWORD, Client, csrf_token
from .test_sessions import Clock

STEP = 30  # seconds: one TOTP time step


@pytest.fixture(autouse=True)
def clock(app) -> Clock:
    """The app's clock, moved by the tests (codes are made for its time; nothing sleeps). It starts where a time
    step starts, so moving it by STEP gives the next step's code."""
    app.state.site.sessions.clock = moved = Clock(1_900_000_020.0)
    return moved


def _code(secret: str, clock: Clock, steps: int = 0) -> str:
    """Return the code the app shows at the clock's time, ``steps`` time steps later (or earlier)."""
    return pyotp.TOTP(secret).at(clock.now + steps * STEP)


def _set_up(client, clock: Clock) -> tuple[str, list[str]]:
    """Turn the second factor on from the account page; return the secret and the recovery codes shown."""
    assert "Set up a second factor" in client.get("/account").text
    page = client.get("/account/two-factor")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    assert f"otpauth://totp/docgen:{EMAILS['district_a'].replace('@', '%40')}?secret={secret}" in page.text
    assert client.post("/account/two-factor", data={"code": "000000"}).status_code == 400
    shown = client.post("/account/two-factor", data={"code": _code(secret, clock)})
    assert shown.status_code == 200 and "only time they are shown" in shown.text
    clock.now += STEP  # the code just used is refused from now on: sign-in uses the next one
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


def test_after_setting_it_up_signing_in_asks_for_the_code(app, client_for, clock):
    secret, _ = _set_up(client_for("district_a"), clock)
    client = _password(app)
    assert client.get(_plan(app), follow_redirects=False).status_code == 303  # the password alone opens nothing
    assert "Type the six-digit code" in client.get("/login/code").text
    answer = client.post("/login/code", data={"code": _code(secret, clock)})
    assert answer.status_code == 303 and client.get(_plan(app)).status_code == 200


def test_wrong_codes_are_limited(app, client_for, clock):
    secret, _ = _set_up(client_for("district_a"), clock)
    client = _password(app)
    for _ in range(5):
        answer = client.post("/login/code", data={"code": "123456"})
        assert answer.status_code == 401 and "does not match" in answer.text
    answer = client.post("/login/code", data={"code": _code(secret, clock)})
    assert answer.status_code == 401 and "Too many wrong codes" in answer.text
    assert client.get(_plan(app), follow_redirects=False).status_code == 303


def test_a_recovery_code_works_once(app, client_for, clock):
    _, codes = _set_up(client_for("district_a"), clock)
    client = _password(app)
    assert client.post("/login/code", data={"code": codes[0].upper()}).status_code == 303
    assert client.get(_plan(app)).status_code == 200
    again = _password(app)
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 401
    assert "9 recovery codes left" in client.get("/account").text


def test_an_admin_can_require_it_of_consultants_and_admins(app, client_for, clock):
    admin = client_for("admin")
    assert admin.post("/admin/sign-in", data={"totp_required": "1"}).status_code == 303
    assert 'name="totp_required" value="1" checked' in admin.get("/admin/sign-in").text
    consultant = _password(app, EMAILS["consultant_a"])
    assert consultant.get("/region", follow_redirects=False).status_code == 303  # nothing opens before set-up
    page = consultant.get("/login/two-factor")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    shown = consultant.post("/login/two-factor", data={"code": _code(secret, clock)})
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


def test_a_new_invitation_link_lets_in_someone_who_lost_their_phone(app, client_for, clock):
    from docgen.web.auth import invite

    _set_up(client_for("district_a"), clock)
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    link = invite(app.state.site.db, user, "http://testserver").link
    client = Client(app)
    client.token = csrf_token(client)
    path = "/invite/" + link.rsplit("/", 1)[1]
    answer = client.post(path, data={"password": "a new long password", "again": "a new long password"})
    assert answer.status_code == 303 and client.get(_plan(app)).status_code == 200
    assert "Set up a second factor" in client.get("/account").text


def test_the_setup_page_shows_the_setup_link_as_a_qr_code_beside_the_key(app, client_for):
    page = client_for("district_a").get("/account/two-factor")
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    image = re.search(r'<img class="totp-qr" src="([^"]+)"[^>]* alt="([^"]+)"', page.text)
    expected = f"otpauth://totp/docgen:{EMAILS['district_a'].replace('@', '%40')}?secret={secret}&issuer=docgen"
    assert unescape(image.group(1)) == segno.make(expected, error="m", micro=False).svg_data_uri(scale=5, border=4)
    assert image.group(1).startswith("data:image/svg+xml")  # drawn on the server: the CSP allows img-src data:
    assert "img-src 'self' data:" in page.headers["content-security-policy"]
    assert unescape(image.group(2)) == (f"QR code of docgen's setup link for {EMAILS['district_a']}: scan it with "
                                        "your authenticator app, or type the setup key instead")
    assert "Setup key, to type instead of scanning" in page.text


def test_a_code_is_accepted_once_and_never_again(app, client_for, clock):
    secret, _ = _set_up(client_for("district_a"), clock)
    first = _password(app)
    assert first.post("/login/code", data={"code": _code(secret, clock)}).status_code == 303
    again = _password(app)  # someone who saw the code, within its 30 seconds
    for steps in (0, -1):  # the same code; the step before's (still within the clock drift allowed)
        answer = again.post("/login/code", data={"code": _code(secret, clock, steps)})
        assert answer.status_code == 401 and "That code was already used; wait for the next one." in answer.text
    assert again.get(_plan(app), follow_redirects=False).status_code == 303
    clock.now += STEP
    assert again.post("/login/code", data={"code": _code(secret, clock)}).status_code == 303
    assert again.get(_plan(app)).status_code == 200


def test_a_new_secret_is_not_confirmed_with_a_time_step_already_used(app, client_for, clock):
    first, _ = _set_up(client_for("district_a"), clock)
    signed_in = _password(app)
    assert signed_in.post("/login/code", data={"code": _code(first, clock)}).status_code == 303
    page = signed_in.get("/account/two-factor")  # new recovery codes: a new secret, confirmed by its first code
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', page.text).group(1)
    answer = signed_in.post("/account/two-factor", data={"code": _code(secret, clock)})
    assert answer.status_code == 400 and "That code was already used; wait for the next one." in answer.text
    clock.now += STEP
    assert "only time they are shown" in signed_in.post("/account/two-factor", data={"code": _code(secret, clock)}).text


def test_check_refuses_a_step_not_later_than_the_last_accepted(app):
    db = app.state.site.db
    user = accounts.user_by_email(db, EMAILS["district_a"])
    secret, at = totp.new_secret(), 1_900_000_020.0
    assert totp.turn_on(db, user, secret, pyotp.TOTP(secret).timecode(at)) is not None
    code = pyotp.TOTP(secret).at
    assert totp.check(db, user, code(at), "test", for_time=at) == totp.REUSED  # the code that confirmed it
    assert totp.check(db, user, code(at + STEP), "test", for_time=at + STEP) == totp.ACCEPTED
    assert totp.check(db, user, code(at + STEP), "test", for_time=at + STEP + 5) == totp.REUSED
    assert totp.check(db, user, code(at), "test", for_time=at + STEP) == totp.REUSED  # older, within the drift
    assert totp.check(db, user, code(at + 2 * STEP), "test", for_time=at + STEP) == totp.ACCEPTED  # a phone ahead
    assert totp.check(db, user, code(at + 2 * STEP), "test", for_time=at + 2 * STEP) == totp.REUSED
    assert totp.check(db, user, "000000", "test", for_time=at + 3 * STEP) == totp.WRONG
