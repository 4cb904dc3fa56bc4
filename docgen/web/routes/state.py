"""Routes for the state (DESE's SSoS leadership): every region at a glance, the districts behind each count, and
the same counts as a workbook, for this year's plans or an earlier year's (``?year=``). Read-only:
``view-state`` is the state role's, and it writes nothing."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from docgen import variants
from docgen.variants import Variant
from docgen.web.pages import Site, attachment, page
from docgen.web.services import statewide, years


def link(region: str, key: str, value: str, year: Variant) -> str:
    """Return the path of the list of districts behind one count (of ``year``'s plans)."""
    return years.in_year("/state/districts?" + urlencode({"region": region, "measure": key, "value": value}), year)


def _year(request: Request) -> Variant:
    return years.chosen(request.query_params.get("year"))


@page("view-state")
def overview(site: Site, request: Request, form):
    """Per region and in total: each measure's counts as bar charts (SVG) and tables, every count a link."""
    year = _year(request)
    found, tables = statewide.view(site.db, year)
    return site.render(request, "state.html", tables=tables, total=len(found), link=link,
                       TOTAL=statewide.TOTAL, variant=year, due=statewide.due_date(year),
                       this_year=years.is_current(year),
                       plan_years=[variants.load(v) for v in reversed(variants.names())])


@page("view-state")
def districts(site: Site, request: Request, form):
    """The districts behind one count of the state view (a region, a measure and its value)."""
    query = request.query_params
    region, key, value = query.get("region", ""), query.get("measure", ""), query.get("value", "")
    statewide.require_measure(key)
    year = _year(request)
    shown = statewide.matching(statewide.view(site.db, year)[0], region, key, value)
    return site.render(request, "state_districts.html", shown=shown, region=region or statewide.TOTAL,
                       measure=statewide.MEASURES.get(key, "All districts"), value=value, variant=year)


@page("view-state")
def export(site: Site, request: Request, form):
    """Every count of the state view as one workbook table: measure, value, region (and all regions), districts."""
    user, year = request.state.user, _year(request)
    data, counted = statewide.export(site.db, year)
    site.audit(user, "exported the state view", detail=f"{year.plan_year}: {counted} counts")
    return attachment(data, f"{year.plan_year} state view.xlsx", "xlsx")


ROUTES = [
    Route("/state", overview, methods=["GET"]),
    Route("/state/districts", districts, methods=["GET"]),
    Route("/state/export.xlsx", export, methods=["GET"]),
]
