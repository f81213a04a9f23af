"""The campaign runner (asyncio): who is dialed when, within every rule, and what is written after.

Rules checked at the moment an attempt is reserved: the debtor's local calling hours on working
days, attempts per day and the interval between them, the campaign's attempt cap, the rolling cap
over all campaigns (7 in 7 days), opt-outs, and numbers known to be wrong or dead. Attempt rows
are committed before dialing, a batch at a time; results are written in grouped commits. A
stopped or crashed campaign resumes from the ledger without calling anyone twice.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from receivables.ledger.db import Ledger
from receivables.scoring.handover import CallListEntry, CallListPart

from voicebot.after_call import Sender, not_reached, record_call
from voicebot.calling_rules import blocked_until, in_window, next_window_start
from voicebot.calls import CallResult, DialogSession, DialRequest, Telephony
from voicebot.clock import Clock, RealClock
from voicebot.dialog import Creditor, Dialog
from voicebot.settings import VoiceConfig
from voicebot.store import CampaignStore, Customers, Reservation, Writes, cap_since, digits_of

log = logging.getLogger(__name__)
SessionFactory = Callable[[CallListEntry, Callable[[], datetime]], DialogSession]


@dataclass(eq=False)
class Debtor:
    entry: CallListEntry
    phones: list[str]
    times: list[datetime]
    all_times: list[datetime]
    attempts: int = 0
    reached: bool = False
    done: bool = False
    reason: str | None = None  # why it is not called (any more)
    callback_at: datetime | None = None  # the debtor asked to be called back then


@dataclass
class CampaignResult:
    campaign: str
    campaign_id: int
    part: int
    finished: bool  # this part has nothing left to do
    campaign_finished: bool  # every part is done: the report and summary went out
    counts: Counter = field(default_factory=Counter)


class CampaignRunner:
    def __init__(self, ledger: Ledger, telephony: Telephony, clock: Clock, config: VoiceConfig, creditor: Creditor,
                 *, run_id: int | None = None, concurrency: int = 100, session_factory: SessionFactory | None = None,
                 flush_every: int = 500, domain: str = "localhost") -> None:
        self.ledger, self.telephony, self.clock, self.config = ledger, telephony, clock, config
        self.creditor, self.run_id, self.concurrency = creditor, run_id, concurrency
        self.session_factory = session_factory or (lambda entry, now: Dialog(entry, creditor, config, now))
        self.flush_every = flush_every
        self.store = CampaignStore(ledger, run_id)
        self.sender = Sender(creditor.name, creditor.phone, creditor.accounts, domain, run_id)
        self._caller_ids: dict[str, itertools.cycle] = {}

    async def run(self, part: CallListPart, until: datetime | None = None) -> CampaignResult:
        """Call this part of the campaign until every debtor is done or the campaign's days are over
        (or `until`, for a worker that stops at the end of its shift and resumes the next day)."""
        sched = self.config.schedule
        start = self.clock.now()
        campaign_id, created, status = self.store.open_campaign(part.campaign, part.kind, start)
        counts: Counter = Counter()
        result = CampaignResult(part.campaign, campaign_id, part.part, False, False, counts)
        if status == "finished":
            counts["already_finished"] = 1
            return result
        horizon = created + timedelta(days=sched.campaign_days)
        entries = {e.customer_id: e for e in part.entries}
        customers = self.store.customers(entries)
        history = self.store.history(campaign_id, entries, cap_since(start, sched.cap_days))
        debtors = [self._debtor(e, customers, history.get(e.customer_id), counts) for e in part.entries]
        self.store.mark_lost({cid: h.dialing_ids for cid, h in history.items() if h.dialing_ids and cid in entries},
                             part.campaign, start)
        self._customers, self._part = customers, part
        heap: list[tuple[datetime, int, Debtor]] = [(start, n, d) for n, d in enumerate(debtors) if not d.done]
        heapq.heapify(heap)
        writes = Writes()
        in_flight: set[asyncio.Task] = set()
        stop_at = min(horizon, until) if until else horizon
        try:
            while heap or in_flight:
                now = self.clock.now()
                batch: list[tuple[Debtor, Reservation]] = []
                while heap and heap[0][0] <= now and len(in_flight) + len(batch) < self.concurrency:
                    _, n, d = heapq.heappop(heap)
                    later = self._later(d, now)
                    if later is not None:
                        heapq.heappush(heap, (later, n, d))
                        continue
                    d.attempts += 1
                    phone = d.phones[(d.attempts - 1) % len(d.phones)]
                    batch.append((d, Reservation(d.entry.customer_id, d.attempts, phone, self._caller_id(d), now)))
                    d.times.append(now)
                    d.all_times.append(now)
                    heapq.heappush(heap, (now + timedelta(minutes=sched.interval_minutes), n, d))
                if batch:
                    reserved = self.store.reserve(campaign_id, [r for _, r in batch])
                    for d, r in batch:
                        attempt_id = reserved.get(d.entry.customer_id)
                        if attempt_id is None:  # another worker has this attempt: never dial it twice
                            counts["skipped_taken"] += 1
                            d.done, d.reason = True, "taken by another worker"
                            continue
                        in_flight.add(asyncio.create_task(self._call(d, r, attempt_id)))
                if in_flight:
                    # on the wall clock, wake for the next due debtor even while long calls go on
                    due_in = ((heap[0][0] - now).total_seconds() if heap and isinstance(self.clock, RealClock)
                              and len(in_flight) < self.concurrency else None)
                    done, in_flight = await asyncio.wait(in_flight, timeout=0 if batch else due_in,
                                                         return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        self._after(*task.result(), writes, counts)
                    if len(writes) >= self.flush_every:
                        self.store.write(writes)
                        writes = Writes()
                    continue
                heap = [(t, n, d) for t, n, d in heap if not d.done]
                heapq.heapify(heap)
                if not heap:
                    break
                self.store.write(writes)
                writes = Writes()
                wake = heap[0][0]
                if wake >= stop_at:
                    break
                await self.clock.sleep_until(wake)
        except (Exception, asyncio.CancelledError, KeyboardInterrupt):  # stopped: keep what is known, then stop
            for task in in_flight:
                if task.done() and not task.cancelled() and task.exception() is None:
                    self._after(*task.result(), writes, counts)
            self.store.write(writes)
            self.store.stopped(campaign_id)
            raise
        now = self.clock.now()
        result.finished = bool(all(d.done for d in debtors) or now >= horizon or (heap and heap[0][0] >= horizon))
        if result.finished:
            for d in debtors:
                if (not d.reached and d.phones and d.reason in (None, "attempts used up")
                        and self.config.confirmations.not_reached_sms):
                    if not_reached(writes, part.campaign, d.entry, d.phones[0], customers, self.sender, now):
                        counts["not_reached_sms"] += 1
            result.campaign_finished = self.store.finish_part(campaign_id, part.campaign, part.part, part.parts,
                                                              now, writes)
        else:
            self.store.write(writes)
        return result

    # per debtor ----------------------------------------------------------------------------
    def _debtor(self, entry: CallListEntry, customers: Customers, h: Any, counts: Counter) -> Debtor:
        invalid = customers.invalid_phones.get(entry.customer_id, set()) | (h.dead_phones if h else set())
        phones = [p for p in entry.phones if digits_of(p) not in invalid]
        d = Debtor(entry, phones, list(h.times) if h else [], list(h.all_times) if h else [],
                   h.attempts if h else 0, h.reached if h else False, callback_at=h.callback_at if h else None)
        if entry.customer_id not in customers.known:
            d.done, d.reason = True, "not in the ledger"
        elif "call" in customers.opt_outs.get(entry.customer_id, set()):
            d.done, d.reason = True, "call opt-out"
        elif d.reached and d.callback_at is None:  # a resumed campaign still owes its callbacks
            d.done, d.reason = True, "reached"
        elif h and h.unknown:
            d.done, d.reason = True, "an attempt's result was lost in a crash"
        elif not phones:
            d.done, d.reason = True, "no valid phone"
        elif d.attempts >= self.config.schedule.max_attempts:
            d.done, d.reason = True, "attempts used up"
        if d.reason:
            counts[f"not_called: {d.reason}"] += 1
        return d

    def _later(self, d: Debtor, now: datetime) -> datetime | None:
        """None if `d` may be dialed now; else when to look again."""
        if d.done:
            return datetime.max.replace(tzinfo=now.tzinfo)
        e, sched = d.entry, self.config.schedule
        if d.callback_at is not None and now < d.callback_at:
            return d.callback_at
        if not in_window(now, e.time_zone, e.country, sched):
            return next_window_start(now, e.time_zone, e.country, sched)
        blocked = blocked_until(now, e.time_zone, sched, d.times, d.all_times)
        if blocked is not None:
            return max(blocked, now + timedelta(seconds=1))
        return None

    def _caller_id(self, d: Debtor) -> str:
        country = d.entry.country if d.entry.country in self.config.caller_ids else "default"
        pool = self._caller_ids.get(country)
        if pool is None:
            pool = self._caller_ids[country] = itertools.cycle(self.config.caller_pool(country))
        return next(pool)

    async def _call(self, d: Debtor, r: Reservation, attempt_id: int) -> tuple[Debtor, DialRequest, CallResult, int]:
        request = DialRequest(d.entry, r.phone, r.caller_id, r.attempt_no)
        session = self.session_factory(d.entry, self.clock.now)
        try:
            result = await self.telephony.call(request, session)
        except (OSError, TimeoutError) as exc:
            log.warning("call to customer %s failed: %s", d.entry.customer_id, exc)
            result = CallResult("failed", r.started_at, 0)
        return d, request, result, attempt_id

    def _after(self, d: Debtor, request: DialRequest, result: CallResult, attempt_id: int, writes: Writes,
               counts: Counter) -> None:
        counts["attempts"] += 1
        counts[f"result: {result.result}"] += 1
        record_call(writes, self._part.campaign, attempt_id, request, result, self._customers, self.config,
                    self.sender)
        if result.result == "answered":
            d.reached = d.done = True
            d.reason = "reached"
            kind = result.outcome.kind if result.outcome else "no_outcome"
            counts[f"outcome: {kind}"] += 1
            if kind == "wrong_person":
                d.phones = [p for p in d.phones if p != request.phone]
                d.reached, d.done = False, not d.phones
                d.reason = "no valid phone" if not d.phones else None
            elif kind == "callback" and result.outcome.callback_at is not None:
                # called back within this campaign, on the same number, inside the usual hours and caps
                d.done, d.reason, d.callback_at = False, None, result.outcome.callback_at
                d.phones = [request.phone] + [p for p in d.phones if p != request.phone]
        elif result.result == "wrong_number":
            d.phones = [p for p in d.phones if p != request.phone]
            if not d.phones:
                d.done, d.reason = True, "no valid phone"
        if not d.done and d.attempts >= self.config.schedule.max_attempts:
            d.done, d.reason = True, "attempts used up"


def run_campaign(runner: CampaignRunner, part: CallListPart, until: datetime | None = None) -> CampaignResult:
    return asyncio.run(runner.run(part, until))

