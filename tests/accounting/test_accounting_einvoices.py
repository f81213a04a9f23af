"""E-invoices: KSeF FA(3), UBL Invoice/CreditNote, CII (XRechnung), Factur-X PDF; unsafe XML refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from receivables.accounting.detect import detect_source, read_invoices
from receivables.accounting.errors import InvoiceSourceError


def _only(batch):
    assert len(batch.invoices) == 1 and len(batch.customers) == 1
    invoice = batch.invoices[0]
    assert invoice.customer is batch.customers[0]
    return invoice


def test_ksef_fa3_invoice(data_dir: Path) -> None:
    path = data_dir / "ksef_fa3_vat.xml"
    assert detect_source(path).name == "ksef-fa3"
    batch = read_invoices(path)
    invoice = _only(batch)
    assert invoice.number == "FA/2024/03/0001" and invoice.kind == "invoice" and invoice.corrects is None
    assert invoice.issuer_tax_id == "5260250274" and invoice.currency == "PLN"
    assert (invoice.issue_date, invoice.due_date, invoice.payment_terms_days) == (date(2024, 3, 1), date(2024, 3, 15), 14)
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("1700.00"), Decimal("361.00"), Decimal("2061.00"))
    assert invoice.payee_iban == "PL61109010140000071219812874"
    assert [(line.description, line.quantity, line.unit_price, line.net, line.vat_rate, line.vat) for line in invoice.lines] == [
        ("Usługa serwisowa", Decimal("10"), Decimal("150.00"), Decimal("1500.00"), Decimal("23"), Decimal("345.00")),
        ("Części zamienne", Decimal("4"), Decimal("50.00"), Decimal("200.00"), Decimal("8"), Decimal("16.00")),
    ]
    customer = invoice.customer
    assert (customer.external_id, customer.tax_id, customer.name) == ("7251801126", "7251801126", 'Hurtownia "Bałtyk" Sp. z o.o.')
    assert (customer.street, customer.postal_code, customer.city) == ("ul. Portowa 5", "80-001", "Gdańsk")
    assert customer.emails == ["ksiegowosc@baltyk.example"] and customer.phones == ["+48501100200"]


def test_ksef_fa3_correction(data_dir: Path) -> None:
    invoice = _only(read_invoices(data_dir / "ksef_fa3_kor.xml"))
    assert invoice.kind == "credit_note" and invoice.corrects == "FA/2024/03/0001"
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("-300.00"), Decimal("-69.00"), Decimal("-369.00"))
    assert invoice.due_date == invoice.issue_date == date(2024, 3, 10)
    assert [line.net for line in invoice.lines] == [Decimal("-1500.00"), Decimal("1200.00")]


def test_ksef_correction_without_corrected_number_is_rejected(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "ksef_fa3_kor.xml").read_text(encoding="utf-8")
    path = tmp_path / "kor.xml"
    path.write_text(text.replace("<NrFaKorygowanej>FA/2024/03/0001</NrFaKorygowanej>", ""), encoding="utf-8")
    with pytest.raises(InvoiceSourceError, match="correction without the invoice it corrects") as caught:
        read_invoices(path)
    assert caught.value.where == "Fa/DaneFaKorygowanej/NrFaKorygowanej"


@pytest.mark.parametrize(
    ("old", "new", "field", "where", "message"),
    [
        ("<P_15>2061.00</P_15>", "<P_15>2071.00</P_15>", "gross", "Fa", "net + vat does not equal gross"),
        ("<P_11>200.00</P_11>", "<P_11>210.00</P_11>", "net", "Fa", "line net values (P_11) do not add up"),
        ("<P_2>FA/2024/03/0001</P_2>", "", "number", "Fa/P_2", "missing required element"),
        ("<P_1>2024-03-01</P_1>", "<P_1>01.03.2024</P_1>", "issue_date", "Fa/P_1", "bad date"),
        ("<P_13_1>1500.00</P_13_1>", "<P_13_1>15OO.00</P_13_1>", "net", "Fa/P_13_1", "bad amount"),
        ("<Termin>2024-03-15</Termin>", "<Termin>2024-02-15</Termin>", "due_date", "Fa", "due date before issue date"),
        ("<NIP>5260250274</NIP>", "<NIP>5260250275</NIP>", "issuer_tax_id", "Fa", "invalid NIP checksum"),
    ],
)
def test_ksef_bad_invoice(data_dir: Path, tmp_path: Path, old: str, new: str, field: str, where: str, message: str) -> None:
    text = (data_dir / "ksef_fa3_vat.xml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.xml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InvoiceSourceError) as caught:
        read_invoices(path)
    assert (caught.value.field, caught.value.where) == (field, where)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_ubl_invoice(data_dir: Path) -> None:
    path = data_dir / "ubl_invoice.xml"
    assert detect_source(path).name == "ubl"
    invoice = _only(read_invoices(path))
    assert (invoice.number, invoice.kind, invoice.currency) == ("INV-2024-001", "invoice", "EUR")
    assert (invoice.issue_date, invoice.due_date) == (date(2024, 3, 15), date(2024, 4, 15))
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("650.00"), Decimal("123.50"), Decimal("773.50"))
    assert invoice.issuer_tax_id == "5260250274"
    assert invoice.payee_iban == "PL61109010140000071219812874"
    assert [line.net for line in invoice.lines] == [Decimal("600.00"), Decimal("100.00")]
    customer = invoice.customer
    assert (customer.external_id, customer.tax_id, customer.name) == ("10001", "DE812345673", "Müller Maschinenbau GmbH")
    assert (customer.country, customer.language, customer.city) == ("DE", "de", "Stuttgart")
    assert customer.emails == ["buchhaltung@mueller.example"]


def test_ubl_credit_note(data_dir: Path) -> None:
    invoice = _only(read_invoices(data_dir / "ubl_credit_note.xml"))
    assert (invoice.number, invoice.kind, invoice.corrects) == ("CN-2024-001", "credit_note", "INV-2024-001")
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("-100.00"), Decimal("-19.00"), Decimal("-119.00"))
    assert invoice.due_date == date(2024, 3, 20)
    assert invoice.lines[0].net == Decimal("-100.00") and invoice.lines[0].quantity == Decimal("-1")


def test_ubl_wrong_tax_total_is_rejected(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "ubl_invoice.xml").read_text(encoding="utf-8")
    path = tmp_path / "bad.xml"
    path.write_text(text.replace('<cbc:TaxInclusiveAmount currencyID="EUR">773.50', '<cbc:TaxInclusiveAmount currencyID="EUR">783.50'), encoding="utf-8")
    with pytest.raises(InvoiceSourceError, match="net \\+ vat does not equal gross") as caught:
        read_invoices(path)
    assert caught.value.expected == "650.00 + 123.50 = 773.50" and caught.value.found == "783.50"


def test_ubl_line_sum_mismatch_is_rejected(data_dir: Path, tmp_path: Path) -> None:
    text = (data_dir / "ubl_invoice.xml").read_text(encoding="utf-8")
    path = tmp_path / "bad.xml"
    path.write_text(text.replace('<cbc:LineExtensionAmount currencyID="EUR">600.00', '<cbc:LineExtensionAmount currencyID="EUR">610.00'), encoding="utf-8")
    with pytest.raises(InvoiceSourceError, match="invoice line amounts do not add up"):
        read_invoices(path)


def test_xrechnung_cii(data_dir: Path) -> None:
    path = data_dir / "xrechnung_cii.xml"
    assert detect_source(path).name == "cii"
    invoice = _only(read_invoices(path))
    assert (invoice.number, invoice.kind, invoice.currency) == ("RE-2024-0815", "invoice", "EUR")
    assert (invoice.issue_date, invoice.due_date, invoice.payment_terms_days) == (date(2024, 3, 10), date(2024, 4, 9), 30)
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("750.00"), Decimal("150.00"), Decimal("900.00"))
    assert invoice.issuer_tax_id == "DE123456788" and invoice.payee_iban == "DE89370400440532013000"
    assert [(line.quantity, line.unit_price, line.net) for line in invoice.lines] == [
        (Decimal("3"), Decimal("200.00"), Decimal("600.00")),
        (Decimal("10"), Decimal("15.00"), Decimal("150.00")),
    ]
    customer = invoice.customer
    assert (customer.external_id, customer.tax_id, customer.country) == ("10002", "ATU13585627", "AT")
    assert customer.emails == ["office@alpen.example"] and customer.phones == ["+43 316 12345"]


def _cii_credit_note(data_dir: Path) -> bytes:
    text = (data_dir / "xrechnung_cii.xml").read_text(encoding="utf-8")
    text = text.replace("<ram:TypeCode>380</ram:TypeCode>", "<ram:TypeCode>381</ram:TypeCode>")
    text = text.replace(
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>",
        "</ram:SpecifiedTradeSettlementHeaderMonetarySummation>"
        "<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>RE-2024-0700</ram:IssuerAssignedID></ram:InvoiceReferencedDocument>",
    )
    return text.replace("RE-2024-0815", "GS-2024-0003").encode("utf-8")


def test_cii_credit_note(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "gutschrift.xml"
    path.write_bytes(_cii_credit_note(data_dir))
    invoice = _only(read_invoices(path))
    assert (invoice.kind, invoice.corrects) == ("credit_note", "RE-2024-0700")
    assert (invoice.net, invoice.vat, invoice.gross) == (Decimal("-750.00"), Decimal("-150.00"), Decimal("-900.00"))


def _pdf_with(tmp_path: Path, name: str, xml: bytes) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment(name, xml)
    path = tmp_path / "invoice.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_facturx_pdf(data_dir: Path, tmp_path: Path) -> None:
    path = _pdf_with(tmp_path, "factur-x.xml", (data_dir / "xrechnung_cii.xml").read_bytes())
    assert detect_source(path).name == "facturx"
    batch = read_invoices(path)
    assert batch.format == "facturx"
    invoice = _only(batch)
    assert (invoice.number, invoice.gross, invoice.due_date) == ("RE-2024-0815", Decimal("900.00"), date(2024, 4, 9))


def test_zugferd_pdf_credit_note(data_dir: Path, tmp_path: Path) -> None:
    path = _pdf_with(tmp_path, "zugferd-invoice.xml", _cii_credit_note(data_dir))
    invoice = _only(read_invoices(path))
    assert invoice.kind == "credit_note" and invoice.gross == Decimal("-900.00")


def test_pdf_without_invoice_xml_is_not_an_invoice(tmp_path: Path) -> None:
    path = _pdf_with(tmp_path, "notes.txt", b"hello")
    with pytest.raises(InvoiceSourceError, match="unrecognized invoice source"):
        read_invoices(path)


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>&secret;</cbc:ID></Invoice>
"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">&lol2;</rsm:CrossIndustryInvoice>
"""


@pytest.mark.parametrize("payload", [XXE, BILLION_LAUGHS])
def test_doctype_is_refused(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "evil.xml"
    path.write_bytes(payload)
    with pytest.raises(InvoiceSourceError, match="DOCTYPE is refused") as caught:
        read_invoices(path)
    assert "root:" not in str(caught.value)


def test_xxe_inside_facturx_pdf_is_refused(tmp_path: Path) -> None:
    path = _pdf_with(tmp_path, "factur-x.xml", BILLION_LAUGHS)
    with pytest.raises(InvoiceSourceError, match="DOCTYPE is refused"):
        read_invoices(path)


def test_malformed_xml_names_the_line(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text((data_dir / "ubl_invoice.xml").read_text(encoding="utf-8").replace("</cbc:ID>", "", 1), encoding="utf-8")
    with pytest.raises(InvoiceSourceError, match="not well-formed XML"):
        read_invoices(path)
