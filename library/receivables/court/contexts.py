"""A case as the variables its templates read: every amount and date already formatted."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from receivables.config import Company
from receivables.court.case import Case
from receivables.court.facts import Party
from receivables.court.rules import CourtRules
from receivables.documents.fmt import formatter, group_iban

ZERO = Decimal("0.00")
NOT_CALCULATED = {"pl": "nie obliczono", "de": "nicht berechnet", "en": "not calculated"}
CHANNELS = {"pl": {"email": "e-mail", "letter": "list", "sms": "SMS", "call": "telefon"},
            "de": {"email": "E-Mail", "letter": "Brief", "sms": "SMS", "call": "Telefon"},
            "en": {"email": "e-mail", "letter": "letter", "sms": "text message", "call": "phone"}}


def whole_zloty(value: Decimal | None) -> str | None:
    """12 346 zł: the claim value and fees are whole złoty."""
    return None if value is None else f"{int(value):,}".replace(",", "\u00a0") + "\u00a0zł"


def party_lines(party: Party, lang: str) -> list[str]:
    """Name, address and the identifiers the ledger has; a PESEL is never invented."""
    lines = [party.name]
    if party.street:
        lines.append(party.street)
    lines.append(" ".join(x for x in (party.postal_code, party.city) if x) or "adres: do uzupełnienia")
    if party.country not in ("PL", ""):
        lines[-1] += f", {party.country}"
    ids = []
    label = {"pl": ("NIP", "VAT"), "de": ("NIP", "USt-IdNr."), "en": ("NIP", "VAT no.")}[lang]
    if party.tax_id:
        ids.append(f"{label[0] if party.country == 'PL' else label[1]}: {party.tax_id}")
    if party.regon:
        ids.append(f"REGON: {party.regon}")
    if party.krs:
        ids.append(f"KRS: {party.krs}")
    if ids:
        lines.append(", ".join(ids))
    return lines


def company_lines(company: Company, lang: str) -> list[str]:
    a = company.address
    ids = [f"NIP: {company.nip}" if company.nip else None, f"REGON: {company.regon}" if company.regon else None,
           f"KRS: {company.krs}" if company.krs else None]
    return [company.name, a.street, f"{a.postal_code} {a.city}" + ("" if a.country == "PL" else f", {a.country}"),
            ", ".join(x for x in ids if x)]


def case_context(case: Case, company: Company, rules: CourtRules, today: date, lang: str) -> dict[str, Any]:
    f = formatter(lang)
    cur = case.currency
    money = lambda v: NOT_CALCULATED[lang] if v is None else f.money(v, cur)  # noqa: E731
    number = lambda v: NOT_CALCULATED[lang] if v is None else f.number(v)  # noqa: E731
    ch = CHANNELS[lang]
    invoices = []
    for line in case.lines:
        i = line.invoice
        invoices.append({
            "number": i.number, "issue_date": f.date(i.issue_date), "due_date": f.date(i.due_date),
            "gross": money(i.gross), "credited": money(i.credited) if i.credited else "",
            "paid": money(sum((p.amount for p in i.payments), ZERO)),
            "gross_n": number(i.gross), "paid_n": number(sum((p.amount for p in i.payments), ZERO)),
            "principal_n": number(line.principal), "interest_to_date_n": number(line.interest_to_date),
            "principal": money(line.principal), "interest_from": f.date(line.interest_from),
            "interest_from_iso": line.interest_from.isoformat(),
            "capitalized": money(line.capitalized) if line.capitalized != ZERO else "",
            "compensation": money(line.compensation) if line.compensation != ZERO else "",
            "compensation_eur": None if line.compensation_eur is None else f.number(line.compensation_eur),
            "interest_to_date": money(line.interest_to_date), "amount": money(line.amount),
            "payments": [{"date": f.date(p.on), "amount": money(p.amount)} for p in i.payments],
            "late_payments": [{"date": f.date(d), "amount": money(a), "to_interest": money(ti),
                               "to_principal": money(tp)} for d, a, ti, tp in line.late_payments],
        })
    contacts = [{"date": f.date(c.day), "kind": c.kind, "channel": ch.get(c.channel or "", c.channel or ""),
                 "text": c.text} for c in case.contacts]
    reminders = [c for c in contacts if c["kind"] == "reminder"]
    court = case.court
    return {
        "lang": lang, "today": f.long_date(today), "today_short": f.date(today), "currency": cur,
        "company": company, "company_lines": company_lines(company, lang),
        "company_iban": group_iban(company.bank_accounts.get(cur, "")) if company.bank_accounts.get(cur) else "",
        "debtor": case.party, "debtor_lines": party_lines(case.party, lang), "consumer": case.party.is_consumer,
        "commercial": case.commercial, "invoices": invoices, "count": len(invoices),
        "principal": money(case.principal), "principal_n": number(case.principal),
        "interest_to_date_n": number(case.interest_to_date), "capitalized": money(case.capitalized) if case.capitalized else "",
        "compensation": money(case.compensation) if case.compensation else "",
        "compensation_missing": any(line.compensation is None for line in case.lines),
        "amount": money(case.amount), "interest_to_date": money(case.interest_to_date),
        "value": whole_zloty(case.value), "value_plain": None if case.value is None else str(case.value),
        "fee": None if case.fee is None else whole_zloty(case.fee.due),
        "ordinary_fee": None if case.ordinary_fee is None else whole_zloty(case.ordinary_fee.due),
        "ordinary_fee_rule": None if case.ordinary_fee is None else case.ordinary_fee.rule,
        "fee_rule": None if case.fee is None else case.fee.rule,
        "procedure": case.procedure,
        "court": None if court is None else {"name": court.court, "division": court.division, "level": court.level,
                                             "heading": court.heading, "reasons": list(court.reasons)},
        "seat": None if case.seat is None else {"name": case.seat.court, "division": case.seat.division,
                                                "level": case.seat.level, "heading": case.seat.heading,
                                                "reasons": list(case.seat.reasons)},
        "demand": {"date": f.date(case.demand.day), "deadline": f.date(case.demand.deadline),
                   "sent": [{"channel": ch.get(c, c), "date": f.date(d)} for c, d in case.demand.sent]},
        "reminders": reminders, "contacts": contacts,
        "calls": [c for c in contacts if c["kind"] == "call"],
        "promises": [c for c in contacts if c["kind"] == "promise"],
        "evidence": [{"title": e.title, "attached": e.path is not None, "note": e.note} for e in case.evidence],
        "checks": list(case.checks), "rules": rules, "signatory": rules.legal_team.signatory,
        "law": case.law, "mahnkosten": money(rules.de.mahnkosten_per_case), "oldest_due": f.date(min(line.invoice.due_date for line in case.lines)),
    }
