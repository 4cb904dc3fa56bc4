"""At most N of something at once across every process of a server, and at most a share of them per owner.

A LibreOffice conversion takes a core and hundreds of megabytes; twenty at
once from one district would starve everyone else's pages. ``Slots`` is a
counting semaphore made of lock files in a folder every worker process of the
server shares (``fcntl.flock``: the kernel releases a lock when its process
ends, however it ends, so a killed worker never keeps a slot). A caller first
takes one of its owner's share (``share`` lock files per owner), then one of
the ``total`` slots. It waits ``owner_wait`` seconds for the first (an owner
already at its share is told at once, so that its requests do not fill the
server's threads waiting) and ``wait`` for the second, a short queue, then is
told the server is busy (``ServerBusy``, HTTP 503) rather than queued forever.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from docgen.errors import ServerBusy

POLL_SECONDS = 0.1


class Slots:
    """``total`` slots shared by all processes using ``folder``; one owner holds at most ``share`` of them."""

    def __init__(self, folder: Path, total: int, share: int, wait: float = 20.0, owner_wait: float = 1.0,
                 what: str = "PDFs"):
        self.folder, self.total, self.share, self.what = Path(folder), total, min(share, total), what
        self.wait, self.owner_wait = wait, owner_wait

    @contextmanager
    def hold(self, owner: str = "") -> Iterator[None]:
        """Hold one slot (and one of ``owner``'s share) for the ``with`` block; raise ServerBusy after ``wait``."""
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = hashlib.sha256(owner.encode()).hexdigest()[:16]
        with ExitStack() as held:
            for names, wait in (([f"owner-{key}-{n}.lock" for n in range(self.share)], self.owner_wait),
                                ([f"slot-{n}.lock" for n in range(self.total)], self.wait)):
                deadline = time.monotonic() + wait
                while not self._take(names, held):
                    if time.monotonic() >= deadline:
                        raise ServerBusy(f"The server is making as many {self.what} as it can at once; try again in "
                                         "a minute.")
                    time.sleep(POLL_SECONDS)
            yield

    def in_use(self) -> int:
        """Return how many of the ``total`` slots are held right now (by any process)."""
        used = 0
        for n in range(self.total):
            with ExitStack() as probe:
                used += not self._take([f"slot-{n}.lock"], probe)
        return used

    def _take(self, names: list[str], held: ExitStack) -> bool:
        for name in names:
            fd = os.open(self.folder / name, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            held.callback(os.close, fd)  # closing the file releases its lock
            return True
        return False
