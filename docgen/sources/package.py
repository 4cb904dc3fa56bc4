"""Open an Office file a person handed to docgen without trusting it: one guard for every file docgen reads.

Workbooks, last year's Word plan and files given to ``check --accessibility``
all pass through ``read``. It turns away, with one line saying what to do,
what is not the kind of file expected (an old .xls or .doc, a password, a CSV,
an empty file, a folder) and what is built to exhaust memory or time (a zip
that unpacks to far more than any plan, XML with entity declarations, which
Office never writes), before any parser sees the content.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import FileRefused

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls/.doc/.ppt files, and password-protected ones
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_XML_BYTES = 50 * 2**20  # all XML parts together; a long plan's are well under 5 MB
MAX_PACKAGE_BYTES = 200 * 2**20  # everything unpacked, pictures included
MAX_ENTRIES = 10_000  # parts in one package; a plan has a few dozen
DAMAGED = ("cannot be read as {what}: its content is damaged (incomplete or broken XML); "
           "open it in {app} and save it again")


@dataclass(frozen=True)
class Kind:
    """What a file was expected to be, in the words the messages use."""

    what: str  # "an Excel workbook (.xlsx)"
    app: str  # "Excel"
    old: str  # how to mend an old binary file
    password: str  # where the application removes a password


WORKBOOK = Kind("an Excel workbook (.xlsx)", "Excel",
                "is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as 'Excel Workbook (.xlsx)'",
                "File > Info > Protect Workbook > Encrypt with Password")
DOCUMENT = Kind("a Word document (.docx)", "Word",
                "is an old Word 97-2003 document (.doc); open it in Word and save it as 'Word Document (.docx)'",
                "File > Info > Protect Document > Encrypt with Password")
PRESENTATION = Kind("a PowerPoint presentation (.pptx)", "PowerPoint",
                    "is an old PowerPoint 97-2003 file (.ppt); open it in PowerPoint and save it as "
                    "'PowerPoint Presentation (.pptx)'",
                    "File > Info > Protect Presentation > Encrypt with Password")


def read(path: Path, kind: Kind) -> dict[str, bytes]:
    """Return the XML parts (and relationships) of the package at ``path``, by name; raise FileRefused.

    Only parts ending in .xml or .rels are returned; their total size is capped
    before any is read, and none may declare a DTD or entities.
    """
    path = Path(path)
    _refuse_what_is_not_a_package(path, kind)
    try:
        with zipfile.ZipFile(path) as package:
            items = package.infolist()
            if len(items) > MAX_ENTRIES:
                raise FileRefused(path, f"holds {len(items):,} parts, far more than any plan; it may be a zip bomb")
            xml = [i for i in items if i.filename.endswith((".xml", ".rels"))]
            _cap(path, kind, sum(i.file_size for i in xml), MAX_XML_BYTES)
            _cap(path, kind, sum(i.file_size for i in items), MAX_PACKAGE_BYTES)
            parts = {i.filename: package.read(i) for i in xml}
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise FileRefused(path, f"cannot be read as {kind.what}: {exc}") from None
    for data in parts.values():
        if _declares_entities(data):
            raise FileRefused(path, f"contains XML entity declarations, which {kind.app} never writes (it may be an "
                                    f"'XML bomb'); save it again from {kind.app}")
    return parts


def _refuse_what_is_not_a_package(path: Path, kind: Kind) -> None:
    if not path.exists():
        raise FileRefused(path, "file not found")
    if path.is_dir():
        raise FileRefused(path, f"is a folder, not {kind.what}")
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise FileRefused(path, f"cannot be opened: {exc.strerror or exc}") from None
    if not head:
        raise FileRefused(path, f"is empty (0 bytes); it is not {kind.what}")
    if head.startswith(OLE_SIGNATURE):
        if _ENCRYPTED_MARK in path.read_bytes()[: 2**20]:
            raise FileRefused(path, f"is protected with a password; open it in {kind.app}, remove the password "
                                    f"({kind.password}), and save it")
        raise FileRefused(path, kind.old)
    if not zipfile.is_zipfile(path):
        what = "a CSV file" if path.suffix.lower() == ".csv" else f"not {kind.what}"
        raise FileRefused(path, f"is {what}; save it from {kind.app} as {kind.what}")


def _cap(path: Path, kind: Kind, unpacked: int, limit: int) -> None:
    if unpacked > limit:
        raise FileRefused(path, f"unpacks to {unpacked // 2**20:,} MB, far more than any plan {kind.app} file "
                                f"(under {limit // 2**20} MB); it may be a zip bomb")


def _declares_entities(data: bytes) -> bool:
    """Return True when an XML part declares a DTD or entities, in UTF-8 or in UTF-16."""
    if _DTD.search(data):
        return True
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif data[:1] == b"\x00":
        encoding = "utf-16-be"
    elif data[1:2] == b"\x00":
        encoding = "utf-16-le"
    else:
        return False
    return bool(_DTD.search(data.decode(encoding, "ignore").encode()))
