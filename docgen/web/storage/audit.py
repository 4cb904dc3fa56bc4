"""The audit log (who viewed, changed, submitted, reviewed or downloaded what, and when) and background jobs.

The audit table only ever grows: the schema's triggers refuse any UPDATE or
DELETE, and no route writes to it except through ``record``.
"""

from __future__ import annotations

from .db import Database, now


def record(db: Database, user, action: str, district_id: int | None = None, detail: str = "") -> None:
    """Add one line to the audit log."""
    with db.transaction() as c:
        c.execute("INSERT INTO audit (at, user_id, email, action, district_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
                  (now(), user.id if user else None, user.email if user else "", action, district_id, detail))


def entries(db: Database, limit: int = 200, before: int | None = None, district_id: int | None = None,
            action: str | None = None) -> list:
    """Return the newest audit lines (before line ``before``), optionally of one district or action."""
    where, parameters = ["1 = 1"], []
    if before is not None:
        where.append("a.id < ?")
        parameters.append(before)
    if district_id is not None:
        where.append("a.district_id = ?")
        parameters.append(district_id)
    if action:
        where.append("a.action = ?")
        parameters.append(action)
    return db.all("SELECT a.*, COALESCE(d.name, '') AS district FROM audit a LEFT JOIN districts d "
                  f"ON d.id = a.district_id WHERE {' AND '.join(where)} ORDER BY a.id DESC LIMIT ?",
                  (*parameters, limit))


def actions(db: Database) -> list[str]:
    return [r[0] for r in db.all("SELECT DISTINCT action FROM audit ORDER BY action")]


# background jobs (a region's "Download all")

def add_job(db: Database, kind: str, region: str, user_id: int, total: int) -> int:
    with db.transaction() as c:
        return c.execute("INSERT INTO jobs (kind, region, user_id, status, total, created_at) VALUES (?, ?, ?, "
                         "'running', ?, ?)", (kind, region, user_id, total, now())).lastrowid


def job_progress(db: Database, job_id: int, done: int) -> None:
    with db.transaction() as c:
        c.execute("UPDATE jobs SET done = ? WHERE id = ?", (done, job_id))


def finish_job(db: Database, job_id: int, status: str, file: str = "", message: str = "") -> None:
    with db.transaction() as c:
        c.execute("UPDATE jobs SET status = ?, file = ?, message = ?, finished_at = ? WHERE id = ?",
                  (status, file, message, now(), job_id))


def job(db: Database, job_id: int):
    return db.one("SELECT * FROM jobs WHERE id = ?", (job_id,))


def stop_interrupted_jobs(db: Database) -> None:
    """Mark jobs a stopped server left running as failed, so no page waits for them forever."""
    with db.transaction() as c:
        c.execute("UPDATE jobs SET status = 'failed', message = 'the server stopped while it ran; start it again', "
                  "finished_at = ? WHERE status = 'running'", (now(),))
