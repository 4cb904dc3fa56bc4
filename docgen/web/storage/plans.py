"""Plans, their versions and submissions: their SQL, and nothing else.

A version is the plan as JSON, compressed, with who saved it, when, from where
(the form, an upload, an import, a restore) and its check counts, so a
dashboard never has to rebuild a plan to list it. Each upload, import or
restore is a version; a person's form saves a few minutes apart are one
version (an editing session, updated in place), so what is stored grows with
the sessions people have, not with every keystroke.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from docgen.errors import Busy, PlanLocked, StorageFull
from docgen.model.plan import Plan, plan_from_dict, plan_to_dict
from docgen.web.storage.db import Database, now

STATUSES = ("not started", "draft", "submitted", "in review", "feedback sent")
MAX_ATTEMPTS = 50  # a save redone this often while others save the same plan gives up and says so


@dataclass(frozen=True)
class Version:
    """One saved state of a plan."""

    id: int
    plan_id: int
    number: int
    source: str  # "form", "upload", "import", "e-mail", "roll-forward", "restore", "undo", "reopen", "demo"
    note: str
    errors: int
    warnings: int
    user_email: str
    created_at: str  # its first save
    updated_at: str = ""  # its last save (an editing session's versions take many saves)


@dataclass(frozen=True)
class PlanRow:
    """A district's plan for one year, with the figures the pages list."""

    id: int
    district_id: int
    variant: str
    latest: int
    status: str
    updated_at: str | None
    submitted_at: str | None


def encode(plan: Plan) -> bytes:
    return zlib.compress(json.dumps(plan_to_dict(plan), ensure_ascii=False).encode(), 6)


def decode(data: bytes, variant: str) -> Plan:
    return plan_from_dict(json.loads(zlib.decompress(data)), variant)


def plan_row(db: Database, district_id: int, variant: str) -> PlanRow | None:
    row = db.one("SELECT * FROM plans WHERE district_id = ? AND variant = ?", (district_id, variant))
    return _plan(row) if row else None


def plans_of(db: Database, district_id: int) -> list[PlanRow]:
    """Return a district's plans, newest variant first."""
    return [_plan(r) for r in db.all("SELECT * FROM plans WHERE district_id = ? ORDER BY variant DESC",
                                     (district_id,))]


def ensure_plan(db: Database, district_id: int, variant: str) -> PlanRow:
    """Return a district's plan for a variant, creating its row the first time (a read, most of the time)."""
    found = plan_row(db, district_id, variant)
    if found is not None:
        return found
    with db.transaction() as c:
        c.execute("INSERT INTO plans (district_id, variant) VALUES (?, ?) ON CONFLICT DO NOTHING",
                  (district_id, variant))
    created = plan_row(db, district_id, variant)
    assert created is not None  # inserted just now, or by another request meanwhile
    return created


@dataclass(frozen=True)
class Summary:
    """What a version's list and the dashboards show without reading the plan: check counts, identified schools."""

    errors: int
    warnings: int
    identified: str = ""  # "Underperforming; In need of focused/targeted support"


SESSION_MINUTES = 10  # a person's form saves at most this far apart are one editing session: one version
QUOTA_MB = 25  # the saved versions of a district's plans may take this much (the "version_quota_mb" setting)


@dataclass(frozen=True)
class Session:
    """Who is saving from the form: their saves a few minutes apart update one version (an editing session)."""

    user_id: int
    label: Callable[[Plan | None, Plan], str]  # what the session changed, from the plan before it to after it
    on_new: Callable[[sqlite3.Connection, int], None] | None = None  # the audit line, in the version's transaction
    joinable: bool = True  # False while someone else has the plan open: each save is then a version of its own


def change(db: Database, plan: PlanRow, edit: Callable[[Plan | None], Plan], summarize: Callable[[Plan], Summary],
           source: str, user_id: int | None, note: str = "", status: str | None = None,
           session: Session | None = None) -> tuple[int, Plan, bool]:
    """Apply ``edit`` to the latest version and store the result; return (number, plan, changed).

    The result is the next version, or with ``session``, the latest version
    itself when it is the same person's form session (their last save less
    than SESSION_MINUTES ago, not submitted since): the version is updated in
    place and labelled with what the whole session changed. A new version
    beyond the district's quota is refused (StorageFull, which says so).
    The edit, the check and the encoding are done outside the write
    transaction, which then stores the version only if no one saved the plan
    meanwhile (else the edit is made again on the newer version): two saves at
    once never lose each other's change, and the database is locked only for
    the statements that write. An edit that changes nothing stores nothing.
    The save is durable when this returns.
    """
    for _ in range(MAX_ATTEMPTS):
        row = db.one("SELECT p.latest, v.id, v.data, v.user_id, v.source, v.updated_at, "
                     "EXISTS (SELECT 1 FROM submissions s WHERE s.version_id = v.id) AS submitted "
                     "FROM plans p LEFT JOIN versions v ON v.plan_id = p.id AND v.number = p.latest WHERE p.id = ?",
                     (plan.id,))
        assert row is not None  # a plan row is never deleted
        latest = row["latest"]
        before = decode(row["data"], plan.variant) if row["data"] is not None else None
        after = edit(before)
        if before is not None and after == before and status is None:
            return latest, before, False
        stamp = now()
        same = (session is not None and session.joinable and status is None and latest > 0
                and row["user_id"] == session.user_id
                and row["source"] == source == "form" and not row["submitted"] and _within(row["updated_at"], stamp))
        if session is not None:
            start = load_version(db, plan, latest - 1) if same and latest > 1 else None if same else before
            note = session.label(start, after)
        summary, encoded = summarize(after), encode(after)
        with db.transaction() as c:
            if c.execute("SELECT latest FROM plans WHERE id = ?", (plan.id,)).fetchone()[0] != latest or (
                    latest and c.execute("SELECT data FROM versions WHERE id = ?", (row["id"],)).fetchone()[0]
                    != row["data"]):
                continue  # someone saved meanwhile (a new version, or theirs updated in place): edit theirs instead
            if same:
                c.execute("UPDATE versions SET data = ?, note = ?, errors = ?, warnings = ?, identified = ?, "
                          "updated_at = ? WHERE id = ?", (encoded, note, summary.errors, summary.warnings,
                                                          summary.identified, stamp, row["id"]))
                c.execute("UPDATE plans SET updated_at = ? WHERE id = ?", (stamp, plan.id))
                return latest, after, True
            _within_quota(db, c, plan, len(encoded))
            c.execute("INSERT INTO versions (plan_id, number, data, source, note, errors, warnings, identified, "
                      "user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (plan.id, latest + 1, encoded, source, note, summary.errors, summary.warnings,
                       summary.identified, user_id, stamp, stamp))
            c.execute("UPDATE plans SET latest = ?, updated_at = ?, status = COALESCE(?, status) WHERE id = ?",
                      (latest + 1, stamp, status, plan.id))
            if session is not None and session.on_new is not None:
                session.on_new(c, latest + 1)
        return latest + 1, after, True
    raise Busy(f"the plan was saved {MAX_ATTEMPTS} times by others while this save was made; save again")


def _within(last: str | None, stamp: str) -> bool:
    """Return True when ``last`` (a stored time) is less than SESSION_MINUTES before ``stamp``."""
    if not last:
        return False
    gap = datetime.fromisoformat(stamp) - datetime.fromisoformat(last)
    return timedelta(0) <= gap < timedelta(minutes=SESSION_MINUTES)


def _within_quota(db: Database, c: sqlite3.Connection, plan: PlanRow, adding: int) -> None:
    """Refuse a new version that would take the district's saved versions beyond their quota (StorageFull)."""
    quota_mb = float(db.setting("version_quota_mb", str(QUOTA_MB)) or QUOTA_MB)
    used = c.execute("SELECT COALESCE(SUM(LENGTH(v.data)), 0) FROM versions v JOIN plans p ON p.id = v.plan_id "
                     "WHERE p.district_id = ?", (plan.district_id,)).fetchone()[0]
    if used + adding > quota_mb * 2**20:
        raise StorageFull(f"This district's saved versions have reached their quota ({quota_mb:g} MB), so this "
                          "change was not saved; it is kept in this browser. Ask an administrator to raise the "
                          "quota (Settings: version quota).")


def digest(db: Database, plan: PlanRow) -> str:
    """Return a fingerprint of what the latest version holds now (an editing session changes it in place)."""
    data = db.value("SELECT v.data FROM plans p JOIN versions v ON v.plan_id = p.id AND v.number = p.latest "
                    "WHERE p.id = ?", (plan.id,))
    return hashlib.sha256(data).hexdigest() if data is not None else ""


def load_version(db: Database, plan: PlanRow, number: int | None = None) -> Plan | None:
    """Return the plan as saved in version ``number`` (default: the latest), or None when there is none."""
    data = db.value("SELECT data FROM versions WHERE plan_id = ? AND number = ?",
                    (plan.id, plan.latest if number is None else number))
    return decode(data, plan.variant) if data is not None else None


def changed_by(db: Database, plan: PlanRow, since: int, value: Callable[[Plan], object]) -> Version | None:
    """Return the version after ``since`` that gave ``value(plan)`` its latest value (who saved it, when), or None.

    Versions are read newest first and only back to the one that held a
    different value, so a conflict over one field reads few of them.
    """
    rows = db.all("SELECT v.id, v.number, v.source, v.note, v.errors, v.warnings, v.created_at, v.updated_at, v.data, "
                  "COALESCE(u.email, '') AS email FROM versions v LEFT JOIN users u ON u.id = v.user_id "
                  "WHERE v.plan_id = ? AND v.number > ? ORDER BY v.number DESC", (plan.id, since))
    found, latest = None, object()
    for r in rows:
        held = value(decode(r["data"], plan.variant))
        if found is not None and held != latest:
            break
        found, latest = Version(r["id"], plan.id, r["number"], r["source"], r["note"], r["errors"], r["warnings"],
                                r["email"], r["created_at"], r["updated_at"] or r["created_at"]), held
    return found


def versions(db: Database, plan_id: int, limit: int = -1) -> list[Version]:
    """Return a plan's versions, newest first (the newest ``limit`` of them), without their content."""
    rows = db.all("SELECT v.id, v.plan_id, v.number, v.source, v.note, v.errors, v.warnings, v.created_at, "
                  "v.updated_at, COALESCE(u.email, '') AS email FROM versions v LEFT JOIN users u ON u.id = v.user_id "
                  "WHERE v.plan_id = ? ORDER BY v.number DESC LIMIT ?", (plan_id, limit))
    return [Version(r["id"], r["plan_id"], r["number"], r["source"], r["note"], r["errors"], r["warnings"],
                    r["email"], r["created_at"], r["updated_at"] or r["created_at"]) for r in rows]


def submit(db: Database, plan: PlanRow, user_id: int | None) -> None:
    """Freeze version ``plan.latest`` (the one the caller checked) as the one submitted to SSoS.

    The checks are made inside the insert's transaction, so of many clicks at
    once one submits and the others are told (PlanLocked); the database's
    unique indexes (one submission per version, one open per plan) hold it too.
    """
    stamp = now()
    with db.transaction() as c:
        if c.execute("SELECT 1 FROM submissions WHERE plan_id = ? AND reopened_at IS NULL", (plan.id,)).fetchone():
            raise PlanLocked("The plan is already submitted.")
        if c.execute("SELECT latest FROM plans WHERE id = ?", (plan.id,)).fetchone()[0] != plan.latest:
            raise PlanLocked("The plan was changed meanwhile: check it again, then submit it.")
        version_id = c.execute("SELECT id FROM versions WHERE plan_id = ? AND number = ?",
                               (plan.id, plan.latest)).fetchone()[0]
        c.execute("INSERT INTO submissions (plan_id, version_id, user_id, submitted_at) VALUES (?, ?, ?, ?)",
                  (plan.id, version_id, user_id, stamp))
        c.execute("UPDATE plans SET status = 'submitted', submitted_at = ? WHERE id = ?", (stamp, plan.id))


def resubmit_latest(db: Database, plan_id: int) -> None:
    """Make the latest version the open submission's (a consultant corrected how an e-mailed plan was read)."""
    with db.transaction() as c:
        c.execute("UPDATE submissions SET version_id = (SELECT v.id FROM versions v JOIN plans p ON p.id = v.plan_id "
                  "AND v.number = p.latest WHERE p.id = ?) WHERE plan_id = ? AND reopened_at IS NULL",
                  (plan_id, plan_id))


def reopen(db: Database, plan: PlanRow, user_id: int | None) -> None:
    """Close the open submission: the district edits a new draft and submits again."""
    with db.transaction() as c:
        c.execute("UPDATE submissions SET reopened_at = ?, reopened_by = ? WHERE plan_id = ? AND reopened_at IS NULL",
                  (now(), user_id, plan.id))
        c.execute("UPDATE plans SET status = 'draft' WHERE id = ?", (plan.id,))


def open_submission(db: Database, plan_id: int):
    """Return the open submission (version number, who, when) or None."""
    return db.one("SELECT s.id, v.number, s.submitted_at, COALESCE(u.email, '') AS email FROM submissions s "
                  "JOIN versions v ON v.id = s.version_id LEFT JOIN users u ON u.id = s.user_id "
                  "WHERE s.plan_id = ? AND s.reopened_at IS NULL ORDER BY s.id DESC LIMIT 1", (plan_id,))


def _plan(row) -> PlanRow:
    return PlanRow(row["id"], row["district_id"], row["variant"], row["latest"],
                   row["status"] if row["latest"] else "not started", row["updated_at"], row["submitted_at"])


@dataclass(frozen=True)
class DashboardRow:
    """One district of a region as the consultant's dashboard lists it."""

    district_id: int
    name: str
    status: str
    errors: int | None
    warnings: int | None
    identified: list[str]
    updated_at: str | None
    submitted_at: str | None
    feedback_sent_at: str | None

    @property
    def changed_since_feedback(self) -> bool:
        return bool(self.feedback_sent_at and self.updated_at and self.updated_at > self.feedback_sent_at)


def dashboard(db: Database, region: str, variant: str) -> list[DashboardRow]:
    """Return every district of ``region`` with its plan's status, check counts, identified schools and dates."""
    rows = db.all(
        "SELECT d.id, d.name, p.status, COALESCE(p.latest, 0) AS latest, p.updated_at, p.submitted_at, v.errors, "
        "v.warnings, v.identified, (SELECT MAX(r.feedback_sent_at) FROM reviews r WHERE r.plan_id = p.id) AS sent "
        "FROM districts d LEFT JOIN plans p ON p.district_id = d.id AND p.variant = ? "
        "LEFT JOIN versions v ON v.plan_id = p.id AND v.number = p.latest "
        "WHERE d.region = ? ORDER BY d.name", (variant, region))
    return [DashboardRow(r["id"], r["name"], r["status"] if r["latest"] else "not started", r["errors"], r["warnings"],
                         [c for c in (r["identified"] or "").split("; ") if c], r["updated_at"], r["submitted_at"],
                         r["sent"]) for r in rows]


def submitted_versions(db: Database, region: str, variant: str) -> list[tuple[int, int, int]]:
    """Return (district id, plan id, version number) of every open submission in a region."""
    return [tuple(r) for r in db.all(
        "SELECT d.id, p.id, v.number FROM districts d JOIN plans p ON p.district_id = d.id AND p.variant = ? "
        "JOIN submissions s ON s.plan_id = p.id AND s.reopened_at IS NULL JOIN versions v ON v.id = s.version_id "
        "WHERE d.region = ? ORDER BY d.name", (variant, region))]


@dataclass(frozen=True)
class YearRow:
    """One plan year of a district as its home page lists it: the plan's status and dates, and its check-ins."""

    variant: str
    status: str
    latest: int
    updated_at: str | None
    submitted_at: str | None
    feedback_sent_at: str | None
    checkins: int


def years_of(db: Database, district_id: int) -> list[YearRow]:
    """Return every plan year of a district that has a saved version, newest first."""
    rows = db.all(
        "SELECT p.variant, p.status, p.latest, p.updated_at, p.submitted_at, "
        "(SELECT MAX(r.feedback_sent_at) FROM reviews r WHERE r.plan_id = p.id) AS sent, "
        "(SELECT COUNT(*) FROM checkins c WHERE c.district_id = p.district_id AND c.year = p.variant) AS checkins "
        "FROM plans p WHERE p.district_id = ? AND p.latest > 0 ORDER BY p.variant DESC", (district_id,))
    return [YearRow(r["variant"], r["status"], r["latest"], r["updated_at"], r["submitted_at"], r["sent"],
                    r["checkins"]) for r in rows]
