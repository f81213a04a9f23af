"""The simulated network: every number belongs to a persona that answers at once, in-process."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import date, datetime

from receivables.scoring.handover import CallListEntry

from voicebot.calling_rules import zone
from voicebot.calls import CallResult, DialogSession, DialRequest
from voicebot.clock import Clock
from voicebot.personas import Persona, persona_name

SPEECH_CHARS_PER_SECOND = 14
_NO_RNG = random.Random(0)  # placeholder between calls; each call gets its own
RING_MS = {"no_answer": 30_000, "busy": 2_000, "voicemail": 25_000, "wrong_number": 3_000, "failed": 1_000}


class SimulatedTelephony:
    """`persona_of(entry)` overrides the seeded choice (tests pick personas by hand).

    `personas` keeps each debtor's persona across attempts, so a test can read what it meant.
    """

    def __init__(self, clock: Clock, seed: int = 7,
                 persona_of: Callable[[CallListEntry], str] | None = None, yield_every: int = 50) -> None:
        self.clock, self.seed = clock, seed
        self.persona_of = persona_of or (lambda entry: persona_name(entry, seed))
        self.personas: dict[int, Persona] = {}
        self._calls = 0
        self._yield_every = yield_every

    def persona(self, entry: CallListEntry) -> Persona:
        found = self.personas.get(entry.customer_id)
        if found is None:
            found = self.personas[entry.customer_id] = Persona(self.persona_of(entry), entry, _NO_RNG)
        return found

    async def call(self, request: DialRequest, session: DialogSession) -> CallResult:
        self._calls += 1
        if self._calls % self._yield_every == 0:
            await asyncio.sleep(0)  # let the runner's other tasks breathe under load
        started = self.clock.now()
        persona = self.persona(request.entry)
        # a generator per call, not per debtor: thousands of Mersenne states would be most of the memory
        persona.rng = random.Random(f"{self.seed}:{request.entry.customer_id}:{request.attempt_no}")
        try:
            return await self._call(persona, request, session, started)
        finally:
            persona.rng = _NO_RNG

    async def _call(self, persona: Persona, request: DialRequest, session: DialogSession,
                    started: datetime) -> CallResult:
        result = persona.dial(request.attempt_no)
        if result != "answered":
            return CallResult(result, started, RING_MS.get(result, 1_000))
        today = started.astimezone(zone(request.entry.time_zone)).date()
        turn = session.start()
        spoken = len(turn.speech)
        state = getattr(session, "state", "")
        while not turn.end:
            answer = persona.answer(state, turn, today)
            spoken += len(answer.text or answer.digits or "") + 20
            turn = session.hear(answer)
            state = getattr(session, "state", "")
            spoken += len(turn.speech)
        return CallResult("answered", started, 4_000 + spoken * 1000 // SPEECH_CHARS_PER_SECOND, session.outcome)

    def meant(self, customer_id: int) -> date | None:
        persona = self.personas.get(customer_id)
        return persona.meant if persona else None
