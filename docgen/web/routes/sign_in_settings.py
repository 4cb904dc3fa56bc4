"""The admin's Sign-in page: the organisation's OpenID Connect provider, and whether a second factor is required."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.routing import Route

from docgen.web import oidc, totp
from docgen.web.pages import Site, flash, page, redirect

TRUSTED = "; the provider's second factor stands in for docgen's"


def _problem(values: dict[str, str]) -> str:
    """Return what is wrong with the OpenID Connect settings, or ""."""
    issuer, client_id, secret_file = values["oidc_issuer"], values["oidc_client_id"], values["oidc_secret_file"]
    if issuer and not issuer.startswith(("https://", "http://localhost", "http://127.0.0.1")):
        return "The issuer must be an https:// address (for example https://login.microsoftonline.com/TENANT/v2.0)."
    if bool(issuer) != bool(client_id):
        return "Give both the issuer and the client id, or neither (to turn sign-in with the organisation off)."
    if secret_file and not Path(secret_file).is_file():
        return f"There is no file {secret_file} on the server (the client secret is read from a file)."
    return ""


@page("manage-accounts")
def sign_in_settings(site: Site, request: Request, form):
    """Show or save the sign-in settings; every change is audited."""
    user = request.state.user
    values, problem = oidc.settings(site.db), ""
    if request.method == "POST":
        values = {key: " ".join(str(form.get(key, "")).split()) for key in oidc.SETTINGS}
        problem = _problem(values)
        if not problem:
            for key, value in values.items():
                site.db.set_setting(key, value)
            site.db.set_setting(totp.REQUIRE_SETTING, "1" if form.get("totp_required") else "")
            site.db.set_setting(oidc.TRUST_SETTING, "1" if form.get("oidc_trusts_second_factor") else "")
            site.audit(user, "changed the sign-in settings",
                       detail=f"issuer {values['oidc_issuer'] or '(none)'}; second factor "
                              f"{'required' if form.get('totp_required') else 'optional'}"
                              f"{TRUSTED if form.get('oidc_trusts_second_factor') else ''}")
            flash(request, "Saved.", "success")
            return redirect("/admin/sign-in")
    return site.render(request, "admin_sign_in.html", status=400 if problem else 200, user=user, values=values,
                       totp_required=site.db.setting(totp.REQUIRE_SETTING) == "1", problem=problem,
                       oidc_trusts=site.db.setting(oidc.TRUST_SETTING) == "1",
                       callback=f"{site.public_url}/login/oidc/callback")


ROUTES = [
    Route("/admin/sign-in", sign_in_settings, methods=["GET", "POST"]),
]
