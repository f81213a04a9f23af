"""config/mail_rules.yaml as a checked object: folders, thresholds, header rules, number patterns.

A mistake in the file (an unknown category, a folder missing, a broken pattern) stops the robot
before it connects, with the file and key named.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from receivables.config import SettingsError, config_dir, describe_validation_error, load_yaml
from receivables.mail.categories import CATEGORIES, NEEDS_REVIEW


def _compile(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"a valid regular expression ({exc})") from None


Pattern = Annotated[re.Pattern, BeforeValidator(_compile)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class HeaderRule(_Strict):
    """Decides a category from headers alone; every condition given must hold."""

    category: str
    confidence: float = Field(ge=0, le=1)
    reason: str
    content_type: str | None = None
    report_type: str | None = None
    headers: dict[str, Pattern] = Field(default_factory=dict)
    sender: Pattern | None = Field(default=None, alias="from")
    subject: Pattern | None = None

    @field_validator("category")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in CATEGORIES:
            raise ValueError(f"one of {', '.join(CATEGORIES)}")
        return value

    @model_validator(mode="after")
    def _has_condition(self) -> "HeaderRule":
        if not (self.content_type or self.headers or self.sender or self.subject):
            raise ValueError("at least one of content_type, headers, from, subject")
        return self


class InvoiceNumbers(_Strict):
    pattern: Pattern
    format: str

    def normalize(self, match: re.Match[str]) -> str:
        """The ledger's spelling of a matched number: `format` filled with the named groups."""
        groups = {k: int(v) if v.isdigit() else v.upper() for k, v in match.groupdict().items() if v is not None}
        return self.format.format(**groups)

    def find(self, text: str) -> list[str]:
        """Invoice numbers in `text`, normalized, first mention first, each once."""
        return list(dict.fromkeys(self.normalize(m) for m in self.pattern.finditer(text)))


class MailRules(_Strict):
    folders: dict[str, str]
    thresholds: dict[str, float]
    rules: list[HeaderRule]
    invoice_numbers: InvoiceNumbers
    gdpr_kinds: dict[str, Pattern]

    @field_validator("folders")
    @classmethod
    def _every_category_has_a_folder(cls, value: dict[str, str]) -> dict[str, str]:
        expected = {*CATEGORIES, NEEDS_REVIEW}
        missing, unknown = expected - value.keys(), value.keys() - expected
        if missing or unknown:
            raise ValueError(f"a folder for each of {', '.join(sorted(expected))}"
                             + (f"; missing {', '.join(sorted(missing))}" if missing else "")
                             + (f"; unknown {', '.join(sorted(unknown))}" if unknown else ""))
        return value

    @field_validator("thresholds")
    @classmethod
    def _thresholds(cls, value: dict[str, float]) -> dict[str, float]:
        if "default" not in value:
            raise ValueError("a `default` threshold")
        for key, threshold in value.items():
            if key != "default" and key not in CATEGORIES:
                raise ValueError(f"thresholds for known categories only, not {key!r}")
            if not 0 <= threshold <= 1:
                raise ValueError(f"a threshold between 0 and 1 for {key}")
        return value

    def threshold(self, category: str) -> float:
        return self.thresholds.get(category, self.thresholds["default"])


def load_mail_rules(path: Path | None = None) -> MailRules:
    """Read and check the rules file (default config/mail_rules.yaml)."""
    path = path if path is not None and path.is_absolute() else config_dir() / (path or "mail_rules.yaml")
    data = load_yaml(path)
    try:
        return MailRules(**data)
    except ValidationError as exc:
        raise SettingsError(describe_validation_error(path, exc)) from None
