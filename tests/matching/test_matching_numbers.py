"""Invoice numbers in transfer titles: the forms people type, typos, several numbers, tax ids."""

from __future__ import annotations

import pytest

from receivables.matching.numbers import (
    canonical,
    near_miss,
    normalize_tax_id,
    number_key,
    number_prefix,
    sequence_group,
    title_runs,
)


def keys(title: str) -> set[str]:
    found = set()
    for run in title_runs(title):
        for key, back, _ in run.keys({3}):
            found.add(key)
            if back:
                found.add(back)
    return found


@pytest.mark.parametrize("title", [
    "Zapłata za fakturę FV/2024/05/0123",
    "FV 123/05/2024",
    "fv2024-05-123",
    "fv 2024 05 0123",
    "FV/2024/05/123",
    "FV2024/05/0123",
    "FV 2024 / 05 / 0123",
    "FV_2024_05_0123",
    "RE-Nr. 2024.05.0123",
])
def test_every_typed_form_gives_the_invoice_key(title):
    assert canonical(number_key("FV/2024/05/0123")) in keys(title)


def test_the_prefix_is_read_from_the_words_before_the_number():
    assert title_runs("Zapłata za fakturę FV/2024/05/0123")[0].words[-1] == "FV"
    assert title_runs("fve2024-05-123")[0].words == ("FVE",)
    assert title_runs("Faktura nr 123")[0].words == ("FAKTURA", "NR")
    assert number_prefix("FVE/2024/05/0123") == "FVE" and number_prefix("123/05/2024") == ""


def test_several_numbers_in_one_title_stay_apart():
    runs = title_runs("Faktury FV/2024/05/0001, FV/2024/05/0002 oraz 2024/05/3 2024/05/4")
    assert [run.groups for run in runs] == [(2024, 5, 1), (2024, 5, 2), (2024, 5, 3), (2024, 5, 4)]


def test_amounts_and_dates_are_told_from_numbers():
    runs = title_runs("Zapłata 1500,00 zł")
    assert [r.amount_like for r in runs] == [True, True]
    date_run = title_runs("faktura nr 17 z dnia 15.05.2024")[1]
    assert date_run.groups == (15, 5, 2024) and not date_run.amount_like


def test_running_number_of_an_invoice():
    assert sequence_group((2024, 5, 123)) == 123
    assert sequence_group((123, 5, 2024)) == 123
    assert sequence_group((77,)) == 77


@pytest.mark.parametrize(("typed", "meant", "close"), [
    ((2042, 5, 123), (2024, 5, 123), True),   # swapped digits in the year
    ((2024, 5, 132), (2024, 5, 123), True),   # swapped digits in the number
    ((2024, 5, 1230), (2024, 5, 123), True),  # one digit too many
    ((2024, 5, 124), (2024, 5, 123), True),   # one wrong digit
    ((2024, 5, 321), (2024, 5, 123), False),  # two changes
    ((2024, 6, 124), (2024, 5, 123), False),
])
def test_one_typo_apart(typed, meant, close):
    assert near_miss(typed, meant) is close


def test_tax_ids_in_titles():
    found = {key for run in title_runs("/VAT/23,00/IDC/5252448487/INV/FV/2024/01/0055") for key in run.tax_keys()}
    assert "5252448487" in found
    found = {key for run in title_runs("NIP PL 525-244-84-87, FV/2024/01/0055") for key in run.tax_keys()}
    assert {"5252448487", "PL5252448487"} <= found
    found = {key for run in title_runs("USt-IdNr. DE811569869") for key in run.tax_keys()}
    assert "DE811569869" in found
    assert not [key for run in title_runs("FV/2024/01/0055") for key in run.tax_keys()]
    assert normalize_tax_id("PL 525-244-84-87") == {"5252448487", "PL5252448487"}
