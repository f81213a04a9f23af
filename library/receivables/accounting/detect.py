"""Which source reads a file, and the one call the accounting-sync robot makes.

Like beangulp importers, every source answers identify(path) and extract(path); the
e-invoice formats are asked first (they identify by root element), then every export
mapping in config/accounting (they identify by file layout and header row).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from receivables.accounting.batch import ImportBatch
from receivables.accounting.cii import CiiSource
from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.export_mapping import available_mappings, load_mapping
from receivables.accounting.export_source import ExportSource
from receivables.accounting.facturx import FacturXSource
from receivables.accounting.ksef import KsefSource
from receivables.accounting.ubl import UblSource


class InvoiceSource(Protocol):
    name: str

    def identify(self, path: Path) -> bool: ...

    def extract(self, path: Path) -> ImportBatch: ...


E_INVOICE_SOURCES: tuple[InvoiceSource, ...] = (KsefSource(), UblSource(), CiiSource(), FacturXSource())


def sources() -> list[InvoiceSource]:
    """All sources in the order they are asked: e-invoice formats, then export mappings."""
    exports: list[InvoiceSource] = [ExportSource(load_mapping(path)) for path in available_mappings().values()]
    return [*E_INVOICE_SOURCES, *exports]


def detect_source(path: str | Path) -> InvoiceSource:
    """The source that claims `path`; a clear error when none does."""
    path = Path(path)
    if not path.exists():
        raise InvoiceSourceError(path, "no such file or folder")
    candidates = sources()
    for source in candidates:
        if source.identify(path):
            return source
    raise InvoiceSourceError(
        path,
        "unrecognized invoice source: not a KSeF/UBL/CII e-invoice, Factur-X PDF, or an export matching a mapping",
        expected=", ".join(source.name for source in candidates),
        found=path.name,
    )


def read_invoices(path: str | Path, mapping: str | Path | None = None, issuer_tax_id: str | None = None) -> ImportBatch:
    """Read one file or export folder whole: every record validated, or InvoiceSourceError.

    `mapping` forces an export mapping (name or YAML path) instead of detection;
    `issuer_tax_id` fills in our own NIP for exports that do not carry it.
    """
    path = Path(path)
    if mapping is not None:
        source = ExportSource(load_mapping(mapping))
        if not path.exists():
            raise InvoiceSourceError(path, "no such file or folder")
        return source.extract(path, issuer_tax_id=issuer_tax_id)
    source = detect_source(path)
    if isinstance(source, ExportSource):
        return source.extract(path, issuer_tax_id=issuer_tax_id)
    return source.extract(path)
