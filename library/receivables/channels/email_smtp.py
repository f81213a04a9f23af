"""E-mail over SMTP: TLS, STARTTLS or plain on loopback only; AUTH from the vault; one connection per run."""

from __future__ import annotations

import base64
import ipaddress
import mimetypes
import queue
import smtplib
import socket
import ssl
from email.header import Header
from email.policy import compat32
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate
from pathlib import Path

from receivables.channels.outbox import Outgoing, PermanentError, TransientError
from receivables.dunning.settings import SmtpSettings
from receivables.secrets import get_secret

SMTP_POLICY = compat32.clone(linesep="\r\n")


class SmtpConfigError(ValueError):
    pass


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


def email_bytes(message: Outgoing, from_address: str, from_name: str | None = None) -> bytes:
    """The message as sent: text and HTML alternatives, files attached (PDFs, workbooks), the outbox's Message-ID
    (replies and bounces refer to it).

    Built with the compat32 MIME classes (the header registry of `EmailMessage` costs more per
    message than the SMTP round trip), and each attachment's base64 is spliced in as one block:
    the generator writing it line by line cost more than everything else together.
    """
    body = MIMEMultipart("alternative")
    body.attach(MIMEText(message.body, "plain", "utf-8"))
    if message.html:
        body.attach(MIMEText(message.html, "html", "utf-8"))
    blocks: dict[bytes, bytes] = {}
    if message.files:
        email = MIMEMultipart("mixed")
        email.attach(body)
        for n, name in enumerate(message.files):
            path = Path(name)
            marker = f"@@attachment-{n}@@"
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            part = MIMEBase(*kind.split("/", 1))
            part.set_payload(marker)
            part["Content-Transfer-Encoding"] = "base64"
            part.add_header("Content-Disposition", "attachment", filename=path.name)
            email.attach(part)
            blocks[marker.encode()] = _base64_lines(path.read_bytes())
    else:
        email = body
    email["From"] = formataddr((from_name, from_address)) if from_name else from_address
    email["To"] = message.recipient
    email["Subject"] = Header(message.subject or "", "utf-8")
    email["Message-ID"] = message.message_id
    email["Date"] = formatdate(localtime=False)
    email["Auto-Submitted"] = "auto-generated"
    if message.language:
        email["Content-Language"] = message.language
    raw = email.as_bytes(policy=SMTP_POLICY)
    for marker, block in blocks.items():
        raw = raw.replace(marker, block, 1)
    return raw


def _base64_lines(data: bytes) -> bytes:
    """Base64 in 76-character CRLF lines (RFC 2045), encoded in one call rather than per line."""
    encoded = base64.b64encode(data)
    return b"\r\n".join(encoded[i:i + 76] for i in range(0, len(encoded), 76))


class SmtpTransport:
    """Up to `connections` SMTP sessions, each used by one sending thread at a time (see Delivery)."""

    batched = False

    def __init__(self, cfg: SmtpSettings) -> None:
        if not cfg.host:
            raise SmtpConfigError("reminders.smtp.host is not set")
        if cfg.security == "plain" and not _is_loopback(cfg.host):
            raise SmtpConfigError(f"reminders.smtp: plain SMTP (no TLS) to {cfg.host} is allowed on loopback only")
        self.cfg = cfg
        self.parallel = cfg.connections
        self.login = get_secret(cfg.secret, ("user", "password")) if cfg.secret else None
        self._idle: queue.SimpleQueue[smtplib.SMTP] = queue.SimpleQueue()

    def _context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.cfg.ca_file:
            context.load_verify_locations(cafile=str(self.cfg.ca_file))
        return context

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        if cfg.security == "tls":
            conn: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.server_port, timeout=cfg.timeout_seconds,
                                                  context=self._context())
        else:
            conn = smtplib.SMTP(cfg.host, cfg.server_port, timeout=cfg.timeout_seconds)
            if cfg.security == "starttls":
                conn.starttls(context=self._context())
        if self.login:
            try:
                conn.login(self.login["user"], self.login["password"])
            except smtplib.SMTPAuthenticationError as exc:
                conn.close()
                raise TransientError(f"SMTP login refused ({exc.smtp_code})") from None
        return conn

    def send(self, message: Outgoing) -> None:
        raw = email_bytes(message, self.cfg.from_address, self.cfg.from_name)
        conn = None
        try:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                conn = self._connect()
            conn.sendmail(self.cfg.from_address, [message.recipient], raw)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            error = f"recipient refused: {codes}"
            raise (PermanentError if all(c >= 500 for c in codes) else TransientError)(error) from None
        except smtplib.SMTPResponseException as exc:
            _quit(conn)
            conn = None
            error = f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
            raise (PermanentError if exc.smtp_code >= 500 else TransientError)(error) from None
        except (smtplib.SMTPException, OSError) as exc:
            _quit(conn)
            conn = None
            raise TransientError(f"{type(exc).__name__}: {exc}") from None
        finally:
            if conn is not None:
                self._idle.put(conn)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        while True:
            try:
                _quit(self._idle.get_nowait())
            except queue.Empty:
                return


def _quit(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()
