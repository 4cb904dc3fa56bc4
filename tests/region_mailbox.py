"""A region's August mailbox, as a consultant exports it: 20 e-mails written with Python's ``email`` package.

Replies and forwards (one plan inside a forwarded message), signatures with a
logo, a plan with the district's Sustainable Improvement Plan beside it, a
wrong file, an out-of-office reply and a delivery report, a district of
another region, an identical resend, a later corrected plan, a zipped plan,
a file name in RFC 2047 words, a Latin-1 message, a scan too large to be a
plan and a damaged file. ``EXPECTED`` is what ``docgen intake`` must make of
it. ``write_mailbox`` writes it as a folder of .eml files or as one mbox file.
"""

from __future__ import annotations

import base64
import copy
import io
import mailbox
import zipfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import docx
import yaml

from docgen import api, variants, write
from docgen.model.plan import plan_from_dict

DATA = Path(__file__).parent / "data"
START = datetime(2025, 6, 23, 9, 0, tzinfo=timezone(timedelta(hours=-4)))
DOCX = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
SIGNATURE = ("\n\n--\n{name}\n{title}\n{district}\n{phone} | {address}\n"
             "CONFIDENTIALITY NOTICE: This e-mail may contain information that is privileged.")
DISTRICTS_CSV = """District,DESE code,Contact email,E-mail domains
Cranberry Harbor Public Schools,9990000,mwhitfield@cranberryharbor.example.org,
Maple Falls Public Schools,1230000,superintendent@maplefalls.k12.ma.us,"maplefalls.k12.ma.us; mfps.org"
Birch Hollow Regional,2340000,office@birchhollow.org,
Granite Falls Public Schools,9960000,pnakamura@granitefalls.example.org,
Mill River Public Schools,9970000,curriculum@millriver.example.org,
Cedar Point Public Schools,3450000,info@gmail.com,
Elm Grove Public Schools,4560000,plans@elmgrove.example.org,
Beacon Falls Public Schools,5670000,contact@beaconfalls.example.org,
Oak Ridge Public Schools,6780000,admin@oakridge.example.org,
"""
# district -> (status, file, format, matched by); "" where the district sent nothing
EXPECTED_DISTRICTS = {
    "Cranberry Harbor Public Schools": ("plan received", "Cranberry Harbor FY26 plan - corrected.docx", "Word",
                                        "DESE code in the plan"),
    "Maple Falls Public Schools": ("plan received", "Maple Falls IPP FY26.docx", "Word", "named in the plan"),
    "Birch Hollow Regional": ("plan received", "FY26 Instructional Prioritization Plan.docx", "Word",
                              "sender's domain"),
    "Granite Falls Public Schools": ("plan received", "GFPS plan 2025-26.docx", "Word", "DESE code in the plan"),
    "Mill River Public Schools": ("plan received", "MillRiver_IPP_FY26_final.docx", "Word", "DESE code in the plan"),
    "Cedar Point Public Schools": ("plan received", "Cedar_Point_FY26_plan–révisé.docx", "Word", "named in the plan"),
    "Elm Grove Public Schools": ("plan received", "Elm Grove plan.docx", "Word", "named in the plan"),
    "Beacon Falls Public Schools": ("no plan received", "", "", ""),
    "Oak Ridge Public Schools": ("no plan received", "", "", ""),
}
# (subject, file, what) of every row of the Other mail sheet, in the order received
EXPECTED_OTHERS = [
    ("FY26 Instructional Prioritization Plan - Cranberry Harbor", "Cranberry Harbor FY26 plan.docx", "superseded"),
    ("Granite Falls plan and Lincoln SIP", "Lincoln Elementary SIP renewal.docx", "not a plan"),
    ("Mill River plan", "FY26 budget summary.xlsx", "not a plan"),
    ("Automatic reply: FY26 plan", "", "auto-reply"),
    ("Pinecrest FY26 plan", "Pinecrest FY26 plan.docx", "not in the region"),
    ("Question about the due date", "", "no attachment"),
    ("Re: FY26 plan (resending)", "Maple Falls IPP FY26.docx", "duplicate"),
    ("Plan scan", "scan of signed plan.pdf", "not read"),
    ("Thanks!", "", "no attachment"),
    ("Undelivered Mail Returned to Sender", "", "auto-reply"),
    ("Our plan", "plan.docx", "not a plan"),
    ("Logo", "district logo.png", "not a plan"),
    ("Plan attached", "", "no attachment"),
    ("Re: FY26 plan", "", "no attachment"),
]


def plan_file(source: str, variant: str = "fy26", **district) -> bytes:
    """Return a Word plan built by docgen from a sample plan (the example or a test district), with its cover set."""
    if source == "example":
        plan = copy.deepcopy(api.example_plan(variant))
    else:
        plan = plan_from_dict(yaml.safe_load((DATA / f"{source}.yaml").read_text(encoding="utf-8")), variant)
    for key, value in district.items():
        setattr(plan.district, key, value)
    return write.build("docx", plan, variants.load(variant))


def sip_file() -> bytes:
    """Return a school's Sustainable Improvement Plan: a Word file that is not a district plan."""
    document = docx.Document()
    document.add_heading("Lincoln Elementary School: Sustainable Improvement Plan, renewal", 0)
    for line in ("Theory of action: if teachers use data cycles, then reading will improve.",
                 "Strategic objective 1: every grade team meets weekly.", "Budget: see attached."):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def budget_file() -> bytes:
    """Return a workbook that is not an intake workbook (the wrong file a district attached)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["Line", "FY25", "FY26"])
    book.active.append(["Coaching", 120000, 135000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _mail(number: int, sender: str, subject: str, body: str, to: str = "ssos1@mass.gov") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = format_datetime(START + timedelta(hours=7 * number))
    message["Message-ID"] = f"<m{number}@example.org>"
    message.set_content(body)
    return message


def _attach(message: EmailMessage, name: str, data: bytes, kind=DOCX) -> None:
    message.add_attachment(data, maintype=kind[0], subtype=kind[1], filename=name)


def _rfc2047_attachment(message: EmailMessage, name: str, data: bytes) -> None:
    """Attach with the name in RFC 2047 encoded words, as Outlook writes it (not RFC 2231)."""
    _attach(message, "x.docx", data)
    part = list(message.iter_attachments())[-1]
    encoded = base64.b64encode(name.encode("utf-8")).decode("ascii")
    del part["Content-Disposition"]
    part["Content-Disposition"] = f'attachment; filename="=?utf-8?B?{encoded}?="'


def messages() -> list[EmailMessage]:
    """Return the mailbox's 20 messages, oldest first."""
    sig = SIGNATURE.format
    found = []
    m = _mail(1, "Marcus Whitfield <mwhitfield@cranberryharbor.example.org>",
              "FY26 Instructional Prioritization Plan - Cranberry Harbor",
              "Good morning,\n\nPlease find our FY26 plan attached." + sig(
                  name="Marcus Whitfield", title="Director of Curriculum", district="Cranberry Harbor Public Schools",
                  phone="508-555-0100", address="1 Harbor Way"))
    _attach(m, "Cranberry Harbor FY26 plan.docx", plan_file("example", date="June 20, 2025"))
    found.append(m)
    m = _mail(2, "Dr. Lena Ortiz <lortiz@mfps.org>", "Re: FY26 plan",
              "Here it is.\n\n> On Jun 20, SSoS wrote:\n> Please send your plan by June 30.")
    _attach(m, "Maple Falls IPP FY26.docx", plan_file("example", name="Maple Falls Public Schools", org_code=""))
    found.append(m)
    inner = _mail(3, "Office <office@birchhollow.org>", "FY26 plan", "Attached is our plan.")
    _attach(inner, "FY26 Instructional Prioritization Plan.docx", plan_file("example", name="", org_code=""))
    m = _mail(3, "Jordan Lee <jlee@mass.gov>", "Fwd: FY26 plan",
              "Forwarding Birch Hollow's plan, which came to my own address.\n\n-------- Forwarded message --------")
    m.add_attachment(inner)
    found.append(m)
    m = _mail(4, "Peter Nakamura <pnakamura@granitefalls.example.org>", "Granite Falls plan and Lincoln SIP",
              "Our plan and the Lincoln SIP renewal are attached.")
    _attach(m, "GFPS plan 2025-26.docx", plan_file("granite_falls"))
    _attach(m, "Lincoln Elementary SIP renewal.docx", sip_file())
    found.append(m)
    m = _mail(5, "curriculum@millriver.example.org", "Mill River plan", "Attached.")
    _attach(m, "FY26 budget summary.xlsx", budget_file(),
            ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    found.append(m)
    m = _mail(6, "Pat Quinn <pquinn@oakridge.example.org>", "Automatic reply: FY26 plan",
              "I am out of the office until July 7 with limited access to e-mail.")
    m["Auto-Submitted"] = "auto-replied"
    found.append(m)
    m = _mail(7, "Sam Rivera <srivera@pinecrest.example.org>", "Pinecrest FY26 plan", "Our plan, attached.")
    _attach(m, "Pinecrest FY26 plan.docx", plan_file("example", name="Pinecrest Regional School District",
                                                     org_code=""))
    found.append(m)
    found.append(_mail(8, "contact@beaconfalls.example.org", "Question about the due date",
                       "Is the plan due June 30 or July 1? We are still finishing it."))
    m = _mail(9, "Dr. Lena Ortiz <lortiz@mfps.org>", "Re: FY26 plan (resending)", "Resending in case it did not come.")
    _attach(m, "Maple Falls IPP FY26.docx", plan_file("example", name="Maple Falls Public Schools", org_code=""))
    found.append(m)
    m = _mail(10, "curriculum@millriver.example.org", "Re: Mill River plan", "Sorry, wrong file! Here is the plan.")
    _attach(m, "MillRiver_IPP_FY26_final.docx", plan_file("mill_river"))
    found.append(m)
    m = _mail(11, "Cedar Point Schools <cedarpointschools@gmail.com>", "Plan FY26 =?", "Voici notre plan.")
    del m["Subject"]
    m["Subject"] = "=?iso-8859-1?q?Plan_r=E9vis=E9_FY26?="
    m.set_content("Voici notre plan révisé.", charset="iso-8859-1")
    _rfc2047_attachment(m, "Cedar_Point_FY26_plan–révisé.docx", plan_file("example", name="", org_code=""))
    found.append(m)
    m = _mail(12, "Marcus Whitfield <mwhitfield@cranberryharbor.example.org>",
              "Corrected: FY26 Instructional Prioritization Plan", "We corrected the benchmarks; please use this one.")
    _attach(m, "Cranberry Harbor FY26 plan - corrected.docx", plan_file("example", date="June 27, 2025"))
    found.append(m)
    m = _mail(13, "plans@elmgrove.example.org", "Elm Grove plan (zipped)", "Zipped because our mail blocks .docx.")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("Elm Grove plan.docx",  # last year's template, as a district may still use it
                        plan_file("example", "fy25", name="Elm Grove Public Schools", org_code=""))
    _attach(m, "Elm Grove plan.zip", zipped.getvalue(), ("application", "zip"))
    found.append(m)
    m = _mail(14, "copier@oakridge.example.org", "Plan scan", "Scanned from the copier.")
    _attach(m, "scan of signed plan.pdf", b"%PDF-1.4\n" + b"0" * (11 * 2**20), ("application", "pdf"))
    found.append(m)
    found.append(_mail(15, "Marcus Whitfield <mwhitfield@cranberryharbor.example.org>", "Thanks!",
                       "Thank you for confirming receipt."))
    m = _mail(16, "MAILER-DAEMON@mass.gov", "Undelivered Mail Returned to Sender", "Delivery failed.")
    m.replace_header("Content-Type", 'multipart/report; report-type=delivery-status; boundary="x"')
    m.set_payload("--x\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--x--\r\n")
    found.append(m)
    m = _mail(17, "admin@oakridge.example.org", "Our plan", "Attached.")
    _attach(m, "plan.docx", b"PK\x03\x04 this is not really a Word file")
    found.append(m)
    m = _mail(18, "contact@beaconfalls.example.org", "Logo", "Our new logo for the cover.")
    _attach(m, "district logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, ("image", "png"))
    found.append(m)
    found.append(_mail(19, "plans@elmgrove.example.org", "Plan attached", "See attached."))
    m = _mail(20, "Fran Mills <fmills@maplefalls.k12.ma.us>", "Re: FY26 plan", "Lena sent it this morning." + sig(
        name="Fran Mills", title="Assistant", district="Maple Falls", phone="x", address="y"))
    m.add_attachment(b"\x89PNG\r\n\x1a\n", maintype="image", subtype="png", filename="image001.png",
                     disposition="inline", cid="<image001@mfps>")
    found.append(m)
    return found


def write_mailbox(folder: Path, as_mbox: bool = False) -> Path:
    """Write the 20 messages as .eml files into ``folder`` (or as ``folder``/august.mbox) and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    if as_mbox:
        path = folder / "august.mbox"
        box = mailbox.mbox(path)
        for message in messages():
            box.add(message)
        box.close()
        return path
    for number, message in enumerate(messages(), start=1):
        (folder / f"{number:02d} {message['Subject'][:30].replace('/', '-').replace(':', '')}.eml").write_bytes(
            message.as_bytes())
    return folder


def write_districts(path: Path) -> Path:
    """Write the region's list of districts (the admin page's CSV, with the optional E-mail domains column)."""
    path.write_text(DISTRICTS_CSV, encoding="utf-8")
    return path
