"""Reading the ledger: the status summary and the open-items view with aging."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from receivables.ledger.db import Ledger
from receivables.ledger.models import Base, Invoice, Run

AGING_BUCKETS = ((None, 0, "current"), (1, 30, "1-30"), (31, 60, "31-60"), (61, 90, "61-90"), (91, None, "90+"))
OPEN_STATUSES = ("open", "partially_paid")


def aging_bucket(days_overdue: int) -> str:
    for low, high, name in AGING_BUCKETS:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return name
    raise AssertionError(days_overdue)


def ledger_status(ledger: Ledger) -> dict[str, Any]:
    """What the ledger holds: row counts, open amount per currency, each robot's last run."""
    with ledger.session() as s:
        counts = {
            name: s.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }
        open_rows = s.execute(
            select(Invoice.currency, func.sum(Invoice.open_amount), func.count())
            .where(Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice")
            .group_by(Invoice.currency)
        ).all()
        latest = select(Run.robot, func.max(Run.id).label("id")).group_by(Run.robot).subquery()
        runs = s.scalars(select(Run).join(latest, Run.id == latest.c.id).order_by(Run.robot)).all()
        return {
            "ledger": ledger.url,
            "counts": counts,
            "open": {
                cur: {"amount": str(amt), "invoices": n}
                for cur, amt, n in open_rows
            },
            "last_runs": {
                r.robot: {
                    "status": r.status,
                    "started_at": r.started_at.isoformat(),
                    "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                    "summary": r.summary,
                }
                for r in runs
            },
        }


def open_items(session: Any, as_of: date) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Invoice).where(Invoice.status.in_(OPEN_STATUSES), Invoice.kind == "invoice")
        .order_by(Invoice.due_date, Invoice.number)
    ).scalars()
    items = []
    for inv in rows:
        overdue = (as_of - inv.due_date).days
        items.append({"invoice": inv, "days_overdue": max(overdue, 0), "bucket": aging_bucket(overdue)})
    return items
