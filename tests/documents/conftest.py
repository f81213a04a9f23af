"""Sample letters built the way the reminders robot builds them: interest results -> items -> Letter."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from receivables.config import Settings
from receivables.documents import Debtor, Letter, interest_note_item, payment_title, reminder_item
from receivables.dunning import compute_interest, late_payment_charges

DEBTORS = {
    "pl": Debtor("KL-00042", "Zakład Usług Ślusarskich „Żuraw” Łukasz Gębicki & Syn", "ul. Źródlana 7/3",
                 "80-180", "Gdańsk", "PL", "pl", "5842715396"),
    "de": Debtor("KL-00077", "Müller & Söhne Gießerei GmbH", "Großbeerenstraße 12", "10963", "Berlin", "DE", "de",
                 "DE811569869"),
    "en": Debtor("KL-00101", "Harbour Freight <Bristol> Ltd", "12 Quay Street", "BS1 4DJ", "Bristol", "GB", "en"),
}
AS_OF = date(2026, 6, 19)


def build_letter(settings: Settings, language: str = "pl", kind: str = "reminder", *, invoices: int = 2,
                 currency: str = "PLN", qr: bool = False, debtor: Debtor | None = None) -> Letter:
    """Invoices of 4200, 5200, ... due on the 15th of consecutive months of 2026; only the January
    one gets compensation, because the shipped NBP table ends before the later fixing days."""
    debtor = debtor or DEBTORS[language]
    items = []
    for i in range(invoices):
        amount, due, number = D("4200.00") + 1000 * i, date(2026, 1 + i % 4, 15), f"FV/2026/{i + 1:04d}"
        if kind == "interest_note":
            paid_on = date(2026, 3 + i % 4, 2)
            result = late_payment_charges(amount, due, paid_on, "pl", currency=currency, with_compensation=i == 0)
            items.append(interest_note_item(number, date(2026, 1 + i % 4, 1), paid_on, result))
        else:
            result = compute_interest(amount, due, AS_OF, "pl", currency=currency, with_compensation=i == 0)
            items.append(reminder_item(number, date(2026, 1 + i % 4, 1), result))
    return Letter(kind=kind, number=f"{kind.upper()[:3]}/2026/06/0042", issued_on=AS_OF, debtor=debtor,
                  creditor=settings.company, items=tuple(items),
                  payment_title=payment_title(debtor.customer_id, [it.invoice_number for it in items]),
                  deadline=date(2026, 7, 3), qr=qr)


@pytest.fixture
def make_letter(settings: Settings) -> Callable[..., Letter]:
    return lambda *args, **kwargs: build_letter(settings, *args, **kwargs)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} not found: install the Debian package poppler-utils")
    return path


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """pdftotext output with no-break spaces as plain spaces."""
    src = tmp_path / "letter.pdf"
    src.write_bytes(pdf)
    out = subprocess.run([_tool("pdftotext"), "-layout", str(src), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").replace("\u00a0", " ")


def pdf_png(pdf: bytes, tmp_path: Path, resolution: int = 60) -> list[Path]:
    src = tmp_path / "render.pdf"
    src.write_bytes(pdf)
    subprocess.run([_tool("pdftoppm"), "-r", str(resolution), "-png", str(src), str(tmp_path / "page")],
                   check=True, capture_output=True)
    return sorted(tmp_path.glob("page*.png"))
