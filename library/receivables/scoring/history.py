"""The ledger's payment history as pandas frames: what the features, the segments and the call list read.

Amounts come out as float PLN-equivalents (a feature is a score, never money) next to the exact
currency amounts the call list takes from the ledger itself. Dates are numpy datetime64[D].
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, select, type_coerce

from receivables.ledger.models import CallAttempt, Contact, Customer, Dispute, Invoice, OptOut, Promise

if TYPE_CHECKING:
    import pandas as pd

    from receivables.dunning.fx import FxTable
    from receivables.ledger.db import Ledger

OPEN_STATUSES = ("open", "partially_paid")
PAID_STATUSES = ("paid", "overpaid")


@dataclass
class History:
    invoices: pd.DataFrame  # id, number, customer_id, dates, currency, gross_pln, open_pln, status, terms, flags
    customers: pd.DataFrame  # id, external_id, name, country, language, tax_id, is_consumer, suspected_fraud, segment
    promises: pd.DataFrame  # customer_id, invoice_id, promised_date, status, created
    disputes: pd.DataFrame  # customer_id, invoice_id, status, opened
    attempts: pd.DataFrame  # customer_id, started (datetime64[s] UTC-naive), result
    phones: pd.DataFrame  # customer_id, value, valid, invalid_reason
    opt_outs: pd.DataFrame  # customer_id, channel


def pln_factors(fx: FxTable, today: date, currencies: set[str]) -> dict[str, float]:
    """PLN per unit at the newest NBP rate on or before `today`; 1.0 where the table knows none."""
    newest: dict[str, tuple[date, Decimal]] = {}
    for r in fx.rows():
        if r.on <= today and (r.currency not in newest or r.on > newest[r.currency][0]):
            newest[r.currency] = (r.on, r.mid)
    return {c: 1.0 if c == "PLN" or c not in newest else float(newest[c][1]) for c in currencies}


def load_history(ledger: Ledger, today: date, fx: FxTable) -> History:
    import pandas as pd

    cents = lambda col: type_coerce(col, BigInteger)  # noqa: E731 - raw cents, skipping Decimal per row
    with ledger.session() as s:
        inv = pd.DataFrame(s.execute(
            select(Invoice.id, Invoice.number, Invoice.customer_id, Invoice.issue_date, Invoice.due_date,
                   Invoice.paid_date, Invoice.currency, cents(Invoice.gross), cents(Invoice.open_amount),
                   Invoice.status, Invoice.payment_terms_days, Invoice.disputed, Invoice.promised, Invoice.in_court,
                   Invoice.written_off)
            .where(Invoice.kind == "invoice", Invoice.missing_from_source.is_(False),
                   Invoice.status.notin_(("credited", "credit_note")))).all(),
            columns=["id", "number", "customer_id", "issue_date", "due_date", "paid_date", "currency", "gross", "open",
                     "status", "terms", "disputed", "promised", "in_court", "written_off"])
        customers = pd.DataFrame(s.execute(
            select(Customer.id, Customer.external_id, Customer.name, Customer.country, Customer.language,
                   Customer.tax_id, Customer.is_consumer, Customer.suspected_fraud, Customer.segment)).all(),
            columns=["id", "external_id", "name", "country", "language", "tax_id", "is_consumer",
                     "suspected_fraud", "segment"])
        promises = pd.DataFrame(s.execute(
            select(Promise.customer_id, Promise.invoice_id, Promise.promised_date, Promise.status,
                   Promise.created_at)).all(),
            columns=["customer_id", "invoice_id", "promised_date", "status", "created"])
        disputes = pd.DataFrame(s.execute(
            select(Dispute.customer_id, Dispute.invoice_id, Dispute.status, Dispute.opened_at)).all(),
            columns=["customer_id", "invoice_id", "status", "opened"])
        attempts = pd.DataFrame(s.execute(
            select(CallAttempt.customer_id, CallAttempt.started_at, CallAttempt.result)).all(),
            columns=["customer_id", "started", "result"])
        phones = pd.DataFrame(s.execute(
            select(Contact.customer_id, Contact.value, Contact.valid, Contact.invalid_reason)
            .where(Contact.kind == "phone").order_by(Contact.id)).all(),
            columns=["customer_id", "value", "valid", "invalid_reason"])
        opt_outs = pd.DataFrame(s.execute(select(OptOut.customer_id, OptOut.channel)).all(),
                                columns=["customer_id", "channel"])
    factors = pln_factors(fx, today, set(inv["currency"]) if len(inv) else set())
    rate = inv["currency"].map(factors).astype(float) if len(inv) else pd.Series([], dtype=float)
    inv["gross_pln"] = inv["gross"].astype(float) / 100 * rate
    inv["open_pln"] = inv["open"].astype(float) / 100 * rate
    inv = inv.drop(columns=["gross", "open"])
    for col in ("issue_date", "due_date", "paid_date"):
        inv[col] = pd.to_datetime(inv[col]).astype("datetime64[s]")
    inv["terms"] = inv["terms"].fillna((inv["due_date"] - inv["issue_date"]).dt.days).astype(float)
    for col in ("disputed", "promised", "in_court", "written_off"):
        inv[col] = inv[col].astype(bool)
    promises["promised_date"] = pd.to_datetime(promises["promised_date"]).astype("datetime64[s]")
    promises["created"] = _naive_day(promises["created"])
    disputes["opened"] = _naive_day(disputes["opened"])
    attempts["started"] = pd.to_datetime(attempts["started"], utc=True).dt.tz_localize(None).astype("datetime64[s]")
    for col in ("is_consumer", "suspected_fraud"):
        customers[col] = customers[col].astype(bool)
    phones["valid"] = phones["valid"].astype(bool)
    return History(inv.sort_values("id", ignore_index=True), customers, promises, disputes, attempts, phones,
                   opt_outs)


def _naive_day(column: pd.Series) -> pd.Series:
    import pandas as pd

    return pd.to_datetime(column, utc=True).dt.tz_localize(None).dt.floor("D").astype("datetime64[s]")
