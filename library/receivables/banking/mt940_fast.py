"""Whole MT940 entries read by one regular expression: the :61: line and a :86: of a learned shape.

Tokenising a file field by field costs a split, a :61: match and a :86: match per entry, and
each call into the regex engine has a fixed cost larger than the matching itself. Once a
statement's :86: dialect is known and its subfield shapes have been seen, one pattern holding
all of them reads a whole entry in place: the :61: groups, then the shapes as a tree of their
subfield codes. It matches only the plain layout (one :61: line; each :86: line break right
before a subfield marker; no placeholder characters); anything else is left to the
field-by-field reader, which gives the same records and the errors.
"""

from __future__ import annotations

import re

from receivables.banking.mt940_details import DetailsReader, Shape

# The :61: statement line: value date, entry date, mark, amount, type code, the references.
LINE_61 = r"(\d{6})(\d{4})?(RC|RD|C|D)[A-Z]?(\d{1,15}(?:,\d*)?) ?([NFS][A-Z0-9]{2}[A-Z0-9 ]?)([^\n]*)"
_LINE_61_GROUPS = 6
# Where a field ends: the next field tag, a terminator or block line, or the end of the chunk.
_FIELD_END = r"(?=\n(?::\d\d[A-Z]?:|-\}?[ \t]*$|\{[^\n]*$|\Z)|\Z)"

# A bank's program writes a handful of :86: shapes; only the first few learned go in the pattern
# (the field reader reads the others).
MAX_SHAPES = 8
# After this many entries in a row that the pattern does not match, a statement is read field by
# field: it is not in a layout the pattern reads, and trying costs more than it saves.
MAX_MISSES = 8

# The group numbers to read from a match: the :61: groups, then the shape's values in its order
# (Shape.fields makes head, title, name, IBAN text, account and bank id of them).
Reading = tuple[tuple[int, ...], Shape]


class EntryPattern:
    """The one pattern for a dialect's learned shapes, rebuilt when it learns another.

    Two variants: values may hold any character but the marker and a line break, or, for a
    chunk that holds one of the dialect's placeholder characters (PKO's "˙"), not those either,
    so that such values go to the field reader, which removes them. The second is built only
    when needed: a character class with one above U+00FF takes ten times longer to compile.
    """

    def __init__(self, reader: DetailsReader) -> None:
        self.reader = reader
        self.details = reader.details
        self.placeholders = tuple(p for p in reader.spec.placeholders if p)
        self.built: dict[bool, tuple[int, re.Pattern[str] | None, dict[int, Reading]]] = {}

    def current(self, strict: bool) -> tuple[re.Pattern[str], dict[int, Reading]] | None:
        """(pattern, match.lastindex -> Reading), or None before any shape is known; `strict`
        for the variant that leaves values with placeholder characters alone."""
        shapes = self.reader.shapes[:MAX_SHAPES]
        built = self.built.get(strict)
        if built is None or built[0] != len(shapes):
            built = self.built[strict] = (len(shapes), *self._build(shapes, strict))
        _, pattern, readings = built
        return None if pattern is None else (pattern, readings)

    def _build(self, shapes: list[Shape], strict: bool) -> tuple[re.Pattern[str] | None, dict[int, Reading]]:
        """The shapes as a tree of their codes: shapes that begin with the same codes share
        those groups, so trying the next shape never reads a value twice."""
        if not shapes:
            return None, {}
        marker = re.escape(self.reader.spec.marker or "")
        excluded = "".join(re.escape(p[0]) for p in self.placeholders) if strict else ""
        value = "([^" + marker + r"\n" + excluded + "]*)"
        tree: dict = {}
        for shape in shapes:
            node = tree
            for code in shape.codes:
                node = node.setdefault(code, {})
            node[None] = shape  # a shape ends here
        empty, head = _LINE_61_GROUPS + 1, _LINE_61_GROUPS + 2  # "" for a slot a shape lacks; the head
        readings: dict[int, Reading] = {}
        lines = tuple(range(1, _LINE_61_GROUPS + 1))
        last = head

        def branches(node: dict, path: tuple[int, ...]) -> str:
            nonlocal last
            out = []
            for code, child in node.items():
                if code is None:
                    continue
                last += 1
                group = last
                out.append(rf"\n?{marker}{code}{value}" + branches(child, path + (group,)))
            shape = node.get(None)
            if shape is not None:
                numbers = path + (empty,)  # the shape's values: head, subfields, then ""
                readings[path[-1]] = (lines + tuple(numbers[n] for n in shape.order), shape)
                out.append("")
            return "(?:" + "|".join(out) + ")" if len(out) > 1 else out[0]

        pattern = re.compile(
            r"\n:61:" + LINE_61 + r"\n:86:()" + value + branches(tree, (head,)) + _FIELD_END, re.MULTILINE
        )
        return pattern, readings
