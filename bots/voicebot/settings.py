"""The voicebot's settings: the `voice` section of settings.yaml (what runs) and config/voice.yaml (the rules).

settings.yaml says which telephony adapter runs and how many calls at once; config/voice.yaml holds
what an operations manager tunes: calling hours, attempts and caps, the caller-ID pool, instalment
limits, who gets the campaign report. Both are validated; a wrong key names the file and the key.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from voicebot.telephony.twilio_settings import TwilioSettings

# receivables.config is imported inside the loaders: it imports VoiceSettings from here for its `voice` section


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VoiceSettings(_Strict):
    config: Path = Field(default=Path("voice.yaml"), description="campaign rules; relative to the config folder")
    telephony: Literal["simulated", "console", "twilio"] = "simulated"
    concurrency: int = Field(default=200, ge=1, description="calls in progress at once")
    clock: Literal["real", "simulated"] = Field(
        default="simulated", description="simulated: the whole multi-day campaign runs at once (demo, simulated telephony)")
    call_list_folder: Path = Field(default=Path("call-list"), description="call-list parts, under the output folder")
    output_folder: Path = Field(default=Path("voice"), description="call reports, under the output folder")
    persona_seed: int = Field(default=7, description="simulated telephony: which persona each debtor plays")
    shift_hours: float = Field(default=12, gt=0, description="real clock: a run calls this long, the next run resumes")
    twilio: TwilioSettings = TwilioSettings()


class Schedule(_Strict):
    hours: tuple[int, int] = Field(default=(9, 20), description="[from, to) in the debtor's local time")
    working_days_only: bool = True
    attempts_per_day: int = Field(default=3, ge=1)
    interval_minutes: int = Field(default=120, ge=1, description="between two attempts at one debtor")
    max_attempts: int = Field(default=6, ge=1, description="per debtor in one campaign")
    cap_attempts: int = Field(default=7, ge=1, description="per debtor over all campaigns in cap_days")
    cap_days: int = Field(default=7, ge=1)
    campaign_days: int = Field(default=5, ge=1, description="calendar days a campaign keeps calling")

    @model_validator(mode="after")
    def _hours(self) -> Schedule:
        if not 0 <= self.hours[0] < self.hours[1] <= 24:
            raise ValueError("hours must be [from, to) with 0 <= from < to <= 24")
        return self


class Instalments(_Strict):
    max_parts: int = Field(default=3, ge=2)
    latest_days: int = Field(default=60, ge=1, description="the last part at most this many days ahead")
    min_first_share: Decimal = Field(default=Decimal("0.30"), gt=0, le=1,
                                     description="the first part is at least this share of the debt")
    spacing_days: int = Field(default=14, ge=1, description="between parts of a plan the bot proposes")


class Dialog(_Strict):
    max_reprompts: int = Field(default=2, ge=0, description="silence or nonsense this often, then a polite close")
    tax_id_check: bool = Field(default=True, description="ask the last digits of the tax id where the list has them")
    max_promise_days: int = Field(default=30, ge=1, description="a later date gets an instalment offer instead")


class Confirmations(_Strict):
    channels: list[Literal["sms", "email"]] = Field(default_factory=lambda: ["sms", "email"])
    not_reached_sms: bool = True


class VoiceConfig(_Strict):
    caller_ids: dict[str, list[str]] = Field(
        default_factory=lambda: {"default": ["+48221002030"]},
        description="country (or 'default') -> numbers shown to the debtor, used in turn")
    schedule: Schedule = Schedule()
    instalments: Instalments = Instalments()
    dialog: Dialog = Dialog()
    confirmations: Confirmations = Confirmations()
    report_to: list[str] = Field(default_factory=list, description="addresses of the campaign summary e-mail")

    @model_validator(mode="after")
    def _pool(self) -> VoiceConfig:
        if not self.caller_ids.get("default"):
            raise ValueError("caller_ids needs a non-empty 'default' pool")
        return self

    def caller_pool(self, country: str) -> list[str]:
        return self.caller_ids.get(country) or self.caller_ids["default"]


def voice_settings(settings: Any) -> VoiceSettings:
    return getattr(settings, "voice", None) or VoiceSettings()


def load_voice_config(path: Path | None = None) -> VoiceConfig:
    """config/voice.yaml (or `path`), validated; errors name the file and the key."""
    from receivables.config import config_dir

    path = path or config_dir() / VoiceSettings().config
    if not path.is_absolute():
        path = config_dir() / path
    return _load(path.resolve())


@lru_cache(maxsize=8)
def _load(path: Path) -> VoiceConfig:
    from receivables.config import SettingsError, describe_validation_error, load_yaml

    data: dict[str, Any] = load_yaml(path)
    try:
        return VoiceConfig(**data)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
