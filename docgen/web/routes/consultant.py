"""Routes for SSoS consultants: their region's districts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ..pages import Site, page
from ..storage import accounts, plans
from ..workflow import current_variant


@page
def region(site: Site, request: Request, form):
    """The districts of the consultant's region and where each plan stands."""
    user = site.require(request, "view-region")
    variant = current_variant()
    rows = [(d, plans.plan_row(site.db, d.id, variant.id)) for d in accounts.districts(site.db, user.region)]
    return site.render(request, "region.html", user=user, rows=rows, variant=variant)


ROUTES = [Route("/region", region, methods=["GET"])]
