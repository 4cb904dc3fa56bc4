"""Writing results safely: readable file names, no overwrite without asking, no half-written files.

Every output of a run is first written under a temporary name in the target
folder and given its final name only once all of them are complete, so a
failure, a full disk or a kill leaves nothing under a final name. Without
--force a final name is created exclusively (a hard link, which fails if the
name exists), so two runs at once can never replace each other's files. A
temporary file a killed run left behind is removed by the next run.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import socket
import time
import unicodedata
from pathlib import Path

from docgen.errors import OutputError

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\x85\u2028\u2029]+')
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # marks, embeddings, overrides, isolates
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 150  # characters: longer titles are hard to read in a folder listing
MAX_NAME_BYTES = 240  # UTF-8 bytes of a name: Linux allows 255, and "X (slides).pdf" adds 8 to a deck's name
WINDOWS_MAX_PATH = 259  # characters of a whole path Windows accepts without long-path support
TEMP_PREFIX = ".docgen-"
TEMP_SUFFIX = ".part"
STALE_SECONDS = 3600  # a temporary file of another machine's run is surely abandoned after an hour
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]
_UMASK = os.umask(0o022)  # read once (it can only be read by setting it) and put back at once
os.umask(_UMASK)
_UNFINISHED = re.compile("[\u200d\ufe0e\ufe0f\u20e3]+$")  # joiners and selectors a cut can leave dangling


def safe_filename(title: str, suffix: str) -> str:
    """Return ``title + suffix`` as a file name that is valid on Windows, macOS and Linux.

    Bidirectional controls are removed (a right-to-left override makes
    "plan\u202excod.exe" show as "planexe.docx"); path separators and
    characters Windows forbids become dashes; names
    Windows reserves (CON, NUL, ...) get a trailing underscore; long titles
    are cut at a word boundary so that the name stays within 150 characters
    and 240 bytes (60 emoji or 100 CJK characters fit in far fewer characters
    than bytes).
    """
    name = without_bidi_controls(unicodedata.normalize("NFC", title))
    name = _FORBIDDEN.sub(" - ", name)
    name = re.sub(r"\s+", " ", name).strip(" .-")
    name = cut_to_fit(name, min(MAX_NAME, MAX_NAME_BYTES), MAX_NAME_BYTES - len(suffix.encode()))
    if not name:
        name = "plan"
    if name.split(".")[0].upper() in _RESERVED:
        name += "_"
    return name + suffix


def without_bidi_controls(text: str) -> str:
    """Return ``text`` without the invisible characters that reorder what is shown (a file name's true ending)."""
    return _BIDI.sub("", text)


def cut_to_fit(name: str, max_chars: int, max_bytes: int) -> str:
    """Return ``name`` cut to at most ``max_chars`` characters and ``max_bytes`` UTF-8 bytes, at a word if it can."""
    if len(name) <= max_chars and len(name.encode()) <= max_bytes:
        return name
    cut = name[:max_chars]
    while len(cut.encode()) > max_bytes:
        cut = cut[:-1]
    words = cut.rsplit(" ", 1)[0]
    if len(words) >= len(cut) // 2:  # a word boundary not too far back
        cut = words
    while cut and unicodedata.combining(cut[-1]):
        cut = cut[:-1]
    return _UNFINISHED.sub("", cut).rstrip(" .-")


def fit_path(folder: Path, name: str) -> str:
    """Return ``name``, shortened on Windows so that the whole path stays within MAX_PATH."""
    if os.name != "nt":
        return name
    room = WINDOWS_MAX_PATH - len(str(Path(folder).resolve())) - 1
    stem, dot, suffix = name.rpartition(".")
    if len(name) <= room or not dot:
        return name
    return cut_to_fit(stem, max(room - len(suffix) - 1, 1), MAX_NAME_BYTES) + "." + suffix


def write_all(folder: Path, files: dict[str, bytes], force: bool = False) -> list[Path]:
    """Write each ``name: content`` into ``folder`` and return the paths; all or nothing.

    Raises OutputError, before writing anything, when a file exists and
    ``force`` is false; and, with every temporary file removed, when the
    folder cannot be written (a full disk, no permission).
    """
    folder = Path(folder)
    targets = [(folder / fit_path(folder, name), content) for name, content in files.items()]
    if not force:
        refuse_existing(folder, [path.name for path, _ in targets])
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder {folder}: {exc.strerror or exc}") from None
    remove_stale_temporaries(folder)
    temps: list[tuple[Path, Path]] = []
    placed: list[Path] = []
    try:
        for path, content in targets:
            temp = folder / f"{TEMP_PREFIX}{_HOST}-{os.getpid()}-{secrets.token_hex(4)}{TEMP_SUFFIX}"
            temps.append((temp, path))
            _write_synced(temp, content)
        for temp, path in temps:
            if force:
                os.replace(temp, path)
            else:
                try:
                    _create_exclusively(temp, path)
                except FileExistsError:
                    _undo(placed, force)
                    raise _exists(path) from None
            placed.append(path)
    except OSError as exc:
        _undo(placed, force)
        raise OutputError(f"cannot write into {folder}: {_reason(exc)}") from None
    finally:
        for temp, _ in temps:
            _remove(temp)
    return [path for path, _ in targets]


def identical(folder: Path, files: dict[str, bytes]) -> set[str]:
    """Return the names in ``files`` that ``folder`` already holds with exactly the same bytes."""
    found = set()
    for name, content in files.items():
        path = Path(folder) / fit_path(folder, name)
        try:
            if path.is_file() and path.stat().st_size == len(content) and path.read_bytes() == content:
                found.add(name)
        except OSError:
            continue  # unreadable: write_all says what is wrong with it
    return found


def refuse_existing(folder: Path, names) -> None:
    """Raise OutputError naming the first of ``names`` that already exists in ``folder``."""
    for name in names:
        path = Path(folder) / fit_path(folder, name)
        if path.exists():
            raise _exists(path)


def _write_synced(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666 & ~_UMASK)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _create_exclusively(temp: Path, path: Path) -> None:
    """Give ``temp`` the final name ``path``, failing with FileExistsError if the name exists, even in a race."""
    try:
        os.link(temp, path)  # atomic, and fails if the name exists
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL))  # no hard links here: claim the name
        os.replace(temp, path)


def _undo(placed: list[Path], force: bool) -> None:
    """Remove the final names this run created before it failed (with --force, replaced files stay replaced)."""
    if not force:
        for path in placed:
            _remove(path)


def _exists(path: Path) -> OutputError:
    return OutputError(f"{path} already exists; add --force to replace it")


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and run it again"
    return exc.strerror or str(exc)


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass  # already gone; or one we cannot remove, left for the next run's clean-up


def remove_stale_temporaries(folder: Path) -> None:
    """Remove docgen's own temporary files that a killed run left in ``folder``.

    A file is stale when the process that wrote it (on this machine) is gone,
    or when it is over an hour old (a run on another machine sharing the folder).
    """
    try:
        candidates = [p for p in Path(folder).iterdir() if p.name.startswith(TEMP_PREFIX)
                      and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    now = time.time()
    for path in candidates:
        parts = path.name[len(TEMP_PREFIX):-len(TEMP_SUFFIX)].split("-")
        try:
            ours = len(parts) == 3 and parts[0] == _HOST and not _running(int(parts[1]))
            if ours or now - path.stat().st_mtime > STALE_SECONDS:
                _remove(path)
        except (ValueError, OSError):
            continue


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # Windows' os.kill would end the process: rely on the age there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
