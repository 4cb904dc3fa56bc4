"""Accounts from the command line (`docgen users`): the same work the admin page does, on a data folder.

The library (docgen.api) knows nothing of the web app; the CLI's `users` commands call these.
"""

from __future__ import annotations

from pathlib import Path

from docgen.errors import DocgenError
from docgen.web.auth import create_account
from docgen.web.storage import accounts
from docgen.web.storage.db import open_database


def invite_user(data_dir, email: str, role: str, district: str = "", region: str = ""):
    """Create a web account in the data folder and return its Invitation (the one-time link to set a password)."""
    db = open_database(Path(data_dir))
    return create_account(db, email, role, db.setting("public_url", "http://127.0.0.1:8000"), district, region)


def list_users(data_dir) -> list[tuple[str, str, str, str]]:
    """Return each web account as (email, role, district or region, "active" / "invited" / "disabled")."""
    db = open_database(Path(data_dir))
    names = {d.id: d.name for d in accounts.districts(db)}
    return [(user.email, user.role, names.get(user.district_id, "") if user.district_id else user.region,
             "disabled" if user.disabled else ("active" if user.has_password else "invited"))
            for user in accounts.users(db)]


def disable_user(data_dir, email: str) -> None:
    """Disable a web account (it can no longer sign in; its open invitation stops working)."""
    db = open_database(Path(data_dir))
    user = accounts.user_by_email(db, email)
    if user is None:
        raise DocgenError(f"no account for {email}")
    accounts.set_disabled(db, user.id, True)
