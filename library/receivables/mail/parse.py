"""One raw message as what the classifier needs: sender, subject, readable text, attachments.

Mail from debtors is often malformed: wrong or missing charsets (Polish in cp1250 or
ISO-8859-2 labelled as anything), HTML-only bodies, broken multipart boundaries. Parsing
never raises: whatever cannot be read is listed in `problems`, and the message is still
classified on what could.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from receivables.mail.html_text import html_to_text
from receivables.mail.quotes import strip_quotes

FALLBACK_CHARSETS = ("utf-8", "cp1250", "iso-8859-2")
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Attachment:
    filename: str | None
    content_type: str
    size: int
    data: bytes | None = None  # kept only for PDFs small enough to read


@dataclass
class ParsedMessage:
    message_id: str | None
    sender: str | None  # the address, lower case
    sender_name: str | None
    recipients: list[str]
    subject: str
    date: datetime | None
    content_type: str
    report_type: str | None
    headers: dict[str, str]  # lower-case name -> first value, decoded
    text: str  # what the sender wrote: plain text or HTML made text, quotes cut off
    full_text: str = ""  # the same before quotes were cut (a bounce quotes the address that failed)
    attachments: list[Attachment] = field(default_factory=list)
    failed_recipients: list[str] = field(default_factory=list)  # from a delivery status report
    enclosed_recipients: list[str] = field(default_factory=list)  # To: of an enclosed original message
    problems: list[str] = field(default_factory=list)
    size: int = 0
    truncated: bool = False


def _decoded(text: str) -> str:
    """RFC 2047 encoded words in any charset decoded; undecodable ones stay as written."""
    if "=?" in text:
        try:
            text = str(make_header(decode_header(text)))
        except Exception:  # noqa: BLE001 - a malformed header must not stop the message
            pass
    return " ".join(text.split())


def _header(msg: Message, name: str) -> str | None:
    value = msg.get(name)
    return None if value is None else _decoded(str(value))


def _decode(payload: bytes, charset: str | None, problems: list[str]) -> str:
    if charset:
        try:
            return payload.decode(charset)
        except LookupError:
            problems.append(f"unknown charset {charset!r}")
        except UnicodeDecodeError:
            problems.append(f"text not valid {charset}")
    for candidate in FALLBACK_CHARSETS:
        try:
            return payload.decode(candidate)
        except UnicodeDecodeError:
            continue
    return payload.decode("utf-8", errors="replace")


def _part_text(part: Message, problems: list[str]) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    return _decode(payload, part.get_content_charset(), problems)


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a broken RFC 2231 parameter
        return None
    return _decoded(name) if name else None


def _is_attachment(part: Message) -> bool:
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return disposition == "attachment" or (part.get_content_maintype() not in ("text", "multipart", "message")
                                           or _filename(part) is not None)


def _delivery_failures(part: Message) -> list[str]:
    """Final recipients a message/delivery-status part reports as failed."""
    failed = []
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        return failed
    for block in blocks:
        action = (block.get("Action") or "").strip().lower()
        recipient = block.get("Final-Recipient") or block.get("Original-Recipient")
        if recipient and action in ("failed", ""):
            address = str(recipient).split(";")[-1].strip().strip("<>").lower()
            if "@" in address:
                failed.append(address)
    return failed


def _walk(msg: Message, parsed: ParsedMessage, pdf_max_bytes: int) -> tuple[list[str], list[str], list[str]]:
    """(plain texts, html texts, recipients of an enclosed original message) of a message's parts."""
    plain: list[str] = []
    html: list[str] = []
    enclosed: list[str] = []
    defects: set[str] = set()
    stack = [msg]
    while stack:
        part = stack.pop(0)
        defects.update(type(d).__name__ for d in part.defects)
        ctype = part.get_content_type()
        if ctype == "message/delivery-status":
            parsed.failed_recipients.extend(_delivery_failures(part))
            continue
        if ctype in ("message/rfc822", "text/rfc822-headers"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                enclosed.extend(a.lower() for _, a in getaddresses([str(inner[0].get("To") or "")]) if "@" in a)
            elif isinstance(inner, str):
                enclosed.extend(a.lower() for line in re.findall(r"^To:.*", inner, re.M | re.I) for a in _ADDRESS.findall(line))
            continue
        if part.is_multipart():
            payload = part.get_payload()
            stack[0:0] = payload if isinstance(payload, list) else []
            continue
        if _is_attachment(part):
            try:
                data = part.get_payload(decode=True) or b""
            except Exception:  # noqa: BLE001 - a broken transfer encoding: the part is listed, not read
                data = b""
                parsed.problems.append(f"attachment {_filename(part)!r} could not be decoded")
            keep = ctype == "application/pdf" or (_filename(part) or "").lower().endswith(".pdf")
            parsed.attachments.append(Attachment(_filename(part), ctype, len(data),
                                                 data if keep and len(data) <= pdf_max_bytes else None))
            continue
        if ctype == "text/plain":
            plain.append(_part_text(part, parsed.problems))
        elif ctype == "text/html":
            html.append(_part_text(part, parsed.problems))
    if defects:
        parsed.problems.append(f"broken MIME structure ({', '.join(sorted(defects))})")
    return plain, html, enclosed


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def parse_message(raw: bytes, *, truncated: bool = False, size: int | None = None,
                  pdf_max_bytes: int = 5_000_000) -> ParsedMessage:
    """Parse one RFC 5322 message; `truncated` says only its start was fetched."""
    msg = BytesParser(policy=policy.compat32).parsebytes(raw)
    sender_name, sender = parseaddr(_header(msg, "From") or "")
    ctype = msg.get_content_type()
    parsed = ParsedMessage(
        message_id=(_header(msg, "Message-ID") or "").strip() or None,
        sender=sender.lower() or None,
        sender_name=sender_name or None,
        recipients=[a.lower() for _, a in getaddresses([_header(msg, "To") or ""]) if "@" in a],
        subject=_header(msg, "Subject") or "",
        date=_date(_header(msg, "Date")),
        content_type=ctype,
        report_type=(msg.get_param("report-type") or None) if ctype == "multipart/report" else None,
        headers={},
        text="",
        size=size if size is not None else len(raw),
        truncated=truncated,
    )
    for name in dict.fromkeys(k.lower() for k in msg.keys()):
        value = _header(msg, name)
        if value is not None:
            parsed.headers[name] = value
    plain, html, enclosed = _walk(msg, parsed, pdf_max_bytes)
    body = next((t for t in plain if t.strip()), "")
    if not body and html:
        body = html_to_text(next((h for h in html if h.strip()), html[0]))
    parsed.full_text = body.replace("\r\n", "\n")
    parsed.text = strip_quotes(parsed.full_text)
    if not parsed.text:
        parsed.problems.append("no text")
    parsed.failed_recipients = list(dict.fromkeys(parsed.failed_recipients))
    parsed.enclosed_recipients = list(dict.fromkeys(enclosed))
    return parsed
