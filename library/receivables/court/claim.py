"""The numbers a claim asks for, per invoice: principal still owed, interest from which day,
interest already accrued and unpaid at the last payment, and the recovery compensation.

Interest is claimed "from <day> to the day of payment", so the claim itself does not change
from day to day; the interest accrued up to today is computed for information only. Partial
payments made after the due date are applied in the statutory order (dunning.interest): under
Polish law interest first, so the principal still owed may exceed the ledger's open amount.
A rate or an NBP fx rate the tables do not have is never guessed: that figure is None and the
case lists it for the legal team.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from receivables.court.facts import InvoiceFact
from receivables.dunning.fx import FxTable, MissingRate
from receivables.dunning.interest import compute_interest, recovery_compensation
from receivables.dunning.rates import RateTable, RateUnavailable

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ClaimLine:
    invoice: InvoiceFact
    principal: Decimal  # principal still owed, claimed with interest from `interest_from`
    interest_from: date
    capitalized: Decimal | None  # interest accrued and unpaid at the last late payment; None = not calculated
    compensation: Decimal | None  # None = not calculated (no fx rate); 0 for consumers
    compensation_eur: Decimal | None
    interest_to_date: Decimal | None  # information only: accrued up to the drafting day
    late_payments: tuple[tuple[date, Decimal, Decimal, Decimal], ...]  # (day, amount, to interest, to principal)
    problems: tuple[str, ...] = ()

    @property
    def amount(self) -> Decimal:
        """The fixed sum claimed for this invoice (principal + capitalized interest + compensation)."""
        return self.principal + (self.capitalized or ZERO) + (self.compensation or ZERO)


def claim_line(invoice: InvoiceFact, jurisdiction: str, consumer: bool, today: date, *,
               rates: RateTable | None = None, fx: FxTable | None = None) -> ClaimLine:
    payments = list(invoice.payments)
    late = [p for p in payments if p.on > invoice.due_date]
    problems: list[str] = []
    kw = dict(currency=invoice.currency, consumer=consumer, rates=rates, fx=fx, with_compensation=False)
    principal = invoice.principal - sum((p.amount for p in invoice.payments if p.on <= invoice.due_date), ZERO)
    capitalized: Decimal | None = ZERO
    interest_from = invoice.due_date + timedelta(days=1)
    allocations: tuple = ()
    if late:
        last = late[-1].on
        try:
            r = compute_interest(invoice.principal, invoice.due_date, last, jurisdiction, payments=payments, **kw)
            principal, capitalized = r.principal_open, r.interest_open
            allocations = tuple((a.on, a.amount, a.to_interest, a.to_principal) for a in r.allocations
                                if a.on > invoice.due_date)
        except RateUnavailable as exc:
            # without the rate the statutory order cannot be applied: payments go to principal
            principal = invoice.principal - sum((p.amount for p in invoice.payments), ZERO)
            capitalized = None
            problems.append(f"{invoice.number}: odsetki do {last.isoformat()} nie obliczone ({exc})")
        interest_from = last + timedelta(days=1)
    try:
        to_date = compute_interest(invoice.principal, invoice.due_date, today, jurisdiction, payments=payments,
                                   **kw).interest_open
    except RateUnavailable as exc:
        to_date = None
        problems.append(f"{invoice.number}: odsetki na dzień {today.isoformat()} nie obliczone ({exc})")
    compensation: Decimal | None = ZERO
    eur: Decimal | None = None
    if not consumer:
        try:
            comp = recovery_compensation(invoice.principal, invoice.currency, invoice.due_date, jurisdiction, fx=fx)
        except MissingRate as exc:
            compensation = None
            problems.append(f"{invoice.number}: rekompensata nie obliczona ({exc})")
        else:
            eur = comp.eur
            if comp.currency == invoice.currency:
                compensation = comp.amount
            elif invoice.currency == "EUR":  # the statute's EUR amount itself, as on the letters
                compensation = comp.eur.quantize(Decimal("0.01"))
            else:
                compensation = None
                problems.append(f"{invoice.number}: rekompensata w {comp.currency} na fakturze w {invoice.currency}")
    return ClaimLine(invoice, principal, interest_from, capitalized, compensation, eur, to_date, allocations,
                     tuple(problems))
