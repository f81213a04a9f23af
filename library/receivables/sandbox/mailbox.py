"""The sandbox world's collections mailbox: the mail its debtors send after our reminders.

From the world's files (customers, invoices, payments and disputes) it writes .eml messages:
disputes from the disputers, promises and instalment requests from late payers with open
invoices, payment confirmations and remittance advice for recent payments, invoice-copy
requests, auto-replies, delivery failures for a few customer addresses, a GDPR request and
spam. Same world and seed, same bytes. Each message carries its true category in the
X-Sandbox-Category header, for tests and benchmarks only: the classifier never reads it.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from receivables.sandbox import mail_compose as mc

CATEGORY_HEADER = "X-Sandbox-Category"
SANDBOX_MAILBOX_LOGIN = {"user": "windykacja", "password": "sandbox-mailbox"}
MAIL_DIR = "mail"
REASONS = {
    "damaged goods": {"pl": "towar dotarł uszkodzony", "de": "die Ware kam beschädigt an", "en": "the goods arrived damaged"},
    "late delivery": {"pl": "dostawa była spóźniona o dwa tygodnie", "de": "die Lieferung kam zwei Wochen zu spät",
                      "en": "the delivery was two weeks late"},
    "price differs from offer": {"pl": "cena różni się od oferty", "de": "der Preis weicht vom Angebot ab",
                                 "en": "the price differs from the quote"},
    "wrong quantity": {"pl": "ilość na fakturze jest błędna", "de": "die berechnete Menge ist falsch",
                       "en": "the quantity invoiced is wrong"},
}
_FIRST = {"pl": ["Anna", "Tomasz", "Ewa", "Marcin", "Agnieszka"], "de": ["Katrin", "Frank", "Ute", "Markus"],
          "en": ["Rachel", "Simon", "Karen", "Neil"]}
_LAST = {"pl": ["Kowalczyk", "Jankowska", "Mazur", "Krawczyk"], "de": ["Wagner", "Koch", "Richter", "Klein"],
         "en": ["Walker", "Hughes", "Green", "Hall"]}


@dataclass
class _Customer:
    id: str
    name: str
    language: str
    emails: list[str]
    profile: str
    consumer: bool


@dataclass
class _Invoice:
    number: str
    customer: str
    due: date
    gross: Decimal
    currency: str


@lru_cache(maxsize=1)
def phrases() -> dict:
    return yaml.safe_load(resources.files(__package__).joinpath("mail_phrases.yaml").read_text(encoding="utf-8"))


def _rows(path: Path, delimiter: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def _money(value: Decimal, currency: str, lang: str) -> str:
    whole, cents = f"{value:.2f}".split(".")
    grouped = f"{int(whole):,}"
    if lang == "en":
        return f"{currency} {grouped}.{cents}"
    sep = " " if lang == "pl" else "."
    symbol = "zł" if currency == "PLN" and lang == "pl" else currency
    return f"{grouped.replace(',', sep)},{cents} {symbol}"


def _day(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y" if lang == "en" else "%d.%m.%Y")


class _Writer:
    """Builds the messages of one world; every random choice comes from one seeded generator."""

    def __init__(self, world: Path, seed: int, as_of: date) -> None:
        self.rng = random.Random(f"{seed}-mailbox")
        self.as_of = as_of
        truth = {r["customer_id"]: r for r in _rows(world / "truth" / "customers.csv", ",")}
        self.customers = {
            r["customer_id"]: _Customer(r["customer_id"], r["name"], r["language"], r["emails"].split(","),
                                        truth.get(r["customer_id"], {}).get("profile", "punctual"), r["is_consumer"] == "1")
            for r in _rows(world / "accounting" / "customers.csv", ";")
        }
        self.invoices = {
            r["number"]: _Invoice(r["number"], r["customer_id"], date.fromisoformat(r["due_date"]),
                                  Decimal(r["gross"].replace(",", ".")), r["currency"])
            for r in _rows(world / "accounting" / "invoices.csv", ";") if r["kind"] == "invoice"
        }
        self.payments = _rows(world / "truth" / "payments.csv", ",")
        paid = {part.split("=")[0] for p in self.payments for part in p["invoices"].split("|")}
        self.disputes = _rows(world / "truth" / "disputes.csv", ",")
        self.open = [i for i in self.invoices.values() if i.number not in paid and i.due < as_of]
        self.messages: list[tuple[str, bytes]] = []

    def _envelope(self, customer: _Customer, subject: str, headers: dict[str, str] | None = None) -> mc.Envelope:
        n = len(self.messages) + 1
        sent = datetime.combine(self.as_of, datetime.min.time(), UTC) - timedelta(hours=self.rng.randint(1, 72))
        name = f"{self.rng.choice(_FIRST[customer.language])} {self.rng.choice(_LAST[customer.language])}"
        domain = customer.emails[0].rpartition("@")[2]
        return mc.Envelope(sender=customer.emails[0], sender_name=name, subject=subject, date=sent,
                           message_id=f"<sandbox-{n:05d}@{domain}>", headers=dict(headers or {}))

    def _write(self, category: str, customer: _Customer, invoices: list[_Invoice], amount: Decimal | None = None,
               reason: str = "", when: date | None = None) -> None:
        lang = customer.language
        phrase = self.rng.choice(phrases()[category][lang])
        first = invoices[0] if invoices else None
        reminder_subject, reminder_body = mc.reminder(
            lang, first.number if first else "", _money(first.gross, first.currency, lang) if first else "",
            _day(first.due, lang) if first else "")
        currency = first.currency if first else "EUR"
        values = {
            "invoice": first.number if first else "", "amount": _money(amount or (first.gross if first else Decimal(0)), currency, lang),
            "invoices": "\n".join(f"{i.number}  {_money(i.gross, i.currency, lang)}" for i in invoices),
            "date": _day(when or self.as_of - timedelta(days=2), lang),
            "due": _day(self.as_of + timedelta(days=self.rng.randint(5, 25)), lang),
            "company": customer.name, "reason": reason, "subject": reminder_subject,
            "email": customer.emails[0] if category == "bounce" else customer.emails[-1],
        }
        env = self._envelope(customer, phrase["subject"].format(**values), phrase.get("headers"))
        values["name"] = env.sender_name
        if not env.subject:
            env.subject = {"pl": "Odp: ", "de": "AW: ", "en": "Re: "}[lang] + reminder_subject
        env.headers[CATEGORY_HEADER] = category
        body = phrase["body"].format(**values)
        if category == "bounce":
            failed = customer.emails[0]
            env.sender, env.sender_name = "mailer-daemon@mx.nordwind.example", "Mail Delivery System"
            original = mc.compose(mc.Envelope(mc.OUR_ADDRESS, mc.OUR_NAME, reminder_subject, env.date - timedelta(minutes=2),
                                              f"<reminder-{len(self.messages)}@nordwind.example>", to=failed), reminder_body, lang)
            raw = mc.compose_dsn(env, body, failed, original)
        else:
            quoted = mc.Quoted(reminder_subject, reminder_body, env.date - timedelta(days=3),
                               style=self.rng.choice(["attribution", "outlook"])) if self.rng.random() < 0.5 else None
            attachments = []
            if category == "remittance_advice" and self.rng.random() < 0.5:
                lines = [f"{i.number}   {_money(i.gross, i.currency, lang)}" for i in invoices]
                attachments.append(("remittance.pdf", "application/pdf", mc.pdf_document("Remittance advice", lines)))
            raw = mc.compose(env, body, lang, style=self.rng.choice(["plain", "plain", "html", "alternative"]),
                             charset=self.rng.choice(mc.CHARSETS[lang]), quoted=quoted, attachments=attachments)
        self.messages.append((category, raw))

    def write_all(self, scale: float) -> None:
        def take(items: list, n: int) -> list:
            return self.rng.sample(items, min(len(items), max(1, round(n * scale)))) if items else []

        late = [i for i in self.open if self.customers[i.customer].profile in ("late", "chronic", "defaulter")]
        for row in take(self.disputes, 12):
            invoice, customer = self.invoices.get(row["invoice"]), self.customers.get(row["customer_id"])
            if invoice and customer:
                self._write("dispute", customer, [invoice], reason=REASONS.get(row["reason"], {}).get(customer.language, row["reason"]))
        for invoice in take(late, 20):
            self._write("promise_to_pay", self.customers[invoice.customer], [invoice])
        for invoice in take([i for i in late if self.customers[i.customer].profile == "defaulter"] or late, 5):
            self._write("installment_request", self.customers[invoice.customer], [invoice])
        for invoice in take(self.open, 8):
            self._write("invoice_copy_request", self.customers[invoice.customer], [invoice])
        recent = [p for p in self.payments if date.fromisoformat(p["booking_date"]) >= self.as_of - timedelta(days=30)]
        for payment in take([p for p in recent if "|" not in p["invoices"]], 15):
            self._payment("payment_confirmation", payment)
        for payment in take([p for p in self.payments if "|" in p["invoices"]], 8):
            self._payment("remittance_advice", payment)
        customers = sorted(self.customers.values(), key=lambda c: c.id)
        for customer in take(customers, 8):
            self._write("auto_reply", customer, [i for i in self.open if i.customer == customer.id][:1])
        for customer in take(customers, 3):
            self._write("bounce", customer, [i for i in self.open if i.customer == customer.id][:1])
        for customer in take([c for c in customers if c.consumer] or customers, 1):
            self._write("gdpr_request", customer, [])
        for customer in take(customers, 5):
            self._write("other", customer, [])

    def _payment(self, category: str, payment: dict[str, str]) -> None:
        customer = self.customers.get(payment["customer_id"])
        parts = [part.split("=")[0] for part in payment["invoices"].split("|")]
        invoices = [self.invoices[n] for n in parts if n in self.invoices]
        if customer and invoices:
            self._write(category, customer, invoices, Decimal(payment["amount"]), when=date.fromisoformat(payment["booking_date"]))


def write_mailbox(world: Path, scale: float = 1.0) -> dict[str, int]:
    """Write world/mail/NNNN.eml (replacing what was there); returns messages per category.

    `scale` multiplies how many of each kind are written (1.0: about a hundred for 200 customers).
    """
    spec = json.loads((world / "manifest.json").read_text())["spec"]
    writer = _Writer(world, int(spec["seed"]), date.fromisoformat(spec["as_of"]))
    writer.write_all(scale)
    out = world / MAIL_DIR
    out.mkdir(exist_ok=True)
    for old in out.glob("*.eml"):
        old.unlink()
    counts: dict[str, int] = {}
    for n, (category, raw) in enumerate(writer.messages, 1):
        (out / f"{n:05d}.eml").write_bytes(raw)
        counts[category] = counts.get(category, 0) + 1
    return counts


def true_category(raw: bytes) -> str | None:
    """The category the sandbox wrote into a message (tests and benchmarks only)."""
    from email.parser import BytesHeaderParser

    return BytesHeaderParser().parsebytes(raw).get(CATEGORY_HEADER)


def append_folder(folder: Path, host: str, port: int, user: str, password: str, mailbox: str = "INBOX",
                  batch: int = 100) -> int:
    """APPEND every .eml in `folder` (name order) to `mailbox` over plain IMAP on loopback."""
    from imapclient import IMAPClient

    paths = sorted(folder.glob("*.eml"))
    client = IMAPClient(host, port=port, ssl=False)
    try:
        client.login(user, password)
        for start in range(0, len(paths), batch):
            client.multiappend(mailbox, [p.read_bytes() for p in paths[start : start + batch]])
    finally:
        client.logout()
    return len(paths)
