"""The reminder ladder from config/dunning.yaml: steps relative to the due date, per-segment overrides.

A policy error names the file and the key (`steps.3.channels.1: ...`), and nothing is sent.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from receivables.config import SettingsError, describe_validation_error, load_yaml

CHANNELS = ("email", "sms", "letter", "vms")
TEMPLATES = ("notice", "upcoming", "overdue", "final_demand")


class PolicyError(SettingsError):
    """config/dunning.yaml is wrong; the message names file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Step(_Strict):
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    anchor: Literal["due", "issue"] = "due"
    days: int = Field(ge=-90, le=365, description="days after the anchor date (negative: before)")
    channels: tuple[Literal["email", "sms", "letter", "vms"], ...] = Field(min_length=1)
    template: Literal["notice", "upcoming", "overdue", "final_demand"]
    tone: Literal["soft", "normal", "firm"] = "normal"
    letter: Literal["reminder", "final_demand"] | None = Field(
        default=None, description="PDF attached to the e-mail and sent by post on the letter channel")
    min_amount: Decimal = Field(default=Decimal("0"), ge=0, description="open amount below this: no reminder")
    deadline_days: int | None = Field(default=None, ge=1, description="payment deadline printed on the message")

    @model_validator(mode="after")
    def _consistent(self) -> Step:
        if "letter" in self.channels and self.letter is None:
            raise ValueError("a step with the letter channel needs `letter` (reminder or final_demand)")
        if self.letter == "final_demand" and self.deadline_days is None:
            raise ValueError("a final demand needs deadline_days")
        return self

    def trigger(self, issue_date: date, due_date: date) -> date:
        return (issue_date if self.anchor == "issue" else due_date) + timedelta(days=self.days)


class StepOverride(_Strict):
    days: int | None = Field(default=None, ge=-90, le=365)
    channels: tuple[Literal["email", "sms", "letter", "vms"], ...] | None = None
    template: Literal["notice", "upcoming", "overdue", "final_demand"] | None = None
    tone: Literal["soft", "normal", "firm"] | None = None
    letter: Literal["reminder", "final_demand"] | None = None
    min_amount: Decimal | None = Field(default=None, ge=0)
    deadline_days: int | None = Field(default=None, ge=1)
    skip: bool = False


class Policy(_Strict):
    steps: tuple[Step, ...] = Field(min_length=1, description="in escalation order")
    segments: dict[str, dict[str, StepOverride]] = Field(default_factory=dict)
    jurisdictions: dict[str, Literal["pl", "de"]] = Field(default_factory=lambda: {"default": "pl"})
    promise_grace_days: int = Field(default=2, ge=0, description="a promise counts as broken this long after its date")
    source_file: Path | None = Field(default=None, exclude=True)

    @model_validator(mode="after")
    def _references(self) -> Policy:
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise ValueError(f"step names must be unique, got {names}")
        for segment, overrides in self.segments.items():
            unknown = set(overrides) - set(names)
            if unknown:
                raise ValueError(f"segment {segment!r} overrides unknown steps {sorted(unknown)}; steps: {names}")
        for segment in self.segments:  # an override must still give a valid step
            self.ladder(segment)
        return self

    def ladder(self, segment: str | None) -> tuple[Step, ...]:
        """The steps for one customer segment, overrides applied, skipped steps left out."""
        overrides = self.segments.get(segment or "", {})
        out = []
        for step in self.steps:
            o = overrides.get(step.name)
            if o is None:
                out.append(step)
            elif not o.skip:
                changes = o.model_dump(exclude_unset=True, exclude={"skip"})
                out.append(Step(**{**step.model_dump(), **changes}))
        return tuple(out)

    def jurisdiction(self, country: str) -> str:
        return self.jurisdictions.get(country.upper(), self.jurisdictions.get("default", "pl"))


def load_policy(path: Path) -> Policy:
    data = load_yaml(path)
    try:
        return Policy(**data, source_file=path)
    except ValidationError as exc:
        raise PolicyError(describe_validation_error(path, exc)) from None
