"""Show a number the way Excel shows it under a cell's number format ("0%" -> 38%, "00000000" -> 09990005).

A workbook stores 0.38 and a format; the person sees "38%". Plans must print
what the person saw. This covers the formats people give plan cells:
percentages, fixed decimals, thousands separators, zero-padded codes, literal
text ("Grade "0) and separate sections for negative numbers and zero. Dates
and times are left to the workbook reader (python-calamine returns them as
dates); a format this module does not cover (fractions, conditions) gives
None, and the caller shows the number in Excel's General way.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

# Excel's built-in number formats by id (ECMA-376 part 1, 18.8.30), as styles.xml refers to them.
BUILTIN = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    12: "# ?/?", 13: "# ??/??", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm", 37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)", 45: "mm:ss",
    46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_DATE_TOKEN = re.compile(r"[dmyhsDMYHS]")
_DURATION = re.compile(r"\[(h+|m+|s+)\]", re.IGNORECASE)
_PLACEHOLDERS = "0#?"
MAX_DIGITS = 30  # longer zero padding than this is no code a plan holds


def is_plain(code: str) -> bool:
    """Return True for formats that show a number as Excel's General does, and for text ("@")."""
    return code.strip().casefold() in ("", "general", "@")


def is_date(code: str) -> bool:
    """Return True when ``code`` shows a number as a date, a time or a duration."""
    bare = _BRACKETS.sub(lambda m: "h" if _DURATION.fullmatch(m.group(0)) else "", _QUOTED_OR_ESCAPED.sub("", code))
    return not is_plain(code) and bool(_DATE_TOKEN.search(bare.replace("General", "")))


def general(value: float) -> str:
    """Return a number as Excel's General format shows it: 3, 0.3 (not 0.30000000000000004), 1.5E+21."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    shown = format(value, ".11g")
    if "e" in shown:
        mantissa, exponent = shown.split("e")
        return f"{mantissa}E{exponent[0]}{exponent[1:].lstrip('0').zfill(2)}"
    return shown


def format_number(value: float, code: str) -> str | None:
    """Return ``value`` as ``code`` shows it in Excel, or None when the format is General or not covered."""
    if is_plain(code) or is_date(code):
        return None
    sections = _sections(code)
    if sections is None:
        return None
    section, sign = sections[0], "-" if value < 0 else ""
    if value < 0 and len(sections) > 1:
        section, sign = sections[1], ""
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    return _render(abs(value), section, sign)


@lru_cache(maxsize=256)
def _sections(code: str) -> tuple[tuple, ...] | None:
    """Return each ';' section of ``code`` as parsed tokens, or None for formats this module does not cover."""
    parsed = []
    for raw in _split(code):
        tokens = _tokens(raw)
        if tokens is None:
            return None
        parsed.append(tokens)
    return tuple(parsed) or None


def _split(code: str) -> list[str]:
    sections, current, quoted, i = [], "", False, 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        if ch == "\\" and i + 1 < len(code):
            current += code[i:i + 2]
            i += 2
            continue
        if ch == ";" and not quoted:
            sections.append(current)
            current = ""
        else:
            current += ch
        i += 1
    return [*sections, current][:3]


def _tokens(section: str) -> tuple | None:
    """Return a section as ("lit", text) and ("num", placeholders) tokens; None for E+, fractions, conditions."""
    tokens, i = [], 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            tokens.append(("lit", section[i + 1:end]))
            i = end + 1
        elif ch == "\\" and i + 1 < len(section):
            tokens.append(("lit", section[i + 1]))
            i += 2
        elif ch == "_" and i + 1 < len(section):
            tokens.append(("lit", " "))  # the width of the next character: a space in text
            i += 2
        elif ch == "*" and i + 1 < len(section):
            i += 2  # fill the cell with the next character: nothing in text
        elif ch == "[":
            end = section.find("]", i)
            if end < 0 or re.match(r"\[[<>=]", section[i:]):
                return None  # conditions such as [>100] choose sections by value: not covered
            i = end + 1  # colours such as [Red]
        elif ch in "eE/" or ch == "@":
            return None  # scientific notation, fractions, or text inside a number section
        elif ch in _PLACEHOLDERS or ch in ".,":
            j = i
            while j < len(section) and (section[j] in _PLACEHOLDERS or section[j] in ".,"):
                j += 1
            tokens.append(("num", section[i:j]))
            i = j
        else:
            tokens.append(("lit", ch))
            i += 1
    return tuple(tokens)


def _render(value: float, tokens: tuple, sign: str) -> str:
    pattern = "".join(text for kind, text in tokens if kind == "num")
    percent = sum(text.count("%") for kind, text in tokens if kind == "lit")
    value *= 100 ** percent
    integer_part, _, decimals = pattern.partition(".")
    scale = len(integer_part) - len(integer_part.rstrip(","))  # trailing commas divide by 1,000 each
    value /= 1000 ** scale
    integer_part = integer_part.rstrip(",")
    grouped = "," in integer_part
    digits_wanted = [c for c in decimals if c in _PLACEHOLDERS]
    shown = f"{Decimal(repr(value)).quantize(Decimal(1).scaleb(-len(digits_wanted)), ROUND_HALF_UP):f}"
    whole, _, fraction = shown.partition(".")
    fraction = _trim_fraction(fraction, digits_wanted)
    whole = _fill_integer(whole, integer_part.replace(",", "")[-MAX_DIGITS:], grouped)
    number = whole + ("." + fraction if "." in pattern and (fraction or digits_wanted) else "")
    groups = [i for i, (kind, _) in enumerate(tokens) if kind == "num"]
    shown_in = {groups[0]: number} if groups else {}
    if len(groups) > 1 and not any(c in pattern for c in ".,"):  # "000-00-0000": digits fill from the right
        digits, shown_in = number, {}
        for i in reversed(groups[1:]):
            width = len(tokens[i][1])
            shown_in[i], digits = digits[-width:], digits[:-width]
        shown_in[groups[0]] = digits
    return sign + "".join(shown_in.get(i, "") if kind == "num" else text for i, (kind, text) in enumerate(tokens))


def _trim_fraction(fraction: str, placeholders: list[str]) -> str:
    """Drop trailing zeros where the format has '#', and turn them into spaces where it has '?'."""
    chars = list(fraction)
    for i in range(len(chars) - 1, -1, -1):
        if chars[i] != "0" or placeholders[i] == "0":
            break
        chars[i] = " " if placeholders[i] == "?" else ""
    return "".join(chars)


def _fill_integer(whole: str, placeholders: str, grouped: bool) -> str:
    """Return the integer digits padded to the format's '0's, with thousands separators when asked."""
    zeros = placeholders.count("0")
    if whole == "0" and not zeros:
        whole = ""
    whole = whole.zfill(zeros)
    if grouped and whole:
        whole = f"{int(whole):,}".zfill(len(whole))
    return whole
