"""Generating the sandbox world from settings: the entry the CLI, the demo and tests share."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from receivables.config import Settings
from receivables.sandbox.world import Progress, WorldGenerator, WorldSpec


def spec_from_settings(settings: Settings, **overrides: Any) -> WorldSpec:
    sb = settings.sandbox
    values = {"seed": sb.seed, "customers": sb.customers, "invoices": sb.invoices,
              "months": sb.months, "as_of": sb.as_of or date.today()}
    values.update({k: v for k, v in overrides.items() if v is not None})
    return WorldSpec(**values)


def generate_world(settings: Settings, out: Path, spec: WorldSpec, progress: Progress | None = None) -> dict:
    company = settings.company
    generator = WorldGenerator(spec, company.nip or company.vat_id or "", company.bank_accounts)
    return generator.write(out, progress)
