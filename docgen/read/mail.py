"""Read a mailbox export (a folder of .eml or .msg files, or an mbox file) into messages and their attachments.

In August a consultant's inbox holds the region's plans as attachments:
sent directly, forwarded inside another message, zipped, resent. This module
only opens the mail, never trusting it: every message becomes a ``Message``
(sender, date, subject, attachments), and whatever cannot be read (a damaged
file, an attachment far larger than a plan, a zip bomb) becomes a message or
attachment with its ``problem`` said in one line, never an exception. A
forwarded message's attachments are collected with its own sender, so a plan
forwarded by a colleague is still matched to the district that wrote it.
Headers are decoded by Python's ``email`` package (RFC 2047 and RFC 2231 names,
any charset); Outlook's .msg files by extract-msg.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import mailbox
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

MAX_ATTACHMENT_BYTES = 10 * 2**20  # the web app's upload cap: a plan file is far smaller
MAX_MESSAGE_BYTES = 60 * 2**20  # one message, attachments included, before it is parsed
MAX_ZIP_MEMBERS = 50
MAX_ZIP_BYTES = 3 * MAX_ATTACHMENT_BYTES  # all of one zip's files together, as their headers declare them
MAX_NESTING = 5  # forwards inside forwards
MAILBOX_SUFFIXES = (".eml", ".msg", ".mbox", ".mbx")
# RFC 3834 and the headers Exchange, Gmail and vacation programs add to what no person wrote
AUTO_HEADERS = ("x-autoreply", "x-autorespond", "x-auto-response")
AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk", "list")


@dataclass
class Attachment:
    """One attached file: its decoded name, its bytes, and who sent it (the forwarded message's sender, if any)."""

    name: str
    data: bytes
    sender: str
    problem: str = ""  # why it was not kept (too large, a zip that could not be opened); data is then empty
    inside: str = ""  # "a forwarded message", "plans.zip": where in the message it was found

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower()


@dataclass
class Message:
    """One e-mail: where it is in the export, who sent it, when, and what it carried."""

    source: str  # "Re: plan.eml", "august.mbox, message 3"
    sender: str = ""  # the address, lower case
    sender_name: str = ""
    subject: str = ""
    received: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    senders: list[str] = field(default_factory=list)  # the sender, then those of forwarded messages inside
    auto_reply: bool = False
    problem: str = ""  # why the message itself could not be read


def read(path: Path) -> list[Message]:
    """Return the messages of a mailbox export, in the order found (the caller sorts them by date).

    ``path`` is a folder (its .eml, .msg and mbox files, not its subfolders'), an mbox file, or one message;
    any other file in the folder (a table of contents, a note) is not mail and is passed over.
    """
    path = Path(path)
    if path.is_dir():  # Apple Mail's export is a folder "Inbox.mbox" holding a file named "mbox"
        return [m for f in sorted(path.iterdir(), key=lambda p: p.name)
                if f.is_file() and (f.suffix.lower() in MAILBOX_SUFFIXES or f.name.lower() == "mbox")
                for m in _read_file(f)]
    if not path.exists():
        from docgen.errors import FileRefused

        raise FileRefused(path, "not found: give a folder of .eml or .msg files, or an mbox file")
    return _read_file(path)


def _read_file(path: Path) -> list[Message]:
    """Return the messages of one file: an .msg, an mbox (several), or an .eml."""
    try:
        size = path.stat().st_size
        if path.suffix.lower() == ".msg":
            return [_too_big(path.name, size) if size > MAX_MESSAGE_BYTES else _outlook(path)]
        with path.open("rb") as handle:
            head = handle.read(5)
        if head == b"From ":
            return _mbox(path)
        if size > MAX_MESSAGE_BYTES:
            return [_too_big(path.name, size)]
        return [parse(path.read_bytes(), path.name)]
    except OSError as exc:
        return [Message(path.name, problem=f"cannot be opened: {exc.strerror or exc}")]


def _too_big(source: str, size: int) -> Message:
    return Message(source, problem=f"{size / 2**20:,.0f} MB, far larger than an e-mail carrying a plan; not read")


def _mbox(path: Path) -> list[Message]:
    """Return every message of an mbox file, each named by its place in the file."""
    box = mailbox.mbox(path, create=False)
    try:
        found = []
        for number, key in enumerate(box.keys(), start=1):
            source = f"{path.name}, message {number}"
            try:
                data = box.get_bytes(key)
            except (OSError, ValueError, KeyError) as exc:
                found.append(Message(source, problem=f"cannot be read: {exc}"))
                continue
            found.append(_too_big(source, len(data)) if len(data) > MAX_MESSAGE_BYTES else parse(data, source))
        return found
    finally:
        box.close()


def parse(data: bytes, source: str) -> Message:
    """Return one RFC 5322 message (an .eml file's bytes) as a Message; a damaged one says so in ``problem``."""
    try:
        parsed = email.message_from_bytes(data, policy=email.policy.default)
        message = Message(source)
        _fill(message, parsed, 0)
        return message
    except Exception as exc:  # noqa: BLE001 - the email package raises many kinds on damaged mail; one row each
        return Message(source, problem=f"cannot be read as an e-mail: {type(exc).__name__}: {exc}"[:300])


def _fill(message: Message, parsed, depth: int, inside: str = "") -> None:
    """Read the headers and attachments of ``parsed`` into ``message`` (a forwarded message adds its own)."""
    name, address = email.utils.parseaddr(_header(parsed, "from"))
    address = address.strip().lower()
    if depth == 0:
        message.sender, message.sender_name = address, " ".join(name.split())
        message.subject = " ".join(_header(parsed, "subject").split())
        message.received = _date(_header(parsed, "date"))
        message.auto_reply = _automatic(parsed)
    if address:
        message.senders.append(address)
    for part in parsed.iter_parts() if parsed.is_multipart() else ():
        _part(message, part, address or message.sender, depth, inside)


def _part(message: Message, part, sender: str, depth: int, inside: str) -> None:
    """Collect one MIME part: a nested multipart, a forwarded message, or an attached file."""
    kind = part.get_content_type()
    if kind == "message/rfc822":
        nested = part.get_payload()
        nested = nested[0] if isinstance(nested, list) and nested else nested
        if depth < MAX_NESTING and hasattr(nested, "get"):
            _fill(message, nested, depth + 1, "a forwarded message")
        return
    if part.is_multipart():
        for child in part.iter_parts():
            _part(message, child, sender, depth, inside)
        return
    name = _filename(part)
    if not name or (part.get_content_maintype() == "image" and part.get("content-id")):
        return  # the body, or a picture in a signature
    try:
        data = part.get_payload(decode=True) or b""
    except Exception as exc:  # noqa: BLE001 - a damaged transfer encoding
        message.attachments.append(Attachment(name, b"", sender, f"cannot be decoded: {exc}", inside))
        return
    _add(message, Attachment(name, data, sender, inside=inside))


def _add(message: Message, attachment: Attachment) -> None:
    """Keep an attachment, refusing one over the size cap and opening a zip's files (capped too)."""
    if len(attachment.data) > MAX_ATTACHMENT_BYTES:
        size = len(attachment.data) / 2**20
        attachment.problem = f"{size:,.0f} MB, larger than the {MAX_ATTACHMENT_BYTES // 2**20} MB a plan file may be"
        attachment.data = b""
    if attachment.suffix == ".zip" and not attachment.problem:
        message.attachments.extend(_unzipped(attachment))
        return
    message.attachments.append(attachment)


def _unzipped(archive: Attachment) -> list[Attachment]:
    """Return the files of a zipped attachment, each capped like an attachment; the zip itself when it cannot be."""
    try:
        with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
            members = [m for m in zipped.infolist() if not m.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                raise ValueError(f"{len(members):,} files in it; not opened")
            found, total = [], 0
            for member in members:  # zipfile never unpacks more than a member's header declares
                inside = f"{archive.name} ({archive.inside})" if archive.inside else archive.name
                item = Attachment(Path(member.filename).name, b"", archive.sender, inside=inside)
                total += member.file_size
                if member.file_size > MAX_ATTACHMENT_BYTES:
                    item.problem = f"unzips to {member.file_size / 2**20:,.0f} MB, far more than a plan file"
                elif total > MAX_ZIP_BYTES:
                    item.problem = f"not unzipped: the zip's files come to more than {MAX_ZIP_BYTES // 2**20} MB"
                else:
                    item.data = zipped.read(member)
                found.append(item)
            return found
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError) as exc:
        return [Attachment(archive.name, b"", archive.sender, f"a zip file that cannot be opened: {exc}",
                           archive.inside)]


def _header(parsed, name: str) -> str:
    """Return a header decoded (RFC 2047, any charset), or "" when it is missing or cannot be decoded."""
    try:
        value = parsed.get(name)
    except Exception:  # noqa: BLE001 - a header the policy cannot parse is as good as missing
        return ""
    return "" if value is None else str(value)


def _filename(part) -> str:
    """Return a part's file name (RFC 2231 and RFC 2047 decoded), only its last path component."""
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed parameter
        name = ""
    return Path(" ".join(str(name).replace("\\", "/").split())).name


def _date(value: str) -> datetime | None:
    """Return a Date header as an aware datetime (UTC when it gave no zone), or None when it is no date."""
    try:
        when = email.utils.parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError, IndexError):
        return None
    if when is not None and when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when


def _automatic(parsed) -> bool:
    """Return True for a message no person wrote: an out-of-office reply, a delivery report (RFC 3834, RFC 3464)."""
    submitted = _header(parsed, "auto-submitted").strip().lower()
    if submitted and submitted != "no":
        return True
    if any(_header(parsed, h) for h in AUTO_HEADERS):
        return True
    if _header(parsed, "precedence").strip().lower() in AUTO_PRECEDENCE:
        return True
    return parsed.get_content_type() == "multipart/report"


def _outlook(path: Path) -> Message:
    """Return an Outlook .msg file as a Message, read with extract-msg (attachments, and .msg files inside)."""
    import extract_msg

    try:
        msg = extract_msg.openMsg(str(path), delayAttachments=False)
    except Exception as exc:  # noqa: BLE001 - extract-msg raises its own kinds on damaged files
        return Message(path.name, problem=f"cannot be read as an Outlook message: {exc}"[:300])
    try:
        return _from_outlook(msg, path.name, 0)
    finally:
        msg.close()


def _from_outlook(msg, source: str, depth: int, inside: str = "") -> Message:
    name, address = email.utils.parseaddr(str(msg.sender or ""))
    message = Message(source, address.lower(), " ".join(name.split()), " ".join(str(msg.subject or "").split()),
                      _outlook_date(msg.date))
    message.senders.extend([message.sender] if message.sender else [])
    header = getattr(msg, "header", None)
    message.auto_reply = bool(header is not None and _automatic(header))
    for attachment in msg.attachments:
        data = getattr(attachment, "data", None)
        if hasattr(data, "attachments") and depth < MAX_NESTING:  # an attached .msg: a forwarded message
            nested = _from_outlook(data, source, depth + 1, "a forwarded message")
            message.senders.extend(nested.senders)
            message.attachments.extend(nested.attachments)
            continue
        file_name = _filename_of(attachment)
        if file_name and isinstance(data, bytes) and not getattr(attachment, "hidden", False):
            _add(message, Attachment(file_name, data, message.sender, inside=inside))
    return message


def _filename_of(attachment) -> str:
    name = getattr(attachment, "longFilename", None) or getattr(attachment, "shortFilename", None) or ""
    return Path(" ".join(str(name).replace("\\", "/").split())).name


def _outlook_date(value) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return _date(str(value)) if value else None
