"""Plans received as files (e-mailed, or uploaded in a district's own layout): their SQL, and nothing else.

Each row keeps where the file is stored, who sent it and when, the version it
became, and its reading's pieces (JSON) with what a person decided about each.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from docgen.web.storage.db import Database, now


@dataclass(frozen=True)
class ReceivedRow:
    """A received plan file and its reading."""

    id: int
    plan_id: int
    version: int
    how: str  # "e-mail" or "upload"
    file_name: str
    stored: str  # the kept file, relative to the data folder
    sender: str
    received_at: str
    digest: str
    tally: dict
    pieces: list[dict]
    created_at: str


def add(db: Database, plan_id: int, version: int, how: str, file_name: str, stored: str, sender: str,
        received_at: str, digest: str, tally: dict, pieces: list[dict], user_id: int | None) -> int:
    """Record a received plan file and return its id."""
    with db.transaction() as c:
        cursor = c.execute(
            "INSERT INTO received_plans (plan_id, version, how, file_name, stored, sender, received_at, digest, "
            "tally, pieces, user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (plan_id, version, how, file_name, stored, sender, received_at, digest, json.dumps(tally),
             json.dumps(pieces, ensure_ascii=False), user_id, now()))
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid


def get(db: Database, received_id: int, plan_ids: tuple[int, ...]) -> ReceivedRow | None:
    """Return a received plan of one of ``plan_ids`` (a district's plans), or None."""
    row = db.one("SELECT * FROM received_plans WHERE id = ?", (received_id,))
    return _row(row) if row is not None and row["plan_id"] in plan_ids else None


def of_plan(db: Database, plan_id: int) -> list[ReceivedRow]:
    """Return a plan's received files, newest first."""
    return [_row(r) for r in db.all("SELECT * FROM received_plans WHERE plan_id = ? ORDER BY id DESC", (plan_id,))]


def digests(db: Database, plan_id: int) -> set[str]:
    """Return the SHA-256 of every file received for a plan (so loading a mailbox twice stores nothing twice)."""
    return {r[0] for r in db.all("SELECT digest FROM received_plans WHERE plan_id = ?", (plan_id,))}


def decide_piece(db: Database, received_id: int, index: int, decided: str, field: str, destination: str) -> None:
    """Record what a person decided about one piece ("confirmed", "moved") and where it now is.

    One statement changes only that piece, so two people deciding two pieces at once keep both decisions.
    """
    at = f"$[{int(index)}]"
    with db.transaction() as c:
        c.execute(f"UPDATE received_plans SET pieces = json_set(pieces, '{at}.decided', ?, '{at}.field', ?, "
                  f"'{at}.destination', ?) WHERE id = ?", (decided, field, destination, received_id))


def _row(row) -> ReceivedRow:
    return ReceivedRow(row["id"], row["plan_id"], row["version"], row["how"], row["file_name"], row["stored"],
                       row["sender"], row["received_at"], row["digest"], json.loads(row["tally"]),
                       json.loads(row["pieces"]), row["created_at"])
