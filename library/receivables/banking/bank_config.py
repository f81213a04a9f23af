"""Per-bank format descriptions loaded from config/banks/*.yaml, so a new bank is config only.

Each YAML file describes one bank (or one shared convention) and may hold an `mt940:`
section (how its :86: field is structured) and/or a `csv:` section (how its CSV export is
laid out). The directory is config/banks/ in the repository, or $RECEIVABLES_BANKS_DIR,
or $RECEIVABLES_CONFIG_DIR/banks.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from receivables.banking.errors import StatementError

TRANSACTION_FIELDS = (
    "booking_date",
    "value_date",
    "amount",
    "debit",
    "credit",
    "currency",
    "counterparty_name",
    "counterparty_iban",
    "title",
    "reference",
    "end_to_end_id",
    "bank_code",
    "account",
    "balance_after",
)
DETAIL_FIELDS = ("title", "counterparty_name", "counterparty_iban", "reference", "end_to_end_id")


@dataclass(frozen=True)
class DetailsSpec:
    """How one bank fills the MT940 :86: field.

    style "subfields": `marker` + two digits start each subfield (~20, ^20, ?20);
    style "labels": "LABEL: value" segments split by `segment_separator` (mBank);
    style "free": the whole text is the title.
    """

    style: str
    marker: str | None = None
    join_lines: str = ""
    booking_text: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    name: tuple[str, ...] = ()
    iban: tuple[str, ...] = ()
    bank_id: str | None = None
    account: str | None = None
    sepa_keys: bool = False
    placeholders: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)
    segment_separator: str = "; "
    name_address_separator: str | None = None


@dataclass(frozen=True)
class Mt940Dialect:
    """One bank's MT940 flavour: which accounts it serves and how to read its :86:."""

    id: str
    bank: str
    country: str | None
    encodings: tuple[str, ...]
    account_patterns: tuple[re.Pattern[str], ...]
    details: DetailsSpec

    def serves(self, account: str) -> bool:
        return any(p.search(account) for p in self.account_patterns)


@dataclass(frozen=True)
class CsvFormat:
    """One bank's CSV export layout; `columns` map record fields to header names or indexes."""

    id: str
    bank: str
    country: str | None
    encodings: tuple[str, ...]
    delimiter: str
    quotechar: str
    header_tokens: tuple[str, ...]
    first_line_pattern: re.Pattern[str] | None
    has_header: bool
    skip_rows: int
    date_formats: tuple[str, ...]
    decimal: str
    thousands: str
    columns: dict[str, str | int]
    labelled_columns: tuple[int, ...]
    labels: dict[str, str]
    account_pattern: re.Pattern[str] | None
    default_currency: str | None
    stop_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class BankConfigs:
    mt940_dialects: tuple[Mt940Dialect, ...]
    csv_formats: tuple[CsvFormat, ...]

    def dialect(self, dialect_id: str) -> Mt940Dialect:
        for dialect in self.mt940_dialects:
            if dialect.id == dialect_id:
                return dialect
        known = ", ".join(d.id for d in self.mt940_dialects)
        raise KeyError(f"unknown MT940 dialect {dialect_id!r}; known: {known}")

    def csv_format(self, format_id: str) -> CsvFormat:
        for fmt in self.csv_formats:
            if fmt.id == format_id:
                return fmt
        known = ", ".join(f.id for f in self.csv_formats)
        raise KeyError(f"unknown CSV format {format_id!r}; known: {known}")


def banks_dir() -> Path:
    """Where the bank YAML files live (environment first, then the repository's config/)."""
    if os.environ.get("RECEIVABLES_BANKS_DIR"):
        return Path(os.environ["RECEIVABLES_BANKS_DIR"])
    if os.environ.get("RECEIVABLES_CONFIG_DIR"):
        return Path(os.environ["RECEIVABLES_CONFIG_DIR"]) / "banks"
    return Path(__file__).resolve().parents[3] / "config" / "banks"


def load_bank_configs(directory: Path | None = None) -> BankConfigs:
    """Read every *.yaml in the banks directory (cached per directory)."""
    return _load(str(directory or banks_dir()))


@lru_cache(maxsize=8)
def _load(directory: str) -> BankConfigs:
    import yaml

    dialects: list[Mt940Dialect] = []
    formats: list[CsvFormat] = []
    paths = sorted(Path(directory).glob("*.yaml"))
    if not paths:
        raise StatementError("no bank configuration found", file=directory, expected="config/banks/*.yaml")
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
        try:
            bank = str(data.get("name", path.stem))
            country = data.get("country")
            for index, section in enumerate(_as_list(data.get("mt940"))):
                dialect_id = section.get("id", path.stem if index == 0 else f"{path.stem}_{index}")
                dialects.append(_dialect(section, dialect_id, bank, country))
            for index, section in enumerate(_as_list(data.get("csv"))):
                fmt_id = section.get("id", path.stem if index == 0 else f"{path.stem}_{index}")
                formats.append(_csv_format(section, fmt_id, bank, country))
        except (KeyError, TypeError, ValueError, re.error) as exc:
            raise StatementError(f"bad bank configuration: {exc}", file=path) from exc
    dialects.sort(key=lambda d: d.details.style == "free")
    return BankConfigs(tuple(dialects), tuple(formats))


def _as_list(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _codes(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        value = [value]
    return tuple(f"{int(v):02d}" if str(v).isdigit() else str(v) for v in value)


def _dialect(section: dict[str, Any], dialect_id: str, bank: str, country: str | None) -> Mt940Dialect:
    details = section["details"]
    spec = DetailsSpec(
        style=details["style"],
        marker=details.get("marker"),
        join_lines=details.get("join_lines", ""),
        booking_text=_codes(details.get("booking_text")),
        title=_codes(details.get("title")),
        name=_codes(details.get("name")),
        iban=_codes(details.get("iban")),
        bank_id=_codes(details.get("bank_id"))[0] if details.get("bank_id") is not None else None,
        account=_codes(details.get("account"))[0] if details.get("account") is not None else None,
        sepa_keys=bool(details.get("sepa_keys", False)),
        placeholders=tuple(details.get("placeholders", ())),
        labels=dict(details.get("labels", {})),
        segment_separator=details.get("segment_separator", "; "),
        name_address_separator=details.get("name_address_separator"),
    )
    if spec.style not in ("subfields", "labels", "free"):
        raise ValueError(f"details.style must be subfields, labels or free, not {spec.style!r}")
    if spec.style == "subfields" and not spec.marker:
        raise ValueError("details.marker is required for style subfields")
    for target in spec.labels.values():
        if target not in DETAIL_FIELDS:
            raise ValueError(f"label target {target!r} is not one of {DETAIL_FIELDS}")
    return Mt940Dialect(
        id=dialect_id,
        bank=bank,
        country=section.get("country", country),
        encodings=tuple(section.get("encodings", ("utf-8", "cp1250", "iso-8859-2"))),
        account_patterns=tuple(re.compile(p) for p in section.get("accounts", ())),
        details=spec,
    )


def _csv_format(section: dict[str, Any], fmt_id: str, bank: str, country: str | None) -> CsvFormat:
    columns = dict(section["columns"])
    for name in columns:
        if name not in TRANSACTION_FIELDS:
            raise ValueError(f"unknown column target {name!r}; use one of {TRANSACTION_FIELDS}")
    if "booking_date" not in columns:
        raise ValueError("columns.booking_date is required")
    if "amount" not in columns and not ("debit" in columns and "credit" in columns):
        raise ValueError("columns need amount, or debit and credit")
    identify = section.get("identify", {})
    labels = dict(section.get("labels", {}))
    for target in labels.values():
        if target not in DETAIL_FIELDS:
            raise ValueError(f"label target {target!r} is not one of {DETAIL_FIELDS}")
    first_line = identify.get("first_line")
    account = section.get("account_pattern")
    date_formats = section.get("date_format", "%Y-%m-%d")
    return CsvFormat(
        id=fmt_id,
        bank=bank,
        country=section.get("country", country),
        encodings=tuple(section.get("encodings", ("utf-8", "cp1250"))),
        delimiter=section.get("delimiter", ";"),
        quotechar=section.get("quotechar", '"'),
        header_tokens=tuple(identify.get("header", ())),
        first_line_pattern=re.compile(first_line) if first_line else None,
        has_header=bool(section.get("has_header", True)),
        skip_rows=int(section.get("skip_rows", 0)),
        date_formats=tuple([date_formats] if isinstance(date_formats, str) else date_formats),
        decimal=section.get("decimal", ","),
        thousands=section.get("thousands", ""),
        columns=columns,
        labelled_columns=tuple(section.get("labelled_columns", ())),
        labels=labels,
        account_pattern=re.compile(account) if account else None,
        default_currency=section.get("currency"),
        stop_prefixes=tuple(section.get("stop_at", ())),
    )
