"""Mend what Word does to tags typed into a document, before Jinja sees them.

Word splits text into runs wherever the formatting history differs: a
spelling mark, a bookmark, a revision id, a tag typed in two goes, so
``{{ p.statement }}`` may reach the file as ``{{ p.`` + ``state`` +
``ment }}`` in three runs. Its AutoFormat also turns the quotes inside a tag
into smart quotes. docxtpl strips markup between a tag's braces with regular
expressions; this works on the parsed XML instead, paragraph by paragraph:
each tag's text is moved whole into the run where it starts (keeping that
run's formatting), its quotes are made straight, and pending tracked changes
are accepted (insertions kept, deletions dropped), so what the template's
author sees in Word is what is filled.
"""

from __future__ import annotations

import re

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
TAG = re.compile(r"\{[{%#].*?[}%#]\}", re.DOTALL)
_SMART = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def repair_part(xml: bytes) -> bytes:
    """Return a document, header or footer part with every tag whole in one run and its quotes straight."""
    root = etree.fromstring(xml, _PARSER)
    _accept_tracked_changes(root)
    _row_flags_as_word_writes_them(root)
    for paragraph in root.iter(f"{_W}p"):
        _join_tags(paragraph)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def paragraph_text(paragraph) -> str:
    """Return the text a person sees in one paragraph (its w:t runs, not nested paragraphs' text)."""
    return "".join(t.text or "" for t in _own_texts(paragraph))


def _own_texts(paragraph) -> list:
    return [t for t in paragraph.iter(f"{_W}t") if _paragraph_of(t) is paragraph]


def _paragraph_of(node):
    node = node.getparent()
    while node is not None and node.tag != f"{_W}p":
        node = node.getparent()
    return node


def _join_tags(paragraph) -> None:
    nodes = _own_texts(paragraph)
    if len(nodes) < 1:
        return
    owner: list[int] = []  # for each character of the paragraph's text, the index of the w:t holding it
    chars: list[str] = []
    for i, node in enumerate(nodes):
        value = node.text or ""
        owner += [i] * len(value)
        chars += list(value)
    joined = "".join(chars)
    if "{" not in joined:
        return
    for match in TAG.finditer(joined):
        first = owner[match.start()]
        for k in range(match.start(), match.end()):
            owner[k] = first
            chars[k] = chars[k].translate(_SMART)
    texts = [""] * len(nodes)
    for k, char in enumerate(chars):
        texts[owner[k]] += char
    for node, value in zip(nodes, texts, strict=True):
        if node.text != value:
            node.text = value
            node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def _row_flags_as_word_writes_them(root) -> None:
    """Write a table row's on/off flags as "on"/"off": LibreOffice saves "true", which Word's schema refuses."""
    for tag in ("cantSplit", "tblHeader"):
        for node in root.iter(f"{_W}{tag}"):
            value = node.get(f"{_W}val")
            if value in ("true", "false", "1", "0"):
                node.set(f"{_W}val", "on" if value in ("true", "1") else "off")


def _accept_tracked_changes(root) -> None:
    """Accept pending revisions: deleted and moved-away text goes, inserted and moved-to text stays."""
    for tag in ("del", "moveFrom"):
        for node in list(root.iter(f"{_W}{tag}")):
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    for tag in ("ins", "moveTo"):
        for node in list(root.iter(f"{_W}{tag}")):
            parent = node.getparent()
            if parent is None or parent.tag == f"{_W}rPr" or parent.tag == f"{_W}pPr":
                if parent is not None:
                    parent.remove(node)  # a mark that a paragraph or run was inserted: nothing to keep
                continue
            index = parent.index(node)
            for child in list(node):
                parent.insert(index, child)
                index += 1
            parent.remove(node)
