"""Build a whole folder of district workbooks: worker processes, one folder per district, a summary workbook.

One bad workbook never stops the others: each district's result (built,
skipped or failed, with its files, check counts and error message) is
collected and written to OUT/summary.xlsx.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import api, output, pdf, variants
from .errors import DocgenError

SUMMARY = "summary.xlsx"
SUMMARY_COLUMNS = [("Workbook", 34), ("District", 34), ("Status", 10), ("Files written", 60), ("Errors", 8),
                   ("Warnings", 9), ("Message", 80)]


@dataclass
class DistrictResult:
    workbook: str
    district: str = ""
    status: str = "failed"  # "built", "skipped" or "failed"
    files: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    message: str = ""


def workbooks_in(folder: Path) -> list[Path]:
    """Return the .xlsx files in ``folder``, sorted, without Excel's "~$" lock files."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DocgenError(f"{folder}: not a folder of workbooks")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")
                  and p.is_file())


def district_folder(out: Path, path: Path) -> Path:
    """Return the output folder for one workbook: OUT/<workbook name>."""
    return Path(out) / output.safe_filename(path.stem, "")


def build_one(path: Path, out: Path, formats: tuple[str, ...], force: bool) -> DistrictResult:
    """Build one district's files (and its letter when it has a consultant review); never raises."""
    result = DistrictResult(workbook=path.name)
    folder = district_folder(out, path)
    try:
        if not force and _up_to_date(path, folder):
            result.status = "skipped"
            result.files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
            result.message = "outputs are newer than the workbook (use --force to rebuild)"
            return result
        plan, findings = api.check(path)
        result.district = plan.district.name
        result.errors = sum(f.severity == "error" for f in findings)
        result.warnings = len(findings) - result.errors
        variant = variants.load(plan.variant)
        files = api.plan_files(plan, variant, formats)
        if plan.review is not None:
            name, data = api.letter_file(plan, variant, findings)
            files[name] = data
        written = output.write_all(folder, files, force=True)
        result.files = [p.name for p in written]
        result.status = "built"
    except DocgenError as exc:
        result.message = str(exc)
    except Exception as exc:  # noqa: BLE001 - one district's bug must not stop the batch
        result.message = f"internal error ({type(exc).__name__}: {exc}); please report it with this workbook"
    return result


def _up_to_date(path: Path, folder: Path) -> bool:
    if not folder.is_dir():
        return False
    outputs = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")]
    return bool(outputs) and min(p.stat().st_mtime for p in outputs) > path.stat().st_mtime


def _build_one_args(args) -> DistrictResult:
    return build_one(*args)


def run(folder: Path, out: Path, formats=api.DEFAULT_FORMATS, jobs: int | None = None, make_pdf: bool = False,
        force: bool = False, on_result: Callable[[DistrictResult], None] | None = None) -> list[DistrictResult]:
    """Build every workbook in ``folder`` into ``out`` and write OUT/summary.xlsx; return the results in order."""
    paths = workbooks_in(folder)
    if make_pdf:
        pdf.soffice()  # fail before building anything when LibreOffice is missing
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    tasks = [(p, out, tuple(formats), force) for p in paths]
    results: list[DistrictResult] = []
    if jobs == 1 or len(tasks) <= 1:
        for task in tasks:
            results.append(_build_one_args(task))
            if on_result:
                on_result(results[-1])
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for result in pool.map(_build_one_args, tasks, chunksize=max(1, len(tasks) // (jobs * 8))):
                results.append(result)
                if on_result:
                    on_result(result)
    if make_pdf:
        _add_pdfs(out, paths, results, jobs)
    write_summary(out / SUMMARY, results)
    return results


def _add_pdfs(out: Path, paths: list[Path], results: list[DistrictResult], jobs: int) -> None:
    """Convert every plan and letter built in this run to PDF, in one LibreOffice call per worker."""
    built = [(r, district_folder(out, p)) for p, r in zip(paths, results) if r.status == "built"]
    documents = [folder / name for r, folder in built for name in r.files if name.endswith((".docx", ".pptx"))]
    try:
        pdf.convert(documents, processes=jobs)
    except DocgenError as exc:
        for r, _ in built:
            r.status, r.message = "failed", str(exc)
        return
    for r, _ in built:
        r.files += [pdf.pdf_path(Path(name)).name for name in r.files if name.endswith((".docx", ".pptx"))]


def write_summary(path: Path, results: list[DistrictResult]) -> None:
    """Write OUT/summary.xlsx: one row per workbook with its status, files, check counts and message."""
    # openpyxl is loaded here, after the workers are done, rather than copied into each of them
    from .sources import workbook_writer

    rows = [[r.workbook, r.district, r.status, "\n".join(r.files), r.errors, r.warnings, r.message] for r in results]
    temp = path.with_name(f".{path.name}.part")
    workbook_writer.write_table(temp, "Summary", [c for c, _ in SUMMARY_COLUMNS], rows, [w for _, w in SUMMARY_COLUMNS])
    os.replace(temp, path)
