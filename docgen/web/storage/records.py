"""A plan year as a record: its rows, read for the archive, and their removal once the archive is confirmed.

A year ("fy25") owns its plans (``plans.variant``), their versions,
submissions, reviews and comments, and its check-ins (``checkins.year``) with
their notes. The audit log has no year: its lines belong to the year whose
period (the state's fiscal year, 1 July to 30 June) holds their time. Retiring
a year deletes all of those in one transaction, after writing a
``retired_years`` row (which no one can change or delete, migration 9) whose
period is the only one inside which the audit's trigger lets lines go; the
audit line saying what was retired is written last, dated now, and stays.
"""

from __future__ import annotations

import json

from docgen.errors import DocgenError
from docgen.web.storage.db import Database, now

PLANS_OF = "SELECT id FROM plans WHERE variant = ?"
CHECKINS_OF = "SELECT id FROM checkins WHERE year = ?"
# what each table holds of a year: (table, the columns shown in the index, the year's rows); data columns aside
TABLES = {
    "plans": ("SELECT p.id, d.name AS district, d.org_code, d.region, p.variant, p.latest, p.status, p.updated_at, "
              "p.submitted_at FROM plans p JOIN districts d ON d.id = p.district_id WHERE p.variant = ? "
              "ORDER BY d.name"),
    "versions": ("SELECT v.id, v.plan_id, d.name AS district, v.number, v.source, v.note, v.errors, v.warnings, "
                 "COALESCE(u.email, '') AS saved_by, v.created_at FROM versions v JOIN plans p ON p.id = v.plan_id "
                 "JOIN districts d ON d.id = p.district_id LEFT JOIN users u ON u.id = v.user_id "
                 "WHERE p.variant = ? ORDER BY d.name, v.number"),
    "submissions": ("SELECT s.id, s.plan_id, d.name AS district, v.number AS version, COALESCE(u.email, '') AS "
                    "submitted_by, s.submitted_at, s.reopened_at FROM submissions s JOIN plans p ON p.id = s.plan_id "
                    "JOIN districts d ON d.id = p.district_id JOIN versions v ON v.id = s.version_id "
                    "LEFT JOIN users u ON u.id = s.user_id WHERE p.variant = ? ORDER BY d.name, s.id"),
    "reviews": ("SELECT r.id, r.plan_id, d.name AS district, r.version, COALESCE(u.email, '') AS updated_by, "
                "r.updated_at, r.feedback_sent_at, COALESCE(f.email, '') AS feedback_sent_by FROM reviews r "
                "JOIN plans p ON p.id = r.plan_id JOIN districts d ON d.id = p.district_id "
                "LEFT JOIN users u ON u.id = r.updated_by LEFT JOIN users f ON f.id = r.feedback_sent_by "
                "WHERE p.variant = ? ORDER BY d.name, r.version"),
    "comments": ("SELECT c.id, c.plan_id, d.name AS district, c.version, c.section, c.thread, "
                 "COALESCE(u.email, '') AS author, c.body, c.created_at, c.resolved_at FROM comments c "
                 "JOIN plans p ON p.id = c.plan_id JOIN districts d ON d.id = p.district_id "
                 "LEFT JOIN users u ON u.id = c.author_id WHERE p.variant = ? ORDER BY d.name, c.id"),
    "checkins": ("SELECT c.id, d.name AS district, c.year, c.priority, c.benchmark, c.date, c.value, c.status, c.note, "
                 "COALESCE(u.email, '') AS author, c.created_at, c.updated_at FROM checkins c "
                 "JOIN districts d ON d.id = c.district_id LEFT JOIN users u ON u.id = c.author_id "
                 "WHERE c.year = ? ORDER BY d.name, c.priority, c.benchmark, c.date"),
    "checkin_notes": ("SELECT n.id, n.checkin_id, COALESCE(u.email, '') AS author, n.body, n.created_at "
                      "FROM checkin_notes n LEFT JOIN users u ON u.id = n.author_id "
                      f"WHERE n.checkin_id IN ({CHECKINS_OF}) ORDER BY n.id"),
}
AUDIT = ("SELECT a.id, a.at, a.email, a.action, COALESCE(d.name, '') AS district, a.detail FROM audit a "
         "LEFT JOIN districts d ON d.id = a.district_id WHERE a.at >= ? AND a.at < ? ORDER BY a.id")
# the year's rows, deleted children first (foreign keys), the audit's period last
DELETES = [
    f"DELETE FROM checkin_notes WHERE checkin_id IN ({CHECKINS_OF})",
    "DELETE FROM checkins WHERE year = ?",
    f"DELETE FROM comments WHERE plan_id IN ({PLANS_OF})",
    f"DELETE FROM reviews WHERE plan_id IN ({PLANS_OF})",
    f"DELETE FROM submissions WHERE plan_id IN ({PLANS_OF})",
    f"DELETE FROM versions WHERE plan_id IN ({PLANS_OF})",
    "DELETE FROM plans WHERE variant = ?",
]


def rows(db: Database, table: str, year: str) -> list[dict]:
    """Return a year's rows of ``table`` (one of TABLES) as dicts, as the archive's index lists them."""
    return [dict(row) for row in db.all(TABLES[table], (year,))]


def audit_rows(db: Database, since: str, until: str) -> list[dict]:
    """Return the audit lines dated in [since, until): a year's period."""
    return [dict(row) for row in db.all(AUDIT, (since, until))]


def version_data(db: Database, version_id: int) -> bytes:
    """Return a version's stored plan (compressed JSON; plans.decode reads it)."""
    return db.value("SELECT data FROM versions WHERE id = ?", (version_id,))


def counts(db: Database, year: str, since: str, until: str) -> dict[str, int]:
    """Return how many rows of each kind the year holds (the audit lines of its period included)."""
    found = {table: db.value(f"SELECT COUNT(*) FROM ({sql}) AS year_rows", (year,)) for table, sql in TABLES.items()}
    found["audit"] = db.value("SELECT COUNT(*) FROM audit WHERE at >= ? AND at < ?", (since, until))
    return found


def retired(db: Database) -> list[dict]:
    """Return the retired years, oldest first, each with what it held (counts) and its archive."""
    return [{**dict(row), "counts": json.loads(row["counts"])}
            for row in db.all("SELECT * FROM retired_years ORDER BY retired_at")]


def retire(db: Database, year: str, since: str, until: str, archive_name: str, sha256: str,
           archived: dict[str, int], by: str) -> dict[str, int]:
    """Delete the year (and the audit lines of its period) in one transaction; return what was deleted.

    Refused, with nothing deleted, when the year's rows are not what the archive holds (``archived``: changed
    since it was made), when the year was retired before, or when its period has not ended.
    """
    if until > now():
        raise DocgenError(f"{year.upper()} is not over until {until[:10]}; only a closed year can be retired.")
    with db.transaction() as c:
        if c.execute("SELECT 1 FROM retired_years WHERE year = ?", (year,)).fetchone():
            raise DocgenError(f"{year.upper()} was retired already.")
        present = counts(db, year, since, until)
        if present != archived:
            changed = ", ".join(f"{k}: {archived.get(k, 0)} archived, {n} now" for k, n in present.items()
                                if archived.get(k) != n)
            raise DocgenError(f"{year.upper()} changed since the archive was made ({changed}); make the archive again.")
        c.execute("INSERT INTO retired_years (year, audit_from, audit_until, archive_name, archive_sha256, counts, "
                  "retired_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  (year, since, until, archive_name, sha256, json.dumps(present), now()))
        for statement in DELETES:
            c.execute(statement, (year,))
        c.execute("DELETE FROM audit WHERE at >= ? AND at < ?", (since, until))
        detail = (f"{year.upper()}: " + ", ".join(f"{n} {k}" for k, n in present.items())
                  + f"; archive {archive_name}, sha256 {sha256}")
        c.execute("INSERT INTO audit (at, user_id, email, action, detail) VALUES (?, NULL, ?, ?, ?)",
                  (now(), by, "retired a plan year", detail))
    return present
