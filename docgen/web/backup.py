"""``docgen backup DATA OUT``: a consistent copy of a running server's data folder.

The database is copied with SQLite's online backup API, which gives a
consistent snapshot while the server keeps reading and writing; the files
(uploads, exports) are copied beside it. To restore, stop
the server and serve the copy (or copy it back to where the data folder was).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docgen.errors import DocgenError
from docgen.web.storage.db import DATABASE, Database

FOLDERS = ("uploads", "exports")  # cache/ holds PDFs made again on demand


def backup(data: Path, out: Path) -> dict[str, int]:
    """Copy the data folder ``data`` to ``out`` (a new folder) and return what the copy holds, counted."""
    data, out = Path(data), Path(out)
    if not (data / DATABASE).exists():
        raise DocgenError(f"{data}: no docgen data folder here (it has no {DATABASE})")
    if out.exists() and any(out.iterdir()):
        raise DocgenError(f"{out} already exists and is not empty; back up into a new folder")
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f".{DATABASE}.part"
    try:
        Database(data).backup(partial)
        partial.replace(out / DATABASE)
        for folder in FOLDERS:
            if (data / folder).is_dir():
                shutil.copytree(data / folder, out / folder, ignore=shutil.ignore_patterns(".*.part"))
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DocgenError(f"cannot write the backup into {out}: {exc.strerror or exc}") from None
    copy = Database(out)
    return {name: copy.value(f"SELECT COUNT(*) FROM {table}") for name, table in (
        ("districts", "districts"), ("accounts", "users"), ("plan versions", "versions"), ("reviews", "reviews"),
        ("comments", "comments"), ("audit lines", "audit"))}
