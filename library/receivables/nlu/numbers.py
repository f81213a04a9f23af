"""Number words in Polish, German and English, in every grammatical form, turned into digits.

Dates and amounts are then matched on digits only: "siedmiu dni" -> "7 dni",
"dwudziestego piątego" -> "25.", "am Zwanzigsten" -> "am 20.", "twenty-first" -> "21.".
An ordinal becomes the number followed by a dot, the way German writes it ("am 20.").
Polish ordinals are converted in the genitive ("dwudziestego"), the form a date takes, and
for two-digit days in the locative ("po piętnastym");
"drugą połowę" (the second half) stays a word.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import fold

_PL_CARDINALS: dict[int, str] = {
    0: "zero",
    1: "jeden jedna jedno jednego jednej jednemu jednym jedną",
    2: "dwa dwie dwóch dwu dwom dwoma dwiema dwoje dwojga",
    3: "trzy trzech trzem trzema troje trojga",
    4: "cztery czterech czterem czterema czworo",
    5: "pięć pięciu pięcioma",
    6: "sześć sześciu sześcioma",
    7: "siedem siedmiu siedmioma",
    8: "osiem ośmiu ośmioma",
    9: "dziewięć dziewięciu dziewięcioma",
    10: "dziesięć dziesięciu dziesięcioma",
    11: "jedenaście jedenastu jedenastoma",
    12: "dwanaście dwunastu dwunastoma",
    13: "trzynaście trzynastu trzynastoma",
    14: "czternaście czternastu czternastoma",
    15: "piętnaście piętnastu piętnastoma",
    16: "szesnaście szesnastu szesnastoma",
    17: "siedemnaście siedemnastu siedemnastoma",
    18: "osiemnaście osiemnastu osiemnastoma",
    19: "dziewiętnaście dziewiętnastu dziewiętnastoma",
    20: "dwadzieścia dwudziestu dwudziestoma",
    30: "trzydzieści trzydziestu trzydziestoma",
    40: "czterdzieści czterdziestu czterdziestoma",
    50: "pięćdziesiąt pięćdziesięciu",
    60: "sześćdziesiąt sześćdziesięciu",
    70: "siedemdziesiąt siedemdziesięciu",
    80: "osiemdziesiąt osiemdziesięciu",
    90: "dziewięćdziesiąt dziewięćdziesięciu",
    100: "sto stu",
    200: "dwieście dwustu",
    300: "trzysta trzystu",
    400: "czterysta czterystu",
    500: "pięćset pięciuset",
    600: "sześćset sześciuset",
    700: "siedemset siedmiuset",
    800: "osiemset ośmiuset",
    900: "dziewięćset dziewięciuset",
}
_PL_MULTIPLIERS: dict[int, str] = {1000: "tysiąc tysiąca tysiące tysięcy tysiącu tysiącem"}
_PL_ORDINALS: dict[int, str] = {
    1: "pierwszego", 2: "drugiego", 3: "trzeciego", 4: "czwartego", 5: "piątego",
    6: "szóstego", 7: "siódmego", 8: "ósmego", 9: "dziewiątego", 10: "dziesiątego",
    11: "jedenastego", 12: "dwunastego", 13: "trzynastego", 14: "czternastego",
    15: "piętnastego", 16: "szesnastego", 17: "siedemnastego", 18: "osiemnastego",
    19: "dziewiętnastego", 20: "dwudziestego", 30: "trzydziestego",
}
# The locative after "po" ("po piętnastym" = after the 15th), for two-digit days only:
# "po drugim telefonie" must stay words.
_PL_ORDINALS_LOCATIVE: dict[int, str] = {
    10: "dziesiątym", 11: "jedenastym", 12: "dwunastym", 13: "trzynastym", 14: "czternastym",
    15: "piętnastym", 16: "szesnastym", 17: "siedemnastym", 18: "osiemnastym",
    19: "dziewiętnastym", 20: "dwudziestym", 30: "trzydziestym",
}

_EN_CARDINALS: dict[int, str] = {
    0: "zero", 1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven",
    8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve", 13: "thirteen",
    14: "fourteen", 15: "fifteen", 16: "sixteen", 17: "seventeen", 18: "eighteen",
    19: "nineteen", 20: "twenty", 30: "thirty", 40: "forty", 50: "fifty", 60: "sixty",
    70: "seventy", 80: "eighty", 90: "ninety",
}
_EN_MULTIPLIERS: dict[int, str] = {100: "hundred", 1000: "thousand"}
_EN_ORDINALS: dict[int, str] = {
    1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth", 7: "seventh",
    8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh", 12: "twelfth", 13: "thirteenth",
    14: "fourteenth", 15: "fifteenth", 16: "sixteenth", 17: "seventeenth",
    18: "eighteenth", 19: "nineteenth", 20: "twentieth", 30: "thirtieth",
}

# German writes numbers as one compound word ("zweihundertfünfundzwanzig"): these are its parts.
_DE_MORPHEMES: dict[str, int] = {
    "null": 0, "ein": 1, "eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "eines": 1,
    "zwei": 2, "zwo": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14,
    "fünfzehn": 15, "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "sechzig": 60, "siebzig": 70,
    "achtzig": 80, "neunzig": 90, "hundert": 100, "tausend": 1000, "und": -1,
}
_DE_IRREGULAR_ORDINALS: dict[str, int] = {"erst": 1, "dritt": 3, "siebt": 7, "acht": 8}
_DE_ORDINAL_ENDINGS = ("e", "en", "er", "es", "em")

_DIGIT_ORDINAL = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th|-?go|-?ego|-?tego|-?tym|-?ten)\b")
_WORD = re.compile(r"[^\W\d_]+")
_GAP = re.compile(r"[\s-]*")

_NUM, _MULT, _ORD = "num", "mult", "ord"


def _table(groups: dict[int, str]) -> dict[str, int]:
    return {fold(word): value for value, words in groups.items() for word in words.split()}


_TABLES: dict[str, tuple[dict[str, int], dict[str, int], dict[str, int]]] = {
    "pl": (_table(_PL_CARDINALS), _table(_PL_MULTIPLIERS), _table(_PL_ORDINALS) | _table(_PL_ORDINALS_LOCATIVE)),
    "en": (_table(_EN_CARDINALS), _table(_EN_MULTIPLIERS), _table(_EN_ORDINALS)),
}
_DE_PARTS = {fold(k): v for k, v in _DE_MORPHEMES.items()}
_DE_COMPOUND = re.compile("(?:" + "|".join(sorted(map(re.escape, _DE_PARTS), key=len, reverse=True)) + ")+")
_DE_PART = re.compile("|".join(sorted(map(re.escape, _DE_PARTS), key=len, reverse=True)))


def _german_compound(word: str) -> int | None:
    """Value of a German number written as one word, or None if the word is not a number."""
    if not _DE_COMPOUND.fullmatch(word):
        return None
    parts = [_DE_PARTS[m.group(0)] for m in _DE_PART.finditer(word)]
    if parts[0] == -1 or parts[-1] == -1:
        return None
    total = current = 0
    for value in parts:
        if value == -1:
            continue
        if value == 1000:
            total += max(current, 1) * 1000
            current = 0
        elif value == 100:
            current = max(current, 1) * 100 if current < 100 else current + 100
        else:
            current += value
    return total + current


def _german_word(word: str) -> tuple[str, int] | None:
    if word in ("hundert", "tausend"):
        return _MULT, _DE_PARTS[word]
    value = _german_compound(word)
    if value is not None:
        return _NUM, value
    for ending in _DE_ORDINAL_ENDINGS:
        if not word.endswith("t" + ending):
            continue
        stem = word[: -len(ending)]
        if stem in _DE_IRREGULAR_ORDINALS:
            return _ORD, _DE_IRREGULAR_ORDINALS[stem]
        for suffix in ("st", "t"):
            if stem.endswith(suffix):
                value = _german_compound(stem[: -len(suffix)])
                if value is not None and 1 < value <= 31 and value not in (3, 7, 8):
                    return _ORD, value
    return None


@lru_cache(maxsize=4096)
def classify_word(word: str, lang: str) -> tuple[str, int] | None:
    """(kind, value) of one folded word: a cardinal, a multiplier (hundred) or an ordinal."""
    if lang == "de":
        return _german_word(word)
    cardinals, multipliers, ordinals = _TABLES[lang]
    if word in cardinals:
        return _NUM, cardinals[word]
    if word in multipliers:
        return _MULT, multipliers[word]
    if word in ordinals:
        return _ORD, ordinals[word]
    return None


def _trailing_zeros(value: int) -> int:
    count = 0
    while value and value % 10 == 0:
        value //= 10
        count += 1
    return count


def _fits(current: int, value: int) -> bool:
    """Does `value` extend `current` ("twenty" + "five") rather than start a new number?"""
    return current == 0 or value < 10 ** _trailing_zeros(current)


def _read_number(words: list[re.Match[str]], start: int, text: str, lang: str) -> tuple[int, int, bool]:
    """Read one number starting at words[start]: (index after it, value, is_ordinal)."""
    total = current = 0
    ordinal = False
    end = start
    k = start
    while k < len(words):
        if k > start and not _GAP.fullmatch(text[words[k - 1].end() : words[k].start()]):
            break
        word = words[k].group(0)
        if lang == "en" and word == "and" and k > start and k + 1 < len(words):
            nxt = classify_word(words[k + 1].group(0), lang)
            if nxt is None or nxt[0] == _MULT or not _GAP.fullmatch(text[words[k].end() : words[k + 1].start()]):
                break
            k += 1
            continue
        kind_value = classify_word(word, lang)
        if kind_value is None:
            break
        kind, value = kind_value
        if value == 0 and kind != _MULT:  # zero stands alone: "siedem zero osiem" is 7 0 8, not 7 8
            if k == start:
                end = k + 1
            break
        if ordinal and (kind != _ORD or not _fits(current, value)):
            break
        if kind == _MULT:
            if k == start and lang == "pl":
                current = 1
            current = max(current, 1) * value
            if value == 1000:
                total += current
                current = 0
        elif not _fits(current, value):
            break
        else:
            current += value
            ordinal = kind == _ORD
        k += 1
        end = k
    return end, total + current, ordinal


def numbers_to_digits(text: str, lang: str) -> str:
    """Rewrite number words of `lang` in folded `text` as digits, ordinals as "N."."""
    text = _DIGIT_ORDINAL.sub(r"\1.", text)
    words = list(_WORD.finditer(text))
    pieces: list[str] = []
    last = 0
    i = 0
    while i < len(words):
        end, value, ordinal = _read_number(words, i, text, lang)
        if end == i:
            i += 1
            continue
        pieces.append(text[last : words[i].start()])
        pieces.append(f"{value}." if ordinal else str(value))
        last = words[end - 1].end()
        i = end
    pieces.append(text[last:])
    return "".join(pieces)
