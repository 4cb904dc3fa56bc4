"""The output formats, each built by one module; the only package that touches Office formats."""

from __future__ import annotations

import struct
from importlib import import_module

# format -> (module under docgen.builders, file suffix). A new format is one
# module with a ``build(plan, variant) -> bytes`` function and one entry here.
FORMATS = {
    "docx": ("docx_plan", ".docx"),
    "pptx": ("pptx_plan", ".pptx"),
}


# 2000-01-01 00:00 as MS-DOS time and date, the form zip headers store it in.
DOS_TIME, DOS_DATE = 0, ((2000 - 1980) << 9) | (1 << 5) | 1
_END_OF_CENTRAL_DIRECTORY = b"PK\x05\x06"


def build(fmt: str, plan, variant) -> bytes:
    """Return the bytes of ``plan`` rendered in output format ``fmt``; the same plan always gives the same bytes."""
    module_name, _ = FORMATS[fmt]
    return reproducible(import_module(f"{__name__}.{module_name}").build(plan, variant))


def reproducible(package: bytes) -> bytes:
    """Return an Office file whose zip entries carry a fixed time instead of the moment it was written.

    python-docx and python-pptx stamp every zip entry with the current time, so
    two builds of the same plan would differ byte for byte. The time and date
    fields sit at fixed places in each local header and central directory
    record (PKWARE APPNOTE 4.3.7, 4.3.12); rewriting them in place costs far
    less than re-compressing the package.
    """
    data = bytearray(package)
    end = data.rfind(_END_OF_CENTRAL_DIRECTORY)
    entries, _, directory = struct.unpack_from("<HII", data, end + 10)
    position = directory
    for _ in range(entries):
        struct.pack_into("<HH", data, position + 12, DOS_TIME, DOS_DATE)
        local = struct.unpack_from("<I", data, position + 42)[0]
        struct.pack_into("<HH", data, local + 10, DOS_TIME, DOS_DATE)
        name, extra, comment = struct.unpack_from("<HHH", data, position + 28)
        position += 46 + name + extra + comment
    return bytes(data)


def suffix(fmt: str) -> str:
    """Return the file suffix of output format ``fmt`` (".docx")."""
    return FORMATS[fmt][1]
