"""Settings of the payment notifier (the `notifications` section of settings.yaml): how to send.

Whom to tell, when, and above which amount at once lives in config/notifications.yaml (rules.py).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from receivables.dunning.settings import SmtpSettings


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NotificationsSettings(_Strict):
    rules: Path = Field(default=Path("notifications.yaml"), description="relative to the config folder")
    timezone: str = Field(default="Europe/Warsaw", description="the digest hour and 'today' are read here")
    smtp: SmtpSettings | None = Field(default=None, description="none = the reminders' SMTP settings")
    webhook_timeout_seconds: float = Field(default=15.0, gt=0)
    max_attempts: int = Field(default=5, ge=1)
    backoff_seconds: float = Field(default=60, ge=0, description="first retry delay; doubles per attempt")
    claim_lease_seconds: float = Field(default=600, ge=0,
                                       description="a message claimed by a crashed run is sent again after this")


def notifications_settings(settings: object) -> NotificationsSettings:
    return getattr(settings, "notifications", None) or NotificationsSettings()
