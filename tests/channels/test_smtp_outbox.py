"""The outbox sender against a real SMTP server on loopback: retries with backoff, permanent failures."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from receivables.channels.email_smtp import SmtpTransport
from receivables.channels.outbox import Delivery, queue
from receivables.dunning.settings import SmtpSettings
from receivables.ledger import Ledger, open_ledger
from receivables.ledger.models import Event, OutboxMessage
from receivables.ledger.types import utcnow


class Refusing:
    """4xx for the first `busy` messages, 550 for addresses starting with "nobody"."""

    def __init__(self, busy: int) -> None:
        self.busy, self.accepted = busy, []

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address.startswith("nobody"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 try again later"
        self.accepted.append(envelope.content)
        return "250 OK"


@pytest.fixture
def refusing(tmp_path) -> Iterator[tuple[Refusing, int, Ledger]]:
    """An SMTP server on loopback that is busy once, and an empty ledger."""
    handler = Refusing(busy=1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ledger = open_ledger(f"sqlite:///{tmp_path / 'l.sqlite'}")
    try:
        yield handler, port, ledger
    finally:
        ledger.dispose()
        controller.stop()


def test_transient_errors_retry_with_backoff_and_permanent_ones_are_recorded(refusing):
    handler, port, ledger = refusing
    with ledger.session() as s:
        queue(s, "reminder:a", "email", "a@example.pl", "hello", domain="x.example", subject="S")
        queue(s, "reminder:b", "email", "nobody@example.pl", "hello", domain="x.example", subject="S")
    cfg = SmtpSettings(host="127.0.0.1", port=port, security="plain", secret=None)
    clock = [utcnow()]
    deliver = lambda: Delivery(ledger, {"email": SmtpTransport(cfg)}, prefix="reminder:", backoff_seconds=60,
                               lease_seconds=0, now=lambda: clock[0]).run()
    first = deliver()
    assert first["retry_email"] == 1 and first["failed_email"] == 1
    assert deliver() == {}  # backoff: not yet
    clock[0] += timedelta(seconds=61)
    assert deliver()["sent_email"] == 1 and len(handler.accepted) == 1
    with ledger.session() as s:
        rows = {r.key: r for r in s.scalars(select(OutboxMessage))}
        assert rows["reminder:a"].status == "sent" and rows["reminder:a"].attempts == 2
        assert rows["reminder:b"].status == "failed" and "550" in rows["reminder:b"].last_error
        failed = s.scalar(select(Event).where(Event.kind == "message_failed"))
        assert failed.details["needs_analyst"] is True


def test_a_retry_due_at_once_waits_for_the_next_run_and_is_not_left_claimed(refusing):
    handler, port, ledger = refusing
    with ledger.session() as s:
        queue(s, "reminder:a", "email", "a@example.pl", "hello", domain="x.example", subject="S")
    cfg = SmtpSettings(host="127.0.0.1", port=port, security="plain", secret=None)
    deliver = lambda: Delivery(ledger, {"email": SmtpTransport(cfg)}, prefix="reminder:", backoff_seconds=0,
                               lease_seconds=600).run()
    assert deliver() == {"retry_email": 1}
    with ledger.session() as s:
        assert s.scalar(select(OutboxMessage.status)) == "pending"  # not `sending` until a lease runs out
    assert deliver() == {"sent_email": 1} and len(handler.accepted) == 1
