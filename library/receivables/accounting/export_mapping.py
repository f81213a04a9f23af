"""Column mappings for accounting-system exports, loaded from config/accounting/<name>.yaml.

Reading another system's CSV/XLSX export is a new mapping file, not new code: the mapping
names the file layout (delimiter, encoding, sheets, separate customers file or customer
columns embedded in each invoice row), the number and date formats, and which column feeds
which record field.

A column may be given as a list of header names: for invoice fields the first of them found
in the header is read (alternative spellings across versions of one program); for customer
fields the first of them with a value in the row (e.g. external_id: [NIP, Kontrahent] keys
consumers without a NIP by name). Headers match case-insensitively; the header row may sit
below title lines (searched in the first `header_search_rows` rows). `defaults` fills
currency, issuer_tax_id, country and language where the export has no column or a blank.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from receivables.accounting.errors import InvoiceSourceError

MAPPINGS_ENV = "RECEIVABLES_ACCOUNTING_MAPPINGS"
INVOICE_FIELDS = (
    "number", "kind", "corrects", "customer_external_id", "issue_date", "due_date", "currency",
    "net", "vat", "gross", "payment_terms_days", "issuer_tax_id", "payee_iban",
)  # fmt: skip
CUSTOMER_FIELDS = (
    "external_id", "name", "country", "tax_id", "regon", "street", "postal_code", "city", "emails",
    "phones", "language", "account_manager", "ibans", "is_consumer",
)  # fmt: skip
REQUIRED_INVOICE_COLUMNS = ("number", "issue_date", "net", "vat", "gross")

ColumnSpec = str | list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CsvLayout(_Strict):
    encoding: str = "utf-8-sig"
    delimiter: str = ";"
    quotechar: str = '"'
    invoices_file: str = "invoices.csv"
    customers_file: str | None = None


class XlsxLayout(_Strict):
    invoices_sheet: str | None = None
    customers_sheet: str | None = None


class InvoiceColumns(_Strict):
    columns: dict[str, ColumnSpec]
    kinds: dict[str, Literal["invoice", "credit_note"]] = Field(default_factory=dict)
    negate_credit_notes: bool = False

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns: dict[str, ColumnSpec]) -> dict[str, ColumnSpec]:
        unknown = set(columns) - set(INVOICE_FIELDS)
        if unknown:
            raise ValueError(f"unknown invoice fields {sorted(unknown)}; known: {', '.join(INVOICE_FIELDS)}")
        missing = [name for name in REQUIRED_INVOICE_COLUMNS if name not in columns]
        if missing:
            raise ValueError(f"invoice columns must map {', '.join(missing)}")
        return columns


class CustomerColumns(_Strict):
    embedded: bool = False
    columns: dict[str, ColumnSpec]

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, columns: dict[str, ColumnSpec]) -> dict[str, ColumnSpec]:
        unknown = set(columns) - set(CUSTOMER_FIELDS)
        if unknown:
            raise ValueError(f"unknown customer fields {sorted(unknown)}; known: {', '.join(CUSTOMER_FIELDS)}")
        if "external_id" not in columns or "name" not in columns:
            raise ValueError("customer columns must map external_id and name")
        return columns


class ExportMapping(_Strict):
    """One accounting system's export format (see config/accounting/*.yaml)."""

    name: str
    description: str = ""
    csv: CsvLayout | None = None
    xlsx: XlsxLayout | None = None
    decimal_separator: Literal[",", "."] = ","
    thousands_separator: Literal["", ".", ",", " ", "'"] = ""
    date_format: str = "%Y-%m-%d"
    list_separator: str = ","
    header_search_rows: int = 10
    defaults: dict[str, str] = Field(default_factory=dict)
    invoices: InvoiceColumns
    customers: CustomerColumns

    @model_validator(mode="after")
    def _customer_link(self) -> ExportMapping:
        if not self.customers.embedded and "customer_external_id" not in self.invoices.columns:
            raise ValueError("with a separate customers table, invoice columns must map customer_external_id")
        if self.csv is None and self.xlsx is None:
            raise ValueError("a mapping needs a csv or an xlsx layout (or both)")
        return self

    @property
    def separate_customers(self) -> bool:
        return not self.customers.embedded

    @property
    def required_invoice_fields(self) -> tuple[str, ...]:
        """Invoice fields whose columns must be in the header for a file to be read at all."""
        return REQUIRED_INVOICE_COLUMNS if self.customers.embedded else (*REQUIRED_INVOICE_COLUMNS, "customer_external_id")


def mapping_dirs() -> list[Path]:
    """Where mapping files live: $RECEIVABLES_ACCOUNTING_MAPPINGS, ./config/accounting, the repo's."""
    dirs = [Path(part) for part in os.environ.get(MAPPINGS_ENV, "").split(os.pathsep) if part]
    dirs.append(Path.cwd() / "config" / "accounting")
    dirs.append(Path(__file__).resolve().parents[3] / "config" / "accounting")
    unique: list[Path] = []
    for folder in dirs:
        if folder.is_dir() and folder.resolve() not in [known.resolve() for known in unique]:
            unique.append(folder)
    return unique


def available_mappings() -> dict[str, Path]:
    """Mapping name -> file, earlier directories winning, so a local config overrides the shipped one."""
    found: dict[str, Path] = {}
    for folder in mapping_dirs():
        for path in sorted(folder.glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def load_mapping(name_or_path: str | Path) -> ExportMapping:
    """Load a mapping by name ("sandbox") or by path to its YAML file."""
    import yaml

    path = Path(name_or_path)
    if path.suffix not in (".yaml", ".yml") or not path.is_file():
        known = available_mappings()
        if str(name_or_path) not in known:
            raise InvoiceSourceError(
                str(name_or_path), "no such export mapping", expected=" or ".join(sorted(known)) or "a mapping file", found=str(name_or_path)
            )
        path = known[str(name_or_path)]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return ExportMapping.model_validate(data)
    except (yaml.YAMLError, ValidationError, OSError) as exc:
        raise InvoiceSourceError(path, f"invalid export mapping: {exc}") from None
