"""The sample debtor an analyst plays in `receivables voice try`, one per language."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from receivables.scoring.handover import CallListEntry, CallListInvoice

SAMPLES = {
    "pl": ("Transpol sp. z o.o.", "PL", "Europe/Warsaw", "+48600100200", "PLN", "usługi transportowe"),
    "de": ("Müller Spedition GmbH", "DE", "Europe/Berlin", "+4915112345678", "EUR", "Transportleistungen"),
    "en": ("Harbour Freight Ltd", "GB", "Europe/London", "+447700900123", "EUR", "freight services"),
}


def sample_entry(lang: str, today: date) -> CallListEntry:
    name, country, tz, phone, currency, what = SAMPLES[lang]
    invoices = [
        CallListInvoice(number=f"FV/{today.year}/01/0042", issue_date=today - timedelta(days=50),
                        due_date=today - timedelta(days=36), open_amount=Decimal("1200.00"),
                        interest=Decimal("34.56"), currency=currency, description=what),
        CallListInvoice(number=f"FV/{today.year}/02/0107", issue_date=today - timedelta(days=30),
                        due_date=today - timedelta(days=16), open_amount=Decimal("850.00"),
                        interest=Decimal("9.80"), currency=currency, description=what),
    ]
    total = sum((i.open_amount + i.interest for i in invoices), Decimal("0.00"))
    return CallListEntry(customer="SAMPLE", customer_id=0, name=name, language=lang, country=country, time_zone=tz,
                         phones=[phone], tax_id_last3="218", priority=1, score=Decimal("0"), totals={currency: total},
                         invoices=invoices, reasons=["sample"])
