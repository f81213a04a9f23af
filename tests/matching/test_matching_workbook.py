"""The exceptions workbook round trip, strict decision reading, and learning from decisions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from receivables.matching import (
    DecisionError,
    Knowledge,
    exception_rows,
    learn,
    match,
    read_decisions,
    write_exceptions,
)
from receivables.matching.workbook import COLUMNS
from tests.matching.builders import auto, invoice, payment

BOOK = [
    invoice("FV/2024/05/0001", "K1", "500.00"),
    invoice("FV/2024/05/0002", "K1", "500.00", issued=date(2024, 5, 8)),
    invoice("FV/2024/05/0003", "K2", "250.00"),
    invoice("FV/2024/05/0004", "K3", "99.00"),
]
STRANGER = "PL10105000997603123456789123"
PAYMENTS = [
    payment("P1", "500.00", "Przelew", customer="K1"),                                # two equal invoices
    payment("P2", "250.00", "Zahlung", payer="FRAU SCHMIDT", iban=STRANGER),          # nobody known
    payment("P3", "1230.00", "Przelew", payer="NIEZNANY", iban="PL20105000997603123456789124"),
    payment("P4", "99.00", "FV/2024/05/0004", customer="K3"),                        # posted
]


def _decide(path, decisions: dict[str, str]) -> None:
    book = load_workbook(path)
    sheet = book["exceptions"]
    column = COLUMNS.index("decision") + 1
    for row in range(2, sheet.max_row + 1):
        pid = sheet.cell(row, 1).value
        if pid in decisions:
            sheet.cell(row, column).value = decisions[pid]
    book.save(path)


def test_workbook_lists_what_was_not_posted_with_suggestions_and_a_dropdown(tmp_path):
    result = match(BOOK, PAYMENTS)
    path = tmp_path / "exceptions.xlsx"
    assert write_exceptions(path, exception_rows(result, PAYMENTS)) == 3
    sheet = load_workbook(path)["exceptions"]
    header = [c.value for c in sheet[1]]
    assert header[:8] == ["payment_id", "booking_date", "amount", "currency", "payer", "payer_iban", "title", "reason"]
    assert "decision" in header and "s3_method" in header
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {"P1", "P2", "P3"}
    assert rows["P1"]["reason"] == "ambiguous"
    assert {rows["P1"]["s1_invoices"], rows["P1"]["s2_invoices"]} == {"FV/2024/05/0001", "FV/2024/05/0002"}
    assert rows["P1"]["s1_amounts"] == "500.00"
    validations = sheet.data_validations.dataValidation
    assert validations and '"1,2,3,ignore"' in validations[0].formula1
    column = chr(ord("A") + header.index("decision"))
    assert str(validations[0].sqref) == f"{column}2:{column}4"


def test_decisions_read_back(tmp_path):
    result = match(BOOK, PAYMENTS)
    path = tmp_path / "exceptions.xlsx"
    write_exceptions(path, exception_rows(result, PAYMENTS))
    second = result.suggestions["P1"][1].invoice_numbers
    _decide(path, {"P1": "2", "P2": "FV/2024/05/0003=250,00", "P3": " Ignore "})
    decisions = {d.payment_id: d for d in read_decisions(path)}
    assert decisions["P1"].action == "allocate" and decisions["P1"].invoice_numbers == second
    assert decisions["P1"].amounts == (Decimal("500.00"),)
    assert decisions["P2"].invoice_numbers == ("FV/2024/05/0003",) and decisions["P2"].amounts == (Decimal("250.00"),)
    assert decisions["P3"].action == "ignore"
    assert [d.row for d in decisions.values()] == [2, 3, 4]


def test_excel_number_cells_and_lists_and_customer(tmp_path):
    result = match(BOOK, PAYMENTS)
    path = tmp_path / "exceptions.xlsx"
    write_exceptions(path, exception_rows(result, PAYMENTS))
    book = load_workbook(path)
    sheet = book["exceptions"]
    column = COLUMNS.index("decision") + 1
    sheet.cell(2, column).value = 1  # Excel stores a typed 1 as a number
    sheet.cell(3, column).value = "customer: K2"
    sheet.cell(4, column).value = "FV/2024/05/0001; FV/2024/05/0002"
    book.save(path)
    decisions = read_decisions(path)
    assert decisions[0].invoice_numbers == result.suggestions["P1"][0].invoice_numbers
    assert decisions[1].action == "customer" and decisions[1].customer_id == "K2"
    assert decisions[2].invoice_numbers == ("FV/2024/05/0001", "FV/2024/05/0002")
    assert decisions[2].amounts == (None, None)


def test_unreadable_decisions_name_the_row_and_what_was_found(tmp_path):
    result = match(BOOK, PAYMENTS)
    path = tmp_path / "exceptions.xlsx"
    write_exceptions(path, exception_rows(result, PAYMENTS))
    _decide(path, {"P1": "7", "P2": "pay it", "P3": "FV/2024/05/0003=12.3.4"})
    with pytest.raises(DecisionError) as caught:
        read_decisions(path)
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith("row 2 (payment P1): decision '7': suggestion 7 does not exist")
    assert problems[1].startswith("row 3 (payment P2): decision 'pay it'")
    assert "row 4" in problems[2] and "12.3.4" in problems[2]
    assert str(path) in str(caught.value)


def test_a_workbook_without_the_columns_is_refused(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "exceptions"
    book.active.append(["payment", "what"])
    book.save(tmp_path / "x.xlsx")
    with pytest.raises(DecisionError, match="missing column"):
        read_decisions(tmp_path / "x.xlsx")
    with pytest.raises(DecisionError, match="cannot open"):
        read_decisions(tmp_path / "nothing.xlsx")


def test_an_unmatched_payer_is_matched_after_a_decision_is_learned(tmp_path):
    first = match(BOOK, PAYMENTS)
    assert auto(first, "P2") == {}
    path = tmp_path / "exceptions.xlsx"
    write_exceptions(path, exception_rows(first, PAYMENTS))
    _decide(path, {"P2": "FV/2024/05/0003"})
    knowledge = learn(Knowledge(), read_decisions(path), PAYMENTS, BOOK)
    assert knowledge.iban_to_customer == {STRANGER: "K2"}
    assert knowledge.name_aliases == {"frau schmidt": "K2"}
    later = [invoice("FV/2024/06/0010", "K2", "610.00", issued=date(2024, 6, 3))]
    again = payment("P9", "610.00", "Zahlung Juni", payer="FRAU SCHMIDT", iban=STRANGER, day=date(2024, 6, 20))
    assert auto(match(later, [again]), "P9") == {}
    result = match(later, [again], knowledge=knowledge)
    assert auto(result, "P9") == {"FV/2024/06/0010": Decimal("610.00")}
    assert "iban" in result.allocations[0].method and "alias" in result.allocations[0].method


def test_learning_keeps_only_unambiguous_lessons():
    from receivables.matching.decisions import Decision

    payments = [payment("A", "1.00", None, payer="SHARED PAYER", iban=STRANGER),
                payment("B", "1.00", None, payer="SHARED PAYER", iban=STRANGER),
                payment("C", "1.00", None, customer="K1")]
    decisions = [Decision("A", 2, "allocate", ("FV/2024/05/0001",), (None,)),
                 Decision("B", 3, "allocate", ("FV/2024/05/0003",), (None,)),
                 Decision("C", 4, "allocate", ("FV/2024/05/0001",), (None,))]
    knowledge = learn(Knowledge({"PL00OLD": "K9"}, {}), decisions, payments, BOOK)
    assert knowledge.iban_to_customer == {"PL00OLD": "K9"}  # the stranger paid for two customers
    assert knowledge.name_aliases == {}  # K1's own IBAN and name are no news
