"""Routes for whoever runs the server: accounts and their invitation links."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from ...errors import DocgenError
from ..auth import Invitation, create_account, invite
from ..pages import Site, flash, page, redirect
from ..storage import accounts


def _accounts(site: Site, request: Request, user, status: int = 200, invitation: Invitation | None = None,
              problem: str = "", values: dict | None = None):
    return site.render(request, "admin.html", status=status, user=user, people=accounts.users(site.db),
                       districts={d.id: d for d in accounts.districts(site.db)}, regions=accounts.regions(site.db),
                       invitation=invitation, problem=problem, values=values or {})


@page
def accounts_page(site: Site, request: Request, form):
    """Every account, with its role and district or region; invite new people here."""
    return _accounts(site, request, site.require(request, "manage-accounts"))


@page
def add_account(site: Site, request: Request, form):
    """Create an account and show its one-time invitation link (to send by email or any other way)."""
    user = site.require(request, "manage-accounts")
    values = {k: str(form.get(k, "")) for k in ("email", "role", "district", "region")}
    try:
        invitation = create_account(site.db, values["email"], values["role"], site.public_url, values["district"],
                                    values["region"])
    except DocgenError as exc:
        return _accounts(site, request, user, 400, problem=str(exc), values=values)
    return _accounts(site, request, user, invitation=invitation)


@page
def account_action(site: Site, request: Request, form):
    """Disable or enable an account, or give it a new invitation link (the old one stops working)."""
    user = site.require(request, "manage-accounts")
    target = accounts.user(site.db, int(request.path_params["user"]))
    action = request.path_params["action"]
    if target is None or action not in ("disable", "enable", "invite"):
        flash(request, "No such account or action.", "error")
        return redirect("/admin")
    if action == "invite":
        return _accounts(site, request, user, invitation=invite(site.db, target, site.public_url))
    if target.id == user.id:
        flash(request, "You cannot disable your own account.", "error")
        return redirect("/admin")
    accounts.set_disabled(site.db, target.id, action == "disable")
    flash(request, f"{target.email} is {'disabled' if action == 'disable' else 'enabled'}.", "success")
    return redirect("/admin")


ROUTES = [
    Route("/admin", accounts_page, methods=["GET"]),
    Route("/admin/users", add_account, methods=["POST"]),
    Route("/admin/users/{user:int}/{action}", account_action, methods=["POST"]),
]
