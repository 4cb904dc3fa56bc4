"""Every district of every region with its plan of one year, for the state's view: its SQL, and nothing else."""

from __future__ import annotations

from docgen.web.storage.db import Database


def districts(db: Database, variant: str) -> list:
    """Return (id, name, region, status, latest, submitted_at, version_id, sent) of every district, by name."""
    return db.all(
        "SELECT d.id, d.name, d.region, p.status, COALESCE(p.latest, 0) AS latest, p.submitted_at, v.id AS version_id, "
        "(SELECT MAX(r.feedback_sent_at) FROM reviews r WHERE r.plan_id = p.id) AS sent "
        "FROM districts d LEFT JOIN plans p ON p.district_id = d.id AND p.variant = ? "
        "LEFT JOIN versions v ON v.plan_id = p.id AND v.number = p.latest ORDER BY d.region, d.name", (variant,))


def version_data(db: Database, version_id: int) -> bytes | None:
    """Return a stored version's plan (compressed JSON), or None."""
    return db.value("SELECT data FROM versions WHERE id = ?", (version_id,))


def counted_changes(db: Database) -> int:
    """Return the number every change to the tables the state view counts moves forward (migration 8's triggers)."""
    return db.value("SELECT n FROM counted_changes WHERE id = 1")
