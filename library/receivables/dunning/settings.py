"""Settings of the reminders robot and its channels (the `reminders` section of settings.yaml).

Logins never live here: SMTP and SMS gateway credentials are vault secrets named by `secret`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmtpSettings(_Strict):
    host: str | None = Field(default=None, description="SMTP server; none = e-mail reminders are queued, not sent")
    port: int | None = Field(default=None, ge=1, le=65535, description="default 465 for tls, 587 for starttls, 25 plain")
    security: Literal["tls", "starttls", "plain"] = Field(
        default="starttls", description="plain (no encryption) is refused unless the host is loopback")
    ca_file: Path | None = None
    secret: str | None = Field(default="smtp", description="vault secret with user, password; none = no AUTH")
    from_address: str = "windykacja@nordwind.example"
    from_name: str | None = None
    timeout_seconds: float = Field(default=30.0, gt=0)
    connections: int = Field(default=2, ge=1, le=16,
                             description="messages sent at once over this many connections (server round trips overlap)")

    @property
    def server_port(self) -> int:
        return self.port or {"tls": 465, "starttls": 587, "plain": 25}[self.security]


class SmsSettings(_Strict):
    gateway: Literal["file", "http"] = "file"
    url: str | None = Field(default=None, description="the HTTP gateway's send endpoint (SMSAPI-like)")
    secret: str = Field(default="sms", description="vault secret with token")
    sender: str = Field(default="Nordwind", max_length=11, description="alphanumeric sender name")
    folder: Path = Field(default=Path("sms"), description="file gateway: JSON lines, relative to the output folder")

    @model_validator(mode="after")
    def _url(self) -> SmsSettings:
        if self.gateway == "http" and not self.url:
            raise ValueError("an http SMS gateway needs url")
        return self


class RemindersSettings(_Strict):
    policy: Path = Field(default=Path("dunning.yaml"), description="relative to the config folder")
    letters_folder: Path = Field(default=Path("letters"), description="relative to the output folder")
    timezone: str = "Europe/Warsaw"
    send_hours: tuple[int, int] | None = Field(default=(8, 18), description="[from, to) local hours; none = any hour")
    working_days_only: bool = Field(default=True, description="no sending on weekends and the debtor's holidays")
    freshness_hours: float = Field(default=36, gt=0,
                                   description="bank import and reconcile must have run this recently")
    max_attempts: int = Field(default=5, ge=1)
    backoff_seconds: float = Field(default=60, ge=0, description="first retry delay; doubles per attempt")
    claim_lease_seconds: float = Field(default=600, ge=0,
                                       description="a message claimed longer ago by a crashed run is sent again")
    pdf_workers: int | None = Field(default=None, ge=1, description="letter rendering processes; default: CPUs")
    smtp: SmtpSettings = SmtpSettings()
    sms: SmsSettings = SmsSettings()

    @model_validator(mode="after")
    def _hours(self) -> RemindersSettings:
        if self.send_hours and not 0 <= self.send_hours[0] < self.send_hours[1] <= 24:
            raise ValueError("send_hours must be [from, to) with 0 <= from < to <= 24")
        return self
