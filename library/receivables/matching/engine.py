"""Cash application: each incoming payment, in booking order, against the invoices still open.

For every payment the engine lists readings (a customer and the invoices the money pays),
scores each from independent evidence - invoice numbers in the title, who the payer is (IBAN,
tax id, learned alias, name), how well the amount fits - and turns the scores into shares of
belief among the readings found (odds / (1 + sum of odds)), so two good readings of one payment
both fall below the auto threshold. Only the best reading at or above `auto_threshold` is posted;
posting lowers the invoices' open amounts before the next payment is read.

Why dicts and not pandas joins: each payment sees the open amounts its predecessors left, so the
reading is sequential; the number lookup itself is one dict probe per title number, cheaper than
parsing the title, which no vectorized string method here does faster than `re`. pandas reads
the CSV input (`csv_input`) and runs the baseline in the benchmarks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from receivables.bulk import collector_paused
from receivables.matching.book import OpenBook, from_cents, normalize_iban, to_cents
from receivables.matching.config import MatchConfig
from receivables.matching.models import (
    Allocation,
    Knowledge,
    MatchResult,
    OpenInvoice,
    Payment,
    Suggestion,
    Surplus,
)
from receivables.matching.names import payer_key
from receivables.matching.numbers import (
    NumberRun,
    canonical,
    near_miss,
    number_groups,
    sequence_group,
    title_runs,
)
from receivables.matching.subset import combinations_tried, find_combinations

MAX_SCAN = 500  # open invoices of one customer compared with a title's numbers for typos
MAX_CUSTOMERS = 5  # customers per payment whose open invoices are tried by amount
MAX_NAME_CANDIDATES = 3
MAX_AMOUNT_ONLY = 5
CONFIDENCE_CAP = 0.999
CENT = Decimal("0.01")
NOBODY: frozenset[str] = frozenset()
AMOUNT_METHODS = {"amount": "amount", "oldest": "oldest_first", "subset": "combination", "open": "amount"}


@dataclass(slots=True)
class Reading:
    """One way to read a payment, with its evidence and the resulting confidence."""

    customer: str
    invoices: tuple[int, ...]
    allocations: tuple[int, ...]
    surplus: int
    confidence: float
    method: str
    fits: bool  # the amount equals the invoices' open total (within tolerance)


@dataclass(slots=True)
class _Payment:
    """What one payment says, worked out once."""

    payment: Payment
    cents: int
    tolerance: int
    runs: list[NumberRun]
    hits: dict[int, tuple[float, str]]
    iban: frozenset[str]
    tax: frozenset[str]
    alias: str | None
    strong: frozenset[str]
    hit_keys: set[str] = field(default_factory=set)  # title numbers that named an invoice exactly
    customer_evidence: dict[str, tuple[float, str, bool]] = field(default_factory=dict)
    referenced_open: dict[str, set[int]] = field(default_factory=dict)


def match(invoices: Iterable[OpenInvoice], payments: Iterable[Payment], config: MatchConfig | None = None,
          knowledge: Knowledge | None = None) -> MatchResult:
    """Allocate payments to open invoices; see the package docstring for what comes back."""
    with collector_paused():
        return Matcher(invoices, config or MatchConfig(), knowledge).run(payments)


class Matcher:
    """One run: the open book, what analysts taught, and the result so far (payments are fed in
    booking order by `run`, or one by one to `process`)."""

    def __init__(self, invoices: Iterable[OpenInvoice], config: MatchConfig,
                 knowledge: Knowledge | None = None) -> None:
        self.config = config
        self.w = config.weights
        self.book = OpenBook(invoices, config.fuzzy_name_threshold)
        knowledge = knowledge or Knowledge()
        self.ibans = dict(self.book.ibans)
        for iban, cid in knowledge.iban_to_customer.items():
            key = normalize_iban(iban)
            if key:
                self.ibans[key] = self.ibans.get(key, frozenset()) | {cid}
        self.aliases = {key: cid for key, cid in ((payer_key(name), cid) for name, cid in
                                                  knowledge.name_aliases.items()) if key}
        self.tax_ids = self.book.tax_ids
        self.tolerance_abs = to_cents(config.amount_tolerance_abs)
        w = self.w
        self.amount_base = {"amount": w.amount, "oldest": w.amount_oldest, "subset": w.amount_subset, "open": w.amount}
        self.result = MatchResult()

    # -- the run ------------------------------------------------------------------------------
    def run(self, payments: Iterable[Payment]) -> MatchResult:
        for payment in sorted(payments, key=lambda p: p.booking_date):
            self.process(payment)
        return self.result

    def process(self, payment: Payment) -> None:
        if payment.amount <= 0:
            self.result.flags[payment.payment_id] = "outgoing"
            return
        ctx = self._read(payment)
        if self._post_named_invoice(ctx):
            return
        readings = self._readings(ctx)
        self._decide(ctx, readings)

    def _post_named_invoice(self, ctx: _Payment) -> bool:
        """Most payments, without the general machinery: the title names one open invoice, the
        payer's IBAN is its customer's and nothing else points anywhere, the amount fits, and the
        reading clears the auto threshold. Scores exactly as `_readings` + `_decide` would (a test
        holds the two to that); False leaves the payment to them."""
        hits, iban = ctx.hits, ctx.iban
        if len(hits) != 1 or len(iban) != 1 or ctx.tax or ctx.alias is not None:
            return False
        idx = next(iter(hits))
        book = self.book
        customer, total = book.customer[idx], book.open[idx]
        if customer not in iban or total <= 0 or book.currency[idx] != ctx.payment.currency:
            return False
        diff = ctx.cents - total
        if not -ctx.tolerance <= diff <= ctx.tolerance:
            return False
        number, number_method = hits[idx]
        amount, amount_method = self._amount_fit(ctx, diff, "amount", 1)
        who = 1 - (1.0 * (1 - self.w.iban))
        confidence = (1 - (1 - number) * (1 - who) * (1 - amount)) * 1.0
        odds = min(confidence, CONFIDENCE_CAP) / (1 - min(confidence, CONFIDENCE_CAP))
        if odds / (1 + odds) < self.config.auto_threshold:
            return False
        allocation = total if diff >= 0 else ctx.cents
        self._post(ctx, Reading(customer, (idx,), (allocation,), max(diff, 0), odds / (1 + odds),
                                number_method + "+iban+" + amount_method, True))
        return True

    def _read(self, payment: Payment) -> _Payment:
        cents = to_cents(payment.amount)
        tolerance = self.tolerance_abs
        if self.config.amount_tolerance_rel:
            relative = (payment.amount * self.config.amount_tolerance_rel).quantize(CENT, ROUND_CEILING)
            tolerance = max(tolerance, to_cents(relative))
        runs = title_runs(payment.title)
        hit_keys: set[str] = set()
        hits = self._number_hits(runs, hit_keys) if runs else {}
        iban = NOBODY
        if payment.counterparty_iban:
            iban = self.ibans.get(payment.counterparty_iban) or self.ibans.get(
                normalize_iban(payment.counterparty_iban), NOBODY)
        tax = self._tax_customers(runs) if runs else NOBODY
        alias = None
        if self.aliases and payment.counterparty_name:
            alias = self.aliases.get(self.book.names.key(payment.counterparty_name))
        strong = iban
        if tax or alias:
            strong = iban | tax | ({alias} if alias else NOBODY)
        return _Payment(payment, cents, tolerance, runs, hits, iban, tax, alias, strong, hit_keys)

    # -- evidence -----------------------------------------------------------------------------
    def _number_hits(self, runs: list[NumberRun], hit_keys: set[str]) -> dict[int, tuple[float, str]]:
        """Invoices (any currency, open or not) whose number the title contains; `hit_keys`
        collects the title numbers that named one."""
        book, hits = self.book, {}
        by_key, lengths = book.by_key, book.key_lengths
        for run in runs:
            for key, back, size in run.keys(lengths):
                if size == 1 and run.amount_like:
                    continue
                found = by_key.get(key)
                if found is not None:
                    hit_keys.add(key)
                    self._add_hits(hits, run, found, size, False)
                if back is not None:
                    found = by_key.get(back)
                    if found is not None:
                        hit_keys.add(key)
                        self._add_hits(hits, run, found, size, True)
            if len(run.raw) == 1 and len(run.raw[0]) >= 5:
                for groups in _split_glued(run.raw[0], book.shapes):
                    found = by_key.get(canonical(groups))
                    if found is not None:
                        self._add_hits(hits, run, found, len(groups), False)
        return hits

    def _add_hits(self, hits: dict[int, tuple[float, str]], run: NumberRun, found: int | list[int], size: int,
                  reverse: bool) -> None:
        """Score the invoices one title number names; when its written prefix picks some of them
        ("FVE 2024/05/1" of FV/2024/05/1 and FVE/2024/05/1), the others are not named at all."""
        w, prefixes = self.w, self.book.prefix
        scored = []
        for idx in ((found,) if found.__class__ is int else found):
            prefix = prefixes[idx]
            if prefix and (run.prefixed_by(prefix) or prefix in run.words):
                strength, method = w.number, "number"
            elif not prefix:
                strength, method = (w.number * 0.9 if size > 1 else w.number_short), "number"
            elif size > 1:
                strength, method = w.number_digits, "number_digits"
            else:
                strength, method = w.number_short * 0.5, "number_digits"
            scored.append((idx, strength * w.reversed_factor if reverse else strength, method))
        if len(scored) > 1 and any(method == "number" for _, _, method in scored):
            scored = [hit for hit in scored if hit[2] == "number"]
        for idx, strength, method in scored:
            known = hits.get(idx)
            if known is None or strength > known[0]:
                hits[idx] = (strength, method)

    def _tax_customers(self, runs: list[NumberRun]) -> frozenset[str]:
        found: set[str] = set()
        for run in runs:
            if len(run.raw) < 4 and max(map(len, run.raw)) < 9:
                continue
            for key in run.tax_keys():
                found.update(self.tax_ids.get(key, ()))
        return frozenset(found) if found else NOBODY

    def _customer_evidence(self, ctx: _Payment, customer: str) -> tuple[float, str, bool]:
        """(strength, method, conflict) of "this customer paid"; conflict when IBAN/tax id/alias name others."""
        cached = ctx.customer_evidence.get(customer)
        if cached is not None:
            return cached
        w = self.w
        miss = 1.0
        methods = []
        if customer in ctx.iban:
            miss *= 1 - (w.iban if len(ctx.iban) == 1 else w.iban_shared)
            methods.append("iban")
        if customer in ctx.tax:
            miss *= 1 - (w.tax_id if len(ctx.tax) == 1 else w.iban_shared)
            methods.append("tax_id")
        if customer == ctx.alias:
            miss *= 1 - w.alias
            methods.append("alias")
        if not methods and ctx.payment.counterparty_name:
            score = self.book.names.similarity(ctx.payment.counterparty_name, customer)
            strength = (w.name_exact if score >= 99.5 else w.name_close if score >= 95
                        else w.name_fuzzy if score >= self.config.fuzzy_name_threshold else 0.0)
            if strength:
                miss *= 1 - strength
                methods.append("name")
        found = (1 - miss, "+".join(methods), bool(ctx.strong) and customer not in ctx.strong)
        ctx.customer_evidence[customer] = found
        return found

    # -- readings -----------------------------------------------------------------------------
    def _readings(self, ctx: _Payment) -> list[Reading]:
        book, currency = self.book, ctx.payment.currency
        if len(ctx.hits) == 1:
            quick = self._one_named_invoice(ctx)
            if quick is not None:
                return quick
        by_customer: dict[str, list[int]] = {}
        for idx in (ctx.hits if len(ctx.hits) < 2 else sorted(ctx.hits)):
            if book.currency[idx] == currency and book.open[idx] > 0:
                by_customer.setdefault(book.customer[idx], []).append(idx)
        ctx.referenced_open = {c: set(idxs) for c, idxs in by_customer.items()}
        if len(by_customer) == 1 and len(ctx.strong) <= 1:
            customer, idxs = next(iter(by_customer.items()))
            if not ctx.strong or customer in ctx.strong:
                found = self._number_readings(ctx, customer, idxs)
                if len(found) == 1 and found[0].fits and self._nobody_else(ctx, customer):
                    return found
        readings: list[Reading] = []
        settled: set[str] = set()
        for customer, idxs in by_customer.items():
            found = self._number_readings(ctx, customer, idxs)
            readings.extend(found)
            if any(r.fits for r in found):
                settled.add(customer)
        candidates = sorted(ctx.strong)
        if not candidates and ctx.payment.counterparty_name:
            candidates = [cid for cid, _ in book.names.search(ctx.payment.counterparty_name)[:MAX_NAME_CANDIDATES]]
        candidates += [c for c in by_customer if c not in candidates]
        for customer in candidates[:MAX_CUSTOMERS]:
            if customer not in settled:
                readings.extend(self._customer_readings(ctx, customer, combinations=not settled))
        if not readings:
            for customer in candidates[:MAX_CUSTOMERS]:
                pool = book.open_invoices(customer, currency, self.config.max_combination)
                if pool:
                    readings.append(self._oldest_first(ctx, customer, pool))
        if not readings and not ctx.strong and not by_customer:
            readings.extend(self._amount_only_readings(ctx))
        return readings

    def _one_named_invoice(self, ctx: _Payment) -> list[Reading] | None:
        """The common case, read directly: the title names one open invoice, its amount fits, and
        nothing says another customer paid. None when the general reading is needed."""
        book = self.book
        idx = next(iter(ctx.hits))
        customer = book.customer[idx]
        if book.currency[idx] != ctx.payment.currency or book.open[idx] <= 0:
            return None
        strong = ctx.strong
        if strong and (len(strong) > 1 or customer not in strong):
            return None
        ctx.referenced_open = {customer: {idx}}
        strength, method = ctx.hits[idx]
        reading = self._reading(ctx, customer, (idx,), number=strength, number_method=method, referenced=True,
                                amount_kind="amount", tried=1)
        if reading.fits and self._nobody_else(ctx, customer):
            return [reading]
        return None

    def _nobody_else(self, ctx: _Payment, customer: str) -> bool:
        """No other customer to try by amount: the payer is this customer, or their name
        points at nobody else."""
        if ctx.strong or not ctx.payment.counterparty_name:
            return True
        return all(cid == customer for cid, _ in
                   self.book.names.search(ctx.payment.counterparty_name)[:MAX_NAME_CANDIDATES])

    def _number_readings(self, ctx: _Payment, customer: str, idxs: list[int]) -> list[Reading]:
        """The invoices the title names: all together, else each alone and the groups that fit the amount."""
        sets = {tuple(idxs)}
        if len(idxs) > 1:
            sets.update((i,) for i in idxs)
            if len(idxs) <= self.config.max_title_numbers:
                amounts = [self.book.open[i] for i in idxs]
                for combo in find_combinations(amounts, ctx.cents, ctx.tolerance, min_size=2,
                                               max_size=len(idxs) - 1, budget=self.config.search_budget):
                    sets.add(tuple(idxs[j] for j in combo))
        strength, method = min((ctx.hits[i] for i in idxs), key=_strength)
        together = self._reading(ctx, customer, tuple(idxs), number=strength, number_method=method,
                                 referenced=True, amount_kind="amount", tried=1)
        if together.fits:
            return [together]
        readings = []
        for invoices in sorted(sets):
            strength, method = min((ctx.hits[i] for i in invoices), key=_strength)
            readings.append(self._reading(ctx, customer, invoices, number=strength, number_method=method,
                                          referenced=True, amount_kind="amount", tried=1))
        return readings

    def _customer_readings(self, ctx: _Payment, customer: str, combinations: bool = True) -> list[Reading]:
        """Readings from the customer's own open invoices: by amount, by a typo'd number, and - unless
        the title already names invoices that fit - by combination."""
        book, cfg, currency = self.book, self.config, ctx.payment.currency
        count = book.open_count(customer, currency)
        if not count:
            return []
        named = ctx.referenced_open.get(customer)
        fitting = book.with_amount(customer, currency, ctx.cents, 0 if named else ctx.tolerance)
        if fitting:
            referenced = self._scoped_references(ctx, fitting, skip_named=False) if ctx.runs else {}
        elif named:
            return []
        else:
            referenced = (self._scoped_references(ctx, book.open_invoices(customer, currency, MAX_SCAN),
                                                  skip_named=True) if ctx.runs else {})
        readings = []
        for i in sorted(set(fitting) | set(referenced)):
            strength, method = referenced.get(i, (0.0, ""))
            readings.append(self._reading(ctx, customer, (i,), number=strength, number_method=method,
                                          referenced=False, amount_kind="amount", tried=count))
        if fitting or not combinations:
            return readings
        pool = book.open_invoices(customer, currency, max(cfg.max_candidates, cfg.max_combination))
        open_, cents, tol = book.open, ctx.cents, ctx.tolerance
        running = 0
        for k, i in enumerate(pool[:cfg.max_combination]):
            running += open_[i]
            if k and abs(running - cents) <= tol:
                readings.append(self._reading(ctx, customer, tuple(pool[:k + 1]), referenced=False,
                                              amount_kind="oldest", tried=cfg.max_combination))
        candidates = pool[:cfg.max_candidates]
        if len(candidates) > 1:
            tried = combinations_tried(len(candidates), cfg.max_combination)
            combos = find_combinations([open_[i] for i in candidates], cents, tol, min_size=2,
                                       max_size=cfg.max_combination, budget=cfg.search_budget)
            for combo in combos:
                readings.append(self._reading(ctx, customer, tuple(candidates[j] for j in combo),
                                              referenced=False, amount_kind="subset", tried=tried))
        return readings

    def _oldest_first(self, ctx: _Payment, customer: str, pool: list[int]) -> Reading:
        """Nothing fits: the accountant's default, oldest invoices first (a suggestion at best)."""
        running, take = 0, []
        for i in pool[:self.config.max_combination]:
            take.append(i)
            running += self.book.open[i]
            if running >= ctx.cents:
                break
        return self._reading(ctx, customer, tuple(take), referenced=False, amount_kind="open", tried=1)

    def _scoped_references(self, ctx: _Payment, pool: list[int], *, skip_named: bool) -> dict[int, tuple[float, str]]:
        """The customer's invoices one typo away from a number in the title, or named by their
        running number alone ("faktura nr 123"). With `skip_named`, a title number that names an
        invoice exactly is not read as a typo of another (for invoices the amount fits, it is:
        "FV/1243" paying exactly what FV/1234 is owed may well be a slip)."""
        w = self.w
        singles = {run.groups[0] for run in ctx.runs if len(run.raw) == 1 and not run.amount_like}
        found: dict[int, tuple[float, str]] = {}
        for i in pool:
            if i in ctx.hits:
                continue
            raw = number_groups(self.book.number[i])
            groups = tuple(int(g) for g in raw)
            if len(groups) > 1 and sequence_group(groups) in singles:
                found[i] = (w.number_sequence, "number_sequence")
            joined = "".join(raw)
            for run in ctx.runs:
                for window, window_raw in run.windows({len(groups)}):
                    if skip_named and canonical(window) in ctx.hit_keys:
                        continue
                    if near_miss(window, groups, window_raw, joined) or (
                            len(window) > 1 and near_miss(window[::-1], groups)):
                        found[i] = (w.number_fuzzy, "number_fuzzy")
                        break
                if found.get(i, (0.0,))[0] == w.number_fuzzy:
                    break
        return found

    def _amount_only_readings(self, ctx: _Payment) -> list[Reading]:
        """No clue who paid: invoices of anyone with exactly this open amount (never posted alone)."""
        found = self.book.by_amount(ctx.payment.currency, ctx.cents)
        tried = max(len(self.book.open), 1)
        return [self._reading(ctx, self.book.customer[i], (i,), referenced=False, amount_kind="amount", tried=tried)
                for i in found[:MAX_AMOUNT_ONLY]]

    def _reading(self, ctx: _Payment, customer: str, invoices: tuple[int, ...], *, referenced: bool,
                 amount_kind: str, tried: int, number: float = 0.0, number_method: str = "") -> Reading:
        w, open_ = self.w, self.book.open
        total = open_[invoices[0]] if len(invoices) == 1 else sum(open_[i] for i in invoices)
        diff = ctx.cents - total
        factor = 1.0
        fits = -ctx.tolerance <= diff <= ctx.tolerance
        if fits:
            amount, amount_method = self._amount_fit(ctx, diff, amount_kind, tried)
        else:
            amount = 0.0
            amount_method = "partial" if diff < 0 else "overpayment"
            if referenced:
                factor = w.partial if diff < 0 else w.overpayment
            else:
                factor = w.unreferenced_mismatch
            if amount_kind == "open":
                amount_method = "oldest_first_" + amount_method
        who, who_method, conflict = self._customer_evidence(ctx, customer)
        confidence = 1 - (1 - number) * (1 - who) * (1 - amount)
        confidence *= factor
        if conflict:
            confidence *= w.customer_conflict
        if not referenced and number == 0:
            named = ctx.referenced_open.get(customer)
            if named and not named.intersection(invoices):
                confidence *= w.title_contradiction
        if len(invoices) == 1 and ctx.cents >= total:
            kept, allocations, remaining = invoices, (total,), ctx.cents - total
        else:
            remaining, shares, taken = ctx.cents, [], []
            for i in invoices:
                share = min(open_[i], remaining)
                if share > 0:
                    taken.append(i)
                    shares.append(share)
                    remaining -= share
            kept, allocations = tuple(taken), tuple(shares)
        method = amount_method
        if who_method:
            method = who_method + "+" + method
        if number_method:
            method = number_method + "+" + method
        if conflict:
            method += "+customer_conflict"
        return Reading(customer, kept, allocations, remaining, confidence, method, fits)

    def _amount_fit(self, ctx: _Payment, diff: int, kind: str, tried: int) -> tuple[float, str]:
        """Strength of "the amount fits": weaker within the tolerance than exact, and weaker the
        likelier a chance fit was (`tried` alternatives, each as likely as 1 in the amount's cents)."""
        base = self.amount_base[kind]
        spread = 1 if diff == 0 else 2 * ctx.tolerance + 1
        if diff:
            base = min(base, self.w.amount_tolerance)
        chance = tried * spread / max(ctx.cents, 1000)
        return base / (1 + 100 * chance), AMOUNT_METHODS[kind] + ("~tolerance" if diff else "")

    # -- decision -----------------------------------------------------------------------------
    def _decide(self, ctx: _Payment, readings: list[Reading]) -> None:
        payment, result, cfg = ctx.payment, self.result, self.config
        if len(readings) == 1 and readings[0].invoices:
            reading = readings[0]
            odds = min(reading.confidence, CONFIDENCE_CAP) / (1 - min(reading.confidence, CONFIDENCE_CAP))
            if odds / (1 + odds) >= cfg.auto_threshold:
                reading.confidence = odds / (1 + odds)
                self._post(ctx, reading)
                return
            unique = readings
        else:
            best_of: dict[tuple[int, ...], Reading] = {}
            for reading in readings:
                if reading.invoices and (reading.invoices not in best_of
                                         or reading.confidence > best_of[reading.invoices].confidence):
                    best_of[reading.invoices] = reading
            unique = list(best_of.values())
        strong_readings, total, odds = 0, 1.0, []
        for reading in unique:
            confidence = reading.confidence
            if confidence >= cfg.auto_threshold:
                strong_readings += 1
            if confidence > CONFIDENCE_CAP:
                confidence = CONFIDENCE_CAP
            odds.append(confidence / (1 - confidence))
            total += odds[-1]
        for reading, o in zip(unique, odds, strict=True):
            reading.confidence = o / total
        if len(unique) > 1:
            unique.sort(key=lambda r: (-r.confidence, len(r.invoices), r.invoices))
        pid = payment.payment_id
        if unique and unique[0].confidence >= cfg.auto_threshold:
            self._post(ctx, unique[0])
            return
        result.unmatched.append(pid)
        shown = [r for r in unique if r.confidence >= cfg.suggest_threshold][:cfg.max_suggestions]
        result.suggestions[pid] = [self._suggestion(r) for r in shown]
        if shown:
            top = shown[0]
            for i, cents in zip(top.invoices, top.allocations, strict=True):
                result.allocations.append(Allocation(pid, self.book.number[i], from_cents(cents),
                                                     round(top.confidence, 4), "suggested", top.method))
        reason = self._flag(ctx, strong_readings)
        if reason:
            result.flags[pid] = reason

    def _post(self, ctx: _Payment, reading: Reading) -> None:
        book, result, pid = self.book, self.result, ctx.payment.payment_id
        confidence = round(reading.confidence, 4)
        for i, cents in zip(reading.invoices, reading.allocations, strict=True):
            book.allocate(i, cents)
            result.allocations.append(Allocation(pid, book.number[i], from_cents(cents), confidence, "auto",
                                                 reading.method))
        if reading.surplus > 0:
            amount = from_cents(reading.surplus)
            currency = ctx.payment.currency
            result.surpluses.append(Surplus(pid, reading.customer, currency, amount))
            per_currency = result.credits.setdefault(reading.customer, {})
            per_currency[currency] = per_currency.get(currency, Decimal("0.00")) + amount

    def _suggestion(self, reading: Reading) -> Suggestion:
        return Suggestion(tuple(self.book.number[i] for i in reading.invoices),
                          tuple(from_cents(c) for c in reading.allocations), round(reading.confidence, 4),
                          reading.method, reading.customer, from_cents(reading.surplus))

    def _flag(self, ctx: _Payment, strong_readings: int) -> str | None:
        """Why a payment needs a human beyond low confidence, if there is a reason to name."""
        book, currency = self.book, ctx.payment.currency
        same = [i for i in ctx.hits if book.currency[i] == currency]
        foreign = [i for i in ctx.hits if book.currency[i] != currency]
        if foreign and not same:
            return "foreign_currency"
        if ctx.strong and not any(book.open_count(c, currency) for c in ctx.strong) and any(
                book.customer_currencies.get(c, set()) - {currency} for c in ctx.strong):
            return "foreign_currency"
        if same and all(book.open[i] <= 0 for i in same):
            return "already_paid"
        if strong_readings > 1:
            return "ambiguous"
        return None


def _strength(hit: tuple[float, str]) -> float:
    return hit[0]


def _split_glued(digits: str, shapes: set[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """"2024050123" read with the digit counts invoice numbers have, e.g. (4, 2, 4)."""
    found = []
    for shape in shapes:
        if sum(shape) == len(digits):
            groups, at = [], 0
            for size in shape:
                groups.append(int(digits[at:at + size]))
                at += size
            found.append(tuple(groups))
    return found
