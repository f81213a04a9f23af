"""The court-claims robot: draft the cases whose final demand expired, hand them to the legal team.

Per run: select the debts (selection.py), re-check the cases drafted earlier, draft a case only
when it is new or its facts changed (facts digest), mark its invoices `in court` (the reminders
stop), write the summary table, prepare the debtor-register steps, and e-mail the legal team
through the outbox. Nothing is filed: a lawyer reviews and signs.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.channels.outbox import Delivery, queue
from receivables.config import Settings, config_dir
from receivables.court.case import Case, build_case
from receivables.court.drafts import case_summary, write_case
from receivables.court.facts import DemandFact
from receivables.court.register_steps import run_registers
from receivables.court.rules import CourtRules, load_rules
from receivables.court.selection import select_cases
from receivables.court.settings import CourtSettings
from receivables.court.table import write_table
from receivables.documents.templates import TEMPLATES_DIR
from receivables.dunning.fx import default_fx_table
from receivables.dunning.policy import Policy, load_policy
from receivables.dunning.robot import reminders_settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import CourtCase, Invoice, Run
from receivables.ledger.repository import log_event
from receivables.ledger.types import utcnow

ACTOR = "court-claims"
PREFIX = "court:"
OPEN_CASE = ("drafted", "sent")


def court_settings(settings: Settings) -> CourtSettings:
    return getattr(settings, "court", None) or CourtSettings()


def court_rules(cs: CourtSettings) -> CourtRules:
    return load_rules(cs.rules if cs.rules.is_absolute() else config_dir() / cs.rules)


def court_claims(settings: Settings, ledger: Ledger, run: Run, today: date | None = None,
                 invoice: str | None = None, now: datetime | None = None, send: bool = True,
                 **_: Any) -> dict[str, Any]:
    """Draft new and changed cases; `invoice` limits the run to the case of one invoice number."""
    cs = court_settings(settings)
    rules = court_rules(cs)
    rs = reminders_settings(settings)
    policy = load_policy(rs.policy if rs.policy.is_absolute() else config_dir() / rs.policy)
    today = today or (now or utcnow()).astimezone(ZoneInfo(rs.timezone)).date()
    root = cs.folder if cs.folder.is_absolute() else settings.paths.output / cs.folder
    fx = default_fx_table(settings.paths.output)
    summary: dict[str, Any] = {"date": today.isoformat(), "drafted": [], "unchanged": 0, "closed": []}
    with ledger.session() as s:
        groups, skipped = _groups(s, rules, policy, today, invoice)
        summary["skipped"] = skipped
        cases = []
        for (cid, currency), (ids, demand) in sorted(groups.items()):
            case = build_case(s, rules, policy, cid, currency, ids, demand, today, fx=fx)
            row = s.scalar(select(CourtCase).where(CourtCase.key == case.key))
            if row is not None and row.facts_digest == case.facts_digest:
                summary["unchanged"] += 1
                continue
            folder = write_case(case, settings.company, rules, today, root)
            _record(s, row, case, folder, run.id)
            cases.append((case, folder))
            summary["drafted"].append(_brief(case, folder))
        if invoice is None:
            summary["closed"] = _close_paid(s, run.id)
            if cs.registers:
                summary["registers"] = run_registers(s, rules, settings.company, today, root / "registers", run.id)
        table = write_table(s, root / "cases.xlsx", cs.legal_team_language)
        summary["table"] = str(table)
        queued = _queue_mail(s, cs, settings, summary, cases, today, table, run.id) if (
            cases or summary["closed"] or summary.get("registers", {}).get("notes")) else False
    summary["mail_queued"] = queued
    if send and rs.smtp.host:
        from receivables.channels.email_smtp import SmtpTransport

        counts = Delivery(ledger, {"email": SmtpTransport(rs.smtp)}, run.id, ACTOR, PREFIX, rs.max_attempts,
                          rs.backoff_seconds, rs.claim_lease_seconds).run()
        summary["mail_sent"] = counts.get("sent_email", 0)
    elif queued:
        summary["mail_sent"] = 0
        summary["mail_note"] = "reminders.smtp.host is not set: the e-mail to the legal team stays queued"
    return summary


def _groups(s: Session, rules: CourtRules, policy: Policy, today: date, invoice: str | None
            ) -> tuple[dict[tuple[int, str], tuple[list[int], DemandFact]], dict[str, Any]]:
    """(customer, currency) -> (invoice ids, the case's final demand): new debts merged into open cases."""
    customer_ids = None
    target = None
    if invoice is not None:
        target = s.scalar(select(Invoice).where(Invoice.number == invoice))
        if target is None:
            raise LookupError(f"no invoice numbered {invoice!r} in the ledger")
        customer_ids = [target.customer_id]
    sel = select_cases(s, rules, policy, today, customer_ids=customer_ids)
    groups: dict[tuple[int, str], tuple[list[int], DemandFact]] = {}
    open_cases = select(CourtCase).where(CourtCase.status.in_(OPEN_CASE))
    if customer_ids:
        open_cases = open_cases.where(CourtCase.customer_id.in_(customer_ids))
    for row in s.scalars(open_cases):
        ids = [i for i in row.details.get("invoice_ids", [])]
        still = list(s.scalars(select(Invoice.id).where(Invoice.id.in_(ids), Invoice.open_amount > 0,
                                                        Invoice.status.in_(("open", "partially_paid")))))
        if still:
            d = row.details["demand"]
            groups[(row.customer_id, row.currency)] = (still, DemandFact(
                date.fromisoformat(d["date"]), date.fromisoformat(d["deadline"]),
                tuple((c, date.fromisoformat(x)) for c, x in d["sent"]), None))
    for key, chosen in sel.groups.items():
        ids, demand = groups.get(key, ([], None))
        latest = max(chosen.values(), key=lambda d: d.day)
        groups[key] = (sorted({*ids, *chosen}), demand if demand and demand.day >= latest.day else latest)
    if target is not None:
        groups = {k: v for k, v in groups.items() if target.id in v[0]}
        reasons = [sk for sk in sel.skipped if sk.invoice == invoice]
        if not groups and target.in_court:
            reasons_out = {"invoice": invoice, "reason": "in_court"}
        else:
            reasons_out = {"invoice": invoice, "reason": reasons[0].reason if reasons else None,
                           "detail": reasons[0].detail if reasons else ""}
        return groups, reasons_out
    return groups, sel.counts()


def _record(s: Session, row: CourtCase | None, case: Case, folder: Path, run_id: int) -> None:
    details = {**case_summary(case), "invoice_ids": [line.invoice.id for line in case.lines],
               "demand": {"date": case.demand.day.isoformat(), "deadline": case.demand.deadline.isoformat(),
                          "sent": [[c, d.isoformat()] for c, d in case.demand.sent]}}
    value = case.value if case.value is not None else case.amount
    if row is None:
        row = CourtCase(key=case.key, customer_id=case.customer_id, created_run_id=run_id)
        s.add(row)
    row.jurisdiction, row.procedure, row.status = case.jurisdiction, case.procedure, "drafted"
    row.claim_value, row.currency = value, case.currency
    row.facts_digest, row.folder, row.details, row.updated_run_id = case.facts_digest, str(folder), details, run_id
    for line in case.lines:
        inv = s.get(Invoice, line.invoice.id)
        inv.in_court = True
        inv.updated_run_id = run_id
    s.flush()
    log_event(s, "court_case_drafted", ACTOR, run_id, case.customer_id, key=case.key, procedure=case.procedure,
              claim_value=value, currency=case.currency, folder=str(folder), facts_digest=case.facts_digest,
              invoices=[line.invoice.number for line in case.lines])


def _close_paid(s: Session, run_id: int) -> list[str]:
    """Open cases whose invoices are all settled now: closed, so the legal team does not file them."""
    closed = []
    for row in s.scalars(select(CourtCase).where(CourtCase.status.in_(OPEN_CASE))):
        ids = row.details.get("invoice_ids", [])
        if ids and not s.scalar(select(Invoice.id).where(Invoice.id.in_(ids), Invoice.open_amount > 0,
                                                         Invoice.status.in_(("open", "partially_paid")))):
            row.status = "closed"
            row.updated_run_id = run_id
            log_event(s, "court_case_closed", ACTOR, run_id, row.customer_id, key=row.key, reason="paid")
            closed.append(row.key)
    return closed


def _brief(case: Case, folder: Path) -> dict[str, Any]:
    return {"key": case.key, "procedure": case.procedure, "court": case.court.court if case.court else None,
            "claim_value": None if case.value is None else str(case.value), "amount": str(case.amount),
            "currency": case.currency, "fee": None if case.fee is None else str(case.fee.due),
            "invoices": len(case.lines), "folder": str(folder), "checks": len(case.checks)}


def _mail_environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=False,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _queue_mail(s: Session, cs: CourtSettings, settings: Settings, summary: dict, cases: list[tuple[Case, Path]],
                today: date, table: Path, run_id: int) -> bool:
    rows = [{**case_summary(c), "folder": str(folder)} for c, folder in cases]
    module = _mail_environment().get_template(f"{cs.legal_team_language}/court/legal_team_mail.txt.j2").make_module({
        "cases": rows, "today": today.isoformat(), "table": str(table), "closed": summary["closed"],
        "registers": summary.get("registers", {}).get("notes", [])})
    fingerprint = hashlib.sha256("|".join(sorted(f"{c.key}:{c.facts_digest}" for c, _ in cases)
                                          + summary["closed"] + summary.get("registers", {}).get("notes", []))
                                 .encode()).hexdigest()[:16]
    smtp = reminders_settings(settings).smtp
    return queue(s, f"{PREFIX}legal:{today.isoformat()}:{fingerprint}", "email", cs.legal_team_email,
                 str(module.text).strip() + "\n", domain=smtp.from_address.rpartition("@")[2] or "localhost",
                 subject=" ".join(str(module.subject).split()), files=(str(table),), language=cs.legal_team_language,
                 run_id=run_id)


def first_court_day(settings: Settings, final_demand_day: date) -> date:
    """The first day a final demand sent on `final_demand_day` (with the default ladder) can go to court.

    The demo uses it: its reminders run once, on the world's last day, so the court-claims step
    runs as of this later day; the ledger's facts (the demand and when it was sent) stay as they are.
    """
    from datetime import timedelta

    from receivables.court.selection import deadline_days

    rs = reminders_settings(settings)
    policy = load_policy(rs.policy if rs.policy.is_absolute() else config_dir() / rs.policy)
    rules = court_rules(court_settings(settings))
    days = deadline_days(policy, None, rules.selection.final_demand_step) or 0
    return final_demand_day + timedelta(days=days + rules.selection.wait_days + 1)
