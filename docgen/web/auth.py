"""Signing in: argon2 password hashes, one-time invitation links, and limits on guessing.

Passwords are hashed with argon2 (argon2-cffi); an invitation token is
stored only as its SHA-256, so a copy of the database opens no account. Sign-in
attempts are limited per account and per address: after too many failures in
a quarter of an hour, further attempts are refused before any password is
checked.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from docgen.errors import DocgenError
from docgen.web.storage import accounts, second_factor, sessions
from docgen.web.storage.db import Database

INVITATION_DAYS = 7
MIN_PASSWORD = 10
WINDOW_SECONDS = 15 * 60
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
_HASHER = PasswordHasher()


class SignInRefused(DocgenError):
    """Wrong email or password, a disabled account, or too many attempts: said the same way to everyone."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@functools.cache
def dummy_hash() -> str:
    """Return a hash to check against when the account does not exist, so that a wrong email takes as long as a
    wrong password. Made once per process (argon2 takes ~0.1 s on purpose): the server makes it as it starts."""
    return _HASHER.hash("docgen: a hash to check against when the account does not exist")


def password_problem(password: str, again: str) -> str:
    """Return what is wrong with a new password, or ""."""
    if password != again:
        return "The two passwords are not the same."
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters."
    if len(password) > 1024:
        return "Use at most 1,024 characters."
    return ""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    email: str
    link: str
    expires: str


def invite(db: Database, user: accounts.User, base_url: str, keep_session: str | None = None) -> Invitation:
    """Return a new one-time link where ``user`` sets a password, valid for seven days (earlier links end, and so
    do the account's sessions but ``keep_session``, the one asking: a new link is given when someone else may know
    the password)."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(days=INVITATION_DAYS)
    accounts.add_invitation(db, user.id, token_hash(token), expires.isoformat(timespec="seconds"))
    sessions.end_for_user(db, user.id, keep=keep_session)
    link = f"{base_url.rstrip('/')}/invite/{token}"
    return Invitation(user.email, link, f"{expires:%B} {expires.day}, {expires.year}")


def invited_user(db: Database, token: str) -> accounts.User | None:
    """Return the account an invitation token opens, or None when it is unknown, used or expired."""
    row = accounts.open_invitation(db, token_hash(token))
    if row is None or datetime.fromisoformat(row["expires_at"]) < datetime.now(timezone.utc):
        return None
    user = accounts.user(db, row["user_id"])
    return None if user is None or user.disabled else user


def accept_invitation(db: Database, token: str, password: str) -> bool:
    """Set the password of the invitation's account, close the link, end the account's sessions and turn its
    second factor off (a new link is how an admin lets in someone who lost their phone); False if it no longer
    works."""
    user = invited_user(db, token)
    if user is None or not accounts.use_invitation(db, token_hash(token), hash_password(password)):
        return False
    sessions.end_for_user(db, user.id)
    second_factor.turn_off(db, user.id)
    return True


def sign_in(db: Database, email: str, password: str, address: str) -> accounts.User:
    """Return the account whose email and password these are; raise SignInRefused otherwise.

    Too many recent failures for the account, or from the address, refuse
    at once, whatever the password.
    """
    email = email.strip()
    now = time.time()
    attempt = accounts.reserve_attempt(db, email, address, now, now - WINDOW_SECONDS, MAX_FAILURES_PER_ACCOUNT,
                                       MAX_FAILURES_PER_ADDRESS)  # counted before the check, atomically
    if attempt is None:
        raise SignInRefused("Too many attempts. Wait a quarter of an hour, then try again.")
    user = accounts.user_by_email(db, email) if email else None
    stored = accounts.password_hash(db, user.id) if user else None
    matches = _verify(stored or dummy_hash(), password)  # a dummy hash, so a missing account takes as long
    if user is None or stored is None or user.disabled or not matches:
        raise SignInRefused("That email and password do not match an account.")
    accounts.settle_attempt(db, attempt)
    if _HASHER.check_needs_rehash(stored):
        accounts.set_password_hash(db, user.id, hash_password(password))
    accounts.record_login(db, user.id)
    return user


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def create_account(db: Database, email: str, role: str, base_url: str, district: str = "",
                   region: str = "") -> Invitation:
    """Create an account and return its invitation; raise DocgenError saying what is missing or wrong.

    A district user belongs to a district (created if new, in ``region`` when
    given); a consultant to a region; an admin to neither.
    """
    from docgen.model.values import email_problem, shown

    email = email.strip()
    reason = email_problem(email) if email else "an email address is required"
    if reason:
        raise DocgenError(f"'{shown(email)}' is not one email address ({reason})")
    if role not in accounts.ROLES:
        raise DocgenError(f"role must be one of: {', '.join(accounts.ROLES)}; got '{role}'")
    district_id = None
    if role == "district":
        if not district.strip():
            raise DocgenError("a district user needs the district's name (--district \"NAME\")")
        found = accounts.add_district(db, " ".join(district.split()), region=region.strip())
        if region.strip() and found.region != region.strip():
            accounts.update_district(db, found.id, region=region.strip())
        district_id = found.id
    elif role == "consultant" and not region.strip():
        raise DocgenError("a consultant needs the region they work in (--region NAME)")
    try:
        user = accounts.add_user(db, email, role, district_id, region.strip() if role == "consultant" else "")
    except ValueError as exc:
        raise DocgenError(str(exc)) from None
    return invite(db, user, base_url)
