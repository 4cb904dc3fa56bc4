"""What a typed value may be: one set of rules for every door a plan comes in by.

The workbook reader, the web form and the consultant's review all call
``clean``: a choice must be on its list, an email field holds exactly one
address, a date is written the way the plan prints it, a one-line field is
one line, and no value is longer than an Excel cell holds. A value that breaks
a rule raises ValueRefused saying what the field takes, without where: each
caller adds that (sheet and cell, or the web field), so the three doors give
the same message. ``shown`` writes any typed value into a message on one line.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

from .. import text
from ..errors import ValueRefused
from ..variants import Variant
from .layout import MAX_CELL_TEXT

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")
SHOWN_LENGTH = 100  # characters of a typed value a message repeats; the cell or field it names holds the rest
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def clean(variant: Variant, spec, raw: object) -> str:
    """Return ``raw`` as the plan stores it for the field ``spec`` (a FieldSpec or ColumnSpec of ``variant``).

    Raise ValueRefused, its message naming the field by its label, for a value the field cannot take.
    """
    value = text.clean(str(raw))
    kind = getattr(spec, "kind", "text")
    if len(value) > MAX_CELL_TEXT:
        raise ValueRefused(f"'{label(variant, spec)}' holds {len(value):,} characters; the plan takes at most "
                           f"{MAX_CELL_TEXT:,} per answer (what one Excel cell holds)")
    if kind == "line":
        value = " ".join(value.split())
    choices = variant.lists.get(spec.list) if getattr(spec, "list", None) else None
    if choices is not None and value:
        found = choices.match(value)
        if found is None and choices.strict:
            raise ValueRefused(f"'{label(variant, spec)}' must be one of: {', '.join(choices.values)}; "
                               f"got '{shown(value)}'")
        value = found or value
    if kind == "email" and value:
        reason = email_problem(value)
        if reason:
            raise ValueRefused(f"'{label(variant, spec)}' must be one email address like name@district.org; "
                               f"got '{shown(value)}' ({reason})")
    if kind == "date" and value:
        parsed = parse_date(value)  # a date input's 2025-06-20, a date cell's June 20, 2025, or as people type it
        value = format_date(parsed) if parsed else value
    return value


def label(variant: Variant, spec) -> str:
    """Return the words a field is known by: a form field's label, or a table column's header."""
    return variant.text(getattr(spec, "label", "") or getattr(spec, "header", ""))


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """Return a typed value as a message repeats it: on one line, at most ``limit`` characters then "...".

    Line breaks show as \\n and tabs as \\t; other control and invisible
    characters as \\x07 or \\u202e, so a message is always one line and
    says exactly what the cell holds.
    """
    value = str(value)
    cut = value[:limit]
    return "".join(_escaped(c) for c in cut) + ("..." if len(value) > limit else "")


def _escaped(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    return char


def parse_date(value: str) -> date | None:
    """Return the date written in ``value`` in a common US or ISO form, or None."""
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def format_date(value: date) -> str:
    """Return a date the way the plan prints it: "June 20, 2025"."""
    return f"{value:%B} {value.day}, {value.year}"


def email_problem(value: str) -> str:
    """Return why ``value`` is not exactly one email address ("" when it is one), in email-validator's words."""
    from email_validator import EmailNotValidError, validate_email  # loaded only when an address is checked

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc).rstrip(".")
    return ""
