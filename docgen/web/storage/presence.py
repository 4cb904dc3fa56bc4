"""Who has each district's plan open, and since when they were last seen: its SQL, and nothing else."""

from __future__ import annotations

from docgen.web.storage.db import Database


def recent(db: Database, district_id: int, since: float) -> dict[str, float]:
    """Return the people seen on a district's plan after ``since`` (seconds since the epoch), with when."""
    return {r["email"]: r["seen_at"] for r in db.all(
        "SELECT email, seen_at FROM presence WHERE district_id = ? AND seen_at > ?", (district_id, since))}


def note(db: Database, district_id: int, email: str, at: float, forget_before: float) -> None:
    """Record that ``email`` has the plan open at ``at``; forget who was last seen before ``forget_before``."""
    with db.transaction() as c:
        c.execute("INSERT INTO presence (district_id, email, seen_at) VALUES (?, ?, ?) ON CONFLICT "
                  "(district_id, email) DO UPDATE SET seen_at = excluded.seen_at", (district_id, email, at))
        c.execute("DELETE FROM presence WHERE district_id = ? AND seen_at < ?", (district_id, forget_before))


def others_here(db: Database, district_id: int, user_id: int, since: float) -> bool:
    """Return True when someone other than ``user_id`` was seen on the district's plan after ``since``."""
    return db.one("SELECT EXISTS (SELECT 1 FROM presence p JOIN users u ON lower(u.email) = lower(p.email) "
                  "WHERE p.district_id = ? AND p.seen_at > ? AND u.id != ?)",
                  (district_id, since, user_id))[0] == 1
