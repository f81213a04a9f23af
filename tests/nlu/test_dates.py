"""Edge cases of date resolution: the choices documented in receivables.nlu.dates."""

from __future__ import annotations

from datetime import date

import pytest

from receivables.nlu import understand
from receivables.nlu.dates import add_months, add_workdays

MONDAY = date(2024, 5, 6)
FRIDAY = date(2024, 5, 10)
SUNDAY = date(2024, 5, 12)


@pytest.mark.parametrize(
    ("text", "lang", "today", "expected"),
    [
        ("w piątek", "pl", MONDAY, date(2024, 5, 10)),
        ("w piątek", "pl", FRIDAY, date(2024, 5, 17)),
        ("w przyszły piątek", "pl", MONDAY, date(2024, 5, 17)),
        ("next Friday", "en", SUNDAY, date(2024, 5, 17)),
        ("diesen Freitag", "de", MONDAY, date(2024, 5, 10)),
        ("do dwudziestego", "pl", date(2024, 5, 20), date(2024, 5, 20)),
        ("do dwudziestego", "pl", date(2024, 5, 21), date(2024, 6, 20)),
        ("on the 31st", "en", date(2024, 6, 5), date(2024, 7, 31)),
        ("am 30.", "de", date(2024, 2, 28), date(2024, 3, 30)),
        ("do końca miesiąca", "pl", date(2024, 2, 10), date(2024, 2, 29)),
        ("end of the month", "en", date(2024, 5, 31), date(2024, 5, 31)),
        ("na początku przyszłego miesiąca", "pl", date(2024, 12, 30), date(2025, 1, 1)),
        ("Mitte des Monats", "de", date(2024, 5, 20), date(2024, 6, 15)),
        ("10 stycznia", "pl", date(2024, 12, 30), date(2025, 1, 10)),
        ("13.05", "pl", MONDAY, date(2024, 5, 13)),
        ("13/05/24", "en", MONDAY, date(2024, 5, 13)),
        ("05/13/2024", "en", MONDAY, date(2024, 5, 13)),
        ("end of the week", "en", date(2024, 5, 11), date(2024, 5, 12)),
        ("in 3 working days", "en", FRIDAY, date(2024, 5, 15)),
        ("za miesiąc", "pl", date(2024, 1, 31), date(2024, 2, 29)),
        ("after payday on the tenth", "en", date(2024, 5, 11), date(2024, 6, 10)),
        ("übermorgen", "de", date(2024, 12, 30), date(2025, 1, 1)),
        ("przed świętami", "pl", date(2024, 12, 2), date(2024, 12, 24)),
        ("nach Weihnachten", "de", date(2024, 12, 20), date(2024, 12, 27)),
        ("after New Year", "en", date(2024, 12, 20), date(2025, 1, 2)),
        ("by the end of the year", "en", date(2024, 11, 27), date(2024, 12, 31)),
    ],
)
def test_promise_date(text: str, lang: str, today: date, expected: date) -> None:
    result = understand(text, today, lang)
    assert (result.intent, result.date) == ("promise_to_pay", expected)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("zapłacę 2 maja", "pl"),
        ("I'll pay on 1 January 2026", "en"),
        ("ich zahle in 200 Tagen", "de"),
        ("I'll pay on 31.04.", "en"),
        ("zapłacę 4 maja wieczorem", "pl"),
        ("Ich zahle am 3. Mai am Nachmittag", "de"),
        ("po świętach", "pl"),  # said in May: Christmas is more than 180 days ahead
    ],
)
def test_past_far_or_impossible_dates_are_no_promise(text: str, lang: str) -> None:
    result = understand(text, MONDAY, lang)
    assert result.date is None
    assert result.intent == "unknown"


def test_money_is_not_read_as_a_date() -> None:
    result = understand("zapłacę 13,05 zł w piątek", MONDAY, "pl")
    assert (result.date, str(result.amount)) == (date(2024, 5, 10), "13.05")


def test_time_of_day_is_not_a_day_of_month() -> None:
    assert understand("zapłacę jutro o 10", MONDAY, "pl").date == date(2024, 5, 7)
    assert understand("Call me after 6", date(2024, 5, 8), "en").date == date(2024, 5, 8)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Przeleję w środę po południu", "pl", date(2024, 5, 8)),
        ("Zapłacę 20 maja wieczorem", "pl", date(2024, 5, 20)),
        ("Ich zahle Freitagabend", "de", date(2024, 5, 10)),
        ("Ich zahle am Freitag um 18 Uhr", "de", date(2024, 5, 10)),
        ("I'll pay Friday at 6pm", "en", date(2024, 5, 10)),
        ("Zapłacę wieczorem", "pl", MONDAY),
        ("Ich zahle am Abend", "de", MONDAY),
    ],
)
def test_a_time_of_day_never_replaces_the_day(text: str, lang: str, expected: date) -> None:
    """A time of day is today only when no day is named; next to one it is a detail of it."""
    result = understand(text, MONDAY, lang)
    assert (result.intent, result.date) == ("promise_to_pay", expected)


def test_a_bare_number_with_a_frequency_is_no_date() -> None:
    result = understand("Could I do eighty a week?", MONDAY, "en")
    assert (result.intent, result.date, result.amount) == ("installments", None, None)


def test_calendar_helpers() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2024, 12, 15), 1) == date(2025, 1, 15)
    assert add_workdays(FRIDAY, 1) == date(2024, 5, 13)


def test_rules_alone_resolve_the_issue_examples() -> None:
    result = understand("die Zahlung erfolgt bis zum 13. Mai", MONDAY, "de", use_dateparser=False)
    assert result.date == date(2024, 5, 13)
    assert result.date_source == "rules"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Zadzwońcie za pół godziny", "pl"),
        ("Oddzwonię za chwilę", "pl"),
        ("Rufen Sie in einer halben Stunde an", "de"),
        ("Rufen Sie in zwanzig Minuten an", "de"),
        ("Call me back in 15 minutes", "en"),
        ("Call me in half an hour", "en"),
    ],
)
def test_minutes_and_half_hours_are_today(text: str, lang: str) -> None:
    result = understand(text, MONDAY, lang)
    assert (result.intent, result.date) == ("callback", MONDAY)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I can't pay it all at once", "en"),
        ("Ich möchte das auf vier Monate verteilen", "de"),
        ("Could I spread it over 6 months?", "en"),
    ],
)
def test_manners_and_durations_are_no_date(text: str, lang: str) -> None:
    assert understand(text, MONDAY, lang).date is None


def test_since_a_weekday_is_the_past() -> None:
    result = understand("Das Geld ist seit Mittwoch auf Ihrem Konto", MONDAY, "de")
    assert (result.intent, result.date) == ("already_paid", None)


def test_a_denied_now_is_no_plan_part() -> None:
    result = understand("Jetzt kann ich nicht, aber am 25. zahle ich alles", MONDAY, "de")
    assert (result.intent, result.date, result.installments) == ("promise_to_pay", date(2024, 5, 25), [])
