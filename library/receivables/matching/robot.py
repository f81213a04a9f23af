"""The reconcile robot: the analysts' decisions first, then every pending incoming payment.

Pending payments are incoming bank transactions not yet settled (`new`, or `review` from an
earlier run: an invoice may have arrived since). The engine's `auto` allocations are posted; the
rest go to output/exceptions.xlsx with the best suggestions. The workbook the analysts filled
in is read back on the next run: decisions are posted as `confirmed`, teach the engine (payer
IBAN and name -> customer) and the workbook is archived. A workbook with an unreadable decision
is left untouched for the analyst to fix (nothing of it is applied, and no new one overwrites it).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.export import export_workbook
from receivables.ledger.models import BankTransaction, Customer, CustomerIban, Invoice, PayerAlias, Run
from receivables.ledger.repository import ZERO, add_allocation, log_event
from receivables.matching import Knowledge, OpenInvoice, Payment, load_match_config, match
from receivables.matching.decisions import Decision, DecisionError
from receivables.matching.learning import learn
from receivables.matching.workbook import exception_rows, read_decisions, write_exceptions

ROBOT = "reconcile"
PENDING = ("new", "review")
OPEN = ("open", "partially_paid")


@dataclass
class Ledgered:
    """What the engine needs from the ledger, plus the ids to write back."""

    invoices: list[OpenInvoice]
    payments: list[Payment]
    knowledge: Knowledge
    invoice_ids: dict[str, int] = field(default_factory=dict)
    customer_ids: dict[str, int] = field(default_factory=dict)


def reconcile(settings: Settings, ledger: Ledger, run: Run, today: date | None = None, **_: Any) -> dict[str, Any]:
    workbook = settings.paths.output / "exceptions.xlsx"
    summary: dict[str, Any] = {"exceptions_workbook": str(workbook)}
    keep_workbook = False
    if workbook.exists():
        try:
            decisions = read_decisions(workbook)
        except DecisionError as exc:
            summary["decision_errors"] = exc.problems
            keep_workbook = True
        else:
            with ledger.session() as s:
                summary["decisions"] = apply_decisions(s, decisions, run.id)
            archive = settings.paths.output / "exceptions" / f"decided-run-{run.id}.xlsx"
            archive.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(workbook, archive)

    with ledger.session() as s:
        data = load(s)
    result = match(data.invoices, data.payments, load_match_config(), data.knowledge)
    with ledger.session() as s:
        summary.update(post(s, data, result, run.id))
    if not keep_workbook:
        summary["exceptions"] = write_exceptions(workbook, exception_rows(result, data.payments))
    summary["master_ledger"] = str(settings.paths.output / "master_ledger.xlsx")
    export_workbook(ledger, settings.paths.output / "master_ledger.xlsx")
    return summary


def load(s: Session) -> Ledgered:
    customers = {c.id: c for c in s.scalars(select(Customer))}
    ibans: dict[int, list[str]] = {}
    learned_ibans: dict[str, set[str]] = {}
    for row in s.scalars(select(CustomerIban)):
        ibans.setdefault(row.customer_id, []).append(row.iban)
    for iban, customer_id in s.execute(
            select(BankTransaction.counterparty_iban, BankTransaction.customer_id)
            .where(BankTransaction.customer_id.is_not(None), BankTransaction.counterparty_iban.is_not(None))):
        learned_ibans.setdefault(iban, set()).add(customers[customer_id].external_id)
    knowledge = Knowledge(
        iban_to_customer={iban: next(iter(c)) for iban, c in learned_ibans.items() if len(c) == 1},
        name_aliases={a.alias: customers[a.customer_id].external_id for a in s.scalars(select(PayerAlias))},
    )
    data = Ledgered([], [], knowledge, customer_ids={c.external_id: c.id for c in customers.values()})
    for inv in s.scalars(select(Invoice).where(Invoice.kind == "invoice", Invoice.status.in_(OPEN),
                                               Invoice.open_amount > ZERO).order_by(Invoice.due_date, Invoice.id)):
        c = customers[inv.customer_id]
        data.invoices.append(_open_invoice(inv, c, ibans.get(c.id, ())))
        data.invoice_ids[inv.number] = inv.id
    for tx in s.scalars(select(BankTransaction).where(BankTransaction.status.in_(PENDING), BankTransaction.amount > 0)
                        .order_by(BankTransaction.booking_date, BankTransaction.id)):
        data.payments.append(_payment(tx))
    return data


def _open_invoice(inv: Invoice, customer: Customer, ibans: Iterable[str]) -> OpenInvoice:
    return OpenInvoice(inv.number, customer.external_id, customer.name, customer.tax_id, tuple(ibans),
                       inv.issue_date, inv.due_date, inv.currency, inv.open_amount)


def _payment(tx: BankTransaction) -> Payment:
    return Payment(str(tx.id), tx.booking_date, tx.amount, tx.currency, tx.counterparty_name,
                   tx.counterparty_iban, tx.title)


def post(s: Session, data: Ledgered, result: Any, run_id: int | None) -> dict[str, Any]:
    """Post the auto allocations; payments left over wait for an analyst."""
    auto = [a for a in result.allocations if a.status == "auto"]
    methods = Counter(a.method for a in auto)
    surplus = {x.payment_id for x in result.surpluses}
    for allocation in auto:
        tx = s.get(BankTransaction, int(allocation.payment_id))
        invoice = s.get(Invoice, data.invoice_ids[allocation.invoice_number])
        add_allocation(s, tx, invoice, allocation.amount, allocation.method, allocation.confidence, "auto", run_id)
        tx.customer_id = invoice.customer_id
    for pid in surplus:
        s.get(BankTransaction, int(pid)).status = "credit"
    for pid in result.unmatched:
        s.get(BankTransaction, int(pid)).status = "review"
    credits = Counter()
    for x in result.surpluses:
        credits[x.currency] += x.amount
    return {
        "payments": len(data.payments), "open_invoices": len(data.invoices),
        "auto_posted_payments": len(result.auto_posted()), "allocations": len(auto),
        "methods": dict(methods), "to_review": len(result.unmatched),
        "flags": dict(Counter(result.flags.values())),
        "credit": {currency: str(amount) for currency, amount in credits.items()},
    }


def apply_decisions(s: Session, decisions: list[Decision], run_id: int | None) -> dict[str, Any]:
    """Post what analysts decided and learn from it; a payment settled meanwhile is skipped."""
    applied, skipped, problems = [], 0, []
    txs = {d.payment_id: s.get(BankTransaction, int(d.payment_id)) if d.payment_id.isdigit() else None
           for d in decisions}
    for d in decisions:
        tx = txs[d.payment_id]
        if tx is None or tx.status not in PENDING:
            skipped += 1
            continue
        try:
            with s.begin_nested():
                _apply(s, d, tx, run_id)
            applied.append(d)
        except (LookupError, ValueError) as exc:
            problems.append(f"row {d.row} (payment {d.payment_id}): {exc}")
    learned = _learn(s, applied, txs, run_id)
    return {"applied": len(applied), "skipped": skipped, "problems": problems, **learned}


def _apply(s: Session, d: Decision, tx: BankTransaction, run_id: int | None) -> None:
    if d.action == "ignore":
        tx.status = "ignored"
        log_event(s, "payment_ignored", "analyst", run_id, transaction_id=tx.id, decision=d.text)
        return
    if d.action == "customer":
        customer = s.scalar(select(Customer).where(Customer.external_id == d.customer_id))
        if customer is None:
            raise LookupError(f"no customer {d.customer_id}")
        tx.customer_id, tx.status = customer.id, "credit"
        log_event(s, "payment_kept_as_credit", "analyst", run_id, customer.id, transaction_id=tx.id,
                  amount=tx.amount)
        return
    invoices = []
    for number in d.invoice_numbers:
        inv = s.scalar(select(Invoice).where(Invoice.number == number))
        if inv is None:
            raise LookupError(f"no invoice {number}")
        invoices.append(inv)
    # named amounts first; invoices without one get what is open, oldest first, while money is left
    named = [(inv, amount) for inv, amount in zip(invoices, d.amounts, strict=True) if amount is not None]
    rest = sorted((inv for inv, amount in zip(invoices, d.amounts, strict=True) if amount is None),
                  key=lambda inv: (inv.due_date, inv.id))
    left = tx.amount
    for inv, amount in named + [(inv, None) for inv in rest]:
        if amount is None:
            amount = min(max(inv.open_amount, ZERO), left)
        if amount <= ZERO:
            continue
        add_allocation(s, tx, inv, amount, "analyst", 1.0, "confirmed", run_id, confirmed_by="analyst")
        tx.customer_id = inv.customer_id
        left -= amount
    if tx.allocated < tx.amount:
        tx.status = "credit"


def _learn(s: Session, decisions: list[Decision], txs: dict[str, BankTransaction | None],
           run_id: int | None) -> dict[str, int]:
    """Persist the IBANs and payer names these decisions tie to one customer."""
    payments = [_payment(tx) for tx in txs.values() if tx is not None]
    numbers = {n for d in decisions for n in d.invoice_numbers}
    customers = {c.id: c for c in s.scalars(select(Customer))}
    invoices = [_open_invoice(inv, customers[inv.customer_id], (i.iban for i in customers[inv.customer_id].ibans))
                for inv in s.scalars(select(Invoice).where(Invoice.number.in_(sorted(numbers))))]
    lesson = learn(None, decisions, payments, invoices)
    by_external = {c.external_id: c for c in customers.values()}
    ibans = aliases = 0
    for iban, external in lesson.iban_to_customer.items():
        customer = by_external.get(external)
        if customer and iban not in {i.iban for i in customer.ibans}:
            s.add(CustomerIban(customer_id=customer.id, iban=iban, source="analyst", created_run_id=run_id))
            ibans += 1
    for alias, external in lesson.name_aliases.items():
        customer = by_external.get(external)
        if customer is None:
            continue
        row = s.scalar(select(PayerAlias).where(PayerAlias.alias == alias))
        if row is None:
            s.add(PayerAlias(alias=alias, customer_id=customer.id, source="analyst", created_run_id=run_id))
        else:
            row.customer_id = customer.id
        aliases += 1
    return {"learned_ibans": ibans, "learned_aliases": aliases}

