"""A small ledger of debtors and the call-list part that names them, for the voicebot's tests."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.ledger.invoice_sync import sync_accounting
from receivables.ledger.models import Customer, Invoice
from receivables.scoring.handover import CallListEntry, CallListInvoice, CallListPart
from sqlalchemy import select

ISSUER = "5252448487"
PEOPLE = {"pl": ("PL", "Europe/Warsaw", "+48 6{:02d} {:03d} {:03d}"),
          "de": ("DE", "Europe/Berlin", "+49 15{:d} {:04d} {:03d}"),
          "en": ("GB", "Europe/London", "+44 7{:03d} {:03d} {:03d}")}


def seed_ledger(ledger, n: int, today: date, seed: int = 1, languages=("pl", "de", "en"),
                campaign: str = "calls-test", emails: bool = True) -> CallListPart:
    """n customers with one or two overdue invoices each, in the ledger and in one call-list part."""
    rng = random.Random(seed)
    customers, invoices = [], []
    for k in range(n):
        lang = languages[k % len(languages)]
        country, tz, phone = PEOPLE[lang]
        ext = f"K{k:05d}"
        customers.append(CustomerRecord(
            external_id=ext, name=f"Firma {k} sp. z o.o." if lang == "pl" else f"Kunde {k} GmbH" if lang == "de" else f"Client {k} Ltd",
            country=country, tax_id=f"{rng.randrange(10**9, 10**10)}", language=lang,
            emails=[f"k{k}@example.com"] if emails else [], phones=[phone.format(k % 100, k % 1000, rng.randrange(1000))],
            ibans=[]))
        for j in range(1 + k % 2):
            gross = Decimal(rng.randrange(10000, 500000)) / 100
            net = (gross / Decimal("1.23")).quantize(Decimal("0.01"))
            invoices.append(InvoiceRecord(number=f"FV/2026/03/{k:04d}{j}", issuer_tax_id=ISSUER, customer_external_id=ext,
                                          issue_date=today - timedelta(days=60 + j), due_date=today - timedelta(days=30 + j),
                                          currency="PLN", net=net, vat=gross - net, gross=gross))
    with ledger.session() as s:
        sync_accounting(s, customers, invoices, None)
    with ledger.session() as s:
        ids = {c.external_id: c for c in s.scalars(select(Customer))}
        by_customer: dict[int, list[Invoice]] = {}
        for inv in s.scalars(select(Invoice).order_by(Invoice.number)):
            by_customer.setdefault(inv.customer_id, []).append(inv)
    entries = []
    for k, rec in enumerate(customers):
        c = ids[rec.external_id]
        lines = [CallListInvoice(number=i.number, issue_date=i.issue_date, due_date=i.due_date, open_amount=i.open_amount,
                                 interest=Decimal("12.34"), currency=i.currency, description="transport")
                 for i in by_customer[c.id]]
        total = sum((i.open_amount + i.interest for i in lines), Decimal("0.00"))
        entries.append(CallListEntry(customer=rec.external_id, customer_id=c.id, name=rec.name, language=rec.language,
                                     country=rec.country, time_zone=PEOPLE[rec.language][1], phones=rec.phones,
                                     tax_id_last3=rec.tax_id[-3:], priority=1 + k % 3, score=Decimal("1"),
                                     totals={"PLN": total}, invoices=lines))
    return CallListPart(campaign=campaign, created=today, part=1, parts=1, entries=entries)
