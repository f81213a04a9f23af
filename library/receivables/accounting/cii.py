"""EN 16931 e-invoices in UN/CEFACT CII syntax (XRechnung CII, the XML inside ZUGFeRD/Factur-X).

Type code 381 (and the other credit-note codes) states positive amounts; the record turns
them negative. Checks: line totals add up to LineTotalAmount, which minus allowances plus
charges gives TaxBasisTotalAmount, and TaxBasisTotalAmount + TaxTotalAmount = GrandTotalAmount.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from receivables.accounting.batch import ImportBatch, single_invoice_batch
from receivables.accounting.einvoice import account_number, customer_key, make_line, vat_rate
from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.validation import check_total
from receivables.accounting.values import language_for, normalize_tax_id
from receivables.accounting.xml_input import XmlFields, parse_xml, read_head, root_name

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
CREDIT_TYPE_CODES = frozenset({"381", "261", "262", "296", "308", "396", "420", "458", "532"})
_SETTLEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
_AGREEMENT = "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"


class CiiSource:
    """A CII CrossIndustryInvoice XML file (XRechnung CII, Factur-X/ZUGFeRD XML)."""

    name = "cii"

    def identify(self, path: Path) -> bool:
        return root_name(read_head(Path(path))) == (RSM, "CrossIndustryInvoice")

    def extract(self, path: Path) -> ImportBatch:
        path = Path(path)
        return parse_cii(path.read_bytes(), path)


def parse_cii(data: bytes, file: str | Path, format: str = "cii") -> ImportBatch:
    root = parse_xml(data, file)
    if root.tag != f"{{{RSM}}}CrossIndustryInvoice":
        raise InvoiceSourceError(file, "not a CII CrossIndustryInvoice", where="root", expected=f"{{{RSM}}}CrossIndustryInvoice", found=root.tag)
    x = XmlFields(root, file, {"rsm": RSM, "ram": RAM, "udt": UDT})
    document = "rsm:ExchangedDocument/"
    number = x.required(document + "ram:ID", "number")
    type_code = x.required(document + "ram:TypeCode", "kind")
    credit = type_code in CREDIT_TYPE_CODES
    issue = x.date(document + "ram:IssueDateTime/udt:DateTimeString", "issue_date", compact=True)

    settlement = root.find(_SETTLEMENT, x.ns)
    if settlement is None:
        raise InvoiceSourceError(file, "missing required element", where=x.where(_SETTLEMENT), field="gross")
    currency = x.required("ram:InvoiceCurrencyCode", "currency", settlement)
    due = x.date("ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString", "due_date", settlement, required=False, compact=True)
    if due is None:
        if not credit:
            raise InvoiceSourceError(file, "missing required element", where=x.where("ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime", settlement), field="due_date")
        due = issue

    sums = settlement.find("ram:SpecifiedTradeSettlementHeaderMonetarySummation", x.ns)
    if sums is None:
        raise InvoiceSourceError(file, "missing required element", where=x.where("ram:SpecifiedTradeSettlementHeaderMonetarySummation", settlement), field="gross")
    line_total = x.amount("ram:LineTotalAmount", "net", sums)
    net = x.amount("ram:TaxBasisTotalAmount", "net", sums)
    gross = x.amount("ram:GrandTotalAmount", "gross", sums)
    allowances = x.amount("ram:AllowanceTotalAmount", "net", sums, required=False) or Decimal(0)
    charges = x.amount("ram:ChargeTotalAmount", "net", sums, required=False) or Decimal(0)
    check_total(file, x.where("ram:TaxBasisTotalAmount", sums), "net", net, (line_total, -allowances, charges), "LineTotalAmount - AllowanceTotalAmount + ChargeTotalAmount")
    vat = _tax_total(x, sums, currency)

    sign = -1 if credit else 1
    lines = []
    for item in x.all("rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"):
        line_net = x.amount("ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount", "lines.net", item)
        lines.append(
            make_line(
                description=x.text("ram:SpecifiedTradeProduct/ram:Name", item) or "",
                quantity=x.amount("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity", "lines.quantity", item, required=False) or Decimal(1),
                unit_price=x.amount("ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount", "lines.unit_price", item, required=False) or line_net,
                net=line_net,
                rate=vat_rate(x.text("ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent", item)),
                sign=sign,
            )
        )
    if lines:
        check_total(file, x.where("ram:LineTotalAmount", sums), "net", line_total, (line.net * sign for line in lines), "line total amounts")

    if credit:
        net, vat, gross = -net, -vat, -gross
    customer = _buyer(x)
    invoice = InvoiceRecord(
        number=number,
        issuer_tax_id=_seller_tax_id(x),
        customer_external_id=customer.external_id,
        issue_date=issue,
        due_date=due,
        currency=currency,
        net=net,
        vat=vat,
        gross=gross,
        kind="credit_note" if credit or gross < 0 else "invoice",
        corrects=x.text("ram:InvoiceReferencedDocument/ram:IssuerAssignedID", settlement),
        payment_terms_days=(due - issue).days,
        lines=lines,
        customer=customer,
        payee_iban=account_number(x.text("ram:SpecifiedTradeSettlementPaymentMeans/ram:PayeePartyCreditorFinancialAccount/ram:IBANID", settlement)),
    )
    return single_invoice_batch(file, format, invoice, "ExchangedDocument")


def _tax_total(x: XmlFields, sums, currency: str) -> Decimal:  # noqa: ANN001
    """TaxTotalAmount in the invoice currency (a second one may repeat it in the tax currency)."""
    for element in x.all("ram:TaxTotalAmount", sums):
        if element.get("currencyID", currency) == currency:
            try:
                return x.amount(".", "vat", element)
            except InvoiceSourceError as exc:
                raise InvoiceSourceError(x.file, exc.reason, where=x.where("ram:TaxTotalAmount", sums), field="vat", expected=exc.expected, found=exc.found) from None
    raise InvoiceSourceError(x.file, "missing required element", where=x.where("ram:TaxTotalAmount", sums), field="vat")


def _seller_tax_id(x: XmlFields) -> str:
    seller = f"{_AGREEMENT}/ram:SellerTradeParty/"
    registrations = x.all(seller + "ram:SpecifiedTaxRegistration/ram:ID")
    preferred = [r for r in registrations if r.get("schemeID") == "VA"] or registrations
    for registration in preferred:
        if registration.text and registration.text.strip():
            return normalize_tax_id(registration.text)
    raise InvoiceSourceError(x.file, "missing required element", where="SellerTradeParty/SpecifiedTaxRegistration/ID", field="issuer_tax_id")


def _buyer(x: XmlFields) -> CustomerRecord:
    buyer = x.root.find(f"{_AGREEMENT}/ram:BuyerTradeParty", x.ns)
    if buyer is None:
        raise InvoiceSourceError(x.file, "missing required element", where="ApplicableHeaderTradeAgreement/BuyerTradeParty", field="customer")
    name = x.required("ram:Name", "customer.name", buyer)
    country = x.text("ram:PostalTradeAddress/ram:CountryID", buyer) or "PL"
    registrations = x.all("ram:SpecifiedTaxRegistration/ram:ID", buyer)
    vat_ids = [r.text.strip() for r in registrations if r.get("schemeID") == "VA" and r.text and r.text.strip()]
    tax_id = normalize_tax_id(vat_ids[0]) if vat_ids else None
    street = " ".join(filter(None, (x.text(f"ram:PostalTradeAddress/ram:{tag}", buyer) for tag in ("LineOne", "LineTwo"))))
    contact = "ram:DefinedTradeContact/"
    return CustomerRecord(
        external_id=customer_key(x.text("ram:ID", buyer), tax_id or x.text("ram:SpecifiedLegalOrganization/ram:ID", buyer), name),
        name=name,
        country=country.upper(),
        tax_id=tax_id,
        street=street or None,
        postal_code=x.text("ram:PostalTradeAddress/ram:PostcodeCode", buyer),
        city=x.text("ram:PostalTradeAddress/ram:CityName", buyer),
        emails=[e for e in (x.text(contact + "ram:EmailURIUniversalCommunication/ram:URIID", buyer), x.text("ram:URIUniversalCommunication/ram:URIID", buyer)) if e and "@" in e][:1],
        phones=[p for p in [x.text(contact + "ram:TelephoneUniversalCommunication/ram:CompleteNumber", buyer)] if p],
        language=language_for(country),
        is_consumer=tax_id is None,
    )
