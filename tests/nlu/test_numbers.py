"""Number words in every grammatical form become digits; ordinals become "N."."""

from __future__ import annotations

import pytest

from receivables.nlu.numbers import numbers_to_digits
from receivables.nlu.text import fold


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("pl", "siedem dni", "7 dni"),
        ("pl", "siedmiu dni", "7 dni"),
        ("pl", "w ciągu dwóch tygodni", "w ciagu 2 tygodni"),
        ("pl", "dwa tygodnie", "2 tygodnie"),
        ("pl", "dwie raty", "2 raty"),
        ("pl", "pięciu dni roboczych", "5 dni roboczych"),
        ("pl", "do dwudziestego", "do 20."),
        ("pl", "dwudziestego piątego maja", "25. maja"),
        ("pl", "trzydziestego pierwszego", "31."),
        ("pl", "dwa tysiące pięćset złotych", "2500 zlotych"),
        ("pl", "tysiąc złotych", "1000 zlotych"),
        ("pl", "pięćset zł", "500 zl"),
        ("pl", "drugą połowę", "druga polowe"),
        ("pl", "do 20-go", "do 20."),
        ("de", "sieben Tage", "7 tage"),
        ("de", "in einer Woche", "in 1 woche"),
        ("de", "vierzehn Tagen", "14 tagen"),
        ("de", "am Zwanzigsten", "am 20."),
        ("de", "am ersten, dritten, siebten, achten", "am 1., 3., 7., 8."),
        ("de", "einundzwanzigsten", "21."),
        ("de", "zweihundertfünfundzwanzig Euro", "225 euro"),
        ("de", "zweitausendfünfhundert", "2500"),
        ("de", "Achtung", "achtung"),
        ("en", "seven more days", "7 more days"),
        ("en", "two hundred and fifty euros", "250 euros"),
        ("en", "on the twenty-first", "on the 21."),
        ("en", "the 20th, 1st, 2nd, 3rd", "the 20., 1., 2., 3."),
        ("en", "one thousand five hundred pounds", "1500 pounds"),
        ("en", "someone", "someone"),
        # digits said one by one (a tax id on the phone): a zero is a digit of its own
        ("pl", "siedem zero osiem", "7 0 8"),
        ("de", "sieben null acht", "7 0 8"),
        ("en", "zero two", "0 2"),
    ],
)
def test_numbers_to_digits(lang: str, text: str, expected: str) -> None:
    assert numbers_to_digits(fold(text), lang) == expected
