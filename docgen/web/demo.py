"""Demo data for ``docgen serve --demo``: the sample district with its plans, and an account for each role."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from .. import api
from .auth import hash_password
from .storage import accounts, plans
from .storage.db import Database
from .workflow import summarize

REGION = "Southeast"
DISTRICT_EMAIL = "district@demo.example.org"
CONSULTANT_EMAIL = "consultant@demo.example.org"
ADMIN_EMAIL = "admin@demo.example.org"


@dataclass(frozen=True)
class Login:
    role: str
    email: str
    password: str


def seed(db: Database) -> list[Login]:
    """Load the sample district (this year's plan and last year's) once, and give each demo account a new password.

    Return the demo logins, to print: the passwords change at every start.
    """
    sample = api.example_plan()
    district = accounts.district_named(db, sample.district.name)
    if district is None:
        district = accounts.add_district(db, sample.district.name, sample.district.org_code, REGION,
                                         sample.district.contact_email)
        last_year = api.example_plan("fy25")
        for plan in (last_year, sample):
            row = plans.ensure_plan(db, district.id, plan.variant)
            plans.change(db, row, lambda _, plan=plan: plan, summarize, "demo", None, "the sample district's plan")
    logins = []
    for role, email in (("district", DISTRICT_EMAIL), ("consultant", CONSULTANT_EMAIL), ("admin", ADMIN_EMAIL)):
        user = accounts.user_by_email(db, email) or accounts.add_user(
            db, email, role, district.id if role == "district" else None, REGION if role == "consultant" else "")
        password = secrets.token_urlsafe(9)
        accounts.set_password_hash(db, user.id, hash_password(password))
        accounts.set_disabled(db, user.id, False)
        logins.append(Login(role, email, password))
    return logins
