"""Assemble a .docx package: the slim base document's parts plus the body, header, footer and lists as text.

Every Word file docgen writes is the base document (templates/base/plan.docx,
read once per process: styles, theme, fonts, settings, list definitions) with
a body, a page footer, perhaps a header, and numbering instances that restart
numbered lists at 1. Writing those as text (see opc) costs a fraction of
python-docx parsing and re-serializing every part.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from lxml import etree

from docgen.errors import TemplateError
from docgen.variants import templates_dir
from docgen.write import chart_xml, opc
from docgen.write.opc import Properties, override, relationship

BASE_DOCUMENT = "base/plan.docx"  # only the styles docgen uses (scripts/make_base_documents.py)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
_DECLS = f'xmlns:w="{_W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
# US Letter, 1-inch margins, header and footer half an inch from the edge
_PAGE = ('<w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" '
         'w:header="720" w:footer="720" w:gutter="0"/><w:cols w:space="720"/><w:docGrid w:linePitch="360"/>')


@dataclass(frozen=True)
class _Base:
    parts: dict[str, bytes]  # every part of the base document, by name, in package order
    document_open: str  # document.xml up to and including <w:body>, with the base's namespace declarations
    list_definitions: dict[str, str]  # list style id ("ListNumber") -> its abstract numbering id
    next_num_id: int  # the first numbering instance id the base does not use
    next_rel: int  # the first relationship id number free in document.xml.rels


@cache
def _base() -> _Base:
    """Return the base document's parts and what the writer needs to know of them, read once per process."""
    path = templates_dir() / BASE_DOCUMENT
    parts = opc.read_parts(path)
    try:
        document = parts["word/document.xml"].decode()
        document_open = document[: document.index("<w:body>") + len("<w:body>")]
        numbering = etree.fromstring(parts["word/numbering.xml"])
        abstract_of = {num.get(f"{{{_W}}}numId"): num.find("w:abstractNumId", _NS).get(f"{{{_W}}}val")
                       for num in numbering.findall("w:num", _NS)}
        list_definitions = {}
        for style in etree.fromstring(parts["word/styles.xml"]).findall("w:style", _NS):
            num_id = style.find("w:pPr/w:numPr/w:numId", _NS)
            if num_id is not None:
                list_definitions[style.get(f"{{{_W}}}styleId")] = abstract_of[num_id.get(f"{{{_W}}}val")]
        next_rel = opc.free_relationship_number(opc.part_relationships(parts, "word/document.xml"))
    except (KeyError, ValueError, AttributeError, etree.XMLSyntaxError) as exc:
        raise TemplateError(path, f"not a base document docgen can use ({exc}); regenerate it with "
                                  "scripts/make_base_documents.py") from None
    return _Base(parts, document_open, list_definitions, max(map(int, abstract_of), default=0) + 1, next_rel)


@dataclass
class Document:
    """A Word document to write: body XML, page header and footer paragraphs, list numbering and properties."""

    properties: Properties
    body: list[str] = field(default_factory=list)  # w:p and w:tbl fragments, in order
    header: str = ""  # w:p fragments for the page header (none when empty)
    footer: str = ""  # w:p fragments for the page footer
    _nums: list[tuple[int, str]] = field(default_factory=list)  # (numbering instance id, abstract id) added
    charts: list[tuple[bytes, bytes]] = field(default_factory=list)  # (chart part, its embedded workbook)

    def add_chart(self, chart_xml: bytes, workbook: bytes) -> str:
        """Return the relationship id the body names chart ``chart_xml`` by (its numbers in ``workbook``)."""
        self.charts.append((chart_xml, workbook))
        return f"rIdChart{len(self.charts)}"

    def new_list(self, style_id: str) -> int:
        """Return a new numbering instance for list style ``style_id`` that starts at 1."""
        base = _base()
        try:
            abstract = base.list_definitions[style_id]
        except KeyError:
            raise TemplateError(templates_dir() / BASE_DOCUMENT, f"style '{style_id}' has no list numbering") from None
        num_id = base.next_num_id + len(self._nums)
        self._nums.append((num_id, abstract))
        return num_id


def write(doc: Document) -> bytes:
    """Return the .docx bytes of ``doc`` on the base document."""
    base = _base()
    files = dict(base.parts)
    rels: list[str] = []
    overrides: list[str] = []
    references: list[str] = []
    for kind, tag, content in (("header", "hdr", doc.header), ("footer", "ftr", doc.footer)):
        if not content:
            continue
        rid = f"rId{base.next_rel + len(rels)}"
        rels.append(relationship(rid, kind, f"{kind}1.xml"))
        overrides.append(override(f"/word/{kind}1.xml", f"{_WML}{kind}+xml"))
        references.append(f'<w:{kind}Reference w:type="default" r:id="{rid}"/>')
        files[f"word/{kind}1.xml"] = f"{opc.XML_HEADER}<w:{tag} {_DECLS}>{content}</w:{tag}>".encode()
    section = f"<w:sectPr>{''.join(references)}{_PAGE}</w:sectPr>"
    files["word/document.xml"] = f"{base.document_open}{''.join(doc.body)}{section}</w:body></w:document>".encode()
    if doc._nums:
        nums = "".join(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/><w:lvlOverride w:ilvl="0">'
                       '<w:startOverride w:val="1"/></w:lvlOverride></w:num>' for num_id, abstract in doc._nums)
        files["word/numbering.xml"] = opc.added(base.parts["word/numbering.xml"], "</w:numbering>", nums)
    for number, (chart, workbook) in enumerate(doc.charts, start=1):
        part = chart_xml.add_chart_parts(files, overrides, "word", number, chart, workbook)
        rels.append(relationship(f"rIdChart{number}", "chart", part))
    files["word/_rels/document.xml.rels"] = opc.added(base.parts["word/_rels/document.xml.rels"],
                                                      "</Relationships>", "".join(rels))
    files["[Content_Types].xml"] = opc.added(base.parts["[Content_Types].xml"], "</Types>", "".join(overrides))
    files["docProps/core.xml"] = opc.core_properties(doc.properties)
    files["docProps/app.xml"] = opc.app_properties()
    return opc.zip_package(files)
