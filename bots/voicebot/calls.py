"""What the campaign runner, the dialog and the telephony adapters agree on.

A call is: the runner asks a `Telephony` adapter to dial; when someone answers, the adapter drives
a `DialogSession` (say a `Turn`, hear the answer, repeat until the turn says the call is over) and
returns a `CallResult`. The simulated adapter drives it in-process, the console adapter from the
terminal, Twilio from its webhooks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Protocol

from receivables.scoring.handover import CallListEntry

DialResult = Literal["answered", "no_answer", "busy", "voicemail", "failed", "wrong_number"]


@dataclass(frozen=True)
class Turn:
    """What the bot says next. `text` is for people (transcript, console); `speech` is verbalized for TTS."""

    text: str
    speech: str
    language: str
    end: bool = False  # say this, then hang up
    keypad: bool = True  # keypad digits are accepted as the answer
    audio: Path | None = None  # a recorded message (WAV/MP3, a VMS upload) played first; then `speech`, if any


@dataclass(frozen=True)
class Utterance:
    """One answer from the debtor: recognized speech, keypad digits, or neither (silence)."""

    text: str | None = None
    digits: str | None = None
    confidence: float | None = None


class DialogSession(Protocol):
    """One conversation; the call is over when a returned Turn has `end`."""

    def start(self) -> Turn: ...

    def hear(self, utterance: Utterance) -> Turn: ...

    @property
    def outcome(self) -> DialogOutcome: ...


@dataclass
class DialogOutcome:
    """What the conversation settled; written to the ledger by the runner."""

    kind: str = "no_outcome"  # promise | instalments | callback | transfer | dispute | already_paid | refusal | wrong_person | no_outcome
    identity_confirmed: bool = False
    promise_date: date | None = None
    promised_amount: Decimal | None = None
    instalments: list[tuple[date, Decimal]] = field(default_factory=list)
    callback_at: datetime | None = None
    note: str | None = None  # dispute reason, paid-when-and-how, refusal words
    transcript: list[dict[str, Any]] = field(default_factory=list)  # {"at": iso, "who": "bot"|"debtor", "text": ..., "digits": ...}
    details: dict[str, Any] = field(default_factory=dict)  # kind-specific facts: a voice message's listened_to_end, keys


@dataclass(frozen=True)
class DialRequest:
    entry: CallListEntry
    phone: str
    caller_id: str | None
    attempt_no: int


@dataclass(frozen=True)
class CallResult:
    result: DialResult
    started_at: datetime
    duration_ms: int
    outcome: DialogOutcome | None = None  # set when answered and the dialog ran


class Telephony(Protocol):
    async def call(self, request: DialRequest, session: DialogSession) -> CallResult: ...
