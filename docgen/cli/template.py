"""``docgen template``: start a Word template from docgen's own layout, and check one before filling it."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import FORCE, VARIANT, run

_LETTER = click.option("--letter", "for_letter", is_flag=True,
                       help="The feedback letter's template (a letterhead) instead of the plan's.")


@click.group("template")
def template():
    """Make and check Word templates: the plan in a district's own design, letters on a team's letterhead."""


@template.command("new")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_LETTER
@VARIANT
@FORCE
def new(path, for_letter, variant, force):
    """Write docgen's Word plan (or letter) to PATH as a template to redesign in Word.

    It looks exactly like docgen's own document, with tags where the plan's
    values go, and a guide on its first page (removed when it is filled).
    Fill it with `docgen build WORKBOOK --template PATH` (or `docgen letter
    WORKBOOK --template PATH`).
    """
    from docgen import api

    click.echo(f"Wrote {run(api.new_template, path, variant_id=variant, for_letter=for_letter, force=force)}")


@template.command("check")
@click.argument("path", type=click.Path(path_type=Path))
@_LETTER
@VARIANT
def check(path, for_letter, variant):
    """List every tag of the template at PATH, every problem with them, and the fields it never shows.

    Exits 1 when a tag names nothing or a block is not closed, so that the
    template is mended before any plan is filled.
    """
    from docgen import api

    report, never_shown = run(api.check_template, path, variant_id=variant, for_letter=for_letter)
    for paragraph, tag in report.tags:
        click.echo(f"{tag}  ({paragraph.where()})")
    if never_shown:
        click.echo(f"Never shown ({len(never_shown)}): {', '.join(never_shown)}")
    for problem in report.problems:
        click.echo(f"Error: {path}: {problem}", err=True)
    if report.problems:
        raise SystemExit(1)
    click.echo(f"{len(report.tags)} tags, no problems.")
