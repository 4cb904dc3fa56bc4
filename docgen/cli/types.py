"""What the command line's commands share: the --format list type, and check's report as JSON and as text.

Kept apart from cli.py so that each command reads as what it does; loads
nothing heavy (builders' format table is a dict), so ``docgen --help`` stays fast.
"""

from __future__ import annotations

import click

from docgen import write


class FormatList(click.ParamType):
    """A comma-separated list of document formats ("docx,pptx"), each one of write.FORMATS.

    A mistyped format is a mistyped command: click's usage error, exit code 2,
    on every command that takes --format.
    """

    name = "LIST"

    def convert(self, value, param, ctx) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        chosen = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()))
        unknown = [f for f in chosen if f not in write.FORMATS] or ([] if chosen else [value])
        if unknown:
            self.fail(f"unknown format '{unknown[0]}'; choose from: {', '.join(write.FORMATS)}", param, ctx)
        return chosen


FORMATS = FormatList()
SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


def check_json(workbook, plan, findings) -> dict:
    """Return ``docgen check --format json``'s report for a plan that was read."""
    errors = sum(f.severity == "error" for f in findings)
    return {"workbook": str(workbook), "district": plan.district.name, "variant": plan.variant, "errors": errors,
            "warnings": len(findings) - errors, "readable": True, "findings": [f.as_dict() for f in findings]}


def print_findings(plan, findings, errors: int, warnings: int) -> None:
    """Print check's report for people: a verdict line, then each section's findings with the guidance they cite."""
    verdict = "ready to send" if not errors else "not ready to send"
    click.echo(click.style(f"{plan.district.name}: {plan.variant.upper()} plan, {errors} error"
                           f"{'' if errors == 1 else 's'}, {warnings} warning{'' if warnings == 1 else 's'}: {verdict}",
                           bold=True))
    section = None
    for f in findings:
        if f.section != section:
            section = f.section
            click.echo("")
            click.echo(click.style(f.section_title, bold=True))
        label = click.style(f"{f.severity:<7}", fg=SEVERITY_COLOURS[f.severity], bold=True)
        where = f"  [{f.location}]" if f.location else ""
        click.echo(f"  {label} {f.message}{where}")
        click.echo(click.style(f"          Guidance: \u201c{f.guidance}\u201d", dim=True))


def print_facts(facts: dict[str, dict]) -> None:
    """Print ``docgen check --facts``: each answer or cell docgen read something in, with what it read."""
    click.echo("")
    click.echo(click.style("What docgen read", bold=True))
    for key, found in facts.items():
        where = f"  [{found['location']}]" if found["location"] else ""
        click.echo(f"  {key}{where}")
        click.echo(f"      {'; '.join(found['facts'])}")


def unreadable_json(workbook, exc) -> dict:
    """Return check's JSON for a workbook that could not be read: each problem as an error finding."""
    from docgen.checks import Finding

    problems = getattr(exc, "problems", None) or [None]
    findings = [Finding(rule="workbook", severity="error", section="general", section_title="The workbook",
                        message=p.message if p else str(exc), location=_where(p), guidance="", advice="")
                for p in problems]
    return {"workbook": str(workbook), "district": "", "variant": "", "errors": len(findings), "warnings": 0,
            "readable": False, "findings": [f.as_dict() for f in findings]}


def _where(problem) -> str:
    """Return where a reading problem is, as a finding's location ("sheet 'Schools', cell D5"), or ""."""
    if problem is None or not problem.sheet:
        return ""
    return f"sheet '{problem.sheet}'" + (f", cell {problem.cell}" if problem.cell else "")
