"""Read a Word template's tags and say, all at once and by paragraph, what is wrong with them.

docxtpl hands Jinja one long XML string per part, so Jinja's own errors
point at a line of XML and stop at the first. Here each paragraph of each
part (body, headers, footers) is one line of a Jinja source made of the
paragraphs' text only: a syntax error's line is a paragraph, quoted by its
text, and the names a template uses are checked against the plan's fields
(schema.py) with the nearest valid name suggested. Every problem is
collected before anything is filled.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import jinja2
from jinja2 import nodes
from lxml import etree

from docgen.templating import repair
from docgen.templating.schema import TEXT, ListOf

_W = repair._W
_PREFIX = re.compile(r"(\{[{%#])(?:tr|tc|p|r)(?=\s)")
_BLOCK = re.compile(r"\{%-?\s*(?:tr|tc|p|r)?\s*(\w+)")
_OPENERS = {"for": "endfor", "if": "endif", "with": "endwith"}
_GLOBALS = {"loop", "range", "true", "false", "none", "True", "False", "None", "namespace", "dict", "lipsum",
            "cycler", "joiner"}
_PAGE_CHARS = 2200  # about one page of the plan's 10-11 pt text, to say "page ~3"
ANY = object()


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a template part: where it is, what it says, the table cell holding it (or None)."""

    part: str  # "body", "header", "footer"
    text: str
    cell: int | None
    page: int

    def where(self) -> str:
        shown = " ".join(self.text.split())
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        place = f"table cell '{shown}'" if self.cell is not None else f"paragraph '{shown}'"
        return f"{place} in the {self.part}" + (f" on page ~{self.page}" if self.part == "body" else "")


@dataclass
class Report:
    """What a template holds: its tags with where they are, its problems, and the plan fields it shows."""

    tags: list[tuple[Paragraph, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    shown: set[str] = field(default_factory=set)


def read_paragraphs(parts: dict[str, bytes]) -> dict[str, list[Paragraph]]:
    """Return each text part's paragraphs (already repaired), keyed "body", "header", "footer" (numbered if several)."""
    out: dict[str, list[Paragraph]] = {}
    for name in sorted(parts, key=lambda n: (not n.endswith("document.xml"), n)):
        kind = re.sub(r"\d+$", "", name.rsplit("/", 1)[-1].removesuffix(".xml")).replace("document", "body")
        root = etree.fromstring(parts[name], repair._PARSER)
        chars = 0
        cells: dict[etree._Element, int] = {}  # a table cell -> its number in the part
        paragraphs: list[Paragraph] = []
        for p in root.iter(f"{_W}p"):
            cell = next((a for a in p.iterancestors(f"{_W}tc")), None)
            text = repair.paragraph_text(p)
            paragraphs.append(Paragraph(kind, text, cells.setdefault(cell, len(cells)) if cell is not None else None,
                                        1 + chars // _PAGE_CHARS))
            chars += max(len(text), 60)
        label = kind if kind not in out else f"{kind} {len([k for k in out if k.startswith(kind)]) + 1}"
        out[label] = paragraphs
    return out


def check(parts: dict[str, bytes], fields: dict, env: jinja2.Environment) -> Report:
    """Return every tag of the template, every problem with them, and the dotted fields it shows."""
    report = Report()
    for paragraphs in read_paragraphs(parts).values():
        for p in paragraphs:
            report.tags += [(p, tag) for tag in repair.TAG.findall(p.text)]
        if not _blocks_balance(paragraphs, report):
            _check_values_alone(paragraphs, fields, report, env)
            continue
        source = "\n".join(_PREFIX.sub(r"\1", p.text) for p in paragraphs)
        try:
            tree = env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            where = paragraphs[min(max((exc.lineno or 1) - 1, 0), len(paragraphs) - 1)].where()
            report.problems.append(f"{where}: {exc.message}")
            continue
        _Names(fields, paragraphs, report, env).visit_all(tree.body, dict(_roots(fields)))
    return report


def _check_values_alone(paragraphs: list[Paragraph], fields: dict, report: Report, env) -> None:
    """Check each {{ value }} tag on its own, where the part's blocks do not balance and cannot be parsed whole.

    Names a loop of the part binds (``s`` in ``for s in schools``) are not
    known here, so only tags whose first name is not such a name are checked.
    """
    bound = {name for p in paragraphs for name in re.findall(r"\{%-?\s*(?:tr|tc|p)?\s*for\s+(\w+)", p.text)}
    scope = {k: v for k, v in _roots(fields)}
    for i, p in enumerate(paragraphs):
        for tag in re.findall(r"\{\{.*?\}\}", p.text, re.DOTALL):
            first = re.match(r"\{\{[pr]?\s*(\w+)", tag)
            if first and first.group(1) in bound:
                continue
            try:
                tree = env.parse("\n" * i + _PREFIX.sub(r"\1", tag))
            except jinja2.TemplateSyntaxError as exc:
                report.problems.append(f"{p.where()}: {exc.message}")
                continue
            _Names(fields, paragraphs, report, env).visit_all(tree.body, dict(scope))


def _roots(fields: dict):
    for key, kind in fields.items():
        canonical = "priorities" if key in ("p1", "p2") else key
        yield key, (kind, canonical, _label(key))


def _label(path: str) -> str:
    last = path.rsplit(".", 1)[-1]
    if last == "priorities":
        return "a priority"
    if last in ("district", "plan"):
        return f"the {last}"
    return f"a row of {last}" if "." in path or last not in ("p1", "p2") else "a priority"


def _blocks_balance(paragraphs: list[Paragraph], report: Report) -> bool:
    """Report unclosed and unexpected for/if/with tags, and loops that cross table cells without {%tr."""
    stack: list[tuple[str, Paragraph, str]] = []
    ok = True
    for p in paragraphs:
        for tag in re.findall(r"\{%.*?%\}", p.text, re.DOTALL):
            match = _BLOCK.match(tag)
            word = match.group(1) if match else ""
            if word in _OPENERS:
                stack.append((word, p, tag))
            elif word.startswith("end"):
                if not stack or _OPENERS[stack[-1][0]] != word:
                    report.problems.append(f"{p.where()}: '{tag}' closes nothing that is open here")
                    ok = False
                    continue
                opener, start, opening = stack.pop()
                plain = not re.match(r"\{%-?\s*(tr|tc|p)\s", opening)
                if plain and start.cell != p.cell and opener == "for":
                    report.problems.append(
                        f"{start.where()}: '{opening}' repeats across table cells; to repeat a table row write "
                        "it as {%tr for ... %} in the row above and {%tr endfor %} in the row below")
                    ok = False
    for opener, p, tag in stack:
        report.problems.append(f"{p.where()}: '{tag}' is never closed; add {{% {_OPENERS[opener]} %}} where it ends")
        ok = False
    return ok


class _Names:
    """Walk a template's Jinja tree, checking each name and field against the plan's fields."""

    def __init__(self, fields, paragraphs, report, env):
        self.fields, self.paragraphs, self.report, self.env = fields, paragraphs, report, env

    def where(self, node) -> str:
        return self.paragraphs[min(max(node.lineno - 1, 0), len(self.paragraphs) - 1)].where()

    def visit_all(self, body, scope) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node, scope) -> None:
        if isinstance(node, nodes.For):
            item = self.resolve(node.iter, scope)
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = item_of(item)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, value in zip(node.targets, node.values, strict=False):
                if isinstance(target, nodes.Name):
                    inner[target.name] = self.resolve(value, scope)
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self.resolve(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def resolve(self, node, scope):
        """Return (kind, canonical path, label) of an expression, or ANY; report what names nothing."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in _GLOBALS:
                self.unknown(node, node.name, "a name this template can use", [k for k in scope])
            return ANY
        if isinstance(node, nodes.Getattr):
            return self.field(node, self.resolve(node.node, scope))
        if isinstance(node, nodes.Filter) and node.name not in self.env.filters:
            self.unknown(node, node.name, "a filter", list(self.env.filters))
        for child in node.iter_child_nodes():
            self.resolve(child, scope) if isinstance(child, nodes.Expr) else self.visit(child, scope)
        return ANY

    def field(self, node, base):
        if base is ANY:
            return ANY
        kind, path, label = base
        if isinstance(kind, ListOf):
            self.report.problems.append(f"{self.where(node)}: '{path.rsplit('.', 1)[-1]}' is a list; repeat over it "
                                        f"with a for loop to show its '{node.attr}'")
            return ANY
        if not isinstance(kind, dict):
            return ANY
        if node.attr not in kind:
            self.unknown(node, node.attr, f"a field of {label}", list(kind))
            return ANY
        child = kind[node.attr]
        child_path = f"{path}.{node.attr}"
        if child == TEXT:
            self.report.shown.add(child_path)
        return child, child_path, _label(child_path)

    def unknown(self, node, name: str, what: str, choices: list[str]) -> None:
        near = difflib.get_close_matches(name, choices, n=1, cutoff=0.75)
        hint = f"; did you mean '{near[0]}'?" if near else ""
        self.report.problems.append(f"{self.where(node)}: '{name}' is not {what}{hint}")


def item_of(kind):
    """Return what a for loop over ``kind`` binds its variable to: a row of a table, or ANY."""
    if kind is ANY:
        return ANY
    schema, path, _ = kind
    if isinstance(schema, ListOf):
        return schema.item, path, _label(path)
    return ANY
