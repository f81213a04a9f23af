"""The report's words per language, from templates/<lang>/reports/labels.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from receivables.config import PROJECT_ROOT, SettingsError, load_yaml
from receivables.documents.fmt import Formatter, formatter

TEMPLATES = PROJECT_ROOT / "templates"


@dataclass(frozen=True)
class Labels:
    language: str
    words: dict[str, Any]

    def __call__(self, key: str, **values: Any) -> str:
        text = self.words[key]
        return text.format(**values) if values else text

    @property
    def fmt(self) -> Formatter:
        return formatter(self.language)

    def money(self, amount: Decimal, currency: str) -> str:
        return self.fmt.money(amount, currency)

    def date(self, day: Date) -> str:
        return self.fmt.date(day)

    def key(self, value: str) -> str:
        """A grouping key as shown: '' is (none)."""
        return value or self.words["none"]

    def definitions(self, **values: Any) -> list[tuple[str, str]]:
        return [(term, text.format(**values)) for term, text in self.words["defs"]]


@lru_cache(maxsize=8)
def labels(language: str, templates: Path = TEMPLATES) -> Labels:
    path = templates / language / "reports" / "labels.yaml"
    words = load_yaml(path)
    if language != "en":
        missing = set(labels("en", templates).words) - set(words)
        if missing:
            raise SettingsError(f"{path}: labels missing: {', '.join(sorted(missing))}")
    return Labels(language, words)
