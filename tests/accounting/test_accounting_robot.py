"""The accounting-sync robot on the file sources: an export and an e-invoice inbox."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from receivables.ledger import open_ledger
from receivables.ledger.models import Customer, Event, Invoice, Run
from receivables.pipeline import run_robot

DATA = Path(__file__).resolve().parents[1] / "data" / "accounting"


@pytest.fixture
def ledger(tmp_path):
    led = open_ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    yield led
    led.dispose()


def with_sources(settings, *sources, **accounting):
    cfg = settings.accounting.model_copy(update={"sources": list(sources), **accounting})
    return settings.model_copy(update={"accounting": cfg})


def invoices(ledger) -> dict[str, Invoice]:
    with ledger.session() as s:
        return {i.number: i for i in s.scalars(select(Invoice))}


def test_export_sync_is_idempotent_and_flags_what_the_export_drops(settings, ledger, sandbox_copy):
    settings = with_sources(settings, "export", export_path=sandbox_copy)
    first = run_robot("accounting-sync", settings, ledger)["export"]
    numbers = [line.split(";")[0] for line in (sandbox_copy / "invoices.csv").read_text("utf-8-sig").splitlines()[1:]]
    customers = (sandbox_copy / "customers.csv").read_text("utf-8-sig").count("\n") - 1
    assert (first["invoices_created"], first["customers_created"]) == (len(numbers), customers)
    assert run_robot("accounting-sync", settings, ledger)["export"]["invoices_unchanged"] == len(numbers)

    lines = (sandbox_copy / "invoices.csv").read_text("utf-8-sig").splitlines()
    kept = [line for line in lines if not line.startswith("FV/2024/03/002;")]
    (sandbox_copy / "invoices.csv").write_text("\n".join(kept) + "\n", encoding="utf-8-sig")
    third = run_robot("accounting-sync", settings, ledger)["export"]
    assert (third["invoices_missing"], third["invoices_unchanged"]) == (1, len(numbers) - 1)
    got = invoices(ledger)
    assert got["FV/2024/03/002"].missing_from_source and len(got) == len(numbers)
    with ledger.session() as s:
        runs = s.scalars(select(Run.status).where(Run.robot == "accounting-sync")).all()
    assert runs == ["ok", "ok", "ok"]


def test_einvoice_inbox_syncs_good_files_and_quarantines_bad_ones(settings, ledger):
    inbox = settings.paths.einvoice_inbox
    inbox.mkdir(parents=True)
    for name in ("ksef_fa3_vat.xml", "ksef_fa3_kor.xml", "ubl_invoice.xml", "ubl_credit_note.xml",
                 "xrechnung_cii.xml"):
        shutil.copy(DATA / name, inbox / name)
    broken = (DATA / "ubl_invoice.xml").read_text("utf-8").replace("INV-2024-001", "INV-2024-002")
    broken = broken.replace('<cbc:TaxAmount currencyID="EUR">123.50</cbc:TaxAmount>',
                            '<cbc:TaxAmount currencyID="EUR">132.50</cbc:TaxAmount>', 1)  # wrong VAT sum
    (inbox / "broken.xml").write_text(broken, encoding="utf-8")
    (inbox / "notes.txt").write_text("not an invoice", encoding="utf-8")

    summary = run_robot("accounting-sync", with_sources(settings, "einvoices"), ledger)["einvoices"]
    assert summary["files"] == 5
    assert sorted(summary["quarantined"]) == ["broken.xml", "notes.txt"]
    reason = (inbox / "quarantine" / "broken.xml.error.txt").read_text("utf-8")
    assert "broken.xml" in reason and "132.50" in reason
    assert [p.name for p in inbox.iterdir() if p.is_file()] == []
    got = invoices(ledger)
    assert "INV-2024-002" not in got
    fa, kor = got["FA/2024/03/0001"], got["KOR/2024/03/0001"]
    assert kor.corrects_id == fa.id and fa.credited == Decimal("369.00")
    assert fa.open_amount == fa.gross - Decimal("369.00")
    assert got["INV-2024-001"].open_amount == Decimal("773.50") - Decimal("119.00")

    again = run_robot("accounting-sync", with_sources(settings, "einvoices"), ledger)["einvoices"]
    assert (again["files"], again["invoices_created"]) == (0, 0)  # processed files are not read twice


def test_export_source_without_a_path_fails_the_run_with_a_clear_error(settings, ledger):
    with pytest.raises(Exception, match="accounting.export_path"):
        run_robot("accounting-sync", with_sources(settings, "export"), ledger)
    with ledger.session() as s:
        run = s.scalar(select(Run))
        assert run.status == "failed" and "export_path" in run.error
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        assert s.scalar(select(func.count()).select_from(Event)) == 0
