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
import tempfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from docgen.errors import DocgenError, OverTime
from docgen.processes import sandbox
from docgen.processes.slots import Slots
from docgen.read import scrub

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-impress-nogui; macOS: brew install --cask libreoffice)")
START_SECONDS = 40  # LibreOffice starting, cold, on a busy machine
SECONDS_PER_FILE = 20  # a plan converts in 1-2 s; one call's limit is START_SECONDS + this per file (60 s for one)
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


def pdfs(files: dict[str, bytes], processes: int = 1, slots: Slots | None = None, owner: str = "",
         hidden: tuple[Path, ...] = ()) -> dict[str, bytes]:
    """Return the PDF of each .docx and .pptx in ``files`` (name -> bytes), by PDF name (see convert)."""
    documents = [(name, data) for name, data in files.items() if name.lower().endswith((".docx", ".pptx"))]
    made = convert(documents, processes, slots, owner, hidden)
    return {pdf_name(name): data for (name, _), data in zip(documents, made, strict=False)}


def convert(documents: list[tuple[str, bytes]], processes: int = 1, slots: Slots | None = None,
            owner: str = "", hidden: tuple[Path, ...] = ()) -> list[bytes]:
    """Return the PDF bytes of each (name, document bytes), in order.

    The documents are scrubbed (read/scrub.py: nothing linked outside the
    file, no macros) and staged in a private scratch folder, and shared among
    ``processes`` LibreOffice calls that run at the same time (one per core is
    fastest), each boxed (sandbox.py: no network, limits, killed whole at its
    deadline) with its own profile. With ``slots`` (the web app's), each call
    first takes one of them for ``owner``, or raises ServerBusy; LibreOffice
    sees the folders ``hidden`` (the server's data folder) empty. Nothing is
    written beside the documents: callers write the PDFs like any other output.
    """
    if not documents:
        return []
    command = soffice()
    documents = [(name, scrub.clean(data, name)) for name, data in documents]
    processes = max(1, min(processes, len(documents)))
    try:
        with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as scratch:
            return _convert_in(Path(scratch), command, documents, processes, slots, owner, hidden)
    except OSError as exc:
        reason = "the disk is full" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise DocgenError(f"cannot make PDFs: {reason} (in {tempfile.gettempdir()})") from None


def _convert_in(scratch: Path, command: str, documents: list[tuple[str, bytes]], processes: int,
                slots: Slots | None, owner: str, hidden: tuple[Path, ...]) -> list[bytes]:
    names = [f"{i:05d}{Path(name).suffix}" for i, (name, _) in enumerate(documents)]
    shares = [names[k::processes] for k in range(processes)]

    def call(k: int) -> sandbox.Outcome:
        folder, staged = scratch / f"call{k}", scratch / f"call{k}" / "in"
        staged.mkdir(parents=True)
        for name in shares[k]:
            (staged / name).write_bytes(documents[int(name[:5])][1])
        argv = [command, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
                "--nolockcheck", "--convert-to", CONVERT_TO, "--outdir", str(folder / "out"),
                *(str(staged / n) for n in shares[k])]
        with slots.hold(owner) if slots else nullcontext():
            return sandbox.run(argv, folder, deadline(len(shares[k])), hidden=hidden)

    with ThreadPoolExecutor(processes) as pool:
        outcomes = list(pool.map(call, range(processes)))
    converted = []
    for i, (name, (original, _)) in enumerate(zip(names, documents, strict=False)):
        k = i % processes
        pdf = scratch / f"call{k}" / "out" / (Path(name).stem + ".pdf")
        if outcomes[k].timed_out and not pdf.exists():
            raise OverTime(f"{original}: LibreOffice took longer than {deadline(len(shares[k])):g} seconds to convert "
                           "it to PDF and was stopped; download the Word or PowerPoint file instead",
                           deadline(len(shares[k])))
        if not pdf.exists():
            detail = [line for line in outcomes[k].output.splitlines() if line.strip() and "javaldx" not in line]
            raise DocgenError(f"{original}: LibreOffice did not convert it to PDF"
                              + (f" ({detail[-1].strip()})" if detail else ""))
        converted.append(pdf.read_bytes())
    return converted


def deadline(files: int) -> float:
    """Return how long one LibreOffice call converting ``files`` documents may take before it is stopped."""
    return START_SECONDS + SECONDS_PER_FILE * files
