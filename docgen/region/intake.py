"""August's mailbox: every e-mailed plan read, checked and matched to its district; one region summary workbook.

``docgen intake`` hands this the messages of a mailbox export
(``read/mail.py``) and the region's districts. Each attachment that may be a
plan is read through ``api`` (the same readers and package guard as
``docgen import``), checked, and matched to a district
(``intake_match.py``). A later plan from a district supersedes its earlier one
and an identical resend is a duplicate. Every message that brought no
district's plan gets a row saying why: nothing is dropped in silence.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from docgen.errors import DocgenError, OutputError
from docgen.processes import workers
from docgen.read import received
from docgen.read.mail import Attachment, Message
from docgen.region.match import Match, Region, RegionDistrict
from docgen.write import output

if TYPE_CHECKING:
    from docgen.read.carryover import Moved

SUMMARY = (("Districts", [("District", 30), ("DESE code", 11), ("Status", 18), ("Sender", 40), ("Received", 17),
                          ("File", 34), ("Format", 12), ("Placed", 8), ("Unsure", 8), ("Unplaced", 9), ("Errors", 7),
                          ("Warnings", 9), ("Matched by", 20)]),
           ("Other mail", [("Received", 17), ("Sender", 34), ("Subject", 34), ("File", 30), ("What", 16),
                           ("Why", 60), ("Message", 30)]))
FORMATS = {".docx": "Word", ".docm": "Word", ".pptx": "PowerPoint", ".pdf": "PDF", ".xlsx": "Excel workbook",
           ".xlsm": "Excel workbook", ".doc": "Word 97-2003", ".ppt": "PowerPoint 97-2003", ".xls": "Excel 97-2003"}


@dataclass
class Reading:
    """One attachment read as a plan: the plan carried into this year's template, its counts, or why it failed."""

    attachment: Attachment
    moved: Moved | None = None
    tally: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    problem: str = ""

    @property
    def format(self) -> str:
        return FORMATS.get(self.attachment.suffix, self.attachment.suffix.lstrip(".").upper() or "no extension")

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.attachment.data).hexdigest()


@dataclass
class Plan:
    """A district's plan as received: the message, the reading, and the district it was matched to."""

    message: Message
    reading: Reading
    match: Match

    @property
    def district(self) -> RegionDistrict:
        """The region's district the plan was matched to (_plans_of makes a Plan only of a matched reading)."""
        assert self.match.district is not None, f"{self.reading.attachment.name} was filed without its district"
        return self.match.district


@dataclass
class Other:
    """A message, or an attachment of one, that is not a district's current plan, and why."""

    message: Message
    file: str
    what: str  # "superseded", "duplicate", "no attachment", "not a plan", "auto-reply", "not in the region", ...
    why: str


@dataclass
class Intake:
    """What a mailbox held: each district's current plan (None: no plan received) and every other message."""

    region: Region
    current: dict[str, Plan | None]
    plans: list[Plan]
    others: list[Other]


def sort(messages: list[Message], region: Region, read=None) -> Intake:
    """Return the mailbox sorted into the region's districts' plans and the other messages, in order received.

    ``read(attachment)`` returns a Reading: ``read_all``'s, which read them in worker processes, or by default
    ``read_attachment`` in this process.
    """
    read = read or read_attachment
    ordered = sorted(messages, key=_when)
    intake = Intake(region, {d.name: None for d in region.districts}, [], [])
    for message in ordered:
        for plan in _plans_of(message, intake, read):
            _file(intake, plan)
    return intake


def _plans_of(message: Message, intake: Intake, read) -> list[Plan]:
    """Return the plans a message brings, one per district (a colleague may forward several), listing in
    ``intake`` what else it holds: each other attachment, and why it is not a district's plan."""
    if message.problem:
        intake.others.append(Other(message, "", "unreadable", message.problem))
        return []
    if message.auto_reply:
        intake.others.append(Other(message, "", "auto-reply", "an automatic reply (out of office or a delivery "
                                                               "report), not a district's message"))
        return []
    if not message.attachments:
        intake.others.append(Other(message, "", "no attachment", "no file attached: nothing to read"))
        return []
    by_district: dict[str, list[tuple[Reading, Match]]] = {}
    for reading in (read(a) for a in message.attachments):
        if reading.problem:
            what = "not read" if reading.attachment.problem else "not a plan"
            intake.others.append(Other(message, reading.attachment.name, what, reading.problem))
            continue
        plan = reading.moved.plan
        match = intake.region.match(plan.district.name, plan.district.org_code,
                                    [reading.attachment.sender, *message.senders], reading.attachment.name)
        if match.district is None:
            said = f"the plan names '{match.named}'" if match.named else "the plan names no district"
            intake.others.append(Other(message, reading.attachment.name, "not in the region",
                                       f"{said}, and neither its sender nor its file name is one of the region's "
                                       f"{len(intake.region.districts)} districts"))
            continue
        by_district.setdefault(match.district.name, []).append((reading, match))
    found = []
    for name, readings in by_district.items():
        best, match = max(readings, key=lambda item: item[0].tally.get("placed", 0))
        for reading, _ in readings:
            if reading is not best:  # a PDF beside its Word file, or a school's plan beside the district's
                intake.others.append(Other(message, reading.attachment.name, "not a plan", (
                    f"attached with {best.attachment.name}, {name}'s plan, which holds more of it "
                    f"({best.tally.get('placed', 0)} pieces placed against {reading.tally.get('placed', 0)})")))
        found.append(Plan(message, best, match))
    return found


def _file(intake: Intake, plan: Plan) -> None:
    """Make ``plan`` its district's current plan, unless it is an identical resend of one already received."""
    name = plan.district.name
    same = next((p for p in intake.plans if p.district.name == name and p.reading.digest == plan.reading.digest),
                None)
    intake.plans.append(plan)
    if same is not None:
        intake.others.append(Other(plan.message, plan.reading.attachment.name, "duplicate",
                                   f"the same file as the plan {name} sent {_shown(same.message.received)}"))
        return
    earlier = intake.current.get(name)
    if earlier is not None:
        intake.others.append(Other(earlier.message, earlier.reading.attachment.name, "superseded",
                                   f"{name} sent a later plan, {plan.reading.attachment.name}, "
                                   f"{_shown(plan.message.received)}"))
    intake.current[name] = plan


def read_all(messages: list[Message], jobs: int | None = None):
    """Read every attachment that may be a plan in worker processes (each under a time limit); return ``read``.

    The returned function gives an attachment's Reading, for ``sort``: a file
    that makes a reader loop or crash comes back as a Reading with its problem.
    """
    wanted = [a for m in messages if not (m.problem or m.auto_reply) for a in m.attachments]
    found: dict[int, Reading] = {}
    outcomes: Iterator[Reading | workers.Failed] = (
        workers.run(read_attachment, [(a,) for a in wanted], jobs) if wanted else iter(()))
    for attachment, outcome in zip(wanted, outcomes, strict=False):
        if isinstance(outcome, workers.Failed):
            found[id(attachment)] = Reading(attachment, problem=f"could not be read: {outcome.message}")
        else:
            outcome.attachment = attachment  # the parent's own object: same bytes, without a second copy
            found[id(attachment)] = outcome
    return lambda attachment: found[id(attachment)]


def read_attachment(attachment: Attachment) -> Reading:
    """Return an attachment read as a plan (through the package guard and the readers), or why it is none."""
    from docgen import api

    reading = Reading(attachment)
    if attachment.problem:
        reading.problem = attachment.problem
        return reading
    if attachment.suffix not in FORMATS:
        reading.problem = f"not a plan file ({attachment.suffix or 'no extension'})"
        return reading
    with tempfile.TemporaryDirectory(prefix="docgen-intake-") as folder:
        path = Path(folder) / output.safe_filename(Path(attachment.name).stem or "attachment", attachment.suffix)
        path.write_bytes(attachment.data)
        try:
            reading.moved = api.received_plan(path, attachment.name)
        except DocgenError as exc:
            reading.problem = str(exc).replace(str(path), attachment.name).replace(folder, "")
            return reading
    reading.tally = received.tally(reading.moved)
    findings = api.check_plan(reading.moved.plan)
    reading.errors = sum(f.severity == "error" for f in findings)
    reading.warnings = len(findings) - reading.errors
    return reading


def summary_bytes(intake: Intake) -> bytes:
    """Return the region summary workbook: the Districts sheet, then the Other mail sheet."""
    from docgen.write import xlsx_intake

    rows = (district_rows(intake), other_rows(intake))
    return xlsx_intake.write_tables([(sheet, [c for c, _ in columns], sheet_rows, [w for _, w in columns])
                                         for (sheet, columns), sheet_rows in zip(SUMMARY, rows, strict=True)])


def district_rows(intake: Intake) -> list[list[object]]:
    """Return the summary's rows, one per district of the region, in the list's order."""
    rows: list[list[object]] = []
    for district in intake.region.districts:
        plan = intake.current.get(district.name)
        if plan is None:
            rows.append([district.name, district.org_code, "no plan received", *[None] * 10])
            continue
        message, reading = plan.message, plan.reading
        rows.append([district.name, district.org_code, "plan received", _sender(message), _shown(message.received),
                     reading.attachment.name, reading.format, reading.tally.get("placed", 0),
                     reading.tally.get("unsure", 0), reading.tally.get("unplaced", 0), reading.errors,
                     reading.warnings, plan.match.how])
    return rows


def other_rows(intake: Intake) -> list[list]:
    """Return the summary's rows of messages that brought no district's current plan, in order received."""
    ordered = sorted(intake.others, key=lambda o: _when(o.message))
    return [[_shown(o.message.received), _sender(o.message), o.message.subject, o.file, o.what, o.why,
             o.message.source] for o in ordered]


def region_of(listed) -> Region:
    """Return a Region from listed districts (the admin list's rows, or the web app's districts)."""
    return Region([RegionDistrict(d.name, d.org_code, d.contact_email, tuple(getattr(d, "domains", ())))
                   for d in listed])


def _when(message: Message) -> tuple[int, float]:
    return (0, message.received.timestamp()) if message.received else (1, 0.0)


def _shown(when: datetime | None) -> str:
    return when.strftime("%Y-%m-%d %H:%M") if when else "no date"


def _sender(message: Message) -> str:
    return f"{message.sender_name} <{message.sender}>" if message.sender_name else message.sender


def run(mailbox, listed, summary="intake-summary.xlsx", force: bool = False, jobs: int | None = None):
    """Sort a mailbox export into the region's ``listed`` districts' plans and write the summary workbook;
    return (Intake, the summary's path). ``jobs`` worker processes read the attachments (default: one per CPU).
    What cannot be done (a summary that exists, a wrong name) is said before any mail is read."""
    from docgen.read import mail

    path = Path(summary)
    if path.suffix.lower() != ".xlsx":
        raise OutputError(f"{path}: the summary is an Excel file; give a name ending in .xlsx")
    if not force:
        output.refuse_existing(path.parent, [path.name])
    messages = mail.read(Path(mailbox))
    sorted_mail = sort(messages, region_of(listed), read_all(messages, jobs))
    return sorted_mail, output.write_all(path.parent, {path.name: summary_bytes(sorted_mail)}, force=force)[0]
