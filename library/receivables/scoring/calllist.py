"""Who to call today and in which order, and the list on disk: work-item parts (JSON), CSV and XLSX.

score = expected recovered amount (open + interest, PLN) x chance of reaching the debtor x chance
the call persuades x (floor + (1 - floor) x late-payment risk): a debtor who would pay anyway is
worth less of a call than one the model expects to pay late.

Nobody is called who disputes, has a pending promise, opted out of calls, has only wrong numbers,
was called too often lately, or sits in a segment whose strategy says no calls.

The voice-calls task reads the parts with `read_parts(folder)` (or `read_parts(latest_folder(root))`).
A re-run on the same day rewrites the same files; parts left over from a longer list are removed.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from receivables.scoring.handover import CallListEntry, CallListInvoice, CallListPart
from receivables.scoring.history import OPEN_STATUSES
from receivables.scoring.rules import CallListRules, Segment

if TYPE_CHECKING:
    import pandas as pd

    from receivables.dunning.policy import Policy
    from receivables.ledger.db import Ledger
    from receivables.scoring.history import History
    from receivables.scoring.model import RiskModel

CENT = Decimal("0.01")
PART_GLOB = "part-*.json"
LANGUAGES = ("pl", "de", "en")
# customer-level exclusions, in the order they are checked (the first one found is reported)
EXCLUSIONS = ("segment_no_call", "disputed", "promised", "opted_out", "no_phone", "wrong_number",
              "called_too_often", "nothing_callable", "below_minimum")


class CallListError(ValueError):
    """A part file is not a valid call-list part; the message names the file."""


@dataclass
class Excluded:
    customer_id: int
    external_id: str
    reason: str
    detail: str = ""


@dataclass
class CallList:
    day: date
    campaign: str
    entries: list[CallListEntry]
    excluded: list[Excluded] = field(default_factory=list)
    over_capacity: int = 0
    invoice_skips: Counter = field(default_factory=Counter)

    def parts(self, part_size: int) -> list[CallListPart]:
        """Interleaved, so every worker gets its share of the first calls: entry i goes to part i mod n."""
        if not self.entries:
            return []
        n = math.ceil(len(self.entries) / part_size)
        return [CallListPart(campaign=self.campaign, created=self.day, part=k + 1, parts=n,
                             entries=self.entries[k::n]) for k in range(n)]


def _money(x: float) -> Decimal:
    return Decimal(repr(round(float(x), 2))).quantize(CENT, rounding=ROUND_HALF_UP)


def _smoothed(successes: np.ndarray, tries: np.ndarray, prior: float, weight: float) -> np.ndarray:
    return (successes + prior * weight) / (tries + weight)


@dataclass(frozen=True)
class InterestDue:
    amount: Decimal
    problem: str | None = None


def interest_due(open_amount: Decimal, currency: str, due: date, today: date, jurisdiction: str,
                 consumer: bool) -> InterestDue:
    """Statutory interest on the open amount through today, from the dunning calculator; 0 and the
    reason where no rate is known (a rate is never guessed)."""
    from receivables.dunning.interest import compute_interest
    from receivables.dunning.rates import RateUnavailable

    if today <= due or open_amount <= 0:
        return InterestDue(Decimal("0.00"))
    try:
        result = compute_interest(open_amount, due, today, jurisdiction, currency=currency, consumer=consumer,
                                  with_compensation=False)
    except RateUnavailable as exc:
        return InterestDue(Decimal("0.00"), str(exc))
    return InterestDue(result.interest_open)


def build_call_list(ledger: Ledger, history: History, scored: pd.DataFrame, segments: dict[int, Segment],
                    model: RiskModel, rules: CallListRules, policy: Policy, today: date, now: datetime,
                    factors: dict[str, float]) -> CallList:
    """`scored`: open invoices (id, customer_id, p_late, days_late, days_overdue, open_pln) with features."""
    inv = history.invoices.set_index("id")
    customers = history.customers.set_index("id")
    grace = timedelta(days=policy.promise_grace_days)
    out = CallList(today, f"calls-{today.isoformat()}", [])

    # invoice level: which open invoices a call may be about
    pending = history.promises[(history.promises["status"] == "pending")
                               & (history.promises["promised_date"] + grace >= np.datetime64(today, "s"))]
    promised_ids = set(pending["invoice_id"].dropna().astype(int))
    promised_customers = set(pending.loc[pending["invoice_id"].isna(), "customer_id"].astype(int))
    open_disputes = history.disputes[history.disputes["status"] == "open"]
    disputed_ids = set(open_disputes["invoice_id"].dropna().astype(int))
    disputed_customers = set(open_disputes.loc[open_disputes["invoice_id"].isna(), "customer_id"].astype(int))
    s = scored.set_index("id")
    flags = inv.loc[s.index]
    skip = np.select(
        [flags["in_court"].to_numpy(), flags["written_off"].to_numpy(),
         flags["disputed"].to_numpy() | s.index.isin(list(disputed_ids)),
         flags["promised"].to_numpy() | s.index.isin(list(promised_ids)),
         s["days_overdue"].to_numpy() < rules.min_days_overdue],
        ["in_court", "written_off", "disputed", "promised", "not_overdue_enough"], default="")
    s = s.assign(skip=skip)
    out.invoice_skips = Counter(x for x in skip if x)
    callable_inv = s[s["skip"] == ""]

    # customer level
    attempts = history.attempts
    window = np.datetime64(now.replace(tzinfo=None) - timedelta(days=rules.attempt_cap.days), "s")
    recent = attempts[attempts["started"] >= window].groupby("customer_id").size()
    tried = attempts.groupby("customer_id").size()
    answered = attempts[attempts["result"] == "answered"].groupby("customer_id").size()
    no_call = set(history.opt_outs.loc[history.opt_outs["channel"].isin(("call", "all")), "customer_id"].astype(int))
    phones = history.phones
    valid = phones[phones["valid"]].groupby("customer_id")["value"].apply(list)
    invalid = phones[~phones["valid"]].groupby("customer_id")["invalid_reason"].apply(
        lambda r: ", ".join(sorted({x or "invalid" for x in r})))
    promises = history.promises
    kept = (promises["status"] == "kept").groupby(promises["customer_id"]).sum()
    broken = (promises["status"] == "broken").groupby(promises["customer_id"]).sum()

    candidates = []
    empty = callable_inv.iloc[:0]
    by_customer = {int(k): v for k, v in callable_inv.groupby("customer_id")}
    skips = {int(k): Counter(v) for k, v in s.loc[s["skip"] != "", "skip"].groupby(s["customer_id"])}
    for cid in sorted(set(s["customer_id"].astype(int))):
        c = customers.loc[cid]
        seg = segments.get(cid)
        mine = by_customer.get(cid, empty)
        if mine.empty and set(skips.get(cid, ())) <= {"not_overdue_enough"}:
            continue  # nothing overdue long enough: not a question of calling yet
        reason, detail = None, ""
        if seg is not None and not seg.strategy.call:
            reason, detail = "segment_no_call", seg.name
        elif cid in disputed_customers:
            reason = "disputed"
        elif cid in promised_customers:
            reason = "promised"
        elif cid in no_call:
            reason = "opted_out"
        elif cid not in valid.index and cid not in invalid.index:
            reason = "no_phone"
        elif cid not in valid.index:
            reason, detail = "wrong_number", str(invalid.get(cid, ""))
        elif recent.get(cid, 0) >= rules.attempt_cap.attempts:
            reason = "called_too_often"
            detail = f"{recent.get(cid, 0)} calls in {rules.attempt_cap.days} days"
        elif mine.empty:
            reason = "nothing_callable"
            detail = ", ".join(f"{k}: {v}" for k, v in sorted(skips.get(cid, Counter()).items()))
        if reason:
            out.excluded.append(Excluded(cid, str(c["external_id"]), reason, detail))
            continue
        candidates.append((cid, mine))

    if not candidates:
        return out
    details = _invoice_details(ledger, [int(i) for _, mine in candidates for i in mine.index])
    rows = []
    for cid, mine in candidates:
        c = customers.loc[cid]
        juris = policy.jurisdiction(str(c["country"]))
        lines, problems, amount_pln = [], [], 0.0
        for invoice_id in mine.index:
            d = details[int(invoice_id)]
            due = interest_due(d["open_amount"], d["currency"], d["due_date"], today, juris, bool(c["is_consumer"]))
            if due.problem:
                problems.append(f"{d['number']}: {due.problem}")
            lines.append(CallListInvoice(number=d["number"], issue_date=d["issue_date"], due_date=d["due_date"],
                                         open_amount=d["open_amount"], interest=due.amount, currency=d["currency"]))
            amount_pln += float(d["open_amount"] + due.amount) * factors.get(d["currency"], 1.0)
        if amount_pln < rules.min_amount_pln:
            out.excluded.append(Excluded(cid, str(c["external_id"]), "below_minimum", f"{amount_pln:.2f} PLN"))
            continue
        weights = mine["open_pln"].to_numpy()
        risk = float(np.average(mine["p_late"].to_numpy(), weights=weights)) if weights.sum() > 0 else \
            float(mine["p_late"].mean())
        reach = float(_smoothed(answered.get(cid, 0), tried.get(cid, 0), rules.reach.prior, rules.reach.weight))
        persuade = float(_smoothed(kept.get(cid, 0), kept.get(cid, 0) + broken.get(cid, 0), rules.persuade.prior,
                                   rules.persuade.weight))
        seg = segments.get(cid)
        persuade = min(1.0, persuade * (seg.strategy.persuade if seg else 1.0))
        score = amount_pln * reach * persuade * (rules.risk_floor + (1 - rules.risk_floor) * risk)
        rows.append({"cid": cid, "mine": mine, "lines": lines, "problems": problems, "risk": risk, "reach": reach,
                     "persuade": persuade, "score": score, "amount_pln": amount_pln, "external_id": c["external_id"]})
    rows.sort(key=lambda r: (-r["score"], r["external_id"]))
    out.over_capacity = max(0, len(rows) - rules.max_calls)
    rows = rows[: rules.max_calls]
    worst = [r["mine"]["p_late"].idxmax() for r in rows]
    explained = model.explain(scored.set_index("id").loc[worst]) if rows else []
    for priority, (r, factors_) in enumerate(zip(rows, explained, strict=True), start=1):
        out.entries.append(_entry(r, factors_, customers.loc[r["cid"]], valid[r["cid"]], segments.get(r["cid"]),
                                  priority, model, rules))
    return out


def _entry(r: dict[str, Any], top: list, c: pd.Series, phones: list[str], seg: Segment | None, priority: int,
           model: RiskModel, rules: CallListRules) -> CallListEntry:
    mine = r["mine"]
    totals: dict[str, Decimal] = {}
    for line in r["lines"]:
        totals[line.currency] = totals.get(line.currency, Decimal("0.00")) + line.open_amount + line.interest
    overdue = mine["days_overdue"].astype(int)
    reasons = []
    if seg is not None:
        reasons.append(f"segment {seg.name} ({seg.about}); tone {seg.strategy.tone}")
    reasons.append(f"{len(mine)} invoice{'s' if len(mine) > 1 else ''} {overdue.min()}"
                   f"{'' if overdue.min() == overdue.max() else '-' + str(overdue.max())} days overdue, "
                   f"{r['amount_pln']:,.2f} PLN with interest")
    reasons.append(f"risk {r['risk']:.2f} of paying more than {model.late_days} days late, expected "
                   f"{float(mine['days_late'].max()):.0f} days late ({model.describe_source()})")
    reasons += [f"factor: {f}" for f in top]
    reasons.append(f"reach {r['reach']:.0%} x persuade {r['persuade']:.0%} (from past calls and promises)")
    if r["problems"]:
        first = r["problems"][0]
        more = len(r["problems"]) - 1
        reasons.append(f"interest not calculated (0 on the list): {first}"
                       + (f"; the same for {more} more invoice{'s' if more > 1 else ''}" if more else ""))
    tax_id = str(c["tax_id"] or "")
    digits = "".join(ch for ch in tax_id if ch.isdigit())
    language = c["language"] if c["language"] in LANGUAGES else "en"
    return CallListEntry(
        customer=str(c["external_id"]), customer_id=int(r["cid"]), name=str(c["name"]), language=language,
        country=str(c["country"]).upper(), time_zone=rules.time_zone(str(c["country"])), phones=list(phones),
        tax_id_last3=digits[-3:] if rules.identity_check and len(digits) >= 3 else None, priority=priority,
        score=_money(r["score"]), segment=seg.name if seg else None, totals=totals,
        invoices=sorted(r["lines"], key=lambda i: (i.due_date, i.number)), reasons=reasons)


def _invoice_details(ledger: Ledger, ids: list[int]) -> dict[int, dict[str, Any]]:
    from sqlalchemy import select

    from receivables.ledger.models import Invoice

    out = {}
    with ledger.session() as s:
        for start in range(0, len(ids), 900):
            for row in s.execute(select(Invoice.id, Invoice.number, Invoice.issue_date, Invoice.due_date,
                                        Invoice.open_amount, Invoice.currency, Invoice.status)
                                 .where(Invoice.id.in_(ids[start:start + 900]))):
                if row.status in OPEN_STATUSES:
                    out[row.id] = row._asdict()
    return out


# -- on disk ---------------------------------------------------------------------------------------

def _write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_call_list(call_list: CallList, folder: Path, part_size: int, summary: dict[str, Any]) -> list[Path]:
    """The parts as JSON (what the voice-calls task reads), CSV and XLSX for people, summary.json."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = call_list.parts(part_size)
    written = []
    for part in parts:
        path = folder / f"part-{part.part:03d}.json"
        _write_text(path, part.model_dump_json(indent=1) + "\n")
        written.append(path)
    for stale in set(folder.glob(PART_GLOB)) - set(written):
        stale.unlink()
    _write_csv(call_list, folder / "call-list.csv")
    _write_xlsx(call_list, folder / "call-list.xlsx", summary)
    detail = [{"customer": x.external_id, "reason": x.reason, "detail": x.detail} for x in call_list.excluded]
    _write_text(folder / "summary.json", json.dumps({**summary, "not_called_detail": detail}, indent=2,
                                                    ensure_ascii=False, default=str) + "\n")
    return written


PEOPLE_COLUMNS = ("priority", "customer", "name", "segment", "score", "totals", "invoices", "days_overdue",
                  "phones", "language", "time_zone", "reasons")


def _people_row(e: CallListEntry, today: date) -> list[Any]:
    days = [(today - i.due_date).days for i in e.invoices]
    return [e.priority, e.customer, e.name, e.segment or "", float(e.score),
            "; ".join(f"{v} {c}" for c, v in sorted(e.totals.items())), ", ".join(i.number for i in e.invoices),
            f"{min(days)}-{max(days)}" if min(days) != max(days) else str(days[0]), ", ".join(e.phones),
            e.language, e.time_zone, " | ".join(e.reasons)]


def _write_csv(call_list: CallList, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(PEOPLE_COLUMNS)
        for e in call_list.entries:
            w.writerow(_people_row(e, call_list.day))
    tmp.replace(path)


def _write_xlsx(call_list: CallList, path: Path, summary: dict[str, Any]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="305496")

    def sheet(title: str, header: list[str], rows: list[list[Any]], widths: list[int], first: bool = False) -> None:
        ws = wb.active if first else wb.create_sheet()
        ws.title = title
        ws.append(header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(row)
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"

    sheet("Call list", list(PEOPLE_COLUMNS), [_people_row(e, call_list.day) for e in call_list.entries],
          [8, 10, 34, 16, 12, 24, 40, 10, 20, 6, 16, 120], first=True)
    for row in wb["Call list"].iter_rows(min_row=2, min_col=12, max_col=12):
        row[0].alignment = Alignment(wrap_text=False)
    for row in wb["Call list"].iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].number_format = "#,##0.00"
    inv_rows = [[e.priority, e.customer, i.number, i.issue_date, i.due_date, (call_list.day - i.due_date).days,
                 float(i.open_amount), float(i.interest), i.currency] for e in call_list.entries for i in e.invoices]
    sheet("Invoices", ["priority", "customer", "invoice", "issued", "due", "days_overdue", "open", "interest",
                       "currency"], inv_rows, [8, 10, 18, 11, 11, 8, 13, 11, 6])
    for col in ("D", "E"):
        for cell in wb["Invoices"][col][1:]:
            cell.number_format = "yyyy-mm-dd"
    sheet("Not called", ["customer", "reason", "detail"],
          [[x.external_id, x.reason, x.detail] for x in call_list.excluded], [10, 20, 60])
    model = summary.get("model", {})
    sheet("Model", ["what", "value"], [[k, json.dumps(v, default=str) if isinstance(v, dict | list) else v]
                                       for k, v in model.items()], [28, 100])
    tmp = path.with_name(path.stem + ".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)


def read_parts(folder: Path) -> list[CallListPart]:
    """The day's parts in order; a file that is not a valid part raises CallListError naming it."""
    from pydantic import ValidationError

    parts = []
    for path in sorted(folder.glob(PART_GLOB)):
        try:
            parts.append(CallListPart.model_validate_json(path.read_text(encoding="utf-8")))
        except (ValidationError, ValueError) as exc:
            raise CallListError(f"{path}: not a call-list part: {exc}") from None
    if parts and [p.part for p in parts] != list(range(1, parts[0].parts + 1)):
        raise CallListError(f"{folder}: parts {[p.part for p in parts]} do not make 1..{parts[0].parts}")
    return parts


def latest_folder(root: Path) -> Path | None:
    """The newest day's folder under output/call-list/ (named YYYY-MM-DD)."""
    days = sorted(p for p in root.glob("????-??-??") if p.is_dir())
    return days[-1] if days else None
