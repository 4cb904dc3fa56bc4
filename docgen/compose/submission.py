"""The email that carries a finished plan to SSoS: an .eml draft Outlook opens ready to send.

Outlook opens it as an unsent draft (the X-Unsent header). Thunderbird shows
it as a received message; its "Edit As New Message" (Message menu) makes
it a draft.

Everything in a header is the district's text, so it is made safe first:
encoded words decoded, then line breaks (CR, LF, U+2028 and kin) folded to spaces, so no value can
start a header of its own (a "Bcc:"), and the From address must be exactly
one address, in the ASCII form mail programs accept.
"""

from __future__ import annotations

import hashlib
import re
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr

from docgen import text
from docgen.errors import DocgenError
from docgen.model.plan import Plan
from docgen.variants import Variant

MIME_TYPES = {
    ".docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".pptx": ("application", "vnd.openxmlformats-officedocument.presentationml.presentation"),
}
KINDS = {".docx": "a Word document", ".pptx": "a PowerPoint presentation"}
_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]+")


def header_text(value: str) -> str:
    """Return ``value`` as one line of header text: decoded, then line breaks folded to spaces, spacing collapsed.

    Decoded first: the email library decodes RFC 2047 encoded words (``=?utf-8?q?x=0D=0ABcc=3A...?=``) when it
    writes a header, so a break hidden in one would start a header of its own after any check of the raw text.
    An encoded word still left after a few rounds (one inside another, a charset Python does not know) is
    broken up so that nothing decodes it."""
    for _ in range(4):
        decoded = _decoded(value)
        if decoded == value:
            break
        value = decoded
    else:
        value = value.replace("=?", "= ?")
    return " ".join(_BREAKS.sub(" ", value).split())


def _decoded(value: str) -> str:
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except (HeaderParseError, LookupError, UnicodeError, ValueError):
        return value.replace("=?", "= ?")


def one_line_headers(message: EmailMessage) -> EmailMessage:
    """Return ``message`` once every header, as the email library reads it back (decoded), is one line; raise
    DocgenError naming the header otherwise (header_text makes every value so: this is the check after it)."""
    for name, value in message.items():
        if _BREAKS.search(str(value)):
            raise DocgenError(f"the e-mail's {name} line would hold a line break; it was not made")
    return message


def from_address(plan: Plan, source: str = "") -> str:
    """Return the plan contact's address as the From line needs it (one address, ASCII), or raise DocgenError."""
    from email_validator import EmailNotValidError, validate_email

    value = plan.district.contact_email
    where = plan.where.get("district.contact_email", "sheet 'District'")
    prefix = f"{source}: {where}" if source else where
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise DocgenError(f"{prefix}: the plan contact email must be one address like name@district.org; got "
                          f"'{value}' ({str(exc).rstrip('.')})") from None
    if checked.ascii_email is None:
        raise DocgenError(f"{prefix}: the plan contact email '{value}' has characters before the @ that most mail "
                          "programs cannot put in a From line; give an address written in plain letters")
    return checked.ascii_email


def sip_renewals(plan: Plan) -> list[str]:
    """Return the Underperforming schools, whose Sustainable Improvement Plan renewals go to SSoS by the same date."""
    return [header_text(s.name) for s in plan.schools if s.category == "Underperforming" and s.name]


def email_draft(plan: Plan, variant: Variant, title: str, attachments: dict[str, bytes], source: str = "") -> bytes:
    """Return an unsent email to the guidance's address with the plan files attached, as .eml bytes."""
    d = plan.district
    message = EmailMessage()
    message["To"] = variant.values["submit_to"]
    if d.contact_email:
        message["From"] = formataddr((header_text(d.contact_name.split(",")[0]), from_address(plan, source)))
    message["Subject"] = header_text(title)
    message["X-Unsent"] = "1"  # Outlook opens the file as a draft to send
    signature = "\n".join(x for x in (d.contact_name, d.name, d.contact_email) if x)
    kinds = [KINDS[name[name.rfind("."):]] for name in attachments]
    sip = sip_renewals(plan)
    renewal = (f"The renewed Sustainable Improvement Plan{'s' if len(sip) > 1 else ''} for {' and '.join(sip)}, "
               f"designated Underperforming, will come to this address by {variant.values['due_date']}, as the "
               "guidance asks.\n\n") if sip else ""
    message.set_content(
        "Dear Statewide System of Support team,\n\n"
        f"Attached is {text.possessive(d.name)} {variant.plan_year} District Instructional Prioritization Plan for the "
        f"{variant.school_year} school year, as {' and as '.join(kinds)}.\n\n"
        f"{renewal}"
        "Thank you,\n"
        f"{signature}\n"
    )
    for name, content in attachments.items():
        suffix = name[name.rfind("."):]
        maintype, subtype = MIME_TYPES[suffix]
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=header_text(name))
    digest = hashlib.sha256(b"".join(attachments.values())).hexdigest()[:24]
    message.set_boundary(f"docgen-{digest}")  # the same plan always gives the same file
    return one_line_headers(message).as_bytes(policy=SMTP.clone(max_line_length=998))
