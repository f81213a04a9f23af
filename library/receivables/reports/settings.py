"""Settings of the reports robot: the `reports` section of settings.yaml, and config/reports.yaml.

Pure pydantic (config.py imports this module): the YAML recipients file is read by recipients.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["pl", "de", "en"]
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReportsSettings(_Strict):
    language: Language = Field(default="pl", description="language of the full report and of managers without one")
    recipients: tuple[str, ...] = Field(default=(), description="distribution list: gets the full report")
    per_manager: bool = Field(default=True, description="each account manager gets a report of their customers")
    managers_file: Path = Field(default=Path("reports.yaml"), description="relative to the config folder")
    folder: Path = Field(default=Path("reports"), description="relative to the output folder")
    timezone: str = Field(default="Europe/Warsaw", description="timestamps (promises, contacts) become dates here")
    weeks: int = Field(default=12, ge=2, le=104, description="weeks of history in the trends")
    dso_days: int = Field(default=90, ge=7, le=365, description="credit-sales window of the DSO")
    contact_days: int = Field(default=7, ge=1, le=60, description="'paid within N days of the contact'")
    results_days: int = Field(default=28, ge=7, le=365, description="contacts of this many days are evaluated")
    top_customers: int = Field(default=10, ge=1, le=100, description="customers listed in the PDF")


class ManagerAddress(_Strict):
    email: str = Field(pattern=EMAIL)
    language: Language | None = None


class Recipients(_Strict):
    """config/reports.yaml: where each account manager's report goes."""

    fallback: str | None = Field(default=None, pattern=EMAIL,
                                 description="gets the reports of managers with no known address")
    managers: dict[str, ManagerAddress] = Field(default_factory=dict,
                                                description="account manager as the accounting system writes it")

    def address(self, manager: str) -> ManagerAddress | None:
        """The mapping first; a manager written as an e-mail address is its own address; else the fallback."""
        if manager in self.managers:
            return self.managers[manager]
        if re.match(EMAIL, manager.strip()):
            return ManagerAddress(email=manager.strip())
        return ManagerAddress(email=self.fallback) if self.fallback else None
