"""``docgen archive``: a closed plan year as one ZIP a records officer opens without docgen, then its retirement.

The archive holds, for the year: every district's plan as Word files (the
latest version and each submitted one), each review's feedback letter, every
version and review as JSON (what docgen stored, readable by any program), an
index workbook (plans, versions, submissions, reviews, comments, check-ins and
their notes, the audit lines of the year's period, and the archive's files
with their SHA-256), the audit lines again as CSV, ``SHA256SUMS.txt``
(``sha256sum -c`` checks it) and a README.txt saying all this.

Retiring (``--retire --confirm <sha256 of the archive>``) reads the archive
back, checks its hash, every file's hash and that the year still holds what
the archive counted, then removes the year from the live database
(storage/records.py), leaving a retirement record and an audit line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from dataclasses import asdict
from pathlib import Path

from docgen import api, variants
from docgen.errors import DocgenError
from docgen.model.plan import plan_to_dict
from docgen.variants import Variant
from docgen.web.services.reviewing import reviewed_version
from docgen.web.services.workflow import current_variant
from docgen.web.storage import plans, records
from docgen.web.storage.db import DATABASE, URL_ENV, Database, now, open_database
from docgen.write import output, xlsx_intake

MANIFEST, SUMS, INDEX, README = "manifest.json", "SHA256SUMS.txt", "index.xlsx", "README.txt"
EXCEL_ROWS = 1_048_575  # below the header row; the audit CSV holds every line whatever the count
SHEETS = [("Plans", "plans"), ("Versions", "versions"), ("Submissions", "submissions"), ("Reviews", "reviews"),
          ("Comments", "comments"), ("Check-ins", "checkins"), ("Check-in notes", "checkin_notes")]
WIDE = {"note", "body", "detail", "value", "district", "action"}


def closed_year(name: str) -> tuple[Variant, str, str]:
    """Return the variant of a plan year named like "FY25", and its period [1 July, next 1 July) in UTC."""
    year = name.strip().lower()
    if year not in variants.names():
        raise DocgenError(f"there is no plan year '{name}'; the years are "
                          + ", ".join(v.upper() for v in variants.names()))
    if year == current_variant().id:
        raise DocgenError(f"{name.upper()} is this year's plan year; only a closed year can be archived")
    variant = variants.load(year)
    found = re.fullmatch(r"FY(\d\d)", variant.plan_year)
    if found is None:
        raise DocgenError(f"{name}: its plan year '{variant.plan_year}' does not name a fiscal year (FY25)")
    ends = 2000 + int(found.group(1))
    return variant, f"{ends - 1}-07-01T00:00:00+00:00", f"{ends}-07-01T00:00:00+00:00"


def _database(data: Path) -> Database:
    """Return the data folder's database (or DOCGEN_DATABASE_URL's PostgreSQL)."""
    if not os.environ.get(URL_ENV) and not (Path(data) / DATABASE).exists():
        raise DocgenError(f"{data}: no docgen data folder here (it has no {DATABASE})")
    return open_database(Path(data))


def make(data: Path, year: str, out: Path, force: bool = False) -> tuple[Path, str, dict[str, int]]:
    """Write the year's archive to ``out``; return its path, its SHA-256 and how many rows of each kind it holds."""
    db = _database(data)
    variant, since, until = closed_year(year)
    done = {r["year"]: r for r in records.retired(db)}.get(variant.id)
    if done:
        raise DocgenError(f"{variant.plan_year} was retired on {done['retired_at'][:10]} (archive "
                          f"{done['archive_name']}, sha256 {done['archive_sha256']}); nothing of it is left to archive")
    files = _documents(db, variant)
    tables = {table: records.rows(db, table, variant.id) for _, table in SHEETS}
    audit = records.audit_rows(db, since, until)
    counts = {**{table: len(found) for table, found in tables.items()}, "audit": len(audit)}
    files["audit.csv"] = _csv(audit)
    manifest = {"year": variant.plan_year, "variant": variant.id, "school_year": variant.school_year,
                "audit_period": [since, until], "made_at": now(), "counts": counts}
    files[MANIFEST] = json.dumps(manifest, indent=2).encode()
    sums = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}
    files[INDEX] = _index(tables, audit, sums)
    files[README] = _readme(variant, since, until, counts, len(files) + 1).encode()
    sums = {name: hashlib.sha256(content).hexdigest() for name, content in sorted(files.items())}
    files[SUMS] = "".join(f"{digest}  {name}\n" for name, digest in sums.items()).encode()
    body = io.BytesIO()
    with zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in [README, INDEX, *sorted(set(files) - {README, INDEX})]:
            archive.writestr(name, files[name])
    content = body.getvalue()
    out = Path(out)
    output.write_all(out.parent, {out.name: content}, force=force)
    return out, hashlib.sha256(content).hexdigest(), counts


def retire(data: Path, year: str, archive: Path, confirm: str) -> dict[str, int]:
    """Remove the year from the live database once ``archive`` is the archive confirmed by its SHA-256."""
    db = _database(data)
    variant, since, until = closed_year(year)
    archive = Path(archive)
    try:
        content = archive.read_bytes()
    except OSError as exc:
        raise DocgenError(f"{archive}: cannot read the archive ({exc.strerror or exc})") from None
    digest = hashlib.sha256(content).hexdigest()
    if digest != confirm.strip().lower():
        raise DocgenError(f"{archive}: its SHA-256 is {digest}, not the {confirm} given to --confirm; "
                          "check you confirm the archive you kept")
    manifest = _verified(archive, content, variant)
    return records.retire(db, variant.id, since, until, archive.name, digest, manifest["counts"], "docgen archive")


def _sum_line(line: str) -> tuple[str, str]:
    """Return (file name, SHA-256) of a line of SHA256SUMS.txt; raise ValueError for a line that is none."""
    digest, name = line.split("  ", 1)
    return name, digest


def _verified(archive: Path, content: bytes, variant: Variant) -> dict:
    """Return the archive's manifest once every file in it matches SHA256SUMS.txt and it is the year's archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as opened:
            sums = dict(_sum_line(line) for line in opened.read(SUMS).decode().splitlines())
            wrong = [name for name, digest in sums.items()
                     if hashlib.sha256(opened.read(name)).hexdigest() != digest]
            manifest = json.loads(opened.read(MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocgenError(f"{archive}: not a docgen archive that can be read back ({exc})") from None
    if wrong:
        raise DocgenError(f"{archive}: {len(wrong)} files do not match SHA256SUMS.txt, first {wrong[0]}")
    if manifest.get("variant") != variant.id:
        raise DocgenError(f"{archive}: it is the archive of {manifest.get('year')}, not of {variant.plan_year}")
    return manifest


def _documents(db: Database, variant: Variant) -> dict[str, bytes]:
    """Return the year's Word plans and letters, and every version and review as JSON, by path in the archive."""
    files: dict[str, bytes] = {}
    submitted = {(s["plan_id"], s["version"]) for s in records.rows(db, "submissions", variant.id)}
    reviewed = {(r["plan_id"], r["version"]) for r in records.rows(db, "reviews", variant.id)}
    rows = {p["id"]: p for p in records.rows(db, "plans", variant.id)}
    for version in records.rows(db, "versions", variant.id):
        plan_id, number, folder = version["plan_id"], version["number"], output.safe_filename(version["district"], "")
        plan = plans.decode(records.version_data(db, version["id"]), variant.id)
        files[f"data/{folder}/version {number}.json"] = _json(plan_to_dict(plan))
        row = rows[plan_id]
        if number == row["latest"] or (plan_id, number) in submitted:
            for name, data in api.plan_files(plan, variant, ("docx",)).items():
                files[f"documents/{folder}/{Path(name).stem} (version {number}).docx"] = data
        if (plan_id, number) in reviewed:
            plan_row = plans.PlanRow(plan_id, 0, variant.id, row["latest"], row["status"], None, None)
            with_review, review, *_ = reviewed_version(db, plan_row, number)
            if review is not None:
                files[f"data/{folder}/review of version {number}.json"] = _json(asdict(review))
                name, letter = api.letter_file(with_review, variant, api.check_plan(with_review))
                files[f"documents/{folder}/{Path(name).stem} (version {number}).docx"] = letter
    return files


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2).encode()


def _csv(rows: list[dict]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "at", "email", "action", "district", "detail"])
    writer.writerows([[row[k] for k in ("id", "at", "email", "action", "district", "detail")] for row in rows])
    return ("\ufeff" + text.getvalue()).encode()  # the BOM: Excel opens it as UTF-8


def _index(tables: dict[str, list[dict]], audit: list[dict], sums: dict[str, str]) -> bytes:
    """Return the index workbook: one sheet per kind of record, then the files with their SHA-256."""
    sheets = []
    for title, table in [*SHEETS, ("Audit", "audit")]:
        found = audit[:EXCEL_ROWS] if table == "audit" else tables[table]
        columns = list(found[0]) if found else [f"no {title.lower()} in this year"]
        headers = [c.replace("_", " ").capitalize() for c in columns]  # "org_code": "Org code"
        widths = [50 if c in WIDE else 18 for c in columns]
        sheets.append((title, headers, [list(row.values()) for row in found], widths))
    sheets.append(("Files", ["File", "SHA-256"], [[n, d] for n, d in sums.items()], [70, 66]))
    return xlsx_intake.write_tables(sheets)


def _readme(variant: Variant, since: str, until: str, counts: dict[str, int], files: int) -> str:
    listed = "\n".join(f"  {name.replace('_', ' ')}: {n}" for name, n in counts.items())
    return f"""Records of the {variant.plan_year} instructional prioritization plans ({variant.school_year})
Made by docgen on {now()}.

What is here (no docgen needed to open any of it):
  index.xlsx       one sheet per kind of record: plans, versions, submissions, reviews,
                   comments, check-ins, check-in notes, the audit log, and the files below
  documents/       each district's plan as Word files: its latest version and every version
                   it submitted; and each consultant's feedback letter
  data/            every saved version and review exactly as docgen stored it, as JSON
  audit.csv        the audit log of the year's period, 1 July {since[:4]} to 30 June {until[:4]}, as CSV
  manifest.json    the year, the period and the counts below, for a program to read
  SHA256SUMS.txt   the SHA-256 of every other file: `sha256sum -c SHA256SUMS.txt` checks them

Counts:
{listed}
Files, besides SHA256SUMS.txt: {files}

The audit log has no plan year of its own: its lines are archived by the fiscal year
(1 July to 30 June) their time falls in. Times are in UTC.
"""
