"""Fill a Word template someone designed with a plan's (or a letter's) values, through docxtpl.

docxtpl (python-docx-template) does the filling: Jinja inside Word, with
``{%tr %}`` tags that repeat table rows and ``{%p %}`` tags that keep or drop
whole paragraphs. docgen adds what its users need of it:

- split-run repair and straight quotes before docxtpl sees a tag (repair.py);
- every tag checked first, all problems at once, by paragraph (tags.py);
- a paragraph that holds only one tag is filled as real paragraphs, bullets
  and numbered lists, in the template's own paragraph style and list styles,
  so a multi-line answer is never squeezed into line breaks;
- the template is untrusted: the package guard every Office file passes,
  macros and controls refused and links outside the file removed
  (read/scrub.py), Jinja's immutable sandbox over plain records, and
  bounds on what a fill may write (bounds.py) and on its time and memory
  (limits.py).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree
from markupsafe import Markup, escape

from docgen import text
from docgen.errors import FileRefused, FillTooLarge, TemplateProblems
from docgen.read import package, scrub
from docgen.templating import bounds, repair, tags

FILL_SECONDS = 20  # a plan fills in well under a second; longer means a template loops
_ALONE = re.compile(r"^\s*\{\{\s*(?![pr]\s)([^{}%]+?)\s*\}\}\s*$")


class TemplateFile:
    """A Word template read without trusting it: its package's bytes with every tag mended.

    One template fills many plans (a batch, a region's downloads): what does
    not depend on the plan (the mended package, its checked tags, Jinja's
    compiled parts) is worked out once per file and kept.
    """

    def __init__(self, path: Path, data: bytes, parts: dict[str, bytes]):
        self.path, self.data, self.parts = path, data, parts
        self.reports: dict[int, tags.Report] = {}
        self._prepared: tuple[bytes, ImmutableSandboxedEnvironment] | None = None

    @classmethod
    def read(cls, path) -> TemplateFile:
        """Return the template at ``path``, or raise FileRefused (not a .docx, macros, bombs, DTDs)."""
        path = Path(path)
        try:
            stat = path.stat()
        except OSError:
            stat = None
        if stat is None:
            return cls._read(path)
        return _read_once(str(path), stat.st_mtime_ns, stat.st_size)

    @classmethod
    def _read(cls, path: Path) -> TemplateFile:
        every_part = package.read_all(path, package.DOCUMENT)
        types = every_part.get("[Content_Types].xml", b"").decode("utf-8", "replace")
        if path.suffix.lower() in (".docm", ".dotm") or "macroEnabled" in types:
            raise FileRefused(path, "holds macros (a .docm or .dotm file); docgen never runs them: save it in Word "
                                    "as 'Word Document (.docx)' and use that")
        scrub.refuse_active(path, every_part, "Word")
        cleaned = scrub.clean_parts(every_part)  # no link outside the file, no field that fetches, in any fill
        parts = {name: repair.repair_part(data) for name, data in cleaned.items() if repair.TEXT_PARTS.fullmatch(name)}
        return cls(path, _rezip(_zipped(cleaned), parts), parts)


@lru_cache(maxsize=8)
def _read_once(path: str, mtime_ns: int, size: int) -> TemplateFile:
    return TemplateFile._read(Path(path))


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox templates are filled in: no attribute beyond the records, no changing them, strict.

    It keeps what it compiled: docxtpl asks it to compile each part's XML on
    every fill, the same text each time for one template.
    """

    def __init__(self):
        super().__init__(autoescape=True, undefined=StrictUndefined)
        self.filters["paragraphs"] = _no_paragraphs  # given the template's looks by fill()
        self._compiled: dict[str, object] = {}

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - jinja's own signature
        if globals or template_class or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


def environment() -> ImmutableSandboxedEnvironment:
    """Return a fresh sandbox, as templates are checked and filled in."""
    return _Sandbox()


def check(template: TemplateFile, fields: dict) -> tags.Report:
    """Return every tag, every problem and every field shown in ``template``, against ``fields``."""
    key = hash(repr(fields))
    if key not in template.reports:
        template.reports[key] = tags.check(template.parts, fields, environment())
    return template.reports[key]


def fill_file(path: str, values: dict) -> bytes:
    """Return the template at ``path`` filled with ``values`` (what limits.call runs in a child process)."""
    return fill(TemplateFile.read(path), values)


def fill(template: TemplateFile, values: dict) -> bytes:
    """Return the filled document as .docx bytes; the template was checked first (check).

    Bounded in what it writes (bounds.py); its time and memory are bounded by the caller (limits.call)."""
    if template._prepared is None:
        styles = _Styles(template.data)
        env = environment()
        source = _mark_lone_tags(template, styles)
        env.filters["paragraphs"] = styles.paragraphs
        template._prepared = (source, env)
    source, env = template._prepared
    doc = _docx_template()(io.BytesIO(source))
    try:
        doc.render(values, jinja_env=env, autoescape=True)
    except FillTooLarge as exc:
        raise TemplateProblems(template.path, [str(exc)]) from None
    except (TemplateError, ArithmeticError, TypeError, ValueError) as exc:  # the sandbox's refusals included
        raise TemplateProblems(template.path, [f"a tag could not be filled: {exc}"]) from None
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def _docx_template():
    """Return docxtpl's DocxTemplate, taught to keep its XML clean-up of a template between fills."""
    from docxtpl import DocxTemplate  # 60 ms to import: only when a template is filled

    class Template(DocxTemplate):
        patched: dict[str, str] = {}
        budget: bounds.Budget | None = None

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            # docxtpl's own, but rendered piece by piece within what one document may write (bounds.py)
            if self.budget is None:
                self.budget = bounds.Budget()
            src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            dst_xml = bounds.render(jinja_env.from_string(src_xml), context, src_xml, str(part.partname), self.budget)
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            return self.resolve_listing(dst_xml)

        def patch_xml(self, src_xml):
            if src_xml not in self.patched:
                if len(self.patched) > 32:
                    self.patched.clear()
                self.patched[src_xml] = super().patch_xml(src_xml)
            return self.patched[src_xml]

        def resolve_listing(self, xml):
            # docxtpl turns tabs, line breaks and page marks in filled values into Word's own; values
            # without any need no pass of its per-paragraph regular expressions over the whole part
            return super().resolve_listing(xml) if any(c in xml for c in "\n\t\a\f") else xml

    return Template


def _no_paragraphs(value, index):  # pragma: no cover - replaced before any fill
    raise RuntimeError("paragraphs is only available while filling")


def _mark_lone_tags(template: TemplateFile, styles: _Styles) -> bytes:
    """Return the package with each paragraph holding only ``{{ x }}`` turned into ``{{p x|paragraphs(n) }}``."""
    parts = {}
    for name, data in template.parts.items():
        root = etree.fromstring(data, repair._PARSER)
        for p in root.iter(f"{repair._W}p"):
            match = _ALONE.match(repair.paragraph_text(p))
            if not match:
                continue
            index = styles.remember(p)
            nodes = tags_texts(p)
            nodes[0].text = f"{{{{p {match.group(1)}|paragraphs({index}) }}}}"
            for node in nodes[1:]:
                node.text = ""
        parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _rezip(template.data, parts)


def tags_texts(paragraph) -> list:
    """Return a paragraph's own w:t elements, in order."""
    return repair._own_texts(paragraph)


def _zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _rezip(data: bytes, parts: dict[str, bytes]) -> bytes:
    """Return the package ``data`` with ``parts`` replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.get(info.filename) or source.read(info.filename))
    return out.getvalue()


class _Styles:
    """The template's own paragraph looks and list styles, to write multi-line values as real paragraphs."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            styles = z.read("word/styles.xml").decode("utf-8") if "word/styles.xml" in z.namelist() else ""
        self.bullet = _style_id(styles, "List Bullet")
        self.number = _style_id(styles, "List Number")
        self.looks: list[tuple[str, str]] = []  # (pPr, rPr) of each lone-tag paragraph

    def remember(self, paragraph) -> int:
        ppr = paragraph.find(f"{repair._W}pPr")
        run = paragraph.find(f".//{repair._W}r/{repair._W}rPr")
        self.looks.append((_xml(ppr), _xml(run)))
        return len(self.looks) - 1

    def paragraphs(self, value, index: int) -> Markup:
        """Return ``value`` as Word paragraphs looking like the tag's paragraph; bullets and numbers as lists."""
        ppr, rpr = self.looks[index]
        found = text.blocks(str(value)) if str(value).strip() else [text.Block("", "para", 0)]
        out = []
        for number, block in enumerate(found, start=1):
            style = {"bullet": self.bullet, "number": self.number}.get(block.kind)
            mark = "" if style or block.kind == "para" else ("\u2022 " if block.kind == "bullet" else f"{number}. ")
            props = _with_style(ppr, style) if style else ppr
            out.append(f'<w:p>{props}<w:r>{rpr}<w:t xml:space="preserve">{escape(mark + block.text)}</w:t></w:r></w:p>')
        return Markup("".join(out))


def _style_id(styles_xml: str, name: str) -> str | None:
    match = re.search(r'<w:style [^>]*w:styleId="([^"]+)"[^>]*>\s*<w:name w:val="' + re.escape(name) + '"', styles_xml)
    return match.group(1) if match else None


def _xml(node) -> str:
    if node is None:
        return ""
    return re.sub(r'\sxmlns:\w+="[^"]*"', "", etree.tostring(node, encoding="unicode"))


def _with_style(ppr: str, style: str) -> str:
    element = f'<w:pStyle w:val="{style}"/>'
    if not ppr:
        return f"<w:pPr>{element}</w:pPr>"
    ppr = re.sub(r"<w:pStyle [^>]*/>", "", ppr)
    ppr = re.sub(r"<w:numPr>.*?</w:numPr>", "", ppr)
    return re.sub(r"^<w:pPr>", f"<w:pPr>{element}", ppr) if ppr.startswith("<w:pPr>") else ppr
