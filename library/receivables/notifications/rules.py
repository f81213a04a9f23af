"""config/notifications.yaml: whom to tell about a payment, when, and above which amount at once.

Webhook URLs are secrets (vault or environment), so the file names a secret, never a URL.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from receivables.config import SettingsError, config_dir, describe_validation_error, load_yaml

Language = Literal["pl", "de", "en"]
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Webhook(_Strict):
    kind: Literal["slack", "teams"]
    secret: str = Field(description="vault secret (or RECEIVABLES_SECRET_<NAME>_URL) holding `url`")


class Manager(_Strict):
    email: str | None = None
    chat: str | None = Field(default=None, description="a webhook name from `webhooks`")
    language: Language | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL.match(value):
            raise ValueError("an e-mail address")
        return value


class NotificationRules(_Strict):
    instant_above: dict[str, Decimal] = Field(
        default_factory=dict,
        description="currency -> amount; a payment above it is told at once, the rest in the digest. "
                    "A currency not listed: every payment at once")
    digest_at: time | None = Field(default=time(16, 0), description="local time of the daily digest; none = no digest")
    notify_within_days: int = Field(
        default=7, ge=0, description="older payments (first reconcile of a year of history) are marked, not told")
    default_language: Language = "pl"
    fallback: Manager = Field(description="for customers without a known account manager")
    managers: dict[str, Manager] = Field(default_factory=dict,
                                         description="the account manager's name in the accounting data -> contact")
    webhooks: dict[str, Webhook] = Field(default_factory=dict)

    @field_validator("instant_above")
    @classmethod
    def _amounts(cls, value: dict[str, Decimal]) -> dict[str, Decimal]:
        out = {}
        for currency, amount in value.items():
            if not re.fullmatch(r"[A-Za-z]{3}", currency):
                raise ValueError(f"a three-letter currency code, not {currency!r}")
            if amount < 0 or amount != amount.quantize(Decimal("0.01")):
                raise ValueError(f"{currency}: a non-negative amount with at most two decimals")
            out[currency.upper()] = amount
        return out

    @model_validator(mode="after")
    def _references(self) -> NotificationRules:
        named = {"fallback": self.fallback, **{f"managers.{k}": v for k, v in self.managers.items()}}
        for name, manager in named.items():
            if not (manager.email or manager.chat):
                raise ValueError(f"{name} needs an email or a chat")
            if manager.chat and manager.chat not in self.webhooks:
                raise ValueError(f"{name}.chat: no webhook named {manager.chat!r} in webhooks")
        return self


def load_rules(path: Path | None = None) -> NotificationRules:
    """The rules file, validated; a mistake names the file and the key and changes nothing."""
    path = path or Path("notifications.yaml")
    if not path.is_absolute():
        path = config_dir() / path
    data = load_yaml(path)
    try:
        return NotificationRules(**data)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
