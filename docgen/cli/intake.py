"""``docgen intake``: August's mailbox sorted into the region's districts' plans, and a summary workbook."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import FORCE, run


@click.command("intake")
@click.argument("mailbox", type=click.Path(path_type=Path))
@click.option("--districts", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="LIST",
              help="The region's districts: the CSV or workbook the admin page imports (District, DESE code, "
                   "Contact email, optionally E-mail domains).")
@click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="DATA",
              help="The web app's data folder: the region's districts from there (with --region), and where "
                   "--load stores the plans.")
@click.option("--region", metavar="NAME", default=None, help="The region whose districts the web app lists.")
@click.option("-o", "--output", "summary", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("intake-summary.xlsx"), show_default=True, help="The summary workbook to write.")
@click.option("--load", is_flag=True, help="Store each district's current plan in the web app (--data) as its "
                                           "submission, received by e-mail.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes reading the attachments. Default: the number of CPUs.")
@FORCE
def intake(mailbox, districts, data, region, summary, load, jobs, force):
    """Read a mailbox export (MAILBOX: a folder of .eml or .msg files, or an mbox file) and sort its plans.

    Each attached plan is read, checked and matched to one of the region's
    districts (by the district it names, the sender's domain, its file name);
    a later plan supersedes an earlier one. The summary has a row per district
    (or "no plan received") and a row per other message, saying why.
    """
    from docgen.region import intake as sorting

    if load and data is None:
        raise click.ClickException("--load puts the plans into the web app's data: give its folder with --data")
    listed = run(_region_districts, districts, data, region)
    sorted_mail, path = run(sorting.run, mailbox, listed, summary, force, jobs)
    loaded: list[str] = []
    if load:  # the web app's door: the command line may use it, the library never does
        from docgen.web.services import received

        loaded = run(received.load_intake, Path(data), sorted_mail)
    received = sum(p is not None for p in sorted_mail.current.values())
    total = len(sorted_mail.current)
    click.echo(f"{received} of {total} districts sent a plan; {len(sorted_mail.others)} other "
               f"message{'s' if len(sorted_mail.others) != 1 else ''} or files (see the 'Other mail' sheet).")
    missing = [name for name, plan in sorted_mail.current.items() if plan is None]
    if missing:
        click.echo("No plan received: " + ", ".join(missing))
    for line in loaded:
        click.echo(f"  {line}")
    click.echo(f"Wrote {path}")


def _region_districts(districts, data_dir, region: str | None) -> list:
    """Return the region's districts: from the list file, or from the web app's data for ``region``."""
    from docgen.errors import DocgenError

    if districts is not None:
        from docgen.read import district_list

        listed, problems = district_list.read(Path(districts))
        if problems:  # the admin page's import skips such rows; a region summary must not leave a district out
            raise DocgenError(f"{problems[0]}" + (f" (and {len(problems) - 1} more rows to fix)"
                                                   if len(problems) > 1 else ""))
        return listed
    if data_dir is None or not region:
        raise DocgenError("say which districts the region has: --districts LIST, or --data DATA --region NAME")
    from docgen.web.services import received

    return received.region_districts(Path(data_dir), region)
