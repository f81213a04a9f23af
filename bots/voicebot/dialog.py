"""One conversation with one debtor: a state machine whose words come from the language's flow.

Nothing about the debt (invoice numbers, amounts, dates) is said before the debtor has confirmed
who they are, and where the call list carries the tax id's last digits, given them. Every question
also takes the keypad. The debtor's answers are read by `receivables.nlu.understand`; yes and no,
and which question the debtor asks, by the flow's word lists.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal
from typing import Any

from receivables.nlu.numbers import numbers_to_digits
from receivables.nlu.text import fold
from receivables.scoring.handover import CallListEntry

from voicebot.calling_rules import zone
from voicebot.calls import DialogOutcome, Turn, Utterance
from voicebot.flow import Flow, load_flow
from voicebot.keypad import CONSULTANT, DETAILS, NO, REPEAT, YES, keypad_date
from voicebot.past_dates import spoken_past_date
from voicebot.render import Style, styles
from voicebot.settings import VoiceConfig

CENT = Decimal("0.01")
MAX_TURNS = 40
TEXT_LIMIT = 1000


@dataclass(frozen=True)
class Creditor:
    """Who calls: named in the greeting, and where the debtor pays."""

    name: str
    phone: str
    accounts: dict[str, str]  # currency -> IBAN


def _understand() -> Callable[..., Any]:
    from receivables.nlu import understand

    return understand


class Dialog:
    """A `DialogSession`. `state` says which question is open (the simulated debtors read it)."""

    def __init__(self, entry: CallListEntry, creditor: Creditor, config: VoiceConfig,
                 now: Callable[[], datetime], flow: Flow | None = None) -> None:
        self.entry, self.creditor, self.config, self._now = entry, creditor, config, now
        self.flow = flow or load_flow(entry.language)
        self.lang = entry.language
        self.tz = zone(entry.time_zone)
        self.today = now().astimezone(self.tz).date()
        self.currency = max(entry.totals, key=lambda c: entry.totals[c]) if entry.totals else entry.invoices[0].currency
        self.owed = entry.totals.get(self.currency) or sum((i.open_amount + i.interest for i in entry.invoices
                                                            if i.currency == self.currency), Decimal("0.00"))
        self._text_style, self._speech_style = styles(self.lang)
        self._base: dict[int, dict[str, Any]] = {}
        self.state = "identity"
        self.outcome = DialogOutcome()
        self._last: tuple[str, Callable[[Style], dict[str, Any]] | None] = ("greeting", None)
        self._misses = 0
        self._tax_tries = 0
        self._refused = False
        self._pending: tuple[date, Decimal, str] | None = None
        self._plan: list[tuple[date, Decimal]] = []
        self._plan_is_ours = False
        self._understand = _understand()

    # conversation --------------------------------------------------------------------------
    def start(self) -> Turn:
        return self._ask("greeting")

    def hear(self, utterance: Utterance) -> Turn:
        text = (utterance.text or "").strip()[:TEXT_LIMIT]
        digits = "".join(c for c in (utterance.digits or "") if c in "0123456789*#")
        self.outcome.transcript.append({"at": self._stamp(), "who": "debtor", "text": text or None,
                                        "digits": digits or None, "confidence": utterance.confidence})
        if self.state == "ended":
            return self._end("no_outcome")
        if len(self.outcome.transcript) > MAX_TURNS:
            return self._end("no_outcome", note="too many turns")
        if not text and not digits:
            return self._reprompt("silence")
        if digits == CONSULTANT:
            return self._end("transfer", "transfer")
        if digits == REPEAT:
            key, extra = self._last
            return self._ask(key, extra)
        return getattr(self, f"_on_{self.state}")(text, digits)

    # states --------------------------------------------------------------------------------
    def _on_identity(self, text: str, digits: str) -> Turn:
        answer = {YES: True, NO: False}.get(digits) if digits else self.flow.yes_no(text)
        if answer is True:
            return self._identity_given()
        if text:
            heard = self._nlu(text)
            if heard.intent == "wrong_person":
                return self._end("wrong_person", "wrong_person", note=text)
            if heard.intent == "callback":
                return self._callback(heard.date, text)
            if heard.intent == "question" and answer is None:
                return self._ask("who_calls")
        if answer is False:
            return self._end("not_debtor", "no_outcome", note="not the debtor")
        return self._reprompt("not_understood")

    def _identity_given(self) -> Turn:
        if self.config.dialog.tax_id_check and self.entry.tax_id_last3:
            self.state = "tax_id"
            self._misses = 0
            return self._ask("tax_id")
        return self._disclose()

    def _on_tax_id(self, text: str, digits: str) -> Turn:
        said = digits or _spoken_digits(text, self.lang)
        expected = self.entry.tax_id_last3 or ""
        if said and said[-len(expected):] == expected and len(said) >= len(expected):
            return self._disclose()
        if not said:
            if text and self._nlu(text).intent == "wrong_person":
                return self._end("wrong_person", "wrong_person", note=text)
            return self._reprompt("not_understood")
        self._tax_tries += 1
        if self._tax_tries >= 2:
            return self._end("identity_failed", "no_outcome", note="tax id digits did not match")
        return self._ask("tax_id_again")

    def _disclose(self) -> Turn:
        self.outcome.identity_confirmed = True
        self.state = "date"
        self._misses = 0
        return self._ask("debt")

    def _on_date(self, text: str, digits: str) -> Turn:
        if digits:
            if digits == DETAILS:
                return self._ask("details")
            day = keypad_date(digits, self.today)
            if day is None:
                return self._reprompt("not_understood")
            return self._promise(day, self.owed, f"keypad {digits}")
        heard = self._nlu(text)
        intent = heard.intent
        if intent == "promise_to_pay" and heard.date:
            amount = heard.amount if heard.amount and heard.currency in (None, self.currency) else self.owed
            return self._promise(heard.date, min(_money(amount), self.owed), text)
        if intent == "installments":
            return self._instalments(heard, text)
        if intent == "already_paid":
            return self._move("paid", "paid_ask")
        if intent == "dispute":
            self.outcome.note = text
            return self._move("dispute", "dispute_ask")
        if intent == "callback":
            return self._callback(heard.date, text)
        if intent == "consultant":
            return self._end("transfer", "transfer")
        if intent == "question":
            topic = self.flow.topic(text)
            return self._ask({"amount": "answer_amount", "bank_account": "answer_bank_account",
                              "interest": "answer_interest"}.get(topic or "", "details"))
        if intent == "refuse":
            if self._refused:
                return self._end("refusal_done", "refusal", note=text)
            self._refused = True
            return self._ask("refuse_once")
        return self._reprompt("not_understood")

    def _promise(self, day: date, amount: Decimal, said: str) -> Turn:
        latest = self.today + timedelta(days=self.config.dialog.max_promise_days)
        if day > latest:
            while latest.weekday() >= 5:  # offer the last weekday: nobody pays on a Sunday
                latest -= timedelta(days=1)
            self._misses += 1
            if self._misses > self.config.dialog.max_reprompts:
                return self._end("no_outcome", "no_outcome", note=f"date too late: {day}")
            return self._ask("too_late", lambda s: {"latest": s.date(latest)})
        self._pending = (day, amount, said)
        self.state = "read_back"
        return self._ask("read_back", lambda s: {"amount": s.money(amount, self.currency), "date": s.date(day)})

    def _on_read_back(self, text: str, digits: str) -> Turn:
        answer = {YES: True, NO: False}.get(digits) if digits else self.flow.yes_no(text)
        heard = self._nlu(text) if text and answer is not True else None
        if heard and heard.date and heard.intent in ("promise_to_pay", "unknown"):
            return self._promise(heard.date, self._pending[1] if self._pending else self.owed, text)
        if answer is True and self._pending:
            day, amount, said = self._pending
            self.outcome.promise_date, self.outcome.promised_amount = day, amount
            self.outcome.note = said
            return self._end("promise_done", "promise",
                             lambda s: {"amount": s.money(amount, self.currency), "date": s.date(day)})
        if answer is False:
            self._pending = None
            return self._move("date", "ask_date")
        if heard and heard.intent == "consultant":
            return self._end("transfer", "transfer")
        return self._reprompt("not_understood")

    def _instalments(self, heard: Any, said: str) -> Turn:
        if len(self.entry.totals) > 1:
            return self._end("transfer", "transfer", note="instalments on debts in several currencies")
        parts = [(p.date, _money(p.amount) if p.amount is not None else None) for p in heard.installments]
        plan = _fill(parts, self.owed) if len(parts) >= 2 else []
        if plan and self._within_limits(plan):
            self._plan, self._plan_is_ours = plan, False
            self.outcome.note = said
            return self._move("plan", "plan_read_back", self._plan_view)
        self._plan, self._plan_is_ours = self._standard_plan(), True
        return self._move("plan", "offer_plan", self._plan_view)

    def _plan_view(self, s: Style) -> dict[str, Any]:
        return {"parts": [{"date": s.date(d), "amount": s.money(a, self.currency)} for d, a in self._plan]}

    def _within_limits(self, plan: list[tuple[date, Decimal]]) -> bool:
        limits = self.config.instalments
        first_min = (self.owed * limits.min_first_share).quantize(CENT, rounding=ROUND_DOWN)
        dates = [d for d, _ in plan]
        return (len(plan) <= limits.max_parts and dates == sorted(dates) and dates[0] >= self.today
                and dates[-1] <= self.today + timedelta(days=limits.latest_days) and plan[0][1] >= first_min
                and all(a > 0 for _, a in plan) and sum(a for _, a in plan) == self.owed)

    def _standard_plan(self) -> list[tuple[date, Decimal]]:
        """max_parts parts, the first in a week and at least the minimum share, then every spacing_days."""
        limits = self.config.instalments
        n = limits.max_parts
        last = self.today + timedelta(days=limits.latest_days)
        dates = [min(self.today + timedelta(days=7 + k * limits.spacing_days), last) for k in range(n)]
        first = max((self.owed * limits.min_first_share).quantize(CENT, rounding=ROUND_UP),
                    (self.owed / n).quantize(CENT, rounding=ROUND_UP))
        rest = self.owed - first
        each = (rest / (n - 1)).quantize(CENT, rounding=ROUND_DOWN)
        amounts = [first] + [each] * (n - 2) + [rest - each * (n - 2)]
        return list(zip(dates, amounts))

    def _on_plan(self, text: str, digits: str) -> Turn:
        answer = {YES: True, NO: False}.get(digits) if digits else self.flow.yes_no(text)
        if answer is True:
            self.outcome.instalments = list(self._plan)
            self.outcome.promise_date, self.outcome.promised_amount = self._plan[0]
            return self._end("plan_done", "instalments", self._plan_view)
        if answer is False:
            if not self._plan_is_ours:
                self._plan, self._plan_is_ours = self._standard_plan(), True
                return self._ask("offer_plan", self._plan_view)
            return self._move("date", "ask_date")
        heard = self._nlu(text)
        if heard.intent == "installments":
            return self._instalments(heard, text)
        if heard.intent == "promise_to_pay" and heard.date:
            self.state = "date"
            return self._promise(heard.date, self.owed, text)
        return self._reprompt("not_understood")

    def _callback(self, day: date | None, said: str) -> Turn:
        if day is None:
            return self._move("callback", "callback_ask")
        now = self._now()
        if day <= self.today:
            at = now + timedelta(hours=2)
        else:
            at = datetime.combine(day, time(self.config.schedule.hours[0] + 1), self.tz).astimezone(now.tzinfo)
        self.outcome.callback_at, self.outcome.note = at, said
        return self._end("callback_done", "callback", lambda s: {"date": s.date(at.astimezone(self.tz).date())})

    def _on_callback(self, text: str, digits: str) -> Turn:
        if digits:
            day = keypad_date(digits, self.today)
            return self._callback(day, f"keypad {digits}") if day else self._reprompt("not_understood")
        heard = self._nlu(text)
        if heard.date:
            return self._callback(heard.date, text)
        return self._reprompt("not_understood")

    def _on_paid(self, text: str, digits: str) -> Turn:
        paid_on = keypad_date(digits, self.today, past=True) if digits else None
        if paid_on is None and text:
            paid_on = spoken_past_date(text, self.today, self.lang)
        heard = self._nlu(text) if text else None
        self.outcome.note = text or (f"keypad {digits}" if digits else None)
        if heard and heard.amount is not None:
            self.outcome.promised_amount = _money(heard.amount)
        self.outcome.promise_date = None
        if paid_on:
            self.outcome.details["paid_on"] = paid_on.isoformat()
        return self._end("paid_done", "already_paid")

    def _on_dispute(self, text: str, digits: str) -> Turn:
        self.outcome.note = text or self.outcome.note
        return self._end("dispute_done", "dispute")

    # turns ---------------------------------------------------------------------------------
    def _move(self, state: str, key: str, extra: Callable[[Style], dict[str, Any]] | None = None) -> Turn:
        self.state = state
        self._misses = 0
        return self._ask(key, extra)

    def _reprompt(self, why: str) -> Turn:
        self._misses += 1
        if self._misses > self.config.dialog.max_reprompts:
            if self.state == "paid":
                return self._end("paid_done", "already_paid")
            if self.state == "dispute":
                return self._end("dispute_done", "dispute")
            return self._end("no_outcome", "no_outcome", note=f"{why} {self._misses} times")
        key, extra = self._last
        if key in ("greeting", "debt"):  # said once; a reprompt asks the question only
            key, extra = ("identity_again" if key == "greeting" else "ask_date"), None
        text, speech = self._render(why)
        return self._turn((text + " ", speech + " "), key, extra)

    def _ask(self, key: str, extra: Callable[[Style], dict[str, Any]] | None = None) -> Turn:
        self._last = (key, extra)
        return self._turn(("", ""), key, extra)

    def _end(self, key: str, kind: str, extra: Callable[[Style], dict[str, Any]] | None = None,
             note: str | None = None) -> Turn:
        self.outcome.kind = kind
        if note is not None:
            self.outcome.note = note
        self.state = "ended"
        return self._turn(("", ""), key, extra, end=True)

    def _turn(self, prefix: tuple[str, str], key: str, extra: Callable[[Style], dict[str, Any]] | None,
              end: bool = False) -> Turn:
        text, speech = self._render(key, extra)
        turn = Turn(text=prefix[0] + text, speech=prefix[1] + speech, language=self.lang, end=end)
        self.outcome.transcript.append({"at": self._stamp(), "who": "bot", "text": turn.text, "state": self.state,
                                        "prompt": key})
        return turn

    def _render(self, key: str, extra: Callable[[Style], dict[str, Any]] | None = None) -> tuple[str, str]:
        template = self.flow.prompts[key]
        text = template.render(**self._context(self._text_style), **(extra(self._text_style) if extra else {}))
        text = text.strip().replace("..", ".")
        if self._speech_style is None:
            return text, text
        speech = template.render(**self._context(self._speech_style),
                                 **(extra(self._speech_style) if extra else {}))
        return text, speech.strip().replace("..", ".")

    def _context(self, style: Style) -> dict[str, Any]:
        """What the prompts may use; the debt's details only once the identity is confirmed."""
        key = id(style) * 2 + self.outcome.identity_confirmed
        if key in self._base:
            return self._base[key]
        e = self.entry
        base: dict[str, Any] = {"company": self.creditor.name, "name": e.name, "phone": style.digits(self.creditor.phone),
                                "digits": style.digits(str(len(e.tax_id_last3 or "123")))}
        if self.outcome.identity_confirmed:
            account = self.creditor.accounts.get(self.currency, "")
            base.update({
                "invoices": [{"number": style.code(i.number), "description": i.description,
                              "amount": style.money(i.open_amount, i.currency),
                              "interest": style.money(i.interest, i.currency), "has_interest": i.interest > 0,
                              "due": style.date(i.due_date)} for i in e.invoices],
                "count": len(e.invoices),
                "total": ", ".join(style.money(v, c) for c, v in e.totals.items()),
                "has_interest": any(i.interest > 0 for i in e.invoices),
                "account": style.digits(account),
            })
        self._base[key] = base
        return base

    def _nlu(self, text: str) -> Any:
        return self._understand(text, self.today, self.lang, owed=self.owed, owed_currency=self.currency)

    def _stamp(self) -> str:
        return self._now().isoformat()


def _spoken_digits(text: str, lang: str) -> str:
    """"siedem zero osiem" -> "708"; the English "oh" and "nought" read out in digit strings count as zero."""
    return "".join(c for c in numbers_to_digits(_ZERO.sub("0", fold(text)), lang) if c.isdigit())


_ZERO = re.compile(r"\b(?:nought|oh)\b")


def _money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT)


def _fill(parts: list[tuple[date, Decimal | None]], owed: Decimal) -> list[tuple[date, Decimal]]:
    """Parts the debtor named without amounts share what is left equally (the last takes the cents)."""
    known = sum((a for _, a in parts if a is not None), Decimal("0.00"))
    blank = [i for i, (_, a) in enumerate(parts) if a is None]
    if not blank:
        return [(d, a) for d, a in parts]  # type: ignore[misc]
    rest = owed - known
    if rest <= 0:
        return []
    each = (rest / len(blank)).quantize(CENT, rounding=ROUND_DOWN)
    out = [(d, a) for d, a in parts]
    for n, i in enumerate(blank):
        out[i] = (parts[i][0], each if n < len(blank) - 1 else rest - each * (len(blank) - 1))
    return out  # type: ignore[return-value]
