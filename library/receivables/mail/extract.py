"""What a message says that the ledger can use: invoice numbers, amount, promise date, who wrote.

Invoice numbers, tax ids and IBANs are looked for in the subject, the text and readable PDF
attachments (a remittance advice is often only a PDF); amounts and promise dates come from
receivables.nlu, the same understanding the voicebot uses.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from receivables.mail.mail_rules import MailRules
from receivables.mail.parse import ParsedMessage

log = logging.getLogger(__name__)
PDF_PAGES = 5
MAX_SENTENCES = 8  # a promise is near the top; the rest of a long mail is not worth reading twice
_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_DAEMON = re.compile(r"^(mailer-daemon|postmaster|mail-daemon|microsoftexchange[0-9a-f]*)@", re.I)
_TAX_ID = re.compile(r"\b(?:NIP|VAT(?:[ -]?(?:ID|No\.?|number))?|USt-?Id(?:Nr)?\.?|Tax ID)\s*[:.]?\s*([A-Z]{2})?\s*([\d][\d -]{7,13}\d)",
                     re.IGNORECASE)
_EU_VAT = re.compile(r"\b(PL\d{10}|DE\d{9}|GB\d{9}(?:\d{3})?)\b")
_MESSAGE_IDS = re.compile(r"^(?:message-id|in-reply-to|references):.*$", re.IGNORECASE | re.MULTILINE)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|,\s+(?=\D)")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")


@dataclass
class Extracted:
    invoice_numbers: list[str] = field(default_factory=list)
    amount: Decimal | None = None
    currency: str | None = None
    promise_date: date | None = None
    tax_ids: list[str] = field(default_factory=list)
    ibans: list[str] = field(default_factory=list)
    failed_recipients: list[str] = field(default_factory=list)
    gdpr_kind: str | None = None
    language: str | None = None
    pdf_texts: int = 0
    problems: list[str] = field(default_factory=list)


def pdf_text(data: bytes) -> str:
    """Text of a PDF's first pages; raises ValueError when the file cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages[:PDF_PAGES])
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"unreadable PDF ({type(exc).__name__})") from None


def tax_ids(text: str) -> list[str]:
    """Valid NIPs and EU VAT numbers: PL ones as the 10 digits, others with their country prefix."""
    from stdnum.eu import vat
    from stdnum.pl import nip

    found = []
    for prefix, digits in _TAX_ID.findall(text):
        compact = re.sub(r"\D", "", digits)
        if (prefix or "PL").upper() == "PL" and nip.is_valid(compact):
            found.append(compact)
        elif prefix and vat.is_valid(prefix.upper() + compact):
            found.append(prefix.upper() + compact)
    for number in _EU_VAT.findall(text):
        if vat.is_valid(number):
            found.append(number[2:] if number.startswith("PL") else number)
    return list(dict.fromkeys(found))


def ibans(text: str) -> list[str]:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    found = []
    for candidate in _IBAN.findall(text):
        try:
            found.append(IBAN(candidate).compact)
        except SchwiftyException:
            continue
    return list(dict.fromkeys(found))


def failed_recipients(message: ParsedMessage) -> list[str]:
    """Addresses a bounce says failed: from its delivery report, the enclosed original, or its text."""
    if message.failed_recipients:
        return message.failed_recipients
    if message.enclosed_recipients:
        return message.enclosed_recipients
    own = set(message.recipients) | {message.sender or ""}
    text = _MESSAGE_IDS.sub(" ", message.full_text)
    found = (a.lower().rstrip(".") for a in _ADDRESS.findall(text))
    return [a for a in dict.fromkeys(found) if a not in own and not _DAEMON.match(a)]


def _understand(text: str, numbers_pattern: re.Pattern[str], today: date):  # noqa: ANN202 - nlu's Understanding
    from receivables.nlu import understand

    masked = numbers_pattern.sub(" ", text)[:4000]
    try:
        return understand(masked, today)
    except Exception as exc:  # noqa: BLE001 - language understanding must never lose a message
        log.warning("language understanding failed: %s", type(exc).__name__)
        return None


def _money(text: str, numbers_pattern: re.Pattern[str]) -> tuple[Decimal | None, str | None, str]:
    """The first sum of money in `text` and the text's language, by receivables.nlu's amount rules.

    The full `understand` (dates, intents) costs ten times more; only promises need it.
    """
    from receivables.nlu import detect_language
    from receivables.nlu.amounts import find_amounts
    from receivables.nlu.text import fold

    masked = numbers_pattern.sub(" ", text)[:4000]
    lang = detect_language(masked)
    money = next((a for a in find_amounts(fold(masked), lang) if a.is_money), None)
    return (money.value, money.currency, lang) if money else (None, None, lang)


def _promised_in_a_sentence(text: str, rules: MailRules, today: date) -> date | None:
    """The first sentence that reads as a dated promise: a whole mail may also say "we have no money"."""
    for sentence in _SENTENCES.split(text)[:MAX_SENTENCES]:
        if any(ch.isdigit() for ch in sentence) or len(sentence.split()) > 2:
            understood = _understand(sentence, rules.invoice_numbers.pattern, today)
            if understood is not None and understood.date is not None:
                return understood.date
    return None


def extract(message: ParsedMessage, category: str, rules: MailRules, today: date) -> Extracted:
    """Everything the ledger effects of `category` need from one message written on `today`."""
    found = Extracted()
    pdfs = []
    for attachment in message.attachments:
        if attachment.data is None:
            continue
        try:
            pdfs.append(pdf_text(attachment.data))
        except ValueError as exc:
            found.problems.append(f"attachment {attachment.filename!r}: {exc}")
    found.pdf_texts = len(pdfs)
    everything = "\n".join([message.text, message.subject, *pdfs])
    found.invoice_numbers = rules.invoice_numbers.find(everything)
    found.tax_ids = tax_ids(everything)
    found.ibans = ibans(everything)
    if category == "bounce":
        found.failed_recipients = failed_recipients(message)
        return found
    if category == "gdpr_request":
        folded = message.text.lower()
        found.gdpr_kind = next((kind for kind, pattern in rules.gdpr_kinds.items() if pattern.search(folded)), "other")
    if category in ("auto_reply", "other") or not message.text:
        return found
    pattern = rules.invoice_numbers.pattern
    found.amount, found.currency, found.language = _money(message.text, pattern)
    for text in pdfs:
        if found.amount is None:
            found.amount, found.currency, _ = _money(text, pattern)
    if category in ("promise_to_pay", "installment_request"):
        understood = _understand(message.text, pattern, today)
        found.promise_date = (understood.date if understood else None) or _promised_in_a_sentence(message.text, rules, today)
    return found
