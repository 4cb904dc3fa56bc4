"""Whole plans waiting for a yes before they replace a draft with text: their SQL, and nothing else.

An upload, an import, a roll-forward or a restore over a draft with text is
kept here (the plan, compressed as versions are, and what to report after)
while the person reads what it would replace; a day later it is forgotten.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from docgen.model.plan import Plan
from docgen.web.storage.db import Database, now
from docgen.web.storage.plans import decode, encode

KEPT = timedelta(days=1)


@dataclass(frozen=True)
class Pending:
    token: str
    plan_id: int
    user_id: int | None
    base: int  # the draft's latest version when the person was asked
    base_digest: str  # and what it held then (a session's version changes in place)
    plan: Plan
    source: str
    note: str
    report: dict
    created_at: str  # when the person was asked


def add(db: Database, plan_id: int, user_id: int | None, base: int, plan: Plan, source: str, note: str,
        report: dict, base_digest: str = "") -> str:
    """Keep a plan waiting for the person's yes; return the token its confirm page names it by."""
    token = secrets.token_urlsafe(16)
    stale = (datetime.now(timezone.utc) - KEPT).isoformat(timespec="seconds")
    with db.transaction() as c:
        c.execute("DELETE FROM pending_replacements WHERE created_at < ?", (stale,))
        c.execute("INSERT INTO pending_replacements (token, plan_id, user_id, base, base_digest, data, source, note, "
                  "report, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (token, plan_id, user_id, base, base_digest, encode(plan), source, note, json.dumps(report), now()))
    return token


def take(db: Database, token: str, plan_id: int, variant: str, user_id: int | None) -> Pending | None:
    """Remove and return the waiting plan named ``token`` (only its own person's, on its own plan), or None."""
    with db.transaction() as c:
        row = c.execute("SELECT * FROM pending_replacements WHERE token = ? AND plan_id = ? AND user_id IS ?",
                        (token, plan_id, user_id)).fetchone()
        if row is None:
            return None
        c.execute("DELETE FROM pending_replacements WHERE id = ?", (row["id"],))
    return Pending(row["token"], row["plan_id"], row["user_id"], row["base"], row["base_digest"],
                   decode(row["data"], variant),
                   row["source"], row["note"], json.loads(row["report"]), row["created_at"])
