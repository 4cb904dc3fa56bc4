"""Who has a district's plan open, refreshed by the page's saves and pings: kept in the database.

A person counts as there for ``WINDOW`` seconds after the plan page, a save or
a ping last came from them. It is a hint for colleagues, not a lock: nothing
depends on it (conflicting saves are refused by the versions, not by this).
It is stored (storage/presence.py), so a colleague served by another worker
process or another app server is seen too; a process writes a person's
presence at most every ``WRITE_EVERY`` seconds, so pings cost few writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from ..storage import presence
from ..storage.db import Database

WINDOW = 120  # seconds; the page pings every 45
WRITE_EVERY = 15  # seconds between two writes of one person's presence by one process


class Presence:
    """The people seen lately on each district's plan, by email (wall-clock time: shared by every process)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time, window: float = WINDOW):
        self.db, self.clock, self.window = db, clock, window
        self._written: dict[tuple[int, str], float] = {}
        self._lock = threading.Lock()  # routes run in a thread pool

    def seen(self, district_id: int, email: str) -> list[str]:
        """Note that ``email`` has the plan open now; return the others who have it open, in order."""
        now = self.clock()
        with self._lock:
            due = now - self._written.get((district_id, email), float("-inf")) >= WRITE_EVERY
            if due:
                self._written[(district_id, email)] = now
        if due:
            presence.seen(self.db, district_id, email, now, now - self.window)
        return presence.others(self.db, district_id, email, now - self.window)
