"""The banner before a session ends, in a real browser: the page's clock is Playwright's, moved by the test."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from docgen import api
from docgen.web.auth import hash_password
from docgen.web.storage import accounts, sessions
from docgen.web.storage.db import open_database

from .conftest import free_port, kill, seed_plan, start

PASSWORD = "harbor view plans 2025"


@pytest.fixture
def server(tmp_path):
    """A running server with a ten-minute idle limit and one district user."""
    db = open_database(tmp_path / "data")
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    seed_plan(db, district.id, api.example_plan())
    user = accounts.add_user(db, "maria@harborview.example.org", "district", district.id)
    accounts.set_password_hash(db, user.id, hash_password(PASSWORD))
    port = free_port()
    process = start(tmp_path / "data", port, "--idle-minutes", "10")
    yield {"url": f"http://127.0.0.1:{port}", "district": district.id}
    kill(process)


def test_the_page_warns_before_the_idle_limit_and_stay_signed_in_keeps_the_session(server, chromium):
    page = chromium
    page.clock.install()
    page.goto(f"{server['url']}/login")
    page.get_by_label("Email").fill("maria@harborview.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/districts/{server['district']}")
    banner = page.locator(".session-warning")
    page.clock.fast_forward("04:00")
    expect(banner).to_have_count(0)
    page.clock.fast_forward("02:00")  # six minutes idle of ten: five minutes' warning
    expect(banner).to_contain_text("You will be signed out at")
    page.get_by_role("button", name="Stay signed in").click()
    expect(banner).to_have_count(0)
    page.clock.fast_forward("11:00")  # past the limit in the browser's eyes: it says so
    expect(banner).to_contain_text("You are signed out")


def _sign_in(page, server) -> None:
    page.goto(f"{server['url']}/login")
    page.get_by_label("Email").fill("maria@harborview.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/districts/{server['district']}")


def test_an_open_plan_page_whose_sessions_an_admin_ended_says_signed_out_then_saves(server, chromium, tmp_path):
    page = chromium
    _sign_in(page, server)
    page.goto(f"{server['url']}/districts/{server['district']}/plan")
    db = open_database(tmp_path / "data")
    assert sessions.end_for_user(db, accounts.user_by_email(db, "maria@harborview.example.org").id) == 1
    page.get_by_label("Instructional priority", exact=True).fill("Typed after an admin ended the session")
    state = page.locator("#save-state")
    expect(state).to_have_text("You were signed out. Sign in again in another tab; what you typed is kept in this "
                               "browser.")
    other = page.context.new_page()  # "in another tab"
    _sign_in(other, server)
    other.close()
    page.evaluate("window.dispatchEvent(new Event('online'))")  # retry now, not at the next back-off
    expect(state).to_have_text("All changes saved")


def test_the_setup_page_shows_a_qr_code_beside_the_key(server, chromium, tmp_path):
    page = chromium
    _sign_in(page, server)
    page.goto(f"{server['url']}/account/two-factor")
    qr = page.get_by_role("img", name="QR code of docgen's setup link for maria@harborview.example.org")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.complete && image.naturalWidth") > 100  # drawn: the CSP let the data: URI in
    expect(page.locator("#totp-secret")).to_be_visible()
    page.screenshot(path=tmp_path / "two-factor-setup.png", full_page=True)
