"""Routes for the plan year: a district's Progress pages, its check-ins, consultants' notes, the midyear report.

The district's own users record, change and remove check-ins
(``record-progress``); consultants of its region read them and add notes
(``note-progress``); admins and the state read them (``view-progress``).
The Progress page shows every priority, and /progress/<n> one priority.
Forms are plain POSTs answered with a "Saved" flash on the page, and a
refused one keeps the page and says which fields to fix. A change to a
check-in is also saved as it is typed: progress.js posts the same form asking
for JSON, and the answer is the saved check-in (or, refused, what to fix).
An earlier year's check-ins (``?year=``) are only read.
"""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from docgen.errors import NotFound
from docgen.model.plan import STATUSES
from docgen.web.pages import Site, attachment, day, flash, page, redirect, when
from docgen.web.permissions import allowed
from docgen.web.services import progress, years

PAGE = "/districts/{district}/progress"


@page("view-progress")
def progress_page(site: Site, request: Request, form):
    """One section per priority (or the one priority of /progress/<n>): each benchmark, its midyear target, its
    check-ins and the form to add one."""
    user, district = request.state.user, request.state.district
    variant = years.chosen(request.query_params.get("year"))
    year = progress.year_of(site.db, district, variant)
    number = request.path_params.get("priority")
    if number is not None and (year.plan is None or number > len(year.plan.priorities)):
        raise NotFound(f"The {variant.plan_year} plan of {district.name} has no priority #{number}.")
    this_year = years.is_current(variant)
    return site.render(request, "progress.html", user=user, district=district, year=year, statuses=STATUSES,
                       variant=variant, this_year=this_year, shown=number,
                       can_record=allowed(user, "record-progress", district, this_year=this_year),
                       can_note=allowed(user, "note-progress", district, this_year=this_year))


@page("record-progress", back=PAGE)
def add(site: Site, request: Request, form):
    """Record a check-in on one of the submitted plan's benchmarks."""
    user, district = request.state.user, request.state.district
    checkin, saved = progress.record(site.db, district, form, user.id)
    return _saved(site, request, "recorded a check-in", checkin, saved,
                  "Saved: the check-in is recorded. The submitted plan is unchanged.")


def _saved(site: Site, request: Request, did: str, checkin, saved: str, message: str):
    """Audit a check-in just stored and say so: to progress.js (saving as typed) the check-in as JSON, for the page
    to update its row; to a form, a flash on the priority's Progress page, at the benchmark."""
    district = request.state.district
    site.audit(request.state.user, did, district, f"P{checkin.priority} B{checkin.benchmark} {checkin.date}")
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": True, "checkin": {**asdict(checkin), "date_shown": day(checkin.date)},
                             "saved": when(saved)})
    flash(request, message, "success")
    return redirect(f"/districts/{district.id}/progress/{checkin.priority}#benchmark-{checkin.priority}-"
                    f"{checkin.benchmark}")


@page("record-progress", back=PAGE)
def change(site: Site, request: Request, form):
    """Change one of the district's check-ins."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    checkin, saved = progress.change(site.db, district, checkin_id, form, user.id)
    return _saved(site, request, "changed a check-in", checkin, saved, "Saved: the check-in is changed.")


@page("record-progress", back=PAGE)
def delete(site: Site, request: Request, form):
    """Remove one of the district's check-ins (and the notes on it)."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    priority, benchmark = progress.remove(site.db, district, checkin_id)
    site.audit(user, "removed a check-in", district, f"check-in {checkin_id}")
    flash(request, "The check-in is removed.", "success")
    return redirect(f"/districts/{district.id}/progress/{priority}#benchmark-{priority}-{benchmark}")


@page("note-progress", back=PAGE)
def note(site: Site, request: Request, form):
    """A consultant's note on a check-in (who, when, what), shown beside it to the district."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    priority = progress.note(site.db, district, checkin_id, user.id, str(form.get("body", "")))
    site.audit(user, "added a note to a check-in", district, f"check-in {checkin_id}")
    flash(request, "Saved: your note is on the check-in.", "success")
    return redirect(f"/districts/{district.id}/progress/{priority}#checkin-{checkin_id}")


@page("view-progress")
def report(site: Site, request: Request, form):
    """Download the midyear progress report: the submitted plan's benchmarks with every check-in and a chart."""
    user, district = request.state.user, request.state.district
    kind = request.path_params["kind"]
    if kind not in ("docx", "pptx"):
        raise NotFound("The midyear progress report comes as .docx or .pptx.")
    variant = years.chosen(request.query_params.get("year"))
    files = progress.report_files(site.db, district, variant)
    name = next(n for n in files if n.endswith(f".{kind}"))
    site.audit(user, "downloaded the midyear progress report", district, f"{variant.plan_year} {kind}")
    return attachment(files[name], name, kind)


ROUTES = [
    Route("/districts/{district:id}/progress", progress_page, methods=["GET"]),
    Route("/districts/{district:id}/progress/{priority:id}", progress_page, methods=["GET"]),
    Route("/districts/{district:id}/progress/checkins", add, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}", change, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}/delete", delete, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}/notes", note, methods=["POST"]),
    Route("/districts/{district:id}/progress/report.{kind:str}", report, methods=["GET"]),
]
