"""The words the model sees in a message, shared by training and classifying so they never drift.

Text is folded (lower case, no diacritics), and the things that differ in every message
(invoice numbers, amounts, dates, addresses, accounts) become placeholder words, so the model
learns "an invoice number was given" rather than one number. Polish and German inflect
heavily: the first five letters of longer words stand in for a stem, and the letter
four-grams of each word let an unseen inflection share most of its features. Cue phrases
(cues.yaml) add one word per category signal found, so a phrasing the corpus never showed
still counts when the lexicon knows it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

_FOLD = str.maketrans({
    "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
    "ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a",
    "’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-",
})


def fold(text: str) -> str:
    """Lower case without diacritics and with plain punctuation; the model's own copy, so that
    changes elsewhere (receivables.nlu has the same idea) never silently change its features."""
    return " ".join(text.lower().translate(_FOLD).split())

_REPLACEMENTS = [
    (re.compile(r"https?://\S+|www\.\S+"), " zzurl "),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), " zzemail "),
    (re.compile(r"\b[a-z]{2}\d{2}(?: ?[0-9a-z]{4}){3,7}(?: ?[0-9a-z]{1,3})?\b"), " zziban "),
    (re.compile(r"\b\d{1,2}[./]\d{1,2}[./](?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b"), " zzdate "),
    (re.compile(r"\b[a-z]{0,4}[ /_-]{0,2}\d+(?:[/_-]\d+){1,4}\b"), " zzinvoice "),
    (re.compile(r"(?:€|£|\$)\s?\d[\d., ]*|\d[\d., ]*\d\s?(?:zl|pln|eur|euro|€|gbp|£)\b|\d+[.,]\d\d\b"), " zzamount "),
    (re.compile(r"\d+"), " zznum "),
]
_WORD = re.compile(r"[a-z]+")
STEM = 5
GRAM = 4
CUE_WEIGHT = 3  # a cue counts as much as three words: chosen by cross-validation on the train split
CUE_CAP = 3  # more mentions of one signal add nothing


@lru_cache(maxsize=1)
def cues() -> dict[str, list[re.Pattern[str]]]:
    raw = yaml.safe_load(resources.files(__package__).joinpath("cues.yaml").read_text(encoding="utf-8"))
    return {name: [re.compile(p.translate(_FOLD)) for p in patterns] for name, patterns in raw.items()}


def message_text(subject: str, body: str, attachment_names: list[str] | None = None) -> str:
    """The one string a message is classified on."""
    names = " ".join(attachment_names or [])
    return f"{subject}\n{body}\n{names}".strip()


def _words(text: str) -> list[str]:
    folded = fold(text)
    for pattern, placeholder in _REPLACEMENTS:
        folded = pattern.sub(placeholder, folded)
    return [w for w in _WORD.findall(folded) if len(w) > 1]


def _cues(text: str) -> list[str]:
    folded = fold(text)
    out = []
    for name, patterns in cues().items():
        found = min(CUE_CAP, sum(len(p.findall(folded)) for p in patterns))
        out += [f"cue:{name}"] * (found * CUE_WEIGHT)
    return out


def _intents(body: str) -> list[str]:
    """The evidence receivables.nlu's phrase patterns (built for debtors' answers) find in the body:
    they know the tenses and turns of phrase that tell a promise from a payment made or a plan asked
    for. Patterns only: its date parsing would cost ten times the rest of the classification."""
    from receivables.nlu.intents import evidence
    from receivables.nlu.language import detect_language
    from receivables.nlu.text import fold as nlu_fold

    return [f"nlu:{name}" for name in sorted(evidence(nlu_fold(body), detect_language(body)))
            for _ in range(CUE_WEIGHT)]


def features(text: str) -> list[str]:
    """Words, stems, word pairs and cues of `text`; the first line (the subject) also as subject words."""
    subject, _, body = text.partition("\n")
    words = _words(subject) + _words(body)
    out = [f"w:{w}" for w in words]
    out += [f"p:{w[:STEM]}" for w in words if len(w) > STEM and not w.startswith("zz")]
    out += [f"b:{a}_{b}" for a, b in zip(words, words[1:])]
    out += [f"s:{w}" for w in _words(subject)]
    for word in words:
        if not word.startswith("zz"):
            padded = f" {word} "
            out += [f"c:{padded[i : i + GRAM]}" for i in range(len(padded) - GRAM + 1)]
    return out + _cues(text) + _intents(body)
