"""axe-core's WCAG 2.1 A and AA rules on every page a person can reach, in every state: none may fail.

axe-core comes from the npm registry (`.ci/run` installs it into .axe/; no CDN at run time) and is added to
every page of the browser contexts before the page's own scripts. PAGES is the list of pages and states: a new
page must be added here, and the test fails if a state in PAGES was not visited.
"""

from __future__ import annotations

import asyncio
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from docgen import api, variants
from docgen.web import app as web_app
from docgen.web import csrf
from docgen.web.auth import create_account, hash_password
from docgen.web.services import workflow
from docgen.web.storage import accounts
from docgen.web.storage.db import open_database

from ..conftest import ROOT, SAMPLE
from .conftest import free_port, kill, seed_plan, start

AXE = Path(os.environ.get("DOCGEN_AXE_JS") or ROOT / ".axe" / "node_modules" / "axe-core" / "axe.min.js")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "a long enough password"
PAGES = (
    "sign-in", "sign-in with a wrong password", "invitation", "form expired (403)", "server error (500)",
    "district home", "plan form, one priority, with findings", "plan form after adding a row", "preview",
    "versions", "compare", "upload problems", "asked before replacing the draft", "import results",
    "roll-forward results",
    "plan form, two priorities", "not allowed (403)", "not found (404)",
    "dashboard", "dashboard with filters", "review page", "review page with a comment", "letter preview",
    "nothing to review yet (409)", "job page",
    "district home with comments waiting", "plan form with comments, read only",
    "admin accounts", "admin accounts with a new invitation", "admin districts", "admin district import results",
    "admin e-mail settings", "admin audit log", "progress page", "state view",
    "an earlier year's home", "an earlier year's plan form", "dashboard, an earlier year",
    "a priority's progress page, a check-in open to change", "state view, an earlier year",
    "an imported plan's reading", "district home as a consultant", "an e-mailed plan's reading, a piece confirmed",
)
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '
                                   + v.nodes.map(n => n.target.join(' ')).join(', ')))"""


@pytest.fixture
def site(tmp_path):
    """A running server: Harbor View (draft with findings, last year's plan, two versions), Beacon Falls (submitted),
    their users, the Southeast consultant and an admin; plus an invitation link not yet used."""
    db = open_database(tmp_path / "data")
    harbor = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    beacon = accounts.add_district(db, "Beacon Falls Public Schools", "09980000", "Southeast")
    seed_plan(db, harbor.id, api.example_plan("fy25"))
    plan = api.example_plan()
    plan.review = None
    seed_plan(db, beacon.id, plan)
    seed_plan(db, harbor.id, plan)
    plan.priorities[0].benchmarks = plan.priorities[0].benchmarks[:1]  # check wants 2-4: a finding
    seed_plan(db, harbor.id, plan)
    people = {}
    for email, role, district in (("maria@harborview.example.org", "district", harbor.id),
                                  ("lee@beaconfalls.example.org", "district", beacon.id),
                                  ("sam@ssos.example.org", "consultant", None),
                                  ("ada@ssos.example.org", "admin", None),
                                  ("dee@dese.example.org", "state", None)):
        people[email] = accounts.add_user(db, email, role, district, "Southeast" if role == "consultant" else "")
        accounts.set_password_hash(db, people[email].id, hash_password(PASSWORD))
    workflow.submit(db, beacon, people["lee@beaconfalls.example.org"])
    port = free_port()
    db.set_setting("public_url", f"http://127.0.0.1:{port}")
    invitation = create_account(db, "new@harborview.example.org", "district", f"http://127.0.0.1:{port}", harbor.name)
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "invitation": invitation.link, "harbor": harbor.id, "beacon": beacon.id}
    kill(process)


def sign_in(page, url: str, email: str) -> None:
    """Sign in as one of the site's people and wait for their start page."""
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/(districts/\d+|region|admin|state)$"))


class Audit:
    """Runs axe on the page of each state and keeps what it finds, by state."""

    def __init__(self, browser, url: str):
        if not AXE.exists():
            if os.environ.get("DOCGEN_REQUIRE_BROWSER"):
                pytest.fail(f"axe-core is required here but {AXE} is missing (npm install --prefix .axe axe-core@4)")
            pytest.skip(f"axe-core is not installed ({AXE}): npm install --prefix .axe axe-core@4")
        self.browser, self.url, self.found, self.contexts = browser, url, {}, []

    def page(self, email: str | None = None):
        context = self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(path=str(AXE))
        self.contexts.append(context)
        page = context.new_page()
        if email:
            sign_in(page, self.url, email)
        return page

    def check(self, page, state: str, path: str | None = None, status: int | None = None) -> None:
        assert state in PAGES, f"add '{state}' to PAGES"
        if path is not None:
            answer = page.goto(self.url + path)
            if status is not None:
                assert answer.status == status, (state, answer.status)
        page.wait_for_load_state("networkidle")
        self.found[state] = page.evaluate(RUN_AXE, TAGS)


def test_every_page_in_every_state_passes_axe_wcag21_aa(site, chromium, browser, tmp_path):
    audit = Audit(browser, site["url"])
    signed_out(audit, site)
    district_pages(audit, site, tmp_path)
    consultant_pages(audit, site)
    admin_pages(audit)
    state = audit.page("dee@dese.example.org")
    audit.check(state, "state view", "/state", 200)
    audit.check(state, "state view, an earlier year", "/state?year=fy25", 200)
    for context in audit.contexts:
        context.close()
    assert sorted(audit.found) == sorted(PAGES), "every state in PAGES is visited"
    failing = {state: found for state, found in audit.found.items() if found}
    assert not failing, "axe finds:\n" + "\n".join(f"{state}: {line}" for state, v in failing.items() for line in v)


def signed_out(audit: Audit, site) -> None:
    page = audit.page()
    audit.check(page, "sign-in", "/login")
    page.get_by_label("Email").fill("maria@harborview.example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    audit.check(page, "sign-in with a wrong password")
    page.goto(site["invitation"])
    audit.check(page, "invitation")
    page.set_content(csrf.EXPIRED)
    audit.check(page, "form expired (403)")
    with ThreadPoolExecutor(1) as thread:  # the app's own 500 page (Playwright's loop holds this thread)
        answer = thread.submit(asyncio.run, web_app._server_error(None, RuntimeError("a bug"))).result()
    page.set_content(answer.body.decode())
    audit.check(page, "server error (500)")


def district_pages(audit: Audit, site, tmp_path) -> None:
    harbor = f"/districts/{site['harbor']}"
    page = audit.page("maria@harborview.example.org")
    audit.check(page, "district home")
    audit.check(page, "an earlier year's home", f"{harbor}?year=fy25", 200)
    audit.check(page, "an earlier year's plan form", f"{harbor}/plan?year=fy25", 200)
    audit.check(page, "plan form, one priority, with findings", f"{harbor}/plan")
    page.get_by_role("button", name="Add a row to interim benchmarks").click()
    expect(page.get_by_label("Interim benchmark, row 2")).to_be_visible()
    audit.check(page, "plan form after adding a row")
    for state, path in (("preview", "/preview"), ("versions", "/versions"), ("compare", "/compare")):
        audit.check(page, state, harbor + path, 200)
    page.goto(audit.url + harbor)
    page.get_by_label("Upload a filled intake workbook").set_input_files(workbook_with_problems(tmp_path))
    page.get_by_role("button", name="Upload workbook").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit.check(page, "upload problems")
    last_year = tmp_path / "Our 2024-25 plan.docx"
    last_year.write_bytes(next(iter(api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",))
                                    .values())))
    page.goto(audit.url + harbor)
    page.get_by_label("Import a plan from Word, PowerPoint or PDF").set_input_files(last_year)
    page.get_by_role("button", name="Import plan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our 2024-25 plan.docx is in this year's plan")
    audit.check(page, "import results")
    page.get_by_role("link", name="Confirm or move the unsure pieces").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our 2024-25 plan.docx, as read")
    audit.check(page, "an imported plan's reading")
    page.goto(audit.url + harbor)
    page.get_by_role("button", name="Roll forward last year's plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Replace the draft?")
    audit.check(page, "asked before replacing the draft")
    page.get_by_role("button", name="Replace the draft").click()
    page.wait_for_load_state()
    audit.check(page, "roll-forward results")
    page.goto(f"{audit.url}{harbor}/plan")
    page.get_by_role("button", name="Add a second priority").click()
    expect(page.get_by_role("button", name=re.compile("Remove the second priority"))).to_be_visible()
    audit.check(page, "plan form, two priorities")
    audit.check(page, "not allowed (403)", "/admin", 403)
    audit.check(page, "not found (404)", "/districts/99999", 404)


def workbook_with_problems(tmp_path) -> Path:
    wb = openpyxl.load_workbook(SAMPLE)
    wb["Schools"]["D5"] = "Focused"
    wb["Priority 1"]["D10"] = "a note"
    data = io.BytesIO()
    wb.save(data)
    path = tmp_path / "ours.xlsx"
    path.write_bytes(data.getvalue())
    return path


def consultant_pages(audit: Audit, site) -> None:
    beacon = f"/districts/{site['beacon']}"
    page = audit.page("sam@ssos.example.org")
    audit.check(page, "dashboard")
    audit.check(page, "dashboard with filters", "/region?status=submitted&errors=&changed=1&sort=name&desc=1", 200)
    audit.check(page, "dashboard, an earlier year", "/region?year=fy25", 200)
    audit.check(page, "review page", f"{beacon}/review", 200)
    section = page.locator("#review-monitoring")
    section.get_by_text("Comment on this section").click()
    section.get_by_label(re.compile("Your comment")).fill("Who owns the classroom-level benchmark?")
    section.get_by_role("button", name="Add the comment").click()
    expect(section).to_contain_text("Who owns the classroom-level benchmark?")
    audit.check(page, "review page with a comment")
    audit.check(page, "letter preview", f"{beacon}/review/letter", 200)
    audit.check(page, "nothing to review yet (409)", f"/districts/{site['harbor']}/review", 409)
    page.goto(f"{audit.url}/region")
    page.get_by_role("button", name=re.compile("Download all submitted plans")).click()
    page.wait_for_url(re.compile(r".*/region/jobs/\d+$"))
    audit.check(page, "job page")
    district = audit.page("lee@beaconfalls.example.org")
    expect(district.get_by_role("heading", name=re.compile("Waiting for you"))).to_be_visible()
    audit.check(district, "district home with comments waiting")
    audit.check(district, "plan form with comments, read only", f"{beacon}/plan", 200)
    district.goto(f"{audit.url}{beacon}/progress/1")
    form = district.locator("#benchmark-1-1 form.checkin-form")
    form.get_by_label("Date").fill("2025-10-15")
    form.get_by_label("What the data showed").fill("40%")
    form.get_by_label("Status").select_option("Not yet")  # a new check-in's status is chosen, never assumed
    form.get_by_role("button", name="Add the check-in").click()
    district.get_by_text("Change or remove this check-in").click()
    audit.check(district, "a priority's progress page, a check-in open to change")
    audit.check(page, "progress page", f"{beacon}/progress", 200)
    emailed_plan(audit, page, site)


def emailed_plan(audit: Audit, page, site) -> None:
    """The consultant adds a plan Harbor View e-mailed, and confirms a piece of its reading."""
    audit.check(page, "district home as a consultant", f"/districts/{site['harbor']}", 200)
    page.get_by_label("The plan as e-mailed (Word, PowerPoint, PDF or the intake workbook)").set_input_files({
        "name": "Harbor View plan.docx", "mimeType": "application/octet-stream",
        "buffer": next(iter(api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",)).values()))})
    page.get_by_role("button", name="Add the e-mailed plan").click()
    page.get_by_role("button", name="Confirm piece 1").click()
    expect(page.get_by_text("Piece 1: Confirmed where it is")).to_be_visible()
    audit.check(page, "an e-mailed plan's reading, a piece confirmed")


def admin_pages(audit: Audit) -> None:
    page = audit.page("ada@ssos.example.org")
    audit.check(page, "admin accounts")
    page.get_by_label("Email").fill("kim@harborview.example.org")
    page.get_by_label("District (for a district user)").fill("Harbor View Public Schools")
    page.get_by_role("button", name="Create the account and its link").click()
    expect(page.get_by_label("Invitation link")).to_be_visible()
    audit.check(page, "admin accounts with a new invitation")
    audit.check(page, "admin districts", "/admin/districts", 200)
    page.get_by_label("The list").set_input_files({"name": "coastal.csv", "mimeType": "text/csv", "buffer": (
        b"District name,DESE code,Contact email\nNorth Shore Regional,350000,lee@northshore.example.org\n"
        b"Bad Email District,1,not an address\n")})
    page.get_by_label("Region", exact=True).fill("Coastal")
    page.get_by_role("button", name=re.compile("Import")).click()
    page.wait_for_load_state()
    audit.check(page, "admin district import results")
    audit.check(page, "admin e-mail settings", "/admin/settings", 200)
    audit.check(page, "admin audit log", "/admin/audit", 200)
