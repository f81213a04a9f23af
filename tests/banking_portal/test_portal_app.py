"""The sandbox bank portal through Flask's test client: login, history, statements, sessions."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient

from receivables.sandbox.bank_portal import PAGE_SIZE, SANDBOX_USERS, register_bank_portal
from receivables.sandbox.server import create_app

from tests.banking_portal.helpers import ACCOUNTS, WORLD_FORMAT, FakeClock, expected_range, parse, same_entries

PLN = ACCOUNTS["PLN"]
SANDBOX = SANDBOX_USERS["nordwind"]


@pytest.fixture
def app(world: Path) -> Flask:
    app = create_app(world)
    register_bank_portal(app, world, session_ttl=60)
    return app


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client: FlaskClient, password: str = SANDBOX["password"], code: str | None = None):
    token = csrf(client.get("/bank/login").text)
    response = client.post("/bank/login", data={"csrf_token": token, "user_id": "nordwind", "password": password})
    if response.status_code != 303:
        return response
    token = csrf(client.get("/bank/login/otp").text)
    code = code or pyotp.TOTP(SANDBOX["totp_secret"]).now()
    return client.post("/bank/login/otp", data={"csrf_token": token, "code": code})


def references(html: str) -> list[str]:
    return re.findall(r'<td class="reference">([^<]*)</td>', html)


def test_index_lists_the_bank_portal(app: Flask) -> None:
    assert {"url": "/bank/", "title": "Sandbox Bank (web banking)"} in app.config["APPS"]
    assert 'href="/bank/"' in app.test_client().get("/").text


def test_pages_need_a_login(app: Flask) -> None:
    response = app.test_client().get(f"/bank/accounts/{PLN}/history")
    assert response.status_code == 303 and response.headers["Location"].endswith("/bank/login")


def test_wrong_password_and_wrong_code_are_refused(app: Flask) -> None:
    client = app.test_client()
    assert "Invalid user ID or password." in login(client, password="nope").text
    wrong = f"{(int(pyotp.TOTP(SANDBOX['totp_secret']).now()) + 500_000) % 1_000_000:06d}"
    response = login(client, code=wrong)
    assert response.status_code == 200 and "Invalid one-time code." in response.text
    assert client.get("/bank/accounts").status_code == 303


def test_login_page_starts_over(app: Flask) -> None:
    client = app.test_client()
    token = csrf(client.get("/bank/login").text)
    client.post("/bank/login", data={"csrf_token": token, "user_id": "nordwind", "password": SANDBOX["password"]})
    assert client.get("/bank/login/otp").status_code == 200
    token = csrf(client.get("/bank/login").text)
    refused = client.post("/bank/login", data={"csrf_token": token, "user_id": "nordwind", "password": "hasło"})
    assert "Invalid user ID or password." in refused.text
    assert client.get("/bank/login/otp").status_code == 303
    login(client)
    assert client.get("/bank/accounts").status_code == 200
    client.get("/bank/login")
    assert client.get("/bank/accounts").status_code == 303


def test_forms_need_the_csrf_token(app: Flask) -> None:
    client = app.test_client()
    client.get("/bank/login")
    response = client.post("/bank/login", data={"csrf_token": "forged", "user_id": "nordwind",
                                                "password": SANDBOX["password"]})
    assert response.status_code == 400


def test_accounts_show_the_closing_balances(app: Flask, monthly: dict) -> None:
    client = app.test_client()
    assert login(client).headers["Location"].endswith("/bank/accounts")
    html = client.get("/bank/accounts").text
    for iban, statements in monthly.items():
        closing = f"{statements[-1].closing_balance:,.2f}".replace(",", " ").replace(".", ",")
        assert re.search(rf'{iban}</td>\s*<td class="currency">{statements[0].currency}</td>\s*'
                         rf'<td class="amount balance">{closing}</td>', html)


def test_history_filters_by_date_and_pages(app: Flask, monthly: dict) -> None:
    client = app.test_client()
    login(client)
    since, until = date(2026, 9, 1), date(2026, 11, 27)
    _, want = expected_range(monthly[PLN], since, until)
    assert len(want) > 2 * PAGE_SIZE
    seen, url = [], f"/bank/accounts/{PLN}/history?from={since}&to={until}"
    while url:
        html = client.get(url).text
        rows = references(html)
        assert len(rows) == PAGE_SIZE or 'class="next"' not in html
        seen += rows
        found = re.search(r'<a class="next" rel="next" href="([^"]+)"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
    assert seen == [t.reference for t in reversed(want)]
    opening, _ = expected_range(monthly[PLN], since, until)
    closing = opening + sum((t.amount for t in want), Decimal("0"))
    first_page = client.get(f"/bank/accounts/{PLN}/history?from={since}&to={until}").text
    newest_balance = re.search(r'<td class="amount balance-after">([^<]+)</td>', first_page).group(1)
    assert Decimal(newest_balance.replace(" ", "").replace(",", ".")) == closing
    narrow = client.get(f"/bank/accounts/{PLN}/history?from=2026-10-10&to=2026-10-20").text
    _, want = expected_range(monthly[PLN], date(2026, 10, 10), date(2026, 10, 20))
    assert references(narrow) == [t.reference for t in reversed(want)]
    assert f"{len(want)} transactions from 2026-10-10 to 2026-10-20" in narrow
    assert client.get(f"/bank/accounts/{PLN}/history?from=2026-10-20&to=2026-10-10").status_code == 400


@pytest.mark.parametrize("fmt", ["mt940", "camt053"])
def test_statement_of_a_month_equals_the_monthly_file(app: Flask, monthly: dict, fmt: str, tmp_path: Path) -> None:
    client = app.test_client()
    login(client)
    for iban, statements in monthly.items():
        month = statements[1]
        page = client.get(f"/bank/accounts/{iban}/statement").text
        response = client.post(f"/bank/accounts/{iban}/statement", data={
            "csrf_token": csrf(page), "date_from": "2026-10-01", "date_to": "2026-10-31", "format": fmt})
        assert response.status_code == 200
        suffix = "sta" if fmt == "mt940" else "xml"
        assert f'filename="{iban}_20261001_20261031.{suffix}"' in response.headers["Content-Disposition"]
        path = tmp_path / f"{iban}.{suffix}"
        path.write_bytes(response.data)
        [got] = parse(path)
        assert (got.account, got.currency) == (iban, month.currency)
        assert (got.opening_balance, got.closing_balance) == (month.opening_balance, month.closing_balance)
        same_entries(got.transactions, month.transactions, same_format=fmt == WORLD_FORMAT[iban])


def test_statement_form_refuses_bad_input(app: Flask) -> None:
    client = app.test_client()
    login(client)
    token = csrf(client.get(f"/bank/accounts/{PLN}/statement").text)
    url = f"/bank/accounts/{PLN}/statement"
    bad_range = client.post(url, data={"csrf_token": token, "date_from": "2026-11-02", "date_to": "2026-11-01",
                                       "format": "mt940"})
    assert bad_range.status_code == 400 and "must not be after" in bad_range.text
    bad_format = client.post(url, data={"csrf_token": token, "date_from": "2026-11-01", "date_to": "2026-11-02",
                                        "format": "pdf"})
    assert bad_format.status_code == 400 and "Unknown statement format" in bad_format.text
    assert client.get("/bank/accounts/PL00000000000000000000000000/history").status_code == 404


def test_session_expires_after_idle_ttl(app: Flask) -> None:
    clock = FakeClock()
    app.extensions["bank_portal"]["sessions"].clock = clock
    client = app.test_client()
    login(client)
    assert client.get("/bank/accounts").status_code == 200
    clock.offset += 59
    assert client.get("/bank/accounts").status_code == 200
    clock.offset += 61
    response = client.get("/bank/accounts")
    assert response.status_code == 303 and response.headers["Location"].endswith("/bank/login?expired=1")
    assert "Your session has expired" in client.get(response.headers["Location"]).text
    assert client.get("/bank/accounts").status_code == 303
