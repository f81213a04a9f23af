"""Voice campaign throughput and correctness on the simulated network. Prints JSON.

Every call runs the full dialog (Jinja prompts rendered for text and speech, `receivables.nlu` on
each answer), and every attempt, transcript, promise, dispute, event and confirmation is written
to a SQLite ledger (reserved before dialing, results in grouped commits). The campaign spans
several simulated days (attempt intervals, local hours, a holiday and a weekend) without sleeping.
Goals: >= 5,000 calls/minute sustained on 2 cores, memory flat; cooperative promise dates 100%
right; no disclosure before identity; no call outside hours or over the caps.

    .venv/bin/python tests/benchmarks/bench_voice_calls.py [DEBTORS]   (default 20000)
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from receivables.dunning.calendar import is_working_day  # noqa: E402
from receivables.ledger import open_ledger  # noqa: E402
from receivables.ledger.models import CallAttempt, Promise  # noqa: E402
from tests.voicebot.helpers import seed_ledger  # noqa: E402
from voicebot.calls import CallResult, DialogSession, DialRequest  # noqa: E402
from voicebot.clock import SimulatedClock  # noqa: E402
from voicebot.dialog import Creditor  # noqa: E402
from voicebot.personas import DIGIT_WORDS  # noqa: E402
from voicebot.runner import CampaignRunner  # noqa: E402
from voicebot.settings import load_voice_config  # noqa: E402
from voicebot.telephony.simulated import SimulatedTelephony  # noqa: E402

TODAY = date(2026, 4, 29)  # Wednesday: 1 May holiday (PL, DE), weekend, 4 May UK bank holiday
WINDOW = 2000  # calls per throughput/memory sample


class Sampling:
    """The simulated network, timed: calls per minute and RSS every WINDOW calls."""

    def __init__(self, inner: SimulatedTelephony) -> None:
        self.inner, self.calls, self.samples = inner, 0, []
        self.process, self.started = psutil.Process(), time.perf_counter()
        self._mark = self.started

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        result = await self.inner.call(request, session)
        self.calls += 1
        if self.calls % WINDOW == 0:
            now = time.perf_counter()
            self.samples.append({"calls": self.calls, "calls_per_minute": round(WINDOW / (now - self._mark) * 60),
                                 "rss_mb": round(self.process.memory_info().rss / 2**20, 1)})
            self._mark = now
        return result


def main(n: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="bench-voice-"))
    ledger = open_ledger(f"sqlite:///{folder / 'ledger.sqlite'}")
    t0 = time.perf_counter()
    part = seed_ledger(ledger, n, TODAY, campaign="bench")
    seeded = time.perf_counter() - t0
    from receivables.nlu import understand

    understand("Zapłacę jutro", TODAY, "pl")  # the NLU's one-off warm-up is not a call
    understand("coś tam coś tam jeszcze", TODAY, "pl")
    clock = SimulatedClock(datetime(2026, 4, 29, 5, tzinfo=UTC))
    network = SimulatedTelephony(clock, seed=7)
    sampling = Sampling(network)
    config = load_voice_config()
    runner = CampaignRunner(ledger, sampling, clock, config,
                            Creditor("Nordwind", "+48 22 100 20 30", {"PLN": "PL94105014451000009071219812"}),
                            concurrency=200)
    rss_before = psutil.Process().memory_info().rss / 2**20
    t1 = time.perf_counter()
    result = asyncio.run(runner.run(part))
    wall = time.perf_counter() - t1
    checks = check(ledger, part, network, config)
    rates = [s["calls_per_minute"] for s in sampling.samples]
    rss = [s["rss_mb"] for s in sampling.samples]
    half = len(rss) // 2
    return {
        "debtors": n, "seconds_to_seed_ledger": round(seeded, 1), "campaign_seconds": round(wall, 1),
        "simulated_days": round((clock.now() - datetime(2026, 4, 29, 5, tzinfo=UTC)).total_seconds() / 86400, 1),
        "calls": sampling.calls, "answered": result.counts["result: answered"],
        "calls_per_minute": round(sampling.calls / wall * 60),
        "answered_calls_per_minute": round(result.counts["result: answered"] / wall * 60),
        "sustained_calls_per_minute": {"min": min(rates), "median": round(statistics.median(rates)),
                                       "max": max(rates)} if rates else None,
        "rss_mb": {"before_campaign": round(rss_before, 1), "first_sample": rss[0] if rss else None,
                   "max_first_half": max(rss[:half]) if half else None,
                   "max_second_half": max(rss[half:]) if rss else None, "last": rss[-1] if rss else None},
        "outcomes": {k.removeprefix("outcome: "): v for k, v in sorted(result.counts.items()) if k.startswith("outcome")},
        "checks": checks, "samples": sampling.samples, "load_average": os.getloadavg(),
    }


def check(ledger, part, network: SimulatedTelephony, config) -> dict:
    entries = {e.customer_id: e for e in part.entries}
    sched = config.schedule
    with ledger.session() as s:
        attempts = s.execute(select(CallAttempt.customer_id, CallAttempt.attempt_no, CallAttempt.started_at,
                                    CallAttempt.transcript)).all()
        promises = {p.customer_id: p.promised_date for p in s.scalars(
            select(Promise).where(Promise.channel == "call", Promise.source_key.like("%:1")))}
    outside = over_caps = disclosed_early = 0
    per: dict[int, list] = defaultdict(list)
    for a in attempts:
        e = entries[a.customer_id]
        local = a.started_at.astimezone(ZoneInfo(e.time_zone))
        if not (sched.hours[0] <= local.hour < sched.hours[1] and is_working_day(local.date(), e.country)):
            outside += 1
        per[a.customer_id].append(a.started_at)
        disclosed_early += _disclosed_early(a.transcript.get("turns") or [], e)
    for cid, times in per.items():
        times.sort()
        tz = ZoneInfo(entries[cid].time_zone)
        days = Counter(t.astimezone(tz).date() for t in times)
        gaps = [b - a for a, b in zip(times, times[1:])]
        window = [sum(1 for u in times if t - timedelta(days=sched.cap_days) < u <= t) for t in times]
        if (len(times) > sched.max_attempts or max(days.values()) > sched.attempts_per_day
                or any(g < timedelta(minutes=sched.interval_minutes) for g in gaps) or max(window) > sched.cap_attempts):
            over_caps += 1
    cooperative = [cid for cid, p in network.personas.items() if p.name == "cooperative" and p.meant]
    right = sum(1 for cid in cooperative if promises.get(cid) == network.meant(cid))
    return {"attempts_outside_hours_or_working_days": outside, "debtors_over_a_cap": over_caps,
            "calls_disclosing_before_identity": disclosed_early,
            "cooperative_debtors": len(cooperative), "cooperative_promise_dates_right": right,
            "cooperative_promise_dates_right_share": round(right / len(cooperative), 4) if cooperative else None}


def _disclosed_early(turns: list, e) -> int:
    """1 if a bot turn shows an amount or invoice number before the debtor said the tax id's digits."""
    secret = re.compile("|".join([re.escape(i.number) for i in e.invoices] + [r"\d+[.,]\d\d"]))
    for k, t in enumerate(turns):
        if t["who"] == "bot" and secret.search(t["text"]):
            said = turns[k - 1] if k else {}
            spoken = "".join(str(DIGIT_WORDS[e.language].index(w)) for w in (said.get("text") or "").split()
                             if w in DIGIT_WORDS[e.language])
            return int(said.get("who") != "debtor" or e.tax_id_last3 not in (said.get("digits"), spoken))
    return 0


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000), indent=1, default=str))
