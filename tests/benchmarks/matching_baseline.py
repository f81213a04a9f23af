"""The plain approach the matching engine is measured against: exact invoice number in the
title, else the oldest open invoice with exactly the payment's amount. Vectorized with pandas
(regex extract + merges), every match posted automatically."""

from __future__ import annotations

import pandas as pd

NUMBER_TOKEN = r"([A-Za-z]{1,5}[/\-]?\d+(?:[/\-]\d+)+)"


def baseline_match(invoices: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """invoices: invoice_number, currency, amount_open (cents, int), issue_date;
    payments: payment_id, currency, amount (cents, int), title.
    Returns payment_id, invoice_number, amount (cents) - one row per allocation."""
    incoming = payments[payments["amount"] > 0].reset_index(drop=True)
    inv = invoices.assign(key=invoices["invoice_number"].str.upper())
    tokens = incoming["title"].fillna("").str.upper().str.extractall(NUMBER_TOKEN)[0].rename("key").reset_index()
    tokens["payment_id"] = incoming["payment_id"].to_numpy()[tokens["level_0"].to_numpy()]
    by_number = tokens.merge(inv[["key", "invoice_number", "currency", "amount_open"]], on="key")
    by_number = by_number.merge(incoming[["payment_id", "currency", "amount"]], on=["payment_id", "currency"])
    by_number = by_number.drop_duplicates(["payment_id", "invoice_number"])
    single = by_number.groupby("payment_id")["invoice_number"].transform("size") == 1
    by_number["alloc"] = by_number["amount_open"].where(~single, by_number[["amount_open", "amount"]].min(axis=1))
    rest = incoming[~incoming["payment_id"].isin(by_number["payment_id"])]
    oldest = inv.sort_values(["issue_date", "invoice_number"]).drop_duplicates(["currency", "amount_open"])
    by_amount = rest.merge(oldest[["invoice_number", "currency", "amount_open"]],
                           left_on=["currency", "amount"], right_on=["currency", "amount_open"])
    by_amount["alloc"] = by_amount["amount"]
    out = pd.concat([by_number[["payment_id", "invoice_number", "alloc"]],
                     by_amount[["payment_id", "invoice_number", "alloc"]]], ignore_index=True)
    return out.rename(columns={"alloc": "amount"})
