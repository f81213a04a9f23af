"""The voice-calls robot: take the call list, run the campaign, confirm, report.

Where the call list comes from: Robocorp work items when run under Robocorp (Control Room or the
local FileAdapter), else a CSV/TXT batch file given as `batch_file`, else the newest parts the
call-list robot wrote under output/call-list/<date>/.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
from contextlib import ExitStack
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from receivables.config import Settings, config_dir
from receivables.ledger.db import Ledger
from receivables.ledger.models import Customer, Run
from receivables.scoring.handover import CallListPart

from voicebot.call_list import CallListError, part_from_payload, read_batch_file
from voicebot.calling_rules import zone
from voicebot.calls import Telephony
from voicebot.clock import Clock, RealClock, SimulatedClock
from voicebot.dialog import Creditor
from voicebot.report import summarize, summary_text, write_csv
from voicebot.runner import CampaignRunner, SessionFactory, run_campaign
from voicebot.settings import VoiceConfig, VoiceSettings, load_voice_config, voice_settings
from voicebot.store import CampaignStore, outbox_row

log = logging.getLogger(__name__)
ACTOR = "voice-calls"


def voice_calls(settings: Settings, ledger: Ledger, run: Run, today: date | None = None,
                batch_file: str | Path | None = None, telephony: Telephony | None = None, clock: Clock | None = None,
                session_factory: SessionFactory | None = None, deliver: bool = True, **_: Any) -> dict[str, Any]:
    vs = voice_settings(settings)
    config = load_voice_config(vs.config if vs.config.is_absolute() else config_dir() / vs.config)
    clock = clock or _clock(vs, today)
    with ExitStack() as stack:
        telephony = telephony or make_telephony(vs, settings, config, clock)
        if hasattr(telephony, "__enter__"):  # Twilio: its webhook server runs while the campaign does
            telephony = stack.enter_context(telephony)
        return _campaigns(settings, vs, config, ledger, run, today, batch_file, telephony, clock, session_factory,
                          deliver)


def _campaigns(settings: Settings, vs: VoiceSettings, config: VoiceConfig, ledger: Ledger, run: Run,
               today: date | None, batch_file: str | Path | None, telephony: Telephony, clock: Clock,
               session_factory: SessionFactory | None, deliver: bool) -> dict[str, Any]:
    until = None if isinstance(clock, SimulatedClock) else clock.now() + timedelta(hours=vs.shift_hours)
    summary: dict[str, Any] = {"telephony": vs.telephony, "clock": type(clock).__name__, "parts": 0, "campaigns": {}}
    counts: Counter = Counter()

    def one(part: CallListPart) -> None:
        factory = session_factory or (_vms_sessions(settings) if part.kind == "vms" else None)
        runner = CampaignRunner(ledger, telephony, clock, config, creditor_of(settings), run_id=run.id,
                                concurrency=vs.concurrency, session_factory=factory, domain=_domain(settings))
        result = run_campaign(runner, part, until)
        counts.update(result.counts)
        summary["parts"] += 1
        entry = summary["campaigns"].setdefault(part.campaign, {"parts_run": [], "finished": False})
        entry["parts_run"].append(part.part)
        if result.campaign_finished:
            entry.update(_close_campaign(settings, vs, config, ledger, runner.store, result.campaign_id,
                                         part.campaign, run.id))
            entry["finished"] = True

    if _under_robocorp() and batch_file is None:
        from robocorp import workitems

        for item in workitems.inputs:
            try:
                part = part_from_payload(item.payload, f"work item {item.id}")
            except CallListError as exc:
                item.fail("BUSINESS", code="BAD_CALL_LIST", message=str(exc)[:1000])
                counts["bad_work_items"] += 1
                continue
            one(part)
            item.done()
    else:
        for part in _parts(settings, vs, ledger, batch_file, today):
            one(part)
    if deliver:
        summary["sent"] = dict(deliver_outbox(settings, ledger, run.id))
    summary["counts"] = dict(sorted(counts.items()))
    return summary


def creditor_of(settings: Settings) -> Creditor:
    return Creditor(settings.company.name, settings.company.phone, dict(settings.company.bank_accounts))


def make_telephony(vs: VoiceSettings, settings: Settings, config: VoiceConfig, clock: Clock) -> Telephony:
    if vs.telephony == "simulated":
        from voicebot.telephony.simulated import SimulatedTelephony

        return SimulatedTelephony(clock, vs.persona_seed)
    if vs.telephony == "console":
        from voicebot.telephony.console import ConsoleTelephony

        return ConsoleTelephony(clock)
    from voicebot.telephony.twilio import TwilioTelephony
    from voicebot.vms import voicemail_turn

    tts = None
    if vs.twilio.speech == "espeak":
        from voicebot.speech.tts import EspeakTts

        tts = EspeakTts(_under(settings.paths.output, vs.output_folder) / "tts-cache")
    company = settings.company
    return TwilioTelephony.from_vault(vs.twilio, config.caller_pool("default")[0], tts=tts,
                                      voicemail=lambda r: voicemail_turn(r.entry.language, company.name, company.phone))


def _vms_sessions(settings: Settings) -> SessionFactory:
    """Voice messages (kind "vms") instead of the conversation: the VMS module's session."""
    from voicebot.vms import VmsSession

    company = settings.company

    def make(entry: Any, now: Any) -> Any:
        return VmsSession(entry, company.name, company.phone, now().astimezone(zone(entry.time_zone)).date(), now=now)

    return make


def _clock(vs: VoiceSettings, today: date | None) -> Clock:
    if vs.clock == "real":
        return RealClock()
    day = today or date.today()
    return SimulatedClock(datetime.combine(day, time(7), zone("Europe/Warsaw")))


def _under_robocorp() -> bool:
    return bool(os.environ.get("RC_WORKITEM_ADAPTER") or os.environ.get("RC_WORKSPACE_ID"))


def _parts(settings: Settings, vs: VoiceSettings, ledger: Ledger, batch_file: str | Path | None,
           today: date | None) -> list[CallListPart]:
    if batch_file is not None:
        from sqlalchemy import select

        def resolve(external_id: str) -> int | None:
            with ledger.session() as s:
                return s.scalar(select(Customer.id).where(Customer.external_id == external_id))

        return read_batch_file(Path(batch_file), created=today, resolve_customer=resolve)
    from receivables.scoring.calllist import latest_folder, read_parts

    root = _under(settings.paths.output, vs.call_list_folder)
    folder = latest_folder(root)
    return read_parts(folder) if folder else []


def _close_campaign(settings: Settings, vs: VoiceSettings, config: VoiceConfig, ledger: Ledger,
                    store: CampaignStore, campaign_id: int, campaign: str, run_id: int) -> dict[str, Any]:
    """The last worker of a campaign writes the call report and queues the summary e-mail."""
    folder = _under(settings.paths.output, vs.output_folder) / _safe(campaign)
    csv_path = folder / "calls.csv"
    write_csv(store, campaign_id, csv_path)
    summary = summarize(ledger, store, campaign_id, campaign)
    summary["csv"] = str(csv_path)
    store.save_summary(campaign_id, summary)
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    if config.report_to:
        from receivables.ledger.models import OutboxMessage
        from receivables.ledger.repository import insert_ignoring_duplicates

        with ledger.session() as s:
            insert_ignoring_duplicates(s, OutboxMessage.__table__, [
                outbox_row(f"voice:summary:{campaign}:{to}", "email", to, summary_text(summary),
                           f"Voice campaign {campaign}: {summary['reached']} reached, {summary['promises']} promises",
                           None, run_id, "en", _domain(settings)) for to in config.report_to])
    return summary


def deliver_outbox(settings: Settings, ledger: Ledger, run_id: int | None) -> Counter:
    """Send the queued confirmations, not-reached SMS and summaries through the reminders' channels."""
    from receivables.channels.outbox import Delivery
    from receivables.channels.sms import FileSmsGateway, HttpSmsGateway

    rs = settings.reminders
    transports: dict[str, Any] = {}
    if rs.sms.gateway == "http":
        from receivables.secrets import get_secret

        transports["sms"] = HttpSmsGateway(rs.sms.url or "", get_secret(rs.sms.secret, ("token",))["token"], rs.sms.sender)
    else:
        transports["sms"] = FileSmsGateway(_under(settings.paths.output, rs.sms.folder), rs.sms.sender)
    if rs.smtp.host:
        from receivables.channels.email_smtp import SmtpTransport

        transports["email"] = SmtpTransport(rs.smtp)
    return Delivery(ledger, transports, run_id, ACTOR, "voice:", rs.max_attempts, rs.backoff_seconds,
                    rs.claim_lease_seconds).run()


def _domain(settings: Settings) -> str:
    return settings.reminders.smtp.from_address.rpartition("@")[2] or "localhost"


def _under(base: Path, path: Path) -> Path:
    return path if path.is_absolute() else base / path


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
