"""Statutory late-payment interest and the fixed recovery compensation, in Decimal only.

Conventions, chosen so anyone can recompute a document by hand:
- Interest runs from the day after the due date through `until`, both days included; on the day
  of a payment the amount open before that payment still bears interest.
- Simple interest (no interest on interest): open principal x annual rate x days / 365
  (or the day count set in config/interest_rates.yaml).
- One period = one rate and one open principal. Each period's interest is rounded half-up to
  0.01 on its own and the total is the sum of the rounded periods.
- Partial payments made after the due date go to costs, interest and principal in the statutory
  order (PL art. 451 KC: interest before principal; DE § 367 BGB: costs, interest, principal)
  unless the caller passes the order the debtor named and the creditor accepted. Payments on or
  before the due date reduce the principal. The order used is part of the result.
- Recovery compensation per invoice (CJEU C-585/20): PL art. 10 of the late-payment act,
  40/70/100 EUR by the invoice amount in PLN (<= 5,000 / < 50,000 / >= 50,000) at the NBP mid
  rate of the last working day of the month before the due date's month; DE § 288 (5) BGB 40 EUR.
  Consumers get neither (art. 10 and § 288 (5) apply between businesses only).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from receivables.dunning.fx import FxTable, default_fx_table, last_working_day_of_previous_month
from receivables.dunning.rates import RateTable, load_rate_table

CENT = Decimal("0.01")
STATUTORY_ORDER = {"pl": ("interest", "principal"), "de": ("costs", "interest", "principal")}
BUCKETS = ("costs", "interest", "principal")
PL_SMALL, PL_LARGE = Decimal("5000"), Decimal("50000")  # PLN: <= small -> 40 EUR, < large -> 70, else 100
DE_FLAT_EUR = Decimal("40")


@dataclass(frozen=True)
class Payment:
    on: date
    amount: Decimal


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    days: int
    rate: Decimal  # annual percent
    principal: Decimal
    interest: Decimal


@dataclass(frozen=True)
class Allocation:
    on: date
    amount: Decimal
    to_costs: Decimal
    to_interest: Decimal
    to_principal: Decimal
    surplus: Decimal


@dataclass(frozen=True)
class Compensation:
    eur: Decimal
    amount: Decimal
    currency: str
    fx_rate: Decimal | None = None
    fx_date: date | None = None

    def to_json(self) -> dict:
        return {"eur": str(self.eur), "amount": str(self.amount), "currency": self.currency,
                "fx_rate": None if self.fx_rate is None else str(self.fx_rate),
                "fx_date": None if self.fx_date is None else self.fx_date.isoformat()}


@dataclass(frozen=True)
class InterestResult:
    jurisdiction: str
    consumer: bool
    currency: str
    principal: Decimal
    due: date
    until: date
    day_count: str
    order: tuple[str, ...]
    periods: tuple[Period, ...]
    allocations: tuple[Allocation, ...]
    compensation: Compensation | None

    @property
    def interest(self) -> Decimal:
        """Interest accrued over all periods (paid or not)."""
        return sum((p.interest for p in self.periods), Decimal("0.00"))

    @property
    def interest_paid(self) -> Decimal:
        return sum((a.to_interest for a in self.allocations), Decimal("0.00"))

    @property
    def interest_open(self) -> Decimal:
        return self.interest - self.interest_paid

    @property
    def principal_open(self) -> Decimal:
        return self.principal - sum((a.to_principal for a in self.allocations), Decimal("0.00"))

    @property
    def compensation_open(self) -> Decimal:
        """Compensation still owed, in the compensation's own currency."""
        if self.compensation is None:
            return Decimal("0.00")
        return self.compensation.amount - sum((a.to_costs for a in self.allocations), Decimal("0.00"))

    def to_json(self) -> dict:
        return {
            "interest": str(self.interest),
            "periods": [{"from": p.start.isoformat(), "to": p.end.isoformat(), "days": p.days,
                         "rate": str(p.rate), "interest": str(p.interest)} for p in self.periods],
            "compensation": None if self.compensation is None else self.compensation.to_json(),
        }


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def recovery_compensation(amount: Decimal, currency: str, due: date, jurisdiction: str, *,
                          consumer: bool = False, fx: FxTable | None = None) -> Compensation | None:
    """The fixed compensation for one late invoice; None for consumers."""
    if consumer:
        return None
    if jurisdiction == "de":
        return Compensation(DE_FLAT_EUR, money(DE_FLAT_EUR), "EUR")
    if jurisdiction != "pl":
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}")
    fx = fx or default_fx_table()
    fx_date = last_working_day_of_previous_month(due)
    eur_rate = fx.rate("EUR", fx_date).mid
    value_pln = amount if currency.upper() == "PLN" else amount * fx.rate(currency, fx_date).mid
    eur = Decimal("40") if value_pln <= PL_SMALL else Decimal("70") if value_pln < PL_LARGE else Decimal("100")
    return Compensation(eur, money(eur * eur_rate), "PLN", eur_rate, fx_date)


def _check_order(order: Sequence[str]) -> tuple[str, ...]:
    order = tuple(order)
    if "principal" not in order or len(set(order)) != len(order) or not set(order) <= set(BUCKETS):
        raise ValueError(f"payment order must name distinct buckets from {BUCKETS} including principal, got {order}")
    return order


def compute_interest(principal: Decimal, due: date, until: date, jurisdiction: str, *,
                     currency: str = "PLN", payments: Iterable[Payment] = (), consumer: bool = False,
                     transaction_date: date | None = None, order: Sequence[str] | None = None,
                     with_compensation: bool = True, rates: RateTable | None = None,
                     fx: FxTable | None = None) -> InterestResult:
    """Interest on one invoice's open amount from the day after `due` through `until`.

    `principal` is the invoice amount owed at the due date (its gross value: the PL compensation
    threshold is measured on it). `transaction_date` picks the statutory margin (contracts before
    2020 keep the old Polish margin); it defaults to the due date. Payments after `until` are ignored.
    """
    if principal < 0:
        raise ValueError("principal must not be negative")
    rates = rates or load_rate_table()
    table = rates.for_jurisdiction(jurisdiction)
    order = _check_order(order or STATUTORY_ORDER[jurisdiction])
    transaction_date = transaction_date or due
    basis = {"actual/365": Decimal(365), "actual/360": Decimal(360)}.get(rates.day_count)

    open_principal = money(principal)
    periods: list[Period] = []
    allocations: list[Allocation] = []
    late_payments = []
    for p in sorted(payments, key=lambda p: p.on):
        if p.amount <= 0:
            raise ValueError(f"payment on {p.on}: amount must be positive")
        if p.on <= due:  # on time: principal only, nothing else is owed yet
            taken = min(p.amount, open_principal)
            open_principal -= taken
            allocations.append(Allocation(p.on, p.amount, Decimal("0.00"), Decimal("0.00"), taken, p.amount - taken))
        elif p.on <= until:
            late_payments.append(p)

    late = until > due and open_principal > 0
    compensation = (recovery_compensation(money(principal), currency, due, jurisdiction, consumer=consumer, fx=fx)
                    if with_compensation and late else None)
    costs = compensation.amount if compensation and compensation.currency == currency.upper() else Decimal("0")
    buckets = {"costs": costs, "interest": Decimal("0.00"), "principal": open_principal}

    def accrue(start: date, end: date) -> None:
        if start > end or buckets["principal"] <= 0:
            return
        for lo, hi, rate in table.segments(start, end, consumer=consumer, transaction_date=transaction_date):
            for a, b, year_basis in _year_runs(lo, hi, basis):
                days = (b - a).days + 1
                interest = money(buckets["principal"] * rate / 100 * days / year_basis)
                periods.append(Period(a, b, days, rate, buckets["principal"], interest))
                buckets["interest"] += interest

    start = due + timedelta(days=1)
    for p in late_payments:
        accrue(start, p.on)
        remaining, taken = p.amount, {}
        for key in order:
            taken[key] = min(remaining, buckets[key])
            buckets[key] -= taken[key]
            remaining -= taken[key]
        allocations.append(Allocation(p.on, p.amount, taken.get("costs", Decimal("0.00")),
                                      taken.get("interest", Decimal("0.00")), taken["principal"], remaining))
        start = p.on + timedelta(days=1)
    accrue(start, until)

    return InterestResult(jurisdiction, consumer, currency.upper(), money(principal), due, until, rates.day_count,
                          order, tuple(periods), tuple(allocations), compensation)


def late_payment_charges(amount: Decimal, due: date, paid_on: date, jurisdiction: str, *,
                         currency: str = "PLN", consumer: bool = False, transaction_date: date | None = None,
                         with_compensation: bool = True, rates: RateTable | None = None,
                         fx: FxTable | None = None) -> InterestResult:
    """What an invoice paid in full but late owes: the data of an interest note ("nota odsetkowa").

    The late payment is applied to the principal it was made for, and the note claims the
    interest accrued through the payment day plus the compensation: issuing the note is the
    creditor accepting that allocation instead of the statutory interest-first order.
    """
    return compute_interest(amount, due, paid_on, jurisdiction, currency=currency, consumer=consumer,
                            transaction_date=transaction_date, payments=[Payment(paid_on, money(amount))],
                            order=("principal", "interest", "costs"), with_compensation=with_compensation,
                            rates=rates, fx=fx)


def _year_runs(start: date, end: date, basis: Decimal | None) -> list[tuple[date, date, Decimal]]:
    """Split at 1 January when the day count is actual/actual (365 or 366 by calendar year)."""
    if basis is not None:
        return [(start, end, basis)]
    runs = []
    while start <= end:
        year_end = min(end, date(start.year, 12, 31))
        leap = start.year % 4 == 0 and (start.year % 100 != 0 or start.year % 400 == 0)
        runs.append((start, year_end, Decimal(366 if leap else 365)))
        start = year_end + timedelta(days=1)
    return runs
