"""The reminders policy's "vms" channel: a step can leave a voice message (say three days after the due
date) through the same outbox as e-mail and SMS. The robot queues the message with the debtor's
call-list entry in the outbox row; `VmsTransport` places one VMS call through the configured
telephony adapter and records the call's result on the row and the timeline.

Answered, or an answering machine: sent. No answer, busy, a failed call: retried later by the
outbox's backoff. A number that does not exist: failed for good.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from receivables.channels.outbox import Outgoing, PermanentError, TransientError
from receivables.ledger.db import Ledger
from receivables.ledger.models import OutboxMessage, Promise
from receivables.ledger.repository import insert_ignoring_duplicates, log_event
from receivables.ledger.types import utcnow
from receivables.scoring.handover import CallListEntry, CallListInvoice
from voicebot.calls import DialRequest, Telephony
from voicebot.vms import VmsSession

RETRY_RESULTS = {"no_answer", "busy", "failed"}


def vms_extra(message: Any, interest: Any, timezone: str) -> dict[str, Any]:
    """What the transport needs, stored with the queued message: the debtor as a call-list entry
    (invoices with interest as of the day the reminder was decided)."""
    c = message.customer
    invoices, totals = [], {}
    for item in message.invoices:
        inv, charges = item.invoice, interest.charges(c, item)
        extra = (charges.interest or Decimal("0")) + (charges.compensation or Decimal("0"))
        totals[inv.currency] = totals.get(inv.currency, Decimal("0.00")) + inv.open_amount + extra
        invoices.append(CallListInvoice(number=inv.number, issue_date=inv.issue_date, due_date=inv.due_date,
                                        open_amount=inv.open_amount, interest=extra, currency=inv.currency))
    entry = CallListEntry(customer=c.external_id, customer_id=c.id, name=c.name, language=c.language,
                          country=c.country.upper(), time_zone=timezone, phones=[message.recipient], priority=1,
                          score=Decimal("0"), segment=c.segment, totals=totals, invoices=invoices,
                          reasons=[f"reminder step {message.step.name}"])
    return {"vms": {"entry": entry.model_dump(mode="json"), "step": message.step.name}}


class VmsTransport:
    batched = False

    def __init__(self, ledger: Ledger, telephony: Telephony | Callable[[], Telephony], company: str,
                 callback_phone: str, caller_ids: Callable[[str], list[str]] | None = None, today: date | None = None, pay_by_days: int = 7,
                 run_id: int | None = None, actor: str = "reminders") -> None:
        """`telephony` may be a factory: the adapter (and its vault secret) is then only set up once a
        voice message is actually due."""
        self.ledger, self.company, self.callback_phone = ledger, company, callback_phone
        self._telephony = telephony
        self.caller_ids, self.today, self.pay_by_days = caller_ids, today, pay_by_days
        self.run_id, self.actor = run_id, actor

    def send(self, message: Outgoing) -> None:
        with self.ledger.session() as s:
            row = s.get(OutboxMessage, message.id)
            payload = (row.attachments or {}).get("vms") if row else None
        if not payload:
            raise PermanentError(f"outbox message {message.key} has no voice-message data (queued without vms_extra)")
        entry = CallListEntry.model_validate(payload["entry"])
        today = self.today or date.today()
        session = VmsSession(entry, self.company, self.callback_phone, today, pay_by_days=self.pay_by_days)
        pool = self.caller_ids(entry.country) if self.caller_ids else []
        request = DialRequest(entry, message.recipient, pool[0] if pool else None, 1)
        result = asyncio.run(self.telephony.call(request, session))
        details = session.outcome.details
        record = {"result": result.result, "duration_ms": result.duration_ms, **details,
                  "outcome": session.outcome.kind if result.result == "answered" else None,
                  "promise_date": session.outcome.promise_date.isoformat() if session.outcome.promise_date else None}
        with self.ledger.session() as s:
            row = s.get(OutboxMessage, message.id)
            tries = list((row.attachments or {}).get("vms_results", []))
            row.attachments = {**row.attachments, "vms_results": [*tries, record]}
            log_event(s, "vms_call", self.actor, self.run_id, message.customer_id, key=message.key, **record,
                      needs_analyst=record["outcome"] == "transfer")
            if record["outcome"] == "promise" and session.outcome.promise_date and message.customer_id:
                _record_promise(s, message, entry, session.outcome.promise_date, self.run_id)
        if result.result == "wrong_number":
            raise PermanentError(f"voice message to {message.key}: the number does not exist")
        if result.result in RETRY_RESULTS:
            raise TransientError(f"voice message not delivered: {result.result}")

    @property
    def telephony(self) -> Telephony:
        if not hasattr(self._telephony, "call"):
            self._telephony = self._telephony()  # type: ignore[operator]
        return self._telephony  # type: ignore[return-value]

    def flush(self) -> None:
        pass

    def close(self) -> None:
        close = getattr(self._telephony, "close", None) if hasattr(self._telephony, "call") else None
        if callable(close):
            close()


def vms_transport(settings: Any, ledger: Ledger, run_id: int | None) -> tuple[VmsTransport | None, str | None]:
    """The "vms" transport for the telephony settings.yaml `voice.telephony` names, or why there is none."""
    from voicebot.settings import load_voice_config, voice_settings

    voice = voice_settings(settings)
    if voice.telephony == "console":
        return None, "vms: the console telephony cannot deliver reminders; voice messages stay queued"
    company = settings.company
    pools = load_voice_config(voice.config).caller_pool

    def make() -> Telephony:
        if voice.telephony == "twilio":
            from voicebot.telephony.twilio import TwilioTelephony
            from voicebot.telephony.twilio_settings import TwilioSettings
            from voicebot.vms import voicemail_turn

            return TwilioTelephony.from_vault(
                getattr(voice, "twilio", None) or TwilioSettings(), pools("default")[0],
                voicemail=lambda r: voicemail_turn(r.entry.language, company.name, company.phone))
        from voicebot.clock import RealClock
        from voicebot.telephony.simulated import SimulatedTelephony

        return SimulatedTelephony(RealClock(), seed=voice.persona_seed)

    return VmsTransport(ledger, make, company.name, company.phone, pools, run_id=run_id), None


def _record_promise(s: Any, message: Outgoing, entry: CallListEntry, day: date, run_id: int | None) -> None:
    """Key 3 ("I will pay within N days") is a promise like a spoken one: reminders pause until it is due.
    One per voice message (its outbox key), for everything the message named."""
    currency, amount = next(iter(entry.totals.items())) if len(entry.totals) == 1 else (None, None)
    insert_ignoring_duplicates(s, Promise.__table__, [{
        "source_key": f"vms:{message.key}"[:128], "customer_id": message.customer_id, "invoice_id": None,
        "promised_date": day, "amount": amount, "currency": currency, "channel": "vms",
        "source_text": "keypad 3", "status": "pending", "created_at": utcnow(), "created_run_id": run_id}])
