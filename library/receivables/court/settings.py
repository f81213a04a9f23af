"""Settings of the court-claims robot (the `court` section of settings.yaml); legal rules live in config/court.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class CourtSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: Path = Field(default=Path("court.yaml"), description="relative to the config folder")
    folder: Path = Field(default=Path("court"), description="case folders, relative to the output folder")
    legal_team_email: str = Field(default="prawnicy@nordwind.example", pattern=r"^[^@\s]+@[^@\s]+$")
    legal_team_language: Literal["pl", "en"] = "pl"
    registers: bool = Field(default=True, description="prepare debtor-register warnings, entries and removals")
