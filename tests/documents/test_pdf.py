"""PDF letters: rendered to PNG with pdftoppm and read back with pdftotext, in every language and kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from receivables.documents import Debtor, Letter, render_pdf, write_letters
from receivables.documents.fonts import FontMissing, font_path

from .conftest import DEBTORS, pdf_png, pdf_text

# 2 invoices as of 19 Jun 2026 at 14% (2026 H1): 4200 x 14% x 155/365 = 249.70 and
# 5200 x 14% x 124/365 = 247.32; compensation 40 EUR x 4.2267 = 169.07; total 10066.09
TOTALS = {"pl": "10 066,09 zł", "de": "10.066,09 PLN", "en": "PLN 10,066.09"}
AMOUNTS = {"pl": ["4 200,00 zł", "249,70 zł", "169,07 zł", "5 447,32 zł"],
           "de": ["4.200,00 PLN", "249,70 PLN", "169,07 PLN", "5.447,32 PLN"],
           "en": ["PLN 4,200.00", "PLN 249.70", "PLN 169.07", "PLN 5,447.32"]}
SUBJECTS = {("pl", "reminder"): "Przypomnienie o zaległych płatnościach",
            ("pl", "final_demand"): "Ostateczne przedsądowe wezwanie do zapłaty",
            ("pl", "interest_note"): "Nota odsetkowa nr INT/2026/06/0042",
            ("de", "reminder"): "Zahlungserinnerung", ("de", "final_demand"): "Letzte Mahnung",
            ("de", "interest_note"): "Zinsrechnung Nr. INT/2026/06/0042",
            ("en", "reminder"): "Payment reminder", ("en", "final_demand"): "Final demand for payment",
            ("en", "interest_note"): "Interest note No. INT/2026/06/0042"}
ORDER = {"pl": "art. 451 § 1 Kodeksu cywilnego", "de": "Art. 451 § 1 des polnischen Zivilgesetzbuches",
         "en": "Article 451 § 1 of the Polish Civil Code"}
IBAN = "PL94 1050 1445 1000 0090 7121 9812"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("language", ["pl", "de", "en"])
@pytest.mark.parametrize("kind", ["reminder", "final_demand", "interest_note"])
def test_letter_text(make_letter: Callable[..., Letter], tmp_path: Path, language: str, kind: str) -> None:
    text = pdf_text(render_pdf(make_letter(language, kind)), tmp_path)
    flat = squash(text)
    assert DEBTORS[language].name in flat  # diacritics and "&", "<", ">" come through intact
    assert SUBJECTS[(language, kind)] in flat
    assert IBAN in flat and "Nordwind Logistyka sp. z o.o." in flat
    assert ORDER[language] in flat  # the payment order used is on every document
    assert "FV/2026/0001" in flat and "FV/2026/0002" in flat
    if kind != "interest_note":
        assert TOTALS[language] in flat
        for amount in AMOUNTS[language]:
            assert amount in text


def test_interest_note_figures(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    # paid 2 Mar (46 days late): 4200 x 14% x 46/365 = 74.10, + 169.07 compensation = 243.17
    # paid 2 Apr (46 days late): 5200 x 14% x 46/365 = 91.75
    flat = squash(pdf_text(render_pdf(make_letter("pl", "interest_note")), tmp_path))
    assert "FV/2026/0001 4 200,00 zł 15.01.2026 02.03.2026 46 74,10 zł 169,07 zł 243,17 zł" in flat
    assert "FV/2026/0002 5 200,00 zł 15.02.2026 02.04.2026 46 91,75 zł 0,00 zł 91,75 zł" in flat
    assert "334,92 zł" in flat and "Nota odsetkowa" in flat


def test_renders_to_a_nontrivial_image(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    pages = pdf_png(render_pdf(make_letter("pl", qr=True)), tmp_path)
    assert len(pages) == 1
    image = Image.open(pages[0]).convert("L")
    assert image.size == (497, 702)  # A4 at 60 dpi
    dark = sum(1 for v in image.tobytes() if v < 128) / (image.width * image.height)
    assert 0.02 < dark < 0.25, dark
    # the QR code sits in the right part of the payment box: dense dark modules there
    (tmp_path / "plain").mkdir()
    plain = Image.open(pdf_png(render_pdf(make_letter("pl", qr=False)), tmp_path / "plain")[0]).convert("L")
    diff = [abs(a - b) for a, b in zip(image.tobytes(), plain.tobytes())]
    assert sum(1 for d in diff if d > 100) > 500


def test_many_invoices_flow_onto_more_pages(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    pdf = render_pdf(make_letter("de", invoices=45))
    assert len(pdf_png(pdf, tmp_path, resolution=20)) >= 2
    text = pdf_text(pdf, tmp_path)
    assert text.count("Hauptforderung") >= 2  # table header repeated on the next page
    assert "FV/2026/0045" in text and "Mit freundlichen Grüßen" in text


def test_characters_outside_the_seeded_alphabet(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    debtor = Debtor("KL-9", "Øresund Ærø Fiskeri ApS · Ženklų Šiaurė", "Havnegade 3", "5960", "Marstal", "DK", "en")
    assert debtor.name in squash(pdf_text(render_pdf(make_letter("en", debtor=debtor)), tmp_path))


def test_eur_letter_uses_the_eur_account(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    flat = squash(pdf_text(render_pdf(make_letter("de", currency="EUR")), tmp_path))
    assert "PL27 1140 2004 0000 3002 0135 5387" in flat and "€" in flat


def test_missing_fonts_name_the_debian_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr("receivables.documents.fonts.FONT_DIRS", (tmp_path,))
    with pytest.raises(FontMissing, match="fonts-dejavu-core"):
        font_path("regular")


def test_write_letters_in_worker_processes(make_letter: Callable[..., Letter], tmp_path: Path) -> None:
    letters = [replace(make_letter(lang), number=f"R/{n}") for n, lang in enumerate(("pl", "de", "en", "pl"))]
    paths = write_letters(letters, tmp_path / "out", formats=("pdf", "docx"), workers=2, chunksize=1)
    assert [p.name for p in paths] == [f"R-{n}.{ext}" for n in range(4) for ext in ("pdf", "docx")]
    assert all(p.stat().st_size > 5000 for p in paths)
