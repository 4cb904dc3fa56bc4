"""Text in and out: the one Jinja environment, cell text cleaning, and text -> paragraphs.

Only our own template strings (variant specs, the letter) are ever compiled as
Jinja, in a sandbox with StrictUndefined. District text is data: it is passed
into templates as values and never parsed as template source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

import jinja2
from jinja2 import FileSystemLoader, StrictUndefined, meta
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=4096)
def _compiled(source: str):
    return _ENV.from_string(source)


def undeclared_names(source: str) -> set[str]:
    """Return the variables a template string uses; raise jinja2.TemplateSyntaxError if it is malformed."""
    return meta.find_undeclared_variables(_ENV.parse(source))


def render(source: str, context: dict) -> str:
    """Return ``source`` rendered with ``context``; strings without Jinja markup are returned as they are."""
    if "{" not in source:
        return source
    return _compiled(source).render(context)


# --- HTML templates (the web pages) ---------------------------------------------


@cache
def html_environment(folder: str, sandboxed: bool = True) -> jinja2.Environment:
    """Return the Jinja environment for the HTML templates in ``folder`` (the web pages).

    Every value is HTML-escaped and an undefined name is an error, so district
    text can only ever be text on a page. The web app's own page templates,
    which are code shipped with docgen, run without the sandbox, which halves
    their render time.
    """
    kind = SandboxedEnvironment if sandboxed else jinja2.Environment
    env = kind(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined, trim_blocks=True,
               lstrip_blocks=True)
    env.filters["paragraphs"] = paragraphs_html
    env.filters["possessive"] = possessive
    return env


def join_words(items: list[str]) -> str:
    """Return "a", "a and b", "a, b and c"; a list whose items hold "and" or commas is joined with semicolons."""
    items = [i for i in items if i]
    if len(items) < 2:
        return "".join(items)
    if any(" and " in i or "," in i for i in items):
        return "; ".join(items[:-1]) + "; and " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def possessive(name: str) -> str:
    """Return "Cranberry Harbor Public Schools'" or "Easton's": the possessive of a name."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def paragraphs_html(value: str) -> Markup:
    """Return multi-line text as escaped HTML paragraphs and lists (the web pages' ``paragraphs`` filter)."""
    html: list[str] = []
    open_lists: list[str] = []
    for block in blocks(str(value)):
        tag = {"bullet": "ul", "number": "ol"}.get(block.kind, "")
        depth = block.level + 1 if tag else 0
        while len(open_lists) > depth or (open_lists and len(open_lists) == depth and open_lists[-1] != tag):
            html.append(f"</{open_lists.pop()}>")
        while len(open_lists) < depth:
            open_lists.append(tag)
            html.append(f"<{tag}>")
        html.append(f"<li>{escape(block.text)}</li>" if tag else f"<p>{escape(block.text)}</p>")
    html.extend(f"</{tag}>" for tag in reversed(open_lists))
    return Markup("".join(html))


# --- cleaning text that arrives from spreadsheets ---------------------------------

_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u202f\u2007\u2009\u200a"), " ")
_SPACES[0x2011] = "-"  # a non-breaking hyphen (what the writers put in "3-8") reads back as the hyphen typed


# control characters (Unicode category Cc) but tab and newline, lone surrogates and the two non-characters XML refuses
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(value: str) -> str:
    """Return cell text fit for a document: line breaks unified, invisible and control characters dropped.

    Vertical tabs (Word soft line breaks pasted into Excel) become line breaks;
    non-breaking spaces become spaces, non-breaking hyphens hyphens; trailing spaces and blank edges go.
    """
    value = _LINE_BREAKS.sub("\n", value).translate(_INVISIBLE).translate(_SPACES)
    value = _UNWRITABLE.sub("", value).replace("\t", "    ")
    lines = [line.rstrip() for line in value.split("\n")]
    return "\n".join(lines).strip()


# --- text -> paragraphs and lists -------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One paragraph of an answer: plain text, a bullet or a numbered item, at a list level 0-2."""

    text: str
    kind: str = "para"  # "para", "bullet" or "number"
    level: int = 0


_BULLET = re.compile(r"^([-*•◦▪‣●○■□–]|o(?=\s))\s+")
_NUMBER = re.compile(r"^(\d{1,2}|[a-zA-Z])[.)]\s+")
_SUB_BULLETS = {"◦": 1, "o": 1, "○": 1, "▪": 2, "■": 2, "□": 2}


def blocks(text: str) -> list[Block]:
    """Return the paragraphs of a multi-line answer, recognising "- ", "* ", "• " and "1. " lists.

    Indentation (two spaces or a tab per level) or a sub-bullet mark ("◦", "o",
    "▪") sets the list level; blank lines only separate paragraphs.
    """
    result = []
    for raw in text.split("\n"):
        stripped = raw.lstrip(" ")
        if not stripped.strip():
            continue
        indent = min((len(raw) - len(stripped)) // 2, 2)
        bullet = _BULLET.match(stripped)
        number = None if bullet else _NUMBER.match(stripped)
        if bullet:
            mark = bullet.group(1)
            level = max(indent, _SUB_BULLETS.get(mark, 0))
            result.append(Block(stripped[bullet.end():].strip(), "bullet", min(level, 2)))
        elif number and (number.group(1).isdigit() or indent):
            result.append(Block(stripped[number.end():].strip(), "number", indent))
        else:
            result.append(Block(stripped.strip(), "para", 0))
    return result
