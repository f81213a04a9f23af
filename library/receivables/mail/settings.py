"""Where the collections mailbox is and how the mail-classifier robot talks to it.

The login never lives here: it is the vault secret named by `secret` (keys user, password).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class MailSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str | None = Field(default=None, description="IMAP server; none = the robot has nothing to read")
    port: int | None = Field(default=None, ge=1, le=65535, description="default 993 for tls, 143 otherwise")
    security: Literal["tls", "starttls", "plain"] = Field(
        default="tls", description="plain (no encryption) is refused unless the host is loopback")
    ca_file: Path | None = Field(default=None, description="trust this CA too (a self-signed server)")
    secret: str = Field(default="mailbox", description="vault secret with user, password")
    inbox: str = "INBOX"
    rules: Path = Field(default=Path("mail_rules.yaml"), description="relative to the config folder")
    batch_size: int = Field(default=200, ge=1, le=5000, description="messages fetched, recorded and moved together")
    max_message_bytes: int = Field(default=20_000_000, ge=10_000,
                                   description="larger messages: only the headers and the start of the text are read")
    timeout_seconds: float = Field(default=60.0, gt=0)

    @property
    def server_port(self) -> int:
        return self.port or (993 if self.security == "tls" else 143)
