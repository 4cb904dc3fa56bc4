"""A second factor for password accounts: TOTP codes from an authenticator app (pyotp), and recovery codes.

An account turns it on from its account page (or at sign-in, when an admin
requires it of consultants and admins): docgen shows a new secret as a QR code (segno),
as text and as an otpauth:// link, the person types the code their app then shows, and
docgen shows ten recovery codes once (each works once; only their SHA-256 is
kept). The code step of sign-in has its own attempt limit, and no code is
accepted twice (RFC 6238 section 5.2): the account keeps the time step of its
last accepted code, and a code of that step or an earlier one is refused, at
sign-in and when confirming a new secret alike. Accounts that sign
in through the organisation's provider (OIDC) rely on that provider's factor.
"""

from __future__ import annotations

import hashlib
import secrets
import time

import pyotp
import segno

from docgen.web.storage import accounts, second_factor
from docgen.web.storage.accounts import User
from docgen.web.storage.db import Database

ISSUER = "docgen"
RECOVERY_CODES = 10
MAX_CODE_FAILURES = 5  # per account, in the sign-in window (auth.WINDOW_SECONDS)
REQUIRED_ROLES = ("consultant", "admin")
REQUIRE_SETTING = "totp_required"
ACCEPTED, REUSED, WRONG, TOO_MANY = "accepted", "reused", "wrong", "too many"  # what check() finds of a code
REUSED_MESSAGE = "That code was already used; wait for the next one."


def new_secret() -> str:
    return pyotp.random_base32()


def setup_uri(secret: str, email: str) -> str:
    """Return the otpauth:// link an authenticator app reads (as a QR code, or typed in)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def setup_qr(uri: str) -> str:
    """Return ``uri`` as a QR code, an SVG image in a data: URI (the page's CSP allows ``img-src data:``; no script,
    no request to another site). Error correction M, as authenticator apps expect; drawn here, on the server."""
    return segno.make(uri, error="m", micro=False).svg_data_uri(scale=5, border=4)


def matching_step(secret: str, code: str, for_time: float) -> int | None:
    """Return the time step (RFC 6238's counter) whose code ``code`` is at ``for_time``: the current step, or the
    one just before or after (clocks drift); None when it is none of them or not six digits."""
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    generator = pyotp.TOTP(secret)
    for drift in (0, -1, 1):
        moment = for_time + drift * generator.interval
        if generator.verify(code, for_time=moment):
            return generator.timecode(moment)
    return None


def _code_hash(code: str) -> str:
    return hashlib.sha256("".join(code.lower().split()).replace("-", "").encode()).hexdigest()


def turn_on(db: Database, user: User, secret: str, step: int) -> list[str] | None:
    """Store ``secret`` for ``user``, confirmed by a code of time step ``step``, and return new recovery codes, to
    be shown once; None when a code of that step was accepted already (nothing changes)."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    if not second_factor.turn_on(db, user.id, secret, step, [_code_hash(c) for c in codes]):
        return None
    return codes


def is_on(db: Database, user: User) -> bool:
    return second_factor.secret(db, user.id) is not None


def required(db: Database, user: User) -> bool:
    """True when the admin requires a second factor of this account's role."""
    return db.setting(REQUIRE_SETTING) == "1" and user.role in REQUIRED_ROLES


def too_many_failures(db: Database, user: User) -> bool:
    from docgen.web.auth import WINDOW_SECONDS

    return accounts.failed_logins(db, time.time() - WINDOW_SECONDS, account=f"code:{user.email}") \
        >= MAX_CODE_FAILURES


def check(db: Database, user: User, code: str, address: str, for_time: float) -> str:
    """Return ACCEPTED when ``code`` is the account's code at ``for_time`` and no code of its time step or a later
    one was accepted before (its step is then recorded), or when it is an unused recovery code (then used up);
    REUSED when it is a right code whose step was accepted already; WRONG otherwise; TOO_MANY, unchecked, when
    the account is at its limit of failed codes. Only ACCEPTED counts as a success in that limit."""
    from docgen.web.auth import WINDOW_SECONDS

    now = time.time()
    attempt = accounts.reserve_attempt(db, f"code:{user.email}", address, now, now - WINDOW_SECONDS, MAX_CODE_FAILURES)
    if attempt is None:  # counted before the check, atomically: parallel wrong codes cannot pass the limit
        return TOO_MANY
    secret = second_factor.secret(db, user.id)
    step = matching_step(secret, code, for_time) if secret is not None else None
    if step is not None:
        outcome = ACCEPTED if second_factor.use_step(db, user.id, step) else REUSED
    elif secret is not None and second_factor.use_recovery_code(db, user.id, _code_hash(code)):
        outcome = ACCEPTED
    else:
        outcome = WRONG
    if outcome == ACCEPTED:
        accounts.settle_attempt(db, attempt)
    return outcome
