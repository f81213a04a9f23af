"""Every real sample in shared/samples/statements parses, with values read off the files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import StatementError, check_balances, parse_file

# file -> (format, transactions per statement, balances add up per README: True/False/None)
EXPECTED = {
    "mt940/pl-mbank-mt940-wolph.sta": ("mt940", [3], True),
    "mt940/pl-mbank-mt940-newline-in-tnr-wolph.sta": ("mt940", [2], False),
    "mt940/pl-mbank-mt940-multiple-accounts-iso8859-2-ksdev.txt": ("mt940", [38, 2, 7, 0, 1, 1, 7, 0], True),
    "mt940/de-commerzbank-jejik.txt": ("mt940", [1], False),
    "mt940/de-sparkasse-jejik.txt": ("mt940", [1, 1], True),
    "mt940/de-gv-codes-wolph.sta": ("mt940", [2], None),
    "mt940/nl-ing-jejik.txt": ("mt940", [7], False),
    "camt053/genkgo-camt053-v04.xml": ("camt.053", [1], False),
    "camt053/genkgo-camt053-v08.xml": ("camt.053", [1], False),
    "camt053/genkgo-camt053-v02-multi-statement.xml": ("camt.053", [1, 1], True),
    "camt054/genkgo-camt054-v08.xml": ("camt.054", [3], None),
    "csv/de-sparkasse-freiburg-simple2.csv": ("csv:sparkasse_camt", [18], None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_parses_with_readme_counts(shared: Path, name: str) -> None:
    fmt, counts, _ = EXPECTED[name]
    parsed = parse_file(shared / name)
    assert parsed.format == fmt
    assert [len(s.transactions) for s in parsed.statements] == counts


@pytest.mark.parametrize("name", sorted(n for n, (_, _, ok) in EXPECTED.items() if ok is not None))
def test_balances_match_readme(shared: Path, name: str) -> None:
    adds_up = EXPECTED[name][2]
    statements = parse_file(shared / name).statements
    if adds_up:
        for statement in statements:
            check_balances(statement)
    else:
        with pytest.raises(StatementError, match="balances do not add up"):
            for statement in statements:
                check_balances(statement)


def test_mbank_placeholder_statement(shared: Path) -> None:
    (stmt,) = parse_file(shared / "mt940/pl-mbank-mt940-wolph.sta").statements
    assert stmt.account == "PL29114010810000267002001002"
    assert stmt.statement_id == "ST170119CYC/1/1/1"
    assert (stmt.currency, stmt.opening_balance, stmt.closing_balance) == ("PLN", Decimal("0.40"), Decimal("0.43"))
    first = stmt.transactions[0]
    assert first.booking_date == date(2017, 1, 19)
    assert first.amount == Decimal("0.01")
    assert first.counterparty_name == "JAN NOWAK"
    assert first.counterparty_iban == "PL56114010810000267002001001"
    assert first.title == "PRZELEW SRODKOW"
    assert first.reference == "MB170119012058"
    assert [t.reference for t in stmt.transactions][-1] == "MB170119012121"


def test_mbank_tnr_wrapped_across_lines(shared: Path) -> None:
    (stmt,) = parse_file(shared / "mt940/pl-mbank-mt940-newline-in-tnr-wolph.sta").statements
    assert [t.amount for t in stmt.transactions] == [Decimal("45.00"), Decimal("44.00")]
    assert stmt.transactions[0].title == "_FAKTURA VAT NR FVD-0000/02/2017  A AAAAA AAAAAA UL. AAAAAAAAAAA 220/22"
    assert stmt.transactions[0].counterparty_name == "AAAAAA AAAAAA"


def test_mbank_iso8859_2_multiple_accounts(shared: Path) -> None:
    statements = parse_file(shared / "mt940/pl-mbank-mt940-multiple-accounts-iso8859-2-ksdev.txt").statements
    assert [s.account[-4:] for s in statements] == ["4001", "4002", "4003", "4004", "4005", "5001", "5002", "5003"]
    assert [s.currency for s in statements] == ["PLN", "PLN", "EUR", "EUR", "USD", "PLN", "EUR", "USD"]
    assert statements[0].opening_balance == Decimal("8985995772.25")
    assert statements[6].opening_balance == Decimal("-959.45")
    assert statements[6].closing_balance == Decimal("-492.89")
    second = statements[1].transactions[0]
    assert second.counterparty_name == "FIRMA 9 SP. Z O.O."
    assert second.title == "ZAPŁATA ZA FAKTURĘ NR  9/2007"
    assert second.counterparty_iban == "PL14180010150000000000123456"
    assert second.amount == Decimal("24.14")
    assert statements[2].transactions[0].counterparty_iban == "NO9386011117947"
    big = [t for t in statements[0].transactions if t.amount == Decimal("1002444.00")]
    assert len(big) == 2


def test_german_subfields(shared: Path) -> None:
    first, second = parse_file(shared / "mt940/de-sparkasse-jejik.txt").statements
    assert first.account == "DE95870520000123456789"
    tx = first.transactions[0]
    assert (tx.amount, tx.counterparty_name, tx.bank_code) == (Decimal("-20.00"), "ARAL AG", "106")
    assert tx.counterparty_iban == "DE95430800830802029200"
    assert second.transactions[0].counterparty_name == "Max Mustermann"
    assert second.transactions[0].title.startswith("Apple Pay")
    (commerz,) = parse_file(shared / "mt940/de-commerzbank-jejik.txt").statements
    ret = commerz.transactions[0]
    assert ret.amount == Decimal("-12.35")
    assert ret.end_to_end_id == "A1.200080779.400143254.4961336"
    assert ret.title.startswith("SONSTIGE GRUENDE ENDABRECHNUNG NR. 500106875")
    assert ret.counterparty_iban == "DE50712345600200691329"
    assert ret.reference == "2016021783252833"


def test_gv_codes_fragment_without_closing_balance(shared: Path) -> None:
    (stmt,) = parse_file(shared / "mt940/de-gv-codes-wolph.sta").statements
    assert stmt.closing_balance is None
    assert stmt.opening_balance == Decimal("12345.12")
    spotify = stmt.transactions[0]
    assert spotify.counterparty_name == "PayPal (Europe) S.a.r.l. et"
    assert spotify.end_to_end_id == "1234567890123 PAYPAL"
    assert stmt.transactions[1].booking_date == date(2019, 10, 25)
    check_balances(stmt)


def test_camt053_v02_multi_statement(shared: Path) -> None:
    first, second = parse_file(shared / "camt053/genkgo-camt053-v02-multi-statement.xml").statements
    assert (first.statement_id, second.statement_id) == ("253EURNL26VAYB8060476890", "254EURNL26VAYB8060476890")
    assert first.account == "NL26VAYB8060476890"
    assert (first.opening_balance, first.closing_balance) == (Decimal("18.15"), Decimal("27.00"))
    tx = first.transactions[0]
    assert (tx.amount, tx.booking_date, tx.value_date) == (Decimal("8.85"), date(2014, 12, 31), date(2015, 1, 2))
    assert (tx.counterparty_name, tx.title, tx.end_to_end_id) == ("Company Name 1", "Transaction Description 1", "000000001")
    assert second.transactions[0].amount == Decimal("-7.00")


@pytest.mark.parametrize("name", ["camt053/genkgo-camt053-v04.xml", "camt053/genkgo-camt053-v08.xml"])
def test_camt053_v04_v08(shared: Path, name: str) -> None:
    (stmt,) = parse_file(shared / name).statements
    assert stmt.account == "NL26VAYB8060476890"
    assert stmt.currency == "EUR"
    assert stmt.closing_balance == Decimal("-27.00")
    tx = stmt.transactions[0]
    assert tx.amount == Decimal("8.85")
    assert tx.booking_date == date(2014, 12, 31)
    assert (tx.counterparty_name, tx.counterparty_iban) == ("NAME NAME", "NL56AGDH9619008421")
    assert tx.reference == "AAAASESS-FP-CN_98765/01"
    assert tx.title == "4654654654654654"


def test_camt054_batched_entry_one_transaction_per_txdtls(shared: Path) -> None:
    (stmt,) = parse_file(shared / "camt054/genkgo-camt054-v08.xml").statements
    assert stmt.opening_balance is None and stmt.closing_balance is None
    assert stmt.account == "CH2801234000123456789"
    assert [t.amount for t in stmt.transactions] == [Decimal("3.1"), Decimal("3.2"), Decimal("3.2")]
    assert [t.currency for t in stmt.transactions] == ["CHF"] * 3
    assert [t.counterparty_name for t in stmt.transactions] == [f"Example Creditor 3 - V{i}" for i in (1, 2, 3)]
    assert stmt.transactions[0].counterparty_iban == "CH4112345003131313131"
    assert stmt.transactions[0].end_to_end_id == "UXC06170000006PI00001EE00001"
    assert stmt.transactions[2].title == (
        "Unstructured Remittance Information V3 block 1 Unstructured Remittance Information V3 block 2"
    )


def test_sparkasse_csv(shared: Path) -> None:
    (stmt,) = parse_file(shared / "csv/de-sparkasse-freiburg-simple2.csv").statements
    assert stmt.account == "12345678"
    assert stmt.opening_balance is None
    by_name = {t.counterparty_name: t for t in stmt.transactions}
    assert by_name["Harald Schmidt"].amount == Decimal("-100.00")
    assert by_name["John Oliver"].amount == Decimal("350.00")
    assert by_name["John Oliver"].title == "Hans Müller Erbe abzügl. Gebühren"
    assert by_name["FIRMA GMBH"].amount == Decimal("1060.22")
    assert by_name["FIRMA GMBH"].booking_date == date(2018, 3, 27)
    assert by_name["EDEKA DÜBEL//THOMASINGEN/DE"].end_to_end_id == "123441234123441234"
    assert sum(t.amount for t in stmt.transactions) == Decimal("107.17")  # 1410.22 in, 1303.05 out
