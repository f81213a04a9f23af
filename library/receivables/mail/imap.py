"""The collections mailbox over IMAP (imapclient): TLS or STARTTLS, UID cursor, fetch, move.

Every failure becomes a MailboxError that says which server, which user and what happened,
never the password. Plain IMAP without TLS is refused unless the server is on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from dataclasses import dataclass
from types import TracebackType

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from receivables.mail.settings import MailSettings

TEXT_PEEK_BYTES = 256_000  # of a message too large to fetch whole: its headers and this much of the rest


class MailboxError(Exception):
    """The mailbox could not be reached, logged into or changed; the message says why."""


@dataclass(frozen=True)
class Fetched:
    raw: bytes
    size: int
    truncated: bool


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(socket.gethostbyname(host)).is_loopback
    except (OSError, ValueError):
        return False


class Mailbox:
    """`with Mailbox(settings, user, password) as box:` one logged-in IMAP session."""

    def __init__(self, settings: MailSettings, user: str, password: str) -> None:
        if not settings.host:
            raise MailboxError("no IMAP server configured (settings: mail.host)")
        self.settings, self.user, self._password = settings, user, password
        self.where = f"{settings.host}:{settings.server_port}"
        self.client: IMAPClient | None = None
        self.can_move = False

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        if self.settings.ca_file:
            context.load_verify_locations(cafile=str(self.settings.ca_file))
        return context

    def __enter__(self) -> "Mailbox":
        cfg = self.settings
        if cfg.security == "plain" and not _is_loopback(cfg.host or ""):
            raise MailboxError(f"{self.where}: plain IMAP (no TLS) is allowed on loopback only; use tls or starttls")
        try:
            client = IMAPClient(cfg.host, port=cfg.server_port, ssl=cfg.security == "tls",
                                ssl_context=self._tls() if cfg.security == "tls" else None,
                                timeout=cfg.timeout_seconds)
        except (OSError, IMAPClientError) as exc:
            raise MailboxError(f"{self.where}: cannot connect ({type(exc).__name__}: {exc})") from None
        try:
            if cfg.security == "starttls":
                client.starttls(self._tls())
            client.login(self.user, self._password)
        except LoginError as exc:
            client.shutdown()
            raise MailboxError(f"{self.where}: login as {self.user!r} refused ({_text(exc)})") from None
        except (OSError, IMAPClientError) as exc:
            client.shutdown()
            raise MailboxError(f"{self.where}: {type(exc).__name__} during login: {exc}") from None
        self.client = client
        self.can_move = client.has_capability("MOVE")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.client is None:
            return
        try:
            self.client.logout()
        except (OSError, IMAPClientError):
            self.client.shutdown()
        self.client = None

    def _call(self, what: str, func, *args):  # noqa: ANN001, ANN202 - a thin error-translating wrapper
        try:
            return func(*args)
        except (OSError, IMAPClientError) as exc:
            raise MailboxError(f"{self.where}: {what} failed ({type(exc).__name__}: {_text(exc)})") from None

    def ensure_folders(self, names: list[str]) -> list[str]:
        """Create the folders that are missing; returns the ones created."""
        existing = {name for _, _, name in self._call("LIST", self.client.list_folders)}
        created = [name for name in dict.fromkeys(names) if name not in existing]
        for name in created:
            self._call(f"CREATE {name!r}", self.client.create_folder, name)
        return created

    def open(self, folder: str) -> int:
        """Select `folder` read-write; returns its UIDVALIDITY."""
        status = self._call(f"SELECT {folder!r}", self.client.select_folder, folder)
        return int(status[b"UIDVALIDITY"])

    def uids_after(self, last: int) -> list[int]:
        """UIDs above `last`, oldest first (the server answers `n:*` with the newest even when lower)."""
        found = self._call("UID SEARCH", self.client.search, ["UID", f"{last + 1}:*"])
        return sorted(uid for uid in found if uid > last)

    def present(self, uids: list[int]) -> set[int]:
        """Which of these UIDs are still in the selected folder."""
        if not uids:
            return set()
        return set(self._call("UID SEARCH", self.client.search, ["UID", ",".join(map(str, uids))]))

    def fetch(self, uids: list[int]) -> dict[int, Fetched]:
        """The messages, whole when smaller than the limit, else headers and the start of the text."""
        if not uids:
            return {}
        sizes = self._call("FETCH sizes", self.client.fetch, uids, ["RFC822.SIZE"])
        limit = self.settings.max_message_bytes
        small = [uid for uid in uids if uid in sizes and sizes[uid][b"RFC822.SIZE"] <= limit]
        large = [uid for uid in uids if uid in sizes and uid not in small]
        out: dict[int, Fetched] = {}
        if small:
            for uid, data in self._call("FETCH", self.client.fetch, small, ["BODY.PEEK[]"]).items():
                out[uid] = Fetched(data[b"BODY[]"], sizes[uid][b"RFC822.SIZE"], False)
        if large:
            parts = ["BODY.PEEK[HEADER]", f"BODY.PEEK[TEXT]<0.{TEXT_PEEK_BYTES}>"]
            for uid, data in self._call("FETCH partial", self.client.fetch, large, parts).items():
                body = next((v for k, v in data.items() if k.startswith(b"BODY[TEXT]")), b"")
                out[uid] = Fetched(data[b"BODY[HEADER]"] + (body or b""), sizes[uid][b"RFC822.SIZE"], True)
        return out

    def move(self, uids: list[int], folder: str) -> None:
        """MOVE, or COPY + \\Deleted + expunge on servers without MOVE."""
        if not uids:
            return
        if self.can_move:
            self._call(f"MOVE to {folder!r}", self.client.move, uids, folder)
            return
        self._call(f"COPY to {folder!r}", self.client.copy, uids, folder)
        self._call("STORE \\Deleted", self.client.add_flags, uids, [b"\\Deleted"])
        if self.client.has_capability("UIDPLUS"):
            self._call("UID EXPUNGE", self.client.uid_expunge, uids)
        else:
            self._call("EXPUNGE", self.client.expunge)


def _text(exc: BaseException) -> str:
    text = str(exc)
    return text[2:-1] if text.startswith(("b'", 'b"')) else text
