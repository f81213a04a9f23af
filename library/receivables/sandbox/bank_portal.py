"""The sandbox bank's web banking: what the statement robot's browser logs in to and scrapes.

It behaves like a small real bank: user id and password, then a TOTP one-time code, server-side
sessions that expire after inactivity, CSRF tokens on every form, a paginated history with a
date filter, and statements for any date range in MT940 or camt.053, built on the fly from the
world's monthly statements (read once at start).
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pyotp
from flask import Blueprint, Flask, Response, abort, g, redirect, request, url_for
from jinja2 import Environment, FileSystemLoader, select_autoescape

from receivables.sandbox.bank_book import FORMATS, BankBook

# SANDBOX ONLY: the demo user of the local bank portal. These values are public on purpose
# (the demo and the tests log in with them); a real portal's credentials come from the vault.
SANDBOX_USERS: dict[str, dict[str, str]] = {
    "nordwind": {"password": "sandbox-password", "totp_secret": "NORDWINDSANDBOXTOTPSECRETKEY2345"},
}
PAGE_SIZE = 25
COOKIE = "bank_sid"


@dataclass
class PortalSession:
    """Server-side session: anonymous, then `user` after the password, then `authenticated`."""

    token: str
    csrf: str
    last_seen: float
    user: str | None = None
    authenticated: bool = False


@dataclass
class SessionStore:
    """In-memory sessions keyed by a random cookie token, expiring after `ttl` idle seconds."""

    ttl: float
    clock: Callable[[], float] = time.monotonic
    _sessions: dict[str, PortalSession] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def new(self) -> PortalSession:
        session = PortalSession(secrets.token_urlsafe(24), secrets.token_urlsafe(24), self.clock())
        with self._lock:
            self._sessions[session.token] = session
        return session

    def touch(self, token: str | None) -> tuple[PortalSession | None, bool]:
        """The live session for `token` (its idle clock restarted) and whether it just expired."""
        now = self.clock()
        with self._lock:
            for stale in [t for t, s in self._sessions.items() if now - s.last_seen > self.ttl and t != token]:
                del self._sessions[stale]
            session = self._sessions.get(token) if token else None
            if session is None:
                return None, False
            if now - session.last_seen > self.ttl:
                del self._sessions[token]
                return None, True
            session.last_seen = now
            return session, False

    def rotate(self, session: PortalSession) -> None:
        """New token after each privilege step, so a token seen before login is worthless after."""
        with self._lock:
            self._sessions.pop(session.token, None)
            session.token = secrets.token_urlsafe(24)
            self._sessions[session.token] = session

    def drop(self, session: PortalSession) -> None:
        with self._lock:
            self._sessions.pop(session.token, None)


def register_bank_portal(app: Flask, world: Path, *, users: dict | None = None, session_ttl: int = 600) -> None:
    """Mount the bank portal on `app` under /bank and list it on the sandbox index.

    `users` maps user id -> {"password", "totp_secret"}; None means SANDBOX_USERS.
    """
    book = BankBook.load(world)
    accounts_by_user = users if users is not None else SANDBOX_USERS
    store = SessionStore(float(session_ttl))
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates" / "bank"),
                      autoescape=select_autoescape(["html"]))
    env.globals["url_for"] = url_for
    env.filters["money"] = _money
    bp = Blueprint("bank", __name__, url_prefix="/bank")

    def render(name: str, status: int = 200, **context: Any) -> Response:
        session: PortalSession | None = g.get("bank_session")
        context.setdefault("csrf_token", session.csrf if session else "")
        context["logged_in"] = bool(session and session.authenticated)
        return Response(env.get_template(name).render(**context), status, mimetype="text/html")

    def to_login(**args: Any) -> Response:
        return redirect(url_for("bank.login", **args), 303)

    def form_ok(session: PortalSession) -> bool:
        return same_secret(request.form.get("csrf_token", ""), session.csrf)

    @bp.before_request
    def load_session() -> Response | None:
        session, expired = store.touch(request.cookies.get(COOKIE))
        g.bank_session, g.bank_expired = session, expired
        if request.endpoint in ("bank.login", "bank.logout"):
            return None
        if request.endpoint == "bank.otp":
            ready = session is not None and session.user is not None
        else:
            ready = session is not None and session.authenticated
        return None if ready else to_login(**({"expired": 1} if expired else {}))

    @bp.after_request
    def set_cookie(response: Response) -> Response:
        return keep_session(response, g.get("bank_session"), COOKIE, "/bank")

    @bp.get("/")
    def home() -> Response:
        return redirect(url_for("bank.accounts"), 303)

    @bp.route("/login", methods=["GET", "POST"])
    def login() -> Response:
        session: PortalSession | None = g.bank_session
        if session is not None and session.authenticated:
            store.drop(session)
            session = None
        if request.method == "GET" or session is None:
            if session is None:
                g.bank_session = store.new()
            else:
                session.user = None
            return render("login.html", expired=g.bank_expired or request.args.get("expired"),
                          logged_out=request.args.get("logged_out"))
        if not form_ok(session):
            return render("login.html", 400, error="The form has expired. Please try again.")
        session.user = None
        user_id = request.form.get("user_id", "").strip()
        user = accounts_by_user.get(user_id)
        if user is None or not same_secret(request.form.get("password", ""), user["password"]):
            return render("login.html", error="Invalid user ID or password.", user_id=user_id)
        session.user = user_id
        store.rotate(session)
        return redirect(url_for("bank.otp"), 303)

    @bp.route("/login/otp", methods=["GET", "POST"])
    def otp() -> Response:
        session: PortalSession = g.bank_session
        if request.method == "GET":
            return render("otp.html")
        if not form_ok(session):
            return render("otp.html", 400, error="The form has expired. Please try again.")
        secret = accounts_by_user[session.user]["totp_secret"]
        if not pyotp.TOTP(secret).verify(request.form.get("code", "").strip(), valid_window=1):
            return render("otp.html", error="Invalid one-time code.")
        session.authenticated = True
        store.rotate(session)
        return redirect(url_for("bank.accounts"), 303)

    @bp.get("/logout")
    def logout() -> Response:
        if g.bank_session is not None:
            store.drop(g.bank_session)
            g.bank_session = None
        return to_login(logged_out=1)

    @bp.get("/accounts")
    def accounts() -> Response:
        return render("accounts.html", accounts=list(book.accounts.values()), today=book.today)

    @bp.get("/accounts/<iban>/history")
    def history(iban: str) -> Response:
        account = book.accounts.get(iban) or abort(404)
        since, until, error = _range(request.args.get("from"), request.args.get("to"),
                                     book.today - timedelta(days=30), book.today)
        start, stop = account.window(since, until)
        pages = max(1, math.ceil((stop - start) / PAGE_SIZE))
        page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
        newest = stop - 1 - (page - 1) * PAGE_SIZE
        indexes = range(newest, max(start, newest - PAGE_SIZE + 1) - 1, -1)
        rows = [(account.transactions[i], account.balance_after(i)) for i in indexes]
        return render("history.html", 400 if error else 200, account=account, since=since, until=until,
                      rows=rows, total=stop - start, page=page, pages=pages, error=error)

    @bp.route("/accounts/<iban>/statement", methods=["GET", "POST"])
    def statement(iban: str) -> Response:
        account = book.accounts.get(iban) or abort(404)
        default_since = book.today.replace(day=1)
        if request.method == "GET":
            return render("statement.html", account=account, since=default_since, until=book.today)
        since, until, error = _range(request.form.get("date_from"), request.form.get("date_to"),
                                     default_since, book.today)
        fmt = request.form.get("format", "")
        if not form_ok(g.bank_session):
            error = "The form has expired. Please try again."
        elif fmt not in FORMATS:
            error = f"Unknown statement format {fmt!r}."
        if error:
            return render("statement.html", 400, account=account, since=since, until=until, error=error)
        out = StringIO()
        book.write(out, iban, since, until, fmt)
        name = f"{iban}_{since:%Y%m%d}_{until:%Y%m%d}.{FORMATS[fmt]}"
        mimetype = "application/xml" if fmt == "camt053" else "text/plain"
        return Response(out.getvalue().encode("utf-8"), content_type=f"{mimetype}; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    app.register_blueprint(bp)
    app.config.setdefault("APPS", []).append({"url": "/bank/", "title": "Sandbox Bank (web banking)"})
    app.extensions["bank_portal"] = {"book": book, "sessions": store}


def _range(raw_from: str | None, raw_to: str | None, since: date, until: date) -> tuple[date, date, str | None]:
    """Parse a from/to pair (ISO dates); on bad input keep the defaults and say why."""
    try:
        since = date.fromisoformat(raw_from) if raw_from else since
        until = date.fromisoformat(raw_to) if raw_to else until
    except ValueError:
        return since, until, "Dates must look like 2026-11-27."
    if since > until:
        return since, until, "The start date must not be after the end date."
    return since, until, None


def same_secret(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def keep_session(response: Response, session: PortalSession | None, cookie: str, path: str) -> Response:
    """Send the session cookie when the browser lacks it; portal pages are never cached."""
    if session is not None and request.cookies.get(cookie) != session.token:
        response.set_cookie(cookie, session.token, path=path, httponly=True, samesite="Lax")
    response.headers["Cache-Control"] = "no-store"
    return response


def _money(value: Decimal) -> str:
    """Polish bank style: 1 234 567,89."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")
