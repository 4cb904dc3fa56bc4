"""The district's journey in a real browser (Playwright driving Debian's chromium), and another district kept out.

Screenshots of each step land in the pytest temporary folder, to look at.
"""

from __future__ import annotations

import re

import docx
import pytest
from playwright.sync_api import expect

from docgen import api, variants
from docgen.web.auth import create_account, hash_password
from docgen.web.storage import accounts
from docgen.web.storage.db import Database, open_database

from .conftest import free_port, kill, seed_plan, start


def harbor_view(data, benchmarks=None) -> tuple[Database, accounts.District]:
    """A data folder with Harbor View (Southeast) and the sample plan as its plan, cut to ``benchmarks`` if given."""
    db = open_database(data)
    district = accounts.add_district(db, "Harbor View Public Schools", "09970000", "Southeast")
    plan = api.example_plan()
    plan.district.name = district.name
    plan.priorities[0].benchmarks = plan.priorities[0].benchmarks[:benchmarks]
    seed_plan(db, district.id, plan)
    return db, district


@pytest.fixture
def server(tmp_path):
    """A running server whose district has the sample plan with one benchmark only (check wants 2-4)."""
    db, district = harbor_view(tmp_path / "data", benchmarks=1)
    other = accounts.add_district(db, "Beacon Falls Public Schools", "09980000", "Coastal")
    intruder = accounts.add_user(db, "b@beacon.example.org", "district", other.id)
    accounts.set_password_hash(db, intruder.id, hash_password("another long password"))
    port = free_port()
    db.set_setting("public_url", f"http://127.0.0.1:{port}")
    invitation = create_account(db, "maria@harborview.example.org", "district", f"http://127.0.0.1:{port}",
                                district.name)
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "invitation": invitation.link, "district": district.id}
    kill(process)


def test_a_district_user_fills_checks_and_downloads_the_plan(server, chromium, tmp_path):
    page = chromium
    shots = tmp_path / "screenshots"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(server["invitation"])
    page.get_by_label("New password").fill("harbor view plans 2025")
    page.get_by_label("The same password again").fill("harbor view plans 2025")
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_url(f"**/districts/{server['district']}")
    page.screenshot(path=shots / "1-home.png", full_page=True)

    page.get_by_role("link", name="Edit the plan").first.click()
    state = page.locator("#save-state")
    statement = page.get_by_label("Instructional priority", exact=True)
    statement.fill("Every student reads on grade level by grade 3:\n- daily small-group phonics\n- coaching cycles")
    expect(state).to_have_text("All changes saved")

    findings = page.locator("#findings-panel")
    benchmark_count = re.compile(r"1 interim benchmark")
    expect(findings).to_contain_text(benchmark_count)
    page.get_by_role("button", name="Add a row to interim benchmarks").click()
    new_row = page.get_by_label("Interim benchmark, row 2")
    new_row.fill("Grade 3 teams review screener data every six weeks")
    new_row.press("Tab")
    expect(state).to_have_text("All changes saved")
    expect(findings).not_to_contain_text(benchmark_count)  # the finding disappears
    page.screenshot(path=shots / "2-form.png")

    page.goto(f"{server['url']}/districts/{server['district']}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Word plan (.docx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "Harbor View Public Schools FY26 Instructional Prioritization Plan.docx"
    bullets = [p.text for p in docx.Document(str(path)).paragraphs] + [
        (p.style.name, p.text) for t in docx.Document(str(path)).tables for row in t.rows for c in row.cells
        for p in c.paragraphs]
    assert ("List Bullet", "daily small-group phonics") in bullets and ("List Bullet", "coaching cycles") in bullets
    assert any(text == "Grade 3 teams review screener data every six weeks" for _, text in
               [b for b in bullets if isinstance(b, tuple)])


def test_uploads_from_the_plain_forms_work_in_a_browser(server, chromium, tmp_path):
    """The upload forms post multipart with the token in a field, as every browser does: no script, no header."""
    page = chromium
    page.goto(server["invitation"])
    page.get_by_label("New password").fill("harbor view plans 2025")
    page.get_by_label("The same password again").fill("harbor view plans 2025")
    page.get_by_role("button", name="Set password and sign in").click()
    page.wait_for_url(f"**/districts/{server['district']}")
    last_year = tmp_path / "Our 2024-25 plan.docx"
    last_year.write_bytes(next(iter(api.plan_files(api.example_plan("fy25"), variants.load("fy25"), ("docx",))
                                    .values())))
    page.get_by_label("Import a plan from Word, PowerPoint or PDF").set_input_files(last_year)
    page.get_by_role("button", name="Import plan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our 2024-25 plan.docx is in this year's plan")
    page.screenshot(path=tmp_path / "import.png", full_page=True)

    page.goto(f"{server['url']}/districts/{server['district']}")
    workbook = tmp_path / "ours.xlsx"
    workbook.write_bytes(api.workbook_bytes(api.example_plan()))
    page.get_by_label("Upload a filled intake workbook").set_input_files(workbook)
    page.get_by_role("button", name="Upload workbook").click()
    page.get_by_role("button", name="Replace the draft").click()
    expect(page.get_by_text(re.compile(r"The draft is replaced: saved as version \d+"))).to_be_visible()


def test_another_districts_user_cannot_open_the_plan(server, chromium):
    page = chromium
    page.goto(f"{server['url']}/login")
    page.get_by_label("Email").fill("b@beacon.example.org")
    page.get_by_label("Password").fill("another long password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/districts/*")
    answer = page.goto(f"{server['url']}/districts/{server['district']}/plan")
    assert answer.status == 404
    assert "Harbor View" not in page.content()
    assert page.goto(f"{server['url']}/districts/{server['district']}/download/docx").status == 404


@pytest.fixture
def region(tmp_path):
    """A running server: district A (Southeast) with the sample plan, its user, and the Southeast consultant."""
    db, district = harbor_view(tmp_path / "data")
    for email, role, where in (("maria@harborview.example.org", "district", district.id),
                               ("sam@ssos.example.org", "consultant", None)):
        user = accounts.add_user(db, email, role, where, "Southeast" if role == "consultant" else "")
        accounts.set_password_hash(db, user.id, hash_password("a long enough password"))
    port = free_port()
    process = start(tmp_path / "data", port)
    yield {"url": f"http://127.0.0.1:{port}", "district": district.id}
    kill(process)


def sign_in_as(page, url: str, email: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_review_loop_from_submission_to_the_letter(region, chromium, browser, tmp_path):
    url, district = region["url"], region["district"]
    shots = tmp_path / "screenshots"
    school = chromium
    school.set_viewport_size({"width": 1366, "height": 900})
    sign_in_as(school, url, "maria@harborview.example.org")
    school.get_by_role("button", name="Submit to SSoS").click()
    expect(school.get_by_role("heading", name="Submitted to SSoS")).to_be_visible()

    ssos = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in_as(ssos, url, "sam@ssos.example.org")
    row = ssos.get_by_role("row", name=re.compile("Harbor View Public Schools"))
    expect(row).to_contain_text("submitted")
    ssos.screenshot(path=shots / "1-dashboard.png", full_page=True)
    row.get_by_role("link", name="Review").click()
    state = ssos.locator("#save-state")
    ssos.locator("#f-review-sections-priority-strengths").fill("The priority names its students and grades.")
    ssos.locator("#f-review-sections-monitoring-refinements").fill("Give each benchmark a classroom look-for.")
    ssos.locator("#f-review-sections-monitoring-refinements").press("Tab")
    expect(state).to_have_text("All changes saved")
    expect(ssos.locator(".letter-preview")).to_contain_text("Give each benchmark a classroom look-for.")
    section = ssos.locator("#review-monitoring")
    section.get_by_text("Comment on this section").click()
    section.get_by_label(re.compile("Your comment")).fill("Who owns the classroom-level benchmark?")
    section.get_by_role("button", name="Add the comment").click()
    expect(section).to_contain_text("Who owns the classroom-level benchmark?")
    ssos.screenshot(path=shots / "2-review.png")

    school.goto(f"{url}/districts/{district}")
    expect(school.get_by_role("heading", name=re.compile("Waiting for you"))).to_be_visible()
    school.get_by_role("link", name=re.compile(r"commented on 6. Monitoring Implementation \(Priority #1\)")).click()
    comments = school.locator("#comments-p1-monitoring")
    expect(comments).to_contain_text("Who owns the classroom-level benchmark?")
    comments.get_by_label("Reply").fill("The grade-level team leads, with the math coach.")
    comments.get_by_role("button", name="Send the reply").click()
    expect(comments).to_contain_text("The grade-level team leads, with the math coach.")

    ssos.goto(f"{url}/region")
    expect(ssos.get_by_role("heading", name=re.compile("Waiting for you"))).to_be_visible()
    ssos.goto(f"{url}/districts/{district}/review")
    expect(ssos.locator("#comments-p1-monitoring")).to_contain_text("The grade-level team leads")
    with ssos.expect_download() as download:
        ssos.get_by_role("link", name="Download the letter (.docx)").click()
    letter = tmp_path / download.value.suggested_filename
    download.value.save_as(letter)
    text = "\n".join(p.text for p in docx.Document(str(letter)).paragraphs)
    assert "The priority names its students and grades." in text
    assert "Give each benchmark a classroom look-for." in text
    assert letter.name == "Harbor View Public Schools FY26 Feedback Letter.docx"


def test_another_regions_consultant_and_a_district_user_cannot_reach_reviews(region, chromium):
    url, district = region["url"], region["district"]
    sign_in_as(chromium, url, "maria@harborview.example.org")
    assert chromium.goto(f"{url}/region").status == 403
    assert chromium.goto(f"{url}/districts/{district}/review").status == 403


def test_the_year_a_district_records_checkins_the_consultant_notes_and_the_state_counts(region, chromium, browser,
                                                                                         tmp_path):
    url, district = region["url"], region["district"]
    db = open_database(tmp_path / "data")
    leader = accounts.add_user(db, "lead@dese.example.org", "state")
    accounts.set_password_hash(db, leader.id, hash_password("a long enough password"))
    school = chromium
    school.set_viewport_size({"width": 1366, "height": 900})
    sign_in_as(school, url, "maria@harborview.example.org")
    school.get_by_role("button", name="Submit to SSoS").click()
    school.get_by_role("link", name="Progress through the year").click()
    typed = school.locator("#benchmark-1-1 form.checkin-form")
    typed.get_by_label("What the data showed").fill("half typed")
    typed.get_by_label("Status").select_option("Off track")
    school.reload()  # a closed tab, a lost connection: what was typed comes back, and the form says so
    expect(typed.get_by_label("What the data showed")).to_have_value("half typed")
    expect(typed.get_by_label("Status")).to_have_value("Off track")
    expect(typed.get_by_role("status")).to_contain_text("Filled in with what you typed here before")
    for benchmark, day, value, status in (("1-1", "2025-10-15", "40%", "Not yet"),
                                          ("1-2", "2025-11-20", "2 of 6 teams", "Off track")):
        form = school.locator(f"#benchmark-{benchmark} form.checkin-form")
        form.get_by_label("Date").fill(day)
        form.get_by_label("What the data showed").fill(value)
        form.get_by_label("Status").select_option(status)
        form.get_by_label("What we will adjust").fill("Coach the teams")
        form.get_by_role("button", name="Add the check-in").click()
        expect(school.get_by_role("status").first).to_contain_text("Saved")
    expect(school.locator("#benchmark-1-2")).to_contain_text("2 of 6 teams")
    changing = school.locator("#benchmark-1-1")
    changing.get_by_text("Change or remove this check-in").click()
    changing.locator("form.checkin-edit").get_by_label("What the data showed").fill("45%")  # saved as typed
    expect(changing.locator("form.checkin-edit").get_by_role("status")).to_contain_text("Saved")
    expect(changing.locator("[data-show=value]")).to_have_text("45%")
    school.reload()
    expect(changing.locator("[data-show=value]")).to_have_text("45%")
    school.screenshot(path=tmp_path / "progress.png", full_page=True)

    ssos = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in_as(ssos, url, "sam@ssos.example.org")
    row = ssos.get_by_role("row", name=re.compile("Harbor View Public Schools"))
    expect(row).to_contain_text("0 on track, 1 not yet, 1 off track")
    row.get_by_role("link", name=re.compile("off track")).click()
    ssos.get_by_label("Your note").first.fill("Good that you caught it early.")
    ssos.get_by_role("button", name="Add the note").first.click()
    expect(ssos.get_by_role("status").first).to_contain_text("Saved")

    school.reload()
    expect(school.locator("#benchmark-1-1")).to_contain_text("Good that you caught it early.")

    state = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in_as(state, url, "lead@dese.example.org")
    expect(state.get_by_role("heading", name=re.compile("Every region"))).to_be_visible()
    expect(state.locator("#checkin-h")).to_be_visible()
    state.screenshot(path=tmp_path / "state.png", full_page=True)
    with state.expect_download() as download:
        state.get_by_role("link", name="Export as a workbook").click()
    assert download.value.suggested_filename.endswith("state view.xlsx")
    assert state.goto(f"{url}/districts/{district}/plan").status == 403

    assert school.goto(f"{url}/state").status == 403  # a district user
    beacon = accounts.add_district(db, "Beacon Falls Public Schools", "09980000", "Coastal")
    for email, role, where, region_name in (("lee@beaconfalls.example.org", "district", beacon.id, ""),
                                            ("co@ssos.example.org", "consultant", None, "Coastal")):
        outsider = accounts.add_user(db, email, role, where, region_name)
        accounts.set_password_hash(db, outsider.id, hash_password("a long enough password"))
        other = browser.new_context().new_page()
        sign_in_as(other, url, email)
        assert other.goto(f"{url}/state").status == 403, email
        assert other.goto(f"{url}/districts/{district}/progress").status == 404, email


def tab_to(page, is_it: str, most: int = 80) -> None:
    """Press Tab until the focused element is the one ``is_it`` (a JavaScript test of ``el``) names."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({is_it}); }})()"):
            return
    raise AssertionError(f"Tab never reached {is_it}")


def test_an_earlier_year_is_reached_with_the_keyboard_from_the_home_and_the_dashboard(region, chromium, browser,
                                                                                     tmp_path):
    from docgen.web.storage import plans, reviews

    url, district = region["url"], region["district"]
    db = open_database(tmp_path / "data")  # the running server's data: Harbor View's FY25 year, finished
    row = seed_plan(db, district, api.example_plan("fy25"))
    plans.submit(db, plans.plan_row(db, district, "fy25"), None)
    reviews.mark_feedback_sent(db, row.id, 1, None)
    school = chromium
    sign_in_as(school, url, "maria@harborview.example.org")
    tab_to(school, "el.textContent.trim() === 'FY25 plan'")
    school.keyboard.press("Enter")
    expect(school.get_by_role("note")).to_contain_text("This is the FY25 plan (school year 2024-2025)")
    expect(school.get_by_role("button", name="Submit to SSoS")).to_have_count(0)
    school.screenshot(path=tmp_path / "earlier-home.png", full_page=True)
    kept = f"docgen:{district}:p1.subject"  # this year's text the server never confirmed (a dropped connection)
    school.evaluate("key => localStorage.setItem(key, JSON.stringify({value: 'Science', at: Date.now()}))", kept)
    school.goto(f"{url}/districts/{district}/plan?year=fy25")  # last year's plan, only read
    expect(school.get_by_role("note")).to_contain_text("an earlier year")
    assert school.evaluate("key => localStorage.getItem(key)", kept), "reading last year keeps this year's text"
    school.goto(f"{url}/districts/{district}/plan")
    expect(school.locator('[name="p1.subject"]')).to_have_value("Science")  # sent as soon as the page opens
    expect(school.locator("#save-state")).to_have_text("All changes saved")

    ssos = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    sign_in_as(ssos, url, "sam@ssos.example.org")
    tab_to(ssos, "el.id === 'year'")
    ssos.keyboard.press("ArrowDown")  # FY26 (this year) is first; FY25 below it
    tab_to(ssos, "el.textContent.trim() === 'Apply'")
    ssos.keyboard.press("Enter")
    expect(ssos.get_by_role("heading", level=1)).to_have_text("Southeast region: FY25 plans")
    expect(ssos.get_by_role("row", name=re.compile("Harbor View"))).to_contain_text("feedback sent")
    ssos.screenshot(path=tmp_path / "earlier-dashboard.png", full_page=True)
