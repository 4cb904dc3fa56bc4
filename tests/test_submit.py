"""docgen submit: the plan files and an email draft to SSoS, only when check finds no errors."""

from __future__ import annotations

import email
from email import policy

from .test_review import break_sample_workbook


def test_submit_writes_both_plans_and_an_email_with_them_attached(sample, tmp_path, run):
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
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert attachments == {name: (out / name).read_bytes() for name in (f"{title}.docx", f"{title}.pptx")}


def test_submit_refuses_a_plan_with_errors_and_lists_them(sample, tmp_path, run):
    break_sample_workbook(sample)
    out = tmp_path / "out"
    result = run("submit", sample, "-o", out)
    assert result.exit_code == 1
    assert "the plan is not ready to send: 3 errors:" in result.output
    assert "Harborview Elementary School (In need of focused/targeted support) is not in the targeted support table." \
        in result.output
    assert not out.exists()
