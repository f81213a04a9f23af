"""Numbers, amounts, dates and digit strings as words, so espeak-ng (which reads "13.05" or "1 234,56"
badly, and not at all in the debtor's grammar) says them the way people do.

num2words gives the cardinals and ordinals; the grammar around them (Polish plural forms and
genitive ordinals, German accusative ordinals, the currency names) is here because num2words has it
only for some currency/language pairs and phrases amounts with commas that espeak pauses on.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import get_day_names, get_month_names
from num2words import num2words

LANGUAGES = ("pl", "de", "en")

# Currency unit names: (major, minor). Polish: (one, few, many) forms and the major unit's gender
# ("n" for the indeclinable neuter "euro": "jedno euro"); German and English: (singular, plural).
_PL_UNITS: dict[str, tuple[tuple[str, str, str], tuple[str, str, str], str]] = {
    "PLN": (("złoty", "złote", "złotych"), ("grosz", "grosze", "groszy"), "m"),
    "EUR": (("euro", "euro", "euro"), ("cent", "centy", "centów"), "n"),
    "USD": (("dolar", "dolary", "dolarów"), ("cent", "centy", "centów"), "m"),
    "GBP": (("funt", "funty", "funtów"), ("pens", "pensy", "pensów"), "m"),
    "CHF": (("frank", "franki", "franków"), ("centym", "centymy", "centymów"), "m"),
}
_DE_UNITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "PLN": (("Zloty", "Zloty"), ("Groschen", "Groschen")),
    "EUR": (("Euro", "Euro"), ("Cent", "Cent")),
    "USD": (("Dollar", "Dollar"), ("Cent", "Cent")),
    "GBP": (("Pfund", "Pfund"), ("Penny", "Pence")),
    "CHF": (("Franken", "Franken"), ("Rappen", "Rappen")),
}
_EN_UNITS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "PLN": (("zloty", "zlotys"), ("grosz", "groszy")),
    "EUR": (("euro", "euros"), ("cent", "cents")),
    "USD": (("dollar", "dollars"), ("cent", "cents")),
    "GBP": (("pound", "pounds"), ("penny", "pence")),
    "CHF": (("Swiss franc", "Swiss francs"), ("centime", "centimes")),
}
CURRENCIES = tuple(_PL_UNITS)

_MINUS = {"pl": "minus", "de": "minus", "en": "minus"}
_AND = {"pl": "", "de": "und", "en": "and"}

# "on Monday": Polish puts the weekday in the accusative after "w"/"we".
_PL_ON_WEEKDAY = ("w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę", "w niedzielę")

_DIGITS = {
    "pl": ("zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"),
    "de": ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}
_SYMBOLS = {
    "pl": {"/": "łamane przez", "+": "plus", "#": "krzyżyk", "*": "gwiazdka"},
    "de": {"/": "Schrägstrich", "+": "plus", "#": "Raute", "*": "Stern"},
    "en": {"/": "slash", "+": "plus", "#": "hash", "*": "star"},
}
_GROUP_BREAK = " -._,;:()\t"  # separators that only group characters: spoken as a short pause


def _check_lang(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")


def number_words(n: int, lang: str) -> str:
    """A cardinal number; English without the commas and "and" that make espeak pause mid-number."""
    _check_lang(lang)
    if n < 0:
        return f"{_MINUS[lang]} {number_words(-n, lang)}"
    words = num2words(n, lang=lang)
    if lang == "en":
        words = words.replace(",", "").replace(" and ", " ")
    return words


def _pl_form(n: int) -> int:
    """Index of the Polish plural form: 0 for one, 1 for 2-4 (not 12-14), 2 otherwise ("pięć złotych")."""
    if n == 1:
        return 0
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return 1
    return 2


def _counted(n: int, units: tuple[str, ...], lang: str, neuter: bool = False) -> str:
    """A number followed by its noun in the right form: "dwa złote", "ein Euro", "one cent"."""
    if lang == "pl":
        words = ("jedno" if neuter else "jeden") if n == 1 else number_words(n, lang)
        return f"{words} {units[_pl_form(n)]}"
    words = number_words(n, lang)
    if lang == "de" and words.endswith("eins"):
        words = words[: -len("eins")] + "ein"  # "ein Euro", "einundzwanzig" stays as is
    return f"{words} {units[0] if n == 1 else units[1]}"


def amount_words(amount: Decimal, currency: str, lang: str) -> str:
    """An amount of money as said aloud; whole amounts without "zero cents"."""
    _check_lang(lang)
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}")
    currency = currency.upper()
    if currency not in _PL_UNITS:
        raise ValueError(f"no spoken names for currency {currency!r}; known: {', '.join(CURRENCIES)}")
    cents_total = int((abs(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    major, minor = divmod(cents_total, 100)
    if lang == "pl":
        major_units, minor_units, gender = _PL_UNITS[currency]
        parts = [_counted(major, major_units, lang, neuter=gender == "n")]
    else:
        major_units, minor_units = (_DE_UNITS if lang == "de" else _EN_UNITS)[currency]
        parts = [_counted(major, major_units, lang)]
    if minor:
        if major == 0:
            parts = []
        elif _AND[lang]:
            parts.append(_AND[lang])
        parts.append(_counted(minor, minor_units, lang))
    words = " ".join(parts)
    return f"{_MINUS[lang]} {words}" if amount < 0 and cents_total else words


def _pl_genitive(ordinal: str) -> str:
    """Masculine nominative ordinal to genitive, word by word: "dwudziesty pierwszy" -> "dwudziestego pierwszego"."""
    out = []
    for word in ordinal.split():
        if word.endswith("i"):
            out.append(word + "ego")  # trzeci -> trzeciego, drugi -> drugiego
        elif word.endswith("y"):
            out.append(word[:-1] + "ego")  # trzynasty -> trzynastego
        else:
            out.append(word)  # the cardinal part of a year: "dwa tysiące"
    return " ".join(out)


def date_words(d: date, lang: str, weekday: bool = True, year: bool = False) -> str:
    """A date as people say it: pl "trzynastego maja, w poniedziałek", de "Montag, den dreizehnten Mai",
    en "Monday the thirteenth of May"; without the weekday "trzynastego maja" / "dreizehnten Mai" /
    "the thirteenth of May". Polish puts the weekday last, so a preposition before the date takes the
    genitive it needs: "do {{ date }}" -> "do trzynastego maja, w poniedziałek" (never "do w poniedziałek")."""
    _check_lang(lang)
    month = get_month_names("wide", "format", lang)[d.month]  # Polish "format" months are genitive: "maja"
    if lang == "pl":
        text = f"{_pl_genitive(num2words(d.day, lang='pl', to='ordinal'))} {month}"
        if year:
            text += f" {_pl_genitive(num2words(d.year, lang='pl', to='ordinal'))} roku"
        return f"{text}, {_PL_ON_WEEKDAY[d.weekday()]}" if weekday else text
    if lang == "de":
        text = f"{num2words(d.day, lang='de', to='ordinal')}n {month}"
        if year:
            text += f" {num2words(d.year, lang='de', to='year')}"
        day_name = get_day_names("wide", "format", "de")[d.weekday()]
        return f"{day_name}, den {text}" if weekday else text
    text = f"the {num2words(d.day, lang='en', to='ordinal')} of {month}"
    if year:
        text += f" {num2words(d.year, lang='en', to='year')}"
    day_name = get_day_names("wide", "format", "en")[d.weekday()]
    return f"{day_name} {text}" if weekday else text


def digits_words(s: str, lang: str) -> str:
    """An invoice number or phone number read character by character: digits as words, letters as letters,
    "/" and "+" named, other separators as a pause (comma). "FV/12-3" -> "F V łamane przez jeden dwa, trzy"."""
    _check_lang(lang)
    groups: list[list[str]] = [[]]
    for ch in s.strip():
        if ch.isdigit():
            groups[-1].append(_DIGITS[lang][int(ch)])
        elif ch.isalpha():
            groups[-1].append(ch.upper())
        elif ch in _SYMBOLS[lang]:
            groups[-1].append(_SYMBOLS[lang][ch])
        elif ch in _GROUP_BREAK:
            if groups[-1]:
                groups.append([])
        else:
            raise ValueError(f"cannot read {ch!r} in {s!r} aloud")
    return ", ".join(" ".join(g) for g in groups if g)
