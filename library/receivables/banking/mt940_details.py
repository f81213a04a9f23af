"""Reading the MT940 :86: field by a bank's DetailsSpec (subfields, labels or free text)."""

from __future__ import annotations

import re
from operator import itemgetter

from receivables.banking.accounts import iban_check_digits, normalize_account
from receivables.banking.bank_config import DetailsSpec, Mt940Dialect

_SEPA_KEY = re.compile(r"(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|IBAN|BIC|OAMT|COAM|PURP)\+")
_NO_E2E = {"", "NOTPROVIDED", "NONREF"}

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
        # Every subfield the spec reads, blank until found; the getters always return tuples.
        codes = (*spec.title, *spec.name, *spec.iban, spec.account or "", spec.bank_id or "", "")
        self._blank = dict.fromkeys(codes, "")
        self._title = itemgetter(*spec.title, "")
        self._name = itemgetter(*spec.name, "")
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
        """The hot path of MT940 parsing: one findall, one dict, joins in the config's order."""
        spec = self.spec
        text = raw.replace("\n", spec.join_lines)
        for placeholder in spec.placeholders:
            if placeholder in text:
                text = text.replace(placeholder, "")
        marker_at = text.find(spec.marker)  # type: ignore[arg-type]
        code = text[:marker_at].strip() if marker_at > 0 else (text.strip() if marker_at < 0 else None)
        pairs = self._pairs.findall(text)  # type: ignore[union-attr]
        found = dict(pairs)
        if len(found) != len(pairs):  # a code repeated: its parts are joined
            found = {}
            for key, value in pairs:
                found[key] = found[key] + value if key in found else value
        fields = {**self._blank, **found}
        title = "".join(self._title(fields)).strip()
        name = "".join(self._name(fields)).strip() or None
        e2e = None
        if spec.sepa_keys and "+" in title:
            title, e2e, sepa_iban = _sepa(title)
        else:
            sepa_iban = None
        iban = None
        for c in spec.iban:
            value = fields[c]
            if value.strip():
                iban = self._ibans.get(value)
                if iban is None:
                    iban = normalize_account(value, self.dialect.country)
                    if len(self._ibans) < 50_000:
                        self._ibans[value] = iban
                break
        if iban is None and spec.account and fields[spec.account].strip():
            iban = self._iban_from_parts(fields[spec.bank_id or ""], fields[spec.account])
        if iban is None and sepa_iban:
            iban = normalize_account(sepa_iban, self.dialect.country)
        return (title or None, name, iban, e2e, code or None)

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
