"""The email that carries a finished plan to SSoS: an .eml draft Outlook or Thunderbird opens ready to send."""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr

from . import text
from .model import Plan
from .variants import Variant

MIME_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
}


def email_draft(plan: Plan, variant: Variant, title: str, attachments: dict[str, bytes]) -> bytes:
    """Return an unsent email to the guidance's address with the plan files attached, as .eml bytes."""
    d = plan.district
    message = EmailMessage()
    message["To"] = variant.values["submit_to"]
    if d.contact_email:
        message["From"] = formataddr((d.contact_name.split(",")[0].strip(), d.contact_email))
    message["Subject"] = title
    message["X-Unsent"] = "1"  # Outlook opens the file as a draft to send
    signature = "\n".join(x for x in (d.contact_name, d.name, d.contact_email) if x)
    message.set_content(
        "Dear Statewide System of Support team,\n\n"
        f"Attached is {text.possessive(d.name)} {variant.plan_year} District Instructional Prioritization Plan for the "
        f"{variant.school_year} school year, as a Word document and as a PowerPoint presentation.\n\n"
        "Thank you,\n"
        f"{signature}\n"
    )
    for name, content in attachments.items():
        suffix = name[name.rfind("."):]
        maintype, subtype = MIME_TYPES[suffix]
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    digest = hashlib.sha256(b"".join(attachments.values())).hexdigest()[:24]
    message.set_boundary(f"docgen-{digest}")  # the same plan always gives the same file
    return message.as_bytes(policy=SMTP.clone(max_line_length=998))
