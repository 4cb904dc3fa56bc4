"""Reflow (WCAG 2.1 1.4.10): every main page, for each role, reads at 320 CSS px wide without scrolling sideways.

320 px is what 1280 px at 400% zoom gives. A wide data table may scroll inside its own `.table-wrap` box
(1.4.10 excepts data tables), but the page itself must not: for each page the test names the element that
widens it. The pages come from test_axe.py's `site` (a draft with findings and last year's plan, a submitted
plan); set DOCGEN_SCREENSHOTS to a folder to keep a full-page screenshot of each page there, to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from .test_axe import sign_in, site  # noqa: F401 (the fixture: the same pages and states as the axe test)

WIDTH = 320
# The elements that stick out past the right edge of the window and are not inside a box that scrolls or clips
# them; of those, the one whose parent does not stick out (where the overflow starts), widest first.
WIDEST = """() => {
  const edge = window.innerWidth + 1;
  const clipped = el => { for (let p = el.parentElement; p; p = p.parentElement) {
      if (p === document.body || p === document.documentElement) return false;
      if (getComputedStyle(p).overflowX !== 'visible') return true; } return false; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + [...el.classList].map(c => '.' + c).join('')
      + ' "' + (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 50) + '"';
  const wide = [...document.body.querySelectorAll('*')].filter(el => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && box.right > edge && !clipped(el); });
  const starts = wide.filter(el => !wide.includes(el.parentElement));
  starts.sort((a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right);
  return {scroll: document.documentElement.scrollWidth, window: window.innerWidth,
          widest: starts.slice(0, 3).map(el => name(el) + ' to ' + Math.round(el.getBoundingClientRect().right)
                                         + 'px')};
}"""


class Reflow:
    """Opens pages at 320 px for one person and keeps, by page, what makes the page scroll sideways."""

    def __init__(self, browser, url: str, shots: Path | None):
        self.browser, self.url, self.shots, self.wide, self.seen, self.contexts = browser, url, shots, {}, [], []

    def person(self, email: str | None):
        context = self.browser.new_context(viewport={"width": WIDTH, "height": 640})
        self.contexts.append(context)
        page = context.new_page()
        if email:
            sign_in(page, self.url, email)
        return page

    def check(self, page, name: str, path: str | None = None) -> None:
        if path is not None:
            answer = page.goto(self.url + path)
            assert answer.status == 200, (name, path, answer.status)
        page.wait_for_load_state("networkidle")
        self.seen.append(name)
        if self.shots:
            page.screenshot(path=str(self.shots / (re.sub(r"[^\w]+", "-", name).strip("-") + ".png")), full_page=True)
        found = page.evaluate(WIDEST)
        if found["scroll"] > found["window"] + 1:
            self.wide[name] = f"{found['scroll']}px wide; widest: {'; '.join(found['widest']) or '(none found)'}"


def test_every_main_page_reflows_at_320_css_pixels_for_each_role(site, chromium, browser, tmp_path):  # noqa: F811
    shots = Path(os.environ["DOCGEN_SCREENSHOTS"]) if os.environ.get("DOCGEN_SCREENSHOTS") else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
    reflow = Reflow(browser, site["url"], shots)
    reflow.check(reflow.person(None), "sign-in", "/login")
    district(reflow, site)
    consultant(reflow, site)
    admin = reflow.person("ada@ssos.example.org")
    for name, path in (("admin accounts", "/admin"), ("admin districts", "/admin/districts"),
                       ("admin e-mail settings", "/admin/settings"), ("admin audit log", "/admin/audit")):
        reflow.check(admin, name, path)
    state = reflow.person("dee@dese.example.org")
    reflow.check(state, "state view", "/state")
    reflow.check(state, "state: districts", "/state/districts")
    for context in reflow.contexts:
        context.close()
    assert len(reflow.seen) >= 30, reflow.seen
    assert not reflow.wide, "the page scrolls sideways at 320 px:\n" + "\n".join(
        f"{name}: {why}" for name, why in reflow.wide.items())


def district(reflow: Reflow, ids: dict) -> None:
    """A district user's pages: Harbor View's draft (one priority, then two) and Beacon Falls's check-ins."""
    harbor = f"/districts/{ids['harbor']}"
    page = reflow.person("maria@harborview.example.org")
    reflow.check(page, "district home")
    for name, path in (("an earlier year's home", "?year=fy25"), ("an earlier year's plan form", "/plan?year=fy25"),
                       ("plan form, one priority", "/plan"), ("preview", "/preview"), ("versions", "/versions"),
                       ("compare", "/compare"), ("progress page", "/progress")):
        reflow.check(page, name, harbor + path)
    reflow.check(page, "account", "/account")
    page.goto(f"{reflow.url}{harbor}/plan")
    page.get_by_role("button", name="Add a second priority").click()
    expect(page.get_by_role("button", name=re.compile("Remove the second priority"))).to_be_visible()
    reflow.check(page, "plan form, two priorities")
    beacon = f"/districts/{ids['beacon']}"
    page = reflow.person("lee@beaconfalls.example.org")
    reflow.check(page, "district home, submitted")
    reflow.check(page, "plan form, submitted (read only)", f"{beacon}/plan")
    page.goto(f"{reflow.url}{beacon}/progress/1")
    form = page.locator("#benchmark-1-1 form.checkin-form")
    form.get_by_label("Date").fill("2025-10-15")
    form.get_by_label("What the data showed").fill("40%")
    form.get_by_label("Status").select_option("Not yet")  # a new check-in's status is chosen, never assumed
    form.get_by_role("button", name="Add the check-in").click()
    expect(page.get_by_text("Change or remove this check-in")).to_be_visible()
    reflow.check(page, "a priority's progress page, with a check-in")
    page.get_by_text("Change or remove this check-in").click()
    reflow.check(page, "a priority's progress page, a check-in open to change")
    reflow.check(page, "progress page, with a check-in", f"{beacon}/progress")


def consultant(reflow: Reflow, ids: dict) -> None:
    """The Southeast consultant's pages: the dashboard (this year and last), Beacon Falls's review and letter."""
    beacon = f"/districts/{ids['beacon']}"
    page = reflow.person("sam@ssos.example.org")
    for name, path in (("region dashboard", "/region"), ("region dashboard, an earlier year", "/region?year=fy25"),
                       ("region dashboard with filters", "/region?status=submitted&errors=&changed=1&sort=name"),
                       ("review page", f"{beacon}/review"), ("letter preview", f"{beacon}/review/letter"),
                       ("consultant: district home", beacon), ("consultant: plan form", f"{beacon}/plan"),
                       ("consultant: preview", f"{beacon}/preview"), ("consultant: versions", f"{beacon}/versions"),
                       ("consultant: compare", f"/districts/{ids['harbor']}/compare"),
                       ("consultant: progress page", f"{beacon}/progress"),
                       ("consultant: a priority's progress page", f"{beacon}/progress/1")):
        reflow.check(page, name, path)


# Each <select> in the plan form's tables narrower than the same select sized to its chosen text (a copy of it
# with field-sizing: content, beside it): its chosen value is cut short.
CUT_CHOICES = """() => [...document.querySelectorAll('table.rows select')].filter(s => s.selectedIndex >= 0).map(s => {
    const probe = s.cloneNode(true);
    Object.assign(probe.style, {fieldSizing: 'content', width: 'auto', minWidth: '0', maxWidth: 'none'});
    probe.selectedIndex = s.selectedIndex;
    s.after(probe);
    const need = probe.getBoundingClientRect().width;
    probe.remove();
    return {label: s.getAttribute('aria-label') || s.id, text: s.options[s.selectedIndex].text, need: need,
            has: s.getBoundingClientRect().width};
  }).filter(c => c.has + 0.5 < c.need).map(c => `${c.label}: "${c.text}" needs ${Math.round(c.need)}px, has `
                                               + `${Math.round(c.has)}px`)"""


def test_the_plan_forms_table_choices_show_their_whole_value_at_1280_pixels(site, chromium, browser):  # noqa: F811
    reflow = Reflow(browser, site["url"], None)
    page = reflow.person("maria@harborview.example.org")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site['url']}/districts/{site['harbor']}/plan")
    page.wait_for_load_state("networkidle")
    shots = os.environ.get("DOCGEN_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / "plan-form-1280.png"), full_page=True)
    cut, shown = page.evaluate(CUT_CHOICES), page.locator("table.rows select").count()
    for context in reflow.contexts:
        context.close()
    assert shown >= 8, "the schools' and the curricula's choices are in the form"
    assert not cut, "the chosen value is cut:\n" + "\n".join(cut)
