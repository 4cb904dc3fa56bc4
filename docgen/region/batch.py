"""Build many plans: worker processes, one result per district, one summary workbook.

``build_many`` is the one engine behind ``docgen batch`` (a folder of
workbooks, one output folder per district) and the web app's "Download all"
(a region's submitted plans, into a ZIP). One bad plan never stops the others:
each district's result (built, skipped or failed, with its files, check counts
and error message) is yielded as it is done and ends up as one row of the same
summary workbook. Each district has a time limit, so even a plan that made the
builders loop could not stall the run.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docgen import api, variants
from docgen.errors import DocgenError, TemplateProblems
from docgen.processes import workers
from docgen.write import output, pdf

SUMMARY = "summary.xlsx"
SUMMARY_COLUMNS = [("Workbook", 34), ("District", 34), ("Status", 10), ("Files written", 60), ("Errors", 8),
                   ("Warnings", 9), ("Message", 80)]


@dataclass
class DistrictResult:
    """One district's outcome: one row of the summary."""

    workbook: str  # where the plan came from: the workbook's file name, or "web plan, version 3"
    district: str = ""
    status: str = "failed"  # "built", "skipped" or "failed"
    files: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    message: str = ""
    contents: dict[str, bytes] = field(default_factory=dict, repr=False)  # files built but not written (a ZIP's)


def build_many(function: Callable[..., DistrictResult], tasks: Sequence[tuple], shown: Sequence[tuple[str, str]],
               jobs: int | None = None, time_limit: float = workers.TASK_SECONDS,
               context: str | None = None) -> Iterator[DistrictResult]:
    """Yield ``function(*task)`` for each task, in order, from worker processes.

    A task that ran over ``time_limit`` seconds or crashed its worker is
    yielded as failed under its ``shown`` (workbook, district) names.
    ``context`` is the multiprocessing start method (see workers.run).
    """
    for (workbook, district), outcome in zip(shown, workers.run(function, tasks, jobs, time_limit, context),
                                             strict=False):
        if isinstance(outcome, workers.Failed):
            yield DistrictResult(workbook=workbook, district=district, message=outcome.message)
        else:
            assert isinstance(outcome, DistrictResult), outcome  # what ``function`` returns
            yield outcome


@contextlib.contextmanager
def _reported(result: DistrictResult):
    """Turn whatever goes wrong building one district into its result's message, so the others go on."""
    try:
        yield
    except DocgenError as exc:
        result.status, result.message = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 - one district's bug must not stop the batch
        result.status = "failed"
        result.message = f"internal error ({type(exc).__name__}: {exc}); please report it with this workbook"


def _checked(result: DistrictResult, plan) -> list:
    """Return the plan's check findings, counted into ``result`` (the summary's errors and warnings)."""
    findings = api.check_plan(plan)
    result.errors = sum(f.severity == "error" for f in findings)
    result.warnings = len(findings) - result.errors
    return findings


def _files(plan, variant, formats: tuple[str, ...], findings, with_letter: bool, template=None,
           letter_template=None) -> dict[str, bytes]:
    """Return the plan documents in ``formats`` and, when ``with_letter``, the feedback letter, by file name
    (filled into the Word ``template`` and ``letter_template`` when given)."""
    files = api.plan_files(plan, variant, formats, template=template)
    if with_letter:
        name, data = api.letter_file(plan, variant, findings, template=letter_template)
        files[name] = data
    return files


def build_plan(plan, source: str, district: str, template=None, letter_template=None) -> DistrictResult:
    """Build a plan already read (a web plan) into memory: Word, PowerPoint and its letter (DRAFT until reviewed).

    Runs in a worker; never raises. The files come back in ``contents``;
    ``district`` is the name the summary shows (the web app's, not the plan's).
    With the district's ``template`` (the region's ``letter_template``) the
    Word plan (the letter) is filled into it; one that cannot fill this plan
    leaves it in docgen's own layout, the template's problems in the message.
    """
    result = DistrictResult(workbook=source, district=district)
    with _reported(result):
        findings = _checked(result, plan)
        variant = variants.load(plan.variant)
        try:
            result.contents = _files(plan, variant, api.DEFAULT_FORMATS, findings, True, template, letter_template)
        except TemplateProblems as exc:
            result.contents = _files(plan, variant, api.DEFAULT_FORMATS, findings, True)
            result.message = f"in docgen's own layout: {Path(str(exc.path)).name}: {'; '.join(exc.problems)}"
        result.files, result.status = list(result.contents), "built"
    return result


def workbooks_in(folder: Path, out: Path | None = None) -> list[Path]:
    """Return the .xlsx files in ``folder``, sorted, without Excel's "~$" lock files or docgen's own summary.

    Raise DocgenError when there is none: a run with nothing to build is a
    mistaken folder, not an empty success.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DocgenError(f"{folder}: not a folder of workbooks")
    own = (Path(out) / SUMMARY).resolve() if out is not None else None
    found = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")
                   and p.is_file() and p.resolve() != own)
    if not found:
        raise DocgenError(f"{folder}: holds no workbook (.xlsx) to build")
    return found


def district_folders(out: Path, paths: list[Path]) -> dict[Path, Path]:
    """Return each workbook's output folder, OUT/<workbook name>, made distinct where two names would meet.

    "a:b.xlsx" and "a - b.xlsx" (or "Plan" and "plan" on a disk that ignores
    case) would share a folder: the later one gets "<name> (2)".
    """
    folders, taken = {}, set()
    for path in paths:
        base = output.safe_filename(path.stem, "")
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name.casefold())
        folders[path] = Path(out) / name
    return folders


def expected_outputs(plan, variant, formats: tuple[str, ...], make_pdf: bool) -> list[str]:
    """Return the names of the files a run asks for: the plans, the letter when reviewed, and their PDFs."""
    names = list(api.plan_file_names(plan, variant, formats).values())
    if plan.review is not None:
        names.append(api.letter_name(plan, variant))
    return names + ([pdf.pdf_name(n) for n in names] if make_pdf else [])


def build_one(path: Path, folder: Path, formats: tuple[str, ...], force: bool, make_pdf: bool) -> DistrictResult:
    """Build one district's files (and its letter when it has a consultant review); never raises."""
    result = DistrictResult(workbook=path.name)
    with _reported(result):
        plan = api.read_plan(path)
        variant = variants.load(plan.variant)
        result.district = plan.district.name
        findings = _checked(result, plan)
        wanted = expected_outputs(plan, variant, formats, make_pdf)
        if not force and _up_to_date(path, folder, wanted):
            result.status, result.files = "skipped", wanted
            result.message = "outputs are newer than the workbook (use --force to rebuild)"
            return result
        written = output.write_all(folder, _files(plan, variant, formats, findings, plan.review is not None),
                                   force=True)
        result.files = [p.name for p in written]
        result.status = "built"
    return result


def _up_to_date(path: Path, folder: Path, names: list[str]) -> bool:
    """Return True when every output this run asks for exists and is newer than the workbook."""
    try:
        changed = path.stat().st_mtime
        return all((folder / name).stat().st_mtime > changed for name in names)
    except OSError:
        return False


def run(folder: Path, out: Path, formats=api.DEFAULT_FORMATS, jobs: int | None = None, make_pdf: bool = False,
        force: bool = False, on_result: Callable[[DistrictResult], None] | None = None,
        time_limit: float = workers.TASK_SECONDS) -> list[DistrictResult]:
    """Build every workbook in ``folder`` into ``out`` and write OUT/summary.xlsx; return the results in order.

    A district that takes longer than ``time_limit`` seconds is stopped and
    reported failed; the others go on.
    """
    out = Path(out)
    paths = workbooks_in(folder, out)
    if make_pdf:
        pdf.soffice()  # fail before building anything when LibreOffice is missing
    out.mkdir(parents=True, exist_ok=True)
    folders = district_folders(out, paths)
    tasks = [(p, folders[p], tuple(formats), force, make_pdf) for p in paths]
    results: list[DistrictResult] = []
    for outcome in build_many(build_one, tasks, [(p.name, "") for p in paths], jobs, time_limit):
        results.append(outcome)
        if on_result:
            on_result(outcome)
    if make_pdf:
        _add_pdfs(paths, folders, results, jobs or os.cpu_count() or 1)
    write_summary(out / SUMMARY, results)
    return results


def _add_pdfs(paths: list[Path], folders: dict[Path, Path], results: list[DistrictResult], jobs: int) -> None:
    """Convert every plan and letter built in this run to PDF, in one LibreOffice call per worker."""
    built = [(r, folders[p]) for p, r in zip(paths, results, strict=False) if r.status == "built"]
    documents = [(folder, name) for r, folder in built for name in r.files if name.endswith((".docx", ".pptx"))]
    try:
        converted = pdf.convert([(name, (folder / name).read_bytes()) for folder, name in documents], processes=jobs)
        for (folder, name), data in zip(documents, converted, strict=False):
            output.write_all(folder, {pdf.pdf_name(name): data}, force=True)
    except (DocgenError, OSError) as exc:
        for r, _ in built:
            r.status, r.message = "failed", str(exc)
        return
    for r, _ in built:
        r.files += [pdf.pdf_name(name) for name in r.files if name.endswith((".docx", ".pptx"))]


def write_summary(path: Path, results: list[DistrictResult]) -> None:
    """Write OUT/summary.xlsx: one row per workbook with its status, files, check counts and message."""
    output.write_all(path.parent, {path.name: summary_bytes(results)}, force=True)


def summary_bytes(results: list[DistrictResult]) -> bytes:
    """Return the summary workbook (.xlsx bytes) of a run: one row per district, the same columns for every run."""
    # the workbook writer is loaded here, after the workers are done, rather than copied into each of them
    from docgen.write import xlsx_intake

    rows = [[r.workbook, r.district, r.status, "\n".join(r.files), r.errors, r.warnings, r.message] for r in results]
    return xlsx_intake.write_table("Summary", [c for c, _ in SUMMARY_COLUMNS], rows,
                                       [w for _, w in SUMMARY_COLUMNS])
