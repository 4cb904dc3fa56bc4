"""Server-side sessions: their SQL, and nothing else.

A row per session, keyed by the SHA-256 of the random id its cookie holds (a
copy of the database opens no session), with the account signed in (if any),
the session's small JSON data (flash messages, a sign-in in progress) and
when it began and was last seen, as Unix times.
"""

from __future__ import annotations

import json

from docgen.web.storage.db import Database


def load(db: Database, id_hash: str):
    """Return the session row (data, created_at, seen_at, user_id), or None."""
    return db.one("SELECT data, created_at, seen_at, user_id FROM sessions WHERE id_hash = ?", (id_hash,))


def add(db: Database, id_hash: str, user_id: int | None, data: str, at: float, drop: str | None = None) -> None:
    """Store a new session (ending ``drop``, the one it replaces, in the same transaction)."""
    with db.transaction() as c:
        if drop:
            c.execute("DELETE FROM sessions WHERE id_hash = ?", (drop,))
        c.execute("INSERT INTO sessions (id_hash, user_id, data, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
                  (id_hash, user_id, data, at, at))


def update(db: Database, id_hash: str, data: str | None, seen: float) -> None:
    """Mark a session seen at ``seen``, with new data when ``data`` is given."""
    with db.transaction() as c:
        if data is None:
            c.execute("UPDATE sessions SET seen_at = ? WHERE id_hash = ?", (seen, id_hash))
        else:
            c.execute("UPDATE sessions SET data = ?, seen_at = ? WHERE id_hash = ?", (data, seen, id_hash))


def end(db: Database, id_hash: str) -> None:
    with db.transaction() as c:
        c.execute("DELETE FROM sessions WHERE id_hash = ?", (id_hash,))


def end_for_user(db: Database, user_id: int, keep: str | None = None) -> int:
    """End every session of an account (but ``keep``, the hash of the one asking); return how many ended.

    Each becomes a session of nobody holding only its CSRF token (csrf.SESSION_KEY, "csrf"), as one that ran out
    idle does: its cookie opens nothing, a page still open in that browser hears "signed out" rather than "form
    expired", and that page works again once its person signs in again (in another tab), with nothing retyped.
    """
    with db.transaction() as c:
        ended = c.execute("SELECT id_hash, data FROM sessions WHERE user_id = ? AND id_hash != ?",
                          (user_id, keep or "")).fetchall()
        for id_hash, data in ended:  # in Python, not SQLite's JSON functions: the same on PostgreSQL
            token = json.loads(data).get("csrf")
            c.execute("UPDATE sessions SET user_id = NULL, data = ? WHERE id_hash = ?",
                      (json.dumps({"csrf": token} if isinstance(token, str) else {}, separators=(",", ":")),
                       id_hash))
        return len(ended)


def counts(db: Database) -> dict[int, int]:
    """Return how many sessions each account has open, by account id."""
    rows = db.all("SELECT user_id, COUNT(*) FROM sessions WHERE user_id IS NOT NULL GROUP BY user_id")
    return {r[0]: r[1] for r in rows}


def prune(db: Database, seen_before: float, created_before: float) -> None:
    """Forget sessions idle since ``seen_before`` or begun before ``created_before`` (they cannot be used)."""
    with db.transaction() as c:
        c.execute("DELETE FROM sessions WHERE seen_at < ? OR created_at < ?", (seen_before, created_before))
