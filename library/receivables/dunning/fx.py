"""NBP average exchange rates (table A): a shipped CSV for offline use, refreshed from api.nbp.pl.

Later files override earlier ones, so the refreshed cache (output/nbp_rates.csv) sits on top of
config/nbp_rates.csv. A rate that is not in the table raises `MissingRate`: the compensation
must use the rate of one exact day, so there is no "nearest" fallback.
"""

from __future__ import annotations

import csv
import json
import urllib.error
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import holidays

from receivables.config import DEFAULT_CONFIG_DIR

SHIPPED_RATES = DEFAULT_CONFIG_DIR / "nbp_rates.csv"
CACHE_NAME = "nbp_rates.csv"
NBP_API = "https://api.nbp.pl"
NBP_MAX_DAYS = 93  # the API refuses longer ranges
HEADER = ("date", "currency", "mid", "source")


class MissingRate(LookupError):
    """The table has no NBP rate for that currency and day."""


@dataclass(frozen=True)
class FxRate:
    on: date
    currency: str
    mid: Decimal
    source: str


class FxTable:
    def __init__(self, rates: Iterable[FxRate] = ()) -> None:
        self._rates = {(r.currency, r.on): r for r in rates}

    @classmethod
    def load(cls, *paths: Path) -> FxTable:
        """Read the CSV files that exist, later ones overriding earlier ones."""
        rates: list[FxRate] = []
        for path in paths:
            if path.exists():
                rates += read_csv(path)
        return cls(rates)

    def rate(self, currency: str, on: date) -> FxRate:
        try:
            return self._rates[(currency.upper(), on)]
        except KeyError:
            raise MissingRate(f"no NBP table A rate for {currency.upper()} on {on}; run `receivables dunning "
                              f"fx-refresh` where api.nbp.pl is reachable, or add it to {SHIPPED_RATES.name}") from None

    def __len__(self) -> int:
        return len(self._rates)

    def rows(self) -> list[FxRate]:
        return sorted(self._rates.values(), key=lambda r: (r.on, r.currency))


def read_csv(path: Path) -> list[FxRate]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    out = []
    for n, row in enumerate(csv.DictReader(lines), start=1):
        try:
            out.append(FxRate(date.fromisoformat(row["date"]), row["currency"].upper(), Decimal(row["mid"]),
                              row.get("source") or ""))
        except (KeyError, ValueError, ArithmeticError) as exc:
            raise ValueError(f"{path}: data row {n}: {exc}") from None
    return out


def write_csv(path: Path, rates: Iterable[FxRate]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for r in sorted(rates, key=lambda r: (r.on, r.currency)):
            writer.writerow((r.on.isoformat(), r.currency, str(r.mid), r.source))
    tmp.replace(path)


@lru_cache(maxsize=64)
def _pl_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Poland(years=year)


def is_pl_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _pl_holidays(day.year)


def last_working_day_of_previous_month(day: date) -> date:
    """The NBP fixing day for the compensation of a payment due on `day` (art. 10 ust. 1)."""
    first = day.replace(day=1)
    candidate = first - timedelta(days=1)
    while not is_pl_working_day(candidate):
        candidate -= timedelta(days=1)
    return candidate


def default_fx_table(output_dir: Path | None = None) -> FxTable:
    paths = [SHIPPED_RATES] + ([output_dir / CACHE_NAME] if output_dir else [])
    return FxTable.load(*paths)


def fetch_nbp_rates(currency: str, start: date, end: date, *, base_url: str = NBP_API,
                    timeout: float = 15.0) -> list[FxRate]:
    """Table A mid rates for every working day in [start, end], in API-sized chunks."""
    out: list[FxRate] = []
    lo = start
    while lo <= end:
        hi = min(end, lo + timedelta(days=NBP_MAX_DAYS - 1))
        url = f"{base_url.rstrip('/')}/api/exchangerates/rates/A/{currency.upper()}/{lo}/{hi}/?format=json"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = json.loads(response.read().decode("utf-8"), parse_float=Decimal)
        except urllib.error.HTTPError as exc:
            if exc.code != 404:  # 404 = "Brak danych": no table in that range (holidays)
                raise
            data = {"rates": []}
        for row in data["rates"]:
            out.append(FxRate(date.fromisoformat(row["effectiveDate"]), currency.upper(),
                              Decimal(str(row["mid"])), "api.nbp.pl " + row.get("no", "")))
        lo = hi + timedelta(days=1)
    return out


def refresh_fx_cache(path: Path, start: date, end: date, *, currencies: Iterable[str] = ("EUR",),
                     base_url: str = NBP_API) -> int:
    """Fetch and merge into the cache file; returns how many rates were fetched."""
    fetched = [r for cur in currencies for r in fetch_nbp_rates(cur, start, end, base_url=base_url)]
    existing = read_csv(path) if path.exists() else []
    write_csv(path, FxTable([*existing, *fetched]).rows())
    return len(fetched)
