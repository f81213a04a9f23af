"""What a manager reads: subject, plain text, HTML and a chat text from templates/<lang>/notifications/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from receivables.documents.fmt import formatter
from receivables.dunning.compose import TEMPLATES_DIR
from receivables.notifications.decide import Notice, Told

ZERO = Decimal("0.00")
SPACES = re.compile(r"[ \t\r\n]+")  # not \s: the no-break spaces inside amounts stay


@dataclass(frozen=True)
class Texts:
    subject: str
    text: str
    html: str
    chat: str


@lru_cache(maxsize=2)
def _environment(html: bool) -> SandboxedEnvironment:
    return SandboxedEnvironment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=html,
                                undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _payment(told: Told, language: str) -> dict:
    f, p = formatter(language), told.payment
    return {
        "amount": f.money(p.amount, p.currency), "booked": f.date(p.booking_date),
        "unallocated": f.money(p.unallocated, p.currency) if p.unallocated > ZERO else None,
        "customers": [{
            "name": part.name, "id": part.external_id, "manager": part.account_manager,
            "applied": f.money(part.amount, p.currency),
            "invoices": [{"number": a.number, "due": f.date(a.due_date), "applied": f.money(a.amount, p.currency),
                          "remaining": f.money(a.remaining, p.currency), "settled": a.remaining <= ZERO}
                         for a in part.applied],
            "owes": [{"open": f.money(b.open, b.currency), "overdue": f.money(b.overdue, b.currency),
                      "invoices": b.invoices, "overdue_invoices": b.overdue_invoices} for b in part.balances],
        } for part in told.parts],
    }


def context(notice: Notice) -> dict:
    language = notice.recipient.language
    f = formatter(language)
    totals: dict[str, Decimal] = {}
    for told in notice.items:
        totals[told.payment.currency] = totals.get(told.payment.currency, ZERO) + told.payment.amount
    return {"kind": notice.kind, "day": f.date(notice.day), "count": len(notice.items),
            "payments": [_payment(t, language) for t in notice.items],
            "totals": [f.money(v, c) for c, v in sorted(totals.items())]}


def render(notice: Notice) -> Texts:
    """The `{% set %}` blocks of templates/<lang>/notifications/<kind>.j2; HTML autoescaped, the rest not."""
    name = f"{notice.recipient.language}/notifications/{notice.kind}.j2"
    ctx = context(notice)
    plain = _environment(False).get_template(name).make_module(ctx)
    html = _environment(True).get_template(name).make_module(ctx)
    return Texts(SPACES.sub(" ", str(plain.subject)).strip(), str(plain.text).strip() + "\n", str(html.html).strip(),
                 str(plain.chat).strip())
