"""A second factor for password accounts: TOTP codes from an authenticator app (pyotp), and recovery codes.

An account turns it on from its account page (or at sign-in, when an admin
requires it of consultants and admins): docgen shows a new secret as text and
as an otpauth:// link, the person types the code their app then shows, and
docgen shows ten recovery codes once (each works once; only their SHA-256 is
kept). The code step of sign-in has its own attempt limit. Accounts that sign
in through the organisation's provider (OIDC) rely on that provider's factor.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp

from .storage import accounts, second_factor
from .storage.accounts import User
from .storage.db import Database

ISSUER = "docgen"
RECOVERY_CODES = 10
MAX_CODE_FAILURES = 5  # per account, in the sign-in window (auth.WINDOW_SECONDS)
REQUIRED_ROLES = ("consultant", "admin")
REQUIRE_SETTING = "totp_required"


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """Return the otpauth:// link an authenticator app reads (as a QR code, or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def code_matches(secret: str, code: str) -> bool:
    """True when ``code`` is the current code of ``secret`` (or the one just before or after: clocks drift)."""
    code = "".join(code.split())
    return len(code) == 6 and code.isdigit() and pyotp.TOTP(secret).verify(code, valid_window=1)


def _code_hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def turn_on(db: Database, user: User, secret: str) -> list[str]:
    """Store ``secret`` for ``user`` and return new recovery codes, to be shown once."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    second_factor.turn_on(db, user.id, secret, [_code_hash(c) for c in codes])
    return codes


def is_on(db: Database, user: User) -> bool:
    return second_factor.secret(db, user.id) is not None


def required(db: Database, user: User) -> bool:
    """True when the admin requires a second factor of this account's role."""
    return db.setting(REQUIRE_SETTING) == "1" and user.role in REQUIRED_ROLES


def too_many_failures(db: Database, user: User) -> bool:
    from .auth import WINDOW_SECONDS

    return accounts.failed_logins(db, time.time() - WINDOW_SECONDS, account=f"code:{user.email}") \
        >= MAX_CODE_FAILURES


def check(db: Database, user: User, code: str, address: str) -> bool:
    """True when ``code`` is the account's current code or one of its unused recovery codes (then used up)."""
    secret = second_factor.secret(db, user.id)
    ok = secret is not None and (code_matches(secret, code)
                                 or second_factor.use_recovery_code(db, user.id, _code_hash(code)))
    accounts.add_login_attempt(db, f"code:{user.email}", address, time.time(), ok)
    return ok
