"""Measure and wrap text as PowerPoint will lay it out in Calibri, to decide what fits on a slide.

Widths come from Calibri's real advance widths (calibri_widths), so line
breaks here match the renderer's to within a word; heights add a safety
margin for the rest.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from docgen.write.calibri_widths import AVERAGE, BOLD, REGULAR

LINE_SPACING = 1.22  # single line height of Calibri (ascent + descent + line gap), in multiples of the size
POINTS_PER_INCH = 72


@lru_cache(maxsize=8192)
def _char_width(ch: str, bold: bool) -> int:
    table = BOLD if bold else REGULAR
    if ch in table:
        return table[ch]
    if unicodedata.east_asian_width(ch) in ("W", "F") or ord(ch) > 0xFFFF:
        return 1000
    if unicodedata.combining(ch):
        return 0
    return AVERAGE


@lru_cache(maxsize=65536)
def _units(text: str, bold: bool) -> int:
    """Return the advance width of ``text`` in 1/1000 em (cached: plans repeat their words)."""
    return sum(_char_width(ch, bold) for ch in text)


def text_width(text: str, size_pt: float, bold: bool = False) -> float:
    """Return the width of ``text`` on one line, in inches, at ``size_pt`` points."""
    return _units(text, bold) * size_pt / 1000 / POINTS_PER_INCH


@lru_cache(maxsize=16384)
def wrap(text: str, width_in: float, size_pt: float, bold: bool = False) -> tuple[str, ...]:
    """Return ``text`` broken into the lines it takes in a box ``width_in`` inches wide.

    Breaks at spaces like PowerPoint; a word longer than the line is broken
    at characters so no line is ever wider than the box (a box narrower than
    one character gets a character a line: every pass takes at least one).
    """
    room = max(width_in, 0.0) * 1000 * POINTS_PER_INCH / size_pt  # the line's width in 1/1000 em
    space = _char_width(" ", bold)
    lines: list[str] = []
    current, used = "", 0
    for word in text.split(" "):
        width = _units(word, bold)
        if current and used + space + width <= room:
            current, used = f"{current} {word}", used + space + width
            continue
        if not current and width <= room:
            current, used = word, width
            continue
        if current:
            lines.append(current)
            current, used = "", 0
        while len(word) > 1 and _units(word, bold) > room:
            cut = longest_prefix(word, width_in, size_pt, bold)
            lines.append(word[:cut])
            word = word[cut:]
        current, used = word, _units(word, bold)
    lines.append(current)
    return tuple(lines)


def longest_prefix(word: str, width_in: float, size_pt: float, bold: bool = False) -> int:
    """Return how many leading characters of ``word`` fit on one line (at least one)."""
    used = 0.0
    for i, ch in enumerate(word):
        used += _char_width(ch, bold) * size_pt / 1000 / POINTS_PER_INCH
        if used > width_in:
            return max(i, 1)
    return len(word)


def line_height(size_pt: float) -> float:
    """Return the height of one line of text at ``size_pt`` points, in inches."""
    return size_pt * LINE_SPACING / POINTS_PER_INCH
