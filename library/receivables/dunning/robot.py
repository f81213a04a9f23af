"""The reminders robot: plan today's reminders, queue them with their letters, send them from the outbox.

Nothing is planned for sending unless the bank statements were imported and reconciled recently
(a customer who paid yesterday must not be reminded today) and the clock is within office hours.
`dry_run` plans and reports what would be sent, and writes nothing anywhere.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from receivables.channels.outbox import Delivery, Transport, queue
from receivables.config import Settings, config_dir
from receivables.documents.batch import file_stem, write_letters
from receivables.documents.model import Letter
from receivables.dunning.calendar import is_working_day, within_hours
from receivables.dunning.compose import Interest, build_letters, deadline_for, debtor_of, message_context, render_texts
from receivables.dunning.fx import default_fx_table
from receivables.dunning.ledger_view import QUEUED_EVENT, done_steps, load_customers, stale_sources
from receivables.dunning.planner import Plan, PlannedMessage, plan
from receivables.dunning.policy import Policy, load_policy
from receivables.dunning.settings import RemindersSettings
from receivables.ledger.db import Ledger
from receivables.ledger.models import Customer, Document, Run
from receivables.ledger.repository import insert_ignoring_duplicates, log_event
from receivables.ledger.types import utcnow

ACTOR = "reminders"
PREFIX = "reminder:"


def reminders_settings(settings: Settings) -> RemindersSettings:
    return getattr(settings, "reminders", None) or RemindersSettings()


def send_reminders(settings: Settings, ledger: Ledger, run: Run, today: date | None = None, dry_run: bool = False,
                   now: datetime | None = None, reminders: RemindersSettings | None = None,
                   checkpoint: Callable[[str], None] | None = None, **_: Any) -> dict[str, Any]:
    rs = reminders or reminders_settings(settings)
    policy = load_policy(rs.policy if rs.policy.is_absolute() else config_dir() / rs.policy)
    now = now or utcnow()
    today = today or now.astimezone(ZoneInfo(rs.timezone)).date()
    with ledger.session() as s:
        customers = load_customers(s)
        done = done_steps(s)
        stale = stale_sources(s, now, rs.freshness_hours)
    the_plan = plan(customers, policy, today, done, is_working_day if rs.working_days_only else None)
    summary = _plan_summary(the_plan, today)
    blocked = [f"not_fresh: no successful {r} run in the last {rs.freshness_hours:g} h" for r in stale]
    if not within_hours(now, rs.timezone, rs.send_hours):
        blocked.append(f"outside_hours: sending only {rs.send_hours[0]}:00-{rs.send_hours[1]}:00 {rs.timezone}")
    summary["blocked"] = blocked
    if dry_run:
        summary["dry_run"] = True
        summary["would_send"] = [_describe(m, settings.debug) for m in the_plan.messages]
        return summary
    if blocked:
        return summary
    output = settings.paths.output
    folder = (rs.letters_folder if rs.letters_folder.is_absolute() else output / rs.letters_folder) / today.isoformat()
    interest = Interest(policy, today, fx=default_fx_table(output))
    letters = _render_letters(ledger, the_plan.messages, settings, interest, policy, folder, rs.pdf_workers)
    domain = rs.smtp.from_address.rpartition("@")[2] or "localhost"
    with ledger.session() as s:
        summary["queued"] = _queue(s, the_plan.messages, letters, settings, interest, run.id, domain)
    if checkpoint:
        checkpoint("queued")
    vms = (settings, ledger, run.id) if any(m.channel == "vms" for m in the_plan.messages) else None
    transports, unsent = _transports(rs, output, folder / f"print-{today.isoformat()}-run{run.id}.pdf", vms)
    summary["not_sent"] = unsent
    counts = Delivery(ledger, transports, run.id, ACTOR, PREFIX, rs.max_attempts, rs.backoff_seconds,
                      rs.claim_lease_seconds, checkpoint=checkpoint).run()
    summary["sent"] = {k.removeprefix("sent_"): v for k, v in counts.items() if k.startswith("sent_")}
    summary["failed"] = {k.removeprefix("failed_"): v for k, v in counts.items() if k.startswith("failed_")}
    summary["retrying"] = {k.removeprefix("retry_"): v for k, v in counts.items() if k.startswith("retry_")}
    if "letter" in transports and summary["sent"].get("letter"):
        summary["print_file"] = str(transports["letter"].path)
    return summary


def _plan_summary(the_plan: Plan, today: date) -> dict[str, Any]:
    planned: dict[str, Counter] = defaultdict(Counter)
    for m in the_plan.messages:
        planned[m.step.name][m.channel] += 1
    return {"date": today.isoformat(), "planned": {k: dict(v) for k, v in planned.items()},
            "messages": len(the_plan.messages), "skipped": dict(Counter(s.reason for s in the_plan.skipped))}


def _mask(value: str) -> str:
    head, at, domain = value.partition("@")
    return f"{head[:1]}***{at}{domain}" if at else f"***{value[-3:]}"


def _describe(m: PlannedMessage, debug: bool) -> dict[str, Any]:
    return {"key": m.key, "customer": m.customer.external_id, "channel": m.channel, "step": m.step.name,
            "recipient": m.recipient if debug or m.channel == "letter" else _mask(m.recipient),
            "invoices": [i.invoice.number for i in m.invoices]}


def _render_letters(ledger: Ledger, messages: list[PlannedMessage], settings: Settings, interest: Interest,
                    policy: Policy, folder: Path, workers: int | None) -> dict[tuple[int, str], list[tuple[Letter, Path]]]:
    """(customer id, step) -> letters with their PDF paths; one letter serves the e-mail and the post."""
    wanted = {(m.customer.id, m.step.name): m for m in messages if m.step.letter}
    if not wanted:
        return {}
    with ledger.session() as s:
        rows = {r.id: r for r in s.execute(select(Customer.id, Customer.street, Customer.postal_code, Customer.city,
                                                  Customer.tax_id).where(Customer.id.in_({k[0] for k in wanted})))}
    out: dict[tuple[int, str], list[Letter]] = {}
    for key, m in wanted.items():
        r = rows[m.customer.id]
        debtor = debtor_of(m.customer, r.street, r.postal_code, r.city, r.tax_id)
        if debtor is not None:
            out[key] = build_letters(m, settings.company, interest, policy, debtor)
    flat = [letter for letters in out.values() for letter in letters]
    paths = iter(write_letters(flat, folder, workers=workers))
    return {key: [(letter, next(paths)) for letter in letters] for key, letters in out.items()}


def _queue(s: Session, messages: list[PlannedMessage], letters: dict, settings: Settings, interest: Interest,
           run_id: int, domain: str) -> int:
    queued, noted = 0, set()
    for m in messages:
        docs = letters.get((m.customer.id, m.step.name), [])
        if m.channel == "letter" and not docs:
            continue  # no postal address for a letter: the planner's has_address said otherwise; nothing to print
        context = message_context(m, settings.company, interest, deadline_for(m))
        texts = render_texts(m, context)
        files = tuple(str(p) for _, p in docs)
        body = texts.sms if m.channel in ("sms", "vms") else texts.text
        extra = None
        if m.channel == "vms":  # the voice message is spoken from the debtor's data, not from the SMS text
            from voicebot.vms_outbox import vms_extra

            extra = vms_extra(m, interest, reminders_settings(settings).timezone)
        if not queue(s, m.key, m.channel, m.recipient, body, domain=domain, subject=texts.subject,
                     html=texts.html if m.channel == "email" else None,
                     files=files if m.channel not in ("sms", "vms") else (),
                     language=m.customer.language, customer_id=m.customer.id, run_id=run_id, extra=extra):
            continue  # queued by an earlier run today
        queued += 1
        for letter, path in docs:
            insert_ignoring_duplicates(s, Document.__table__, [{
                "key": f"letter:{file_stem(letter)}", "kind": letter.kind, "path": str(path),
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "customer_id": m.customer.id,
                "created_run_id": run_id}])
        for item in m.invoices:
            log_event(s, QUEUED_EVENT, ACTOR, run_id, m.customer.id, item.invoice.id, channel=m.channel,
                      step=item.step.name, key=m.key, days_overdue=item.days_overdue)
            charges = interest.charges(m.customer, item)
            if charges.problem and item.invoice.id not in noted:
                noted.add(item.invoice.id)
                log_event(s, "interest_not_calculated", ACTOR, run_id, m.customer.id, item.invoice.id,
                          problem=charges.problem[:500], interest_shown=charges.interest is not None,
                          needs_analyst=True)
    return queued


def _transports(rs: RemindersSettings, output: Path, print_file: Path,
                vms: tuple[Settings, Ledger, int] | None = None) -> tuple[dict[str, Transport], list[str]]:
    from receivables.channels.letters import PrintBatch
    from receivables.channels.sms import FileSmsGateway, HttpSmsGateway

    transports: dict[str, Transport] = {}
    unsent = []
    if rs.smtp.host:
        from receivables.channels.email_smtp import SmtpTransport

        transports["email"] = SmtpTransport(rs.smtp)
    else:
        unsent.append("email: reminders.smtp.host is not set; e-mails stay queued")
    if rs.sms.gateway == "http":
        from receivables.secrets import get_secret

        token = get_secret(rs.sms.secret, ("token",))["token"]
        transports["sms"] = HttpSmsGateway(rs.sms.url or "", token, rs.sms.sender)
    else:
        folder = rs.sms.folder if rs.sms.folder.is_absolute() else output / rs.sms.folder
        transports["sms"] = FileSmsGateway(folder, rs.sms.sender)
    transports["letter"] = PrintBatch(print_file)
    if vms is not None:
        from voicebot.vms_outbox import vms_transport

        transport, why = vms_transport(*vms)
        if transport is not None:
            transports["vms"] = transport
        if why:
            unsent.append(why)
    return transports, unsent
