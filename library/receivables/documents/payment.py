"""Payment title and QR payment payloads printed on letters.

PLN: the Polish banks' "Standard 2D" (Rekomendacja ZBP 2013): NIP|PL|account|amount in grosze|
recipient (20)|title (32)|||, read by Polish banking apps. EUR: EPC069-12 "GiroCode" (SEPA credit
transfer, version 002, UTF-8), read by most euro-area banking apps. Other currencies get no code.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

from receivables.documents.model import Letter

QR_MASK = 2  # fixed mask: choosing the best of eight in reportlab's pure Python costs ~50 ms a code
ZBP_DISALLOWED = re.compile(r"[^A-Za-z0-9 ,.\-/\\@#&*_ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")


def payment_title(customer_id: str, invoice_numbers: Sequence[str], limit: int = 140) -> str:
    """Customer id and the invoice numbers, cut at a whole number with an ellipsis if too long."""
    title = customer_id
    for n, number in enumerate(invoice_numbers):
        candidate = f"{title}{' ' if n == 0 else ', '}{number}"
        if len(candidate) > limit - 4:
            return title + " ..."
        title = candidate
    return title


def _zbp_field(value: str, length: int) -> str:
    return ZBP_DISALLOWED.sub("", value).strip()[:length].strip()


def zbp_payload(letter: Letter) -> str | None:
    iban = letter.iban
    if letter.currency != "PLN" or not iban.startswith("PL") or not letter.creditor.nip:
        return None
    grosze = int((letter.totals.total * 100).to_integral_value())
    return "|".join((letter.creditor.nip, "PL", iban[2:], f"{grosze:06d}", _zbp_field(letter.creditor.name, 20),
                     _zbp_field(letter.payment_title, 32), "", "", ""))


def epc_payload(letter: Letter) -> str | None:
    total = letter.totals.total
    if letter.currency != "EUR" or not Decimal("0.01") <= total <= Decimal("999999999.99"):
        return None
    lines = ["BCD", "002", "1", "SCT", "", letter.creditor.name[:70], letter.iban, f"EUR{total:.2f}", "", "",
             letter.payment_title[:140]]
    return "\n".join(lines)


def qr_payload(letter: Letter) -> str | None:
    return zbp_payload(letter) or epc_payload(letter)


def qr_matrix(payload: str) -> list[list[bool]]:
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK)
    return qr.modules
