"""A small ledger with payments to notify about, a real SMTP sink and a real webhook receiver on loopback."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal as D
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from receivables.dunning.settings import SmtpSettings
from receivables.ledger import Ledger
from receivables.ledger.models import BankTransaction, Customer, Invoice
from receivables.ledger.repository import add_allocation
from receivables.notifications.rules import Manager, NotificationRules, Webhook
from receivables.notifications.settings import NotificationsSettings
from receivables.sandbox.smtp_sink import SmtpSink
from tests.ledger.factories import add_open_invoices

TODAY = date(2026, 3, 10)  # a Tuesday
MORNING = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 09:00 in Warsaw: before the digest
EVENING = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)  # 17:00 in Warsaw: after the 16:00 digest
_ids = itertools.count(1)


@dataclass
class Receiver:
    """An incoming-webhook endpoint: records every POST; answers with `replies` first, then 200."""

    replies: list[int] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks/sales"

    def bodies(self) -> list[dict]:
        return [r["json"] for r in self.requests if r["status"] == 200]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                status = rec.replies.pop(0) if rec.replies else 200
                rec.requests.append({"path": self.path, "status": status, "json": json.loads(body),
                                     "key": self.headers.get("Idempotency-Key"),
                                     "type": self.headers.get("Content-Type")})
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args) -> None:
            pass

    rec.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=rec.server.serve_forever, daemon=True)
    thread.start()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


@pytest.fixture
def nsettings(sink: SmtpSink) -> NotificationsSettings:
    smtp = SmtpSettings(host=sink.host, port=sink.port, security="plain", secret=None,
                        from_address="roboty@nordwind.example")
    return NotificationsSettings(smtp=smtp, backoff_seconds=0, claim_lease_seconds=0)


@pytest.fixture
def rules(receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> NotificationRules:
    monkeypatch.setenv("RECEIVABLES_SECRET_WEBHOOK_SALES_URL", receiver.url)
    return NotificationRules(
        instant_above={"PLN": D("10000.00"), "EUR": D("2500.00")}, digest_at=time(16, 0), notify_within_days=7,
        default_language="pl", fallback=Manager(email="windykacja@nordwind.example"),
        managers={"Anna Kowalska": Manager(email="anna.kowalska@nordwind.example", chat="sales"),
                  "Thomas Weber": Manager(email="thomas.weber@nordwind.example", language="de")},
        webhooks={"sales": Webhook(kind="slack", secret="webhook_sales")})


def add_customer(ledger: Ledger, ext: str, name: str, manager: str | None,
                 invoices: list[tuple[str, date, str]], currency: str = "PLN") -> tuple[int, dict[str, int]]:
    """invoices: (number, due date, gross)."""
    with ledger.session() as s:
        c = Customer(external_id=ext, name=name, country="PL", language="pl", account_manager=manager)
        s.add(c)
        s.flush()
        return c.id, add_open_invoices(s, c.id, invoices, currency)


def add_payment(ledger: Ledger, amount: str, booked: date, applied: dict[int, str], currency: str = "PLN",
                status: str = "auto") -> int:
    """A bank transaction allocated to invoices (id -> amount) the way reconcile does it."""
    with ledger.session() as s:
        tx = BankTransaction(fingerprint=f"fp{next(_ids)}", account_iban="PL27114020040000300201355387",
                             statement_id="S1", booking_date=booked, amount=D(amount), currency=currency)
        s.add(tx)
        s.flush()
        for invoice_id, part in applied.items():
            add_allocation(s, tx, s.get(Invoice, invoice_id), D(part), "reference", 1.0, status, None)
        return tx.id
