"""The webhook transport against a real HTTP receiver on loopback: payload shapes, transient vs permanent errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from receivables.channels.outbox import Delivery, queue
from receivables.ledger import open_ledger
from receivables.ledger.models import OutboxMessage
from receivables.ledger.types import utcnow
from receivables.notifications.chat import WebhookTransport
from receivables.notifications.rules import Webhook
from receivables.secrets import SecretMissing


@pytest.fixture
def outbox(tmp_path):
    ledger = open_ledger(f"sqlite:///{tmp_path / 'l.sqlite'}")
    yield ledger
    ledger.dispose()


def _deliver(ledger, hooks, now, secret):
    return Delivery(ledger, {"chat": WebhookTransport(hooks, timeout=5, secret=secret)}, prefix="notify:",
                    backoff_seconds=60, lease_seconds=0, max_attempts=3, now=lambda: now[0]).run()


def test_slack_and_teams_payloads(outbox, receiver):
    hooks = {"s": Webhook(kind="slack", secret="a"), "t": Webhook(kind="teams", secret="b")}
    with outbox.session() as s:
        queue(s, "notify:x:s", "chat", "s", "line one\nline two", domain="n.example", subject="Wpłata: 1 zł")
        queue(s, "notify:x:t", "chat", "t", "line one\nline two", domain="n.example", subject="Wpłata: 1 zł")
    counts = _deliver(outbox, hooks, [utcnow()], lambda name, keys: {"url": receiver.url})
    assert counts["sent_chat"] == 2
    slack, teams = receiver.bodies()
    assert slack["text"] == "*Wpłata: 1 zł*\nline one\nline two"
    card = teams["attachments"][0]
    assert teams["type"] == "message" and card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert [b["text"] for b in card["content"]["body"]] == ["Wpłata: 1 zł", "line one", "line two"]
    assert len({r["key"] for r in receiver.requests}) == 2  # one Idempotency-Key per message


def test_5xx_and_429_retry_later_4xx_fails_for_good(outbox, receiver):
    hooks = {"s": Webhook(kind="slack", secret="a")}
    with outbox.session() as s:
        for n in range(3):
            queue(s, f"notify:{n}", "chat", "s", f"m{n}", domain="n.example")
    receiver.replies = [503, 429, 400]  # m0, m1, m2 in outbox order
    now = [utcnow()]
    first = _deliver(outbox, hooks, now, lambda name, keys: {"url": receiver.url})
    assert first == {"retry_chat": 2, "failed_chat": 1}
    assert _deliver(outbox, hooks, now, lambda name, keys: {"url": receiver.url}) == {}  # backoff
    now[0] += timedelta(seconds=61)
    assert _deliver(outbox, hooks, now, lambda name, keys: {"url": receiver.url}) == {"sent_chat": 2}
    assert sorted(b["text"] for b in receiver.bodies()) == ["m0", "m1"]
    with outbox.session() as s:
        failed = s.scalars(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.key == "notify:2" and "HTTP 400" in failed.last_error


def test_a_missing_secret_keeps_the_message_for_later_and_a_refused_port_is_transient(outbox, receiver):
    hooks = {"s": Webhook(kind="slack", secret="a")}
    with outbox.session() as s:
        queue(s, "notify:1", "chat", "s", "m", domain="n.example")

    def missing(name, keys):
        raise SecretMissing(f"secret {name!r} lacks url")

    now = [utcnow()]
    assert _deliver(outbox, hooks, now, missing) == {"retry_chat": 1}
    now[0] += timedelta(seconds=61)
    host, port = receiver.server.server_address[:2]
    receiver.server.shutdown()
    receiver.server.server_close()
    assert _deliver(outbox, hooks, now, lambda n, k: {"url": f"http://{host}:{port}/x"}) == {"retry_chat": 1}
    with outbox.session() as s:
        row = s.scalars(select(OutboxMessage)).one()
    assert row.status == "pending" and row.attempts == 2 and str(port) not in (row.last_error or "")
