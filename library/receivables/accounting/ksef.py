"""Polish KSeF structured invoices, schema FA(3) (and the older FA(2) with the same fields).

Totals come from Fa: P_13_* (net per rate group), P_14_1..P_14_5 (VAT in the invoice
currency; the *W variants repeat it in PLN and are ignored), P_15 (gross). A correction
(RodzajFaktury KOR, KOR_ZAL, KOR_ROZ) carries the differences, negative for a credit;
its lines may show the state before (StanPrzed=1) and after, and count as after - before.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from receivables.accounting.batch import ImportBatch, single_invoice_batch
from receivables.accounting.einvoice import account_number, customer_key, make_line, postal_and_city, vat_rate
from receivables.accounting.errors import InvoiceSourceError
from receivables.accounting.records import CustomerRecord, InvoiceRecord
from receivables.accounting.validation import check_total
from receivables.accounting.values import language_for, normalize_tax_id
from receivables.accounting.xml_input import XmlFields, parse_xml, read_head, root_name

FA3_NS = "http://crd.gov.pl/wzor/2025/06/25/13775/"
FA2_NS = "http://crd.gov.pl/wzor/2023/06/29/12648/"
NAMESPACES = (FA3_NS, FA2_NS)
NET_FIELDS = (
    "P_13_1", "P_13_2", "P_13_3", "P_13_4", "P_13_5", "P_13_6_1", "P_13_6_2", "P_13_6_3",
    "P_13_7", "P_13_8", "P_13_9", "P_13_10", "P_13_11",
)  # fmt: skip
VAT_FIELDS = ("P_14_1", "P_14_2", "P_14_3", "P_14_4", "P_14_5")
CORRECTION_KINDS = ("KOR", "KOR_ZAL", "KOR_ROZ")


class KsefSource:
    """A KSeF FA(3)/FA(2) XML file holding one invoice."""

    name = "ksef-fa3"

    def identify(self, path: Path) -> bool:
        found = root_name(read_head(Path(path)))
        return found is not None and found[1] == "Faktura" and found[0] in NAMESPACES

    def extract(self, path: Path) -> ImportBatch:
        path = Path(path)
        return parse_ksef(path.read_bytes(), path)


def parse_ksef(data: bytes, file: str | Path) -> ImportBatch:
    root = parse_xml(data, file)
    if root.tag not in (f"{{{ns}}}Faktura" for ns in NAMESPACES):
        raise InvoiceSourceError(file, "not a KSeF FA(3) invoice", where="root", expected=f"{{{FA3_NS}}}Faktura", found=root.tag)
    namespace = root.tag[1:].split("}")[0]
    x = XmlFields(root, file, {"f": namespace})
    fa = root.find("f:Fa", x.ns)
    if fa is None:
        raise InvoiceSourceError(file, "missing required element", where="Fa", field="number")

    issuer = normalize_tax_id(x.required("f:Podmiot1/f:DaneIdentyfikacyjne/f:NIP", "issuer_tax_id"))
    customer = _buyer(x)
    number = x.required("f:P_2", "number", fa)
    issue = x.date("f:P_1", "issue_date", fa)
    currency = x.required("f:KodWaluty", "currency", fa)
    net = sum((x.amount(f"f:{tag}", "net", fa, required=False) or Decimal(0) for tag in NET_FIELDS), Decimal(0))
    vat = sum((x.amount(f"f:{tag}", "vat", fa, required=False) or Decimal(0) for tag in VAT_FIELDS), Decimal(0))
    gross = x.amount("f:P_15", "gross", fa)

    kind_code = x.required("f:RodzajFaktury", "kind", fa)
    corrects = None
    if kind_code in CORRECTION_KINDS:
        corrects = x.text("f:DaneFaKorygowanej/f:NrFaKorygowanej", fa)
        if corrects is None:
            raise InvoiceSourceError(file, "correction without the invoice it corrects", where=x.where("f:DaneFaKorygowanej/f:NrFaKorygowanej", fa), field="corrects")
    kind = "credit_note" if corrects and gross < 0 else "invoice"

    lines = []
    for row in x.all("f:FaWiersz", fa):
        sign = -1 if x.text("f:StanPrzed", row) == "1" else 1
        line_net = x.amount("f:P_11", "lines.net", row, required=False)
        if line_net is None:
            line_gross = x.amount("f:P_11A", "lines.net", row)
            rate = vat_rate(x.text("f:P_12", row))
            line_net = (line_gross * 100 / (100 + rate)).quantize(Decimal("0.01"))
        lines.append(
            make_line(
                description=x.text("f:P_7", row) or "",
                quantity=x.amount("f:P_8B", "lines.quantity", row, required=False) or Decimal(1),
                unit_price=x.amount("f:P_9A", "lines.unit_price", row, required=False) or line_net,
                net=line_net,
                rate=vat_rate(x.text("f:P_12", row)),
                sign=sign,
            )
        )
    if lines:
        check_total(file, x.where("", fa), "net", net, (line.net for line in lines), "line net values (P_11)")

    payment = fa.find("f:Platnosc", x.ns)
    due = None
    iban = None
    if payment is not None:
        due = x.date("f:TerminPlatnosci/f:Termin", "due_date", payment, required=False)
        if due is None and x.text("f:Zaplacono", payment) == "1":
            due = x.date("f:DataZaplaty", "due_date", payment, required=False)
        iban = account_number(x.text("f:RachunekBankowy/f:NrRB", payment))
    if due is None:
        if corrects is None:
            raise InvoiceSourceError(file, "missing required element", where=x.where("f:Platnosc/f:TerminPlatnosci/f:Termin", fa), field="due_date")
        due = issue

    invoice = InvoiceRecord(
        number=number,
        issuer_tax_id=issuer,
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
        payee_iban=iban,
    )
    return single_invoice_batch(file, KsefSource.name, invoice, "Fa")


def _buyer(x: XmlFields) -> CustomerRecord:
    buyer = x.root.find("f:Podmiot2", x.ns)
    if buyer is None:
        raise InvoiceSourceError(x.file, "missing required element", where="Podmiot2", field="customer")
    ident = "f:DaneIdentyfikacyjne/"
    name = x.required(ident + "f:Nazwa", "customer.name", buyer)
    country = x.text("f:Adres/f:KodKraju", buyer) or "PL"
    tax_id = x.text(ident + "f:NIP", buyer)
    if tax_id is None and x.text(ident + "f:NrVatUE", buyer):
        tax_id = (x.text(ident + "f:KodUE", buyer) or "") + (x.text(ident + "f:NrVatUE", buyer) or "")
    elif tax_id is None and x.text(ident + "f:NrID", buyer):
        tax_id = x.text(ident + "f:NrID", buyer)
        country = x.text(ident + "f:KodKraju", buyer) or country
    tax_id = normalize_tax_id(tax_id) if tax_id else None
    postal, city = postal_and_city(x.text("f:Adres/f:AdresL2", buyer))
    emails = [e for e in (x.text("f:Email", contact) for contact in x.all("f:DaneKontaktowe", buyer)) if e]
    phones = [p for p in (x.text("f:Telefon", contact) for contact in x.all("f:DaneKontaktowe", buyer)) if p]
    return CustomerRecord(
        external_id=customer_key(x.text("f:NrKlienta", buyer), tax_id, name),
        name=name,
        country=country.upper(),
        tax_id=tax_id,
        street=x.text("f:Adres/f:AdresL1", buyer),
        postal_code=postal,
        city=city,
        emails=emails,
        phones=phones,
        language=language_for(country),
        is_consumer=tax_id is None,
    )
