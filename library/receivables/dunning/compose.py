"""Planned messages -> what the debtor reads: interest per invoice, texts from templates, letter PDFs.

Interest comes from `compute_interest` only. Where a rate is not in the shipped tables (a day
after `known_until`, a gap in the NBP table) the reminder still goes out with the interest shown
as "not calculated" and the invoice is listed for an analyst: a rate is never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from receivables.config import PROJECT_ROOT, Company
from receivables.documents.builders import reminder_item
from receivables.documents.fmt import formatter, group_iban
from receivables.documents.model import Debtor, Letter, LetterError, LetterItem
from receivables.documents.payment import payment_title
from receivables.dunning.fx import FxTable, MissingRate
from receivables.dunning.interest import InterestResult, compute_interest
from receivables.dunning.planner import CustomerState, PlannedInvoice, PlannedMessage
from receivables.dunning.policy import Policy
from receivables.dunning.rates import RateTable, RateUnavailable

TEMPLATES_DIR = PROJECT_ROOT / "templates"
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Charges:
    """Interest and compensation of one invoice as of today; None where they could not be calculated."""

    interest: Decimal | None
    compensation: Decimal | None
    result: InterestResult | None
    problem: str | None = None


@dataclass(frozen=True)
class Texts:
    subject: str
    text: str
    html: str
    sms: str


@dataclass
class Interest:
    """Charges per invoice, computed once per run; problems are collected for the analyst."""

    policy: Policy
    today: date
    rates: RateTable | None = None
    fx: FxTable | None = None
    cache: dict[int, Charges] = field(default_factory=dict)

    def charges(self, customer: CustomerState, item: PlannedInvoice) -> Charges:
        inv = item.invoice
        if inv.id not in self.cache:
            self.cache[inv.id] = self._compute(customer, item)
        return self.cache[inv.id]

    def _compute(self, customer: CustomerState, item: PlannedInvoice) -> Charges:
        inv = item.invoice
        if item.days_overdue <= 0:
            return Charges(ZERO, ZERO, None)
        juris = self.policy.jurisdiction(customer.country)
        kw = dict(currency=inv.currency, consumer=customer.is_consumer, rates=self.rates, fx=self.fx)
        try:
            result = compute_interest(inv.open_amount, inv.due_date, self.today, juris, **kw)
        except RateUnavailable as exc:
            return Charges(None, None, None, str(exc))
        except MissingRate as exc:  # the compensation's fx rate is missing: interest still stands
            try:
                result = compute_interest(inv.open_amount, inv.due_date, self.today, juris,
                                          with_compensation=False, **kw)
            except RateUnavailable as exc2:
                return Charges(None, None, None, str(exc2))
            return Charges(result.interest_open, None, result, str(exc))
        item_ = reminder_item(inv.number, inv.issue_date, result)
        return Charges(item_.interest, item_.compensation, result)


@lru_cache(maxsize=2)
def _environment(html: bool, templates_dir: Path = TEMPLATES_DIR) -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(templates_dir)), autoescape=html,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_texts(message: PlannedMessage, context: dict) -> Texts:
    """Subject, text, HTML and SMS of one message: the `{% set %}` blocks of
    templates/<lang>/reminders/<template>.j2, HTML autoescaped, the rest not."""
    name = f"{message.customer.language}/reminders/{message.step.template}.j2"
    plain = _environment(False).get_template(name).make_module(context)
    html = _environment(True).get_template(name).make_module(context)
    return Texts(" ".join(str(plain.subject).split()), str(plain.text).strip() + "\n", str(html.html).strip(),
                 " ".join(str(plain.sms).split()))


def message_context(message: PlannedMessage, company: Company, interest: Interest,
                    deadline: date | None) -> dict:
    f = formatter(message.customer.language)
    rows, totals, not_calculated = [], {}, False
    for item in message.invoices:
        inv, ch = item.invoice, interest.charges(message.customer, item)
        not_calculated |= ch.interest is None
        extra = (ch.interest or ZERO) + (ch.compensation or ZERO)
        totals[inv.currency] = totals.get(inv.currency, ZERO) + inv.open_amount + extra
        rows.append({
            "number": inv.number, "issue_date": f.date(inv.issue_date), "due_date": f.date(inv.due_date),
            "days_overdue": item.days_overdue, "open": f.money(inv.open_amount, inv.currency),
            "interest": None if ch.interest is None else f.money(ch.interest, inv.currency),
            "compensation": None if not ch.compensation else f.money(ch.compensation, inv.currency),
            "total": f.money(inv.open_amount + extra, inv.currency),
        })
    return {
        "company": company, "customer": {"name": message.customer.name, "id": message.customer.external_id},
        "step": {"name": message.step.name, "tone": message.step.tone, "days": message.step.days},
        "invoices": rows, "count": len(rows), "not_calculated": not_calculated,
        "totals": [f.money(v, c) for c, v in sorted(totals.items())],
        "today": f.date(message.day), "deadline": f.date(deadline) if deadline else None,
        "days_to_due": min((-i.days_overdue for i in message.invoices), default=0),
        "accounts": [{"currency": c, "iban": group_iban(company.bank_accounts[c])}
                     for c in sorted(totals) if c in company.bank_accounts],
        "payment_title": payment_title(message.customer.external_id, [r["number"] for r in rows]),
    }


def deadline_for(message: PlannedMessage) -> date | None:
    return message.day + timedelta(days=message.step.deadline_days) if message.step.deadline_days else None


def build_letters(message: PlannedMessage, company: Company, interest: Interest, policy: Policy,
                  debtor: Debtor) -> list[Letter]:
    """The step's letter, one per currency; interest no rate is known for reads "not calculated"
    (and is noted for the analyst)."""
    kind = message.step.letter
    if kind is None:
        return []
    by_currency: dict[str, list[LetterItem]] = {}
    for item in message.invoices:
        inv, ch = item.invoice, interest.charges(message.customer, item)
        by_currency.setdefault(inv.currency, []).append(LetterItem(
            inv.number, inv.issue_date, inv.due_date, inv.currency, inv.open_amount, ch.interest,
            ch.compensation or ZERO))
    letters = []
    for currency, items in sorted(by_currency.items()):
        number = f"{'WEZ' if kind == 'final_demand' else 'UPM'}/{message.day:%Y%m%d}/{message.customer.external_id}/" \
                 f"{message.step.name}/{currency}"
        letters.append(Letter(
            kind=kind, number=number, issued_on=message.day, debtor=debtor, creditor=company, items=tuple(items),
            payment_title=payment_title(message.customer.external_id, [i.invoice_number for i in items]),
            jurisdiction=policy.jurisdiction(message.customer.country), consumer=message.customer.is_consumer,
            deadline=deadline_for(message)))
    return letters


def debtor_of(customer: CustomerState, street: str | None, postal_code: str | None, city: str | None,
              tax_id: str | None) -> Debtor | None:
    try:
        return Debtor(customer.external_id, customer.name, street or "", postal_code or "", city or "",
                      customer.country, customer.language, tax_id)
    except LetterError:
        return None
