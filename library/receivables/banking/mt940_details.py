"""Reading the MT940 :86: field by a bank's DetailsSpec (subfields, labels or free text)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from receivables.banking.accounts import iban_check_digits, normalize_account
from receivables.banking.bank_config import DetailsSpec, Mt940Dialect

_SEPA_KEY = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|OAMT|COAM|PURP)\+")
_NO_E2E = {"", "NOTPROVIDED", "NONREF"}
_MAX_SHAPES = 32  # beyond this a file is not written by a program: read the rest in general
_UNSEEN = object()

# (title, counterparty name, counterparty IBAN, end-to-end id, leading transaction code)
Details = tuple[str | None, str | None, str | None, str | None, str | None]


class DetailsReader:
    """Compiled reader for one dialect; `read(raw)` turns a raw :86: text into Details."""

    def __init__(self, dialect: Mt940Dialect) -> None:
        self.dialect = dialect
        self.spec: DetailsSpec = dialect.details
        spec = self.spec
        self._pairs = (
            re.compile(re.escape(spec.marker) + r"(\d\d)([^" + re.escape(spec.marker) + r"]*)")
            if spec.marker else None
        )
        self._ibans: dict[str, str | None] = {}
        self._sniff = (
            re.compile(re.escape(spec.marker) + r"(?:00|2\d|3[0-8])") if spec.marker else None
        )
        self._labels = sorted(spec.labels.items(), key=lambda kv: -len(kv[0]))
        self.shapes: list[Shape] = []  # learned in the order first seen
        self.read = {"free": self._free, "subfields": self._subfields, "labels": self._labelled}[spec.style]

    def matches(self, text: str) -> bool:
        """Whether `text` looks written in this dialect (used when no account rule matched)."""
        spec = self.spec
        if spec.style == "subfields":
            return bool(self._sniff and self._sniff.search(text))
        if spec.style == "labels":
            return any(f"{spec.segment_separator}{label}:" in text for label in spec.labels)
        return True

    def _free(self, raw: str) -> Details:
        text = " ".join(line.strip() for line in raw.split("\n")).strip()
        return (text or None, None, None, None, None)

    def _subfields(self, raw: str) -> Details:
        """A bank writes its :86: in a few shapes (the same subfield codes in the same order), so
        each shape, once seen, reads every later :86: of that shape with one exact regular
        expression, the values taken by position."""
        spec = self.spec
        text = raw.replace("\n", spec.join_lines)
        for placeholder in spec.placeholders:
            if placeholder in text:
                text = text.replace(placeholder, "")
        for shape in self.shapes:
            match = shape.pattern.fullmatch(text)
            if match is not None:
                return self.details(*shape.fields(match.group(*shape.groups)))
        return self._any_shape(text)

    def _any_shape(self, text: str) -> Details:
        """Read subfields in any order, codes repeated or not; learn the shape when it is plain."""
        spec = self.spec
        marker = spec.marker or ""
        marker_at = text.find(marker)
        head = text[:marker_at] if marker_at >= 0 else text
        pairs = self._pairs.findall(text)  # type: ignore[union-attr]
        found: dict[str, str] = {}
        for key, value in pairs:  # a code repeated: its parts are joined
            found[key] = found[key] + value if key in found else value
        codes = [key for key, _ in pairs]
        if len(found) == len(pairs) and text.count(marker) == len(pairs) and len(self.shapes) < _MAX_SHAPES:
            self.shapes.append(Shape(spec, codes))
        get = found.get
        return self.details(
            head,
            "".join([found[c] for c in spec.title if c in found]),
            "".join([found[c] for c in spec.name if c in found]),
            _first_filled([found[c] for c in spec.iban if c in found]),
            get(spec.account or "", ""),
            get(spec.bank_id or "", ""),
        )

    def details(self, head: str, title: str, name: str, iban_text: str, account: str, bank_id: str) -> Details:
        """Details from the raw subfield values a shape or the general reading found."""
        title = title.strip()
        e2e = sepa_iban = None
        if self.spec.sepa_keys and "+" in title:
            title, e2e, sepa_iban = _sepa(title)
        iban = self._ibans.get(iban_text, _UNSEEN)
        if iban is _UNSEEN:
            iban = normalize_account(iban_text, self.dialect.country) if iban_text.strip() else None
            if len(self._ibans) < 50_000:
                self._ibans[iban_text] = iban
        if iban is None:
            if account.strip():
                iban = self._iban_from_parts(bank_id, account)
            if iban is None and sepa_iban:
                iban = normalize_account(sepa_iban, self.dialect.country)
        return (title or None, name.strip() or None, iban, e2e, head.strip() or None)

    def _iban_from_parts(self, bank_id: str, account: str) -> str | None:
        account = account.strip().replace(" ", "")
        bank_id = bank_id.strip()
        if self.dialect.country == "PL" and len(account) == 16 and len(bank_id) == 8:
            bban = bank_id + account
            if bban.isdigit():
                return "PL" + iban_check_digits("PL", bban) + bban
        return normalize_account(account, self.dialect.country)

    def _labelled(self, raw: str) -> Details:
        spec = self.spec
        text = raw.replace("\n", spec.join_lines)
        segments = text.split(spec.segment_separator)
        code = segments[0].split(" ", 1)[0] if segments and segments[0][:1].isdigit() else None
        values: dict[str, str] = {}
        for segment in segments:
            for label, target in self._labels:
                if segment.startswith(label + ":"):
                    value = segment[len(label) + 1 :].strip()
                    if target not in values and value:
                        values[target] = value
                    break
        name = values.get("counterparty_name")
        if name and spec.name_address_separator and spec.name_address_separator in name:
            name = name.split(spec.name_address_separator, 1)[0].strip()
        iban = values.get("counterparty_iban")
        if iban:
            iban = normalize_account(iban, self.dialect.country)
        title = values.get("title")
        if title and title.endswith(";"):
            title = title[:-1].strip()
        return (title or None, name or None, iban, values.get("end_to_end_id"), code)


class Shape:
    """One sequence of subfield codes, e.g. ~00 ~20 ~32 ~38: its exact pattern (the text before
    the first marker, one group per subfield, then an empty group) and which values the spec reads.

    The values are numbered 0 (the head), 1..n (the subfields) and n + 1 (the empty group, ""
    for what the shape lacks). `order` lists, slot after slot (head, title, name, IBAN, account,
    bank id), the values that make each slot; `simple` when each slot is one value.
    """

    def __init__(self, spec: DetailsSpec, codes: list[str]) -> None:
        self.codes = tuple(codes)
        marker = re.escape(spec.marker or "")
        self.pattern = re.compile(
            f"([^{marker}]*)" + "".join(f"{marker}{code}([^{marker}]*)" for code in codes) + "()"
        )
        position = {code: number for number, code in enumerate(codes, 1)}
        empty = len(codes) + 1

        def slot(fields: tuple[str | None, ...]) -> tuple[int, ...]:
            return tuple(position[code] for code in fields if code in position) or (empty,)

        slots = ((0,), slot(spec.title), slot(spec.name), slot(spec.iban), slot((spec.account,)),
                 slot((spec.bank_id,)))
        self.order = tuple(number for numbers in slots for number in numbers)
        self.groups = tuple(number + 1 for number in self.order)  # the pattern's group numbers
        self.simple = len(self.order) == len(slots)
        self._cuts = []
        start = 0
        for numbers in slots:
            self._cuts.append((start, start + len(numbers)))
            start += len(numbers)
        self._ibans = self._cuts[3] if len(slots[3]) > 1 else None

    def fields(self, values: tuple[str, ...] | list[str]) -> tuple[str, ...] | list[str]:
        """(head, title, name, IBAN text, account, bank id) from the values in `order`: the
        values of a slot joined, but the first filled one of several IBAN subfields."""
        if self.simple:
            return values
        out = [values[a] if b - a == 1 else "".join(values[a:b]) for a, b in self._cuts]
        if self._ibans is not None:
            out[3] = _first_filled(values[self._ibans[0]:self._ibans[1]])
        return out


def _first_filled(values: Sequence[str]) -> str:
    """The first value that is not blank: a bank may leave one IBAN subfield empty."""
    for value in values:
        if value.strip():
            return value
    return ""


def _sepa(purpose: str) -> tuple[str, str | None, str | None]:
    """Split a German SEPA purpose ("EREF+... SVWZ+...") into title, end-to-end id, IBAN."""
    parts = _SEPA_KEY.split(purpose)
    if len(parts) < 3:
        return purpose, None, None
    keyed = {parts[i]: parts[i + 1].strip() for i in range(1, len(parts) - 1, 2)}
    title = keyed["SVWZ"] if "SVWZ" in keyed else parts[0].strip()
    e2e = keyed.get("EREF")
    if e2e is not None and e2e.upper() in _NO_E2E:
        e2e = None
    return title, e2e, keyed.get("IBAN")


SPLIT_PAYMENT_KEYS = ("VAT", "IDC", "INV", "TXT")


def parse_split_payment(title: str | None) -> dict[str, str] | None:
    """Parts of a Polish split-payment (MPP) title "/VAT/23,00/IDC/1234567890/INV/FV 1/TXT/..".

    Returns {"VAT": ..., "IDC": ..., "INV": ..., "TXT": ...} (present keys only), or None when
    the title is not a split-payment title; the matching engine uses INV and IDC (the NIP).
    """
    if not title or "/VAT/" not in title:
        return None
    found = re.findall(r"/(VAT|IDC|INV|TXT)/(.*?)(?=/(?:VAT|IDC|INV|TXT)/|$)", title.strip())
    return {key: value.strip() for key, value in found} or None
