"""Customer measures as of today, the segment the rules give each customer, and writing it to the ledger.

customers.segment is where the reminders robot reads the dunning track; a change is logged as a
`segment_changed` event (from, to, why), so an analyst sees when and why a customer moved.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from receivables.ledger.repository import log_event
from receivables.scoring.history import OPEN_STATUSES
from receivables.scoring.rules import Rules, Segment

if TYPE_CHECKING:
    import pandas as pd

    from receivables.ledger.db import Ledger
    from receivables.scoring.history import History

ACTOR = "call-list"
MEASURES = ("open_amount_pln", "overdue_amount_pln", "max_days_overdue", "settled", "late_share", "avg_days_late",
            "broken_promises", "kept_promises", "open_disputes", "risk", "suspected_fraud", "is_consumer")


def customer_measures(history: History, risk: pd.Series, today: date, late_days: int) -> pd.DataFrame:
    """One row per customer (index: customer id) with MEASURES; `risk`: probability per open invoice id."""
    import pandas as pd

    inv = history.invoices
    day = np.datetime64(today, "s")
    out = pd.DataFrame(index=pd.Index(history.customers["id"].to_numpy(), name="customer_id"))
    is_open = inv["status"].isin(OPEN_STATUSES) & (inv["open_pln"] > 0)
    open_inv = inv[is_open]
    overdue_days = ((day - open_inv["due_date"]) / np.timedelta64(1, "D")).clip(lower=0)
    out["open_amount_pln"] = open_inv.groupby("customer_id")["open_pln"].sum()
    out["overdue_amount_pln"] = open_inv[overdue_days > 0].groupby("customer_id")["open_pln"].sum()
    out["max_days_overdue"] = overdue_days.groupby(open_inv["customer_id"]).max()
    paid = inv[inv["paid_date"].notna() & (inv["paid_date"] <= day)]
    delay = (paid["paid_date"] - paid["due_date"]) / np.timedelta64(1, "D")
    by = delay.groupby(paid["customer_id"])
    out["settled"] = by.size()
    out["late_share"] = (delay > late_days).groupby(paid["customer_id"]).mean()
    out["avg_days_late"] = by.mean()
    promises = history.promises
    out["broken_promises"] = (promises["status"] == "broken").groupby(promises["customer_id"]).sum()
    out["kept_promises"] = (promises["status"] == "kept").groupby(promises["customer_id"]).sum()
    disputes = history.disputes
    rows = (disputes["status"] == "open").groupby(disputes["customer_id"]).sum()
    flagged = (open_inv["disputed"]).groupby(open_inv["customer_id"]).sum()
    out["open_disputes"] = pd.concat([rows, flagged], axis=1).max(axis=1)
    risk_by_invoice = pd.Series(risk, name="risk")
    joined = open_inv[["id", "customer_id"]].merge(risk_by_invoice, left_on="id", right_index=True, how="inner")
    out["risk"] = joined.groupby("customer_id")["risk"].max()
    flags = history.customers.set_index("id")
    out["suspected_fraud"] = flags["suspected_fraud"]
    out["is_consumer"] = flags["is_consumer"]
    zero = ["open_amount_pln", "overdue_amount_pln", "max_days_overdue", "settled", "broken_promises",
            "kept_promises", "open_disputes"]
    out[zero] = out[zero].fillna(0)
    return out[list(MEASURES)]


def _plain(value: Any) -> float | bool | None:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return float(value)


def classify(rules: Rules, measures: pd.DataFrame) -> dict[int, Segment]:
    out = {}
    for customer_id, row in zip(measures.index, measures.to_dict("records"), strict=True):
        out[int(customer_id)] = rules.classify({k: _plain(v) for k, v in row.items()})
    return out


def write_segments(ledger: Ledger, history: History, segments: dict[int, Segment],
                   run_id: int | None, dry_run: bool = False) -> dict[str, Any]:
    """Set customers.segment where it changed, one event per change; counts per segment.
    `dry_run` counts the changes and writes nothing."""
    from sqlalchemy import update

    from receivables.ledger.models import Customer

    before = dict(zip(history.customers["id"].astype(int), history.customers["segment"], strict=True))
    changed: dict[str, list[int]] = {}
    for customer_id, seg in segments.items():
        if before.get(customer_id) != seg.name:
            changed.setdefault(seg.name, []).append(customer_id)
    counts = {"segments": dict(Counter(s.name for s in segments.values())),
              "changed": sum(len(ids) for ids in changed.values())}
    if dry_run or not changed:
        return counts
    with ledger.session() as s:
        for name, ids in changed.items():
            s.execute(update(Customer).where(Customer.id.in_(ids)).values(segment=name))
            for customer_id in ids:
                log_event(s, "segment_changed", ACTOR, run_id, customer_id, segment=name,
                          previous=before.get(customer_id), why=segments[customer_id].about)
    return counts
