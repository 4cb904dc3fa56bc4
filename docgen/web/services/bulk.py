"""A region's "Download all", built off the request thread: every submitted plan and its letter in one ZIP.

The page starts a job and polls its progress; a background thread hands the
districts to worker processes (docgen.workers, as ``docgen batch`` does, with
the same time limit per district) and writes the ZIP into the data folder.
Other people's pages never wait for it.
"""

from __future__ import annotations

import threading
import zipfile
from pathlib import Path

from ... import api, output, variants, workers
from ...model import Plan
from ...sources import workbook_writer
from ..storage import accounts, jobs, plans
from ..storage.db import Database
from .reviewing import reviewed_version
from .workflow import current_variant

EXPORTS = "exports"
SUMMARY_COLUMNS = [("District", 36), ("Version", 9), ("Files", 70), ("Status", 12), ("Message", 60)]


def build_files(plan: Plan) -> dict[str, bytes]:
    """Return a submitted plan's Word and PowerPoint files and its feedback letter, by file name (in a worker)."""
    variant = variants.load(plan.variant)
    files = api.plan_files(plan, variant, api.DEFAULT_FORMATS)
    name, data = api.letter_file(plan, variant, api.check_plan(plan))
    files[name] = data
    return files


def start(db: Database, data: Path, user, region: str) -> int:
    """Start building the region's ZIP in the background and return the job's id (to poll)."""
    variant = current_variant()
    submitted = plans.submitted_versions(db, region, variant.id)
    job_id = jobs.add_job(db, "download-all", region, user.id, len(submitted))
    threading.Thread(target=_run, args=(db, Path(data), job_id, region, submitted), daemon=True,
                     name=f"docgen-job-{job_id}").start()
    return job_id


def _run(db: Database, data: Path, job_id: int, region: str, submitted: list[tuple[int, int, int]]) -> None:
    variant = current_variant()
    try:
        names, tasks = [], []
        for district_id, plan_id, number in submitted:
            row = plans.PlanRow(plan_id, district_id, variant.id, number, "submitted", None, None)
            plan, _, _ = reviewed_version(db, row, number)
            names.append((accounts.district(db, district_id).name, number))
            tasks.append((plan,))
        folder = data / EXPORTS
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{output.safe_filename(region, '')} plans and letters (job {job_id}).zip"
        temp = folder / f".job-{job_id}.part"
        summary = []
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, ((district, number), outcome) in enumerate(
                    zip(names, workers.run(build_files, tasks, context="forkserver"), strict=False), start=1):
                if isinstance(outcome, workers.Failed):
                    summary.append([district, number, "", "failed", outcome.message])
                else:
                    base = output.safe_filename(district, "")
                    for name, content in outcome.items():
                        archive.writestr(f"{base}/{name}", content)
                    summary.append([district, number, "\n".join(outcome), "built", ""])
                jobs.job_progress(db, job_id, done)
            archive.writestr("summary.xlsx", workbook_writer.write_table(
                "Summary", [c for c, _ in SUMMARY_COLUMNS], summary, [w for _, w in SUMMARY_COLUMNS]))
        temp.replace(target)
        failed = sum(1 for row in summary if row[3] == "failed")
        jobs.finish_job(db, job_id, "done", target.name,
                         f"{len(summary) - failed} plans built" + (f", {failed} failed (see summary.xlsx)" if failed
                                                                   else ""))
    except Exception as exc:  # noqa: BLE001 - the page must learn the job ended, whatever happened
        jobs.finish_job(db, job_id, "failed", message=f"{type(exc).__name__}: {exc}")
