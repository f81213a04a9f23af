"""A seeded, streamed generator of one company's receivables world, written as real files.

The world is a function of (seed, sizes, as_of): the same spec gives the same bytes. Invoices are
written month by month and payments go to per-month buckets on disk, so a million invoices need
no more memory than one month of them.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import itertools
import json
import math
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from receivables.banking.records import Statement, StatementTransaction
from receivables.money import CENT
from receivables.sandbox import ids, names

Progress = Callable[[str, int, int], None]
TITLE_LIMIT = 140  # a Polish domestic transfer title holds 4 x 35 characters; banks cut the rest
MAX_INVOICES_PER_TRANSFER = 6
PROFILES = (("punctual", 0.45), ("late", 0.28), ("chronic", 0.15), ("defaulter", 0.06), ("disputer", 0.06))


@dataclass(frozen=True)
class WorldSpec:
    seed: int = 42
    customers: int = 200
    invoices: int = 2000
    months: int = 12
    as_of: date = field(default_factory=date.today)

    @property
    def start(self) -> date:
        year, month = self.as_of.year, self.as_of.month - self.months + 1
        while month < 1:
            year, month = year - 1, month + 12
        return date(year, month, 1)


@dataclass
class SandboxCustomer:
    external_id: str
    name: str
    country: str
    language: str
    tax_id: str
    regon: str | None
    street: str
    postal_code: str
    city: str
    emails: list[str]
    phones: list[str]
    ibans: list[str]
    account_manager: str
    is_consumer: bool
    profile: str
    terms: int
    currency: str
    payer_name: str
    private_iban: str
    batcher: bool


@dataclass
class PlannedPayment:
    """One incoming transfer the world will book, with what it really pays (the truth file)."""

    day: date
    customer: SandboxCustomer
    invoices: list[tuple[str, Decimal]]
    quirk: str


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _month_iter(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def _slug(text: str) -> str:
    table = str.maketrans("ąćęłńóśźżäöüßÄÖÜ", "acelnoszzaousAOU")
    return "".join(ch for ch in text.lower().translate(table) if ch.isalnum())[:18] or "firma"


class WorldGenerator:
    def __init__(self, spec: WorldSpec, company_nip: str, accounts: dict[str, str]) -> None:
        self.spec = spec
        self.company_nip = company_nip
        self.accounts = accounts
        self.rng = random.Random(spec.seed)
        self.customers: list[SandboxCustomer] = []

    # -- customers -------------------------------------------------------------------------
    def _customer(self, n: int) -> SandboxCustomer:
        rng = self.rng
        country = rng.choices(["PL", "DE", "GB"], weights=[70, 20, 10])[0]
        profile = rng.choices([p for p, _ in PROFILES], weights=[w for _, w in PROFILES])[0]
        if country == "PL":
            consumer = rng.random() < 0.08
            if consumer or rng.random() < 0.2:
                person = f"{rng.choice(names.PL_FIRST)} {rng.choice(names.PL_LAST)}"
                name = f"{rng.choice(names.PL_SOLE)} {person}" if not consumer else person
            else:
                name = f"{rng.choice(names.PL_STEMS)}{rng.choice(names.PL_SUFFIX)} {rng.choice(names.PL_FORMS)}"
            city, zip_prefix = rng.choice(names.PL_CITIES)
            street = f"{rng.choice(names.PL_STREETS)} {rng.randint(1, 180)}"
            postal = f"{zip_prefix}-{rng.randint(0, 999):03d}"
            tax_id, regon = ids.nip(rng), ids.regon(rng)
            phone = f"+48 {rng.randint(500, 899)} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
            language, currency, domain = "pl", "PLN", "pl"
        elif country == "DE":
            consumer = False
            name = f"{rng.choice(names.DE_STEMS)}{rng.choice(names.DE_SUFFIX)} {rng.choice(names.DE_FORMS)}"
            city, zip_prefix = rng.choice(names.DE_CITIES)
            street = f"{rng.choice(names.DE_STREETS)} {rng.randint(1, 120)}"
            postal = f"{zip_prefix}{rng.randint(0, 999):03d}"
            tax_id, regon = ids.de_vat(rng), None
            phone = f"+49 {rng.randint(30, 89)} {rng.randint(100000, 9999999)}"
            language, currency, domain = "de", "EUR", "de"
        else:
            consumer = False
            name = f"{rng.choice(names.GB_STEMS)}{rng.choice(names.GB_SUFFIX)} {rng.choice(names.GB_FORMS)}"
            city, postal = rng.choice(names.GB_CITIES)
            street = f"{rng.randint(1, 200)} {rng.choice(names.GB_STREETS)}"
            tax_id, regon = ids.gb_vat(rng), None
            phone = f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
            language, currency, domain = "en", "EUR", "co.uk"
        slug = _slug(name.split(" sp.")[0])
        emails = [f"ksiegowosc@{slug}.{domain}" if language == "pl" else f"accounts@{slug}.{domain}"]
        if rng.random() < 0.3:
            emails.append(f"biuro@{slug}.{domain}" if language == "pl" else f"info@{slug}.{domain}")
        return SandboxCustomer(
            external_id=f"K{n:05d}", name=name, country=country, language=language, tax_id=tax_id,
            regon=regon, street=street, postal_code=postal, city=city, emails=emails,
            phones=[phone], ibans=[ids.iban(rng, country)],
            account_manager=rng.choice(names.MANAGERS), is_consumer=consumer, profile=profile,
            terms=rng.choice([7, 14, 14, 21, 30, 30, 30, 45, 60]), currency=currency,
            payer_name=self._payer_variant(name), private_iban=ids.iban(rng, country),
            batcher=rng.random() < 0.25,
        )

    def _payer_variant(self, name: str) -> str:
        """How the customer's bank spells them: upper case, no legal form, cut short, a typo."""
        rng = self.rng
        choice = rng.random()
        if choice < 0.45:
            return name.upper()
        if choice < 0.65:
            for form in names.PL_FORMS + names.DE_FORMS + names.GB_FORMS + ["SPÓŁKA Z O.O."]:
                if name.endswith(" " + form):
                    return name[: -len(form) - 1].upper()
            return name.upper()
        if choice < 0.75:
            return name.upper().replace("SP. Z O.O.", "SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ")
        if choice < 0.85 and len(name) > 6:
            i = rng.randint(1, len(name) - 3)
            return (name[:i] + name[i + 1] + name[i] + name[i + 2:]).upper()
        return name

    # -- invoices --------------------------------------------------------------------------
    def _amount(self, customer: SandboxCustomer) -> Decimal:
        base = math.exp(self.rng.gauss(7.6, 1.0))
        if customer.currency == "EUR":
            base /= 4.3
        if customer.is_consumer:
            base /= 5
        return _money(min(max(base, 40.0), 250_000.0))

    def _delay(self, c: SandboxCustomer) -> int | None:
        """Days after the due date this customer pays; None = does not pay (yet)."""
        rng = self.rng
        if c.profile == "punctual":
            return max(-10, min(4, round(rng.gauss(-2, 3))))
        if c.profile == "late":
            return max(0, round(rng.gammavariate(2.0, 7.0)))
        if c.profile == "chronic":
            return round(rng.gammavariate(3.0, 15.0)) + 5
        if c.profile == "defaulter":
            return None if rng.random() < 0.55 else round(rng.gammavariate(3.0, 25.0)) + 20
        return max(-5, round(rng.gauss(3, 6)))

    # -- the world -------------------------------------------------------------------------
    def write(self, out: Path, progress: Progress | None = None) -> dict:
        spec = self.spec
        progress = progress or (lambda stage, done, total: None)
        if out.exists():
            shutil.rmtree(out)
        (out / "accounting").mkdir(parents=True)
        (out / "truth").mkdir()
        n_customers = max(spec.customers, spec.invoices // 10)
        self.customers = [self._customer(i + 1) for i in range(n_customers)]
        weights = list(itertools.accumulate(self.rng.paretovariate(1.6) for _ in self.customers))
        self._write_customers(out / "accounting" / "customers.csv")
        with tempfile.TemporaryDirectory(prefix="sandbox-buckets-") as tmp:
            buckets = Path(tmp)
            counts = self._write_invoices(out, weights, buckets, progress)
            counts.update(self._write_bank(out, buckets, progress))
        counts["customers"] = n_customers
        manifest = {
            "spec": {"seed": spec.seed, "customers": spec.customers, "invoices": spec.invoices,
                     "months": spec.months, "as_of": spec.as_of.isoformat()},
            "counts": counts,
            "files": {str(p.relative_to(out)): _sha256(p) for p in sorted(out.rglob("*")) if p.is_file()},
        }
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return manifest

    def _write_customers(self, path: Path) -> None:
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, delimiter=";", lineterminator="\n")
            w.writerow(["customer_id", "name", "tax_id", "regon", "country", "street", "postal_code", "city",
                        "emails", "phones", "language", "account_manager", "ibans", "is_consumer"])
            for c in self.customers:
                w.writerow([c.external_id, c.name, c.tax_id, c.regon or "", c.country, c.street, c.postal_code,
                            c.city, ",".join(c.emails), ",".join(c.phones), c.language, c.account_manager,
                            ",".join(c.ibans), int(c.is_consumer)])
        with (path.parents[1] / "truth" / "customers.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["customer_id", "profile", "payer_name", "private_iban", "batcher"])
            for c in self.customers:
                w.writerow([c.external_id, c.profile, c.payer_name, c.private_iban, int(c.batcher)])

    def _write_invoices(self, out: Path, cum_weights: list[float], buckets: Path, progress: Progress) -> dict:
        spec, rng = self.spec, self.rng
        months = list(_month_iter(spec.start, spec.as_of))
        per_month = [spec.invoices // len(months) + (1 if i < spec.invoices % len(months) else 0)
                     for i in range(len(months))]
        counts = {"invoices": 0, "credit_notes": 0, "disputed": 0, "open_at_as_of": 0}
        inv_file = (out / "accounting" / "invoices.csv").open("w", encoding="utf-8-sig", newline="")
        disputes = (out / "truth" / "disputes.csv").open("w", encoding="utf-8", newline="")
        inv_w = csv.writer(inv_file, delimiter=";", lineterminator="\n")
        dis_w = csv.writer(disputes, lineterminator="\n")
        inv_w.writerow(["number", "kind", "corrects", "customer_id", "issue_date", "due_date", "currency",
                        "net", "vat", "gross", "payment_terms_days", "issuer_tax_id"])
        dis_w.writerow(["invoice", "customer_id", "reason"])
        bucket_files: dict[str, csv.writer] = {}
        handles = []

        def bucket(day: date) -> csv.writer:
            key = f"{day:%Y-%m}"
            if key not in bucket_files:
                fh = (buckets / f"{key}.csv").open("a", encoding="utf-8", newline="")
                handles.append(fh)
                bucket_files[key] = csv.writer(fh, lineterminator="\n")
            return bucket_files[key]

        batch: dict[str, list] = {}
        kor_serial: dict[str, int] = {}
        for month, count in zip(months, per_month, strict=True):
            last_day = calendar.monthrange(month.year, month.month)[1]
            issue_days = sorted(
                min(month.replace(day=rng.randint(1, last_day)), spec.as_of) for _ in range(count)
            )
            serial = {"PLN": 0, "EUR": 0}
            for issue in issue_days:
                c = rng.choices(self.customers, cum_weights=cum_weights)[0]
                serial[c.currency] += 1
                prefix = "FV" if c.currency == "PLN" else "FVE"
                number = f"{prefix}/{issue:%Y}/{issue:%m}/{serial[c.currency]:04d}"
                net = self._amount(c)
                rate = Decimal("0.23") if c.country == "PL" else Decimal("0")
                vat = (net * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                gross = net + vat
                due = issue + timedelta(days=c.terms)
                inv_w.writerow([number, "invoice", "", c.external_id, issue, due, c.currency,
                                _csv_money(net), _csv_money(vat), _csv_money(gross), c.terms, self.company_nip])
                counts["invoices"] += 1
                payable = gross
                if rng.random() < 0.03:
                    share = Decimal(rng.choice(["0.1", "0.25", "1"]))
                    cnet = -(net * share).quantize(CENT)
                    cvat = (cnet * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                    kor_day = min(issue + timedelta(days=rng.randint(1, 10)), spec.as_of)
                    kor_month = f"{kor_day:%Y}/{kor_day:%m}"
                    kor_serial[kor_month] = kor_serial.get(kor_month, 0) + 1
                    inv_w.writerow([f"KOR/{kor_month}/{kor_serial[kor_month]:04d}", "credit_note", number,
                                    c.external_id, kor_day, kor_day, c.currency, _csv_money(cnet),
                                    _csv_money(cvat), _csv_money(cnet + cvat), 0, self.company_nip])
                    counts["credit_notes"] += 1
                    payable += cnet + cvat
                if c.profile == "disputer" and rng.random() < 0.3:
                    dis_w.writerow([number, c.external_id, rng.choice(
                        ["damaged goods", "late delivery", "wrong quantity", "price differs from offer"])])
                    counts["disputed"] += 1
                    continue
                delay = self._delay(c)
                if payable <= 0 or delay is None:
                    counts["open_at_as_of"] += int(payable > 0)
                    continue
                pay_day = due + timedelta(days=delay)
                pay_day = max(pay_day, issue + timedelta(days=1))
                if c.profile in ("chronic", "defaulter") and rng.random() < 0.3:
                    first = (payable * Decimal(rng.choice(["0.3", "0.5"]))).quantize(CENT)
                    self._plan(bucket, spec, PlannedPayment(pay_day, c, [(number, first)], "partial"), counts)
                    pay_day += timedelta(days=rng.randint(10, 40))
                    payable -= first
                if c.batcher:
                    week = (pay_day - timedelta(days=pay_day.weekday())).isoformat()
                    group = batch.setdefault(c.external_id + week, [pay_day, c, []])
                    group[2].append((number, payable))
                    if len(group[2]) == MAX_INVOICES_PER_TRANSFER:
                        batch[c.external_id + week + str(serial[c.currency])] = batch.pop(c.external_id + week)
                    continue
                self._plan(bucket, spec, PlannedPayment(pay_day, c, [(number, payable)], ""), counts)
            for day, c, items in batch.values():
                quirk = "multi" if len(items) > 1 else ""
                self._plan(bucket, spec, PlannedPayment(day, c, items, quirk), counts)
            batch.clear()
            progress("invoices", counts["invoices"], spec.invoices)
        for fh in (inv_file, disputes, *handles):
            fh.close()
        return counts

    def _plan(self, bucket: Callable[[date], csv.writer], spec: WorldSpec, p: PlannedPayment, counts: dict) -> None:
        if p.day > spec.as_of:
            counts["open_at_as_of"] += 1
            return
        if p.day.weekday() >= 5:
            p.day += timedelta(days=7 - p.day.weekday())
            if p.day > spec.as_of:
                counts["open_at_as_of"] += 1
                return
        quirk = p.quirk or self.rng.choices(
            ["exact", "typo", "reordered", "no_number", "other_payer", "split_payment"],
            weights=[55, 12, 10, 10, 6, 7 if p.customer.country == "PL" else 0],
        )[0]
        title, payer, iban = self._title(p, quirk)
        amount = sum((a for _, a in p.invoices), Decimal("0"))
        bucket(p.day).writerow([
            p.day.isoformat(), p.customer.currency, str(amount), payer, iban, title, quirk,
            p.customer.external_id, "|".join(f"{n}={a}" for n, a in p.invoices),
        ])

    def _title(self, p: PlannedPayment, quirk: str) -> tuple[str, str, str]:
        rng, c = self.rng, p.customer
        words = names.TITLE_WORDS[c.language]
        numbers = [n for n, _ in p.invoices]
        payer, iban = c.payer_name, c.ibans[0]
        if quirk == "typo":
            numbers = [_typo(rng, n) for n in numbers]
        elif quirk == "reordered":
            numbers = [_reorder(rng, n) for n in numbers]
        elif quirk == "other_payer":
            payer = f"{rng.choice(names.PL_FIRST if c.language == 'pl' else names.DE_FIRST)} {rng.choice(names.PL_LAST if c.language == 'pl' else names.DE_LAST)}".upper()
            iban = c.private_iban
        if quirk == "no_number":
            return rng.choice(names.VAGUE_TITLES[c.language]), payer, iban
        if quirk == "split_payment":
            gross = sum((a for _, a in p.invoices), Decimal("0"))
            vat = (gross * 23 / 123).quantize(CENT, rounding=ROUND_HALF_UP)
            return f"/VAT/{str(vat).replace('.', ',')}/IDC/{c.tax_id}/INV/{numbers[0]}/TXT/{rng.choice(words)}", payer, iban
        title = f"{rng.choice(words)} {', '.join(numbers)}"
        if rng.random() < 0.2:
            title = title.lower()
        return title[:TITLE_LIMIT], payer, iban

    # -- bank ------------------------------------------------------------------------------
    def _write_bank(self, out: Path, buckets: Path, progress: Progress) -> dict:
        from receivables.sandbox.statements import write_statement

        spec, rng = self.spec, self.rng
        counts = {"payments": 0, "bank_transactions": 0, "statements": 0}
        balances = {cur: _money(rng.uniform(50_000, 400_000)) for cur in self.accounts}
        truth = (out / "truth" / "payments.csv").open("w", encoding="utf-8", newline="")
        tw = csv.writer(truth, lineterminator="\n")
        tw.writerow(["reference", "account", "booking_date", "amount", "currency", "customer_id",
                     "invoices", "quirk"])
        months = list(_month_iter(spec.start, spec.as_of))
        for i, month in enumerate(months):
            rows = []
            path = buckets / f"{month:%Y-%m}.csv"
            if path.exists():
                with path.open(encoding="utf-8", newline="") as fh:
                    rows = list(csv.reader(fh))
            rows.sort(key=lambda r: r[0])
            last = min(date(month.year, month.month, calendar.monthrange(month.year, month.month)[1]), spec.as_of)
            for currency, account in self.accounts.items():
                txs: list[StatementTransaction] = []
                seq = 0
                for row in rows:
                    day, cur, amount, payer, iban, title, quirk, cust, paid = row
                    if cur != currency:
                        continue
                    seq += 1
                    ref = f"{month:%y%m}{currency[0]}{seq:06d}"
                    day_d = date.fromisoformat(day)
                    txs.append(StatementTransaction(
                        booking_date=day_d, value_date=day_d, amount=Decimal(amount), currency=currency,
                        counterparty_name=payer, counterparty_iban=iban, title=title, reference=ref,
                        end_to_end_id=f"E2E{ref}", bank_code="TRF"))
                    tw.writerow([ref, account, day, amount, currency, cust, paid, quirk])
                    counts["payments"] += 1
                txs.extend(self._expenses(month, last, currency))
                txs.sort(key=lambda t: (t.booking_date, t.reference or ""))
                closing = balances[currency] + sum((t.amount for t in txs), Decimal("0"))
                stmt = Statement(
                    account=account, statement_id=f"{month:%Y}/{month:%m}", currency=currency,
                    opening_balance=balances[currency], closing_balance=closing,
                    opening_date=month, closing_date=last, transactions=txs,
                )
                fmt = "mt940" if currency == "PLN" else "camt053"
                folder = out / "bank" / account
                folder.mkdir(parents=True, exist_ok=True)
                write_statement(folder / f"{month:%Y-%m}.{'sta' if fmt == 'mt940' else 'xml'}", stmt, fmt)
                balances[currency] = closing
                counts["bank_transactions"] += len(txs)
                counts["statements"] += 1
            progress("statements", i + 1, len(months))
        truth.close()
        return counts

    def _expenses(self, month: date, last: date, currency: str) -> list[StatementTransaction]:
        rng = self.rng
        txs = []
        items = names.EXPENSES if currency == "PLN" else names.EXPENSES[2:4]
        for seq, (payee, title) in enumerate(items, start=1):
            day = min(month.replace(day=rng.randint(5, 25)), last)
            while day.weekday() >= 5 and day > month:
                day -= timedelta(days=1)
            amount = -_money(rng.uniform(800, 40_000) if currency == "PLN" else rng.uniform(100, 3_000))
            ref = f"{month:%y%m}{currency[0]}X{seq:05d}"
            txs.append(StatementTransaction(
                booking_date=day, value_date=day, amount=amount, currency=currency,
                counterparty_name=payee, counterparty_iban=None, title=f"{title} {month:%m/%Y}",
                reference=ref, end_to_end_id=None, bank_code="TRF"))
        fee_day = last
        txs.append(StatementTransaction(
            booking_date=fee_day, value_date=fee_day, amount=-_money(rng.uniform(15, 60)), currency=currency,
            counterparty_name=None, counterparty_iban=None,
            title="Opłata za prowadzenie rachunku" if currency == "PLN" else "Account maintenance fee",
            reference=f"{month:%y%m}{currency[0]}FEE01", end_to_end_id=None, bank_code="CHG"))
        return txs


def _csv_money(value: Decimal) -> str:
    return str(value).replace(".", ",")


def _typo(rng: random.Random, number: str) -> str:
    kind = rng.randint(0, 3)
    if kind == 0:
        return number.replace("/", "", 1)
    if kind == 1:
        return number.replace("/", " ").lower()
    if kind == 2:
        head, _, tail = number.rpartition("/")
        return f"{head}/{tail.lstrip('0')}"
    digits = [i for i, ch in enumerate(number) if ch.isdigit()]
    i = rng.choice(digits[:-1])
    return number[:i] + number[i + 1] + number[i] + number[i + 2:] if number[i + 1].isdigit() else number


def _reorder(rng: random.Random, number: str) -> str:
    """FV/2024/05/0123 -> 'FV 123/05/2024' or 'fv2024-05-123', as payers retype it."""
    parts = number.split("/")
    if len(parts) != 4:
        return number
    prefix, year, month, seq = parts
    if rng.random() < 0.5:
        return f"{prefix} {int(seq)}/{month}/{year}"
    return f"{prefix.lower()}{year}-{month}-{int(seq)}"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
