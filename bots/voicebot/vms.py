"""Voice messages (VMS): one-way calls for soft collection. The debtor hears a synthesized or uploaded
message, then an optional keypad menu: 1 the invoice details, 2 a consultant, 3 confirm payment by a
date. `VmsSession` is a DialogSession, so every telephony adapter and the campaign runner play it
like a conversation; its outcome's `details` say whether the message was heard to the end and
which keys were pressed.

Texts are templates/voice/vms_<lang>.yaml, rendered for the transcript and for speech.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from receivables.config import SettingsError, load_yaml
from receivables.ledger.types import utcnow
from receivables.scoring.handover import CallListEntry
from voicebot.calls import DialogOutcome, Turn, Utterance
from voicebot.flow import FLOWS_DIR
from voicebot.render import Style, styles
from voicebot.speech.verbalize import digits_words

KEYS = ("message", "menu", "details", "consultant", "confirmed", "goodbye", "recording", "voicemail")
CHOICES = {"1": "details", "2": "consultant", "3": "confirm"}
MAX_RECORDING_BYTES = 10 * 1024 * 1024
_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)


class VmsError(ValueError):
    """A voice message that cannot be used; the message names the file and what is wrong."""


def check_recording(path: Path) -> Path:
    """An uploaded message must be a real WAV or MP3 (Twilio and the player take both); anything else
    is refused with the reason, before any call is placed."""
    path = Path(path)
    if not path.is_file():
        raise VmsError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0 or size > MAX_RECORDING_BYTES:
        raise VmsError(f"{path}: {size} bytes; a voice message must be 1 byte to {MAX_RECORDING_BYTES // 2**20} MB")
    suffix = path.suffix.lower()
    if suffix == ".wav":
        try:
            with wave.open(str(path)) as w:
                if w.getnframes() == 0:
                    raise VmsError(f"{path}: the WAV holds no audio")
                seconds = w.getnframes() / w.getframerate()
        except (wave.Error, EOFError) as exc:
            raise VmsError(f"{path}: not a readable PCM WAV file ({exc})") from None
        if seconds > 180:
            raise VmsError(f"{path}: {seconds:.0f} s long; keep a voice message under 3 minutes")
        return path
    if suffix == ".mp3":
        head = path.read_bytes()[:3]
        if head == b"ID3" or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
            return path
        raise VmsError(f"{path}: not an MP3 file (no ID3 tag or MPEG frame header at the start)")
    raise VmsError(f"{path}: unsupported type {suffix or '(none)'}; upload a .wav or .mp3 file")


@dataclass(frozen=True)
class VmsTexts:
    templates: dict[str, Template]

    def render(self, key: str, context: dict[str, Any]) -> str:
        return " ".join(self.templates[key].render(**context).split())


@lru_cache(maxsize=8)
def load_texts(language: str, folder: Path = FLOWS_DIR) -> VmsTexts:
    path = folder / f"vms_{language}.yaml"
    data = load_yaml(path)
    out = {}
    for key in KEYS:
        source = data.get(key)
        if not isinstance(source, str) or not source.strip():
            raise SettingsError(f"{path}: key {key}: missing (expected a text template)")
        try:
            out[key] = _ENV.from_string(source)
        except TemplateSyntaxError as exc:
            raise SettingsError(f"{path}: key {key}: template error on its line {exc.lineno}: {exc.message}") from None
    unknown = set(data) - set(KEYS)
    if unknown:
        raise SettingsError(f"{path}: unknown keys {sorted(unknown)}; expected {list(KEYS)}")
    return VmsTexts(out)


def _phone(phone: str, language: str, speech: bool) -> str:
    return digits_words(phone, language) if speech and phone else phone


def _context(entry: CallListEntry, company: str, phone: str, pay_by: date | None, style: Style) -> dict[str, Any]:
    totals = {c: v for c, v in sorted(entry.totals.items()) if v} or _sum_invoices(entry)
    return {
        "company": company, "phone": phone, "count": len(entry.invoices),
        "invoices": [{"number": style.code(i.number), "amount": style.money(i.open_amount + i.interest, i.currency),
                      "due": style.date(i.due_date)} for i in entry.invoices],
        "total": ", ".join(style.money(v, c) for c, v in totals.items()),
        "pay_by": style.date(pay_by) if pay_by else None,
    }


def _sum_invoices(entry: CallListEntry) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for i in entry.invoices:
        out[i.currency] = out.get(i.currency, Decimal("0.00")) + i.open_amount + i.interest
    return out


class VmsSession:
    """One voice message to one debtor. `state` names what was just played (the simulated debtors read it)."""

    def __init__(self, entry: CallListEntry, company: str, phone: str, today: date, *, menu: bool = True,
                 pay_by_days: int | None = 7, recording: Path | None = None, max_repeats: int = 2,
                 now: Callable[[], datetime] = utcnow, folder: Path = FLOWS_DIR) -> None:
        self.entry, self.lang, self.menu, self._now = entry, entry.language, menu, now
        self.recording = check_recording(recording) if recording is not None else None
        totals = _sum_invoices(entry) if not entry.totals else {c: v for c, v in entry.totals.items() if v}
        single = len(totals) == 1
        # confirming "I will pay by <date>" needs one amount in one currency
        self.pay_by = today + timedelta(days=pay_by_days) if pay_by_days and single and menu else None
        self.amount = next(iter(totals.values())) if single else None
        self.max_repeats = max_repeats
        self._texts = load_texts(self.lang, folder)
        text_style, speech_style = styles(self.lang)
        self._ctx = (_context(entry, company, phone, self.pay_by, text_style),
                     _context(entry, company, _phone(phone, self.lang, speech_style is not None), self.pay_by,
                              speech_style or text_style))
        self.state = "message"
        self._repeats = 0
        self.outcome = DialogOutcome(details={"listened_to_end": False, "keys": "", "choice": None,
                                              "recording": self.recording.name if self.recording else None})

    def _turn(self, keys: tuple[str, ...], end: bool = False, audio: Path | None = None) -> Turn:
        text = " ".join(self._texts.render(k, self._ctx[0]) for k in keys)
        speech = " ".join(self._texts.render(k, self._ctx[1]) for k in keys)
        self._log("bot", text=(self._texts.render("recording", self._ctx[0]) + " " + text).strip() if audio else text)
        return Turn(text, speech, self.lang, end=end, keypad=True, audio=audio)

    def _log(self, who: str, **values: Any) -> None:
        self.outcome.transcript.append({"at": self._now().isoformat(), "who": who, "state": self.state, **values})

    def start(self) -> Turn:
        menu = ("menu",) if self.menu else ()
        if self.recording is not None:
            return self._turn(menu, audio=self.recording)
        return self._turn(("message", *menu))

    def hear(self, utterance: Utterance) -> Turn:
        """Any answer after the message (a key, words, or the silence after it) means it was heard to the end."""
        details = self.outcome.details
        details["listened_to_end"] = True
        digits = (utterance.digits or "").strip()
        self._log("debtor", text=utterance.text, digits=utterance.digits)
        if not self.menu or not digits:
            self.state = "ended"
            return self._turn(("goodbye",), end=True)
        details["keys"] += digits
        choice = CHOICES.get(digits[0])
        if choice == "confirm" and self.pay_by is None:
            choice = None
        if choice is not None:
            details["choice"] = choice
        if choice == "details":
            self.state = "details"
            return self._turn(("details", "menu"))
        if choice == "consultant":
            self.state, self.outcome.kind = "ended", "transfer"
            return self._turn(("consultant",), end=True)
        if choice == "confirm":
            self.state, self.outcome.kind = "ended", "promise"
            self.outcome.promise_date, self.outcome.promised_amount = self.pay_by, self.amount
            return self._turn(("confirmed",), end=True)
        self._repeats += 1
        if self._repeats > self.max_repeats:
            self.state = "ended"
            return self._turn(("goodbye",), end=True)
        self.state = "menu"
        return self._turn(("menu",))


def voicemail_turn(language: str, company: str, phone: str, folder: Path = FLOWS_DIR) -> Turn:
    """The short answering-machine message: who called and where to call back, nothing personal."""
    texts = load_texts(language, folder)
    text_style, speech_style = styles(language)
    ctx = {"company": company, "phone": phone}
    speech_ctx = {"company": company, "phone": _phone(phone, language, speech_style is not None)}
    return Turn(texts.render("voicemail", ctx), texts.render("voicemail", speech_ctx), language, end=True)
