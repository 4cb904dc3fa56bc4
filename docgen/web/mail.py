"""Optional e-mail through an SMTP relay: invitation links, when the server has one.

Without SMTP settings nothing is sent and the links are shown for copying.
Every header is one line of text once decoded (submission.header_text, checked
again by one_line_headers as the email library reads it back), so no name or
address typed in a list, plain or as RFC 2047 encoded words, can add a header
of its own.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from docgen.compose.submission import header_text, one_line_headers
from docgen.errors import DocgenError
from docgen.web.storage.db import Database

SETTINGS = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_password", "smtp_from")
SECURITY = ("starttls", "ssl", "none")
TIMEOUT = 20


def settings(db: Database) -> dict[str, str]:
    values = {key: db.setting(key) for key in SETTINGS}
    values["smtp_port"] = values["smtp_port"] or "587"
    values["smtp_security"] = values["smtp_security"] or "starttls"
    return values


def configured(db: Database) -> bool:
    """Return True when an SMTP relay and a From address are set."""
    values = settings(db)
    return bool(values["smtp_host"] and values["smtp_from"])


def save_settings(db: Database, values: dict[str, str]) -> None:
    """Store the SMTP settings; an empty password keeps the stored one."""
    values = {**values, "smtp_security": values.get("smtp_security") or "starttls"}
    if values["smtp_security"] not in SECURITY:
        raise DocgenError(f"security must be one of: {', '.join(SECURITY)}")
    port = values.get("smtp_port") or ""
    if port and not (port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
        raise DocgenError("the port is a number from 1 to 65535, such as 587")
    for key in SETTINGS:
        if key == "smtp_password" and not values.get(key):
            continue
        db.set_setting(key, header_text(values.get(key, "")))


def send(db: Database, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; raise DocgenError saying what went wrong (nothing half-sent is retried)."""
    values = settings(db)
    if not configured(db):
        raise DocgenError("no SMTP relay is set; copy the link instead")
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = values["smtp_from"], header_text(to), header_text(subject)
    message.set_content(body)
    try:
        port = int(values["smtp_port"])
        relay: smtplib.SMTP  # SMTP_SSL is one, wrapped in TLS from the first byte
        if values["smtp_security"] == "ssl":
            relay = smtplib.SMTP_SSL(values["smtp_host"], port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            relay = smtplib.SMTP(values["smtp_host"], port, timeout=TIMEOUT)
        with relay:
            if values["smtp_security"] == "starttls":
                relay.starttls(context=ssl.create_default_context())
            if values["smtp_user"]:
                relay.login(values["smtp_user"], values["smtp_password"])
            relay.send_message(one_line_headers(message))
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        raise DocgenError(f"the message to {to} was not sent ({exc})") from None


def invitation_text(link: str, expires: str, district: str, site_url: str) -> tuple[str, str]:
    """Return the subject and body of an invitation e-mail."""
    subject = f"Your account for the {district} instructional prioritization plan"
    body = (f"Hello,\n\nAn account was created for you to fill, check and submit {district}'s District Instructional "
            f"Prioritization Plan on {site_url}.\n\nSet your password here (the link works once, until {expires}):\n"
            f"{link}\n\nIf you did not expect this message, ignore it.\n")
    return subject, body
