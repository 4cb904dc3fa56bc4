"""Convert Word and PowerPoint files to PDF with LibreOffice, all of them in one call.

A fresh LibreOffice costs most of a second to start, so every file of a run
goes into one headless call, with a private profile so it never collides with
a LibreOffice the user has open. Inputs are staged under numbered names so
that files with the same name from different folders cannot clash.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import DocgenError

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: apt-get install libreoffice-writer-nogui "
                "libreoffice-impress-nogui; macOS: brew install --cask libreoffice)")
SECONDS_PER_FILE = 20


def soffice() -> str:
    """Return the LibreOffice command, or raise DocgenError saying what to install."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise DocgenError(f"--pdf needs LibreOffice, and 'soffice' was not found: {INSTALL_HINT}")
    return found


def pdf_path(path: Path) -> Path:
    """Return where a document's PDF goes: "X.pdf" for Word, "X (slides).pdf" for PowerPoint (same stem)."""
    path = Path(path)
    return path.with_name(path.stem + (" (slides)" if path.suffix.lower() == ".pptx" else "") + ".pdf")


def convert(files: list[Path]) -> list[Path]:
    """Write each file's PDF beside it (see pdf_path) and return the PDF paths; one LibreOffice call for all."""
    if not files:
        return []
    command = soffice()
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as scratch:
        scratch = Path(scratch)
        staged = scratch / "in"
        staged.mkdir()
        names = []
        for i, path in enumerate(files):
            name = f"{i:05d}{path.suffix}"
            os.symlink(Path(path).resolve(), staged / name)
            names.append(name)
        result = subprocess.run(
            [command, f"-env:UserInstallation={(scratch / 'profile').as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(scratch / "out"), *(str(staged / n) for n in names)],
            capture_output=True, text=True, timeout=60 + SECONDS_PER_FILE * len(files))
        written = []
        for name, path in zip(names, files):
            pdf = scratch / "out" / (Path(name).stem + ".pdf")
            if not pdf.exists():
                detail = (result.stderr or result.stdout).strip().splitlines()
                raise DocgenError(f"{path}: LibreOffice did not convert it to PDF"
                                  + (f" ({detail[-1]})" if detail else ""))
            target = pdf_path(path)
            shutil.move(str(pdf), str(target.with_name(f".{target.name}.part")))
            os.replace(target.with_name(f".{target.name}.part"), target)
            written.append(target)
    return written
