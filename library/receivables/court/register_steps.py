"""The debtor-register steps against the ledger: prepare warnings, entries and removals as files
for the legal team, keep the conditions and dates on register_entries, log each step."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.config import Company
from receivables.court.contexts import company_lines, party_lines
from receivables.court.drafts import write_document
from receivables.court.facts import party_of
from receivables.court.registers import (
    Debt, check_conditions, conditions_json, entry_key, next_step, removal_deadline, warning_due_on,
)
from receivables.court.rules import CourtRules
from receivables.documents.fmt import formatter, group_iban
from receivables.dunning.planner import OPEN_STATUSES
from receivables.ledger.models import Customer, Invoice, RegisterEntry
from receivables.ledger.repository import log_event

ACTOR = "court-claims"
ENTRY_COLUMNS = ("biuro", "rodzaj_dluznika", "nazwa", "nip", "regon", "krs", "ulica", "kod", "miejscowosc",
                 "tytul_zobowiazania", "data_wymagalnosci", "kwota", "waluta", "data_wyslania_ostrzezenia")


def _debts(s: Session, customer_ids: list[int]) -> dict[int, list[Debt]]:
    out: dict[int, list[Debt]] = defaultdict(list)
    for inv in s.scalars(select(Invoice).where(
            Invoice.customer_id.in_(customer_ids), Invoice.kind == "invoice", Invoice.currency == "PLN",
            Invoice.status.in_(OPEN_STATUSES), Invoice.open_amount > 0, Invoice.disputed.is_(False),
            Invoice.written_off.is_(False))):
        out[inv.customer_id].append(Debt(inv.id, inv.number, inv.due_date, inv.open_amount))
    return out


def _tracked(s: Session, ids: list[int]) -> list[Debt]:
    """The invoices an entry was made for, as they stand now (paid ones with open 0)."""
    return [Debt(i.id, i.number, i.due_date, i.open_amount if i.status in OPEN_STATUSES else Decimal("0.00"),
                 i.paid_date) for i in s.scalars(select(Invoice).where(Invoice.id.in_(ids)))]


def run_registers(s: Session, rules: CourtRules, company: Company, today: date, folder: Path,
                  run_id: int | None) -> dict[str, Any]:
    rr = rules.registers
    counts: dict[str, int] = defaultdict(int)
    if not rr.enabled:
        return {"steps": {}, "notes": []}
    min_days = min(rr.business.min_days_overdue, rr.consumer.min_days_overdue)
    candidates = {cid for cid, due in s.execute(select(Invoice.customer_id, Invoice.due_date).join(Customer).where(
        Customer.country == "PL", Invoice.currency == "PLN", Invoice.status.in_(OPEN_STATUSES),
        Invoice.open_amount > 0)) if (today - due).days >= min_days}
    rows = {r.key: r for r in s.scalars(select(RegisterEntry).where(RegisterEntry.status != "closed"))}
    candidates |= {r.customer_id for r in rows.values()}
    if not candidates:
        return {"steps": {}, "notes": []}
    debts = _debts(s, list(candidates))
    customers = {c.id: c for c in s.scalars(select(Customer).where(Customer.id.in_(candidates)))}
    notes: list[str] = []
    for cid in sorted(candidates, key=lambda c: customers[c].external_id):
        party = party_of(customers[cid])
        for bureau in rr.enabled:
            row = rows.get(entry_key(party.external_id, bureau))
            mine = _tracked(s, [d["id"] for d in row.conditions.get("invoices", [])]) if row else debts[cid]
            checks = check_conditions(party, mine, today, rr, row.warning_sent_on if row else None)
            step = next_step(row.status if row else None, checks, mine)
            if step is None:
                continue
            base = folder / f"{party.external_id}-{bureau}"
            amount = sum((d.open_amount for d in mine), Decimal("0.00"))
            if step == "prepare_warning":
                row = RegisterEntry(key=entry_key(party.external_id, bureau), customer_id=cid, bureau=bureau,
                                    status="warning_prepared", amount=amount, currency="PLN",
                                    conditions=conditions_json(checks, mine, today), warning_prepared_on=today,
                                    created_run_id=run_id)
                s.add(row)
                _warning(party, mine, rr.bureaus[bureau], company, today, base)
            elif step == "prepare_entry":
                row.status, row.entry_prepared_on = "entry_prepared", today
                row.conditions = conditions_json(checks, mine, today)
                base.mkdir(parents=True, exist_ok=True)
                (base / f"wpis-{today.isoformat()}.csv").write_text(
                    _entry_csv(party, mine, bureau, row.warning_sent_on), encoding="utf-8-sig")
            elif step == "prepare_removal":
                paid_on = max((d.paid_date for d in mine if d.paid_date), default=today)
                row.status, row.paid_on, row.removal_prepared_on = "removal_prepared", paid_on, today
                base.mkdir(parents=True, exist_ok=True)
                (base / f"usuniecie-{today.isoformat()}.csv").write_text(
                    _removal_csv(party, mine, bureau, paid_on, removal_deadline(paid_on, rr)), encoding="utf-8-sig")
            elif step == "close":
                row.status, row.paid_on = "closed", max((d.paid_date for d in mine if d.paid_date), default=today)
            s.flush()
            counts[step] += 1
            log_event(s, f"register_{step}", ACTOR, run_id, cid, bureau=bureau, key=row.key, amount=amount,
                      checks={c.name: c.ok for c in checks})
            notes.append(f"{party.external_id} {bureau}: {step}")
    return {"steps": dict(counts), "notes": notes}


def _warning(party, debts: list[Debt], bureau, company: Company, today: date, folder: Path) -> None:
    lang = party.language if party.language in ("pl", "de", "en") else "pl"
    f = formatter(lang)
    context = {
        "company": company, "company_lines": company_lines(company, lang), "debtor_lines": party_lines(party, lang),
        "company_iban": group_iban(company.bank_accounts.get("PLN", "")), "today": f.long_date(today),
        "bureau": bureau, "consumer": party.is_consumer,
        "total": f.money(sum((d.open_amount for d in debts), Decimal("0.00")), "PLN"),
        "debts": [{"number": d.number, "due_date": f.date(d.due_date), "days": (today - d.due_date).days,
                   "open": f.money(d.open_amount, "PLN")} for d in debts],
    }
    write_document(f"{lang}/court/register_warning.xml.j2", context, folder, f"ostrzezenie-{today.isoformat()}",
                   f"ostrzezenie {party.external_id}", company.name)


def _entry_csv(party, debts: list[Debt], bureau: str, warning_sent_on: date | None) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(ENTRY_COLUMNS)
    for d in debts:
        if d.open_amount <= 0:
            continue
        w.writerow([bureau, "konsument" if party.is_consumer else "przedsiębiorca", party.name, party.tax_id or "",
                    party.regon or "", party.krs or "", party.street or "", party.postal_code or "", party.city or "",
                    f"faktura {d.number}", d.due_date.isoformat(), str(d.open_amount), "PLN",
                    warning_sent_on.isoformat() if warning_sent_on else ""])
    return buf.getvalue()


def _removal_csv(party, debts: list[Debt], bureau: str, paid_on: date, deadline: date) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(("biuro", "nazwa", "nip", "tytul_zobowiazania", "data_zaplaty", "usunac_najpozniej"))
    for d in debts:
        w.writerow([bureau, party.name, party.tax_id or "", f"faktura {d.number}",
                    (d.paid_date or paid_on).isoformat(), deadline.isoformat()])
    return buf.getvalue()


def mark_warning_sent(s: Session, rules: CourtRules, external_id: str, bureau: str, on: date,
                      run_id: int | None = None) -> RegisterEntry:
    """An analyst's confirmation that the warning went by registered post (or was handed over) on `on`."""
    row = s.scalar(select(RegisterEntry).where(RegisterEntry.key == entry_key(external_id, bureau)))
    if row is None:
        raise LookupError(f"no register warning prepared for customer {external_id} and bureau {bureau}")
    if row.status not in ("warning_prepared", "warning_sent"):
        raise ValueError(f"{row.key}: status is {row.status}; only a prepared warning can be marked sent")
    if row.warning_prepared_on and on < row.warning_prepared_on:
        raise ValueError(f"{row.key}: sent on {on} is before the warning was prepared ({row.warning_prepared_on})")
    row.status, row.warning_sent_on = "warning_sent", on
    log_event(s, "register_warning_sent", "analyst", run_id, row.customer_id, bureau=bureau, key=row.key,
              sent_on=on, entry_possible_from=warning_due_on(on, rules.registers))
    return row

