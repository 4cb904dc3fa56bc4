"""What every docgen command shares: the --variant and --force options, and one way to report an error."""

from __future__ import annotations

import click

from .errors import DocgenError

VARIANT = click.option("--variant", metavar="ID", default=None,
                       help="Template variant (fy26, fy25, ...). Default: the one matching the workbook's school "
                            "year, else the newest.")
FORCE = click.option("--force", is_flag=True, help="Replace output files that already exist.")


def run(action, *args, **kwargs):
    """Call an api function, turning a DocgenError into one 'Error: ...' line and exit code 1."""
    try:
        return action(*args, **kwargs)
    except DocgenError as exc:
        raise click.ClickException(str(exc)) from None
