"""Background jobs (a region's "Download all"): their rows, progress and outcome, and nothing else.

A job is started by a request, run on a thread of the server, and polled by
its page; a server stopped mid-job leaves it 'running', which the next start
of that server marks failed so no page waits for it forever. Each job names
its ``runner`` (the app server: host and port, from DOCGEN_RUNNER), so an app
server starting beside others on one database fails only its own jobs.
"""

from __future__ import annotations

import os
import socket
import time

from docgen.web.storage.db import Database, now

RUNNER_ENV = "DOCGEN_RUNNER"


def runner() -> str:
    """Return this app server's name (set by docgen serve: host and port), or this host's name."""
    return os.environ.get(RUNNER_ENV) or socket.gethostname()


def add_job(db: Database, kind: str, region: str, user_id: int, total: int) -> int:
    """Record a job started by ``user_id`` (running, ``total`` steps) and return its id, which its page polls."""
    with db.transaction() as c:
        return c.execute("INSERT INTO jobs (kind, region, user_id, status, total, created_at, runner, beat_at) VALUES "
                         "(?, ?, ?, 'running', ?, ?, ?, ?)",
                         (kind, region, user_id, total, now(), runner(), time.time())).lastrowid  # type: ignore


def job_progress(db: Database, job_id: int, done: int) -> None:
    """Record a job's steps done; its heartbeat too (a job whose heartbeat stops is taken over: take_over)."""
    with db.transaction() as c:
        c.execute("UPDATE jobs SET done = ?, beat_at = ? WHERE id = ?", (done, time.time(), job_id))


def take_over(db: Database, stalled_seconds: float) -> list:
    """Claim for this server the running jobs whose heartbeat stopped ``stalled_seconds`` ago (their server died,
    or stopped); return their rows. One transaction: of servers looking at once, one claims each job."""
    before, stalled_sql = time.time() - stalled_seconds, ("SELECT * FROM jobs WHERE status = 'running' AND "
                                                          "COALESCE(beat_at, 0) < ? AND runner != ?")
    if not db.one(stalled_sql, (before, runner())):  # most of the time: a read, no write lock
        return []
    with db.transaction() as c:
        stalled = c.execute(stalled_sql, (before, runner())).fetchall()
        for row in stalled:
            c.execute("UPDATE jobs SET runner = ?, beat_at = ?, done = 0 WHERE id = ?",
                      (runner(), time.time(), row["id"]))
    return stalled


def finish_job(db: Database, job_id: int, status: str, file: str = "", message: str = "") -> None:
    with db.transaction() as c:
        c.execute("UPDATE jobs SET status = ?, file = ?, message = ?, finished_at = ? WHERE id = ?",
                  (status, file, message, now(), job_id))


def job(db: Database, job_id: int):
    return db.one("SELECT * FROM jobs WHERE id = ?", (job_id,))


def stop_interrupted_jobs(db: Database) -> None:
    """Mark the jobs this server left running when it stopped as failed, so no page waits for them forever (the
    jobs of other app servers on the database, and those of before migration 10, named no runner, are theirs)."""
    with db.transaction() as c:
        c.execute("UPDATE jobs SET status = 'failed', message = 'the server stopped while it ran; start it again', "
                  "finished_at = ? WHERE status = 'running' AND runner IN (?, '')", (now(), runner()))


def count_by_status(db: Database) -> dict[str, int]:
    """Return how many jobs are stored in each status (running, done, failed): the metrics read it."""
    return {row[0]: row[1] for row in db.all("SELECT status, COUNT(*) FROM jobs GROUP BY status")}
