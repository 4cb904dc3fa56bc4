"""docgen submit: the plan files and an email draft to SSoS, only when check finds no errors."""

from __future__ import annotations

import email
from email import policy

import pytest

from .test_checks import break_sample_workbook


def test_submit_writes_both_plans_and_an_email_with_the_word_plan_attached(sample, tmp_path, run):
    out = tmp_path / "out"
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 0, result.output
    title = "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan"
    assert sorted(p.name for p in out.iterdir()) == [f"{title}.docx", f"{title}.eml", f"{title}.pptx"]
    message = email.message_from_bytes((out / f"{title}.eml").read_bytes(), policy=policy.default)
    assert message["To"] == "ssos1@mass.gov"
    assert message["Subject"] == title
    assert message["From"] == "Marcus Whitfield <mwhitfield@cranberryharbor.example.org>"
    assert message["X-Unsent"] == "1"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Cranberry Harbor Public Schools' FY26 District Instructional Prioritization Plan" in body
    assert "as a Word document." in body
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attachments == {f"{title}.docx": (out / f"{title}.docx").read_bytes()}
    assert "Open the .eml file in Outlook: it opens as a draft" in result.output
    assert "Edit As New Message" in result.output  # Thunderbird shows an .eml as received mail


@pytest.mark.parametrize("attach, names, words", [
    ("pptx", [".pptx"], "as a PowerPoint presentation."),
    ("both", [".docx", ".pptx"], "as a Word document and as a PowerPoint presentation."),
])
def test_submit_attaches_the_format_the_district_chose(attach, names, words, sample, tmp_path, run):
    out = tmp_path / "out"
    assert run("submit", sample, "-o", out, "--attach", attach).exit_code == 0
    _, message = _email(out)
    assert sorted(p.get_filename()[-5:] for p in message.iter_attachments()) == names
    assert words in message.get_body(preferencelist=("plain",)).get_content()


def test_build_then_submit_keeps_the_identical_files_and_says_so(sample, tmp_path, run):
    out = tmp_path / "out"
    assert run("build", sample, "-o", out).exit_code == 0
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 0, result.output
    title = "Cranberry Harbor Public Schools FY26 Instructional Prioritization Plan"
    assert f"Kept {out / title}.docx (already up to date)" in result.output
    assert f"Kept {out / title}.pptx (already up to date)" in result.output
    assert f"Wrote {out / title}.eml" in result.output


def test_submit_still_refuses_to_overwrite_a_file_that_differs(sample, tmp_path, run):
    out = tmp_path / "out"
    assert run("build", sample, "-o", out).exit_code == 0
    word = next(out.glob("*.docx"))
    word.write_bytes(b"the district edited this in Word")
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 1 and "already exists" in result.output and "--force" in result.output
    assert word.read_bytes() == b"the district edited this in Word"


def test_an_underperforming_school_s_sip_renewal_is_mentioned(sample, tmp_path, run):
    import openpyxl

    wb = openpyxl.load_workbook(sample)
    wb["Schools"]["D6"].value = "Underperforming"  # Ellis Pond Middle School, which has its plan link
    wb.save(sample)
    out = tmp_path / "out"
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 0, result.output
    body = _email(out)[1].get_body(preferencelist=("plain",)).get_content()
    assert ("The renewed Sustainable Improvement Plan for Ellis Pond Middle School, designated Underperforming, will "
            "come to this address by June 30, 2025, as the guidance asks.") in " ".join(body.split())
    assert "Ellis Pond Middle School is Underperforming: its renewed Sustainable Improvement Plan goes to the same " \
           "address by the same date." in result.output


def test_submit_refuses_a_plan_with_errors_and_lists_them(sample, tmp_path, run):
    break_sample_workbook(sample)
    out = tmp_path / "out"
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 1
    assert "the plan is not ready to send: 3 errors:" in result.output
    assert "Harborview Elementary School (In need of focused/targeted support) is not in the targeted support table." \
        in result.output
    assert not out.exists()


def _set_district(sample, **values):
    import openpyxl

    from .test_workbook import answer_rows

    wb = openpyxl.load_workbook(sample)
    cells = dict(answer_rows(wb["District"]))
    for key, value in values.items():
        cells[key].value = value
    wb.save(sample)


def _email(out):
    path = next(out.glob("*.eml"))
    raw = path.read_bytes()
    return raw, email.message_from_bytes(raw, policy=policy.default)


@pytest.mark.parametrize("name", ["Cranberry\nHarbor Schools", "Cranberry\u2028Harbor Schools",
                                  "Cranberry Harbor\r\nBcc: evil@attacker.example"])
def test_line_breaks_in_header_values_are_folded_to_spaces(name, sample, tmp_path, run):
    _set_district(sample, name=name, contact_name="Marcus\nWhitfield\u2028Bcc: evil@attacker.example")
    out = tmp_path / "out"
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 0, result.output
    raw, message = _email(out)
    headers = raw.split(b"\r\n\r\n", 1)[0].decode()
    assert not any(line.lower().startswith("bcc") for line in headers.splitlines())
    assert message["Bcc"] is None and "\n" not in message["Subject"]
    assert message["Subject"].startswith(" ".join(name.replace("\u2028", " ").split()))
    assert message["From"].addresses[0].addr_spec == "mwhitfield@cranberryharbor.example.org"


@pytest.mark.parametrize("email, message", [
    ("x,bcc:evil@attacker.example", "sheet 'District', cell C10: 'Plan contact email' must be one email address"),
    ("josé@cranberryharbor.example.org",
     "sheet 'District', cell C10: the plan contact email 'josé@cranberryharbor.example.org'"),
], ids=["two addresses", "non-ASCII mailbox name"])
def test_a_contact_email_no_mail_can_come_from_gets_one_line_naming_the_cell(email, message, sample, tmp_path, run):
    _set_district(sample, contact_email=email)
    result = run("submit", sample, "-o", tmp_path / "out")
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_an_internationalised_domain_is_sent_in_its_ascii_form(sample, tmp_path, run):
    _set_district(sample, contact_email="mwhitfield@écoles-cranberry.example.org")
    assert run("submit", sample, "-o", tmp_path / "out").exit_code == 0
    _, message = _email(tmp_path / "out")
    assert message["From"].addresses[0].addr_spec == "mwhitfield@xn--coles-cranberry-9mb.example.org"
