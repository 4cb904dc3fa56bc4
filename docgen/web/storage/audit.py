"""The audit log: who viewed, changed, submitted, reviewed or downloaded what, and when.

The audit table only ever grows: the schema's triggers refuse any UPDATE or
DELETE, and no route writes to it except through ``record``.
"""

from __future__ import annotations

import sqlite3

from docgen.web.storage.db import Database, now


def record(db: Database, user, action: str, district_id: int | None = None, detail: str = "") -> None:
    """Add one line to the audit log."""
    with db.transaction() as c:
        record_in(c, user, action, district_id, detail)


def record_in(c: sqlite3.Connection, user, action: str, district_id: int | None = None, detail: str = "") -> None:
    """Add one line to the audit log inside the caller's transaction (stored with what it records, or not at all)."""
    c.execute("INSERT INTO audit (at, user_id, email, action, district_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
              (now(), user.id if user else None, user.email if user else "", action, district_id, detail))


def entries(db: Database, limit: int = 200, before: int | None = None, district_id: int | None = None,
            action: str | None = None) -> list:
    """Return the newest audit lines (before line ``before``), optionally of one district or action."""
    where, parameters = ["1 = 1"], list[object]()
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
