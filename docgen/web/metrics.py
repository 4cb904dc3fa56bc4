"""The service's numbers for Prometheus: requests, latency, saves, checks, PDF conversions, jobs, database size.

The official client library (prometheus-client) keeps the counters. ``docgen
serve`` runs several worker processes, so with more than one it uses the
library's multiprocess mode: each process writes its values to memory-mapped
files in ``<data>/metrics/<host-port>/`` (emptied at every start, as the library asks),
and a scrape of ``/metrics`` on any process adds up every process's files.
With one process the values stay in memory. Figures that live in the
database (jobs running, its size) are read at scrape time, so every process
gives the same answer.

The rest of the web app reports through the small functions below
(``saved``, ``checked``, ``conversion``, ``job``); ``RequestLog`` (logs.py)
calls ``observe_request`` once per request. Nothing here knows how a PDF is
made: services/files.py wraps its one call to docgen/write/pdf.py in ``conversion()``.
"""

from __future__ import annotations

import hmac
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from docgen.errors import DocgenError

ENV = "PROMETHEUS_MULTIPROC_DIR"  # the library's own setting, read when it is first imported
MULTIPROCESS = bool(os.environ.get(ENV))
FOLDER = "metrics"
LOOPBACK = ("127.0.0.1", "::1", "localhost")

REQUESTS = Counter("docgen_requests", "HTTP requests answered, by route template, method and status",
                   ["route", "method", "status"])
LATENCY = Histogram("docgen_request_duration_seconds", "Time to answer a request, by route template and method",
                    ["route", "method"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60))
ERRORS = Counter("docgen_request_errors", "Requests that failed with an error (the 500 page), by route", ["route"])
SAVES = Counter("docgen_saves", "Saves stored: plan versions and reviews", ["kind"])
CHECKS = Counter("docgen_checks", "Plans checked against the rules (each save, each plan page)")
CONVERSIONS = Counter("docgen_pdf_conversions", "PDF conversions finished, by outcome (done, failed, timed_out)",
                      ["outcome"])
QUEUED = Gauge("docgen_pdf_conversions_queued", "PDF conversions asked for, not started",
               multiprocess_mode="livesum")
RUNNING = Gauge("docgen_pdf_conversions_running", "PDF conversions under way", multiprocess_mode="livesum")
JOBS = Counter("docgen_jobs", "Background jobs (a region's Download all), by kind and event (started, done, failed)",
               ["kind", "event"])


def prepare(data: Path, workers: int, server: str = "server") -> None:
    """Before the workers start: with several, give them an empty folder for their values, one per app server
    (<data>/metrics/<host-port>: app servers sharing the data folder each count, and are scraped, on their own)."""
    if workers <= 1:
        return
    folder = Path(data) / FOLDER / server
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700, parents=True)
    os.environ[ENV] = str(folder.resolve())


def process_ended() -> None:
    """A worker is stopping: its gauges (conversions running) stop counting."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())


def observe_request(route: str, method: str, status: int, seconds: float, failed: bool) -> None:
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)
    if failed:
        ERRORS.labels(route).inc()


def saved(kind: str) -> None:
    SAVES.labels(kind).inc()


def checked() -> None:
    CHECKS.inc()


def job(kind: str, event: str) -> None:
    JOBS.labels(kind, event).inc()


@contextmanager
def conversion() -> Iterator[Conversion]:
    """Count one PDF conversion: queued on entry, running from ``started()``, then done, failed or timed out."""
    step = Conversion()
    QUEUED.inc()
    try:
        yield step
    except DocgenError as exc:
        CONVERSIONS.labels("timed_out" if "timed out" in str(exc) else "failed").inc()
        raise
    except BaseException:
        CONVERSIONS.labels("failed").inc()
        raise
    else:
        CONVERSIONS.labels("done").inc()
    finally:
        (RUNNING if step.running else QUEUED).dec()


class Conversion:
    """One conversion's place: queued until ``started()``."""

    running = False

    def started(self) -> None:
        if not self.running:
            self.running = True
            QUEUED.dec()
            RUNNING.inc()


def allowed(client_host: str | None, authorization: str, token: str) -> bool:
    """May this client read /metrics? From the loopback address, yes; from elsewhere, only with the bearer token."""
    if client_host in LOOPBACK or (client_host or "").startswith("127."):
        return True
    scheme, _, given = authorization.partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def exposition(database_bytes: int, jobs_by_status: dict[str, int]) -> tuple[bytes, str]:
    """Return the Prometheus text of every process's values, with the database's figures; and its content type."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        text = generate_latest(registry)
    else:
        from prometheus_client import REGISTRY

        text = generate_latest(REGISTRY)
    return text + generate_latest(_DatabaseFigures(database_bytes, jobs_by_status)), CONTENT_TYPE_LATEST


class _DatabaseFigures(CollectorRegistry):
    """The figures read from the database at scrape time (the same from every process)."""

    def __init__(self, database_bytes: int, jobs_by_status: dict[str, int]):
        super().__init__(auto_describe=False)
        self.figures = (database_bytes, jobs_by_status)

    def collect(self):
        size, by_status = self.figures
        yield GaugeMetricFamily("docgen_database_bytes", "Size of the database on disk", value=size)
        jobs = GaugeMetricFamily("docgen_jobs_in_database", "Background jobs stored, by status", labels=["status"])
        for status in ("running", "done", "failed"):
            jobs.add_metric([status], by_status.get(status, 0))
        yield jobs
