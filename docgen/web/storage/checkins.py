"""Check-ins on a plan's interim benchmarks through the plan year, and consultants' notes on them: their SQL.

A check-in belongs to a district and a plan year (the variant's school year,
"fy26"), never to a version of the plan: recording one changes nothing the
district submitted. Notes are short threads, like the comments on sections:
who wrote, when, what.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.model.plan import CheckIn
from docgen.read import sizes
from docgen.web.storage.db import Database, new_id, now


@dataclass(frozen=True)
class Note:
    id: int
    author: str
    author_role: str
    body: str
    created_at: str


@dataclass
class StoredCheckIn:
    """A check-in as stored: the plan model's CheckIn, its id, who recorded it and the notes on it."""

    id: int
    checkin: CheckIn
    author: str
    updated_at: str
    notes: list[Note] = field(default_factory=list)


def submitted_version(db: Database, plan_id: int) -> int | None:
    """Return the version number of the plan's newest submission (the open one, if any), or None."""
    return db.value("SELECT v.number FROM submissions s JOIN versions v ON v.id = s.version_id WHERE s.plan_id = ? "
                    "ORDER BY s.id DESC LIMIT 1", (plan_id,))


def add(db: Database, district_id: int, year: str, checkin: CheckIn, author_id: int | None) -> int:
    """Store a new check-in of a district's plan year; return its id. Refused (ValueRefused) when the year holds
    as many as sizes.MAX_CHECKINS already: counted in the same transaction, so parallel adds cannot pass it."""
    stamp = now()
    with db.transaction() as c:
        sizes.refuse_more_checkins(c.execute("SELECT COUNT(*) FROM checkins WHERE district_id = ? AND year = ?",
                                             (district_id, year)).fetchone()[0])
        return new_id(c.execute(
            "INSERT INTO checkins (district_id, year, priority, benchmark, date, value, status, note, author_id, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (district_id, year, checkin.priority, checkin.benchmark, checkin.date, checkin.value, checkin.status,
             checkin.note, author_id, stamp, stamp)))


def update(db: Database, district_id: int, checkin_id: int, checkin: CheckIn, author_id: int) -> bool:
    """Change a district's check-in; return False when the district has no such check-in."""
    with db.transaction() as c:
        return c.execute(
            "UPDATE checkins SET priority = ?, benchmark = ?, date = ?, value = ?, status = ?, note = ?, "
            "author_id = ?, updated_at = ? WHERE id = ? AND district_id = ?",
            (checkin.priority, checkin.benchmark, checkin.date, checkin.value, checkin.status, checkin.note,
             author_id, now(), checkin_id, district_id)).rowcount == 1


def delete(db: Database, district_id: int, checkin_id: int) -> bool:
    """Remove a district's check-in and (by the cascade) its notes; False when it has no such check-in."""
    with db.transaction() as c:
        return c.execute("DELETE FROM checkins WHERE id = ? AND district_id = ?",
                         (checkin_id, district_id)).rowcount == 1


def benchmark_of(db: Database, district_id: int, year: str, checkin_id: int) -> tuple[int, int] | None:
    """Return (priority, benchmark) of the district's check-in of ``year``, or None when it has no such check-in
    (so a note, change or removal is refused for another district's, or for an earlier year's)."""
    row = db.one("SELECT priority, benchmark FROM checkins WHERE id = ? AND district_id = ? AND year = ?",
                 (checkin_id, district_id, year))
    return (row["priority"], row["benchmark"]) if row else None


def add_note(db: Database, checkin_id: int, author_id: int, body: str) -> int:
    with db.transaction() as c:
        return new_id(c.execute("INSERT INTO checkin_notes (checkin_id, author_id, body, created_at) "
                                "VALUES (?, ?, ?, ?)", (checkin_id, author_id, body, now())))


def of_district(db: Database, district_id: int, year: str) -> list[StoredCheckIn]:
    """Return a district's check-ins of a plan year in date order, each with its notes, oldest first."""
    rows = db.all("SELECT c.*, COALESCE(u.email, '') AS email FROM checkins c LEFT JOIN users u ON u.id = c.author_id "
                  "WHERE c.district_id = ? AND c.year = ? ORDER BY c.date, c.id", (district_id, year))
    found = {r["id"]: StoredCheckIn(r["id"], CheckIn(r["priority"], r["benchmark"], r["date"], r["value"],
                                                     r["status"], r["note"]), r["email"], r["updated_at"])
             for r in rows}
    if found:
        notes = db.all("SELECT n.*, u.email, u.role FROM checkin_notes n JOIN users u ON u.id = n.author_id "
                       "JOIN checkins c ON c.id = n.checkin_id WHERE c.district_id = ? AND c.year = ? ORDER BY n.id",
                       (district_id, year))
        for n in notes:
            found[n["checkin_id"]].notes.append(Note(n["id"], n["email"], n["role"], n["body"], n["created_at"]))
    return list(found.values())


def latest_by_benchmark(db: Database, year: str, region: str | None = None) -> list:
    """Return (district id, priority, benchmark, status, date) of each benchmark's newest check-in of the year,
    for every district (or those of ``region``): what the dashboards count, in one query."""
    where, parameters = ("AND d.region = ?", (year, region)) if region is not None else ("", (year,))
    return db.all(
        "SELECT district_id, priority, benchmark, status, date FROM (SELECT c.district_id, c.priority, c.benchmark, "
        "c.status, c.date, ROW_NUMBER() OVER (PARTITION BY c.district_id, c.priority, c.benchmark "
        "ORDER BY c.date DESC, c.id DESC) AS newest FROM checkins c JOIN districts d ON d.id = c.district_id "
        "WHERE c.year = ? " + where + ") AS ranked WHERE newest = 1", parameters)
