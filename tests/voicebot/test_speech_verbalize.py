"""Spoken forms, checked by hand against how Polish, German and English speakers say them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from voicebot.speech.verbalize import amount_words, date_words, digits_words, number_words


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        # Polish: 1234 ends in 4 (not 12-14) -> "złote"; 56 ends in 6 -> "groszy"
        ("1234.56", "PLN", "pl", "tysiąc dwieście trzydzieści cztery złote pięćdziesiąt sześć groszy"),
        ("1.01", "PLN", "pl", "jeden złoty jeden grosz"),
        ("22.02", "PLN", "pl", "dwadzieścia dwa złote dwa grosze"),
        ("12.13", "PLN", "pl", "dwanaście złotych trzynaście groszy"),  # 12-14 take the "many" form
        ("21.00", "PLN", "pl", "dwadzieścia jeden złotych"),  # 21 is "many", whole amount: no groszy
        ("5000.00", "PLN", "pl", "pięć tysięcy złotych"),
        ("1.03", "EUR", "pl", "jedno euro trzy centy"),  # euro is neuter: "jedno"
        ("105.25", "EUR", "pl", "sto pięć euro dwadzieścia pięć centów"),
        ("0.50", "EUR", "pl", "pięćdziesiąt centów"),
        ("1234.56", "EUR", "de", "eintausendzweihundertvierunddreißig Euro und sechsundfünfzig Cent"),
        ("1.01", "EUR", "de", "ein Euro und ein Cent"),
        ("101.00", "EUR", "de", "einhundertein Euro"),
        ("21.00", "EUR", "de", "einundzwanzig Euro"),
        ("300.10", "PLN", "de", "dreihundert Zloty und zehn Groschen"),
        ("1234.56", "EUR", "en", "one thousand two hundred thirty-four euros and fifty-six cents"),
        ("1.01", "EUR", "en", "one euro and one cent"),
        ("2.50", "PLN", "en", "two zlotys and fifty groszy"),
        ("-10.00", "EUR", "en", "minus ten euros"),
        # 0.005 rounds half up to one cent
        ("0.005", "EUR", "en", "one cent"),
    ],
)
def test_amount_words(amount: str, currency: str, lang: str, expected: str) -> None:
    assert amount_words(Decimal(amount), currency, lang) == expected


def test_amount_words_rejects_floats_and_unknown_currencies() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        amount_words(12.5, "EUR", "en")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="XYZ"):
        amount_words(Decimal("1"), "XYZ", "en")
    with pytest.raises(ValueError, match="fr"):
        amount_words(Decimal("1"), "EUR", "fr")


@pytest.mark.parametrize(
    ("day", "lang", "weekday", "expected"),
    [
        # Polish: genitive ordinal day and month, the weekday last ("do {{ date }}" stays grammatical)
        (date(2024, 5, 13), "pl", True, "trzynastego maja, w poniedziałek"),  # 2024-05-13 was a Monday
        (date(2024, 5, 15), "pl", True, "piętnastego maja, w środę"),  # accusative "środę" after "w"
        (date(2024, 5, 14), "pl", True, "czternastego maja, we wtorek"),
        (date(2024, 3, 1), "pl", False, "pierwszego marca"),
        (date(2024, 3, 3), "pl", False, "trzeciego marca"),
        (date(2024, 1, 22), "pl", False, "dwudziestego drugiego stycznia"),
        (date(2024, 5, 13), "de", True, "Montag, den dreizehnten Mai"),
        (date(2024, 3, 1), "de", False, "ersten März"),
        (date(2024, 3, 7), "de", False, "siebten März"),
        (date(2024, 3, 31), "de", False, "einunddreißigsten März"),
        (date(2024, 5, 13), "en", True, "Monday the thirteenth of May"),
        (date(2024, 6, 21), "en", False, "the twenty-first of June"),
    ],
)
def test_date_words(day: date, lang: str, weekday: bool, expected: str) -> None:
    assert date_words(day, lang, weekday=weekday) == expected


def test_date_words_with_year() -> None:
    assert date_words(date(2024, 5, 21), "pl", weekday=False, year=True) == (
        "dwudziestego pierwszego maja dwa tysiące dwudziestego czwartego roku"
    )
    assert date_words(date(2024, 5, 21), "de", weekday=False, year=True) == "einundzwanzigsten Mai zweitausendvierundzwanzig"
    assert date_words(date(2024, 5, 21), "en", weekday=False, year=True) == "the twenty-first of May twenty twenty-four"


def test_number_words() -> None:
    assert number_words(1234, "pl") == "tysiąc dwieście trzydzieści cztery"
    assert number_words(1234, "de") == "eintausendzweihundertvierunddreißig"
    assert number_words(1234567, "en") == "one million two hundred thirty-four thousand five hundred sixty-seven"
    assert number_words(-3, "pl") == "minus trzy"


def test_digits_words() -> None:
    assert digits_words("FV/2024/05-17", "pl") == "F V łamane przez dwa zero dwa cztery łamane przez zero pięć, jeden siedem"
    assert digits_words("+48 600 100 200", "de") == "plus vier acht, sechs null null, eins null null, zwei null null"
    assert digits_words("inv-07", "en") == "I N V, zero seven"
    with pytest.raises(ValueError, match="€"):
        digits_words("12€", "en")
