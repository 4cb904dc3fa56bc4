"""Who has a district's plan open: one row per person and plan, with when they were last seen; their SQL only.

In the database, so that every server process, and every app server on one
PostgreSQL database, sees the same people (services/presence.py).
"""

from __future__ import annotations

from .db import Database


def seen(db: Database, district_id: int, email: str, at: float, gone_before: float) -> None:
    """Note that ``email`` had the plan open at ``at``; forget whoever was last seen before ``gone_before``."""
    with db.transaction() as c:
        c.execute("INSERT INTO presence (district_id, email, seen_at) VALUES (?, ?, ?) ON CONFLICT (district_id, "
                  "email) DO UPDATE SET seen_at = excluded.seen_at", (district_id, email, at))
        c.execute("DELETE FROM presence WHERE seen_at < ?", (gone_before,))


def others(db: Database, district_id: int, email: str, since: float) -> list[str]:
    """Return the people other than ``email`` seen on the plan since ``since``, by email."""
    return [row[0] for row in db.all("SELECT email FROM presence WHERE district_id = ? AND email != ? AND "
                                     "seen_at >= ? ORDER BY email", (district_id, email, since))]
