"""Routes for SSoS consultants: their region's dashboard, its export, and "Download all" built in the background."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from ...sources import workbook_writer
from ..pages import Site, attachment, page, redirect
from ..services import bulk
from ..services.workflow import current_variant
from ..storage import jobs, plans, reviews
from ..storage.plans import STATUSES

SORTS = {
    "name": lambda r: r.name.casefold(),
    "status": lambda r: (STATUSES.index(r.status), r.name.casefold()),
    "errors": lambda r: (-(r.errors or 0), -(r.warnings or 0), r.name.casefold()),
    "identified": lambda r: (-len(r.identified), r.name.casefold()),
    "updated": lambda r: (r.updated_at or "", r.name.casefold()),
    "submitted": lambda r: (r.submitted_at or "", r.name.casefold()),
}
EXPORT_COLUMNS = [("District", 36), ("Status", 14), ("Errors", 8), ("Warnings", 9), ("Identified schools", 8),
                  ("Categories", 50), ("Last change", 22), ("Submitted", 22), ("Feedback sent", 22),
                  ("Changed since feedback", 12)]


def _rows(site: Site, request: Request, region: str) -> tuple[list, list, dict]:
    """Return (all rows, the rows the filters keep in the chosen order, the filters)."""
    rows = plans.dashboard(site.db, region, current_variant().id)
    query = request.query_params
    filters = {"status": query.get("status", ""), "errors": query.get("errors") == "1",
               "changed": query.get("changed") == "1", "sort": query.get("sort", "name"),
               "desc": query.get("desc") == "1"}
    shown = [r for r in rows if (not filters["status"] or r.status == filters["status"])
             and (not filters["errors"] or (r.errors or 0) > 0)
             and (not filters["changed"] or r.changed_since_feedback)]
    shown.sort(key=SORTS.get(filters["sort"], SORTS["name"]), reverse=filters["desc"])
    return rows, shown, filters


@page("view-region")
def dashboard(site: Site, request: Request, form):
    """One row per district of the region: status, check counts, identified schools, dates; sortable, filterable."""
    user = request.state.user
    rows, shown, filters = _rows(site, request, user.region)
    counts = {status: sum(r.status == status for r in rows) for status in STATUSES}
    return site.render(request, "region.html", user=user, rows=shown, total=len(rows), counts=counts,
                       filters=filters, statuses=STATUSES, variant=current_variant(),
                       waiting=reviews.waiting_threads(site.db, "consultant", region=user.region),
                       query=str(request.query_params))


@page("view-region")
def export(site: Site, request: Request, form):
    """The dashboard as it is filtered and sorted, as a workbook (the same writer as batch's summary.xlsx)."""
    user = request.state.user
    _, shown, _ = _rows(site, request, user.region)
    table = [[r.name, r.status, r.errors if r.errors is not None else "", r.warnings if r.warnings is not None else "",
              len(r.identified), "; ".join(r.identified), r.updated_at or "", r.submitted_at or "",
              r.feedback_sent_at or "", "yes" if r.changed_since_feedback else ""] for r in shown]
    data = workbook_writer.write_table("Dashboard", [c for c, _ in EXPORT_COLUMNS], table,
                                       [w for _, w in EXPORT_COLUMNS])
    site.audit(user, "exported the dashboard", detail=f"{user.region}: {len(shown)} districts")
    return attachment(data, f"{user.region} region dashboard.xlsx", "xlsx")


@page("view-region")
def download_all(site: Site, request: Request, form):
    """Start building every submitted plan of the region, and its letter, into one ZIP; show its progress."""
    user = request.state.user
    job_id = bulk.start(site.db, site.data, user, user.region)
    site.audit(user, "started Download all", detail=f"{user.region}, job {job_id}")
    return redirect(f"/region/jobs/{job_id}")


def _job(site: Site, request: Request):
    user = request.state.user
    found = jobs.job(site.db, request.path_params["job"])
    if found is None or found["region"] != user.region:
        raise HTTPException(404)
    return user, found


@page("view-region")
def job_page(site: Site, request: Request, form):
    """The ZIP's progress, updated in place until it is ready to download."""
    user, found = _job(site, request)
    template = "partials/job.html" if request.headers.get("hx-request") else "job.html"
    return site.render(request, template, user=user, job=found)


@page("view-region")
def job_download(site: Site, request: Request, form):
    """Download a finished ZIP."""
    user, found = _job(site, request)
    path = site.data / bulk.EXPORTS / found["file"] if found["file"] else None
    if found["status"] != "done" or path is None or not path.exists():
        raise HTTPException(404)
    site.audit(user, "downloaded Download all", detail=f"{found['region']}, job {found['id']}")
    return FileResponse(path, media_type="application/zip", filename=found["file"])


ROUTES = [
    Route("/region", dashboard, methods=["GET"]),
    Route("/region/export.xlsx", export, methods=["GET"]),
    Route("/region/download-all", download_all, methods=["POST"]),
    Route("/region/jobs/{job:id}", job_page, methods=["GET"]),
    Route("/region/jobs/{job:id}/download", job_download, methods=["GET"]),
]
