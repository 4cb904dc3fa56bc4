"""Convert Word and PowerPoint files to PDF with LibreOffice: as few calls as there are cores to use.

A fresh LibreOffice costs most of a second to start, so the files of a run are
shared among a handful of headless calls (one per worker) that convert many
files each, every call with its own private profile so it never collides with
a LibreOffice the user has open. Inputs are staged under numbered names in a
private scratch folder, so that files with the same name cannot clash. Every
PDF is tagged and PDF/UA (see EXPORT_OPTIONS), so a screen reader can read it; the
PDFs come back as bytes and are written like every other output (never over
an existing file without --force, never half-written).
"""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import DocgenError

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-impress-nogui; macOS: brew install --cask libreoffice)")
SECONDS_PER_FILE = 20
# LibreOffice's PDF export options (filter/source/pdf/pdfexport.cxx): a tagged PDF/UA-1 file (structure tree, headings,
# table header cells, alternative text, language, XMP title and pdfuaid:part) whose viewers show the document's title
# rather than its file name, with the headings as bookmarks. writer_pdf_Export serves slides as well as Word files.
EXPORT_OPTIONS = ("UseTaggedPDF", "PDFUACompliance", "DisplayPDFDocumentTitle", "ExportBookmarks")
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps({name: {"type": "boolean", "value": "true"}
                                                    for name in EXPORT_OPTIONS}, separators=(",", ":"))


def soffice() -> str:
    """Return the LibreOffice command, or raise DocgenError saying what to install."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise DocgenError(f"--pdf needs LibreOffice, and 'soffice' was not found: {INSTALL_HINT}")
    return found


def pdf_name(name: str) -> str:
    """Return a document's PDF name: "X.pdf" for Word, "X (slides).pdf" for PowerPoint (same stem)."""
    stem, _, suffix = name.rpartition(".")
    return f"{stem}{' (slides)' if suffix.lower() == 'pptx' else ''}.pdf"


def pdfs(files: dict[str, bytes], processes: int = 1) -> dict[str, bytes]:
    """Return the PDF of each .docx and .pptx in ``files`` (name -> bytes), by PDF name."""
    documents = [(name, data) for name, data in files.items() if name.lower().endswith((".docx", ".pptx"))]
    return {pdf_name(name): data for (name, _), data in zip(documents, convert(documents, processes), strict=False)}


def convert(documents: list[tuple[str, bytes]], processes: int = 1) -> list[bytes]:
    """Return the PDF bytes of each (name, document bytes), in order.

    The documents are staged in a private scratch folder and shared among
    ``processes`` LibreOffice calls that run at the same time (one per core is
    fastest), each with its own profile. Nothing is written beside the
    documents: callers write the PDFs like any other output.
    """
    if not documents:
        return []
    command = soffice()
    processes = max(1, min(processes, len(documents)))
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as scratch:
            return _convert_in(Path(scratch), command, documents, processes)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise DocgenError(f"cannot make PDFs: {reason} (in {tempfile.gettempdir()})") from None


def _convert_in(scratch: Path, command: str, documents: list[tuple[str, bytes]], processes: int) -> list[bytes]:
    names = [f"{i:05d}{Path(name).suffix}" for i, (name, _) in enumerate(documents)]
    calls = []
    for k in range(processes):
        staged, out = scratch / f"in{k}", scratch / f"out{k}"
        staged.mkdir()
        mine = names[k::processes]
        for name in mine:
            (staged / name).write_bytes(documents[int(name[:5])][1])
        calls.append((out, subprocess.Popen(
            [command, f"-env:UserInstallation={(scratch / f'profile{k}').as_uri()}", "--headless", "--norestore",
             "--convert-to", CONVERT_TO, "--outdir", str(out), *(str(staged / n) for n in mine)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    messages = []
    for _, process in calls:
        try:
            _, stderr = process.communicate(timeout=60 + SECONDS_PER_FILE * len(documents))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            stderr = "LibreOffice timed out"
        messages.append(stderr.strip())
    converted = []
    for i, (name, (original, _)) in enumerate(zip(names, documents, strict=False)):
        pdf = calls[i % processes][0] / (Path(name).stem + ".pdf")
        if not pdf.exists():
            detail = " ".join(m for m in messages if m).splitlines()
            raise DocgenError(f"{original}: LibreOffice did not convert it to PDF"
                              + (f" ({detail[-1]})" if detail else ""))
        converted.append(pdf.read_bytes())
    return converted
