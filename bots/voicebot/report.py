"""The call report of a campaign: every attempt as CSV, and the summary (also sent by e-mail)."""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from receivables.ledger.db import Ledger
from receivables.ledger.models import Promise

from voicebot.store import CampaignStore

CSV_COLUMNS = ("phone", "attempt", "result", "started_at", "duration_s", "outcome", "promise_date", "customer_id")


def write_csv(store: CampaignStore, campaign_id: int, path: Path) -> int:
    rows = store.attempts(campaign_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(CSV_COLUMNS)
        for r in rows:
            out.writerow([r.phone, r.attempt_no, r.result or r.status, r.started_at.isoformat(timespec="seconds"),
                          "" if r.duration_ms is None else f"{r.duration_ms / 1000:.1f}", r.outcome or "",
                          r.promise_date.isoformat() if r.promise_date else "", r.customer_id])
    return len(rows)


def summarize(ledger: Ledger, store: CampaignStore, campaign_id: int, campaign: str) -> dict[str, Any]:
    """Attempts, debtors reached, promises and the amounts promised, transfers, per outcome."""
    rows = store.attempts(campaign_id)
    outcomes: Counter = Counter()
    results: Counter = Counter(r.result or r.status for r in rows)
    reached = {r.customer_id for r in rows if r.result == "answered"}
    for r in rows:
        if r.outcome:
            outcomes[r.outcome] += 1
    promised: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
    with ledger.session() as s:
        for amount, currency in s.execute(select(Promise.amount, Promise.currency).where(
                Promise.channel == "call", Promise.source_key.startswith(f"call:{campaign}:", autoescape=True))):
            if amount is not None and currency:
                promised[currency] += amount
    return {
        "campaign": campaign, "attempts": len(rows), "debtors_called": len({r.customer_id for r in rows}),
        "reached": len(reached), "results": dict(results), "outcomes": dict(outcomes),
        "promises": outcomes.get("promise", 0), "instalment_plans": outcomes.get("instalments", 0),
        "amounts_promised": {c: str(v) for c, v in sorted(promised.items())},
        "transferred": outcomes.get("transfer", 0), "disputes": outcomes.get("dispute", 0),
        "callbacks": outcomes.get("callback", 0), "already_paid": outcomes.get("already_paid", 0),
    }


def summary_text(summary: dict[str, Any]) -> str:
    lines = [f"Voice campaign {summary['campaign']}", "",
             f"Attempts: {summary['attempts']} ({summary['debtors_called']} debtors called)",
             f"Reached: {summary['reached']}",
             f"Promises to pay: {summary['promises']}, instalment plans: {summary['instalment_plans']}",
             "Amounts promised: " + (", ".join(f"{v} {c}" for c, v in summary["amounts_promised"].items()) or "none"),
             f"Transferred to a consultant: {summary['transferred']}",
             f"Disputes: {summary['disputes']}, callbacks: {summary['callbacks']}, "
             f"already paid (to check): {summary['already_paid']}", "",
             "Results: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["results"].items())),
             "Outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(summary["outcomes"].items()))]
    if summary.get("csv"):
        lines += ["", f"Every attempt: {summary['csv']}"]
    return "\n".join(lines) + "\n"
