"""The conversation, scripted: what the bot says and what it settles, in all three languages."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from voicebot.calls import Utterance
from voicebot.dialog import Creditor, Dialog
from voicebot.sample import sample_entry
from voicebot.settings import VoiceConfig

TODAY = date(2026, 5, 6)  # a Wednesday
NOW = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
CREDITOR = Creditor("Nordwind", "+48 22 100 20 30", {"PLN": "PL94105014451000009071219812",
                                                    "EUR": "PL27114020040000300201355387"})
SECRET = re.compile(r"\d+[.,]\d\d|FV/|0042|0107")  # amounts and invoice numbers of the sample debtor


def talk(lang: str, *answers: str, config: VoiceConfig | None = None, entry=None) -> Dialog:
    """Answers: '#123' is keypad, '' silence, anything else speech. Returns the dialog when it ends."""
    d = Dialog(entry or sample_entry(lang, TODAY), CREDITOR, config or VoiceConfig(), lambda: NOW)
    turn = d.start()
    for a in answers:
        assert not turn.end, f"the call ended before {a!r}: {d.outcome.transcript}"
        turn = d.hear(Utterance(digits=a[1:]) if a.startswith("#") else Utterance(text=a or None))
    assert turn.end, d.outcome.transcript[-1]
    return d


def bot_lines(d: Dialog) -> list[dict]:
    return [t for t in d.outcome.transcript if t["who"] == "bot"]


@pytest.mark.parametrize(("lang", "answers", "meant"), [
    ("pl", ["Tak, słucham", "dwa jeden osiem", "Zapłacę w piątek", "Tak"], date(2026, 5, 8)),
    ("de", ["Ja, am Apparat", "#218", "Ich überweise am 20. Mai", "Ja, richtig"], date(2026, 5, 20)),
    ("en", ["Yes, speaking", "two one eight", "I'll pay by the 15th of May", "yes"], date(2026, 5, 15)),
    ("pl", ["#1", "#218", "#1305", "#1"], date(2026, 5, 13)),  # keypad only: 1305 = 13 May
])
def test_promise_with_read_back(lang, answers, meant):
    d = talk(lang, *answers)
    o = d.outcome
    assert o.kind == "promise" and o.identity_confirmed
    assert o.promise_date == meant
    assert o.promised_amount == Decimal("2094.36")  # 1200.00 + 34.56 + 850.00 + 9.80
    read_back = [t["text"] for t in bot_lines(d) if t["prompt"] == "read_back"]
    assert read_back and str(meant.day) in read_back[0]


def test_read_back_text_is_what_a_person_reads():
    d = talk("pl", "Tak", "#218", "#1305", "#1")
    read_back = next(t["text"] for t in bot_lines(d) if t["prompt"] == "read_back")
    assert read_back.startswith("Czyli 2\u00a0094,36\u00a0zł do 13 maja (środa)")


@pytest.mark.parametrize("lang", ["pl", "de", "en"])
def test_nothing_about_the_debt_before_the_identity_is_confirmed(lang):
    wrong = talk(lang, "#1", "#999", "#998")  # yes, then two wrong tax-id endings
    assert wrong.outcome.kind == "no_outcome" and not wrong.outcome.identity_confirmed
    assert all(not SECRET.search(t["text"]) for t in bot_lines(wrong)), bot_lines(wrong)
    good = talk(lang, "#1", "#218", "#0")
    lines = bot_lines(good)
    disclosed = next(i for i, t in enumerate(lines) if SECRET.search(t["text"]))
    assert lines[disclosed]["prompt"] == "debt"
    assert all(t["state"] in ("identity", "tax_id") for t in lines[:disclosed])


def test_wrong_person_and_not_the_debtor_close_without_details():
    d = talk("pl", "Pomyłka, nie znam takiej firmy")
    assert d.outcome.kind == "wrong_person"
    d = talk("en", "No")
    assert d.outcome.kind == "no_outcome" and d.outcome.note == "not the debtor"
    for t in bot_lines(d):
        assert not SECRET.search(t["text"])


def test_keypad_zero_transfers_at_any_step_and_nine_repeats():
    assert talk("de", "#0").outcome.kind == "transfer"
    d = talk("en", "#1", "#218", "#9", "#0")
    prompts = [t["prompt"] for t in bot_lines(d)]
    assert prompts[-3:-1] == ["debt", "debt"] and prompts[-1] == "transfer"
    assert talk("pl", "Tak", "#218", "Chcę rozmawiać z konsultantem").outcome.kind == "transfer"


def test_questions_get_answers_then_the_date_question_again():
    d = talk("pl", "Tak", "#218", "Na jakie konto mam zapłacić?", "Ile wynosi kwota?", "#1", "#0")
    prompts = [t["prompt"] for t in bot_lines(d)]
    assert prompts[3:6] == ["answer_bank_account", "answer_amount", "details"]
    account = next(t["text"] for t in bot_lines(d) if t["prompt"] == "answer_bank_account")
    assert "PL94 1050 1445 1000 0090 7121 9812" in account  # the PLN account, grouped


def test_instalments_offer_keeps_the_limits():
    config = VoiceConfig()
    d = talk("de", "Ja", "#218", "Kann ich in Raten zahlen?", "Ja")
    o = d.outcome
    assert o.kind == "instalments" and len(o.instalments) == config.instalments.max_parts
    owed = Decimal("2094.36")
    assert sum(a for _, a in o.instalments) == owed
    assert o.instalments[0][1] >= owed * config.instalments.min_first_share  # at least 30% first
    assert o.instalments[-1][0] <= TODAY + timedelta(days=config.instalments.latest_days)
    assert [d_ for d_, _ in o.instalments] == sorted(d_ for d_, _ in o.instalments)
    assert o.promise_date == o.instalments[0][0]


def test_a_plan_outside_the_limits_gets_the_standard_offer():
    # half now and the rest in three months: the last part is after the 60-day limit
    d = talk("en", "yes", "#218", "I can pay half now and the rest on the 20th of July", "no", "#0")
    prompts = [t["prompt"] for t in bot_lines(d)]
    assert "offer_plan" in prompts and "plan_read_back" not in prompts
    # a plan within the limits is read back as said: half today, the rest on 20 May
    d = talk("en", "yes", "#218", "I can pay half now and the rest on the 20th of May", "yes")
    assert d.outcome.kind == "instalments"
    assert d.outcome.instalments == [(TODAY, Decimal("1047.18")), (date(2026, 5, 20), Decimal("1047.18"))]


def test_dispute_already_paid_callback_refusal():
    d = talk("pl", "Tak", "#218", "Nie zgadzam się z tą fakturą", "Towar był uszkodzony")
    assert d.outcome.kind == "dispute" and d.outcome.note == "Towar był uszkodzony"
    d = talk("en", "yes", "#218", "I already paid that last week", "#0405")
    assert d.outcome.kind == "already_paid" and d.outcome.details["paid_on"] == "2026-05-04"
    d = talk("de", "Ja", "#218", "Rufen Sie mich bitte morgen an")
    assert d.outcome.kind == "callback" and d.outcome.callback_at.date() == date(2026, 5, 7)
    d = talk("pl", "Tak", "#218", "Nie zapłacę", "Nie zapłacę")
    assert d.outcome.kind == "refusal"
    assert [t["prompt"] for t in bot_lines(d)][-2:] == ["refuse_once", "refusal_done"]


@pytest.mark.parametrize(("lang", "answers", "paid_on"), [
    ("pl", ["Tak", "#218", "Już zapłaciłem", "Przelew poszedł wczoraj"], date(2026, 5, 5)),
    ("de", ["Ja", "#218", "Das habe ich schon bezahlt", "Ich habe am 30. April überwiesen"], date(2026, 4, 30)),
    ("en", ["yes", "#218", "We already paid that", "we paid it last Friday"], date(2026, 5, 1)),
])
def test_already_paid_takes_a_spoken_date_in_the_past(lang, answers, paid_on):
    # TODAY is Wednesday 6 May 2026: yesterday = 5 May, last Friday = 1 May
    d = talk(lang, *answers)
    assert d.outcome.kind == "already_paid" and d.outcome.details["paid_on"] == paid_on.isoformat()


def test_silence_and_nonsense_get_a_limited_number_of_reprompts():
    d = talk("pl", "", "blablabla", "")  # max_reprompts = 2: the third miss closes
    assert d.outcome.kind == "no_outcome"
    assert bot_lines(d)[1]["text"].startswith("Przepraszam, nic nie słyszę.")
    assert bot_lines(d)[-1]["prompt"] == "no_outcome"


def test_a_date_too_far_ahead_is_refused_with_the_latest_date():
    d = talk("en", "yes", "#218", "#1508", "#2005", "#1")  # 15 August is over 30 days ahead
    prompts = [t["prompt"] for t in bot_lines(d)]
    assert "too_late" in prompts and d.outcome.promise_date == date(2026, 5, 20)


def test_the_latest_date_offered_is_a_weekday():
    config = VoiceConfig.model_validate({"dialog": {"max_promise_days": 32}})  # 6 May + 32 = Sunday 7 June
    d = talk("en", "yes", "#218", "#1508", "#0506", "#1", config=config)
    too_late = next(t["text"] for t in bot_lines(d) if t["prompt"] == "too_late")
    assert "Friday 5 June" in too_late and d.outcome.promise_date == date(2026, 6, 5)


def test_without_tax_id_digits_the_name_confirmation_is_enough():
    entry = sample_entry("pl", TODAY).model_copy(update={"tax_id_last3": None})
    d = talk("pl", "Tak", "#0", entry=entry)
    assert [t["prompt"] for t in bot_lines(d)][1] == "debt"


def test_transcript_has_timestamps_and_both_sides():
    d = talk("pl", "Tak", "#218", "#1305", "#1")
    assert {t["who"] for t in d.outcome.transcript} == {"bot", "debtor"}
    assert all(datetime.fromisoformat(t["at"]) == NOW for t in d.outcome.transcript)


def test_speech_says_amounts_and_dates_in_words():
    from voicebot.render import verbalizer

    if verbalizer() is None:
        pytest.skip("voicebot.speech.verbalize is not installed: speech is the text")
    d = Dialog(sample_entry("pl", TODAY), CREDITOR, VoiceConfig(), lambda: NOW)
    d.start()
    d.hear(Utterance(digits="1"))
    d.hear(Utterance(digits="218"))
    turn = d.hear(Utterance(digits="1305"))
    assert "2\u00a0094,36" in turn.text and "13 maja" in turn.text
    assert not re.search(r"\d", turn.speech.replace("– 1", "").replace("– 2", "")), turn.speech
    assert "dwa tysiące dziewięćdziesiąt cztery" in turn.speech and "trzynastego maja" in turn.speech
