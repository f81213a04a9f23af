"""Whole-entry reading (mt940_fast) gives what the field-by-field reader gives, and is used.

Random files mix the layouts the one pattern must read (a few subfield shapes, one per line or
several on a line) with those it must leave to the field reader: a value wrapped onto the next
line, placeholder characters, a marker inside a value, a :61: without :86:, a supplementary
:61: line, a field between :61: and :86:, text before the first subfield, more shapes than a
reader learns.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from receivables.banking import mt940
from receivables.banking.mt940_fast import MAX_MISSES
from tests.banking.reference import mt940_reference

ACCOUNTS = {"~": "PL26105014451000002279872154", "^": "PL12124012340000111122223333",
            "?": "DE95870520000123456789"}
SHAPES = [["00", "20", "32", "38"], ["00", "20", "21", "32", "33", "38"], ["00", "20", "30", "31", "32"],
          ["20", "32"], ["00", "20", "21", "22", "23", "32", "60"], ["00", "20"]]  # the last: a prefix of others
VALUES = ["FV/2024/01/7", "KLIENT SP. Z O.O.", "PL61109010140000071219812874", "10901014",
          "0000071219812874", "ZAPŁATA ŁÓDŹ", "EREF+E2E-1 SVWZ+Rechnung 7", "", "  ", "x" * 40]


def _details(rng: random.Random, marker: str, odd: float) -> str:
    codes = rng.choice(SHAPES) if rng.random() > odd else rng.choices([f"{n:02d}" for n in range(20, 64)], k=4)
    head = "051" if rng.random() < odd else ""
    parts = [marker + code + rng.choice(VALUES) for code in codes]
    if rng.random() < odd:
        parts[rng.randrange(len(parts))] += rng.choice(["\nwrapped", "˙", "ÿ", marker + "x", marker])
    separator = "\n" if rng.random() > odd else rng.choice(["", "\n", " "])
    return head + separator.join(parts)


def _file(rng: random.Random, marker: str, entries: int, odd: float) -> str:
    lines = [":20:ST1", f":25:{ACCOUNTS[marker]}", ":28C:1/1", ":60F:C240101PLN0,00"]
    total = 0
    for i in range(entries):
        cents = rng.randint(1, 10**7)
        total += cents
        day = date(2024, 1, 1) + timedelta(days=i // 50)
        line = f":61:{day:%y%m%d%m%d}C{cents // 100},{cents % 100:02d}NTRFNONREF//R{i}"
        if rng.random() < odd:
            line += "\n/OCMT/PLN1,00/"
        lines.append(line)
        if rng.random() < odd:
            lines.append(":64:C240101PLN0,00")
        if rng.random() > odd / 2:
            lines.append(":86:" + _details(rng, marker, odd))
    lines.append(f":62F:C{day:%y%m%d}PLN{total // 100},{total % 100:02d}")
    return "\n".join(lines + ["-", ""])


def _field_by_field(path: Path, monkeypatch: pytest.MonkeyPatch) -> list:
    with monkeypatch.context() as patch:
        patch.setattr(mt940._Mt940Reader, "entry_pattern", lambda self, reader: None)
        return list(mt940.extract(path))


def _count_walks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets, for each piece of text the field reader walks, how many entries it holds."""
    walks: list[int] = []
    fields = mt940._Mt940Reader.fields

    def counted(self: mt940._Mt940Reader, text: str):
        walks.append(text.count("\n:61:"))
        return fields(self, text)

    monkeypatch.setattr(mt940._Mt940Reader, "fields", counted)
    return walks


@pytest.mark.parametrize("marker", ["~", "^", "?"])
@pytest.mark.parametrize("seed", range(4))
def test_whole_entries_read_as_field_by_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, marker: str,
                                              seed: int) -> None:
    rng = random.Random(seed)
    path = tmp_path / "random.sta"
    path.write_text(_file(rng, marker, 1500, odd=[0.0, 0.05, 0.3, 1.0][seed]), encoding="utf-8",
                    newline=rng.choice(["\n", "\r\n"]))
    fast = list(mt940.extract(path))
    assert fast == _field_by_field(path, monkeypatch)
    assert fast == mt940_reference(path)
    assert len(fast[0].transactions) == 1500


def test_plain_entries_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of a few plain shapes takes the field reader only for a statement's first entries
    and each new day; the same file with the pattern off takes it for every entry."""
    path = tmp_path / "plain.sta"
    path.write_text(_file(random.Random(1), "~", 5000, odd=0.0), encoding="cp1250")
    walked = _count_walks(monkeypatch)
    assert sum(len(s.transactions) for s in mt940.extract(path)) == 5000
    assert sum(walked) < 5000 // 50 + len(SHAPES) + 5  # one per day, one per shape learned
    walked.clear()
    assert sum(len(s.transactions) for s in _field_by_field(path, monkeypatch)) == 5000
    assert sum(walked) == 5000


def test_a_statement_the_pattern_does_not_fit_goes_field_by_field(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries that keep missing the pattern stop the tries: after MAX_MISSES in a row the rest of
    the statement is one walk of its fields, not one walk per entry."""
    path = tmp_path / "odd.sta"
    path.write_text(_file(random.Random(5), "~", 2000, odd=1.0), encoding="utf-8")
    walks = _count_walks(monkeypatch)
    assert list(mt940.extract(path)) == mt940_reference(path)
    assert len(walks) < 5 * MAX_MISSES  # one per entry without the stop: 2,000
    assert max(walks) > 1500


def test_entries_without_details_are_walked_a_statement_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bare.sta"
    text = _file(random.Random(2), "~", 3000, odd=0.0)
    path.write_text("\n".join(line for line in text.split("\n") if not line.startswith(("~", ":86:"))), encoding="utf-8")
    walks = _count_walks(monkeypatch)
    assert list(mt940.extract(path)) == mt940_reference(path)
    assert len(walks) < 3 * MAX_MISSES and max(walks) > 2900
