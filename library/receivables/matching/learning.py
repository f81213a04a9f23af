"""Learning from analysts: a confirmed decision ties the payer's IBAN and name to a customer, so
the same payer is recognized without help next time.

Only unambiguous lessons are kept: a decision whose invoices belong to several customers teaches
nothing, and an IBAN or name that this batch of decisions ties to two customers is left out.
A newer decision about an IBAN or name replaces what was known (analysts correct themselves);
an IBAN the customer data already lists for that customer is not stored again.
"""

from __future__ import annotations

from collections.abc import Iterable

from receivables.matching.book import normalize_iban
from receivables.matching.decisions import Decision
from receivables.matching.models import Knowledge, OpenInvoice, Payment
from receivables.matching.names import name_parts, payer_key


def decided_customer(decision: Decision, invoice_customers: dict[str, str]) -> str | None:
    """The one customer a decision names, directly or through its invoices."""
    if decision.action == "customer":
        return decision.customer_id
    if decision.action != "allocate":
        return None
    found = {invoice_customers.get(number) for number in decision.invoice_numbers}
    return found.pop() if len(found) == 1 and None not in found else None


def learn(knowledge: Knowledge | None, decisions: Iterable[Decision], payments: Iterable[Payment],
          invoices: Iterable[OpenInvoice]) -> Knowledge:
    """A new Knowledge: the old one plus what these decisions teach (the input is not changed).

    `invoices` must include the invoices the decisions name (paid or not) so their customer is known.
    """
    knowledge = knowledge or Knowledge()
    by_payment = {p.payment_id: p for p in payments}
    invoice_customers: dict[str, str] = {}
    customer_ibans: dict[str, set[str]] = {}
    customer_names: dict[str, str] = {}
    for inv in invoices:
        invoice_customers[inv.invoice_number] = inv.customer_id
        customer_ibans.setdefault(inv.customer_id, set()).update(normalize_iban(i) for i in inv.customer_ibans)
        customer_names.setdefault(inv.customer_id, inv.customer_name)
    ibans: dict[str, set[str]] = {}
    aliases: dict[str, set[str]] = {}
    for decision in decisions:
        payment = by_payment.get(decision.payment_id)
        customer = decided_customer(decision, invoice_customers)
        if payment is None or customer is None:
            continue
        iban = normalize_iban(payment.counterparty_iban)
        if iban and iban not in customer_ibans.get(customer, set()):
            ibans.setdefault(iban, set()).add(customer)
        key = payer_key(payment.counterparty_name)
        known_name = customer_names.get(customer)
        if key and (known_name is None or name_parts(known_name).base != name_parts(payment.counterparty_name).base):
            aliases.setdefault(key, set()).add(customer)
    iban_to_customer = dict(knowledge.iban_to_customer)
    iban_to_customer.update({iban: next(iter(c)) for iban, c in ibans.items() if len(c) == 1})
    name_aliases = dict(knowledge.name_aliases)
    name_aliases.update({key: next(iter(c)) for key, c in aliases.items() if len(c) == 1})
    return Knowledge(iban_to_customer, name_aliases)
