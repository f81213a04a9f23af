"""Which customer a message is from, and which of our invoices it names, looked up per batch.

The sender's address is the strongest sign; then invoice numbers that all belong to one
customer; then a tax id or an IBAN in the text; then the sender's company domain (never a
public mail provider's). A bounce is about the address that failed, not about its sender.
Invoices another customer owns are never acted on for this one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from receivables.ledger.models import Contact, Customer, CustomerIban, Invoice

PUBLIC_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "yahoo.com", "icloud.com", "aol.com",
    "wp.pl", "onet.pl", "o2.pl", "interia.pl", "op.pl", "gazeta.pl", "poczta.fm", "tlen.pl",
    "gmx.de", "gmx.net", "web.de", "t-online.de", "freenet.de", "posteo.de", "mail.de", "btinternet.com",
})


@dataclass
class Lookup:
    """What one message offers to identify its customer."""

    addresses: list[str]  # the sender, or a bounce's failed recipients
    invoice_numbers: list[str]
    tax_ids: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)


@dataclass
class Identified:
    customer_id: int | None
    how: str | None  # "sender", "invoice", "tax id", "iban", "domain"
    invoices: dict[str, int] = field(default_factory=dict)  # number -> invoice id, this customer's only
    foreign: list[str] = field(default_factory=list)  # numbers another customer owns
    unknown: list[str] = field(default_factory=list)  # numbers the ledger does not know
    language: str | None = None


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def identify(session: Session, lookups: list[Lookup]) -> list[Identified]:
    """One answer per lookup, in order, with a handful of queries for the whole batch."""
    addresses = {a.lower() for lk in lookups for a in lk.addresses}
    numbers = {n for lk in lookups for n in lk.invoice_numbers}
    taxes = {t for lk in lookups for t in lk.tax_ids}
    accounts = {i for lk in lookups for i in lk.ibans}
    domains = {_domain(a) for a in addresses} - PUBLIC_DOMAINS

    by_address = _pairs(session.execute(
        select(func.lower(Contact.value), Contact.customer_id)
        .where(Contact.kind == "email", func.lower(Contact.value).in_(addresses)))) if addresses else {}
    invoices: dict[str, list[tuple[int, int]]] = {}
    if numbers:
        for number, invoice_id, customer_id in session.execute(
                select(Invoice.number, Invoice.id, Invoice.customer_id).where(Invoice.number.in_(numbers))):
            invoices.setdefault(number, []).append((invoice_id, customer_id))
    by_tax = _pairs(session.execute(select(Customer.tax_id, Customer.id).where(Customer.tax_id.in_(taxes)))) \
        if taxes else {}
    by_iban = _pairs(session.execute(
        select(CustomerIban.iban, CustomerIban.customer_id).where(CustomerIban.iban.in_(accounts)))) \
        if accounts else {}
    by_domain: dict[str, int] = {}
    if domains:
        rows = session.execute(select(Contact.value, Contact.customer_id).where(
            Contact.kind == "email", or_(*(func.lower(Contact.value).like(f"%@{d}") for d in domains))))
        for value, customer_id in rows:
            by_domain.setdefault(_domain(value), customer_id)

    answers = []
    for lk in lookups:
        owners = {cid for n in lk.invoice_numbers for _, cid in invoices.get(n, [])}
        candidates = [
            ("sender", _first(by_address.get(a.lower()) for a in lk.addresses)),
            ("invoice", next(iter(owners)) if len(owners) == 1 else None),
            ("tax id", _first(by_tax.get(t) for t in lk.tax_ids)),
            ("iban", _first(by_iban.get(i) for i in lk.ibans)),
            ("domain", _first(by_domain.get(_domain(a)) for a in lk.addresses)),
        ]
        how, customer_id = next(((h, c) for h, c in candidates if c is not None), (None, None))
        answer = Identified(customer_id, how)
        for number in lk.invoice_numbers:
            mine = [iid for iid, cid in invoices.get(number, []) if cid == customer_id]
            if mine:
                answer.invoices[number] = mine[0]
            elif number in invoices:
                answer.foreign.append(number)
            else:
                answer.unknown.append(number)
        answers.append(answer)
    known = {a.customer_id for a in answers if a.customer_id is not None}
    languages = dict(session.execute(select(Customer.id, Customer.language).where(Customer.id.in_(known))).all()) if known else {}
    for answer in answers:
        answer.language = languages.get(answer.customer_id)
    return answers


def _pairs(rows: Iterable) -> dict:
    out: dict = {}
    for key, value in rows:
        out.setdefault(key, value)
    return out


def _first(values: Iterable[int | None]) -> int | None:
    return next((v for v in values if v is not None), None)
