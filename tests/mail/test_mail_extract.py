"""Extraction: invoice numbers as the ledger spells them, tax ids, IBANs, PDFs, amounts, promise dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from receivables.mail.extract import extract, ibans, tax_ids
from receivables.mail.mail_rules import load_mail_rules
from receivables.mail.parse import parse_message
from receivables.sandbox import mail_compose as mc

RULES = load_mail_rules()
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
TODAY = date(2026, 11, 20)  # a Friday


def parsed(text: str, attachments=None):
    env = mc.Envelope("anna@transbud.pl", "Anna Nowak", "Re: Przypomnienie", WHEN, "<x@transbud.pl>")
    return parse_message(mc.compose(env, text, "pl", attachments=attachments))


def test_invoice_numbers_in_any_spelling_come_out_as_the_ledger_writes_them():
    found = RULES.invoice_numbers.find("fv 2026/3/142, FVE-2026-03-0017 oraz FV/2026/03/0142 i KOR/2026/11/0003")
    assert found == ["FV/2026/03/0142", "FVE/2026/03/0017", "KOR/2026/11/0003"]


def test_tax_ids_and_ibans_are_validated():
    assert tax_ids("NIP: 525-244-84-87, VAT DE627288825, NIP 1234567890") == ["5252448487", "DE627288825"]
    assert ibans("konto PL61 1090 1014 0000 0712 1981 2874 i PL00 1234 5678") == ["PL61109010140000071219812874"]


def test_a_promise_gets_its_date_and_amount_from_the_language_rules():
    found = extract(parsed("Dzień dobry, kwotę 1 230,50 zł za FV/2026/03/0142 zapłacimy do piątku.\nAnna"),
                    "promise_to_pay", RULES, TODAY)
    assert found.invoice_numbers == ["FV/2026/03/0142"]
    assert (found.amount, found.currency) == (Decimal("1230.50"), "PLN")
    assert found.promise_date == date(2026, 11, 27)


def test_a_promise_date_is_found_even_next_to_a_refusal():
    found = extract(parsed("We will make the payment on 12/12/2026, we do not have the funds before then."),
                    "promise_to_pay", RULES, TODAY)
    assert found.promise_date == date(2026, 12, 12)


def test_invoice_numbers_and_amounts_in_a_pdf_attachment_are_read():
    pdf = mc.pdf_document("Awizo płatności", ["FV/2026/10/0011   1 200,00 PLN", "FV/2026/10/0012   300,00 PLN"])
    found = extract(parsed("W załączeniu awizo.", [("awizo.pdf", "application/pdf", pdf)]),
                    "remittance_advice", RULES, TODAY)
    assert found.invoice_numbers == ["FV/2026/10/0011", "FV/2026/10/0012"]
    assert found.amount == Decimal("1200.00") and found.pdf_texts == 1


def test_an_unreadable_pdf_is_noted_not_fatal():
    found = extract(parsed("Awizo w załączniku.", [("awizo.pdf", "application/pdf", b"%PDF-1.4 broken")]),
                    "remittance_advice", RULES, TODAY)
    assert found.pdf_texts == 0 and "unreadable PDF" in found.problems[0]


def test_a_gdpr_request_says_what_it_asks_for():
    assert extract(parsed("Na podstawie art. 17 RODO proszę o usunięcie moich danych."), "gdpr_request",
                   RULES, TODAY).gdpr_kind == "erasure"
    assert extract(parsed("Wnoszę sprzeciw wobec marketingu."), "gdpr_request", RULES, TODAY).gdpr_kind == "objection"


def test_a_plain_bounce_names_the_address_not_the_message_ids():
    env = mc.Envelope("mailer-daemon@mx.nordwind.example", "Mail Delivery System", "Undelivered", WHEN, "<b@mx>")
    text = ("Delivery failed.\n\n------ Original message ------\nMessage-ID: <r1@transbud.pl>\n"
            "From: windykacja@nordwind.example\nTo: ksiegowosc@transbud.pl\n")
    found = extract(parse_message(mc.compose(env, text, "en")), "bounce", RULES, TODAY)
    assert found.failed_recipients == ["ksiegowosc@transbud.pl"]
