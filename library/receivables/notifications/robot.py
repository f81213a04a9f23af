"""The payment-notifier robot: tell account managers about allocated payments, each payment once.

One transaction decides, queues the outbox messages and sets `notified_at`, so a crash leaves
either all of it or none; delivery then sends from the outbox (e-mail over SMTP, chat by webhook).

- Above the currency's `instant_above` a payment is told at once (`notify:payment:<tx>:<who>:<channel>`).
- Below it, it waits for the first run at or after `digest_at` (local time), which puts every
  waiting payment into that manager's digest of the day (`notify:digest:<date>:<who>:<channel>`).
  A manager gets one digest a day: payments allocated after it wait for the next day's.
- Payments booked more than `notify_within_days` before today are history, not news (the first
  reconcile of a year of statements): they are marked notified with one summary event, no message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from receivables.channels.outbox import Delivery, Transport, queue
from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import BankTransaction, OutboxMessage, Run
from receivables.ledger.repository import log_event
from receivables.ledger.types import utcnow
from receivables.notifications.compose import render
from receivables.notifications.decide import PREFIX, Decision, Notice, decide, postpone
from receivables.notifications.payments import count_old, mark_old, pending_payments
from receivables.notifications.recipients import Directory
from receivables.notifications.rules import NotificationRules, load_rules
from receivables.notifications.settings import NotificationsSettings, notifications_settings

ACTOR = "payment-notifier"


def notify_payments(settings: Settings, ledger: Ledger, run: Run, today: date | None = None,
                    now: datetime | None = None, dry_run: bool = False, digest: bool | None = None,
                    notifications: NotificationsSettings | None = None, rules: NotificationRules | None = None,
                    checkpoint: Callable[[str], None] | None = None, **_: Any) -> dict[str, Any]:
    """`digest`: None = by the clock (at or after `digest_at`), True/False = send the digest now / not."""
    ns = notifications or notifications_settings(settings)
    rules = rules or load_rules(ns.rules)
    now = now or utcnow()
    local = now.astimezone(ZoneInfo(ns.timezone))
    today = today or local.date()
    digest_due = digest if digest is not None else rules.digest_at is not None and local.time() >= rules.digest_at
    cutoff = today - timedelta(days=rules.notify_within_days)
    directory = Directory(rules)
    with ledger.session() as s:
        old = count_old(s, cutoff) if dry_run else mark_old(s, cutoff, now)
        payments = pending_payments(s, cutoff, today)
        decision = decide(payments, rules, directory, today, digest_due)
        decision = postpone(decision, {n.recipient for n in decision.digests if _queued_before(s, n)})
        summary = _summary(today, old, cutoff, len(payments), decision)
        if dry_run:
            summary["dry_run"] = True
            summary["would_send"] = [_describe(n, settings.debug) for n in decision.instant + decision.digests]
            return summary
        summary["queued"] = _queue(s, decision, run.id, now, _domain(settings, ns))
        if old:
            log_event(s, "payments_marked_without_notice", ACTOR, run.id, count=old, booked_before=cutoff)
    if checkpoint:
        checkpoint("queued")
    transports, summary["not_sent"] = _transports(settings, ns, rules)
    counts = Delivery(ledger, transports, run.id, ACTOR, PREFIX, ns.max_attempts, ns.backoff_seconds,
                      ns.claim_lease_seconds, checkpoint=checkpoint).run()
    for outcome in ("sent", "failed", "retry"):
        summary["retrying" if outcome == "retry" else outcome] = {
            k.removeprefix(f"{outcome}_"): v for k, v in counts.items() if k.startswith(f"{outcome}_")}
    return summary


def _summary(today: date, old: int, cutoff: date, payments: int, decision: Decision) -> dict[str, Any]:
    return {"date": today.isoformat(), "payments": payments, "instant": len(decision.instant),
            "digests": len(decision.digests), "in_digests": len({t.payment.transaction_id for n in decision.digests
                                                                 for t in n.items}),
            "waiting_for_digest": len(decision.waiting), "marked_without_notice": old,
            "booked_before_not_told": cutoff.isoformat()}


def _queued_before(s: Session, notice: Notice) -> bool:
    return s.scalar(select(OutboxMessage.id).where(OutboxMessage.key.in_(notice.keys())).limit(1)) is not None


def _mask(value: str) -> str:
    head, at, domain = value.partition("@")
    return f"{head[:1]}***{at}{domain}" if at else value


def _describe(n: Notice, debug: bool) -> dict[str, Any]:
    return {"kind": n.kind, "to": [f"{ch}:{rcpt if debug else _mask(rcpt)}" for ch, rcpt in n.recipient.channels()],
            "payments": [t.payment.transaction_id for t in n.items]}


def _queue(s: Session, decision: Decision, run_id: int, now: datetime, domain: str) -> int:
    queued, told = 0, set()
    for notice in decision.instant + decision.digests:
        texts = render(notice)
        customers = {p.customer_id for t in notice.items for p in t.parts}
        for channel, recipient in notice.recipient.channels():
            email = channel == "email"
            queued += queue(s, notice.key(channel), channel, recipient, texts.text if email else texts.chat,
                            domain=domain, subject=texts.subject, html=texts.html if email else None,
                            language=notice.recipient.language, run_id=run_id,
                            customer_id=next(iter(customers)) if len(customers) == 1 else None)
        for t in notice.items:
            told.add(t.payment.transaction_id)
            for part in t.parts:
                log_event(s, "payment_notified", ACTOR, run_id, part.customer_id, mode=notice.kind,
                          transaction_id=t.payment.transaction_id, keys=notice.keys())
    if told:
        s.execute(update(BankTransaction).where(BankTransaction.id.in_(told)).values(notified_at=now)
                  .execution_options(synchronize_session=False))
    return queued


def _domain(settings: Settings, ns: NotificationsSettings) -> str:
    smtp = ns.smtp or settings.reminders.smtp
    return smtp.from_address.rpartition("@")[2] or "localhost"


def _transports(settings: Settings, ns: NotificationsSettings,
                rules: NotificationRules) -> tuple[dict[str, Transport], list[str]]:
    transports: dict[str, Transport] = {}
    unsent = []
    smtp = ns.smtp or settings.reminders.smtp
    if smtp.host:
        from receivables.channels.email_smtp import SmtpTransport

        transports["email"] = SmtpTransport(smtp)
    else:
        unsent.append("email: no SMTP host (notifications.smtp or reminders.smtp); e-mails stay queued")
    if rules.webhooks:
        from receivables.notifications.chat import WebhookTransport

        transports["chat"] = WebhookTransport(rules.webhooks, ns.webhook_timeout_seconds)
    return transports, unsent
