"""Clean an Office package of what no plan needs and what makes Word or LibreOffice reach outside the file.

People's own templates, letterheads and deck themes are filled, converted
by LibreOffice on the server and opened in Word by consultants. A package
can ask either program to fetch something (a picture linked by URL, a remote
attached template, a ``file://`` or ``\\\\host\\share`` link that hands over
Windows credentials, an OLE link, a DDE or INCLUDEPICTURE field) or to run
code (a macro project, an ActiveX control, an embedded OLE object). So:

- ``refuse_active`` turns away, naming the part in one line, a package that
  holds code: a macro project whatever its name or content type (found by its
  content type, its relationship, its name, or the OLE compound-file header
  every VBA project starts with), ActiveX controls, embedded OLE objects;
- ``clean`` / ``clean_parts`` remove every relationship to something outside
  the package (``TargetMode="External"``) but hyperlinks to https and mailto,
  with the attributes and elements that pointed at them, and empty the
  instruction of every DDE, DDEAUTO, INCLUDEPICTURE, INCLUDETEXT, INCLUDE,
  IMPORT and LINK field (and HYPERLINK fields to anything but https and
  mailto), so that only the field's last shown text is left.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlsplit

from lxml import etree

from docgen.errors import FileRefused

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_SCHEMES = ("https", "mailto")
_FIELDS_THAT_FETCH = {"DDE", "DDEAUTO", "INCLUDEPICTURE", "INCLUDETEXT", "INCLUDE", "IMPORT", "LINK"}
# elements that mean nothing without the relationship they name: removed with it
_NEEDS_ITS_TARGET = {"attachedTemplate", "subDoc", "altChunk", "OLEObject", "oleObj", "control", "sourceFileName"}
_CODE_TYPES = re.compile(r"macroEnabled|vbaProject|vbaData|ms-office\.vba|activeX|oleObject|keyMapCustomizations|"
                         r"attachedToolbars", re.IGNORECASE)
_PRINTER_SETTINGS = re.compile(r"(word|ppt|xl)/printerSettings/printerSettings\d+\.bin")
_TEXT_PARTS = re.compile(r".*\.(xml|rels|vml)$", re.IGNORECASE)


def refuse_active(path, parts: dict[str, bytes], app: str) -> None:
    """Raise FileRefused naming the first part of ``parts`` that holds code (macros, ActiveX, OLE objects)."""
    types = parts.get("[Content_Types].xml", b"").decode("utf-8", "replace")
    for name, content_type in re.findall(r'(?:PartName|Extension)="([^"]+)"\s+ContentType="([^"]+)"', types):
        if _CODE_TYPES.search(content_type):
            raise FileRefused(path, _active(name.lstrip("/"), app, f"its content type is {content_type}"))
    for name, data in parts.items():
        lowered = name.lower()
        # an embedded .xlsx (a chart's data) is a package, not a program: only OLE objects and .bin parts are refused
        if data.startswith(OLE_SIGNATURE) or "vbaproject" in lowered or "activex" in lowered \
                or (lowered.endswith(".bin") and not _PRINTER_SETTINGS.fullmatch(name)):
            raise FileRefused(path, _active(name, app, "it is a macro project or an embedded program"))
        if lowered.endswith(".rels"):
            for rel in re.findall(rb"<Relationship\b[^>]*>", data):
                kind = re.search(rb'Type="([^"]*)"', rel)
                if kind and _CODE_TYPES.search(kind.group(1).decode("utf-8", "replace")) \
                        and b'TargetMode="External"' not in rel:  # a link outside the file is removed by clean
                    raise FileRefused(path, _active(name, app, f"it holds a {kind.group(1).decode().rsplit('/')[-1]}"))


def _active(part: str, app: str, why: str) -> str:
    return (f"holds code docgen never runs, in part {part} ({why}); open it in {app}, remove macros and controls, "
            f"and save it as a plain {'.pptx' if app == 'PowerPoint' else '.docx'} file")


def clean(data: bytes, name: str = "") -> bytes:
    """Return the package ``data`` without links outside it and fields that fetch (unchanged bytes when none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = {info.filename: package.read(info) for info in package.infolist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return data  # not a package: LibreOffice will say it cannot read it
    cleaned = clean_parts(parts)
    if cleaned == parts:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as package:
        for part, content in cleaned.items():
            package.writestr(part, content)
    return out.getvalue()


def clean_parts(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Return ``parts`` with external relationships (and what names them) and fetching fields removed."""
    cleaned = dict(parts)
    for rels_name, data in parts.items():
        if not rels_name.endswith(".rels") or b"External" not in data:
            continue
        root = etree.fromstring(data, _PARSER)
        removed = set()
        for rel in root.findall(_RELS):
            if rel.get("TargetMode", "").lower() == "external" and not _safe_link(rel):
                removed.add(rel.get("Id"))
                root.remove(rel)
        if removed:
            cleaned[rels_name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            source = _source_of(rels_name)
            if source in cleaned:
                cleaned[source] = _without_references(cleaned[source], removed)
    for name, data in cleaned.items():
        if _TEXT_PARTS.fullmatch(name) and (b"instr" in data):
            cleaned[name] = _without_fetching_fields(data)
    return cleaned


def _safe_link(rel) -> bool:
    """A hyperlink to a web page over https or an e-mail address: what a plan's links are."""
    scheme = urlsplit(rel.get("Target", "").strip()).scheme.lower()
    return rel.get("Type", "").endswith("/hyperlink") and scheme in _SAFE_SCHEMES


def _source_of(rels_name: str) -> str:
    """Return the part a relationships part belongs to (word/_rels/document.xml.rels -> word/document.xml)."""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name[: -len(".rels")]


def _without_references(data: bytes, ids: set[str]) -> bytes:
    """Return a part with every attribute naming one of the relationship ``ids`` removed (and the elements that
    mean nothing without it)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return data
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        named = [key for key, value in element.attrib.items() if value in ids and key.endswith(("}id", "}link",
                 "}embed", "}pict", "}href", "}dm", "}lo", "}qs", "}cs"))]
        if not named:
            continue
        if etree.QName(element).localname in _NEEDS_ITS_TARGET and element.getparent() is not None:
            element.getparent().remove(element)
            continue
        for key in named:
            del element.attrib[key]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_fetching_fields(data: bytes) -> bytes:
    """Return a part whose fields that fetch or run something have an empty instruction (their shown text kept)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return data
    changed = False
    for simple in list(root.iter(f"{_W}fldSimple")):
        if _fetches(simple.get(f"{_W}instr", "")):
            parent = simple.getparent()
            at = parent.index(simple)
            for child in list(simple):
                parent.insert(at, child)
                at += 1
            parent.remove(simple)
            changed = True
    fields: list[list] = []  # the instruction texts of each field being read, innermost last
    for node in root.iter(f"{_W}fldChar", f"{_W}instrText"):
        if node.tag == f"{_W}instrText":
            if fields:
                fields[-1].append(node)
            continue
        kind = node.get(f"{_W}fldCharType")
        if kind == "begin":
            fields.append([])
        elif kind in ("separate", "end") and fields:
            texts = fields[-1]
            if _fetches("".join(t.text or "" for t in texts)):
                for text in texts:
                    text.text = ""
                changed = True
            if kind == "end":
                fields.pop()
            else:
                fields[-1] = []
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else data


def _fetches(instruction: str) -> bool:
    """Return True for a field instruction that reads or runs something outside the document."""
    words = instruction.replace('"', " ").split()
    if not words:
        return False
    name = words[0].lstrip("\\").upper()
    if name == "HYPERLINK":
        if "\\l" in words:  # a link to a bookmark in the document itself (a table of contents)
            return False
        target = next((w for w in words[1:] if not w.startswith("\\")), "")
        return urlsplit(target).scheme.lower() not in _SAFE_SCHEMES and not target.startswith("#")
    return name in _FIELDS_THAT_FETCH
