"""config/scoring.yaml: segment rules with their collection strategies, the model's label, the call-list weights.

A wrong file stops the robot before it changes anything, with the file and key named
(`segments.2.when.late_share.min: ...`). Segment names are checked against config/dunning.yaml,
because the reminders robot picks its ladder by customers.segment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from receivables.config import SettingsError, describe_validation_error, load_yaml

NUMERIC_MEASURES = (
    "open_amount_pln", "overdue_amount_pln", "max_days_overdue", "settled", "late_share", "avg_days_late",
    "broken_promises", "kept_promises", "open_disputes", "risk",
)
FLAG_MEASURES = ("suspected_fraud", "is_consumer")
DEFAULT_TRACK = "default"


class RulesError(SettingsError):
    """config/scoring.yaml is wrong; the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    min: float | None = None
    max: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min is None and self.max is None:
            raise ValueError("a range needs min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}")
        return self

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.min is None or value >= self.min) and (self.max is None or value <= self.max)


class Condition(_Strict):
    """All named measures must hold (AND); a measure not named does not matter."""

    open_amount_pln: Range | None = None
    overdue_amount_pln: Range | None = None
    max_days_overdue: Range | None = None
    settled: Range | None = None
    late_share: Range | None = None
    avg_days_late: Range | None = None
    broken_promises: Range | None = None
    kept_promises: Range | None = None
    open_disputes: Range | None = None
    risk: Range | None = None
    suspected_fraud: bool | None = None
    is_consumer: bool | None = None

    def holds(self, measures: dict[str, float | bool | None]) -> bool:
        for name in NUMERIC_MEASURES:
            rng = getattr(self, name)
            if rng is not None and not rng.holds(measures.get(name)):  # type: ignore[arg-type]
                return False
        for name in FLAG_MEASURES:
            flag = getattr(self, name)
            if flag is not None and bool(measures.get(name)) != flag:
                return False
        return True


class Strategy(_Strict):
    dunning_track: str = Field(default=DEFAULT_TRACK,
                               description="the reminder ladder: 'default' or a segment of dunning.yaml")
    call: bool = Field(description="whether the call list may phone this segment")
    tone: Literal["soft", "normal", "firm"] = "normal"
    persuade: float = Field(default=1.0, gt=0, le=2, description="multiplies the chance a call persuades")


class Segment(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    about: str = ""
    when: list[Condition] = Field(default_factory=list, description="any one condition set (OR); empty = always")
    strategy: Strategy

    @field_validator("when", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, dict) else value

    def matches(self, measures: dict[str, float | bool | None]) -> bool:
        return not self.when or any(c.holds(measures) for c in self.when)


class ModelRules(_Strict):
    late_days: int = Field(default=30, ge=0, le=365, description="late = paid more than this many days after due")
    min_labelled: int = Field(default=300, ge=10, description="fewer known outcomes: rules instead of the model")
    min_late: int = Field(default=30, ge=2, description="fewer late outcomes: rules instead of the model")
    min_customers: int = Field(default=20, ge=2)
    test_share: float = Field(default=0.25, gt=0.05, lt=0.6, description="newest share of outcomes held out")
    prior_late: float = Field(default=0.2, gt=0, lt=1, description="rules: share late when nothing is known")
    prior_weight: float = Field(default=3.0, gt=0, description="rules: how many invoices the prior is worth")


class AttemptCap(_Strict):
    attempts: int = Field(default=7, ge=1)
    days: int = Field(default=7, ge=1)


class Smoothed(_Strict):
    """(successes + prior x weight) / (tries + weight): a rate that starts at the prior."""

    prior: float = Field(gt=0, le=1)
    weight: float = Field(default=5.0, gt=0)


class CallListRules(_Strict):
    min_days_overdue: int = Field(default=3, ge=0)
    min_amount_pln: float = Field(default=100.0, ge=0, description="callable open amount below this: no call")
    max_calls: int = Field(default=300, ge=1, description="entries on one day's list")
    part_size: int = Field(default=50, ge=1, description="entries per work item")
    attempt_cap: AttemptCap = AttemptCap()
    reach: Smoothed = Smoothed(prior=0.6, weight=5)
    persuade: Smoothed = Smoothed(prior=0.5, weight=4)
    risk_floor: float = Field(default=0.25, ge=0, le=1,
                              description="score = amount x reach x persuade x (floor + (1 - floor) x risk)")
    identity_check: bool = Field(default=True, description="hand the voicebot the tax id's last 3 digits")
    time_zones: dict[str, str] = Field(default_factory=lambda: {"default": "Europe/Warsaw"})

    @field_validator("time_zones")
    @classmethod
    def _zones(cls, value: dict[str, str]) -> dict[str, str]:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        for country, zone in value.items():
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{country}: {zone!r} is not an IANA time zone") from None
        if "default" not in value:
            raise ValueError("needs a `default` time zone")
        return value

    def time_zone(self, country: str) -> str:
        return self.time_zones.get(country.upper(), self.time_zones["default"])


class Rules(_Strict):
    model: ModelRules = ModelRules()
    segments: list[Segment] = Field(min_length=1, description="first match wins")
    call_list: CallListRules = CallListRules()

    @model_validator(mode="after")
    def _names(self) -> Rules:
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ValueError(f"segment names must be unique, got {names}")
        if self.segments[-1].when:
            raise ValueError(f"the last segment ({names[-1]}) must have no `when`, so every customer lands somewhere")
        return self

    def segment(self, name: str | None) -> Segment | None:
        return next((s for s in self.segments if s.name == name), None)

    def classify(self, measures: dict[str, float | bool | None]) -> Segment:
        return next(s for s in self.segments if s.matches(measures))


def check_tracks(rules: Rules, dunning_segments: set[str], path: Path) -> None:
    """The reminders robot reads customers.segment as its ladder: a track must be the segment's own name."""
    problems = []
    for i, s in enumerate(rules.segments):
        track = s.strategy.dunning_track
        if track == DEFAULT_TRACK and s.name in dunning_segments:
            problems.append(f"  segments.{i}.strategy.dunning_track: dunning.yaml has a ladder for {s.name!r}, "
                            f"so the reminders robot uses it; write dunning_track: {s.name}")
        elif track != DEFAULT_TRACK and track != s.name:
            problems.append(f"  segments.{i}.strategy.dunning_track: the reminders robot picks the ladder by "
                            f"customers.segment ({s.name!r}), not {track!r}; name the segment {track!r} or add "
                            f"segments.{s.name} to dunning.yaml and write dunning_track: {s.name}")
        elif track != DEFAULT_TRACK and track not in dunning_segments:
            problems.append(f"  segments.{i}.strategy.dunning_track: dunning.yaml has no segment {track!r} "
                            f"(it has {sorted(dunning_segments)})")
    if problems:
        raise RulesError("\n".join([f"{path}: segment tracks disagree with the dunning policy", *problems]))


def load_rules(path: Path, dunning_policy: Path | None = None) -> Rules:
    data = load_yaml(path)
    try:
        rules = Rules(**data)
    except ValidationError as exc:
        raise RulesError(describe_validation_error(path, exc)) from None
    if dunning_policy is not None:
        from receivables.dunning.policy import load_policy

        check_tracks(rules, set(load_policy(dunning_policy).segments), path)
    return rules
