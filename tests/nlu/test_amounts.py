"""Money and shares of the debt."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from receivables.nlu import understand
from receivables.nlu.amounts import parse_number

MONDAY = date(2024, 5, 6)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("500", "500"), ("1 500,50", "1500.50"), ("1.500,50", "1500.50"), ("1,500.50", "1500.50"),
        ("1.500", "1500"), ("1,500", "1500"), ("13,05", "13.05"), ("99.9", "99.9"), ("1.000.000", "1000000"),
    ],
)
def test_parse_number(raw: str, expected: str) -> None:
    assert parse_number(raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "lang", "amount", "currency"),
    [
        ("zapłacę 500 zł", "pl", "500.00", "PLN"),
        ("zapłacę pięćset złotych", "pl", "500.00", "PLN"),
        ("ich zahle 200 Euro", "de", "200.00", "EUR"),
        ("ich zahle zweihundert Euro", "de", "200.00", "EUR"),
        ("I'll pay €1.250,00", "en", "1250.00", "EUR"),
        ("I'll pay 300 CHF", "en", "300.00", "CHF"),
        ("I'll pay $99.99", "en", "99.99", "USD"),
    ],
)
def test_amount_and_currency(text: str, lang: str, amount: str, currency: str) -> None:
    result = understand(text, MONDAY, lang).to_json_dict()
    assert (result["amount"], result["currency"]) == (amount, currency)


def test_a_bare_number_is_not_money() -> None:
    assert understand("zapłacę 500 w piątek", MONDAY, "pl").amount is None


def test_half_and_rest_become_sums_when_the_debt_is_known() -> None:
    result = understand("połowę teraz, resztę dwudziestego", MONDAY, "pl", owed=Decimal("999.99"), owed_currency="PLN")
    assert result.intent == "installments"
    assert [(p.date, str(p.amount)) for p in result.installments] == [
        (date(2024, 5, 6), "499.995"), (date(2024, 5, 20), "499.995"),
    ]
    assert result.to_json_dict()["installments"] == [
        {"date": "2024-05-06", "amount": "500.00"}, {"date": "2024-05-20", "amount": "500.00"},
    ]


def test_alternatives_are_not_a_plan() -> None:
    result = understand("zapłacę w piątek albo w poniedziałek", MONDAY, "pl")
    assert (result.intent, result.installments) == ("promise_to_pay", [])
