"""The features of `features.build_features`, computed the plain way: one row at a time in Python.

The yardstick the vectorized code is held equal to (tests) and timed against (benchmark). Too
slow for a ledger (seconds per thousand rows); never used by the robot.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from receivables.scoring.features import FEATURES

NAN = float("nan")


def features_plain(invoices: list[dict[str, Any]], rows: list[dict[str, Any]], late_days: int,
                   promises: list[dict[str, Any]] = (), disputes: list[dict[str, Any]] = ()) -> list[dict[str, float]]:
    """`invoices` and `rows`: dicts with id, customer_id, issue_date, due_date, paid_date (date | None),
    gross_pln, terms; rows also `at`. Promises: customer_id, promised_date, status; disputes: customer_id, opened."""
    by_customer: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for inv in invoices:
        by_customer[inv["customer_id"]].append(inv)
    out = []
    for row in rows:
        at: date = row["at"]
        mine = by_customer[row["customer_id"]]
        settled = sorted((i for i in mine if i["paid_date"] is not None and i["paid_date"] <= at),
                         key=lambda i: (i["paid_date"], i["id"]))
        delays = [(i["paid_date"] - i["due_date"]).days for i in settled]
        n = len(delays)
        f: dict[str, float] = {name: NAN for name in FEATURES}
        f["n_settled"] = float(n)
        f["n_last4"] = float(min(n, 4))
        if n:
            f["avg_days_late"] = sum(delays) / n
            f["share_late"] = sum(d > 0 for d in delays) / n
            f["share_late_n"] = sum(d > late_days for d in delays) / n
            f["last_days_late"] = float(delays[-1])
            recent = delays[-3:]
            f["recent_days_late"] = sum(recent) / len(recent)
            if n > 3:
                older = delays[:-3]
                f["trend_days_late"] = f["recent_days_late"] - sum(older) / len(older)
            f["late_n_last4"] = float(sum(d > late_days for d in delays[-4:]))
            f["days_since_payment"] = float((at - settled[-1]["paid_date"]).days)
            f["avg_log_amount"] = sum(math.log1p(max(i["gross_pln"], 0.0)) for i in settled) / n
        overdue = [i for i in mine if i["id"] != row["id"] and i["due_date"] + timedelta(days=1) <= at
                   and (i["paid_date"] is None or i["paid_date"] > at)]
        f["open_overdue_count"] = float(len(overdue))
        f["open_overdue_pln"] = round(sum(i["gross_pln"] for i in overdue), 2)
        done = [p for p in promises if p["customer_id"] == row["customer_id"]
                and p["promised_date"] + timedelta(days=1) <= at]
        f["promises_kept"] = float(sum(p["status"] == "kept" for p in done))
        f["promises_broken"] = float(sum(p["status"] == "broken" for p in done))
        f["disputes"] = float(sum(d["customer_id"] == row["customer_id"] and d["opened"] <= at for d in disputes))
        f["log_amount"] = math.log1p(max(row["gross_pln"], 0.0))
        f["terms_days"] = float(row["terms"])
        f["issue_month"] = float(row["issue_date"].month)
        f["days_past_due"] = float((at - row["due_date"]).days)
        out.append(f)
    return out
