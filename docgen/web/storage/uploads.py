"""When each account uploaded lately: the upload pace's count (services/files.py), shared by every process."""

from __future__ import annotations

from docgen.web.storage.db import Database


def count_if_below(db: Database, user_id: int, at: float, window: float, limit: int) -> bool:
    """Count an upload by ``user_id`` at ``at`` unless it already has ``limit`` in the ``window`` seconds before;
    return whether it was counted. One transaction, so uploads at once on several servers are counted one by one."""
    with db.transaction() as c:
        c.execute("DELETE FROM upload_times WHERE at <= ?", (at - window,))
        if c.execute("SELECT COUNT(*) FROM upload_times WHERE user_id = ?", (user_id,)).fetchone()[0] >= limit:
            return False
        c.execute("INSERT INTO upload_times (user_id, at) VALUES (?, ?)", (user_id, at))
        return True
