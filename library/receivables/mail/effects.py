"""What a classified message changes in the ledger, recorded in the same transaction as the message.

The mail_messages row (unique per mailbox, UIDVALIDITY and UID) and every effect are written
together, before the message is moved: a message is recorded once or not at all, and a crash
before the move only leaves a move to finish on the next run.

Effects: every message is an event on the customer's timeline; a promise becomes a promise row;
a dispute opens a dispute and flags the invoice (dunning skips disputed invoices); a bounce marks
the address invalid; a GDPR erasure or objection records a `marketing` opt-out and an event for
the analyst; an invoice-copy request queues the copy in the outbox.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from receivables.config import PROJECT_ROOT
from receivables.ledger.models import Contact, Dispute, Invoice, MailMessage, OptOut, Promise
from receivables.ledger.repository import enqueue_message, insert_ignoring_duplicates, log_event
from receivables.mail.identify import Identified, identify
from receivables.mail.mail_rules import MailRules
from receivables.mail.triage import Triage, folder_for, review_reasons

ACTOR = "mail-classifier"
TEMPLATES = PROJECT_ROOT / "templates"
TEXT_LIMIT = 2000


@dataclass(frozen=True)
class Mailbox:
    """Where the messages of a batch live: their UIDs mean something only under this UIDVALIDITY."""

    name: str
    uidvalidity: int
    company: str  # signs the replies the robot queues


def _key(box: Mailbox, uid: int) -> str:
    return f"mail:{box.name}:{box.uidvalidity}:{uid}"


def record_batch(session: Session, box: Mailbox, items: dict[int, Triage], rules: MailRules,
                 run_id: int | None) -> tuple[dict[int, str], Counter]:
    """Record new messages (UID -> triage) with their effects; returns UID -> folder to move to."""
    counts: Counter = Counter()
    done = set(session.scalars(select(MailMessage.uid).where(
        MailMessage.mailbox == box.name, MailMessage.uidvalidity == box.uidvalidity,
        MailMessage.uid.in_(items))))
    targets = _resume_after_uidvalidity_change(session, box, {u: t for u, t in items.items() if u not in done}, counts)
    fresh = {uid: item for uid, item in items.items() if uid not in done and uid not in targets}
    found = identify(session, [item.lookup() for item in fresh.values()])
    for (uid, item), who in zip(fresh.items(), found):
        reasons = review_reasons(item, who, rules)
        folder = folder_for(item, reasons, rules)
        row = _message_row(box, uid, item, who, folder, reasons, run_id)
        session.add(row)
        _effects(session, box, uid, item, who, row, run_id, counts, filed=not reasons)
        targets[uid] = folder
        counts[item.decision.category] += 1
        counts["needs_review"] += bool(reasons)
    return targets, counts


def _resume_after_uidvalidity_change(session: Session, box: Mailbox, items: dict[int, Triage],
                                     counts: Counter) -> dict[int, str]:
    """Messages recorded under an older UIDVALIDITY but never moved: re-point them, record nothing new."""
    ids = {item.message.message_id: uid for uid, item in items.items() if item.message.message_id}
    if not ids:
        return {}
    stale = session.scalars(select(MailMessage).where(
        MailMessage.mailbox == box.name, MailMessage.uidvalidity != box.uidvalidity,
        MailMessage.moved.is_(False), MailMessage.message_id.in_(ids)))
    targets = {}
    for row in stale:
        uid = ids.pop(row.message_id, None)
        if uid is None:
            continue
        row.uidvalidity, row.uid = box.uidvalidity, uid
        targets[uid] = row.folder
        counts["recorded_before_uidvalidity_change"] += 1
    return targets


def _message_row(box: Mailbox, uid: int, item: Triage, who: Identified, folder: str, reasons: list[str],
                 run_id: int | None) -> MailMessage:
    msg, decision = item.message, item.decision
    notes = [f"customer by {who.how}"] if who.how else []
    notes += item.found.problems + [f"needs review: {'; '.join(reasons)}"] * bool(reasons)
    return MailMessage(
        mailbox=box.name, uidvalidity=box.uidvalidity, uid=uid, message_id=(msg.message_id or "")[:255] or None,
        sender=(msg.sender or "")[:255] or None, subject=msg.subject[:1000], received_at=msg.date,
        category=decision.category, confidence=decision.confidence,
        reason="; ".join([decision.reason, *notes])[:4000], folder=folder, moved=False,
        customer_id=who.customer_id, created_run_id=run_id,
    )


def _effects(session: Session, box: Mailbox, uid: int, item: Triage, who: Identified, row: MailMessage,
             run_id: int | None, counts: Counter, filed: bool) -> None:
    category, found = item.decision.category, item.found
    first_invoice = next(iter(who.invoices.values()), None)
    log_event(session, "mail_received", ACTOR, run_id, who.customer_id, first_invoice, channel="email",
              mail=_key(box, uid), message_id=item.message.message_id, category=category, confidence=item.decision.confidence, folder=row.folder,
              subject=item.message.subject[:200], sender=item.message.sender, invoice_numbers=found.invoice_numbers,
              amount=found.amount, currency=found.currency, promise_date=found.promise_date)
    if not filed:
        return
    if category == "bounce":
        _bounce(session, item, run_id, counts)
    elif category == "gdpr_request":
        _gdpr(session, item, who, run_id, counts)
    elif who.customer_id is None:
        return
    elif category == "promise_to_pay" and found.promise_date:
        _promise(session, box, uid, item, who, first_invoice, run_id, counts)
    elif category == "dispute":
        _dispute(session, item, who, run_id, counts)
    elif category == "invoice_copy_request":
        _invoice_copies(session, box, uid, item, who, run_id, counts)


def _promise(session: Session, box: Mailbox, uid: int, item: Triage, who: Identified, invoice_id: int | None,
             run_id: int | None, counts: Counter) -> None:
    found = item.found
    rows = [{"source_key": _key(box, uid), "customer_id": who.customer_id, "invoice_id": invoice_id,
             "promised_date": found.promise_date, "amount": found.amount, "currency": found.currency,
             "channel": "email", "source_text": item.message.text[:TEXT_LIMIT], "status": "pending",
             "created_run_id": run_id}]
    if insert_ignoring_duplicates(session, Promise.__table__, rows):
        counts["promises"] += 1
        if who.invoices:
            session.execute(update(Invoice).where(Invoice.id.in_(who.invoices.values())).values(promised=True))
        log_event(session, "promise_recorded", ACTOR, run_id, who.customer_id, invoice_id, channel="email",
                  promised_date=found.promise_date, amount=found.amount, currency=found.currency)


def _dispute(session: Session, item: Triage, who: Identified, run_id: int | None, counts: Counter) -> None:
    reason = item.message.text[:TEXT_LIMIT]
    for invoice_id in list(who.invoices.values()) or [None]:
        session.add(Dispute(customer_id=who.customer_id, invoice_id=invoice_id, reason=reason, source="mail",
                            created_run_id=run_id))
        log_event(session, "dispute_opened", ACTOR, run_id, who.customer_id, invoice_id, channel="email")
        counts["disputes"] += 1
    if who.invoices:
        session.execute(update(Invoice).where(Invoice.id.in_(who.invoices.values())).values(disputed=True))


def _bounce(session: Session, item: Triage, run_id: int | None, counts: Counter) -> None:
    for address in item.found.failed_recipients:
        contacts = session.scalars(select(Contact).where(Contact.kind == "email", func.lower(Contact.value) == address))
        for contact in contacts:
            if contact.valid:
                contact.valid = False
                counts["addresses_invalid"] += 1
            log_event(session, "contact_invalid", ACTOR, run_id, contact.customer_id, channel="email",
                      address=address, reason=item.decision.reason)


def _gdpr(session: Session, item: Triage, who: Identified, run_id: int | None, counts: Counter) -> None:
    kind = item.found.gdpr_kind or "other"
    counts["gdpr_requests"] += 1
    log_event(session, "gdpr_request", ACTOR, run_id, who.customer_id, channel="email", request=kind,
              sender=item.message.sender, subject=item.message.subject[:200], needs_analyst=True)
    if who.customer_id is not None and kind in ("erasure", "objection"):
        reason = f"GDPR {kind} request by e-mail from {item.message.sender} ({item.message.message_id})"
        insert_ignoring_duplicates(session, OptOut.__table__, [
            {"customer_id": who.customer_id, "channel": "marketing", "reason": reason, "created_run_id": run_id}])


def _invoice_copies(session: Session, box: Mailbox, uid: int, item: Triage, who: Identified, run_id: int | None,
                    counts: Counter) -> None:
    lang = who.language or item.found.language or "en"
    subject, body = _template("mail_invoice_copy", lang, numbers=", ".join(who.invoices), company=box.company)
    attachments: dict[str, Any] = {"invoices": [{"invoice_id": i, "number": n} for n, i in who.invoices.items()]}
    key = f"mail-invoice-copy:{_key(box, uid)}"
    if enqueue_message(session, key, "email", item.message.sender or "", body, subject, who.customer_id, run_id,
                       attachments):
        counts["invoice_copies_queued"] += len(who.invoices)
        log_event(session, "invoice_copy_queued", ACTOR, run_id, who.customer_id, next(iter(who.invoices.values())),
                  channel="email", invoice_numbers=list(who.invoices), outbox_key=key)


def _template(name: str, lang: str, **values: str) -> tuple[str, str]:
    path = TEMPLATES / lang / f"{name}.txt"
    if not path.exists():
        path = TEMPLATES / "en" / f"{name}.txt"
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    return head.removeprefix("Subject:").strip().format(**values), body.strip().format(**values)
