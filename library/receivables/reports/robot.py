"""The reports robot: the weekly receivables report for the distribution list and for each account
manager (their customers only), as PDF + XLSX, e-mailed once per ISO week and recipient via the outbox."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.channels.outbox import Delivery, Transport, queue
from receivables.config import Settings
from receivables.ledger.db import Ledger
from receivables.ledger.models import Document, OutboxMessage, Run
from receivables.ledger.repository import insert_ignoring_duplicates
from receivables.ledger.types import utcnow
from receivables.reports.build import BuiltReport, figures_of, slug, write_files
from receivables.reports.facts import read_facts
from receivables.reports.figures import headline
from receivables.reports.labels import Labels, labels
from receivables.reports.recipients import load_recipients, reports_settings
from receivables.reports.settings import ReportsSettings

ACTOR = "reports"
PREFIX = "report:"


def week_key(as_of: date) -> str:
    year, week, _ = as_of.isocalendar()
    return f"{year}-W{week:02d}"


def message_key(as_of: date, scope_slug: str, recipient: str) -> str:
    """One e-mail per ISO week, report and recipient: a re-run in the same week sends nothing new."""
    return f"{PREFIX}weekly:{week_key(as_of)}:{scope_slug}:{recipient.lower()}"


def weekly_reports(settings: Settings, ledger: Ledger, run: Run, today: date | None = None, as_of: date | None = None,
                   send: bool = True, reports: ReportsSettings | None = None, now: datetime | None = None,
                   **_: Any) -> dict[str, Any]:
    rs = reports or reports_settings(settings)
    recipients = load_recipients(rs)
    as_of = as_of or today or (now or utcnow()).astimezone(ZoneInfo(rs.timezone)).date()
    folder = (rs.folder if rs.folder.is_absolute() else settings.paths.output / rs.folder) / week_key(as_of)
    with ledger.session() as s:
        facts = read_facts(s, rs.timezone)
    plan: list[tuple[str, str, tuple[str, ...]]] = [("", rs.language, rs.recipients)]
    no_address: list[str] = []
    if rs.per_manager:
        full = {r.lower() for r in rs.recipients}
        for manager in sorted({c.manager for c in facts.customers.values() if c.manager}):
            address = recipients.address(manager)
            if address is None:
                no_address.append(manager)
            elif address.email.lower() not in full:  # the full report covers their customers already
                plan.append((manager, address.language or rs.language, (address.email,)))
    planned = [(figures_of(facts, as_of, rs, scope), language, to) for scope, language, to in plan]
    with ledger.session() as s:
        queued = _queued_keys(s, as_of)
    # a report mailed to all its recipients this week is not rewritten: the files stay what was sent
    built = [(write_files(report, folder, rs, language), to) for report, language, to in planned
             if not to or any(message_key(as_of, slug(report.scope), a) not in queued for a in to)]
    summary: dict[str, Any] = {
        "as_of": as_of.isoformat(), "week": week_key(as_of), "folder": str(folder),
        "figures": headline(planned[0][0]),
        "reports": [{"scope": b.slug, "pdf": str(b.pdf), "xlsx": str(b.xlsx), "recipients": len(to)}
                    for b, to in built],
        "already_queued": len(planned) - len(built),
        "managers_without_address": len(no_address)}
    domain = settings.reminders.smtp.from_address.rpartition("@")[2] or "localhost"
    with ledger.session() as s:
        summary["queued"] = sum(_queue(s, b, to, as_of, domain, run.id) for b, to in built)
    if not send:
        return summary
    transports, unsent = _transports(settings)
    summary["not_sent"] = unsent
    rem = settings.reminders
    counts = Delivery(ledger, transports, run.id, ACTOR, PREFIX, rem.max_attempts, rem.backoff_seconds,
                      rem.claim_lease_seconds).run()
    summary["sent"] = counts.get("sent_email", 0)
    summary["failed"] = counts.get("failed_email", 0)
    summary["retrying"] = counts.get("retry_email", 0)
    return summary


def _queued_keys(s: Session, as_of: date) -> set[str]:
    prefix = f"{PREFIX}weekly:{week_key(as_of)}:"
    return set(s.scalars(select(OutboxMessage.key).where(OutboxMessage.key.startswith(prefix, autoescape=True))))


def _queue(s: Session, b: BuiltReport, to: tuple[str, ...], as_of: date, domain: str, run_id: int) -> int:
    words = labels(b.language)
    subject = words("email_subject", week=week_key(as_of), date=words.date(as_of))
    if b.scope:
        subject += f" – {b.scope}"
    body = email_body(b, words)
    for kind, path in (("report_pdf", b.pdf), ("report_xlsx", b.xlsx)):
        insert_ignoring_duplicates(s, Document.__table__, [{
            "key": f"{PREFIX}{as_of.isoformat()}:{b.slug}:{path.suffix.lstrip('.')}", "kind": kind,
            "path": str(path), "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "created_run_id": run_id}])
    return sum(queue(s, message_key(as_of, b.slug, address), "email", address, body, domain=domain, subject=subject,
                     files=(str(b.pdf), str(b.xlsx)), language=b.language, run_id=run_id) for address in to)


def email_body(b: BuiltReport, words: Labels) -> str:
    r = b.report
    lines = [words("email_intro", date=words.date(r.as_of)), "",
             words("manager_scope", manager=b.scope) if b.scope else words("portfolio"), ""]
    for currency, figures in headline(r).items():
        lines.append(f"{currency}: {words('total_open')} {words.money(r.aging[currency].total, currency)}"
                     if currency in r.aging else f"{currency}:")
        if currency in r.aging:
            lines.append(f"  {words('overdue')} {words.money(r.aging[currency].overdue, currency)}; "
                         f"{words('dso')} {figures['dso_days'] or '–'}; {words('cei_week')} "
                         f"{figures['cei_week_pct'] or '–'} %")
    lines += ["", f"{Path(b.pdf).name}, {Path(b.xlsx).name}"]
    return "\n".join(lines)


def _transports(settings: Settings) -> tuple[dict[str, Transport], list[str]]:
    smtp = settings.reminders.smtp
    if not smtp.host:
        return {}, ["email: reminders.smtp.host is not set; reports stay queued"]
    from receivables.channels.email_smtp import SmtpTransport

    return {"email": SmtpTransport(smtp)}, []
