"""Routes for the state (DESE's SSoS leadership): every region at a glance, the districts behind each count, and
the same counts as a workbook. Read-only: ``view-state`` is the state role's, and it writes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Route

from ...sources import workbook_writer
from ..pages import Site, attachment, page
from ..services import statewide
from ..services.workflow import current_variant

EXPORT_COLUMNS = [("Measure", 40), ("Value", 50), ("Region", 20), ("Districts", 10)]


def link(region: str, key: str, value: str) -> str:
    """Return the path of the list of districts behind one count."""
    return "/state/districts?" + urlencode({"region": region, "measure": key, "value": value})


@page("view-state")
def overview(site: Site, request: Request, form):
    """Per region and in total: each measure's counts as bar charts (SVG) and tables, every count a link."""
    found = statewide.facts(site.db)
    return site.render(request, "state.html", tables=statewide.tables(found), total=len(found), link=link,
                       TOTAL=statewide.TOTAL, variant=current_variant(), due=statewide.due_date())


@page("view-state")
def districts(site: Site, request: Request, form):
    """The districts behind one count of the state view (a region, a measure and its value)."""
    query = request.query_params
    region, key, value = query.get("region", ""), query.get("measure", ""), query.get("value", "")
    if key and key not in statewide.MEASURES:
        raise HTTPException(404)
    shown = statewide.matching(statewide.facts(site.db), region, key, value)
    return site.render(request, "state_districts.html", shown=shown, region=region or statewide.TOTAL,
                       measure=statewide.MEASURES.get(key, "All districts"), value=value)


@page("view-state")
def export(site: Site, request: Request, form):
    """Every count of the state view as one workbook table: measure, value, region (and all regions), districts."""
    user = request.state.user
    rows = [[table.title, value, region, counts[region]] for table in statewide.tables(statewide.facts(site.db))
            for value, counts in table.rows for region in [*table.regions, statewide.TOTAL]]
    data = workbook_writer.write_table("State view", [c for c, _ in EXPORT_COLUMNS], rows,
                                       [w for _, w in EXPORT_COLUMNS])
    site.audit(user, "exported the state view", detail=f"{len(rows)} counts")
    return attachment(data, f"{current_variant().plan_year} state view.xlsx", "xlsx")


ROUTES = [
    Route("/state", overview, methods=["GET"]),
    Route("/state/districts", districts, methods=["GET"]),
    Route("/state/export.xlsx", export, methods=["GET"]),
]
