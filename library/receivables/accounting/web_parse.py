"""Turn the text a page shows into records: exact Decimal money, dates, normalized ids.

Values are parsed from exactly what the app displays, in the formats its config names, and a
value that does not fit raises AccountingAppError naming the field (never a guess).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from receivables.accounting.errors import FieldValueError
from receivables.accounting.records import CustomerRecord, InvoiceLine, InvoiceRecord
from receivables.accounting.values import date_parser, normalize_tax_id, parse_amount
from receivables.accounting.web_config import AccountingAppError, AppConfig, parse_stamp

_INT = re.compile(r"[+-]?\d+")
_EXPECTED = {"money": "an amount like 1 234,56", "day": "a date in {date_format}", "stamp": "an ISO 8601 timestamp",
             "kind": "{kinds}", "int_or_none": "a whole number", "rate": "a percentage like 23%"}


class PageValues:
    """Parsers for one app's display formats; `step` and `url` go into every error."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        self._date = date_parser(config.date_format)

    def fail(self, label: str, expected: str, found: object, step: str, url: str) -> AccountingAppError:
        selector = _selector(self.config, label)
        return AccountingAppError(f"{label}: expected {expected}, found {found!r}", step=step, url=url,
                                  selector=selector)

    def value(self, parse: Callable[[str], Any], text: Any, label: str, step: str, url: str) -> Any:
        try:
            return parse(text if isinstance(text, str) else "")
        except (FieldValueError, ValueError, KeyError):
            expected = _EXPECTED.get(parse.__name__, "a value").format(
                date_format=self.config.date_format, kinds=" or ".join(map(repr, self.config.kinds)))
            raise self.fail(label, expected, text, step, url) from None

    def money(self, text: str) -> Decimal:
        return parse_amount(text, self.config.decimal_separator, self.config.thousands_separator)

    def day(self, text: str) -> date:
        return self._date(text)

    def stamp(self, text: str) -> datetime:
        return parse_stamp(text)

    def kind(self, text: str) -> str:
        return self.config.kinds[text]

    def rate(self, text: str) -> Decimal:
        return self.money(text.removesuffix("%").strip())

    @staticmethod
    def int_or_none(text: str) -> int | None:
        match = _INT.search(text)
        if text.strip() and not match:
            raise ValueError(text)
        return int(match.group(0)) if match else None


def customer_record(values: PageValues, data: dict[str, Any], url: str) -> CustomerRecord:
    text = _texts(data)
    return CustomerRecord(
        external_id=text("external_id"),
        name=text("name"),
        country=(text("country") or "PL").upper(),
        tax_id=normalize_tax_id(text("tax_id")) if text("tax_id") else None,
        regon=text("regon") or None,
        street=text("street") or None,
        postal_code=text("postal_code") or None,
        city=text("city") or None,
        emails=[e for e in data["emails"] if e],
        phones=[p for p in data["phones"] if p],
        language=text("language").lower() or "pl",
        account_manager=text("account_manager") or None,
        ibans=[_iban(i) for i in data["ibans"] if i],
        is_consumer=text("is_consumer") in values.config.consumer_yes,
    )


def invoice_record(values: PageValues, data: dict[str, Any], url: str) -> InvoiceRecord:
    text = _texts(data)

    def get(parse: Callable[[str], Any], key: str, group: str = "invoice", source: dict | None = None) -> Any:
        return values.value(parse, (source or data).get(key), f"{group}.{key}", "invoice", url)

    lines = [
        InvoiceLine(
            description=(row.get("description") or "").strip(),
            quantity=get(values.money, "quantity", "invoice_line", row),
            unit_price=get(values.money, "unit_price", "invoice_line", row),
            net=get(values.money, "net", "invoice_line", row),
            vat_rate=get(values.rate, "vat_rate", "invoice_line", row),
            vat=get(values.money, "vat", "invoice_line", row),
            gross=get(values.money, "gross", "invoice_line", row),
        )
        for row in data["lines"]
    ]
    gross = get(values.money, "gross")
    if not lines and gross:
        raise values.fail("invoice_line.row", "at least one invoice line", "none", "invoice", url)
    return InvoiceRecord(
        number=text("number"),
        issuer_tax_id=normalize_tax_id(text("issuer_tax_id")),
        customer_external_id=text("customer_external_id"),
        issue_date=get(values.day, "issue_date"),
        due_date=get(values.day, "due_date"),
        currency=text("currency").upper(),
        net=get(values.money, "net"),
        vat=get(values.money, "vat"),
        gross=gross,
        kind=get(values.kind, "kind"),
        corrects=text("corrects") or None,
        payment_terms_days=get(values.int_or_none, "payment_terms_days"),
        lines=lines,
        payee_iban=_iban(text("payee_iban")) or None,
    )


def _texts(data: dict[str, Any]) -> Callable[[str], str]:
    return lambda key: (data.get(key) or "").strip()


def _iban(text: str) -> str:
    return "".join(text.split()).upper()


def _selector(config: AppConfig, label: str) -> str | None:
    group, _, key = label.partition(".")
    return config.selectors.get(group, {}).get(key)
