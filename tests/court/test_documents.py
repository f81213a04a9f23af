"""Every document opened again (pdftotext, python-docx) and its key facts asserted."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from receivables.court.robot import court_claims
from tests.court.builders import TODAY, add_debtor, add_invoice, send_final_demand, standard_case

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")


def pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.replace("\u00a0", " ").split())


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).replace("\u00a0", " ").split())


def draft(settings, ledger, today=TODAY) -> Path:
    with ledger.run("court-claims") as r:
        summary = court_claims(settings, ledger, r, today=today)
    return Path(summary["drafted"][0]["folder"])


def test_pozew_pdf_and_docx(settings, cledger) -> None:
    standard_case(cledger)
    folder = draft(settings, cledger)
    for text in (pdf_text(folder / "pozew.pdf"), docx_text(folder / "pozew.docx")):
        for fact in ("Sąd Rejonowy dla Krakowa-Śródmieścia w Krakowie", "V Wydział Gospodarczy", "POZEW",
                     "Nordwind Logistyka sp. z o.o.", "NIP: 5252448487", "Transbud sp. z o.o.", "NIP: 6762465003",
                     "REGON: 356361970", "12 492 zł", "188 zł", "12 491,03 zł",
                     "od kwoty 10 000,00 zł od dnia 16.11.2025", "od kwoty 2 024,16 zł od dnia 11.02.2026",
                     "FV/2025/11/0007", "FV/2026/01/0003", "466,87 zł", "art. 187 § 1 pkt 3 KPC",
                     "Wezwanie do zapłaty z dnia 16.02.2026 pozostało bez odpowiedzi", "23.02.2026", "18.11.2025 (e-mail)",
                     "postępowaniu nakazowym", "Załączniki", "faktura VAT nr FV/2025/11/0007",
                     "wezwanie do zapłaty z 2026-02-16", "dowód nadania/doręczenia", "zestawienie należności",
                     "pełnomocnik powoda"):
            assert fact in text, fact
        assert "PESEL" not in text


def test_epu_sheet_and_statement(settings, cledger) -> None:
    standard_case(cledger)
    folder = draft(settings, cledger)
    epu = pdf_text(folder / "epu.pdf")
    for fact in ("Sąd Rejonowy Lublin-Zachód w Lublinie", "VI Wydział Cywilny", "12 492 zł", "188 zł",
                 "faktura VAT nr FV/2025/11/0007", "nie załączane", "EPU: wszystkie należności wymagalne po 2023-03-10"):
        assert fact in epu, fact
    statement = docx_text(folder / "zestawienie.docx")
    for fact in ("10.02.2026: 1 000,00 zł", "456,85", "21,74", "478,59", "12 024,16"):
        assert fact in statement, fact


def test_consumer_case_has_no_compensation_and_asks_for_the_writ_procedure(settings, cledger) -> None:
    cid = add_debtor(cledger, "K00077", name="Jan Kowalski", city="Kielce", postal="25-001", consumer=True,
                     tax_id=None, regon=None)
    inv = add_invoice(cledger, cid, "FV/2025/12/0044", "2000.00", date(2025, 12, 10))
    send_final_demand(cledger, cid, "K00077", [inv])
    folder = draft(settings, cledger)
    text = pdf_text(folder / "pozew.pdf")
    assert "Sąd Rejonowy w Kielcach" in text and "I Wydział Cywilny" in text
    assert "postępowaniu upominawczym" in text and "rekompensat" not in text
    # 2 000 zł: fee 200 zł in full (no quarter outside the order-for-payment procedure)
    assert "Opłata sądowa: 200 zł" in text
    assert "uzupełnić (PESEL tylko z dokumentów)" in text


def test_german_mahnbescheid_csv_and_summary(settings, cledger) -> None:
    cid = add_debtor(cledger, "K00090", name="Rheinlogistik GmbH", city="Köln", postal="50667", country="DE",
                     language="de", tax_id="DE123456789", regon=None)
    inv = add_invoice(cledger, cid, "FVE/2026/01/0002", "2500.00", date(2026, 1, 15), currency="EUR")
    send_final_demand(cledger, cid, "K00090", [inv])
    folder = draft(settings, cledger, today=date(2026, 3, 10))
    rows = list(csv.DictReader((folder / "mahnbescheid.csv").read_text(encoding="utf-8-sig").splitlines(),
                               delimiter=";"))
    assert rows == [{**rows[0], "Antragsgegner": "Rheinlogistik GmbH", "Rechnungsnummer": "FVE/2026/01/0002",
                     "Faellig_am": "2026-01-15", "Hauptforderung_EUR": "2500.00", "Zinsen_ab": "2026-01-16",
                     "Pauschale_EUR": "40.00"}]
    text = pdf_text(folder / "mahnbescheid.pdf")
    # interest 2026-01-16..03-10 = 54 days x (1.27 + 9) % on 2 500 = 2 500 x 0.1027 x 54 / 365 = 37.9849 -> 37.98
    for fact in ("ANTRAG AUF ERLASS EINES MAHNBESCHEIDS", "Rheinlogistik GmbH", "USt-IdNr.: DE123456789",
                 "16.01.2026", "2.500,00 €", "Basiszinssatz", "40,00 €", "37,98 €", "16.02.2026"):
        assert fact in text, fact


def test_english_summary_for_other_countries(settings, cledger) -> None:
    cid = add_debtor(cledger, "K00150", name="Thames Freight Ltd", city="London", postal="EC1A 1BB", country="GB",
                     language="en", tax_id="GB123456789", regon=None)
    inv = add_invoice(cledger, cid, "FVE/2026/01/0009", "900.00", date(2026, 1, 20), currency="EUR")
    send_final_demand(cledger, cid, "K00150", [inv])
    folder = draft(settings, cledger)
    text = docx_text(folder / "claim_summary.docx")
    for fact in ("CLAIM SUMMARY", "Thames Freight Ltd", "FVE/2026/01/0009", "20/01/2026", "final demand of 16/02/2026",
                 "to be attached by the legal team"):
        assert fact in text, fact
