"""Routes for a district's plan team: the plan's home, the form with autosave, check, submit and reopen.

Consultants of the district's region may open the pages that only show the
plan (``view-plan``); changing it takes ``edit-plan`` and submitting it
``submit-plan``, which only the district's own users have.
"""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from docgen.compose.submission import sip_renewals
from docgen.errors import EditConflict, PlanNotReady, StaleSave
from docgen.read import plan_edits
from docgen.web import form as plan_form
from docgen.web.pages import Site, flash, int_param, page, redirect
from docgen.web.services import files, received, replacing, workflow, years
from docgen.web.storage import checkins, plans, reviews

HOME = "/districts/{district}"


def findings_json(state: workflow.PlanState) -> dict:
    """Return the counts and findings the form shows after each save."""
    return {"errors": state.errors, "warnings": state.warnings,
            "findings": [{"id": plan_form.field_id(f.at) if f.at else "", "severity": f.severity,
                          "message": f.message, "section": f.section_title} for f in state.findings]}


@page("view-plan")
def home(site: Site, request: Request, form):
    """The plan's home: where it stands, what check finds, and everything to do with it."""
    user, district = request.state.user, request.state.district
    year = years.chosen(request.query_params.get("year"))
    state = workflow.state(site.db, district, year.id)
    feedback = reviews.last_feedback(site.db, state.row.id)
    this_year = years.is_current(year)
    return site.render(request, "district_home.html", user=user, district=district, state=state,
                       can=site.can(user, district, year), feedback=feedback, this_year=this_year,
                       waiting=reviews.waiting_threads(site.db, "district", district_id=district.id)
                       if user.role == "district" and this_year else [],
                       submission=plans.open_submission(site.db, state.row.id),
                       submitted=checkins.submitted_version(site.db, state.row.id),  # this year's or an earlier
                       sip_renewals=sip_renewals(state.plan), years=years.listed(site.db, district),
                       last_year=files.last_year_plan(site.db, district),
                       received_files=received.of_district(site.db, district) if this_year else [],
                       pdf_ready=files.pdf_available())


def _seen(district) -> str:
    """The session key holding the version of the district's plan this browser last loaded or saved."""
    return f"plan_seen:{district.id}"


@page("view-plan")
def plan_page(site: Site, request: Request, form):
    """The plan as a form, in the official order, with check's findings beside each field."""
    user, district = request.state.user, request.state.district
    year = years.chosen(request.query_params.get("year"))
    state = workflow.state(site.db, district, year.id)
    can = site.can(user, district, year)
    site.audit(user, "viewed the plan", district, f"{year.plan_year} version {state.row.latest}")
    threads: dict[str, list] = {}
    for thread in reviews.threads(site.db, state.row.id):
        threads.setdefault(thread.section, []).append(thread)
    this_year = years.is_current(year)
    if this_year and request.session.get(_seen(district)) != state.row.latest:
        request.session[_seen(district)] = state.row.latest  # what a save that does not say its version started from
    return site.render(request, "plan_form.html", user=user, district=district, state=state, can=can,
                       editable=can["edit-plan"] and not state.locked, threads=threads, this_year=this_year,
                       here=site.presence.seen(district.id, user.email) if this_year else [],
                       undo=replacing.undoable(site.db, state.row) if this_year else None,
                       groups=plan_form.groups(state.variant, state.plan, state.findings))


@page("edit-plan", answers_json=True)
def save_field(site: Site, request: Request, form):
    """Save one field as the person types (JSON for the page's script): the new version and what check finds."""
    user, district = request.state.user, request.state.district
    name, value = str(form.get("name", "")), str(form.get("value", ""))
    base = 0 if form.get("base") == "0" else int_param(form.get("base"))  # the version the text started from
    anchored = base is not None  # the page always says (and keeps its own versions: no session write per save)
    if not anchored:  # a client other than the page (or a stale one): the version this session last loaded
        base = request.session.get(_seen(district))
        if not isinstance(base, int):
            variant = workflow.current_variant()
            plan_edits.clean_value(variant, plan_edits.locate(variant, name), value)  # a wrong field says so first
            raise StaleSave("Not saved: this save does not say which version of the plan its text started from, so "
                            "it could replace someone else's newer text; reload the page and save again.")
    try:
        number, state = workflow.set_field(site.db, district, user, name, value, base)  # refused: 422/409/503
    except EditConflict as exc:
        if anchored:
            raise  # the page shows both texts
        raise StaleSave(f"Not saved: {exc.by or 'someone'} saved this answer (version {exc.version}) after this "
                        "browser loaded the plan; reload the page to see their text, then save yours again.") from None
    if not anchored:
        request.session[_seen(district)] = number
    # the audit line is the editing session's, written with its version (workflow.save)
    return JSONResponse({"ok": True, "version": number, "here": site.presence.seen(district.id, user.email),
                         **findings_json(state)})


@page("view-plan", answers_json=True)
def here(site: Site, request: Request, form):
    """Who else has the plan open (the page asks every 45 seconds, which also says this person still has it)."""
    user, district = request.state.user, request.state.district
    return JSONResponse({"ok": True, "here": site.presence.seen(district.id, user.email)})


@page("view-plan")
def findings_panel(site: Site, request: Request, form):
    """The list of findings by section, errors first, each linking to its field (refreshed after saves)."""
    user, district = request.state.user, request.state.district
    state = workflow.state(site.db, district, years.chosen(request.query_params.get("year")).id)
    return site.render(request, "partials/findings.html", user=user, district=district, state=state,
                       on_form=request.query_params.get("form") == "1")


@page("edit-plan", answers_json=True)
def rows(site: Site, request: Request, form):
    """Add an empty row to a table, or remove one; answer with the table as it now is."""
    user, district = request.state.user, request.state.district
    variant = workflow.current_variant()
    table, action = str(form.get("table", "")), str(form.get("action", ""))
    number = int_param(form.get("number"))
    if action == "add":
        edit = lambda plan: plan_edits.add_row(plan, variant, table, number)  # noqa: E731
    else:
        raw = str(form.get("index", ""))
        index = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 6 else -1  # else "no longer exists"
        edit = lambda plan: plan_edits.remove_row(plan, variant, table, index, number)  # noqa: E731
    version, state = workflow.save(site.db, district, user, edit, "form", f"{action} a row in {table}")
    site.audit(user, "changed the plan", district, f"{action} a row in {table} (version {version})")
    groups = plan_form.groups(state.variant, state.plan, state.findings)
    found = next(p.table for g in groups for s in g.sections for p in s.parts
                 if p.table and p.table.key == table and p.table.number == number)
    answer = site.render(request, "partials/table.html", user=user, district=district, table=found, editable=True)
    # the side summary's counts and the findings follow the new row as they follow a save (docgen.js)
    answer.headers["HX-Trigger-After-Settle"] = json.dumps({"docgen:checked": findings_json(state)})
    return answer


@page("edit-plan", back="/districts/{district}/plan")
def priorities(site: Site, request: Request, form):
    """Add a second priority with one button, or remove it."""
    user, district = request.state.user, request.state.district
    if str(form.get("action", "")) == "add":
        workflow.save(site.db, district, user, plan_edits.add_priority, "form", "added a second priority")
        site.audit(user, "changed the plan", district, "added a second priority")
        return redirect(f"/districts/{district.id}/plan#priority-2")
    workflow.save(site.db, district, user, lambda plan: plan_edits.remove_priority(plan, 2), "form",
                  "removed the second priority")
    site.audit(user, "changed the plan", district, "removed the second priority")
    flash(request, "The second priority was removed. Earlier versions still hold it and can be restored.", "success")
    return redirect(f"/districts/{district.id}/plan#second-priority")  # focus: "Add a second priority"


@page("submit-plan", back=HOME)
def submit(site: Site, request: Request, form):
    """Submit to SSoS: only when check finds no errors; the version is frozen and the email draft offered."""
    user, district = request.state.user, request.state.district
    try:
        workflow.submit(site.db, district, user)
    except PlanNotReady:
        state = workflow.state(site.db, district)
        flash(request, f"Not submitted: check finds {state.errors} error{'' if state.errors == 1 else 's'} to fix "
                       "first (listed below).", "error")
        return redirect(f"/districts/{district.id}")
    site.audit(user, "submitted the plan", district)
    renewals = sip_renewals(workflow.state(site.db, district).plan)  # their improvement plans go to SSoS too
    flash(request, "Submitted. Download the email draft below: it carries the plan" + (
        ", and the renewed Sustainable Improvement Plan of " + " and ".join(renewals) + " goes with it or "
        "separately (see below)" if renewals else "; nothing more is needed") + ". Send it to SSoS.", "success")
    return redirect(f"/districts/{district.id}#submission")


@page("submit-plan", back=HOME)
def reopen(site: Site, request: Request, form):
    """Reopen a submitted plan as a new draft (for example to add a newly identified school in the fall)."""
    user, district = request.state.user, request.state.district
    workflow.reopen(site.db, district, user)
    site.audit(user, "reopened the plan", district)
    flash(request, "The plan is open for changes again. Submit it again when it is ready.", "success")
    return redirect(f"/districts/{district.id}/plan")


ROUTES = [
    Route("/districts/{district:id}", home, methods=["GET"]),
    Route("/districts/{district:id}/plan", plan_page, methods=["GET"]),
    Route("/districts/{district:id}/plan/save", save_field, methods=["POST"]),
    Route("/districts/{district:id}/plan/findings", findings_panel, methods=["GET"]),
    Route("/districts/{district:id}/plan/here", here, methods=["GET"]),
    Route("/districts/{district:id}/plan/rows", rows, methods=["POST"]),
    Route("/districts/{district:id}/plan/priorities", priorities, methods=["POST"]),
    Route("/districts/{district:id}/submit", submit, methods=["POST"]),
    Route("/districts/{district:id}/reopen", reopen, methods=["POST"]),
]
