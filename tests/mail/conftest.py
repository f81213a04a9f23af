"""Fixtures for the mail robot: a real Dovecot on loopback, a small sandbox world and its mailbox."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from imapclient import IMAPClient

from receivables.accounting.detect import read_invoices
from receivables.ledger import Ledger, open_ledger
from receivables.ledger.invoice_sync import sync_accounting
from receivables.mail.settings import MailSettings
from receivables.sandbox.imap_server import DovecotServer, DovecotUnavailable
from receivables.sandbox.mailbox import true_category, write_mailbox
from receivables.sandbox.world import WorldGenerator, WorldSpec

AS_OF = date(2026, 11, 27)
ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}
ISSUER = "5252448487"


@pytest.fixture
def dovecot() -> Iterator[DovecotServer]:
    """A fresh server with an empty mailbox for each test."""
    try:
        server = DovecotServer().start()
    except DovecotUnavailable as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture
def login(dovecot: DovecotServer, monkeypatch: pytest.MonkeyPatch) -> DovecotServer:
    """The server's login where the robot looks for it (the `mailbox` secret)."""
    monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_USER", dovecot.user)
    monkeypatch.setenv("RECEIVABLES_SECRET_MAILBOX_PASSWORD", dovecot.password)
    return dovecot


def mail_settings(server: DovecotServer, **kw) -> MailSettings:
    return MailSettings(host=server.host, port=server.port, security="plain", **kw)


@pytest.fixture(scope="session")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("mail-world")
    WorldGenerator(WorldSpec(seed=5, customers=60, invoices=600, months=6, as_of=AS_OF), ISSUER, ACCOUNTS).write(folder)
    write_mailbox(folder)
    return folder


def load_world(ledger: Ledger, world: Path) -> None:
    batch = read_invoices(world / "accounting", issuer_tax_id=ISSUER)
    with ledger.session() as s:
        sync_accounting(s, batch.customers, batch.invoices, None)


@pytest.fixture
def world_ledger(ledger: Ledger, world: Path) -> Ledger:
    """The shared `ledger` fixture (SQLite and PostgreSQL) holding the world's customers and invoices."""
    load_world(ledger, world)
    return ledger


@pytest.fixture
def sqlite_world_ledger(tmp_path: Path, world: Path) -> Iterator[Ledger]:
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    load_world(led, world)
    yield led
    led.dispose()


def client(server: DovecotServer) -> IMAPClient:
    imap = IMAPClient(server.host, port=server.port, ssl=False)
    imap.login(server.user, server.password)
    return imap


def append(server: DovecotServer, messages: list[bytes], folder: str = "INBOX") -> None:
    imap = client(server)
    imap.multiappend(folder, messages)
    imap.logout()


def folder_contents(server: DovecotServer) -> dict[str, Counter]:
    """Folder -> true categories (the sandbox header) of the messages in it."""
    imap = client(server)
    out = {}
    for _, _, name in imap.list_folders():
        imap.select_folder(name, readonly=True)
        data = imap.fetch(imap.search(), ["BODY.PEEK[HEADER]"])
        out[name] = Counter(true_category(d[b"BODY[HEADER]"]) for d in data.values())
    imap.logout()
    return out


def message_ids(server: DovecotServer) -> Counter:
    """Message-ID -> how many copies exist across all folders."""
    imap = client(server)
    seen: Counter = Counter()
    for _, _, name in imap.list_folders():
        imap.select_folder(name, readonly=True)
        for d in imap.fetch(imap.search(), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"]).values():
            seen[next(v for k, v in d.items() if k.startswith(b"BODY")).strip()] += 1
    imap.logout()
    return seen


def world_messages(world: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted((world / "mail").glob("*.eml"))]
