"""Routes for whoever runs the server: accounts and invitation links, districts and regions, e-mail, the audit log."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from docgen.errors import DocgenError
from docgen.read import district_list
from docgen.web import mail
from docgen.web.auth import Invitation, create_account, invite
from docgen.web.pages import Site, flash, int_param, page, redirect
from docgen.web.services import files, retention
from docgen.web.sessions import current as current_session
from docgen.web.storage import accounts, audit, sessions


def _accounts(site: Site, request: Request, user, status: int = 200, invitation: Invitation | None = None,
              problem: str = "", values: dict | None = None):
    return site.render(request, "admin.html", status=status, user=user, people=accounts.users(site.db),
                       open_sessions=sessions.counts(site.db),
                       districts={d.id: d for d in accounts.districts(site.db)}, regions=accounts.regions(site.db),
                       invitation=invitation, problem=problem, values=values or {},
                       unused_notices=retention.notices(site.db), unused_days=retention.unused_days(site.db))


@page("manage-accounts")
def accounts_page(site: Site, request: Request, form):
    """Every account, with its role and district or region; invite new people here. Accounts unused for the set
    number of days are disabled first, and the page says which."""
    retention.disable_unused(site.db)
    return _accounts(site, request, request.state.user)


@page("manage-accounts")
def add_account(site: Site, request: Request, form):
    """Create an account and show its one-time invitation link (to send by email or any other way)."""
    user = request.state.user
    values = {k: str(form.get(k, "")) for k in ("email", "role", "district", "region")}
    try:
        invitation = create_account(site.db, values["email"], values["role"], site.public_url, values["district"],
                                    values["region"])
    except DocgenError as exc:
        return _accounts(site, request, user, 400, problem=str(exc), values=values)
    site.audit(user, "created an account", detail=f"{values['email']} ({values['role']})")
    return _accounts(site, request, user, invitation=invitation)


@page("manage-accounts")
def account_action(site: Site, request: Request, form):
    """Disable or enable an account, give it a new invitation link (the old one stops working), or end its
    sessions (sign it out on every computer)."""
    user = request.state.user
    target = accounts.user(site.db, request.path_params["user"])
    action = request.path_params["action"]
    if target is None or action not in ("disable", "enable", "invite", "sign-out"):
        flash(request, "No such account or action.", "error")
        return redirect("/admin")
    if action == "invite":
        site.audit(user, "made a new invitation link", detail=target.email)
        return _accounts(site, request, user, invitation=invite(site.db, target, site.public_url,
                                                               current_session(request).id_hash))
    if action == "sign-out":
        ended = sessions.end_for_user(site.db, target.id, keep=current_session(request).id_hash)
        site.audit(user, "ended an account's sessions", detail=f"{target.email}: {ended}")
        flash(request, f"{target.email} is signed out everywhere ({ended} session{'' if ended == 1 else 's'} ended).",
              "success")
        return redirect("/admin")
    if target.id == user.id:
        flash(request, "You cannot disable your own account.", "error")
        return redirect("/admin")
    accounts.set_disabled(site.db, target.id, action == "disable")
    site.audit(user, f"{action}d an account", detail=target.email)
    flash(request, f"{target.email} is {'disabled' if action == 'disable' else 'enabled'}.", "success")
    return redirect("/admin")


ROUTES = [
    Route("/admin", accounts_page, methods=["GET"]),
    Route("/admin/users", add_account, methods=["POST"]),
    Route("/admin/users/{user:id}/{action}", account_action, methods=["POST"]),
]


# districts and regions

@page("manage-districts")
def districts_page(site: Site, request: Request, form):
    """Every district with its region; assign regions, and import a region's list of districts."""
    user = request.state.user
    return site.render(request, "admin_districts.html", user=user, districts=accounts.districts(site.db),
                       regions=accounts.regions(site.db), mail_ready=mail.configured(site.db))


@page("manage-districts")
def assign_region(site: Site, request: Request, form):
    """Put a district in a region (the consultants of that region then see it)."""
    user = request.state.user
    district = accounts.district(site.db, request.path_params["district"])
    if district is None:
        flash(request, "No such district.", "error")
        return redirect("/admin/districts")
    region = " ".join(str(form.get("region", "")).split())
    accounts.update_district(site.db, district.id, region=region)
    site.audit(user, "assigned a region", district, region or "(none)")
    flash(request, f"{district.name} is in {region or 'no region'}.", "success")
    return redirect("/admin/districts")


@page("manage-districts", back="/admin/districts")
def import_districts(site: Site, request: Request, form):
    """Import a region's districts from a workbook or CSV: each gets an account for its contact and a link."""
    user = request.state.user
    region = " ".join(str(form.get("region", "")).split())
    send = str(form.get("send", "")) == "1"
    if not region:
        raise DocgenError("Choose the region these districts belong to.")
    with files.used_upload(site, user, "district-lists", form.get("list"), (".csv", ".xlsx")) as path:
        listed, problems = district_list.read(path)
    results = []
    for item in listed:
        district = accounts.add_district(site.db, item.name, item.org_code, region, item.contact_email)
        accounts.update_district(site.db, district.id, region=region, **{k: v for k, v in (
            ("org_code", item.org_code), ("contact_email", item.contact_email),
            ("mail_domains", " ".join(item.domains))) if v})
        results.append(_invite_contact(site, item, district, send))
    site.audit(user, "imported districts", detail=f"{path.name}: {len(listed)} districts into {region}")
    return site.render(request, "admin_import.html", user=user, region=region, results=results, problems=problems,
                       source=path.name)


def _invite_contact(site: Site, item, district, send: bool) -> dict:
    """Create the contact's account and link (and e-mail it, when asked and possible); return what happened."""
    result = {"district": district.name, "email": item.contact_email, "link": "", "note": ""}
    if not item.contact_email:
        result["note"] = "no contact email: invite someone by hand"
        return result
    if accounts.user_by_email(site.db, item.contact_email):
        result["note"] = "already has an account"
        return result
    invitation = create_account(site.db, item.contact_email, "district", site.public_url, district.name)
    result["link"] = invitation.link
    if send:
        try:
            mail.send(site.db, item.contact_email, *mail.invitation_text(invitation.link, invitation.expires,
                                                                        district.name, site.public_url))
            result["note"] = "invitation sent by e-mail"
        except DocgenError as exc:
            result["note"] = str(exc)
    return result


# settings and the audit log

@page("manage-accounts")
def settings_page(site: Site, request: Request, form):
    """The optional SMTP relay that sends invitation links by e-mail."""
    user = request.state.user
    problem = ""
    if request.method == "POST":
        values = {k: str(form.get(k, "")) for k in mail.SETTINGS}
        try:
            mail.save_settings(site.db, values)
            if str(form.get("test", "")):
                mail.send(site.db, str(form.get("test")), "docgen: a test message",
                          "This is a test message from docgen. Invitation links can be sent by e-mail.\n")
                flash(request, f"Saved, and a test message was sent to {form.get('test')}.", "success")
            else:
                flash(request, "Saved.", "success")
            site.audit(user, "changed the e-mail settings")
            return redirect("/admin/settings")
        except DocgenError as exc:
            problem = str(exc)
    return site.render(request, "admin_settings.html", status=400 if problem else 200, user=user,
                       values=mail.settings(site.db), problem=problem)


@page("view-audit")
def audit_page(site: Site, request: Request, form):
    """Who viewed, changed, submitted, reviewed or downloaded what, and when (read only)."""
    user = request.state.user
    query = request.query_params
    before, district = int_param(query.get("before")), int_param(query.get("district"))
    lines = audit.entries(site.db, 200, before, district, query.get("action") or None)
    return site.render(request, "admin_audit.html", user=user, lines=lines, actions=audit.actions(site.db),
                       districts=accounts.districts(site.db), chosen={"district": district,
                                                                      "action": query.get("action", "")})


ROUTES += [
    Route("/admin/districts", districts_page, methods=["GET"]),
    Route("/admin/districts/import", import_districts, methods=["POST"]),
    Route("/admin/districts/{district:id}/region", assign_region, methods=["POST"]),
    Route("/admin/settings", settings_page, methods=["GET", "POST"]),
    Route("/admin/audit", audit_page, methods=["GET"]),
]
