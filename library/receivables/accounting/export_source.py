"""Invoices and customers from a CSV/XLSX export, read through an ExportMapping."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import timedelta
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Any

from receivables.accounting.batch import BatchBuilder, ImportBatch
from receivables.accounting.errors import FieldValueError, InvoiceSourceError
from receivables.accounting.export_mapping import ColumnSpec, ExportMapping
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.values import (
    date_parser,
    excel_serial_date,
    language_for,
    normalize_tax_id,
    parse_amount,
    parse_bool,
    parse_excel_amount,
    parse_int,
    plain_amount_parser,
    split_list,
)
from receivables.accounting.xlsx import XlsxNumber, XlsxWorkbook
from receivables.bulk import collector_paused

CSV_SUFFIXES = (".csv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")

Row = list[str]
Rows = Iterator[tuple[str, Row]]
Getter = Callable[[Row], str]

_PICKED = (
    "number", "customer_external_id", "issue_date", "due_date", "payment_terms_days", "currency",
    "net", "vat", "gross", "kind", "issuer_tax_id", "corrects", "payee_iban",
)  # fmt: skip


class ExportSource:
    """One mapping as an importer: identify() by headers, extract() into an ImportBatch."""

    def __init__(self, mapping: ExportMapping) -> None:
        self.mapping = mapping
        self.name = f"export:{mapping.name}"

    def identify(self, path: Path) -> bool:
        """True when `path` has this mapping's file layout and all its invoice columns."""
        try:
            tables = self._tables(Path(path), decode_errors="replace")
            if tables is None:
                return False
            invoices, _ = tables
            with invoices() as table:
                head = list(islice(table.rows, self.mapping.header_search_rows))
        except (InvoiceSourceError, OSError, UnicodeError, csv.Error):
            return False
        wanted = [_names(spec) for spec in self.mapping.invoices.columns.values()]
        for _, row in head:
            present = {cell.strip().casefold() for cell in row}
            if all(any(name in present for name in names) for names in wanted):
                return True
        return False

    def extract(self, path: Path, issuer_tax_id: str | None = None) -> ImportBatch:
        """Read the whole export; raise InvoiceSourceError on the first bad value."""
        path = Path(path)
        tables = self._tables(path)
        if tables is None:
            raise InvoiceSourceError(path, f"not a {self.mapping.name} export (wrong file kind or layout)")
        invoices, customers = tables
        builder = BatchBuilder(path, self.name)
        defaults = dict(self.mapping.defaults)
        if issuer_tax_id:
            defaults.setdefault("issuer_tax_id", issuer_tax_id)
        with collector_paused():
            if customers is not None:
                with customers() as table:
                    self._read_customers(table, builder)
            with invoices() as table:
                self._read_invoices(table, builder, defaults)
            return builder.build()

    def _tables(self, path: Path, decode_errors: str = "strict") -> tuple[Callable[[], Any], Callable[[], Any] | None] | None:
        """Openers for the invoices table and the separate customers table (None if embedded).

        Identification reads headers with undecodable bytes replaced, so a file with a bad
        byte further down is still recognized and then rejected with the line that is wrong.
        """
        mapping = self.mapping
        suffix = path.suffix.lower()
        if mapping.csv is not None and (path.is_dir() or suffix in CSV_SUFFIXES):
            layout = mapping.csv
            folder = path if path.is_dir() else path.parent
            invoices_file = folder / layout.invoices_file if path.is_dir() else path
            if not invoices_file.is_file():
                return None
            customers_file = None
            if mapping.separate_customers:
                if not layout.customers_file or not (folder / layout.customers_file).is_file():
                    return None
                customers_file = folder / layout.customers_file
            label = path.is_dir()
            return (
                lambda: _CsvTable(invoices_file, layout, invoices_file.name if label else None, decode_errors),
                (lambda: _CsvTable(customers_file, layout, customers_file.name, decode_errors)) if customers_file else None,
            )
        if mapping.xlsx is not None and suffix in XLSX_SUFFIXES and path.is_file():
            layout_x = mapping.xlsx
            if mapping.separate_customers and not layout_x.customers_sheet:
                return None
            return (
                lambda: _XlsxTable(path, layout_x.invoices_sheet),
                (lambda: _XlsxTable(path, layout_x.customers_sheet)) if mapping.separate_customers else None,
            )
        return None

    def _header(self, rows: Rows, specs: dict[str, ColumnSpec], required: tuple[str, ...], file: Path) -> dict[str, int]:
        wanted = [_names(specs[field]) for field in required if field in specs]
        for _, row in islice(rows, self.mapping.header_search_rows):
            header = {cell.strip().casefold(): index for index, cell in enumerate(row) if cell.strip()}
            if all(any(name in header for name in names) for names in wanted):
                return header
        columns = ", ".join(repr(specs[field]) for field in required if field in specs)
        raise InvoiceSourceError(
            file, f"no header row with the {self.mapping.name} columns in the first {self.mapping.header_search_rows} rows", expected=columns, found=None
        )

    def _parsers(self, table: _Table) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
        """Amount and date parsers of non-blank cells: numeric spreadsheet cells by value, text by
        the mapping's format. A blank cell fails as missing.

        A CSV cell is always text, so its dates are parsed once per distinct text (an export has a
        few hundred distinct days) and a plain amount ("1234,56") straight into Decimal; a
        spreadsheet cell's meaning depends on its type as well.
        """
        mapping = self.mapping
        parse_date = date_parser(mapping.date_format)
        dec, thousands = mapping.decimal_separator, mapping.thousands_separator
        date1904 = table.date1904

        def amount(value: str) -> Any:
            if not value.strip():
                _missing()
            if type(value) is XlsxNumber:
                return parse_excel_amount(value)
            return parse_amount(value, dec, thousands)

        def day(value: str) -> Any:
            if not value.strip():
                _missing()
            if type(value) is XlsxNumber:
                return excel_serial_date(value, date1904)
            return parse_date(value)

        if isinstance(table, _CsvTable):
            return plain_amount_parser(dec, amount), _Memo(day).__getitem__
        return amount, day

    def _read_customers(self, table: _Table, builder: BatchBuilder) -> None:
        specs = self.mapping.customers.columns
        header = self._header(table.rows, specs, ("external_id", "name"), table.path)
        getters = _getters(specs, header)
        for where, row in table.rows:
            if not any(cell.strip() for cell in row):
                continue
            builder.add_customer(self._customer(row, getters, where, builder), where)

    def _customer(self, row: Row, getters: dict[str, Getter], where: str, builder: BatchBuilder) -> CustomerRecord:
        values = {field: str(get(row)).strip() for field, get in getters.items()}
        separator = self.mapping.list_separator
        country = (values.get("country") or self.mapping.defaults.get("country") or "PL").upper()
        tax_id = normalize_tax_id(values["tax_id"]) if values.get("tax_id") else None
        try:
            consumer_text = values.get("is_consumer", "")
            is_consumer = parse_bool(consumer_text) if consumer_text else tax_id is None
        except FieldValueError as exc:
            raise InvoiceSourceError(builder.file, "bad value", where=where, field="is_consumer", expected=exc.expected, found=exc.found) from None
        external_id = values.get("external_id", "")
        if tax_id and external_id == values.get("tax_id"):
            external_id = tax_id
        return CustomerRecord(
            external_id=external_id,
            name=values.get("name", ""),
            country=country,
            tax_id=tax_id,
            regon=values.get("regon") or None,
            street=values.get("street") or None,
            postal_code=values.get("postal_code") or None,
            city=values.get("city") or None,
            emails=split_list(values.get("emails", ""), separator),
            phones=split_list(values.get("phones", ""), separator),
            language=(values.get("language") or self.mapping.defaults.get("language") or language_for(country)).lower(),
            account_manager=values.get("account_manager") or None,
            ibans=[iban.replace(" ", "").upper() for iban in split_list(values.get("ibans", ""), separator)],
            is_consumer=is_consumer,
        )

    def _read_invoices(self, table: _Table, builder: BatchBuilder, defaults: dict[str, str]) -> None:
        """Row by row, raising on the first bad value; per-field rules that depend only on the
        cell's text (dates, terms, currency, kind, customer id) run once per distinct text."""
        mapping = self.mapping
        specs = mapping.invoices.columns
        header = self._header(table.rows, specs, mapping.required_invoice_fields, table.path)
        customer_getters = _getters(mapping.customers.columns, header) if mapping.customers.embedded else None
        amount, day = self._parsers(table)
        kinds = {key.strip().casefold(): kind for key, kind in mapping.invoices.kinds.items()}
        negate = mapping.invoices.negate_credit_notes
        width = max(header.values()) + 1
        pick = itemgetter(*(_column(specs.get(field), header) for field in _PICKED))
        default_currency = defaults.get("currency", "")
        default_issuer = defaults.get("issuer_tax_id", "")

        def currency_code(text: str) -> str:
            code = text.strip().upper() or default_currency
            if not code:
                raise FieldValueError("a currency code", "")
            return code

        def kind_of(text: str) -> str | None:
            """The mapped kind; None when the amount's sign decides."""
            text = text.strip()
            if not (kinds and text):
                return None
            kind = kinds.get(text.casefold())
            if kind is None:
                raise FieldValueError(" or ".join(repr(key) for key in mapping.invoices.kinds), text)
            return kind

        def issuer_id(text: str) -> str:
            issuer = normalize_tax_id(str(text).strip() or default_issuer)
            if not issuer:
                raise FieldValueError("the issuer's tax id (column or mapping default)", "")
            return issuer

        customer_of = _Memo(lambda text: str(text).strip()).__getitem__
        terms_of = _Memo(lambda text: parse_int(text) if text.strip() else None).__getitem__
        currency_of = _Memo(currency_code).__getitem__
        kind_by_text = _Memo(kind_of).__getitem__
        issuer_of = _Memo(issuer_id).__getitem__

        for place, row in table.rows:
            if len(row) < width:
                row.extend([""] * (width - len(row)))
            row.append("")
            (number, customer_id, issue_text, due_text, terms_text, currency, net_text, vat_text, gross_text,
             kind_text, issuer_text, corrects, iban) = pick(row)  # fmt: skip
            field = "number"
            try:
                number = str(number).strip()
                if not number:
                    if not any(cell.strip() for cell in row):
                        continue
                    raise FieldValueError("an invoice number", "")
                field = "customer_external_id"
                if customer_getters is not None:
                    customer = builder.add_customer(self._customer(row, customer_getters, place, builder), place)
                    customer_id = customer.external_id
                else:
                    customer_id = customer_of(customer_id)
                if not customer_id:
                    raise FieldValueError("a customer id", "")
                field = "issue_date"
                issue = day(issue_text)
                field = "payment_terms_days"
                terms = terms_of(terms_text)
                field = "due_date"
                if due_text.strip():
                    due = day(due_text)
                elif terms is not None:
                    due = issue + timedelta(days=terms)
                else:
                    raise FieldValueError("a due date (or payment terms in days)", "")
                field = "currency"
                currency = currency_of(currency)
                field = "net"
                net = amount(net_text)
                field = "vat"
                vat = amount(vat_text)
                field = "gross"
                gross = amount(gross_text)
                field = "kind"
                kind = kind_by_text(kind_text) or ("credit_note" if gross < 0 else "invoice")
                if kind == "credit_note" and negate:
                    net, vat, gross = -net, -vat, -gross
                field = "issuer_tax_id"
                issuer = issuer_of(issuer_text)
            except FieldValueError as exc:
                raise InvoiceSourceError(builder.file, "bad value", where=place, field=field, expected=exc.expected, found=exc.found) from None
            iban = iban.replace(" ", "").upper()
            record = InvoiceRecord(  # positional: matching 13 keywords costs more than the rest of the record
                number, issuer, customer_id, issue, due, currency, net, vat, gross, kind,
                str(corrects).strip() or None,  # corrects
                terms if terms is not None else (due - issue).days,  # payment_terms_days
                [], None,  # lines, customer
                iban or None,  # payee_iban
            )  # fmt: skip
            builder.add_invoice(record, place)


class _Memo(dict):  # type: ignore[type-arg]
    """Parsed value per distinct cell text: a failing text raises each time and is not stored."""

    def __init__(self, parse: Callable[[Any], Any]) -> None:
        super().__init__()
        self._parse = parse

    def __missing__(self, text: Any) -> Any:
        value = self[text] = self._parse(text)
        return value


def _names(spec: ColumnSpec) -> list[str]:
    return [spec.strip().casefold()] if isinstance(spec, str) else [name.strip().casefold() for name in spec]


def _missing() -> Any:
    raise FieldValueError("a value", "")


def _column(spec: ColumnSpec | None, header: dict[str, int]) -> int:
    """Index of the first of the spec's columns in the header; -1 (the blank cell appended
    to every row) when the field is not mapped or its column is absent."""
    if spec is None:
        return -1
    return next((header[name] for name in _names(spec) if name in header), -1)


def _getters(specs: dict[str, ColumnSpec], header: dict[str, int]) -> dict[str, Getter]:
    """Per field, a function returning its raw cell text ("" when absent or out of range)."""
    getters: dict[str, Getter] = {}
    for field, spec in specs.items():
        indexes = [header[name] for name in _names(spec) if name in header]
        if not indexes:
            continue
        if len(indexes) == 1:
            getters[field] = _single(indexes[0])
        else:
            getters[field] = _first_filled(indexes)
    return getters


def _single(index: int) -> Getter:
    def get(row: Row) -> str:
        return row[index] if index < len(row) else ""

    return get


def _first_filled(indexes: list[int]) -> Getter:
    def get(row: Row) -> str:
        for index in indexes:
            if index < len(row) and row[index].strip():
                return row[index]
        return ""

    return get


class _Table:
    """Rows of one table, each with its position for error messages ("invoices.csv line 7")."""

    path: Path
    rows: Rows
    date1904: bool = False

    def __enter__(self) -> _Table:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        return None


class _CsvTable(_Table):
    def __init__(self, path: Path, layout: Any, name: str | None, decode_errors: str) -> None:
        self.path = path
        self._name = name
        self._layout = layout
        self._handle = path.open("r", encoding=layout.encoding, errors=decode_errors, newline="")
        self.rows = self._rows()

    def _rows(self) -> Rows:
        reader = csv.reader(self._handle, delimiter=self._layout.delimiter, quotechar=self._layout.quotechar)
        prefix = f"{self._name} line " if self._name else "line "
        try:
            for row in reader:
                yield f"{prefix}{reader.line_num}", row
        except UnicodeDecodeError as exc:
            raise InvoiceSourceError(
                self.path, f"not {self._layout.encoding} text", where=f"after line {reader.line_num}", found=exc.object[exc.start : exc.end]
            ) from None
        except csv.Error as exc:
            raise InvoiceSourceError(self.path, f"broken CSV: {exc}", where=f"line {reader.line_num}") from None

    def close(self) -> None:
        self._handle.close()


class _XlsxTable(_Table):
    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self._book = XlsxWorkbook(path)
        self.date1904 = self._book.date1904
        self._sheet = sheet or self._book.sheet_names[0]
        self.rows = ((f"sheet {self._sheet!r} row {number}", row) for number, row in self._book.rows(self._sheet))

    def close(self) -> None:
        self._book.close()
