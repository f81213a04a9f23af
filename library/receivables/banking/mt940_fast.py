"""Whole MT940 entries read by one regular expression: the :61: line and a :86: of a learned shape.

Tokenising a file field by field costs a split, a :61: match and a :86: match per entry, and
each call into the regex engine has a fixed cost larger than the matching itself. Once a
statement's :86: dialect is known and its subfield shapes have been seen, one pattern holding
all of them reads a whole entry in place: the :61: groups, then one alternative per shape.
It matches only the plain layout (one :61: line; each :86: line break right before a subfield
marker; no placeholder characters); anything else is left to the field-by-field reader, which
gives the same records and the errors.
"""

from __future__ import annotations

import re

from receivables.banking.mt940_details import DetailsReader, Shape

# The :61: statement line: value date, entry date, mark, amount, type code, the references.
LINE_61 = r"(\d{6})(\d{4})?(RC|RD|C|D)[A-Z]?(\d{1,15}(?:,\d*)?) ?([NFS][A-Z0-9]{2}[A-Z0-9 ]?)([^\n]*)"
_LINE_61_GROUPS = 6
# Where a field ends: the next field tag, a terminator or block line, or the end of the chunk.
_FIELD_END = r"(?=\n(?::\d\d[A-Z]?:|-\}?[ \t]*$|\{[^\n]*$|\Z)|\Z)"

# The group numbers to read from a match: the :61: groups, then the shape's values; `shape` is
# None when they are head, title, name, IBAN text, account and bank id themselves, else the
# shape that joins them (Shape.fields).
Reading = tuple[tuple[int, ...], Shape | None]


class EntryPattern:
    """The one pattern for a dialect's learned shapes, rebuilt when it learns another."""

    def __init__(self, reader: DetailsReader) -> None:
        self.reader = reader
        self.details = reader.details
        self.built_for = -1
        self.pattern: re.Pattern[str] | None = None
        self.readings: dict[int, Reading] = {}

    def current(self) -> tuple[re.Pattern[str], dict[int, Reading]] | None:
        """(pattern, match.lastindex -> Reading), or None before any shape is known."""
        shapes = self.reader.shapes
        if len(shapes) != self.built_for:
            self._build(shapes)
        return None if self.pattern is None else (self.pattern, self.readings)

    def _build(self, shapes: list[Shape]) -> None:
        self.built_for = len(shapes)
        if not shapes:
            return
        spec = self.reader.spec
        marker = re.escape(spec.marker or "")
        value = "([^" + marker + r"\n" + "".join(re.escape(p[0]) for p in spec.placeholders if p) + "]*)"
        alternatives = []
        group = _LINE_61_GROUPS
        self.readings = {}
        for shape in shapes:
            # An empty group opens each alternative: it gives "" for a slot the shape lacks.
            empty = group + 1
            head = empty + 1
            alternatives.append("()" + value + "".join(rf"\n?{marker}{code}{value}" for code in shape.codes))
            group = head + len(shape.codes)
            lines = tuple(range(1, _LINE_61_GROUPS + 1))
            if shape.simple:
                slots = tuple(head + slot[0] if slot else empty for slot in shape.slots)
                self.readings[group] = (lines + slots, None)
            else:
                self.readings[group] = (lines + tuple(range(head, group + 1)), shape)
        self.pattern = re.compile(
            r"\n:61:" + LINE_61 + r"\n:86:(?:" + "|".join(alternatives) + ")" + _FIELD_END, re.MULTILINE
        )
