"""A case's folder: the documents (PDF + DOCX), the Mahnbescheid CSV, copies of the evidence the
ledger has, and case.json with every figure and reason (what the summary table and e-mail show)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from receivables.config import Company
from receivables.court.case import Case
from receivables.court.contexts import case_context
from receivables.court.rules import CourtRules
from receivables.documents.court.markup import render_court_blocks
from receivables.documents.court.pdf import render_court_pdf
from receivables.documents.court.word import render_court_docx

DOCUMENTS = {  # jurisdiction -> (template, file stem, language)
    "pl": (("pl/court/pozew.xml.j2", "pozew", "pl"), ("pl/court/epu.xml.j2", "epu", "pl"),
           ("pl/court/zestawienie.xml.j2", "zestawienie", "pl")),
    "de": (("de/court/mahnbescheid.xml.j2", "mahnbescheid", "de"), ("pl/court/zestawienie.xml.j2", "zestawienie", "pl")),
    "other": (("en/court/claim_summary.xml.j2", "claim_summary", "en"),
              ("pl/court/zestawienie.xml.j2", "zestawienie", "pl")),
}
MAHN_COLUMNS = ("Antragsgegner", "Anschrift", "Katalognummer", "Bezeichnung", "Rechnungsnummer", "Rechnungsdatum",
                "Faellig_am", "Hauptforderung_EUR", "Zinsen_ab", "Zinssatz", "Pauschale_EUR", "Mahnkosten_EUR")


def write_document(template: str, context: dict[str, Any], folder: Path, stem: str, title: str,
                   author: str) -> list[Path]:
    blocks = render_court_blocks(template, context)
    folder.mkdir(parents=True, exist_ok=True)
    pdf, docx = folder / f"{stem}.pdf", folder / f"{stem}.docx"
    pdf.write_bytes(render_court_pdf(blocks, title, author))
    docx.write_bytes(render_court_docx(blocks, title, author))
    return [pdf, docx]


def mahnbescheid_csv(case: Case, rules: CourtRules) -> str:
    """One row per invoice, columns as the online Mahnantrag asks (Katalog-Nr. 9: Dienstleistungsvertrag)."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(MAHN_COLUMNS)
    p = case.party
    address = ", ".join(x for x in (p.street, f"{p.postal_code or ''} {p.city or ''}".strip(), p.country) if x)
    for line in case.lines:
        i = line.invoice
        w.writerow([p.name, address, "9", "Dienstleistungsvertrag", i.number, i.issue_date.isoformat(),
                    i.due_date.isoformat(), str(line.principal), line.interest_from.isoformat(),
                    "9 Prozentpunkte über dem Basiszinssatz",
                    "" if line.compensation is None else str(line.compensation), str(rules.de.mahnkosten_per_case)])
    return buf.getvalue()


def case_summary(case: Case) -> dict[str, Any]:
    """The figures and reasons of a case as JSON (case.json, the court_cases row, the CLI)."""
    money = lambda v: None if v is None else str(v)  # noqa: E731
    return {
        "key": case.key, "customer": case.party.external_id, "name": case.party.name, "currency": case.currency,
        "jurisdiction": case.jurisdiction, "law": case.law, "procedure": case.procedure,
        "court": None if case.court is None else case.court.court,
        "division": None if case.court is None else case.court.division,
        "reasons": [] if case.court is None else list(case.court.reasons),
        "seat_court": None if case.seat is None else case.seat.court,
        "seat_division": None if case.seat is None else case.seat.division,
        "claim_value": money(case.value), "fee": money(case.fee.due if case.fee else None),
        "fee_rule": case.fee.rule if case.fee else None,
        "ordinary_fee": money(case.ordinary_fee.due if case.ordinary_fee else None),
        "principal": str(case.principal), "capitalized_interest": str(case.capitalized),
        "compensation": str(case.compensation), "amount": str(case.amount),
        "interest_to_date": money(case.interest_to_date),
        "final_demand": {"date": case.demand.day.isoformat(), "deadline": case.demand.deadline.isoformat(),
                         "sent": [[c, d.isoformat()] for c, d in case.demand.sent]},
        "invoices": [{"id": line.invoice.id, "number": line.invoice.number,
                      "due_date": line.invoice.due_date.isoformat(), "principal": str(line.principal),
                      "interest_from": line.interest_from.isoformat(), "capitalized": money(line.capitalized),
                      "compensation": money(line.compensation), "interest_to_date": money(line.interest_to_date)}
                     for line in case.lines],
        "evidence": [{"title": e.title, "file": e.path, "note": e.note} for e in case.evidence],
        "checks": list(case.checks), "facts_digest": case.facts_digest,
    }


def write_case(case: Case, company: Company, rules: CourtRules, today: date, root: Path) -> Path:
    """Render everything into root/<customer>-<currency>-<digest>/; the same facts give the same folder."""
    folder = root / case.folder_name
    folder.mkdir(parents=True, exist_ok=True)
    for template, stem, lang in DOCUMENTS[case.jurisdiction]:
        context = case_context(case, company, rules, today, lang)
        title = f"{stem} {case.party.external_id} {case.currency}"
        write_document(template, context, folder, stem, title, company.name)
    if case.jurisdiction == "de":
        (folder / "mahnbescheid.csv").write_text(mahnbescheid_csv(case, rules), encoding="utf-8-sig")
    evidence = folder / "dowody"
    for e in case.evidence:
        if e.path and Path(e.path).is_absolute() and Path(e.path).exists():
            evidence.mkdir(exist_ok=True)
            shutil.copy2(e.path, evidence / Path(e.path).name)
    (folder / "case.json").write_text(json.dumps(case_summary(case), ensure_ascii=False, indent=2), encoding="utf-8")
    return folder
