"""Start the web app under uvicorn: what ``docgen serve`` runs, and what it prints first."""

from __future__ import annotations

from pathlib import Path

import click
import uvicorn

from .app import create_app
from .storage import accounts


def serve(host: str, port: int, data: Path, demo: bool, public_url: str | None, trusted_proxies: str) -> None:
    """Prepare the data folder, print the URL (and how to get in), then serve until stopped."""
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = (public_url or f"http://{shown_host}:{port}").rstrip("/")
    app = create_app(data, url)
    site = app.state.site
    site.db.set_setting("public_url", url)
    click.echo(f"docgen is serving {url}  (data: {Path(data).resolve()})")
    if demo:
        from .demo import seed

        click.echo("Demo accounts (new passwords at every start):")
        for login in seed(site.db):
            click.echo(f"  {login.role:<10} {login.email}  password: {login.password}")
    elif accounts.count_users(site.db) == 0:
        click.echo("There are no accounts yet. Create the first administrator, and open the link it prints:")
        click.echo(f"  docgen users add you@example.org --role admin --data {data}")
    click.echo("Stop it with Ctrl+C.")
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=True,
                forwarded_allow_ips=trusted_proxies, server_header=False)
