"""Hostile Office packages, as the attack rounds built them: links outside the file, fields that fetch, code, huge
pictures. Each takes a harmless package's bytes and returns them with one thing planted (shared by the CLI and web
tests)."""

from __future__ import annotations

import io
import re
import struct
import zipfile

R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
IMAGE_REL = f"{R}/image"


def rewrite(data: bytes, change) -> bytes:
    """Return the package ``data`` with ``change(parts)`` applied to its dict of parts (name -> bytes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    change(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def add_relationship(parts: dict, rels: str, rid: str, kind: str, target: str, external: bool = True) -> None:
    mode = ' TargetMode="External"' if external else ""
    added = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{mode}/></Relationships>'
    parts[rels] = parts[rels].replace(b"</Relationships>", added.encode())


def add_to_body(parts: dict, xml: str) -> None:
    parts["word/document.xml"] = re.sub(rb"(<w:body>)", lambda m: m.group(1) + xml.encode(),
                                        parts["word/document.xml"], count=1)


def linked_picture(url: str):
    """A picture linked by URL (``r:link``, TargetMode="External"): Word and LibreOffice fetch it to show it."""
    def change(parts):
        add_relationship(parts, "word/_rels/document.xml.rels", "rIdLinked", IMAGE_REL, url)
        add_to_body(parts, (
            '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
            'wordprocessingDrawing"><wp:extent cx="952500" cy="952500"/><wp:docPr id="990" name="Logo"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.'
            'openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="logo.png"/><pic:cNvPicPr/>'
            f'</pic:nvPicPr><pic:blipFill><a:blip xmlns:r="{R}" r:link="rIdLinked"/><a:stretch><a:fillRect/>'
            '</a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="952500" cy="952500"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData>'
            '</a:graphic></wp:inline></w:drawing></w:r></w:p>'))
    return change


def remote_attached_template(url: str):
    """A remote .dotm attached to the document (settings.xml's w:attachedTemplate): Word fetches it on open."""
    def change(parts):
        rels = "word/_rels/settings.xml.rels"
        parts.setdefault(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                               b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
        add_relationship(parts, rels, "rIdTpl", f"{R}/attachedTemplate", url)
        parts["word/settings.xml"] = re.sub(rb"(<w:settings[^>]*>)", lambda m: m.group(1) + (
            f'<w:attachedTemplate xmlns:r="{R}" r:id="rIdTpl"/>').encode(), parts["word/settings.xml"], count=1)
    return change


def links_and_fields(share: str, url: str):
    """A file:// picture, a UNC hyperlink, an OLE link, a DDEAUTO field split over runs, an INCLUDEPICTURE field,
    and a plain https hyperlink (which stays)."""
    def change(parts):
        rels = "word/_rels/document.xml.rels"
        add_relationship(parts, rels, "rIdShare", IMAGE_REL, f"file://{share}/logo.png")
        add_relationship(parts, rels, "rIdUnc", f"{R}/hyperlink", f"\\\\{share}\\plans")
        add_relationship(parts, rels, "rIdOle", f"{R}/oleObject", f"file:///{share}/budget.xlsx")
        add_relationship(parts, rels, "rIdWeb", f"{R}/hyperlink", "https://www.doe.mass.edu/")
        add_to_body(parts, (
            f'<w:p xmlns:r="{R}"><w:hyperlink r:id="rIdUnc"><w:r><w:t>share</w:t></w:r></w:hyperlink>'
            '<w:hyperlink r:id="rIdWeb"><w:r><w:t>DESE</w:t></w:r></w:hyperlink>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DD</w:instrText>'
            '</w:r><w:r><w:instrText xml:space="preserve">EAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"'
            '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>kept text</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            f'<w:fldSimple w:instr=\' INCLUDEPICTURE "{url}" \\d \'><w:r><w:t>picture</w:t></w:r></w:fldSimple>'
            '</w:p>'
            f'<w:p xmlns:r="{R}"><w:r><w:object><v:shape xmlns:v="urn:schemas-microsoft-com:vml" id="ole1">'
            f'<v:imagedata r:id="rIdShare"/></v:shape><o:OLEObject xmlns:o="urn:schemas-microsoft-com:office:office" '
            'Type="Link" ProgID="Excel.Sheet.12" ShapeID="ole1" r:id="rIdOle" UpdateMode="Always"/></w:object></w:r>'
            '</w:p>'))
    return change


def macro_project(name: str = "word/vbaProject.bin", content_type: str = "application/octet-stream"):
    """A VBA project (an OLE compound file) typed as anything, named as anything."""
    def change(parts):
        parts[name] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
    return change


def activex(folder: str = "word"):
    def change(parts):
        parts[f"{folder}/activeX/activeX1.xml"] = (b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.'
                                                   b'microsoft.com/office/2006/activeX" ax:classid="{8BD21D40}"/>')
    return change


def huge_png(pixels: tuple[int, int] = (30_000, 30_000), name: str = "word/media/big.png"):
    """A PNG whose header says 30,000 x 30,000 pixels (900 million; it would take gigabytes to decode)."""
    def change(parts):
        width, height = pixels
        parts[name] = (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + struct.pack(">II", width, height)
                       + b"\x08\x02\x00\x00\x00" + b"\0" * 64)
    return change


def huge_jpeg(name: str = "word/media/big.jpeg"):
    def change(parts):
        parts[name] = (b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9
                       + b"\xff\xc0" + struct.pack(">HBHH", 17, 8, 20_000, 20_000) + b"\0" * 12)
    return change


def xml_bomb_in(name: str):
    """An entity declaration in a part whose name does not end in .xml (the guard once read only .xml/.rels)."""
    def change(parts):
        parts[name] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    return change
