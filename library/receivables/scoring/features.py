"""Point-in-time features of an invoice from its customer's payment history, vectorized.

Every feature of a row "as at" a day uses only what the ledger knew by the end of that day:
invoices paid by then, invoices overdue by then, promises whose date had passed, disputes opened.
Training rows are snapshots of an invoice's life (the day before it was issued, and on days after
its due date while still unpaid), so the same model scores a fresh invoice and one 20 days overdue.
Customer histories are cumulative sums joined to the rows with `merge_asof`: no Python loop per row.
`reference.py` computes the same numbers one row at a time; tests hold the two equal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

DAY = np.timedelta64(1, "D")
SNAPSHOT_DAYS_PAST_DUE = (0, 10, 20)  # besides the day before issue

FEATURES = (
    "n_settled", "avg_days_late", "share_late", "share_late_n", "last_days_late", "recent_days_late",
    "trend_days_late", "late_n_last4", "n_last4", "days_since_payment", "open_overdue_count",
    "open_overdue_pln", "promises_kept", "promises_broken", "disputes", "avg_log_amount",
    "log_amount", "terms_days", "issue_month", "days_past_due",
)


def snapshots(inv: pd.DataFrame, late_days: int) -> pd.DataFrame:
    """Training rows: each invoice the day before issue, and at due + d while unpaid (d < late_days)."""
    import pandas as pd

    frames = [inv.assign(at=inv["issue_date"] - DAY)]
    for d in SNAPSHOT_DAYS_PAST_DUE:
        if d >= late_days:
            continue
        at = inv["due_date"] + d * DAY
        unpaid = inv["paid_date"].isna() | (inv["paid_date"] > at)
        frames.append(inv[unpaid].assign(at=at[unpaid]))
    return pd.concat(frames, ignore_index=True)


def outcomes(inv: pd.DataFrame, horizon: np.datetime64, late_days: int) -> pd.DataFrame:
    """What is settled at `horizon` about each invoice: known, late (> late_days), days late.

    An outcome counts as known once `late_days` have passed since the due date, paid or not: taking
    the early payers of recent invoices alone would teach the model that recent invoices are paid on
    time. An invoice still unpaid is late; its days late is then a lower bound.
    """
    import pandas as pd

    paid = inv["paid_date"].notna() & (inv["paid_date"] <= horizon)
    paid_days = (inv["paid_date"] - inv["due_date"]) / DAY
    open_days = (horizon - inv["due_date"]) / DAY
    known = open_days > late_days
    days = paid_days.where(paid, open_days)
    return pd.DataFrame({"known": known, "late": known & (days > late_days), "days_late": days}, index=inv.index)


def build_features(inv: pd.DataFrame, rows: pd.DataFrame, late_days: int,
                   promises: pd.DataFrame | None = None, disputes: pd.DataFrame | None = None) -> pd.DataFrame:
    """FEATURES for `rows` (columns id, customer_id, at, issue_date, due_date, paid_date, gross_pln, terms),
    in the rows' order, from the history in `inv`."""
    import pandas as pd

    rows = rows.reset_index(drop=True)
    left = pd.DataFrame({"pos": np.arange(len(rows)), "customer_id": rows["customer_id"].astype("int64"),
                         "at": rows["at"].astype("datetime64[s]")}).sort_values("at", kind="stable")
    out = pd.DataFrame(index=rows.index)
    joined = _asof(left, _settled(inv, late_days))
    joined = _asof(joined, _overdue_events(inv))
    joined = _asof(joined, _promise_events(promises))
    joined = _asof(joined, _dispute_events(disputes))
    joined = joined.sort_values("pos").reset_index(drop=True)

    n = joined["c_n"].fillna(0).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        has = n > 0
        out["n_settled"] = n
        out["avg_days_late"] = np.where(has, joined["c_dl"] / n, np.nan)
        out["share_late"] = np.where(has, joined["c_late"] / n, np.nan)
        out["share_late_n"] = np.where(has, joined["c_lateN"] / n, np.nan)
        out["last_days_late"] = joined["last_dl"].to_numpy()
        k3 = np.minimum(n, 3)
        recent = np.where(has, (joined["c_dl"] - joined["c_dl_lag3"]) / k3, np.nan)
        out["recent_days_late"] = recent
        older = np.where(n > 3, joined["c_dl_lag3"] / (n - 3), np.nan)
        out["trend_days_late"] = recent - older
        out["late_n_last4"] = np.where(has, joined["c_lateN"] - joined["c_lateN_lag4"], np.nan)
        out["n_last4"] = np.minimum(n, 4)
        last_paid = pd.to_datetime(joined["last_paid"]).astype("datetime64[s]")  # all-NaN float without payments
        out["days_since_payment"] = ((joined["at"] - last_paid) / DAY).to_numpy()
        out["avg_log_amount"] = np.where(has, joined["c_la"] / n, np.nan)

    at = rows["at"].astype("datetime64[s]")
    own_overdue = (at > rows["due_date"]) & (rows["paid_date"].isna() | (rows["paid_date"] > at))
    out["open_overdue_count"] = joined["o_n"].fillna(0).to_numpy() - own_overdue.to_numpy()
    out["open_overdue_pln"] = np.maximum(
        joined["o_amt"].fillna(0).to_numpy() - np.where(own_overdue, rows["gross_pln"], 0.0), 0.0).round(2)
    out["promises_kept"] = joined["p_kept"].fillna(0).to_numpy()
    out["promises_broken"] = joined["p_broken"].fillna(0).to_numpy()
    out["disputes"] = joined["d_n"].fillna(0).to_numpy()
    out["log_amount"] = np.log1p(rows["gross_pln"].clip(lower=0).to_numpy())
    out["terms_days"] = rows["terms"].to_numpy(dtype=float)
    out["issue_month"] = rows["issue_date"].dt.month.to_numpy(dtype=float)
    out["days_past_due"] = ((at - rows["due_date"]) / DAY).to_numpy()
    return out[list(FEATURES)]


def _asof(left: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    """Each row gets the customer's running totals as of its day (the last event on or before it)."""
    import pandas as pd

    if right.empty:
        return left.join(pd.DataFrame(columns=[c for c in right.columns if c not in ("customer_id", "t")],
                                      index=left.index, dtype=float))
    return pd.merge_asof(left, right, left_on="at", right_on="t", by="customer_id",
                         direction="backward").drop(columns="t")


def _settled(inv: pd.DataFrame, late_days: int) -> pd.DataFrame:
    import pandas as pd

    paid = inv[inv["paid_date"].notna()]
    dl = ((paid["paid_date"] - paid["due_date"]) / DAY).to_numpy()
    ev = pd.DataFrame({
        "customer_id": paid["customer_id"].astype("int64").to_numpy(), "t": paid["paid_date"].to_numpy(),
        "id": paid["id"].to_numpy(), "dl": dl, "late": (dl > 0).astype(float),
        "lateN": (dl > late_days).astype(float), "la": np.log1p(paid["gross_pln"].clip(lower=0).to_numpy()),
    }).sort_values(["t", "id"], kind="stable")
    g = ev.groupby("customer_id", sort=False)
    out = pd.DataFrame({"customer_id": ev["customer_id"], "t": ev["t"]})
    out["c_n"] = g.cumcount().to_numpy() + 1.0
    for src, dst in (("dl", "c_dl"), ("late", "c_late"), ("lateN", "c_lateN"), ("la", "c_la")):
        out[dst] = g[src].cumsum()
    g2 = out.groupby("customer_id", sort=False)
    out["c_dl_lag3"] = g2["c_dl"].shift(3).fillna(0.0)
    out["c_lateN_lag4"] = g2["c_lateN"].shift(4).fillna(0.0)
    out["last_dl"] = ev["dl"]
    out["last_paid"] = ev["t"]
    return out


def _overdue_events(inv: pd.DataFrame) -> pd.DataFrame:
    """+1 (and + amount) the day after due, -1 on the payment day if it came later."""
    import pandas as pd

    start = inv["due_date"] + DAY
    ends = inv["paid_date"].notna() & (inv["paid_date"] >= start)
    never = inv["paid_date"].notna() & (inv["paid_date"] < start)
    on = inv[~never]
    ev = pd.concat([
        pd.DataFrame({"customer_id": on["customer_id"], "t": start[~never], "dn": 1.0, "da": on["gross_pln"]}),
        pd.DataFrame({"customer_id": inv.loc[ends, "customer_id"], "t": inv.loc[ends, "paid_date"], "dn": -1.0,
                      "da": -inv.loc[ends, "gross_pln"]}),
    ], ignore_index=True)
    ev["customer_id"] = ev["customer_id"].astype("int64")
    ev = ev.sort_values("t", kind="stable")
    g = ev.groupby("customer_id", sort=False)
    return pd.DataFrame({"customer_id": ev["customer_id"], "t": ev["t"].astype("datetime64[s]"),
                         "o_n": g["dn"].cumsum(), "o_amt": g["da"].cumsum()})


def _promise_events(promises: pd.DataFrame | None) -> pd.DataFrame:
    """A promise counts as kept or broken from the day after its date."""
    import pandas as pd

    cols = ["customer_id", "t", "p_kept", "p_broken"]
    if promises is None or promises.empty:
        return pd.DataFrame(columns=cols)
    done = promises[promises["status"].isin(("kept", "broken"))]
    ev = pd.DataFrame({"customer_id": done["customer_id"].astype("int64"),
                       "t": (done["promised_date"] + DAY).astype("datetime64[s]"),
                       "k": (done["status"] == "kept").astype(float),
                       "b": (done["status"] == "broken").astype(float)}).sort_values("t", kind="stable")
    g = ev.groupby("customer_id", sort=False)
    return pd.DataFrame({"customer_id": ev["customer_id"], "t": ev["t"], "p_kept": g["k"].cumsum(),
                         "p_broken": g["b"].cumsum()})[cols]


def _dispute_events(disputes: pd.DataFrame | None) -> pd.DataFrame:
    import pandas as pd

    if disputes is None or disputes.empty:
        return pd.DataFrame(columns=["customer_id", "t", "d_n"])
    ev = pd.DataFrame({"customer_id": disputes["customer_id"].astype("int64"),
                       "t": disputes["opened"].astype("datetime64[s]")}).sort_values("t", kind="stable")
    ev["d_n"] = ev.groupby("customer_id", sort=False).cumcount() + 1.0
    return ev
