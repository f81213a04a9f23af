"""Parsing of single values (amounts, dates, ids) the same way for every source.

Money is parsed from its text straight into Decimal, never through float, and a value that
is not exactly what the source promised is refused rather than guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Context, Decimal
from functools import lru_cache

from receivables.accounting.errors import FieldValueError

_PLAIN_AMOUNT = re.compile(r"[+-]?\d+(?:\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DOTTED_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_EXCEL_PRECISION = Context(prec=15)
_CENT = Decimal("0.01")
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_EPOCH_1904 = date(1904, 1, 1)
_TAX_ID_JUNK = re.compile(r"[\s.\-/]")
_EU_PREFIXES = frozenset(
    "AT BE BG CY CZ DE DK EE EL ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI".split()
)
_TRUE = frozenset({"1", "true", "yes", "y", "tak", "t", "ja", "x"})
_FALSE = frozenset({"0", "false", "no", "n", "nie", "nein", ""})


def parse_amount(text: str, decimal_sep: str = ".", thousands_sep: str = "") -> Decimal:
    """Parse "1234,56" / "1 234,56" / "-12.5" into Decimal; letters or stray separators fail."""
    value = text.strip()
    if thousands_sep:
        value = value.replace(thousands_sep, "")
        if thousands_sep == " ":
            value = value.replace("\u00a0", "").replace("\u202f", "")
    if decimal_sep != ".":
        if "." in value:
            raise FieldValueError(f"an amount with decimal separator {decimal_sep!r}", text)
        value = value.replace(decimal_sep, ".")
    if not _PLAIN_AMOUNT.fullmatch(value):
        raise FieldValueError(f"an amount like 1234{decimal_sep}56", text)
    return Decimal(value)


def plain_amount_parser(decimal_sep: str, other: Callable[[str], Decimal]) -> Callable[[str], Decimal]:
    """An amount parser that turns a plain amount (sign, digits, `decimal_sep`, digits: "-1234,56")
    into Decimal directly and hands any other text to `other`, the full parser with its checks
    and errors.

    Exports are mostly plain amounts. str.isdecimal() accepts exactly the digits the full parser's
    \\d does (Unicode category Nd) at a third of a regular expression's cost per cell.
    """

    def parse(text: str) -> Decimal:
        whole, separator, fraction = text.partition(decimal_sep)
        digits = whole[1:] if whole[:1] in "+-" else whole
        if digits.isdecimal() and (fraction.isdecimal() if separator else True):
            return Decimal(f"{whole}.{fraction}" if separator else whole)
        return other(text)

    return parse


def parse_excel_amount(text: str) -> Decimal:
    """Parse a numeric spreadsheet cell as stored ("123.62", "1234.5599999999999").

    Excel keeps 15 significant digits, so longer binary noise is rounded away; money with
    up to two decimals comes out with exactly two, like the CSV export of the same data.
    """
    try:
        value = _EXCEL_PRECISION.create_decimal(text)
    except ArithmeticError:
        raise FieldValueError("a number", text) from None
    if not value.is_finite():
        raise FieldValueError("a number", text)
    value = value.normalize()
    if value.as_tuple().exponent >= -2:
        return value.quantize(_CENT)
    return value


def date_parser(fmt: str) -> Callable[[str], date]:
    """Return a parser for one date format; the two common formats skip slow strptime."""
    if fmt == "%Y-%m-%d":

        def parse_iso(text: str) -> date:
            value = text.strip()
            if _ISO_DATE.fullmatch(value):
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
            raise FieldValueError("a date YYYY-MM-DD", text)

        return parse_iso
    if fmt == "%d.%m.%Y":

        def parse_dotted(text: str) -> date:
            match = _DOTTED_DATE.fullmatch(text.strip())
            if match:
                try:
                    return date(int(match[3]), int(match[2]), int(match[1]))
                except ValueError:
                    pass
            raise FieldValueError("a date DD.MM.YYYY", text)

        return parse_dotted

    def parse_any(text: str) -> date:
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            raise FieldValueError(f"a date in format {fmt}", text) from None

    return parse_any


def excel_serial_date(text: str, date1904: bool = False) -> date:
    """Turn a spreadsheet date serial ("45292", "45292.5") into the calendar day."""
    try:
        days = int(float(text))
    except ValueError:
        raise FieldValueError("a spreadsheet date", text) from None
    if not 0 < days < 2958466:
        raise FieldValueError("a spreadsheet date", text)
    return (_EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH) + timedelta(days=days)


def parse_int(text: str) -> int:
    value = text.strip()
    if value.endswith(".0"):
        value = value[:-2]
    if not value.lstrip("+-").isdigit():
        raise FieldValueError("a whole number", text)
    return int(value)


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FieldValueError("0/1 or true/false", text)


def split_list(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.split(separator) if part.strip()]


def normalize_tax_id(raw: str) -> str:
    """One spelling per tax id: no spaces or dashes, upper case, Polish NIP without "PL".

    The sandbox export and Polish systems write a NIP as 10 digits, e-invoices often as
    "PL5260250274"; the ledger's customer key must be the same for both.
    """
    value = _TAX_ID_JUNK.sub("", raw).upper()
    if value.startswith("PL") and len(value) == 12 and value[2:].isdigit():
        return value[2:]
    return value


@lru_cache(maxsize=65536)
def tax_id_problem(tax_id: str, country: str | None = "PL") -> str | None:
    """Why `tax_id` fails its checksum, or None when it passes or has no known scheme."""
    from stdnum.eu import vat
    from stdnum.pl import nip

    country = (country or "PL").upper()
    if tax_id.isdigit():
        if country == "PL":
            return None if nip.is_valid(tax_id) else "invalid NIP checksum"
        if country in _EU_PREFIXES:
            tax_id = country + tax_id
        else:
            return None
    if tax_id[:2] in _EU_PREFIXES:
        return None if vat.is_valid(tax_id) else "invalid EU VAT number"
    return None


@lru_cache(maxsize=65536)
def regon_problem(regon: str) -> str | None:
    from stdnum.pl import regon as regon_check

    return None if regon_check.is_valid(regon) else "invalid REGON checksum"


@lru_cache(maxsize=65536)
def iban_problem(iban: str) -> str | None:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    try:
        IBAN(iban)
    except SchwiftyException as exc:
        return f"invalid IBAN ({exc})"
    return None


_LANGUAGE_BY_COUNTRY = {"PL": "pl", "DE": "de", "AT": "de", "CH": "de", "LI": "de"}


def language_for(country: str | None) -> str:
    """Debtor-facing language when the source does not say: pl, de, or en for the rest."""
    return _LANGUAGE_BY_COUNTRY.get((country or "PL").upper(), "en")
