"""After the call: what an outcome writes to the ledger and which confirmation goes to the debtor.

Promises (one per instalment), disputes (and the invoices' disputed flag, which pauses reminders),
callbacks, transfers and already-paid claims (flagged for the reconcile robot and an analyst)
become rows; the confirmation SMS/e-mail is queued in the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from receivables.scoring.handover import CallListEntry

from voicebot.calls import CallResult, DialRequest
from voicebot.flow import load_flow
from voicebot.render import TextStyle
from voicebot.settings import VoiceConfig
from voicebot.store import Customers, Writes, digits_of, event, jsonable, outbox_row

CONFIRMED = {"promise": "promise", "instalments": "instalments", "callback": "callback", "dispute": "dispute"}


@dataclass(frozen=True)
class Sender:
    """What the confirmations need to know about the creditor and the outbox."""

    company: str
    phone: str
    accounts: dict[str, str]
    domain: str
    run_id: int | None


def record_call(w: Writes, campaign: str, attempt_id: int, request: DialRequest, result: CallResult,
                customers: Customers, config: VoiceConfig, sender: Sender) -> None:
    entry, run_id = request.entry, sender.run_id
    cid = entry.customer_id
    o = result.outcome
    kind = o.kind if o else None
    w.calls += 1
    w.attempts.append({
        "_id": attempt_id, "result": result.result, "duration_ms": result.duration_ms, "outcome": kind,
        "promise_date": o.promise_date if o and kind in ("promise", "instalments") else None,
        "promised_amount": o.promised_amount if o and kind in ("promise", "instalments") else None,
        "callback_at": o.callback_at if o else None,
        "transcript": {"turns": o.transcript, "note": o.note, "details": jsonable(o.details)} if o else {}})
    at = result.started_at
    invoices = [customers.invoice_ids.get((cid, i.number)) for i in entry.invoices]
    first_invoice = next((i for i in invoices if i), None)
    w.events.append(event("call_attempt", cid, at, run_id, first_invoice, campaign=campaign,
                          attempt=request.attempt_no, result=result.result, outcome=kind,
                          duration_ms=result.duration_ms, caller_id=request.caller_id,
                          identity_confirmed=o.identity_confirmed if o else False,
                          transcript=o.transcript if o else [], details=o.details if o else {}))
    if result.result == "wrong_number":
        w.invalid_phones.append((cid, digits_of(request.phone), "dead_number"))
        w.events.append(event("contact_invalid", cid, at, run_id, reason="dead_number", attempt=request.attempt_no))
    if o is None:
        return
    key = f"call:{campaign}:{cid}:{request.attempt_no}"
    currency = entry.invoices[0].currency if len(entry.totals) <= 1 else max(entry.totals, key=entry.totals.get)
    if kind == "promise" and o.promise_date:
        w.promises.append(_promise(f"{key}:1", cid, first_invoice if len(entry.invoices) == 1 else None,
                                   o.promise_date, o.promised_amount, currency, o.note, run_id))
        w.promised_invoices.update(i for i in invoices if i)
        w.events.append(event("promise_recorded", cid, at, run_id, first_invoice, promised_date=o.promise_date,
                              amount=o.promised_amount, currency=currency, campaign=campaign))
    elif kind == "instalments":
        for n, (day, amount) in enumerate(o.instalments, 1):
            w.promises.append(_promise(f"{key}:{n}", cid, None, day, amount, currency,
                                       f"instalment {n}/{len(o.instalments)}: {o.note or ''}", run_id))
        w.promised_invoices.update(i for i in invoices if i)
        w.events.append(event("instalments_agreed", cid, at, run_id, first_invoice, campaign=campaign,
                              parts=[{"date": d, "amount": a} for d, a in o.instalments], currency=currency))
    elif kind == "dispute":
        for invoice_id in [i for i in invoices if i] or [None]:
            w.disputes.append({"customer_id": cid, "invoice_id": invoice_id, "reason": o.note, "source": "call",
                               "status": "open", "opened_at": at, "created_run_id": run_id})
        w.disputed_invoices.update(i for i in invoices if i)
        w.events.append(event("dispute_opened", cid, at, run_id, first_invoice, reason=o.note, campaign=campaign))
    elif kind == "callback":
        w.events.append(event("callback_scheduled", cid, at, run_id, first_invoice, callback_at=o.callback_at,
                              said=o.note, campaign=campaign))
    elif kind == "transfer":
        w.events.append(event("call_transferred", cid, at, run_id, first_invoice, campaign=campaign,
                              needs_analyst=True, note=o.note))
    elif kind == "already_paid":
        w.events.append(event("payment_claimed", cid, at, run_id, first_invoice, campaign=campaign, said=o.note,
                              amount=o.promised_amount, paid_on=o.details.get("paid_on"), needs_reconcile=True, needs_analyst=True,
                              invoices=[i.number for i in entry.invoices]))
    elif kind == "wrong_person":
        w.invalid_phones.append((cid, digits_of(request.phone), "wrong_number"))
        w.events.append(event("contact_invalid", cid, at, run_id, reason="wrong_number", said=o.note))
    elif kind == "refusal":
        w.events.append(event("payment_refused", cid, at, run_id, first_invoice, said=o.note, campaign=campaign,
                              needs_analyst=True))
    if kind in CONFIRMED:
        confirm(w, key, CONFIRMED[kind], entry, request.phone, customers, config, sender, o.promise_date,
                o.promised_amount, o.instalments, o.callback_at, currency)


def confirm(w: Writes, key: str, kind: str, entry: CallListEntry, phone: str, customers: Customers,
            config: VoiceConfig, sender: Sender, day: Any, amount: Decimal | None,
            parts: list[tuple[Any, Decimal]], callback_at: datetime | None, currency: str) -> None:
    flow, style = load_flow(entry.language), TextStyle(entry.language)
    cid, blocked = entry.customer_id, customers.opt_outs.get(entry.customer_id, set())
    shown_day = callback_at.date() if callback_at else day
    values = {"company": sender.company, "phone": sender.phone,
              "account": style.digits(sender.accounts.get(currency, "")),
              "numbers": ", ".join(i.number for i in entry.invoices),
              "amount": style.money(amount, currency) if amount is not None else "",
              "date": style.date(shown_day) if shown_day else "",
              "parts": [{"date": style.date(d), "amount": style.money(a, currency)} for d, a in parts]}
    templates = flow.messages[kind]
    if "sms" in config.confirmations.channels and "sms" not in blocked:
        w.outbox.append(outbox_row(f"voice:{key}:sms", "sms", phone, templates["sms"].render(**values).strip(), None,
                                   cid, sender.run_id, entry.language, sender.domain))
    emails = customers.emails.get(cid, [])
    if "email" in config.confirmations.channels and "email" not in blocked and emails:
        w.outbox.append(outbox_row(f"voice:{key}:email", "email", emails[0], templates["email"].render(**values).strip(),
                                   templates["subject"].render(**values).strip(), cid, sender.run_id,
                                   entry.language, sender.domain))


def not_reached(w: Writes, campaign: str, entry: CallListEntry, phone: str, customers: Customers,
                sender: Sender, at: datetime) -> bool:
    """The SMS to a debtor the campaign could not reach after its last attempt."""
    if "sms" in customers.opt_outs.get(entry.customer_id, set()):
        return False
    style = TextStyle(entry.language)
    total = ", ".join(style.money(v, c) for c, v in entry.totals.items())
    body = load_flow(entry.language).messages["not_reached"]["sms"].render(
        company=sender.company, phone=sender.phone, total=total).strip()
    w.outbox.append(outbox_row(f"voice:call:{campaign}:{entry.customer_id}:not-reached:sms", "sms", phone, body,
                               None, entry.customer_id, sender.run_id, entry.language, sender.domain))
    w.events.append(event("not_reached", entry.customer_id, at, sender.run_id, campaign=campaign, sms=True))
    return True


def _promise(key: str, customer_id: int, invoice_id: int | None, day: Any, amount: Decimal | None, currency: str,
             text: str | None, run_id: int | None) -> dict[str, Any]:
    return {"source_key": key[:128], "customer_id": customer_id, "invoice_id": invoice_id, "promised_date": day,
            "amount": amount, "currency": currency if amount is not None else None, "channel": "call",
            "source_text": (text or "")[:2000], "status": "pending", "created_run_id": run_id}
