"""The call list as it travels from the call-list robot to the voice-calls task (a Robocorp work item).

Money travels as strings ("1234.56") and dates as ISO strings, so the payload survives JSON as is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CallListInvoice(_Frozen):
    number: str
    issue_date: date
    due_date: date
    open_amount: Decimal
    interest: Decimal = Decimal("0.00")  # statutory interest to date; 0 when not calculated
    currency: str = Field(pattern=r"^[A-Z]{3}$")
    description: str | None = None


class CallListEntry(_Frozen):
    customer: str  # external id from the accounting system
    customer_id: int  # ledger id
    name: str
    language: Literal["pl", "de", "en"]
    country: str = Field(pattern=r"^[A-Z]{2}$")
    time_zone: str  # IANA, e.g. Europe/Warsaw
    phones: list[str] = Field(min_length=1)
    tax_id_last3: str | None = None  # for the identity check, where configured
    priority: int = Field(ge=1)  # 1 = call first
    score: Decimal  # expected recovered amount x probability of reaching and persuading, risk-adjusted
    segment: str | None = None
    totals: dict[str, Decimal]  # currency -> open amount with interest
    invoices: list[CallListInvoice] = Field(min_length=1)
    reasons: list[str] = Field(default_factory=list)  # why this debtor is on the list, for people


class CallListPart(_Frozen):
    """One work item: a part of a campaign, so parallel workers can share it."""

    campaign: str
    kind: Literal["call", "vms"] = "call"
    created: date
    part: int = Field(ge=1)
    parts: int = Field(ge=1)
    entries: list[CallListEntry]
