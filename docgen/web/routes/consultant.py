"""Routes for SSoS consultants: their region's dashboard, its export, and "Download all" built in the background.

The dashboard shows this year's plans, or an earlier year's with ``?year=``
(read-only, as every earlier year is); "Download all" builds this year's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from docgen import variants
from docgen.model.plan import STATUSES as CHECKIN_STATUSES
from docgen.web.pages import Site, attachment, page, redirect
from docgen.web.services import bulk, dashboard, years


@page("view-region")
def dashboard_page(site: Site, request: Request, form):
    """One row per district of the region: status, check counts, identified schools, dates; sortable, filterable."""
    user = request.state.user
    board = dashboard.dashboard(site.db, user.region, request.query_params)
    return site.render(request, "region.html", user=user, rows=board.shown, total=len(board.rows),
                       counts=board.counts(), filters=board.filters, sort_links=board.sort_links(),
                       statuses=dashboard.STATUSES,
                       variant=board.variant, year=board.checkins, checkin_statuses=CHECKIN_STATUSES,
                       this_year=years.is_current(board.variant),
                       plan_years=[variants.load(v) for v in reversed(variants.names())],
                       waiting=dashboard.waiting(site.db, user.region), query=board.query())


@page("view-region")
def export(site: Site, request: Request, form):
    """The dashboard as it is filtered and sorted, as a workbook (the same writer as batch's summary.xlsx)."""
    user = request.state.user
    board = dashboard.dashboard(site.db, user.region, request.query_params)
    plan_year = board.variant.plan_year
    site.audit(user, "exported the dashboard", detail=f"{user.region} {plan_year}: {len(board.shown)} districts")
    return attachment(dashboard.export(board), f"{user.region} region {plan_year} dashboard.xlsx", "xlsx")


@page("view-region")
def download_all(site: Site, request: Request, form):
    """Start building every submitted plan of the region, and its letter, into one ZIP; show its progress."""
    user = request.state.user
    job_id = bulk.start(site.db, site.data, user, user.region)
    site.audit(user, "started Download all", detail=f"{user.region}, job {job_id}")
    return redirect(f"/region/jobs/{job_id}")


@page("view-region")
def job_page(site: Site, request: Request, form):
    """The ZIP's progress, updated in place until it is ready to download."""
    user = request.state.user
    found = bulk.job_of(site.db, request.path_params["job"], user.region)
    template = "partials/job.html" if request.headers.get("hx-request") else "job.html"
    return site.render(request, template, user=user, job=found)


@page("view-region")
def job_download(site: Site, request: Request, form):
    """Download a finished ZIP."""
    user = request.state.user
    found = bulk.job_of(site.db, request.path_params["job"], user.region)
    path = bulk.finished_file(site.data, found)
    site.audit(user, "downloaded Download all", detail=f"{found['region']}, job {found['id']}")
    return FileResponse(path, media_type="application/zip", filename=found["file"])


ROUTES = [
    Route("/region", dashboard_page, methods=["GET"]),
    Route("/region/export.xlsx", export, methods=["GET"]),
    Route("/region/download-all", download_all, methods=["POST"]),
    Route("/region/jobs/{job:id}", job_page, methods=["GET"]),
    Route("/region/jobs/{job:id}/download", job_download, methods=["GET"]),
]
