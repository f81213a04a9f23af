"""Exactly-once sending through the ledger's outbox.

1. `queue` writes the message (with its Message-ID) in the caller's transaction: decided and
   queued together, or neither.
2. `deliver` claims pending rows (commit), sends each, marks it sent (commit). A crash after the
   claim leaves the row `sending`; once the claim lease has run out a later run sends it again with
   the same Message-ID, so a message interrupted mid-send arrives at most twice and the receiver
   can drop the duplicate. A crash before the claim loses nothing: the row is still pending.
3. Transient failures (4xx, lost connections) retry with exponential backoff; permanent ones
   (5xx, a refused number) and exhausted retries become `failed` with an event on the timeline.

Transports with `batched = True` (the letter print file) collect messages in `send` and write
them all in `flush` to the file at their `path`, which records the outbox keys it holds. Before
the flush each message's row notes that file (`batch_file`, committed); after it they are marked
sent. A run killed between the flush and the mark leaves messages whose file holds them: the
transport's `send` skips those, so a letter is printed once. Transports with
`parallel = N` (SMTP over N connections) have up to N sends in flight, so the server's round
trips overlap; a crash then leaves at most N messages sent but unmarked, each sent again once.
"""

from __future__ import annotations

import hashlib
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from receivables.ledger.db import Ledger
from receivables.ledger.models import OutboxMessage
from receivables.ledger.repository import enqueue_message, log_event
from receivables.ledger.types import utcnow

CLAIM_BATCH = 500


class PermanentError(Exception):
    """Sending this message will never work (address refused, message rejected)."""


class TransientError(Exception):
    """Sending may work later (server busy, connection lost)."""


@dataclass(frozen=True)
class Outgoing:
    id: int
    key: str
    channel: str
    recipient: str
    subject: str | None
    body: str
    html: str | None
    files: tuple[str, ...]
    message_id: str
    language: str | None
    customer_id: int | None
    batch_file: str | None = None  # a batched transport's file this message was last flushed into


class Transport(Protocol):
    batched: bool  # then also `path` (the batch file) and `keys` (outbox keys that flush writes there)
    parallel: int  # how many `send` calls may run at once (threads); 1 for most transports

    def send(self, message: Outgoing) -> None: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...


def message_id_for(key: str, domain: str) -> str:
    """Deterministic per outbox key: the same message always carries the same Message-ID."""
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def queue(session: Session, key: str, channel: str, recipient: str, body: str, *, domain: str,
          subject: str | None = None, html: str | None = None, files: tuple[str, ...] = (),
          language: str | None = None, customer_id: int | None = None, run_id: int | None = None,
          extra: dict[str, Any] | None = None) -> bool:
    """Queue in the caller's transaction; False if the key is queued already (a re-run)."""
    attachments = {"message_id": message_id_for(key, domain), "html": html, "files": list(files),
                   "language": language, **(extra or {})}
    return enqueue_message(session, key, channel, recipient, body, subject, customer_id, run_id, attachments)


def _outgoing(row: OutboxMessage) -> Outgoing:
    a = row.attachments or {}
    return Outgoing(row.id, row.key, row.channel, row.recipient, row.subject, row.body, a.get("html"),
                    tuple(a.get("files") or ()), a.get("message_id") or f"<outbox-{row.id}@localhost>",
                    a.get("language"), row.customer_id, a.get("batch_file"))


def _ready(row: OutboxMessage, now: datetime, lease: float) -> bool:
    a = row.attachments or {}
    if row.status == "sending":
        claimed = a.get("claimed_at")
        return claimed is None or now - datetime.fromisoformat(claimed) >= timedelta(seconds=lease)
    retry = a.get("retry_after")
    return retry is None or datetime.fromisoformat(retry) <= now


def claim(ledger: Ledger, channel: str, prefix: str, now: datetime, lease: float,
          limit: int = CLAIM_BATCH, skip: Collection[int] = ()) -> list[Outgoing]:
    """Mark up to `limit` due messages `sending` and commit, so another worker skips them;
    `skip`: ids this run handled already (a retry due at once waits for the next run)."""
    with ledger.session() as s:
        rows = s.scalars(select(OutboxMessage).where(
            OutboxMessage.channel == channel, OutboxMessage.key.startswith(prefix, autoescape=True),
            or_(OutboxMessage.status == "pending", OutboxMessage.status == "sending"))
            .order_by(OutboxMessage.id)).all()
        claimed = []
        for row in rows:
            if len(claimed) >= limit:
                break
            if row.id not in skip and _ready(row, now, lease):
                row.status, row.attempts = "sending", row.attempts + 1
                row.attachments = {**row.attachments, "claimed_at": now.isoformat()}
                claimed.append(_outgoing(row))
        return claimed


@dataclass
class Delivery:
    """Sends what the outbox holds for the given transports; counts what happened."""

    ledger: Ledger
    transports: Mapping[str, Transport]
    run_id: int | None = None
    actor: str = "reminders"
    prefix: str = ""
    max_attempts: int = 5
    backoff_seconds: float = 60
    lease_seconds: float = 600
    now: Callable[[], datetime] = utcnow
    checkpoint: Callable[[str], None] | None = None  # crash tests: called at "claimed" and "sent"

    def run(self) -> Counter:
        counts: Counter = Counter()
        for channel, transport in self.transports.items():
            try:
                self._channel(channel, transport, counts)
            finally:
                transport.close()
        return counts

    def _channel(self, channel: str, transport: Transport, counts: Counter) -> None:
        seen: set[int] = set()
        workers = 1 if transport.batched else max(1, getattr(transport, "parallel", 1))
        with ThreadPoolExecutor(workers) if workers > 1 else nullcontext() as pool:
            while batch := claim(self.ledger, channel, self.prefix, self.now(), self.lease_seconds, skip=seen):
                seen.update(m.id for m in batch)
                sent = []
                for message, error in self._send_all(transport, batch, pool, workers):
                    if isinstance(error, PermanentError):
                        self._failed(message, str(error), counts)
                        continue
                    if error is not None:
                        self._retry(message, f"{type(error).__name__}: {error}", counts)
                        continue
                    self._hook("sent")
                    if transport.batched:
                        sent.append(message)
                    else:
                        self._mark_sent([message], counts)
                if sent:
                    self._note_batch(sent, transport)
                    try:
                        transport.flush()
                    except (TransientError, OSError) as exc:
                        for message in sent:
                            self._retry(message, f"{type(exc).__name__}: {exc}", counts)
                        continue
                    self._hook("flushed")
                    self._mark_sent(sent, counts)

    def _send_all(self, transport: Transport, batch: list[Outgoing], pool: ThreadPoolExecutor | None,
                  workers: int) -> Iterator[tuple[Outgoing, Exception | None]]:
        """Each message with the error sending it raised (None: sent), in claim order. With a pool,
        up to its workers' number of sends are in flight while the results are recorded on the
        caller's thread, so a crash can leave at most that many messages sent but not marked."""
        def send(message: Outgoing) -> Exception | None:
            try:
                transport.send(message)
            except (PermanentError, TransientError, OSError) as exc:
                return exc
            return None

        in_flight: deque[tuple[Outgoing, Future]] = deque()
        for message in batch:
            self._hook("claimed")
            if pool is None:
                yield message, send(message)
                continue
            in_flight.append((message, pool.submit(send, message)))
            if len(in_flight) >= workers:  # no more sent-but-unmarked messages than workers
                done, future = in_flight.popleft()
                yield done, future.result()
        while in_flight:
            done, future = in_flight.popleft()
            yield done, future.result()

    def _hook(self, stage: str) -> None:
        if self.checkpoint:
            self.checkpoint(stage)

    def _note_batch(self, messages: list[Outgoing], transport: Transport) -> None:
        """Commit which file the flush will write each new message into (see the module doc)."""
        keys = set(transport.keys)  # type: ignore[attr-defined]
        with self.ledger.session() as s:
            for m in messages:
                if m.key in keys:
                    row = s.get(OutboxMessage, m.id)
                    row.attachments = {**row.attachments, "batch_file": str(transport.path)}  # type: ignore[attr-defined]

    def _mark_sent(self, messages: list[Outgoing], counts: Counter) -> None:
        with self.ledger.session() as s:
            for m in messages:
                row = s.get(OutboxMessage, m.id)
                row.status, row.sent_at, row.last_error = "sent", self.now(), None
                log_event(s, "message_sent", self.actor, self.run_id, m.customer_id, channel=m.channel,
                          key=m.key, message_id=m.message_id, recipient_kind=m.channel)
                counts[f"sent_{m.channel}"] += 1

    def _failed(self, m: Outgoing, error: str, counts: Counter) -> None:
        with self.ledger.session() as s:
            self._fail_row(s, m, error, counts)

    def _fail_row(self, s: Session, m: Outgoing, error: str, counts: Counter) -> None:
        row = s.get(OutboxMessage, m.id)
        row.status, row.last_error = "failed", error[:4000]
        log_event(s, "message_failed", self.actor, self.run_id, m.customer_id, channel=m.channel, key=m.key,
                  message_id=m.message_id, error=error[:500], attempts=row.attempts, needs_analyst=True)
        counts[f"failed_{m.channel}"] += 1

    def _retry(self, m: Outgoing, error: str, counts: Counter) -> None:
        with self.ledger.session() as s:
            row = s.get(OutboxMessage, m.id)
            if row.attempts >= self.max_attempts:
                self._fail_row(s, m, f"gave up after {row.attempts} attempts: {error}", counts)
                return
            delay = self.backoff_seconds * 2 ** (row.attempts - 1)
            row.status, row.last_error = "pending", error[:4000]
            row.attachments = {**row.attachments, "retry_after": (self.now() + timedelta(seconds=delay)).isoformat()}
        counts[f"retry_{m.channel}"] += 1
