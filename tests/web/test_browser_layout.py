"""The plan form as people saw it at 1280 and 320 px, and the admin's new account, in a real browser (issue 31)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from docgen import api
from docgen.web.auth import hash_password
from docgen.web.storage import accounts
from docgen.web.storage.db import Database

from .conftest import free_port, kill, seed_plan, start

PASSWORD = "harbor view plans 2025"
SHOTS = Path(os.environ.get("DOCGEN_SCREENSHOTS", "")) if os.environ.get("DOCGEN_SCREENSHOTS") else None


@pytest.fixture
def server(tmp_path):
    db = Database(tmp_path / "data")
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    plan = api.example_plan()
    plan.review = None
    plan.district.name = district.name
    seed_plan(db, district.id, plan)
    for email, role, of in (("maria@harborview.example.org", "district", district.id),
                            ("admin@ssos.example.org", "admin", None)):
        accounts.set_password_hash(db, accounts.add_user(db, email, role, of).id, hash_password(PASSWORD))
    port = free_port()
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "district": district.id}
    kill(process)


def sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(lambda u: "/login" not in u)


def shot(page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


def test_at_1280_px_the_outcomes_table_reads_and_its_remove_buttons_are_in_view(server, chromium):
    page = chromium
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, server["url"], "maria@harborview.example.org")
    page.goto(f"{server['url']}/districts/{server['district']}/plan")
    shot(page, "plan-form-1280.png")
    table = page.locator("#f-p1-outcomes table")
    table.scroll_into_view_if_needed()
    shot(page, "plan-form-1280-outcomes.png")
    measure = table.locator("thead th", has_text="Measure")
    assert measure.bounding_box()["width"] >= 160  # "achievement" on one line
    remove = table.get_by_role("button", name="Remove row 1 of")
    box, wrap = remove.bounding_box(), page.locator("#f-p1-outcomes .table-wrap").bounding_box()
    assert box["x"] + box["width"] <= wrap["x"] + wrap["width"] + 1  # in view, not scrolled off
    page.get_by_role("button", name="Add a row to annual outcome targets").press("Enter")
    expect(page.locator("#error-count")).not_to_have_text("0 errors")  # the new row's error counted at once


def test_at_320_px_the_save_status_and_the_error_count_stay_in_view(server, chromium):
    page = chromium
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, server["url"], "maria@harborview.example.org")
    page.goto(f"{server['url']}/districts/{server['district']}/plan")
    shot(page, "plan-form-320.png")
    page.locator("#f-p1-funding").scroll_into_view_if_needed()
    page.locator("#f-p1-funding").fill("Title I and ESSER funds")
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    shot(page, "plan-form-320-scrolled.png")
    for status in ("#save-state", "#error-count"):
        box = page.locator(status).bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 640, status  # on screen


def test_after_create_the_account_focus_is_on_the_new_link_with_a_copy_button(server, chromium):
    page = chromium
    sign_in(page, server["url"], "admin@ssos.example.org")
    page.goto(f"{server['url']}/admin")
    page.get_by_label("Email").fill("jo@harborview.example.org")
    page.get_by_label("District (for a district user)").fill("Harbor View Public Schools")
    page.get_by_role("button", name="Create the account and its link").press("Enter")
    link = page.get_by_label("Invitation link")
    expect(link).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Copy the link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#invitation-link-copied")).not_to_be_empty()
