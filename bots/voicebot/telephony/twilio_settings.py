"""Settings of the Twilio adapter (`voice.twilio` in settings.yaml). The account SID and auth token
are a vault secret (`secret`, keys account_sid and auth_token), never configuration."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TwilioSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    api_base: str = Field(default="https://api.twilio.com", description="Twilio REST API; tests point it at a loopback fake")
    public_url: str | None = Field(
        default=None, description="where Twilio reaches the webhook app (https, behind a proxy); default: the listen address")
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8765, ge=0, le=65535, description="0: any free port")
    secret: str = Field(default="twilio", description="vault secret with account_sid and auth_token")
    languages: dict[str, str] = Field(default_factory=lambda: {"pl": "pl-PL", "de": "de-DE", "en": "en-GB"},
                                      description="debtor language -> Twilio Say/Gather language")
    voices: dict[str, str] = Field(default_factory=dict, description="debtor language -> Say voice, e.g. Polly.Ewa")
    speech: Literal["twilio", "espeak"] = Field(
        default="twilio", description="twilio: <Say> with Twilio's voices; espeak: <Play> our cached espeak-ng prompts")
    transfer_to: dict[str, str] = Field(
        default_factory=dict, description="language or 'default' -> consultants' number a 'transfer' outcome dials")
    answering_machine: Literal["message", "hangup"] = Field(
        default="message", description="leave a short callback message (no personal data) or hang up")
    ring_timeout_seconds: int = Field(default=30, ge=5, le=600)
    gather_timeout_seconds: int = Field(default=6, ge=1, le=60, description="silence before the answer counts as none")
    max_call_seconds: int = Field(default=900, ge=30, description="a call with no final status by then is hung up")
