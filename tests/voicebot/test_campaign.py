"""A multi-day simulated campaign against a real ledger (SQLite and PostgreSQL): the rules, the
ledger rows, the confirmations, and a crash in the middle that must not make anyone ring twice."""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from receivables.dunning.calendar import is_working_day
from receivables.ledger.models import (
    CallAttempt, CallCampaign, Contact, Dispute, Event, Invoice, OptOut, OutboxMessage, Promise,
)
from voicebot.calls import CallResult, DialogSession, DialRequest
from voicebot.clock import SimulatedClock
from voicebot.dialog import Creditor
from voicebot.personas import DIGIT_WORDS, PERSONAS
from voicebot.report import write_csv
from voicebot.runner import CampaignRunner
from voicebot.settings import VoiceConfig
from voicebot.telephony.simulated import SimulatedTelephony

from tests.voicebot.helpers import seed_ledger

TODAY = date(2026, 4, 29)  # Wednesday; 1 May is a holiday in PL and DE, 2-3 May a weekend, 4 May a UK bank holiday
START = datetime.combine(TODAY, time(5, 0), UTC)
CREDITOR = Creditor("Nordwind", "+48 22 100 20 30", {"PLN": "PL94105014451000009071219812"})
CONFIG = VoiceConfig(caller_ids={"default": ["+48221000001", "+48221000002"], "DE": ["+49301000001"]})


def by_index(part):
    """Every persona several times: debtor k plays PERSONAS[k % 11]."""
    index = {e.customer_id: n for n, e in enumerate(part.entries)}
    return lambda entry: PERSONAS[index[entry.customer_id] % len(PERSONAS)]


def run(ledger, part, telephony, clock, run_id=None, **kw):
    runner = CampaignRunner(ledger, telephony, clock, CONFIG, CREDITOR, run_id=run_id, concurrency=8, **kw)
    return runner, asyncio.run(runner.run(part))


@pytest.fixture
def campaign(ledger):
    part = seed_ledger(ledger, 44, TODAY)
    clock = SimulatedClock(START)
    telephony = SimulatedTelephony(clock, persona_of=by_index(part))
    runner, result = run(ledger, part, telephony, clock)
    with ledger.session() as s:
        attempts = s.scalars(select(CallAttempt).order_by(CallAttempt.started_at)).all()
    return part, telephony, runner, result, attempts


def test_calls_only_in_local_hours_on_working_days_and_within_caps(campaign):
    part, _, _, result, attempts = campaign
    assert result.finished and result.campaign_finished
    entries = {e.customer_id: e for e in part.entries}
    per_customer = defaultdict(list)
    for a in attempts:
        e = entries[a.customer_id]
        local = a.started_at.astimezone(ZoneInfo(e.time_zone))
        assert 9 <= local.hour < 20, (e.time_zone, local)
        assert is_working_day(local.date(), e.country), (e.country, local)
        assert local.date() not in (date(2026, 5, 2), date(2026, 5, 3))
        assert not (e.country in ("PL", "DE") and local.date() == date(2026, 5, 1))
        assert not (e.country == "GB" and local.date() == date(2026, 5, 4))
        per_customer[a.customer_id].append(a)
    for rows in per_customer.values():
        assert [a.attempt_no for a in rows] == list(range(1, len(rows) + 1))
        assert len(rows) <= CONFIG.schedule.max_attempts
        tz = ZoneInfo(entries[rows[0].customer_id].time_zone)
        assert max(Counter(a.started_at.astimezone(tz).date() for a in rows).values()) <= 3
        for before, after in zip(rows, rows[1:]):
            assert after.started_at - before.started_at >= timedelta(minutes=CONFIG.schedule.interval_minutes)
    assert all(a.status == "done" for a in attempts)
    # the hard-to-reach debtors used up their attempts over several days, not all on the first
    no_answer = [rows for rows in per_customer.values() if all(a.result == "no_answer" for a in rows)]
    assert no_answer and all(len(rows) == CONFIG.schedule.max_attempts for rows in no_answer)
    assert all(len({a.started_at.date() for a in rows}) >= 2 for rows in no_answer)


def test_nothing_is_disclosed_before_the_identity_is_confirmed(campaign):
    """Amounts and invoice numbers appear only after the debtor has said the tax id's last digits."""
    part, telephony, _, _, attempts = campaign
    entries = {e.customer_id: e for e in part.entries}
    disclosed = silent = 0
    for a in attempts:
        turns = a.transcript.get("turns") or []
        e = entries[a.customer_id]
        secret = re.compile("|".join([re.escape(i.number) for i in e.invoices] + [r"\d+[.,]\d\d"]))
        first = next((k for k, t in enumerate(turns) if t["who"] == "bot" and secret.search(t["text"])), None)
        if first is None:
            silent += bool(turns)
            continue
        disclosed += 1
        said = turns[first - 1]
        spoken = "".join(str(DIGIT_WORDS[e.language].index(w)) for w in (said["text"] or "").split()
                         if w in DIGIT_WORDS[e.language])
        assert said["who"] == "debtor" and e.tax_id_last3 in (said["digits"], spoken), turns[:first + 1]
        assert telephony.persona(e).name not in ("wrong_number", "dead_number")
    assert disclosed > 15 and silent > 3


def test_cooperative_debtors_promise_dates_are_recorded_as_meant(ledger, campaign):
    part, telephony, _, _, _ = campaign
    with ledger.session() as s:
        promises = {p.customer_id: p for p in s.scalars(select(Promise).where(Promise.channel == "call"))
                    if ":1" == p.source_key[-2:]}
    cooperative = [e for e in part.entries if telephony.persona(e).name == "cooperative"]
    assert len(cooperative) >= 4
    for e in cooperative:
        meant = telephony.meant(e.customer_id)
        assert meant is not None
        assert promises[e.customer_id].promised_date == meant, telephony.persona(e).said
        assert promises[e.customer_id].amount == e.totals["PLN"]


def test_outcomes_become_ledger_rows_and_confirmations(ledger, campaign):
    part, telephony, _, result, attempts = campaign
    persona = {e.customer_id: telephony.persona(e).name for e in part.entries}
    entries = {e.customer_id: e for e in part.entries}
    with ledger.session() as s:
        promises = s.scalars(select(Promise)).all()
        disputes = s.scalars(select(Dispute)).all()
        outbox = {m.key: m for m in s.scalars(select(OutboxMessage))}
        events = s.scalars(select(Event)).all()
        contacts = {c.customer_id: c for c in s.scalars(select(Contact).where(Contact.kind == "phone"))}
        invoices = s.scalars(select(Invoice)).all()
        campaign_row = s.scalar(select(CallCampaign))
    plans = defaultdict(list)
    for p in promises:
        if persona[p.customer_id] == "instalments":
            plans[p.customer_id].append(p)
    assert plans and all(len(parts) == CONFIG.instalments.max_parts for parts in plans.values())
    for cid, parts in plans.items():
        assert sum(p.amount for p in parts) == entries[cid].totals["PLN"]
    disputing = {cid for cid, name in persona.items() if name == "disputing"}
    assert {d.customer_id for d in disputes} == disputing
    assert all(i.disputed == (i.customer_id in disputing) for i in invoices)
    assert all(i.promised for i in invoices if persona[i.customer_id] in ("cooperative", "instalments"))
    claimed = [e for e in events if e.kind == "payment_claimed"]
    assert {e.customer_id for e in claimed} == {c for c, n in persona.items() if n == "already_paid"}
    assert all(e.details["needs_reconcile"] for e in claimed)
    for cid, name in persona.items():
        if name == "wrong_number":
            assert (contacts[cid].valid, contacts[cid].invalid_reason) == (False, "wrong_number")
        elif name == "dead_number":
            assert (contacts[cid].valid, contacts[cid].invalid_reason) == (False, "dead_number")
        else:
            assert contacts[cid].valid
    # wrong and dead numbers were dialed once and never again
    dials = Counter(a.customer_id for a in attempts)
    assert all(dials[c] == 1 for c, n in persona.items() if n in ("wrong_number", "dead_number"))
    for cid, name in persona.items():
        sms = [k for k in outbox if k.startswith(f"voice:call:{campaign_row.key}:{cid}:") and k.endswith(":sms")]
        if name in ("cooperative", "instalments", "disputing"):
            assert len(sms) == 1 and "not-reached" not in sms[0]
        if name in ("no_answer", "voicemail"):
            assert sms == [f"voice:call:{campaign_row.key}:{cid}:not-reached:sms"]
    # every answered call is on the timeline with its transcript
    timeline = [e for e in events if e.kind == "call_attempt"]
    assert len(timeline) == len(attempts)
    assert all(e.details["transcript"] for e in timeline if e.details["result"] == "answered")
    assert campaign_row.status == "finished" and result.counts["attempts"] == len(attempts)


def test_caller_ids_rotate_through_the_countrys_pool(campaign):
    part, _, _, _, attempts = campaign
    country = {e.customer_id: e.country for e in part.entries}
    pl = [a.caller_id for a in attempts if country[a.customer_id] != "DE"]
    de = {a.caller_id for a in attempts if country[a.customer_id] == "DE"}
    assert de == {"+49301000001"}
    assert set(pl) == {"+48221000001", "+48221000002"}
    assert abs(pl.count("+48221000001") - pl.count("+48221000002")) <= 8


def test_report_csv_has_every_attempt(tmp_path, campaign):
    _, _, runner, result, attempts = campaign
    path = tmp_path / "calls.csv"
    assert write_csv(runner.store, result.campaign_id, path) == len(attempts)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "phone,attempt,result,started_at,duration_s,outcome,promise_date,customer_id"
    promised = [line for line in lines if ",promise," in line]
    assert promised and all(re.search(r",\d{4}-\d\d-\d\d,\d+$", line) for line in promised)


def test_opt_outs_and_invalid_numbers_are_never_dialed(ledger):
    part = seed_ledger(ledger, 6, TODAY, languages=("pl",))
    ids = [e.customer_id for e in part.entries]
    with ledger.session() as s:
        s.add(OptOut(customer_id=ids[0], channel="call", reason="asked"))
        s.add(OptOut(customer_id=ids[1], channel="sms", reason="asked"))
        contact = s.scalar(select(Contact).where(Contact.customer_id == ids[2], Contact.kind == "phone"))
        contact.valid, contact.invalid_reason = False, "wrong_number"
    clock = SimulatedClock(START)
    run(ledger, part, SimulatedTelephony(clock, persona_of=lambda e: "cooperative"), clock)
    with ledger.session() as s:
        dialed = set(s.scalars(select(CallAttempt.customer_id)))
        sms = {m.customer_id for m in s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms"))}
        emails = {m.customer_id for m in s.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email"))}
    assert dialed == set(ids[1:2] + ids[3:])
    assert ids[1] not in sms and ids[1] in emails  # SMS opt-out: the confirmation goes by e-mail only
    assert sms == set(ids[3:])


def test_the_rolling_cap_counts_other_campaigns(ledger):
    part = seed_ledger(ledger, 2, TODAY, languages=("pl",))
    cid = part.entries[0].customer_id
    with ledger.session() as s:
        other = CallCampaign(key="older", kind="call", status="finished", created_at=START - timedelta(days=7))
        s.add(other)
        s.flush()
        for n in range(6):  # six attempts 6 days ago, hourly
            s.add(CallAttempt(campaign_id=other.id, customer_id=cid, phone="x", attempt_no=n + 1, status="done",
                              result="no_answer", started_at=START - timedelta(days=6) + timedelta(hours=n)))
    clock = SimulatedClock(START)
    run(ledger, part, SimulatedTelephony(clock, persona_of=lambda e: "no_answer"), clock)
    with ledger.session() as s:
        times = sorted(s.scalars(select(CallAttempt.started_at).where(CallAttempt.customer_id == cid)))
        mine = s.scalars(select(CallAttempt).join(CallCampaign).where(
            CallCampaign.key == part.campaign, CallAttempt.customer_id == cid)).all()
    for t in times:
        assert sum(1 for u in times if t - timedelta(days=7) < u <= t) <= 7
    # one attempt fits before the older ones age out (6 days ago + 7 days = 1 day into this campaign)
    first_days = [a for a in mine if a.started_at < START + timedelta(days=1)]
    assert len(first_days) == 1 and len(mine) > 1


class Crash(BaseException):
    """The process dies: nothing after this point runs, nothing is flushed."""


class Recording:
    """Wraps the simulated network; logs every dial, and can die at the n-th one."""

    def __init__(self, inner: SimulatedTelephony, log: list, crash_at: int | None = None) -> None:
        self.inner, self.log, self.crash_at = inner, log, crash_at
        self.undialed = 0  # reserved when the process died, never dialed

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        if self.crash_at is not None and len(self.log) == self.crash_at:
            self.undialed += 1
            if self.undialed == 1:
                raise Crash()
            await asyncio.Event().wait()  # the rest of the dying process never gets to dial
        result = await self.inner.call(request, session)
        self.log.append((request.entry.customer_id, request.attempt_no, result.result))
        return result


def test_a_crash_mid_campaign_resumes_without_calling_anyone_twice(ledger):
    part = seed_ledger(ledger, 30, TODAY)
    log: list = []
    clock = SimulatedClock(START)
    personas = by_index(part)
    dying = Recording(SimulatedTelephony(clock, persona_of=personas), log, crash_at=23)
    with pytest.raises(Crash):
        run(ledger, part, dying, clock, flush_every=5)
    crashed_at = len(log)
    with ledger.session() as s:
        dialing = s.scalars(select(CallAttempt).where(CallAttempt.status == "dialing")).all()
        assert dialing  # results of the calls after the last grouped commit were lost with the process
    clock2 = SimulatedClock(clock.now() + timedelta(minutes=5))
    _, result = run(ledger, part, Recording(SimulatedTelephony(clock2, persona_of=personas), log), clock2)
    assert result.campaign_finished and len(log) > crashed_at
    dials = [(c, n) for c, n, _ in log]
    assert len(dials) == len(set(dials))  # no attempt made twice
    answered_at = {}
    for k, (c, n, res) in enumerate(log):
        assert c not in answered_at, f"customer {c} dialed again after answering"
        if res == "answered":
            answered_at[c] = k
    lost = {a.customer_id for a in dialing}
    assert not [c for c, _, _ in log[crashed_at:] if c in lost]  # an unknown result is never redialed
    with ledger.session() as s:
        lost_rows = s.scalars(select(CallAttempt).where(CallAttempt.status == "lost")).all()
        told = s.scalars(select(Event).where(Event.kind == "call_result_unknown")).all()
        assert {a.id for a in lost_rows} == {a.id for a in dialing}
        assert {e.customer_id for e in told} == lost and all(e.details["needs_analyst"] for e in told)
        # every dial has its row, plus the attempts reserved in the batch the process died in
        assert len(s.scalars(select(CallAttempt)).all()) == len(log) + dying.undialed


def test_parallel_workers_share_a_campaign_and_the_last_one_closes_it(ledger):
    whole = seed_ledger(ledger, 12, TODAY)
    from voicebot.call_list import split

    first, second = split(whole.campaign, whole.entries, TODAY, size=6)
    clock = SimulatedClock(START)
    telephony = SimulatedTelephony(clock, persona_of=lambda e: "cooperative")
    _, r1 = run(ledger, first, telephony, clock)
    assert r1.finished and not r1.campaign_finished
    with ledger.session() as s:
        assert s.scalar(select(CallCampaign.status)) == "running"
    clock2 = SimulatedClock(START)
    _, r2 = run(ledger, second, SimulatedTelephony(clock2, persona_of=lambda e: "cooperative"), clock2)
    assert r2.campaign_finished
    with ledger.session() as s:
        assert s.scalar(select(CallCampaign.status)) == "finished"
        assert len(set(s.scalars(select(CallAttempt.customer_id)))) == 12


class OneMessage:
    """A session that only plays a message: what a voice-message campaign's factory gives."""

    def __init__(self, entry, now):
        from voicebot.calls import DialogOutcome

        self.outcome, self.state = DialogOutcome(kind="no_outcome"), "message"
        self.outcome.transcript.append({"at": now().isoformat(), "who": "bot", "text": "message"})

    def start(self):
        from voicebot.calls import Turn

        return Turn("message", "message", "pl", end=True)

    def hear(self, utterance):
        raise AssertionError("a message is not a conversation")


def test_a_voice_message_campaign_runs_with_its_own_session_factory(ledger):
    part = seed_ledger(ledger, 4, TODAY, languages=("pl",), campaign="vms-test").model_copy(update={"kind": "vms"})
    clock = SimulatedClock(START)
    _, result = run(ledger, part, SimulatedTelephony(clock, persona_of=lambda e: "cooperative"), clock,
                    session_factory=OneMessage)
    assert result.campaign_finished and result.counts["result: answered"] == 4
    with ledger.session() as s:
        assert s.scalar(select(CallCampaign.kind)) == "vms"
        turns = [a.transcript["turns"] for a in s.scalars(select(CallAttempt))]
    assert len(turns) == 4 and all(len(t) == 1 and t[0]["text"] == "message" for t in turns)


def test_an_attempt_another_worker_reserved_first_is_not_dialed(ledger):
    """Two workers racing for one debtor: the unique (campaign, customer, attempt) row decides."""
    from voicebot.store import CampaignStore, Reservation

    part = seed_ledger(ledger, 3, TODAY, languages=("pl",))
    store = CampaignStore(ledger, None)
    campaign_id, _, _ = store.open_campaign("race", "call", START)
    a, b, c = (e.customer_id for e in part.entries)
    mine = [Reservation(a, 1, "+48600", None, START), Reservation(b, 1, "+48601", None, START)]
    assert set(store.reserve(campaign_id, mine)) == {a, b}
    theirs = [Reservation(b, 1, "+48601", None, START), Reservation(c, 1, "+48602", None, START)]
    assert set(store.reserve(campaign_id, theirs)) == {c}


class Failing:
    """A network whose adapter breaks (a bug, a lost API) at the n-th call."""

    def __init__(self, inner: SimulatedTelephony, at: int) -> None:
        self.inner, self.at, self.calls = inner, at, 0

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        self.calls += 1
        if self.calls == self.at:
            raise RuntimeError("adapter broke")
        return await self.inner.call(request, session)


def test_a_stopped_campaign_keeps_its_results_and_resumes(ledger):
    part = seed_ledger(ledger, 12, TODAY, languages=("de",))
    clock = SimulatedClock(START)
    with pytest.raises(RuntimeError, match="adapter broke"):
        run(ledger, part, Failing(SimulatedTelephony(clock, persona_of=lambda e: "cooperative"), at=9), clock)
    with ledger.session() as s:
        assert s.scalar(select(CallCampaign.status)) == "stopped"
        done = s.scalars(select(CallAttempt).where(CallAttempt.status == "done")).all()
    assert len(done) >= 7  # the calls before the failure were written when it stopped
    _, result = run(ledger, part, SimulatedTelephony(clock, persona_of=lambda e: "cooperative"), clock)
    assert result.campaign_finished
    with ledger.session() as s:
        assert s.scalar(select(CallCampaign.status)) == "finished"
        per_customer = Counter(s.scalars(select(CallAttempt.customer_id)))
    assert set(per_customer) == {e.customer_id for e in part.entries} and max(per_customer.values()) == 1


def test_a_debtor_who_asks_for_a_callback_is_called_back_then(ledger):
    # a campaign long enough for "call me next week" to fall inside it
    config = CONFIG.model_copy(update={"schedule": CONFIG.schedule.model_copy(update={"campaign_days": 14})})
    part = seed_ledger(ledger, 44, TODAY)
    clock = SimulatedClock(START)
    runner = CampaignRunner(ledger, SimulatedTelephony(clock, persona_of=by_index(part)), clock, config, CREDITOR,
                            concurrency=8)
    asyncio.run(runner.run(part))
    with ledger.session() as s:
        attempts = s.scalars(select(CallAttempt).order_by(CallAttempt.started_at)).all()
    end = START + timedelta(days=config.schedule.campaign_days - 1)
    asked = [a for a in attempts if a.outcome == "callback" and a.callback_at and a.callback_at < end]
    assert asked
    for a in asked:
        later = [r for r in attempts if r.customer_id == a.customer_id and r.attempt_no > a.attempt_no]
        assert later and later[0].started_at >= a.callback_at  # called back, not before the time they asked for


def test_a_stopped_campaign_resumed_later_still_makes_its_callbacks(ledger):
    config = CONFIG.model_copy(update={"schedule": CONFIG.schedule.model_copy(update={"campaign_days": 14})})
    part = seed_ledger(ledger, 44, TODAY)
    clock = SimulatedClock(START)
    telephony = SimulatedTelephony(clock, persona_of=by_index(part))

    def runner():
        return CampaignRunner(ledger, telephony, clock, config, CREDITOR, concurrency=8)

    asyncio.run(runner().run(part, until=START + timedelta(days=1)))  # the first shift ends
    with ledger.session() as s:
        asked = s.scalars(select(CallAttempt).where(CallAttempt.outcome == "callback")).all()
    assert asked
    asyncio.run(runner().run(part))  # the next shift resumes the campaign
    with ledger.session() as s:
        for a in asked:
            later = s.scalars(select(CallAttempt).where(CallAttempt.customer_id == a.customer_id,
                                                        CallAttempt.attempt_no > a.attempt_no)).all()
            assert later and min(r.started_at for r in later) >= a.callback_at
