"""Why a customer scores as they do, in sentences an analyst can check against the ledger.

Features are grouped into factors ("lateness", "overdue now", ...). A factor's effect is how much
the predicted probability drops when its features are set to a typical customer's values (the
training medians): occlusion, model-agnostic, one batched prediction for all rows and factors.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

MIN_EFFECT = 0.02  # smaller effects are noise to an analyst
FACTORS: dict[str, tuple[str, ...]] = {
    "lateness": ("share_late_n", "late_n_last4", "n_last4", "avg_days_late", "share_late", "last_days_late",
                 "recent_days_late"),
    "trend": ("trend_days_late",),
    "payment_gap": ("days_since_payment",),
    "overdue_now": ("open_overdue_count", "open_overdue_pln"),
    "promises": ("promises_kept", "promises_broken"),
    "disputes": ("disputes",),
    "amount": ("log_amount", "avg_log_amount"),
    "terms": ("terms_days",),
    "season": ("issue_month",),
    "age": ("days_past_due",),
    "experience": ("n_settled",),
}


@dataclass(frozen=True)
class Factor:
    name: str
    effect: float | None  # probability points this factor adds (negative: lowers); None from the rules
    text: str

    def to_json(self) -> dict[str, Any]:
        return {"factor": self.name, "effect": None if self.effect is None else round(self.effect, 3),
                "text": self.text}

    def __str__(self) -> str:
        return self.text if self.effect is None else f"{self.text} ({self.effect:+.2f})"


def _num(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


def describe(factor: str, f: dict[str, float], late_days: int) -> str:
    """The factor in words, from the row's own feature values."""
    n = int(f["n_settled"])
    if factor == "lateness":
        if n == 0:
            return "no invoice paid yet"
        avg = _num(f["avg_days_late"])
        when = f"{avg:.0f} days late on average" if avg is not None and avg > 0 else "on time on average"
        return (f"paid {int(f['late_n_last4'])} of the last {int(f['n_last4'])} invoices more than {late_days} days "
                f"late; {when} over {n}")
    if factor == "trend":
        t = _num(f["trend_days_late"])
        if t is None:
            return "too few payments to see a trend"
        return f"the last 3 payments came {abs(t):.0f} days {'later' if t > 0 else 'earlier'} than before"
    if factor == "payment_gap":
        d = _num(f["days_since_payment"])
        return "no payment on record" if d is None else f"last payment {d:.0f} days ago"
    if factor == "overdue_now":
        k = int(f["open_overdue_count"])
        return "no other invoice overdue" if k == 0 else \
            f"{k} other invoice{'s' if k > 1 else ''} overdue now ({f['open_overdue_pln']:,.0f} PLN)"
    if factor == "promises":
        return f"{int(f['promises_broken'])} promises broken, {int(f['promises_kept'])} kept"
    if factor == "disputes":
        return f"{int(f['disputes'])} disputes raised so far"
    if factor == "amount":
        usual = _num(f["avg_log_amount"])
        tail = "" if usual is None else f" (usually {math.expm1(usual):,.0f} PLN)"
        return f"invoice of {math.expm1(f['log_amount']):,.0f} PLN{tail}"
    if factor == "terms":
        return f"{int(f['terms_days'])}-day payment terms"
    if factor == "season":
        return f"issued in {calendar.month_name[int(f['issue_month'])]}"
    if factor == "age":
        d = int(f["days_past_due"])
        return f"{d} days past due" if d > 0 else "not yet overdue" if d > -1 else f"due in {-d} days"
    if factor == "experience":
        return f"{n} invoices paid so far"
    raise KeyError(factor)


def explain_rows(predict: Callable[[np.ndarray], np.ndarray], x: np.ndarray, columns: list[str],
                 reference: dict[str, float], late_days: int, top: int = 3) -> list[list[Factor]]:
    """Top factors per row of `x` (rows x columns), strongest first (raising or lowering the risk)."""
    if len(x) == 0:
        return []
    base = predict(x)
    names = [name for name, features in FACTORS.items() if set(features) <= set(columns)]
    variants = np.repeat(x[None, :, :], len(names), axis=0)  # factor x row x column
    for k, name in enumerate(names):
        for feature in FACTORS[name]:
            variants[k, :, columns.index(feature)] = reference.get(feature, np.nan)
    occluded = predict(variants.reshape(-1, x.shape[1])).reshape(len(names), len(x))
    effects = base[None, :] - occluded
    out = []
    for r in range(len(x)):
        row = dict(zip(columns, x[r].tolist(), strict=True))
        order = np.argsort(-np.abs(effects[:, r]), kind="stable")[:top]
        out.append([Factor(names[k], float(effects[k, r]), describe(names[k], row, late_days)) for k in order
                    if abs(effects[k, r]) >= MIN_EFFECT])
    return out
