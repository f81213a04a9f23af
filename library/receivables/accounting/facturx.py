"""ZUGFeRD 2.x / Factur-X PDFs: the invoice is the CII XML embedded in the PDF/A-3.

The PDF's pages are for people; the embedded XML is the legally equal, machine-readable
invoice, so only it is read. ZUGFeRD 1.0 (ZUGFeRD-invoice.xml, CrossIndustryDocument) is
refused with a clear message rather than half-read.
"""

from __future__ import annotations

from pathlib import Path

from receivables.accounting.batch import ImportBatch
from receivables.accounting.cii import parse_cii
from receivables.accounting.errors import InvoiceSourceError

EMBEDDED_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")
MAX_PDF_BYTES = 100 * 1024 * 1024


class FacturXSource:
    """A PDF with an embedded factur-x.xml / zugferd-invoice.xml / xrechnung.xml."""

    name = "facturx"

    def identify(self, path: Path) -> bool:
        path = Path(path)
        if path.suffix.lower() != ".pdf" or not path.is_file():
            return False
        try:
            with path.open("rb") as handle:
                if not handle.read(1024).lstrip().startswith(b"%PDF"):
                    return False
            return _embedded_xml(path) is not None
        except InvoiceSourceError:
            return False

    def extract(self, path: Path) -> ImportBatch:
        path = Path(path)
        found = _embedded_xml(path)
        if found is None:
            raise InvoiceSourceError(path, "PDF carries no embedded e-invoice XML", expected=" or ".join(EMBEDDED_NAMES), found=None)
        name, data = found
        return parse_cii(data, f"{path}!{name}", format=self.name)


def _embedded_xml(path: Path) -> tuple[str, bytes] | None:
    """(attachment name, bytes) of the invoice XML inside the PDF, or None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if path.stat().st_size > MAX_PDF_BYTES:
        raise InvoiceSourceError(path, "PDF too large", expected=f"at most {MAX_PDF_BYTES} bytes", found=path.stat().st_size)
    try:
        attachments = PdfReader(path).attachments
        by_name = {name.lower(): (name, contents) for name, contents in attachments.items()}
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as exc:
        raise InvoiceSourceError(path, f"unreadable PDF: {exc}") from None
    for wanted in EMBEDDED_NAMES:
        if wanted in by_name:
            name, contents = by_name[wanted]
            if not contents:
                continue
            if b"CrossIndustryDocument" in contents[0][:2048]:
                raise InvoiceSourceError(path, "ZUGFeRD 1.0 XML is not supported", where=name, expected="ZUGFeRD 2.x / Factur-X (CrossIndustryInvoice)", found="CrossIndustryDocument")
            return name, contents[0]
    return None
