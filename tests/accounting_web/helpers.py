"""What the accounting app tests share: test users, logging a Flask client in, export comparison."""

from __future__ import annotations

import re
from dataclasses import replace

from flask.testing import FlaskClient

from receivables.accounting.records import InvoiceRecord

USERS = {"tester": {"password": "pw-for-accounting-tests"}}
PASSWORD = USERS["tester"]["password"]
ACCOUNTS = {"PLN": "PL94105014451000009071219812", "EUR": "PL27114020040000300201355387"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client: FlaskClient, url: str = "/accounting/login") -> str:
    """The CSRF token of the form on `url` (the session's token)."""
    return _CSRF.search(client.get(url).get_data(as_text=True))[1]


def log_in(client: FlaskClient, user: str = "tester", password: str = PASSWORD) -> FlaskClient:
    response = client.post("/accounting/login", data={"csrf_token": csrf(client), "username": user,
                                                      "password": password})
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


def exported(invoice: InvoiceRecord) -> InvoiceRecord:
    """An invoice as the export carries it: no lines, no payee IBAN, no embedded customer."""
    return replace(invoice, lines=[], payee_iban=None, customer=None)
