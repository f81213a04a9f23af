"""Settings of the call-list robot (the `scoring` section of settings.yaml).

Where things live and how often the model is retrained; the segment rules, the model's label and
the call-list weights are bulk configuration in config/scoring.yaml (`rules`).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class ScoringSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: Path = Field(default=Path("scoring.yaml"), description="relative to the config folder")
    dunning_policy: Path = Field(default=Path("dunning.yaml"),
                                 description="relative to the config folder; segment names are checked against it")
    models_folder: Path = Field(default=Path("models/late-payment"), description="relative to the output folder")
    call_list_folder: Path = Field(default=Path("call-list"), description="relative to the output folder")
    retrain_after_days: int = Field(default=7, ge=0,
                                    description="a model older than this is retrained; 0 = retrain every run")
    timezone: str = Field(default="Europe/Warsaw", description="decides which day 'today' is")
    freshness_hours: float = Field(default=36, gt=0, description="bank-statements and reconcile must have run "
                                   "this recently, or no list is written (nobody is called about paid invoices)")


def scoring_settings(settings: object) -> ScoringSettings:
    return getattr(settings, "scoring", None) or ScoringSettings()
