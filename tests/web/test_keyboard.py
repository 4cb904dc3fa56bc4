"""The district's journey with the keyboard alone, in a real browser: where focus is after each action.

Sign in from the invitation, fill an answer, add a row and fill it, add a second priority (focus in its first
field), reach a finding's field from the findings list, remove the second priority (asked first), download the
Word plan. Focus is never left on <body>, and the side panel comes before the form in Tab order.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from docgen import api
from docgen.web.auth import create_account
from docgen.web.storage import accounts
from docgen.web.storage.db import open_database

from .conftest import free_port, kill, seed_plan, start

FOCUSED = """() => { const e = document.activeElement;
  const label = e.getAttribute('aria-label') || (e.labels && e.labels.length ? e.labels[0].textContent : '')
                || e.textContent;
  return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '',
          label: label.replace(/\\s+/g, ' ').trim(), inFindings: !!e.closest('#findings-panel'),
          inSide: !!e.closest('.plan-side'), hash: e.hash || ''}; }"""


@pytest.fixture
def server(tmp_path):
    """A running server; Harbor View's plan has one interim benchmark; an invitation for its user."""
    db = open_database(tmp_path / "data")
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    plan = api.example_plan()
    plan.district.name = district.name
    plan.priorities[0].benchmarks = plan.priorities[0].benchmarks[:1]
    seed_plan(db, district.id, plan)
    port = free_port()
    db.set_setting("public_url", f"http://127.0.0.1:{port}")
    invitation = create_account(db, "maria@harborview.example.org", "district", f"http://127.0.0.1:{port}",
                                district.name)
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "invitation": invitation.link, "district": district.id}
    kill(process)


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, most: int = 400, key: str = "Tab") -> dict:
    """Press Tab (or ``key``) until the focused element is ``wanted`` (a function of focused()); fail past ``most``."""
    seen = []
    for presses in range(1, most + 1):
        page.keyboard.press(key)
        now = focused(page)
        seen.append(now["label"][:30])
        assert now["tag"] != "body", f"focus fell on <body> after {presses} Tabs: {seen}"
        if wanted(now):
            now["presses"] = presses
            return now
    raise AssertionError(f"not reached with {most} Tabs")


def labelled(text: str):
    return lambda f: f["label"] == text


def test_the_district_journey_with_the_keyboard_alone(server, chromium, tmp_path):
    page = chromium
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server["invitation"])
    assert focused(page)["label"] == "New password"  # the page's one field to fill first has focus
    page.keyboard.type("harbor view plans 2025")
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "The same password again"
    page.keyboard.type("harbor view plans 2025")
    page.keyboard.press("Tab")
    assert focused(page)["label"] == "Set password and sign in"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/districts/{server['district']}")
    page.wait_for_load_state("networkidle")

    tab_to(page, labelled("Edit the plan"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan")
    page.wait_for_load_state("networkidle")
    first = tab_to(page, lambda f: f["inSide"] or f["name"].startswith(("district.", "p1.")))
    assert first["inSide"], "the side panel (save state, sections, findings) comes before the form"

    statement = tab_to(page, labelled("Instructional priority"))
    assert statement["name"] == "p1.statement"
    page.keyboard.press("Control+A")
    page.keyboard.type("Every student reads on grade level by grade 3.")
    expect(page.locator("#save-state")).to_have_text("All changes saved", timeout=10_000)

    tab_to(page, labelled("Add a row to interim benchmarks"))
    page.keyboard.press("Enter")
    expect(page.get_by_label("Interim benchmark, row 2")).to_be_focused(timeout=10_000)
    page.keyboard.type("Grade 3 teams review screener data every six weeks")
    page.keyboard.press("Tab")
    assert focused(page)["tag"] != "body"
    expect(page.locator("#save-state")).to_have_text("All changes saved", timeout=10_000)
    expect(page.get_by_label("Interim benchmark, row 2")).to_have_value(
        "Grade 3 teams review screener data every six weeks")

    tab_to(page, labelled("Add a second priority"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan#priority-2")
    expect(page.locator("[name^='p2.']").first).to_be_focused(timeout=10_000)

    # back up to the side panel, which comes before the form: its findings list links to each field
    link = tab_to(page, lambda f: f["inFindings"] and f["tag"] == "a" and "p2" in f["hash"], key="Shift+Tab")
    page.keyboard.press("Enter")
    now = focused(page)
    assert now["tag"] in ("input", "select", "textarea") and now["name"].startswith("p2."), (link, now)
    assert link["hash"] == f"#{now['id']}" or page.locator(link["hash"]).locator(f"#{now['id']}").count()

    page.once("dialog", lambda dialog: dialog.accept())
    tab_to(page, labelled("Remove the second priority"), key="Shift+Tab")  # it sits above priority 2's fields
    page.keyboard.press("Enter")
    page.wait_for_url("**/plan#second-priority")
    expect(page.get_by_role("button", name="Add a second priority")).to_be_focused(timeout=10_000)
    expect(page.get_by_text("The second priority was removed.")).to_be_visible()

    tab_to(page, labelled("Plan home"), key="Shift+Tab")  # in the side panel, before the form
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/districts/{server['district']}")
    tab_to(page, labelled("Word plan (.docx)"))
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "Harbor View Public Schools FY26 Instructional Prioritization Plan.docx"


def test_removing_a_row_with_text_asks_first_and_focus_goes_to_its_neighbour(server, chromium):
    page = chromium
    page.goto(server["invitation"])
    page.get_by_label("New password").fill("harbor view plans 2025")
    page.get_by_label("The same password again").fill("harbor view plans 2025")
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_url(f"**/districts/{server['district']}")
    page.goto(f"{server['url']}/districts/{server['district']}/plan")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    remove = page.get_by_role("button", name="Remove row 1 of Interim benchmarks")
    remove.focus()
    page.keyboard.press("Enter")
    expect(remove).to_be_focused()
    assert questions and re.match(r"Remove row 1 of Interim benchmarks\? What it holds is deleted", questions[0])
    assert page.get_by_label("Interim benchmark, row 1").input_value()  # dismissed: the row is still there
    page.once("dialog", lambda dialog: dialog.accept())
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Add a row to interim benchmarks")).to_be_focused(timeout=10_000)
