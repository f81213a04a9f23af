"""The statement inbox: whole files import once; bad files go to quarantine with the reason."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from receivables.banking.inbox import process_inbox
from receivables.banking.records import Statement, StatementTransaction
from receivables.banking.writers import write_mt940
from receivables.ledger.models import BankTransaction, Event

ACCOUNT = "PL61109010140000071219812874"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "statements"


def entries(n: int, start: int = 0) -> list[StatementTransaction]:
    return [
        StatementTransaction(
            booking_date=date(2026, 10, 1 + i % 28), value_date=date(2026, 10, 1 + i % 28),
            amount=Decimal(f"{100 + i}.{i % 100:02d}"), currency="PLN",
            counterparty_name=f"KLIENT {i}", counterparty_iban="PL45116022027557396729776374",
            title=f"FV/2026/09/{i:04d}", reference=f"REF{i:06d}",
        )
        for i in range(start, start + n)
    ]


def mt940_file(path: Path, txs: list[StatementTransaction], opening: str = "1000.00",
               closing: Decimal | None = None) -> Path:
    header = Statement(account=ACCOUNT, statement_id="2026/10", currency="PLN",
                       opening_balance=Decimal(opening), opening_date=date(2026, 10, 1),
                       closing_date=date(2026, 10, 31))
    with path.open("w", encoding="utf-8") as fh:
        write_mt940(fh, header, txs)
    if closing is not None:  # tamper: a statement whose entries no longer add up
        text = path.read_text(encoding="utf-8")
        head, _, tail = text.rpartition(":62F:")
        path.write_text(head + ":62F:" + tail[:10] + f"{closing:.2f}".replace(".", ",") + "\n", encoding="utf-8")
    return path


def count(ledger) -> int:
    with ledger.session() as s:
        return s.scalar(select(func.count()).select_from(BankTransaction))


def test_good_files_import_once_and_move_to_processed(ledger, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mt940_file(inbox / "october.sta", entries(30))
    first = process_inbox(ledger, inbox, None, today=date(2026, 11, 2))
    assert first.summary["transactions_new"] == 30 and first.summary["quarantined"] == []
    assert (inbox / "processed" / "2026-11-02" / "october.sta").exists()
    assert not (inbox / "october.sta").exists()
    # the bank sends the month again plus an overlapping file: nothing counted twice
    mt940_file(inbox / "october-again.sta", entries(30))
    mt940_file(inbox / "overlap.sta", entries(10, start=25))
    again = process_inbox(ledger, inbox, None, today=date(2026, 11, 3))
    assert again.summary["transactions_new"] == 5
    assert again.summary["transactions_already_known"] == 35
    assert count(ledger) == 35
    with ledger.session() as s:
        assert s.scalar(select(func.count()).select_from(Event).where(Event.kind == "statement_imported")) == 3


def test_unbalanced_statement_is_quarantined_and_imports_nothing(ledger, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mt940_file(inbox / "bad.sta", entries(5), closing=Decimal("1.00"))
    result = process_inbox(ledger, inbox, None)
    assert result.summary["quarantined"] == ["bad.sta"]
    reason = (inbox / "quarantine" / "bad.sta.error.txt").read_text()
    assert "balances do not add up" in reason and "expected closing balance 1.00" in reason
    assert count(ledger) == 0


def test_file_with_a_bad_second_statement_imports_nothing(ledger, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = mt940_file(tmp_path / "a.sta", entries(4)).read_text(encoding="utf-8")
    bad = mt940_file(tmp_path / "b.sta", entries(3, start=50), closing=Decimal("7.00")).read_text(encoding="utf-8")
    (inbox / "two.sta").write_text(good + bad, encoding="utf-8")
    result = process_inbox(ledger, inbox, None)
    assert result.summary["quarantined"] == ["two.sta"]
    assert count(ledger) == 0  # the good first statement was rolled back with the bad one


def test_unknown_and_hostile_files_are_quarantined(ledger, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.docx").write_bytes(b"PK\x03\x04 not a statement")
    (inbox / "xxe.xml").write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>&x;'
        "</BkToCstmrStmt></Document>", encoding="utf-8")
    (inbox / "upload.sta.part").write_text("half a file")
    result = process_inbox(ledger, inbox, None)
    assert sorted(result.summary["quarantined"]) == ["notes.docx", "xxe.xml"]
    assert "root:" not in (inbox / "quarantine" / "xxe.xml.error.txt").read_text()
    assert (inbox / "upload.sta.part").exists()  # a file still arriving is left alone
    assert count(ledger) == 0


def test_shared_real_samples_that_balance_import(ledger, tmp_path):
    if not SHARED.exists():
        import pytest

        pytest.skip(f"shared samples not found at {SHARED}")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("mt940/pl-mbank-mt940-multiple-accounts-iso8859-2-ksdev.txt", "mt940/de-sparkasse-jejik.txt",
                 "camt053/genkgo-camt053-v02-multi-statement.xml", "mt940/nl-ing-jejik.txt"):
        shutil.copy(SHARED / name, inbox / Path(name).name)
    result = process_inbox(ledger, inbox, None)
    assert result.summary["quarantined"] == ["nl-ing-jejik.txt"]  # its fixture balances do not add up
    assert result.summary["transactions_new"] == 56 + 2 + 2
    assert count(ledger) == 60


def test_an_intraday_and_a_final_statement_in_one_file_count_each_entry_once(ledger, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    intraday = mt940_file(tmp_path / "a.sta", entries(4)).read_text(encoding="utf-8")
    final = mt940_file(tmp_path / "b.sta", entries(6)).read_text(encoding="utf-8")  # the same 4, and 2 more
    (inbox / "day.sta").write_text(intraday + final, encoding="utf-8")
    first = process_inbox(ledger, inbox, None, today=date(2026, 10, 7))
    assert (first.summary["transactions_new"], first.summary["transactions_already_known"]) == (6, 4)
    shutil.copy(inbox / "processed" / "2026-10-07" / "day.sta", inbox / "day.sta")
    again = process_inbox(ledger, inbox, None, today=date(2026, 10, 8))
    assert (again.summary["transactions_new"], again.summary["transactions_already_known"]) == (0, 10)
    assert count(ledger) == 6
