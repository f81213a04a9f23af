"""Bank CSV exports (mBank, PKO BP, ING, Santander, Deutsche Bank, Sparkasse ...) by config.

Every layout difference (delimiter, preamble, header names or column numbers, date format,
decimal and thousands separators, debit/credit columns, "Label: value" cells, encodings) is
in config/banks/*.yaml; this module only knows how to apply such a description.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from os import PathLike
from pathlib import Path

from receivables.banking.accounts import normalize_account
from receivables.banking.amounts import parse_amount
from receivables.banking.bank_config import BankConfigs, CsvFormat, load_bank_configs
from receivables.banking.encoding import SNIFF_BYTES, sniff_encoding
from receivables.banking.errors import StatementError
from receivables.banking.records import Statement, StatementTransaction

_HEADER_SCAN_LINES = 60
_CURRENCY_SUFFIX = re.compile(r"\s*[A-Z]{3}$")
_NO_REF = {"NOTPROVIDED", "NONREF"}


def _sample(path: str | PathLike[str]) -> tuple[bytes, bool]:
    with open(path, "rb") as handle:
        sample = handle.read(SNIFF_BYTES)
    return sample, len(sample) < SNIFF_BYTES


def _header_index(lines: list[str], fmt: CsvFormat) -> int | None:
    """Index of the header line (0 for headerless formats whose first line matches)."""
    if not fmt.has_header:
        if fmt.first_line_pattern and lines and fmt.first_line_pattern.search(lines[0]):
            return 0
        return None
    if not fmt.header_tokens:
        return None
    for index, line in enumerate(lines[:_HEADER_SCAN_LINES]):
        if all(token in line for token in fmt.header_tokens):
            return index
    return None


def identify(path: str | PathLike[str], banks: BankConfigs | None = None) -> CsvFormat | None:
    """The configured CSV format this file is written in, or None."""
    try:
        sample, whole = _sample(path)
    except OSError:
        return None
    if not sample or b"\x00" in sample[:4096]:
        return None
    for fmt in (banks or load_bank_configs()).csv_formats:
        encoding = sniff_encoding(sample, fmt.encodings, whole_file=whole)
        lines = sample.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()
        if _header_index(lines, fmt) is not None:
            return fmt
    return None


def extract(
    path: str | PathLike[str],
    *,
    format_id: str | None = None,
    encoding: str | None = None,
    banks: BankConfigs | None = None,
) -> Iterator[Statement]:
    """Yield one Statement per account found in the CSV file.

    CSV exports carry no statement number: statement_id is "<format>:<first>..<last date>".
    Balances come from a balance-after-operation column when the format has one.
    """
    configs = banks or load_bank_configs()
    fmt = configs.csv_format(format_id) if format_id else identify(path, configs)
    if fmt is None:
        raise StatementError("not a known bank CSV layout", file=path, location="header",
                             expected="a header row listed in config/banks/*.yaml")
    sample, whole = _sample(path)
    encoding = encoding or sniff_encoding(sample, fmt.encodings, whole_file=whole)
    reader = _CsvReader(Path(path), fmt, encoding)
    yield from reader.statements()


class _CsvReader:
    def __init__(self, path: Path, fmt: CsvFormat, encoding: str) -> None:
        self.path = path
        self.fmt = fmt
        self.encoding = encoding
        self.dates: dict[str, date] = {}

    def fail(self, row: int, message: str, expected: str | None = None, found: str | None = None,
             column: str | None = None) -> StatementError:
        location = f"row {row}" + (f", column {column!r}" if column else "")
        return StatementError(message, file=self.path, location=location, expected=expected, found=found)

    def statements(self) -> Iterator[Statement]:
        fmt = self.fmt
        groups: dict[str, list[tuple[StatementTransaction, Decimal | None]]] = {}
        preamble: list[str] = []
        row_number = 0
        try:
            with open(self.path, encoding=self.encoding, newline="") as handle:
                lines = _peek_lines(handle)
                header_at = _header_index(lines, fmt)
                if header_at is None:
                    raise self.fail(1, "header row not found", ", ".join(fmt.header_tokens) or "first line pattern")
                handle.seek(0)
                if self.encoding == "utf-8" and handle.read(1) != "\ufeff":
                    handle.seek(0)
                rows = csv.reader(handle, delimiter=fmt.delimiter, quotechar=fmt.quotechar, strict=True)
                index: dict[str, int] = {}
                skip = header_at + (1 if fmt.has_header else fmt.skip_rows)
                for row in rows:
                    row_number = rows.line_num
                    if skip > 0:
                        skip -= 1
                        preamble.append(fmt.delimiter.join(row))
                        if fmt.has_header and skip == 0:
                            index = self.columns(row, row_number)
                        continue
                    if not index:
                        index = self.columns(None, row_number)
                    if not any(cell.strip() for cell in row):
                        continue
                    first = row[0].strip()
                    if any(first.startswith(prefix) for prefix in fmt.stop_prefixes):
                        break
                    tx, account, balance = self.transaction(row, index, row_number)
                    groups.setdefault(account or self.preamble_account(preamble), []).append((tx, balance))
        except UnicodeDecodeError as exc:
            raise self.fail(row_number + 1, f"cannot decode the file as {self.encoding}: wrong encoding?",
                            f"one of {', '.join(fmt.encodings)}", repr(exc.object[exc.start:exc.end + 8])) from None
        except csv.Error as exc:
            raise self.fail(row_number + 1, f"broken CSV row ({exc}) - truncated file?",
                            "complete quoted fields") from None
        for account, entries in groups.items():
            yield self.statement(account, entries)

    def columns(self, header: list[str] | None, row_number: int) -> dict[str, int]:
        names = {}
        if header is not None:
            names = {cell.strip().lstrip("\ufeff"): i for i, cell in enumerate(header)}
        index: dict[str, int] = {}
        for target, source in self.fmt.columns.items():
            if isinstance(source, int):
                index[target] = source
            elif source in names:
                index[target] = names[source]
            else:
                raise self.fail(row_number, "missing column in header", repr(source), ", ".join(names)[:80])
        return index

    def preamble_account(self, preamble: list[str]) -> str:
        """The account from the lines above the table, else from the file name (PKO BP)."""
        if self.fmt.account_pattern:
            for line in [*preamble, self.path.name]:
                match = self.fmt.account_pattern.search(line)
                if match:
                    return normalize_account(match.group(0), self.fmt.country) or ""
        return ""

    def cell(self, row: list[str], index: dict[str, int], name: str, row_number: int) -> str | None:
        position = index.get(name)
        if position is None:
            return None
        if position >= len(row):
            raise self.fail(row_number, "row has too few columns (truncated file?)",
                            f"at least {position + 1} columns", f"{len(row)} columns")
        value = row[position].strip()
        return value or None

    def day(self, text: str | None, row_number: int, column: str) -> date:
        if not text:
            raise self.fail(row_number, "missing date", ", ".join(self.fmt.date_formats), "empty", column)
        value = self.dates.get(text)
        if value is None:
            for pattern in self.fmt.date_formats:
                try:
                    value = datetime.strptime(text, pattern).date()
                    break
                except ValueError:
                    continue
            else:
                raise self.fail(row_number, "invalid date", " or ".join(self.fmt.date_formats), text, column)
            self.dates[text] = value
        return value

    def money(self, text: str, row_number: int, column: str) -> Decimal:
        cleaned = _CURRENCY_SUFFIX.sub("", text)
        try:
            return parse_amount(cleaned, decimal=self.fmt.decimal, thousands=self.fmt.thousands)
        except (ValueError, ArithmeticError):
            raise self.fail(row_number, "invalid amount",
                            f"a number with decimal {self.fmt.decimal!r}", text, column) from None

    def transaction(self, row: list[str], index: dict[str, int], row_number: int
                    ) -> tuple[StatementTransaction, str | None, Decimal | None]:
        fmt = self.fmt
        cell = self.cell
        columns = fmt.columns
        booking = self.day(cell(row, index, "booking_date", row_number), row_number, str(columns["booking_date"]))
        value_text = cell(row, index, "value_date", row_number)
        value = self.day(value_text, row_number, str(columns["value_date"])) if value_text else None
        if "amount" in index:
            text = cell(row, index, "amount", row_number)
            if text is None:
                raise self.fail(row_number, "missing amount", "a number", "empty", str(columns["amount"]))
            amount = self.money(text, row_number, str(columns["amount"]))
        else:
            debit = cell(row, index, "debit", row_number)
            credit = cell(row, index, "credit", row_number)
            if debit is None and credit is None:
                raise self.fail(row_number, "neither debit nor credit amount", "one of them", "both empty")
            amount = Decimal(0)
            if debit is not None:
                amount -= abs(self.money(debit, row_number, str(columns["debit"])))
            if credit is not None:
                amount += abs(self.money(credit, row_number, str(columns["credit"])))
        values = {name: cell(row, index, name, row_number)
                  for name in ("counterparty_name", "counterparty_iban", "title", "reference", "end_to_end_id", "bank_code")}
        for name in ("reference", "end_to_end_id"):
            if values[name] and values[name].upper() in _NO_REF:
                values[name] = None
        for position in fmt.labelled_columns:
            if position < len(row) and ":" in row[position]:
                label, _, text = row[position].partition(":")
                target = fmt.labels.get(label.strip())
                if target and text.strip() and not values.get(target):
                    values[target] = text.strip()
        balance_text = cell(row, index, "balance_after", row_number)
        balance = self.money(balance_text, row_number, str(columns["balance_after"])) if balance_text else None
        currency_text = cell(row, index, "currency", row_number)
        currency = currency_text or fmt.default_currency or ""
        iban = normalize_account(values["counterparty_iban"], fmt.country)
        account = cell(row, index, "account", row_number)
        tx = StatementTransaction(
            booking, value, amount, currency, values["counterparty_name"], iban, values["title"],
            values["reference"], values["end_to_end_id"], values["bank_code"],
        )
        return tx, normalize_account(account, fmt.country) if account else None, balance

    def statement(self, account: str, entries: list[tuple[StatementTransaction, Decimal | None]]) -> Statement:
        if len(entries) > 1 and _descending(entries):
            entries.reverse()
        transactions = [tx for tx, _ in entries]
        opening = closing = None
        if entries and all(balance is not None for _, balance in entries):
            first_tx, first_balance = entries[0]
            opening = first_balance - first_tx.amount  # type: ignore[operator]
            closing = entries[-1][1]
        first = min((t.booking_date for t in transactions), default=None)
        last = max((t.booking_date for t in transactions), default=None)
        currency = next((t.currency for t in transactions if t.currency), self.fmt.default_currency or "")
        return Statement(
            account=account,
            statement_id=f"{self.fmt.id}:{first}..{last}",
            currency=currency,
            opening_balance=opening,
            closing_balance=closing,
            opening_date=first,
            closing_date=last,
            transactions=transactions,
        )


def _peek_lines(handle: io.TextIOBase) -> list[str]:
    lines = []
    for _ in range(_HEADER_SCAN_LINES):
        line = handle.readline()
        if not line:
            break
        lines.append(line.lstrip("\ufeff"))
    return lines


def _descending(entries: list[tuple[StatementTransaction, Decimal | None]]) -> bool:
    """Newest-first exports (mBank, ING, PKO) are turned to chronological order."""
    first, last = entries[0][0].booking_date, entries[-1][0].booking_date
    if first != last:
        return first > last
    (tx0, bal0), (tx1, bal1) = entries[0], entries[1]
    if bal0 is None or bal1 is None:
        return False
    return bal0 == bal1 + tx0.amount and bal1 != bal0 + tx1.amount
