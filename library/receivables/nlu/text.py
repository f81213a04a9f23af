"""Text normalisation shared by every rule module.

Debtors write with and without Polish and German diacritics ("zapłacę" / "zaplace",
"Gebühr" / "Gebuhr"), so every rule matches a *folded* text: lower case, diacritics
stripped, typographic quotes and dashes made plain, whitespace collapsed.  Phrase lists
are written readably with diacritics and folded with the same function when compiled.
"""

from __future__ import annotations

import re

_FOLD = str.maketrans(
    {
        "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
        "ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "à": "a",
        "’": "'", "‘": "'", "´": "'", "`": "'", "“": '"', "”": '"', "„": '"',
        "–": "-", "—": "-", "\u00a0": " ", "\u202f": " ",
    }
)


def fold(text: str) -> str:
    """Lower-case, strip diacritics and collapse whitespace, so rules see one spelling."""
    return " ".join(text.lower().translate(_FOLD).split())


# German typed without umlauts writes them as "ae", "oe", "ue" ("naechsten", "uebermorgen").
_UMLAUTS = str.maketrans({"ä": "(?:a|ae)", "ö": "(?:o|oe)", "ü": "(?:u|ue)"})


def compile_folded(pattern: str) -> re.Pattern[str]:
    """Compile a readable lower-case pattern (with diacritics) so it matches folded text.

    An umlaut in the pattern also matches its spelling with "e" ("nächsten" matches
    "naechsten").  The pattern is not lower-cased here: that would turn escapes like ``\\D``
    into ``\\d``.
    """
    return re.compile(pattern.translate(_UMLAUTS).translate(_FOLD))


_BARE_WORD = re.compile(r"[a-z]+")


def with_apostrophes(folded: str, words: dict[str, str]) -> str:
    """Restore apostrophes typed without them ("cant" -> "can't") so one spelling serves both."""
    return _BARE_WORD.sub(lambda m: words.get(m.group(), m.group()), folded)
