"""MIME parsing: charsets, encoded headers, HTML-only bodies, quoted replies, bounces, broken mail."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from receivables.mail.parse import parse_message
from receivables.mail.quotes import strip_quotes
from receivables.sandbox import mail_compose as mc

TEXT = "Zapłacimy fakturę FV/2026/03/0142 do piątku. Gruß, Jürgen Größe"
WHEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def envelope(subject: str = "Płatność – żółć") -> mc.Envelope:
    return mc.Envelope("jan@transbud.pl", "Jan Wiśniewski", subject, WHEN, "<m1@transbud.pl>")


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-2", "cp1250"])
@pytest.mark.parametrize("transfer", ["quoted-printable", "base64", "8bit"])
def test_polish_and_german_text_in_every_charset_and_transfer_encoding(charset, transfer):
    text = TEXT.replace("Jürgen Größe", "Jan") if charset != "utf-8" else TEXT  # ISO-8859-2 has no ß
    parsed = parse_message(mc.compose(envelope(), text, "pl", charset=charset, transfer=transfer))
    assert parsed.text == text
    assert parsed.subject == "Płatność – żółć"
    assert parsed.sender == "jan@transbud.pl" and parsed.sender_name == "Jan Wiśniewski"
    assert parsed.date == WHEN and parsed.message_id == "<m1@transbud.pl>"
    assert parsed.problems == []


def test_encoded_subject_in_iso_8859_2_and_cp1250():
    for charset in ("iso-8859-2", "cp1250"):
        raw = mc.compose(envelope("Reklamacja faktury - źle naliczone"), "Nie zgadzamy się.", "pl", charset=charset)
        assert parse_message(raw).subject == "Reklamacja faktury - źle naliczone"


def test_html_only_body_becomes_text_without_the_quoted_reminder():
    quoted = mc.Quoted("Przypomnienie", "Prosimy o zapłatę zaległości.", WHEN, style="attribution")
    raw = mc.compose(envelope(), "Zapłacimy jutro.\n\nPozdrawiam", "pl", style="html", quoted=quoted)
    parsed = parse_message(raw)
    assert parsed.text == "Zapłacimy jutro.\nPozdrawiam"
    assert "zaległości" not in parsed.text


@pytest.mark.parametrize("lang", ["pl", "de", "en"])
@pytest.mark.parametrize("style", ["attribution", "outlook"])
def test_quoted_replies_are_cut_off_in_every_language_and_client_style(lang, style):
    quoted = mc.Quoted("Reminder", "Please pay the overdue amount.", WHEN, style=style)
    for body_style in ("plain", "html", "alternative"):
        parsed = parse_message(mc.compose(envelope(), "We will pay on Friday.", lang, style=body_style, quoted=quoted))
        assert parsed.text == "We will pay on Friday."


def test_quote_stripping_keeps_a_forwarded_message_when_nothing_was_written_above():
    text = "---------- Forwarded message ---------\nFrom: Bank\nPayment of EUR 100.00 executed."
    assert strip_quotes(text).endswith("Payment of EUR 100.00 executed.")
    assert strip_quotes("Paid yesterday.\n\n> old text\n> more") == "Paid yesterday."
    assert strip_quotes("Zapłacone.\n\nOd: Windykacja\nWysłano: wtorek\nTemat: Przypomnienie\n\nTreść") == "Zapłacone."


def test_delivery_status_report_names_the_failed_recipient():
    original = mc.compose(mc.Envelope(mc.OUR_ADDRESS, mc.OUR_NAME, "Reminder", WHEN, "<r1@nordwind.example>",
                                      to="accounts@kestrel.co.uk"), "Please pay.", "en")
    dsn = mc.Envelope("mailer-daemon@mx.example", "Mail Delivery System", "Undelivered Mail", WHEN, "<d1@mx.example>")
    parsed = parse_message(mc.compose_dsn(dsn, "Your message could not be delivered.", "accounts@kestrel.co.uk", original))
    assert parsed.content_type == "multipart/report" and parsed.report_type == "delivery-status"
    assert parsed.failed_recipients == ["accounts@kestrel.co.uk"]
    assert parsed.enclosed_recipients == ["accounts@kestrel.co.uk"]
    assert "Please pay" not in parsed.text


def test_pdf_attachments_are_kept_for_reading_and_others_only_listed():
    pdf = mc.pdf_document("Awizo", ["FV/2026/03/0142  100,00"])
    raw = mc.compose(envelope(), "W załączeniu awizo.", "pl",
                     attachments=[("awizo.pdf", "application/pdf", pdf), ("zdjęcie.jpg", "image/jpeg", b"\xff\xd8")])
    parsed = parse_message(raw)
    assert [(a.filename, a.data is not None) for a in parsed.attachments] == [("awizo.pdf", True), ("zdjęcie.jpg", False)]


def test_garbage_never_raises():
    for raw in (b"", b"\x00\xff" * 100, b"Subject: =?utf-8?q?=ZZ?=\r\n\r\nx", b"Content-Type: multipart/mixed\r\n\r\n--"):
        parsed = parse_message(raw)
        assert isinstance(parsed.text, str)
