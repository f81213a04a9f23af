"""Point-in-time features: hand-computed cases, and the vectorized code held equal to the plain one."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from receivables.scoring.features import FEATURES, build_features, outcomes, snapshots
from receivables.scoring.reference import features_plain

D0 = date(2026, 1, 1)


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    for col in ("issue_date", "due_date", "paid_date", "at"):
        if col in df:
            df[col] = pd.to_datetime(df[col]).astype("datetime64[s]")
    return df


def _inv(i: int, customer: int, due: date, paid: date | None, gross: float = 1000.0) -> dict:
    return {"id": i, "customer_id": customer, "issue_date": due - timedelta(days=14), "due_date": due,
            "paid_date": paid, "gross_pln": gross, "terms": 14.0}


def test_history_features_use_only_what_was_paid_by_that_day():
    # customer 1 paid five invoices, -2, 10, 40, 35 and 50 days after due (in that order)
    delays = [-2, 10, 40, 35, 50]
    invs = [_inv(i + 1, 1, D0 + timedelta(days=30 * i), D0 + timedelta(days=30 * i + d)) for i, d in enumerate(delays)]
    last_paid = max(i["paid_date"] for i in invs)  # 2026-06-20 (due 05-01 + 50)
    target = _inv(99, 1, date(2026, 7, 15), None) | {"at": date(2026, 7, 1)}
    early = _inv(98, 1, date(2026, 7, 15), None) | {"at": D0 + timedelta(days=30)}  # 01-31: only 12-30 paid
    f = build_features(_frame(invs), _frame([target, early]), 30)

    row = f.iloc[0]
    assert row["n_settled"] == 5
    assert row["avg_days_late"] == pytest.approx(26.6)  # (-2 + 10 + 40 + 35 + 50) / 5
    assert row["share_late"] == pytest.approx(0.8)  # 4 of 5 after due
    assert row["share_late_n"] == pytest.approx(0.6)  # 40, 35, 50 are more than 30
    assert row["last_days_late"] == 50
    assert row["recent_days_late"] == pytest.approx(125 / 3)  # (40 + 35 + 50) / 3
    assert row["trend_days_late"] == pytest.approx(125 / 3 - 4)  # older: (-2 + 10) / 2 = 4
    assert row["late_n_last4"] == 3 and row["n_last4"] == 4  # 10, 40, 35, 50
    assert row["days_since_payment"] == (date(2026, 7, 1) - last_paid).days == 11
    assert row["days_past_due"] == -14  # due 07-15, seen on 07-01
    assert row["log_amount"] == pytest.approx(math.log1p(1000))

    first = f.iloc[1]  # on 01-31 only the invoice due 01-01 (paid 12-30) was paid; the next came 02-10
    assert first["n_settled"] == 1 and first["last_days_late"] == -2
    assert math.isnan(first["trend_days_late"])


def test_overdue_now_counts_other_unpaid_invoices_and_never_the_row_itself():
    invs = [_inv(1, 1, date(2026, 3, 1), None, 500.0),  # overdue and unpaid
            _inv(2, 1, date(2026, 3, 10), date(2026, 4, 20), 700.0),  # overdue until paid 04-20
            _inv(3, 1, date(2026, 3, 20), date(2026, 3, 19), 900.0),  # paid before due: never overdue
            _inv(4, 1, date(2026, 3, 25), None, 300.0)]  # the row scored
    rows = [invs[3] | {"at": date(2026, 4, 1)}, invs[3] | {"at": date(2026, 4, 20)}]
    f = build_features(_frame(invs), _frame(rows), 30)
    assert f["open_overdue_count"].tolist() == [2, 1]  # 04-01: #1 and #2; 04-20: #2 was paid that day
    assert f["open_overdue_pln"].tolist() == [1200.0, 500.0]


def test_promises_count_from_the_day_after_their_date_and_disputes_from_opening():
    invs = [_inv(1, 1, date(2026, 3, 1), None)]
    promises = pd.DataFrame({"customer_id": [1, 1, 1], "invoice_id": [1, 1, None],
                             "promised_date": pd.to_datetime(["2026-03-05", "2026-03-20", "2026-03-25"]).astype(
                                 "datetime64[s]"),
                             "status": ["broken", "kept", "pending"], "created": pd.NaT})
    disputes = pd.DataFrame({"customer_id": [1], "invoice_id": [1],
                             "opened": pd.to_datetime(["2026-03-10"]).astype("datetime64[s]")})
    rows = [invs[0] | {"at": d} for d in (date(2026, 3, 5), date(2026, 3, 6), date(2026, 3, 21))]
    f = build_features(_frame(invs), _frame(rows), 30, promises, disputes)
    assert f["promises_broken"].tolist() == [0, 1, 1]
    assert f["promises_kept"].tolist() == [0, 0, 1]
    assert f["disputes"].tolist() == [0, 0, 1]


def test_an_outcome_is_known_only_once_late_days_have_passed():
    invs = _frame([_inv(1, 1, date(2026, 3, 1), date(2026, 3, 5)),  # paid 4 days late
                   _inv(2, 1, date(2026, 3, 1), None),  # unpaid
                   _inv(3, 1, date(2026, 4, 20), date(2026, 4, 21))])  # paid, but 30 days have not passed
    o = outcomes(invs, np.datetime64("2026-05-01", "s"), 30)
    assert o["known"].tolist() == [True, True, False]  # 05-01 is 61 days after 03-01, 11 after 04-20
    assert o["late"].tolist() == [False, True, False]
    assert o["days_late"].tolist()[:2] == [4, 61]  # unpaid: a lower bound, the days so far


def test_snapshots_follow_an_invoice_while_it_is_unpaid():
    invs = _frame([_inv(1, 1, date(2026, 3, 1), date(2026, 3, 12)), _inv(2, 1, date(2026, 3, 1), None)])
    snaps = snapshots(invs, 30)
    ages = {i: sorted(((g["at"] - g["due_date"]).dt.days).tolist()) for i, g in snaps.groupby("id")}
    assert ages == {1: [-15, 0, 10], 2: [-15, 0, 10, 20]}  # #1 was paid on day 11, so no snapshot at 20


def test_vectorized_features_equal_the_row_by_row_ones_on_the_sandbox(sandbox_history):
    inv = sandbox_history.invoices
    rows = snapshots(inv, 30).sample(400, random_state=3)
    fast = build_features(inv, rows, 30, sandbox_history.promises, sandbox_history.disputes)

    def day(v):
        return None if pd.isna(v) else pd.Timestamp(v).date()

    def record(r, with_at: bool) -> dict:
        out = {"id": r.id, "customer_id": r.customer_id, "issue_date": day(r.issue_date), "due_date": day(r.due_date),
               "paid_date": day(r.paid_date), "gross_pln": r.gross_pln, "terms": r.terms}
        return out | ({"at": day(r.at)} if with_at else {})

    plain = pd.DataFrame(features_plain([record(r, False) for r in inv.itertuples()],
                                        [record(r, True) for r in rows.itertuples()], 30))
    assert fast["n_settled"].max() >= 5  # histories of some length were compared
    for name in FEATURES:
        np.testing.assert_allclose(fast[name].to_numpy(float), plain[name].to_numpy(float), atol=1e-6,
                                   equal_nan=True, err_msg=name)
