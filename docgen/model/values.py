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

from docgen import text
from docgen.errors import ValueRefused
from docgen.variants import Variant

MAX_CELL_TEXT = 32_767  # characters Excel holds in one cell: every answer must still fit its workbook
MAX_CHECKIN_TEXT = 2_000  # characters in what a check-in's data showed or what will change: a few sentences
CHECKIN_LABELS = {"date": "Date", "value": "What the data showed", "status": "Status", "note": "What we will adjust"}
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


def checkin(date_text: str, value: str, status: str, note: str,
            statuses: tuple[str, ...]) -> tuple[dict[str, str], dict[str, str]]:
    """Return a check-in's fields as stored (an ISO date, the status as ``statuses`` spell it) and what is wrong
    with each field, by key, all at once: one set of rules whether it was typed on the Progress page, in the
    workbook's Check-ins sheet, or imported. Each door says where (a cell, a web field)."""
    date_text, status = " ".join(date_text.split()), " ".join(status.split())
    value, note = text.clean(value).strip(), text.clean(note).strip()
    problems = {}
    when = parse_date(date_text) if date_text else None
    if when is None:
        problems["date"] = (f"'{shown(date_text)}' is not a date; type it like 10/15/2025" if date_text else
                            "the date is missing; type it like 10/15/2025")
    wanted = {s.casefold(): s for s in statuses}
    if status.casefold() not in wanted:
        problems["status"] = (f"must be {', '.join(statuses[:-1])} or {statuses[-1]}"
                              + (f"; got '{shown(status)}'" if status else ""))
    if not value:
        problems["value"] = "write what the data showed, such as 58%"
    for key, typed in (("value", value), ("note", note)):
        if len(typed) > MAX_CHECKIN_TEXT:
            problems[key] = f"holds {len(typed):,} characters; a check-in takes at most {MAX_CHECKIN_TEXT:,}"
    clean_values = {"date": when.isoformat() if when else "", "value": value,
                    "status": wanted.get(status.casefold(), ""), "note": note}
    return clean_values, problems


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
