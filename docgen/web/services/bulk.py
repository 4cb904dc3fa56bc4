"""A region's "Download all", built off the request thread: every submitted plan and its letter in one ZIP.

The page starts a job and polls its progress; a background thread hands the
districts to docgen.batch's engine (worker processes, as ``docgen batch``
uses, with the same time limit per district) and writes the ZIP, with the
same summary workbook as ``docgen batch``, into the data folder. Other
people's pages never wait for it.
"""

from __future__ import annotations

import logging
import threading
import zipfile
from pathlib import Path

from docgen.errors import NotFound
from docgen.region import batch
from docgen.web import metrics
from docgen.web.services.reviewing import reviewed_version
from docgen.web.services.workflow import current_variant
from docgen.web.storage import accounts, jobs, plans, templates
from docgen.web.storage.db import Database
from docgen.write import output

EXPORTS = "exports"
LOGGER = logging.getLogger(__name__)


STALLED_SECONDS = 120  # a job whose heartbeat (each district built) stops this long is another server's to finish
WATCH_SECONDS = 20


def start(db: Database, data: Path, user, region: str) -> int:
    """Start building the region's ZIP in the background and return the job's id (to poll)."""
    variant = current_variant()
    submitted = plans.submitted_versions(db, region, variant.id)
    job_id = jobs.add_job(db, "download-all", region, user.id, len(submitted))
    metrics.job("download-all", "started")
    threading.Thread(target=_run, args=(db, Path(data), job_id, region, submitted), daemon=True,
                     name=f"docgen-job-{job_id}").start()
    return job_id


def finish_stalled(db: Database, data: Path, stalled_seconds: float = STALLED_SECONDS) -> list[int]:
    """Take over the jobs another app server started and stopped running (it died mid-job), and build each again
    here, from the start, in the background; return their ids. The ZIP goes to the shared exports folder."""
    taken = []
    for row in jobs.take_over(db, stalled_seconds):
        submitted = plans.submitted_versions(db, row["region"], current_variant().id)
        LOGGER.warning("job %s (%s) stalled on %s: finishing it here", row["id"], row["kind"], row["runner"])
        threading.Thread(target=_run, args=(db, Path(data), row["id"], row["region"], submitted), daemon=True,
                         name=f"docgen-job-{row['id']}").start()
        taken.append(row["id"])
    return taken


def watch(db: Database, data: Path, stop: threading.Event) -> None:
    """Until ``stop``: every WATCH_SECONDS, finish here the jobs other app servers left stalled."""
    while not stop.wait(WATCH_SECONDS):
        try:
            finish_stalled(db, data)
        except Exception:  # noqa: BLE001 - the watcher must outlive a database hiccup; the log has it
            LOGGER.exception("looking for stalled jobs failed")


def _tasks(db: Database, data: Path, region: str, submitted: list[tuple[int, int, int]]) -> list[tuple]:
    """Return build_plan's arguments for each submitted version: the plan (with its review), where from, whose,
    and the district's Word template and the region's letter template, when they have one."""
    variant = current_variant()
    letterhead = _template(db, data, "letter", region)
    tasks: list[tuple] = []
    for district_id, plan_id, number in submitted:
        row = plans.PlanRow(plan_id, district_id, variant.id, number, "submitted", None, None)
        plan, *_ = reviewed_version(db, row, number)
        district = accounts.district(db, district_id)
        assert district is not None, f"district {district_id} has a plan (a foreign key); no district is deleted"
        tasks.append((plan, f"web plan, version {number}", district.name,
                      _template(db, data, "plan", str(district_id)), letterhead))
    return tasks


def _template(db: Database, data: Path, kind: str, owner: str) -> str | None:
    row = templates.template(db, kind, owner)
    return str(data / row.file) if row else None


def _run(db: Database, data: Path, job_id: int, region: str, submitted: list[tuple[int, int, int]]) -> None:
    try:
        tasks = _tasks(db, data, region, submitted)
        folder = data / EXPORTS
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{output.safe_filename(region, '')} plans and letters (job {job_id}).zip"
        temp = folder / f".job-{job_id}.part"
        results = []
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            shown = [(source, district) for _, source, district, _, _ in tasks]
            for done, result in enumerate(batch.build_many(batch.build_plan, tasks, shown, context="forkserver"),
                                          start=1):
                base = output.safe_filename(result.district, "")
                for name, content in result.contents.items():
                    archive.writestr(f"{base}/{name}", content)
                result.contents = {}  # in the ZIP now; the summary needs only the names
                results.append(result)
                jobs.job_progress(db, job_id, done)
            archive.writestr(batch.SUMMARY, batch.summary_bytes(results))
        temp.replace(target)
        failed = sum(r.status == "failed" for r in results)
        jobs.finish_job(db, job_id, "done", target.name,
                         f"{len(results) - failed} plans built" + (f", {failed} failed (see summary.xlsx)" if failed
                                                                   else ""))
        metrics.job("download-all", "done")
    except Exception as exc:  # noqa: BLE001 - the page must learn the job ended, whatever happened
        LOGGER.exception("job %s (download-all) failed", job_id)
        metrics.job("download-all", "failed")
        jobs.finish_job(db, job_id, "failed", message=f"{type(exc).__name__}: {exc}")


def job_of(db: Database, job_id: int, region: str):
    """Return one of the region's Download-all jobs; another region's, or none, is NotFound."""
    found = jobs.job(db, job_id)
    if found is None or found["region"] != region:
        raise NotFound("There is no such Download all for your region.")
    return found


def finished_file(data: Path, job) -> Path:
    """Return a finished job's ZIP; NotFound while it runs, after it failed, or once its file is gone."""
    path = data / EXPORTS / job["file"] if job["file"] else None
    if job["status"] != "done" or path is None or not path.exists():
        raise NotFound("This Download all has no file to download (it is not finished, or it failed).")
    return path
