"""The importer registry the statement inbox asks: which format is this file, and its records.

Shaped like beancount's beangulp importers: each importer answers `identify(path)` and
`extract(path)`; the inbox tries them in order (camt, MT940, then each configured bank CSV),
so a new bank CSV is a new YAML file in config/banks/, not code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from typing import Protocol

from receivables.banking import camt, csv_banks, mt940
from receivables.banking.bank_config import BankConfigs, CsvFormat, load_bank_configs
from receivables.banking.errors import StatementError
from receivables.banking.records import Statement


class Importer(Protocol):
    name: str

    def identify(self, path: str | PathLike[str]) -> bool: ...

    def extract(self, path: str | PathLike[str]) -> Iterator[Statement]: ...


@dataclass(frozen=True)
class ParsedFile:
    """A whole statement file, read; `format` is e.g. "mt940", "camt.053", "csv:mbank"."""

    format: str
    statements: list[Statement]


class CamtImporter:
    def __init__(self, kind: str) -> None:
        self.name = kind

    def identify(self, path: str | PathLike[str]) -> bool:
        return camt.sniff_kind(path) == self.name

    def extract(self, path: str | PathLike[str]) -> Iterator[Statement]:
        return camt.extract(path)


class Mt940Importer:
    name = mt940.FORMAT

    def __init__(self, banks: BankConfigs) -> None:
        self.banks = banks

    def identify(self, path: str | PathLike[str]) -> bool:
        return mt940.identify(path)

    def extract(self, path: str | PathLike[str]) -> Iterator[Statement]:
        return mt940.extract(path, banks=self.banks)


class CsvImporter:
    def __init__(self, fmt: CsvFormat, banks: BankConfigs) -> None:
        self.fmt = fmt
        self.banks = banks
        self.name = f"csv:{fmt.id}"

    def identify(self, path: str | PathLike[str]) -> bool:
        found = csv_banks.identify(path, self.banks)
        return found is not None and found.id == self.fmt.id

    def extract(self, path: str | PathLike[str]) -> Iterator[Statement]:
        return csv_banks.extract(path, format_id=self.fmt.id, banks=self.banks)


def importers(banks: BankConfigs | None = None) -> list[Importer]:
    """Every importer, in the order the inbox should ask them."""
    configs = banks or load_bank_configs()
    found: list[Importer] = [CamtImporter("camt.053"), CamtImporter("camt.054"), CamtImporter("camt.052")]
    found.append(Mt940Importer(configs))
    return found


def detect_format(path: str | PathLike[str], banks: BankConfigs | None = None) -> str:
    """Name of the format of `path`; StatementError when no importer recognises it."""
    return _importer(path, banks).name


def _importer(path: str | PathLike[str], banks: BankConfigs | None) -> Importer:
    configs = banks or load_bank_configs()
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError as exc:
        raise StatementError(f"cannot read the file: {exc.strerror}", file=path) from None
    if not head.strip():
        raise StatementError("empty file", file=path, location="line 1", expected="a statement", found="nothing")
    for importer in importers(configs):
        if importer.identify(path):
            return importer
    fmt = csv_banks.identify(path, configs)
    if fmt is not None:
        return CsvImporter(fmt, configs)
    raise StatementError(
        "unrecognised statement format",
        file=path,
        location="line 1",
        expected="MT940, camt.052/053/054, or a bank CSV layout from config/banks",
        found=head.decode("latin-1").splitlines()[0] if head.strip() else "",
    )


def iter_statements(path: str | PathLike[str], banks: BankConfigs | None = None) -> tuple[str, Iterator[Statement]]:
    """(format, lazy statements) - for big files, one statement in memory at a time."""
    importer = _importer(path, banks)
    return importer.name, importer.extract(path)


def parse_file(path: str | PathLike[str], banks: BankConfigs | None = None) -> ParsedFile:
    """Read a whole file: all statements or a StatementError (never half a file)."""
    name, statements = iter_statements(path, banks)
    return ParsedFile(name, list(statements))
