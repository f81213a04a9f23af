"""Polish debtor registers (biura informacji gospodarczej): warning, entry, removal.

The statute's conditions are checked one by one and kept on the ledger row with their dates:
a debtor with a Polish seat; the overdue amount (business: 500 zł, consumer: 200 zł); the days
overdue (30 / 60); a demand with a warning naming the bureau sent by registered post or handed
over at least one month earlier. "Sent" is only what an analyst confirmed (`court register-sent`):
a warning the robot prepared is not a warning sent. After payment the removal is due within 14 days.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from receivables.court.facts import Party
from receivables.court.rules import RegisterRules

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Check:
    name: str  # debtor_in_poland | amount | days_overdue | warning_sent
    ok: bool
    detail: str


@dataclass(frozen=True)
class Debt:
    invoice_id: int
    number: str
    due_date: date
    open_amount: Decimal
    paid_date: date | None = None


def entry_key(external_id: str, bureau: str) -> str:
    return f"register:{external_id}:{bureau}"


def warning_due_on(sent_on: date, rules: RegisterRules) -> date:
    """The first day an entry may be made: one month (calendar, art. 112 KC style) after sending."""
    return sent_on + relativedelta(months=rules.warning_months)


def check_conditions(party: Party, debts: list[Debt], today: date, rules: RegisterRules,
                     warning_sent_on: date | None) -> list[Check]:
    """Every statutory condition with what decided it; the order is the statute's."""
    rule = rules.consumer if party.is_consumer else rules.business
    kind = "konsument" if party.is_consumer else "przedsiębiorca"
    overdue = [d for d in debts if d.open_amount > 0 and (today - d.due_date).days >= rule.min_days_overdue]
    amount = sum((d.open_amount for d in overdue), ZERO)
    oldest = max(((today - d.due_date).days for d in debts if d.open_amount > 0), default=0)
    checks = [
        Check("debtor_in_poland", party.country == "PL", f"kraj dłużnika: {party.country}"),
        Check("amount", amount >= rule.min_amount,
              f"{kind}: zaległość wymagalna od co najmniej {rule.min_days_overdue} dni {amount} zł, "
              f"próg {rule.min_amount} zł ({rule.source})"),
        Check("days_overdue", oldest >= rule.min_days_overdue,
              f"najstarsza zaległość {oldest} dni, wymagane {rule.min_days_overdue} ({rule.source})"),
    ]
    if warning_sent_on is None:
        checks.append(Check("warning_sent", False, "ostrzeżenie nie potwierdzone jako wysłane (list polecony/doręczenie)"))
    else:
        ready = warning_due_on(warning_sent_on, rules)
        checks.append(Check("warning_sent", today >= ready,
                            f"ostrzeżenie wysłane {warning_sent_on.isoformat()}, wpis możliwy od {ready.isoformat()}"))
    return checks


def overdue_amount(party: Party, debts: list[Debt], today: date, rules: RegisterRules) -> Decimal:
    rule = rules.consumer if party.is_consumer else rules.business
    return sum((d.open_amount for d in debts if d.open_amount > 0
                and (today - d.due_date).days >= rule.min_days_overdue), ZERO)


def next_step(status: str | None, checks: list[Check], debts: list[Debt]) -> str | None:
    """prepare_warning | prepare_entry | prepare_removal | close | None (nothing to do today)."""
    ok = {c.name: c.ok for c in checks}
    paid = bool(debts) and all(d.open_amount <= 0 for d in debts)
    if status is None:
        return "prepare_warning" if ok["debtor_in_poland"] and ok["amount"] and ok["days_overdue"] else None
    if status in ("warning_prepared", "warning_sent") and paid:
        return "close"
    if status == "warning_sent" and all(ok.values()):
        return "prepare_entry"
    if status == "entry_prepared" and paid:
        return "prepare_removal"
    return None


def removal_deadline(paid_on: date, rules: RegisterRules) -> date:
    return paid_on + timedelta(days=rules.removal_days)


def conditions_json(checks: list[Check], debts: list[Debt], today: date) -> dict:
    return {"as_of": today.isoformat(), "checks": [asdict(c) for c in checks],
            "invoices": [{"id": d.invoice_id, "number": d.number, "due_date": d.due_date.isoformat(),
                          "open": str(d.open_amount)} for d in debts]}
