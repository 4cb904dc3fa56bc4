"""Two people save the same answer, in a real browser: the second sees both texts and chooses, nothing is lost."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from docgen import api
from docgen.read import plan_edits
from docgen.web.auth import hash_password
from docgen.web.services.workflow import current_variant, summarize
from docgen.web.storage import accounts, plans
from docgen.web.storage.db import open_database

from .conftest import free_port, kill, seed_plan, start
from .test_axe import AXE, RUN_AXE, TAGS

PASSWORD = "harbor view plans 2025"


@pytest.fixture
def server(tmp_path):
    """A running server with one district, two of its users, and the sample plan."""
    db = open_database(tmp_path / "data")
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    seed_plan(db, district.id, api.example_plan())
    user = accounts.add_user(db, "maria@harborview.example.org", "district", district.id)
    accounts.set_password_hash(db, user.id, hash_password(PASSWORD))
    other = accounts.add_user(db, "jo@harborview.example.org", "district", district.id)
    port = free_port()
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "district": district, "db": db, "other": other}
    kill(process)


def theirs_saved(server, text: str) -> None:
    """Jo saves the statement (as the server would), after Maria opened the page."""
    db, variant = server["db"], current_variant()
    row = plans.plan_row(db, server["district"].id, variant.id)
    plans.change(db, row, lambda plan: plan_edits.apply(plan, variant, "p1.statement", text), summarize, "form",
                 server["other"].id)


def open_the_form(server, page) -> None:
    """Maria signs in and opens the plan's form."""
    page.goto(f"{server['url']}/login")
    page.get_by_label("Email").fill("maria@harborview.example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/districts/{server['district'].id}")
    page.goto(f"{server['url']}/districts/{server['district'].id}/plan")


def saved_statement(server) -> str:
    row = plans.plan_row(server["db"], server["district"].id, current_variant().id)
    return plans.load_version(server["db"], row).priorities[0].answer("statement")


@pytest.mark.parametrize("choice, kept", [("Keep theirs", "Jo's statement"), ("Keep mine", "Maria's statement")])
def test_a_save_over_anothers_answer_shows_both_and_the_choice_is_kept(server, chromium, choice, kept):
    page = chromium
    if AXE.exists():
        page.context.add_init_script(path=str(AXE))  # the page's CSP allows no script added later
    open_the_form(server, page)
    theirs_saved(server, "Jo's statement")
    statement = page.get_by_label("Instructional priority", exact=True)
    statement.fill("Maria's statement")
    panel = page.get_by_role("alert").filter(has_text="jo@harborview.example.org saved this answer")
    expect(panel).to_be_visible()
    expect(panel).to_be_focused()
    expect(panel).to_contain_text("Maria's statement")
    expect(panel).to_contain_text("Jo's statement")
    expect(page.locator("#save-state")).to_contain_text("Not saved")
    if choice == "Keep theirs" and AXE.exists():  # the page with the panel passes axe's WCAG 2.1 AA rules
        assert page.evaluate(RUN_AXE, TAGS) == []
    for _ in range(("Keep mine", "Keep theirs").index(choice) + 1):
        page.keyboard.press("Tab")  # the choices follow the panel in the keyboard's order
    expect(page.get_by_role("button", name=choice)).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_have_count(0)
    expect(statement).to_have_value(kept)
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    page.reload()
    expect(page.get_by_label("Instructional priority", exact=True)).to_have_value(kept)


def test_edit_both_opens_both_texts_to_merge_and_saves_only_what_is_kept(server, chromium):
    page = chromium
    open_the_form(server, page)
    theirs_saved(server, "Jo's statement")
    statement = page.get_by_label("Instructional priority", exact=True)
    statement.fill("Maria's statement")
    panel = page.get_by_role("alert").filter(has_text="jo@harborview.example.org saved this answer")
    expect(panel).to_be_focused()
    for _ in range(3):
        page.keyboard.press("Tab")  # Keep mine, Keep theirs, Edit both
    expect(page.get_by_role("button", name="Edit both")).to_be_focused()
    page.keyboard.press("Enter")
    merge = page.get_by_label("Both texts, theirs first: keep what you want, then save")
    expect(merge).to_be_focused()
    expect(merge).to_have_value("Jo's statement\n\nMaria's statement")
    assert saved_statement(server) == "Jo's statement"  # nothing is saved while the person merges
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Back to the choices")).to_be_focused()
    page.keyboard.press("Enter")  # back: both texts and the three choices again, nothing saved
    expect(page.get_by_role("button", name="Edit both")).to_be_visible()
    page.get_by_role("button", name="Edit both").press("Enter")
    merge.press("Control+a")
    page.keyboard.type("Jo's and Maria's statement, merged")
    assert saved_statement(server) == "Jo's statement"
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save this text")).to_be_focused()
    page.keyboard.press("Enter")
    expect(panel).to_have_count(0)
    expect(statement).to_have_value("Jo's and Maria's statement, merged")
    expect(statement).to_be_focused()
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    assert saved_statement(server) == "Jo's and Maria's statement, merged"
