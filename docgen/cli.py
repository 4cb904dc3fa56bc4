"""The docgen command line: click only. The work itself is in docgen.api."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import DocgenError

_VARIANT = click.option("--variant", metavar="ID", default=None,
                        help="Template variant (fy26, fy25, ...). Default: the one matching the workbook's school year, else the newest.")
_FORCE = click.option("--force", is_flag=True, help="Replace output files that already exist.")


def _run(action, *args, **kwargs):
    """Call an api function, turning a DocgenError into one 'Error: ...' line and exit code 1."""
    try:
        return action(*args, **kwargs)
    except DocgenError as exc:
        raise click.ClickException(str(exc)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def main():
    """Turn a district's instructional prioritization plan workbook into the official DESE documents."""


@main.command("new-workbook")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Fill it with the shipped sample district instead of leaving it blank.")
@_VARIANT
@_FORCE
def new_workbook(path, example, variant, force):
    """Write a blank intake workbook to PATH for a district team to fill in Excel."""
    from . import api

    written = _run(api.new_workbook, path, variant_id=variant, example=example, force=force)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the documents into.")
@click.option("--format", "formats", default="docx,pptx", show_default=True, metavar="LIST",
              help="Which documents to write, comma-separated: docx (Word plan), pptx (PowerPoint plan).")
@_VARIANT
@_FORCE
def build(workbook, out_dir, formats, variant, force):
    """Build the official plan documents (Word and PowerPoint) from a filled WORKBOOK."""
    from . import api

    chosen = tuple(f.strip().lower().lstrip(".") for f in formats.split(",") if f.strip())
    for path in _run(api.build, workbook, out_dir, formats=chosen, variant_id=variant, force=force):
        click.echo(f"Wrote {path}")


@main.command("variants")
def list_variants():
    """List the template variants with their school year and source document."""
    from . import variants

    for variant_id in _run(variants.names):
        v = _run(variants.load, variant_id)
        click.echo(f"{v.id}  {v.school_year}  {v.source}")
