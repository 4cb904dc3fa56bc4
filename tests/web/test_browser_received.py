"""A consultant adds a plan a district e-mailed, in a real browser, and confirms how it was read with the keyboard.

The plan is in last year's Word template, so the reader is unsure of two pieces (last year's date, a target it
read into a table row). One is moved to another answer and one confirmed where it is, each reached with Tab,
chosen with the arrow keys and sent with Enter; after each, focus is on the next piece to confirm.
Screenshots land in the pytest temporary folder, to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from docgen import api, variants
from docgen.web.auth import hash_password
from docgen.web.storage import accounts, plans
from docgen.web.storage.db import Database

from .conftest import free_port, kill, start
from .test_browser import harbor_view
from .test_keyboard import labelled, tab_to

PASSWORD = "a long enough password"


@pytest.fixture
def region(tmp_path):
    """A running server: Harbor View (Southeast) with the sample plan, and the Southeast consultant."""
    db, district = harbor_view(tmp_path / "data")
    user = accounts.add_user(db, "sam@ssos.example.org", "consultant", None, "Southeast")
    accounts.set_password_hash(db, user.id, hash_password(PASSWORD))
    port = free_port()
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "district": district.id, "data": tmp_path / "data"}
    kill(process)


def test_a_consultant_adds_an_emailed_plan_and_confirms_its_reading_with_the_keyboard(region, chromium, tmp_path):
    page = chromium
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{region['url']}/login")
    page.get_by_label("Email").fill("sam@ssos.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/region")
    page.goto(f"{region['url']}/districts/{region['district']}")
    emailed = tmp_path / "Harbor View plan.docx"
    emailed.write_bytes(next(iter(api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",))
                                  .values())))
    page.get_by_label("The plan as e-mailed (Word, PowerPoint, PDF or the intake workbook)").set_input_files(emailed)
    page.get_by_label("Sent by (e-mail address, optional)").fill("maria@harborview.example.org")
    page.get_by_label("Received on (optional)").fill("2025-06-27")
    page.get_by_role("button", name="Add the e-mailed plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Harbor View plan.docx, as read")
    expect(page.get_by_text("2 placed, for you to confirm (2 still to do)")).to_be_visible()
    page.screenshot(path=tmp_path / "1-reading.png", full_page=True)

    where = tab_to(page, labelled("Where piece 2 belongs"))
    assert where["tag"] == "select"
    page.keyboard.press("ArrowDown")  # the first answer after "where it is now"
    chosen = page.get_by_label("Where piece 2 belongs").evaluate("s => s.options[s.selectedIndex].text")
    assert chosen.startswith("Move to ")
    tab_to(page, lambda f: f["label"] == "Confirm piece 2")
    page.keyboard.press("Enter")
    place = chosen.removeprefix("Move to ")
    expect(page.get_by_text(f"Piece 2: Moved to {place}.")).to_be_visible()

    page.wait_for_load_state()
    expect(page.get_by_label("Where piece 1 belongs")).to_be_focused()  # focus goes on to the next piece to confirm
    tab_to(page, lambda f: f["label"] == "Confirm piece 1")
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"Piece 1: Confirmed where it is"))).to_be_visible()
    expect(page.get_by_text("2 placed, for you to confirm (0 still to do)")).to_be_visible()
    page.screenshot(path=tmp_path / "2-confirmed.png", full_page=True)

    db = Database(region["data"])
    row = plans.plan_row(db, region["district"], "fy26")
    assert row.status == "submitted"
    submitted = plans.load_version(db, row, plans.open_submission(db, row.id)["number"])
    answers = {**submitted.answers, **{f"p1.{k}": v for k, v in submitted.priorities[0].answers.items()}}
    assert any(text.endswith("rises from 30% to 60%.") for text in answers.values())  # piece 2, moved
