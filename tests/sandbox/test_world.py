"""The sandbox world: reproducible to the byte, valid identifiers, statements that add up."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from schwifty import IBAN
from stdnum.de import vat as de_vat
from stdnum.gb import vat as gb_vat
from stdnum.pl import nip, regon

from receivables.banking import camt, mt940
from receivables.banking.balances import check_balances
from receivables.sandbox.world import WorldGenerator, WorldSpec

ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}
SPEC = WorldSpec(seed=11, customers=60, invoices=600, months=6, as_of=date(2026, 11, 27))


def generate(out: Path, spec: WorldSpec = SPEC) -> dict:
    return WorldGenerator(spec, "5252448487", ACCOUNTS).write(out)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    generate(out)
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";" if "accounting" in str(path) else ","))


def money(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_same_seed_same_bytes_other_seed_other_world(tmp_path, world):
    again = generate(tmp_path / "again")
    original = json.loads((world / "manifest.json").read_text())
    assert again["files"] == original["files"]
    assert len(original["files"]) >= 2 + 2 * SPEC.months
    other = generate(tmp_path / "other", WorldSpec(**{**SPEC.__dict__, "seed": 12}))
    assert other["files"]["accounting/invoices.csv"] != original["files"]["accounting/invoices.csv"]


def test_identifiers_have_valid_check_digits(world):
    customers = rows(world / "accounting" / "customers.csv")
    assert len(customers) == SPEC.customers
    assert {c["country"] for c in customers} == {"PL", "DE", "GB"}
    for c in customers:
        for iban in c["ibans"].split(","):
            assert IBAN(iban).country_code == c["country"]
        validator = {"PL": nip, "DE": de_vat, "GB": gb_vat}[c["country"]]
        assert validator.is_valid(c["tax_id"]), c
        if c["country"] == "PL":
            assert regon.is_valid(c["regon"])
    truth = rows(world / "truth" / "customers.csv")
    for t in truth:
        IBAN(t["private_iban"])


def test_invoices_add_up_and_are_numbered_like_real_ones(world):
    invoices = rows(world / "accounting" / "invoices.csv")
    numbers = {i["number"] for i in invoices}
    assert len(numbers) == len(invoices)
    plain = [i for i in invoices if i["kind"] == "invoice"]
    assert len(plain) == SPEC.invoices
    for inv in invoices:
        assert money(inv["net"]) + money(inv["vat"]) == money(inv["gross"])
        assert date.fromisoformat(inv["due_date"]) >= date.fromisoformat(inv["issue_date"])
        assert date.fromisoformat(inv["issue_date"]) <= SPEC.as_of
        assert re.fullmatch(r"(FV|FVE|KOR)/20\d\d/\d\d/\d{4}", inv["number"])
        if inv["kind"] == "credit_note":
            assert inv["corrects"] in numbers and money(inv["gross"]) < 0
        elif inv["currency"] == "PLN":
            assert money(inv["vat"]) == (money(inv["net"]) * Decimal("0.23")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert {i["currency"] for i in plain} == {"PLN", "EUR"}


def test_statements_balance_and_payments_match_the_truth(world):
    invoices = {i["number"]: i for i in rows(world / "accounting" / "invoices.csv")}
    entries = {}
    for path in sorted((world / "bank").rglob("*.*")):
        reader = mt940 if path.suffix == ".sta" else camt
        for statement in reader.extract(path):
            check_balances(statement, file=path.name)
            assert statement.account in ACCOUNTS.values()
            for t in statement.transactions:
                entries[t.reference] = t
    truth = rows(world / "truth" / "payments.csv")
    assert len(truth) > SPEC.invoices // 2
    paid = defaultdict(Decimal)
    quirks = defaultdict(int)
    for p in truth:
        booked = entries[p["reference"]]
        assert booked.amount == Decimal(p["amount"]) > 0
        assert booked.booking_date.weekday() < 5
        parts = dict(x.split("=") for x in p["invoices"].split("|"))
        assert sum(map(Decimal, parts.values())) == booked.amount
        for number, amount in parts.items():
            assert invoices[number]["currency"] == booked.currency
            paid[number] += Decimal(amount)
        quirks[p["quirk"]] += 1
    for number, amount in paid.items():
        assert amount <= money(invoices[number]["gross"])
    for quirk in ("exact", "typo", "reordered", "no_number", "other_payer", "split_payment", "multi", "partial"):
        assert quirks[quirk] > 0, quirk


def test_accounting_export_reads_whole_through_the_sandbox_mapping(world):
    from receivables.accounting.detect import read_invoices

    batch = read_invoices(world / "accounting")
    invoices = rows(world / "accounting" / "invoices.csv")
    assert batch.format == "export:sandbox"
    assert len(batch.customers) == SPEC.customers
    assert len(batch.invoices) == len(invoices)
    assert sum(i.gross for i in batch.invoices) == sum(money(i["gross"]) for i in invoices)
    assert batch.warnings == []
