"""Read a region's list of districts (name, DESE code, contact email) from a workbook or a CSV file.

The columns are found by their headers ("District", "DESE code", "Contact
email", in any order and wording close to those), and every row that cannot be
used is named, so an administrator fixes the list and imports it again. An
optional "E-mail domains" column lists the domains a district's mail comes
from (``docgen intake`` matches senders by them; the contact email's domain
counts too).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import DocgenError, Problem
from docgen.model.values import email_problem, shown
from docgen.read import package
from docgen.read.book import first_sheet_rows

MAX_ROWS = 2000  # a state has about 400 districts
DESE_CODE_DIGITS = 8
# in this order: "E-mail domains" is the domains column before the contact email's words can claim it
COLUMNS = {"name": ("district", "name"), "org_code": ("code", "org", "lea"), "domains": ("domain",),
           "contact_email": ("email", "e-mail")}


@dataclass(frozen=True)
class ListedDistrict:
    name: str
    org_code: str
    contact_email: str
    row: int
    domains: tuple[str, ...] = ()  # what the "E-mail domains" column lists, lower case: "harbor.k12.ma.us"


def read(path: Path) -> tuple[list[ListedDistrict], list[Problem]]:
    """Return the districts listed in a .csv or .xlsx file, and the problems of rows that could not be read."""
    path = Path(path)
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else first_sheet_rows(path)
    if len(rows) > MAX_ROWS:
        raise DocgenError(f"{path.name}: {len(rows):,} rows; a list of districts has at most {MAX_ROWS:,}")
    header_at = next((i for i, row in enumerate(rows[:10]) if _columns(row).get("name") is not None), None)
    if header_at is None:
        raise DocgenError(f"{path.name}: no header row naming a 'District' column in the first 10 rows")
    columns = _columns(rows[header_at])
    listed, problems = [], []
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        value = {key: (row[i].strip() if i is not None and i < len(row) else "") for key, i in columns.items()}
        if not any(value.values()):
            continue
        if not value["name"]:
            problems.append(Problem("the district name is missing", path.name, f"row {number}"))
            continue
        if not value["org_code"] and not value["contact_email"]:  # nothing to match it by, no one to invite
            problems.append(Problem(f"'{' '.join(value['name'].split())}' has no DESE code and no contact email, so "
                                    "it was not created: add either and import the list again", path.name,
                                    f"row {number}"))
            continue
        reason = email_problem(value["contact_email"]) if value["contact_email"] else ""
        if reason:
            problems.append(Problem(f"'{shown(value['contact_email'])}' is not one email address ({reason})", path.name,
                                    f"row {number}"))
            continue
        code = value["org_code"]
        code = code.zfill(DESE_CODE_DIGITS) if code.isdigit() else code  # 350000 in a spreadsheet is 00350000
        listed.append(ListedDistrict(" ".join(value["name"].split()), code, value["contact_email"], number,
                                     _domains(value["domains"])))
    return listed, problems


def _domains(cell: str) -> tuple[str, ...]:
    """Return the domains a cell lists, separated by commas, semicolons or spaces ("@" and case dropped)."""
    return tuple(dict.fromkeys(d.strip().lstrip("@").casefold() for d in re.split(r"[,;\s]+", cell) if d.strip()))


def _columns(row: list[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {key: None for key in COLUMNS}
    for i, cell in enumerate(row):
        header = cell.strip().casefold()
        for key, words in COLUMNS.items():
            if found[key] is None and any(w in header for w in words) and not (key == "name" and "email" in header):
                found[key] = i
                break
    return found


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    if len(data) > package.MAX_XML_BYTES:
        raise DocgenError(f"{path.name}: far larger than a list of districts")
    text = data.decode("utf-8-sig", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [row for row in csv.reader(io.StringIO(text), dialect)]
