"""config/court.yaml: selection thresholds, courts by seat, the fee table, EPU and register rules.

Every legal rule carries its source, so a document can cite it and a lawyer can check it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from receivables.config import SettingsError, config_dir, describe_validation_error, load_yaml


class RulesError(SettingsError):
    """config/court.yaml is wrong; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Selection(_Strict):
    final_demand_step: str = "final_demand"
    wait_days: int = Field(default=0, ge=0)
    min_claim: dict[str, Decimal] = Field(default_factory=lambda: {"PLN": Decimal("1000")})


class LegalTeam(_Strict):
    signatory: str = ""


class Sourced(_Strict):
    rule: str = ""
    source: str
    checked: str


class Limit(_Strict):
    amount: Decimal
    source: str
    checked: str


class Bracket(_Strict):
    up_to: Decimal
    fee: Decimal


class FeeTable(_Strict):
    source: str
    checked: str
    brackets: tuple[Bracket, ...] = Field(min_length=1)
    above_percent: Decimal
    maximum: Decimal
    minimum: Decimal
    minimum_source: str
    minimum_checked: str
    rounding_source: str
    rounding_checked: str

    @model_validator(mode="after")
    def _ascending(self) -> FeeTable:
        bounds = [b.up_to for b in self.brackets]
        if bounds != sorted(bounds) or len(set(bounds)) != len(bounds):
            raise ValueError("brackets must have strictly ascending up_to")
        return self


class OrderForPayment(_Strict):
    fee_fraction: Decimal = Field(gt=0, le=1)
    fee_source: str
    fee_checked: str
    request_source: str
    request_checked: str


class Epu(_Strict):
    court: str
    division: str
    address: str
    max_age_years: int = Field(ge=1)
    fee_fraction: Decimal = Field(gt=0, le=1)
    fee_minimum: Decimal = Field(ge=0)
    debtor_countries: tuple[str, ...] = ("PL",)
    sources: dict[str, str]
    checked: str


class CourtRef(_Strict):
    court: str
    division: str | None = None


class CourtKinds(_Strict):
    commercial: CourtRef | None = None
    civil: CourtRef | None = None


class CourtArea(_Strict):
    city: str
    postal: tuple[str, ...] = Field(default=(), description="postal-code prefixes within the city, if it has several")
    rejonowy: CourtKinds
    okregowy: CourtKinds


class PolishRules(_Strict):
    claim_value: Sourced
    regional_court_limit: Limit
    commercial_division: Sourced
    mediation_statement: str
    mediation_source: str
    fee: FeeTable
    order_for_payment: OrderForPayment
    epu: Epu
    prefer: Literal["epu", "ordinary"] = "epu"
    division_note: str = "numer wydziału do uzupełnienia"
    courts: tuple[CourtArea, ...] = ()


class GermanRules(_Strict):
    mahngericht: str
    mahnkosten_per_case: Decimal = Field(default=Decimal("0"), ge=0)
    sources: dict[str, str]
    checked: str


class DebtorKindRule(_Strict):
    min_amount: Decimal = Field(ge=0)
    min_days_overdue: int = Field(ge=0)
    source: str


class Bureau(_Strict):
    name: str
    address: str


class RegisterRules(_Strict):
    enabled: tuple[str, ...] = ()
    source: str
    checked: str
    business: DebtorKindRule
    consumer: DebtorKindRule
    warning_months: int = Field(default=1, ge=1)
    removal_days: int = Field(default=14, ge=1)
    removal_source: str
    bureaus: dict[str, Bureau]

    @model_validator(mode="after")
    def _known(self) -> RegisterRules:
        unknown = sorted(set(self.enabled) - set(self.bureaus))
        if unknown:
            raise ValueError(f"enabled bureaus {unknown} are not under bureaus ({sorted(self.bureaus)})")
        return self


class CourtRules(_Strict):
    selection: Selection = Selection()
    jurisdictions: dict[str, Literal["pl", "de", "other"]] = Field(default_factory=lambda: {"default": "other"})
    legal_team: LegalTeam = LegalTeam()
    pl: PolishRules
    de: GermanRules
    registers: RegisterRules
    source_file: Path | None = Field(default=None, exclude=True)

    def jurisdiction(self, country: str) -> str:
        return self.jurisdictions.get(country.upper(), self.jurisdictions.get("default", "other"))


@lru_cache(maxsize=8)
def load_rules(path: Path | None = None) -> CourtRules:
    path = path or config_dir() / "court.yaml"
    data = load_yaml(path)
    try:
        return CourtRules(**data, source_file=path)
    except ValidationError as exc:
        raise RulesError(describe_validation_error(path, exc)) from None
