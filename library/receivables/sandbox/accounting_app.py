"""The sandbox accounting app: the web product the accounting-sync robot's browser scrapes.

It behaves like a small real one: a login form with server-side sessions and CSRF tokens,
paginated and filterable customer and invoice lists, detail pages with invoice lines, forms to
move a due date and to issue a credit note, and CSV/XLSX export buttons. Amounts are shown the
Polish way ("1 234,56" with a no-break space), dates as 27.11.2026, and `modified_at` as ISO 8601
UTC in <time datetime>; a scraper reads what a person sees.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, Response, abort, g, redirect, request, url_for
from jinja2 import Environment, FileSystemLoader, select_autoescape

from receivables.sandbox.accounting_book import AccountingBook, BookInvoice, Clock, utc_now
from receivables.sandbox.accounting_export import export_xlsx, export_zip
from receivables.sandbox.bank_portal import PortalSession, SessionStore, keep_session, same_secret

# SANDBOX ONLY: the demo user of the local accounting app. These values are public on purpose
# (the demo and the tests log in with them); a real app's credentials come from the vault.
ACCOUNTING_USERS: dict[str, dict[str, str]] = {"ksiegowa": {"password": "sandbox-accounting"}}
COOKIE = "acc_sid"
MAX_PER_PAGE = 500
KIND_LABELS = {"invoice": "Invoice", "credit_note": "Credit note"}

__all__ = ["ACCOUNTING_USERS", "AccountingBook", "register_accounting_app"]


def register_accounting_app(
    app: Flask,
    world: Path,
    *,
    users: dict[str, dict[str, str]] = ACCOUNTING_USERS,
    clock: Clock | None = None,
    page_size: int = 50,
    session_ttl: int = 1800,
    book: AccountingBook | None = None,
) -> AccountingBook:
    """Mount the app on `app` under /accounting/ and return its book (tests and the demo change it).

    `book` serves an existing book instead of loading world/accounting.
    """
    book = book or AccountingBook.load(world, clock=clock)
    store = SessionStore(float(session_ttl))
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates" / "accounting"),
                      autoescape=select_autoescape(["html"]))
    env.globals.update(url_for=url_for, kind_label=KIND_LABELS.get)
    env.filters.update(money=money, day=_day, stamp=_stamp, iso=iso_utc, iban=_iban)
    bp = Blueprint("accounting", __name__, url_prefix="/accounting")

    def render(name: str, status: int = 200, **context: Any) -> Response:
        session: PortalSession | None = g.get("acc_session")
        context.setdefault("csrf_token", session.csrf if session else "")
        context["user"] = session.user if session and session.authenticated else None
        return Response(env.get_template(name).render(**context), status, mimetype="text/html")

    def form_ok() -> bool:
        session: PortalSession | None = g.acc_session
        return session is not None and same_secret(request.form.get("csrf_token", ""), session.csrf)

    @bp.before_request
    def load_session() -> Response | None:
        session, expired = store.touch(request.cookies.get(COOKIE))
        g.acc_session, g.acc_expired = session, expired
        if request.endpoint in ("accounting.login", "accounting.logout"):
            return None
        if session is not None and session.authenticated:
            return None
        args = {"next": request.full_path.rstrip("?"), **({"expired": 1} if expired else {})}
        return redirect(url_for("accounting.login", **args), 303)

    @bp.after_request
    def set_cookie(response: Response) -> Response:
        return keep_session(response, g.get("acc_session"), COOKIE, "/accounting")

    @bp.get("/")
    def home() -> Response:
        return redirect(url_for("accounting.invoices"), 303)

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> Response:
        session: PortalSession | None = g.acc_session
        if session is None:
            session = g.acc_session = store.new()
        if request.method == "GET":
            return render("login.html", expired=g.acc_expired or request.args.get("expired"),
                          logged_out=request.args.get("logged_out"), next=request.args.get("next", ""))
        if not form_ok():
            return render("login.html", 400, error="The form has expired. Please try again.")
        name = request.form.get("username", "").strip()
        user = users.get(name)
        if user is None or not same_secret(request.form.get("password", ""), user["password"]):
            session.authenticated, session.user = False, None
            return render("login.html", error="Wrong user name or password.", username=name,
                          next=request.form.get("next", ""))
        session.user, session.authenticated = name, True
        store.rotate(session)
        target = request.form.get("next", "")
        return redirect(target if target.startswith("/accounting/") else url_for("accounting.invoices"), 303)

    @bp.get("/logout")
    def logout() -> Response:
        if g.acc_session is not None:
            store.drop(g.acc_session)
            g.acc_session = None
        return redirect(url_for("accounting.login", logged_out=1), 303)

    @bp.get("/customers")
    def customers() -> Response:
        query = request.args.get("q", "").strip()
        since, error = _since(request.args.get("modified_since"))
        rows = book.customer_entries()
        if query:
            folded = query.casefold()
            rows = [c for c in rows if folded in c.record.name.casefold() or folded in c.record.external_id.casefold()]
        if since:
            rows = [c for c in rows if c.modified_at >= since]
        page = _page(rows, page_size)
        filters = {"q": query, "modified_since": request.args.get("modified_since", "")}
        return render("customers.html", 400 if error else 200, error=error, filters=filters, **page,
                      page_url=_pager("accounting.customers", filters, page["per_page"], page_size))

    @bp.get("/customers/<external_id>")
    def customer(external_id: str) -> Response:
        try:
            entry = book.customer_entry(external_id)
        except KeyError:
            abort(404)
        documents = [e for e in book.invoice_entries() if e.record.customer_external_id == external_id]
        return render("customer.html", entry=entry, c=entry.record, documents=documents)

    @bp.get("/invoices")
    def invoices() -> Response:
        filters = {key: request.args.get(key, "").strip() for key in
                   ("number", "customer", "status", "currency", "kind", "issued_from", "issued_to", "modified_since")}
        rows, error = _filter(book, filters)
        page = _page(rows, page_size)
        currencies = sorted({e.record.currency for e in book.invoice_entries()})
        return render("invoices.html", 400 if error else 200, error=error, filters=filters,
                      corrected=book.corrected_numbers(), currencies=currencies,
                      page_url=_pager("accounting.invoices", filters, page["per_page"], page_size), **page)

    @bp.get("/invoices/find")
    def find_invoice() -> Response:
        try:
            entry = book.entry(request.args.get("number", "").strip())
        except KeyError:
            abort(404)
        return redirect(url_for("accounting.invoice", invoice_id=entry.id), 303)

    def show_invoice(entry: BookInvoice, status: int = 200, **context: Any) -> Response:
        number = entry.record.number
        return render("invoice.html", status, entry=entry, inv=entry.record, status_text=book.status(number),
                      credit_notes=[book.entry(n) for n in book.credit_notes_for(number)],
                      corrects=_entry_or_none(book, entry.record.corrects),
                      customer=_customer_or_none(book, entry.record.customer_external_id),
                      today=(clock or utc_now)().date(), **context)

    def invoice_or_404(invoice_id: int) -> BookInvoice:
        try:
            return book.entry_by_id(invoice_id)
        except KeyError:
            abort(404)

    @bp.get("/invoices/<int:invoice_id>")
    def invoice(invoice_id: int) -> Response:
        return show_invoice(invoice_or_404(invoice_id), saved=request.args.get("saved"))

    @bp.post("/invoices/<int:invoice_id>/due-date")
    def change_due_date(invoice_id: int) -> Response:
        entry = invoice_or_404(invoice_id)
        if not form_ok():
            return show_invoice(entry, 400, error="The form has expired. Please try again.")
        try:
            book.change_invoice(entry.record.number, due_date=date.fromisoformat(request.form.get("due_date", "")))
        except ValueError as exc:
            message = str(exc) if "before" in str(exc) else "Dates must look like 2026-11-27."
            return show_invoice(entry, 400, error=message)
        return redirect(url_for("accounting.invoice", invoice_id=invoice_id, saved=1), 303)

    @bp.post("/invoices/<int:invoice_id>/credit-notes")
    def credit_note(invoice_id: int) -> Response:
        entry = invoice_or_404(invoice_id)
        if not form_ok():
            return show_invoice(entry, 400, error="The form has expired. Please try again.")
        try:
            net, vat = _form_amount(request.form.get("net", "")), _form_amount(request.form.get("vat", ""))
            raw_day = request.form.get("issue_date", "").strip()
            number = book.issue_credit_note(entry.record.number, net, vat,
                                            date.fromisoformat(raw_day) if raw_day else None)
        except ValueError as exc:
            return show_invoice(entry, 400, error=f"Credit note not issued: {exc}")
        return redirect(url_for("accounting.invoice", invoice_id=book.entry(number).id, saved=1), 303)

    @bp.get("/export")
    def export() -> Response:
        return render("export.html", invoices=len(book.invoice_entries()), customers=len(book.customer_entries()))

    @bp.get("/export/csv")
    def export_csv() -> Response:
        return _download(export_zip(book), "zip", "application/zip", clock)

    @bp.get("/export/xlsx")
    def export_workbook() -> Response:
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return _download(export_xlsx(book), "xlsx", mimetype, clock)

    app.register_blueprint(bp)
    app.config.setdefault("APPS", []).append({"url": "/accounting/", "title": "Sandbox accounting (invoices)"})
    app.extensions["accounting_app"] = {"book": book, "sessions": store}
    return book


def _filter(book: AccountingBook, f: dict[str, str]) -> tuple[list[BookInvoice], str | None]:
    rows = book.invoice_entries()
    try:
        issued_from = date.fromisoformat(f["issued_from"]) if f["issued_from"] else None
        issued_to = date.fromisoformat(f["issued_to"]) if f["issued_to"] else None
    except ValueError:
        return [], "Dates must look like 2026-11-27."
    since, error = _since(f["modified_since"])
    if error:
        return [], error
    if f["number"]:
        folded = f["number"].casefold()
        rows = [e for e in rows if folded in e.record.number.casefold()]
    if f["customer"]:
        rows = [e for e in rows if e.record.customer_external_id == f["customer"]]
    if f["currency"]:
        rows = [e for e in rows if e.record.currency == f["currency"].upper()]
    if f["kind"]:
        rows = [e for e in rows if e.record.kind == f["kind"]]
    if f["status"]:
        corrected = book.corrected_numbers()
        rows = [e for e in rows if ("corrected" if e.record.number in corrected else "issued") == f["status"]]
    if issued_from:
        rows = [e for e in rows if e.record.issue_date >= issued_from]
    if issued_to:
        rows = [e for e in rows if e.record.issue_date <= issued_to]
    if since:
        rows = [e for e in rows if e.modified_at >= since]
    return rows, None


def _page(rows: list, page_size: int) -> dict[str, Any]:
    per_page = min(max(1, request.args.get("per_page", page_size, type=int) or page_size), MAX_PER_PAGE)
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    return {"rows": rows[(page - 1) * per_page: page * per_page], "total": len(rows), "page": page,
            "pages": pages, "per_page": per_page}


def _pager(endpoint: str, filters: dict[str, str], per_page: int, page_size: int) -> Callable[[int], str]:
    """URL of another page with the same filters (empty ones left out)."""
    args = {key: value for key, value in filters.items() if value}
    if per_page != page_size:
        args["per_page"] = str(per_page)
    return lambda page: url_for(endpoint, page=page, **args)


def _since(raw: str | None) -> tuple[datetime | None, str | None]:
    """`modified_since` as an aware UTC datetime (a naive value or a bare date counts as UTC)."""
    if not raw:
        return None, None
    try:
        value = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        return None, "modified_since must look like 2026-11-27T08:00:00Z."
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC), None


def _download(data: bytes, extension: str, mimetype: str, clock: Clock | None) -> Response:
    name = f"sandbox-accounting-{(clock or utc_now)():%Y%m%dT%H%M%S}.{extension}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _form_amount(text: str) -> Decimal:
    """An amount typed by a person: "1 234,56", "1234.56" or "-100"."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not value.is_finite() or value.as_tuple().exponent < -2:
        raise ValueError(f"not an amount in cents: {text!r}")
    return value


def _entry_or_none(book: AccountingBook, number: str | None) -> BookInvoice | None:
    try:
        return book.entry(number) if number else None
    except KeyError:
        return None


def _customer_or_none(book: AccountingBook, external_id: str) -> Any:
    try:
        return book.customer_entry(external_id).record
    except KeyError:
        return None


def money(value: Decimal) -> str:
    """Polish accounting style: 1 234 567,89 with no-break spaces, minus sign in front."""
    return f"{value:,.2f}".replace(",", "\u00a0").replace(".", ",")


def iso_utc(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _day(value: date) -> str:
    return f"{value:%d.%m.%Y}"


def _stamp(value: datetime) -> str:
    return f"{value.astimezone(UTC):%d.%m.%Y %H:%M} UTC"


def _iban(value: str) -> str:
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))
