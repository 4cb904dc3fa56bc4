"""Routes for the plan year: a district's Progress page, its check-ins, consultants' notes, the midyear report.

The district's own users record, change and remove check-ins
(``record-progress``); consultants of its region read them and add notes
(``note-progress``); admins and the state read them (``view-progress``).
Forms are plain POSTs answered with a "Saved" flash on the page, and a
refused one keeps the page and says which fields to fix.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from ...errors import DocgenError
from ...model import STATUSES
from ..pages import Site, attachment, flash, page, redirect
from ..permissions import allowed
from ..services import progress
from ..storage import checkins

PAGE = "/districts/{district}/progress"
MAX_NOTE = 5000


@page("view-progress")
def progress_page(site: Site, request: Request, form):
    """One section per priority: each benchmark, its midyear target, its check-ins and the form to add one."""
    user, district = request.state.user, request.state.district
    year = progress.year_of(site.db, district)
    return site.render(request, "progress.html", user=user, district=district, year=year, statuses=STATUSES,
                       can_record=allowed(user, "record-progress", district),
                       can_note=allowed(user, "note-progress", district))


@page("record-progress", back=PAGE)
def add(site: Site, request: Request, form):
    """Record a check-in on one of the submitted plan's benchmarks."""
    user, district = request.state.user, request.state.district
    year = progress.year_of(site.db, district)
    checkin = progress.checkin_from(form, year)
    checkins.add(site.db, district.id, year.year, checkin, user.id)
    return _saved(site, request, "recorded a check-in", checkin,
                  "Saved: the check-in is recorded. The submitted plan is unchanged.")


def _saved(site: Site, request: Request, did: str, checkin, message: str):
    """Audit a check-in just stored, say so, and go back to its benchmark on the Progress page."""
    district = request.state.district
    site.audit(request.state.user, did, district, f"P{checkin.priority} B{checkin.benchmark} {checkin.date}")
    flash(request, message, "success")
    return redirect(f"/districts/{district.id}/progress#benchmark-{checkin.priority}-{checkin.benchmark}")


@page("record-progress", back=PAGE)
def change(site: Site, request: Request, form):
    """Change one of the district's check-ins."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    progress.require_checkin(site.db, district, checkin_id)
    checkin = progress.checkin_from(form, progress.year_of(site.db, district))
    checkins.update(site.db, district.id, checkin_id, checkin, user.id)
    return _saved(site, request, "changed a check-in", checkin, "Saved: the check-in is changed.")


@page("record-progress", back=PAGE)
def delete(site: Site, request: Request, form):
    """Remove one of the district's check-ins (and the notes on it)."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    progress.require_checkin(site.db, district, checkin_id)
    checkins.delete(site.db, district.id, checkin_id)
    site.audit(user, "removed a check-in", district, f"check-in {checkin_id}")
    flash(request, "The check-in is removed.", "success")
    return redirect(f"/districts/{district.id}/progress")


@page("note-progress", back=PAGE)
def note(site: Site, request: Request, form):
    """A consultant's note on a check-in (who, when, what), shown beside it to the district."""
    user, district = request.state.user, request.state.district
    checkin_id = request.path_params["checkin"]
    progress.require_checkin(site.db, district, checkin_id)
    body = str(form.get("body", "")).strip()
    if not body or len(body) > MAX_NOTE:
        raise DocgenError(f"Write a note of 1 to {MAX_NOTE:,} characters.")
    checkins.add_note(site.db, checkin_id, user.id, body)
    site.audit(user, "added a note to a check-in", district, f"check-in {checkin_id}")
    flash(request, "Saved: your note is on the check-in.", "success")
    return redirect(f"/districts/{district.id}/progress#checkin-{checkin_id}")


@page("view-progress")
def report(site: Site, request: Request, form):
    """Download the midyear progress report: the submitted plan's benchmarks with every check-in and a chart."""
    user, district = request.state.user, request.state.district
    kind = request.path_params["kind"]
    if kind not in ("docx", "pptx"):
        raise HTTPException(404)
    files = progress.report_files(site.db, district)
    name = next(n for n in files if n.endswith(f".{kind}"))
    site.audit(user, "downloaded the midyear progress report", district, kind)
    return attachment(files[name], name, kind)


ROUTES = [
    Route("/districts/{district:id}/progress", progress_page, methods=["GET"]),
    Route("/districts/{district:id}/progress/checkins", add, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}", change, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}/delete", delete, methods=["POST"]),
    Route("/districts/{district:id}/progress/checkins/{checkin:id}/notes", note, methods=["POST"]),
    Route("/districts/{district:id}/progress/report.{kind:str}", report, methods=["GET"]),
]
