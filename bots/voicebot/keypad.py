"""Keypad answers (DTMF), as IVR users expect them: dates typed as day and month, and menu keys."""

from __future__ import annotations

from datetime import date

DETAILS, CONSULTANT, REPEAT = "1", "0", "9"
YES, NO = "1", "2"


def keypad_date(digits: str, today: date, past: bool = False) -> date | None:
    """"1305" = 13 May: the next such day on or after `today` (or the last one on or before it when
    `past`, for "when did you pay"); "130526" / "13052026" name the year. None if no such day."""
    digits = "".join(c for c in digits if c.isdigit())
    if len(digits) not in (4, 6, 8):
        return None
    day, month = int(digits[:2]), int(digits[2:4])
    if len(digits) > 4:
        year = int(digits[4:]) + (2000 if len(digits) == 6 else 0)
        try:
            return date(year, month, day)
        except ValueError:
            return None
    step = -1 if past else 1
    for year in (today.year, today.year + step, today.year + 2 * step):  # 29 Feb needs a leap year
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if (found <= today) if past else (found >= today):
            return found
    return None
