"""Consultants' reviews of submitted versions, and comment threads on sections: their SQL, and nothing else.

A review belongs to one submitted version of a plan. It is the same data as
the workbook's 'Consultant review' sheet (the plan model's Review), stored as
JSON; "feedback sent" is the date the letter went out.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from docgen.model.plan import Review, SectionReview
from docgen.web.storage.db import Database, new_id, now


def _review(data) -> Review:
    data = json.loads(data)
    sections = {k: SectionReview(**v) for k, v in data.pop("sections", {}).items()}
    return Review(**data, sections=sections)


def load_review(db: Database, plan_id: int, version: int) -> tuple[Review | None, object]:
    """Return the review of a submitted version (None before any word is written) and its row (times, who)."""
    row = db.one("SELECT r.*, COALESCE(u.email, '') AS sent_by FROM reviews r LEFT JOIN users u "
                 "ON u.id = r.feedback_sent_by WHERE r.plan_id = ? AND r.version = ?", (plan_id, version))
    if row is None:
        return None, None
    return _review(row["data"]), row


def latest_review(db: Database, plan_id: int, up_to: int) -> tuple[Review | None, object]:
    """Return the newest review written on version ``up_to`` or an earlier one, and its row; (None, None) if none.

    A district that reopens and resubmits its plan does not take the
    consultant's review away: the review of the earlier version is the one
    the newer version's review starts from.
    """
    row = db.one("SELECT r.*, COALESCE(u.email, '') AS sent_by FROM reviews r LEFT JOIN users u "
                 "ON u.id = r.feedback_sent_by WHERE r.plan_id = ? AND r.version <= ? ORDER BY r.version DESC "
                 "LIMIT 1", (plan_id, up_to))
    if row is None:
        return None, None
    return _review(row["data"]), row


def latest_by(db: Database, user_id: int) -> Review | None:
    """Return the review ``user_id`` saved last, on any plan (a new review starts with its signature), or None."""
    data = db.value("SELECT data FROM reviews WHERE updated_by = ? ORDER BY updated_at DESC, id DESC LIMIT 1",
                    (user_id,))
    return _review(data) if data is not None else None


def sent_review(db: Database, plan_id: int, version: int) -> Review | None:
    """Return the review of a version as it stood when its letter was sent (None if no letter was sent)."""
    data = db.value("SELECT COALESCE(sent_data, data) FROM reviews WHERE plan_id = ? AND version = ? "
                    "AND feedback_sent_at IS NOT NULL", (plan_id, version))
    return _review(data) if data is not None else None


def history(db: Database, plan_id: int):
    """Return every review of a plan, newest version first: version, written_on, updated_at, feedback_sent_at."""
    return db.all("SELECT version, COALESCE(written_on, version) AS written_on, updated_at, feedback_sent_at "
                  "FROM reviews WHERE plan_id = ? ORDER BY version DESC", (plan_id,))


def save_review(db: Database, plan_id: int, version: int, review: Review, user_id: int | None,
                written_on: int | None = None) -> None:
    """Store the review of a version, and mark the plan in review (unless feedback was already sent).

    ``written_on`` is the earlier version a carried review was first written
    on (kept once set). The text a sent letter was made from is kept apart
    (``sent_data``), so writing on after sending never rewrites that letter.
    """
    data = json.dumps(asdict(review), ensure_ascii=False).encode()  # bytes: the column is a BLOB (bytea)
    with db.transaction() as c:
        c.execute("INSERT INTO reviews (plan_id, version, data, updated_at, updated_by, written_on) "
                  "VALUES (?, ?, ?, ?, ?, ?) "
                  "ON CONFLICT (plan_id, version) DO UPDATE SET data = excluded.data, "
                  "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                  (plan_id, version, data, now(), user_id, written_on))
        c.execute("UPDATE plans SET status = 'in review' WHERE id = ? AND status = 'submitted'", (plan_id,))


def mark_feedback_sent(db: Database, plan_id: int, version: int, user_id: int | None) -> str:
    """Record that the feedback letter was sent today, keeping the review it was made from; return the time."""
    stamp = now()
    with db.transaction() as c:
        c.execute("UPDATE reviews SET feedback_sent_at = ?, feedback_sent_by = ?, sent_data = data "
                  "WHERE plan_id = ? AND version = ?", (stamp, user_id, plan_id, version))
        c.execute("UPDATE plans SET status = 'feedback sent' WHERE id = ? AND status IN ('submitted', 'in review')",
                  (plan_id,))
    return stamp


def last_feedback(db: Database, plan_id: int):
    """Return (version, feedback_sent_at) of the latest version whose feedback was sent, or None."""
    return db.one("SELECT version, feedback_sent_at FROM reviews WHERE plan_id = ? AND feedback_sent_at IS NOT NULL "
                  "ORDER BY version DESC LIMIT 1", (plan_id,))


def last_reviewed(db: Database, plan_id: int) -> int | None:
    """Return the newest version a consultant wrote a review on (its own text, not one carried to it), or None."""
    return db.value("SELECT MAX(COALESCE(written_on, version)) FROM reviews WHERE plan_id = ?", (plan_id,))


# comments

@dataclass(frozen=True)
class Comment:
    id: int
    thread: int  # the first comment's id; the first comment is its own thread
    section: str
    version: int
    author: str
    author_role: str
    body: str
    created_at: str
    resolved_at: str | None


@dataclass
class Thread:
    """A conversation on one section of one version: a comment and its replies."""

    id: int
    section: str
    version: int
    comments: list[Comment]

    @property
    def resolved(self) -> bool:
        return self.comments[0].resolved_at is not None


def add_comment(db: Database, plan_id: int, version: int, section: str, author_id: int, body: str,
                thread: int | None = None) -> int:
    """Start a thread on a section (or reply to ``thread``); return the new comment's id."""
    with db.transaction() as c:
        cursor = c.execute("INSERT INTO comments (plan_id, version, section, thread, author_id, body, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", (plan_id, version, section, thread, author_id, body, now()))
        comment_id = new_id(cursor)
        if thread is None:
            c.execute("UPDATE comments SET thread = id WHERE id = ?", (comment_id,))
        else:
            c.execute("UPDATE comments SET resolved_at = NULL, resolved_by = NULL WHERE id = ?", (thread,))
    return comment_id


def thread_plan(db: Database, thread: int) -> int | None:
    """Return the plan a thread belongs to (to check who may answer it), or None."""
    return db.value("SELECT plan_id FROM comments WHERE id = ? AND thread = id", (thread,))


def resolve(db: Database, thread: int, user_id: int, resolved: bool = True) -> None:
    with db.transaction() as c:
        c.execute("UPDATE comments SET resolved_at = ?, resolved_by = ? WHERE id = ?",
                  (now() if resolved else None, user_id if resolved else None, thread))


def threads(db: Database, plan_id: int) -> list[Thread]:
    """Return every thread on a plan, oldest first, each with its replies in order."""
    rows = db.all("SELECT c.id, c.thread, c.section, c.version, c.body, c.created_at, c.resolved_at, u.email, u.role "
                  "FROM comments c JOIN users u ON u.id = c.author_id WHERE c.plan_id = ? ORDER BY c.thread, c.id",
                  (plan_id,))
    found: dict[int, Thread] = {}
    for r in rows:
        comment = Comment(r["id"], r["thread"], r["section"], r["version"], r["email"], r["role"], r["body"],
                          r["created_at"], r["resolved_at"])
        found.setdefault(r["thread"], Thread(r["thread"], r["section"], r["version"], [])).comments.append(comment)
    return list(found.values())


def waiting_threads(db: Database, role_waiting: str, district_id: int | None = None, region: str | None = None):
    """Return (district id, district name, thread id, section) of open threads whose last word is not
    ``role_waiting``'s.

    A district waits on threads a consultant spoke last in; a consultant on
    threads a district user answered.
    """
    where, parameters = ("d.id = ?", (district_id,)) if district_id is not None else ("d.region = ?", (region,))
    return db.all(
        "SELECT d.id AS district_id, d.name, t.id AS thread, t.section, last.created_at, u.email FROM comments t "
        "JOIN plans p ON p.id = t.plan_id JOIN districts d ON d.id = p.district_id "
        "JOIN comments last ON last.id = (SELECT MAX(id) FROM comments WHERE thread = t.id) "
        "JOIN users u ON u.id = last.author_id "
        f"WHERE t.id = t.thread AND t.resolved_at IS NULL AND u.role != ? AND {where} ORDER BY last.id",
        (role_waiting, *parameters))
