"""config/notifications.yaml and the instant/digest rule, without a ledger."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal as D

import pytest

from receivables.config import SettingsError
from receivables.notifications.decide import decide, is_instant
from receivables.notifications.payments import Applied, CustomerPart, Payment
from receivables.notifications.recipients import Directory
from receivables.notifications.rules import Manager, NotificationRules, load_rules

RULES = NotificationRules(instant_above={"PLN": D("10000.00")}, digest_at=time(16),
                          fallback=Manager(email="f@n.example"),
                          managers={"Anna Kowalska": Manager(email="anna@n.example"),
                                    "Jan Nowak": Manager(email="jan@n.example", language="en")})


def pay(amount: str, currency: str = "PLN", managers: tuple[str | None, ...] = ("Anna Kowalska",)) -> Payment:
    parts = tuple(CustomerPart(n, f"K{n}", f"C{n}", m, (Applied(n, f"FV/{n}", date(2026, 3, 1), D("1"), D("0")),), ())
                  for n, m in enumerate(managers))
    return Payment(1, date(2026, 3, 9), D(amount), currency, D(amount), parts)


def test_the_shipped_rules_load():
    rules = load_rules()
    assert rules.instant_above["PLN"] == D("10000.00") and rules.fallback.email


def test_above_the_threshold_is_instant_at_it_is_not_and_a_currency_without_one_always_is():
    assert is_instant(pay("10000.01"), RULES) and not is_instant(pay("10000.00"), RULES)
    assert is_instant(pay("1.00", "CHF"), RULES)
    assert is_instant(pay("1.00"), RULES.model_copy(update={"digest_at": None}))


def test_a_payment_for_customers_of_two_managers_tells_each_their_part():
    decision = decide([pay("20000.00", managers=("Anna Kowalska", "jan  nowak"))], RULES, Directory(RULES),
                      date(2026, 3, 10), digest_due=False)
    told = {n.recipient.email: [p.external_id for p in n.items[0].parts] for n in decision.instant}
    assert told == {"anna@n.example": ["K0"], "jan@n.example": ["K1"]}
    assert {n.recipient.language for n in decision.instant} == {"pl", "en"}


def test_recipients_by_name_by_address_or_the_fallback():
    d = Directory(RULES)
    assert d.for_manager("ANNA  kowalska").email == "anna@n.example"
    assert d.for_manager("anna@n.example").email == "anna@n.example"
    assert d.for_manager("someone@else.example").email == "someone@else.example"
    assert d.for_manager("Nobody Known") == d.fallback == d.for_manager(None)


@pytest.mark.parametrize("yaml, expected", [
    ("fallback: {email: f@n.example}\nmanagers: {A: {chat: sales}}\n", "managers.A.chat: no webhook named 'sales'"),
    ("fallback: {email: f@n.example}\ninstant_above: {PLN: 10.001}\n", "instant_above: expected PLN: a non-negative"),
    ("fallback: {email: not-an-address}\n", "fallback.email: expected an e-mail address"),
    ("fallback: {}\n", "fallback needs an email or a chat"),
    ("managers: {}\n", "fallback: missing"),
    ("fallback: {email: f@n.example}\nwebhooks: {s: {kind: discord, secret: x}}\n", "webhooks.s.kind"),
])
def test_rule_errors_name_file_and_key(tmp_path, yaml, expected):
    path = tmp_path / "notifications.yaml"
    path.write_text(yaml)
    with pytest.raises(SettingsError) as err:
        load_rules(path)
    assert str(path) in str(err.value) and expected in str(err.value)
