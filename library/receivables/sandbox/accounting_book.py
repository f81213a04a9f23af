"""The sandbox accounting app's books: the world's customers and invoices, held in memory.

Loaded once from the world's export with the same reader the accounting-sync robot uses, so
what the app serves and what the export says cannot drift apart. Every record carries a
`modified_at` that only moves forward: a change always sorts after everything seen before it,
even when the world's dates lie ahead of the clock, because the sync robot's cursor relies on it.
Records are replaced, never mutated, so a reader's snapshot stays consistent without the lock.
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from receivables.accounting.detect import read_invoices
from receivables.accounting.records import CustomerRecord, InvoiceLine, InvoiceRecord
from receivables.money import CENT, to_money

Clock = Callable[[], datetime]
STANDARD_RATES = (Decimal(23), Decimal(8), Decimal(5), Decimal(0))
_TICK = timedelta(microseconds=1)
_KOR = re.compile(r"KOR/(\d{4})/(\d{2})/(\d+)")
_DESCRIPTIONS = (
    "Usługi transportowe", "Spedycja międzynarodowa", "Magazynowanie towarów", "Obsługa celna",
    "Usługi doradcze", "Licencja oprogramowania – abonament", "Wdrożenie systemu", "Szkolenie pracowników",
    "Serwis urządzeń", "Wynajem palet", "Ubezpieczenie ładunku", "Opłata paliwowa",
)  # fmt: skip
_QUANTITIES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 20, 24)
_INVOICE_FIELDS = {f.name for f in fields(InvoiceRecord)} - {"number", "kind", "corrects", "lines", "customer"}
_CUSTOMER_FIELDS = {f.name for f in fields(CustomerRecord)} - {"external_id"}


@dataclass(frozen=True)
class BookInvoice:
    """One document as the app stores it: a stable id for URLs, the record, when it last changed."""

    id: int
    record: InvoiceRecord
    modified_at: datetime


@dataclass(frozen=True)
class BookCustomer:
    record: CustomerRecord
    modified_at: datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


class AccountingBook:
    """Thread-safe store of customers and invoices; changes stamp `modified_at` with the clock."""

    def __init__(self, customers: list[CustomerRecord], invoices: list[InvoiceRecord], *,
                 clock: Clock | None = None, payee_ibans: Mapping[str, str] | None = None) -> None:
        self._clock = clock or utc_now
        self._lock = threading.RLock()
        self._invoices: dict[str, BookInvoice] = {}
        self._customers: dict[str, BookCustomer] = {}
        self._by_id: dict[int, str] = {}
        self._corrections: dict[str, set[str]] = {}
        self._next_id = 1
        self._ordered: list[BookInvoice] | None = None
        ibans = dict(payee_ibans or {})
        for invoice in invoices:
            record = replace(invoice, customer=None, lines=derive_lines(invoice),
                             payee_iban=invoice.payee_iban or ibans.get(invoice.currency))
            self._add(record, _morning(invoice.issue_date))
        first_seen: dict[str, datetime] = {}
        for entry in self._invoices.values():
            key = entry.record.customer_external_id
            first_seen[key] = min(first_seen.get(key, entry.modified_at), entry.modified_at)
        default = min(first_seen.values(), default=datetime(2000, 1, 1, 8, tzinfo=UTC))
        for customer in customers:
            stamp = first_seen.get(customer.external_id, default)
            self._customers[customer.external_id] = BookCustomer(copy.deepcopy(customer), stamp)
        self._high_water = max([e.modified_at for e in self._invoices.values()]
                               + [c.modified_at for c in self._customers.values()], default=default)

    @classmethod
    def load(cls, world: Path, *, clock: Clock | None = None,
             payee_ibans: Mapping[str, str] | None = None) -> AccountingBook:
        """Read world/accounting (the sandbox export); payee IBANs default to the world's bank accounts."""
        batch = read_invoices(Path(world) / "accounting", mapping="sandbox")
        ibans = payee_ibans if payee_ibans is not None else world_accounts(Path(world))
        return cls(batch.customers, batch.invoices, clock=clock, payee_ibans=ibans)

    # -- reading ---------------------------------------------------------------------------
    def invoice_entries(self) -> list[BookInvoice]:
        """All documents ordered by issue date, then number (the app's list order); shared, do not change it."""
        with self._lock:
            if self._ordered is None:
                self._ordered = sorted(self._invoices.values(),
                                       key=lambda e: (e.record.issue_date, e.record.number))
            return self._ordered

    def customer_entries(self) -> list[BookCustomer]:
        with self._lock:
            return sorted(self._customers.values(), key=lambda c: c.record.external_id)

    def entry(self, number: str) -> BookInvoice:
        with self._lock:
            return self._invoices[number]

    def entry_by_id(self, invoice_id: int) -> BookInvoice:
        with self._lock:
            return self._invoices[self._by_id[invoice_id]]

    def customer_entry(self, external_id: str) -> BookCustomer:
        with self._lock:
            return self._customers[external_id]

    def invoices(self) -> list[InvoiceRecord]:
        return [copy.deepcopy(e.record) for e in self.invoice_entries()]

    def customers(self) -> list[CustomerRecord]:
        return [copy.deepcopy(c.record) for c in self.customer_entries()]

    def invoice(self, number: str) -> InvoiceRecord:
        return copy.deepcopy(self.entry(number).record)

    def customer(self, external_id: str) -> CustomerRecord:
        return copy.deepcopy(self.customer_entry(external_id).record)

    def credit_notes_for(self, number: str) -> list[str]:
        with self._lock:
            return sorted(self._corrections.get(number, ()))

    def corrected_numbers(self) -> set[str]:
        """Invoices some credit note corrects: their status shows "corrected", else "issued"."""
        with self._lock:
            return {number for number, notes in self._corrections.items() if notes}

    def status(self, number: str) -> str:
        return "corrected" if number in self.corrected_numbers() else "issued"

    # -- changing --------------------------------------------------------------------------
    def change_invoice(self, number: str, **changes: Any) -> InvoiceRecord:
        """Change fields of one document (due_date, net/vat/gross, ...); lines follow the amounts."""
        unknown = set(changes) - _INVOICE_FIELDS
        if unknown:
            raise TypeError(f"cannot change {sorted(unknown)}; changeable: {sorted(_INVOICE_FIELDS)}")
        for key in ("net", "vat", "gross"):
            if key in changes:
                changes[key] = to_money(changes[key])
        with self._lock:
            entry = self._invoices[number]
            record = replace(entry.record, **changes)
            if "due_date" in changes and "payment_terms_days" not in changes:
                record.payment_terms_days = (record.due_date - record.issue_date).days
            if record.due_date < record.issue_date:
                raise ValueError(f"due date {record.due_date} is before the issue date {record.issue_date}")
            if record.customer_external_id not in self._customers:
                raise KeyError(f"unknown customer {record.customer_external_id}")
            record.lines = derive_lines(record)
            self._invoices[number] = BookInvoice(entry.id, record, self._stamp())
            self._ordered = None
            return copy.deepcopy(record)

    def issue_credit_note(self, invoice_number: str, net: Decimal, vat: Decimal,
                          issue_date: date | None = None) -> str:
        """Correct an invoice by (-net, -vat); the original is untouched except its shown status.

        The issue date defaults to the clock's day, but never before the invoice's own.
        """
        net, vat = -abs(to_money(net)), -abs(to_money(vat))
        if net == 0 and vat == 0:
            raise ValueError("a credit note needs a non-zero amount")
        with self._lock:
            original = self._invoices[invoice_number].record
            if original.kind != "invoice":
                raise ValueError(f"{invoice_number} is a credit note; correct the invoice itself")
            day = issue_date or max(self._clock().astimezone(UTC).date(), original.issue_date)
            if day < original.issue_date:
                raise ValueError(f"a credit note cannot predate the invoice ({original.issue_date})")
            credited = sum((self._invoices[n].record.gross for n in self.credit_notes_for(invoice_number)),
                           Decimal(0))
            if original.gross + credited + net + vat < 0:
                raise ValueError(f"credit notes would exceed the invoice's gross {original.gross}")
            number = self._next_credit_number(day)
            record = InvoiceRecord(
                number=number, issuer_tax_id=original.issuer_tax_id,
                customer_external_id=original.customer_external_id, issue_date=day, due_date=day,
                currency=original.currency, net=net, vat=vat, gross=net + vat, kind="credit_note",
                corrects=invoice_number, payment_terms_days=0, payee_iban=original.payee_iban)
            record.lines = derive_lines(record)
            self._add(record, self._stamp())
            return number

    def change_customer(self, external_id: str, **changes: Any) -> CustomerRecord:
        unknown = set(changes) - _CUSTOMER_FIELDS
        if unknown:
            raise TypeError(f"cannot change {sorted(unknown)}; changeable: {sorted(_CUSTOMER_FIELDS)}")
        with self._lock:
            record = replace(self._customers[external_id].record, **copy.deepcopy(changes))
            self._customers[external_id] = BookCustomer(record, self._stamp())
            return copy.deepcopy(record)

    def remove_invoice(self, number: str) -> None:
        """Delete a document, as if someone removed it in the accounting system."""
        with self._lock:
            entry = self._invoices.pop(number)
            del self._by_id[entry.id]
            if entry.record.corrects:
                self._corrections[entry.record.corrects].discard(number)
            self._ordered = None

    # -- internals -------------------------------------------------------------------------
    def _add(self, record: InvoiceRecord, stamp: datetime) -> None:
        if record.number in self._invoices:
            raise ValueError(f"invoice {record.number} already exists")
        self._invoices[record.number] = BookInvoice(self._next_id, record, stamp)
        self._by_id[self._next_id] = record.number
        if record.corrects:
            self._corrections.setdefault(record.corrects, set()).add(record.number)
        self._next_id += 1
        self._ordered = None

    def _stamp(self) -> datetime:
        now = self._clock().astimezone(UTC)
        self._high_water = max(now, self._high_water + _TICK)
        return self._high_water

    def _next_credit_number(self, day: date) -> str:
        month = f"{day:%Y}/{day:%m}"
        serials = [int(m[3]) for n in self._invoices if (m := _KOR.fullmatch(n)) and f"{m[1]}/{m[2]}" == month]
        return f"KOR/{month}/{max(serials, default=0) + 1:04d}"


def world_accounts(world: Path) -> dict[str, str]:
    """Currency -> the company's IBAN, from the world's bank folders (one per account)."""
    from receivables.banking.detect import iter_statements

    found: dict[str, str] = {}
    for folder in sorted((world / "bank").glob("*")):
        files = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        if files:
            first = next(iter(iter_statements(files[0])[1]), None)
            if first is not None:
                found.setdefault(first.currency, folder.name)
    return found


def derive_lines(invoice: InvoiceRecord) -> list[InvoiceLine]:
    """1-3 lines chosen by the invoice number whose net, VAT and gross add up exactly.

    The world has totals only; lines make the detail page look like a real invoice while the
    totals stay the truth (the last line absorbs every rounding difference).
    """
    digest = hashlib.sha256(invoice.number.encode("utf-8")).digest()
    sign = -1 if invoice.net < 0 or (invoice.net == 0 and invoice.gross < 0) else 1
    cents = int(abs(invoice.net) / CENT)
    count = 1 + digest[0] % 3
    if cents < 100 * count:
        count = 1
    weights = [1 + digest[1 + i] % 9 for i in range(count)]
    nets = [sign * CENT * (cents * w // sum(weights)) for w in weights[:-1]]
    nets.append(invoice.net - sum(nets, Decimal(0)))
    rate = _rate(invoice.net, invoice.vat)
    vats = [(n * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP) for n in nets[:-1]]
    vats.append(invoice.vat - sum(vats, Decimal(0)))
    grosses = [n + v for n, v in zip(nets[:-1], vats[:-1], strict=True)]
    grosses.append(invoice.gross - sum(grosses, Decimal(0)))
    prefix = "Korekta: " if invoice.kind == "credit_note" else ""
    lines = []
    for i, (net, vat, gross) in enumerate(zip(nets, vats, grosses, strict=True)):
        quantity = _quantity(net, digest[4 + i])
        lines.append(InvoiceLine(
            description=prefix + _DESCRIPTIONS[(digest[8 + i] + i) % len(_DESCRIPTIONS)],
            quantity=Decimal(quantity), unit_price=(net / quantity).quantize(CENT), net=net,
            vat_rate=rate, vat=vat, gross=gross))
    return lines


def _rate(net: Decimal, vat: Decimal) -> Decimal:
    """The standard rate (percent) nearest to vat/net."""
    if net == 0:
        return Decimal(0)
    actual = vat / net * 100
    return min(STANDARD_RATES, key=lambda rate: abs(rate - actual))


def _quantity(net: Decimal, byte: int) -> int:
    """A quantity that divides the line's net into whole cents (1 when none does)."""
    cents = int(abs(net) / CENT)
    fitting = [q for q in _QUANTITIES if cents and cents % q == 0]
    return fitting[byte % len(fitting)] if fitting else 1


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(8), tzinfo=UTC)
