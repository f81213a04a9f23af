"""The open invoices of one run as flat columns, with the indexes the engine looks things up by.

Invoices are sorted oldest first (issue date, due date, number), so an invoice's position is
also its age rank. Open amounts are integer cents: exact like Decimal, and fast to add up.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from receivables.matching.models import OpenInvoice
from receivables.matching.names import NameIndex
from receivables.matching.numbers import normalize_tax_id, number_groups, number_prefix

CENTS = Decimal(100)
CENT = Decimal("0.01")
MAX_SHAPES = 16
SMALL_POOL = 32  # a customer with more open invoices gets an amount index


def to_cents(amount: Decimal) -> int:
    """Exact for amounts in cents; anything finer is rounded half up first."""
    scaled = amount * CENTS
    cents = int(scaled)
    if cents != scaled:
        cents = int(amount.quantize(CENT, rounding=ROUND_HALF_UP) * CENTS)
    return cents


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def normalize_iban(iban: str | None) -> str:
    return "".join(iban.split()).upper() if iban else ""


def _index(keys: list[str]) -> dict[str, int | list[int]]:
    """key -> position, or positions when several invoices share the digits (FV/... and FVE/...)."""
    index: dict[str, int | list[int]] = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1)))
    if len(index) < len(keys):
        for idx, key in enumerate(keys):
            first = index[key]
            if first.__class__ is int:
                if first != idx:
                    index[key] = [first, idx]
            else:
                first.append(idx)
    return index


def _add(index: dict[str, frozenset[str]], key: str, customer: str) -> None:
    known = index.get(key)
    if known is None:
        index[key] = frozenset((customer,))
    elif customer not in known:
        index[key] = known | {customer}


def _by_customer(identity: tuple) -> tuple:
    cid, name, ibans, tax_id = identity
    return cid, name, ibans, tax_id or ""


class Pool:
    """One customer's invoices in one currency, oldest first; paid ones are dropped lazily."""

    __slots__ = ("by_amount", "closed", "count", "head", "items")

    def __init__(self) -> None:
        self.items: list[int] = []
        self.head = 0  # items before it are paid
        self.closed = 0
        self.count = 0
        self.by_amount: dict[int, list[int]] | None = None


class OpenBook:
    """Open amounts that drop as payments are allocated, and who each invoice belongs to."""

    def __init__(self, invoices: Iterable[OpenInvoice], fuzzy_name_threshold: float) -> None:
        rows = sorted((inv for inv in invoices if inv.amount_open > 0),
                      key=lambda inv: (inv.issue_date, inv.due_date, inv.invoice_number))
        intern = sys.intern
        self.number = [inv.invoice_number for inv in rows]
        self.customer = [intern(inv.customer_id) for inv in rows]
        self.currency = [intern(inv.currency) for inv in rows]
        self.open = [to_cents(inv.amount_open) for inv in rows]
        groups = list(map(number_groups, self.number))  # tuples of digit strings
        self.prefix = self._prefixes(groups)
        self.by_key = _index(["/".join([g.lstrip("0") or "0" for g in raw]) for raw in groups])
        self.key_lengths = set(map(len, groups)) - {0}
        self._groups = groups
        self._shapes: set[tuple[int, ...]] | None = None
        self.pools: dict[tuple[str, str], Pool] = {}
        self.pool_of: list[Pool] = []
        self.customer_currencies: dict[str, set[str]] = {}
        pools, pool_of = self.pools, self.pool_of
        for idx, key in enumerate(zip(self.customer, self.currency)):
            pool = pools.get(key)
            if pool is None:
                pool = pools[key] = Pool()
                self.customer_currencies.setdefault(key[0], set()).add(key[1])
            pool.items.append(idx)
            pool_of.append(pool)
        for pool in pools.values():
            pool.count = len(pool.items)
        self.ibans: dict[str, frozenset[str]] = {}
        self.tax_ids: dict[str, frozenset[str]] = {}
        names: dict[str, str] = {}
        for cid, name, ibans, tax_id in sorted({(inv.customer_id, inv.customer_name, inv.customer_ibans,
                                                 inv.customer_tax_id) for inv in rows}, key=_by_customer):
            names.setdefault(cid, name)
            for iban in ibans:
                _add(self.ibans, normalize_iban(iban), cid)
            for tax_key in normalize_tax_id(tax_id):
                _add(self.tax_ids, tax_key, cid)
        self.ibans.pop("", None)
        self.names = NameIndex(names, fuzzy_name_threshold)
        self._by_amount: dict[str, dict[int, list[int]]] | None = None

    def _prefixes(self, groups: list[tuple[str, ...]]) -> list[str]:
        """The letters in front of each number ("FV"); numbers share a few, so each is read once."""
        known: dict[str, str] = {}
        found = []
        for number, raw in zip(self.number, groups, strict=True):
            head = number[:number.find(raw[0])] if raw else number
            prefix = known.get(head)
            if prefix is None:
                prefix = known[head] = sys.intern(number_prefix(head))
            found.append(prefix)
        return found

    @property
    def shapes(self) -> set[tuple[int, ...]]:
        """Digit counts of the groups invoice numbers have, e.g. (4, 2, 4), to read "FV2024050123"."""
        if self._shapes is None:
            self._shapes = set()
            for raw in self._groups:
                if len(raw) > 1:
                    self._shapes.add(tuple(map(len, raw)))
                    if len(self._shapes) >= MAX_SHAPES:
                        break
        return self._shapes

    def open_count(self, customer: str, currency: str) -> int:
        pool = self.pools.get((customer, currency))
        return pool.count if pool else 0

    def open_invoices(self, customer: str, currency: str, limit: int | None = None) -> list[int]:
        """The customer's invoices in this currency with money still open, oldest first."""
        pool = self.pools.get((customer, currency))
        if not pool or not pool.count:
            return []
        open_, items = self.open, pool.items
        if pool.closed * 2 > len(items):
            items[:] = [i for i in items if open_[i] > 0]
            pool.closed = pool.head = 0
        head = pool.head
        while head < len(items) and open_[items[head]] <= 0:
            head += 1
        pool.head = head
        if limit is None:
            return [i for i in items[head:] if open_[i] > 0]
        found = []
        for k in range(head, len(items)):
            i = items[k]
            if open_[i] > 0:
                found.append(i)
                if len(found) == limit:
                    break
        return found

    def with_amount(self, customer: str, currency: str, cents: int, tolerance: int) -> list[int]:
        """The customer's open invoices for exactly this amount, or else within the tolerance."""
        pool = self.pools.get((customer, currency))
        if not pool or not pool.count:
            return []
        open_ = self.open
        if pool.count > SMALL_POOL:
            if pool.by_amount is None:
                pool.by_amount = {}
                for i in pool.items:
                    if open_[i] > 0:
                        pool.by_amount.setdefault(open_[i], []).append(i)
            exact = [i for i in pool.by_amount.get(cents, ()) if open_[i] == cents]
            if exact or not tolerance:
                return sorted(set(exact))
            return [i for i in pool.items if 0 < open_[i] and abs(open_[i] - cents) <= tolerance]
        exact = [i for i in pool.items if open_[i] == cents]
        if exact or not tolerance:
            return exact
        return [i for i in pool.items if 0 < open_[i] and abs(open_[i] - cents) <= tolerance]

    def by_amount(self, currency: str, cents: int) -> list[int]:
        """Open invoices of any customer with exactly this open amount (index built on first use)."""
        if self._by_amount is None:
            self._by_amount = {}
            for idx, amount in enumerate(self.open):
                if amount > 0:
                    self._by_amount.setdefault(self.currency[idx], {}).setdefault(amount, []).append(idx)
        found = self._by_amount.get(currency, {}).get(cents, [])
        return [i for i in found if self.open[i] == cents]

    def allocate(self, idx: int, cents: int) -> None:
        left = self.open[idx] - cents
        self.open[idx] = left
        pool = self.pool_of[idx]
        if left <= 0:
            pool.closed += 1
            pool.count -= 1
            return
        if pool.by_amount is not None:
            pool.by_amount.setdefault(left, []).append(idx)
        if self._by_amount is not None:
            self._by_amount.setdefault(self.currency[idx], {}).setdefault(left, []).append(idx)

