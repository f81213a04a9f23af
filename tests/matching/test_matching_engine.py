"""The engine's outcomes: evidence, amounts, order, currency, and the precision guard."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest

from receivables.matching import Knowledge, MatchConfig, match
from tests.matching.builders import auto, invoice, payment

BOOK = [
    invoice("FV/2024/05/0123", "K1", "1230.00"),
    invoice("FV/2024/05/0124", "K1", "400.50"),
    invoice("FV/2024/05/0200", "K2", "999.99"),
    invoice("FV/2024/05/0201", "K3", "77.70"),
]


STRANGER = {"payer": "ANNA NOWAK", "iban": "PL10105000997603123456789123"}


@pytest.mark.parametrize("title", [
    "Zapłata za fakturę FV/2024/05/0123",
    "fv 123/05/2024",
    "fv2024-05-123",
    "FV2024/05/0123",
    "fv 2024 05 0123",
    "FV/2024/05/123",
    "Przelew FV2024050123",
    "FAKTURA: FV-2024-05-0123 / usługi transportowe",
])
def test_titles_as_payers_type_them_name_the_invoice_by_themselves(title):
    result = match(BOOK, [payment("P1", "1230.00", title, **STRANGER)])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1230.00")}
    assert result.allocations[0].method == "number+amount"


@pytest.mark.parametrize("title", ["FV/2042/05/0123", "FV/2024/05/0132", "FV/2024/50/0123"])
def test_a_typo_is_read_with_the_payers_iban_and_never_without(title):
    result = match(BOOK, [payment("P1", "1230.00", title, customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1230.00")}
    assert result.allocations[0].method == "number_fuzzy+iban+amount"
    result = match(BOOK, [payment("P1", "1230.00", title, **STRANGER)])
    assert auto(result, "P1") == {}


def test_running_number_alone_points_at_the_customers_invoice():
    book = [invoice("FV/2024/05/0001", "K1", "500.00"),
            invoice("FV/2024/05/0002", "K1", "500.00", issued=date(2024, 5, 8))]
    result = match(book, [payment("P1", "500.00", "faktura nr 2", customer="K1")])
    best = result.suggestions["P1"][0]
    assert best.invoice_numbers == ("FV/2024/05/0002",) and best.method == "number_sequence+iban+amount"


def test_the_prefix_tells_series_with_the_same_digits_apart():
    book = BOOK + [invoice("FVE/2024/05/0123", "K1", "1230.00", currency="PLN")]
    result = match(book, [payment("P1", "1230.00", "fve2024-05-123", **STRANGER),
                          payment("P2", "1230.00", "FV 2024-05-123", **STRANGER)])
    assert auto(result, "P1") == {"FVE/2024/05/0123": Decimal("1230.00")}
    assert auto(result, "P2") == {"FV/2024/05/0123": Decimal("1230.00")}
    result = match(book, [payment("P1", "1230.00", "Rechnung 2024-05-123", **STRANGER)])
    assert auto(result, "P1") == {}  # the digits alone name both


def test_exact_number_without_a_known_payer_is_posted():
    result = match(BOOK, [payment("P1", "999.99", "Rechnung FV/2024/05/0200", payer="HANS MEIER",
                                  iban="DE02120300000000202051")])
    assert auto(result, "P1") == {"FV/2024/05/0200": Decimal("999.99")}
    assert next(a for a in result.allocations if a.payment_id == "P1").method.startswith("number")


def test_several_numbers_in_one_title_pay_all_of_them():
    result = match(BOOK, [payment("P1", "1630.50", "FV/2024/05/0123, FV/2024/05/0124", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1230.00"), "FV/2024/05/0124": Decimal("400.50")}


def test_tax_id_in_the_title_names_the_customer():
    result = match(BOOK, [payment("P1", "400.50", "NIP 525-244-84-87 zapłata", payer="KSIĘGOWOŚĆ XYZ",
                                  iban="PL10105000997603123456789123")])
    allocation = auto(result, "P1")
    assert allocation == {"FV/2024/05/0124": Decimal("400.50")}
    assert "tax_id" in result.allocations[0].method


def test_known_iban_and_amount_need_no_title():
    result = match(BOOK, [payment("P1", "400.50", "Przelew", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0124": Decimal("400.50")}
    assert result.allocations[0].method == "iban+amount"


def test_amount_alone_is_never_posted():
    result = match(BOOK, [payment("P1", "400.50", "Przelew", **STRANGER)])
    assert auto(result, "P1") == {}
    assert result.unmatched == ["P1"]
    assert result.suggestions["P1"][0].invoice_numbers == ("FV/2024/05/0124",)


@pytest.mark.parametrize("payer", ["TRANSPOL SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", "TRASNPOL SP. Z O.O.",
                                   "Transpol"])
def test_payer_name_with_legal_form_points_at_the_customer_but_alone_is_not_enough(payer):
    result = match(BOOK, [payment("P1", "400.50", "Przelew", payer=payer, iban="PL10105000997603123456789123")])
    assert auto(result, "P1") == {}
    best = result.suggestions["P1"][0]
    assert best.invoice_numbers == ("FV/2024/05/0124",) and best.customer_id == "K1"
    assert "name" in best.method
    assert next(a for a in result.allocations if a.payment_id == "P1").status == "suggested"


def test_combination_of_open_invoices_by_amount():
    book = [invoice(f"FV/2024/04/{n:04d}", "K1", amount, issued=date(2024, 4, n))
            for n, amount in enumerate(["310.00", "1250.40", "89.99", "4000.00"], start=1)]
    result = match(book, [payment("P1", "1340.39", "Płatność za usługi", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/04/0002": Decimal("1250.40"), "FV/2024/04/0003": Decimal("89.99")}
    assert "combination" in result.allocations[0].method


def test_oldest_invoices_settled_together():
    book = [invoice(f"FV/2024/04/{n:04d}", "K1", amount, issued=date(2024, 4, n))
            for n, amount in enumerate(["310.00", "1250.40", "89.99"], start=1)]
    result = match(book, [payment("P1", "1560.40", "Saldo", customer="K1")])
    assert set(auto(result, "P1")) == {"FV/2024/04/0001", "FV/2024/04/0002"}


def test_bank_fee_within_tolerance_is_still_the_invoice():
    result = match(BOOK, [payment("P1", "1228.50", "FV/2024/05/0123", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1228.50")}
    assert "tolerance" in result.allocations[0].method
    strict = MatchConfig(amount_tolerance_abs=Decimal("0"))
    result = match(BOOK, [payment("P1", "1228.50", "FV/2024/05/0123", customer="K1")], strict)
    assert "partial" in result.allocations[0].method


def test_partial_then_rest_of_one_invoice():
    result = match(BOOK, [payment("P1", "500.00", "FV/2024/05/0123 część 1", customer="K1", day=date(2024, 5, 20)),
                          payment("P2", "730.00", "FV/2024/05/0123 reszta", customer="K1", day=date(2024, 6, 3))])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("500.00")}
    assert auto(result, "P2") == {"FV/2024/05/0123": Decimal("730.00")}
    assert "partial" in next(a.method for a in result.allocations if a.payment_id == "P1")


def test_the_invoice_the_title_names_wins_over_one_that_only_matches_the_amount():
    book = BOOK + [invoice("FV/2024/05/0188", "K1", "500.00")]
    result = match(book, [payment("P1", "500.00", "FV/2024/05/0123 rata 1", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("500.00")}


def test_many_payments_for_one_invoice_in_booking_order():
    payments = [payment(f"P{n}", "410.00", "FV/2024/05/0123", customer="K1", day=date(2024, 5, 10 + n))
                for n in (3, 1, 2)]
    result = match(BOOK, payments)
    assert [a.payment_id for a in result.allocations] == ["P1", "P2", "P3"]
    assert sum(a.amount for a in result.allocations) == Decimal("1230.00")
    assert all(a.status == "auto" for a in result.allocations)


def test_overpayment_surplus_is_the_customers_credit():
    result = match(BOOK, [payment("P1", "1300.00", "FV/2024/05/0123", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1230.00")}
    assert result.credits == {"K1": {"PLN": Decimal("70.00")}}
    assert result.surpluses[0].payment_id == "P1" and result.surpluses[0].amount == Decimal("70.00")


def test_payment_in_another_currency_is_flagged_not_converted():
    result = match(BOOK, [payment("P1", "287.00", "Invoice FV/2024/05/0123", customer="K1", currency="EUR")])
    assert auto(result, "P1") == {}
    assert result.flags["P1"] == "foreign_currency"
    assert result.unmatched == ["P1"]


def test_outgoing_transfers_and_refunds_are_ignored():
    result = match(BOOK, [payment("P1", "-1230.00", "Zwrot FV/2024/05/0123", customer="K1"),
                          payment("P2", "0.00", "FV/2024/05/0123", customer="K1")])
    assert result.allocations == [] and result.unmatched == []
    assert result.flags == {"P1": "outgoing", "P2": "outgoing"}


def test_two_equal_open_invoices_are_not_guessed():
    book = [invoice("FV/2024/05/0001", "K1", "500.00"),
            invoice("FV/2024/05/0002", "K1", "500.00", issued=date(2024, 5, 8))]
    result = match(book, [payment("P1", "500.00", "Przelew", customer="K1")])
    assert auto(result, "P1") == {}
    assert {s.invoice_numbers for s in result.suggestions["P1"]} == {("FV/2024/05/0001",), ("FV/2024/05/0002",)}
    assert result.flags["P1"] == "ambiguous"
    assert all(s.confidence < 0.9 for s in result.suggestions["P1"])


def test_a_typo_that_names_another_customers_invoice_is_not_posted_there():
    book = [invoice("FV/2024/05/0012", "K1", "640.00"), invoice("FV/2024/05/0021", "K2", "1999.00")]
    result = match(book, [payment("P1", "640.00", "FV/2024/05/0021", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0012": Decimal("640.00")}


def test_a_typo_that_names_another_invoice_of_the_same_customer_is_not_guessed():
    book = [invoice("FV/2024/06/1234", "K2", "483.39"), invoice("FV/2024/06/1243", "K2", "2100.00")]
    result = match(book, [payment("P1", "483.39", "RE FV/2024/06/1243", customer="K2")])
    assert auto(result, "P1") == {}
    assert result.suggestions["P1"][0].invoice_numbers == ("FV/2024/06/1234",)
    assert {s.invoice_numbers for s in result.suggestions["P1"][:2]} == {("FV/2024/06/1234",), ("FV/2024/06/1243",)}


def test_a_date_in_the_title_does_not_pull_in_another_invoice():
    book = BOOK + [invoice("FV/2024/05/0015", "K2", "1230.00")]
    result = match(book, [payment("P1", "1230.00", "FV/2024/05/0123 z dnia 15.05.2024", customer="K1")])
    assert auto(result, "P1") == {"FV/2024/05/0123": Decimal("1230.00")}


def test_only_above_the_threshold_is_auto():
    strict = MatchConfig(auto_threshold=0.999)
    result = match(BOOK, [payment("P1", "400.50", "Przelew", customer="K1")], strict)
    assert auto(result, "P1") == {}
    assert result.allocations[0].status == "suggested"
    assert 0.9 < result.allocations[0].confidence < 0.999


def test_results_do_not_depend_on_input_order():
    payments = [payment(f"P{n}", amount, title, customer=c, day=date(2024, 5, 10 + n % 5))
                for n, (amount, title, c) in enumerate([("1230.00", "FV/2024/05/0123", "K1"),
                                                        ("400.50", "Przelew", "K1"),
                                                        ("999.99", "RE 200/05/2024", "K2"),
                                                        ("70.00", "faktura", "K3")])]
    first = match(BOOK, payments)
    shuffled_book, shuffled_payments = BOOK[:], payments[:]
    random.Random(3).shuffle(shuffled_book)
    again = match(shuffled_book, sorted(shuffled_payments, key=lambda p: p.booking_date))
    assert first.allocations == again.allocations and first.suggestions == again.suggestions


def test_learned_iban_and_alias_count_as_the_customer():
    stranger = "PL10105000997603123456789123"
    p = payment("P1", "400.50", "Przelew", payer="JAN NOWAK", iban=stranger)
    assert auto(match(BOOK, [p]), "P1") == {}
    knowledge = Knowledge(iban_to_customer={stranger: "K1"})
    assert auto(match(BOOK, [p], knowledge=knowledge), "P1") == {"FV/2024/05/0124": Decimal("400.50")}
    knowledge = Knowledge(name_aliases={"JAN NOWAK": "K1"})
    result = match(BOOK, [payment("P1", "400.50", "Przelew", payer="Nowak Jan")], knowledge=knowledge)
    assert auto(result, "P1") == {"FV/2024/05/0124": Decimal("400.50")}
    assert "alias" in result.allocations[0].method


def test_the_quick_path_for_plain_payments_scores_exactly_like_the_general_one(monkeypatch):
    from receivables.matching.engine import Matcher
    from tests.benchmarks.bench_matching_speed import build

    invoices, payments = build(3000)
    extra = [payment("Q1", "1228.50", "FV/2024/05/0123", customer="K1"),
             payment("Q2", "450.00", "FV/2024/05/0124", customer="K1"),
             payment("Q3", "999.99", "FV/2024/05/0200", customer="K2")]
    quick = match(invoices + BOOK, payments + extra)
    monkeypatch.setattr(Matcher, "_post_named_invoice", lambda self, ctx: False)
    general = match(invoices + BOOK, payments + extra)
    assert len(quick.auto_posted()) > 2500
    assert quick.allocations == general.allocations
    assert (quick.suggestions, quick.unmatched, quick.flags, quick.credits) == (
        general.suggestions, general.unmatched, general.flags, general.credits)
