"""The campaign's state in the ledger: attempts reserved before dialing, results written in batches.

No double calls: an attempt row (status `dialing`) is committed before its number is dialed, for a
whole batch of calls in one transaction. Results are written later, many calls per transaction; a
crash in between leaves rows `dialing`, which a resumed campaign counts as made and, because their
outcome is unknown, as a reason not to call that debtor again in this campaign.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from receivables.channels.outbox import message_id_for
from receivables.ledger.db import Ledger
from receivables.ledger.models import (
    CallAttempt, CallCampaign, Contact, Customer, Dispute, Event, Invoice, OptOut, OutboxMessage, Promise,
)
from receivables.ledger.repository import insert_ignoring_duplicates

ACTOR = "voice-calls"


def digits_of(phone: str) -> str:
    return re.sub(r"\D", "", phone)


@dataclass
class History:
    """One debtor's attempts as the ledger knows them when the campaign (re)starts."""

    times: list[datetime] = field(default_factory=list)  # this campaign's
    all_times: list[datetime] = field(default_factory=list)  # every campaign's, within the cap window
    attempts: int = 0
    reached: bool = False
    unknown: bool = False  # an attempt left `dialing` by a crash (or already marked `lost`)
    dialing_ids: list[int] = field(default_factory=list)
    dead_phones: set[str] = field(default_factory=set)
    callback_at: datetime | None = None  # the latest answered attempt ended with "call me back then"
    _latest_answered: int = 0


@dataclass
class Customers:
    """What the ledger adds to the call list: e-mails, opt-outs, invalid phones, invoice ids."""

    emails: dict[int, list[str]] = field(default_factory=dict)
    opt_outs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    invalid_phones: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    invoice_ids: dict[tuple[int, str], int] = field(default_factory=dict)
    known: set[int] = field(default_factory=set)


@dataclass
class Reservation:
    customer_id: int
    attempt_no: int
    phone: str
    caller_id: str | None
    started_at: datetime


@dataclass
class Writes:
    """Rows of finished calls waiting for the next grouped commit."""

    attempts: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    promises: list[dict[str, Any]] = field(default_factory=list)
    disputes: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    promised_invoices: set[int] = field(default_factory=set)
    disputed_invoices: set[int] = field(default_factory=set)
    invalid_phones: list[tuple[int, str, str]] = field(default_factory=list)  # customer, digits, reason
    calls: int = 0

    def __len__(self) -> int:
        return self.calls


class CampaignStore:
    def __init__(self, ledger: Ledger, run_id: int | None) -> None:
        self.ledger, self.run_id = ledger, run_id

    def open_campaign(self, key: str, kind: str, now: datetime) -> tuple[int, datetime, str]:
        """The campaign's row (created by the first worker); returns id, start time and status."""
        with self.ledger.session() as s:
            insert_ignoring_duplicates(s, CallCampaign.__table__, [{
                "key": key, "kind": kind, "status": "running", "summary": {}, "created_at": now,
                "created_run_id": self.run_id}])
            row = s.execute(select(CallCampaign.id, CallCampaign.created_at, CallCampaign.status)
                            .where(CallCampaign.key == key)).one()
            if row.status == "stopped":  # resumed
                s.execute(update(CallCampaign).where(CallCampaign.id == row.id).values(status="running"))
            return row.id, row.created_at, row.status

    def customers(self, customer_ids: Iterable[int]) -> Customers:
        ids = sorted(set(customer_ids))
        out = Customers()
        with self.ledger.session() as s:
            for chunk in _chunks(ids):
                out.known.update(s.scalars(select(Customer.id).where(Customer.id.in_(chunk))))
                for c in s.execute(select(Contact.customer_id, Contact.kind, Contact.value, Contact.valid)
                                   .where(Contact.customer_id.in_(chunk))):
                    if c.kind == "email" and c.valid:
                        out.emails.setdefault(c.customer_id, []).append(c.value)
                    elif c.kind == "phone" and not c.valid:
                        out.invalid_phones[c.customer_id].add(digits_of(c.value))
                for o in s.execute(select(OptOut.customer_id, OptOut.channel).where(OptOut.customer_id.in_(chunk))):
                    out.opt_outs[o.customer_id].add(o.channel)
                for i in s.execute(select(Invoice.id, Invoice.customer_id, Invoice.number)
                                   .where(Invoice.customer_id.in_(chunk))):
                    out.invoice_ids[(i.customer_id, i.number)] = i.id
        return out

    def history(self, campaign_id: int, customer_ids: Iterable[int], since: datetime) -> dict[int, History]:
        ids = sorted(set(customer_ids))
        out: dict[int, History] = defaultdict(History)
        with self.ledger.session() as s:
            for chunk in _chunks(ids):
                rows = s.execute(select(CallAttempt.id, CallAttempt.campaign_id, CallAttempt.customer_id, CallAttempt.attempt_no,
                                        CallAttempt.started_at, CallAttempt.status, CallAttempt.result,
                                        CallAttempt.phone, CallAttempt.outcome, CallAttempt.callback_at)
                                 .where(CallAttempt.customer_id.in_(chunk),
                                        (CallAttempt.campaign_id == campaign_id) | (CallAttempt.started_at >= since)))
                for r in rows:
                    h = out[r.customer_id]
                    h.all_times.append(r.started_at)
                    if r.campaign_id != campaign_id:
                        continue
                    h.times.append(r.started_at)
                    h.attempts = max(h.attempts, r.attempt_no)
                    h.reached |= r.result == "answered"
                    if r.result == "answered" and r.attempt_no > h._latest_answered:
                        h._latest_answered = r.attempt_no
                        h.callback_at = r.callback_at if r.outcome == "callback" else None
                    h.unknown |= r.status in ("dialing", "lost")
                    if r.status == "dialing":
                        h.dialing_ids.append(r.id)
                    if r.result == "wrong_number":
                        h.dead_phones.add(digits_of(r.phone))
        return out

    def mark_lost(self, lost: dict[int, list[int]], campaign: str, now: datetime) -> None:
        """Attempts a crash left `dialing`: their result is unknown; an analyst is told once."""
        if not lost:
            return
        with self.ledger.session() as s:
            ids = [i for rows in lost.values() for i in rows]
            for chunk in _chunks(ids):
                s.execute(update(CallAttempt).where(CallAttempt.id.in_(chunk), CallAttempt.status == "dialing")
                          .values(status="lost"))
            s.execute(Event.__table__.insert(), [
                event("call_result_unknown", cid, now, self.run_id, campaign=campaign, attempts=rows, needs_analyst=True)
                for cid, rows in lost.items()])

    def reserve(self, campaign_id: int, reservations: list[Reservation]) -> dict[int, int]:
        """Commit attempt rows before dialing; customer id -> attempt row id for the rows that were new."""
        if not reservations:
            return {}
        rows = [{"campaign_id": campaign_id, "customer_id": r.customer_id, "phone": r.phone[:32],
                 "attempt_no": r.attempt_no, "caller_id": r.caller_id, "status": "dialing",
                 "started_at": r.started_at, "transcript": {}, "created_run_id": self.run_id}
                for r in reservations]
        table = CallAttempt.__table__
        with self.ledger.session() as s:
            dialect = s.get_bind().dialect.name
            if dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            stmt = insert(table).on_conflict_do_nothing().returning(table.c.id, table.c.customer_id,
                                                                     sort_by_parameter_order=True)
            result = s.execute(stmt, rows)
            return {row.customer_id: row.id for row in result}

    def write(self, writes: Writes) -> None:
        """One transaction for a batch of finished calls: attempts, events, promises, disputes, outbox."""
        if not writes.calls and not writes.outbox and not writes.events:
            return
        with self.ledger.session() as s:
            self._write(s, writes)

    def _write(self, s: Session, w: Writes) -> None:
        table = CallAttempt.__table__
        if w.attempts:
            s.execute(update(table).where(table.c.id == bindparam("_id")).values(
                status="done", result=bindparam("result"), duration_ms=bindparam("duration_ms"),
                outcome=bindparam("outcome"), promise_date=bindparam("promise_date"),
                promised_amount=bindparam("promised_amount"), callback_at=bindparam("callback_at"),
                transcript=bindparam("transcript")).execution_options(synchronize_session=False), w.attempts)
        if w.events:
            s.execute(Event.__table__.insert(), w.events)
        if w.promises:
            insert_ignoring_duplicates(s, Promise.__table__, w.promises)
        if w.disputes:
            s.execute(Dispute.__table__.insert(), w.disputes)
        if w.outbox:
            insert_ignoring_duplicates(s, OutboxMessage.__table__, w.outbox)
        for flag, ids in (("promised", w.promised_invoices), ("disputed", w.disputed_invoices)):
            for chunk in _chunks(sorted(ids)):
                s.execute(update(Invoice).where(Invoice.id.in_(chunk)).values({flag: True}))
        for customer_id, digits, reason in w.invalid_phones:
            for c in s.scalars(select(Contact).where(Contact.customer_id == customer_id, Contact.kind == "phone")):
                if digits_of(c.value) == digits and c.valid:
                    c.valid, c.invalid_reason = False, reason

    def finish_part(self, campaign_id: int, key: str, part: int, parts: int, now: datetime,
                    writes: Writes | None = None) -> bool:
        """Record that this part is done; True for the worker that finished the campaign's last part."""
        with self.ledger.session() as s:
            if writes is not None:  # not `if writes`: its length counts calls, and it may hold only SMS
                self._write(s, writes)
            s.execute(Event.__table__.insert(), [event("voice_part_finished", None, now, self.run_id,
                                                       campaign=key, part=part, parts=parts)])
            s.flush()
            done = {e.get("part") for e in s.scalars(select(Event.details).where(
                Event.kind == "voice_part_finished")) if e.get("campaign") == key}
            if len(done) < parts:
                return False
            row = s.get(CallCampaign, campaign_id, with_for_update=True)
            if row.status == "finished":
                return False
            row.status, row.finished_at = "finished", now
            return True

    def stopped(self, campaign_id: int) -> None:
        with self.ledger.session() as s:
            s.execute(update(CallCampaign).where(CallCampaign.id == campaign_id, CallCampaign.status == "running")
                      .values(status="stopped"))

    def save_summary(self, campaign_id: int, summary: dict[str, Any]) -> None:
        with self.ledger.session() as s:
            s.execute(update(CallCampaign).where(CallCampaign.id == campaign_id).values(summary=summary))

    def attempts(self, campaign_id: int) -> list[Any]:
        with self.ledger.session() as s:
            return list(s.execute(select(
                CallAttempt.customer_id, CallAttempt.phone, CallAttempt.attempt_no, CallAttempt.result,
                CallAttempt.started_at, CallAttempt.duration_ms, CallAttempt.outcome, CallAttempt.promise_date,
                CallAttempt.promised_amount, CallAttempt.status)
                .where(CallAttempt.campaign_id == campaign_id).order_by(CallAttempt.started_at, CallAttempt.id)))


def event(kind: str, customer_id: int | None, at: datetime, run_id: int | None, invoice_id: int | None = None,
          channel: str | None = "call", **details: Any) -> dict[str, Any]:
    return {"at": at, "kind": kind, "actor": ACTOR, "channel": channel, "customer_id": customer_id,
            "invoice_id": invoice_id, "details": jsonable(details), "run_id": run_id}


def outbox_row(key: str, channel: str, recipient: str, body: str, subject: str | None, customer_id: int | None,
               run_id: int | None, language: str | None, domain: str) -> dict[str, Any]:
    """The row `channels.outbox.queue` writes, built for a grouped insert."""
    return {"key": key[:191], "channel": channel, "recipient": recipient, "subject": subject, "body": body,
            "attachments": {"message_id": message_id_for(key, domain), "html": None, "files": [],
                            "language": language},
            "status": "pending", "attempts": 0, "customer_id": customer_id, "created_run_id": run_id}


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal | date | datetime):
        return value.isoformat() if isinstance(value, date | datetime) else str(value)
    return value


def _chunks(items: list[Any], size: int = 500) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def cap_since(now: datetime, cap_days: int) -> datetime:
    return now - timedelta(days=cap_days)
