"""Accuracy of the matching engine against a plain baseline, on a labelled sandbox world.

    python tests/benchmarks/bench_matching_accuracy.py [--invoices 4000] [--customers 300] [--seed 42]
        [--hard 400] [--by-quirk]

The world comes from the sandbox generator (accounting export + bank statements + truth files);
credit notes lower the open amount of the invoice they correct. On top of it, `--hard` extra
customers pay in ways the sandbox does not generate: bank fees deducted, "faktura nr 123",
digits typed without separators, vague titles for several invoices (combinations), overpayments,
tax id in the title, unknown payers known only by name, payments in the wrong currency (must not
be posted) and two equal open invoices (must not be guessed).

Reported per engine: precision of auto-posted allocation rows, share of incoming payments fully
auto-posted (and auto-posted exactly right), share with the right answer auto-posted or in the
top-3 suggestions. Goals: precision >= 99.9 %, auto-posted >= 95 %, top-3 >= 99 %.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from matching_baseline import baseline_match  # noqa: E402

from receivables.matching import Knowledge, MatchConfig, OpenInvoice, Payment, load_match_config, match  # noqa: E402

COMPANY_NIP = "5252448487"
ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}
Answer = frozenset[tuple[str, Decimal]]


@dataclass(frozen=True)
class Truth:
    answer: Answer  # empty: the payment must not be posted
    kind: str


def load_world(out: Path) -> tuple[list[OpenInvoice], list[Payment], dict[str, Truth]]:
    from receivables.accounting.detect import read_invoices
    from receivables.banking.detect import iter_statements

    batch = read_invoices(out / "accounting", issuer_tax_id=COMPANY_NIP)
    customers = {c.external_id: c for c in batch.customers}
    open_amount: dict[str, Decimal] = {}
    for record in batch.invoices:
        if record.kind == "invoice":
            open_amount[record.number] = open_amount.get(record.number, Decimal(0)) + record.gross
    for record in batch.invoices:
        if record.kind == "credit_note" and record.corrects in open_amount:
            open_amount[record.corrects] += record.gross
    invoices = []
    for record in batch.invoices:
        if record.kind != "invoice" or open_amount[record.number] <= 0:
            continue
        c = customers[record.customer_external_id]
        invoices.append(OpenInvoice(record.number, c.external_id, c.name, c.tax_id, tuple(c.ibans),
                                    record.issue_date, record.due_date, record.currency, open_amount[record.number]))
    payments = []
    for path in sorted((out / "bank").rglob("*.*")):
        _, statements = iter_statements(path)
        for statement in statements:
            for tx in statement.transactions:
                payments.append(Payment(tx.reference, tx.booking_date, tx.amount, tx.currency,
                                        tx.counterparty_name, tx.counterparty_iban, tx.title))
    truth = {}
    with (out / "truth" / "payments.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            answer = frozenset((num, Decimal(amount)) for num, amount in
                               (item.split("=") for item in row["invoices"].split("|")))
            truth[row["reference"]] = Truth(answer, row["quirk"])
    return invoices, payments, truth


class HardCases:
    """Customers and payments the sandbox does not generate, with the answer for each."""

    def __init__(self, seed: int, start: date, end: date) -> None:
        self.rng = random.Random(seed)
        self.start, self.end = start, end
        self.invoices: list[OpenInvoice] = []
        self.payments: list[Payment] = []
        self.truth: dict[str, Truth] = {}
        self.serial = 0

    def _customer(self, n: int, *, person: bool = False) -> tuple[str, str, str, str]:
        rng = self.rng
        if person:
            first, last = rng.choice(["Jan", "Anna", "Żaneta", "Łukasz"]), rng.choice(["Wójcik", "Dąbrowska", "Gęba"])
            name = f"{first} {last}-{n}"
        else:
            stem = rng.choice(["Żuraw", "Łąka", "Gęś", "Nord", "Süd"]) + rng.choice(["pol", "trans", "bau"])
            name = f"{stem}{n} " + rng.choice(["sp. z o.o.", "S.A.", "GmbH", "sp.j."])
        nip = f"{rng.randint(100_000_000, 999_999_999)}{n % 10}"
        iban = f"PL{rng.randint(10, 99)}{rng.randint(10**23, 10**24 - 1)}"
        return f"H{n:05d}", name, nip, iban

    def _invoice(self, cust: tuple[str, str, str, str], day: date, amount: Decimal,
                 currency: str = "PLN") -> OpenInvoice:
        self.serial += 1
        number = f"FS/{day:%Y}/{day:%m}/{self.serial:04d}"
        cid, name, nip, iban = cust
        inv = OpenInvoice(number, cid, name, nip, (iban,), day, day + timedelta(days=14), currency, amount)
        self.invoices.append(inv)
        return inv

    def _amount(self) -> Decimal:
        return Decimal(self.rng.randint(5_000, 3_000_000)).scaleb(-2)

    def _pay(self, kind: str, day: date, amount: Decimal, payer: str | None, iban: str | None, title: str,
             answer: list[tuple[str, Decimal]], currency: str = "PLN") -> None:
        pid = f"HARD{len(self.payments) + 1:05d}"
        self.payments.append(Payment(pid, day, amount, currency, payer, iban, title))
        self.truth[pid] = Truth(frozenset(answer), kind)

    def build(self, count: int) -> None:
        kinds = ["fee", "nr", "glued", "no_prefix_multi", "combination", "overpayment", "tax_id", "name_only",
                 "foreign_currency", "equal_amounts", "transposed_words", "two_partials"]
        for n in range(1, count + 1):
            kind = kinds[n % len(kinds)]
            cust = self._customer(n, person=kind == "transposed_words")
            day = self.start + timedelta(days=self.rng.randint(0, max(1, (self.end - self.start).days - 40)))
            pay_day = day + timedelta(days=self.rng.randint(5, 30))
            cid, name, nip, iban = cust
            payer = name.upper()
            if kind == "fee":
                inv = self._invoice(cust, day, self._amount() + 50)
                fee = Decimal(self.rng.choice(["0.50", "1.00", "1.50", "2.00"]))
                self._pay(kind, pay_day, inv.amount_open - fee, payer, iban, f"Faktura {inv.invoice_number}",
                          [(inv.invoice_number, inv.amount_open - fee)])
            elif kind == "nr":
                inv = self._invoice(cust, day, self._amount())
                seq = int(inv.invoice_number.rsplit("/", 1)[1])
                self._pay(kind, pay_day, inv.amount_open, payer, iban, f"faktura nr {seq}",
                          [(inv.invoice_number, inv.amount_open)])
            elif kind == "glued":
                inv = self._invoice(cust, day, self._amount())
                glued = inv.invoice_number.replace("/", "")
                self._pay(kind, pay_day, inv.amount_open, f"Spółka {name}", None, f"Zapłata {glued}",
                          [(inv.invoice_number, inv.amount_open)])
            elif kind == "no_prefix_multi":
                invs = [self._invoice(cust, day, self._amount()) for _ in range(3)]
                title = "Płatność " + " ".join(i.invoice_number.split("/", 1)[1] for i in invs)
                self._pay(kind, pay_day, sum(i.amount_open for i in invs), payer, iban, title,
                          [(i.invoice_number, i.amount_open) for i in invs])
            elif kind == "combination":
                invs = [self._invoice(cust, day + timedelta(days=k), self._amount()) for k in range(5)]
                paid = [invs[0], invs[2], invs[3]]
                self._pay(kind, pay_day, sum(i.amount_open for i in paid), payer, iban, "Przelew za usługi",
                          [(i.invoice_number, i.amount_open) for i in paid])
            elif kind == "overpayment":
                inv = self._invoice(cust, day, self._amount())
                self._pay(kind, pay_day, inv.amount_open + Decimal("100.00"), payer, iban,
                          f"FV {inv.invoice_number}", [(inv.invoice_number, inv.amount_open)])
            elif kind == "tax_id":
                inv = self._invoice(cust, day, self._amount())
                self._pay(kind, pay_day, inv.amount_open, "JAN KOWALSKI", "PL00999999999999999999999999",
                          f"NIP {nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]} zapłata",
                          [(inv.invoice_number, inv.amount_open)])
            elif kind == "name_only":
                inv = self._invoice(cust, day, self._amount())
                self._pay(kind, pay_day, inv.amount_open, payer, None, "Przelew",
                          [(inv.invoice_number, inv.amount_open)])
            elif kind == "foreign_currency":
                inv = self._invoice(cust, day, self._amount())
                self._pay(kind, pay_day, (inv.amount_open / 4).quantize(Decimal("0.01")), payer, iban,
                          f"Invoice {inv.invoice_number}", [], currency="EUR")
            elif kind == "equal_amounts":
                amount = self._amount()
                self._invoice(cust, day, amount)
                self._invoice(cust, day + timedelta(days=3), amount)
                self._pay(kind, pay_day, amount, payer, iban, "Zapłata", [])
            elif kind == "transposed_words":
                inv = self._invoice(cust, day, self._amount())
                first, last = name.split(" ", 1)
                self._pay(kind, pay_day, inv.amount_open, f"{last.upper()} {first.upper()}", iban,
                          f"rachunek {inv.invoice_number.lower()}", [(inv.invoice_number, inv.amount_open)])
            elif kind == "two_partials":
                inv = self._invoice(cust, day, self._amount() + 100)
                first = (inv.amount_open * Decimal("0.4")).quantize(Decimal("0.01"))
                self._pay(kind, pay_day, first, payer, iban, f"{inv.invoice_number} część 1",
                          [(inv.invoice_number, first)])
                self._pay(kind, pay_day + timedelta(days=9), inv.amount_open - first, payer, iban,
                          f"{inv.invoice_number} reszta", [(inv.invoice_number, inv.amount_open - first)])


def score(truth: dict[str, Truth], posted: dict[str, Answer], top: dict[str, list[Answer]]) -> dict:
    """posted: payment -> auto allocations; top: payment -> suggested answers, best first."""
    rows = correct_rows = 0
    for pid, answer in posted.items():
        expected = truth[pid].answer if pid in truth else frozenset()
        rows += len(answer)
        correct_rows += len(answer & expected)
    payable = [pid for pid, t in truth.items() if t.answer]
    refusals = [pid for pid, t in truth.items() if not t.answer]
    auto = sum(1 for pid in payable if posted.get(pid))
    auto_right = sum(1 for pid in payable if posted.get(pid) == truth[pid].answer)
    in_top = sum(1 for pid in payable if posted.get(pid) == truth[pid].answer
                 or truth[pid].answer in top.get(pid, [])[:3])
    wrongly_posted = sum(1 for pid in refusals if posted.get(pid))
    return {
        "incoming_payments": len(truth),
        "auto_rows": rows,
        "precision_auto_rows": round(correct_rows / rows, 5) if rows else None,
        "auto_posted_share": round(auto / len(payable), 5),
        "auto_posted_right_share": round(auto_right / len(payable), 5),
        "top3_share": round(in_top / len(payable), 5),
        "must_not_post": len(refusals),
        "must_not_post_but_posted": wrongly_posted,
    }


def by_kind(truth: dict[str, Truth], posted: dict[str, Answer], top: dict[str, list[Answer]]) -> dict:
    stats: dict[str, Counter] = {}
    for pid, t in truth.items():
        s = stats.setdefault(t.kind or "-", Counter())
        s["n"] += 1
        got = posted.get(pid)
        s["auto"] += bool(got)
        s["auto_wrong"] += bool(got) and got != t.answer
        s["top3"] += bool(t.answer) and (got == t.answer or t.answer in top.get(pid, [])[:3])
    return {k: dict(v) for k, v in sorted(stats.items())}


def engine_answers(result) -> tuple[dict[str, Answer], dict[str, list[Answer]]]:
    posted: dict[str, set] = {}
    for a in result.allocations:
        if a.status == "auto":
            posted.setdefault(a.payment_id, set()).add((a.invoice_number, a.amount))
    top = {pid: [frozenset(zip(s.invoice_numbers, s.amounts, strict=True)) for s in sug]
           for pid, sug in result.suggestions.items()}
    return {k: frozenset(v) for k, v in posted.items()}, top


def baseline_answers(invoices: list[OpenInvoice], payments: list[Payment]) -> tuple[dict[str, Answer], dict]:
    import pandas as pd

    inv = pd.DataFrame({"invoice_number": [i.invoice_number for i in invoices],
                        "currency": [i.currency for i in invoices],
                        "amount_open": [int(i.amount_open * 100) for i in invoices],
                        "issue_date": [i.issue_date for i in invoices]})
    pay = pd.DataFrame({"payment_id": [p.payment_id for p in payments], "currency": [p.currency for p in payments],
                        "amount": [int(p.amount * 100) for p in payments], "title": [p.title for p in payments]})
    out = baseline_match(inv, pay)
    posted: dict[str, set] = {}
    for pid, number, cents in out.itertuples(index=False):
        posted.setdefault(pid, set()).add((number, Decimal(int(cents)).scaleb(-2)))
    return {k: frozenset(v) for k, v in posted.items()}, {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=4000)
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--as-of", default="2024-12-31")
    parser.add_argument("--hard", type=int, default=480, help="extra hard cases (0: sandbox only)")
    parser.add_argument("--config", default=None, help="matching YAML (default config/matching.yaml)")
    parser.add_argument("--by-quirk", action="store_true", help="break results down by payment kind")
    args = parser.parse_args()

    from receivables.sandbox.world import WorldGenerator, WorldSpec

    as_of = date.fromisoformat(args.as_of)
    spec = WorldSpec(seed=args.seed, customers=args.customers, invoices=args.invoices, months=12, as_of=as_of)
    with tempfile.TemporaryDirectory(prefix="bench-matching-") as tmp:
        out = Path(tmp) / "world"
        WorldGenerator(spec, COMPANY_NIP, ACCOUNTS).write(out)
        invoices, payments, truth = load_world(out)
    hard = HardCases(args.seed, spec.start, as_of)
    hard.build(args.hard)
    invoices += hard.invoices
    payments += hard.payments
    truth.update(hard.truth)
    config: MatchConfig = load_match_config(args.config)

    start = time.perf_counter()
    result = match(invoices, payments, config, Knowledge())
    engine_s = time.perf_counter() - start
    posted, top = engine_answers(result)
    start = time.perf_counter()
    base_posted, base_top = baseline_answers(invoices, payments)
    baseline_s = time.perf_counter() - start

    report = {
        "world": {"seed": args.seed, "invoices": len(invoices), "payments": len(payments),
                  "incoming_labelled": len(truth), "hard_cases": len(hard.truth)},
        "engine": {**score(truth, posted, top), "seconds": round(engine_s, 3),
                   "flags": dict(Counter(result.flags.values()))},
        "baseline": {**score(truth, base_posted, base_top), "seconds": round(baseline_s, 3)},
        "goals": {"precision_auto_rows": 0.999, "auto_posted_share": 0.95, "top3_share": 0.99},
    }
    if args.by_quirk:
        report["engine_by_kind"] = by_kind(truth, posted, top)
        report["baseline_by_kind"] = by_kind(truth, base_posted, base_top)
    print(json.dumps(report, indent=2, default=str))


if __name__ == "__main__":
    main()
