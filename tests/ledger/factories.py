"""Records for ledger tests."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.banking.records import Statement, StatementTransaction

ISSUER = "5252448487"


def customer_rec(**kw) -> CustomerRecord:
    base = dict(external_id="K00001", name="Transpol sp. z o.o.", country="PL", tax_id="1234563218",
                emails=["ksiegowosc@transpol.pl"], phones=["+48 600 100 200"], language="pl",
                ibans=["PL61109010140000071219812874"])
    base.update(kw)
    return CustomerRecord(**base)


def invoice_rec(number="FV/2024/05/0001", gross="1230.00", due=date(2024, 5, 31), **kw) -> InvoiceRecord:
    gross_d = Decimal(gross)
    net = (gross_d / Decimal("1.23")).quantize(Decimal("0.01"))
    base = dict(number=number, issuer_tax_id=ISSUER, customer_external_id="K00001",
                issue_date=date(2024, 5, 1), due_date=due, currency="PLN", net=net, vat=gross_d - net,
                gross=gross_d)
    base.update(kw)
    return InvoiceRecord(**base)


def add_customer_with_invoices(session, *invoices: InvoiceRecord, customer: CustomerRecord | None = None):
    """Sync one customer and its invoices the way accounting-sync does; returns the ORM objects."""
    from sqlalchemy import select

    from receivables.ledger.invoice_sync import sync_accounting
    from receivables.ledger.models import Customer, Invoice

    customer = customer or customer_rec()
    sync_accounting(session, [customer], invoices, None)
    found = session.scalar(select(Customer).where(Customer.external_id == customer.external_id))
    by_number = {i.number: i for i in session.scalars(select(Invoice).where(Invoice.customer_id == found.id))}
    return found, [by_number[i.number] for i in invoices]


def tx(amount: str, ref: str | None, day=date(2024, 6, 3), title="FV/2024/05/0001") -> StatementTransaction:
    return StatementTransaction(booking_date=day, value_date=day, amount=Decimal(amount), currency="PLN",
                                counterparty_name="TRANSPOL", counterparty_iban="PL61109010140000071219812874",
                                title=title, reference=ref)


def statement(sid: str, *txs: StatementTransaction) -> Statement:
    return Statement(account="PL27114020040000300201355387", statement_id=sid, currency="PLN",
                     transactions=list(txs))


def add_open_invoices(session, customer_id: int, invoices, currency: str = "PLN") -> dict[str, int]:
    """Open invoices straight into the ledger: (number, due date, gross), issued 14 days before due,
    no VAT; returns number -> id."""
    from receivables.ledger.models import Invoice

    ids = {}
    for number, due, gross in invoices:
        inv = Invoice(number=number, issuer_tax_id=ISSUER, customer_id=customer_id, issue_date=due - timedelta(14),
                      due_date=due, currency=currency, net=Decimal(gross), vat=Decimal("0"), gross=Decimal(gross),
                      open_amount=Decimal(gross), status="open")
        session.add(inv)
        session.flush()
        ids[number] = inv.id
    return ids
