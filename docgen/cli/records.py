"""``docgen archive``: a closed plan year of the web app as one ZIP for the records officer, then its retirement."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import FORCE, run


@click.command("archive")
@click.option("--year", required=True, metavar="FY25", help="The closed plan year to archive (FY25, FY24, ...).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=Path("docgen-data"),
              show_default=True, help="The web app's data folder.")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              metavar="ZIP", help="The archive to write (or, with --retire, the archive written before).")
@click.option("--retire", is_flag=True, help="Remove the year from the live database, once the archive is "
                                              "confirmed with --confirm.")
@click.option("--confirm", metavar="SHA256", default="", help="The SHA-256 the archive was made with (printed when "
                                                                  "it was written): proof it is the archive kept.")
@FORCE
def archive(year, data, out, retire, confirm, force):
    """Write a closed plan year (plans, versions, reviews, letters, check-ins, audit) as one ZIP that opens without
    docgen: Word files, an index workbook, JSON and a README. With --retire --confirm SHA256, remove that year
    from the live database afterwards, leaving an audit line that says so."""
    from docgen.web import archive as records

    if retire:
        if not confirm:
            raise click.UsageError("--retire needs --confirm with the archive's SHA-256 (printed when it was written)")
        counts = run(records.retire, data, year, out, confirm)
        click.echo(f"Retired {year.upper()} from {data}: " + ", ".join(f"{n} {k}" for k, n in counts.items())
                   + f". The archive {out} is now its only copy: keep it as the records schedule says.")
        return
    path, digest, counts = run(records.make, data, year, out, force=force)
    click.echo(f"Wrote {path}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    click.echo(f"SHA-256: {digest}")
    click.echo("Once the records officer has it, remove the year from the live database with:")
    click.echo(f"  docgen archive --year {year.upper()} --data {data} -o {path} --retire --confirm {digest}")
