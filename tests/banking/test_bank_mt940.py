"""MT940 dialects written from the banks' format descriptions, and bad MT940 input."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.banking import StatementError, check_balances, parse_file
from receivables.banking import mt940
from receivables.banking.mt940_details import parse_split_payment


def _one(path: Path):
    parsed = parse_file(path)
    assert parsed.format == "mt940"
    for statement in parsed.statements:
        check_balances(statement)
    return parsed.statements


def test_ing_tilde_subfields_cp1250(data: Path) -> None:
    (stmt,) = _one(data / "mt940/ing_pl.sta")
    assert stmt.account == "PL26105014451000002279872154"
    assert stmt.statement_id == "ING240201/1/00022/001"
    first, split, fee = stmt.transactions
    assert first.counterparty_name == "PRZEDSIĘBIORSTWO HANDLOWE ŁÓDŹ SP. Z O.O."
    assert first.counterparty_iban == "PL61109010140000071219812874"
    assert first.title == "FV/2024/01/0017 zapłata za dostawę"
    assert (first.reference, first.bank_code) == ("TR240201000123", "051")
    assert split.counterparty_iban == "PL61109010140000071219812874"  # from ~30 + ~31
    assert parse_split_payment(split.title) == {
        "VAT": "276,00", "IDC": "5252248481", "INV": "FV/2024/01/0018", "TXT": "ZAPŁATA MPP",
    }
    assert (fee.amount, fee.booking_date, fee.counterparty_name) == (Decimal("-12.50"), date(2024, 2, 2), None)


def test_pko_placeholders_and_supplementary_line(data: Path) -> None:
    (stmt,) = _one(data / "mt940/pko_bp.sta")
    assert stmt.statement_id == "MT940/00042"
    incoming, outgoing = stmt.transactions
    assert incoming.title == "FAKTURA NR FV 31/01/2024"
    assert incoming.counterparty_name == "BIURO RACHUNKOWE ŻANETA GĄSIOR"
    assert incoming.counterparty_iban == "PL23102055610000380209739045"
    assert outgoing.amount == Decimal("-25.00")
    assert outgoing.title == "PRZELEW ŚRODKÓW"
    assert outgoing.reference == "6460500500000513"


def test_pekao_caret_soh_etx_and_intermediate_balances(data: Path) -> None:
    page1, page2 = _one(data / "mt940/pekao.sta")
    assert (page1.opening_balance, page1.closing_balance) == (Decimal("5000.00"), Decimal("7500.00"))
    assert (page2.opening_balance, page2.closing_balance) == (Decimal("7500.00"), Decimal("6299.50"))
    tx = page1.transactions[0]
    assert tx.counterparty_name == "GĄSIOR I WSPÓLNICY SPÓŁKA JAWNA"
    assert tx.title == "FV/2024/02/0005 ZA USŁUGI SERWISOWE"
    assert page2.transactions[0].counterparty_name == "ZARZĄD NIERUCHOMOŚCI ŚLĄSK"


def test_santander_caret(data: Path) -> None:
    (stmt,) = _one(data / "mt940/santander_pl.sta")
    assert stmt.opening_balance == Decimal("-150.00")
    tx = stmt.transactions[0]
    assert (tx.counterparty_name, tx.title) == ("KOWALSKI BUDOWNICTWO SP. Z O.O.", "FAKTURA FV/77/2024")
    assert stmt.transactions[1].title == "ALLEGRO.PL POZNAŃ"


def test_millennium_swift_blocks_and_reversal(data: Path) -> None:
    (stmt,) = _one(data / "mt940/millennium.sta")
    big, reversal = stmt.transactions
    assert big.amount == Decimal("1000000.00")
    assert big.counterparty_name == "FUNDACJA ROZWOJU MIAST"
    assert reversal.amount == Decimal("-100.00")  # RC: reversal of a credit


def test_german_sepa_subfields(data: Path) -> None:
    (stmt,) = _one(data / "mt940/deutsche_bank_de.sta")
    assert stmt.account == "DE36370700240123456789"
    credit, debit = stmt.transactions
    assert credit.end_to_end_id == "RE-2024-0042"
    assert credit.title == "Rechnung RE-2024-0042 vom 15.01.2024"
    assert credit.counterparty_iban == "DE44500105175407324931"
    assert debit.end_to_end_id is None  # NOTPROVIDED
    assert (debit.title, debit.bank_code) == ("Telefon 02/2024", "105")


def test_forced_dialect_and_encoding(data: Path) -> None:
    (stmt,) = list(mt940.extract(data / "mt940/ing_pl.sta", encoding="cp1250", dialect="generic_tilde"))
    assert stmt.transactions[0].counterparty_name == "PRZEDSIĘBIORSTWO HANDLOWE ŁÓDŹ SP. Z O.O."


GOOD = """:20:X1
:25:PL61109010140000071219812874
:28C:1
:60F:C240101PLN100,00
:61:2401020102C10,00NTRFNONREF//R1
:86:~20Invoice 1
:62F:C240102PLN110,00
-
"""


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "bad.sta"
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (GOOD.replace("C10,00NTRF", "C1O,00NTRF"), "line 5", "malformed :61:"),
        (GOOD.replace(":60F:C240101PLN100,00", ":60F:C240101PLN1x0,00"), "line 4", "malformed :60F:"),
        (GOOD.replace(":60F:C240101", ":60F:C241301"), "line 4", "invalid date"),
        (GOOD.replace(":25:PL61109010140000071219812874\n", ""), "line 1", "without account"),
        (GOOD.replace(":60F:C240101PLN100,00\n", ""), "line 1", "without opening balance"),
        ("\x01\n" + GOOD[: GOOD.index(":62F:")], "line 8", "truncated"),
        (GOOD.replace(":62F:C240102PLN110,00", ":62F:C2401"), "line 7", "malformed :62F:"),
        ("hello\n" + GOOD, "line 1", "text outside any field"),
        (GOOD[: GOOD.index(":62F:")] + GOOD, "line 7", "before the previous one closed"),
    ],
)
def test_bad_input_names_the_line(tmp_path: Path, text: str, line: str, message: str) -> None:
    with pytest.raises(StatementError, match=message) as err:
        list(mt940.extract(_write(tmp_path, text)))
    assert err.value.location == line
    assert str(err.value).startswith(str(tmp_path / "bad.sta"))


def test_wrong_encoding_is_a_statement_error(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("Invoice 1", "Zapłata"), "cp1250")
    with pytest.raises(StatementError, match="wrong encoding") as err:
        list(mt940.extract(path, encoding="utf-8"))
    assert err.value.location == "line 6"


def test_statement_without_terminators_may_end_without_closing(tmp_path: Path) -> None:
    text = GOOD[: GOOD.index(":62F:")]
    (stmt,) = list(mt940.extract(_write(tmp_path, text)))
    assert stmt.closing_balance is None and len(stmt.transactions) == 1


def test_unbalanced_statement_parses_but_fails_the_check(tmp_path: Path) -> None:
    (stmt,) = list(mt940.extract(_write(tmp_path, GOOD.replace("PLN110,00", "PLN111,00"))))
    with pytest.raises(StatementError, match="balances do not add up") as err:
        check_balances(stmt)
    assert err.value.expected == "closing balance 111.00"


@pytest.mark.parametrize("blank_lines", [0, 3])
def test_error_after_the_first_chunk_names_its_line(tmp_path: Path, blank_lines: int) -> None:
    """The reader counts lines only on error, from the chunk's tokens: check it past 1 MB, in a
    file with CRLF line ends and blank lines between statements."""
    statement = GOOD.replace("-\n", "-\n" + "\n" * blank_lines)
    copies = (3 << 20) // len(statement)
    lines = (statement * copies).split("\n")
    bad = len(lines) * 2 // 3
    while not lines[bad].startswith(":61:"):
        bad += 1
    lines[bad] = lines[bad].replace("NTRF", "XTRF")
    path = tmp_path / "bad.sta"
    path.write_bytes("\r\n".join(lines).encode())
    with pytest.raises(StatementError, match="malformed :61:") as err:
        list(mt940.extract(path))
    assert err.value.location == f"line {bad + 1}"


@pytest.mark.parametrize("dialect", ["ing_pl", "pekao", "de_gvc"])
def test_learned_subfield_shapes_read_as_the_general_reading(dialect: str) -> None:
    """A reader that has learned shapes gives, for every :86:, what reading it from scratch
    gives: random code orders, repeated codes, a stray marker, text before the first code,
    wrapped lines, empty values."""
    import random

    from receivables.banking.bank_config import load_bank_configs
    from receivables.banking.mt940_details import DetailsReader

    spec = load_bank_configs().dialect(dialect)
    marker = spec.details.marker
    rng = random.Random(7)
    words = ["FV/2024/01/7", "KLIENT SP. Z O.O.", "PL61109010140000071219812874", "10901014",
             "0000071219812874", "EREF+E2E-1 SVWZ+Rechnung 7", "", "  ", "ZAPŁATA", "x" * 40]
    learned = DetailsReader(spec)
    for _ in range(3000):
        codes = rng.choices(["00", "20", "21", "22", "30", "31", "32", "33", "38", "60"], k=rng.randint(1, 7))
        text = rng.choice(["", "051", "PRZELEW "]) + "".join(marker + code + rng.choice(words) for code in codes)
        if rng.random() < 0.1:
            text += marker + "x"  # a marker without a code
        if rng.random() < 0.3:
            text = text.replace(" ", "\n", 1)
        assert learned.read(text) == DetailsReader(spec)._any_shape(text.replace("\n", spec.details.join_lines)), text
    assert 1 < len(learned.shapes) <= 32


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_any_line_ending_reads_the_same_and_names_the_same_line(tmp_path: Path, data: Path, newline: str) -> None:
    text = (data / "mt940/ing_pl.sta").read_bytes().decode("cp1250").replace("\r\n", "\n")
    unix, other = tmp_path / "unix.sta", tmp_path / "other.sta"
    unix.write_bytes(text.encode("cp1250"))
    other.write_bytes(text.replace("\n", newline).encode("cp1250"))
    assert list(mt940.extract(other)) == list(mt940.extract(unix))
    bad = GOOD.replace("C10,00NTRF", "C1O,00NTRF").replace("\n", newline)
    with pytest.raises(StatementError, match="malformed :61:") as err:
        list(mt940.extract(_write(tmp_path, bad)))
    assert err.value.location == "line 5"
