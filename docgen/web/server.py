"""Start the web app under uvicorn: what ``docgen serve`` runs, and what it prints first.

Each of the worker processes (one per core by default) runs its own app on the
same data folder: SQLite in WAL mode lets them read at once and serialises
their short writes, and sessions are rows of that database any of them can read.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click
import uvicorn

from docgen.processes import sandbox
from docgen.web import logs, metrics
from docgen.web.app import create_app
from docgen.web.routes.monitoring import TOKEN_SETTING
from docgen.web.services import files, retention
from docgen.web.storage import accounts, jobs
from docgen.web.storage.db import URL_ENV as DATABASE_ENV

DATA_ENV, URL_ENV, LOG_ENV = "DOCGEN_WEB_DATA", "DOCGEN_WEB_PUBLIC_URL", "DOCGEN_LOG_FORMAT"


def serve(host: str, port: int, data: Path, demo: bool, public_url: str | None, trusted_proxies: str,
          workers: int | None = None, idle_minutes: int | None = None, oidc: dict[str, str] | None = None,
          upload_quota_mb: int | None = None, log_format: str = "json", metrics_token_file: Path | None = None,
          unused_days: int | None = None, database: str | None = None,
          version_quota_mb: int | None = None) -> None:
    """Prepare the data folder, print the URL (and how to get in), then serve until stopped.

    What it prints is for the person starting it (standard output); the log (logs.py) goes to standard error,
    in ``log_format``, from every worker process."""
    logs.configure(log_format)
    if database:  # every worker process reads it from the environment, as the data folder
        os.environ[DATABASE_ENV] = database
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = (public_url or f"http://{shown_host}:{port}").rstrip("/")
    site = create_app(data, url).state.site  # creates or upgrades the database before the workers start
    site.db.set_setting("public_url", url)
    if idle_minutes is not None:
        site.db.set_setting("idle_minutes", str(idle_minutes))
    if upload_quota_mb is not None:  # kept, like the idle limit, until given again; each worker's Site reads it
        site.db.set_setting("upload_quota_mb", str(upload_quota_mb))
    if version_quota_mb is not None:  # read by each save that starts a new version (storage/plans.py)
        site.db.set_setting("version_quota_mb", str(version_quota_mb))
    for key, value in (oidc or {}).items():  # kept, like the admin's sign-in settings, until changed
        if value is not None:
            site.db.set_setting(key, value)
    if metrics_token_file is not None:  # its path, like the OIDC secret's: the token stays out of the database
        site.db.set_setting(TOKEN_SETTING, str(Path(metrics_token_file).resolve()))
    if unused_days is not None:
        site.db.set_setting(retention.SETTING, str(unused_days))
    retention.disable_unused(site.db)
    os.environ[jobs.RUNNER_ENV] = f"{socket.gethostname()}:{port}"  # this app server, in every worker's jobs
    jobs.stop_interrupted_jobs(site.db)
    click.echo(f"docgen is serving {url}  (data: {Path(data).resolve()})")
    if demo:
        from docgen.web.demo import seed

        click.echo("Demo accounts (new passwords at every start):")
        for login in seed(site.db):
            click.echo(f"  {login.role:<10} {login.email}  password: {login.password}")
    elif accounts.count_users(site.db) == 0:
        click.echo("There are no accounts yet. Create the first administrator, and open the link it prints:")
        click.echo(f"  docgen users add you@example.org --role admin --data {data}")
    if files.pdf_available() and sandbox.network_notice():
        click.echo(f"Warning: {sandbox.network_notice()}", err=True)  # docs/security.md, The document pipeline
    click.echo("Stop it with Ctrl+C.")
    os.environ[DATA_ENV], os.environ[URL_ENV], os.environ[LOG_ENV] = str(Path(data).resolve()), url, log_format
    workers = workers or min(os.cpu_count() or 1, 4)
    metrics.prepare(data, workers, f"{socket.gethostname()}-{port}")
    uvicorn.run("docgen.web.server:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_config=None, log_level="info", access_log=False,
                proxy_headers=True, forwarded_allow_ips=trusted_proxies, server_header=False)


def app_from_environment():
    """Return the app for one worker process, on the data folder, URL and log format serve put in the environment."""
    logs.configure(os.environ.get(LOG_ENV, "json"))
    return create_app(Path(os.environ[DATA_ENV]), os.environ[URL_ENV])
