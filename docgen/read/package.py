"""Open an Office file a person handed to docgen without trusting it: one guard for every file docgen reads.

Workbooks, last year's Word plan and files given to ``check --accessibility``
all pass through ``read``. It turns away, with one line saying what to do,
what is not the kind of file expected (an old .xls or .doc, a password, a CSV,
an empty file, a folder) and what is built to exhaust memory or time (a zip
that unpacks to far more than any plan, XML with entity declarations, which
Office never writes, a picture of more pixels than any screen or page needs),
before any parser sees the content. Every part is read and looked at, whatever
its name or extension: XML hides as well in ``word/media/x.dat`` as in
``word/document.xml``.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import FileRefused

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls/.doc/.ppt files, and password-protected ones
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_XML_BYTES = 50 * 2**20  # all XML parts together; a long plan's are well under 5 MB
MAX_PACKAGE_BYTES = 200 * 2**20  # everything unpacked, pictures included
MAX_ENTRIES = 10_000  # parts in one package; a plan has a few dozen
MAX_PIXELS = 50_000_000  # one picture: a 48-megapixel phone photograph passes; 30,000 x 30,000 takes 1 GB to convert
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

    Only parts ending in .xml or .rels are returned; every part is checked first (read_all).
    """
    return {name: data for name, data in read_all(path, kind).items() if name.endswith((".xml", ".rels"))}


def read_all(path: Path, kind: Kind) -> dict[str, bytes]:
    """Return every part of the package at ``path``, by name, once each passed the guard; raise FileRefused.

    Sizes are capped before any part is read; no part that is XML, whatever its name, may declare a DTD or
    entities; no picture may have more than MAX_PIXELS pixels. A refused part is named.
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
            parts = {i.filename: package.read(i) for i in items if not i.is_dir()}
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, ValueError, EOFError) as exc:
        raise FileRefused(path, f"cannot be read as {kind.what}: {exc}") from None
    for name, data in parts.items():
        if _declares_entities(data):
            raise FileRefused(path, f"contains XML entity declarations (in part {name}), which {kind.app} never "
                                    f"writes (it may be an 'XML bomb'); save it again from {kind.app}")
        size = picture_size(data)
        if size and size[0] * size[1] > MAX_PIXELS:
            raise FileRefused(path, f"holds a picture of {size[0]:,} x {size[1]:,} pixels (part {name}), far more "
                                    f"than a page needs (at most {MAX_PIXELS // 1_000_000} million pixels); make it "
                                    f"smaller in {kind.app} (Picture Format > Compress Pictures) and save again")
    return parts


def picture_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) from a PNG, GIF or JPEG header, or None for anything else (or a broken header)."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n"):
            return struct.unpack(">II", data[16:24])
        if data[:6] in (b"GIF87a", b"GIF89a"):
            return struct.unpack("<HH", data[6:10])
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """Return a JPEG's size from its first start-of-frame marker (any of SOF0-SOF15 but DHT, JPG and DAC)."""
    at = 2
    while at + 9 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5:at + 9])
            return width, height
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            at += 2
            continue
        at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return None


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
    """Return True when a part that is XML, whatever its name, declares a DTD or entities, in UTF-8 or UTF-16."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"
    elif data[:2] == b"\x00<":
        encoding = "utf-16-be"
    elif data[:2] == b"<\x00":
        encoding = "utf-16-le"
    else:
        return data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<" and bool(_DTD.search(data))
    return bool(_DTD.search(data.decode(encoding, "ignore").encode()))
