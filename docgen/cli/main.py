"""The docgen command line: click only. The work itself is in docgen.api."""

from __future__ import annotations

from pathlib import Path

import click

from docgen.cli.common import ALLOW_MISSING as _ALLOW_MISSING
from docgen.cli.common import FORCE as _FORCE
from docgen.cli.common import TEMPLATE as _TEMPLATE
from docgen.cli.common import VARIANT as _VARIANT
from docgen.cli.common import names as _names
from docgen.cli.common import run as _run
from docgen.cli.database import migrate_data
from docgen.cli.intake import intake
from docgen.cli.records import archive
from docgen.cli.template import template
from docgen.cli.types import FORMATS
from docgen.errors import DocgenError

_TO_VARIANT = click.option("--to-variant", metavar="ID", default=None,
                           help="Template of the new workbook. Default: the newest.")


def _show_version(ctx, _param, value) -> None:
    """Print docgen's version: looked up only when --version asks (it costs a cold start 90 ms)."""
    if value and not ctx.resilient_parsing:
        from docgen import __version__

        click.echo(f"docgen, version {__version__}")
        ctx.exit()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version,
              help="Show the version and exit.")
def main():
    """Turn a district's instructional prioritization plan workbook into the official DESE documents."""


main.add_command(template)
main.add_command(archive)
main.add_command(migrate_data)
main.add_command(intake)


@main.command("new-workbook")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--example", is_flag=True, help="Fill it with the shipped sample district instead of leaving it blank.")
@_VARIANT
@_FORCE
def new_workbook(path, example, variant, force):
    """Write a blank intake workbook to PATH for a district team to fill in Excel."""
    from docgen import api

    written = _run(api.new_workbook, path, variant_id=variant, example=example, force=force)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the documents into.")
@click.option("--format", "formats", type=FORMATS, default="docx,pptx", show_default=True,
              help="Which documents to write, comma-separated: docx (Word plan), pptx (PowerPoint plan).")
@click.option("--pdf", "make_pdf", is_flag=True, help="Also write a PDF of each document (needs LibreOffice).")
@_TEMPLATE
@_ALLOW_MISSING
@click.option("--deck-theme", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="A PowerPoint file of the district's design (masters, layouts, colours, logo) for the deck.")
@_VARIANT
@_FORCE
def build(workbook, out_dir, formats, make_pdf, template_path, allow_missing, deck_theme, variant, force):
    """Build the official plan documents (Word and PowerPoint) from a filled WORKBOOK.

    WORKBOOK may also be a plan a district sent (.docx, .pptx or .pdf, in any
    layout): it is read as 'docgen import' reads it, without writing a workbook.

    With --template, the Word plan is the district's own design filled with
    the plan; it is refused, naming them, when the template leaves out
    fields the plan fills in (unless --allow-missing lists them).
    """
    from docgen import api

    notices: list[str] = []
    written = _run(api.build, workbook, out_dir, formats=formats, variant_id=variant, force=force, make_pdf=make_pdf,
                   template=template_path, allow_missing=_names(allow_missing), deck_theme=deck_theme, notices=notices)
    for notice in notices:
        click.echo(f"Note: {notice}")
    for path in written:
        click.echo(f"Wrote {path}")


@main.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write each district's folder and summary.xlsx into.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Worker processes. Default: the number of CPUs.")
@click.option("--format", "formats", type=FORMATS, default="docx,pptx", show_default=True,
              help="Which plan documents to write, comma-separated: docx, pptx.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Also write PDFs, in one LibreOffice call for the whole run.")
@click.option("--force", is_flag=True, help="Rebuild districts whose outputs are newer than their workbook.")
def batch(folder, out_dir, jobs, formats, make_pdf, force):
    """Build every district workbook (.xlsx) in FOLDER: plans, letters where reviewed, and OUT/summary.xlsx.

    Each district gets its own folder under OUT. One bad workbook never stops
    the others; the exit code is 1 when any district failed.
    """
    import sys

    from docgen.region import batch as batches

    total = len(_run(batches.workbooks_in, folder, out_dir))
    if sys.stdout.isatty():
        with click.progressbar(length=total, label="Building", show_pos=True, item_show_func=lambda r: r) as bar:
            results = _run(batches.run, folder, out_dir, formats, jobs, make_pdf, force,
                           on_result=lambda r: bar.update(1, f"{r.workbook}: {r.status}"))
    else:
        done = iter(range(1, total + 1))
        results = _run(batches.run, folder, out_dir, formats, jobs, make_pdf, force,
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
    """Start a workbook from a plan a district wrote: PLAN.docx (official template or own layout), .pptx or .pdf.

    Answers move to the same prompts; answers whose prompt changed, text that
    could not be placed, and placements to confirm (unsure) are listed in the
    workbook's 'Carried over' sheet.
    """
    from docgen import api

    path, found, moved = _run(api.import_plan, plan, workbook, to_variant=to_variant, force=force)
    total = len(found.matched) + len(found.missing)
    if found.own_layout:  # a document in its own layout: read by meaning
        t = found.tally
        click.echo(f"Read {plan} (its own layout): {t['placed']} pieces placed, {t['unsure']} unsure (orange: "
                   f"confirm them), {t['unplaced']} not placed; answers found for {len(found.matched)} of {total} "
                   "required prompts.")
    else:
        click.echo(f"Read {plan} ({found.variant.plan_year} template): found {len(found.matched)} of {total} "
                   "prompts.")
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
    from docgen import api

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
        from docgen import variants

        click.echo("To fill in (highlighted in orange):")
        for line in moved.to_do(variants.load(moved.plan.variant)):
            click.echo(f"  {line}")


@main.command("variants")
def list_variants():
    """List the template variants with their school year and source document."""
    from docgen import variants

    for variant_id in _run(variants.names):
        v = _run(variants.load, variant_id)
        click.echo(f"{v.id}  {v.school_year}  {v.source}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the report into.")
@_VARIANT
@_FORCE
def progress(workbook, out_dir, variant, force):
    """Write the midyear progress report (Word and PowerPoint) from a WORKBOOK's plan and its Check-ins sheet.

    Each interim benchmark with who monitors it and its midyear target, every
    check-in so far with its status, a chart of the numbers against the
    target, what the district will adjust, and the outcome targets restated.
    """
    from docgen import api

    for path in _run(api.progress, workbook, out_dir, variant_id=variant, force=force):
        click.echo(f"Wrote {path}")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("output"),
              show_default=True, help="Folder to write the letter into.")
@click.option("--pdf", "make_pdf", is_flag=True, help="Also write the letter as a tagged PDF (needs LibreOffice).")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None, metavar="YYYY-MM-DD",
              help="Date the letter (default: the review's date, else the feedback month).")
@_TEMPLATE
@_ALLOW_MISSING
@_VARIANT
@_FORCE
def letter(workbook, out_dir, make_pdf, on, template_path, allow_missing, variant, force):
    """Write the SSoS consultant's August feedback letter for a reviewed WORKBOOK.

    WORKBOOK may also be the plan a district sent (.docx, .pptx or .pdf):
    the letter is then drafted from the rules alone.

    Uses the workbook's 'Consultant review' sheet and the review rules; with
    no review yet, drafts the letter from the rules alone and marks it DRAFT.
    """
    from docgen import api

    written = _run(api.letter, workbook, out_dir, variant_id=variant, force=force, template=template_path,
                   allow_missing=_names(allow_missing), make_pdf=make_pdf, on=on.date() if on else None)
    for path in written:
        click.echo(f"Wrote {path}")


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
    from docgen import api

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


_OUTPUT_FORMAT = click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                              show_default=True, help="text for people, json for programs.")


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@_OUTPUT_FORMAT
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too, not only on errors.")
@click.option("--facts", "show_facts", is_flag=True,
              help="Also print what docgen read in each answer and cell: numbers and their kind, dates and school "
                   "years, grades, subjects, groups, schools, assessments, cadences, roles, funding.")
@_VARIANT
def check(workbook, output_format, strict, show_facts, variant):
    """Check a filled WORKBOOK (or a plan a district sent: .docx, .pptx, .pdf) against the guidance.

    Lists what the plan does not yet do that the guidance asks for, by
    section, errors first. Exit code 0: no errors; 1: errors (or warnings,
    with --strict).
    """
    import json

    from docgen import api
    from docgen.cli.types import check_json, print_facts, print_findings, unreadable_json

    try:
        plan, findings = api.check(workbook, variant_id=variant)
    except DocgenError as exc:
        if output_format != "json":
            raise click.ClickException(str(exc)) from None
        click.echo(json.dumps(unreadable_json(workbook, exc), indent=2, ensure_ascii=False))
        raise SystemExit(1) from None
    report = check_json(workbook, plan, findings)
    if show_facts:
        report["facts"] = api.plan_facts(plan)
    if output_format == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        print_findings(plan, findings, report["errors"], report["warnings"])
        if show_facts:
            print_facts(report["facts"])
    if report["errors"] or (strict and report["warnings"]):
        raise SystemExit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_OUTPUT_FORMAT
def accessibility(files, output_format):
    """Check Word and PowerPoint FILES (ours or edited) for accessibility basics.

    Document title and language, headings, table header rows, slide titles
    and alternative text: one line per problem. Exit code 1 when any file has
    a problem or cannot be read.
    """
    import json

    from docgen.write.accessibility import check_file

    reports, failed = [], False
    for path in files:
        try:
            problems = [str(p) for p in check_file(path)]
        except DocgenError as exc:
            if output_format == "json":
                problems = [str(exc)]
            else:
                click.echo(f"Error: {exc}", err=True)
                failed = True
                continue
        failed = failed or bool(problems)
        reports.append({"file": str(path), "problems": problems})
        if output_format == "text":
            click.echo(f"{path}: passes the accessibility checks" if not problems else
                       "\n".join(f"{path}: {problem}" for problem in problems))
    if output_format == "json" and reports:
        click.echo(json.dumps(reports, indent=2))
    raise SystemExit(1 if failed else 0)


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
@click.option("--upload-quota-mb", type=click.IntRange(10, 100000), default=None, metavar="N",
              help="What one district's stored uploads may take together, in MB. Default: 200, or the last value "
                   "given.")
@click.option("--log-format", type=click.Choice(["json", "text"]), default="json", show_default=True,
              help="The log on standard error: one JSON object a line (for a SIEM), or text for a terminal.")
@click.option("--metrics-token-file", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              metavar="FILE", help="A file holding the bearer token that lets Prometheus read /metrics from another "
                                   "machine (without it, only this machine may).")
@click.option("--disable-unused-days", type=click.IntRange(0, 3650), default=None, metavar="N",
              help="Disable accounts not signed in for N days (0: never). Default: 365, or the last value given.")
@click.option("--database", metavar="URL", default=None, envvar="DOCGEN_DATABASE_URL",
              help="A PostgreSQL database (postgresql://...) instead of the data folder's SQLite file; also "
                   "DOCGEN_DATABASE_URL. Files stay in --data, which every app server must share.")
@click.option("--version-quota-mb", type=click.IntRange(1, 100000), default=None, metavar="N",
              help="What one district's saved plan versions may take together, in MB. Default: 25, or the last "
                   "value given.")
def serve(host, port, data, demo, public_url, trusted_proxies, workers, idle_minutes, oidc_issuer, oidc_client_id,
          oidc_client_secret_file, upload_quota_mb, log_format, metrics_token_file, disable_unused_days, database,
          version_quota_mb):
    """Serve the web app: districts fill, check, download and submit plans in a browser; consultants review them."""
    from docgen.web.server import serve as run_server

    oidc = {"oidc_issuer": oidc_issuer, "oidc_client_id": oidc_client_id,
            "oidc_secret_file": str(oidc_client_secret_file.resolve()) if oidc_client_secret_file else None}
    _run(run_server, host, port, data, demo, public_url, trusted_proxies, workers, idle_minutes, oidc, upload_quota_mb,
         log_format, metrics_token_file, disable_unused_days, database, version_quota_mb)


@main.group()
def users():
    """Manage the web app's accounts (admins can also do this in the browser)."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(["district", "consultant", "admin", "state"]), required=True,
              help="district: one district's plan team; consultant: an SSoS region; admin: manages accounts; "
                   "state: DESE's SSoS leadership, reads every region.")
@click.option("--district", "district", metavar="NAME", default="", help="The district of a district user.")
@click.option("--region", metavar="NAME", default="", help="A consultant's region (or a new district's).")
@_DATA
def users_add(email, role, district, region, data):
    """Create an account and print its one-time invitation link (valid for 7 days), where the person sets a password."""
    from docgen.web.services import accounts

    invitation = _run(accounts.invite_user, data, email, role, district, region)
    click.echo(f"Invitation for {invitation.email}, valid until {invitation.expires}:")
    click.echo(f"  {invitation.link}")


@users.command("list")
@_DATA
def users_list(data):
    """List the accounts: email, role, district or region, and whether they are active."""
    from docgen.web.services import accounts

    for account in _run(accounts.list_users, data):
        click.echo("\t".join(account))


@users.command("disable")
@click.argument("email")
@_DATA
def users_disable(email, data):
    """Disable an account: it can no longer sign in, and its open invitation stops working."""
    from docgen.web.services import accounts

    _run(accounts.disable_user, data, email)
    click.echo(f"Disabled {email}")


@main.command()
@click.argument("data", type=click.Path(file_okay=False, path_type=Path))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
def backup(data, out):
    """Copy the web app's data folder DATA to OUT, consistently, even while the server runs.

    To restore: stop the server, then serve the copy (docgen serve --data OUT)
    or put it back where DATA was.
    """
    from docgen.web.backup import backup as run_backup

    counts = _run(run_backup, data, out)
    click.echo(f"Backed up {data} to {out}: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
