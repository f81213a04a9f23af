"""Letter model, templates (sandboxed, strict), amount formats, payment codes and DOCX output."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import docx
import pytest
from babel.numbers import format_currency

from receivables.documents import Letter, LetterError, LetterItem, TemplateError, payment_title, render_docx
from receivables.documents.fmt import formatter
from receivables.documents.payment import epc_payload, qr_matrix, zbp_payload
from receivables.documents.templates import render_blocks

from .conftest import DEBTORS


def write_template(root: Path, language: str, kind: str, body: str) -> Path:
    folder = root / language / "letters"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{kind}.xml.j2").write_text(body, encoding="utf-8")
    return root


def test_amounts_per_language() -> None:
    assert formatter("pl").money(D("1234.56"), "PLN") == "1\u00a0234,56\u00a0zł"
    assert formatter("de").money(D("1234.56"), "EUR") == "1.234,56\u00a0€"
    assert formatter("en").money(D("1234.56"), "EUR") == "€1,234.56"
    assert formatter("en").money(D("1234.56"), "PLN") == "PLN\u00a01,234.56"
    for language, locale in (("pl", "pl_PL"), ("de", "de_DE")):  # same as babel's own formatter
        for value in ("0.00", "7.05", "999.99", "12345678.90", "-15.50"):
            for currency in ("PLN", "EUR"):
                assert formatter(language).money(D(value), currency) == format_currency(D(value), currency,
                                                                                        locale=locale)
    assert formatter("pl").money(D("0.005"), "PLN") == "0,01\u00a0zł"  # half-up
    assert (formatter("de").date(date(2026, 1, 5)), formatter("en").long_date(date(2026, 1, 5))) == (
        "05.01.2026", "5 January 2026")


def test_missing_template_variable_is_an_error(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    root = write_template(tmp_path, "pl", "reminder", "<letter><p>{{ debtor.name }} {{ letter.nope }}</p></letter>")
    with pytest.raises(TemplateError, match="nope"):
        render_blocks(make_letter("pl"), root)


def test_template_is_sandboxed(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    root = write_template(tmp_path, "pl", "reminder",
                          "<letter><p>{{ company.__class__.__mro__ }}</p></letter>")
    with pytest.raises(TemplateError, match="SecurityError|unsafe"):
        render_blocks(make_letter("pl"), root)


def test_data_is_escaped_and_markup_checked(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    blocks = render_blocks(make_letter("en"))
    recipient = next(b for b in blocks if b.kind == "recipient")
    assert recipient.lines[0][0].text == "Harbour Freight <Bristol> Ltd" and recipient.lines[0][0].bold
    root = write_template(tmp_path, "en", "reminder", "<letter><p>unclosed</letter>")
    with pytest.raises(TemplateError, match="well-formed"):
        render_blocks(make_letter("en"), root)
    root = write_template(tmp_path, "en", "reminder", "<letter><blink>x</blink></letter>")
    with pytest.raises(TemplateError, match="unknown block <blink>"):
        render_blocks(make_letter("en"), root)


def test_every_template_renders(make_letter: Callable[..., Letter]) -> None:
    for language in ("pl", "de", "en"):
        for kind in ("reminder", "final_demand", "interest_note"):
            kinds = [b.kind for b in render_blocks(make_letter(language, kind))]
            assert kinds[:4] == ["letterhead", "dateline", "recipient", "reference"]
            assert {"subject", "table", "payment", "signature", "footer"} <= set(kinds)


def test_letter_validation(make_letter: Callable[..., Letter]) -> None:
    letter = make_letter("pl")
    eur_item = replace(letter.items[0], currency="EUR")
    with pytest.raises(LetterError, match="one currency"):
        replace(letter, items=(letter.items[0], eur_item))
    with pytest.raises(LetterError, match="needs a payment deadline"):
        replace(letter, kind="final_demand", deadline=None)
    usd = LetterItem("X", date(2026, 1, 1), date(2026, 1, 15), "USD", D("1"), D("0"))
    with pytest.raises(LetterError, match="no bank account for USD"):
        replace(letter, items=(usd,))
    with pytest.raises(LetterError, match="street is empty"):
        replace(DEBTORS["pl"], street="")
    with pytest.raises(LetterError, match="language"):
        replace(DEBTORS["pl"], language="fr")
    assert letter.totals.total == D("10066.09") and letter.totals.compensation == D("169.07")


def test_payment_title_is_cut_at_whole_numbers() -> None:
    numbers = [f"FV/2026/{n:04d}" for n in range(1, 30)]
    title = payment_title("KL-00042", numbers, limit=60)
    assert title == "KL-00042 FV/2026/0001, FV/2026/0002, FV/2026/0003 ..." and len(title) <= 60
    assert payment_title("KL-1", ["A", "B"]) == "KL-1 A, B"


def test_zbp_and_epc_payloads(make_letter: Callable[..., Letter]) -> None:
    pl = make_letter("pl", qr=True)
    assert zbp_payload(pl) == ("5252448487|PL|94105014451000009071219812|1006609|Nordwind Logistyka s|"
                               "KL-00042 FV/2026/0001, FV/2026/0|||")
    assert epc_payload(pl) is None
    eur = make_letter("de", currency="EUR")
    assert epc_payload(eur).split("\n") == [
        "BCD", "002", "1", "SCT", "", "Nordwind Logistyka sp. z o.o.", "PL27114020040000300201355387",
        f"EUR{eur.totals.total:.2f}", "", "", "KL-00077 FV/2026/0001, FV/2026/0002"]
    assert len(qr_matrix(zbp_payload(pl))) in range(21, 80)


def test_docx_has_the_same_content(make_letter: Callable[..., Letter]) -> None:
    document = docx.Document(io.BytesIO(render_docx(make_letter("pl", "final_demand", qr=True))))
    text = "\n".join(p.text for p in document.paragraphs).replace("\u00a0", " ")
    assert DEBTORS["pl"].name in text and "Ostateczne przedsądowe wezwanie do zapłaty" in text
    assert "10 066,09 zł" in text and "art. 451 § 1" in text
    items, payment = document.tables
    assert [c.text.replace("\u00a0", " ") for c in items.rows[1].cells] == [
        "FV/2026/0001", "01.01.2026", "15.01.2026", "4 200,00 zł", "249,70 zł", "169,07 zł", "4 618,77 zł"]
    assert items.rows[-1].cells[0].text == "Razem"
    assert payment.rows[1].cells[1].text == "PL94 1050 1445 1000 0090 7121 9812"
    assert len(document.inline_shapes) == 1  # the QR code
    assert "KRS 0000451240" in document.sections[0].footer.paragraphs[0].text
