"""Simulated debtors for the demo, the tests and the load benchmark.

Each persona answers in the debtor's language with varied wording, the way such a debtor would:
cooperative, evasive, forgetful, disputing, already paid, asking for instalments, wrong number, no
answer, busy, voicemail. A cooperative persona decides on its payment day first and only then
words it, so a test can compare what the ledger recorded with what the persona meant, never with
what the NLU read.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from babel.dates import format_date

from receivables.scoring.handover import CallListEntry

from voicebot.calls import DialResult, Turn, Utterance

PERSONAS = ("cooperative", "evasive", "forgetful", "disputing", "already_paid", "instalments", "wrong_number",
            "dead_number", "no_answer", "busy", "voicemail")
WEIGHTS = (40, 8, 10, 6, 6, 6, 3, 2, 7, 6, 6)
LOCALE = {"pl": "pl_PL", "de": "de_DE", "en": "en_GB"}
DIGIT_WORDS = {"pl": "zero jeden dwa trzy cztery pięć sześć siedem osiem dziewięć".split(),
               "de": "null eins zwei drei vier fünf sechs sieben acht neun".split(),
               "en": "zero one two three four five six seven eight nine".split()}
WEEKDAYS = {"pl": ["w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek"],
            "de": ["am Montag", "am Dienstag", "am Mittwoch", "am Donnerstag", "am Freitag"],
            "en": ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday"]}

SAY: dict[str, dict[str, list[str]]] = {
    "yes": {"pl": ["Tak, słucham.", "Tak, to ja.", "Tak.", "Zgadza się.", "Tak, o co chodzi?"],
            "de": ["Ja, am Apparat.", "Ja.", "Ja, das bin ich.", "Ja, worum geht es?", "Genau."],
            "en": ["Yes, speaking.", "Yes.", "Yes, that's me.", "Yeah, what is it about?", "Correct."]},
    "promise": {"pl": ["Zapłacę {when}.", "Przeleję pieniądze {when}.", "Dobrze, zapłacę {when}.", "Ureguluję to {when}."],
                "de": ["Ich zahle {when}.", "Ich überweise {when}.", "Gut, ich zahle {when}.", "Das Geld kommt {when}."],
                "en": ["I'll pay {when}.", "I will transfer the money {when}.", "OK, I can pay {when}.", "I'll settle it {when}."]},
    "question": {"pl": ["Za co jest ta faktura?", "Ile dokładnie mam zapłacić?", "Na jakie konto mam zapłacić?"],
                 "de": ["Wofür ist die Rechnung?", "Wie viel genau muss ich zahlen?", "Auf welches Konto soll ich überweisen?"],
                 "en": ["What is the invoice for?", "How much exactly do I owe?", "Which account should I pay into?"]},
    "unsure": {"pl": ["Nie wiem, muszę sprawdzić.", "Hmm, trudno powiedzieć.", "Nie jestem pewien."],
               "de": ["Ich weiß nicht, ich muss nachsehen.", "Hm, schwer zu sagen.", "Da bin ich nicht sicher."],
               "en": ["I don't know, I need to check.", "Hmm, hard to say.", "I'm not sure."]},
    "callback": {"pl": ["Proszę zadzwonić jutro.", "Teraz nie mogę rozmawiać, proszę zadzwonić w przyszłym tygodniu."],
                 "de": ["Rufen Sie mich bitte morgen an.", "Ich kann jetzt nicht reden, rufen Sie nächste Woche an."],
                 "en": ["Please call me tomorrow.", "I can't talk now, call me back next week."]},
    "refuse": {"pl": ["Nie zapłacę.", "Nie mam zamiaru płacić."],
               "de": ["Ich zahle nicht.", "Ich werde nicht zahlen."],
               "en": ["I won't pay.", "I'm not paying this."]},
    "dispute": {"pl": ["Nie zgadzam się z tą fakturą, towar był uszkodzony.", "Reklamowaliśmy tę usługę, faktura jest błędna."],
                "de": ["Ich bin mit der Rechnung nicht einverstanden, die Ware war beschädigt.", "Wir haben die Leistung reklamiert, die Rechnung ist falsch."],
                "en": ["I dispute this invoice, the goods arrived damaged.", "We complained about that service, the invoice is wrong."]},
    "reason": {"pl": ["Towar dotarł uszkodzony, mamy zdjęcia.", "Usługa nie została wykonana w całości."],
               "de": ["Die Ware kam beschädigt an, wir haben Fotos.", "Die Leistung wurde nicht vollständig erbracht."],
               "en": ["The goods arrived damaged, we have photos.", "The service was never fully delivered."]},
    "paid": {"pl": ["Przecież zapłaciłem w zeszłym tygodniu.", "To już jest zapłacone."],
             "de": ["Ich habe das letzte Woche schon bezahlt.", "Das ist längst bezahlt."],
             "en": ["I already paid that last week.", "That has been paid already."]},
    "paid_how": {"pl": ["Przelewem, całą kwotę.", "Zapłaciłem przelewem {amount} złotych."],
                 "de": ["Per Überweisung, den ganzen Betrag.", "Ich habe {amount} Euro überwiesen."],
                 "en": ["By bank transfer, the full amount.", "I transferred {amount} pounds."]},
    "plan": {"pl": ["Czy mogę zapłacić w ratach?", "Nie dam rady od razu, może w trzech ratach?"],
             "de": ["Kann ich in Raten zahlen?", "Auf einmal schaffe ich das nicht, vielleicht in drei Raten?"],
             "en": ["Can I pay in instalments?", "I can't pay it all at once, maybe in three instalments?"]},
    "wrong": {"pl": ["Pomyłka, nie znam takiej firmy.", "To nie ten numer, nie znam tej firmy."],
              "de": ["Falsche Nummer, die Firma kenne ich nicht.", "Sie haben sich verwählt."],
              "en": ["Wrong number, I've never heard of this company.", "Sorry, wrong number."]},
    "no": {"pl": ["Nie.", "Nie, źle trafiliście."], "de": ["Nein.", "Nein, das stimmt nicht."], "en": ["No.", "No, that's not right."]},
}


def persona_name(entry: CallListEntry, seed: int) -> str:
    """Which persona a debtor plays: fixed by the seed and the customer, so reruns agree."""
    digest = hashlib.sha256(f"{seed}:{entry.customer}".encode()).digest()
    return random.Random(digest).choices(PERSONAS, WEIGHTS)[0]


@dataclass
class Persona:
    name: str
    entry: CallListEntry
    rng: random.Random
    meant: date | None = None  # the day a cooperative debtor decided to pay by
    said: list[str] = field(default_factory=list)
    _moves: int = 0

    # before the dialog -------------------------------------------------------------------
    def dial(self, attempt_no: int) -> DialResult:
        if self.name == "no_answer":
            return "no_answer"
        if self.name == "voicemail":
            return "voicemail"
        if self.name == "dead_number":
            return "wrong_number"
        if self.name == "busy" and attempt_no == 1:
            return "busy"
        return "answered"

    # in the dialog -----------------------------------------------------------------------
    def answer(self, state: str, turn: Turn, today: date) -> Utterance:
        self._moves += 1
        lang = self.entry.language
        if state == "identity":
            if self.name == "wrong_number":
                return self._say("wrong")
            if self.name == "forgetful" and self._moves == 1:
                return Utterance()  # silence first, then an answer
            return Utterance(digits="1") if self.rng.random() < 0.2 else self._say("yes")
        if state == "tax_id":
            digits = self.entry.tax_id_last3 or ""
            if self.rng.random() < 0.5:
                return Utterance(digits=digits)
            return Utterance(text=" ".join(DIGIT_WORDS[lang][int(c)] for c in digits))
        if state == "date":
            return self._on_date(today)
        if state == "read_back":
            if self.meant and _shows(turn.text, self.meant, lang):
                return self._say("yes") if self.rng.random() < 0.7 else Utterance(digits="1")
            if self.meant:  # the bot heard another day: say no and type it
                return Utterance(digits="2")
            return self._say("yes")
        if state == "plan":
            return self._say("yes")
        if state == "callback":
            return self._say("callback")
        if state == "paid":
            return self._say("paid_how", amount=int(sum(self.entry.totals.values())))
        if state == "dispute":
            return self._say("reason")
        return Utterance()

    def _on_date(self, today: date) -> Utterance:
        n = self.name
        if n == "cooperative" or (n == "forgetful" and self._moves > 3):
            if self.meant is None:
                return self._promise(today)
            return Utterance(digits=self.meant.strftime("%d%m"))  # asked again: type the day
        if n == "forgetful":
            return self._say("question")
        if n == "disputing":
            return self._say("dispute")
        if n == "already_paid":
            return self._say("paid")
        if n == "instalments":
            return self._say("plan")
        if n == "evasive":
            step = self._moves
            if step <= 3:
                return self._say("unsure" if step % 2 else "question")
            return self._say("callback" if self.rng.random() < 0.5 else "refuse")
        return self._say("unsure")

    def _promise(self, today: date) -> Utterance:
        """Pick the day first, then word it one of several ways."""
        lang = self.entry.language
        kind = self.rng.choice(["tomorrow", "weekday", "date", "date", "week", "keypad"])
        if kind == "tomorrow":
            self.meant = today + timedelta(days=1)
            when = {"pl": "jutro", "de": "morgen", "en": "tomorrow"}[lang]
        elif kind == "weekday":
            wd = self.rng.randrange(5)
            self.meant = today + timedelta(days=(wd - today.weekday() - 1) % 7 + 1)  # the next such day after today
            when = WEEKDAYS[lang][wd]
        elif kind == "week":
            self.meant = today + timedelta(days=7)
            when = {"pl": "za tydzień", "de": "in einer Woche", "en": "in a week"}[lang]
        else:
            self.meant = today + timedelta(days=self.rng.randint(2, 25))
            if kind == "keypad":
                return Utterance(digits=self.meant.strftime("%d%m"))
            pattern = {"pl": "d MMMM", "de": "d. MMMM", "en": "d MMMM"}[lang]
            when = {"pl": "do ", "de": "bis zum ", "en": "by "}[lang] + format_date(self.meant, pattern, locale=LOCALE[lang])
        return self._say("promise", when=when)

    def _say(self, what: str, **values: Any) -> Utterance:
        text = self.rng.choice(SAY[what][self.entry.language]).format(**values)
        self.said.append(text)
        return Utterance(text=text, confidence=0.9)


def _shows(text: str, day: date, lang: str) -> bool:
    """The bot's read-back names this day (as the flows write dates: day and month name)."""
    pattern = {"pl": "d MMMM", "de": "d. MMMM", "en": "d MMMM"}[lang]
    return format_date(day, pattern, locale=LOCALE[lang]) in text
