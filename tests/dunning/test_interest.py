"""Statutory interest, payment order and recovery compensation against hand-computed figures.

Every expected amount below is worked out in the comment beside it: principal x rate x days / 365,
rounded half-up per period.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal as D

import pytest

from receivables.dunning import (
    FxTable, MissingRate, Payment, RateUnavailable, compute_interest, late_payment_charges, load_rate_table,
    recovery_compensation,
)
from receivables.dunning.fx import FxRate


def test_issue_example_is_nbp_reference_plus_ten_points() -> None:
    # 2024 H1: NBP reference 5.75% on 1 Jan + 10 p.p. = 15.75%; 16 Jan..30 Jun = 16+29+31+30+31+30 = 167 days
    # 10000 x 15.75% x 167 / 365 = 720.616... -> 720.62 (the issue's figure; + 8 p.p. would give 629.11)
    r = compute_interest(D("10000"), date(2024, 1, 15), date(2024, 6, 30), "pl")
    assert [(p.start, p.end, p.days, p.rate, p.interest) for p in r.periods] == [
        (date(2024, 1, 16), date(2024, 6, 30), 167, D("15.75"), D("720.62"))]
    assert r.interest == D("720.62")
    # 10000 PLN is above 5000 and below 50000: 70 EUR at NBP 4.3480 of Fri 29 Dec 2023 = 304.36 PLN
    assert r.compensation.eur == D("70") and r.compensation.amount == D("304.36")
    assert r.compensation.fx_date == date(2023, 12, 29) and r.compensation.fx_rate == D("4.3480")
    assert r.order == ("interest", "principal")


def test_pl_half_year_rate_change() -> None:
    # 2022 H1: 1.75% + 10 = 11.75% for 11 May..30 Jun (51 days): 10000 x 11.75% x 51/365 = 164.18
    # 2022 H2: 6.00% on 1 Jul + 10 = 16.00% for 1 Jul..31 Aug (62 days): 10000 x 16% x 62/365 = 271.78
    r = compute_interest(D("10000"), date(2022, 5, 10), date(2022, 8, 31), "pl", with_compensation=False)
    assert [(p.days, p.rate, p.interest) for p in r.periods] == [(51, D("11.75"), D("164.18")),
                                                                 (62, D("16.00"), D("271.78"))]
    assert r.interest == D("435.96") and r.compensation is None


def test_de_basiszinssatz_change_on_1_january() -> None:
    # B2B: 2022 H2 -0.88 + 9 = 8.12% for 2..31 Dec (30 days): 5000 x 8.12% x 30/365 = 33.37
    #      2023 H1  1.62 + 9 = 10.62% for 1..31 Jan (31 days): 5000 x 10.62% x 31/365 = 45.10
    r = compute_interest(D("5000"), date(2022, 12, 1), date(2023, 1, 31), "de", currency="EUR")
    assert [(p.rate, p.interest) for p in r.periods] == [(D("8.12"), D("33.37")), (D("10.62"), D("45.10"))]
    assert r.compensation.amount == D("40.00") and r.compensation.currency == "EUR"
    consumer = compute_interest(D("5000"), date(2022, 12, 1), date(2023, 1, 31), "de", currency="EUR", consumer=True)
    assert [p.rate for p in consumer.periods] == [D("4.12"), D("6.62")] and consumer.compensation is None


def test_pl_consumer_rate_follows_every_reference_rate_change() -> None:
    # art. 481 KC: reference + 5.5 p.p. from the day of each change:
    # 2.75+5.5 = 8.25% 2..8 Mar (7 d) -> 1.58; 3.50+5.5 = 9.00% 9 Mar..6 Apr (29 d) -> 7.15;
    # 4.50+5.5 = 10.00% 7..15 Apr (9 d) -> 2.47
    r = compute_interest(D("1000"), date(2022, 3, 1), date(2022, 4, 15), "pl", consumer=True)
    assert [(p.days, p.rate, p.interest) for p in r.periods] == [
        (7, D("8.25"), D("1.58")), (29, D("9.00"), D("7.15")), (9, D("10.00"), D("2.47"))]
    assert r.compensation is None


def test_contract_before_2020_keeps_the_old_polish_margin() -> None:
    # transaction 15 Dec 2019: 1.50% + 8 p.p. = 9.50% even in 2020: 3000 x 9.5% x 29/365 = 22.64
    r = compute_interest(D("3000"), date(2020, 1, 31), date(2020, 2, 29), "pl", transaction_date=date(2019, 12, 15),
                         with_compensation=False)
    assert [(p.days, p.rate, p.interest) for p in r.periods] == [(29, D("9.50"), D("22.64"))]


def test_partial_payment_interest_first_art_451() -> None:
    # 16 May..14 Jun (30 d): 10000 x 15.75% x 30/365 = 129.45; the 3000 paid on 14 Jun covers the
    # interest first: principal 10000 - 2870.55 = 7129.45; 15 Jun..30 Aug (77 d): 7129.45 x 15.75% x 77/365 = 236.88
    r = compute_interest(D("10000"), date(2024, 5, 15), date(2024, 8, 30), "pl",
                         payments=[Payment(date(2024, 6, 14), D("3000"))], with_compensation=False)
    assert [(p.days, p.principal, p.interest) for p in r.periods] == [
        (30, D("10000.00"), D("129.45")), (77, D("7129.45"), D("236.88"))]
    (a,) = r.allocations
    assert (a.to_interest, a.to_principal, a.surplus) == (D("129.45"), D("2870.55"), D("0"))
    assert (r.interest, r.interest_open, r.principal_open) == (D("366.33"), D("236.88"), D("7129.45"))


def test_partial_payment_principal_first_when_the_debtor_named_it() -> None:
    # the 3000 goes to principal: 7000 open; 7000 x 15.75% x 77/365 = 232.58; interest open 129.45 + 232.58
    r = compute_interest(D("10000"), date(2024, 5, 15), date(2024, 8, 30), "pl",
                         payments=[Payment(date(2024, 6, 14), D("3000"))], order=("principal", "interest"),
                         with_compensation=False)
    assert [p.interest for p in r.periods] == [D("129.45"), D("232.58")]
    assert (r.interest_open, r.principal_open, r.order) == (D("362.03"), D("7000.00"), ("principal", "interest"))


def test_de_order_costs_interest_principal_367_bgb() -> None:
    # 2024 H1: 3.62 + 9 = 12.62%; 2 Mar..30 Apr (60 d): 2000 x 12.62% x 60/365 = 41.49
    # 100 paid on 30 Apr: 40.00 Pauschale, 41.49 interest, 18.51 principal -> 1981.49 open
    # 1..31 May (31 d): 1981.49 x 12.62% x 31/365 = 21.24
    r = compute_interest(D("2000"), date(2024, 3, 1), date(2024, 5, 31), "de", currency="EUR",
                         payments=[Payment(date(2024, 4, 30), D("100"))])
    (a,) = r.allocations
    assert (a.to_costs, a.to_interest, a.to_principal) == (D("40.00"), D("41.49"), D("18.51"))
    assert [p.interest for p in r.periods] == [D("41.49"), D("21.24")]
    assert (r.compensation_open, r.interest_open, r.principal_open) == (D("0.00"), D("21.24"), D("1981.49"))
    assert r.order == ("costs", "interest", "principal")


def test_payments_on_time_and_surplus() -> None:
    # 400 on the due date reduces the principal before any interest; 700 later pays all, 94.82 surplus
    # 600 x 15.75% x 20/365 = 5.18 (16 Jan..4 Feb)
    r = compute_interest(D("1000"), date(2024, 1, 15), date(2024, 2, 29), "pl", with_compensation=False,
                         payments=[Payment(date(2024, 1, 15), D("400")), Payment(date(2024, 2, 4), D("700"))])
    assert [(p.days, p.principal, p.interest) for p in r.periods] == [(20, D("600.00"), D("5.18"))]
    assert r.allocations[1].surplus == D("94.82") and r.principal_open == 0 and r.interest_open == 0


def test_nothing_accrues_on_time() -> None:
    r = compute_interest(D("1000"), date(2024, 1, 15), date(2024, 1, 15), "pl")
    assert r.periods == () and r.interest == 0 and r.compensation is None


def test_actual_actual_day_count_uses_366_in_leap_years() -> None:
    rates = dataclasses.replace(load_rate_table(), day_count="actual/actual")
    r = compute_interest(D("10000"), date(2024, 1, 15), date(2024, 6, 30), "pl", rates=rates,
                         with_compensation=False)
    assert r.interest == D("718.65")  # 10000 x 15.75% x 167/366


@pytest.mark.parametrize(("amount", "eur", "pln"), [
    ("5000.00", "40", "173.92"),  # <= 5000 PLN: 40 EUR x 4.3480
    ("5000.01", "70", "304.36"),  # above 5000 and below 50000: 70 EUR
    ("49999.99", "70", "304.36"),
    ("50000.00", "100", "434.80"),  # 50000 or more: 100 EUR
])
def test_pl_compensation_thresholds(amount: str, eur: str, pln: str) -> None:
    comp = recovery_compensation(D(amount), "PLN", date(2024, 1, 15), "pl")
    assert (comp.eur, comp.amount, comp.currency) == (D(eur), D(pln), "PLN")


def test_compensation_rate_of_last_working_day_before_weekend_and_easter() -> None:
    # due in April 2024: 30 Mar is Saturday, 31 Mar Easter Sunday -> Friday 29 March, NBP 4.3009
    comp = recovery_compensation(D("1000"), "PLN", date(2024, 4, 10), "pl")
    assert (comp.fx_date, comp.fx_rate, comp.amount) == (date(2024, 3, 29), D("4.3009"), D("172.04"))


def test_compensation_rate_skips_a_holiday_at_month_end() -> None:
    # 31 May 2029 is Corpus Christi, a Polish public holiday: the fixing day is Wednesday 30 May
    fx = FxTable([FxRate(date(2029, 5, 30), "EUR", D("4.5000"), "test")])
    comp = recovery_compensation(D("1000"), "PLN", date(2029, 6, 15), "pl", fx=fx)
    assert (comp.fx_date, comp.amount) == (date(2029, 5, 30), D("180.00"))
    with pytest.raises(MissingRate, match="2029-05-30"):
        recovery_compensation(D("1000"), "PLN", date(2029, 6, 15), "pl",
                              fx=FxTable([FxRate(date(2029, 5, 31), "EUR", D("4.5"), "test")]))


def test_missing_rate_is_an_error_not_a_guess() -> None:
    # due June 2025 needs the rate of 30 May 2025, which the shipped table does not have
    with pytest.raises(MissingRate, match="fx-refresh"):
        compute_interest(D("1000"), date(2025, 6, 10), date(2025, 6, 30), "pl")


def test_rate_beyond_the_table_is_an_error() -> None:
    with pytest.raises(RateUnavailable, match="known_until"):
        compute_interest(D("1000"), date(2026, 6, 15), date(2026, 7, 15), "de", currency="EUR")
    # PL commercial 2026 H1 is fixed by the rate of 1 Jan 2026 (4.00% + 10), known though the
    # reference rate table itself ends in March
    r = compute_interest(D("1000"), date(2026, 4, 30), date(2026, 6, 30), "pl", with_compensation=False)
    assert {p.rate for p in r.periods} == {D("14.00")}


def test_eur_invoice_under_polish_law_compares_the_pln_value() -> None:
    # 1200 EUR x 4.3480 = 5217.60 PLN > 5000 -> 70 EUR
    comp = recovery_compensation(D("1200"), "EUR", date(2024, 1, 15), "pl")
    assert (comp.eur, comp.amount) == (D("70"), D("304.36"))


def test_interest_note_data_for_an_invoice_paid_late() -> None:
    # 4200 due 15 Jan 2026 paid 2 Mar 2026: 16 Jan..2 Mar = 46 days, 2026 H1 4.00% + 10 = 14%:
    # 4200 x 14% x 46/365 = 74.10; 40 EUR at NBP 4.2267 of 31 Dec 2025 = 169.07
    r = late_payment_charges(D("4200"), date(2026, 1, 15), date(2026, 3, 2), "pl")
    assert (r.interest_open, r.principal_open, r.compensation.amount) == (D("74.10"), D("0.00"), D("169.07"))


@pytest.mark.parametrize(("half", "rate"), [
    (date(2020, 1, 1), "11.50"), (date(2020, 7, 1), "10.10"), (date(2021, 7, 1), "10.10"),
    (date(2022, 1, 1), "11.75"), (date(2022, 7, 1), "16.00"), (date(2023, 7, 1), "16.75"),
    (date(2024, 1, 1), "15.75"), (date(2025, 1, 1), "15.75"), (date(2025, 7, 1), "15.25"),
    (date(2026, 1, 1), "14.00"),
])
def test_pl_commercial_rates_match_the_announcements(half: date, rate: str) -> None:
    table = load_rate_table().for_jurisdiction("pl")
    ((_, _, got),) = table.segments(half, half, consumer=False, transaction_date=half)
    assert got == D(rate)


def test_invalid_order_and_jurisdiction() -> None:
    with pytest.raises(ValueError, match="payment order"):
        compute_interest(D("1"), date(2024, 1, 1), date(2024, 2, 1), "pl", order=("interest",))
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        compute_interest(D("1"), date(2024, 1, 1), date(2024, 2, 1), "fr")
