"""Typed matching settings from config/matching.yaml: thresholds, tolerance, search bounds, weights.

The weights are the strength of each piece of evidence on its own (0..1); the engine combines
independent pieces with a noisy-OR and multiplies penalties, so one strong piece is rarely enough
for the auto threshold and two agreeing ones usually are.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from receivables.config import DEFAULT_CONFIG_DIR

DEFAULT_MATCHING_FILE = DEFAULT_CONFIG_DIR / "matching.yaml"


class MatchConfigError(Exception):
    """The matching config is unreadable; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Strict):
    number: float = Field(0.85, ge=0, le=1, description="title names the invoice, with its prefix (FV...)")
    number_digits: float = Field(0.55, ge=0, le=1, description="title has the invoice's digits, no prefix")
    number_short: float = Field(0.3, ge=0, le=1, description="a one-group number without its prefix")
    number_fuzzy: float = Field(0.6, ge=0, le=1, description="one typo away from an invoice of the customer")
    number_sequence: float = Field(0.5, ge=0, le=1, description="'faktura nr 123': the customer's invoice 123")
    reversed_factor: float = Field(0.95, ge=0, le=1, description="digits in reverse order (123/05/2024)")
    iban: float = Field(0.8, ge=0, le=1)
    iban_shared: float = Field(0.5, ge=0, le=1, description="the IBAN belongs to several customers")
    tax_id: float = Field(0.8, ge=0, le=1)
    alias: float = Field(0.75, ge=0, le=1, description="payer name an analyst tied to the customer")
    name_exact: float = Field(0.6, ge=0, le=1, description="payer name equals the customer's (normalized)")
    name_close: float = Field(0.5, ge=0, le=1, description="similarity >= 95")
    name_fuzzy: float = Field(0.4, ge=0, le=1, description="similarity >= fuzzy_name_threshold")
    amount: float = Field(0.7, ge=0, le=1, description="amount equals the open amount")
    amount_tolerance: float = Field(0.55, ge=0, le=1, description="equal within the tolerance")
    amount_oldest: float = Field(0.65, ge=0, le=1, description="equals the customer's oldest k invoices")
    amount_subset: float = Field(0.6, ge=0, le=1, description="equals one combination of open invoices")
    partial: float = Field(0.98, ge=0, le=1, description="factor: less than the invoices the title names")
    overpayment: float = Field(0.98, ge=0, le=1, description="factor: more than the invoices the title names")
    unreferenced_mismatch: float = Field(0.5, ge=0, le=1, description="factor: amount off, title silent")
    customer_conflict: float = Field(0.35, ge=0, le=1, description="factor: IBAN/tax id point elsewhere")
    title_contradiction: float = Field(0.5, ge=0, le=1, description="factor: title names other open invoices")


class MatchConfig(_Strict):
    auto_threshold: float = Field(0.9, gt=0, le=1, description="at or above: posted without a human")
    suggest_threshold: float = Field(0.25, ge=0, le=1, description="below: not worth showing an analyst")
    max_suggestions: int = Field(3, ge=1, le=10)
    ambiguity_odds_ratio: float = Field(
        4.0, ge=1, description="the best reading must be this many times likelier (odds) than the next")
    amount_tolerance_abs: Decimal = Field(Decimal("2.00"), ge=0, description="bank fees, rounding")
    amount_tolerance_rel: Decimal = Field(Decimal("0"), ge=0, le=Decimal("0.1"))
    max_combination: int = Field(6, ge=1, le=12, description="invoices one payment may settle by amount alone")
    max_candidates: int = Field(20, ge=1, le=60, description="oldest open invoices tried in combinations")
    search_budget: int = Field(20000, ge=100, description="combination-search steps per payment")
    fuzzy_name_threshold: float = Field(85.0, ge=50, le=100)
    max_title_numbers: int = Field(12, ge=1, description="more invoice numbers than this: no subsets tried")
    weights: Weights = Weights()


def load_match_config(path: str | Path | None = None) -> MatchConfig:
    """Read the YAML file (default config/matching.yaml); a missing default file means defaults."""
    file = Path(path) if path is not None else DEFAULT_MATCHING_FILE
    if not file.exists():
        if path is None:
            return MatchConfig()
        raise MatchConfigError(f"{file}: no such file")
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise MatchConfigError(f"{file}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise MatchConfigError(f"{file}: expected a mapping of settings, found {type(data).__name__}")
    try:
        return MatchConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise MatchConfigError(f"{file}: {problems}") from None
