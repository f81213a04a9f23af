"""The sandbox accounting app through Flask's test client: login, lists, details, forms, exports."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from receivables.accounting.detect import read_invoices
from receivables.sandbox.accounting_book import derive_lines
from tests.accounting_web.helpers import ACCOUNTS, csrf, exported, log_in

PROTECTED = ["/accounting/", "/accounting/invoices", "/accounting/customers", "/accounting/customers/K00001",
             "/accounting/invoices/1", "/accounting/invoices/find?number=x", "/accounting/export",
             "/accounting/export/csv", "/accounting/export/xlsx"]
_ROW_NUMBER = re.compile(r'<a class="number" href="[^"]+">([^<]+)</a>')
_NEXT = re.compile(r'<a class="next" rel="next" href="([^"]+)">')


def numbers_on(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return _ROW_NUMBER.findall(response.get_data(as_text=True))


def total_on(html: str) -> int:
    return int(re.search(r'id="total-count" data-total="(\d+)"', html)[1])


@pytest.mark.parametrize("url", PROTECTED)
def test_every_page_needs_a_login(make_app: Callable, url: str) -> None:
    app, _ = make_app()
    response = app.test_client().get(url)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/accounting/login?next=")


def test_login_logout_and_wrong_password(make_app: Callable) -> None:
    app, _ = make_app()
    client = app.test_client()
    wrong = client.post("/accounting/login", data={"csrf_token": csrf(client), "username": "tester",
                                                    "password": "not-it"})
    assert wrong.status_code == 200
    assert 'class="alert alert-error"' in wrong.get_data(as_text=True)
    assert "Wrong user name or password." in wrong.get_data(as_text=True)
    assert client.get("/accounting/invoices").status_code == 303
    log_in(client)
    assert client.get("/accounting/invoices").status_code == 200
    assert client.get("/accounting/logout").status_code == 303
    assert client.get("/accounting/invoices").status_code == 303


def test_login_returns_to_the_page_asked_for(make_app: Callable) -> None:
    app, _ = make_app()
    client = app.test_client()
    target = client.get("/accounting/customers/K00003").headers["Location"]
    form = {"csrf_token": csrf(client, target), "username": "tester", "password": "pw-for-accounting-tests",
            "next": "/accounting/customers/K00003"}
    assert client.post("/accounting/login", data=form).headers["Location"] == "/accounting/customers/K00003"


def test_forms_without_the_csrf_token_are_refused(make_app: Callable) -> None:
    app, book = make_app()
    client = app.test_client()
    no_token = client.post("/accounting/login", data={"username": "tester", "password": "pw-for-accounting-tests"})
    assert no_token.status_code == 400
    assert client.get("/accounting/invoices").status_code == 303
    log_in(client)
    entry = book.invoice_entries()[0]
    before = book.invoice(entry.record.number)
    url = f"/accounting/invoices/{entry.id}"
    for token in (None, "forged"):
        data = {"due_date": "2030-01-01", "net": "1,00", "vat": "0,23"}
        if token:
            data["csrf_token"] = token
        assert client.post(url + "/due-date", data=data).status_code == 400
        assert client.post(url + "/credit-notes", data=data).status_code == 400
    assert book.invoice(entry.record.number) == before
    assert book.credit_notes_for(entry.record.number) == []


def test_pagination_walks_every_document_once(make_app: Callable) -> None:
    app, book = make_app(page_size=10)
    client = log_in(app.test_client())
    first = client.get("/accounting/invoices").get_data(as_text=True)
    assert total_on(first) == len(book.invoice_entries()) == 124
    assert "Page 1 of 13" in first
    seen, url, pages = [], "/accounting/invoices", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        seen += _ROW_NUMBER.findall(html)
        pages += 1
        url = _NEXT.search(html)[1].replace("&amp;", "&") if _NEXT.search(html) else None
    assert pages == 13
    assert seen == [e.record.number for e in book.invoice_entries()]
    assert len(numbers_on(client, "/accounting/invoices?per_page=50&page=3")) == 24
    assert numbers_on(client, "/accounting/invoices?page=999") == seen[-4:]
    customers = client.get("/accounting/customers?per_page=4&page=4").get_data(as_text=True)
    assert total_on(customers) == 15 and "Page 4 of 4" in customers and 'class="next"' not in customers


def test_filters(make_app: Callable, clock) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    docs = [e.record for e in book.invoice_entries()]
    corrected = {d.corrects for d in docs if d.corrects}
    changed = docs[10].number
    stamp = clock.advance(hours=1)
    book.change_invoice(changed, due_date=docs[10].due_date + timedelta(days=3))
    customer = docs[0].customer_external_id
    cases = {
        "number=fve/2026/10": [d for d in docs if "FVE/2026/10" in d.number],
        f"customer={customer}": [d for d in docs if d.customer_external_id == customer],
        "status=corrected": [d for d in docs if d.number in corrected],
        "status=issued": [d for d in docs if d.number not in corrected],
        "currency=EUR": [d for d in docs if d.currency == "EUR"],
        "kind=credit_note": [d for d in docs if d.kind == "credit_note"],
        "issued_from=2026-10-05&issued_to=2026-10-20": [
            d for d in docs if date(2026, 10, 5) <= d.issue_date <= date(2026, 10, 20)],
        f"modified_since={stamp.isoformat()}": [book.invoice(changed)],
        "currency=PLN&status=corrected": [d for d in docs if d.currency == "PLN" and d.number in corrected],
    }
    for query, want in cases.items():
        assert want, query
        got = numbers_on(client, f"/accounting/invoices?per_page=500&{query}")
        assert got == [d.number for d in want], query
    assert len(cases["status=corrected"]) == 4


def test_bad_filter_values_say_why(make_app: Callable) -> None:
    app, _ = make_app()
    client = log_in(app.test_client())
    for query in ("issued_from=27.11.2026", "modified_since=yesterday"):
        response = client.get(f"/accounting/invoices?{query}")
        assert response.status_code == 400
        assert "alert-error" in response.get_data(as_text=True)


def test_detail_shows_lines_that_add_up(make_app: Callable) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    counts = set()
    for entry in book.invoice_entries():
        inv = entry.record
        counts.add(len(inv.lines))
        assert sum((line.net for line in inv.lines), Decimal(0)) == inv.net
        assert sum((line.vat for line in inv.lines), Decimal(0)) == inv.vat
        assert sum((line.gross for line in inv.lines), Decimal(0)) == inv.gross
        assert all(line.quantity * line.unit_price == line.net for line in inv.lines)
        assert derive_lines(inv) == inv.lines
    assert counts == {1, 2, 3}
    entry = max(book.invoice_entries(), key=lambda e: e.record.gross)
    html = client.get(f"/accounting/invoices/{entry.id}").get_data(as_text=True)
    shown = re.search(r'id="total-gross">([^<]+)<', html)[1]
    assert shown == f"{entry.record.gross:,.2f}".replace(",", "\u00a0").replace(".", ",")
    assert html.count('class="description"') == len(entry.record.lines)
    assert {(i.currency, i.payee_iban) for i in book.invoices()} == {(c, iban) for c, iban in ACCOUNTS.items()}
    assert (entry.record.payee_iban or "")[-4:] in html


def test_credit_note_form(make_app: Callable, clock) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    entry = next(e for e in book.invoice_entries() if e.record.kind == "invoice" and e.record.currency == "PLN"
                 and not book.credit_notes_for(e.record.number) and e.record.net > 200)
    original, stamp = book.invoice(entry.record.number), entry.modified_at
    clock.advance(minutes=5)
    url = f"/accounting/invoices/{entry.id}"
    response = client.post(url + "/credit-notes", data={"csrf_token": csrf(client, url), "net": "100,00",
                                                          "vat": "23,00", "issue_date": "2026-11-28"})
    assert response.status_code == 303
    [number] = book.credit_notes_for(original.number)
    assert number == "KOR/2026/11/0001"
    note = book.invoice(number)
    assert (note.kind, note.corrects, note.net, note.vat, note.gross) == (
        "credit_note", original.number, Decimal("-100.00"), Decimal("-23.00"), Decimal("-123.00"))
    assert note.customer_external_id == original.customer_external_id and note.payee_iban == original.payee_iban
    assert book.entry(number).modified_at == clock.now
    assert response.headers["Location"] == f"/accounting/invoices/{book.entry(number).id}?saved=1"
    assert book.invoice(original.number) == original and book.entry(original.number).modified_at == stamp
    html = client.get(url).get_data(as_text=True)
    assert '<dd id="status">corrected</dd>' in html and f">{number}</a>" in html
    too_much = client.post(url + "/credit-notes", data={"csrf_token": csrf(client, url),
                                                         "net": str(original.net * 2), "vat": "0"})
    assert too_much.status_code == 400 and "exceed" in too_much.get_data(as_text=True)
    assert book.credit_notes_for(original.number) == [number]


def test_due_date_form(make_app: Callable, clock) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    entry = book.invoice_entries()[3]
    url = f"/accounting/invoices/{entry.id}"
    new_due = entry.record.issue_date + timedelta(days=45)
    clock.advance(hours=2)
    response = client.post(url + "/due-date", data={"csrf_token": csrf(client, url), "due_date": new_due.isoformat()})
    assert response.status_code == 303
    changed = book.invoice(entry.record.number)
    assert (changed.due_date, changed.payment_terms_days) == (new_due, 45)
    assert book.entry(entry.record.number).modified_at == clock.now
    before_issue = (entry.record.issue_date - timedelta(days=1)).isoformat()
    refused = client.post(url + "/due-date", data={"csrf_token": csrf(client, url), "due_date": before_issue})
    assert refused.status_code == 400 and book.invoice(entry.record.number).due_date == new_due


def test_exports_read_back_equal_to_the_book(make_app: Callable, tmp_path: Path) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    book.issue_credit_note(book.invoice_entries()[0].record.number, Decimal("1.00"), Decimal("0.23"))
    book.change_customer("K00002", name="Zażółć & <Gęślą> sp. z o.o.", emails=["a@b.pl", "c@d.pl"])
    zipped = client.get("/accounting/export/csv")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    folder = tmp_path / "csv"
    zipfile.ZipFile(io.BytesIO(zipped.data)).extractall(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["customers.csv", "invoices.csv"]
    workbook = tmp_path / "export.xlsx"
    workbook.write_bytes(client.get("/accounting/export/xlsx").data)
    assert load_workbook(workbook, read_only=True).sheetnames == ["customers", "invoices"]
    for path in (folder, workbook):
        batch = read_invoices(path, mapping="sandbox")
        assert batch.customers == book.customers()
        assert [exported(i) for i in batch.invoices] == [exported(i) for i in book.invoices()]
    assert len(book.invoices()) == 125


def test_output_is_escaped(make_app: Callable) -> None:
    app, book = make_app()
    client = log_in(app.test_client())
    book.change_customer("K00004", name='<script>alert("x")</script>')
    html = client.get("/accounting/customers/K00004").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_book_stamps_move_forward_even_with_a_clock_behind(make_app: Callable, clock) -> None:
    app, book = make_app()
    newest = max(e.modified_at for e in book.invoice_entries())
    clock.now = newest - timedelta(days=30)
    number = book.invoice_entries()[5].record.number
    book.change_invoice(number, net=Decimal("1000.00"), vat=Decimal("230.00"), gross=Decimal("1230.00"))
    assert book.entry(number).modified_at > newest
    changed = book.invoice(number)
    assert sum((line.gross for line in changed.lines), Decimal(0)) == Decimal("1230.00")
    with pytest.raises(TypeError):
        book.change_invoice(number, net=1.5)
    book.remove_invoice(number)
    with pytest.raises(KeyError):
        book.invoice(number)
