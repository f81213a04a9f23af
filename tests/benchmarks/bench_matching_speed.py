"""Matching speed and memory: N payments against N open invoices, the engine and the baseline.

    python tests/benchmarks/bench_matching_speed.py [--sizes 10000,100000] [--sizes 10000,100000,1000000]

For each size a fresh child process builds a synthetic book (N/10 customers with names, tax ids
and IBANs; N invoices; N payments typed the ways payers type them: exact, reordered, typo'd,
several numbers, no number, someone else's account) and times `match()` (wall and CPU seconds,
payments/s) and the plain baseline (regex + pandas merges; see matching_baseline.py). Peak RSS
is the child's maximum; `engine_rss_mb` is the peak minus the RSS after the data was built.
Growth ratio: CPU seconds per payment at the largest size over the smallest (1.0 = linear).
`python_calibration_s` is the CPU time of a fixed pure-Python loop in the same child (about 0.05 s
on this machine when idle): compare runs made under different load with it.
Goal: 1,000,000 x 1,000,000 under 60 s and 4 GB. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _calibration() -> float:
    """CPU seconds of a fixed pure-Python loop: this machine's speed at the moment (shared hosts vary)."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        sum(range(3_000_000))
        best = min(best, time.process_time() - start)
    return round(best, 4)


def build(n: int, seed: int = 7):
    """Open invoices and the payments that settle them, with the answer for each payment."""
    from receivables.matching import OpenInvoice, Payment

    rng = random.Random(seed)
    customers = []
    for c in range(max(n // 10, 1)):
        stem = rng.choice(["Trans", "Bud", "Agro", "Nord", "Elb", "Thames"]) + rng.choice(["pol", "max", "bau", "tech"])
        name = f"{stem} {c} " + rng.choice(["sp. z o.o.", "S.A.", "GmbH", "Ltd"])
        customers.append((f"C{c:07d}", name, f"{rng.randint(10**9, 10**10 - 1)}",
                          f"PL{rng.randint(10**25, 10**26 - 1)}"))
    start = date(2024, 1, 1)
    invoices, payments = [], []
    serial: dict[tuple[int, int], int] = {}
    for i in range(n):
        day = start + timedelta(days=i * 360 // n)
        serial[(day.year, day.month)] = serial.get((day.year, day.month), 0) + 1
        number = f"FV/{day:%Y}/{day:%m}/{serial[(day.year, day.month)]:05d}"
        cid, name, nip, iban = customers[min(int(rng.paretovariate(1.2)) - 1, len(customers) - 1)
                                         if rng.random() < 0.2 else rng.randrange(len(customers))]
        amount = Decimal(rng.randint(4_000, 5_000_000)).scaleb(-2)
        invoices.append(OpenInvoice(number, cid, name, nip, (iban,), day, day + timedelta(days=14), "PLN", amount))
    order = list(range(n))
    rng.shuffle(order)
    k = 0
    while k < n and len(payments) < n:
        style = rng.random()
        group = [invoices[order[k]]]
        if style > 0.95 and k + 2 < n:
            group = [invoices[order[k]], invoices[order[k + 1]]]
        k += len(group)
        inv = group[0]
        payer, iban = inv.customer_name.upper(), inv.customer_ibans[0]
        number = inv.invoice_number
        if style < 0.6 or style > 0.95:
            title = "Zapłata za fakturę " + ", ".join(g.invoice_number for g in group)
        elif style < 0.7:
            _, year, month, seq = number.split("/")
            title = f"FV {int(seq)}/{month}/{year}"
        elif style < 0.8:
            title = "faktura " + number.replace("/", "", 1).lower()
        elif style < 0.9:
            title = "Przelew"
        else:
            title = f"FV {number}"
            payer, iban = "JAN KOWALSKI", f"PL{rng.randint(10**25, 10**26 - 1)}"
        day = inv.issue_date + timedelta(days=rng.randint(3, 40))
        payments.append(Payment(f"P{len(payments):08d}", day, sum(g.amount_open for g in group), "PLN", payer,
                                iban, title))
    return invoices, payments


def child(n: int) -> None:
    sys.path.insert(0, str(HERE))
    import pandas as pd
    from matching_baseline import baseline_match

    from receivables.matching import load_match_config, match

    invoices, payments = build(n)
    config = load_match_config()
    calibration = _calibration()
    base_rss = _rss_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    result = match(invoices, payments, config)
    engine = {"seconds": round(time.perf_counter() - wall, 3), "cpu_seconds": round(time.process_time() - cpu, 3)}
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    auto = len({a.payment_id for a in result.allocations if a.status == "auto"})
    engine.update({"payments_per_s": round(len(payments) / engine["seconds"]), "auto_posted_share":
                   round(auto / len(payments), 4), "peak_rss_mb": round(peak), "engine_rss_mb": round(peak - base_rss)})
    del result
    inv = pd.DataFrame({"invoice_number": [i.invoice_number for i in invoices], "currency": "PLN",
                        "amount_open": [int(i.amount_open * 100) for i in invoices],
                        "issue_date": [i.issue_date for i in invoices]})
    pay = pd.DataFrame({"payment_id": [p.payment_id for p in payments], "currency": "PLN",
                        "amount": [int(p.amount * 100) for p in payments], "title": [p.title for p in payments]})
    wall, cpu = time.perf_counter(), time.process_time()
    out = baseline_match(inv, pay)
    baseline = {"seconds": round(time.perf_counter() - wall, 3), "cpu_seconds": round(time.process_time() - cpu, 3),
                "payments_per_s": round(len(payments) / (time.perf_counter() - wall)),
                "posted_share": round(out["payment_id"].nunique() / len(payments), 4)}
    print(json.dumps({"payments": len(payments), "invoices": len(invoices), "python_calibration_s": calibration,
                      "engine": engine, "baseline": baseline}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated N (e.g. 10000,100000,1000000)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    runs = []
    for n in (int(s) for s in args.sizes.split(",")):
        proc = subprocess.run([sys.executable, __file__, "--child", str(n)], capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first, last = runs[0], runs[-1]
    growth = {engine: round((last[engine]["cpu_seconds"] / last["payments"])
                            / (first[engine]["cpu_seconds"] / first["payments"]), 2)
              for engine in ("engine", "baseline")} if len(runs) > 1 else None
    print(json.dumps({"runs": runs, "cpu_growth_per_payment_largest_vs_smallest": growth,
                      "goal": "1e6 x 1e6 < 60 s, < 4096 MB"}, indent=2))


if __name__ == "__main__":
    main()
