"""Which payment goes to whom, and when: at once above the currency's threshold, else in the daily digest.

Pure functions over `Payment` records, so the rules are tested without a ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from receivables.notifications.payments import CustomerPart, Payment
from receivables.notifications.recipients import Directory, Recipient
from receivables.notifications.rules import NotificationRules

PREFIX = "notify:"


@dataclass(frozen=True)
class Told:
    """A payment as one manager hears of it: only the parts of their customers."""

    payment: Payment
    parts: tuple[CustomerPart, ...]


@dataclass(frozen=True)
class Notice:
    """One message (on each of the recipient's channels) about one payment or one day's digest."""

    kind: str  # payment | digest
    recipient: Recipient
    items: tuple[Told, ...]
    day: date

    def key(self, channel: str) -> str:
        if self.kind == "payment":
            return f"{PREFIX}payment:{self.items[0].payment.transaction_id}:{self.recipient.key}:{channel}"
        return f"{PREFIX}digest:{self.day.isoformat()}:{self.recipient.key}:{channel}"

    def keys(self) -> list[str]:
        return [self.key(channel) for channel, _ in self.recipient.channels()]


@dataclass
class Decision:
    instant: list[Notice] = field(default_factory=list)
    digests: list[Notice] = field(default_factory=list)
    waiting: list[Payment] = field(default_factory=list)  # small payments before the digest hour


def is_instant(payment: Payment, rules: NotificationRules) -> bool:
    """Above the currency's threshold, in a currency without one, or when there is no digest."""
    if rules.digest_at is None:
        return True
    threshold = rules.instant_above.get(payment.currency)
    return threshold is None or payment.amount > threshold


def by_recipient(payment: Payment, directory: Directory) -> dict[Recipient, Told]:
    """A payment that paid invoices of customers with different managers tells each of them their part."""
    grouped: dict[Recipient, list[CustomerPart]] = {}
    for part in payment.parts:
        grouped.setdefault(directory.for_manager(part.account_manager), []).append(part)
    return {r: Told(payment, tuple(parts)) for r, parts in grouped.items()}


def decide(payments: list[Payment], rules: NotificationRules, directory: Directory, today: date,
           digest_due: bool) -> Decision:
    decision = Decision()
    digest: dict[Recipient, list[Told]] = {}
    for payment in payments:
        told = by_recipient(payment, directory)
        if is_instant(payment, rules):
            decision.instant.extend(Notice("payment", r, (t,), today) for r, t in told.items())
        elif digest_due:
            for r, t in told.items():
                digest.setdefault(r, []).append(t)
        else:
            decision.waiting.append(payment)
    decision.digests = [Notice("digest", r, tuple(items), today) for r, items in digest.items()]
    return decision


def postpone(decision: Decision, done_today: set[Recipient]) -> Decision:
    """Drop the digests of recipients who had today's already: their payments wait for tomorrow's.

    A payment shared with another recipient waits too, so each (payment, recipient) is told once.
    """
    late = {t.payment.transaction_id for n in decision.digests if n.recipient in done_today for t in n.items}
    if not late:
        return decision
    digests = []
    for notice in decision.digests:
        items = tuple(t for t in notice.items if t.payment.transaction_id not in late)
        if items and notice.recipient not in done_today:
            digests.append(Notice("digest", notice.recipient, items, notice.day))
    waiting = {t.payment.transaction_id: t.payment for n in decision.digests for t in n.items
               if t.payment.transaction_id in late}
    return Decision(decision.instant, digests, decision.waiting + list(waiting.values()))
