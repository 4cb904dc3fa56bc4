"""Who has a district's plan open: kept in the database, so every server process knows everyone.

A person counts as there for ``WINDOW`` seconds after the plan page, a save or
a ping last came from them. It is a hint for colleagues ("Also open by ..."),
and it keeps exact edit conflicts while two people edit at once: a person's
saves join one version per editing session only while nobody else has the
plan open (storage/plans.py). ``docgen serve`` runs several processes, so it
lives in the database (storage/presence.py), not in one process's memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from docgen.web.storage import presence
from docgen.web.storage.db import Database

WINDOW = 120  # seconds; the page pings every 45
REFRESH = 15  # seconds: a person seen this recently is not written again (a save reads, and rarely writes)


class Presence:
    """The people seen lately on each district's plan, by email (wall-clock time: shared by every process)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time, window: float = WINDOW):
        self.db, self.clock, self.window = db, clock, window

    def seen(self, district_id: int, email: str) -> list[str]:
        """Note that ``email`` has the plan open now; return the others who have it open, in order."""
        now = self.clock()
        people = presence.recent(self.db, district_id, now - self.window)
        if now - people.get(email, float("-inf")) >= min(REFRESH, self.window):
            presence.note(self.db, district_id, email, now, now - self.window)
        return sorted(e for e in people if e != email)
