"""One court case: a debtor's eligible invoices in one currency, with every number, the court,
the procedure and why, the evidence, and what the legal team must still check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.court.claim import ClaimLine, claim_line
from receivables.court.facts import (
    ContactFact, DemandFact, Party, contact_history, demand_document, digest, invoice_documents, load_invoices,
    party_of,
)
from receivables.court.fees import Fee, claim_value, court_fee
from receivables.court.jurisdiction import CourtChoice, choose_court, seat_court
from receivables.court.rules import CourtRules
from receivables.dunning.fx import FxTable
from receivables.dunning.policy import Policy
from receivables.ledger.models import Customer

ZERO = Decimal("0.00")
TO_ATTACH = "do dołączenia przez dział prawny"
CHANNELS = {"email": "e-mail", "letter": "list", "sms": "SMS"}


@dataclass(frozen=True)
class Evidence:
    title: str
    path: str | None  # a file the ledger has; None = the legal team attaches it
    note: str = ""


@dataclass(frozen=True)
class Case:
    key: str
    customer_id: int
    party: Party
    currency: str
    jurisdiction: str  # pl | de | other: which court system and documents
    law: str  # pl | de: whose statutory interest
    lines: tuple[ClaimLine, ...]
    demand: DemandFact
    contacts: tuple[ContactFact, ...]
    evidence: tuple[Evidence, ...]
    procedure: str  # epu | ordinary | mahnbescheid | summary
    court: CourtChoice | None  # chosen (pl)
    seat: CourtChoice | None  # the ordinary court of the seat, for the pozew (pl)
    value: Decimal | None  # wartość przedmiotu sporu in PLN (pl, PLN claims)
    fee: Fee | None  # for the chosen procedure
    ordinary_fee: Fee | None  # for the pozew in the ordinary court
    checks: tuple[str, ...]
    facts_digest: str
    commercial: bool

    @property
    def principal(self) -> Decimal:
        return sum((line.principal for line in self.lines), ZERO)

    @property
    def capitalized(self) -> Decimal:
        return sum((line.capitalized or ZERO for line in self.lines), ZERO)

    @property
    def compensation(self) -> Decimal:
        return sum((line.compensation or ZERO for line in self.lines), ZERO)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    @property
    def interest_to_date(self) -> Decimal | None:
        values = [line.interest_to_date for line in self.lines]
        return None if any(v is None for v in values) else sum(values, ZERO)

    @property
    def folder_name(self) -> str:
        return f"{self.party.external_id}-{self.currency}-{self.facts_digest[:8]}"


def case_key(external_id: str, currency: str) -> str:
    return f"court:{external_id}:{currency}"


def build_case(s: Session, rules: CourtRules, policy: Policy, customer_id: int, currency: str,
               invoice_ids: list[int], demand: DemandFact, today: date, company_is_business: bool = True,
               fx: FxTable | None = None) -> Case:
    """Gather the facts from the ledger and compute the claim; `today` is the drafting day."""
    customer = s.scalar(select(Customer).where(Customer.id == customer_id))
    party = party_of(customer)
    invoices = load_invoices(s, invoice_ids)
    law = policy.jurisdiction(party.country)
    jurisdiction = rules.jurisdiction(party.country)
    lines = tuple(claim_line(i, law, party.is_consumer, today, fx=fx) for i in invoices)
    contacts = tuple(contact_history(s, customer_id, invoice_ids, rules.selection.final_demand_step))
    demand = DemandFact(demand.day, demand.deadline, demand.sent,
                        demand.document or demand_document(s, customer_id, demand.day, currency))
    evidence = _evidence(s, invoices, demand)
    checks = [p for line in lines for p in line.problems]
    commercial = company_is_business and not party.is_consumer
    court = seat = None
    value = fee = ordinary_fee = None
    procedure = {"de": "mahnbescheid", "other": "summary"}.get(jurisdiction, "ordinary")
    if jurisdiction == "pl":
        if currency == "PLN":
            value = claim_value([line.amount for line in lines])
        else:
            checks.append(f"wartość przedmiotu sporu: przeliczyć {currency} na PLN (art. 126^1 § 1 KPC)")
        basis = value if value is not None else ZERO
        seat = seat_court(rules.pl, party.city, party.postal_code, basis, commercial)
        court = choose_court(rules.pl, country=party.country, city=party.city, postal_code=party.postal_code,
                             value=basis, commercial=commercial, due_dates=[i.due_date for i in invoices],
                             filing_day=today)
        procedure = court.procedure
        checks += list(seat.checks)
        if value is not None:
            ofp = rules.pl.order_for_payment
            fraction = ofp.fee_fraction if commercial else Decimal("1")
            ordinary_fee = court_fee(value, rules.pl.fee, fraction)
            fee = court_fee(value, rules.pl.fee, rules.pl.epu.fee_fraction, rules.pl.epu.fee_minimum) \
                if procedure == "epu" else ordinary_fee
        if not party.tax_id and not party.regon and not party.krs:
            checks.append("pozwany: brak NIP/REGON/KRS w rejestrze; uzupełnić (PESEL tylko z dokumentów)")
    if demand.document is None:
        checks.append(f"wezwanie do zapłaty z {demand.day.isoformat()}: kopia {TO_ATTACH}")
    facts = digest(party, currency, jurisdiction, law, invoices, demand.day, demand.sent, contacts,
                   [(line.principal, line.interest_from, line.capitalized, line.compensation) for line in lines],
                   procedure, court.court if court else None, seat.court if seat else None)
    return Case(case_key(party.external_id, currency), customer_id, party, currency, jurisdiction, law, lines,
                demand, contacts, evidence, procedure, court, seat, value, fee, ordinary_fee, tuple(checks), facts,
                commercial)


def _evidence(s: Session, invoices: list, demand: DemandFact) -> tuple[Evidence, ...]:
    pdfs = invoice_documents(s, [i.id for i in invoices])
    out = [Evidence(f"faktura VAT nr {i.number} z {i.issue_date.isoformat()}", pdfs.get(i.id),
                    "" if pdfs.get(i.id) else f"kopia {TO_ATTACH} (z systemu księgowego)") for i in invoices]
    out.append(Evidence(f"wezwanie do zapłaty z {demand.day.isoformat()}", demand.document,
                        "" if demand.document else f"kopia {TO_ATTACH}"))
    sent = ", ".join(f"{CHANNELS.get(ch, ch)} {on.isoformat()}" for ch, on in demand.sent)
    out.append(Evidence("dowód nadania/doręczenia wezwania do zapłaty", None,
                        f"{TO_ATTACH}; w rejestrze: wysłane ({sent})"))
    out.append(Evidence("zestawienie należności i wpłat (wyciąg z konta rozrachunkowego pozwanego)",
                        "zestawienie.pdf"))
    return tuple(out)
