from datetime import date

import pytest

from voicebot.keypad import keypad_date


@pytest.mark.parametrize(("digits", "today", "past", "expected"), [
    ("1305", date(2026, 5, 6), False, date(2026, 5, 13)),   # ahead this year
    ("0605", date(2026, 5, 6), False, date(2026, 5, 6)),    # today counts
    ("0505", date(2026, 5, 6), False, date(2027, 5, 5)),    # passed this year -> next year
    ("1501", date(2026, 12, 20), False, date(2027, 1, 15)), # over the new year
    ("0505", date(2026, 5, 6), True, date(2026, 5, 5)),     # "when did you pay": the last such day
    ("1305", date(2026, 5, 6), True, date(2025, 5, 13)),
    ("130526", date(2026, 5, 6), False, date(2026, 5, 13)),
    ("13052026", date(2026, 5, 6), False, date(2026, 5, 13)),
    ("2902", date(2026, 5, 6), False, date(2028, 2, 29)),   # the next leap day
    ("3102", date(2026, 5, 6), False, None),
    ("1", date(2026, 5, 6), False, None),
    ("13055", date(2026, 5, 6), False, None),
])
def test_keypad_dates(digits, today, past, expected):
    assert keypad_date(digits, today, past) == expected
