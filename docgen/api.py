"""The library entry: everything the CLI does, callable from Python."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import yaml

from docgen import variants, write
from docgen.errors import DocgenError, OutputError
from docgen.model.plan import Plan, plan_from_dict
from docgen.read import workbook
from docgen.write import output, pdf

DEFAULT_FORMATS = ("docx", "pptx")


def example_plan(variant_id: str | None = None) -> Plan:
    """Return the variant's shipped example plan (templates/<id>/example.yaml)."""
    variant = variants.load(variant_id or variants.newest())
    path = variants.templates_dir() / variant.id / "example.yaml"
    return plan_from_dict(yaml.safe_load(path.read_text(encoding="utf-8")), variant.id)


def new_workbook(path, variant_id: str | None = None, example: bool = False, force: bool = False) -> Path:
    """Write a blank intake workbook (or the shipped example, filled) to ``path`` and return it."""
    path = Path(path)
    variant = variants.load(variant_id or variants.newest())
    return _write_workbook(path, variant, example_plan(variant.id) if example else None, force)


def read_plan(workbook_path, variant_id: str | None = None) -> Plan:
    """Return the Plan in a filled workbook, checked against the variant
    (by default the one matching its school year)."""
    from docgen.read import any_plan

    if any_plan.document_kind(Path(workbook_path)):  # a Word, PowerPoint or PDF plan: read, nothing written
        return imported_plan(workbook_path, variant_id)[1].plan
    variant = variants.load(variant_id) if variant_id else None
    return workbook.read(Path(workbook_path), variant)


def build(workbook_path, out_dir="output", formats=DEFAULT_FORMATS, variant_id: str | None = None,
          force: bool = False, make_pdf: bool = False, template=None, allow_missing=(), deck_theme=None,
          notices: list[str] | None = None) -> list[Path]:
    """Build the plan documents for one workbook into ``out_dir`` and return the written paths (PDFs too on request).

    ``template`` is a Word template of the district's own design to fill
    instead of docgen's Word layout (see ``new_template``); ``deck_theme`` a
    PowerPoint file whose design the deck takes (write.pptx_theme).
    What docgen had to change in that design is added to ``notices``.
    """
    unknown = [f for f in formats if f not in write.FORMATS]
    if unknown:
        raise DocgenError(f"unknown format '{unknown[0]}'; choose from: {', '.join(write.FORMATS)}")
    plan = read_plan(workbook_path, variant_id)
    variant = variants.load(plan.variant)
    if make_pdf:
        pdf.soffice()  # say what to install before building anything
    theme = None
    if deck_theme is not None and "pptx" in formats:
        from docgen.write import pptx_theme

        theme = pptx_theme.read(deck_theme)
        if notices is not None:
            notices.extend(theme.notices)
    files = plan_files(plan, variant, formats, template, allow_missing, theme)
    if make_pdf:
        if not force:  # say so before LibreOffice spends seconds on PDFs that could not be written
            output.refuse_existing(Path(out_dir), [*files, *map(pdf.pdf_name, files)])
        files.update(pdf.pdfs(files))
    return output.write_all(Path(out_dir), files, force=force)


def plan_file_names(plan: Plan, variant, formats) -> dict[str, str]:
    """Return each format's file name for a plan ("docx": "<District> FY26 ... Plan.docx")."""
    title = variant.document_title(plan.district.name)
    return {f: output.safe_filename(title, write.suffix(f)) for f in formats}


def plan_files(plan: Plan, variant, formats, template=None, allow_missing=(), theme=None) -> dict[str, bytes]:
    """Return the plan documents in ``formats`` by file name ("<District> FY26 ... Plan.docx").

    With ``template``, the Word plan is that template filled (templating.fill_plan);
    with ``theme`` (write.pptx_theme.Theme), the deck is in the district's design.
    """
    files = {}
    for fmt, name in plan_file_names(plan, variant, formats).items():
        if fmt == "docx" and template is not None:
            from docgen import templating

            files[name] = templating.fill_plan(plan, variant, template, allow_missing)
        elif fmt == "pptx" and theme is not None:
            from docgen.write import pptx_plan

            files[name] = pptx_plan.build(plan, variant, theme)
        else:
            files[name] = write.build(fmt, plan, variant)
    return files


def new_template(path, variant_id: str | None = None, for_letter: bool = False, force: bool = False) -> Path:
    """Write docgen's Word plan (or letter) as a template to redesign in Word, and return its path."""
    from docgen import templating

    variant = variants.load(variant_id or variants.newest())
    path = Path(path)
    return output.write_all(path.parent, {path.name: templating.new_template(variant, for_letter)}, force=force)[0]


def check_template(path, variant_id: str | None = None, for_letter: bool = False):
    """Return (report, fields never shown) for a Word template: its tags, their problems, what it leaves out."""
    from docgen import templating

    return templating.check_template(path, variants.load(variant_id or variants.newest()), for_letter)


def check(workbook_path, variant_id: str | None = None):
    """Return (plan, findings): the plan in a workbook and what the checks find in it."""
    plan = read_plan(workbook_path, variant_id)
    return plan, check_plan(plan)


def check_plan(plan: Plan):
    """Return what the checks find in a plan already read (the findings ``check`` prints)."""
    from docgen.checks import check

    return check(plan, variants.load(plan.variant))


def plan_facts(plan: Plan) -> dict[str, dict]:
    """Return what the checks read in each answer and cell: {Plan.where key: {"location", "text", "facts"}}.

    The facts are short phrases ("percentage 43", "school year '2025-26'", "group English learners and former
    ELs", "school Westgate Intermediate School"), so a person can see why a rule fired or stayed quiet.
    """
    from docgen.checks.facts import read

    names = [s.name for s in plan.schools]
    found = {}
    for key, facts in read(plan).items():
        phrases = facts.lines() + [f"school {names[i]}" for i in sorted(facts.schools)]
        if phrases:
            found[key] = {"location": plan.where.get(key, ""), "facts": phrases}
    return found


def workbook_bytes(plan: Plan | None, variant_id: str | None = None) -> bytes:
    """Return an intake workbook filled from ``plan`` (blank when None) as .xlsx bytes."""
    from docgen.write import xlsx_intake

    return xlsx_intake.write(variants.load(plan.variant if plan else variant_id or variants.newest()), plan)


def letter(workbook_path, out_dir="output", variant_id: str | None = None, force: bool = False, template=None,
           allow_missing=(), make_pdf: bool = False, on=None) -> list[Path]:
    """Write the consultant's feedback letter for one workbook into ``out_dir`` and return the written paths.

    Without a consultant review in the workbook, the letter is drafted from the
    rule findings alone and marked DRAFT. ``template`` is a letterhead made
    with ``new_template(..., for_letter=True)`` to fill instead of docgen's layout;
    ``make_pdf`` writes its tagged PDF beside it (as the web app's "Letter as PDF");
    ``on`` dates the letter (default: the review's date, else the variant's feedback month).
    """
    if make_pdf:
        pdf.soffice()  # say what to install before composing anything
    plan, findings = check(workbook_path, variant_id)
    name, data = letter_file(plan, variants.load(plan.variant), findings, template, allow_missing, on)
    files = {name: data}
    if make_pdf:
        if not force:  # say so before LibreOffice spends seconds on a PDF that could not be written
            output.refuse_existing(Path(out_dir), [name, pdf.pdf_name(name)])
        files.update(pdf.pdfs(files))
    return output.write_all(Path(out_dir), files, force=force)


def progress(workbook_path, out_dir="output", variant_id: str | None = None, force: bool = False) -> list[Path]:
    """Write the midyear progress report (Word and PowerPoint) for a workbook's plan and its check-ins."""
    plan = read_plan(workbook_path, variant_id)
    return output.write_all(Path(out_dir), progress_files(plan), force=force)


def progress_files(plan: Plan) -> dict[str, bytes]:
    """Return the midyear progress report of a plan and its check-ins by file name (.docx and .pptx)."""
    from docgen.write import docx_progress, pptx_progress

    variant = variants.load(plan.variant)
    name = docx_progress.title(plan, variant)
    return {output.safe_filename(name, ".docx"): docx_progress.build(plan, variant),
            output.safe_filename(name, ".pptx"): pptx_progress.build(plan, variant)}


def compose_letter(plan: Plan, findings, on=None):
    """Return the feedback letter as data (a letter_model.Letter), dated ``on`` if given: what every writer reads."""
    from docgen.compose import feedback

    return feedback.compose(plan, variants.load(plan.variant), findings, on)


def letter_name(plan: Plan, variant) -> str:
    """Return the letter's file name: "<District> FY26 Feedback Letter.docx"."""
    from docgen.compose import feedback

    return output.safe_filename(feedback.letter_title(plan, variant), ".docx")


def letter_file(plan: Plan, variant, findings, template=None, allow_missing=(), on=None) -> tuple[str, bytes]:
    """Return the letter's file name and .docx bytes for a plan already reviewed (on ``template`` if given)."""
    from docgen.compose import feedback
    from docgen.write import docx_letter

    composed = feedback.compose(plan, variant, findings, on)
    if template is not None:
        from docgen import templating

        return letter_name(plan, variant), templating.fill_letter(plan, variant, composed, template, allow_missing)
    author = plan.review.consultant_name if plan.review and plan.review.consultant_name else "SSoS"
    return letter_name(plan, variant), docx_letter.build(composed, author=author)


class Submitted(NamedTuple):
    written: list[Path]
    kept: list[Path]  # already in the folder with exactly these bytes
    sip_renewals: list[str]  # Underperforming schools, whose SIP renewal goes to SSoS by the same date


def submit(workbook_path, out_dir="output", variant_id: str | None = None, force: bool = False,
           formats=DEFAULT_FORMATS, attach=("docx",)) -> Submitted:
    """Write the plan and an email draft to SSoS with it attached; refuse while check finds errors.

    A file already in ``out_dir`` with exactly the bytes submit would write
    (``docgen build`` made it a moment ago) is kept as it is, not refused; a
    different one is refused unless ``force``.
    """
    from docgen.compose.submission import sip_renewals

    plan, findings = check(workbook_path, variant_id)
    folder = Path(out_dir)
    files = submission_files(plan, findings, str(workbook_path), formats, attach)
    kept = output.identical(folder, files)
    written = output.write_all(folder, {name: data for name, data in files.items() if name not in kept}, force=force)
    return Submitted(written, [folder / output.fit_path(folder, name) for name in kept], sip_renewals(plan))


def submission_files(plan: Plan, findings, source: str, formats=DEFAULT_FORMATS,
                     attach=("docx",), template=None) -> dict[str, bytes]:
    """Return the plan files and the email draft to SSoS by file name; refuse while there are errors.

    ``formats`` are the plan files written; ``attach`` those the email
    carries (the Word plan unless the district chose otherwise).
    ``source`` names where the plan came from (a workbook, a web plan) in messages;
    ``template`` is the Word template the plan is filled into (plan_files).
    """
    from docgen.compose.submission import email_draft
    from docgen.errors import PlanNotReady

    errors = [f for f in findings if f.severity == "error"]
    if errors:
        listed = "; ".join(f"{f.message}" + (f" [{f.location}]" if f.location else "") for f in errors)
        raise PlanNotReady(f"{source}: the plan is not ready to send: {len(errors)} error"
                           f"{'' if len(errors) == 1 else 's'}: {listed}")
    variant = variants.load(plan.variant)
    title = variant.document_title(plan.district.name)
    files = plan_files(plan, variant, tuple(dict.fromkeys((*formats, *attach))), template=template)
    attached = {name: data for name, data in files.items() if name.rsplit(".", 1)[-1] in attach}
    files[output.safe_filename(title, ".eml")] = email_draft(plan, variant, title, attached, source=source)
    return files


def import_plan(docx_path, workbook_path=None, to_variant: str | None = None, force: bool = False):
    """Read last year's plan from a Word file into a new intake workbook; return (path, Imported, Moved).

    The workbook is for ``to_variant`` (default: the newest). Answers whose
    prompt changed, and text that could not be placed, are listed in its
    "Carried over" sheet.
    """
    found, moved = imported_plan(docx_path, to_variant)
    path = Path(workbook_path) if workbook_path else Path(docx_path).with_suffix(".xlsx")
    return _write_workbook(path, variants.load(moved.plan.variant), moved.plan, force, moved), found, moved


def imported_plan(docx_path, to_variant: str | None = None, shown_name: str | None = None):
    """Return (Imported, Moved): a plan document read, and carried into ``to_variant`` (default: newest).

    The document is a Word file (the official template or the district's own
    layout), a PowerPoint deck or a PDF, told apart by its content
    (sources.any_plan). ``shown_name`` is the file name messages and the
    Carried over list give (an upload's own name rather than where the server
    stored it). ``moved.tally`` counts the pieces placed, unsure and unplaced.
    """
    from docgen.read import any_plan, import_notes
    from docgen.read.carryover import Carried, carry, place_of

    found = any_plan.read(Path(docx_path), to_variant, shown_name)
    target = variants.load(to_variant or variants.newest())
    name = shown_name or Path(docx_path).name
    moved = carry(found.plan, found.variant, target, {k: f"{name}, {v}" for k, v in found.origins.items()})
    moved.carried.extend(Carried(f"{name}, {where}", "not placed", value, why, "unplaced")
                         for where, value, why in found.unplaced)
    for key, typed in found.to_choose.items():  # free text where the workbook needs one of a list's values
        moved.highlight[key] = f"choose from the list (last year's plan said '{typed}')"
        moved.carried.append(Carried(f"{name}, {place_of(found.variant, key)}", place_of(target, key), typed,
                                     "not one of the list's values: choose one in the orange cell", "choose again"))
    import_notes.add(found, moved, target, name)
    import_notes.add_unsure(found, moved, target, name)
    if not moved.plan.district.name:
        moved.highlight["district.name"] = f"fill in: the district's name was not found in {name}"
    if not moved.plan.district.date and "district.date" not in moved.highlight:
        moved.highlight["district.date"] = f"fill in: the plan's date was not found in {name}"
    moved.tally = dict(found.tally or any_plan.tally_of(found))
    return found, moved


def received_plan(path, shown_name: str | None = None):
    """Return a plan a district sent (a workbook, or a document any reader of ``imported_plan`` takes) as a Moved.

    A workbook of an earlier year is carried into this year's template, as a
    Word plan is; ``shown_name`` is the name messages give (the attachment's).
    """
    from docgen.read.carryover import Moved

    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        plan = read_plan(path)
        return roll_plan_forward(plan) if plan.variant != variants.newest() else Moved(plan, [], {})
    return imported_plan(path, shown_name=shown_name)[1]


def roll_forward(old_workbook, new_workbook, to_variant: str | None = None, force: bool = False):
    """Start a new year's workbook from last year's; return (path, Moved)."""
    plan = read_plan(old_workbook)
    moved = roll_plan_forward(plan, to_variant, {k: f"{Path(old_workbook).name}, {v}" for k, v in plan.where.items()})
    return _write_workbook(Path(new_workbook), variants.load(moved.plan.variant), moved.plan, force, moved), moved


def roll_plan_forward(plan: Plan, to_variant: str | None = None, origins: dict[str, str] | None = None):
    """Return last year's ``plan`` carried into this year's template (a Moved: the plan, what moved, what to choose)."""
    from docgen.read.carryover import carry

    return carry(plan, variants.load(plan.variant), variants.load(to_variant or variants.newest()), origins)


def _write_workbook(path: Path, variant, plan: Plan | None, force: bool, moved=None) -> Path:
    """Write an intake workbook (filled from ``plan``; with what ``moved`` carried over) without half files."""
    from docgen.write import xlsx_intake

    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: an intake workbook is an Excel file; give a name ending in .xlsx")
    data = xlsx_intake.write(variant, plan, highlight=moved.highlight if moved else (),
                                 carried=moved.carried if moved else ())
    return output.write_all(path.parent, {path.name: data}, force=force)[0]
