"""The labelled mail corpus: hand-written texts made into real messages, with what they should yield.

Each JSONL record holds one text a debtor, a mail server or a spammer wrote, its language,
its true category and its split (`train` fits the model, `test` is held back for the
benchmark). Placeholders ({inv}, {amount}, {date}, ...) are filled from a generator seeded by
the record's id, and the envelope (plain/HTML, charset, quoted reminder, attachments, DSN,
auto-reply headers) is chosen the same way, so the corpus builds to the same bytes every time.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from receivables.mail.categories import CATEGORIES
from receivables.sandbox import mail_compose as mc

REPLY_CATEGORIES = {"payment_confirmation", "promise_to_pay", "dispute", "invoice_copy_request", "installment_request"}
_FIRST = {"pl": ["Anna", "Piotr", "Katarzyna", "Tomasz", "Magdalena", "Marek", "Joanna", "Paweł", "Ewa", "Krzysztof"],
          "de": ["Sabine", "Thomas", "Julia", "Michael", "Claudia", "Stefan", "Petra", "Andreas", "Monika", "Jürgen"],
          "en": ["Sarah", "James", "Emma", "David", "Laura", "Mark", "Helen", "Paul", "Claire", "Richard"]}
_LAST = {"pl": ["Nowak", "Wiśniewska", "Zieliński", "Wójcik", "Kamińska", "Lewandowski", "Dąbrowska", "Szymański"],
         "de": ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Schäfer"],
         "en": ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts"]}
_COMPANY = {"pl": ["Transbud sp. z o.o.", "Meblopol S.A.", "Agrotech sp. z o.o.", "Hydromet sp.j.", "Elkom sp. z o.o."],
            "de": ["Brenner Logistik GmbH", "Alpentechnik AG", "Nordlicht Handel GmbH", "Keller & Söhne KG"],
            "en": ["Kestrel Components Ltd", "Harbour Freight Ltd", "Oakfield Supplies Ltd", "Bramble Tools plc"]}
_DOMAIN = {"pl": "pl", "de": "de", "en": "co.uk"}
_MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
BASE_DAY = date(2026, 11, 16)


@dataclass(frozen=True)
class LabelledMessage:
    id: str
    lang: str
    category: str
    split: str
    raw: bytes
    invoice_numbers: tuple[str, ...]
    amount: Decimal | None
    failed_recipient: str | None


class _Filler:
    """Placeholder values for one record, all drawn from a generator seeded by its id."""

    def __init__(self, record_id: str, lang: str) -> None:
        self.rng = random.Random(int(hashlib.sha256(record_id.encode()).hexdigest()[:16], 16))
        self.lang = lang
        rng = self.rng
        series = "FV" if lang == "pl" else "FVE"
        self.numbers = [(series, 2026, rng.randint(1, 10), rng.randint(1, 250)) for _ in range(3)]
        self.amounts = [Decimal(rng.randint(4000, 2_500_000)) / 100 for _ in range(2)]
        first, last = rng.choice(_FIRST[lang]), rng.choice(_LAST[lang])
        self.company = rng.choice(_COMPANY[lang])
        stem = "".join(c for c in self.company.split()[0].lower() if c.isalpha())
        self.domain = f"{stem}.{_DOMAIN[lang]}"
        self.name = f"{first} {last}"
        self.sender = f"{_ascii(first).lower()}.{_ascii(last).lower()}@{self.domain}"
        self.values = {
            "inv": self.invoice(0), "inv2": self.invoice(1), "inv3": self.invoice(2),
            "amount": self.money(self.amounts[0]), "amount2": self.money(self.amounts[1]),
            "date": self.day(BASE_DAY - timedelta(days=rng.randint(1, 12))),
            "due": self.day(BASE_DAY + timedelta(days=rng.randint(3, 40))),
            "name": self.name, "company": self.company, "our": "Nordwind Logistyka",
            "nip": f"{rng.randint(100, 999)}-{rng.randint(100, 999)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            "iban": f"PL{rng.randint(10, 99)} 1020 {rng.randint(1000, 9999)} 0000 {rng.randint(1000, 9999)} "
                    f"{rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            "email": f"{'ksiegowosc' if lang == 'pl' else 'accounts'}@{self.domain}",
            "ref": f"{rng.randint(10**9, 10**10 - 1)}",
        }

    def invoice(self, i: int) -> str:
        series, year, month, number = self.numbers[i]
        style = self.rng.random()
        if style < 0.75:
            return f"{series}/{year}/{month:02d}/{number:04d}"
        if style < 0.85:
            return f"{series} {year}/{month:02d}/{number:04d}"
        if style < 0.93:
            return f"{series.lower()}/{year}/{month}/{number}"
        return f"{series}-{year}-{month:02d}-{number:04d}"

    def canonical(self, i: int) -> str:
        series, year, month, number = self.numbers[i]
        return f"{series}/{year}/{month:02d}/{number:04d}"

    def money(self, value: Decimal) -> str:
        whole, cents = f"{value:.2f}".split(".")
        grouped = f"{int(whole):,}"
        style = self.rng.random()
        if self.lang == "pl":
            text = grouped.replace(",", " ") + "," + cents
            return f"{text} zł" if style < 0.6 else f"{text} PLN"
        if self.lang == "de":
            text = grouped.replace(",", ".") + "," + cents
            return f"{text} EUR" if style < 0.5 else (f"{text} €" if style < 0.8 else f"EUR {text}")
        return f"EUR {grouped}.{cents}" if style < 0.5 else (f"€{grouped}.{cents}" if style < 0.8 else f"{grouped}.{cents} EUR")

    def day(self, value: date) -> str:
        if self.lang == "en" and self.rng.random() < 0.5:
            return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"
        return value.strftime("%d.%m.%Y" if self.lang != "en" else "%d/%m/%Y")

    def fill(self, text: str, **more: str) -> str:
        return text.format(**self.values, **more)


def _ascii(text: str) -> str:
    return text.translate(str.maketrans("ąćęłńóśźżäöüßĄĆĘŁŃÓŚŹŻÄÖÜ", "acelnoszzaousACELNOSZZAOU"))


def build(record: dict) -> LabelledMessage:
    """The message one corpus record stands for, and the invoice numbers and amount in it."""
    lang, category = record["lang"], record["category"]
    if category not in CATEGORIES:
        raise ValueError(f"corpus record {record['id']}: unknown category {category!r}")
    f = _Filler(record["id"], lang)
    rng = f.rng
    body = f.fill(record["body"])
    when = datetime.combine(BASE_DAY, datetime.min.time(), UTC) + timedelta(hours=rng.randint(7, 200))
    reminder_subject, reminder_body = mc.reminder(lang, f.values["inv"], f.values["amount"], f.values["due"])
    subject = f.fill(record.get("subject", ""), subject=reminder_subject)
    message_id = f"<{hashlib.sha1(record['id'].encode()).hexdigest()[:16]}@{f.domain}>"
    env = mc.Envelope(sender=f.sender, sender_name=f.name, subject=subject, date=when, message_id=message_id)
    failed = None
    if category == "bounce":
        failed = f.values["email"]
        env.sender, env.sender_name = rng.choice([("mailer-daemon@mx.nordwind.example", "Mail Delivery System"),
                                                  ("postmaster@nordwind.example", "Postmaster"),
                                                  ("MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@nordwind.example",
                                                   "Microsoft Outlook")])
        original = mc.compose(mc.Envelope(mc.OUR_ADDRESS, mc.OUR_NAME, reminder_subject, when - timedelta(minutes=3),
                                          f"<r{message_id[1:]}", to=failed), reminder_body, lang)
        if rng.random() < 0.6:
            raw = mc.compose_dsn(env, body, failed, original)
        else:
            raw = mc.compose(env, body + "\n\n------ Original message ------\n" + original.decode("ascii", "replace"), "en")
        return LabelledMessage(record["id"], lang, category, record["split"], raw, (), None, failed)
    if category == "auto_reply":
        variant = rng.random()
        if variant < 0.4:
            env.headers["Auto-Submitted"] = "auto-replied"
        elif variant < 0.6:
            env.headers["X-Autoreply"] = "yes"
    quoted = None
    if category in REPLY_CATEGORIES and rng.random() < 0.6 or category == "auto_reply" and rng.random() < 0.3:
        quoted = mc.Quoted(reminder_subject, reminder_body, when - timedelta(days=2),
                           style=rng.choice(["attribution", "outlook"]))
        if not subject:
            env.subject = {"pl": rng.choice(["Re: ", "Odp: ", "RE: "]), "de": rng.choice(["AW: ", "Re: "]),
                           "en": rng.choice(["Re: ", "RE: "])}[lang] + reminder_subject
    attachments = []
    if "pdf" in record:
        pdf = record["pdf"]
        attachments.append((f.fill(pdf.get("filename", "document.pdf")), "application/pdf",
                            mc.pdf_document(f.fill(pdf["title"]), [f.fill(line) for line in pdf["lines"]])))
    style = record.get("style") or rng.choices(["plain", "html", "alternative"], weights=[55, 15, 30])[0]
    charset = rng.choice(mc.CHARSETS[lang])
    transfer = rng.choice(["quoted-printable", "base64", "8bit"])
    raw = mc.compose(env, body, lang, style=style, charset=charset, transfer=transfer, quoted=quoted,
                     attachments=attachments)
    written = record["body"] + " ".join(record.get("pdf", {}).get("lines", []))
    invoices = tuple(f.canonical(i) for i, key in enumerate(("{inv}", "{inv2}", "{inv3}")) if key in written)
    amount = f.amounts[0] if "{amount}" in written else None
    return LabelledMessage(record["id"], lang, category, record["split"], raw, invoices, amount, None)


def load_corpus(path: Path, split: str | None = None) -> list[LabelledMessage]:
    """Every record of a corpus file built into a message; `split` keeps only train or test."""
    messages = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from None
            if split is None or record["split"] == split:
                messages.append(build(record))
    return messages
