"""Payment dates said by debtors, resolved against the day of the conversation.

Rules come first, one regular expression per phrase family, built from :mod:`.lexicon`.
Choices a collector would otherwise have to guess, fixed here once:

- A promise must fall between today and :data:`MAX_DAYS_AHEAD` days ahead; anything else
  is recognised (so nothing reads it as another date) but is not a valid promise date.
- A weekday alone ("w piątek", "am Freitag", "on Friday") is the next such day after today;
  said on a Friday, "on Friday" is a week ahead.  "Next Friday" / "w przyszły piątek" /
  "nächsten Freitag" is the Friday of next calendar week (weeks start on Monday).
- A span names its deadline: "this week", "end of the week" -> Friday; "next week" -> Friday
  of next week; "weekend" -> Sunday, "next weekend" -> Sunday of next week, "after the
  weekend" -> the Monday after it; "next month", "in June" -> last day of that month;
  "end of the year" -> 31 December.
- "Beginning of next month" -> the 1st; "beginning of next week" -> Monday; "mid-month" -> 15th.
- A day of the month alone ("do dwudziestego", "am 20.", "on the 20th") is the next such day
  on or after today: said on the 20th it means today.
- Day and month without a year: this year, or next year when this year's day has passed and
  next year's is within reach ("10 stycznia" said on 30 December).
- "N working days" skips Saturdays and Sundays (public holidays are not skipped).
- "After the 15th" / "po piętnastym" / "nach dem 15." is the day after (the 16th); "after payday
  on the 10th" stays the 10th.
- A time of day ("wieczorem", "am Nachmittag", "after 6", "o 16:00") is today only when the answer
  names no day; next to a day it is a detail of that day, never a reason to read today.
- Holidays on fixed days: "przed świętami" / "vor Weihnachten" / "before Christmas" is the 24th
  of December, "po świętach" / "nach Weihnachten" / "after Christmas" the 27th, "after New Year"
  the 2nd of January; the holiday itself is its first day.
- Vague spans: "a few / a couple of days", "kilka / parę dni", "ein paar Tage", "na dniach",
  "in the coming days" are 3 days (3 of the unit); "a week and a half", "półtora tygodnia",
  "anderthalb Wochen" are 10 days.  Hours are whole days: "within 24 hours" is tomorrow.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Callable

from . import lexicon as lx
from .text import compile_folded

MAX_DAYS_AHEAD = 180


@dataclass(frozen=True)
class DateMention:
    """One date phrase found in a text; `value` is None for a date said about the past.

    A `clock` mention is a time of day: it counts only when no other mention names a day.
    """

    start: int
    end: int
    value: date | None
    weak: bool = False
    source: str = "rules"
    clock: bool = False

    def valid(self, today: date) -> bool:
        """Can this date be a promise: not in the past and not absurdly far ahead?"""
        return self.value is not None and today <= self.value <= today + timedelta(days=MAX_DAYS_AHEAD)


_SKIP = date.min  # a resolver's answer for a span that is not a date at all ("£100 a month")
Resolver = Callable[[re.Match[str], date], date | None]
Rule = tuple[re.Pattern[str], Resolver, bool, bool]  # pattern, resolver, weak, clock


def end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's end (31 Jan + 1 month = 29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_workdays(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def _next_month_start(today: date, months: int = 1) -> date:
    return add_months(today.replace(day=1), months)


def _week_day(today: date, weekday: int, weeks_ahead: int) -> date:
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(days=7 * weeks_ahead + weekday)


def _coming_weekday(today: date, weekday: int) -> date:
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _end_of_this_week(today: date) -> date:
    return _week_day(today, 4 if today.weekday() <= 4 else 6, 0)


def _day_of_month(today: date, day: int) -> date | None:
    """Next date with this day of the month, on or after today."""
    if not 1 <= day <= 31:
        return None
    start = today.replace(day=1)
    for months in range(0, 3):
        first = add_months(start, months)
        if day <= calendar.monthrange(first.year, first.month)[1]:
            candidate = first.replace(day=day)
            if candidate >= today:
                return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _day_month_year(today: date, day: int, month: int, year: int | None) -> date | None:
    if year is not None:
        return _safe_date(year + 2000 if year < 100 else year, month, day)
    this_year = _safe_date(today.year, month, day)
    next_year = _safe_date(today.year + 1, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    if next_year is not None and (next_year - today).days <= MAX_DAYS_AHEAD:
        return next_year
    return this_year or next_year


def _month_in_reach(today: date, month: int) -> tuple[int, int]:
    """Year and month of the named month: this year unless it has passed, then next year."""
    year = today.year if month >= today.month else today.year + 1
    return year, month


def _shift(today: date, count: int, unit: str) -> date:
    if unit == "days":
        return today + timedelta(days=count)
    if unit == "workdays":
        return add_workdays(today, count)
    if unit == "weeks":
        return today + timedelta(weeks=count)
    if unit == "hours":
        return today + timedelta(days=count // 24)
    return add_months(today, count)


def _keyed(patterns: dict[int, str], prefix: str) -> str:
    return "(?:" + "|".join(f"(?P<{prefix}{key}>{pattern})" for key, pattern in patterns.items()) + ")"


def _key(match: re.Match[str], prefix: str) -> int | None:
    for name, value in match.groupdict().items():
        if value is not None and name.startswith(prefix) and name[len(prefix) :].isdigit():
            return int(name[len(prefix) :])
    return None


def _unit_of(match: re.Match[str], units: dict[str, str]) -> str:
    word = match.group("unit")
    for unit, pattern in units.items():
        if compile_folded(f"(?:{pattern})").fullmatch(word):
            return unit
    raise ValueError(word)


def _holiday(month: int, day: int, today: date) -> date:
    """The holiday's next first day, today included."""
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


@lru_cache(maxsize=None)
def _rules(lang: str) -> list[Rule]:
    """The ordered rules of one language: (pattern, resolver, weak, clock)."""
    month = _keyed(lx.MONTHS[lang], "m")
    weekday = _keyed(lx.WEEKDAYS[lang], "w")
    units = lx.UNITS[lang]
    unit_alt = "|".join(f"(?:{p})" for p in units.values())
    year = r"(?:\s*,?\s*(?P<y>\d{4}|\d{2}(?!\d))(?:\s*(?:r\.?|roku|rok))?)?"
    rules: list[tuple[str, Resolver, bool, bool]] = []

    def add(pattern: str, resolver: Resolver, weak: bool = False, clock: bool = False) -> None:
        rules.append((pattern, resolver, weak, clock))

    def month_of(m: re.Match[str]) -> int:
        value = _key(m, "m")
        assert value is not None
        return value

    def weekday_of(m: re.Match[str]) -> int:
        value = _key(m, "w")
        assert value is not None
        return value

    def opt_year(m: re.Match[str]) -> int | None:
        return int(m.group("y")) if m.group("y") else None

    add(_g(lx.FREQUENCY, lang), lambda m, t: _SKIP)
    add(rf"\b{_g(lx.FROM_TODAY, lang)}(?![a-zß])", lambda m, t: _SKIP)
    add(rf"\b{_g(lx.TIME_OF_DAY, lang)}(?![a-zß]){lx.NOT_A_DAY_AFTER}", lambda m, t: t, clock=True)
    add(rf"\b{_g(lx.DURATION, lang)} (?:\d{{1,3}}|{_g(lx.FEW, lang)}) {_g(lx.UNIT_FILLERS, lang)}"
        rf"(?:{'|'.join(f'(?:{p})' for p in lx.UNITS[lang].values())})(?![a-zß])", lambda m, t: _SKIP)
    add(r"\b(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})\b",
        lambda m, t: _day_month_year(t, int(m["d"]), int(m["mo"]), int(m["y"])))

    def numeric(m: re.Match[str], t: date) -> date | None:
        day, mon = int(m["d"]), int(m["mo"])
        if mon > 12 >= day:
            day, mon = mon, day
        return _day_month_year(t, day, mon, opt_year(m))

    add(r"(?<![\d.,])(?P<d>\d{1,2})[./-](?P<mo>\d{1,2})(?:[./-](?P<y>\d{4}|\d{2}))?(?![\d,]|\.\d)(?:\s*(?:r\.?|roku))?", numeric)

    day_prep = _g(lx.DAY_PREP, lang)
    add(rf"\b(?:{day_prep}\s*)?(?P<d>\d{{1,2}})\.?\s*(?:of\s+|dnia\s+)?{month}(?![a-zß]){year}",
        lambda m, t: _day_month_year(t, int(m["d"]), month_of(m), opt_year(m)))
    if lang == "en":
        add(rf"\b{month}\s+(?:the\s+)?(?P<d>\d{{1,2}})\.?(?!\d){year}",
            lambda m, t: _day_month_year(t, int(m["d"]), month_of(m), opt_year(m)))

    # Month anchors with a month name: end of May, beginning of June, mid-June, in June.
    def named_month(day_of: Callable[[int, int], int]) -> Resolver:
        def resolve(m: re.Match[str], t: date) -> date:
            year, mon = _month_in_reach(t, month_of(m))
            return date(year, mon, day_of(year, mon))
        return resolve

    last_day = lambda y, mo: calendar.monthrange(y, mo)[1]  # noqa: E731
    add(_g(lx.END_OF, lang) + month + r"(?![a-zß])", named_month(last_day))
    add(_g(lx.START_OF, lang) + month + r"(?![a-zß])", named_month(lambda y, mo: 1))
    add(_g(lx.MIDDLE_OF, lang) + month + r"(?![a-zß])", named_month(lambda y, mo: 15))
    add(r"\b" + _g(lx.IN_MONTH, lang) + month + r"(?![a-zß])(?!\s*\d)", named_month(last_day))

    # Month anchors relative to today.
    add(_g(lx.END_OF, lang) + _g(lx.NEXT_MONTH, lang), lambda m, t: end_of_month(*_ym(_next_month_start(t))))
    add(_g(lx.END_OF, lang) + _g(lx.CURRENT_MONTH, lang), lambda m, t: end_of_month(t.year, t.month))
    add(_g(lx.MONTH_END_WORD, lang), lambda m, t: end_of_month(t.year, t.month))
    add(_g(lx.LAST_DAY_OF_MONTH, lang), lambda m, t: end_of_month(t.year, t.month))
    add(rf"\b(?:{day_prep}\s*)?(?P<d>\d{{1,2}})\.?\s*{_g(lx.OF_THIS_MONTH, lang)}",
        lambda m, t: _safe_date(t.year, t.month, int(m["d"])))
    add(rf"\b(?:{day_prep}\s*)?(?P<d>\d{{1,2}})\.?\s*{_g(lx.OF_NEXT_MONTH, lang)}",
        lambda m, t: _safe_date(*_ym(_next_month_start(t)), int(m["d"])))
    add(_g(lx.END_OF_YEAR, lang), lambda m, t: date(t.year, 12, 31))
    add(_g(lx.START_OF, lang) + _g(lx.NEXT_MONTH, lang), lambda m, t: _next_month_start(t))
    add(_g(lx.NEXT_MONTH_START_AFTER, lang), lambda m, t: _next_month_start(t))
    add(_g(lx.START_OF, lang) + _g(lx.CURRENT_MONTH, lang), lambda m, t: t if t.day == 1 else _next_month_start(t))
    add(_g(lx.MIDDLE_OF, lang) + _g(lx.NEXT_MONTH, lang), lambda m, t: _next_month_start(t).replace(day=15))
    add(_g(lx.MIDDLE_OF, lang) + _g(lx.CURRENT_MONTH, lang),
        lambda m, t: t.replace(day=15) if t.day <= 15 else _next_month_start(t).replace(day=15))
    add(_g(lx.IN_NEXT_MONTH, lang), lambda m, t: end_of_month(*_ym(_next_month_start(t))))
    add(_g(lx.IN_THIS_MONTH, lang), lambda m, t: end_of_month(t.year, t.month))

    # Weeks.
    add(_g(lx.END_OF_NEXT_WEEK, lang), lambda m, t: _week_day(t, 4, 1))
    add(_g(lx.START_OF_NEXT_WEEK, lang), lambda m, t: _week_day(t, 0, 1))
    add(_g(lx.END_OF_WEEK, lang), lambda m, t: _end_of_this_week(t))
    add(_g(lx.NEXT_WEEK, lang), lambda m, t: _week_day(t, 4, 1))
    add(_g(lx.THIS_WEEK, lang), lambda m, t: _end_of_this_week(t))
    add(_g(lx.WEEKEND, lang), lambda m, t: t if t.weekday() == 6 else _coming_weekday(t, 6))
    add(_g(lx.NEXT_WEEKEND, lang), lambda m, t: _week_day(t, 6, 1))
    add(_g(lx.AFTER_WEEKEND, lang), lambda m, t: _coming_weekday(t, 0))

    # Holidays: "przed świętami", "nach Neujahr", "by Christmas Eve".
    for name, pattern in lx.HOLIDAYS[lang].items():
        month, first, days = lx.HOLIDAY_DATES[name]
        for prep, offset in ((lx.HOLIDAY_BEFORE, -1), (lx.HOLIDAY_AFTER, days), (lx.HOLIDAY_BY, 0)):
            add(rf"\b{_g(prep, lang)} (?:{pattern})(?![a-zß])",
                lambda m, t, mo=month, d=first, offset=offset: _holiday(mo, d, t) + timedelta(days=offset))

    # Weekdays: "next Friday", "Friday next week", "this Friday", "Friday".
    prep = _g(lx.WEEKDAY_PREP, lang)
    add(rf"{prep}{weekday}s?,?\s+{_g(lx.NEXT_WEEK, lang)}", lambda m, t: _week_day(t, weekday_of(m), 1))
    add(rf"{_g(lx.NEXT_WEEK, lang)},?\s+{prep}{weekday}", lambda m, t: _week_day(t, weekday_of(m), 1))
    add(rf"{_g(lx.NEXT, lang)}\s+{weekday}",
        lambda m, t: max(_week_day(t, weekday_of(m), 1), _coming_weekday(t, weekday_of(m))))
    add(rf"{_g(lx.THIS, lang)}\s+{weekday}", lambda m, t: _coming_weekday(t, weekday_of(m)))
    add(rf"\b{prep}{weekday}(?![a-z])", lambda m, t: _coming_weekday(t, weekday_of(m)))

    # Relative spans: "za 7 dni", "in zwei Wochen", "within a week", "a fortnight".
    ago_before, ago_after = _g(lx.AGO_BEFORE, lang), _g(lx.AGO_AFTER, lang)
    add(rf"{ago_before}(?:\d{{1,3}}|einer|einem) (?:{unit_alt})\b", lambda m, t: None)
    add(rf"\b(?:\d{{1,3}}|an?|one) (?:{unit_alt})(?:{ago_after})", lambda m, t: None)
    add(rf"\b(?P<n>\d{{1,3}}) {_g(lx.UNIT_FILLERS, lang)}(?P<unit>{unit_alt})(?![a-zß])",
        lambda m, t: _shift(t, int(m["n"]), _unit_of(m, units)))
    add(rf"\b{_g(lx.BARE_UNIT, lang)}(?![a-zß])", lambda m, t: _shift(t, 1, _unit_of(m, units)))
    add(rf"\b{_g(lx.FORTNIGHT, lang)}", lambda m, t: t + timedelta(days=14))
    add(rf"\b{_g(lx.FEW, lang)} {_g(lx.UNIT_FILLERS, lang)}(?P<unit>{unit_alt})(?![a-zß])",
        lambda m, t: _shift(t, lx.FEW_COUNT, _unit_of(m, units)))
    add(rf"\b{_g(lx.COMING_DAYS, lang)}(?![a-zß])", lambda m, t: t + timedelta(days=lx.FEW_COUNT))
    add(rf"\b{_g(lx.ONE_AND_A_HALF, lang)}(?![a-zß])", _one_and_a_half)

    # Single days.
    for offset, pattern in lx.DAY_WORDS[lang].items():
        add(rf"\b(?:{pattern})(?![a-zß])", lambda m, t, offset=offset: t + timedelta(days=offset))
    add(rf"\b(?:{_g(lx.PAST_WORDS, lang)})(?![a-zß])", lambda m, t: None)

    # After a day of the month: "po 15.", "nach dem 15.", "after the 15." -> the day after.
    add(rf"\b(?:{_g(lx.AFTER_DAY, lang)})\s*(?P<d>\d{{1,2}})\.?+(?![\d.,/]\d|\d)\s*(?:of\s+)?{month}(?![a-zß]){year}",
        lambda m, t: _day_after(_day_month_year(t, int(m["d"]), month_of(m), opt_year(m))))
    add(rf"\b(?:{_g(lx.AFTER_DAY, lang)})\s*(?P<d>\d{{1,2}})\.(?![\d.,/:]?\d)(?!\s*(?:of\s+)?{month}){lx.NOT_A_DAY_AFTER}",
        lambda m, t: _day_after(_day_of_month(t, int(m["d"]))))

    # Day of the month alone: "do 20.", "am 20.", "on the 20.", "do 20", "dwudziestego".
    add(rf"\b{day_prep}\s*(?P<d>\d{{1,2}})\.?+(?![\d.,/]\d|\d)(?!\s*(?:of\s+)?{month}){lx.NOT_A_DAY_AFTER}",
        lambda m, t: _day_of_month(t, int(m["d"])))
    if lang == "pl":
        add(rf"(?<![\d.,/])(?P<d>\d{{1,2}})\.(?![\d]){lx.NOT_A_DAY_AFTER}", lambda m, t: _day_of_month(t, int(m["d"])))
    if lang == "de":  # "das ist der 15.", "Freitag, den 17."
        add(rf"\b(?:der|den)\s+(?P<d>\d{{1,2}})\.(?!\d){lx.NOT_A_DAY_AFTER}",
            lambda m, t: _day_of_month(t, int(m["d"])))

    compiled = [(compile_folded(p), r, w, c) for p, r, w, c in rules]
    compiled.append((compile_folded(rf"\b(?:{_g(lx.NOW_WORDS, lang)})(?![a-zß])"), lambda m, t: t, True, False))
    return compiled


def _day_after(day: date | None) -> date | None:
    return day + timedelta(days=1) if day is not None else None


def _one_and_a_half(m: re.Match[str], t: date) -> date:
    unit = (m.groupdict().get("unit") or m.groupdict().get("unit2") or "").lower()
    if unit.startswith(("ty", "w")):
        return t + timedelta(days=10)
    return add_months(t, 1) + timedelta(days=15)


def _g(table: dict[str, str], lang: str) -> str:
    """One lexicon fragment as a group, safe to concatenate."""
    return f"(?:{table[lang]})"


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def find_dates(text: str, today: date, lang: str) -> list[DateMention]:
    """Date phrases in folded, digit-normalised text, longest first, returned in text order."""
    found: list[DateMention] = []
    for pattern, resolve, weak, clock in _rules(lang):
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            found.append(DateMention(match.start(), match.end(), resolve(match, today), weak, clock=clock))
    found.sort(key=lambda d: (d.start - d.end, d.start))
    kept: list[DateMention] = []
    for mention in found:
        if all(mention.end <= k.start or mention.start >= k.end for k in kept):
            kept.append(mention)
    return sorted((k for k in kept if k.value != _SKIP), key=lambda d: d.start)


def chosen_date(mentions: list[DateMention], today: date) -> DateMention | None:
    """The mention that names the promise: the last valid one of the strongest kind said.

    A "now" counts only when no day is named, a time of day only when neither is said, so
    that neither ever replaces a named day, not even one that has passed: "teraz nie mam,
    zapłacę 2 maja" and "2 maja wieczorem" (2 May past) name no valid day; "w piątek
    wieczorem" is Friday.  A word about the past ("wczoraj") names no day.
    """
    for group in (
        [m for m in mentions if not m.weak and not m.clock],
        [m for m in mentions if m.weak],
        [m for m in mentions if m.clock],
    ):
        if any(m.value is not None for m in group):
            valid = [m for m in group if m.valid(today)]
            return valid[-1] if valid else None
    return None
