"""Who has a district's plan open: kept in this server process's memory, refreshed by the page's saves and pings.

A person counts as there for ``WINDOW`` seconds after the plan page, a save or
a ping last came from them. It is a hint for colleagues, not a lock: nothing
depends on it (conflicting saves are refused by the versions, not by this),
so it is not stored, and with several worker processes each knows its own.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

WINDOW = 120  # seconds; the page pings every 45


class Presence:
    """The people seen lately on each district's plan, by email, with when each was last seen."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, window: float = WINDOW):
        self.clock, self.window = clock, window
        self._seen: dict[int, dict[str, float]] = {}
        self._lock = threading.Lock()  # routes run in a thread pool

    def seen(self, district_id: int, email: str) -> list[str]:
        """Note that ``email`` has the plan open now; return the others who have it open, in order."""
        now = self.clock()
        with self._lock:
            people = self._seen.setdefault(district_id, {})
            people[email] = now
            for gone in [e for e, at in people.items() if now - at > self.window]:
                del people[gone]
            return sorted(e for e in people if e != email)
