"""Writing mail the way debtors' mail clients and mail servers write it, for the sandbox and tests.

One text becomes a real RFC 5322 message: plain, HTML-only or both; UTF-8, ISO-8859-2, cp1250
or Latin-1 in quoted-printable or base64; with our reminder quoted below in the styles Outlook,
Gmail and Thunderbird use; with PDF attachments; or wrapped as a mail server's delivery status
notification (RFC 3464) around the reminder that bounced.
"""

from __future__ import annotations

import base64
import html
import io
import quopri
from dataclasses import dataclass, field
from datetime import datetime
from email.header import Header
from email.utils import format_datetime, formataddr
from functools import lru_cache
from pathlib import Path

UNICODE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
OUR_ADDRESS = "windykacja@nordwind.example"
OUR_NAME = "Nordwind Logistyka - windykacja"
CHARSETS = {"pl": ("utf-8", "iso-8859-2", "cp1250"), "de": ("utf-8", "iso-8859-1", "cp1252"), "en": ("utf-8", "us-ascii")}

REMINDER = {
    "pl": ("Przypomnienie o płatności - faktura {invoice}",
           "Szanowni Państwo,\nuprzejmie przypominamy, że termin płatności faktury {invoice} na kwotę {amount} "
           "upłynął {due}. Prosimy o uregulowanie zaległości.\nZ poważaniem\nDział windykacji Nordwind Logistyka"),
    "de": ("Zahlungserinnerung - Rechnung {invoice}",
           "Sehr geehrte Damen und Herren,\ndie Rechnung {invoice} über {amount} war am {due} fällig. "
           "Bitte begleichen Sie den offenen Betrag.\nMit freundlichen Grüßen\nForderungsmanagement Nordwind Logistyka"),
    "en": ("Payment reminder - invoice {invoice}",
           "Dear Sir or Madam,\ninvoice {invoice} for {amount} was due on {due}. "
           "Please settle the overdue amount.\nKind regards\nCredit control, Nordwind Logistyka"),
}
_ATTRIBUTION = {
    "pl": "W dniu {date} {who} pisze:",
    "de": "Am {date} schrieb {who}:",
    "en": "On {date}, {who} wrote:",
}
_OUTLOOK = {
    "pl": ("Od", "Wysłano", "Do", "Temat"),
    "de": ("Von", "Gesendet", "An", "Betreff"),
    "en": ("From", "Sent", "To", "Subject"),
}


@dataclass
class Envelope:
    sender: str
    sender_name: str
    subject: str
    date: datetime
    message_id: str
    to: str = OUR_ADDRESS
    in_reply_to: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Quoted:
    """Our reminder as it appears below a reply; `style` is "attribution" (> lines) or "outlook"."""

    subject: str
    body: str
    date: datetime
    style: str = "attribution"
    html_blockquote: bool = True


def reminder(lang: str, invoice: str, amount: str, due: str) -> tuple[str, str]:
    """Subject and body of the reminder debtors answer and mail servers bounce."""
    subject, body = REMINDER[lang]
    return subject.format(invoice=invoice), body.format(invoice=invoice, amount=amount, due=due)


def _quoted_plain(quoted: Quoted, lang: str) -> str:
    when = quoted.date.strftime("%d.%m.%Y %H:%M")
    if quoted.style == "outlook":
        head = _OUTLOOK[lang]
        return (f"\n\n-----Original Message-----\n{head[0]}: {OUR_NAME} <{OUR_ADDRESS}>\n{head[1]}: {when}\n"
                f"{head[3]}: {quoted.subject}\n\n{quoted.body}")
    who = f"{OUR_NAME} <{OUR_ADDRESS}>"
    lines = "\n".join(f"> {line}" for line in quoted.body.splitlines())
    return f"\n\n{_ATTRIBUTION[lang].format(date=when, who=who)}\n{lines}"


def _quoted_html(quoted: Quoted, lang: str) -> str:
    when = quoted.date.strftime("%d.%m.%Y %H:%M")
    body = "<br>".join(html.escape(line) for line in quoted.body.splitlines())
    if quoted.style == "outlook":
        head = _OUTLOOK[lang]
        return (f'<div id="divRplyFwdMsg"><b>{head[0]}:</b> {html.escape(OUR_NAME)}<br><b>{head[1]}:</b> {when}'
                f"<br><b>{head[3]}:</b> {html.escape(quoted.subject)}</div><div>{body}</div>")
    who = html.escape(f"{OUR_NAME} <{OUR_ADDRESS}>")
    return (f'<div class="gmail_quote"><div>{_ATTRIBUTION[lang].format(date=when, who=who)}</div>'
            f"<blockquote>{body}</blockquote></div>")


def _text_part(text: str, subtype: str, charset: str, transfer: str) -> bytes:
    try:
        data = text.encode(charset)
    except UnicodeEncodeError:  # as mail clients do: a charset that holds every character
        charset, data = "utf-8", text.encode("utf-8")
    if transfer == "base64":
        payload = base64.encodebytes(data).decode("ascii")
    elif transfer == "quoted-printable":
        payload = quopri.encodestring(data).decode("ascii")
    else:
        transfer, payload = "8bit", data.decode(charset)
    head = f'Content-Type: text/{subtype}; charset="{charset}"\r\nContent-Transfer-Encoding: {transfer}\r\n'
    return (head + "\r\n" + payload.replace("\r\n", "\n").replace("\n", "\r\n")).encode(charset if transfer == "8bit" else "ascii")


def _binary_part(filename: str, content_type: str, data: bytes) -> bytes:
    encoded = base64.encodebytes(data).decode("ascii").replace("\n", "\r\n")
    name = Header(filename, "utf-8").encode() if not filename.isascii() else filename
    return (f'Content-Type: {content_type}; name="{name}"\r\nContent-Transfer-Encoding: base64\r\n'
            f'Content-Disposition: attachment; filename="{name}"\r\n\r\n{encoded}').encode("ascii")


def _multipart(subtype: str, parts: list[bytes], boundary: str, extra: str = "") -> bytes:
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + p + b"\r\n" for p in parts) + b"--" + boundary.encode() + b"--\r\n"
    return f'Content-Type: multipart/{subtype};{extra} boundary="{boundary}"\r\n\r\n'.encode() + body


def _holding(text: str, charset: str) -> str:
    try:
        text.encode(charset)
    except UnicodeEncodeError:
        return "utf-8"
    return charset


def _headers(env: Envelope, charset: str) -> bytes:
    subject = env.subject if env.subject.isascii() else Header(env.subject, _holding(env.subject, charset)).encode()
    name = env.sender_name if env.sender_name.isascii() else Header(env.sender_name, "utf-8").encode()
    lines = [
        f"From: {formataddr((name, env.sender)) if name else env.sender}",
        f"To: {env.to}",
        f"Subject: {subject}",
        f"Date: {format_datetime(env.date)}",
        f"Message-ID: {env.message_id}",
        "MIME-Version: 1.0",
    ]
    if env.in_reply_to:
        lines += [f"In-Reply-To: {env.in_reply_to}", f"References: {env.in_reply_to}"]
    lines += [f"{k}: {v}" for k, v in env.headers.items()]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def compose(
    env: Envelope,
    text: str,
    lang: str,
    *,
    style: str = "plain",
    charset: str = "utf-8",
    transfer: str = "quoted-printable",
    quoted: Quoted | None = None,
    attachments: list[tuple[str, str, bytes]] | None = None,
) -> bytes:
    """A message with `text` as its body; `style` is "plain", "html" (HTML only) or "alternative"."""
    plain = text + (_quoted_plain(quoted, lang) if quoted else "")
    paragraphs = "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in text.split("\n\n"))
    html_body = (f'<html><head><meta charset="{charset}"><style>p {{margin:0}}</style></head><body>'
                 f"{paragraphs}{_quoted_html(quoted, lang) if quoted else ''}</body></html>")
    seed = env.message_id.strip("<>").split("@")[0][-12:]
    if style == "plain":
        body = _text_part(plain, "plain", charset, transfer)
    elif style == "html":
        body = _text_part(html_body, "html", charset, transfer)
    else:
        body = _multipart("alternative", [_text_part(plain, "plain", charset, transfer),
                                          _text_part(html_body, "html", charset, transfer)], f"alt-{seed}")
    if attachments:
        body = _multipart("mixed", [body, *(_binary_part(*a) for a in attachments)], f"mix-{seed}")
    return _headers(env, charset) + body


def compose_dsn(env: Envelope, text: str, failed: str, original: bytes, status: str = "5.1.1",
                diagnostic: str = "550 5.1.1 User unknown") -> bytes:
    """A delivery status notification (multipart/report) for `failed`, carrying the original."""
    seed = env.message_id.strip("<>").split("@")[0][-12:]
    status_part = (
        "Content-Type: message/delivery-status\r\n\r\n"
        f"Reporting-MTA: dns; mx.{failed.split('@')[-1]}\r\n\r\n"
        f"Final-Recipient: rfc822; {failed}\r\nOriginal-Recipient: rfc822;{failed}\r\n"
        f"Action: failed\r\nStatus: {status}\r\nDiagnostic-Code: smtp; {diagnostic}\r\n"
    ).encode()
    original_part = b"Content-Type: message/rfc822\r\n\r\n" + original
    report = _multipart("report", [_text_part(text, "plain", "utf-8", "quoted-printable"), status_part, original_part],
                        f"dsn-{seed}", extra=" report-type=delivery-status;")
    env.headers.setdefault("Auto-Submitted", "auto-replied")
    return _headers(env, "utf-8") + report


@lru_cache(maxsize=1)
def _pdf_font() -> str:
    """DejaVu Sans when the system has it (Polish and German letters); Helvetica otherwise."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not Path(UNICODE_FONT).exists():
        return "Helvetica"
    pdfmetrics.registerFont(TTFont("DejaVuSans", UNICODE_FONT))
    return "DejaVuSans"


def pdf_document(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and lines of text (a remittance advice, a bank confirmation)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _pdf_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4, invariant=True)
    page.setFont(font, 14)
    page.drawString(50, 790, title)
    page.setFont(font, 10)
    for i, line in enumerate(lines):
        page.drawString(50, 760 - 14 * i, line)
    page.showPage()
    page.save()
    return buffer.getvalue()
