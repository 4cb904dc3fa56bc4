"""The packaging both Office formats share: the zip, relationships, content types and document properties.

A .docx and a .pptx are zip packages of XML parts (Open Packaging
Conventions, ECMA-376 part 2). docgen writes every part as text and zips the
package once, with a fixed time on every entry so the same plan always gives
the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from docgen.write.docx_xml import esc

XML_HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
RELATIONSHIP_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
ZIP_TIME = (2000, 1, 1, 0, 0, 0)
COMPRESSION = 1  # zlib level: a third faster than the default, files a few per cent larger


@dataclass(frozen=True)
class Properties:
    """The document properties File > Info shows."""

    title: str
    subject: str
    author: str
    keywords: str = ""
    language: str = "en-US"


def read_parts(path: Path) -> dict[str, bytes]:
    """Return every part of the package at ``path`` by name, in package order (base documents, read once)."""
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist()}


def part_relationships(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """Return a part's relationships: id -> (the type's last word, the target's part name)."""
    folder, name = part.rsplit("/", 1)
    found = {}
    for rel in etree.fromstring(parts[f"{folder}/_rels/{name}.rels"]).iterfind(f"{{{RELATIONSHIPS}}}Relationship"):
        base, target = folder, rel.get("Target")
        while target.startswith("../"):
            base, target = base.rsplit("/", 1)[0], target[3:]
        found[rel.get("Id")] = (rel.get("Type").rsplit("/", 1)[1], f"{base}/{target}")
    return found


def free_relationship_number(relationships: dict[str, tuple[str, str]]) -> int:
    """Return the first N such that "rIdN" and every higher id are unused."""
    return max((int(rid[3:]) for rid in relationships if re.fullmatch(r"rId\d+", rid)), default=0) + 1


def zip_package(files: dict[str, bytes]) -> bytes:
    """Return ``files`` (part name -> bytes) as a package: deflated, in order, every entry stamped 2000-01-01."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION) as package:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            package.writestr(info, data, compresslevel=COMPRESSION)
    return out.getvalue()


def core_properties(props: Properties) -> bytes:
    """Return docProps/core.xml: title, subject, author (also the last to modify it), keywords, language."""
    return (f'{XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{esc(_fit(props.title))}</dc:title><dc:subject>{esc(_fit(props.subject))}</dc:subject>"
            f"<dc:creator>{esc(_fit(props.author))}</dc:creator><cp:keywords>{esc(props.keywords)}</cp:keywords>"
            f"<cp:lastModifiedBy>{esc(_fit(props.author))}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f"<dc:language>{esc(props.language)}</dc:language></cp:coreProperties>").encode()


def app_properties(extra: str = "") -> bytes:
    """Return docProps/app.xml naming docgen as the application, with ``extra`` elements (slide counts)."""
    return (f'{XML_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
            f'properties"><Application>docgen</Application>{extra}</Properties>').encode()


def relationship(rid: str, kind: str, target: str) -> str:
    """Return one Relationship element; ``kind`` is the type's last word ("slide", "footer")."""
    return f'<Relationship Id="{rid}" Type="{RELATIONSHIP_TYPE}{kind}" Target="{target}"/>'


def relationships(entries: list[str]) -> bytes:
    """Return a whole .rels part holding ``entries``."""
    return f'{XML_HEADER}<Relationships xmlns="{RELATIONSHIPS}">{"".join(entries)}</Relationships>'.encode()


def override(part: str, content_type: str) -> str:
    """Return a [Content_Types].xml Override giving ``part`` (a "/word/footer1.xml" name) its type."""
    return f'<Override PartName="{part}" ContentType="{content_type}"/>'


def added(xml: bytes, closing: str, entries: str) -> bytes:
    """Return ``xml`` with ``entries`` inserted before its last ``closing`` tag."""
    text = xml.decode()
    at = text.rindex(closing)
    return (text[:at] + entries + text[at:]).encode()


def _fit(value: str) -> str:
    """Return a property value within the 255 characters Office allows (longer ones are cut)."""
    return value if len(value) <= 255 else value[:254] + "…"
