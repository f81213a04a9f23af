"""Streaming SWIFT MT940 parser: one statement at a time, bank differences from config.

Reads line by line (never the whole file), so memory stays flat however many statements a
file holds; each :86: field is read with the dialect of the bank that owns the :25: account
(config/banks/*.yaml), or, for unknown accounts, the first dialect whose markers it shows.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from os import PathLike
from pathlib import Path

from receivables.banking.accounts import normalize_account
from receivables.banking.bank_config import BankConfigs, Mt940Dialect, load_bank_configs
from receivables.banking.encoding import SNIFF_BYTES, sniff_encoding
from receivables.banking.errors import StatementError
from receivables.banking.mt940_details import Details, DetailsReader
from receivables.banking.mt940_fast import LINE_61, MAX_MISSES, EntryPattern
from receivables.banking.records import Statement, StatementTransaction

# Matched against the whole :61: text; only its first line counts. The references after the
# type code are split at the first "//" by str.partition, cheaper than a lazy group.
_LINE_61 = re.compile(LINE_61)
_BALANCE = re.compile(r"([CD])(\d{6})([A-Z]{3})(\d{1,15}(?:,\d*)?)$")
_DEFAULT_ENCODINGS = ("utf-8", "cp1250", "iso-8859-2")
_CHUNK = 1 << 20
# A field tag, "-" terminator or "{" block line, each with the newline before it: a pattern that
# starts with a literal is searched for by that character, three times cheaper than trying `^`
# at every position. The chunk gets one "\n" in front so its first line is found too.
_TOKEN = re.compile(r"\n(:\d\d[A-Z]?:|-\}?[ \t]*$|\{[^\n]*$)", re.MULTILINE)
_ENTRY_START = re.compile(r"\n(?=:(?:61|20):)")
# What ends the fields of one :61: entry: a :86: after any of them other than these is its own.
_ENTRY_END = frozenset((":61:", ":20:", ":62F:", ":62M:"))


def _last_entry_start(chunk: str) -> int:
    """Offset just after the last newline that starts a :61: or :20: field, or 0 when none is
    found: every field of an entry stays in the chunk of its :61:."""
    pos = len(chunk)
    while True:
        pos = chunk.rfind("\n:", 0, pos)
        if pos < 0:
            return 0
        if _ENTRY_START.match(chunk, pos):
            return pos + 1

FORMAT = "mt940"


def identify(path: str | PathLike[str]) -> bool:
    """An MT940 file has :20:, :25: and a :60F:/:60M: balance near its start."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    text = head.decode("latin-1")
    return ":20:" in text and ":25:" in text and (":60F:" in text or ":60M:" in text)


def extract(
    path: str | PathLike[str],
    *,
    encoding: str | None = None,
    dialect: str | None = None,
    banks: BankConfigs | None = None,
) -> Iterator[Statement]:
    """Yield the statements in an MT940 file, one by one.

    `encoding` overrides detection; `dialect` forces one bank's :86: rules (an id from
    config/banks, e.g. "pko_bp"). Raises StatementError naming the line on bad input.
    """
    configs = banks or load_bank_configs()
    forced = configs.dialect(dialect) if dialect else None
    with open(path, "rb") as raw:
        if encoding is None:
            sample = raw.read(SNIFF_BYTES)
            whole = len(sample) < SNIFF_BYTES
            candidates = forced.encodings if forced else _DEFAULT_ENCODINGS
            encoding = sniff_encoding(sample, candidates, whole_file=whole)
            raw.seek(0)
        yield from _Mt940Reader(Path(path), configs, forced, encoding).statements(_decoded(raw, encoding))


def _decoded(raw: io.BufferedIOBase, encoding: str) -> Iterator[str]:
    """The file's text in blocks, newlines made "\\n" (as universal newlines, without TextIOWrapper's
    per-read cost); a UnicodeDecodeError is left to the caller, which knows the file."""
    decoder = io.IncrementalNewlineDecoder(codecs.getincrementaldecoder(encoding)(errors="strict"), translate=True)
    for block in iter(lambda: raw.read(_CHUNK), b""):
        text = decoder.decode(block)
        if text:  # "" would read as the end of the file
            yield text
    text = decoder.decode(b"", final=True)
    if text:
        yield text


class _Mt940Reader:
    """State machine over the fields of one file, with a fast path for whole entries.

    A position is kept as (lines before the piece of text being walked, the piece's tokens,
    token index) and turned into a line number only for an error message; each token up to and
    including the one at the index took one newline with it, the first of them the newline the
    piece starts with.
    """

    def __init__(
        self, path: Path, configs: BankConfigs, forced: Mt940Dialect | None, encoding: str
    ) -> None:
        self.path = path
        self.configs = configs
        self.forced = forced
        self.encoding = encoding
        self.readers: dict[str, DetailsReader] = {}
        self.patterns: dict[str, EntryPattern] = {}
        self.strict: dict[EntryPattern, bool] = {}
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, Decimal] = {}
        self.date_pairs: dict[tuple[str, str | None], tuple[date, date]] = {}
        self.base_line = 0
        self.parts: list[str] = [""]

    def here(self, index: int) -> tuple[int, list[str], int]:
        return (self.base_line, self.parts, index)

    def error(self, where: tuple[int, list[str], int], message: str, expected: str | None = None,
              found: str | None = None) -> StatementError:
        base_line, parts, index = where
        line = base_line + "".join(parts[:index]).count("\n") + max((index + 1) // 2 - 1, 0) + 1
        return StatementError(message, file=self.path, location=f"line {line}", expected=expected, found=found)

    def reader(self, dialect: Mt940Dialect) -> DetailsReader:
        reader = self.readers.get(dialect.id)
        if reader is None:
            reader = self.readers[dialect.id] = DetailsReader(dialect)
        return reader

    def statements(self, blocks: Iterator[str]) -> Iterator[Statement]:
        """Read the file in large chunks cut before a :61: or :20: (so an entry's :86: is in the
        chunk of its :61:) and read each chunk's entries whole where the statement's entry
        pattern matches them (mt940_fast), field by field where it does not.
        """
        self.stmt: _OpenStatement | None = None
        used_terminators = False
        carry = ""
        eof = False
        while not eof:
            try:
                data = next(blocks, "")
            except UnicodeDecodeError as exc:
                raise self._decode_error(exc) from exc
            if data:
                chunk = carry + data
                cut = _last_entry_start(chunk)
                if cut <= 0:
                    carry = chunk
                    continue
                carry, chunk = chunk[cut:], chunk[:cut]
            else:
                chunk, carry, eof = carry, "", True
            if "\x01" in chunk or "\x03" in chunk:
                used_terminators = True
                chunk = chunk.replace("\x01", "").replace("\x03", "")
            text = "\n" + chunk
            self.strict = {}  # per entry pattern: whether this chunk holds a placeholder character
            pos, end = 0, len(text)
            while pos < end:
                stmt = self.stmt
                if stmt is not None and stmt.fast is not None and text.startswith("\n:61:", pos):
                    stop = self.fast_entries(stmt, stmt.fast, text, pos)
                    self.base_line += text.count("\n", pos + 1, stop + 1)
                    pos = stop
                    if pos >= end:
                        break
                # Up to the next entry while this statement's entries may yet be read whole, else
                # up to the next statement.
                undecided = stmt is not None and stmt.read_details is None and stmt.misses < MAX_MISSES
                fast_later = stmt is None or stmt.fast is not None or undecided
                stop = text.find("\n:61:" if fast_later else "\n:20:", pos + 1)
                if stop < 0:
                    stop = end
                for done in self.fields(text[pos:stop]):
                    used_terminators = used_terminators or done is None
                    if done is not None:
                        yield done
                if undecided and self.stmt is stmt and stmt.read_details is None:
                    stmt.misses += 1  # an entry without :86:, or one of no known dialect
                self.base_line += text.count("\n", pos + 1, stop + 1)
                pos = stop
        self.parts = [""]
        stmt = self.stmt
        if stmt is not None:
            if stmt.closing is None and used_terminators:
                raise self.error(
                    self.here(0),
                    "file ends inside a statement (truncated?)",
                    ":62F: closing balance and the '-' terminator",
                    "end of file",
                )
            done = self.close()
            if done is not None:
                yield done

    def fields(self, text: str) -> Iterator[Statement | None]:
        """Walk the fields of `text` (starting with a newline) one by one; yields each statement
        they close, and None for each "-" terminator seen."""
        parts = self.parts = _TOKEN.split(text)
        if parts[0].strip():
            raise self.error(self.here(0), "text outside any field", "a line starting with :NN:",
                             parts[0].strip()[:40])
        last = len(parts) - 2
        entry = self.entry
        for index in range(1, len(parts), 2):
            token = parts[index]
            if token == ":61:":
                if index < last and parts[index + 2] == ":86:":
                    entry(parts[index + 1], parts[index + 3], index)
                else:
                    entry(parts[index + 1], _details_after(parts, index), index)
            elif token == ":86:":
                continue
            elif token[0] == ":":
                done = self.field(token[1:-1], parts[index + 1].rstrip("\n"), index)
                if done is not None:
                    yield done
            elif token[0] == "-":
                yield None
                done = self.close()
                if done is not None:
                    yield done

    def fast_entries(self, stmt: _OpenStatement, fast: EntryPattern, text: str, pos: int) -> int:
        """Read the entries from `pos` on that the statement's entry pattern matches whole;
        returns where it stopped. An entry on days not seen before is left to `fields`, which
        checks the dates and caches them; after MAX_MISSES entries in a row that the pattern
        does not match, the statement is read field by field."""
        strict = self.strict.get(fast)
        if strict is None:
            strict = self.strict[fast] = any(p in text for p in fast.placeholders)
        current = fast.current(strict)
        if current is None:
            return pos
        pattern, readings = current
        match_at = pattern.match
        details = fast.details
        date_pairs, amounts = self.date_pairs, self.amounts
        append = stmt.transactions.append
        currency = stmt.currency
        start = pos
        while True:
            match = match_at(text, pos)
            if match is None:
                stmt.misses = stmt.misses + 1 if pos == start else 1
                if stmt.misses >= MAX_MISSES:
                    stmt.fast = None
                return pos
            groups, shape = readings[match.lastindex]  # type: ignore[index]
            value_s, entry_s, mark, amount_s, type_code, refs, *found = match.group(*groups)
            if not shape.simple:
                found = shape.fields(found)
            dates = date_pairs.get((value_s, entry_s))
            if dates is None:
                if pos > start:
                    stmt.misses = 0
                return pos
            amount = amounts.get(amount_s)
            if amount is None:
                amount = self.amount(amount_s, 0)  # the pattern admits only valid amounts
            if mark == "D" or mark == "RC":
                amount = -amount
            title, name, iban, e2e, code = details(*found)
            append(_transaction((
                dates[0], dates[1], amount, currency, name, iban, title, _reference(refs), e2e, code or type_code,
            )))
            pos = match.end()

    def _decode_error(self, exc: UnicodeDecodeError) -> StatementError:
        """Find the first undecodable line by rescanning the bytes (error path only)."""
        decoder = codecs.getincrementaldecoder(self.encoding)()
        line = 1
        found = ""
        with open(self.path, "rb") as raw:
            for block in iter(lambda: raw.read(65536), b""):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as inner:
                    start = max(0, inner.start)
                    line += block.count(b"\n", 0, start)
                    found = repr(block[max(0, start - 10) : start + 10])
                    break
                line += block.count(b"\n")
        return self.error(
            (line - 1, [], 0),
            f"cannot decode the file as {self.encoding}: wrong encoding?",
            "text in UTF-8, cp1250 or ISO-8859-2 (or pass encoding=)",
            found or str(exc),
        )

    def field(self, tag: str, text: str, index: int) -> Statement | None:
        """Apply one complete field other than :61: and :86:; returns a statement it closed."""
        stmt = self.stmt
        value = text.replace("\n", "").strip()
        if tag == "20":
            finished = None
            if stmt is not None:
                if stmt.closing is None:
                    raise self.error(self.here(index), "new statement starts before the previous one closed",
                                     ":62F: closing balance", ":20:")
                finished = self.close()
            self.stmt = _OpenStatement(value, self.here(index))
            return finished
        if stmt is None:
            if tag in ("25", "28C", "28", "60F", "60M", "62F", "62M"):
                raise self.error(self.here(index), f":{tag}: before the statement header", ":20: first", f":{tag}:")
            return None
        if tag == "25":
            stmt.account_raw = value
            stmt.dialect = self.forced or self._dialect_for(value)
        elif tag in ("28C", "28"):
            stmt.sequence = value
        elif tag in ("60F", "60M"):
            stmt.opening, stmt.opening_date, stmt.currency = self.balance(value, index, tag)
        elif tag in ("62F", "62M"):
            stmt.closing, stmt.closing_date, currency = self.balance(value, index, tag)
            stmt.currency = stmt.currency or currency
        return None

    def close(self) -> Statement | None:
        stmt = self.stmt
        if stmt is None:
            return None
        self.stmt = None
        if not stmt.account_raw:
            raise self.error(stmt.where, "statement without account", ":25: account identification", "nothing")
        if stmt.opening is None:
            raise self.error(stmt.where, "statement without opening balance", ":60F: or :60M:", "nothing")
        dialect = stmt.dialect
        account = normalize_account(stmt.account_raw, dialect.country if dialect else None) or ""
        statement_id = f"{stmt.reference}/{stmt.sequence}" if stmt.sequence else stmt.reference
        return Statement(
            account=account,
            statement_id=statement_id,
            currency=stmt.currency or "",
            opening_balance=stmt.opening,
            closing_balance=stmt.closing,
            opening_date=stmt.opening_date,
            closing_date=stmt.closing_date,
            transactions=stmt.transactions,
        )

    def _dialect_for(self, account: str) -> Mt940Dialect | None:
        account = account.lstrip("/").replace(" ", "")
        for dialect in self.configs.mt940_dialects:
            if dialect.serves(account):
                return dialect
        return None

    def sniff_dialect(self, text: str) -> Mt940Dialect | None:
        """The first structured dialect whose markers appear in `text` (never free text)."""
        for dialect in self.configs.mt940_dialects:
            if dialect.details.style != "free" and self.reader(dialect).matches(text):
                return dialect
        return None

    def date6(self, text: str, index: int) -> date:
        value = self.dates.get(text)
        if value is None:
            try:
                year = int(text[:2])
                value = date(2000 + year if year < 80 else 1900 + year, int(text[2:4]), int(text[4:6]))
            except ValueError:
                raise self.error(self.here(index), "invalid date", "YYMMDD", text) from None
            self.dates[text] = value
        return value

    def amount(self, text: str, index: int) -> Decimal:
        value = self.amounts.get(text)
        if value is None:
            try:
                value = Decimal(text.replace(",", "."))
            except InvalidOperation:
                raise self.error(self.here(index), "invalid amount", "digits with a decimal comma", text) from None
            if len(self.amounts) < 100_000:
                self.amounts[text] = value
        return value

    def balance(self, text: str, index: int, tag: str) -> tuple[Decimal, date, str]:
        match = _BALANCE.match(text)
        if match is None:
            raise self.error(self.here(index), f"malformed :{tag}: balance",
                             "C/D, YYMMDD, currency, amount like C240131PLN1234,56", text)
        mark, day, currency, amount = match.groups()
        value = self.amount(amount, index)
        return (-value if mark == "D" else value), self.date6(day, index), currency

    def entry(self, text: str, details: str | None, index: int) -> None:
        """A :61: statement line and its :86: (None when it has none) as one transaction."""
        stmt = self.stmt
        if stmt is None:
            raise self.error(self.here(index), ":61: before the statement header", ":20: first", ":61:")
        match = _LINE_61.match(text)
        if match is None:
            raise self.error(
                self.here(index), "malformed :61: statement line",
                "YYMMDD[MMDD]C|D|RC|RD[funds code]amount N|F|Sxxx reference", text.partition("\n")[0],
            )
        value_s, entry_s, mark, amount_s, type_code, refs = match.groups()
        dates = self.date_pairs.get((value_s, entry_s))
        if dates is None:
            dates = self.date_pairs[(value_s, entry_s)] = self.entry_dates(value_s, entry_s, index)
        amount = self.amounts.get(amount_s)
        if amount is None:
            amount = self.amount(amount_s, index)
        if mark == "D" or mark == "RC":
            amount = -amount
        reference = _reference(refs)
        if details is None:
            title = name = iban = e2e = code = None
        else:
            read = stmt.read_details or self.details_reader(stmt, details)
            title, name, iban, e2e, code = read(details)
        stmt.transactions.append(_transaction((
            dates[0], dates[1], amount, stmt.currency, name, iban, title, reference, e2e, code or type_code,
        )))

    def details_reader(self, stmt: _OpenStatement, details: str) -> Callable[[str], Details]:
        """How this statement's :86: fields read, decided at its first one.

        Trust the account's bank once its markers show; a file written in another dialect is
        recognised by its markers; neither: this entry only, by the account's bank or as free text.
        """
        dialect = stmt.dialect
        if dialect is None or not self.reader(dialect).matches(details):
            sniffed = self.sniff_dialect(details)
            if sniffed is None:
                return self.reader(dialect).read if dialect is not None else _free_text
            dialect = sniffed
        reader = self.reader(dialect)
        stmt.read_details = reader.read
        stmt.fast = self.entry_pattern(reader)
        return reader.read

    def entry_pattern(self, reader: DetailsReader) -> EntryPattern | None:
        """The whole-entry pattern for a dialect whose :86: has subfields on joined lines."""
        spec = reader.spec
        if spec.style != "subfields" or spec.join_lines or not spec.marker:
            return None
        pattern = self.patterns.get(reader.dialect.id)
        if pattern is None:
            pattern = self.patterns[reader.dialect.id] = EntryPattern(reader)
        return pattern

    def entry_dates(self, value_s: str, entry_s: str | None, index: int) -> tuple[date, date]:
        """(booking date, value date); the MMDD entry date takes the year nearest the value date."""
        value_date = self.date6(value_s, index)
        booking_date = value_date
        if entry_s:
            month, day = int(entry_s[:2]), int(entry_s[2:])
            year = value_date.year
            if month - value_date.month > 6:
                year -= 1
            elif value_date.month - month > 6:
                year += 1
            try:
                booking_date = date(year, month, day)
            except ValueError:
                raise self.error(self.here(index), "invalid entry date", "MMDD", entry_s) from None
        return booking_date, value_date


def _reference(refs: str) -> str | None:
    """The bank's reference after "//", else the customer's reference unless NONREF."""
    customer_ref, _, bank_ref = refs.partition("//")
    if bank_ref:
        reference = bank_ref.strip()
        if reference:
            return reference
    customer_ref = customer_ref.strip()
    return customer_ref if customer_ref and customer_ref != "NONREF" else None


def _details_after(parts: list[str], index: int) -> str | None:
    """The :86: of the :61: at `index` when other fields (e.g. :64:) stand between them."""
    for later in range(index + 2, len(parts), 2):
        token = parts[later]
        if token == ":86:":
            return parts[later + 1]
        if token in _ENTRY_END or token[0] != ":":
            return None
    return None


# Builds the record from one tuple at C level, half the cost of calling the class.
_transaction = StatementTransaction._make


def _free_text(details: str) -> Details:
    """An :86: of no known dialect: its lines joined as the title."""
    title = " ".join(part.strip() for part in details.split("\n")).strip() or None
    return (title, None, None, None, None)


class _OpenStatement:
    """A statement being read."""

    __slots__ = (
        "reference", "where", "account_raw", "sequence", "dialect", "currency", "opening",
        "opening_date", "closing", "closing_date", "transactions", "read_details", "fast", "misses",
    )

    def __init__(self, reference: str, where: tuple[int, list[str], int]) -> None:
        self.reference = reference
        self.where = where
        self.account_raw = ""
        self.sequence = ""
        self.dialect: Mt940Dialect | None = None
        self.read_details: Callable[[str], Details] | None = None
        self.fast: EntryPattern | None = None  # set with read_details when entries may be read whole
        self.misses = 0  # entries in a row the entry pattern did not match
        self.currency = ""
        self.opening: Decimal | None = None
        self.opening_date: date | None = None
        self.closing: Decimal | None = None
        self.closing_date: date | None = None
        self.transactions: list[StatementTransaction] = []
