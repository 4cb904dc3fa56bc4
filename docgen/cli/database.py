"""``docgen migrate-data``: move a data folder's SQLite database into PostgreSQL, verifying every row."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import run


@click.command("migrate-data")
@click.option("--from", "source", type=click.Path(file_okay=False, exists=True, path_type=Path), required=True,
              metavar="DATA", help="The data folder whose SQLite database (docgen.sqlite3) to move.")
@click.option("--to", "url", required=True, metavar="URL",
              help="The PostgreSQL database to move it into (postgresql://user@host/name), empty.")
def migrate_data(source, url):
    """Copy the web app's database from a data folder's SQLite file into an empty PostgreSQL database, in one
    transaction, then read every row back and compare it before committing. Stop the server first."""
    from docgen.web.storage import transfer
    from docgen.web.storage.db import DATABASE, Database, open_database

    if not url.startswith(("postgresql://", "postgres://")):
        raise click.BadParameter("give a postgresql://... URL", param_hint="--to")
    if not (source / DATABASE).exists():
        raise click.ClickException(f"{source}: no docgen data folder here (it has no {DATABASE})")
    counts = run(lambda: transfer.migrate(Database(source), open_database(source, url)))
    click.echo(f"Moved and verified {sum(counts.values())} rows: "
               + ", ".join(f"{n} {table}" for table, n in counts.items() if n))
    click.echo(f"Serve it with: docgen serve --data {source} --database URL (uploads and exports stay in the data "
               "folder, which every app server must share)")
