"""A build that stops at a chosen point of writing its files, for the kill and race tests in test_hostile.py.

Run as ``python paused_build.py POINT WORKBOOK FOLDER FORCE``. POINT is

- ``write N``: the N-th file's temporary file is open and holds half its bytes;
- ``place N``: every file is written under its temporary name and N-1 have their final name.

There the build prints one line (``POINT<TAB>temporary file``) and waits for a line on its standard input: the
test kills it then, or runs another build and lets it go on. Without --force (FORCE ``0``) a refused name exits 1
with the message on standard error, as `docgen build` does.
"""

from __future__ import annotations

import os
import sys

from docgen import api, errors
from docgen.write import output

point, workbook, folder, force = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
counts = {"write": 0, "place": 0}


def reached(step: str, temp) -> bool:
    """Count one more ``step``; when it is POINT, tell the test where the build is and wait for its go-ahead."""
    counts[step] += 1
    if point != f"{step} {counts[step]}":
        return False
    print(f"{point}\t{temp}", flush=True)
    sys.stdin.readline()
    return True


def write_halfway(path, content: bytes) -> None:
    """output._write_synced, stopping with half of ``content`` written (and on disk) at POINT ``write N``."""
    if not point.startswith("write"):
        return real_write(path, content)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content[: len(content) // 2])
        handle.flush()
        os.fsync(handle.fileno())
        reached("write", path)
        handle.write(content[len(content) // 2:])


def replace_later(temp, path) -> None:
    reached("place", temp)
    real_replace(temp, path)


def link_later(temp, path) -> None:
    reached("place", temp)
    real_link(temp, path)


real_write, real_replace, real_link = output._write_synced, os.replace, output._create_exclusively
output._write_synced, output._create_exclusively = write_halfway, link_later
output.os.replace = replace_later  # this process's os.replace: only write_all calls it here
try:
    api.build(workbook, folder, force=force)
except errors.OutputError as exc:
    sys.exit(f"Error: {exc}")
