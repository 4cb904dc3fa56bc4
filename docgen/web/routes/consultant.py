"""Routes for SSoS consultants: their region's dashboard, its export, and "Download all" built in the background.

The dashboard shows this year's plans, or an earlier year's with ``?year=``
(read-only, as every earlier year is); "Download all" builds this year's.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import Route

from ... import variants
from ...model import STATUSES as CHECKIN_STATUSES
from ...sources import workbook_writer
from ..pages import Site, attachment, page, redirect
from ..services import bulk, progress, years
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
                  ("Changed since feedback", 12), *((f"Benchmarks {s.lower()}", 10) for s in CHECKIN_STATUSES),
                  ("Last check-in", 14)]


def _rows(site: Site, request: Request, region: str) -> tuple[list, list, dict, dict]:
    """Return (all rows, the rows the filters keep in the chosen order, the filters, each district's check-ins)."""
    query = request.query_params
    variant = years.chosen(query.get("year"))
    rows = plans.dashboard(site.db, region, variant.id)
    year = progress.counts_by_district(site.db, region, variant)
    filters = {"year": variant, "status": query.get("status", ""), "errors": query.get("errors") == "1",
               "changed": query.get("changed") == "1", "sort": query.get("sort", "name"),
               "desc": query.get("desc") == "1", "off_track": query.get("off_track") == "1",
               "since": progress.since_param(query.get("since"))}
    none = progress.YearCounts({})
    shown = [r for r in rows if (not filters["status"] or r.status == filters["status"])
             and (not filters["errors"] or (r.errors or 0) > 0)
             and (not filters["changed"] or r.changed_since_feedback)
             and (not filters["off_track"] or year.get(r.district_id, none).off_track)
             and (not filters["since"] or year.get(r.district_id, none).last < filters["since"])]
    shown.sort(key=SORTS.get(filters["sort"], SORTS["name"]), reverse=filters["desc"])
    return rows, shown, filters, year


@page("view-region")
def dashboard(site: Site, request: Request, form):
    """One row per district of the region: status, check counts, identified schools, dates; sortable, filterable."""
    user = request.state.user
    rows, shown, filters, year = _rows(site, request, user.region)
    counts = {status: sum(r.status == status for r in rows) for status in STATUSES}
    variant = filters["year"]
    return site.render(request, "region.html", user=user, rows=shown, total=len(rows), counts=counts,
                       filters=filters, sort_links=_sort_links(filters), statuses=STATUSES, variant=variant, year=year,
                       checkin_statuses=CHECKIN_STATUSES, this_year=years.is_current(variant),
                       plan_years=[variants.load(v) for v in reversed(variants.names())],
                       waiting=reviews.waiting_threads(site.db, "consultant", region=user.region),
                       query=urlencode(_kept(filters)))


def _kept(filters: dict) -> dict[str, str]:
    """Return the filters and order as a query's values, only those set (what a sort link or the export keeps)."""
    kept = {"year": "" if years.is_current(filters["year"]) else filters["year"].id, "status": filters["status"],
            "errors": "1" if filters["errors"] else "", "changed": "1" if filters["changed"] else "",
            "off_track": "1" if filters["off_track"] else "", "since": filters["since"],
            "sort": "" if filters["sort"] == "name" else filters["sort"], "desc": "1" if filters["desc"] else ""}
    return {key: value for key, value in kept.items() if value}


def _sort_links(filters: dict) -> dict[str, str]:
    """Return each column's sort link: the same filters and year, by that column (turned around if it is the one)."""
    links = {}
    for key in SORTS:
        kept = {**_kept(filters), "sort": key}
        kept.pop("desc", None)
        if filters["sort"] == key and not filters["desc"]:
            kept["desc"] = "1"
        links[key] = "?" + urlencode(kept)
    return links


@page("view-region")
def export(site: Site, request: Request, form):
    """The dashboard as it is filtered and sorted, as a workbook (the same writer as batch's summary.xlsx)."""
    user = request.state.user
    _, shown, filters, year = _rows(site, request, user.region)
    none = progress.YearCounts(dict.fromkeys(CHECKIN_STATUSES, ""))
    table = [[r.name, r.status, r.errors if r.errors is not None else "", r.warnings if r.warnings is not None else "",
              len(r.identified), "; ".join(r.identified), r.updated_at or "", r.submitted_at or "",
              r.feedback_sent_at or "", "yes" if r.changed_since_feedback else "",
              *(year.get(r.district_id, none).counts[s] for s in CHECKIN_STATUSES), year.get(r.district_id, none).last]
             for r in shown]
    data = workbook_writer.write_table("Dashboard", [c for c, _ in EXPORT_COLUMNS], table,
                                       [w for _, w in EXPORT_COLUMNS])
    plan_year = filters["year"].plan_year
    site.audit(user, "exported the dashboard", detail=f"{user.region} {plan_year}: {len(shown)} districts")
    return attachment(data, f"{user.region} region {plan_year} dashboard.xlsx", "xlsx")


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
