"""Sessions the server can end: a copied cookie stops working after sign-out, a new password, a new invitation
link, disabling, an admin's "End sessions", and idle time; the clock is the store's, moved by the test."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from docgen.web.auth import accept_invitation, invite
from docgen.web.sessions import COOKIE
from docgen.web.storage import accounts, plans, sessions

from .conftest import EMAILS, PASSWORD, Client, csrf_token


class Clock:
    """A clock the test moves: the session store reads it instead of the real time."""

    def __init__(self, start: float = 1_900_000_000.0):
        self.now = start

    def __call__(self) -> float:
        return self.now


def _cookie(client) -> str:
    return next(c.value for c in client.cookies.jar if c.name == COOKIE)


def _replay(app, cookie: str) -> Client:
    """A new browser holding only a copy of an old session cookie."""
    thief = Client(app)
    thief.cookies.set(COOKIE, cookie)
    thief.token = csrf_token(thief)
    thief.cookies.set(COOKIE, cookie)
    return thief


def _plan_path(app) -> str:
    return f"/districts/{app.state.districts['a'].id}/plan"


def _is_signed_out(app, cookie: str) -> None:
    thief = _replay(app, cookie)
    page = thief.get(_plan_path(app), follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    save = thief.post(f"{_plan_path(app)}/save", data={"name": "p1.subject", "value": "x"},
                      headers={"hx-request": "true"})
    assert save.status_code == 401 and "signed out" in save.json()["message"]


def test_the_cookie_holds_only_a_random_id_and_signing_in_gives_a_new_one(app, client_for):
    client = client_for("nobody")
    client.cookies.set(COOKIE, "chosen-by-an-attacker")
    client.post("/login", data={"email": EMAILS["district_a"], "password": "correct horse battery staple"})
    cookie = _cookie(client)
    assert cookie != "chosen-by-an-attacker" and len(cookie) >= 40 and "user" not in cookie
    assert client.get(_plan_path(app)).status_code == 200


def test_a_cookie_replayed_after_signing_out_opens_nothing(app, client_for):
    client = client_for("district_a")
    cookie = _cookie(client)
    assert _replay(app, cookie).get(_plan_path(app)).status_code == 200  # a copy works while signed in
    client.post("/logout")
    _is_signed_out(app, cookie)


def test_a_new_password_from_an_invitation_ends_the_other_sessions(app, client_for):
    cookie = _cookie(client_for("district_a"))
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    link = invite(app.state.site.db, user, "http://testserver")
    _is_signed_out(app, cookie)  # a new link alone already ends them
    cookie = _cookie(client_for("district_a"))
    assert accept_invitation(app.state.site.db, link.link.rsplit("/", 1)[1], "a brand new password")
    _is_signed_out(app, cookie)


def test_disabling_an_account_ends_its_sessions(app, client_for):
    cookie = _cookie(client_for("district_a"))
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    admin = client_for("admin")
    assert admin.post(f"/admin/users/{user.id}/disable").status_code == 303
    _is_signed_out(app, cookie)


def test_an_admin_ends_a_users_sessions_from_the_accounts_page(app, client_for):
    cookie = _cookie(client_for("district_a"))
    user = accounts.user_by_email(app.state.site.db, EMAILS["district_a"])
    admin = client_for("admin")
    assert f'/admin/users/{user.id}/sign-out"' in admin.get("/admin").text
    answer = admin.post(f"/admin/users/{user.id}/sign-out")
    assert answer.status_code == 303
    assert "signed out everywhere (1 session ended)" in admin.get("/admin").text
    _is_signed_out(app, cookie)
    assert admin.get("/admin").status_code == 200  # the admin's own session goes on


def test_a_session_idle_past_the_limit_ends_and_keep_alive_extends_it(app, client_for):
    clock = app.state.site.sessions.clock = Clock()
    client = client_for("district_a")
    page = client.get(_plan_path(app))
    assert 'data-idle-seconds="7200"' in page.text
    clock.now += 110 * 60
    answer = client.post("/session/keep-alive")  # "Stay signed in", ten minutes before the end
    assert answer.status_code == 200 and answer.json()["idle"] == 7200
    clock.now += 110 * 60
    assert client.get(_plan_path(app)).status_code == 200  # 220 minutes in, never two idle hours
    cookie = _cookie(client)
    clock.now += 2 * 3600 + 1
    assert client.get(_plan_path(app), follow_redirects=False).status_code == 303
    assert "You were signed out after 120 minutes without activity" in client.get("/login").text
    _is_signed_out(app, cookie)


def test_every_session_ends_twelve_hours_after_signing_in(app, client_for):
    clock = app.state.site.sessions.clock = Clock()
    client = client_for("district_a")
    for _ in range(12):
        clock.now += 3600 - 1
        assert client.post("/session/keep-alive").status_code == 200
    clock.now += 60
    assert client.post("/session/keep-alive").status_code == 401


def test_the_idle_limit_is_the_servers_setting(tmp_path):
    from docgen.web.app import create_app

    app = create_app(tmp_path / "data")
    app.state.site.db.set_setting("idle_minutes", "30")
    assert create_app(tmp_path / "data").state.site.sessions.idle == 30 * 60


def _from_the_open_plan_page(app, client):
    """Send, as the plan page still open in a browser does (its cookie, its token), a form (add a second priority)
    and an autosave (JSON); return both answers."""
    plan = _plan_path(app)
    shown = plans.plan_row(app.state.site.db, app.state.districts["a"].id, "fy26").latest  # the page's version
    form = client.post(f"{plan}/priorities", data={"action": "add"}, headers={"referer": f"http://testserver{plan}"})
    save = client.post(f"{plan}/save", data={"name": "p1.subject", "value": "typed after the end", "base": str(shown)},
                       headers={"accept": "application/json"})
    return form, save


@pytest.mark.parametrize("ended_by", ["admin", "storage", "idle", "signing out in another tab"])
def test_an_open_page_whose_session_ended_hears_signed_out_not_form_expired(app, client_for, ended_by):
    clock = app.state.site.sessions.clock = Clock()
    db, client = app.state.site.db, client_for("district_a")
    user = accounts.user_by_email(db, EMAILS["district_a"])
    assert client.get(_plan_path(app)).status_code == 200
    if ended_by == "admin":
        assert client_for("admin").post(f"/admin/users/{user.id}/sign-out").status_code == 303
    elif ended_by == "storage":
        assert sessions.end_for_user(db, user.id) == 1
    elif ended_by == "idle":
        clock.now += 2 * 3600 + 1
    else:  # the same browser signs out in another tab: the session is gone, the cookie too, the page is still open
        assert client.post("/logout").status_code == 303
    form, save = _from_the_open_plan_page(app, client)
    assert form.status_code == 401 and "You were signed out" in form.text and "expired" not in form.text
    assert f'href="/login?next={quote(_plan_path(app), safe="")}">Sign in again</a>' in form.text
    assert save.status_code == 401 and save.json()["signed_out"] is True
    assert save.json()["message"].startswith("You were signed out.")
    assert plans.plan_row(db, app.state.districts["a"].id, "fy26").latest == 1  # nothing was saved
    client.token = csrf_token(client)  # the sign-in page the link opens, then back to the plan
    back = client.post("/login", data={"email": EMAILS["district_a"], "password": PASSWORD,
                                       "next": _plan_path(app)})
    assert back.status_code == 303 and back.headers["location"] == _plan_path(app)


def test_an_open_page_whose_session_an_admin_ended_saves_again_once_its_person_signs_in_again(app, client_for):
    db, client = app.state.site.db, client_for("district_a")
    page_token = client.token  # the plan page's, open in a tab
    client_for("admin").post(f"/admin/users/{accounts.user_by_email(db, EMAILS['district_a']).id}/sign-out")
    assert _from_the_open_plan_page(app, client)[1].status_code == 401
    assert csrf_token(client) == page_token  # "Sign in again in another tab": the sign-in page of this browser
    assert client.post("/login", data={"email": EMAILS["district_a"], "password": PASSWORD}).status_code == 303
    save = _from_the_open_plan_page(app, client)[1]  # the open page's next autosave retry
    assert save.status_code == 200 and save.json()["ok"] is True


def test_signing_out_from_a_page_whose_session_ended_says_signed_out(app, client_for):
    client = client_for("district_a")
    sessions.end_for_user(app.state.site.db, accounts.user_by_email(app.state.site.db, EMAILS["district_a"]).id)
    answer = client.post("/logout")  # the page's token is still this browser's: signing out just goes on
    assert answer.status_code == 303 and "You are signed out." in client.get("/login").text
    other_tab = client.post("/logout")  # a second open page: its session and cookie are gone now
    assert other_tab.status_code == 401 and "You were signed out" in other_tab.text


def test_a_wrong_token_with_a_live_session_still_says_the_form_expired(app, client_for):
    client = client_for("district_a")
    client.token = "not-this-sessions-token"
    form, save = _from_the_open_plan_page(app, client)
    for answer in (form, save):
        assert answer.status_code == 403 and "This form has expired" in answer.text
    assert client.get(_plan_path(app)).status_code == 200  # still signed in
