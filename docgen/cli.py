"""The docgen command line: click only. The work itself is in docgen.api."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__
from .errors import DocgenError

_VARIANT = click.option("--variant", metavar="ID", default=None,
                        help="Template variant (fy26, fy25, ...). Default: the one matching the workbook's school year, else the newest.")
_FORCE = click.option("--force", is_flag=True, help="Replace output files that already exist.")
_TO_VARIANT = click.option("--to-variant", metavar="ID", default=None,
                           help="Template of the new workbook. Default: the newest.")


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
@click.option("--pdf", "make_pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")
@_VARIANT
@_FORCE
def build(workbook, out_dir, formats, make_pdf, variant, force):
    """Build the official plan documents (Word and PowerPoint) from a filled WORKBOOK."""
    from . import api

    chosen = _formats(formats)
    for path in _run(api.build, workbook, out_dir, formats=chosen, variant_id=variant, force=force,
                     make_pdf=make_pdf):
        click.echo(f"Wrote {path}")


def _formats(value: str) -> tuple[str, ...]:
    return tuple(f.strip().lower().lstrip(".") for f in value.split(",") if f.strip())


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write each district's folder and summary.xlsx into.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes. Default: the number of CPUs.")
@click.option("--format", "formats", default="docx,pptx", show_default=True, metavar="LIST",
              help="Which plan documents to write, comma-separated: docx, pptx.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Also write PDFs, in one LibreOffice call for the whole run.")
@click.option("--force", is_flag=True, help="Rebuild districts whose outputs are newer than their workbook.")
def batch(folder, out_dir, jobs, formats, make_pdf, force):
    """Build every district workbook (.xlsx) in FOLDER: plans, letters where reviewed, and OUT/summary.xlsx.

    Each district gets its own folder under OUT. One bad workbook never stops
    the others; the exit code is 1 when any district failed.
    """
    import sys

    from . import api
    from . import batch as batches

    chosen = _formats(formats)
    unknown = [f for f in chosen if f not in api.DEFAULT_FORMATS]
    if unknown:
        raise click.UsageError(f"unknown format '{unknown[0]}'; choose from: {', '.join(api.DEFAULT_FORMATS)}")
    total = len(_run(batches.workbooks_in, folder, out_dir))
    if sys.stdout.isatty():
        with click.progressbar(length=total, label="Building", show_pos=True, item_show_func=lambda r: r) as bar:
            results = _run(batches.run, folder, out_dir, chosen, jobs, make_pdf, force,
                           on_result=lambda r: bar.update(1, f"{r.workbook}: {r.status}"))
    else:
        done = iter(range(1, total + 1))
        results = _run(batches.run, folder, out_dir, chosen, jobs, make_pdf, force,
                       on_result=lambda r: click.echo(f"[{next(done)}/{total}] {r.workbook}: {r.status}"
                                                      + (f" ({r.message})" if r.status == "failed" else "")))
    _print_batch_summary(results, out_dir / batches.SUMMARY)
    if any(r.status == "failed" for r in results):
        raise SystemExit(1)


def _print_batch_summary(results, summary_path) -> None:
    counts = {s: sum(r.status == s for r in results) for s in ("built", "skipped", "failed")}
    with_errors = sum(1 for r in results if r.status == "built" and r.errors)
    click.echo("")
    click.echo(click.style(f"{len(results)} workbook{'s' if len(results) != 1 else ''}: {counts['built']} built, "
                           f"{counts['skipped']} skipped (up to date), {counts['failed']} failed", bold=True))
    if with_errors:
        click.echo(f"{with_errors} built plan{'s' if with_errors != 1 else ''} still "
                   f"{'have' if with_errors != 1 else 'has'} check errors: see the summary.")
    failed = [r for r in results if r.status == "failed"]
    for r in failed[:10]:
        click.echo(click.style("failed  ", fg="red", bold=True) + f"{r.workbook}: {r.message}")
    if len(failed) > 10:
        click.echo(f"... and {len(failed) - 10} more in the summary")
    click.echo(f"Summary: {summary_path}")


@main.command("import")
@click.argument("plan", type=click.Path(path_type=Path))
@click.option("-o", "--output", "workbook", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Workbook to write. Default: PLAN's name with .xlsx.")
@_TO_VARIANT
@_FORCE
def import_command(plan, workbook, to_variant, force):
    """Start this year's workbook from last year's plan written in the official Word template (PLAN.docx).

    Answers move to the same prompts; answers whose prompt changed, and text
    that could not be placed, are listed in the workbook's 'Carried over' sheet.
    """
    from . import api

    path, found, moved = _run(api.import_plan, plan, workbook, to_variant=to_variant, force=force)
    total = len(found.matched) + len(found.missing)
    click.echo(f"Read {plan} ({found.variant.plan_year} template): found {len(found.matched)} of {total} prompts.")
    if found.missing:
        click.echo("Not found (check these answers in the workbook):")
        for prompt in found.missing:
            click.echo(f"  - {prompt[:100]}")
    _report_moves(moved)
    click.echo(f"Wrote {path}")


@main.command("roll-forward")
@click.argument("old", type=click.Path(path_type=Path))
@click.option("-o", "--output", "new", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The new workbook to write.")
@_TO_VARIANT
@_FORCE
def roll_forward(old, new, to_variant, force):
    """Start this year's workbook from last year's workbook (OLD.xlsx)."""
    from . import api

    path, moved = _run(api.roll_forward, old, new, to_variant=to_variant, force=force)
    _report_moves(moved)
    click.echo(f"Wrote {path}")


def _report_moves(moved) -> None:
    elsewhere = [c for c in moved.carried if c.kind == "moved"]
    lost = [c for c in moved.carried if c.kind == "unplaced"]
    if elsewhere:
        click.echo(f"{len(elsewhere)} answer{'s' if len(elsewhere) != 1 else ''} moved to a different prompt.")
    if lost:
        click.echo(f"{len(lost)} piece{'s' if len(lost) != 1 else ''} of text had no place: copy what still applies.")
    if moved.carried:
        click.echo("Where each came from and went: the 'Carried over' sheet.")
    if moved.highlight:
        from . import variants

        click.echo("To fill in (highlighted in orange):")
        for line in moved.to_do(variants.load(moved.plan.variant)):
            click.echo(f"  {line}")


@main.command("variants")
def list_variants():
    """List the template variants with their school year and source document."""
    from . import variants

    for variant_id in _run(variants.names):
        v = _run(variants.load, variant_id)
        click.echo(f"{v.id}  {v.school_year}  {v.source}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the letter into.")
@_VARIANT
@_FORCE
def letter(workbook, out_dir, variant, force):
    """Write the SSoS consultant's August feedback letter for a reviewed WORKBOOK.

    Uses the workbook's 'Consultant review' sheet and the review rules; with
    no review yet, drafts the letter from the rules alone and marks it DRAFT.
    """
    from . import api

    click.echo(f"Wrote {_run(api.letter, workbook, out_dir, variant_id=variant, force=force)}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the plan files and the email into.")
@click.option("--attach", type=click.Choice(["docx", "pptx", "both"]), default="docx", show_default=True,
              help="Which plan the email carries: the Word file, the PowerPoint file, or both.")
@_VARIANT
@_FORCE
def submit(workbook, out_dir, attach, variant, force):
    """Prepare the submission to SSoS: the Word and PowerPoint plans and an email draft with the plan attached.

    Refuses, listing the errors, while 'docgen check' finds any. Files that
    'docgen build' already wrote with the same content are kept, not refused.
    """
    from . import api

    chosen = ("docx", "pptx") if attach == "both" else (attach,)
    done = _run(api.submit, workbook, out_dir, variant_id=variant, force=force, attach=chosen)
    for path in done.kept:
        click.echo(f"Kept {path} (already up to date)")
    for path in done.written:
        click.echo(f"Wrote {path}")
    click.echo("Open the .eml file in Outlook: it opens as a draft. (In Thunderbird, open it, then choose Message > "
               "Edit As New Message.) Read it once more, and send it.")
    for school in done.sip_renewals:
        click.echo(f"{school} is Underperforming: its renewed Sustainable Improvement Plan goes to the same address "
                   f"by the same date. Attach it to the email, or send it separately.")


_SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text for people, json for programs.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--accessibility", is_flag=True,
              help="Instead, check a Word or PowerPoint file (ours or edited) for accessibility basics.")
@_VARIANT
def check(workbook, output_format, strict, accessibility, variant):
    """Check a filled WORKBOOK against the guidance before it is sent.

    Lists what the plan does not yet do that the guidance asks for, by
    section, errors first. Exit code 0: no errors; 1: errors (or warnings,
    with --strict). With --accessibility, WORKBOOK is a .docx or .pptx file
    to check for document title and language, headings, table header rows,
    slide titles and alternative text.
    """
    import json

    from . import api

    if accessibility:
        from .accessibility import check_file

        problems = _run(check_file, workbook)
        if output_format == "json":
            click.echo(json.dumps({"file": str(workbook), "problems": [str(p) for p in problems]}, indent=2))
        elif not problems:
            click.echo(f"{workbook}: passes the accessibility checks")
        for problem in problems if output_format == "text" else ():
            click.echo(f"{workbook}: {problem}")
        if problems:
            raise SystemExit(1)
        return

    try:
        plan, findings = api.check(workbook, variant_id=variant)
    except DocgenError as exc:
        if output_format != "json":
            raise click.ClickException(str(exc)) from None
        click.echo(json.dumps(_unreadable_json(workbook, exc), indent=2, ensure_ascii=False))
        raise SystemExit(1) from None
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    if output_format == "json":
        click.echo(json.dumps({"workbook": str(workbook), "district": plan.district.name, "variant": plan.variant,
                               "errors": errors, "warnings": warnings, "readable": True,
                               "findings": [f.as_dict() for f in findings]}, indent=2, ensure_ascii=False))
    else:
        _print_findings(plan, findings, errors, warnings)
    if errors or (strict and warnings):
        raise SystemExit(1)


def _unreadable_json(workbook, exc) -> dict:
    """Return check's JSON for a workbook that could not be read: each problem as an error finding."""
    problems = getattr(exc, "problems", None) or [None]
    findings = [{"rule": "workbook", "severity": "error", "section": "general", "section_title": "The workbook",
                 "message": p.message if p else str(exc),
                 "location": (f"sheet '{p.sheet}'" + (f", cell {p.cell}" if p.cell else "")) if p and p.sheet else "",
                 "guidance": "", "advice": "", "at": ""} for p in problems]
    return {"workbook": str(workbook), "district": "", "variant": "", "errors": len(findings), "warnings": 0,
            "readable": False, "findings": findings}


def _print_findings(plan, findings, errors, warnings) -> None:
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
        label = click.style(f"{f.severity:<7}", fg=_SEVERITY_COLOURS[f.severity], bold=True)
        where = f"  [{f.location}]" if f.location else ""
        click.echo(f"  {label} {f.message}{where}")
        click.echo(click.style(f"          Guidance: \u201c{f.guidance}\u201d", dim=True))


_DATA = click.option("--data", type=click.Path(file_okay=False, path_type=Path), default=Path("docgen-data"),
                     show_default=True, help="The web app's data folder (database and files).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@_DATA
@click.option("--demo", is_flag=True, help="Load the sample district, with a demo account for each role.")
@click.option("--public-url", metavar="URL", default=None,
              help="The address people use (https://plans.example.org behind a proxy): invitation links use it, and "
                   "cookies are Secure when it is https.")
@click.option("--trusted-proxies", metavar="IPS", default="127.0.0.1", show_default=True,
              help="Proxies whose X-Forwarded-For and X-Forwarded-Proto headers are believed.")
@click.option("--workers", type=click.IntRange(1, 64), default=None, metavar="N",
              help="Server processes. Default: one per CPU, at most 4.")
@click.option("--idle-minutes", type=click.IntRange(5, 720), default=None, metavar="N",
              help="Sign people out after N minutes without activity (the page warns first). Default: 120, or the "
                   "last value given.")
@click.option("--oidc-issuer", metavar="URL", default=None,
              help="Offer sign-in with the organisation's account: the OpenID Connect provider's issuer URL.")
@click.option("--oidc-client-id", metavar="ID", default=None, help="docgen's client id at that provider.")
@click.option("--oidc-client-secret-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              metavar="FILE", help="A file holding docgen's client secret at that provider (kept out of the "
                                   "command line).")
def serve(host, port, data, demo, public_url, trusted_proxies, workers, idle_minutes, oidc_issuer, oidc_client_id,
          oidc_client_secret_file):
    """Serve the web app: districts fill, check, download and submit plans in a browser; consultants review them."""
    from .web.server import serve as run_server

    oidc = {"oidc_issuer": oidc_issuer, "oidc_client_id": oidc_client_id,
            "oidc_secret_file": str(oidc_client_secret_file.resolve()) if oidc_client_secret_file else None}
    _run(run_server, host, port, data, demo, public_url, trusted_proxies, workers, idle_minutes, oidc)


@main.group()
def users():
    """Manage the web app's accounts (admins can also do this in the browser)."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["district", "consultant", "admin"]), required=True,
              help="district: one district's plan team; consultant: an SSoS region; admin: manages accounts.")
@click.option("--district", "district", metavar="NAME", default="", help="The district of a district user.")
@click.option("--region", metavar="NAME", default="", help="A consultant's region (or a new district's).")
@_DATA
def users_add(email, role, district, region, data):
    """Create an account and print its one-time invitation link (valid for 7 days), where the person sets a password."""
    from .web.auth import create_account
    from .web.storage.db import Database

    db = Database(data)
    invitation = _run(create_account, db, email, role, db.setting("public_url", "http://127.0.0.1:8000"), district,
                      region)
    click.echo(f"Invitation for {invitation.email}, valid until {invitation.expires}:")
    click.echo(f"  {invitation.link}")


@users.command("list")
@_DATA
def users_list(data):
    """List the accounts: email, role, district or region, and whether they are active."""
    from .web.storage import accounts
    from .web.storage.db import Database

    db = Database(data)
    names = {d.id: d.name for d in accounts.districts(db)}
    for user in accounts.users(db):
        state = "disabled" if user.disabled else ("active" if user.has_password else "invited")
        where = names.get(user.district_id, "") if user.district_id else user.region
        click.echo(f"{user.email}\t{user.role}\t{where}\t{state}")


@users.command("disable")
@click.argument("email")
@_DATA
def users_disable(email, data):
    """Disable an account: it can no longer sign in, and its open invitation stops working."""
    from .web.storage import accounts
    from .web.storage.db import Database

    db = Database(data)
    user = accounts.user_by_email(db, email)
    if user is None:
        raise click.ClickException(f"no account for {email}")
    accounts.set_disabled(db, user.id, True)
    click.echo(f"Disabled {email}")


@main.command()
@click.argument("data", type=click.Path(file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def backup(data, out):
    """Copy the web app's data folder DATA to OUT, consistently, even while the server runs.

    To restore: stop the server, then serve the copy (docgen serve --data OUT)
    or put it back where DATA was.
    """
    from .web.backup import backup as run_backup

    counts = _run(run_backup, data, out)
    click.echo(f"Backed up {data} to {out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
