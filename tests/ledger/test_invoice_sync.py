"""Accounting sync rules on SQLite and PostgreSQL: idempotent, logged, credit notes, missing, opt-outs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from receivables.ledger.invoice_sync import SyncError, sync_accounting
from receivables.ledger.models import BankTransaction, Contact, Customer, Event, Invoice, OptOut
from receivables.ledger.repository import add_allocation, import_statement
from tests.ledger.factories import ISSUER, customer_rec, invoice_rec, statement, tx


def credit_note(number: str, corrects: str, gross: str):
    g = Decimal(gross)
    net = (g / Decimal("1.23")).quantize(Decimal("0.01"))
    return invoice_rec(number=number, gross=gross, net=net, vat=g - net, kind="credit_note", corrects=corrects)


def invoice(s, number: str) -> Invoice:
    return s.scalar(select(Invoice).where(Invoice.number == number))


def count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def test_first_sync_creates_and_a_resync_writes_nothing(ledger):
    invoices = [invoice_rec(number=f"FV/2024/05/{n:04d}") for n in range(1, 6)]
    with ledger.run("accounting-sync") as run, ledger.session() as s:
        first = sync_accounting(s, [customer_rec()], invoices, run.id)
    assert (first.customers_created, first.invoices_created, first.contacts_added) == (1, 5, 3)
    with ledger.session() as s:
        stamps = {i.number: i.updated_at for i in s.scalars(select(Invoice))}
        again = sync_accounting(s, [customer_rec()], invoices, None, listed={ISSUER: {i.number for i in invoices}})
    assert again.writes == 0
    assert (again.customers_unchanged, again.invoices_unchanged) == (1, 5)
    with ledger.session() as s:
        assert {i.number: i.updated_at for i in s.scalars(select(Invoice))} == stamps
        assert count(s, Event) == 0
        assert {i.created_run_id for i in s.scalars(select(Invoice))} == {run.id}
        assert count(s, Contact) == 2


def test_changed_amount_and_due_date_update_the_ledger_and_are_logged(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [invoice_rec()], None)
    with ledger.session() as s:
        result = sync_accounting(s, [], [invoice_rec(gross="1353.00", net=Decimal("1100.00"),
                                                     vat=Decimal("253.00"), due=date(2024, 6, 14))], None)
    assert (result.invoices_updated, result.invoices_created) == (1, 0)
    with ledger.session() as s:
        inv = invoice(s, "FV/2024/05/0001")
        assert (inv.gross, inv.open_amount, inv.due_date) == (Decimal("1353.00"), Decimal("1353.00"), date(2024, 6, 14))
        ev = s.scalar(select(Event).where(Event.kind == "invoice_changed"))
        assert ev.invoice_id == inv.id
        assert ev.details["changes"]["due_date"] == ["2024-05-31", "2024-06-14"]
        assert ev.details["changes"]["gross"] == ["1230.00", "1353.00"]
        assert "currency" not in ev.details["changes"]


def test_credit_note_reduces_the_open_amount_in_the_same_batch_and_later(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [
            credit_note("KOR/2024/05/0001", "FV/2024/05/0001", "-230.00"),  # before its invoice: order-proof
            invoice_rec(number="FV/2024/05/0001", gross="1230.00"),
            invoice_rec(number="FV/2024/05/0002", gross="246.00"),
        ], None)
    with ledger.session() as s:
        first = invoice(s, "FV/2024/05/0001")
        assert (first.credited, first.open_amount, first.status) == (Decimal("230.00"), Decimal("1000.00"), "open")
        assert invoice(s, "KOR/2024/05/0001").corrects_id == first.id
        assert invoice(s, "KOR/2024/05/0001").status == "credit_note"
        result = sync_accounting(s, [], [credit_note("KOR/2024/05/0002", "FV/2024/05/0002", "-246.00")], None)
        assert result.invoices_recalculated == 1
    with ledger.session() as s:
        second = invoice(s, "FV/2024/05/0002")
        assert (second.credited, second.open_amount, second.status) == (Decimal("246.00"), Decimal("0.00"), "credited")
        ev = s.scalar(select(Event).where(Event.kind == "credit_note_applied", Event.invoice_id == second.id))
        assert ev.details["open_amount"] == "0.00"


def test_credit_note_settling_a_partly_paid_invoice_makes_it_paid_with_the_payment_date(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [invoice_rec(gross="1230.00")], None)
        import_statement(s, statement("S1", tx("1000.00", "R1", day=date(2024, 6, 3))), None, None)
        add_allocation(s, s.scalar(select(BankTransaction)), invoice(s, "FV/2024/05/0001"), Decimal("1000.00"),
                       "invoice_number", 0.99, "auto", None)
    with ledger.session() as s:
        sync_accounting(s, [], [credit_note("KOR/2024/06/0001", "FV/2024/05/0001", "-230.00")], None)
    with ledger.session() as s:
        inv = invoice(s, "FV/2024/05/0001")
        assert (inv.status, inv.open_amount, inv.paid_date) == ("paid", Decimal("0.00"), date(2024, 6, 3))


def test_credit_note_for_an_unknown_invoice_changes_nothing(ledger):
    with pytest.raises(SyncError, match="KOR/1 corrects invoice FV/404"):
        with ledger.session() as s:
            sync_accounting(s, [customer_rec()], [invoice_rec(), credit_note("KOR/1", "FV/404", "-1.00")], None)
    with ledger.session() as s:
        assert count(s, Invoice) == count(s, Customer) == 0


def test_invoice_of_an_unknown_customer_is_refused(ledger):
    with pytest.raises(SyncError, match="customer K00404"):
        with ledger.session() as s:
            sync_accounting(s, [], [invoice_rec(customer_external_id="K00404")], None)


def test_invoice_missing_from_a_complete_source_is_flagged_not_deleted_and_can_come_back(ledger):
    both = [invoice_rec(number="FV/1"), invoice_rec(number="FV/2")]
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], both, None)
    with ledger.session() as s:
        partial = sync_accounting(s, [], both[:1], None)  # a partial source flags nothing
        assert partial.invoices_missing == 0
        result = sync_accounting(s, [], both[:1], None, listed={ISSUER: {"FV/1"}})
        assert result.invoices_missing == 1
    with ledger.session() as s:
        assert count(s, Invoice) == 2
        assert invoice(s, "FV/2").missing_from_source
        assert s.scalar(select(Event).where(Event.kind == "invoice_missing_from_source")).details == {"number": "FV/2"}
        again = sync_accounting(s, [], both[:1], None, listed={ISSUER: {"FV/1"}})
        assert again.writes == 0  # flagged once, not every run
        back = sync_accounting(s, [], both, None, listed={ISSUER: {"FV/1", "FV/2"}})
        assert (back.invoices_back, back.invoices_updated) == (1, 1)
        assert not invoice(s, "FV/2").missing_from_source


def test_contact_data_updates_but_opt_outs_and_bounces_stay(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [], None)
        c = s.scalar(select(Customer))
        s.add(OptOut(customer_id=c.id, channel="sms", reason="asked on the phone"))
        s.scalar(select(Contact).where(Contact.kind == "email")).valid = False  # bounced
    changed = customer_rec(phones=["+48 600 100 200", "+48 601 000 000"], language="en", name="Transpol S.A.")
    with ledger.session() as s:
        result = sync_accounting(s, [changed], [], None)
        assert (result.customers_updated, result.contacts_added) == (1, 1)
    with ledger.session() as s:
        c = s.scalar(select(Customer))
        assert (c.language, c.name) == ("en", "Transpol S.A.")
        assert [o.channel for o in c.opt_outs] == ["sms"]
        assert sorted(x.value for x in c.contacts if x.kind == "phone") == ["+48 600 100 200", "+48 601 000 000"]
        assert [x.valid for x in c.contacts if x.kind == "email"] == [False]
        ev = s.scalar(select(Event).where(Event.kind == "customer_updated"))
        assert ev.details["changes"] == {"name": ["Transpol sp. z o.o.", "Transpol S.A."], "language": ["pl", "en"]}


def test_invoice_moving_to_another_customer_is_an_update(ledger):
    other = customer_rec(external_id="K00002", name="Drewmax", tax_id=None, emails=[], phones=[], ibans=[])
    with ledger.session() as s:
        sync_accounting(s, [customer_rec(), other], [invoice_rec()], None)
        result = sync_accounting(s, [], [replace(invoice_rec(), customer_external_id="K00002")], None)
        assert result.invoices_updated == 1
        assert invoice(s, "FV/2024/05/0001").customer_id == s.scalar(
            select(Customer.id).where(Customer.external_id == "K00002"))


def test_embedded_customer_of_an_e_invoice_is_synced(ledger):
    with ledger.session() as s:
        result = sync_accounting(s, [], [replace(invoice_rec(), customer=customer_rec())], None)
        assert (result.customers_created, result.invoices_created) == (1, 1)


def test_customer_known_under_another_sources_id_is_recognized_by_tax_id(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [invoice_rec()], None)  # the app's id K00001
    by_tax_id = customer_rec(external_id="1234563218", name="TRANSPOL SPÓŁKA Z O.O.", emails=["faktury@transpol.pl"])
    with ledger.session() as s:
        result = sync_accounting(s, [], [replace(invoice_rec(number="FV/9"), customer=by_tax_id,
                                                 customer_external_id="1234563218")], None)
        assert (result.customers_created, result.invoices_created, result.contacts_added) == (0, 1, 1)
        c = s.scalar(select(Customer))
        assert count(s, Customer) == 1 and c.name == "Transpol sp. z o.o."
        assert invoice(s, "FV/9").customer_id == c.id


def test_source_digest_is_the_text_stored_digests_were_made_of():
    """Ledgers synced earlier hold digests of str() of each field joined by \\x1f: a change of the
    formula would make every invoice look changed once."""
    import hashlib

    from receivables.ledger.invoice_sync import source_digest

    records = [invoice_rec(), invoice_rec(payment_terms_days=14, gross="99.5", net=Decimal("80.9"), vat=Decimal("18.6")),
               credit_note("KOR/1", "FV/2024/05/0001", "-123.00")]
    for rec in records:
        parts = (rec.kind, rec.issue_date, rec.due_date, rec.currency, rec.net, rec.vat, rec.gross,
                 rec.payment_terms_days, rec.customer_external_id, rec.corrects)
        text = "\x1f".join(map(str, parts))
        assert source_digest(rec) == hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def test_credit_note_in_the_same_batch_is_logged_and_counted_like_a_later_one(ledger):
    with ledger.run("accounting-sync") as run, ledger.session() as s:
        result = sync_accounting(s, [customer_rec()], [
            invoice_rec(number="FV/1", gross="1230.00"),
            credit_note("KOR/1", "FV/1", "-200.00"),
            credit_note("KOR/2", "FV/1", "-30.00"),
            invoice_rec(number="FV/2", gross="100.00"),
            credit_note("KOR/3", "FV/2", "-100.00"),
        ], run.id)
    assert (result.invoices_created, result.invoices_recalculated) == (5, 2)
    with ledger.session() as s:
        first, second = invoice(s, "FV/1"), invoice(s, "FV/2")
        assert (first.credited, first.open_amount, first.status) == (Decimal("230.00"), Decimal("1000.00"), "open")
        assert (second.credited, second.open_amount, second.status) == (Decimal("100.00"), Decimal("0.00"), "credited")
        assert (first.updated_run_id, first.updated_at) == (run.id, first.created_at)
        events = s.scalars(select(Event).where(Event.kind == "credit_note_applied").order_by(Event.id)).all()
        assert [(e.invoice_id, e.customer_id, e.run_id) for e in events] == [
            (first.id, first.customer_id, run.id), (second.id, second.customer_id, run.id)]
        # 1230.00 - 200.00 - 30.00 = 1000.00 open; 100.00 - 100.00 = 0.00
        assert events[0].details == {"number": "FV/1", "credited": "230.00", "open_amount": "1000.00"}
        assert events[1].details == {"number": "FV/2", "credited": "100.00", "open_amount": "0.00"}


def test_new_invoice_that_a_known_credit_note_now_corrects_sums_the_ledger(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [invoice_rec(number="FV/1"), credit_note("KOR/1", "FV/1", "-230.00")], None)
    with ledger.session() as s:
        result = sync_accounting(s, [], [
            invoice_rec(number="FV/1"), invoice_rec(number="FV/2"),
            credit_note("KOR/1", "FV/2", "-230.00"),  # moved from FV/1 to the new FV/2
            credit_note("KOR/2", "FV/2", "-100.00"),
        ], None)
        assert (result.invoices_created, result.invoices_updated, result.invoices_recalculated) == (2, 1, 2)
    with ledger.session() as s:
        first, second = invoice(s, "FV/1"), invoice(s, "FV/2")
        assert (first.credited, first.open_amount) == (Decimal("0.00"), Decimal("1230.00"))
        # 1230.00 - (230.00 + 100.00) = 900.00
        assert (second.credited, second.open_amount, second.status) == (Decimal("330.00"), Decimal("900.00"), "open")
        applied = s.scalars(select(Event.invoice_id).where(Event.kind == "credit_note_applied").order_by(Event.id)).all()
        assert applied == [first.id, first.id, second.id]  # the first sync's credit, its reversal, the new one


def test_rows_written_at_driver_level_get_the_column_defaults(ledger):
    with ledger.session() as s:
        sync_accounting(s, [customer_rec()], [invoice_rec()], None)
    with ledger.session() as s:
        c = s.scalar(select(Customer))
        assert (c.suspected_fraud, c.is_consumer, c.segment, c.krs) == (False, False, None, None)
        assert {(x.kind, x.valid, x.source, x.invalid_reason) for x in c.contacts} == {
            ("email", True, "accounting", None), ("phone", True, "accounting", None)}
        assert [(i.iban, i.source) for i in c.ibans] == [("PL61109010140000071219812874", "accounting")]
        inv = invoice(s, "FV/2024/05/0001")
        assert (inv.disputed, inv.in_court, inv.missing_from_source, inv.paid, inv.paid_date) == (
            False, False, False, Decimal("0.00"), None)
