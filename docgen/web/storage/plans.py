"""Plans, their versions and submissions: their SQL, and nothing else.

Every save is a new version (the plan as JSON, compressed), with who saved it,
when, from where (the form, an upload, an import, a restore) and its check
counts, so a dashboard never has to rebuild a plan to list it.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from ...errors import Busy, PlanLocked
from ...model import Plan, plan_from_dict, plan_to_dict
from .db import Database, now

STATUSES = ("not started", "draft", "submitted", "in review", "feedback sent")
MAX_ATTEMPTS = 50  # a save redone this often while others save the same plan gives up and says so


@dataclass(frozen=True)
class Version:
    """One saved state of a plan."""

    id: int
    plan_id: int
    number: int
    source: str  # "form", "upload", "import", "roll-forward", "restore", "undo", "reopen", "demo"
    note: str
    errors: int
    warnings: int
    user_email: str
    created_at: str


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


def change(db: Database, plan: PlanRow, edit: Callable[[Plan | None], Plan], summarize: Callable[[Plan], Summary],
           source: str, user_id: int | None, note: str = "", status: str | None = None) -> tuple[int, Plan, bool]:
    """Apply ``edit`` to the latest version and store the result as the next version; return (number, plan, changed).

    The edit, the check and the encoding are done outside the write
    transaction, which then stores the version only if no one saved the plan
    meanwhile (else the edit is made again on the newer version): two saves at
    once never lose each other's change, and the database is locked only for
    the two statements that write. An edit that changes nothing stores nothing.
    The save is durable when this returns.
    """
    for _ in range(MAX_ATTEMPTS):
        row = db.one("SELECT latest FROM plans WHERE id = ?", (plan.id,))
        assert row is not None  # a plan row is never deleted
        latest = row["latest"]
        data = db.value("SELECT data FROM versions WHERE plan_id = ? AND number = ?", (plan.id, latest))
        before = decode(data, plan.variant) if data is not None else None
        after = edit(before)
        if before is not None and after == before and status is None:
            return latest, before, False
        summary, encoded, stamp = summarize(after), encode(after), now()
        with db.transaction() as c:
            if c.execute("SELECT latest FROM plans WHERE id = ?", (plan.id,)).fetchone()[0] != latest:
                continue  # someone saved meanwhile: edit their version instead
            c.execute("INSERT INTO versions (plan_id, number, data, source, note, errors, warnings, identified, "
                      "user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      (plan.id, latest + 1, encoded, source, note, summary.errors, summary.warnings,
                       summary.identified, user_id, stamp))
            c.execute("UPDATE plans SET latest = ?, updated_at = ?, status = COALESCE(?, status) WHERE id = ?",
                      (latest + 1, stamp, status, plan.id))
        return latest + 1, after, True
    raise Busy(f"the plan was saved {MAX_ATTEMPTS} times by others while this save was made; save again")


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
    rows = db.all("SELECT v.id, v.number, v.source, v.note, v.errors, v.warnings, v.created_at, v.data, "
                  "COALESCE(u.email, '') AS email FROM versions v LEFT JOIN users u ON u.id = v.user_id "
                  "WHERE v.plan_id = ? AND v.number > ? ORDER BY v.number DESC", (plan.id, since))
    found, latest = None, object()
    for r in rows:
        held = value(decode(r["data"], plan.variant))
        if found is not None and held != latest:
            break
        found, latest = Version(r["id"], plan.id, r["number"], r["source"], r["note"], r["errors"], r["warnings"],
                                r["email"], r["created_at"]), held
    return found


def versions(db: Database, plan_id: int, limit: int = -1) -> list[Version]:
    """Return a plan's versions, newest first (the newest ``limit`` of them), without their content."""
    rows = db.all("SELECT v.id, v.plan_id, v.number, v.source, v.note, v.errors, v.warnings, v.created_at, "
                  "COALESCE(u.email, '') AS email FROM versions v LEFT JOIN users u ON u.id = v.user_id "
                  "WHERE v.plan_id = ? ORDER BY v.number DESC LIMIT ?", (plan_id, limit))
    return [Version(r["id"], r["plan_id"], r["number"], r["source"], r["note"], r["errors"], r["warnings"],
                    r["email"], r["created_at"]) for r in rows]


def submit(db: Database, plan: PlanRow, user_id: int) -> None:
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


def reopen(db: Database, plan: PlanRow, user_id: int) -> None:
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
