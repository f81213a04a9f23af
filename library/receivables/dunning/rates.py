"""Statutory late-payment interest rates from config/interest_rates.yaml.

The table stores base rates (NBP reference rate, Basiszinssatz) with the dates they took effect,
and per debtor kind a margin and a fixing rule: `half_year` takes the base rate in force on
1 January / 1 July for the whole half-year (Polish commercial rate, German rates), `daily` follows
every change (Polish art. 481 KC). A day the table cannot vouch for raises `RateUnavailable`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from receivables.config import DEFAULT_CONFIG_DIR

RATES_FILE = DEFAULT_CONFIG_DIR / "interest_rates.yaml"
DAY_COUNTS = ("actual/365", "actual/actual", "actual/360")


class RateUnavailable(LookupError):
    """No statutory rate is known for a day; the table needs a newer entry."""


@dataclass(frozen=True)
class RateRule:
    fixing: str  # "half_year" | "daily"
    margins: tuple[tuple[date, Decimal], ...]

    def margin(self, on: date) -> Decimal:
        i = bisect_right([d for d, _ in self.margins], on)
        if i == 0:
            raise RateUnavailable(f"no statutory margin for transactions before {self.margins[0][0]}")
        return self.margins[i - 1][1]


@dataclass(frozen=True)
class JurisdictionRates:
    base_name: str
    base: tuple[tuple[date, Decimal], ...]
    known_until: date
    commercial: RateRule
    consumer: RateRule

    def base_on(self, day: date) -> Decimal:
        if day > self.known_until:
            raise RateUnavailable(
                f"{self.base_name}: no rate known after {self.known_until}; add the newer rate to "
                f"{RATES_FILE.name} (with its source) and move known_until")
        i = bisect_right([d for d, _ in self.base], day)
        if i == 0:
            raise RateUnavailable(f"{self.base_name}: no rate before {self.base[0][0]}")
        return self.base[i - 1][1]

    def segments(self, start: date, end: date, *, consumer: bool,
                 transaction_date: date) -> list[tuple[date, date, Decimal]]:
        """Runs of days [from, to] with one annual rate (percent), consecutive equal rates merged."""
        rule = self.consumer if consumer else self.commercial
        margin = rule.margin(transaction_date)
        cuts = _half_year_starts(start, end) if rule.fixing == "half_year" else [
            d for d, _ in self.base if start < d <= end]
        out: list[tuple[date, date, Decimal]] = []
        bounds = [start, *cuts, end + timedelta(days=1)]
        for lo, hi in zip(bounds, bounds[1:]):
            fixing_day = _half_year_start(lo) if rule.fixing == "half_year" else lo
            last_day = hi - timedelta(days=1)
            if rule.fixing == "daily":
                self.base_on(last_day)  # every day of the run must be covered by the table
            rate = self.base_on(fixing_day) + margin
            if out and out[-1][2] == rate:
                out[-1] = (out[-1][0], last_day, rate)
            else:
                out.append((lo, last_day, rate))
        return out


@dataclass(frozen=True)
class RateTable:
    day_count: str
    jurisdictions: dict[str, JurisdictionRates]

    def for_jurisdiction(self, jurisdiction: str) -> JurisdictionRates:
        try:
            return self.jurisdictions[jurisdiction]
        except KeyError:
            raise ValueError(f"unknown jurisdiction {jurisdiction!r}; known: "
                             f"{', '.join(sorted(self.jurisdictions))}") from None


def _half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _half_year_starts(start: date, end: date) -> list[date]:
    out, year = [], start.year
    while date(year, 1, 1) <= end:
        out += [d for d in (date(year, 1, 1), date(year, 7, 1)) if start < d <= end]
        year += 1
    return out


def _rule(data: dict, where: str) -> RateRule:
    if data.get("fixing") not in ("half_year", "daily"):
        raise ValueError(f"{where}.fixing: expected half_year or daily")
    return RateRule(data["fixing"], tuple(sorted((m["from"], Decimal(str(m["points"]))) for m in data["margins"])))


@lru_cache(maxsize=4)
def load_rate_table(path: Path = RATES_FILE) -> RateTable:
    """Read and check the rate table once per process."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    day_count = data.get("day_count", "actual/365")
    if day_count not in DAY_COUNTS:
        raise ValueError(f"{path}: day_count must be one of {', '.join(DAY_COUNTS)}")
    jurisdictions = {}
    for code in ("pl", "de"):
        j = data[code]
        base = tuple(sorted((c["from"], Decimal(str(c["rate"]))) for c in j["base"]["changes"]))
        jurisdictions[code] = JurisdictionRates(
            base_name=j["base"]["name"], base=base, known_until=j["base"]["known_until"],
            commercial=_rule(j["commercial"], f"{code}.commercial"), consumer=_rule(j["consumer"], f"{code}.consumer"))
    return RateTable(day_count, jurisdictions)
