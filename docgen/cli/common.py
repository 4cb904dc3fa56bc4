"""What docgen's commands share: --variant, --force, the template options, and one way to report an error."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.errors import DocgenError

VARIANT = click.option("--variant", metavar="ID", default=None,
                       help="Template variant (fy26, fy25, ...). Default: the one matching the workbook's school "
                            "year, else the newest.")
FORCE = click.option("--force", is_flag=True, help="Replace output files that already exist.")
TEMPLATE = click.option("--template", "template_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
                        help="Fill this Word template (made with `docgen template new`) instead of docgen's layout.")
ALLOW_MISSING = click.option("--allow-missing", metavar="FIELDS", default="",
                             help="Fields the template may leave out although they hold text, comma-separated.")


def names(value: str) -> tuple[str, ...]:
    """Return the names in a comma-separated option value ("a, b," -> ("a", "b"))."""
    return tuple(name.strip() for name in value.split(",") if name.strip())


def run(action, *args, **kwargs):
    """Call an api function, turning a DocgenError into one 'Error: ...' line and exit code 1."""
    try:
        return action(*args, **kwargs)
    except DocgenError as exc:
        raise click.ClickException(str(exc)) from None
