"""Which of Polish, German and English a short answer is in.

Debtors' answers are short ("Tak, w piątek", "Ja, am Freitag"), so a statistical detector
trained on long texts guesses poorly; function words, letters only one language uses and a
few typical endings decide instead.  Ties go to the caller's default.
"""

from __future__ import annotations

import re

from .text import fold

LANGUAGES = ("pl", "de", "en")

_FUNCTION_WORDS: dict[str, str] = {
    "pl": """nie się jest że na za z ze od po jak mam mój moja moje mnie mi pan pani pana panią
        jaki jaka jakie numer konta halo tu tutaj
        tak już czy ale co jestem będę będzie zapłacę zapłacić zapłaciłem zapłaciłam płacę dni
        dzień tydzień tygodnia jutro dziś dzisiaj proszę przez oraz tylko jeszcze ten ta
        tym tego który która dlaczego ile kiedy gdzie może można muszę chcę chciałbym
        chciałabym wiem dług faktura fakturę faktury kwota kwotę złotych zł raty ratach
        przelew konsultant dzwonić zadzwonić proszę miesiąca końca piątek poniedziałek
        wtorek środę czwartek sobotę niedzielę teraz potem dobrze wszystko bo a w we to rozumiem
        mieszka ktoś nikt nikogo inny inna żaden żadnego nic""",
    "de": """ich die der das und nicht ist zu bis am im werde wird zahlen zahle bezahlen bezahlt
        bitte sie mich mir ein eine einen einer haben habe hat schon noch wir es den dem des
        mein meine rechnung tage tagen woche wochen morgen heute kann können möchte würde
        aber ja nein nicht kein keine warum wie viel wann überweisen überwiesen betrag euro
        raten zahlung erfolgt brauche nächste nächsten freitag montag dienstag mittwoch
        donnerstag samstag sonntag monats ende anfang mit für auf von vom zum zur gerade
        später rufen ruf an falsch falsche nummer verwählt herr frau vielleicht weiß keine ahnung mal sehen
        guten tag hallo wer da gut verstehe schon kommt drauf
        hier wohnt wohne lebt jemand niemand anders anderes nichts auch doch sehr dass oder sind
        bei nach gar jetzt dann wenn weil sich uns ihr ihre ihnen mehr geld warten kurz augenblick""",
    "en": """the will pay paid and it is my you me not by on of this that a an i'll i'm i've
        i'd we'll can can't won't don't didn't please have has already call back week weeks
        days tomorrow today next end month invoice amount how much why what which when
        need settle payment made want would like to be your with for from at until friday
        monday tuesday wednesday thursday saturday sunday later number wrong person speak
        someone installments half rest yes no sorry busy right now money owe maybe idea hello
        who think know
        here there he she they does doesn't isn't wasn't live lives anymore anyone nobody bill charge""",
}
_SCORES: dict[str, dict[str, float]] = {
    lang: {fold(word): 1.0 for word in words.split()} for lang, words in _FUNCTION_WORDS.items()
}
_LETTERS = {"pl": re.compile(r"[ąćęłńóśźż]"), "de": re.compile(r"[äöüß]")}
_ENDINGS = {
    "pl": re.compile(r"(?:ę|ą|ć|ść|ych|ego|emu|owie|cie|szy|rz|cz|sz|ów)\b"),
    "de": re.compile(r"(?:ung|keit|lich|ich|sch|chen|tz|en)\b"),
    "en": re.compile(r"(?:ing|'ll|'s|'m|'ve|'d|n't|ly|th)\b"),
}
_WORD = re.compile(r"[\w']+")


def language_scores(text: str) -> dict[str, float]:
    """Evidence for each language: function words, letters and endings."""
    lowered = text.lower()
    words = [fold(w) for w in _WORD.findall(lowered)]
    scores = {lang: 0.0 for lang in LANGUAGES}
    for lang in LANGUAGES:
        table = _SCORES[lang]
        scores[lang] += sum(table.get(word, 0.0) for word in words)
        scores[lang] += 0.5 * len(_ENDINGS[lang].findall(lowered))
    for lang, letters in _LETTERS.items():
        scores[lang] += 2.0 * len(letters.findall(lowered))
    return scores


def detect_language(text: str, default: str = "en") -> str:
    """The most likely of pl/de/en for a debtor's answer; `default` when nothing tells."""
    scores = language_scores(text)
    best = max(LANGUAGES, key=lambda lang: (scores[lang], lang == default))
    return best if scores[best] > 0 else default
