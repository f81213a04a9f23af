"""NBP rate table: the shipped CSV, the working-day rule and the refresh against a fake NBP API on loopback."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal as D
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from receivables.dunning.fx import (
    SHIPPED_RATES, FxTable, MissingRate, fetch_nbp_rates, is_pl_working_day, last_working_day_of_previous_month,
    read_csv, refresh_fx_cache,
)


def test_shipped_table_holds_month_end_working_days() -> None:
    rows = read_csv(SHIPPED_RATES)
    assert len(rows) >= 60 and {r.currency for r in rows} == {"EUR"}
    months = [(r.on.year, r.on.month) for r in rows]
    assert len(months) == len(set(months))
    for r in rows:
        next_month = (r.on.replace(day=28) + timedelta(days=4)).replace(day=1)
        assert last_working_day_of_previous_month(next_month) == r.on, r
        assert D("4.0") < r.mid < D("5.0")
    # continuous from December 2019 to March 2025
    assert months[:2] == [(2019, 12), (2020, 1)] and (2025, 3) in months
    assert all((y, m) in months for y in range(2020, 2025) for m in range(1, 13))


def test_polish_working_days() -> None:
    assert not is_pl_working_day(date(2025, 12, 24))  # Christmas Eve is a public holiday since 2025
    assert is_pl_working_day(date(2024, 12, 24))
    assert not is_pl_working_day(date(2024, 5, 30))  # Corpus Christi
    assert last_working_day_of_previous_month(date(2026, 1, 10)) == date(2025, 12, 31)
    assert last_working_day_of_previous_month(date(2025, 12, 1)) == date(2025, 11, 28)  # 29-30 Nov weekend


class FakeNbp(BaseHTTPRequestHandler):
    """Answers /api/exchangerates/rates/A/<code>/<start>/<end>/ like api.nbp.pl (404 when empty)."""

    rates = {date(2026, 1, 30): "4.2156", date(2026, 2, 27): "4.2301", date(2026, 5, 29): "4.2500"}
    calls: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        FakeNbp.calls.append(self.path)
        parts = self.path.split("?")[0].strip("/").split("/")
        code, start, end = parts[4], date.fromisoformat(parts[5]), date.fromisoformat(parts[6])
        if (end - start).days > 92:
            self.send_error(400, "Przekroczony limit 93 dni")
            return
        found = [{"no": f"{n:03d}/A/NBP/{d.year}", "effectiveDate": d.isoformat(), "mid": float(v)}
                 for n, (d, v) in enumerate(sorted(self.rates.items()), 1) if start <= d <= end]
        if not found:
            self.send_error(404, "Not Found - Brak danych")
            return
        body = json.dumps({"table": "A", "currency": "euro", "code": code, "rates": found}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def nbp() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeNbp)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeNbp.calls = []
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetch_splits_ranges_and_reads_decimals(nbp: str) -> None:
    rates = fetch_nbp_rates("EUR", date(2026, 1, 1), date(2026, 6, 30), base_url=nbp)
    assert [(r.on, r.mid) for r in rates] == [(date(2026, 1, 30), D("4.2156")), (date(2026, 2, 27), D("4.2301")),
                                              (date(2026, 5, 29), D("4.2500"))]
    assert len(FakeNbp.calls) == 2  # 181 days in chunks of at most 93
    assert rates[0].source.startswith("api.nbp.pl")


def test_refresh_merges_into_cache_and_cache_overrides_shipped(nbp: str, tmp_path: Path) -> None:
    cache = tmp_path / "nbp_rates.csv"
    assert refresh_fx_cache(cache, date(2026, 1, 1), date(2026, 3, 31), base_url=nbp) == 2
    assert refresh_fx_cache(cache, date(2026, 4, 1), date(2026, 4, 30), base_url=nbp) == 0  # 404: no data
    table = FxTable.load(SHIPPED_RATES, cache)
    assert table.rate("EUR", date(2026, 1, 30)).mid == D("4.2156")
    assert table.rate("EUR", date(2023, 12, 29)).mid == D("4.3480")  # shipped rows still there
    with pytest.raises(MissingRate):
        table.rate("EUR", date(2026, 3, 31))


def test_cli_fx_refresh(nbp: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from receivables.cli import app

    out = tmp_path / "rates.csv"
    result = CliRunner().invoke(app, ["dunning", "fx-refresh", "--from", "2026-05-01", "--to", "2026-05-31",
                                      "--out", str(out), "--base-url", nbp])
    assert result.exit_code == 0, result.output
    assert "1 rates fetched" in result.output and "2026-05-29,EUR,4.25," in out.read_text()
    bad = CliRunner().invoke(app, ["dunning", "fx-refresh", "--from", "2026-05-01", "--to", "2026-05-31",
                                   "--out", str(out), "--base-url", "http://127.0.0.1:9"])
    assert bad.exit_code == 2 and "NBP API" in bad.output
