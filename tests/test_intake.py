"""`docgen intake`: a region's August mailbox sorted into each district's plan, and a summary that says so.

The mailbox is tests/region_mailbox.py's 20 e-mails (replies, a forward, a SIP
beside a plan, a wrong file, auto-replies, another region's district, a resend,
a corrected plan, a zip, RFC 2047 names); every row of the summary is read back.
"""

from __future__ import annotations

import email.policy
import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest

from docgen.read import district_list, mail
from docgen.region import intake as sorting
from docgen.region.match import Region, RegionDistrict

from . import region_mailbox
from .conftest import assert_valid_office


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    folder = tmp_path_factory.mktemp("august")
    return (region_mailbox.write_mailbox(folder / "inbox"), region_mailbox.write_districts(folder / "districts.csv"),
            folder)


def sheet_rows(path: Path, sheet: str) -> list[dict]:
    rows = list(openpyxl.load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_intake_sorts_the_mailbox_into_each_districts_plan(region, run):
    inbox, districts, folder = region
    summary = folder / "summary.xlsx"
    result = run("intake", inbox, "--districts", districts, "-o", summary)
    assert result.exit_code == 0, result.output
    assert "7 of 9 districts sent a plan" in result.output
    assert "No plan received: Beacon Falls Public Schools, Oak Ridge Public Schools" in result.output
    rows = {row["District"]: row for row in sheet_rows(summary, "Districts")}
    assert list(rows) == list(region_mailbox.EXPECTED_DISTRICTS)  # the list's order, every district once
    for name, (status, file, kind, how) in region_mailbox.EXPECTED_DISTRICTS.items():
        row = rows[name]
        assert (row["Status"], row["File"] or "", row["Format"] or "", row["Matched by"] or "") == (
            status, file, kind, how), name
    assert rows["Cranberry Harbor Public Schools"]["Received"] == "2025-06-26 21:00"  # the corrected plan
    assert rows["Birch Hollow Regional"]["Sender"] == "Jordan Lee <jlee@mass.gov>"  # who forwarded it
    elm = rows["Elm Grove Public Schools"]  # last year's template: the date and a moved target to confirm
    assert (elm["Unsure"], elm["Unplaced"]) == (2, 1) and elm["Placed"] > 20
    assert rows["Maple Falls Public Schools"]["Placed"] > 20 and rows["Maple Falls Public Schools"]["Errors"] == 0
    assert rows["Beacon Falls Public Schools"]["Placed"] is None
    others = sheet_rows(summary, "Other mail")
    assert [(o["Subject"], o["File"] or "", o["What"]) for o in others] == region_mailbox.EXPECTED_OTHERS
    why = {o["Subject"]: o["Why"] for o in others}
    assert why["Pinecrest FY26 plan"].startswith("the plan names 'Pinecrest Regional School District'")
    assert "Cranberry Harbor FY26 plan - corrected.docx" in why["FY26 Instructional Prioritization Plan - Cranberry "
                                                                "Harbor"]
    assert "none of the plan's sections or prompts were found" in why["Granite Falls plan and Lincoln SIP"]
    assert_valid_office(summary)


def test_an_mbox_export_gives_the_same_summary(region, tmp_path):
    _, districts, _ = region
    box = region_mailbox.write_mailbox(tmp_path, as_mbox=True)
    sorted_mail, _ = sorting.run(box, district_list.read(districts)[0], tmp_path / "summary.xlsx")
    kept = {name: plan.reading.attachment.name if plan else "" for name, plan in sorted_mail.current.items()}
    assert kept == {name: row[1] for name, row in region_mailbox.EXPECTED_DISTRICTS.items()}
    assert [o.message.source for o in sorted_mail.others if o.what == "superseded"] == ["august.mbox, message 1"]


def test_the_summary_is_not_written_over_without_force(region, run):
    inbox, districts, folder = region
    (folder / "kept.xlsx").write_bytes(b"mine")
    result = run("intake", inbox, "--districts", districts, "-o", folder / "kept.xlsx")
    assert result.exit_code == 1 and "--force" in result.output
    assert (folder / "kept.xlsx").read_bytes() == b"mine"


def test_without_a_list_of_districts_intake_says_what_to_give(region, run):
    result = run("intake", region[0])
    assert result.exit_code == 1
    assert "--districts LIST, or --data DATA --region NAME" in result.output


def test_the_district_list_reads_its_optional_email_domains_column(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("E-mail domains,District,Contact email,DESE code\n"
                    "\"@MFPS.org, maplefalls.k12.ma.us\",Maple Falls,a@maplefalls.k12.ma.us,123\n", encoding="utf-8")
    listed, problems = district_list.read(path)
    assert not problems
    assert listed[0].domains == ("mfps.org", "maplefalls.k12.ma.us")
    assert (listed[0].contact_email, listed[0].org_code) == ("a@maplefalls.k12.ma.us", "00000123")


@pytest.mark.parametrize(("named", "senders", "file", "expected"), [
    ("Town of Cedar Point", [], "", "Cedar Point Public Schools"),
    ("", ["x@sub.maplefalls.k12.ma.us"], "", "Maple Falls Public Schools"),
    ("", ["someone@gmail.com"], "plan.docx", None),  # a public mail provider names no district
    ("", [], "FY26-IPP_Cedar.Point(2).docx", "Cedar Point Public Schools"),
    ("Falls Public Schools", [], "", None),  # as near to two districts: neither
])
def test_a_plan_is_matched_by_its_name_sender_or_file_name_and_never_by_guessing(named, senders, file, expected):
    region = Region([RegionDistrict("Cedar Point Public Schools", contact_email="info@gmail.com"),
                     RegionDistrict("Maple Falls Public Schools", domains=("maplefalls.k12.ma.us",)),
                     RegionDistrict("Granite Falls Public Schools"), RegionDistrict("Oak Ridge Public Schools")])
    found = region.match(named, "", senders, file).district
    assert (found.name if found else None) == expected


def _message(**headers) -> EmailMessage:
    message = EmailMessage()
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content("body")
    return message


def test_hostile_mail_becomes_rows_not_crashes(tmp_path):
    (tmp_path / "garbage.eml").write_bytes(b"\x00\xff" * 50 + b"\r\n\r\n" + bytes(range(256)))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("plan.docx", b"0" * (40 * 2**20))  # 40 MB of zeros: a few KB zipped
    zipped = _message(From="a@b.org", Subject="zip", Date="not a date")
    zipped.add_attachment(bomb.getvalue(), maintype="application", subtype="zip", filename="plan.zip")
    (tmp_path / "zip.eml").write_bytes(zipped.as_bytes())
    nested = _message(From="=?utf-8?b?w4lsaXNl?= <elise@b.org>", Subject="=?koi8-r?b?8NLJ18XU?=")
    inner = _message(From="district@c.org", Subject="plan")
    inner.add_attachment(b"PK", maintype="application", subtype="octet-stream", filename="../../etc/passwd.docx")
    nested.add_attachment(inner)
    (tmp_path / "nested.eml").write_bytes(nested.as_bytes(policy=email.policy.SMTP))
    (tmp_path / "bad.msg").write_bytes(b"not an Outlook file")
    found = {m.source: m for m in mail.read(tmp_path)}
    assert found["garbage.eml"].attachments == []
    assert found["zip.eml"].received is None
    assert "unzips to 40 MB" in found["zip.eml"].attachments[0].problem
    assert found["nested.eml"].sender_name == "Élise" and found["nested.eml"].subject == "Привет"
    assert [a.name for a in found["nested.eml"].attachments] == ["passwd.docx"]  # never a path
    assert found["nested.eml"].senders == ["elise@b.org", "district@c.org"]
    assert found["bad.msg"].problem.startswith("cannot be read as an Outlook message")


def test_a_mailbox_of_hostile_mail_still_writes_its_summary(tmp_path, run):
    box = tmp_path / "box"
    box.mkdir()
    (box / "garbage.eml").write_bytes(b"\x00\xff" * 50)
    (box / "bad.msg").write_bytes(b"not an Outlook file")
    districts = region_mailbox.write_districts(tmp_path / "districts.csv")
    result = run("intake", box, "--districts", districts, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    whats = [o["What"] for o in sheet_rows(tmp_path / "s.xlsx", "Other mail")]
    assert sorted(whats) == ["no attachment", "unreadable"]


def test_a_forward_with_several_districts_plans_gives_each_its_plan(region):
    message = _message(From="Jordan Lee <jlee@mass.gov>", Subject="Fwd: plans that came to me",
                       Date="Mon, 30 Jun 2025 10:00:00 -0400")
    maple = region_mailbox.plan_file("example", name="Maple Falls Public Schools", org_code="")
    for name, data in (("Maple Falls.docx", maple), ("Oak Ridge.docx", region_mailbox.plan_file(
            "example", name="Oak Ridge Public Schools", org_code="")), ("Maple Falls (copy).docx", maple)):
        message.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    messages = [mail.parse(message.as_bytes(), "forward.eml")]
    listed, _ = district_list.read(region[1])
    sorted_mail = sorting.sort(messages, sorting.region_of(listed), sorting.read_all(messages, jobs=1))
    kept = {name: plan.reading.attachment.name for name, plan in sorted_mail.current.items() if plan}
    assert kept == {"Maple Falls Public Schools": "Maple Falls.docx", "Oak Ridge Public Schools": "Oak Ridge.docx"}
    [other] = sorted_mail.others
    assert (other.file, other.what) == ("Maple Falls (copy).docx", "not a plan")
    assert other.why.startswith("attached with Maple Falls.docx, Maple Falls Public Schools's plan, which")


def test_apple_mails_export_folder_is_read_as_its_mbox(tmp_path):
    box = region_mailbox.write_mailbox(tmp_path, as_mbox=True)
    (tmp_path / "Inbox.mbox").mkdir()
    box.rename(tmp_path / "Inbox.mbox" / "mbox")
    (tmp_path / "Inbox.mbox" / "table_of_contents").write_bytes(b"\x00binary index")
    found = mail.read(tmp_path / "Inbox.mbox")
    assert len(found) == 20 and found[0].source == "mbox, message 1" and not any(m.problem for m in found)


def test_a_name_the_region_does_not_know_is_shown_beside_the_sender_it_was_matched_by():
    region = Region([RegionDistrict("Maple Falls Public Schools", domains=("maplefalls.k12.ma.us",)),
                     RegionDistrict("Oak Ridge Public Schools")])
    found = region.match("MFPS", "", ["lena@maplefalls.k12.ma.us"], "plan.docx")
    assert found.district.name == "Maple Falls Public Schools"
    assert found.how == "sender's domain (the plan names 'MFPS')"
