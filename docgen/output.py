"""Writing results safely: readable file names, no overwrite without asking, no half-written files.

Every output of a run is first written under a temporary name in the target
folder and renamed only once all of them are complete, so a failure or a kill
leaves nothing under a final name.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from .errors import OutputError

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 150
_UMASK = os.umask(0o022)  # read once (it can only be read by setting it) and put back at once
os.umask(_UMASK)


def safe_filename(title: str, suffix: str) -> str:
    """Return ``title + suffix`` as a file name that is valid on Windows, macOS and Linux.

    Path separators and characters Windows forbids become spaces or dashes;
    names Windows reserves (CON, NUL, ...) get a trailing underscore; very long
    titles are cut at a word boundary.
    """
    name = unicodedata.normalize("NFC", title)
    name = _FORBIDDEN.sub(" - ", name)
    name = re.sub(r"\s+", " ", name).strip(" .-")
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rsplit(" ", 1)[0].rstrip(" .-")
    if not name:
        name = "plan"
    if name.split(".")[0].upper() in _RESERVED:
        name += "_"
    return name + suffix


def write_all(folder: Path, files: dict[str, bytes], force: bool = False) -> list[Path]:
    """Write each ``name: content`` into ``folder`` and return the paths; all or nothing.

    Raises OutputError, before writing anything, when a file exists and
    ``force`` is false.
    """
    folder = Path(folder)
    targets = [(folder / name, content) for name, content in files.items()]
    if not force:
        existing = [str(path) for path, _ in targets if path.exists()]
        if existing:
            raise OutputError(f"{existing[0]} already exists; add --force to replace it")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror}") from None
    temps: list[tuple[str, Path]] = []
    try:
        for path, content in targets:
            fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem[:40]}.", suffix=".part")
            temps.append((temp, path))
            os.chmod(temp, 0o666 & ~_UMASK)  # mkstemp makes it private; a plan is shared like any document
            with os.fdopen(fd, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for temp, path in temps:
            os.replace(temp, path)
    except OSError as exc:
        raise OutputError(f"cannot write into {folder}: {exc.strerror or exc}") from None
    finally:
        for temp, _ in temps:
            if os.path.exists(temp):
                os.unlink(temp)
    return [path for path, _ in targets]
