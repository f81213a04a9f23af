"""EN 16931 e-invoices in OASIS UBL 2.1 syntax: Invoice and CreditNote (PEPPOL BIS, XRechnung UBL).

A CreditNote (or an Invoice with type code 381) states positive amounts; the record turns
them negative. The totals are checked the way EN 16931 defines them: lines add up to
LineExtensionAmount, minus allowances plus charges gives TaxExclusiveAmount, and
TaxExclusiveAmount + TaxAmount = TaxInclusiveAmount.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lxml import etree

from receivables.accounting.batch import ImportBatch, single_invoice_batch
from receivables.accounting.einvoice import account_number, customer_key, make_line, vat_rate
from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.validation import check_total
from receivables.accounting.values import language_for, normalize_tax_id
from receivables.accounting.xml_input import XmlFields, parse_xml, read_head, root_name

INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
CREDIT_TYPE_CODES = frozenset({"381", "261", "262", "296", "308", "396", "420", "458", "532"})


class UblSource:
    """A UBL 2.1 Invoice or CreditNote XML file."""

    name = "ubl"

    def identify(self, path: Path) -> bool:
        found = root_name(read_head(Path(path)))
        return found in ((INVOICE_NS, "Invoice"), (CREDIT_NOTE_NS, "CreditNote"))

    def extract(self, path: Path) -> ImportBatch:
        path = Path(path)
        return parse_ubl(path.read_bytes(), path)


def parse_ubl(data: bytes, file: str | Path) -> ImportBatch:
    root = parse_xml(data, file)
    if root.tag not in (f"{{{INVOICE_NS}}}Invoice", f"{{{CREDIT_NOTE_NS}}}CreditNote"):
        raise InvoiceSourceError(file, "not a UBL Invoice or CreditNote", where="root", expected="ubl:Invoice or ubl:CreditNote", found=root.tag)
    x = XmlFields(root, file, {"cac": CAC, "cbc": CBC})
    is_credit_note = etree.QName(root).localname == "CreditNote"
    type_code = x.text("cbc:InvoiceTypeCode") or x.text("cbc:CreditNoteTypeCode")
    credit = is_credit_note or type_code in CREDIT_TYPE_CODES

    number = x.required("cbc:ID", "number")
    issue = x.date("cbc:IssueDate", "issue_date")
    currency = x.required("cbc:DocumentCurrencyCode", "currency")
    due = (
        x.date("cbc:DueDate", "due_date", required=False)
        or x.date("cac:PaymentMeans/cbc:PaymentDueDate", "due_date", required=False)
        or x.date("cac:PaymentTerms/cbc:PaymentDueDate", "due_date", required=False)
    )
    if due is None:
        if not credit:
            raise InvoiceSourceError(file, "missing required element", where="DueDate", field="due_date")
        due = issue

    totals = "cac:LegalMonetaryTotal/cbc:"
    line_total = x.amount(totals + "LineExtensionAmount", "net")
    net = x.amount(totals + "TaxExclusiveAmount", "net")
    gross = x.amount(totals + "TaxInclusiveAmount", "gross")
    allowances = x.amount(totals + "AllowanceTotalAmount", "net", required=False) or Decimal(0)
    charges = x.amount(totals + "ChargeTotalAmount", "net", required=False) or Decimal(0)
    check_total(file, "LegalMonetaryTotal", "net", net, (line_total, -allowances, charges), "LineExtensionAmount - AllowanceTotalAmount + ChargeTotalAmount")
    vat = _tax_amount(x, currency)

    lines = []
    line_tag, quantity_tag = ("cac:CreditNoteLine", "cbc:CreditedQuantity") if is_credit_note else ("cac:InvoiceLine", "cbc:InvoicedQuantity")
    for line in x.all(line_tag):
        line_net = x.amount("cbc:LineExtensionAmount", "lines.net", line)
        lines.append(
            make_line(
                description=x.text("cac:Item/cbc:Name", line) or "",
                quantity=x.amount(quantity_tag, "lines.quantity", line, required=False) or Decimal(1),
                unit_price=x.amount("cac:Price/cbc:PriceAmount", "lines.unit_price", line, required=False) or line_net,
                net=line_net,
                rate=vat_rate(x.text("cac:Item/cac:ClassifiedTaxCategory/cbc:Percent", line)),
                sign=-1 if credit else 1,
            )
        )
    if lines:
        check_total(file, "LegalMonetaryTotal/LineExtensionAmount", "net", line_total, (-line.net if credit else line.net for line in lines), "invoice line amounts")

    corrects = x.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID")
    if credit:
        net, vat, gross = -net, -vat, -gross
    kind = "credit_note" if credit or gross < 0 else "invoice"
    customer = _party(x, "cac:AccountingCustomerParty/cac:Party", "customer")
    invoice = InvoiceRecord(
        number=number,
        issuer_tax_id=_issuer(x),
        customer_external_id=customer.external_id,
        issue_date=issue,
        due_date=due,
        currency=currency,
        net=net,
        vat=vat,
        gross=gross,
        kind=kind,
        corrects=corrects,
        payment_terms_days=(due - issue).days,
        lines=lines,
        customer=customer,
        payee_iban=account_number(x.text("cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")),
    )
    return single_invoice_batch(file, UblSource.name, invoice, etree.QName(root).localname)


def _tax_amount(x: XmlFields, currency: str) -> Decimal:
    """VAT in the document currency; a second TaxTotal in the tax currency is skipped."""
    for total in x.all("cac:TaxTotal"):
        amount = total.find("cbc:TaxAmount", x.ns)
        if amount is not None and amount.get("currencyID", currency) == currency:
            value = x.amount("cbc:TaxAmount", "vat", total)
            subtotals = x.all("cac:TaxSubtotal", total)
            if subtotals:
                check_total(x.file, x.where("cbc:TaxAmount", total), "vat", value, (x.amount("cbc:TaxAmount", "vat", sub) for sub in subtotals), "TaxSubtotal amounts")
            return value
    raise InvoiceSourceError(x.file, "missing required element", where="TaxTotal/TaxAmount", field="vat")


def _issuer(x: XmlFields) -> str:
    party = "cac:AccountingSupplierParty/cac:Party/"
    value = x.text(party + "cac:PartyTaxScheme/cbc:CompanyID") or x.text(party + "cac:PartyLegalEntity/cbc:CompanyID")
    if value is None:
        raise InvoiceSourceError(x.file, "missing required element", where="AccountingSupplierParty/Party/PartyTaxScheme/CompanyID", field="issuer_tax_id")
    return normalize_tax_id(value)


def _party(x: XmlFields, path: str, field: str) -> CustomerRecord:
    party = x.root.find(path, x.ns)
    if party is None:
        raise InvoiceSourceError(x.file, "missing required element", where=x.where(path), field=field)
    name = x.text("cac:PartyLegalEntity/cbc:RegistrationName", party) or x.required("cac:PartyName/cbc:Name", "customer.name", party)
    country = x.text("cac:PostalAddress/cac:Country/cbc:IdentificationCode", party) or "PL"
    tax_id = x.text("cac:PartyTaxScheme/cbc:CompanyID", party)
    tax_id = normalize_tax_id(tax_id) if tax_id else None
    street = " ".join(filter(None, (x.text("cac:PostalAddress/cbc:StreetName", party), x.text("cac:PostalAddress/cbc:AdditionalStreetName", party))))
    return CustomerRecord(
        external_id=customer_key(x.text("cac:PartyIdentification/cbc:ID", party), tax_id or x.text("cac:PartyLegalEntity/cbc:CompanyID", party), name),
        name=name,
        country=country.upper(),
        tax_id=tax_id,
        street=street or None,
        postal_code=x.text("cac:PostalAddress/cbc:PostalZone", party),
        city=x.text("cac:PostalAddress/cbc:CityName", party),
        emails=[e for e in [x.text("cac:Contact/cbc:ElectronicMail", party)] if e],
        phones=[p for p in [x.text("cac:Contact/cbc:Telephone", party)] if p],
        language=language_for(country),
        is_consumer=tax_id is None,
    )
