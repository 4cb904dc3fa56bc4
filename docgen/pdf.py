"""Convert Word and PowerPoint files to PDF with LibreOffice: as few calls as there are cores to use.

A fresh LibreOffice costs most of a second to start, so the files of a run are
shared among a handful of headless calls (one per worker) that convert many
files each, every call with its own private profile so it never collides with
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


def convert(files: list[Path], processes: int = 1) -> list[Path]:
    """Write each file's PDF beside it (see pdf_path) and return the PDF paths.

    The files are shared among ``processes`` LibreOffice calls that run at the
    same time (one per core is fastest), each with its own private profile.
    """
    if not files:
        return []
    command = soffice()
    processes = max(1, min(processes, len(files)))
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as scratch:
        scratch = Path(scratch)
        names = [f"{i:05d}{Path(path).suffix}" for i, path in enumerate(files)]
        calls = []
        for k in range(processes):
            staged, out = scratch / f"in{k}", scratch / f"out{k}"
            staged.mkdir()
            mine = names[k::processes]
            for name in mine:
                os.symlink(Path(files[int(name[:5])]).resolve(), staged / name)
            calls.append((out, subprocess.Popen(
                [command, f"-env:UserInstallation={(scratch / f'profile{k}').as_uri()}", "--headless", "--norestore",
                 "--convert-to", "pdf", "--outdir", str(out), *(str(staged / n) for n in mine)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
        messages = []
        for _, process in calls:
            try:
                _, stderr = process.communicate(timeout=60 + SECONDS_PER_FILE * len(files))
            except subprocess.TimeoutExpired:
                process.kill()
                stderr = "LibreOffice timed out"
            messages.append(stderr.strip())
        written = []
        for i, (name, path) in enumerate(zip(names, files)):
            pdf = calls[i % processes][0] / (Path(name).stem + ".pdf")
            if not pdf.exists():
                detail = " ".join(m for m in messages if m).splitlines()
                raise DocgenError(f"{path}: LibreOffice did not convert it to PDF"
                                  + (f" ({detail[-1]})" if detail else ""))
            target = pdf_path(path)
            part = target.with_name(f".{target.name}.part")
            shutil.move(str(pdf), str(part))
            os.replace(part, target)
            written.append(target)
    return written
