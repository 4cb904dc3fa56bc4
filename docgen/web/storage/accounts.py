"""Accounts, districts and regions, invitations and login attempts: their SQL, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from docgen.web.storage.db import Database, now

ROLES = ("admin", "consultant", "district", "state")


@dataclass(frozen=True)
class User:
    """A person who signs in: an admin, a consultant of a region, or a user of one district."""

    id: int
    email: str
    role: str
    district_id: int | None
    region: str
    disabled: bool
    has_password: bool
    last_login: str | None

    @classmethod
    def from_row(cls, row) -> User:
        return cls(row["id"], row["email"], row["role"], row["district_id"], row["region"], bool(row["disabled"]),
                   row["password_hash"] is not None, row["last_login"])


@dataclass(frozen=True)
class District:
    id: int
    name: str
    org_code: str
    region: str
    contact_email: str
    mail_domains: str = ""  # "harbor.k12.ma.us harborps.org": the domains its mail comes from, besides its contact's

    @classmethod
    def from_row(cls, row) -> District:
        return cls(row["id"], row["name"], row["org_code"], row["region"], row["contact_email"], row["mail_domains"])


# districts and regions

def add_district(db: Database, name: str, org_code: str = "", region: str = "", contact_email: str = "") -> District:
    """Return the district called ``name``, creating it (with the other details) if it is new."""
    with db.transaction() as c:
        c.execute("INSERT INTO districts (name, org_code, region, contact_email, created_at) VALUES (?, ?, ?, ?, ?) "
                  "ON CONFLICT (name) DO NOTHING", (name, org_code, region, contact_email, now()))
    district = district_named(db, name)
    assert district is not None  # inserted just now, or there already
    return district


def update_district(db: Database, district_id: int, **values) -> None:
    """Change a district's org_code, region, contact_email or mail_domains."""
    allowed = {k: v for k, v in values.items() if k in ("org_code", "region", "contact_email", "mail_domains")}
    if allowed:
        with db.transaction() as c:
            c.execute(f"UPDATE districts SET {', '.join(f'{k} = ?' for k in allowed)} WHERE id = ?",
                      (*allowed.values(), district_id))


def district(db: Database, district_id: int) -> District | None:
    row = db.one("SELECT * FROM districts WHERE id = ?", (district_id,))
    return District.from_row(row) if row else None


def district_named(db: Database, name: str) -> District | None:
    row = db.one("SELECT * FROM districts WHERE name = ?", (name,))
    return District.from_row(row) if row else None


def districts(db: Database, region: str | None = None) -> list[District]:
    """Return every district (or a region's), by name."""
    if region is None:
        rows = db.all("SELECT * FROM districts ORDER BY name")
    else:
        rows = db.all("SELECT * FROM districts WHERE region = ? ORDER BY name", (region,))
    return [District.from_row(r) for r in rows]


def regions(db: Database) -> list[str]:
    """Return the regions districts and consultants belong to, by name."""
    rows = db.all("SELECT region FROM districts WHERE region != '' UNION SELECT region FROM users WHERE region != '' "
                  "ORDER BY 1")
    return [r[0] for r in rows]


# users

def add_user(db: Database, email: str, role: str, district_id: int | None = None, region: str = "") -> User:
    """Create an account without a password (it is set through an invitation); raise ValueError if it exists."""
    with db.transaction() as c:
        if c.execute("SELECT 1 FROM users WHERE email = ?", (email,)).fetchone():
            raise ValueError(f"an account for {email} already exists")
        c.execute("INSERT INTO users (email, role, district_id, region, created_at) VALUES (?, ?, ?, ?, ?)",
                  (email, role, district_id, region, now()))
    user = user_by_email(db, email)
    assert user is not None  # inserted just now
    return user


def user(db: Database, user_id: int) -> User | None:
    row = db.one("SELECT * FROM users WHERE id = ?", (user_id,))
    return User.from_row(row) if row else None


def user_by_email(db: Database, email: str) -> User | None:
    row = db.one("SELECT * FROM users WHERE email = ?", (email.strip(),))
    return User.from_row(row) if row else None


def users(db: Database) -> list[User]:
    return [User.from_row(r) for r in db.all("SELECT * FROM users ORDER BY role, email")]


def count_users(db: Database) -> int:
    return db.value("SELECT COUNT(*) FROM users")


def password_hash(db: Database, user_id: int) -> str | None:
    return db.value("SELECT password_hash FROM users WHERE id = ?", (user_id,))


def set_password_hash(db: Database, user_id: int, hashed: str) -> None:
    with db.transaction() as c:
        c.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed, user_id))


def set_disabled(db: Database, user_id: int, disabled: bool) -> None:
    with db.transaction() as c:
        c.execute("UPDATE users SET disabled = ? WHERE id = ?", (int(disabled), user_id))
        if disabled:
            c.execute("UPDATE invitations SET used_at = ? WHERE user_id = ? AND used_at IS NULL", (now(), user_id))
            c.execute("DELETE FROM sessions WHERE user_id = ?", (user_id,))


def disable_unused(db: Database, before: str) -> list[str]:
    """Disable every enabled account not signed in since ``before`` (never signed in: created before it), as
    set_disabled does, in one transaction; return their emails. The last enabled admin is kept, so someone can
    still enable the others."""
    with db.transaction() as c:
        found = c.execute("SELECT id, email, role FROM users WHERE disabled = 0 AND COALESCE(last_login, created_at) "
                          "< ? ORDER BY COALESCE(last_login, created_at) DESC", (before,)).fetchall()
        ids = [row["id"] for row in found]
        admins_left = c.execute(f"SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id NOT IN "
                                f"({', '.join('?' * len(ids)) or 'NULL'})", ids).fetchone()[0]
        if not admins_left:  # the most recently active of them stays
            found = [row for row in found if row["id"] != next((r["id"] for r in found if r["role"] == "admin"), None)]
        for row in found:
            c.execute("UPDATE users SET disabled = 1 WHERE id = ?", (row["id"],))
            c.execute("UPDATE invitations SET used_at = ? WHERE user_id = ? AND used_at IS NULL", (now(), row["id"]))
            c.execute("DELETE FROM sessions WHERE user_id = ?", (row["id"],))
    return [row["email"] for row in found]


def record_login(db: Database, user_id: int) -> None:
    with db.transaction() as c:
        c.execute("UPDATE users SET last_login = ? WHERE id = ?", (now(), user_id))


# invitations: a one-time link where the person sets a password

def add_invitation(db: Database, user_id: int, token_hash: str, expires_at: str) -> None:
    """Store a new invitation, ending any earlier one still open for the same account."""
    with db.transaction() as c:
        c.execute("UPDATE invitations SET used_at = ? WHERE user_id = ? AND used_at IS NULL", (now(), user_id))
        c.execute("INSERT INTO invitations (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                  (token_hash, user_id, now(), expires_at))


def open_invitation(db: Database, token_hash: str):
    """Return (user id, expires_at) of an invitation not yet used, or None."""
    return db.one("SELECT user_id, expires_at FROM invitations WHERE token_hash = ? AND used_at IS NULL",
                  (token_hash,))


def use_invitation(db: Database, token_hash: str, hashed_password: str) -> bool:
    """Set the password of an open invitation's account and close the invitation; False if it was used meanwhile."""
    with db.transaction() as c:
        row = c.execute("SELECT user_id FROM invitations WHERE token_hash = ? AND used_at IS NULL",
                        (token_hash,)).fetchone()
        if row is None:
            return False
        c.execute("UPDATE invitations SET used_at = ? WHERE token_hash = ?", (now(), token_hash))
        c.execute("UPDATE users SET password_hash = ? WHERE id = ?", (hashed_password, row["user_id"]))
    return True


# login attempts, for rate limiting

def reserve_attempt(db: Database, account: str, address: str, at: float, since: float, max_for_account: int,
                    max_for_address: int = 0) -> int | None:
    """Count an attempt as failed before it is checked, in one write transaction with the count of the failures
    since ``since`` (of the account, and of the address when ``max_for_address``): return the attempt's id, or None
    (nothing stored) when the account or address is at its limit already. Parallel attempts queue on the write
    lock, so no more than the limit are ever checked; settle_attempt marks the one that succeeded."""
    with db.transaction() as c:
        failures = c.execute("SELECT COUNT(*) FROM login_attempts WHERE account = ? AND at >= ? AND succeeded = 0",
                             (account.casefold(), since)).fetchone()[0]
        if failures >= max_for_account:
            return None
        if max_for_address and c.execute(
                "SELECT COUNT(*) FROM login_attempts WHERE address = ? AND at >= ? AND succeeded = 0",
                (address, since)).fetchone()[0] >= max_for_address:
            return None
        row = c.execute("INSERT INTO login_attempts (account, address, at, succeeded) VALUES (?, ?, ?, 0) "
                        "RETURNING id", (account.casefold(), address, at)).fetchone()
        c.execute("DELETE FROM login_attempts WHERE at < ?", (at - 86_400,))
        return row[0]


def settle_attempt(db: Database, attempt: int) -> None:
    """Record that a reserved attempt succeeded."""
    with db.transaction() as c:
        c.execute("UPDATE login_attempts SET succeeded = 1 WHERE id = ?", (attempt,))


def failed_logins(db: Database, since: float, account: str | None = None, address: str | None = None) -> int:
    """Return how many failed sign-ins there were since ``since`` for an account, or from an address."""
    if account is not None:
        return db.value("SELECT COUNT(*) FROM login_attempts WHERE account = ? AND at >= ? AND succeeded = 0",
                        (account.casefold(), since))
    return db.value("SELECT COUNT(*) FROM login_attempts WHERE address = ? AND at >= ? AND succeeded = 0",
                    (address, since))
